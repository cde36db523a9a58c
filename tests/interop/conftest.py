"""Fixtures of the interop harness (tests/interop)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .parsers import use_libical_checker
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


@pytest.fixture(scope="session", autouse=True)
def libical_checker(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Compile tests/interop/libical_check.c against the system's libical, once.

    Without gcc, pkg-config or libical nothing fails here: the tests that read with
    libical skip (or fail under CI), as for Node and ical.js.
    """
    use_libical_checker(tmp_path_factory.mktemp("libical"))
