"""The iCalendar feed: round trips, RFC 5545 form, times in UTC, series links, the seed.

Times are checked against the feed's own VTIMEZONE, evaluated here independently of
oewg_cal (with :mod:`dateutil.rrule`) and with icalendar's ``Timezone.to_tz()``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import subprocess
import sys
import zoneinfo
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import icalendar
import pytest
from dateutil import rrule
from hypothesis import assume, given
from hypothesis import strategies as st

from oewg_cal import (
    AgendaEntry,
    Body,
    Feed,
    FeedOptions,
    Meeting,
    Programme,
    Segment,
    SubItem,
    feed_of,
    from_ics,
    read_ics,
    series_of,
    to_ics,
    write_ics,
)
from oewg_cal.errors import FeedError, OewgCalError, ProgrammeError
from oewg_cal.ical.feed import derived_uids, programme_id
from strategies import TIMEZONES, exists_once, feeds, programmes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_ICS = ROOT / "examples" / "oewg-ict-4th-session.ics"
UTC = dt.timezone.utc


# ---------------------------------------------------------------- reading feeds independently


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def content_lines(data: bytes) -> list[str]:
    """Unfolded content lines (RFC 5545 3.1)."""
    return data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def unescape(value: str) -> str:
    """RFC 5545 3.3.11 TEXT unescaping, written out here."""
    out = []
    chars = iter(value)
    for char in chars:
        if char != "\\":
            assert char not in ",;", f"unescaped {char!r} in a TEXT value: {value!r}"
            out.append(char)
            continue
        escaped = next(chars)
        out.append({"n": "\n", "N": "\n"}.get(escaped, escaped))
        assert escaped in "nN,;\\", f"unknown escape \\{escaped}"
    return "".join(out)


def raw_values(data: bytes, name: str) -> list[str]:
    """Values (after the colon) of every content line named ``name`` (no parameters)."""
    prefix = name + ":"
    return [line[len(prefix) :] for line in content_lines(data) if line.startswith(prefix)]


def _offset(text: str) -> dt.timedelta:
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[3:5])
    seconds = int(text[5:7]) if len(text) > 5 else 0
    return sign * dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)


_HORIZON = dt.datetime(2040, 1, 1)  # the strategies' sessions end by 2034


class VTimezone:
    """A VTIMEZONE read from its content lines and evaluated with dateutil.rrule."""

    def __init__(self, lines: list[str]) -> None:
        self.tzid = ""
        self.observances: list[dict[str, Any]] = []
        current: dict[str, Any] | None = None
        for line in lines:
            if line in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"):
                current = {"kind": line[6:], "rrule": None, "other": []}
            elif line in ("END:STANDARD", "END:DAYLIGHT"):
                assert current is not None
                self.observances.append(current)
                current = None
            elif line.startswith("TZID:"):
                self.tzid = line[5:]
            elif current is not None:
                name, _, value = line.partition(":")
                if name == "DTSTART":
                    current["start"] = dt.datetime.strptime(value, "%Y%m%dT%H%M%S")
                elif name == "TZOFFSETFROM":
                    current["from"] = _offset(value)
                elif name == "TZOFFSETTO":
                    current["to"] = _offset(value)
                elif name == "RRULE":
                    current["rrule"] = value
                else:
                    current["other"].append(name)
        self._onsets: list[tuple[dt.datetime, dt.timedelta]] | None = None

    def onsets(self) -> list[tuple[dt.datetime, dt.timedelta]]:
        """(UTC onset, offset after) of every observance up to the horizon, sorted."""
        if self._onsets is None:
            found = []
            for obs in self.observances:
                if obs["rrule"] is None:
                    locals_ = [obs["start"]]
                    until = None
                else:
                    parts = dict(p.split("=", 1) for p in obs["rrule"].split(";"))
                    until_text = parts.pop("UNTIL", None)
                    until = (
                        dt.datetime.strptime(until_text, "%Y%m%dT%H%M%SZ") if until_text else None
                    )
                    rule = ";".join(f"{k}={v}" for k, v in parts.items())
                    locals_ = rrule.rrulestr(rule, dtstart=obs["start"]).between(
                        obs["start"], _HORIZON, inc=True
                    )
                for local in locals_:
                    utc = local - obs["from"]  # local time of the onset, in offset_from terms
                    if until is None or utc <= until:
                        found.append((utc, obs["to"]))
            self._onsets = sorted(found)
        return self._onsets

    def offset_at(self, utc: dt.datetime) -> dt.timedelta:
        onsets = self.onsets()
        index = bisect.bisect_right(onsets, (utc, dt.timedelta.max))
        if index:
            return onsets[index - 1][1]
        return min(self.observances, key=lambda o: o["start"])["from"]

    def to_utc(self, local: dt.datetime) -> dt.datetime:
        """The one UTC instant this local time names (it must be neither in a gap nor a fold)."""
        assert local.year < _HORIZON.year - 1
        offsets = {o["to"] for o in self.observances} | {o["from"] for o in self.observances}
        found = {local - o for o in offsets if self.offset_at(local - o) == o}
        assert len(found) == 1, f"{local} names {len(found)} instants in {self.tzid}"
        return found.pop().replace(tzinfo=UTC)


def vtimezones(data: bytes) -> dict[str, VTimezone]:
    zones: dict[str, VTimezone] = {}
    block: list[str] | None = None
    for line in content_lines(data):
        if line == "BEGIN:VTIMEZONE":
            block = []
        elif line == "END:VTIMEZONE":
            assert block is not None
            zone = VTimezone(block)
            zones[zone.tzid] = zone
            block = None
        elif block is not None:
            block.append(line)
    return zones


def expected_utc(day: dt.date, when: dt.time, timezone: str) -> dt.datetime:
    return dt.datetime.combine(day, when, tzinfo=zoneinfo.ZoneInfo(timezone)).astimezone(UTC)


def events_of(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def local_of(prop: Any) -> dt.datetime:
    value = prop.dt
    assert isinstance(value, dt.datetime)
    return value.replace(tzinfo=None)


def values_of(component: icalendar.cal.component.Component, name: str) -> list[Any]:
    found = component.get(name)
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


def related(component: icalendar.Event, reltype: str) -> set[str]:
    return {
        str(v) for v in values_of(component, "RELATED-TO") if v.params.get("RELTYPE") == reltype
    }


# ---------------------------------------------------------------- RFC 5545 form


def check_form(data: bytes) -> icalendar.Calendar:
    """CRLF everywhere, ≤ 75 octets a line, folds on UTF-8 boundaries, icalendar parses it."""
    assert b"\n" not in data.replace(b"\r\n", b"") and b"\r" not in data.replace(b"\r\n", b"")
    for number, line in enumerate(physical_lines(data), 1):
        assert len(line) <= 75, f"line {number} has {len(line)} octets"
        line.decode("utf-8")  # a fold never splits a UTF-8 sequence
        assert line, f"line {number} is empty"
        if line.startswith(b" "):
            assert number > 1
    calendar = icalendar.Calendar.from_ical(data)
    assert isinstance(calendar, icalendar.Calendar)
    return calendar


# Text that exercises every branch of folding: ASCII, 2-, 3- and 4-octet UTF-8, escapes.
_FOLD_TEXT = st.text(
    alphabet=st.sampled_from('a ,;:\\^"éΩ€中😀') | st.characters(codec="utf-8"),
    max_size=600,
)


@given(_FOLD_TEXT.filter(lambda t: "\n" not in t and "\r" not in t))
def test_fold_is_icalendars_folding(text: str) -> None:
    """Our fast folding gives exactly the bytes icalendar's own content line gives."""
    from icalendar.parser import Contentline

    from oewg_cal.ical.encode import fold

    assert fold(text) == Contentline(text).to_ical()


