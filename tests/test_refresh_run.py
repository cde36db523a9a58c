"""Tests of ``oewg-cal refresh``: change tracking, the run, its CLI, crash and race safety.

Sources are files or a real HTTP server on 127.0.0.1; the clock is injected.  Feeds are
checked by parsing them with icalendar, not only with our own reader.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import json
import os
import pathlib
import shlex
import signal
import subprocess
import sys
import threading
import time
import zoneinfo
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs
import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oewg_cal.cli.refresh import add_refresh_command, run_refresh
from oewg_cal.errors import ConfigError, InvalidField, OewgCalError
from oewg_cal.ical.decode import read_ics
from oewg_cal.ical.encode import write_ics
from oewg_cal.ical.feed import Feed, FeedOptions, feed_of
from oewg_cal.ical.lint import MAX_FEED_BYTES as SIZE_WARNING_BYTES
from oewg_cal.model import AgendaEntry, Meeting, Programme, Segment, SeriesKey, SubItem
from oewg_cal.readers.programme_file import dumps_toml
from oewg_cal.refresh import (
    filter_programme,
    load_config,
    plan,
    refresh,
)

UTC = dt.timezone.utc
ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
T0 = dt.datetime(2023, 3, 5, 12, 0, tzinfo=UTC)  # after the issue date, before the session
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
SESSION_END = dt.datetime(2023, 3, 11, 5, 0, tzinfo=UTC)  # midnight after 10 March in New York


def _load_seed() -> Programme:
    spec = importlib.util.spec_from_file_location("build_by_hand", EXAMPLES / "build_by_hand.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    programme: Programme = module.build()
    return programme


SEED = _load_seed()


# --------------------------------------------------------------------------- helpers


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


def write_programme(path: pathlib.Path, programme: Programme) -> pathlib.Path:
    path.write_text(dumps_toml(programme), encoding="utf-8")
    return path


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


# --------------------------------------------------------------------------- HTTP server


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        mode, body = self.server.routes.get(self.path, ("missing", b""))
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        conditional = self.headers.get("If-None-Match")
        not_modified = mode == "ok" and conditional == etag
        self.server.log.append((self.path, conditional, 304 if not_modified else mode))
        try:
            if not_modified:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
            elif mode in ("ok", "oversized"):
                self.send_response(200)
                self.send_header("ETag", etag)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif mode == "error":
                self.send_error(500, "Internal Server Error")
            elif mode == "slow":
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.flush()
                self.server.stopping.wait(5)
            elif mode == "truncated":
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
            else:
                self.send_error(404, "Not Found")
        except OSError:
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, tuple[str, bytes]] = {}
        self.log: list[tuple[str, str | None, str | int]] = []
        self.stopping = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def serve(self, path: str, programme: Programme) -> None:
        self.routes[path] = ("ok", dumps_toml(programme).encode())

    def requests(self, path: str) -> list[tuple[str | None, str | int]]:
        """(If-None-Match, the mode served or 304) of each request for ``path``."""
        return [(conditional, answer) for p, conditional, answer in self.log if p == path]


@pytest.fixture
def server() -> Iterator[_Server]:
    httpd = _Server()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


# --------------------------------------------------------------------------- revisions


def test_revisions_over_http(server: _Server, tmp_path: pathlib.Path) -> None:
    server.serve("/programme.toml", SEED)
    output = tmp_path / "public" / "oewg.ics"
    config = write_config(
        tmp_path,
        [{"name": "OEWG", "output": "public/oewg.ics", "source": server.url("/programme.toml")}],
    )
    clock = Clock()

    first = refresh(config, now=clock)
    assert first.ok and first.feeds[0].written and clock.calls == 1
    events = vevents(output)
    assert len(events) == 10
    assert all(sequence(e) == 0 and status(e) == "CONFIRMED" for e in events.values())
    assert (tmp_path / "public" / ".oewg-cal-cache").is_dir()

    # Unchanged: the server answers 304, nothing is written, not even the mtime moves.
    before = output.read_bytes()
    mtime = output.stat().st_mtime_ns
    clock.advance(hours=1)
    second = refresh(config, now=clock)
    assert second.ok and not second.feeds[0].written and not second.changed_anything
    assert output.read_bytes() == before and output.stat().st_mtime_ns == mtime
    (first_get, second_get) = server.requests("/programme.toml")
    assert first_get == (None, "ok")
    assert second_get[0] is not None and second_get[1] == 304  # If-None-Match → 304
    assert "not modified" in second.feeds[0].notes[0]

    # A meeting re-timed: same UID, SEQUENCE 1, new DTSTART, new stamp; others untouched.
    tuesday = at(SEED, 7, 10)
    uid = uid_of(output, tuesday)
    revision = retimed(SEED, 7, 10, dt.time(11, 30))
    server.serve("/programme.toml", revision)
    clock.advance(hours=1)
    third = refresh(config, now=clock)
    report = third.feeds[0].report
    assert report is not None and [c.uid for c in report.changed] == [uid]
    assert [f.field for f in report.changed[0].fields] == ["time"]
    after = vevents(output)
    assert sequence(after[uid]) == 1
    assert after[uid].decoded("DTSTART").time() == dt.time(11, 30)
    assert after[uid].decoded("DTSTAMP") == clock.now
    for other, event in after.items():
        if other != uid:
            assert sequence(event) == 0
            assert event.decoded("DTSTAMP") == events[other].decoded("DTSTAMP")

    # A meeting added: a new UID, SEQUENCE 0.
    revision = replaced(revision, None, ADDED)
    server.serve("/programme.toml", revision)
    clock.advance(hours=1)
    fourth = refresh(config, now=clock)
    report = fourth.feeds[0].report
    assert report is not None and len(report.added) == 1 and not report.changed
    after = vevents(output)
    assert len(after) == 11
    (new_uid,) = set(after) - set(events)
    assert sequence(after[new_uid]) == 0
    assert "Briefing by the Chair" in str(after[new_uid]["SUMMARY"])

    # A meeting removed: still there, cancelled, SEQUENCE + 1, "Cancelled:" in front.
    friday = at(revision, 10, 10)
    friday_uid = uid_of(output, friday)
    revision = removed(revision, (10, 10))
    server.serve("/programme.toml", revision)
    clock.advance(hours=1)
    fifth = refresh(config, now=clock)
    report = fifth.feeds[0].report
    assert report is not None and [c.uid for c in report.cancelled] == [friday_uid]
    after = vevents(output)
    assert len(after) == 11
    assert status(after[friday_uid]) == "CANCELLED"
    assert sequence(after[friday_uid]) == 1
    assert str(after[friday_uid]["SUMMARY"]).startswith("Cancelled:")

    # A sub-item renamed: same UID, SEQUENCE + 1.
    wednesday_uid = uid_of(output, at(revision, 8, 10))
    revision = renamed_sub_item(revision, 8, 10, "Confidence-building measures (CBMs)")
    server.serve("/programme.toml", revision)
    clock.advance(hours=1)
    sixth = refresh(config, now=clock)
    report = sixth.feeds[0].report
    assert report is not None and [c.uid for c in report.changed] == [wednesday_uid]
    assert [f.field for f in report.changed[0].fields] == ["entries"]
    assert "(CBMs)" in report.changed[0].fields[0].new
    after = vevents(output)
    assert sequence(after[wednesday_uid]) == 1
    assert "(CBMs)" in str(after[wednesday_uid]["DESCRIPTION"])
    # The cancelled event was not touched again.
    assert sequence(after[friday_uid]) == 1 and status(after[friday_uid]) == "CANCELLED"

    # The feed reads back to the last revision plus the cancellation.
    feed = read_ics(output.read_bytes())
    assert feed.programmes == (revision,)
    assert [e.meeting for e in feed.cancelled] == [friday]


FAILURES = {
    "http-500": ("error", b""),
    "timeout": ("slow", b"x" * 100),
    "truncated": ("truncated", dumps_toml(SEED).encode()),
    "html-garbage": ("ok", b"<html><body><h1>Maintenance</h1><p>Back soon.</p></body></html>"),
    "not-a-programme": ("ok", b'title = "Minutes"\n[owner]\nname = "Someone"\n'),
    "oversized": ("oversized", b"10 a.m.\tAgenda item 5\n" * 20_000),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_failing_source_leaves_previous_feed(
    failure: str, server: _Server, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.serve("/a.toml", SEED)
    server.serve("/b.toml", SEED)
    config = write_config(
        tmp_path,
        [
            {"name": "Feed A", "output": "a.ics", "source": server.url("/a.toml")},
            {"name": "Feed B", "output": "b.ics", "source": server.url("/b.toml")},
        ],
        fetch={"read_timeout": 0.5, "connect_timeout": 2.0, "max_bytes": 200_000},
    )
    clock = Clock()
    assert cli(config, clock=clock) == 0
    capsys.readouterr()
    published = (tmp_path / "a.ics").read_bytes()

    server.routes["/a.toml"] = FAILURES[failure]
    server.serve("/b.toml", retimed(SEED, 7, 10, dt.time(11)))
    clock.advance(hours=2)
    assert cli(config, clock=clock) == 1
    out, err = capsys.readouterr()
    assert (tmp_path / "a.ics").read_bytes() == published
    assert "feed 'Feed A' failed" in err and "Feed B" not in err
    assert server.url("/a.toml") in err or "a.toml" in err
    assert "Feed B" in out and "changed" in out
    (changed,) = [e for e in vevents(tmp_path / "b.ics").values() if sequence(e) == 1]
    assert changed.decoded("DTSTART").time() == dt.time(11)


def test_previous_file_not_ours_is_left_alone(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_programme(tmp_path / "programme.toml", SEED)
    foreign = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//other//EN\r\nEND:VCALENDAR\r\n"
    (tmp_path / "theirs.ics").write_bytes(foreign)
    config = write_config(
        tmp_path,
        [
            {"name": "Theirs", "output": "theirs.ics", "source": source.name},
            {"name": "Ours", "output": "ours.ics", "source": source.name},
        ],
    )
    assert cli(config, clock=Clock()) == 1
    _, err = capsys.readouterr()
    assert "feed 'Theirs' failed" in err and "X-OEWG-PROGRAMME" in err
    assert (tmp_path / "theirs.ics").read_bytes() == foreign
    assert len(vevents(tmp_path / "ours.ics")) == 10


# --------------------------------------------------------------------------- fingerprint

NOTHING_TO_DO = "as at the last run: nothing to do"


def _skipped(result: Any) -> bool:
    return any(NOTHING_TO_DO in note for note in result.feeds[0].notes)


@pytest.fixture
def refreshed(tmp_path: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path, Clock]:
    """A feed refreshed once from the seed: (config, source, clock)."""
    source = write_programme(tmp_path / "programme.toml", SEED)
    config = write_config(tmp_path, [{"name": "OEWG", "output": "oewg.ics", "source": source.name}])
    clock = Clock()
    assert refresh(config, now=clock).ok
    return config, source, clock


def test_an_unchanged_run_stops_at_the_fingerprint(
    refreshed: tuple[pathlib.Path, pathlib.Path, Clock],
) -> None:
    config, _source, clock = refreshed
    output = config.parent / "oewg.ics"
    state = config.parent / ".oewg.ics.state.json"
    before = (output.stat().st_mtime_ns, state.read_bytes())
    clock.advance(days=30)
    result = refresh(config, now=clock)
    feed = result.feeds[0]
    assert result.ok and _skipped(result) and not feed.written and not result.changed_anything
    assert feed.report is not None and feed.report.unchanged == feed.report.previous_live == 10
    assert feed.size == output.stat().st_size
    assert (output.stat().st_mtime_ns, state.read_bytes()) == before
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert saved["feed"] == hashlib.sha256(output.read_bytes()).hexdigest()
    assert saved["until"] is None and saved["live"] == 10


def test_a_changed_source_is_not_skipped(
    refreshed: tuple[pathlib.Path, pathlib.Path, Clock],
) -> None:
    config, source, clock = refreshed
    output = config.parent / "oewg.ics"
    uid = uid_of(output, at(SEED, 8, 15))
    write_programme(source, retimed(SEED, 8, 15, dt.time(15, 30)))
    result = refresh(config, now=clock)
    assert not _skipped(result) and result.feeds[0].written
    event = vevents(output)[uid]
    assert sequence(event) == 1
    assert event.decoded("DTSTART") == dt.datetime(2023, 3, 8, 15, 30, tzinfo=NEW_YORK)
    assert _skipped(refresh(config, now=clock))


def test_changed_settings_are_not_skipped(
    refreshed: tuple[pathlib.Path, pathlib.Path, Clock],
) -> None:
    config, source, clock = refreshed
    write_config(
        config.parent,
        [{"name": "OEWG", "output": "oewg.ics", "source": source.name, "color": "steelblue"}],
    )
    result = refresh(config, now=clock)
    assert not _skipped(result) and result.feeds[0].written
    calendar = icalendar.Calendar.from_ical((config.parent / "oewg.ics").read_bytes())
    assert str(calendar["COLOR"]) == "steelblue"


@pytest.mark.parametrize("damage", ["edited feed", "deleted feed", "broken state", "old format"])
def test_a_feed_or_state_touched_by_hand_is_not_skipped(
    damage: str, refreshed: tuple[pathlib.Path, pathlib.Path, Clock]
) -> None:
    config, _source, clock = refreshed
    output = config.parent / "oewg.ics"
    state = config.parent / ".oewg.ics.state.json"
    published = output.read_bytes()
    if damage == "edited feed":
        edited = published.replace(b"BEGIN:VCALENDAR\r\n", b"BEGIN:VCALENDAR\r\nX-EDITED:1\r\n")
        assert edited != published
        output.write_bytes(edited)
    elif damage == "deleted feed":
        output.unlink()
    elif damage == "broken state":
        state.write_bytes(state.read_bytes()[:20])
    else:
        state.write_text(json.dumps({**json.loads(state.read_bytes()), "format": 0}))
    result = refresh(config, now=clock)
    assert result.ok and not _skipped(result)
    assert output.read_bytes() == published
    assert _skipped(refresh(config, now=clock))


def test_another_version_is_not_skipped(
    refreshed: tuple[pathlib.Path, pathlib.Path, Clock], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, _source, clock = refreshed
    import oewg_cal

    monkeypatch.setattr(oewg_cal, "__version__", "99.0")
    assert not _skipped(refresh(config, now=clock))


def test_with_a_state_dir_only_the_feed_sits_beside_the_output(tmp_path: pathlib.Path) -> None:
    source = write_programme(tmp_path / "programme.toml", SEED)
    (tmp_path / "public").mkdir()
    config = write_config(
        tmp_path,
        [{"name": "OEWG", "output": "public/oewg.ics", "source": source.name}],
        state_dir="state",
    )
    clock = Clock()
    assert refresh(config, now=clock).ok
    assert sorted(p.name for p in (tmp_path / "public").iterdir()) == ["oewg.ics"]
    (state,) = (tmp_path / "state").glob("oewg.ics.*.state.json")
    assert json.loads(state.read_text(encoding="utf-8"))["live"] == 10
    assert _skipped(refresh(config, now=clock))


def test_force_does_the_whole_run(refreshed: tuple[pathlib.Path, pathlib.Path, Clock]) -> None:
    config, _source, clock = refreshed
    assert not _skipped(refresh(config, now=clock, force=True))


def test_the_fingerprint_lasts_until_a_cancelled_event_is_due_to_go(
    refreshed: tuple[pathlib.Path, pathlib.Path, Clock],
) -> None:
    config, source, clock = refreshed
    write_programme(source, removed(SEED, (10, 10)))
    assert refresh(config, now=clock).feeds[0].report.cancelled  # type: ignore[union-attr]
    saved = json.loads((config.parent / ".oewg.ics.state.json").read_text(encoding="utf-8"))
    assert saved["until"] == int(SESSION_END.timestamp())  # end of 10 March in New York
    clock.now = SESSION_END
    assert _skipped(refresh(config, now=clock))
    clock.advance(seconds=1)
    result = refresh(config, now=clock)
    assert not _skipped(result) and len(result.feeds[0].report.dropped) == 1  # type: ignore[union-attr]


# --------------------------------------------------------------------------- retention


@pytest.mark.parametrize("retention_days", [0, 2])
def test_cancelled_events_are_dropped_after_the_session(
    retention_days: int, tmp_path: pathlib.Path
) -> None:
    source = write_programme(tmp_path / "programme.toml", SEED)
    config = write_config(
        tmp_path,
        [
            {
                "name": "OEWG",
                "output": "oewg.ics",
                "source": source.name,
                "retention_days": retention_days,
            }
        ],
    )
    output = tmp_path / "oewg.ics"
    clock = Clock()
    refresh(config, now=clock)
    gone = at(SEED, 10, 10)
    uid = uid_of(output, gone)
    write_programme(source, removed(SEED, (10, 10)))
    clock.now = dt.datetime(2023, 3, 8, 12, tzinfo=UTC)
    refresh(config, now=clock)
    assert status(vevents(output)[uid]) == "CANCELLED"

    # Still there at the very end of the retention time (counted in the venue's days,
    # across the change to daylight-saving time on 12 March), byte for byte.
    published = output.read_bytes()
    last_day_over = dt.date(2023, 3, 11) + dt.timedelta(days=retention_days)
    clock.now = dt.datetime.combine(last_day_over, dt.time(0), tzinfo=NEW_YORK).astimezone(UTC)
    result = refresh(config, now=clock)
    assert not result.changed_anything and output.read_bytes() == published

    clock.advance(seconds=1)
    result = refresh(config, now=clock)
    report = result.feeds[0].report
    assert report is not None and [c.uid for c in report.dropped] == [uid]
    assert report.lost == 0  # it was no longer live
    events = vevents(output)
    assert uid not in events and len(events) == 9
    assert all(status(e) == "CONFIRMED" for e in events.values())


def test_a_dropped_uid_is_never_given_again(tmp_path: pathlib.Path) -> None:
    source = write_programme(tmp_path / "programme.toml", SEED)
    config = write_config(tmp_path, [{"name": "OEWG", "output": "oewg.ics", "source": source.name}])
    output = tmp_path / "oewg.ics"
    clock = Clock()
    refresh(config, now=clock)
    friday = at(SEED, 10, 10)
    uid = uid_of(output, friday)
    write_programme(source, removed(SEED, (10, 10)))
    refresh(config, now=clock)
    clock.now = SESSION_END + dt.timedelta(days=1)
    refresh(config, now=clock)
    assert uid not in vevents(output)
    ledger = json.loads((tmp_path / ".oewg.ics.retired.json").read_text(encoding="utf-8"))
    assert ledger["retired"] == {uid: 1}

    # The meeting comes back: a new UID, since clients saw the old one at SEQUENCE 1.
    write_programme(source, SEED)
    refresh(config, now=clock)
    back = uid_of(output, friday)
    assert back != uid and back == uid.replace("@", "-r2@")
    assert sequence(vevents(output)[back]) == 0


def test_plan_avoids_retired_uids() -> None:
    first = feed_of(SEED)
    retired = {e.uid for e in first.events if e.meeting.date.day == 6}
    feed, report = plan(None, [SEED], FeedOptions(), T0, retired=retired)
    assert len(report.added) == 10
    uids = {e.uid for e in feed.events}
    assert not uids & retired and len(uids) == 10
    assert {e.uid for e in feed.events if e.meeting.date.day != 6} == {
        e.uid for e in first.events if e.meeting.date.day != 6
    }


# --------------------------------------------------------------------------- max_loss


def test_max_loss_refuses_unless_forced(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_programme(tmp_path / "programme.toml", SEED)
    config = write_config(tmp_path, [{"name": "OEWG", "output": "oewg.ics", "source": source.name}])
    output = tmp_path / "oewg.ics"
    clock = Clock()
    assert cli(config, clock=clock) == 0
    published = output.read_bytes()
    capsys.readouterr()

    six = [(6, 15), (7, 10), (7, 15), (8, 10), (8, 15), (10, 10)]
    write_programme(source, removed(SEED, *six))
    clock.advance(hours=1)
    assert cli(config, clock=clock) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "feed 'OEWG' failed" in err and "6 of its 10 live events" in err and "--force" in err
    assert output.read_bytes() == published

    assert cli(config, "--force", clock=clock) == 0
    out, _ = capsys.readouterr()
    assert "6 cancelled" in out
    statuses = [status(e) for e in vevents(output).values()]
    assert statuses.count("CANCELLED") == 6 and statuses.count("CONFIRMED") == 4


def test_max_loss_allows_the_limit_itself(tmp_path: pathlib.Path) -> None:
    source = write_programme(tmp_path / "programme.toml", SEED)
    config = write_config(tmp_path, [{"name": "OEWG", "output": "oewg.ics", "source": source.name}])
    clock = Clock()
    refresh(config, now=clock)
    write_programme(source, removed(SEED, (6, 15), (7, 10), (7, 15), (8, 10), (8, 15)))
    result = refresh(config, now=clock)
    assert result.ok
    report = result.feeds[0].report
    assert report is not None and (report.lost, report.previous_live) == (5, 10)


# --------------------------------------------------------------------------- crash and race

_KILL_AT_RENAME = """
import datetime as dt, os, pathlib, signal, sys
from oewg_cal.refresh import refresh

