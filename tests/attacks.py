"""Shared helpers of the attack suite (``tests/test_attacks_*.py``).

The suite attacks oewg_cal as an adversary would: mutated inputs of every shape, links
and FIFOs where refresh keeps its files, processes killed at any moment, runs that race.
CI runs a fixed-seed sample (a few tens of seconds in all); the long run is

    OEWG_ATTACKS=long .venv/bin/pytest tests/test_attacks_*.py

which runs many more cases per attack, from the same seeds plus ``OEWG_ATTACKS_SEED``
when set (so that a long run can be repeated, or varied).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import pathlib
import random
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from types import FrameType

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SEED_TXT = EXAMPLES / "oewg-ict-4th-session.txt"
SEED_TOML = EXAMPLES / "oewg-ict-4th-session.toml"
SEED_ICS = EXAMPLES / "oewg-ict-4th-session.ics"

#: The long run: ``OEWG_ATTACKS=long``.
LONG = os.environ.get("OEWG_ATTACKS", "") == "long"
#: The seed of every random choice of the suite (fixed in CI).
SEED = int(os.environ.get("OEWG_ATTACKS_SEED", "20231201"))

UTC = dt.timezone.utc
#: After the seed's issue date, before its session.
T0 = dt.datetime(2023, 3, 5, 12, 0, tzinfo=UTC)


def cases(fast: int, long: int) -> int:
    """How many cases an attack runs: ``fast`` in CI, ``long`` in the long run."""
    return long if LONG else fast


def rng(name: str) -> random.Random:
    """A random generator of its own per attack, from the suite's seed."""
    return random.Random(f"{SEED}:{name}")


def clock() -> dt.datetime:
    return T0


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Sequence):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(value)


def write_config(
    directory: pathlib.Path, feeds: Sequence[Mapping[str, object]], **top: object
) -> pathlib.Path:
    """A refresh configuration ``feeds.toml`` in ``directory``."""
    lines = [f"{key} = {toml_value(value)}" for key, value in top.items()]
    for feed in feeds:
        lines += ["", "[[feed]]"]
        lines += [f"{key} = {toml_value(value)}" for key, value in feed.items()]
    path = directory / "feeds.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def seed_site(directory: pathlib.Path, **feed: object) -> pathlib.Path:
    """A config publishing the seed programme file as ``public/oewg.ics``."""
    (directory / "programme.toml").write_bytes(SEED_TOML.read_bytes())
    settings: dict[str, object] = {
        "name": "OEWG",
        "output": "public/oewg.ics",
        "source": "programme.toml",
    }
    settings.update(feed)
    return write_config(directory, [settings])


def cli(
    *args: str, timeout: float = 60, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m oewg_cal ARGS`` in a process of its own; fails the test if it hangs."""
    return subprocess.run(
        [sys.executable, "-m", "oewg_cal", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        input=None if stdin is None else stdin.decode("utf-8", "surrogateescape"),
        check=False,
    )


class Hung(AssertionError):
    """A case ran past its time: oewg_cal waited on something it should have refused."""


@contextlib.contextmanager
def bounded(seconds: float, what: str = "the case") -> Iterator[None]:
    """Fail (instead of hanging the suite) when the block runs longer than ``seconds``:
    SIGALRM interrupts even a blocking ``open`` of a FIFO."""

    def expired(_signum: int, _frame: FrameType | None) -> None:
        raise Hung(f"{what} took more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
