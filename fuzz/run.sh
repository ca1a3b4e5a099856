#!/usr/bin/env bash
# Runs every fuzz target for a bounded time and prints how many executions ran.
#   fuzz/run.sh [SECONDS_PER_TARGET]      (default 60)
# Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable toolchain is used with
# RUSTC_BOOTSTRAP=1 for the fuzz build only. Seeds come from the embedded sample and the
# preset policy. A crash stops the run and leaves its input in fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
export RUSTC_BOOTSTRAP=1
for t in laborers enterprises posts loan_applications startup_centers post_months; do
  mkdir -p "corpus/${t}_csv"
  cp "../src/sample/${t}.csv" "corpus/${t}_csv/sample.csv"
done
mkdir -p corpus/policy_toml corpus/scenario_toml
cp ../policies/*.toml corpus/policy_toml/
cp ../tests/scenarios/*.toml corpus/scenario_toml/
targets=(laborers_csv enterprises_csv posts_csv loan_applications_csv startup_centers_csv post_months_csv policy_toml scenario_toml)
for t in "${targets[@]}"; do
  log=$(mktemp)
  cargo fuzz run --release "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=8192 2>"$log" || { tail -n 40 "$log"; exit 1; }
  runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+' | tail -n 1)
  echo "$t: ${runs:-?} executions in ${secs}s, no crash"
  rm -f "$log"
done