@given(_FOLD_TEXT.filter(lambda t: "\n" not in t and "\r" not in t))
def test_fold_keeps_lines_short_and_unfolds_back(text: str) -> None:
    from oewg_cal.ical.encode import fold

    folded = fold(text)
    physical = folded.split(b"\r\n")
    assert all(len(line) <= 75 for line in physical)
    assert all(line.startswith(b" ") for line in physical[1:])
    for line in physical:
        line.decode("utf-8")  # never inside a UTF-8 sequence
    assert b"".join([physical[0], *(line[1:] for line in physical[1:])]).decode() == text


def check_times(
    data: bytes,
    calendar: icalendar.Calendar,
    programme: Programme,
    meetings: Iterable[Meeting] | None = None,
) -> None:
    """DTSTART/DTEND: local to the programme's zone, right in UTC by the feed's VTIMEZONE.

    The programme's events must be those of ``meetings`` (its own meetings by default).
    """
    zone = vtimezones(data)[programme.timezone]
    (component,) = [c for c in calendar.walk("VTIMEZONE") if c["TZID"] == programme.timezone]
    # icalendar (dateutil's tzical) reading the written component, not the tz database
    tz = component.to_tz(lookup_tzid=False)
    expected = Counter(
        (dt.datetime.combine(m.date, m.start), dt.datetime.combine(m.date, m.end))
        for m in (programme.meetings if meetings is None else meetings)
    )
    found: Counter[tuple[dt.datetime, dt.datetime]] = Counter()
    for event in calendar.walk("VEVENT"):
        if str(event["X-OEWG-PROGRAMME"]) != programme_id(programme):
            continue
        start, end = local_of(event["DTSTART"]), local_of(event["DTEND"])
        found[(start, end)] += 1
        for prop, local in ((event["DTSTART"], start), (event["DTEND"], end)):
            assert prop.params["TZID"] == programme.timezone
            want = expected_utc(local.date(), local.time(), programme.timezone)
            assert zone.to_utc(local) == want, (local, programme.timezone)
            assert local.replace(tzinfo=tz).astimezone(UTC) == want, (local, programme.timezone)
    assert found == expected


