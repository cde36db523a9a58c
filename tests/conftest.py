"""Shared test configuration: hypothesis profiles, the seed programme and its feed, no proxy."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from handbuilt import hand_built_seed
from oewg_cal import Programme, to_ics

ROOT = Path(__file__).resolve().parents[1]

settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(scope="session")
def seed_programme() -> Programme:
    """The seed programme, as examples/build_by_hand.py builds it."""
    return hand_built_seed()


@pytest.fixture(scope="session")
def seed_ics(seed_programme: Programme) -> bytes:
    """The seed programme's feed, as :func:`oewg_cal.to_ics` writes it."""
    return to_ics(seed_programme)


@pytest.fixture(autouse=True)
def _state_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Refresh keeps its own files in $XDG_STATE_HOME/oewg-cal unless a config sets
    state_dir: a folder of the test's own, never the developer's ~/.local/state."""
    home = tmp_path_factory.mktemp("state-home")
    monkeypatch.setenv("XDG_STATE_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _no_proxy_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests talk to servers on 127.0.0.1: a proxy set for the machine must not reroute
    them (the tests of proxies set these variables themselves)."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUEST_METHOD"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
