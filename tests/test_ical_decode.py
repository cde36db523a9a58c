"""Decoding our own feeds: round trips to the identical model, and every error named.

A feed written by something else, or a broken one, gives a FeedError whose message says
what is missing or wrong; each test matches the message, so that a reader that fails
for another reason does not pass.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedcheck import check_form, check_times, check_vtimezones, unescape, years_of
from oewg_cal import (
    AgendaEntry,
    Feed,
    FeedOptions,
    Programme,
    feed_of,
    from_ics,
    read_ics,
    to_ics,
    write_ics,
)
from oewg_cal.errors import FeedError, OewgCalError, ProgrammeError
from oewg_cal.ical.decode import unescape_text
from oewg_cal.ical.encode import escape_text
from oewg_cal.ical.feed import programme_id
from strategies import feeds, programmes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_ICS = ROOT / "examples" / "oewg-ict-4th-session.ics"
UTC = dt.timezone.utc


# ---------------------------------------------------------------- round trips


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
        years.setdefault(programme.timezone, set()).update(years_of(programme))
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


def test_the_committed_feed_reads_back_as_the_seed(seed_programme: Programme) -> None:
    assert from_ics(EXAMPLE_ICS.read_bytes()) == seed_programme


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


def test_a_backslash_n_in_text_survives(seed_programme: Programme) -> None:
    entry = AgendaEntry(item=4, title="Share \\NATIONS\\docs")
    monday = seed_programme.meetings[0]
    monday = attrs.evolve(monday, entries=(*monday.entries, entry))
    programme = attrs.evolve(seed_programme, meetings=(monday, *seed_programme.meetings[1:]))
    assert from_ics(to_ics(programme)) == programme


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
    missing = "not a feed written by oewg_cal: the VCALENDAR has no X-OEWG-PROGRAMME property"
    with pytest.raises(FeedError, match=missing) as raised:
        read_ics(_foreign_calendar(), source="other.ics")
    assert str(raised.value).startswith("other.ics: ")
    assert raised.value.source == "other.ics" and raised.value.line is None
    with pytest.raises(FeedError, match=missing):
        from_ics(_foreign_calendar())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", r"the feed is empty \(expected a VCALENDAR\)"),
        (b"   \r\n", r"the feed is empty \(expected a VCALENDAR\)"),
        (b"\x00\xff\xfe garbage \x80", r"not an iCalendar file \("),
        (b"not a calendar at all", r"not an iCalendar file \("),
        # never closed: icalendar finds no complete calendar
        (b"BEGIN:VCALENDAR\r\n", r"expected one VCALENDAR, found 0"),
        (
            b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
            r"not a feed written by oewg_cal: the VCALENDAR has no X-OEWG-PROGRAMME",
        ),
        (b"BEGIN:VEVENT\r\nEND:VEVENT\r\n", r"expected one VCALENDAR, found a VEVENT"),
        (
            b"BEGIN:VCALENDAR\r\nX-OEWG-PROGRAMME:{not json\r\nEND:VCALENDAR\r\n",
            r"X-OEWG-PROGRAMME is not valid JSON \(",
        ),
        (
            b"BEGIN:VCALENDAR\r\nX-OEWG-PROGRAMME:[1\\, 2]\r\nEND:VCALENDAR\r\n",
            r"X-OEWG-PROGRAMME must be a JSON object with the programme's id and timezone",
        ),
        (
            b'BEGIN:VCALENDAR\r\nX-OEWG-PROGRAMME:{"id":"p"}\r\nEND:VCALENDAR\r\n',
            r"X-OEWG-PROGRAMME must be a JSON object with the programme's id and timezone",
        ),
    ],
)
def test_broken_input_gives_feed_error(data: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=f"^<feed>: {message}"):
        read_ics(data)


def test_a_calendar_of_another_kind_is_not_a_feed(seed_ics: bytes) -> None:
    journal = seed_ics.replace(b"BEGIN:VCALENDAR", b"BEGIN:VJOURNAL").replace(
        b"END:VCALENDAR", b"END:VJOURNAL"
    )
    with pytest.raises(FeedError, match="expected one VCALENDAR, found a VJOURNAL"):
        read_ics(journal)


def test_two_calendars_give_feed_error() -> None:
    data = EXAMPLE_ICS.read_bytes()
    with pytest.raises(FeedError, match="expected one VCALENDAR, found 2"):
        read_ics(data + data)


def test_truncated_feeds_give_feed_error() -> None:
    data = EXAMPLE_ICS.read_bytes()
    ends = [m.end() for m in re.finditer(rb"\r\n", data)]
    # Cut after a whole line, every line read is sound but END:VCALENDAR is missing.
    for cut in ends[:-1]:
        with pytest.raises(FeedError, match="expected one VCALENDAR, found 0"):
            read_ics(data[:cut])
    # Cut inside a line, the last line may also be no content line at all.
    for cut in sorted(set(range(1, len(data) - 2, 101)) - set(ends)):
        with pytest.raises(
            FeedError, match=r"expected one VCALENDAR, found 0|not an iCalendar file \("
        ):
            read_ics(data[:cut])


# ---------------------------------------------------------------- our feeds, damaged by hand

# Each case edits the seed feed's unfolded content lines (icalendar reads long lines too):
# in the first VEVENT, the line starting with the prefix is replaced (or, with None,
# removed); the message is what read_ics must say about it.
FIRST_UID = "20230306-1-oewg-on-ict-security-2021-2025-4e0b8fdbe0@oewg-cal"
SEED_PID = "oewg-on-ict-security-2021-2025-4e0b8fdbe0"
EVENT_DAMAGE = [
    ("UID:", None, "a VEVENT has 0 UIDs (expected one)"),
    ("UID:", "UID: ", "a VEVENT has an empty UID"),
    (
        "X-OEWG-PROGRAMME:",
        "X-OEWG-PROGRAMME:someone-else",
        f"event {FIRST_UID}: X-OEWG-PROGRAMME names no programme of this feed",
    ),
    (
        "DTSTART;",
        "DTSTART:20230306T150000Z",
        f"event {FIRST_UID}: DTSTART must be a local time with TZID=America/New_York, "
        "found '20230306T150000Z' with TZID=None",
    ),
    (
        "DTEND;",
        None,
        f"event {FIRST_UID}: DTEND must be a local time with TZID=America/New_York, "
        "found 'nothing' with TZID=None",
    ),
    (
        "DTEND;",
        "DTEND;TZID=America/New_York:20230308T130000",
        f"event {FIRST_UID} does not end on the day it starts or the next",
    ),
    # ending the next day, it would be an overnight meeting of 27 hours
    (
        "DTEND;",
        "DTEND;TZID=America/New_York:20230307T130000",
        f"event {FIRST_UID}: the meeting of 2023-03-06 from 10:00 to 13:00 the next day "
        "would last more than a day",
    ),
    (
        "DTEND;",
        "DTEND;TZID=America/New_York:20230306T090000",
        f"event {FIRST_UID}: the meeting of 2023-03-06 ends at 09:00, not after it starts at 10:00",
    ),
    (
        "DTSTAMP:",
        "DTSTAMP;TZID=America/New_York:20230304T000000",
        f"event {FIRST_UID}: DTSTAMP must be a UTC date-time",
    ),
    ("DTSTAMP:", None, f"event {FIRST_UID}: DTSTAMP must be a UTC date-time"),
    # values icalendar cannot parse: it keeps them as broken properties
    ("DTSTAMP:", "DTSTAMP:2023", f"event {FIRST_UID}: DTSTAMP must be a UTC date-time"),
    (
        "DTSTART;",
        "DTSTART;TZID=America/New_York:",
        f"event {FIRST_UID}: DTSTART must be a local time with TZID=America/New_York, "
        "found '' with TZID='America/New_York'",
    ),
    (
        "DTEND;",
        "DTEND;TZID=America/New_York:2023-03-06",
        f"event {FIRST_UID}: DTEND must be a local time with TZID=America/New_York, "
        "found '2023-03-06' with TZID='America/New_York'",
    ),
    # a TZID that is a folder of the tz database, not a zone
    (
        "DTSTART;",
        "DTSTART;TZID=America:20230306T100000",
        "not an iCalendar file (a TZID names no time zone)",
    ),
    ("SEQUENCE:", "SEQUENCE:-1", f"event {FIRST_UID}: SEQUENCE must be a whole number, not -1"),
    (
        "X-OEWG-ENTRY:",
        "X-OEWG-ENTRY:{oops",
        f"event {FIRST_UID}: X-OEWG-ENTRY 1 is not valid JSON (",
    ),
    (
        "X-OEWG-ENTRY:",
        'X-OEWG-ENTRY:{"label":"Lunch"\\,"segment":"lunch"}',
        f"event {FIRST_UID}: X-OEWG-ENTRY 1: segment: unknown segment 'lunch' (expected one "
        "of opening, opening-statements, stakeholder, closure, concluding-remarks, other)",
    ),
]


def _unfolded(data: bytes) -> list[str]:
    return data.decode().replace("\r\n ", "").split("\r\n")[:-1]


def _joined(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


def _first_event_edited(data: bytes, prefix: str, new: str | None) -> bytes:
    lines = _unfolded(data)
    begin = lines.index("BEGIN:VEVENT")
    (at,) = [
        i
        for i in range(begin, lines.index("END:VEVENT") + 1)
        if lines[i].startswith(prefix) and (prefix != "X-OEWG-ENTRY:" or i == _first(lines, i))
    ]
    lines[at : at + 1] = [] if new is None else [new]
    return _joined(lines)


def _first(lines: list[str], index: int) -> int:
    """The index of the first X-OEWG-ENTRY line of the event holding line ``index``."""
    while lines[index - 1].startswith("X-OEWG-ENTRY:"):
        index -= 1
    return index


def test_the_edited_seed_still_reads_unedited(seed_ics: bytes, seed_programme: Programme) -> None:
    lines = _unfolded(seed_ics)
    assert lines[lines.index("BEGIN:VEVENT") :].count(f"UID:{FIRST_UID}") == 1
    assert f"X-OEWG-PROGRAMME:{SEED_PID}" in lines
    assert from_ics(_joined(lines)) == seed_programme  # unfolded lines read the same


@pytest.mark.parametrize(("prefix", "new", "message"), EVENT_DAMAGE)
def test_a_damaged_event_is_named_with_what_is_wrong(
    seed_ics: bytes, prefix: str, new: str | None, message: str
) -> None:
    damaged = _first_event_edited(seed_ics, prefix, new)
    with pytest.raises(FeedError, match="^" + re.escape(f"feed.ics: {message}")):
        read_ics(damaged, source="feed.ics")


def _calendar_line_replaced(data: bytes, prefix: str, new: str) -> bytes:
    lines = _unfolded(data)
    (at,) = [i for i, line in enumerate(lines) if line.startswith(prefix)]
    lines[at] = new
    return _joined(lines)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ('{"colour":"red"}', "X-OEWG-FEED: colour: unknown feed option 'colour'"),
        (
            '{"refresh_hours":0}',
            "X-OEWG-FEED: invalid feed options: "
            "refresh_hours must be a whole number of hours, 1 or more: 0",
        ),
        ("[]", "X-OEWG-FEED: feed options must be a JSON object, not []"),
        ("{nope", "X-OEWG-FEED is not valid JSON ("),
    ],
)
def test_damaged_feed_options_are_named(seed_ics: bytes, options: str, message: str) -> None:
    damaged = _calendar_line_replaced(seed_ics, "X-OEWG-FEED:", f"X-OEWG-FEED:{options}")
    with pytest.raises(FeedError, match="^" + re.escape(f"<feed>: {message}")):
        read_ics(damaged)


def _programme_json(data: bytes) -> dict[str, Any]:
    (raw,) = [line for line in _unfolded(data) if line.startswith("X-OEWG-PROGRAMME:{")]
    found: dict[str, Any] = json.loads(unescape(raw.removeprefix("X-OEWG-PROGRAMME:")))
    return found


def _with_programme_json(data: bytes, programme: dict[str, Any]) -> bytes:
    text = json.dumps(programme, ensure_ascii=False).replace("\\", "\\\\")
    escaped = text.replace(";", "\\;").replace(",", "\\,")
    return _calendar_line_replaced(data, "X-OEWG-PROGRAMME:{", f"X-OEWG-PROGRAMME:{escaped}")


def test_the_programme_json_of_the_seed(seed_ics: bytes) -> None:
    found = _programme_json(seed_ics)
    assert found["id"] == SEED_PID and found["timezone"] == "America/New_York"
    assert found["session"] == "Fourth substantive session" and "meetings" not in found
    assert from_ics(_with_programme_json(seed_ics, found)) == from_ics(seed_ics)


def test_a_programme_json_without_a_required_key(seed_ics: bytes) -> None:
    found = _programme_json(seed_ics)
    del found["session"]
    with pytest.raises(
        FeedError,
        match=re.escape(
            "<feed>: the feed describes an invalid programme: "
            "missing key 'session' in the programme"
        ),
    ):
        read_ics(_with_programme_json(seed_ics, found))


def test_a_programme_json_whose_id_is_not_its_content(seed_ics: bytes) -> None:
    found = _programme_json(seed_ics)
    found["session"] = "Fifth substantive session"  # the id names the fourth
    with pytest.raises(
        FeedError,
        match=re.escape(f"<feed>: X-OEWG-PROGRAMME id '{SEED_PID}' does not match its content"),
    ):
        read_ics(_with_programme_json(seed_ics, found))


def test_an_event_twice_makes_an_inconsistent_feed(seed_ics: bytes) -> None:
    lines = _unfolded(seed_ics)
    begin, end = lines.index("BEGIN:VEVENT"), lines.index("END:VEVENT")
    again = [*lines[begin:end], "X-OEWG-CANCELLED:TRUE", "END:VEVENT"]  # the same UID, cancelled
    lines[end + 1 : end + 1] = again
    with pytest.raises(
        FeedError,
        match=re.escape(
            "<feed>: the feed is inconsistent: UIDs must be unique in a feed; "
            f"repeated: ['{FIRST_UID}']"
        ),
    ):
        read_ics(_joined(lines))


def test_a_cancelled_mark_takes_the_meeting_out_of_the_programme(seed_ics: bytes) -> None:
    lines = _unfolded(seed_ics)
    last = len(lines) - 1 - lines[::-1].index("END:VEVENT")  # Friday afternoon, the closure
    lines.insert(last, "X-OEWG-CANCELLED:TRUE")
    feed = read_ics(_joined(lines))
    (cancelled,) = feed.cancelled
    assert cancelled.uid == f"20230310-2-{SEED_PID}@oewg-cal"  # the second meeting that day
    assert (cancelled.meeting.date, cancelled.meeting.start) == (dt.date(2023, 3, 10), dt.time(15))
    assert len(feed.programmes[0].meetings) == 9
    assert cancelled.meeting not in feed.programmes[0].meetings


def test_from_ics_wants_one_programme(seed_programme: Programme) -> None:
    other = attrs.evolve(seed_programme, session="Fifth substantive session")
    data = write_ics(feed_of([seed_programme, other]))
    with pytest.raises(
        FeedError,
        match=re.escape("x.ics: the feed holds 2 programmes (expected one; use read_ics)"),
    ):
        from_ics(data, source="x.ics")
    assert len(read_ics(data).programmes) == 2


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


# ---------------------------------------------------------------- TEXT unescaping


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("a\\,b\\;c", "a,b;c"),
        ("two\\nlines", "two\nlines"),
        ("two\\Nlines", "two\nlines"),
        ("back\\\\slash", "back\\slash"),
        ("\\\\n is no newline", "\\n is no newline"),
        ("a\\:b", "a:b"),  # an escape RFC 5545 does not know gives its character
        ("plain", "plain"),
    ],
)
def test_unescape_text(raw: str, text: str) -> None:
    assert unescape_text(raw) == text


@given(st.text())
def test_unescape_undoes_escape(text: str) -> None:
    assert unescape_text(escape_text(text)) == text


def test_a_date_time_cut_by_a_line_break_is_a_feed_error() -> None:
    """A bare LF inside DTEND's value leaves icalendar a value it cannot parse, whose text
    it gives back as str: the message shows it instead of failing on it."""
    data = EXAMPLE_ICS.read_bytes()
    cut = data.replace(
        b"DTEND;TZID=America/New_York:20230306T130000",
        b"DTEND;TZID=America/New_York:202303\n06T130000",
        1,
    )
    assert cut != data
    with pytest.raises(FeedError) as info:
        read_ics(cut, source="x.ics")
    message = str(info.value)
    assert message.startswith("x.ics: event 20230306-1-")
    assert message.endswith(
        "DTEND must be a local time with TZID=America/New_York, found '202303' with "
        "TZID='America/New_York'"
    )