def _has_dst(timezone: str, years: Iterable[int]) -> bool:
    zone = zoneinfo.ZoneInfo(timezone)
    return any(
        dt.datetime(year, month, 15, 12, tzinfo=zone).dst()
        for year in years
        for month in range(1, 13)
    )


def check_vtimezones(data: bytes, timezones_years: dict[str, set[int]]) -> None:
    """One STANDARD and one DAYLIGHT with a yearly RRULE (one STANDARD without daylight time)."""
    zones = vtimezones(data)
    assert set(zones) == set(timezones_years)
    for tzid, zone in zones.items():
        for obs in zone.observances:
            assert "RDATE" not in obs["other"] and "COMMENT" not in obs["other"]
            assert obs["from"] is not None and obs["to"] is not None
        kinds = sorted(o["kind"] for o in zone.observances)
        years = timezones_years[tzid]
        if not _has_dst(tzid, range(min(years) - 2, max(years) + 3)):
            assert kinds == ["STANDARD"], tzid
            assert zone.observances[0]["rrule"] is None
            assert zone.observances[0]["from"] == zone.observances[0]["to"]
        elif tzid == "America/Santiago":
            # Chile switches on the first Sunday *on or after the 2nd* of April and
            # September: no n-th-weekday rule, so years where it is the 8th are eras of
            # their own (single onsets without RRULE, never RDATE).
            assert {"STANDARD", "DAYLIGHT"} <= set(kinds)
        else:
            assert kinds == ["DAYLIGHT", "STANDARD"], (tzid, kinds)
            assert all(o["rrule"] for o in zone.observances), tzid
            for obs in zone.observances:
                assert "FREQ=YEARLY" in obs["rrule"] and "UNTIL" not in obs["rrule"]
    lines = content_lines(data)
    assert not [line for line in lines if line.startswith(("RDATE", "COMMENT"))]


def _years(programme: Programme) -> set[int]:
    return {m.date.year for m in programme.meetings} | {programme.first_day.year}


def check_series(events: dict[str, icalendar.Event], programme: Programme) -> None:
    """REFID groups are the series, in order; RELATED-TO;RELTYPE=FIRST names each first."""
    uid_of = dict(derived_uids(programme))
    for meeting, uid in uid_of.items():  # the UIDs name the meetings they should
        assert local_of(events[uid]["DTSTART"]) == dt.datetime.combine(meeting.date, meeting.start)
        assert local_of(events[uid]["DTEND"]) == dt.datetime.combine(meeting.date, meeting.end)
    groups: dict[str, list[str]] = {}
    for uid, event in events.items():
        for ref in values_of(event, "REFID"):
            groups.setdefault(str(ref), []).append(uid)
    series = series_of(programme)
    wanted = sorted(tuple(uid_of[m] for m in s.meetings) for s in series)
    chronological = sorted(
        tuple(sorted(group, key=lambda u: local_of(events[u]["DTSTART"])))
        for group in groups.values()
    )
    assert chronological == wanted
    first_of: dict[str, set[str]] = {uid: set() for uid in events}
    for s in series:
        for meeting in s.continuations:
            first_of[uid_of[meeting]].add(uid_of[s.first])
    for uid, event in events.items():
        assert related(event, "FIRST") == first_of[uid]


def _first_words(text: str) -> str:
    words = text.split()
    return words[0][:40].rstrip(" ,;:") if words else ""


def _texts_of(entry: AgendaEntry) -> list[str]:
    found = [entry.label, *entry.speakers] if entry.segment is not None else []
    if entry.sub_item is not None:
        found.append(entry.sub_item.text)
    if entry.title:
        found.append(entry.title)
    return found  # the speakers of an item without a segment are left out: see below


def check_texts(data: bytes, events: dict[str, icalendar.Event], programme: Programme) -> None:
    """SUMMARY and DESCRIPTION: escaped as RFC 5545 says, and hold the texts as written."""
    summaries = raw_values(data, "SUMMARY")
    descriptions = raw_values(data, "DESCRIPTION")[1:]  # the first is the calendar's
    assert [str(e["SUMMARY"]) for e in events.values()] == [unescape(s) for s in summaries]
    assert [str(e["DESCRIPTION"]) for e in events.values()] == [unescape(d) for d in descriptions]
    for meeting, uid in derived_uids(programme).items():
        summary = str(events[uid]["SUMMARY"])
        description = str(events[uid]["DESCRIPTION"])
        assert summary.startswith(programme.body.short_name)
        for entry in meeting.entries:
            if entry.item is None:
                heading = entry.label
            else:
                heading = entry.sub_item.text if entry.sub_item else entry.title
            assert _first_words(heading) in summary
            if entry.reference:
                assert f"Item {entry.reference}" in summary
            for text in _texts_of(entry):
                assert text in description  # as written: newlines, commas, backslashes
            for mark in entry.footnotes:
                assert f"[{mark}] {programme.footnote(mark).text}" in description


# ---------------------------------------------------------------- properties of generated feeds


