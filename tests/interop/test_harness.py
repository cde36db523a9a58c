"""Tests of the interop harness itself, on hand-written feeds with hand-computed UTC times."""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import icalendar
import pytest
import vobject  # type: ignore[import-untyped]

from . import parsers
from .parsers import (
    KNOWN_PARSER_BUGS,
    PARSERS,
    InteropError,
    SeenEvent,
    read_jcal_with_icaljs,
    read_with_icaljs,
    read_with_vobject,
)
from .radicale_server import (
    RadicaleServer,
    check_server_time_ranges,
    delete_event,
    mkcalendar,
    put_event,
    read_with_radicale,
    report_events,
    request,
    split_feed,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
UTC = datetime.timezone.utc


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UTC)


# America/New_York: EST (UTC-5) until 2023-03-12, EDT (UTC-4) in July 2023,
# EDT again from 2026-03-08; written out by hand, not computed.
EXPECTED_SAMPLE = [
    SeenEvent(
        uid="2023-03-06-plenary-1@oewg-cal.test",
        start_utc=utc(2023, 3, 6, 15),
        end_utc=utc(2023, 3, 6, 18),
        summary="1st plenary meeting, item 5: general exchange of views; opening",
        description=(
            "Conference Room 4, UN Headquarters\n"
            "Path: C:\\OEWG\\2023\\agenda.pdf; see A/AC.292/2023/1\n"
            "Languages: العربية, 中文, Русский 🌐"
        ),
        categories=("Plenary", "Formal meeting"),
        status="CONFIRMED",
    ),
    SeenEvent(
        uid="2023-07-10-informal-2@oewg-cal.test",
        start_utc=utc(2023, 7, 10, 19),
        end_utc=utc(2023, 7, 10, 22),
        summary="Informal consultations — السيبراني ; 网络安全 ; кибербезопасность",
        description=(
            "Line one\nLine two with a backslash \\ and a comma, then a semicolon;\n\nEmoji: 🇺🇳📅✅"
        ),
        categories=("Informal meeting", "Consultations"),
        status="TENTATIVE",
    ),
    SeenEvent(
        uid="2026-03-09-plenary-3@oewg-cal.test",
        start_utc=utc(2026, 3, 9, 14),
        end_utc=utc(2026, 3, 9, 17),
        summary="3rd plenary meeting (first Monday after the switch to EDT)",
        description="Postponed, see the note verbale of 2 March 2026.",
        categories=("Plenary", "Cancelled"),
        status="CANCELLED",
    ),
]