target = pathlib.Path(sys.argv[2]).resolve()
real_replace = os.replace

def replace(src, dst, *args, **kwargs):
    if pathlib.Path(dst).resolve() == target:
        assert pathlib.Path(src).read_bytes()  # the new feed is complete in the temporary
        os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(src, dst, *args, **kwargs)

os.replace = replace
refresh(sys.argv[1], now=lambda: dt.datetime(2023, 3, 5, 13, tzinfo=dt.timezone.utc))
"""


def test_killed_between_temporary_and_rename(tmp_path: pathlib.Path) -> None:
    source = write_programme(tmp_path / "programme.toml", SEED)
    config = write_config(tmp_path, [{"name": "OEWG", "output": "oewg.ics", "source": source.name}])
    output = tmp_path / "oewg.ics"
    refresh(config, now=Clock())
    published = output.read_bytes()
    write_programme(source, retimed(SEED, 7, 10, dt.time(11)))

    child = subprocess.run(
        [sys.executable, "-c", _KILL_AT_RENAME, str(config), str(output)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert output.read_bytes() == published
    read_ics(output.read_bytes())
    (leftover,) = tmp_path.glob(".oewg.ics.tmp-*")

    # The kernel released the lock; a later run publishes and clears the stale temporary.
    old = time.time() - 2 * 3600
    os.utime(leftover, (old, old))
    result = refresh(config, now=Clock(T0 + dt.timedelta(hours=2)))
    assert result.ok and result.feeds[0].written
    assert not leftover.exists()
    assert sorted(sequence(e) for e in vevents(output).values()) == [0] * 9 + [1]


def test_two_refreshes_at_once_give_one_consistent_feed(tmp_path: pathlib.Path) -> None:
    source = write_programme(tmp_path / "programme.toml", SEED)
    config = write_config(tmp_path, [{"name": "OEWG", "output": "oewg.ics", "source": source.name}])
    output = tmp_path / "oewg.ics"
    refresh(config, now=Clock())
    revision = replaced(retimed(SEED, 7, 10, dt.time(11)), None, ADDED)
    write_programme(source, revision)

    command = [sys.executable, "-m", "oewg_cal", "refresh", str(config), "--json"]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outcomes = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outcomes
    written = [json.loads(out)["feeds"][0]["written"] for out, _ in outcomes]
    assert sorted(written) == [False, True]

    events = vevents(output)  # asserts the UIDs are unique
    assert len(events) == 11
    assert sorted(sequence(e) for e in events.values()) == [0] * 10 + [1]
    feed = read_ics(output.read_bytes())
    assert feed.programmes == (revision,) and not feed.cancelled


# --------------------------------------------------------------------------- hypothesis

OPS = ("retime", "add", "remove", "rename", "room", "restore")
ROOMS = (None, "Conference Room 1", "Conference Room 2")


@attrs.define
class _Model:
    """The test's idea of the programme: meetings with identities that survive revisions."""

    live: dict[int, Meeting]
    removed: dict[int, Meeting] = attrs.field(factory=dict)
    next_ident: int = 100

    def programme(self) -> Programme:
        return attrs.evolve(SEED, meetings=list(self.live.values()))

    def apply(self, op: str, a: int, b: int) -> None:
        """Apply one change, if the programme it gives is valid."""
        live = dict(self.live)
        removed = dict(self.removed)
        if op == "add":
            start = (dt.time(8), dt.time(13, 15), dt.time(18, 30), dt.time(20))[b % 4]
            live[self.next_ident] = Meeting(
                date=dt.date(2023, 3, 6 + a % 5),
                start=start,
                end=dt.time(start.hour + 1, start.minute),
                entries=(
                    AgendaEntry(item=self.next_ident % 900 + 7, title=f"added {self.next_ident}"),
                ),
                room=ROOMS[(b // 4) % len(ROOMS)],
            )
            self.next_ident += 1
        elif op == "restore":
            if not removed:
                return
            back = sorted(removed)[a % len(removed)]
            live[back] = removed.pop(back)
        else:
            idents = sorted(live)
            if not idents:
                return
            ident = idents[a % len(idents)]
            meeting = live[ident]
            if op == "retime":
                delta = dt.timedelta(minutes=(-60, -30, 30, 60)[b % 4])
                begin = dt.datetime.combine(meeting.date, meeting.start) + delta
                finish = dt.datetime.combine(meeting.date, meeting.end) + delta
                if begin.date() != meeting.date or finish.date() != meeting.date:
                    return
                live[ident] = attrs.evolve(meeting, start=begin.time(), end=finish.time())
            elif op == "remove":
                removed[ident] = live.pop(ident)
            elif op == "rename":
                entries = [
                    attrs.evolve(e, sub_item=attrs.evolve(e.sub_item, text=f"renamed {ident}.{b}"))
                    if e.sub_item is not None
                    else e
                    for e in meeting.entries
                ]
                live[ident] = attrs.evolve(meeting, entries=entries)
            elif op == "room":
                live[ident] = attrs.evolve(meeting, room=ROOMS[b % len(ROOMS)])
        try:
            attrs.evolve(SEED, meetings=list(live.values()))
        except OewgCalError:
            return
        self.live, self.removed = live, removed


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(OPS),
            st.integers(0, 60),
            st.integers(0, 60),
            st.integers(1, 72),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_random_revisions_keep_uids_and_sequences(
    steps: list[tuple[str, int, int, int]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    directory = tmp_path_factory.mktemp("revisions")
    source = directory / "programme.toml"
    output = directory / "feed.ics"
    config = write_config(
        directory,
        [{"name": "OEWG", "output": "feed.ics", "source": "programme.toml"}],
        max_loss=1,
    )
    # A twin that never remembers its last run: the fingerprint must change nothing.
    twin = directory / "twin"
    twin.mkdir()
    twin_config = write_config(
        twin,
        [{"name": "OEWG", "output": "feed.ics", "source": "../programme.toml"}],
        max_loss=1,
    )
    model = _Model(live=dict(enumerate(SEED.meetings)))
    clock = Clock()
    uids: dict[int, str] = {}
    sequences: dict[str, int] = {}
    published: dict[int, Meeting] = {}

    for number, step in enumerate([None, *steps]):
        if step is not None:
            op, a, b, hours = step
            model.apply(op, a, b)
            clock.advance(hours=hours)
        write_programme(source, model.programme())
        before = output.read_bytes() if output.exists() else None
        result = refresh(config, now=clock)
        assert result.ok, result.feeds[0].error
        data = output.read_bytes()
        (twin / ".feed.ics.state.json").unlink(missing_ok=True)
        assert refresh(twin_config, now=clock).ok
        assert (twin / "feed.ics").read_bytes() == data
        icalendar.Calendar.from_ical(data)
        feed = read_ics(data)
        by_uid = {e.uid: e for e in feed.events}
        live_uid = {e.meeting: e.uid for e in feed.live}
        assert len(by_uid) == len(feed.events)
        if not result.changed_anything:
            assert data == before

        past_retention = clock.now > SESSION_END
        for ident, meeting in model.live.items():
            uid = live_uid[meeting]
            if ident in uids and uids[ident] in by_uid and number:
                assert uid == uids[ident], (ident, meeting)
            uids[ident] = uid
            published[ident] = meeting
        for ident in model.removed:
            uid = uids[ident]
            if past_retention:
                assert uid not in by_uid
            else:
                assert by_uid[uid].cancelled
                assert by_uid[uid].meeting == published[ident]
        for uid, event in by_uid.items():
            assert event.sequence >= sequences.get(uid, 0)
            sequences[uid] = event.sequence
        if past_retention:
            assert not feed.cancelled

    assert feed.programmes == (model.programme(),)
    expected_cancelled = set() if clock.now > SESSION_END else {published[i] for i in model.removed}
    assert {e.meeting for e in feed.cancelled} == expected_cancelled


# --------------------------------------------------------------------------- plan (pure)


def _published(programme: Programme = SEED) -> Feed:
    return read_ics(write_ics(feed_of(programme)))


def _uids(feed: Feed) -> dict[Meeting, str]:
    return {e.meeting: e.uid for e in feed.live}


def test_plan_first_publication_is_feed_of() -> None:
    feed, report = plan(None, [SEED], FeedOptions(), T0)
    assert feed == feed_of(SEED)
    assert len(report.added) == 10 and report.changed_anything


def test_plan_unchanged_keeps_everything() -> None:
    previous = _published()
    feed, report = plan(previous, [SEED], FeedOptions(), T0)
    assert not report.changed_anything and report.unchanged == 10
    assert write_ics(feed) == write_ics(previous)
    assert report.to_text() == "no change"


def test_plan_room_change_keeps_uid() -> None:
    previous = _published()
    old = at(SEED, 8, 10)
    revision = replaced(SEED, old, attrs.evolve(old, room="Conference Room 4"))
    _, report = plan(previous, [revision], FeedOptions(), T0)
    (change,) = report.changed
    assert change.uid == _uids(previous)[old]
    assert [(f.field, f.old, f.new) for f in change.fields] == [
        ("room", "(none)", "Conference Room 4")
    ]


def test_plan_same_room_and_rank_keeps_uid_when_everything_else_changed() -> None:
    previous = _published()
    old = at(SEED, 8, 15)
    new = attrs.evolve(
        old,
        start=dt.time(16),
        entries=(AgendaEntry(item=6, title="other matters"),),
    )
    _, report = plan(previous, [replaced(SEED, old, new)], FeedOptions(), T0)
    (change,) = report.changed
    assert change.uid == _uids(previous)[old]
    assert {f.field for f in change.fields} == {"time", "entries"}
    assert not report.cancelled and not report.added


def test_plan_revives_a_cancelled_meeting() -> None:
    gone = at(SEED, 10, 10)
    first, _ = plan(_published(), [removed(SEED, (10, 10))], FeedOptions(), T0)
    (cancelled,) = first.cancelled
    assert cancelled.sequence == 1 and cancelled.meeting == gone
    later = T0 + dt.timedelta(hours=3)
    again, report = plan(first, [SEED], FeedOptions(), later)
    (revived,) = report.changed
    assert revived.uid == cancelled.uid and revived.sequence == 2
    assert revived.fields[0].field == "status"
    event = {e.uid: e for e in again.events}[cancelled.uid]
    assert not event.cancelled and event.stamp == later and not again.cancelled


def test_plan_cancelled_events_stay_byte_for_byte() -> None:
    first, _ = plan(_published(), [removed(SEED, (10, 10))], FeedOptions(), T0)
    second, report = plan(
        first, [removed(SEED, (10, 10))], FeedOptions(), T0 + dt.timedelta(days=1)
    )
    assert not report.changed_anything
    assert write_ics(second) == write_ics(first)


def test_plan_new_meeting_never_takes_a_cancelled_uid() -> None:
    gone = at(SEED, 10, 10)
    first, _ = plan(_published(), [removed(SEED, (10, 10))], FeedOptions(), T0)
    (cancelled,) = first.cancelled
    newcomer = Meeting(
        date=gone.date,
        start=dt.time(9),
        end=dt.time(9, 45),
        entries=(AgendaEntry(item=7, title="a new item"),),
    )
    revision = replaced(removed(SEED, (10, 10)), None, newcomer)
    feed, report = plan(first, [revision], FeedOptions(), T0)
    (added,) = report.added
    assert added.uid != cancelled.uid
    assert added.uid == cancelled.uid.replace("@", "-r2@")
    assert len({e.uid for e in feed.events}) == len(feed.events) == 11


def test_plan_programme_gone_from_sources_stays_while_cancelled() -> None:
    other = attrs.evolve(SEED, session="Fifth substantive session")
    previous = read_ics(write_ics(feed_of([SEED, other])))
    feed, report = plan(previous, [SEED], FeedOptions(), T0)
    assert len(report.cancelled) == 10 and report.lost == 10 and report.previous_live == 20
    assert [p.session for p in feed.programmes] == [SEED.session, other.session]
    assert feed.programmes[1].meetings == ()
    back = read_ics(write_ics(feed))
    assert back.programmes == feed.programmes and set(back.events) == set(feed.events)
    later, report = plan(feed, [SEED], FeedOptions(), SESSION_END + dt.timedelta(seconds=1))
    assert len(report.dropped) == 10 and later.programmes == (SEED,)


def test_plan_programme_details_change_the_events_they_show_in() -> None:
    previous = _published()
    revision = attrs.evolve(SEED, venue="United Nations Office at Geneva")
    _, report = plan(previous, [revision], FeedOptions(), T0)
    assert len(report.changed) == 10
    assert report.changed[0].fields[0].field == "details"
    assert "Geneva" in report.changed[0].fields[0].new
    assert any("venue" in note for note in report.calendar)
    notes_only = attrs.evolve(SEED, notes=("A new note.",))
    _, report = plan(previous, [notes_only], FeedOptions(), T0)
    assert not report.changed and report.unchanged == 10 and report.calendar


def test_plan_merges_several_programmes() -> None:
    other = attrs.evolve(SEED, session="Fifth substantive session")
    feed, _ = plan(None, [SEED, other], FeedOptions(name="Both"), T0)
    again, report = plan(read_ics(write_ics(feed)), [SEED, other], FeedOptions(name="Both"), T0)
    assert not report.changed_anything and len(again.live) == 20
    with pytest.raises(InvalidField, match="twice"):
        plan(None, [SEED, SEED], FeedOptions(), T0)


@pytest.mark.parametrize(
    "now",
    [
        dt.datetime(2023, 3, 5, 12, 0, 0, 5, tzinfo=UTC),
        dt.datetime(2023, 3, 5, 12),
        dt.datetime(2023, 3, 5, 12, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    ],
)
def test_plan_needs_whole_seconds_utc(now: dt.datetime) -> None:
    with pytest.raises(ValueError, match="whole seconds"):
        plan(None, [SEED], FeedOptions(), now)


def test_report_as_text_and_dict() -> None:
    revision = retimed(removed(SEED, (10, 10)), 7, 10, dt.time(11))
    _, report = plan(_published(), [revision], FeedOptions(), T0)
    text = report.to_text()
    assert "changed: meeting of 2023-03-07 11:00–13:00" in text
    assert "time: 2023-03-07 10:00–13:00 → 2023-03-07 11:00–13:00" in text
    assert "cancelled: meeting of 2023-03-10 10:00–13:00: Cancelled: " in text
    data = json.loads(json.dumps(report.to_dict()))
    assert data["changed"][0]["fields"] == [
        {"field": "time", "old": "2023-03-07 10:00–13:00", "new": "2023-03-07 11:00–13:00"}
    ]
    assert data["lost"] == 1 and data["changed_anything"] is True


# --------------------------------------------------------------------------- filters


def test_filter_items_and_formal_only() -> None:
    kept = filter_programme(SEED, items=[SeriesKey(item=5, sub_item="g")], formal_only=True)
    assert [(m.date.day, m.start.hour) for m in kept.meetings] == [(9, 10)]
    (entry,) = kept.meetings[0].entries
    # the first meeting of item 5 here, marked as the document marks it: the series
    # began before the filtered programme
    assert entry.continued
    assert kept.begun_earlier == (SeriesKey(item=5),)

    kept = filter_programme(SEED, items=[SeriesKey(item=5, sub_item="a"), SeriesKey(item=6)])
    assert [(m.date.day, m.start.hour) for m in kept.meetings] == [(6, 15), (7, 10), (10, 15)]
    assert [e.reference for m in kept.meetings for e in m.entries] == ["5(a)", "5(a)", "6"]
    original = at(SEED, 7, 10).entries[0].sub_item
    assert original is not None
    assert kept.meetings[1].entries[0].sub_item == SubItem(
        letter="a", text=original.text, continued=True
    )

    informal = [m for m in SEED.meetings if not m.formal]
    assert len(filter_programme(SEED, formal_only=True).meetings) == 10 - len(informal)
    assert filter_programme(SEED) is SEED


def test_config_filters_reach_the_feed(tmp_path: pathlib.Path) -> None:
    source = write_programme(tmp_path / "programme.toml", SEED)
    config = write_config(
        tmp_path,
        [
            {
                "name": "Law and capacity",
                "output": "law.ics",
                "source": source.name,
                "items": ["5(e)", "5(g)"],
                "formal_only": True,
                "alarms": [15],
                "categories": ["OEWG"],
                "color": "steelblue",
                "url": "https://mission.example.org/law.ics",
            }
        ],
    )
    assert refresh(config, now=Clock()).ok
    calendar = icalendar.Calendar.from_ical((tmp_path / "law.ics").read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "Law and capacity"
    assert str(calendar["COLOR"]) == "steelblue"
    assert str(calendar["SOURCE"]) == "https://mission.example.org/law.ics"
    events = [e for e in calendar.walk("VEVENT") if isinstance(e, icalendar.Event)]
    assert [e.decoded("DTSTART").day for e in events] == [7, 9]
    assert all(len(e.walk("VALARM")) == 1 for e in events)
    assert all("OEWG" in e.categories for e in events)


def test_several_sources_are_merged(tmp_path: pathlib.Path) -> None:
    other = attrs.evolve(SEED, session="Fifth substantive session")
    write_programme(tmp_path / "fourth.toml", SEED)
    write_programme(tmp_path / "fifth.toml", other)
    config = write_config(
        tmp_path,
        [{"name": "Both", "output": "both.ics", "sources": ["fourth.toml", "fifth.toml"]}],
    )
    assert refresh(config, now=Clock()).ok
    feed = read_ics((tmp_path / "both.ics").read_bytes())
    assert set(feed.programmes) == {SEED, other} and len(vevents(tmp_path / "both.ics")) == 20

    write_programme(tmp_path / "fifth.toml", SEED)
    result = refresh(config, now=Clock())
    assert not result.ok and "same programme" in (result.feeds[0].error or "")


def test_oversized_feed_is_published_with_a_warning(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = attrs.evolve(SEED, notes=(("A long note. " * 80_000).strip(),))
    source = write_programme(tmp_path / "programme.toml", big)
    config = write_config(tmp_path, [{"name": "Big", "output": "big.ics", "source": source.name}])
    assert cli(config, clock=Clock()) == 0
    _, err = capsys.readouterr()
    assert (tmp_path / "big.ics").stat().st_size > SIZE_WARNING_BYTES
    assert "warning: feed 'Big'" in err and "Google" in err


# --------------------------------------------------------------------------- configuration


def test_config_paths_and_defaults(tmp_path: pathlib.Path) -> None:
    path = write_config(
        tmp_path,
        [
            {
                "name": "A",
                "output": "out/a.ics",
                "sources": ["p.toml", "https://example.org/p.toml"],
                "items": [5, "5(a)", "6"],
            }
        ],
        state_dir="state",
    )
    config = load_config(path)
    (feed,) = config.feeds
    assert feed.output == tmp_path / "out" / "a.ics"
    assert feed.sources == (str(tmp_path / "p.toml"), "https://example.org/p.toml")
    assert feed.items == frozenset(
        {SeriesKey(item=5), SeriesKey(item=5, sub_item="a"), SeriesKey(item=6)}
    )
    assert config.max_loss == 0.5 and feed.retention_days == 0 and feed.line == 3
    assert config.cache_dir_for(feed) == tmp_path / "state" / "cache"
    assert config.lock_for(feed).parent == tmp_path / "state"


BAD_CONFIGS = [
    ('max_los = 0.5\n[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\n', 1, "max_los"),
    ('[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\ncolour = "red"\n', 5, "colour"),
    ('[[feed]]\nname = "A"\nsource = "p.toml"\n', 1, "missing output"),
    (
        '[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\n\n'
        '[[feed]]\nname = "B"\noutput = "b.ics"\nsource = "p.toml"\nalarms = "15"\n',
        10,
        "alarms must be a list",
    ),
    (
        '[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\nformal_only = "yes"\n',
        5,
        "true or false",
    ),
    ('[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "ftp://x/p"\n', 4, "http(s) URL"),
    ('[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\nitems = ["5a"]\n', 5, "'5a'"),
    ('[[feed]]\nname = "A"\noutput = "a.ics"\n', 1, "no source"),
    ('[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\nitems = []\n', 5, "not []"),
    ('[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\nformat = "docx"\n', 5, "format"),
    ('max_loss = 2\n[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\n', 1, "0 to 1"),
    (
        '[fetch]\ntimeout = 3\n[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\n',
        2,
        "timeout",
    ),
    (
        '[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\nretention_days = -1\n',
        5,
        "retention",
    ),
    ('[[feed]]\nname = "A"\noutput = "a.ics\nsource = "p.toml"\n', 3, "not valid TOML"),
    ('state_dir = "s"\n', None, "no [[feed]]"),
    (
        '[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\n'
        '[[feed]]\nname = "B"\noutput = "a.ics"\nsource = "p.toml"\n',
        7,
        "also the output",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD_CONFIGS)
def test_config_errors_name_file_line_and_expectation(
    text: str, line: int | None, message: str, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    error = caught.value
    assert error.source == str(path)
    assert error.line == line
    assert message in str(error)
    assert str(error).startswith(f"{path}:{line}:" if line else f"{path}:")


def test_example_config_refreshes(tmp_path: pathlib.Path) -> None:
    for name in ("refresh.toml", "oewg-ict-4th-session.toml"):
        (tmp_path / name).write_bytes((EXAMPLES / name).read_bytes())
    result = refresh(tmp_path / "refresh.toml", now=Clock())
    assert result.ok, [f.error for f in result.feeds]
    assert [len(vevents(f.output)) for f in result.feeds] == [10, 2]


# --------------------------------------------------------------------------- command line


@pytest.fixture
def one_feed(tmp_path: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path]:
    source = write_programme(tmp_path / "programme.toml", SEED)
    config = write_config(tmp_path, [{"name": "OEWG", "output": "oewg.ics", "source": source.name}])
    return config, source


def test_cli_is_quiet_when_nothing_changed(one_feed: tuple[pathlib.Path, pathlib.Path]) -> None:
    config, source = one_feed
    first = run_module("refresh", str(config))
    assert first.returncode == 0 and first.stderr == ""
    assert "OEWG" in first.stdout and "10 added" in first.stdout

    again = run_module("refresh", str(config))
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")

    verbose = run_module("refresh", str(config), "--verbose")
    assert verbose.returncode == 0 and "OEWG" in verbose.stdout and "unchanged" in verbose.stdout

    as_json = run_module("refresh", str(config), "--json")
    data = json.loads(as_json.stdout)
    assert as_json.returncode == 0 and data["ok"] and not data["changed_anything"]
    assert data["feeds"][0]["report"]["unchanged"] == 10

    write_programme(source, retimed(SEED, 8, 15, dt.time(15, 30)))
    changed = run_module("refresh", str(config), "--json")
    data = json.loads(changed.stdout)
    (change,) = data["feeds"][0]["report"]["changed"]
    assert change["fields"] == [
        {"field": "time", "old": "2023-03-08 15:00–18:00", "new": "2023-03-08 15:30–18:00"}
    ]


def test_cli_reports_changes_on_stdout(one_feed: tuple[pathlib.Path, pathlib.Path]) -> None:
    config, source = one_feed
    assert run_module("refresh", str(config)).returncode == 0
    write_programme(source, retimed(SEED, 8, 15, dt.time(15, 30)))
    result = run_module("refresh", str(config))
    assert result.returncode == 0 and result.stderr == ""
    assert "1 changed" in result.stdout
    assert "time: 2023-03-08 15:00–18:00 → 2023-03-08 15:30–18:00" in result.stdout


def test_cli_exit_codes(
    one_feed: tuple[pathlib.Path, pathlib.Path], tmp_path: pathlib.Path
) -> None:
    config, source = one_feed
    missing = run_module("refresh", str(tmp_path / "nowhere.toml"))
    assert missing.returncode == 2 and "nowhere.toml" in missing.stderr

    bad = tmp_path / "bad.toml"
    bad.write_text('[[feed]]\nname = "A"\noutput = 5\nsource = "p.toml"\n', encoding="utf-8")
    result = run_module("refresh", str(bad))
    assert result.returncode == 2 and f"{bad}:3:" in result.stderr and result.stdout == ""

    usage = run_module("refresh")
    assert usage.returncode == 2 and "CONFIG.toml" in usage.stderr

    source.write_text("not a programme at all", encoding="utf-8")
    failed = run_module("refresh", str(config))
    assert failed.returncode == 1 and "feed 'OEWG' failed" in failed.stderr


README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def _readme_cron_command() -> str:
    """The command of the README's crontab line, as written."""
    block = README.read_text(encoding="utf-8").split("```crontab\n", 1)[1].split("```", 1)[0]
    (line,) = [x for x in block.splitlines() if x.strip() and not x.startswith("#")]
    return line.split(None, 5)[5]


def test_the_systemd_unit_runs_the_same_command() -> None:
    text = README.read_text(encoding="utf-8")
    (exec_start,) = [x for x in text.splitlines() if x.startswith("ExecStart=")]
    assert exec_start.removeprefix("ExecStart=") == _readme_cron_command()
    assert "OnCalendar=*:0/30" in text


def test_the_crontab_command(one_feed: tuple[pathlib.Path, pathlib.Path]) -> None:
    config, _ = one_feed
    bindir = pathlib.Path(sys.executable).parent
    assert (bindir / "oewg-cal").exists(), "the oewg-cal console script is not installed"
    command = _readme_cron_command().replace("/etc/oewg-cal/feeds.toml", shlex.quote(str(config)))
    environment = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    first = subprocess.run(
        command, shell=True, env=environment, capture_output=True, text=True, timeout=120
    )
    assert first.returncode == 0, first.stderr
    assert len(vevents(config.parent / "oewg.ics")) == 10
    second = subprocess.run(
        command, shell=True, env=environment, capture_output=True, text=True, timeout=120
    )
    assert (second.returncode, second.stdout, second.stderr) == (0, "", "")


def test_refresh_result_as_dict(one_feed: tuple[pathlib.Path, pathlib.Path]) -> None:
    config, _ = one_feed
    result = refresh(config, now=Clock())
    data: dict[str, Any] = json.loads(json.dumps(result.to_dict()))
    assert data["now"] == "2023-03-05T12:00:00Z" and data["ok"]
    assert data["feeds"][0]["written"] and len(data["feeds"][0]["report"]["added"]) == 10
