"""The model as plain data: exact inverses, and every SchemaError with the path at fault."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given

from oewg_cal import (
    AgendaEntry,
    Body,
    Footnote,
    Meeting,
    Programme,
    Reference,
    Segment,
    SubItem,
)
from oewg_cal.errors import SchemaError
from oewg_cal.model import FollowedBy, Kind, SeriesKey
from oewg_cal.schema import (
    FORMAT_VERSION,
    canonical_json,
    entry_from_dict,
    entry_to_dict,
    followed_by_from_dict,
    followed_by_to_dict,
    meeting_from_dict,
    meeting_to_dict,
    programme_from_dict,
    programme_to_dict,
    series_key,
)
from strategies import programmes

ITEM_5A = AgendaEntry(
    item=5,
    title="discussions",
    continued=True,
    sub_item=SubItem(letter="a", text="Norms", continued=True),
    footnotes=("1",),
)
MONDAY = Meeting(
    date=dt.date(2023, 3, 6),
    start=dt.time(10),
    end=dt.time(13, 30),
    entries=(
        AgendaEntry(segment=Segment.OPENING, label="Opening of the session"),
        AgendaEntry(
            segment=Segment.OPENING_STATEMENTS,
            label="Opening statements",
            speakers=("The Chair",),
        ),
        AgendaEntry(item=5, title="discussions", sub_item=SubItem(letter="a", text="Norms")),
    ),
)
TUESDAY = Meeting(
    date=dt.date(2023, 3, 7),
    start=dt.time(15),
    end=dt.time(18),
    entries=(ITEM_5A,),
    formal=False,
    room="Conference Room 4",
)
PROGRAMME = Programme(
    body=Body(name="Open-ended working group", short_name="OEWG"),
    session="Fourth session",
    place="New York",
    venue="United Nations Headquarters",
    first_day=dt.date(2023, 3, 6),
    last_day=dt.date(2023, 3, 10),
    issued=dt.date(2023, 3, 4),
    timezone="America/New_York",
    symbol="A/AC.292/2023/1",
    url="https://example.org/programme",
    notes=("A note.",),
    footnotes=(Footnote(mark="1", text="A footnote."),),
    references=(
        Reference(symbol="A/RES/75/240", title="resolution 75/240", url="https://undocs.org/x"),
        Reference(symbol="A/77/275", title="A/77/275"),
    ),
    meetings=(MONDAY, TUESDAY),
)

# Worked out by hand from the README's description of programme files.
MONDAY_DICT = {
    "date": "2023-03-06",
    "start": "10:00",
    "end": "13:30",
    "entries": [
        {"segment": "opening", "label": "Opening of the session"},
        {"segment": "opening-statements", "label": "Opening statements", "speakers": ["The Chair"]},
        {"item": 5, "title": "discussions", "sub_item": {"letter": "a", "text": "Norms"}},
    ],
}
TUESDAY_DICT = {
    "date": "2023-03-07",
    "start": "15:00",
    "end": "18:00",
    "formal": False,
    "room": "Conference Room 4",
    "entries": [
        {
            "item": 5,
            "title": "discussions",
            "continued": True,
            "sub_item": {"letter": "a", "text": "Norms", "continued": True},
            "footnotes": ["1"],
        }
    ],
}
PROGRAMME_DICT: dict[str, Any] = {
    "format": 1,
    "session": "Fourth session",
    "place": "New York",
    "venue": "United Nations Headquarters",
    "timezone": "America/New_York",
    "first_day": "2023-03-06",
    "last_day": "2023-03-10",
    "issued": "2023-03-04",
    "symbol": "A/AC.292/2023/1",
    "url": "https://example.org/programme",
    "notes": ["A note."],
    "body": {"name": "Open-ended working group", "short_name": "OEWG"},
    "footnotes": [{"mark": "1", "text": "A footnote."}],
    "references": [
        {"symbol": "A/RES/75/240", "title": "resolution 75/240", "url": "https://undocs.org/x"},
        {"symbol": "A/77/275", "title": "A/77/275"},
    ],
    "meetings": [MONDAY_DICT, TUESDAY_DICT],
}


# ---------------------------------------------------------------- to plain data and back


def test_the_format_version() -> None:
    assert FORMAT_VERSION == 1


def test_entries_as_plain_data() -> None:
    assert [entry_to_dict(e) for e in MONDAY.entries] == MONDAY_DICT["entries"]
    assert entry_to_dict(ITEM_5A) == TUESDAY_DICT["entries"][0]  # type: ignore[index]
    # an item and a segment in one entry
    both = AgendaEntry(item=6, title="closure", segment=Segment.CLOSURE, label="Closure")
    assert entry_to_dict(both) == {
        "segment": "closure",
        "label": "Closure",
        "item": 6,
        "title": "closure",
    }


def test_meetings_as_plain_data() -> None:
    assert meeting_to_dict(MONDAY) == MONDAY_DICT
    assert meeting_to_dict(TUESDAY) == TUESDAY_DICT
    assert list(meeting_to_dict(TUESDAY)) == ["date", "start", "end", "formal", "room", "entries"]


def test_a_programme_as_plain_data() -> None:
    assert programme_to_dict(PROGRAMME) == PROGRAMME_DICT
    assert list(programme_to_dict(PROGRAMME)) == list(PROGRAMME_DICT)
    without = programme_to_dict(PROGRAMME, meetings=False)
    assert "meetings" not in without and without == {
        k: v for k, v in PROGRAMME_DICT.items() if k != "meetings"
    }


def test_optional_keys_are_left_out() -> None:
    bare = Programme(
        body=PROGRAMME.body,
        session="S",
        place="P",
        venue="V",
        first_day=dt.date(2023, 3, 6),
        last_day=dt.date(2023, 3, 6),
        issued=dt.date(2023, 3, 6),
        meetings=(),
    )
    assert programme_to_dict(bare) == {
        "format": 1,
        "session": "S",
        "place": "P",
        "venue": "V",
        "timezone": "America/New_York",
        "first_day": "2023-03-06",
        "last_day": "2023-03-06",
        "issued": "2023-03-06",
        "body": {"name": "Open-ended working group", "short_name": "OEWG"},
        "meetings": [],
    }


def test_plain_data_reads_back() -> None:
    assert programme_from_dict(PROGRAMME_DICT) == PROGRAMME
    assert meeting_from_dict(TUESDAY_DICT) == TUESDAY
    assert entry_from_dict(MONDAY_DICT["entries"][1]) == MONDAY.entries[1]  # type: ignore[index]


def test_meetings_given_apart_replace_the_dictionarys() -> None:
    without = {k: v for k, v in PROGRAMME_DICT.items() if k != "meetings"}
    assert programme_from_dict(without, meetings=[TUESDAY, MONDAY]) == PROGRAMME
    assert programme_from_dict(PROGRAMME_DICT, meetings=[MONDAY]).meetings == (MONDAY,)


def test_what_a_toml_parser_gives_reads_too() -> None:
    # tomllib gives dates and times as objects, not text
    data = dict(PROGRAMME_DICT, first_day=dt.date(2023, 3, 6))
    data["meetings"] = [
        dict(MONDAY_DICT, date=dt.date(2023, 3, 6), start=dt.time(10)),
        TUESDAY_DICT,
    ]
    assert programme_from_dict(data) == PROGRAMME


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("10:00", dt.time(10)),
        ("9:05", dt.time(9, 5)),
        ("09:05:00", dt.time(9, 5)),
        ("23:58", dt.time(23, 58)),
        ("0:00", dt.time(0)),
    ],
)
def test_times_as_text(text: str, time: dt.time) -> None:
    meeting = meeting_from_dict(dict(MONDAY_DICT, start=text, end="23:59"))
    assert meeting.start == time


@given(programmes())
def test_programmes_round_trip(programme: Programme) -> None:
    data = programme_to_dict(programme)
    assert programme_from_dict(data) == programme
    assert (
        programme_from_dict(
            programme_to_dict(programme, meetings=False), meetings=programme.meetings
        )
        == programme
    )
    for meeting in programme.meetings:
        assert meeting_from_dict(meeting_to_dict(meeting)) == meeting


def test_canonical_json() -> None:
    assert canonical_json({"b": [1, "é"], "a": {"d": None, "c": True}}) == (
        '{"a":{"c":true,"d":null},"b":[1,"é"]}'
    )


# ---------------------------------------------------------------- errors and their paths


def _error(call: Any) -> SchemaError:
    with pytest.raises(SchemaError) as info:
        call()
    return info.value


def _programme_with(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    """PROGRAMME_DICT, deep-copied, with ``value`` at ``path`` (``...`` removes the key)."""
    import copy

    data = copy.deepcopy(PROGRAMME_DICT)
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "at", "message"),
    [
        (
            ("meetings", 1, "entries", 0, "segment"),
            "lunch",
            ("meetings", 1, "entries", 0, "segment"),
            "unknown segment 'lunch' (expected one of opening, opening-statements, "
            "stakeholder, closure, concluding-remarks, other)",
        ),
        (
            ("first_day",),
            "6 March 2023",
            ("first_day",),
            "expected a date written year-month-day like 2023-03-06, found '6 March 2023'",
        ),
        (
            ("issued",),
            "2023/03/04",
            ("issued",),
            "expected a date written year-month-day like 2023-03-06, found '2023/03/04'",
        ),
        (
            ("last_day",),
            20230310,
            ("last_day",),
            "expected a date written year-month-day like 2023-03-06, found 20230310",
        ),
        (
            ("meetings", 0, "date"),
            dt.datetime(2023, 3, 6, 10),
            ("meetings", 0, "date"),
            "expected a date like 2023-03-06, found the date-time 2023-03-06 10:00:00",
        ),
        (
            ("meetings", 0, "start"),
            "10 a.m.",
            ("meetings", 0, "start"),
            "expected a time like \"10:00\", found '10 a.m.'",
        ),
        (
            ("meetings", 0, "start"),
            "24:00",
            ("meetings", 0, "start"),
            "expected a time like \"10:00\", found '24:00'",
        ),
        (
            ("meetings", 0, "end"),
            "13:60",
            ("meetings", 0, "end"),
            "expected a time like \"10:00\", found '13:60'",
        ),
        (
            ("meetings", 0, "end"),
            "13:30:15",
            ("meetings", 0, "end"),
            "expected a time like \"10:00\", found '13:30:15'",
        ),
        (
            ("meetings", 0, "start"),
            600,
            ("meetings", 0, "start"),
            'expected a time like "10:00", found 600',
        ),
        (
            ("meetings", 1, "formal"),
            "no",
            ("meetings", 1, "formal"),
            "expected true or false, found 'no'",
        ),
        (
            ("meetings", 1, "room"),
            4,
            ("meetings", 1, "room"),
            "expected text, found a number 4",
        ),
        (
            ("meetings", 1, "entries"),
            {"item": 5},
            ("meetings", 1, "entries"),
            "expected a list, found dict {'item': 5}",
        ),
        (
            ("meetings", 0, "entries", 2, "item"),
            "5",
            ("meetings", 0, "entries", 2, "item"),
            "expected an agenda item number, found '5'",
        ),
        (
            ("meetings", 0, "entries", 2, "item"),
            True,
            ("meetings", 0, "entries", 2, "item"),
            "expected an agenda item number, found True",
        ),
        (
            ("meetings", 0, "entries", 2, "sub_item", "letter"),
            "A",
            ("meetings", 0, "entries", 2, "sub_item"),
            "sub-item letter must be lower-case letters like 'a': 'A'",
        ),
        (
            ("meetings", 0, "entries", 2, "sub_item", "letter"),
            ...,
            ("meetings", 0, "entries", 2, "sub_item"),
            "missing key 'letter' in a sub-item",
        ),
        (
            ("meetings", 0, "entries", 2, "sub_item"),
            "a",
            ("meetings", 0, "entries", 2, "sub_item"),
            "a sub-item must be a table, not text",
        ),
        (
            ("meetings", 0, "entries", 1, "speakers"),
            ["The Chair", 7],
            ("meetings", 0, "entries", 1, "speakers", 1),
            "expected text, found a number 7",
        ),
        (
            ("meetings", 0, "entries", 0, "colour"),
            "red",
            ("meetings", 0, "entries", 0, "colour"),
            "unknown key 'colour' in an agenda entry (expected concluded, continued, footnotes, "
            "item, label, segment, speakers, sub_item, title)",
        ),
        (
            ("meetings", 0, "entries", 0, "label"),
            ...,
            ("meetings", 0, "entries", 0),
            "a opening segment needs its label as written",
        ),
        (
            ("meetings", 0, "entries", 0),
            ["opening"],
            ("meetings", 0, "entries", 0),
            "an agenda entry must be a table, not a list",
        ),
        (("meetings", 0), "monday", ("meetings", 0), "a meeting must be a table, not text"),
        (("meetings", 0, "date"), ..., ("meetings", 0), "missing key 'date' in a meeting"),
        (
            ("meetings", 0, "end"),
            "09:00",
            ("meetings", 0),
            "the meeting of 2023-03-06 ends at 09:00, not after it starts at 10:00",
        ),
        (("format",), 2, ("format",), "unsupported format 2 (expected 1)"),
        (("session",), ..., (), "missing key 'session' in the programme"),
        (("session",), ["Fourth"], ("session",), "expected text, found a list ['Fourth']"),
        (("notes",), "A note.", ("notes",), "expected a list, found text 'A note.'"),
        (("body",), ..., (), "missing key 'body' in the programme"),
        (("body", "short_name"), ..., ("body",), "missing key 'short_name' in [body]"),
        (
            ("body", "short_name"),
            "OEWG\nICT",
            ("body",),
            "short_name must be a single line: 'OEWG\\nICT'",
        ),
        (
            ("footnotes", 0, "mark"),
            "(1)",
            ("footnotes", 0),
            "footnote mark must be a short number, letter or symbol: '(1)'",
        ),
        (
            ("references", 1, "url"),
            "https://undocs.org/A 77",
            ("references", 1),
            "url must be a URL without spaces or backslashes: 'https://undocs.org/A 77'",
        ),
        (
            ("references", 0, "page"),
            3,
            ("references", 0, "page"),
            "unknown key 'page' in a reference (expected symbol, title, url)",
        ),
        (
            ("timezone",),
            "New York",
            ("timezone",),  # the programme's own field at fault: its line can be named
            "unknown time zone 'New York' (expected an IANA name like 'America/New_York')",
        ),
    ],
)
def test_each_error_names_its_path(
    path: tuple[str | int, ...], value: object, at: tuple[str | int, ...], message: str
) -> None:
    error = _error(lambda: programme_from_dict(_programme_with(path, value)))
    assert (error.path, error.message) == (at, message)


def test_a_programme_that_is_not_a_table() -> None:
    error = _error(lambda: programme_from_dict(["format", 1]))
    assert (error.path, str(error)) == ((), "the programme must be a table, not a list")


@pytest.mark.parametrize(
    ("meetings_path", "value", "key", "message"),
    [
        # the second meeting overlaps the first in the same room: it is at fault
        (
            ("meetings", 1),
            dict(TUESDAY_DICT, date="2023-03-06", start="13:00", room=None),
            "start",
            "the meeting of 2023-03-06 10:00–13:30 and the meeting of 2023-03-06 13:00–18:00 "
            "overlap in the main room",
        ),
        (
            ("meetings", 1, "date"),
            "2023-03-11",
            "date",
            "the meeting of 2023-03-11 15:00–18:00 (Conference Room 4) is outside the session "
            "(2023-03-06 to 2023-03-10)",
        ),
        (
            ("meetings", 1, "entries", 0, "footnotes"),
            ["9"],
            "entries",
            "the meeting of 2023-03-07 15:00–18:00 (Conference Room 4) refers to footnote '9', "
            "which the programme does not define (it defines ['1'])",
        ),
        (
            ("meetings", 0, "entries", 2, "continued"),
            True,
            "entries",
            "the meeting of 2023-03-06 10:00–13:30 continues agenda item 5, "
            "but no earlier meeting takes it up "
            "(if it began before this programme, list it in begun_earlier)",
        ),
    ],
)
def test_programme_errors_point_at_the_meeting_and_key(
    meetings_path: tuple[str | int, ...], value: object, key: str, message: str
) -> None:
    error = _error(lambda: programme_from_dict(_programme_with(meetings_path, value)))
    assert (error.path, error.message) == (("meetings", meetings_path[1], key), message)


def test_local_times_that_do_not_exist_or_happen_twice() -> None:
    # New York: clocks skip 02:00-03:00 on 12 March 2023 and repeat 01:00-02:00 on 5 November
    spring = dict(
        PROGRAMME_DICT,
        first_day="2023-03-12",
        last_day="2023-03-12",
        footnotes=[],
        meetings=[
            {
                "date": "2023-03-12",
                "start": "02:30",
                "end": "04:00",
                "entries": [{"item": 3, "title": "t"}],
            }
        ],
    )
    error = _error(lambda: programme_from_dict(spring))
    assert error.path == ("meetings", 0, "start")
    assert error.message.startswith("2023-03-12 02:30 does not exist in America/New_York")
    autumn = dict(spring, first_day="2023-11-05", last_day="2023-11-05")
    autumn["meetings"] = [dict(spring["meetings"][0], date="2023-11-05", start="01:30")]
    error = _error(lambda: programme_from_dict(autumn))
    assert error.path == ("meetings", 0, "start")
    assert error.message.startswith("2023-11-05 01:30 happens twice in America/New_York")


def test_errors_of_meetings_given_apart_have_no_path() -> None:
    without = {k: v for k, v in PROGRAMME_DICT.items() if k != "meetings"}
    early = Meeting(
        date=dt.date(2023, 3, 1), start=dt.time(10), end=dt.time(11), entries=MONDAY.entries
    )
    error = _error(lambda: programme_from_dict(without, meetings=[early]))
    assert error.path == () and "is outside the session" in error.message


def test_entry_and_meeting_errors_start_at_the_path_given() -> None:
    error = _error(lambda: entry_from_dict({"item": 3, "label": "Item 3"}, ("x", 2)))
    assert (error.path, error.message) == (
        ("x", 2),
        "only a segment has a label; put an item's title in title",
    )
    assert entry_from_dict({"item": 3}) == AgendaEntry(item=3)  # a title is not required
    error = _error(lambda: meeting_from_dict({"date": "2023-03-06"}))
    assert (error.path, error.message) == ((), "missing key 'entries' in a meeting")
    assert str(_error(lambda: entry_from_dict({"segment": 5}))) == (
        "segment: expected text, found a number 5"
    )


# ---------------------------------------------------------------- days, deadlines, what follows

CLOSURE = AgendaEntry(segment=Segment.CLOSURE, label="Closure")
OTHER_KINDS = [
    (
        Meeting(date=dt.date(2023, 3, 8), start=None, end=None, entries=(CLOSURE,)),
        {"date": "2023-03-08", "entries": [{"segment": "closure", "label": "Closure"}]},
    ),
    (
        Meeting(
            date=dt.date(2023, 3, 8),
            kind=Kind.DEADLINE,
            start=dt.time(18),
            end=None,
            entries=(AgendaEntry(item=4, title="submissions"),),
        ),
        {
            "date": "2023-03-08",
            "kind": "deadline",
            "start": "18:00",
            "entries": [{"item": 4, "title": "submissions"}],
        },
    ),
    (
        Meeting(
            date=dt.date(2023, 3, 8),
            start=dt.time(22),
            end=dt.time(1, 30),
            overnight=True,
            end_assumed=True,
            entries=(CLOSURE,),
            followed_by=FollowedBy(entries=(AgendaEntry(item=6, title="report"),), formal=False),
        ),
        {
            "date": "2023-03-08",
            "start": "22:00",
            "end": "01:30",
            "end_assumed": True,
            "overnight": True,
            "entries": [{"segment": "closure", "label": "Closure"}],
            "followed_by": {"entries": [{"item": 6, "title": "report"}], "formal": False},
        },
    ),
]


@pytest.mark.parametrize(("meeting", "data"), OTHER_KINDS)
def test_days_deadlines_and_overnight_meetings_as_plain_data(
    meeting: Meeting, data: dict[str, Any]
) -> None:
    assert meeting_to_dict(meeting) == data
    assert meeting_from_dict(data) == meeting


def test_followed_by_as_plain_data() -> None:
    follow = FollowedBy(entries=(AgendaEntry(item=6, title="report"),))
    assert followed_by_to_dict(follow) == {"entries": [{"item": 6, "title": "report"}]}
    assert followed_by_from_dict({"entries": [{"item": 6, "title": "report"}]}) == follow


def test_series_begun_before_the_programme() -> None:
    begun = (SeriesKey(item=5), SeriesKey(item=5, sub_item="a"))
    programme = attrs.evolve(PROGRAMME, begun_earlier=begun)
    data = programme_to_dict(programme)
    assert data["begun_earlier"] == ["5", "5(a)"]
    assert programme_from_dict(data) == programme


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (5, SeriesKey(item=5)),
        ("5", SeriesKey(item=5)),
        ("5(a)", SeriesKey(item=5, sub_item="a")),
        (" 12 (bc) ", SeriesKey(item=12, sub_item="bc")),
        (999, SeriesKey(item=999)),
    ],
)
def test_series_key(value: object, key: SeriesKey) -> None:
    assert series_key(value) == key


@pytest.mark.parametrize("value", [0, 1000, True, "5A", "(a)", "5(a)(b)", "5(abcd)", None, 5.0])
def test_not_a_series_key(value: object) -> None:
    error = _error(lambda: series_key(value, ("begun_earlier", 0)))
    assert error.path == ("begun_earlier", 0)
    assert error.message == (
        f'expected an agenda item number or reference like 5 or "5(a)", found {value!r}'
    )


@pytest.mark.parametrize(
    ("change", "at", "message"),
    [
        (
            {"kind": "reminder"},
            ("meetings", 0, "kind"),
            "unknown kind 'reminder' (expected one of meeting, deadline)",
        ),
        (
            {"followed_by": {"formal": False}},
            ("meetings", 0, "followed_by"),
            "missing key 'entries' in followed_by",
        ),
        (
            {"followed_by": {"entries": []}},
            ("meetings", 0, "followed_by"),
            "what follows the meeting takes up nothing",
        ),
        (
            {"kind": "deadline"},
            ("meetings", 0),
            "the deadline of 2023-03-06 needs a time and no end",
        ),
        (
            {"overnight": True},
            ("meetings", 0),
            "the meeting of 2023-03-06 from 10:00 to 13:30 the next day would last more than a day",
        ),
    ],
)
def test_errors_of_the_other_kinds(
    change: dict[str, Any], at: tuple[str | int, ...], message: str
) -> None:
    data = _programme_with(("meetings", 0), dict(MONDAY_DICT, **change))
    error = _error(lambda: programme_from_dict(data))
    assert (error.path, error.message) == (at, message)
