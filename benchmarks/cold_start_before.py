"""``oewg-cal build`` on the seed, cold, at several revisions side by side.

    python benchmarks/cold_start_before.py [ROUNDS] REV [REV ...]

Each revision is taken out of git (``git archive``) into a temporary folder and run from
there (``PYTHONPATH``) with this virtual environment's packages: ``python -m oewg_cal
build examples/oewg-ict-4th-session.txt``, against ``python -c "import icalendar"``.
Rounds are interleaved (every revision and the floor once per round), so that the
machine's load falls on all alike.  Each is run twice: with the package's bytecode
compiled beforehand, as ``pip install`` leaves it, and without (the source compiled on
every run, as with ``PYTHONDONTWRITEBYTECODE=1`` and no ``__pycache__``).

Prints, per revision, the median and fastest times and their ratios to the floor.
"""

from __future__ import annotations

import compileall
import os
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


def _time(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


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
            runs: dict[str, list[float]] = {rev: [] for rev in [*revs, "floor"]}
            for source in trees.values():  # a first run of each, not counted
                _time(_build(), {**base_env, "PYTHONPATH": str(source)})
            for _ in range(rounds):
                runs["floor"].append(_time(floor, base_env))
                for rev, source in trees.items():
                    runs[rev].append(_time(_build(), {**base_env, "PYTHONPATH": str(source)}))
            label = "bytecode compiled" if compiled else "source compiled on every run"
            print(f"## {label} ({rounds} interleaved rounds)")
            floor_median = statistics.median(runs["floor"])
            floor_min = min(runs["floor"])
            for name, times in runs.items():
                median, fastest = statistics.median(times), min(times)
                print(
                    f"{name:>12}: median {median * 1e3:6.1f} ms ({median / floor_median:.2f} ×), "
                    f"fastest {fastest * 1e3:6.1f} ms ({fastest / floor_min:.2f} ×)"
                )
    return 0


def _build() -> list[str]:
    return [sys.executable, "-m", "oewg_cal", "build", str(SEED)]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
