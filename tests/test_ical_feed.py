"""The feed model: programme ids, derived UIDs, events, options and the Feed's invariants."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from feedcheck import raw_values
from oewg_cal import AgendaEntry, Body, Meeting, Programme, to_ics
from oewg_cal.errors import InvalidField, ProgrammeError, SchemaError
from oewg_cal.ical.feed import (
    Event,
    Feed,
    FeedOptions,
    default_stamp,
    derived_uid,
    derived_uids,
    feed_of,
    options_from_dict,
    options_to_dict,
    programme_id,
)
from strategies import exists_once, feed_options, programmes


@given(programmes(), st.data())
def test_uids_do_not_depend_on_the_time_of_day(programme: Programme, data: st.DataObject) -> None:
    # a meeting with a start and an end on its day; a meeting's rank is counted among the
    # meetings of its day and room (deadlines and overnight meetings apart)
    movable = [m for m in programme.meetings if m.end is not None and not m.overnight]
    assume(movable)
    meeting = data.draw(st.sampled_from(movable))
    same_room = [m for m in movable if m.date == meeting.date and m.room == meeting.room]
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


# ---------------------------------------------------------------- programme ids and UIDs


def _small(**fields: Any) -> Programme:
    values: dict[str, Any] = {
        "body": Body(name="Open-ended working group", short_name="OEWG"),
        "session": "Fourth session",
        "place": "New York",
        "venue": "United Nations Headquarters",
        "first_day": dt.date(2023, 3, 6),
        "last_day": dt.date(2023, 3, 10),
        "issued": dt.date(2023, 3, 4),
        "meetings": (
            Meeting(date=dt.date(2023, 3, 6), start=dt.time(10), end=dt.time(13), entries=(ITEM,)),
            Meeting(date=dt.date(2023, 3, 6), start=dt.time(15), end=dt.time(18), entries=(ITEM,)),
            Meeting(
                date=dt.date(2023, 3, 6),
                start=dt.time(15),
                end=dt.time(16),
                entries=(ITEM,),
                room="Conference Room 4",
            ),
            Meeting(date=dt.date(2023, 3, 7), start=dt.time(10), end=dt.time(13), entries=(ITEM,)),
        ),
    }
    values.update(fields)
    return Programme(**values)


ITEM = AgendaEntry(item=3, title="organization of work")


def _digest(text: str, length: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def test_programme_id_is_short_name_and_a_hash_of_name_session_and_first_day() -> None:
    digest = _digest("Open-ended working group\x1fFourth session\x1f2023-03-06", 10)
    assert programme_id(_small()) == f"oewg-{digest}"
    # the content does not change it; the body, session or first day do
    assert programme_id(_small(meetings=(), venue="Geneva", issued=dt.date(2023, 1, 1))) == (
        f"oewg-{digest}"
    )
    assert programme_id(_small(session="Fifth session")) != programme_id(_small())
    assert programme_id(_small(first_day=dt.date(2023, 3, 5))) != programme_id(_small())


@pytest.mark.parametrize(
    ("short_name", "slug"),
    [
        ("OEWG on ICT security 2021–2025", "oewg-on-ict-security-2021-2025"),
        ("Conférence du désarmement", "conference-du-desarmement"),
        ("CD_2023 / part I", "cd-2023-part-i"),
        ("联合国", ""),  # no Latin letters: the hash alone
        ("A" * 50, "a" * 40),
    ],
)
def test_programme_id_slug(short_name: str, slug: str) -> None:
    programme = _small(body=Body(name="Open-ended working group", short_name=short_name))
    digest = _digest("Open-ended working group\x1fFourth session\x1f2023-03-06", 10)
    assert programme_id(programme) == (f"{slug}-{digest}" if slug else digest)


def test_derived_uids_by_day_room_and_rank() -> None:
    programme = _small()
    pid = programme_id(programme)
    room = f"conference-room-4-{_digest('Conference Room 4', 6)}"
    monday_am, monday_pm, room_4, tuesday = sorted(
        programme.meetings, key=lambda m: (m.date, m.room or "", m.start)
    )
    assert derived_uids(programme) == {
        monday_am: f"20230306-1-{pid}@oewg-cal",
        monday_pm: f"20230306-2-{pid}@oewg-cal",
        room_4: f"20230306-{room}-1-{pid}@oewg-cal",
        tuesday: f"20230307-1-{pid}@oewg-cal",
    }
    assert derived_uid(programme, tuesday) == f"20230307-1-{pid}@oewg-cal"


def test_default_stamp_is_the_issue_date_at_midnight_utc() -> None:
    assert default_stamp(_small()) == dt.datetime(2023, 3, 4, tzinfo=dt.timezone.utc)


# ---------------------------------------------------------------- events


def _event(**fields: Any) -> Event:
    programme = _small()
    values: dict[str, Any] = {
        "programme": programme_id(programme),
        "meeting": programme.meetings[0],
        "uid": "a@b",
        "stamp": dt.datetime(2023, 3, 4, 12, tzinfo=dt.timezone.utc),
    }
    values.update(fields)
    return Event(**values)


def test_an_event_defaults() -> None:
    event = _event()
    assert (event.sequence, event.cancelled) == (0, False)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"stamp": dt.datetime(2023, 3, 4, 12)}, "stamp must be an aware UTC datetime"),
        (
            {"stamp": dt.datetime(2023, 3, 4, 12, tzinfo=dt.timezone(dt.timedelta(hours=1)))},
            "stamp must be an aware UTC datetime",
        ),
        ({"stamp": dt.date(2023, 3, 4)}, "stamp must be an aware UTC datetime"),
        (
            {"stamp": dt.datetime(2023, 3, 4, 12, 0, 0, 500, tzinfo=dt.timezone.utc)},
            "stamp must be a whole second",
        ),
    ],
)
def test_an_event_stamp_is_utc_whole_seconds(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidField, match=message):
        _event(**fields)


def test_an_event_needs_a_uid_and_a_sequence_of_zero_or_more() -> None:
    with pytest.raises(ValueError, match="uid"):
        _event(uid="")
    with pytest.raises(ValueError, match="sequence"):
        _event(sequence=-1)


# ---------------------------------------------------------------- options


def test_options_as_plain_data() -> None:
    assert options_to_dict(FeedOptions()) == {
        "name": None,
        "description": None,
        "color": None,
        "alarms": [],
        "categories": [],
        "refresh_hours": 6,
        "source": None,
    }
    options = FeedOptions(
        name="OEWG; ICT",
        description="All meetings\nof the session",
        color="#1f77b4",
        alarms=[15, 60],
        categories=["UN", "ICT"],
        refresh_hours=2,
        source="https://example.org/oewg.ics",
    )
    data = options_to_dict(options)
    assert data == {
        "name": "OEWG; ICT",
        "description": "All meetings\nof the session",
        "color": "#1f77b4",
        "alarms": [15, 60],
        "categories": ["UN", "ICT"],
        "refresh_hours": 2,
        "source": "https://example.org/oewg.ics",
    }
    assert options_from_dict(data) == options
    assert options_from_dict(json.loads(json.dumps(data))) == options


@given(feed_options())
def test_options_round_trip(options: FeedOptions) -> None:
    assert options_from_dict(options_to_dict(options)) == options


def test_missing_options_take_their_defaults() -> None:
    assert options_from_dict({}) == FeedOptions()
    assert options_from_dict({"alarms": [5]}) == FeedOptions(alarms=(5,))


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        ({"colour": "red"}, ("colour",), "unknown feed option 'colour'"),
        (["name"], (), "feed options must be a JSON object, not ['name']"),
        (
            {"refresh_hours": 0},
            (),
            "invalid feed options: refresh_hours must be a whole number of hours, 1 or more: 0",
        ),
        (
            {"name": "a\tb"},
            (),
            "invalid feed options: name must not hold control characters: 'a\\tb'",
        ),
    ],
)
def test_options_that_do_not_fit(data: object, path: tuple[str, ...], message: str) -> None:
    with pytest.raises(SchemaError) as info:
        options_from_dict(data)
    assert (info.value.path, info.value.message) == (path, message)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "OEWG\x07"}, "name must not hold control characters: 'OEWG\\x07'"),
        ({"name": "OEWG\nICT"}, "name must be a single line: 'OEWG\\nICT'"),
        ({"name": ""}, "name must not be empty"),
        ({"name": " OEWG"}, "name must not start or end with whitespace: ' OEWG'"),
        ({"description": "a\x00b"}, "description must not hold control characters: 'a\\x00b'"),
        ({"description": "a\rb"}, "description must not hold control characters: 'a\\rb'"),
        ({"color": "navy\x1b[0m"}, "color must not hold control characters: 'navy\\x1b[0m'"),
        (
            {"source": "https://x/\x7f"},
            "source must not hold control characters: 'https://x/\\x7f'",
        ),
        (
            {"categories": ("UN", "a\x85b")},
            "categories must not hold control characters: 'a\\x85b'",
        ),
        ({"categories": ("UN\nNY",)}, "categories must be a single line: 'UN\\nNY'"),
        ({"categories": ("",)}, "categories must not be empty"),
        ({"categories": "UN"}, "expected a sequence, not the text 'UN'"),
        ({"refresh_hours": 0}, "refresh_hours must be a whole number of hours, 1 or more: 0"),
        ({"refresh_hours": True}, "refresh_hours must be a whole number of hours, 1 or more: True"),
        ({"refresh_hours": 1.5}, "refresh_hours must be a whole number of hours, 1 or more: 1.5"),
        ({"alarms": (15, -1)}, "alarms are whole minutes before the start, not -1"),
        ({"alarms": (False,)}, "alarms are whole minutes before the start, not False"),
    ],
)
def test_feed_options_validation(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidField) as info:
        FeedOptions(**fields)
    assert str(info.value) == message


def test_a_description_may_hold_lines() -> None:
    assert FeedOptions(description="One\nTwo").description == "One\nTwo"


# ---------------------------------------------------------------- the feed


def test_feed_of_one_programme() -> None:
    programme = _small()
    feed = feed_of(programme)
    pid = programme_id(programme)
    stamp = dt.datetime(2023, 3, 4, tzinfo=dt.timezone.utc)
    assert feed.programmes == (programme,) and feed.options == FeedOptions()
    assert {(e.uid, e.meeting, e.sequence, e.stamp, e.cancelled) for e in feed.events} == {
        (uid, meeting, 0, stamp, False) for meeting, uid in derived_uids(programme).items()
    }
    assert all(e.programme == pid for e in feed.events)
    assert feed.live == feed.events and feed.cancelled == ()
    assert feed.programme(pid) is programme
    with pytest.raises(KeyError):
        feed.programme("nothing")


def test_feed_of_several_programmes_with_options() -> None:
    other = _small(session="Fifth session")
    feed = feed_of([_small(), other], FeedOptions(name="Both"))
    assert feed.programmes == (_small(), other) and feed.options.name == "Both"
    assert len(feed.events) == 8
    assert feed.programme(programme_id(other)) is other


def test_events_are_kept_in_one_order_whatever_order_they_come_in() -> None:
    feed = feed_of(_small())
    reversed_feed = Feed(programmes=feed.programmes, events=feed.events[::-1])
    assert reversed_feed == feed and reversed_feed.events == feed.events
    # by day, start, end, room
    assert [(e.meeting.date.day, e.meeting.start.hour, e.meeting.room) for e in feed.events] == [
        (6, 10, None),
        (6, 15, "Conference Room 4"),
        (6, 15, None),
        (7, 10, None),
    ]


def _cancelled(event: Event, uid: str) -> Event:
    return attrs.evolve(event, uid=uid, cancelled=True, sequence=1)


def test_a_feed_holds_cancelled_events_beside_live_ones() -> None:
    feed = feed_of(_small())
    gone = _cancelled(feed.events[0], "gone@x")
    both = Feed(programmes=feed.programmes, events=(*feed.events, gone))
    assert both.cancelled == (gone,) and both.live == feed.events


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("same programme twice", "a feed cannot hold the same programme twice"),
        ("uid twice", "UIDs must be unique in a feed; repeated: ['twice@x']"),
        (
            "meeting without event",
            "every meeting of the feed's programmes needs exactly one live event",
        ),
        (
            "meeting with two events",
            "every meeting of the feed's programmes needs exactly one live event",
        ),
        ("event of another programme", "event gone@x belongs to no programme of the feed"),
    ],
)
def test_feed_invariants(change: str, message: str) -> None:
    programme = _small()
    feed = feed_of(programme)
    programmes: tuple[Programme, ...] = (programme,)
    events = list(feed.events)
    if change == "same programme twice":
        programmes = (programme, attrs.evolve(programme, venue="Elsewhere"))
    elif change == "uid twice":
        events = [attrs.evolve(e, uid="twice@x") for e in events[:2]] + events[2:]
    elif change == "meeting without event":
        events = events[1:]
    elif change == "meeting with two events":
        events.append(attrs.evolve(events[0], uid="again@x"))
    else:
        events.append(_cancelled(events[0], "gone@x"))
        events[-1] = attrs.evolve(events[-1], programme="someone-else")
    with pytest.raises(InvalidField) as info:
        Feed(programmes=programmes, events=events)
    assert str(info.value) == message
