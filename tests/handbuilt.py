"""The seed programme as examples/build_by_hand.py builds it: the project's answer key
for the seed, typed in from the document by hand (one loader for every test module)."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from oewg_cal import Programme

BUILD_BY_HAND = Path(__file__).resolve().parents[1] / "examples" / "build_by_hand.py"


@functools.cache
def hand_built_seed() -> Programme:
    """The seed programme (frozen, so one instance serves every caller)."""
    spec = importlib.util.spec_from_file_location("build_by_hand", BUILD_BY_HAND)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    programme: Programme = module.build()
    return programme
