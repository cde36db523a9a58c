"""Fixtures of the interop harness (tests/interop)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .radicale_server import RadicaleServer, running_radicale

DATA_DIR = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    """One real Radicale server for the whole session, on 127.0.0.1."""
    with running_radicale(tmp_path_factory.mktemp("radicale")) as server:
        yield server


@pytest.fixture(scope="session")
def sample_feed() -> bytes:
    """The hand-written feed tests/interop/data/sample.ics, as bytes."""
    return (DATA_DIR / "sample.ics").read_bytes()
