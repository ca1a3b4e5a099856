#!/usr/bin/env python3
"""Instructions per laborer line by stage of `payouts --data`, from a callgrind profile.

    benches/stages.py CALLGRIND_OUT BINARY LINES [TOP]

`benches/instructions.sh` calls it. The profile must be recorded with
`--dump-instr=yes --compress-pos=no --compress-strings=no`, so that it holds a count for
every instruction address, each written out in full. Each address
is resolved with `addr2line -i`, which lists the functions inlined at that address, the
innermost first. The innermost function of this crate is the one that counts. Most of the
hot path is inlined into a few large functions, so a function-level profile
(`callgrind_annotate`) names little more than `pipeline::worker`. Here, the code of the
standard library that is inlined into a function, such as a comparison, a slice index or
a copy, counts for that function. Code of another crate counts for that crate, and
code of a shared library counts for the library.

It prints, per laborer line (the total divided by LINES):
  - the stages (reading, deciding, writing, ...);
  - the TOP functions (20 by default).
Only the standard library is used; `addr2line` comes from binutils.
"""
import collections
import re
import subprocess
import sys

# Stage of a function of this crate, by its path: the first pattern that matches.
STAGES = [
    (r"^dep:simdutf8", "read: UTF-8 check (simdutf8)"),
    (r"^dep:memchr", "read: quote and CR scan (memchr)"),
    (r"jiuye_fupin::io::split::(separators|mark_fields|for_each_plain|split_record|split_plain|Splitter|cut)",
     "read: split records (separators, field ends)"),
    (r"jiuye_fupin::io::split::Cells", "read: cut cells (Cells::get, text)"),
    (r"jiuye_fupin::io::(chunks|decode|read)", "read: chunks"),
    (r"jiuye_fupin::io::(cells|records|split)|jiuye_fupin::model::id",
     "read: cell values (ids, codes, booleans, dates, money)"),
    (r"jiuye_fupin::batch::subjects::(IdWords|id_key16|words|Holders|hash_of|Prehashed|IdHasher)"
     r"|jiuye_fupin::batch::pipeline::IdRun",
     "check: ids in order, post holders"),
    (r"jiuye_fupin::batch::subjects::(Rows|Acc|AmountTail|Padded|IneligibleRow|RowCache|id_cell"
     r"|record_cell|write_id|write_amount|Counts)|jiuye_fupin::io::write"
     r"|jiuye_fupin::decision::Reasons::(same_as|identity)",
     "write: payouts rows"),
    (r"jiuye_fupin::(ruleset|rules|engine|decision|dated|money|calc|model)",
     "decide: rules, amounts, reasons"),
    (r"jiuye_fupin::batch", "pipeline: per-record glue"),
    (r"^lib:libc", "libc: copies, allocation, system calls"),
    (r".", "start and finish: loader, policy, other files, receipt"),
]


def costs(path, binary):
    """Self cost per instruction address of `binary`, the profiled program (an int), and
    per shared object of the others (a 'lib:' string)."""
    cost = collections.Counter()
    obj, skip = None, False
    with open(path) as f:
        for line in f:
            if line.startswith("ob="):
                obj = line[3:].strip()
            elif line.startswith("calls="):
                # The next cost line is the call's inclusive cost, not this address's own.
                skip = True
            elif line.startswith("0x"):
                if skip:
                    skip = False
                    continue
                parts = line.split()
                own = obj == binary
                key = int(parts[0], 16) if own else "lib:" + (obj or "?").rsplit("/", 1)[-1]
                cost[key] += int(parts[-1])
    return cost


def frames(binary, addrs):
    """For each address, its (function, location) frames, innermost first."""
    text = "\n".join(hex(a) for a in addrs) + "\n"
    out = subprocess.run(
        ["addr2line", "-a", "-i", "-f", "-C", "-e", binary],
        input=text, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    result, current, i = {}, None, 0
    while i < len(out):
        if re.fullmatch(r"0x[0-9a-f]+", out[i]):
            current = int(out[i], 16)
            result[current] = []
            i += 1
            continue
        loc = out[i + 1] if i + 1 < len(out) else ""
        result[current].append((out[i], loc))
        i += 2
    return result


def owner(fr):
    """The innermost function of this crate at an address, else the crate it comes from."""
    for fn, loc in fr:
        if fn.startswith(("jiuye_fupin::", "<jiuye_fupin::", "<&jiuye_fupin::")):
            return fn
        if "/examples/" in loc or loc.startswith("examples/"):
            return "example: " + fn
    for _, loc in fr:
        m = re.search(r"registry/src/[^/]+/([^/]+?)-\d[^/]*/", loc)
        if m:
            return "dep:" + m.group(1)
    return "other: " + (fr[-1][0] if fr else "?")


def stage(fn):
    """The stage of a function (the path inside a `<... as ...>` is the type's)."""
    name = re.sub(r"^<&?", "", fn)
    for pattern, label in STAGES:
        if re.search(pattern, name):
            return label
    return STAGES[-1][1]


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    cg, binary, lines = sys.argv[1], sys.argv[2], int(sys.argv[3])
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    cost = costs(cg, binary)
    addrs = sorted(a for a in cost if isinstance(a, int))
    fr = frames(binary, addrs)
    by_fn = collections.Counter()
    for key, n in cost.items():
        by_fn[key if isinstance(key, str) else owner(fr.get(key, []))] += n
    by_stage = collections.Counter()
    for fn, n in by_fn.items():
        by_stage[stage(fn)] += n
    total = sum(cost.values())
    print(f"{'per line':>9}  stage (total {total:,}, {total / lines:.0f} a line)")
    for label, n in sorted(by_stage.items(), key=lambda kv: -kv[1]):
        print(f"{n / lines:9.1f}  {label}")
    if top > 0:
        print()
        print(f"{'per line':>9}  function (innermost of this crate; inlined std code counts for it)")
        for fn, n in by_fn.most_common(top):
            print(f"{n / lines:9.1f}  {fn[:120]}")