@given(programmes(), st.randoms(use_true_random=False))
def test_model_to_ics_to_model_is_the_identity(programme: Programme, rnd: Any) -> None:
    data = to_ics(programme)
    back = from_ics(data)
    assert back == programme
    assert to_ics(back) == data  # and ics → model → ics is byte-identical
    # identical input, byte-identical output, whatever order the meetings came in
    shuffled = list(programme.meetings)
    rnd.shuffle(shuffled)
    assert to_ics(attrs.evolve(programme, meetings=shuffled)) == data


@given(programmes())
def test_feed_of_a_programme(programme: Programme) -> None:
    data = to_ics(programme)
    calendar = check_form(data)
    check_times(data, calendar, programme)
    check_vtimezones(data, {programme.timezone: _years(programme)})
    uids = raw_values(data, "UID")
    assert len(uids) == len(set(uids)) == len(programme.meetings)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    check_series(events, programme)
    check_texts(data, events, programme)


@given(programmes(), st.data())
def test_uids_do_not_depend_on_the_time_of_day(programme: Programme, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(programme.meetings) - 1))
    meeting = programme.meetings[index]
    same_room = [m for m in programme.meetings if m.date == meeting.date and m.room == meeting.room]
    position = same_room.index(meeting)
    # any new time between its neighbours in the room: its rank there stays the same
    low = same_room[position - 1].end if position else dt.time(0)
    high = same_room[position + 1].start if position + 1 < len(same_room) else dt.time(23, 59)
    low_minutes, high_minutes = low.hour * 60 + low.minute, high.hour * 60 + high.minute
    assume(high_minutes - low_minutes >= 1)
    start = data.draw(st.integers(low_minutes, high_minutes - 1))
    end = data.draw(st.integers(start + 1, high_minutes))
    new_start, new_end = dt.time(start // 60, start % 60), dt.time(end // 60, end % 60)
    zone = programme.zone
    assume(exists_once(meeting.date, new_start, zone) and exists_once(meeting.date, new_end, zone))
    moved = attrs.evolve(meeting, start=new_start, end=new_end)
    others = [m for m in programme.meetings if m is not meeting]
    try:
        retimed = attrs.evolve(programme, meetings=[*others, moved])
    except ProgrammeError:
        assume(False)  # now before a meeting of another room whose item it continues
        raise
    before, after = derived_uids(programme), derived_uids(retimed)
    assert after[moved] == before[meeting]
    assert all(after[m] == before[m] for m in others)
    assert sorted(raw_values(to_ics(retimed), "UID")) == sorted(before.values())


def _canonical(feed: Feed) -> tuple[Any, ...]:
    return (feed.programmes, feed.options, Counter(feed.events))


@given(feeds())
def test_feeds_with_history_round_trip(feed: Feed) -> None:
    data = write_ics(feed)
    back = read_ics(data)
    assert _canonical(back) == _canonical(feed)
    # the strategy lists events in random order, read_ics in the file's: output is the
    # same whatever order a feed's events are given in
    assert write_ics(back) == data
    calendar = check_form(data)
    for programme in feed.programmes:
        pid = programme_id(programme)
        meetings = [e.meeting for e in feed.events if e.programme == pid]
        check_times(data, calendar, programme, meetings)
    years: dict[str, set[int]] = {}
    for programme in feed.programmes:
        years.setdefault(programme.timezone, set()).update(_years(programme))
    for event in feed.events:
        timezone = feed.programme(event.programme).timezone
        years[timezone].add(event.meeting.date.year)
    check_vtimezones(data, years)
    found = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(found) == {e.uid for e in feed.events}
    for event in feed.events:
        component = found[event.uid]
        assert (str(component["STATUS"]) == "CANCELLED") == event.cancelled
        assert int(component["SEQUENCE"]) == event.sequence
        assert component["DTSTAMP"].dt == event.stamp


def _two_programmes(seed: Programme) -> Feed:
    vienna = attrs.evolve(seed, session="Fifth substantive session", timezone="Europe/Vienna")
    return feed_of([seed, vienna])


def test_a_feed_of_two_programmes_round_trips_up_to_event_order(
    seed_programme: Programme,
) -> None:
    feed = _two_programmes(seed_programme)
    assert _canonical(read_ics(write_ics(feed))) == _canonical(feed)


def test_a_feed_of_two_programmes_reads_back_identical(seed_programme: Programme) -> None:
    feed = _two_programmes(seed_programme)
    assert read_ics(write_ics(feed)) == feed


# ---------------------------------------------------------------- texts the model accepts


def _with_room(programme: Programme, room: str) -> Programme:
    first = attrs.evolve(programme.meetings[0], room=room)
    return attrs.evolve(programme, meetings=(first, *programme.meetings[1:]))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Working group\non ICT"),
        ("place", "New York,\nNY; USA \\ HQ"),
        ("venue", "UN HQ\n\\ North Lawn"),
        ("notes", "First line;\nsecond, line \\"),
        ("room", "Conference Room 4, North Lawn; level 2"),
        ("session", "Fourth\nsession"),
        ("short_name", "OEWG\nICT"),
        ("room", "Room 4\nNorth Lawn"),
        ("url", "https://example.org/\nx"),
        ("room", "Room 2\\B"),
        ("url", "https://example.org/a\\nb"),
    ],
)
def test_every_text_the_model_accepts_round_trips(
    seed_programme: Programme, field: str, value: str
) -> None:
    try:
        if field in ("name", "short_name"):
            changed = attrs.evolve(
                seed_programme, body=attrs.evolve(seed_programme.body, **{field: value})
            )
        elif field == "room":
            changed = _with_room(seed_programme, value)
        elif field == "notes":
            changed = attrs.evolve(seed_programme, notes=(value,))
        else:
            changed = attrs.evolve(seed_programme, **{field: value})
    except ProgrammeError:
        return  # the model may refuse such text; it must not accept text it cannot write
    assert from_ics(to_ics(changed)) == changed


