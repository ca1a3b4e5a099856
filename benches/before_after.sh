#!/usr/bin/env bash
# Whole-process timings of two builds of `payouts`, interleaved, on one roster: how a change
# moved the time, measured in one run so that the machine's load falls on both alike.
#
#   benches/before_after.sh BEFORE_BIN AFTER_BIN [DATA_DIR] [RUNS]
#
# e.g. build the earlier commit in a worktree (`git worktree add /tmp/before 0e2750c`,
# `CARGO_TARGET_DIR=/tmp/t-before cargo build --release --example payouts` there) and
# compare it with this checkout's `target/release/examples/payouts`. DATA_DIR defaults to
# ~/anchors-data/n1000000 (benches/compare.sh generates it). Prints the median wall and CPU
# seconds and the peak RSS of each, and checks that both outputs are identical.
set -euo pipefail
before=${1:?BEFORE_BIN}
after=${2:?AFTER_BIN}
data=${3:-$HOME/anchors-data/n1000000}
runs=${4:-9}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for _ in $(seq 1 "$runs"); do
  for w in before after; do
    bin=$before
    [ "$w" = after ] && bin=$after
    /usr/bin/time -f "$w %e %U %S %M" "$bin" --data "$data" --out "$out/$w.csv" > /dev/null 2>> "$out/times"
  done
done
cmp "$out/before.csv" "$out/after.csv" && echo "outputs identical"
python3 - "$out/times" <<'PYEOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.split() and l.split()[0] in ("before", "after")]
print("| | wall s, median (min–max) | CPU s, median | peak RSS MiB |")
print("|---|---:|---:|---:|")
for w in ("before", "after"):
    xs = [r for r in rows if r[0] == w]
    wall = [float(r[1]) for r in xs]
    cpu = [float(r[2]) + float(r[3]) for r in xs]
    rss = [int(r[4]) for r in xs]
    print(f"| {w} | {statistics.median(wall):.3f} ({min(wall):.3f}–{max(wall):.3f}) | {statistics.median(cpu):.2f} | {statistics.median(rss) / 1024:.1f} |")
PYEOF
