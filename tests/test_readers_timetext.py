"""Tests of oewg_cal.readers.timetext: hand-checked tables, errors, and round trips."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oewg_cal.errors import OewgCalError
from oewg_cal.readers.timetext import (
    TimeTextError,
    find_time_range,
    looks_like_time,
    parse_date,
    parse_date_range,
    parse_day,
    parse_time_range,
)

# Hypothesis: no deadline (CI machines are slow); everything else comes from the profile.
SETTINGS = settings(deadline=None)

NBSP = "\u00a0"
NNBSP = "\u202f"

# --- hand-checked tables ---------------------------------------------------------------

TIME_TABLE = [
    ("10 a.m.–1 p.m.", (10, 0), (13, 0)),
    ("3–6 p.m.", (15, 0), (18, 0)),
    ("11–1 p.m.", (11, 0), (13, 0)),
    ("10 a.m. - 1 p.m.", (10, 0), (13, 0)),
    ("10 a.m.—1 p.m.", (10, 0), (13, 0)),
    ("10 a.m.−1 p.m.", (10, 0), (13, 0)),
    ("10 a.m.-1 p.m.", (10, 0), (13, 0)),
    ("10-11:30 a.m.", (10, 0), (11, 30)),
    ("11:30 a.m.-1 p.m.", (11, 30), (13, 0)),
    ("4:30-6 p.m.", (16, 30), (18, 0)),
    ("10.00–13.00", (10, 0), (13, 0)),
    ("10:00-13:00", (10, 0), (13, 0)),
    ("10 h–13 h", (10, 0), (13, 0)),
    ("10h-13h", (10, 0), (13, 0)),
    ("10 h 30–13 h", (10, 30), (13, 0)),
    ("noon–1 p.m.", (12, 0), (13, 0)),
    ("10 a.m.–noon", (10, 0), (12, 0)),
    ("12 noon–3 p.m.", (12, 0), (15, 0)),
    ("1.15–2.30 p.m.", (13, 15), (14, 30)),
    ("3 p.m. to 6 p.m.", (15, 0), (18, 0)),
    ("3 to 6 p.m.", (15, 0), (18, 0)),
    ("10 A.M.–1 P.M.", (10, 0), (13, 0)),
    ("10 a. m.–1 p. m.", (10, 0), (13, 0)),
    ("10am-1pm", (10, 0), (13, 0)),
    ("10 AM – 1 PM", (10, 0), (13, 0)),
    (f"10{NBSP}a.m.{NNBSP}–{NNBSP}1{NBSP}p.m.", (10, 0), (13, 0)),
    (f"  3{NBSP}–{NBSP}6 p.m.{NBSP}", (15, 0), (18, 0)),
    ("12–3 p.m.", (12, 0), (15, 0)),
    ("12 p.m.–3 p.m.", (12, 0), (15, 0)),
    ("11:30–12:30 p.m.", (11, 30), (12, 30)),
    ("10–noon", (10, 0), (12, 0)),
    ("9–1 p.m.", (9, 0), (13, 0)),
    ("8 a.m.–9 p.m.", (8, 0), (21, 0)),
    ("09:05-17:55", (9, 5), (17, 55)),
    ("from 3 to 6 p.m.", (15, 0), (18, 0)),
    ("10–13 h", (10, 0), (13, 0)),
    ("15 h 15 - 18 h 05", (15, 15), (18, 5)),
]


@pytest.mark.parametrize(("text", "start", "end"), TIME_TABLE)
def test_time_table(text: str, start: tuple[int, int], end: tuple[int, int]) -> None:
    assert parse_time_range(text) == (dt.time(*start), dt.time(*end))


TIME_ERRORS = [
    ("10 a.m.–", "cannot read time", 'a range like "10 a.m.–1 p.m."', 8),
    ("10 a.m.", "cannot read time", 'a range like "10 a.m.–1 p.m."', 7),
    ("", "cannot read time", 'a range like "10 a.m.–1 p.m."', 0),
    ("Opening", "cannot read time", 'a range like "10 a.m.–1 p.m."', 0),
    ("10 a.m.–1 p.m. Opening", "cannot read time", 'a range like "10 a.m.–1 p.m."', 15),
    ("3–1 p.m.", "end not after start", "an end after the start", 2),
    ("3 p.m.–1 p.m.", "end not after start", "an end after the start", 7),
    ("13:00–12:00", "end not after start", "an end after the start", 6),
    ("10–1", "ambiguous", "a.m./p.m. or 24-hour times", 0),
    ("10 to 11", "ambiguous", "a.m./p.m. or 24-hour times", 0),
    ("13 p.m.–2 p.m.", "hour out of range", "an hour from 1 to 12", 0),
    ("10 a.m.–13 p.m.", "hour out of range", "an hour from 1 to 12", 8),
    ("0 a.m.–1 a.m.", "hour out of range", "an hour from 1 to 12", 0),
    ("25:00–26:00", "hour out of range", "an hour from 0 to 23", 0),
    ("10:00–24:30", "hour out of range", "an hour from 0 to 23", 6),
    ("10:75–11 a.m.", "minutes out of range", "minutes from 00 to 59", 3),
    ("10:00–11.60", "minutes out of range", "minutes from 00 to 59", 9),
    ("10 p.m.–midnight", "midnight is not a meeting time", "a meeting time", 8),
    ("12 midnight–1 a.m.", "midnight is not a meeting time", "a meeting time", 0),
    ("12 a.m.–1 a.m.", "midnight is not a meeting time", "a meeting time", 0),
    ("22:00–24:00", "midnight is not a meeting time", "a meeting time", 6),
    ("00:00–01:00", "midnight is not a meeting time", "a meeting time", 0),
    ("10 a.m.–1", "cannot read time", "a.m. or p.m. after the end too", 9),
    ("10 a.m.–1 p.m.–3 p.m.", "cannot read time", 'a range like "10 a.m.–1 p.m."', 14),
]


@pytest.mark.parametrize(("text", "problem", "expected", "column"), TIME_ERRORS)
def test_time_errors(text: str, problem: str, expected: str, column: int) -> None:
    with pytest.raises(TimeTextError) as info:
        parse_time_range(text)
    error = info.value
    assert error.found == text
    assert expected in error.expected
    assert error.column == column
    message = str(error)
    assert problem in message
    assert f'"{text}"' in message
    assert f"(expected {error.expected})" in message


def test_error_message_reads_as_documented() -> None:
    with pytest.raises(TimeTextError) as info:
        parse_time_range("10 a.m.–")
    assert str(info.value) == (
        'cannot read time "10 a.m.–" (expected a range like "10 a.m.–1 p.m.")'
    )


def test_error_is_a_value_error_in_the_hierarchy_and_pickles() -> None:
    with pytest.raises(TimeTextError) as info:
        parse_time_range("3–1 p.m.")
    error = info.value
    assert isinstance(error, ValueError)
    assert isinstance(error, OewgCalError)
    again = pickle.loads(pickle.dumps(error))
    assert (again.found, again.expected, again.column, str(again)) == (
        error.found,
        error.expected,
        error.column,
        str(error),
    )


# --- find_time_range and looks_like_time -----------------------------------------------

FIND_TABLE = [
    ("10 a.m.–1 p.m.  Opening of the session", 0, 14, (10, 0), (13, 0)),
    ("  3–6 p.m. 5 (continued)", 2, 10, (15, 0), (18, 0)),
    ("10:00–13:00\tAgenda item 3", 0, 11, (10, 0), (13, 0)),
    ("10 h–13 h Débat général", 0, 9, (10, 0), (13, 0)),
    ("3 p.m. to 6 p.m. Informal consultations", 0, 16, (15, 0), (18, 0)),
    (f"10{NBSP}a.m.–1{NBSP}p.m.", 0, 14, (10, 0), (13, 0)),
    ("noon–1 p.m. Side event", 0, 11, (12, 0), (13, 0)),
]


@pytest.mark.parametrize(("line", "first", "last", "start", "end"), FIND_TABLE)
def test_find_time_range(
    line: str, first: int, last: int, start: tuple[int, int], end: tuple[int, int]
) -> None:
    assert find_time_range(line) == (first, last, dt.time(*start), dt.time(*end))


@pytest.mark.parametrize(
    "line",
    [
        "10 March",
        "6–10 March 2023",
        "item 5 (continued)",
        "75/240",
        "A/77/275",
        "2023-03-04",
        "Monday, 6 March",
        "1. Introduction",
        "10–1 Opening",
        "3–1 p.m. Opening",
        "Opening, 10 a.m.–1 p.m.",
        "",
    ],
)
def test_find_time_range_ignores(line: str) -> None:
    assert find_time_range(line) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 a.m.–1 p.m.", True),
        ("3–6 p.m.", True),
        ("10:00–13:00", True),
        ("10.00", True),
        ("10 h", True),
        ("10h30", True),
        ("noon–1 p.m.", True),
        ("12 noon", True),
        ("midnight", True),
        ("10–1", True),
        ("10 a.m.–", True),
        ("13 p.m.", True),
        ("  3 pm", True),
        ("10 March", False),
        ("6–10 March 2023", False),
        ("6 to 10 March", False),
        ("item 5", False),
        ("75/240", False),
        ("A/77/275", False),
        ("1. Introduction", False),
        ("2023-03-04", False),
        ("Monday, 6 March", False),
        ("10 hours", False),
        ("10 amendments", False),
        ("", False),
    ],
)
def test_looks_like_time(text: str, expected: bool) -> None:
    assert looks_like_time(text) is expected


# --- dates: hand-checked tables --------------------------------------------------------

DAY_TABLE = [
    ("Monday, 6 March", 2023, (2023, 3, 6)),
    ("Monday 6 March 2023", None, (2023, 3, 6)),
    ("6 March 2023", None, (2023, 3, 6)),
    ("Mon. 6 Mar.", 2023, (2023, 3, 6)),
    ("Monday, 6 March 2023", None, (2023, 3, 6)),
    ("March 6, 2023", None, (2023, 3, 6)),
    ("Tuesday, 7 March", 2023, (2023, 3, 7)),
    ("Tue 7 Mar", 2023, (2023, 3, 7)),
    ("MONDAY, 6 MARCH", 2023, (2023, 3, 6)),
    ("Monday, 6 March 2023", 1999, (2023, 3, 6)),
    ("Friday, 1 Sept. 2023", None, (2023, 9, 1)),
    ("Fri 1 Sep 2023", None, (2023, 9, 1)),
    ("Wednesday, 24 July", 2024, (2024, 7, 24)),
    ("Thursday, 29 February 2024", None, (2024, 2, 29)),
    (f"{NBSP}Monday,{NBSP}6{NBSP}March{NBSP}", 2023, (2023, 3, 6)),
    ("Monday, March 6, 2023", None, (2023, 3, 6)),
    ("Sunday, 1 January", 2023, (2023, 1, 1)),
]


@pytest.mark.parametrize(("text", "year", "expected"), DAY_TABLE)
def test_day_table(text: str, year: int | None, expected: tuple[int, int, int]) -> None:
    assert parse_day(text, year=year) == dt.date(*expected)


DAY_ERRORS = [
    ("Tuesday, 6 March 2023", None, "wrong weekday", "the weekday of 6 March 2023 is Monday"),
    ("Monday, 7 March", 2023, "wrong weekday", "the weekday of 7 March 2023 is Tuesday"),
    ("Monday, 6 March", None, "no year", "a year"),
    ("6 March", None, "no year", "a year"),
    ("31 February 2023", None, "no such date", "a day from 1 to 28 in February 2023"),
    ("Monday", 2023, "cannot read date", 'a day like "Monday, 6 March"'),
    ("6", 2023, "cannot read date", 'a day like "Monday, 6 March"'),
    ("New York, 6–10 March 2023", None, "cannot read date", "a day like"),
    ("6–10 March 2023", None, "cannot read date", "a day like"),
    ("Monday, 6 Marchember", 2023, "cannot read date", "a day like"),
]


@pytest.mark.parametrize(("text", "year", "problem", "expected"), DAY_ERRORS)
def test_day_errors(text: str, year: int | None, problem: str, expected: str) -> None:
    with pytest.raises(TimeTextError) as info:
        parse_day(text, year=year)
    assert info.value.found == text
    assert expected in info.value.expected
    assert problem in str(info.value)
    assert f'"{text}"' in str(info.value)


def test_only_a_wrong_weekday_mentions_weekdays() -> None:
    # Readers tell a day line with a wrong weekday from other text by this word.
    for text, year, _problem, _expected in DAY_ERRORS:
        with pytest.raises(TimeTextError) as info:
            parse_day(text, year=year)
        assert ("weekday" in str(info.value)) is text.startswith(("Tuesday, 6", "Monday, 7"))


RANGE_TABLE = [
    ("6–10 March 2023", (2023, 3, 6), (2023, 3, 10)),
    ("6-10 March 2023", (2023, 3, 6), (2023, 3, 10)),
    ("6 - 10 March 2023", (2023, 3, 6), (2023, 3, 10)),
    ("28 February–3 March 2023", (2023, 2, 28), (2023, 3, 3)),
    ("30 December 2025–2 January 2026", (2025, 12, 30), (2026, 1, 2)),
    ("30 December–2 January 2026", (2025, 12, 30), (2026, 1, 2)),
    ("6 to 10 March 2023", (2023, 3, 6), (2023, 3, 10)),
    ("from 6 to 10 March 2023", (2023, 3, 6), (2023, 3, 10)),
    ("6 March 2023", (2023, 3, 6), (2023, 3, 6)),
    (f"{NBSP}6{NBSP}–{NBSP}10{NBSP}March{NBSP}2023 ", (2023, 3, 6), (2023, 3, 10)),
    ("March 6–10, 2023", (2023, 3, 6), (2023, 3, 10)),
    ("24 July–4 August 2023", (2023, 7, 24), (2023, 8, 4)),
    ("Monday, 6 March–Friday, 10 March 2023", (2023, 3, 6), (2023, 3, 10)),
    ("6 Mar.–10 Mar. 2023", (2023, 3, 6), (2023, 3, 10)),
]


@pytest.mark.parametrize(("text", "first", "last"), RANGE_TABLE)
def test_date_range_table(
    text: str, first: tuple[int, int, int], last: tuple[int, int, int]
) -> None:
    assert parse_date_range(text) == (dt.date(*first), dt.date(*last))


RANGE_ERRORS = [
    ("10–6 March 2023", "end before start", "a last day on or after the first"),
    ("10 March–6 March 2023", "end before start", "a last day on or after the first"),
    ("6–10", "no month", "dates like"),
    ("6–10 March", "no year", "a year"),
    ("6 March", "cannot read dates", "dates like"),
    ("New York, 6–10 March 2023", "cannot read dates", "dates like"),
    ("6–", "cannot read dates", "dates like"),
    ("6–31 February 2023", "no such date", "a day from 1 to 28 in February 2023"),
    ("Friday, 6–10 March 2023", "wrong weekday", "the weekday of 6 March 2023 is Monday"),
    ("6–10 March 2023, Geneva", "cannot read dates", "dates like"),
]


@pytest.mark.parametrize(("text", "problem", "expected"), RANGE_ERRORS)
def test_date_range_errors(text: str, problem: str, expected: str) -> None:
    with pytest.raises(TimeTextError) as info:
        parse_date_range(text)
    assert info.value.found == text
    assert expected in info.value.expected
    assert problem in str(info.value)
    assert f'"{text}"' in str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4 March 2023", (2023, 3, 4)),
        ("4 Mar. 2023", (2023, 3, 4)),
        ("4 mar 2023", (2023, 3, 4)),
        ("March 4, 2023", (2023, 3, 4)),
        ("2023-03-04", (2023, 3, 4)),
        ("Saturday, 4 March 2023", (2023, 3, 4)),
        (" 14 Sept. 2023 ", (2023, 9, 14)),
    ],
)
def test_date_table(text: str, expected: tuple[int, int, int]) -> None:
    assert parse_date(text) == dt.date(*expected)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("4 March", "no year"),
        ("2023-02-30", "no such date"),
        ("30 February 2023", "no such date"),
        ("A/AC.292/2023/1", "cannot read date"),
        ("4 Smarch 2023", "cannot read date"),
    ],
)
def test_date_errors(text: str, problem: str) -> None:
    with pytest.raises(TimeTextError) as info:
        parse_date(text)
    assert problem in str(info.value)
    assert f'"{text}"' in str(info.value)
    assert "expected" in str(info.value)


# --- an independent renderer and round trips -------------------------------------------

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

MERIDIEMS = {
    "a": ("a.m.", "am", "A.M.", "a. m.", "AM", "a.m"),
    "p": ("p.m.", "pm", "P.M.", "p. m.", "PM", "p.m"),
}
SPACES = ("", " ", NBSP, NNBSP)
DASHES = ("-", "–", "—", "−")


@st.composite
def time_pairs(draw: st.DrawFn, low: int = 1, high: int = 24 * 60 - 1) -> tuple[int, int]:
    """Two minutes-after-midnight values low <= start < end <= high, maybe on a 5' grid."""
    grid = draw(st.sampled_from((1, 5)))
    first = -(-low // grid)
    last = high // grid
    start = draw(st.integers(first, last - 1))
    end = draw(st.integers(start + 1, last))
    return start * grid, end * grid


def clock(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def render_twelve(data: st.DataObject, minutes: int, *, meridiem: bool) -> str:
    hour, minute = divmod(minutes, 60)
    if minutes == 12 * 60 and data.draw(st.booleans()):
        return data.draw(st.sampled_from(("noon", "12 noon", "12noon")))
    shown = hour % 12 or 12
    if minute == 0 and data.draw(st.booleans()):
        text = str(shown)
    else:
        text = f"{shown}{data.draw(st.sampled_from(':.'))}{minute:02d}"
    if meridiem:
        side = "a" if hour < 12 else "p"
        text += data.draw(st.sampled_from(SPACES)) + data.draw(st.sampled_from(MERIDIEMS[side]))
    return text


def render_joint(data: st.DataObject, first: str, second: str) -> str:
    if data.draw(st.booleans()):
        return f"{first} to {second}"
    space = data.draw(st.sampled_from(SPACES))
    return f"{first}{space}{data.draw(st.sampled_from(DASHES))}{space}{second}"


@given(st.data(), time_pairs())
@SETTINGS
def test_twelve_hour_round_trip(data: st.DataObject, pair: tuple[int, int]) -> None:
    first = render_twelve(data, pair[0], meridiem=True)
    second = render_twelve(data, pair[1], meridiem=True)
    text = render_joint(data, first, second)
    assert parse_time_range(text) == (clock(pair[0]), clock(pair[1]))


@given(st.data(), st.sampled_from(("a", "p")))
@SETTINGS
def test_shared_meridiem_round_trip(data: st.DataObject, side: str) -> None:
    low, high = (1, 12 * 60 - 1) if side == "a" else (12 * 60, 24 * 60 - 1)
    start, end = data.draw(time_pairs(low, high))
    first = render_twelve(data, start, meridiem=False)
    second = render_twelve(data, end, meridiem=True)
    text = render_joint(data, first, second)
    assert parse_time_range(text) == (clock(start), clock(end))


@given(st.data(), time_pairs(), st.sampled_from(":."), st.booleans())
@SETTINGS
def test_twenty_four_hour_round_trip(
    data: st.DataObject, pair: tuple[int, int], separator: str, padded: bool
) -> None:
    def render_fixed(minutes: int) -> str:
        hour, minute = divmod(minutes, 60)
        shown = f"{hour:02d}" if padded else str(hour)
        return f"{shown}{separator}{minute:02d}"

    text = render_joint(data, render_fixed(pair[0]), render_fixed(pair[1]))
    assert parse_time_range(text) == (clock(pair[0]), clock(pair[1]))


@given(st.data(), time_pairs())
@SETTINGS
def test_h_style_round_trip(data: st.DataObject, pair: tuple[int, int]) -> None:
    def render(minutes: int) -> str:
        hour, minute = divmod(minutes, 60)
        space = data.draw(st.sampled_from(("", " ", NBSP)))
        text = f"{hour}{space}h"
        if minute or data.draw(st.booleans()):
            text += f"{space}{minute:02d}"
        return text

    text = render_joint(data, render(pair[0]), render(pair[1]))
    assert parse_time_range(text) == (clock(pair[0]), clock(pair[1]))


@given(st.data(), time_pairs())
@SETTINGS
def test_find_time_range_round_trip(data: st.DataObject, pair: tuple[int, int]) -> None:
    first = render_twelve(data, pair[0], meridiem=True)
    second = render_twelve(data, pair[1], meridiem=True)
    when = render_joint(data, first, second)
    indent = data.draw(st.sampled_from(("", " ", "  ")))
    gap = data.draw(st.sampled_from((" ", "  ", "\t")))
    line = f"{indent}{when}{gap}Opening of the session"
    assert find_time_range(line) == (
        len(indent),
        len(indent) + len(when),
        clock(pair[0]),
        clock(pair[1]),
    )


def render_month(data: st.DataObject, month: int) -> str:
    name = MONTHS[month - 1]
    style = data.draw(st.sampled_from(("full", "short", "short.")))
    if style == "full":
        return name
    short = "Sept" if month == 9 and data.draw(st.booleans()) else name[:3]
    return short + ("." if style == "short." else "")


def render_weekday(data: st.DataObject, weekday: int) -> str:
    name = WEEKDAYS[weekday]
    return data.draw(st.sampled_from((name, name[:3], name[:3] + ".")))


DATES = st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))