def _crlf(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _sample_vtimezone(sample_feed: bytes) -> str:
    text = sample_feed.decode("utf-8")
    begin = text.index("BEGIN:VTIMEZONE")
    end = text.index("END:VTIMEZONE") + len("END:VTIMEZONE")
    return text[begin:end]


# ------------------------------------------------------------------ the sample feed


def test_sample_file_is_crlf_and_folded(sample_feed: bytes) -> None:
    assert sample_feed.endswith(b"\r\n")
    lines = sample_feed.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert b"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU" in sample_feed
    assert sample_feed.count(b"BEGIN:VEVENT") == 3


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_every_parser_reads_the_sample_exactly(name: str, sample_feed: bytes) -> None:
    assert PARSERS[name](sample_feed) == EXPECTED_SAMPLE


def test_radicale_reads_the_sample_exactly(radicale: RadicaleServer, sample_feed: bytes) -> None:
    assert read_with_radicale(sample_feed, radicale) == EXPECTED_SAMPLE


def test_icaljs_reads_the_jcal_sample_exactly() -> None:
    jcal = (DATA_DIR / "sample.jcal.json").read_text(encoding="utf-8")
    assert read_jcal_with_icaljs(jcal) == EXPECTED_SAMPLE


def test_seen_event_demands_utc() -> None:
    new_york = datetime.timezone(datetime.timedelta(hours=-5))
    with pytest.raises(ValueError, match="UTC"):
        SeenEvent("x", utc(2023, 1, 1, 0), datetime.datetime(2023, 1, 1, 1), "", "", (), None)
    with pytest.raises(ValueError, match="UTC"):
        SeenEvent(
            "x",
            datetime.datetime(2023, 1, 1, 10, tzinfo=new_york),
            utc(2023, 1, 1, 16),
            "",
            "",
            (),
            None,
        )


# ----------------------------------------------------------- a recurring series


def _series_feed(sample_feed: bytes) -> bytes:
    return _crlf(
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//oewg_cal tests//recurring series//EN",
        _sample_vtimezone(sample_feed),
        "BEGIN:VEVENT",
        "UID:weekly-series@oewg-cal.test",
        "DTSTAMP:20260101T000000Z",
        "DTSTART;TZID=America/New_York:20260223T100000",
        "DTEND;TZID=America/New_York:20260223T130000",
        "RRULE:FREQ=WEEKLY;COUNT=5",
        "EXDATE;TZID=America/New_York:20260302T100000",
        "SUMMARY:Weekly briefing",
        "CATEGORIES:Briefing,Informal meeting",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:weekly-series@oewg-cal.test",
        "DTSTAMP:20260101T000000Z",
        "RECURRENCE-ID;TZID=America/New_York:20260316T100000",
        "DTSTART;TZID=America/New_York:20260316T150000",
        "DTEND;TZID=America/New_York:20260316T160000",
        "SUMMARY:Weekly briefing (moved)",
        "STATUS:TENTATIVE",
        "END:VEVENT",
        "END:VCALENDAR",
    )


def _series_expected() -> list[SeenEvent]:
    uid = "weekly-series@oewg-cal.test"
    cats = ("Briefing", "Informal meeting")
    weekly = "Weekly briefing"
    return [
        SeenEvent(uid, utc(2026, 2, 23, 15), utc(2026, 2, 23, 18), weekly, "", cats, "CONFIRMED"),
        # 2026-03-02 is excluded; EDT from 2026-03-08.
        SeenEvent(uid, utc(2026, 3, 9, 14), utc(2026, 3, 9, 17), weekly, "", cats, "CONFIRMED"),
        SeenEvent(
            uid,
            utc(2026, 3, 16, 19),
            utc(2026, 3, 16, 20),
            f"{weekly} (moved)",
            "",
            (),
            "TENTATIVE",
        ),
        SeenEvent(uid, utc(2026, 3, 23, 14), utc(2026, 3, 23, 17), weekly, "", cats, "CONFIRMED"),
    ]


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_every_parser_expands_a_series_across_dst(name: str, sample_feed: bytes) -> None:
    assert PARSERS[name](_series_feed(sample_feed)) == _series_expected()


def test_radicale_expands_a_series_across_dst(radicale: RadicaleServer, sample_feed: bytes) -> None:
    assert read_with_radicale(_series_feed(sample_feed), radicale) == _series_expected()


# ------------------------------------------------------------ what adapters refuse


def _feed_with_event_lines(*event_lines: str, vtimezone: str = "") -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//oewg_cal tests//refused//EN"]
    if vtimezone:
        lines.append(vtimezone)
    lines += [
        "BEGIN:VEVENT",
        "UID:refused@oewg-cal.test",
        "DTSTAMP:20260101T000000Z",
        *event_lines,
        "SUMMARY:Refused",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return _crlf(*lines)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_adapters_refuse_all_day_events(name: str) -> None:
    feed = _feed_with_event_lines("DTSTART;VALUE=DATE:20260309", "DTEND;VALUE=DATE:20260310")
    with pytest.raises(InteropError):
        PARSERS[name](feed)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_adapters_refuse_floating_events(name: str) -> None:
    feed = _feed_with_event_lines("DTSTART:20260309T100000", "DTEND:20260309T130000")
    with pytest.raises(InteropError):
        PARSERS[name](feed)


def test_icaljs_refuses_a_tzid_without_vtimezone() -> None:
    feed = _feed_with_event_lines(
        "DTSTART;TZID=America/New_York:20260309T100000",
        "DTEND;TZID=America/New_York:20260309T130000",
    )
    with pytest.raises(InteropError, match="not resolved through the feed"):
        read_with_icaljs(feed)


def test_icaljs_uses_the_feeds_own_vtimezone(sample_feed: bytes) -> None:
    """A deliberately wrong America/New_York (UTC+9/+8) must show in ical.js and vobject."""
    shifted = sample_feed.replace(b"TZOFFSETTO:-0400", b"TZOFFSETTO:+0900").replace(
        b"TZOFFSETTO:-0500", b"TZOFFSETTO:+0800"
    )
    for reader in (read_with_icaljs, read_with_vobject):
        starts = [event.start_utc for event in reader(shifted)]
        assert starts == [utc(2023, 3, 6, 2), utc(2023, 7, 10, 6), utc(2026, 3, 9, 1)]


# ---------------------------------------------------- VTIMEZONE in RDATE-list form


def _rdate_form_feed(sample_feed: bytes) -> bytes:
    calendar = icalendar.Calendar.from_ical(sample_feed)
    calendar.subcomponents = [c for c in calendar.subcomponents if c.name != "VTIMEZONE"]
    assert calendar.get_missing_tzids() == {"America/New_York"}
    calendar.add_missing_timezones()
    feed: bytes = calendar.to_ical()
    unfolded = re.sub(rb"\r\n[ \t]", b"", feed)
    assert b"RRULE" not in unfolded.split(b"END:VTIMEZONE")[0]
    assert re.search(rb"\r\nRDATE:[0-9T]+,[0-9T]+,", unfolded)
    return feed


def _one_rdate_per_property(feed: bytes) -> bytes:
    lines = re.sub(rb"\r\n[ \t]", b"", feed).split(b"\r\n")
    out: list[bytes] = []
    for line in lines:
        if line.startswith(b"RDATE:"):
            out += [b"RDATE:" + value for value in line[len(b"RDATE:") :].split(b",")]
        else:
            out.append(line)
    return b"\r\n".join(out)


def _bug(parser: str, marker: str) -> parsers.KnownParserBug:
    matches = [b for b in KNOWN_PARSER_BUGS if b.parser == parser and marker in b.description]
    assert len(matches) == 1, f"KNOWN_PARSER_BUGS lacks the {parser} {marker!r} entry"
    return matches[0]


@pytest.mark.parametrize(
    ("parser", "reader"), [("ical.js", read_with_icaljs), ("vobject", read_with_vobject)]
)
def test_rdate_list_vtimezone_is_misread(
    parser: str, reader: Callable[[bytes], list[SeenEvent]], sample_feed: bytes
) -> None:
    """Pins a known bug: the day this fails, the parser got fixed (update KNOWN_PARSER_BUGS)."""
    _bug(parser, "RDATE")
    seen = reader(_rdate_form_feed(sample_feed))
    assert [event.uid for event in seen] == [event.uid for event in EXPECTED_SAMPLE]
    # Winter is right; every summer time comes out as EST, one hour late.
    assert (seen[0].start_utc, seen[0].end_utc) == (utc(2023, 3, 6, 15), utc(2023, 3, 6, 18))
    assert (seen[1].start_utc, seen[1].end_utc) == (utc(2023, 7, 10, 20), utc(2023, 7, 10, 23))
    assert (seen[2].start_utc, seen[2].end_utc) == (utc(2026, 3, 9, 15), utc(2026, 3, 9, 18))
    # Same transitions, one RDATE value per property: read right, so the list is the trigger.
    assert reader(_one_rdate_per_property(_rdate_form_feed(sample_feed))) == EXPECTED_SAMPLE


@pytest.mark.parametrize("name", ["ical", "recurring_ical_events"])
def test_rdate_list_vtimezone_ignored_by_iana_parsers(name: str, sample_feed: bytes) -> None:
    """ical and icalendar take IANA rules for an IANA TZID and never look at the VTIMEZONE."""
    assert PARSERS[name](_rdate_form_feed(sample_feed)) == EXPECTED_SAMPLE


# ------------------------------------------------------------------ vobject registry


def _shifted_vtimezone(tzid: str, offset: str) -> str:
    return "\r\n".join(
        [
            "BEGIN:VTIMEZONE",
            f"TZID:{tzid}",
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{offset}",
            f"TZOFFSETTO:{offset}",
            "END:STANDARD",
            "END:VTIMEZONE",
        ]
    )


def test_vobject_keeps_the_first_vtimezone_per_tzid() -> None:
    """Pins a known bug of plain vobject, and that read_with_vobject is immune to it."""
    _bug("vobject", "first definition")
    tzid = "Interop/Registry-Test"

    def feed(offset: str) -> bytes:
        return _feed_with_event_lines(
            f"DTSTART;TZID={tzid}:20260309T100000",
            f"DTEND;TZID={tzid}:20260309T110000",
            vtimezone=_shifted_vtimezone(tzid, offset),
        )

    def plain_vobject_start(data: bytes) -> datetime.datetime:
        calendar = vobject.readOne(data.decode("utf-8"))
        start = calendar.vevent.dtstart.value
        assert isinstance(start, datetime.datetime)
        return start.astimezone(UTC)

    assert plain_vobject_start(feed("+0100")) == utc(2026, 3, 9, 9)
    # The second feed says +0300, plain vobject still applies the +0100 it met first.
    assert plain_vobject_start(feed("+0300")) == utc(2026, 3, 9, 9)
    assert read_with_vobject(feed("+0300"))[0].start_utc == utc(2026, 3, 9, 7)
    assert read_with_vobject(feed("+0100"))[0].start_utc == utc(2026, 3, 9, 9)


# ------------------------------------------------------------ Radicale and CalDAV


def test_split_feed_keeps_the_feeds_lines(sample_feed: bytes) -> None:
    feed = sample_feed.replace(
        b"CALSCALE:GREGORIAN\r\n", b"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n", 1
    )
    resources = split_feed(feed)
    assert list(resources) == [event.uid for event in EXPECTED_SAMPLE]
    vtimezone = _sample_vtimezone(sample_feed).encode("utf-8")
    for uid, resource in resources.items():
        assert resource.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
        assert resource.endswith(b"END:VCALENDAR\r\n")
        assert b"METHOD" not in resource
        assert vtimezone in resource
        assert resource.count(b"BEGIN:VEVENT") == 1
        assert f"UID:{uid}\r\n".encode() in resource
        event = resource[resource.index(b"BEGIN:VEVENT") : resource.index(b"END:VEVENT")]
        assert event in sample_feed  # folded lines kept byte for byte


def test_split_feed_groups_a_series_by_uid(sample_feed: bytes) -> None:
    resources = split_feed(_series_feed(sample_feed))
    assert list(resources) == ["weekly-series@oewg-cal.test"]
    assert resources["weekly-series@oewg-cal.test"].count(b"BEGIN:VEVENT") == 2


def test_radicale_needs_the_password(radicale: RadicaleServer) -> None:
    url = radicale.collection_url("auth-check").replace(f":{radicale.password}@", ":wrong@")
    assert request("PROPFIND", url, headers={"Depth": "0"}).status == 401


def test_caldav_helpers_round_trip(radicale: RadicaleServer, sample_feed: bytes) -> None:
    collection = radicale.collection_url("round-trip")
    mkcalendar(collection)
    try:
        uid, resource = next(iter(split_feed(sample_feed).items()))
        event_url = put_event(collection, uid, resource)
        march = (utc(2023, 3, 1, 0), utc(2023, 4, 1, 0))
        assert len(report_events(collection, *march, expand=False)) == 1
        assert report_events(collection, utc(2023, 4, 1, 0), utc(2023, 5, 1, 0), False) == []
        delete_event(event_url)
        assert report_events(collection, *march, expand=False) == []
    finally:
        delete_event(collection)


def test_radicale_expand_leaves_single_events_in_local_time(
    radicale: RadicaleServer, sample_feed: bytes
) -> None:
    """Pins a known Radicale bug (RFC 4791 9.6.5 wants UTC); fails the day it is fixed."""
    _bug("radicale", "9.6.5")
    collection = radicale.collection_url("expand-check")
    mkcalendar(collection)
    try:
        uid, resource = next(iter(split_feed(sample_feed).items()))
        put_event(collection, uid, resource)
        (data,) = report_events(collection, utc(2023, 3, 1, 0), utc(2023, 4, 1, 0), expand=True)
    finally:
        delete_event(collection)
    unfolded = re.sub(rb"\r?\n[ \t]", b"", data)
    assert b"DTSTART;TZID=America/New_York:20230306T100000" in unfolded
    assert b"BEGIN:VTIMEZONE" in unfolded


def test_radicale_time_range_check_catches_a_misplaced_event(
    radicale: RadicaleServer, sample_feed: bytes
) -> None:
    collection = radicale.collection_url("time-range-check")
    mkcalendar(collection)
    try:
        for uid, resource in split_feed(sample_feed).items():
            put_event(collection, uid, resource)
        right = EXPECTED_SAMPLE
        instants = {e.start_utc for e in right} | {e.end_utc for e in right}
        check_server_time_ranges(collection, right, instants)
        hour = datetime.timedelta(hours=1)
        wrong = [
            dataclasses.replace(e, start_utc=e.start_utc + hour, end_utc=e.end_utc + hour)
            for e in right
        ]
        with pytest.raises(InteropError, match="time-range"):
            check_server_time_ranges(collection, wrong, {wrong[1].start_utc})
    finally:
        delete_event(collection)


# ---------------------------------------------------------------- ensure_icaljs


def test_ensure_icaljs_skips_without_node_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="node and npm"):
        parsers.ensure_icaljs()


def test_ensure_icaljs_fails_without_node_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="node and npm"):
        parsers.ensure_icaljs()


