"""Benchmark configuration: sizes come from OEWG_BENCH_SIZES (default 10,100,1000,10000)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

SIZES = [int(s) for s in os.environ.get("OEWG_BENCH_SIZES", "10,100,1000,10000").split(",")]