def test_speakers_of_an_agenda_item_are_in_the_description(seed_programme: Programme) -> None:
    entry = AgendaEntry(item=4, title="general exchange of views", speakers=("The Chair",))
    monday = seed_programme.meetings[0]
    monday = attrs.evolve(monday, entries=(*monday.entries, entry))
    programme = attrs.evolve(seed_programme, meetings=(monday, *seed_programme.meetings[1:]))
    assert from_ics(to_ics(programme)) == programme  # the feed keeps them for programs
    event = min(events_of(to_ics(programme)), key=lambda e: e["DTSTART"].dt)
    assert "The Chair" in str(event["DESCRIPTION"])


def test_a_backslash_n_in_text_survives(seed_programme: Programme) -> None:
    entry = AgendaEntry(item=4, title="Share \\NATIONS\\docs")
    monday = seed_programme.meetings[0]
    monday = attrs.evolve(monday, entries=(*monday.entries, entry))
    programme = attrs.evolve(seed_programme, meetings=(monday, *seed_programme.meetings[1:]))
    assert from_ics(to_ics(programme)) == programme


def test_rooms_differing_in_case_get_different_uids(seed_programme: Programme) -> None:
    monday = seed_programme.meetings[0]
    programme = attrs.evolve(
        seed_programme,
        meetings=(
            attrs.evolve(monday, room="Conference Room 4"),
            attrs.evolve(monday, room="Conference room 4"),
            *seed_programme.meetings[1:],
        ),
    )
    uids = raw_values(to_ics(programme), "UID")
    assert len(uids) == len(set(uids)) == 11


# ---------------------------------------------------------------- the seed, by hand

# Every meeting of the document, New York time (EST, UTC-5, until 12 March 2023):
# local start, local end, UTC start, UTC end.
SEED_TIMES = [
    ("20230306T100000", "20230306T130000", "20230306T150000Z", "20230306T180000Z"),
    ("20230306T150000", "20230306T180000", "20230306T200000Z", "20230306T230000Z"),
    ("20230307T100000", "20230307T130000", "20230307T150000Z", "20230307T180000Z"),
    ("20230307T150000", "20230307T180000", "20230307T200000Z", "20230307T230000Z"),
    ("20230308T100000", "20230308T130000", "20230308T150000Z", "20230308T180000Z"),
    ("20230308T150000", "20230308T180000", "20230308T200000Z", "20230308T230000Z"),
    ("20230309T100000", "20230309T130000", "20230309T150000Z", "20230309T180000Z"),
    ("20230309T150000", "20230309T180000", "20230309T200000Z", "20230309T230000Z"),
    ("20230310T100000", "20230310T130000", "20230310T150000Z", "20230310T180000Z"),
    ("20230310T150000", "20230310T180000", "20230310T200000Z", "20230310T230000Z"),
]
FOOTNOTE_1 = (
    "States are strongly encouraged to use their interventions under each sub-item under "
    "agenda item 5, “Discussions on substantive issues contained in paragraph 1 of General "
    "Assembly resolution 75/240”, to focus on the specific topics and discussion points "
    "identified for follow-up in the working group’s first annual progress report, as "
    "contained in document A/77/275."
)
SPEAKERS = (
    "Under-Secretary-General and High Representative for Disarmament Affairs",
    "Chair of the open-ended working group on security of and in the use of information and "
    "communications technologies 2021–2025",
)


@pytest.fixture(scope="module")
def seed_ics(seed_programme: Programme) -> bytes:
    return to_ics(seed_programme)


@pytest.fixture(scope="module")
def seed_events(seed_ics: bytes) -> list[icalendar.Event]:
    return sorted(events_of(seed_ics), key=lambda e: e["DTSTART"].dt)


def _utc_text(prop: Any) -> str:
    return f"{prop.dt.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def test_seed_has_ten_events_at_the_documents_times(
    seed_ics: bytes, seed_events: list[icalendar.Event]
) -> None:
    assert len(seed_events) == 10
    assert seed_ics.count(b"BEGIN:VEVENT\r\n") == 10
    zone = vtimezones(seed_ics)["America/New_York"]
    for event, (start, end, utc_start, utc_end) in zip(seed_events, SEED_TIMES, strict=True):
        assert f"DTSTART;TZID=America/New_York:{start}" in content_lines(seed_ics)
        assert event["DTSTART"].to_ical().decode() == start
        assert event["DTEND"].to_ical().decode() == end
        assert _utc_text(event["DTSTART"]) == utc_start
        assert _utc_text(event["DTEND"]) == utc_end
        local = dt.datetime.strptime(start, "%Y%m%dT%H%M%S")
        assert f"{zone.to_utc(local):%Y%m%dT%H%M%SZ}" == utc_start


