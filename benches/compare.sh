#!/usr/bin/env bash
# Whole-process comparison of `payouts --data` with the three baselines of ../shared/baseline/
# (Polars with Decimal money, the fastest peer; DuckDB SQL with DECIMAL money; the exact
# OpenFisca model) on the same generated rosters.
#
#   benches/compare.sh                      # 100,000 and 1,000,000 laborers, 3 interleaved runs
#   SIZES="1000000" RUNS=5 benches/compare.sh
#
# It creates the baselines' virtual environment if it is missing (exact pins of
# ../shared/baseline/README.md), generates the rosters with gen_roster.py if they are
# missing, builds the example, then for each run and each size runs the four engines one
# after the other (interleaved), each as a whole process timed by benches/timed.py (wall
# time in nanoseconds around the one process, peak resident memory from GNU time); ours twice: as a clerk runs it (`--out FILE`, with its receipt:
# the SHA-256 of every input and of the output), and writing the same rows with no receipt
# (`--out /dev/stdout > FILE`: the peers' work). Then it checks that all four agree on
# every row (check_payouts.py; the baselines leave `reasons` empty, so reasons are not
# compared) and that both runs of ours wrote the same bytes, and prints a Markdown table:
# median wall time (min–max), median peak RSS, and the ratios.
# Data and outputs stay outside the repository (~/anchors-data, ~/anchors-out).
#
# Variables: SIZES, RUNS, BASELINE (default ../shared/baseline), VENV (~/anchors-venv),
# DATA (~/anchors-data), OUT (~/anchors-out/compare), THREADS (ours; default: every core).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BASELINE=$(cd "${BASELINE:-$ROOT/../shared/baseline}" && pwd)
VENV=${VENV:-$HOME/anchors-venv}
DATA=${DATA:-$HOME/anchors-data}
OUT=${OUT:-$HOME/anchors-out/compare}
SIZES=${SIZES:-"100000 1000000"}
RUNS=${RUNS:-3}
THREADS=${THREADS:-0}
PY=$VENV/bin/python

if [ ! -x /usr/bin/time ]; then
  echo "compare.sh needs GNU time (/usr/bin/time): apt-get install time" >&2
  exit 2
fi
if ! "$PY" -c "import duckdb, openfisca_core, pyarrow, numpy" 2>/dev/null; then
  echo "== creating $VENV (../shared/baseline/README.md, Setup)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet openfisca-core==46.0.1 duckdb==2.0.1 pyarrow==26.0.1 pandas==3.1.1 numpy==2.4.6
fi
if ! "$PY" -c "import polars" 2>/dev/null; then
  "$VENV/bin/pip" install --quiet polars==2.1.0
fi
for n in $SIZES; do
  d=$DATA/n$n
  if [ ! -s "$d/laborers.csv" ] || [ ! -s "$d/enterprises.csv" ] || [ ! -s "$d/posts.csv" ]; then
    echo "== generating $d"
    "$PY" "$BASELINE/gen_roster.py" --laborers "$n" --enterprises $((n / 100)) --posts $((n / 50)) --out "$d"
  fi
done
echo "== building the payouts example (release)"
cargo build --release --quiet --example payouts
BIN=$ROOT/target/release/examples/payouts
mkdir -p "$OUT"
RESULTS=$OUT/results.tsv
: > "$RESULTS"

# run ENGINE SIZE OUTFILE [--stdout FILE] COMMAND...: one whole process, its wall time
# (seconds) and peak RSS (KiB), from benches/timed.py (no shell or `date` process around
# it: they cost every engine about 5 ms before 2026-12-04 23:30 UTC).
run() {
  local engine=$1 n=$2 out=$3 stdout=/dev/null
  shift 3
  if [ "$1" = --stdout ]; then
    stdout=$2
    shift 2
  fi
  rm -f "$out"
  # Every engine starts with no dirty page of an earlier one's output to write back: the
  # kernel's flusher would otherwise write earlier outputs (about 190 MB each, five a round)
  # during whichever process runs then, outside its own work.
  sync
  local timed
  timed=$(python3 "$ROOT/benches/timed.py" --stdout "$stdout" -- "$@")
  printf '%s\t%s\t%s\n' "$n" "$engine" "$timed" >> "$RESULTS"
}

