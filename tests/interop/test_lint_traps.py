"""The traps `oewg-cal check` makes errors (issue 12), shown fooling real readers.

Each golden broken feed of tests/data/lint is read by the parsers real clients use; the
tests pin what those readers get wrong, and that the linter calls it an error.  The
day a reader stops falling into a trap, its test here fails: update the linter's
message and the README.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import vobject  # type: ignore[import-untyped]
from ical.exceptions import CalendarParseError

from oewg_cal.ical.lint import Severity, lint

from .parsers import (
    InteropError,
    SeenEvent,
    read_with_ical,
    read_with_icaljs,
    read_with_libical,
    read_with_recurring_ical_events,
    read_with_vobject,
)
from .radicale_server import RadicaleServer, mkcalendar, report_events, request

LINT_DATA = Path(__file__).resolve().parents[1] / "data" / "lint"
UTC = dt.timezone.utc


def golden(name: str) -> bytes:
    return (LINT_DATA / name).read_bytes()


def errors(data: bytes) -> list[str]:
    return [f.code for f in lint(data) if f.severity is Severity.ERROR]


def put_raw(radicale: RadicaleServer, collection: str, data: bytes) -> int:
    url = radicale.collection_url(collection)
    mkcalendar(url)
    headers = {"Content-Type": "text/calendar; charset=utf-8"}
    return request("PUT", url + "feed.ics", data, headers).status


def test_a_byte_order_mark_is_refused_by_readers(radicale: RadicaleServer) -> None:
    data = golden("bom.ics")
    assert data.startswith(b"\xef\xbb\xbfBEGIN:VCALENDAR\r\n")
    assert errors(data) == ["bom"]
    with pytest.raises(InteropError, match=r"ical\.js could not read the feed"):
        read_with_icaljs(data)
    with pytest.raises(vobject.base.ParseError, match="Failed to parse line"):
        read_with_vobject(data)
    with pytest.raises(CalendarParseError):
        read_with_ical(data)
    assert put_raw(radicale, "bom", data) == 400
    # the same feed without the mark reads everywhere
    for reader in (read_with_icaljs, read_with_vobject, read_with_ical):
        assert [e.uid for e in reader(data[3:])] == ["bom@oewg.example"]
    assert put_raw(radicale, "no-bom", data[3:]) == 201


def by_uid(events: list[SeenEvent]) -> dict[str, SeenEvent]:
    return {event.uid: event for event in events}


def test_an_unescaped_comma_cuts_the_text(radicale: RadicaleServer) -> None:
    data = golden("unescaped-comma.ics")
    assert errors(data) == ["unescaped-comma"] * 3
    assert by_uid(read_with_icaljs(data))["commas@oewg.example"].summary == "Items 5, 6 and 7"
    cut = by_uid(read_with_vobject(data))["commas@oewg.example"]
    assert cut.summary == "Items 5"
    assert cut.description == "Agenda item 5, discussions on substantive issues. Item 6"
    # escaped, vobject reads it whole
    assert by_uid(read_with_vobject(data))["escaped@oewg.example"].summary == "Items 5, 6 and 7"
    # Radicale (vobject inside) stores the cut text
    second = data.index(b"BEGIN:VEVENT", data.index(b"BEGIN:VEVENT") + 1)
    only_first = data[:second] + b"END:VCALENDAR\r\n"
    assert put_raw(radicale, "commas", only_first) == 201
    (stored,) = report_events(
        radicale.collection_url("commas"),
        dt.datetime(2025, 1, 1, tzinfo=UTC),
        dt.datetime(2026, 1, 1, tzinfo=UTC),
        expand=False,
    )
    lines = stored.replace(b"\r\n", b"\n").split(b"\n")
    assert b"SUMMARY:Items 5" in lines
    assert b"LOCATION:Conference Room 4" in lines


def utc(month: int, day: int, hour: int) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, tzinfo=UTC)


# Worked out by hand.  The tz database: New York is EDT (UTC-4) from 9 March to
# 2 November 2025, Geneva CEST (UTC+2) from 30 March to 26 October.  The golden
# VTIMEZONE: New York EDT only from 6 April to 26 October (the rules before 2007),
# Geneva at UTC+3 in summer.
TZDATA = {
    "march@oewg.example": utc(3, 20, 14),  # 10:00 EDT
    "june@oewg.example": utc(6, 10, 14),  # 10:00 EDT
    "november@oewg.example": utc(10, 31, 19),  # 15:00 EDT
    "geneva@oewg.example": utc(7, 7, 8),  # 10:00 CEST
    "geneva-winter@oewg.example": utc(1, 13, 9),  # 10:00 CET
}
BY_THE_VTIMEZONE = TZDATA | {
    "march@oewg.example": utc(3, 20, 15),  # 10:00 "EST"
    "november@oewg.example": utc(10, 31, 20),  # 15:00 "EST"
    "geneva@oewg.example": utc(7, 7, 7),  # 10:00 at UTC+3
}


def test_a_vtimezone_against_the_tz_database_puts_readers_an_hour_apart() -> None:
    data = golden("vtimezone-tzdata.ics")
    assert errors(data) == ["vtimezone-tzdata"] * 2
    for reader in (read_with_icaljs, read_with_vobject, read_with_libical):
        starts = {uid: e.start_utc for uid, e in by_uid(reader(data)).items() if uid in TZDATA}
        assert starts == BY_THE_VTIMEZONE, reader.__name__
    for reader in (read_with_recurring_ical_events, read_with_ical):
        starts = {uid: e.start_utc for uid, e in by_uid(reader(data)).items() if uid in TZDATA}
        assert starts == TZDATA, reader.__name__
