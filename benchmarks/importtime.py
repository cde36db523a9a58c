"""Where a cold ``oewg-cal build`` spends its time before it reads: imports and regexes.

    python benchmarks/importtime.py [RUNS]

Runs, each in fresh processes (RUNS times, default 7, keeping each module's fastest):

* ``python -X importtime -m oewg_cal build examples/oewg-ict-4th-session.txt``: the
  self and cumulative import time of every module a build of the seed imports, grouped
  as ours (``oewg_cal.*``), the standard library and the other packages;
* the same build with ``re``'s compiler timed: how many regular expressions each module
  compiles, at import and while reading, and what they cost.

Prints markdown tables (docs/performance.md quotes them).  Times are microseconds.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "oewg-ict-4th-session.txt"
BUILD = ["-m", "oewg_cal", "build", str(SEED), "-o", "/dev/null"]

#: Run in a fresh interpreter: time every compilation that misses re's cache, by the
#: module that asked for it, before and after the build's imports are done.
_REGEX_PROBE = r"""
import json, re, sys, time
_compile, stats, phase = re._compile, {}, ["import"]
def timed(pattern, flags):
    key = (type(pattern), pattern, flags.value if isinstance(flags, re.RegexFlag) else flags)
    if key in re._cache:
        return _compile(pattern, flags)
    start = time.perf_counter()
    compiled = _compile(pattern, flags)
    spent = time.perf_counter() - start
    frame = sys._getframe(1)
    while frame and frame.f_globals.get("__name__", "").split(".")[0] in ("re", "sre_compile"):
        frame = frame.f_back
    module = frame.f_globals.get("__name__", "?") if frame else "?"
    entry = stats.setdefault(f"{phase[0]} {module}", [0, 0.0])
    entry[0] += 1
    entry[1] += spent
    return compiled
re._compile = timed
import oewg_cal.cli, oewg_cal.readers, oewg_cal.readers.document, oewg_cal.readers.lines
import oewg_cal.readers.layout, oewg_cal.ical.encode, oewg_cal.ical.feed, oewg_cal.fetch
phase[0] = "build"
sys.argv = ["oewg-cal", *sys.argv[1:]]
try:
    oewg_cal.cli.main(sys.argv[1:])
finally:
    print(json.dumps(stats), file=sys.stderr)
"""


def importtime(args: list[str], runs: int) -> dict[str, tuple[int, int]]:
    """Each module's fastest (self, cumulative) import time over ``runs`` processes."""
    best: dict[str, tuple[int, int]] = {}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", *args], capture_output=True, text=True
        )
        for line in done.stderr.splitlines():
            found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s+)(\S+)", line)
            if found:
                name = found.group(4)
                times = (int(found.group(1)), int(found.group(2)))
                best[name] = min(best.get(name, times), times)
    return best


def regexes(runs: int) -> dict[str, tuple[int, float]]:
    """(patterns, fastest seconds) compiled per phase and module."""
    best: dict[str, tuple[int, float]] = {}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _REGEX_PROBE, *BUILD[2:]], capture_output=True, text=True
        )
        stats = json.loads(done.stderr.strip().splitlines()[-1])
        for key, (count, spent) in stats.items():
            best[key] = (count, min(best.get(key, (count, spent))[1], spent))
    return best


def _table(rows: Iterable[tuple[str, ...]], header: tuple[str, ...]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 7
    found = importtime(BUILD, runs)
    ours = sorted(
        ((n, t) for n, t in found.items() if n.startswith("oewg_cal")), key=lambda x: -x[1][0]
    )
    print(f"## import time of a build of the seed (fastest of {runs}, µs)\n")
    print(_table(((f"`{n}`", f"{s:,}", f"{c:,}") for n, (s, c) in ours), ("ours", "self", "cum.")))
    top = [
        (n, t)
        for n, t in found.items()
        if "." not in n and not n.startswith(("oewg_cal", "_")) and t[1] >= 2000
    ]
    top.sort(key=lambda x: -x[1][1])
    print()
    print(_table(((f"`{n}`", f"{c:,}") for n, (_s, c) in top), ("top-level import", "cum.")))
    total_ours = sum(s for n, (s, _c) in found.items() if n.startswith("oewg_cal"))
    print(f"\nour modules' own time: {total_ours:,} µs\n")
    compiled = regexes(runs)
    print(f"## regular expressions compiled during a build of the seed (fastest of {runs})\n")
    rows = sorted(compiled.items(), key=lambda x: -x[1][1])
    print(
        _table(
            (
                (key.split()[0], f"`{key.split()[1]}`", str(n), f"{s * 1e6:,.0f}")
                for key, (n, s) in rows
                if s >= 50e-6
            ),
            ("when", "module", "patterns", "µs"),
        )
    )
    for phase in ("import", "build"):
        ours_only = [v for k, v in compiled.items() if k.startswith(f"{phase} oewg_cal")]
        count = sum(n for n, _ in ours_only)
        spent = sum(s for _, s in ours_only)
        print(f"\nours, at {phase}: {count} patterns, {spent * 1e3:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
