#!/usr/bin/env python3
"""One whole process, timed: its wall time and its peak resident memory.

    timed.py [--stdout FILE] -- COMMAND...

Prints `WALL_SECONDS<TAB>PEAK_RSS_KIB` and exits with the command's status. The command
runs under GNU time (`/usr/bin/time -f %M`, for the peak resident memory of the command
alone: a child forked from this Python process would count the interpreter's pages), its
standard output to FILE (default: /dev/null), its standard error inherited. The wall time
is taken here, in nanoseconds, around that one child: no shell, no `date` process before
or after (benches/compare.sh's earlier way cost every engine about 5 ms, a no-op
process measured 5.3 ms that way and 2.0 ms this way).
"""
import os
import subprocess
import sys
import tempfile
import time


def main(argv):
    stdout = os.devnull
    if argv[:1] == ["--stdout"]:
        stdout, argv = argv[1], argv[2:]
    if argv[:1] != ["--"] or len(argv) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    command = argv[1:]
    with tempfile.NamedTemporaryFile(mode="r") as log, open(stdout, "wb") as out:
        start = time.perf_counter_ns()
        status = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", log.name, *command], stdout=out
        ).returncode
        end = time.perf_counter_ns()
        lines = log.read().strip().splitlines()
    rss = lines[-1] if lines and lines[-1].isdigit() else "0"
    print(f"{(end - start) / 1e9:.4f}\t{rss}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
