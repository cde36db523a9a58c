"""Refresh runs: revisions, failing sources, retention, max_loss, crash and race safety.

Sources are files or a real HTTP server on 127.0.0.1; the clock is injected.  Feeds are
checked by parsing them with icalendar, not only with our own reader.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pathlib
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import attrs
import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oewg_cal.errors import OewgCalError
from oewg_cal.ical.decode import read_ics
from oewg_cal.ical.lint import MAX_FEED_BYTES as SIZE_WARNING_BYTES
from oewg_cal.model import AgendaEntry, Meeting, Programme
from oewg_cal.readers.programme_file import dumps_toml
from oewg_cal.refresh.run import refresh
from refreshing import (
    ADDED,
    EXAMPLES,
    NEW_YORK,
    SEED,
    SESSION_END,
    T0,
    UTC,
    Clock,
    at,
    cli,
    own_file,
    removed,
    renamed_sub_item,
    replaced,
    retimed,
    sequence,
    status,
    uid_of,
    vevents,
    write_config,
    write_programme,
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
    assert own_file(config, "cache").is_dir()
    assert sorted(p.name for p in output.parent.iterdir()) == ["oewg.ics"]

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
    ledger = json.loads(own_file(config, "retired").read_text(encoding="utf-8"))
    assert ledger["retired"] == {uid: 1}

    # The meeting comes back: a new UID, since clients saw the old one at SEQUENCE 1.
    write_programme(source, SEED)
    refresh(config, now=clock)
    back = uid_of(output, friday)
    assert back != uid and back == uid.replace("@", "-r2@")
    assert sequence(vevents(output)[back]) == 0


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
        own_file(twin_config, "state").unlink(missing_ok=True)
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


# --------------------------------------------------------------------------- configured feeds


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


def test_example_config_refreshes(tmp_path: pathlib.Path) -> None:
    for name in ("refresh.toml", "oewg-ict-4th-session.toml"):
        (tmp_path / name).write_bytes((EXAMPLES / name).read_bytes())
    result = refresh(tmp_path / "refresh.toml", now=Clock())
    assert result.ok, [f.error for f in result.feeds]
    assert [len(vevents(f.output)) for f in result.feeds] == [10, 2]


# --------------------------------------------------------------------------- PDF sources


def _assumed_end_warnings(programme: Programme, rendering: object, source: str) -> list[str]:
    """What the reader must say of each meeting printed with its start alone, at the line
    where the renderer printed its time (worked out from the programme, not the reader)."""
    from pdfrender import Rendering

    assert isinstance(rendering, Rendering)
    times = [x for x in rendering.lines if x.role == "time" and x.first]
    assert [x.meeting for x in times] == list(range(len(programme.meetings)))
    expected = []
    for printed, meeting in zip(times, programme.meetings, strict=True):
        assert meeting.start is not None and meeting.end is not None
        expected.append(
            f"{source}, page {printed.page}, line {printed.line}: only the start "
            f"({meeting.start:%H:%M}) is given for the meeting of {meeting.date}: its end "
            f"({meeting.end:%H:%M}) is assumed from a three-hour meeting slot"
        )
    return expected


def test_a_pdf_source_over_http_is_read_by_its_content_with_its_warnings(
    server: _Server, tmp_path: pathlib.Path
) -> None:
    """A PDF served as text/plain is still read as a PDF; the reader's warnings (each
    meeting's assumed end, at its page and line) are reported with the feed, in text and
    JSON; with ``strict = true`` the same source is refused and nothing is published."""
    from pdfrender import Options, render_pdf

    # the Fourth Committee's layout prints start times only ("10 a.m."); the seed's
    # meetings all last three hours, so the assumed ends are the true ones
    rendering = render_pdf(SEED, Options(layout="fourth"))
    assert {(m.start, m.end) for m in SEED.meetings} == {
        (dt.time(10), dt.time(13)),
        (dt.time(15), dt.time(18)),
    }
    server.routes["/programme"] = ("ok", rendering.pdf)
    url = server.url("/programme")
    feed = {"name": "OEWG", "output": "oewg.ics", "source": url, "short_name": "OEWG"}
    config = write_config(tmp_path, [feed])
    expected = _assumed_end_warnings(SEED, rendering, url)

    result = refresh(config, now=Clock())
    (outcome,) = result.feeds
    assert outcome.ok and outcome.written
    events = vevents(tmp_path / "oewg.ics")
    assert len(events) == len(SEED.meetings)
    assert [w for w in outcome.warnings if "only the start" in w] == expected
    assert outcome.to_dict()["warnings"] == list(outcome.warnings)

    run = subprocess.run(
        [sys.executable, "-m", "oewg_cal", "refresh", str(config), "--json", "--force"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    (reported,) = json.loads(run.stdout)["feeds"]
    assert [w for w in reported["warnings"] if "only the start" in w] == expected

    published = (tmp_path / "oewg.ics").read_bytes()
    strict = write_config(tmp_path, [feed | {"strict": True}])
    refused = refresh(strict, now=Clock())
    assert not refused.ok and not refused.feeds[0].written
    assert "strict = true refuses them" in (refused.feeds[0].error or "")
    assert (tmp_path / "oewg.ics").read_bytes() == published
