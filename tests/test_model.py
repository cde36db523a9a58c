"""The model's validation (one test per error, type and message) and agenda series."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from oewg_cal import (
    AgendaEntry,
    Body,
    Footnote,
    Meeting,
    Programme,
    Reference,
    Segment,
    SeriesKey,
    SubItem,
    series_of,
)
from oewg_cal.errors import (
    AmbiguousLocalTime,
    InvalidField,
    InvalidTimeRange,
    MeetingOutsideSession,
    NonexistentLocalTime,
    OrphanContinuation,
    OverlappingMeetings,
    ProgrammeError,
    UnknownFootnote,
    UnknownTimeZone,
)
from strategies import programmes

ITEM_3 = AgendaEntry(item=3, title="organization of work")
ITEM_5A = AgendaEntry(item=5, title="discussions", sub_item=SubItem(letter="a", text="Norms"))


def meeting(
    day: dt.date = dt.date(2023, 3, 6),
    start: tuple[int, int] = (10, 0),
    end: tuple[int, int] = (13, 0),
    *,
    entries: tuple[Any, ...] = (ITEM_3,),
    **fields: Any,
) -> Meeting:
    return Meeting(date=day, start=dt.time(*start), end=dt.time(*end), entries=entries, **fields)


def programme(*meetings: Meeting, **fields: Any) -> Programme:
    values: dict[str, Any] = {
        "body": Body(name="Open-ended working group", short_name="OEWG"),
        "session": "Fourth session",
        "place": "New York",
        "venue": "United Nations Headquarters",
        "first_day": dt.date(2023, 3, 6),
        "last_day": dt.date(2023, 3, 10),
        "issued": dt.date(2023, 3, 4),
        "meetings": meetings or (meeting(),),
    }
    values.update(fields)
    return Programme(**values)


# ---------------------------------------------------------------- the meeting at fault


def _at_fault(build: Any) -> Meeting | None:
    with pytest.raises(ProgrammeError) as info:
        build()
    return info.value.meeting


def test_programme_errors_carry_the_meeting_at_fault() -> None:
    first, overlapping = meeting(), meeting(dt.date(2023, 3, 6), (12, 0), (14, 0))
    assert _at_fault(lambda: programme(first, overlapping)) is overlapping
    outside = meeting(dt.date(2023, 3, 11))
    assert _at_fault(lambda: programme(first, outside)) is outside
    orphan = meeting(
        dt.date(2023, 3, 7), entries=(AgendaEntry(item=5, title="discussions", continued=True),)
    )
    assert _at_fault(lambda: programme(first, orphan)) is orphan
    noted = meeting(
        dt.date(2023, 3, 8), entries=(AgendaEntry(item=3, title="work", footnotes=("9",)),)
    )
    assert _at_fault(lambda: programme(first, noted)) is noted
    in_gap = meeting(dt.date(2026, 3, 8), (2, 30), (4, 0))
    dates = {"first_day": in_gap.date, "last_day": in_gap.date, "issued": dt.date(2026, 3, 1)}
    assert _at_fault(lambda: programme(in_gap, **dates)) is in_gap
    # An error of the programme as a whole has no meeting to point at.
    assert _at_fault(lambda: programme(last_day=dt.date(2023, 3, 5))) is None


def test_a_valid_programme_builds() -> None:
    built = programme(meeting(), meeting(dt.date(2023, 3, 6), (15, 0), (18, 0), entries=(ITEM_5A,)))
    assert len(built.meetings) == 2


# ---------------------------------------------------------------- times


@pytest.mark.parametrize("end", [(10, 0), (9, 59), (0, 0)])
def test_meeting_must_end_after_it_starts(end: tuple[int, int]) -> None:
    with pytest.raises(InvalidTimeRange, match=r"ends at \d\d:\d\d, not after it starts at 10:00"):
        meeting(dt.date(2023, 3, 6), (10, 0), end)


def test_session_must_not_end_before_it_starts() -> None:
    with pytest.raises(InvalidTimeRange, match=r"session ends on 2023-03-05, before it starts"):
        programme(last_day=dt.date(2023, 3, 5))


def test_a_one_day_session_is_fine() -> None:
    assert programme(last_day=dt.date(2023, 3, 6)).last_day == dt.date(2023, 3, 6)


@pytest.mark.parametrize("day", [dt.date(2023, 3, 5), dt.date(2023, 3, 11), dt.date(2024, 3, 6)])
def test_meeting_outside_the_session(day: dt.date) -> None:
    with pytest.raises(MeetingOutsideSession, match=rf"{day}.*outside the session"):
        programme(meeting(day))


def test_meetings_overlapping_in_one_room() -> None:
    with pytest.raises(OverlappingMeetings, match=r"overlap in the main room"):
        programme(meeting(), meeting(dt.date(2023, 3, 6), (12, 59), (14, 0)))
    with pytest.raises(OverlappingMeetings, match=r"overlap in room Conference Room 4"):
        programme(
            meeting(room="Conference Room 4"),
            meeting(dt.date(2023, 3, 6), (11, 0), (12, 0), room="Conference Room 4"),
        )


def test_a_long_meeting_overlapping_a_later_one_is_found() -> None:
    with pytest.raises(OverlappingMeetings, match="overlap"):
        programme(
            meeting(dt.date(2023, 3, 6), (9, 0), (18, 0)),
            meeting(dt.date(2023, 3, 6), (10, 0), (11, 0)),
            meeting(dt.date(2023, 3, 6), (12, 0), (13, 0)),
        )


def test_meetings_may_overlap_in_different_rooms_and_follow_each_other() -> None:
    built = programme(
        meeting(),
        meeting(room="Conference Room 4"),
        meeting(room="Conference Room 1"),
        meeting(dt.date(2023, 3, 6), (13, 0), (14, 0)),  # starts as the first ends
        meeting(dt.date(2023, 3, 7)),  # same time, next day
    )
    assert len(built.meetings) == 5


@pytest.mark.parametrize(("start", "end"), [((2, 30), (4, 0)), ((1, 0), (2, 30))])
def test_spring_forward_gap(start: tuple[int, int], end: tuple[int, int]) -> None:
    with pytest.raises(
        NonexistentLocalTime, match=r"2026-03-08 02:30 does not exist in America/New_York"
    ):
        programme(
            meeting(dt.date(2026, 3, 8), start, end),
            first_day=dt.date(2026, 3, 8),
            last_day=dt.date(2026, 3, 8),
            issued=dt.date(2026, 3, 1),
        )


def test_spring_forward_gap_in_another_zone() -> None:
    # Europe: clocks go from 02:00 to 03:00 on the last Sunday of March (29 March 2026)
    with pytest.raises(
        NonexistentLocalTime, match=r"2026-03-29 02:15 does not exist in Europe/Vienna"
    ):
        programme(
            meeting(dt.date(2026, 3, 29), (2, 15), (5, 0)),
            first_day=dt.date(2026, 3, 29),
            last_day=dt.date(2026, 3, 29),
            issued=dt.date(2026, 3, 1),
            timezone="Europe/Vienna",
        )


@pytest.mark.parametrize(("start", "end"), [((1, 30), (4, 0)), ((0, 0), (1, 30))])
def test_fall_back_fold(start: tuple[int, int], end: tuple[int, int]) -> None:
    with pytest.raises(
        AmbiguousLocalTime, match=r"2026-11-01 01:30 happens twice in America/New_York"
    ):
        programme(
            meeting(dt.date(2026, 11, 1), start, end),
            first_day=dt.date(2026, 11, 1),
            last_day=dt.date(2026, 11, 1),
            issued=dt.date(2026, 10, 1),
        )


def test_times_next_to_the_switches_are_fine() -> None:
    built = programme(
        meeting(dt.date(2026, 3, 8), (0, 0), (1, 59)),
        meeting(dt.date(2026, 3, 8), (3, 0), (4, 0)),
        meeting(dt.date(2026, 11, 1), (0, 0), (0, 59)),
        meeting(dt.date(2026, 11, 1), (2, 0), (3, 0)),
        first_day=dt.date(2026, 3, 8),
        last_day=dt.date(2026, 11, 1),
        issued=dt.date(2026, 3, 1),
    )
    assert len(built.meetings) == 4


def test_a_meeting_time_must_be_whole_minutes_and_local() -> None:
    with pytest.raises(InvalidField, match="whole minute"):
        Meeting(
            date=dt.date(2023, 3, 6), start=dt.time(10, 0, 30), end=dt.time(13), entries=(ITEM_3,)
        )
    with pytest.raises(InvalidField, match="local"):
        Meeting(
            date=dt.date(2023, 3, 6),
            start=dt.time(10, tzinfo=dt.timezone.utc),
            end=dt.time(13),
            entries=(ITEM_3,),
        )
    with pytest.raises(InvalidField, match="must be a date"):
        Meeting(
            date=dt.datetime(2023, 3, 6, 10),
            start=dt.time(10),
            end=dt.time(13),
            entries=(ITEM_3,),
        )


# ---------------------------------------------------------------- continuations


def test_continued_item_needs_an_earlier_meeting() -> None:
    with pytest.raises(
        OrphanContinuation, match=r"continues agenda item 5, but no earlier meeting"
    ):
        programme(meeting(entries=(AgendaEntry(item=5, title="discussions", continued=True),)))


def test_continued_sub_item_needs_an_earlier_meeting() -> None:
    continued_a = AgendaEntry(
        item=5,
        title="discussions",
        continued=True,
        sub_item=SubItem(letter="a", text="Norms", continued=True),
    )
    first_b = AgendaEntry(item=5, title="discussions", sub_item=SubItem(letter="b", text="Law"))
    # item 5 was taken up before, but never sub-item (a)
    with pytest.raises(OrphanContinuation, match=r"continues agenda item 5\(a\), but no earlier"):
        programme(meeting(entries=(first_b,)), meeting(dt.date(2023, 3, 7), entries=(continued_a,)))


def test_an_earlier_entry_of_the_same_meeting_is_not_an_earlier_meeting() -> None:
    first = AgendaEntry(item=5, title="discussions")
    again = AgendaEntry(item=5, title="discussions", continued=True)
    with pytest.raises(OrphanContinuation, match="no earlier meeting"):
        programme(meeting(entries=(first, again)))


def test_a_continuation_before_its_start_is_an_orphan_whatever_the_order_given() -> None:
    later = meeting(dt.date(2023, 3, 7), entries=(ITEM_3,))
    earlier_continued = meeting(
        entries=(AgendaEntry(item=3, title="organization of work", continued=True),)
    )
    with pytest.raises(OrphanContinuation):
        programme(later, earlier_continued)


def test_continuation_after_the_first_meeting_is_fine() -> None:
    again = AgendaEntry(
        item=5,
        title="discussions",
        continued=True,
        sub_item=SubItem(letter="a", text="Norms", continued=True),
    )
    built = programme(meeting(dt.date(2023, 3, 7), entries=(again,)), meeting(entries=(ITEM_5A,)))
    assert [m.date.day for m in built.meetings] == [6, 7]


# ---------------------------------------------------------------- zones and footnotes


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "EST5EDT_not", "", "../etc/passwd", "/tmp"])
def test_unknown_time_zone(zone: str) -> None:
    with pytest.raises(UnknownTimeZone, match=r"time zone|unknown"):
        programme(timezone=zone)


def test_unknown_time_zone_names_the_zone() -> None:
    with pytest.raises(UnknownTimeZone, match=r"unknown time zone 'Mars/Olympus_Mons'"):
        programme(timezone="Mars/Olympus_Mons")


def test_undefined_footnote_mark() -> None:
    entry = AgendaEntry(item=3, title="organization of work", footnotes=("2",))
    with pytest.raises(UnknownFootnote, match=r"footnote '2', which the programme does not define"):
        programme(meeting(entries=(entry,)), footnotes=(Footnote(mark="1", text="A note"),))
    with pytest.raises(UnknownFootnote, match="defines none"):
        programme(meeting(entries=(entry,)))


def test_defined_footnote_mark() -> None:
    entry = AgendaEntry(item=3, title="organization of work", footnotes=("1",))
    built = programme(meeting(entries=(entry,)), footnotes=(Footnote(mark="1", text="A note"),))
    assert built.footnote("1").text == "A note"
    with pytest.raises(KeyError):
        built.footnote("2")


def test_footnote_marks_are_unique_and_short() -> None:
    with pytest.raises(InvalidField, match="unique"):
        programme(footnotes=(Footnote(mark="1", text="A"), Footnote(mark="1", text="B")))
    with pytest.raises(InvalidField, match="footnote mark"):
        Footnote(mark="12345", text="A")
    with pytest.raises(InvalidField, match="footnote mark"):
        Footnote(mark="X", text="A")


# ---------------------------------------------------------------- fields


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda: Body(name="", short_name="OEWG"), "name must not be empty"),
        (
            lambda: Body(name=" OEWG", short_name="OEWG"),
            "name must not start or end with whitespace",
        ),
        (lambda: Body(name="OEWG\n", short_name="OEWG"), "must not start or end with whitespace"),
        (lambda: Body(name="OEWG", short_name="OE\tWG"), "short_name must not hold control"),
        (lambda: Body(name="OEWG", short_name="OE\x85WG"), "control characters"),
        (lambda: Body(name="OEWG", short_name=5), "short_name must be text"),
        (lambda: Reference(symbol="A/77/275", title="", url=None), "title must not be empty"),
        (lambda: Reference(symbol="A/77/275", title="T", url=""), "url must not be empty"),
        (lambda: SubItem(letter="A", text="Norms"), "sub-item letter"),
        (lambda: SubItem(letter="1", text="Norms"), "sub-item letter"),
        (lambda: SubItem(letter="abcd", text="Norms"), "sub-item letter"),
        (lambda: SubItem(letter="(a)", text="Norms"), "sub-item letter"),
        (lambda: SubItem(letter="a", text=" Norms"), "must not start or end with whitespace"),
        (lambda: AgendaEntry(item=0, title="T"), "agenda item number must be an integer from 1"),
        (lambda: AgendaEntry(item=1000, title="T"), "from 1 to 999"),
        (lambda: AgendaEntry(item=-5, title="T"), "from 1 to 999"),
        (lambda: AgendaEntry(item=True, title="T"), "agenda item number"),
        (lambda: AgendaEntry(item="5", title="T"), "agenda item number"),
        (lambda: AgendaEntry(), "needs an agenda item number or a segment"),
        (lambda: AgendaEntry(title="T"), "needs an agenda item number or a segment"),
        (lambda: AgendaEntry(segment=Segment.OPENING, label=""), "needs its label"),
        (lambda: AgendaEntry(item=3, title="T", label="L"), "only a segment has a label"),
        (
            lambda: AgendaEntry(segment=Segment.CLOSURE, label="Closure", title="T"),
            "without an agenda item number cannot have an item title",
        ),
        (
            lambda: AgendaEntry(segment=Segment.CLOSURE, label="Closure", continued=True),
            "without an agenda item number",
        ),
        (lambda: AgendaEntry(item=3, title="T", speakers=("",)), "speakers must not be empty"),
        (lambda: AgendaEntry(item=3, title="T", speakers="Chair"), "expected a sequence"),
        (lambda: AgendaEntry(item=3, title="T ", footnotes=()), "title must not start or end"),
        (lambda: meeting(entries=()), "takes up nothing"),
        (lambda: meeting(entries=("item 3",)), "must be AgendaEntry"),
        (lambda: meeting(room=""), "room must not be empty"),
        (lambda: meeting(room="Room 4 "), "room must not start or end with whitespace"),
        (lambda: programme(session=""), "session must not be empty"),
        (lambda: programme(place="\nNew York"), "place must not start or end"),
        (lambda: programme(notes=("",)), "notes must not be empty"),
        (lambda: programme(meetings=("a meeting",)), "programme meetings must be Meeting"),
    ],
)
def test_invalid_fields(build: Any, words: str) -> None:
    with pytest.raises(InvalidField) as raised:
        build()
    assert words in str(raised.value)


def test_an_item_may_be_printed_without_its_title() -> None:
    # since 431cc7e: "Agenda item 3" alone, its title printed elsewhere or not at all
    assert AgendaEntry(item=3).reference == "3"


def test_text_may_hold_newlines_inside_and_any_script() -> None:
    body = Body(name="Рабочая группа;\nالفريق العامل, 工作组 \\ 😀", short_name="OEWG")
    assert "\n" in body.name


def test_the_meeting_without_entries_names_day_and_time() -> None:
    with pytest.raises(InvalidField, match=r"meeting of 2023-03-06 at 10:00 takes up nothing"):
        meeting(entries=())


# ---------------------------------------------------------------- evolve and order


def test_evolve_validates_again() -> None:
    built = programme(meeting(), meeting(dt.date(2023, 3, 10)))
    with pytest.raises(InvalidTimeRange):
        attrs.evolve(built.meetings[0], end=dt.time(9))
    with pytest.raises(MeetingOutsideSession):
        attrs.evolve(built, last_day=dt.date(2023, 3, 9))
    with pytest.raises(UnknownTimeZone):
        attrs.evolve(built, timezone="Nowhere/Special")
    with pytest.raises(OverlappingMeetings):
        attrs.evolve(built, meetings=(*built.meetings, meeting(start=(12, 0), end=(14, 0))))
    with pytest.raises(InvalidField):
        attrs.evolve(built.meetings[0].entries[0], item=0)
    with pytest.raises(NonexistentLocalTime):
        attrs.evolve(
            built,
            first_day=dt.date(2026, 3, 8),
            last_day=dt.date(2026, 3, 8),
            meetings=(meeting(dt.date(2026, 3, 8), (2, 30), (3, 30)),),
        )


def test_meetings_given_in_any_order_compare_equal(seed_programme: Programme) -> None:
    backwards = attrs.evolve(seed_programme, meetings=tuple(reversed(seed_programme.meetings)))
    assert backwards == seed_programme
    assert hash(backwards) == hash(seed_programme)
    assert backwards.meetings == seed_programme.meetings
    keys = [m.sort_key for m in seed_programme.meetings]
    assert keys == sorted(keys)


@given(programmes(), st.randoms(use_true_random=False))
def test_meeting_order_never_matters(built: Programme, rnd: Any) -> None:
    shuffled = list(built.meetings)
    rnd.shuffle(shuffled)
    again = attrs.evolve(built, meetings=shuffled)
    assert again == built
    assert again.meetings == built.meetings


# ---------------------------------------------------------------- series


def _when(meeting: Meeting) -> tuple[int, str]:
    """(day of March 2023, "AM" or "PM") of a seed meeting."""
    return meeting.date.day, "AM" if meeting.start.hour < 12 else "PM"


SEED_SERIES = {
    # key: meetings (day of March 2023, half day), worked out from the document
    SeriesKey(item=5): [
        (6, "AM"),
        (6, "PM"),
        (7, "AM"),
        (7, "PM"),
        (8, "AM"),
        (8, "PM"),
        (9, "AM"),
        (9, "PM"),
        (10, "AM"),
    ],
    SeriesKey(item=5, sub_item="a"): [(6, "PM"), (7, "AM")],
    SeriesKey(item=5, sub_item="f"): [(8, "AM"), (8, "PM")],
    SeriesKey(item=5, sub_item="g"): [(9, "AM"), (9, "PM")],
}
SEED_SINGLES = {
    SeriesKey(item=3): [(6, "AM")],
    SeriesKey(item=5, sub_item="d"): [(6, "AM")],
    SeriesKey(item=5, sub_item="e"): [(7, "PM")],
    SeriesKey(item=5, sub_item="c"): [(10, "AM")],
    SeriesKey(item=6): [(10, "PM")],
}


def test_seed_series(seed_programme: Programme) -> None:
    found = series_of(seed_programme)
    assert [s.key for s in found] == list(SEED_SERIES)
    for series in found:
        assert [_when(m) for m in series.meetings] == SEED_SERIES[series.key], series.key
        assert series.first == series.meetings[0]
        assert series.continuations == series.meetings[1:]
    item_5 = found[0]
    assert len(item_5.meetings) == 9
    thursday_pm = item_5.meetings[7]
    assert not thursday_pm.formal
    assert thursday_pm.entries[0].segment is Segment.STAKEHOLDER
    assert str(found[1].key) == "5(a)"


def test_seed_series_with_single_meetings(seed_programme: Programme) -> None:
    found = series_of(seed_programme, include_single=True)
    expected = SEED_SERIES | SEED_SINGLES
    assert {s.key: [_when(m) for m in s.meetings] for s in found} == expected
    # ordered by first meeting, then item and sub-item
    assert [str(s.key) for s in found] == [
        "3",
        "5",
        "5(d)",
        "5(a)",
        "5(e)",
        "5(f)",
        "5(g)",
        "5(c)",
        "6",
    ]


@given(programmes(), st.booleans())
def test_series_are_the_meetings_taking_up_their_key(built: Programme, single: bool) -> None:
    found = series_of(built, include_single=single)
    keys = [s.key for s in found]
    assert len(set(keys)) == len(keys)
    all_keys = {k for m in built.meetings for e in m.agenda for k in e.series_keys}
    for key in all_keys:
        taking_up = [m for m in built.meetings if any(key in e.series_keys for e in m.agenda)]
        if len(taking_up) > 1 or single:
            assert key in keys
        else:
            assert key not in keys
    for series in found:
        expected = [m for m in built.meetings if any(series.key in e.series_keys for e in m.agenda)]
        assert list(series.meetings) == expected
        starts = [built.start_of(m) for m in series.meetings]
        assert starts == sorted(starts)
        assert len(series.meetings) == len(set(series.meetings))
        # a series begun before the programme may be continued at its first meeting here
        assert series.key in built.begun_earlier or not any(
            series.key in e.series_keys and e.continues(series.key) for e in series.first.agenda
        )
    firsts = [(s.first.sort_key, s.key.item, s.key.sub_item or "") for s in found]
    assert firsts == sorted(firsts)


@given(char=st.integers(0, 0x10FFFF).map(chr))
def test_a_text_field_refuses_exactly_the_control_characters_and_lone_surrogates(
    char: str,
) -> None:
    # Unicode's own table is the oracle: category Cc is the C0 and C1 controls and DEL,
    # Cs the surrogates; the line feed is the one control a text may hold.
    category = unicodedata.category(char)
    try:
        Footnote(mark="1", text=f"a{char}b")
    except InvalidField as exc:
        expected = "control characters" if category == "Cc" else "a lone surrogate"
        assert expected in str(exc)
        assert category in ("Cc", "Cs") and char != "\n"
    else:
        assert category not in ("Cc", "Cs") or char == "\n"
