"""Benchmark configuration: sizes come from OEWG_BENCH_SIZES (default 10,100,1000,10000)."""

from __future__ import annotations

import compileall
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

SIZES = [int(s) for s in os.environ.get("OEWG_BENCH_SIZES", "10,100,1000,10000").split(",")]


@pytest.fixture(scope="session", autouse=True)
def _bytecode() -> None:
    """Our modules compiled to bytecode, as ``pip install`` leaves them, for the benchmarks
    that start fresh processes: with ``PYTHONDONTWRITEBYTECODE=1`` (set on this project's
    machine) and an editable install, every process would compile them from source again
    (about 60 ms of a cold start)."""
    import oewg_cal

    compileall.compile_dir(Path(oewg_cal.__file__).parent, quiet=1)
