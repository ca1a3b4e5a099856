#!/usr/bin/env bash
# Instructions per laborer line of `payouts --data` (issue #13's measure): callgrind counts
# every instruction the whole process executes, on one worker thread, so the number does not
# depend on the machine's load (builds of the same code differ by up to about 1.5%, from
# code placement alone).
#
#   benches/instructions.sh                   # the 100,000-laborer roster of compare.sh
#   benches/instructions.sh DATA_DIR [TOP]    # another roster; TOP functions listed (20)
#
# It builds the example with debug information into its own target directory (so that the
# profile names source lines; the code is the release code), runs it under
# `valgrind --tool=callgrind` with `--threads 1 --out /dev/null`, and prints the total, the
# count per laborer line and the functions that cost the most (self cost). The profile stays
# in $OUT/callgrind.out for `callgrind_annotate --auto=yes` (line by line). With python3 and
# addr2line (binutils), it then prints the count per line by stage (reading, deciding,
# writing...) and by function, each instruction counted for the innermost function of this
# crate inlined at its address (`benches/stages.py`): most of the hot path is inlined into
# `pipeline::worker`, which is all the function-level list can name.
#
# Variables: DATA (~/anchors-data), OUT (~/anchors-out/instructions), TARGET
# (/tmp/jiuye-fupin-callgrind, the build's target directory). The roster is made by
# `benches/compare.sh` (or `gen_roster.py --laborers 100000 --enterprises 1000 --posts 2000`).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-$HOME/anchors-data}
OUT=${OUT:-$HOME/anchors-out/instructions}
TARGET=${TARGET:-/tmp/jiuye-fupin-callgrind}
dir=${1:-$DATA/n100000}
top=${2:-20}
if ! command -v valgrind > /dev/null; then
  echo "instructions.sh needs valgrind: apt-get install valgrind" >&2
  exit 2
fi
if [ ! -s "$dir/laborers.csv" ]; then
  echo "no roster in $dir: run benches/compare.sh first (it generates one), or pass DATA_DIR" >&2
  exit 2
fi
mkdir -p "$OUT"
CARGO_PROFILE_RELEASE_DEBUG=1 CARGO_TARGET_DIR=$TARGET cargo build --release --quiet --example payouts
valgrind --tool=callgrind --dump-instr=yes --compress-pos=no --compress-strings=no \
  --callgrind-out-file="$OUT/callgrind.out" \
  "$TARGET/release/examples/payouts" --data "$dir" --threads 1 --out /dev/null \
  > /dev/null 2> "$OUT/valgrind.log"
total=$(sed -n 's/^summary: //p' "$OUT/callgrind.out")
lines=$(($(wc -l < "$dir/laborers.csv") - 1))
echo "commit:        $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "roster:        $dir ($lines laborer lines)"
echo "instructions:  $total"
echo "per line:      $((total / lines))"
echo
echo "most costly functions (self; the rest: callgrind_annotate --auto=yes $OUT/callgrind.out):"
callgrind_annotate "$OUT/callgrind.out" 2> /dev/null \
  | sed -n '/^Ir .*file:function/,$p' | sed -n "3,$((top + 2))p" | cut -c1-160
if command -v python3 > /dev/null && command -v addr2line > /dev/null; then
  echo
  python3 benches/stages.py "$OUT/callgrind.out" "$TARGET/release/examples/payouts" "$lines" "$top"
fi