def test_seed_monday_morning_and_friday_afternoon_in_utc(
    seed_events: list[icalendar.Event],
) -> None:
    monday, friday = seed_events[0], seed_events[-1]
    assert monday["DTSTART"].dt.astimezone(UTC) == dt.datetime(2023, 3, 6, 15, tzinfo=UTC)
    assert monday["DTEND"].dt.astimezone(UTC) == dt.datetime(2023, 3, 6, 18, tzinfo=UTC)
    assert friday["DTSTART"].dt.astimezone(UTC) == dt.datetime(2023, 3, 10, 20, tzinfo=UTC)
    assert friday["DTEND"].dt.astimezone(UTC) == dt.datetime(2023, 3, 10, 23, tzinfo=UTC)


def _refids(event: icalendar.Event) -> set[str]:
    return {str(v) for v in values_of(event, "REFID")}


def test_seed_series_5a_is_monday_afternoon_and_tuesday_morning(
    seed_events: list[icalendar.Event],
) -> None:
    monday_pm, tuesday_am = seed_events[1], seed_events[2]
    shared = _refids(monday_pm) & _refids(tuesday_am)
    (series_5a,) = [
        ref
        for ref in shared
        if [e for e in seed_events if ref in _refids(e)] == [monday_pm, tuesday_am]
    ]
    assert series_5a.endswith("5-a")
    assert str(monday_pm["UID"]) in related(tuesday_am, "FIRST")
    summary = str(tuesday_am["SUMMARY"])
    assert "(continued)" in summary and "5(a)" in summary
    # item 5 runs from Monday morning to Friday morning: nine meetings
    (item_5,) = _refids(seed_events[0])
    assert [e for e in seed_events if item_5 in _refids(e)] == seed_events[:9]


def test_seed_thursday_afternoon_is_the_informal_stakeholder_segment(
    seed_events: list[icalendar.Event],
) -> None:
    thursday_am, thursday_pm = seed_events[6], seed_events[7]
    assert str(thursday_pm["X-OEWG-FORMAL"]) == "FALSE"
    assert str(thursday_am["X-OEWG-FORMAL"]) == "TRUE"
    summary = str(thursday_pm["SUMMARY"])
    assert "Informal, dedicated stakeholder segment" in summary
    assert "5(g)" in summary and "(continued)" in summary
    assert "Informal meeting" in str(thursday_pm["CATEGORIES"].to_ical().decode())
    assert "Informal meeting" in str(thursday_pm["DESCRIPTION"])
    series_5g = [
        ref
        for ref in _refids(thursday_pm)
        if [e for e in seed_events if ref in _refids(e)] == [thursday_am, thursday_pm]
    ]
    assert len(series_5g) == 1
    assert str(thursday_am["UID"]) in related(thursday_pm, "FIRST")


def test_seed_monday_morning_description(seed_events: list[icalendar.Event]) -> None:
    description = str(seed_events[0]["DESCRIPTION"])
    for speaker in SPEAKERS:
        assert speaker in description
    assert FOOTNOTE_1 in description
    assert "Opening of the session" in description
    assert "Agenda item 3: organization of work" in description


def test_seed_single_items_are_not_series(seed_events: list[icalendar.Event]) -> None:
    # Friday afternoon (item 6, closure) and Tuesday afternoon's 5(e) are in no series
    # but item 5's; Friday afternoon in none at all
    assert _refids(seed_events[9]) == set()
    assert len(_refids(seed_events[3])) == 1


def test_seed_vtimezone_lines(seed_ics: bytes) -> None:
    lines = content_lines(seed_ics)
    assert "TZID:America/New_York" in lines
    assert "TZOFFSETFROM:-0500" in lines and "TZOFFSETTO:-0400" in lines
    assert "TZOFFSETFROM:-0400" in lines and "TZOFFSETTO:-0500" in lines
    rules = [sorted(line[6:].split(";")) for line in lines if line.startswith("RRULE:")]
    assert sorted(rules) == [
        ["BYDAY=1SU", "BYMONTH=11", "FREQ=YEARLY"],
        ["BYDAY=2SU", "BYMONTH=3", "FREQ=YEARLY"],
    ]
    assert "X-WR-TIMEZONE:America/New_York" in lines


