"""jCal (RFC 7265): the calendar write_ics writes, as JSON, with X- values as plain text."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest

from feedcheck import content_lines
from oewg_cal import Programme, write_ics
from oewg_cal.ical.feed import Feed, FeedOptions, feed_of
from oewg_cal.ical.jcal import write_jcal

PID = "oewg-on-ict-security-2021-2025-4e0b8fdbe0"
SHORT = "OEWG on ICT security 2021–2025"


@pytest.fixture(scope="module")
def feed(seed_programme: Programme) -> Feed:
    return feed_of(seed_programme, FeedOptions(alarms=(15,), categories=("UN, New York",)))


@pytest.fixture(scope="module")
def jcal(feed: Feed) -> list[Any]:
    data: list[Any] = json.loads(write_jcal(feed))
    return data


def _props(component: list[Any], name: str) -> list[list[Any]]:
    return [p for p in component[1] if p[0] == name]


def _components(component: list[Any], name: str) -> list[list[Any]]:
    return [c for c in component[2] if c[0] == name]


def test_the_document(feed: Feed) -> None:
    text = write_jcal(feed)
    assert text.endswith("]\n")
    assert SHORT in text and "\\u2013" not in text  # non-ASCII text as it is
    data = json.loads(text)
    assert data[0] == "vcalendar" and len(data) == 3


def test_the_calendar_properties(jcal: list[Any]) -> None:
    assert _props(jcal, "version") == [["version", {}, "text", "2.0"]]
    assert _props(jcal, "prodid") == [
        ["prodid", {}, "text", "-//oewg_cal//oewg_cal programme feeds//EN"]
    ]
    assert _props(jcal, "x-wr-timezone") == [["x-wr-timezone", {}, "text", "America/New_York"]]
    (programme,) = _props(jcal, "x-oewg-programme")
    assert programme[2] == "text"
    data = json.loads(programme[3])  # plain JSON: jCal text is not escaped as in iCalendar
    assert data["id"] == PID and data["session"] == "Fourth substantive session"
    (options,) = _props(jcal, "x-oewg-feed")
    assert json.loads(options[3])["categories"] == ["UN, New York"]


def test_the_same_components_as_the_ics(feed: Feed, jcal: list[Any]) -> None:
    lines = content_lines(write_ics(feed))
    uids = [line[4:] for line in lines if line.startswith("UID:")]
    events = _components(jcal, "vevent")
    assert [e[0] for e in jcal[2]] == ["vtimezone"] + ["vevent"] * 10
    assert [_props(e, "uid")[0][3] for e in events] == uids
    (zone,) = _components(jcal, "vtimezone")
    assert _props(zone, "tzid") == [["tzid", {}, "text", "America/New_York"]]
    assert sorted(c[0] for c in zone[2]) == ["daylight", "standard"]


def test_the_first_event(jcal: list[Any]) -> None:
    event = _components(jcal, "vevent")[0]
    assert _props(event, "uid") == [["uid", {}, "text", f"20230306-1-{PID}@oewg-cal"]]
    assert _props(event, "dtstart") == [
        ["dtstart", {"tzid": "America/New_York"}, "date-time", "2023-03-06T10:00:00"]
    ]
    assert _props(event, "dtend") == [
        ["dtend", {"tzid": "America/New_York"}, "date-time", "2023-03-06T13:00:00"]
    ]
    assert _props(event, "dtstamp") == [["dtstamp", {}, "date-time", "2023-03-04T00:00:00Z"]]
    assert _props(event, "sequence") == [["sequence", {}, "integer", 0]]
    assert _props(event, "categories") == [
        [
            "categories",
            {},
            "text",
            SHORT,
            "Formal meeting",
            "Agenda item 3",
            "Agenda item 5",
            "UN, New York",
        ]
    ]
    assert _props(event, "x-oewg-formal") == [["x-oewg-formal", {}, "text", "TRUE"]]
    entries = [json.loads(p[3]) for p in _props(event, "x-oewg-entry")]
    assert entries[0] == {"label": "Opening of the session", "segment": "opening"}
    assert entries[2] == {"item": 3, "title": "organization of work"}
    (description,) = _props(event, "description")
    assert "\nOpening of the session\n" in description[3]  # real line breaks
    ((_, alarm_props, alarm_components),) = _components(event, "valarm")
    assert ["trigger", {}, "duration", "-PT15M"] in alarm_props and alarm_components == []


def test_cancelled_events(seed_programme: Programme) -> None:
    feed = feed_of(seed_programme)
    first = feed.events[0]
    last = feed.events[-1]  # Friday afternoon: no later meeting continues it
    programme = attrs.evolve(seed_programme, meetings=seed_programme.meetings[:-1])
    cancelled = Feed(
        programmes=(programme,),
        events=(*feed.events[:-1], attrs.evolve(last, cancelled=True, sequence=1)),
    )
    events = _components(json.loads(write_jcal(cancelled)), "vevent")
    (gone,) = [e for e in events if _props(e, "uid")[0][3] == last.uid]
    assert _props(gone, "status") == [["status", {}, "text", "CANCELLED"]]
    assert _props(gone, "x-oewg-cancelled") == [["x-oewg-cancelled", {}, "text", "TRUE"]]
    assert _props(gone, "sequence") == [["sequence", {}, "integer", 1]]
    assert _components(gone, "valarm") == []
    assert first.uid in {_props(e, "uid")[0][3] for e in events}