def test_icaljs_is_the_locked_version() -> None:
    parsers.ensure_icaljs()
    lock = json.loads((parsers.ICALJS_DIR / "package-lock.json").read_text(encoding="utf-8"))
    manifest = parsers.ICALJS_DIR / "node_modules" / "ical.js" / "package.json"
    installed = json.loads(manifest.read_text(encoding="utf-8"))
    assert installed["version"] == lock["packages"]["node_modules/ical.js"]["version"]
    assert installed["version"].startswith("2.")


# ---------------------------------------------------------------- the libical checker


def test_libical_checker_needs_gcc_and_pkg_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(parsers.LibicalMissing, match="gcc and pkg-config"):
        parsers.build_libical_checker(tmp_path)


def test_ensure_libical_skips_without_libical_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsers, "_LIBICAL", {"missing": "libical is not installed"})
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="libical is not installed"):
        parsers.ensure_libical()


def test_ensure_libical_fails_without_libical_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsers, "_LIBICAL", {"missing": "libical is not installed"})
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="libical is not installed"):
        parsers.ensure_libical()


def test_libical_checker_builds_and_reports(tmp_path: Path) -> None:
    parsers.ensure_libical()  # skips without libical, fails under CI
    checker = parsers.build_libical_checker(tmp_path)  # -Werror: no warning either
    assert checker.parent == tmp_path
    records = parsers.run_libical(
        _feed_with_event_lines(
            "DTSTART;TZID=America/New_York:20260309T100000",
            "DTEND;TZID=America/New_York:20260309T130000",
            vtimezone=_sample_vtimezone((DATA_DIR / "sample.ics").read_bytes()),
        )
    )
    assert records[0] == {"type": "libical", "version": parsers.libical_version()}
    (event,) = [r for r in records if r["type"] == "event"]
    # 10:00 EDT (from 8 March 2026) is 14:00 UTC, by libical through the VTIMEZONE
    assert (event["start_zone_source"], event["start_utc"]) == ("vtimezone", "2026-03-09T14:00:00Z")
    assert records[-1]["type"] == "summary" and records[-1]["errors"] == 0