def test_example_script_writes_the_committed_feed(tmp_path: Path) -> None:
    out = tmp_path / "feed.ics"
    subprocess.run(
        [sys.executable, str(ROOT / "examples" / "build_by_hand.py"), str(out)],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == EXAMPLE_ICS.read_bytes()


def test_the_committed_feed_reads_back_as_the_seed(seed_programme: Programme) -> None:
    assert from_ics(EXAMPLE_ICS.read_bytes()) == seed_programme


# ---------------------------------------------------------------- a session across a DST switch


def _march_2026() -> Programme:
    entry = AgendaEntry(item=1, title="Opening of the session")
    again = AgendaEntry(item=1, title="Opening of the session", continued=True)
    return Programme(
        body=Body(name="Test body", short_name="TB"),
        session="Spring session",
        place="New York",
        venue="United Nations Headquarters",
        first_day=dt.date(2026, 3, 6),
        last_day=dt.date(2026, 3, 10),
        issued=dt.date(2026, 2, 1),
        meetings=(
            Meeting(date=dt.date(2026, 3, 6), start=dt.time(10), end=dt.time(13), entries=(entry,)),
            Meeting(date=dt.date(2026, 3, 9), start=dt.time(10), end=dt.time(13), entries=(again,)),
        ),
    )


def test_a_session_across_the_spring_switch() -> None:
    data = to_ics(_march_2026())
    lines = content_lines(data)
    assert "DTSTART;TZID=America/New_York:20260306T100000" in lines
    assert "DTSTART;TZID=America/New_York:20260309T100000" in lines
    friday, monday = sorted(events_of(data), key=lambda e: e["DTSTART"].dt)
    # Friday 6 March: EST (UTC-5); Monday 9 March, the day after the switch: EDT (UTC-4)
    assert friday["DTSTART"].dt.astimezone(UTC) == dt.datetime(2026, 3, 6, 15, tzinfo=UTC)
    assert monday["DTSTART"].dt.astimezone(UTC) == dt.datetime(2026, 3, 9, 14, tzinfo=UTC)
    zone = vtimezones(data)["America/New_York"]
    assert zone.to_utc(dt.datetime(2026, 3, 6, 10)) == dt.datetime(2026, 3, 6, 15, tzinfo=UTC)
    assert zone.to_utc(dt.datetime(2026, 3, 9, 10)) == dt.datetime(2026, 3, 9, 14, tzinfo=UTC)
    assert zone.to_utc(dt.datetime(2026, 3, 9, 13)) == dt.datetime(2026, 3, 9, 17, tzinfo=UTC)
    tz = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)
    assert dt.datetime(2026, 3, 9, 10, tzinfo=tz).astimezone(UTC).hour == 14
    assert dt.datetime(2026, 3, 6, 10, tzinfo=tz).astimezone(UTC).hour == 15
    check_times(data, check_form(data), _march_2026())


@pytest.mark.parametrize(
    ("timezone", "local", "utc"),
    [
        # hand-worked: CET/CEST switch on 29 March 2026, 02:00 → 03:00
        ("Europe/Zurich", (2026, 3, 27, 10), (2026, 3, 27, 9)),
        ("Europe/Zurich", (2026, 3, 30, 10), (2026, 3, 30, 8)),
        ("Europe/Vienna", (2026, 10, 26, 10), (2026, 10, 26, 9)),
        ("Africa/Nairobi", (2026, 3, 30, 10), (2026, 3, 30, 7)),
        ("Asia/Tokyo", (2026, 12, 31, 10), (2026, 12, 31, 1)),
        # Sydney: AEDT (UTC+11) until 5 April 2026, AEST (UTC+10) after
        ("Australia/Sydney", (2026, 4, 3, 10), (2026, 4, 2, 23)),
        ("Australia/Sydney", (2026, 4, 6, 10), (2026, 4, 6, 0)),
        # Santiago: -03 until Sunday 5 April 2026 (00:00 becomes 23:00), -04 after
        ("America/Santiago", (2026, 4, 3, 10), (2026, 4, 3, 13)),
        ("America/Santiago", (2026, 4, 6, 10), (2026, 4, 6, 14)),
    ],
)
def test_hand_worked_times_in_other_zones(
    timezone: str, local: tuple[int, ...], utc: tuple[int, ...]
) -> None:
    day = dt.date(*local[:3])
    programme = attrs.evolve(
        _march_2026(),
        timezone=timezone,
        first_day=day,
        last_day=day,
        meetings=(
            Meeting(
                date=day,
                start=dt.time(local[3]),
                end=dt.time(local[3] + 1),
                entries=(AgendaEntry(segment=Segment.OTHER, label="Meeting"),),
            ),
        ),
    )
    data = to_ics(programme)
    (event,) = events_of(data)
    assert event["DTSTART"].dt.astimezone(UTC) == dt.datetime(*utc, tzinfo=UTC)
    zone = vtimezones(data)[timezone]
    assert zone.to_utc(dt.datetime(*local)) == dt.datetime(*utc, tzinfo=UTC)


# ---------------------------------------------------------------- feeds oewg_cal did not write