@given(st.data(), DATES, st.booleans())
@SETTINGS
def test_day_round_trip(data: st.DataObject, day: dt.date, with_year: bool) -> None:
    weekday = render_weekday(data, day.weekday())
    comma = data.draw(st.sampled_from((", ", " ", f",{NBSP}")))
    month = render_month(data, day.month)
    text = f"{weekday}{comma}{day.day} {month}"
    if with_year:
        text += f" {day.year}"
    assert parse_day(text, year=None if with_year else day.year) == day


@given(st.data(), DATES, st.integers(1, 6), st.booleans())
@SETTINGS
def test_wrong_weekday_always_raises(
    data: st.DataObject, day: dt.date, shift: int, with_year: bool
) -> None:
    wrong = (day.weekday() + shift) % 7
    text = f"{render_weekday(data, wrong)}, {day.day} {render_month(data, day.month)}"
    if with_year:
        text += f" {day.year}"
    with pytest.raises(TimeTextError) as info:
        parse_day(text, year=None if with_year else day.year)
    right = WEEKDAYS[day.weekday()]
    assert info.value.expected == (
        f"the weekday of {day.day} {MONTHS[day.month - 1]} {day.year} is {right}"
    )
    assert "weekday" in str(info.value)


def render_range(data: st.DataObject, first: dt.date, last: dt.date) -> str:
    def full(day: dt.date) -> str:
        return f"{day.day} {render_month(data, day.month)} {day.year}"

    if first == last:
        return full(first)
    dash = data.draw(st.sampled_from((*DASHES, " – ", " to ")))
    forms = [f"{full(first)}{dash}{full(last)}"]
    if first.year == last.year or first.month > last.month:
        # The start's year, left out, is the end's or (across New Year) the one before.
        forms.append(f"{first.day} {render_month(data, first.month)}{dash}{full(last)}")
    if (first.year, first.month) == (last.year, last.month):
        forms.append(f"{first.day}{dash}{full(last)}")
        forms.append(f"from {first.day} to {full(last)}")
        month = render_month(data, first.month)
        forms.append(f"{month} {first.day}{dash}{last.day}, {last.year}")
    return data.draw(st.sampled_from(forms))


@given(st.data(), DATES, st.integers(0, 75))
@SETTINGS
def test_date_range_round_trip(data: st.DataObject, first: dt.date, length: int) -> None:
    last = first + dt.timedelta(days=length)
    pad = data.draw(st.sampled_from(("", " ", NBSP)))
    text = f"{pad}{render_range(data, first, last)}{pad}"
    assert parse_date_range(text) == (first, last)


@given(DATES, st.booleans())
@SETTINGS
def test_date_round_trip(day: dt.date, american: bool) -> None:
    month = MONTHS[day.month - 1]
    text = f"{month} {day.day}, {day.year}" if american else f"{day.day} {month} {day.year}"
    assert parse_date(text) == day
    assert parse_date(day.isoformat()) == day