echo "== machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$RUNS"); do
  for n in $SIZES; do
    d=$DATA/n$n
    echo "   run $r, $n laborers"
    run ours "$n" "$OUT/ours$n.csv" "$BIN" --data "$d" --out "$OUT/ours$n.csv" --threads "$THREADS"
    # The same rows to a file with no receipt (`--out /dev/stdout` hashes nothing): the
    # peers' work, for the cost of the receipt's two SHA-256 passes.
    run ours-no-receipt "$n" "$OUT/bare$n.csv" --stdout "$OUT/bare$n.csv" \
      "$BIN" --data "$d" --out /dev/stdout --threads "$THREADS"
    run polars "$n" "$OUT/polars$n.csv" "$PY" "$BASELINE/run_polars.py" --data "$d" --out "$OUT/polars$n.csv"
    run duckdb "$n" "$OUT/duck$n.csv" "$PY" "$BASELINE/run_duckdb.py" --data "$d" --out "$OUT/duck$n.csv"
    run openfisca-exact "$n" "$OUT/of$n.csv" "$PY" "$BASELINE/run_openfisca.py" --data "$d" --out "$OUT/of$n.csv"
  done
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== agreement (check_payouts.py --ignore-reasons: the baselines leave reasons empty)"
AGREE=$OUT/agreement.txt
: > "$AGREE"
for n in $SIZES; do
  if ! cmp -s "$OUT/ours$n.csv" "$OUT/bare$n.csv"; then
    echo "ours-no-receipt wrote other bytes than ours ($n laborers)" >&2
    exit 1
  fi
  for peer in polars duck of; do
    if "$PY" "$BASELINE/check_payouts.py" --ignore-reasons "$OUT/ours$n.csv" "$OUT/$peer$n.csv" > "$OUT/check-$peer$n.txt"; then
      status=ok
    else
      status=DIFFER
    fi
    printf '%s\t%s\t%s\t%s\n' "$n" "$peer" "$status" "$(grep 'rows that differ' "$OUT/check-$peer$n.txt")" | tee -a "$AGREE"
  done
done

"$PY" - "$RESULTS" "$AGREE" <<'PYEOF'
import statistics, sys
from collections import defaultdict

def seconds(s):
    parts = [float(p) for p in s.split(":")]
    t = 0.0
    for p in parts:
        t = t * 60 + p
    return t

runs = defaultdict(list)
for line in open(sys.argv[1]):
    n, engine, wall, rss = line.rstrip("\n").split("\t")
    runs[(int(n), engine)].append((seconds(wall), int(rss)))
agree = defaultdict(dict)
for line in open(sys.argv[2]):
    n, peer, status, _ = line.rstrip("\n").split("\t")
    agree[int(n)][{"polars": "polars", "duck": "duckdb", "of": "openfisca-exact"}[peer]] = status

print()
print("| laborers | engine | whole process s, median (min–max) | peak RSS MiB | ours faster by | rows vs ours |")
print("|---:|---|---|---:|---:|---|")
sizes = sorted({n for n, _ in runs})
med = {}
for n in sizes:
    for engine in ["ours", "ours-no-receipt", "polars", "duckdb", "openfisca-exact"]:
        xs = runs.get((n, engine))
        if not xs:
            continue
        walls = [w for w, _ in xs]
        rss = statistics.median(r for _, r in xs) / 1024
        med[(n, engine)] = (statistics.median(walls), rss)
        ratio = "" if engine.startswith("ours") else f"{statistics.median(walls) / med[(n, 'ours')][0]:.1f}×"
        rows = {"ours": "(reference)", "ours-no-receipt": "same bytes"}.get(engine) or (
            "identical" if agree[n].get(engine) == "ok" else "DIFFER")
        print(f"| {n:,} | {engine} | {statistics.median(walls):.3f} ({min(walls):.3f}–{max(walls):.3f}) | {rss:.1f} | {ratio} | {rows} |")
print()
for n in sizes:
    bare = med.get((n, "ours-no-receipt"))
    if bare:
        ratios = ", ".join(f"{med[(n, e)][0] / bare[0]:.1f}× {e}" for e in ["polars", "duckdb", "openfisca-exact"] if (n, e) in med)
        print(f"{n:,} laborers without the receipt: {ratios}")
if len(sizes) >= 2:
    a, b = med[(sizes[0], "ours")][1], med[(sizes[-1], "ours")][1]
    print(f"ours: peak RSS {a:.1f} MiB at {sizes[0]:,} and {b:.1f} MiB at {sizes[-1]:,} laborers ({(b / a - 1) * 100:+.1f}%)")
PYEOF