def _foreign_calendar() -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Someone else//EN")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", "meeting-1@example.org")
    event.add("dtstamp", dt.datetime(2023, 3, 1, tzinfo=UTC))
    event.add("dtstart", dt.datetime(2023, 3, 6, 15, tzinfo=UTC))
    event.add("dtend", dt.datetime(2023, 3, 6, 18, tzinfo=UTC))
    event.add("summary", "Opening of the session")
    calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def test_a_feed_from_elsewhere_names_what_is_missing() -> None:
    with pytest.raises(FeedError, match="X-OEWG-PROGRAMME") as raised:
        read_ics(_foreign_calendar(), source="other.ics")
    assert "other.ics" in str(raised.value)
    with pytest.raises(FeedError, match="X-OEWG-PROGRAMME"):
        from_ics(_foreign_calendar())


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \r\n",
        b"\x00\xff\xfe garbage \x80",
        b"not a calendar at all",
        b"BEGIN:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VEVENT\r\nEND:VEVENT\r\n",
        b"BEGIN:VCALENDAR\r\nX-OEWG-PROGRAMME:{not json\r\nEND:VCALENDAR\r\n",
    ],
)
def test_broken_input_gives_feed_error(data: bytes) -> None:
    with pytest.raises(FeedError):
        read_ics(data)


def test_two_calendars_give_feed_error() -> None:
    data = EXAMPLE_ICS.read_bytes()
    with pytest.raises(FeedError, match="one VCALENDAR"):
        read_ics(data + data)


def test_truncated_feeds_give_feed_error() -> None:
    data = EXAMPLE_ICS.read_bytes()
    ends = [m.end() for m in re.finditer(rb"\r\n", data)]
    cuts = sorted({*range(1, len(data) - 2, 101), *ends[:-1]})
    for cut in cuts:
        with pytest.raises(FeedError):
            read_ics(data[:cut])


@given(st.data())
def test_damaged_feeds_give_feed_error_or_a_feed(data: st.DataObject) -> None:
    original = bytearray(EXAMPLE_ICS.read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(original) - 1))
        original[at : at + data.draw(st.integers(0, 8))] = data.draw(st.binary(max_size=8))
    try:
        feed = read_ics(bytes(original))
    except FeedError:
        return
    except OewgCalError as exc:  # pragma: no cover - reported by the assertion
        raise AssertionError(f"read_ics raised {type(exc).__name__}, not FeedError") from exc
    assert isinstance(feed, Feed)


def test_read_ics_accepts_text(seed_ics: bytes, seed_programme: Programme) -> None:
    assert from_ics(seed_ics.decode("utf-8")) == seed_programme


def test_feed_options_round_trip(seed_programme: Programme) -> None:
    options = FeedOptions(
        name="OEWG; ICT, 2023",
        description="All meetings\nof the session",
        color="navy",
        alarms=(15, 60),
        categories=("UN, New York", "ICT; security"),
        refresh_hours=2,
        source="https://example.org/oewg.ics",
    )
    feed = feed_of(seed_programme, options)
    data = write_ics(feed)
    assert read_ics(data) == feed
    assert data.count(b"BEGIN:VALARM") == 20


def test_timezones_used_by_the_strategies_are_real() -> None:
    assert all(zoneinfo.ZoneInfo(tz) for tz in TIMEZONES)


def test_sub_item_letters_written_in_summary(seed_programme: Programme) -> None:
    entry = AgendaEntry(
        item=5, title="discussions", sub_item=SubItem(letter="xyz", text="A, B; C \\ D")
    )
    programme = attrs.evolve(
        seed_programme, meetings=(attrs.evolve(seed_programme.meetings[0], entries=(entry,)),)
    )
    (event,) = events_of(to_ics(programme))
    assert "Item 5(xyz): A, B; C \\ D" in str(event["SUMMARY"])


# ---------------------------------------------------------------- the collector pause


def test_the_garbage_collector_is_paused_only_while_a_feed_is_encoded(
    seed_programme: Programme,
) -> None:
    import gc

    from oewg_cal.ical.feed import feed_of

    def collections() -> int:
        return sum(generation["collections"] for generation in gc.get_stats())

    rooms = [
        attrs.evolve(m, room=f"Conference Room {n}")
        for n in range(1, 21)
        for m in seed_programme.meetings
    ]
    feed = feed_of(attrs.evolve(seed_programme, meetings=rooms))
    assert gc.isenabled()
    before = collections()
    data = write_ics(feed)
    read_ics(data)
    # Enough objects for dozens of collections are made; at most one collection per call
    # runs, at the first allocation after the pause.
    assert collections() - before <= 2
    assert gc.isenabled()  # back on after
    with pytest.raises(FeedError):
        read_ics(data[: len(data) // 2])
    assert gc.isenabled()  # back on after a failure

    gc.disable()
    try:
        write_ics(feed)
        assert not gc.isenabled()  # the caller's choice is kept
    finally:
        gc.enable()


def test_concurrent_writers_leave_the_collector_on(seed_programme: Programme) -> None:
    import gc
    import threading

    from oewg_cal.ical.feed import feed_of

    feed = feed_of(seed_programme)
    expected = write_ics(feed)
    results: list[bytes] = []

    def work() -> None:
        for _ in range(5):
            results.append(write_ics(feed))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 20
    assert gc.isenabled()
