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
import re
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


# --------------------------------------------------------------------------- mutations

#: What an adversary (or a bad converter) puts into a document: control characters and
#: Unicode line breaks, markup, escapes, numbers out of range, the reader's own keywords.
NASTY = (
    "\x00", "\x01", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x92", "\u2028", "\u2029",
    "\ufeff", "\u200b", "\u202e", "\u0301", "\U0001f600", "\ud7ff", "\ue000",
    "<", ">", "&", "&amp;", "&#0;", "&#xd800;", "&#146;", "<b>", "</td>", "<sup>", "<table>",
    "|", "\t", "\r", "\n", "\r\n", "\\", '"', "'", "[", "]", "{", "}", "=", "#",
    "(continued)", "Item 5:", "Agenda item 999:", "(a)", "(zz)", "10 a.m.–1 p.m.", "noon",
    "3–1 a.m.", "25:00", "Monday, 6 March", "Sunday, 31 February", "0001", "9999", "2023",
    "—", "–", "-", "\u00a0", "*", "1", "99", "\\u0000", "\\ud800", "\\n", "\\\\",
)  # fmt: skip

NUMBERS = ("0", "1", "13", "24", "29", "31", "32", "60", "99", "999", "1000", "1899",
           "2023", "2200", "2201", "0001", "9999", "-1", "12345678901234567890")  # fmt: skip


def mutate_text(text: str, r: random.Random, *, steps: int = 4) -> str:
    """``text`` with one to ``steps`` random edits: lines deleted, repeated or swapped, a
    cut, nasty characters, numbers changed, a stretch repeated."""
    for _ in range(r.randint(1, steps)):
        lines = text.split("\n")
        op = r.randrange(8)
        if op == 0 and lines:
            del lines[r.randrange(len(lines))]
        elif op == 1 and lines:
            lines.insert(r.randrange(len(lines) + 1), r.choice(lines))
        elif op == 2 and len(lines) > 1:
            i, j = r.randrange(len(lines)), r.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            return text[: r.randrange(len(text) + 1)]
        elif op in (4, 5) and text:
            at = r.randrange(len(text))
            text = text[:at] + r.choice(NASTY) + text[at + r.randint(0, 3) :]
            continue
        elif op == 6:
            found = [m.span() for m in re.finditer(r"\d+", text)]
            if found:
                start, end = r.choice(found)
                text = text[:start] + r.choice(NUMBERS) + text[end:]
            continue
        elif op == 7 and text:
            at = r.randrange(len(text))
            text = text[:at] + text[at : at + r.randint(1, 40)] * r.randint(2, 40) + text[at:]
            continue
        text = "\n".join(lines)
    return text


def mutate_bytes(data: bytes, r: random.Random) -> bytes:
    """``data`` mutated as text, and sometimes with raw bytes (invalid UTF-8) put in."""
    text = mutate_text(data.decode("utf-8", "surrogateescape"), r)
    out = text.encode("utf-8", "surrogateescape")
    if r.random() < 0.15:
        at = r.randrange(len(out) + 1)
        out = out[:at] + bytes(r.randrange(256) for _ in range(r.randint(1, 4))) + out[at:]
    return out
