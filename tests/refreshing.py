"""Helpers of the refresh tests: a fake clock, revisions of the seed, configurations on disk.

Feeds are inspected with icalendar (every UID once), not only with our own reader.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pathlib
import subprocess
import sys
import zoneinfo
from collections.abc import Mapping

import attrs
import icalendar

from handbuilt import hand_built_seed
from oewg_cal.cli.refresh import add_refresh_command, run_refresh
from oewg_cal.ical.decode import read_ics
from oewg_cal.ical.encode import write_ics
from oewg_cal.ical.feed import Feed, feed_of
from oewg_cal.model import AgendaEntry, Meeting, Programme, Segment
from oewg_cal.readers.programme_file import dumps_toml

UTC = dt.timezone.utc
ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
T0 = dt.datetime(2023, 3, 5, 12, 0, tzinfo=UTC)  # after the issue date, before the session
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
SESSION_END = dt.datetime(2023, 3, 11, 5, 0, tzinfo=UTC)  # midnight after 10 March in New York


SEED = hand_built_seed()


# --------------------------------------------------------------------------- clock, revisions


class Clock:
    """A fake clock: returns ``now`` and counts the calls."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start
        self.calls = 0

    def __call__(self) -> dt.datetime:
        self.calls += 1
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def at(programme: Programme, day: int, hour: int) -> Meeting:
    """The meeting of the programme on ``day`` March 2023 starting at ``hour``."""
    (found,) = [m for m in programme.meetings if m.date.day == day and m.start == dt.time(hour)]
    return found


def replaced(programme: Programme, old: Meeting | None, new: Meeting | None) -> Programme:
    meetings = [m for m in programme.meetings if m != old]
    return attrs.evolve(programme, meetings=[*meetings, *([new] if new else [])])


def retimed(programme: Programme, day: int, hour: int, start: dt.time) -> Programme:
    old = at(programme, day, hour)
    return replaced(programme, old, attrs.evolve(old, start=start))


def removed(programme: Programme, *slots: tuple[int, int]) -> Programme:
    gone = {at(programme, day, hour) for day, hour in slots}
    return attrs.evolve(programme, meetings=[m for m in programme.meetings if m not in gone])


def renamed_sub_item(programme: Programme, day: int, hour: int, text: str) -> Programme:
    old = at(programme, day, hour)
    entries = [
        attrs.evolve(e, sub_item=attrs.evolve(e.sub_item, text=text)) if e.sub_item else e
        for e in old.entries
    ]
    return replaced(programme, old, attrs.evolve(old, entries=entries))


ADDED = Meeting(
    date=dt.date(2023, 3, 8),
    start=dt.time(13, 15),
    end=dt.time(14, 45),
    entries=(AgendaEntry(segment=Segment.OTHER, label="Briefing by the Chair"),),
    formal=False,
)


# --------------------------------------------------------------------------- files on disk


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, (str, int, float)):
        return json.dumps(value)
    raise TypeError(value)


def write_config(
    directory: pathlib.Path, feeds: list[Mapping[str, object]], **top: object
) -> pathlib.Path:
    lines = [f"{key} = {_toml_value(value)}" for key, value in top.items() if key != "fetch"]
    fetch_limits = top.get("fetch")
    if isinstance(fetch_limits, Mapping):
        lines.append("[fetch]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in fetch_limits.items()]
    for feed in feeds:
        lines += ["", "[[feed]]"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in feed.items()]
    path = directory / "feeds.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def own_file(config: pathlib.Path, kind: str, feed: int = 0) -> pathlib.Path:
    """Refresh's own file of a feed (``state``, ``retired`` or ``cache``), in its state folder."""
    from oewg_cal.refresh import load_config

    loaded = load_config(config)
    which = loaded.feeds[feed]
    if kind == "cache":
        return loaded.cache_dir_for(which)
    return {"state": loaded.state_for, "retired": loaded.retired_for}[kind](which)


def write_programme(path: pathlib.Path, programme: Programme) -> pathlib.Path:
    path.write_text(dumps_toml(programme), encoding="utf-8")
    return path


def one_feed_config(directory: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path]:
    """A configuration of one feed, "OEWG", from the seed as a programme file: (config, source)."""
    source = write_programme(directory / "programme.toml", SEED)
    config = write_config(
        directory, [{"name": "OEWG", "output": "oewg.ics", "source": source.name}]
    )
    return config, source


def published(programme: Programme = SEED) -> Feed:
    """The feed of ``programme`` as first published, read back from its bytes."""
    return read_ics(write_ics(feed_of(programme)))


def vevents(path: pathlib.Path) -> dict[str, icalendar.Event]:
    """The feed's VEVENTs by UID, parsed by icalendar (every UID once)."""
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    events = [e for e in calendar.walk("VEVENT") if isinstance(e, icalendar.Event)]
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)), f"repeated UIDs: {uids}"
    return dict(zip(uids, events, strict=True))


def uid_of(path: pathlib.Path, meeting: Meeting) -> str:
    feed = read_ics(path.read_bytes())
    (uid,) = [e.uid for e in feed.events if e.meeting == meeting and not e.cancelled]
    return uid


def status(event: icalendar.Event) -> str:
    return str(event["STATUS"])


def sequence(event: icalendar.Event) -> int:
    return int(event.get("SEQUENCE", 0))


# --------------------------------------------------------------------------- running the command


def cli(config: pathlib.Path, *options: str, clock: Clock) -> int:
    """Run ``oewg-cal refresh`` in this process with the fake clock; return the exit code."""
    parser = argparse.ArgumentParser(prog="oewg-cal")
    add_refresh_command(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["refresh", str(config), *options])
    return run_refresh(args, now=clock)


def run_module(*args: str, cwd: pathlib.Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oewg_cal", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=False,
    )
