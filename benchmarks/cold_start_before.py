"""``oewg-cal build`` on the seed, cold, at several revisions side by side.

    python benchmarks/cold_start_before.py [ROUNDS] REV [REV ...]

Each revision is taken out of git (``git archive``) into a temporary folder and run from
there (``PYTHONPATH``) with this virtual environment's packages: ``python -m oewg_cal
build examples/oewg-ict-4th-session.txt``, against ``python -c "import icalendar"``.
Rounds are interleaved (every revision and the floor once per round), so that the
machine's load falls on all alike.  Each is run twice: with the package's bytecode
compiled beforehand, as ``pip install`` leaves it, and without (the source compiled on
every run, as with ``PYTHONDONTWRITEBYTECODE=1`` and no ``__pycache__``).

Prints, per revision, the median and fastest times and their ratios to the floor, in
wall-clock time and in CPU time (user and system, of the process and its children), which
the machine's other work disturbs less.
"""

from __future__ import annotations

import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "oewg-ict-4th-session.txt"


def _extract(rev: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev, "src"],
        check=True,
        capture_output=True,
    ).stdout
    target = into / rev
    target.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "src"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    start, cpu = time.perf_counter(), _cpu()
    subprocess.run(args, check=True, capture_output=True, env=env)
    return time.perf_counter() - start, _cpu() - cpu


def main(argv: list[str]) -> int:
    rounds = int(argv[1]) if argv[1:2] and argv[1].isdigit() else 20
    revs = [a for a in argv[1:] if not a.isdigit()] or ["HEAD"]
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    base_env["PYTHONDONTWRITEBYTECODE"] = "1"
    floor = [sys.executable, "-c", "import icalendar"]
    with tempfile.TemporaryDirectory() as folder:
        for compiled in (True, False):
            trees = {}
            for rev in revs:
                source = _extract(rev, Path(folder) / ("c" if compiled else "s"))
                if compiled:
                    compileall.compile_dir(source, quiet=1)
                trees[rev] = source
            runs: dict[str, list[tuple[float, float]]] = {rev: [] for rev in [*revs, "floor"]}
            for source in trees.values():  # a first run of each, not counted
                _time(_build(), {**base_env, "PYTHONPATH": str(source)})
            for _ in range(rounds):
                runs["floor"].append(_time(floor, base_env))
                for rev, source in trees.items():
                    runs[rev].append(_time(_build(), {**base_env, "PYTHONPATH": str(source)}))
            label = "bytecode compiled" if compiled else "source compiled on every run"
            print(f"## {label} ({rounds} interleaved rounds)")
            for kind, index in (("wall-clock", 0), ("CPU", 1)):
                floor_times = [run[index] for run in runs["floor"]]
                floor_median, floor_min = statistics.median(floor_times), min(floor_times)
                print(f"{kind} time:")
                for name, pairs in runs.items():
                    times = [run[index] for run in pairs]
                    median, fastest = statistics.median(times), min(times)
                    print(
                        f"{name:>12}: median {median * 1e3:6.1f} ms "
                        f"({median / floor_median:.2f} ×), fastest {fastest * 1e3:6.1f} ms "
                        f"({fastest / floor_min:.2f} ×)"
                    )
    return 0


def _build() -> list[str]:
    return [sys.executable, "-m", "oewg_cal", "build", str(SEED)]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