def test_libical_refuses_a_tzid_without_vtimezone() -> None:
    feed = _feed_with_event_lines(
        "DTSTART;TZID=America/New_York:20260309T100000",
        "DTEND;TZID=America/New_York:20260309T130000",
    )
    with pytest.raises(InteropError, match="not resolved through the feed's VTIMEZONE"):
        parsers.read_with_libical(feed)


def test_libical_reports_each_bad_event_once() -> None:
    """Pins libical 3.0's restriction short-circuit and repeats (KNOWN_PARSER_BUGS)."""
    _bug("libical", "stops at the first component")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//oewg_cal tests//libical//EN"]
    lines.append("METHOD:PUBLISH")  # and no ORGANIZER
    for n in (1, 2, 3):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{n}@oewg-cal.test",
            "DTSTAMP:20260101T000000Z",
            "DTSTART:20260309T140000Z",
            "DTEND:20260309T170000Z",
            "SUMMARY:Bad status",
            "STATUS:NEEDS-ACTION",  # a VTODO status: not allowed on a VEVENT
            "END:VEVENT",
        ]
    feed = _crlf(*lines, "END:VCALENDAR")
    errors = [r for r in parsers.run_libical(feed) if r["type"] == "error"]

    def flagged(phase: str, word: str) -> list[str]:
        return [r["uid"] for r in errors if r["phase"] == phase and word in r["message"]]

    # icalrestriction_check() on the calendar flags the first event only ...
    assert flagged("restriction", "ORGANIZER") == ["1@oewg-cal.test"]
    # ... the checker finds the others on their own
    assert flagged("restriction-each", "ORGANIZER") == ["2@oewg-cal.test", "3@oewg-cal.test"]
    # and libical says the STATUS message over and over
    assert len(flagged("restriction", "STATUS")) > 1
    with pytest.raises(InteropError) as raised:
        parsers.read_with_libical(feed)
    message = str(raised.value)
    assert message.count("restriction: Failed iTIP restrictions for STATUS") == 1
