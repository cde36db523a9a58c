"""Read times and dates as the UN Secretariat writes them in programmes of work.

Pure functions, no I/O.  Times: ``"10 a.m.–1 p.m."``, ``"3–6 p.m."``, ``"11–1 p.m."``,
``"10.00–13.00"``, ``"10 h 30–13 h"``, ``"noon–3 p.m."``, ``"3 p.m. to 6 p.m."``, with any
dash (hyphen, en or em dash, minus sign), the word "to", and ordinary or non-breaking
spaces anywhere.  Dates: ``"Monday, 6 March"``, ``"Mon. 6 Mar. 2023"``, ``"March 6, 2023"``,
``"2023-03-04"``; ranges ``"6–10 March 2023"``, ``"28 February–3 March 2023"``,
``"from 6 to 10 March 2023"``.

Every failure raises :class:`TimeTextError`, which says what was found, what was
expected and (where it helps) the 0-based column of the problem.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

from oewg_cal._lazy_re import lazy
from oewg_cal.errors import TimeTextError
from oewg_cal.text import MONTHS, WEEKDAYS, day_text

__all__ = [
    "FoundDays",
    "FoundTimes",
    "SlotTime",
    "TimeTextError",
    "find_days",
    "find_time_range",
    "find_times",
    "looks_like_time",
    "parse_date",
    "parse_date_range",
    "parse_day",
    "parse_time_range",
]

_RANGE_EXAMPLE = 'a range like "10 a.m.–1 p.m."'
_DAY_EXAMPLE = 'a day like "Monday, 6 March"'
_DATE_EXAMPLE = 'a date like "6 March 2023"'
_DATES_EXAMPLE = 'dates like "6–10 March 2023" or "28 February–3 March 2023"'

#: An inferred a.m. start (as in "9–1 p.m.") must not be earlier than this.
_EARLIEST_INFERRED_START = 6 * 60


# --- normalisation ---------------------------------------------------------------------

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SPACES = "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\t"
_NORMALISE = str.maketrans({**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_SPACES, " ")})


def _normalise(text: str) -> str:
    """Dashes to ``-`` and odd spaces to `` ``, one character for one (offsets hold)."""
    return text.translate(_NORMALISE)


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


# --- times -----------------------------------------------------------------------------

_POINT = lazy(
    r"""
      (?P<noon>(?:12\s*)?noon)(?![a-z])
    | (?P<midnight>(?:12\s*)?midnight)(?![a-z])
    | (?P<hour>\d{1,2})(?!\d)
      (?: (?P<sep>[:.])(?P<minute>\d{2})(?!\d)
        | \s*(?P<h>h)(?![a-z])(?:\s*(?P<hminute>\d{2})(?!\d))?
      )?
      (?:\s*(?P<meridiem>[ap])\s*\.?\s*m(?![a-z])\.?)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SEPARATOR = lazy(r"\s*(?:-{1,2}|(?<![a-z])to(?![a-z]))\s*", re.IGNORECASE)
_FROM = lazy(r"from\s+", re.IGNORECASE)


class _Point(NamedTuple):
    start: int
    end: int
    kind: str  # "bare", "minutes", "h", "noon" or "midnight"
    hour: int
    minute: int
    meridiem: str | None  # "a", "p" or None
    minute_column: int


def _match_point(text: str, pos: int) -> _Point | None:
    match = _POINT.match(text, pos)
    if match is None:
        return None
    if match.group("noon"):
        return _Point(match.start(), match.end(), "noon", 12, 0, "p", match.start())
    if match.group("midnight"):
        return _Point(match.start(), match.end(), "midnight", 0, 0, None, match.start())
    meridiem = match.group("meridiem")
    if match.group("minute") is not None:
        kind, minute, column = "minutes", int(match.group("minute")), match.start("minute")
    elif match.group("h") is not None:
        kind = "h"
        minute = int(match.group("hminute") or 0)
        column = match.start("hminute") if match.group("hminute") else match.start()
    else:
        kind, minute, column = "bare", 0, match.start()
    return _Point(
        match.start(),
        match.end(),
        kind,
        int(match.group("hour")),
        minute,
        meridiem.lower() if meridiem else None,
        column,
    )


class _Scan(NamedTuple):
    first: _Point
    second: _Point


def _scan_range(text: str, pos: int) -> _Scan | int:
    """The two ends of a range starting at ``pos``, or the column where reading failed."""
    first = _match_point(text, pos)
    if first is None:
        return pos
    separator = _SEPARATOR.match(text, first.end)
    if separator is None:
        return first.end
    second = _match_point(text, separator.end())
    if second is None:
        return separator.end()
    return _Scan(first, second)


def _fail(message: str, found: str, expected: str, column: int | None) -> TimeTextError:
    return TimeTextError(message, found=found, expected=expected, column=column)


def _check_point(point: _Point, found: str) -> None:
    if point.kind == "midnight":
        raise _fail(
            "midnight is not a meeting time in",
            found,
            'a meeting time, like "10 a.m.–1 p.m." or "noon–3 p.m."',
            point.start,
        )
    if point.kind == "noon":
        return
    if point.minute > 59:
        raise _fail("minutes out of range in", found, "minutes from 00 to 59", point.minute_column)
    if point.meridiem is not None and not 1 <= point.hour <= 12:
        raise _fail(
            "hour out of range in",
            found,
            'an hour from 1 to 12 before a.m. or p.m., or a 24-hour time like "13:00"',
            point.start,
        )
    if point.meridiem is None and (point.hour, point.minute) > (24, 0):
        raise _fail("hour out of range in", found, "an hour from 0 to 23", point.start)


def _twelve_hour(point: _Point, meridiem: str) -> int:
    """Minutes after midnight of a point read on a 12-hour clock with ``meridiem``."""
    return (point.hour % 12 + (12 if meridiem == "p" else 0)) * 60 + point.minute


def _twenty_four_hour(point: _Point) -> int:
    return point.hour * 60 + point.minute


def _infer_start(first: _Point, end: int, meridiem: str) -> int | None:
    """Read a start without a.m./p.m. against an end that has one (``meridiem``).

    The end's meridiem is preferred ("3–6 p.m."); the other one is used when only it
    gives a start before the end ("11–1 p.m.") no earlier than 6 a.m.  Either way the
    meeting must be shorter than 12 hours.
    """
    same = _twelve_hour(first, meridiem)
    if 0 < same < end and end - same < 12 * 60:
        return same
    if meridiem == "p":
        other = _twelve_hour(first, "a")
        if _EARLIEST_INFERRED_START <= other < end and end - other < 12 * 60:
            return other
    return None


def _resolve(scan: _Scan, found: str) -> tuple[dt.time, dt.time]:
    start, end, _ = _resolve_range(scan, found, overnight=False)
    return start, end


def _resolve_range(scan: _Scan, found: str, *, overnight: bool) -> tuple[dt.time, dt.time, bool]:
    """Start and end of a range; with ``overnight``, "10 p.m.–2 a.m." and "11 p.m.–midnight"
    end on the next day (the flag returned)."""
    first, second = scan
    _check_point(first, found)
    if overnight and second.kind == "midnight" and first.meridiem == "p":
        evening = _twelve_hour(first, "p")
        return dt.time(evening // 60, evening % 60), dt.time(0), True
    _check_point(second, found)
    ambiguous = _fail(
        "ambiguous time",
        found,
        'a.m./p.m. or 24-hour times, like "10 a.m.–1 p.m." or "10:00–13:00"',
        first.start,
    )
    # The end first: it either carries a meridiem (12-hour clock) or is a 24-hour time.
    if second.meridiem is not None:
        end = _twelve_hour(second, second.meridiem)
    elif second.kind in ("minutes", "h"):
        end = _twenty_four_hour(second)
    elif first.meridiem is not None:
        raise _fail(
            "cannot read time",
            found,
            'a.m. or p.m. after the end too, like "10 a.m.–1 p.m."',
            second.end,
        )
    else:
        raise ambiguous
    # Then the start.
    start: int | None
    if first.meridiem is not None:
        start = _twelve_hour(first, first.meridiem)
    elif first.kind in ("minutes", "h") and (second.meridiem is None or not 1 <= first.hour <= 12):
        start = _twenty_four_hour(first)
    elif second.meridiem is not None:
        if not 1 <= first.hour <= 12:
            raise _fail(
                "hour out of range in",
                found,
                'an hour from 1 to 12 before a.m. or p.m., or a 24-hour time like "13:00"',
                first.start,
            )
        start = _infer_start(first, end, second.meridiem)
        if start is None:
            raise _fail(
                "end not after start in",
                found,
                'an end after the start, like "3–6 p.m." or "11 a.m.–1 p.m."',
                second.start,
            )
    elif second.kind in ("minutes", "h"):
        start = _twenty_four_hour(first)  # "10–13 h", "9–10.30"
    else:
        raise ambiguous
    for value, point in ((start, first), (end, second)):
        if value % (24 * 60) == 0:
            raise _fail(
                "midnight is not a meeting time in",
                found,
                'a meeting time, like "10 a.m.–1 p.m." or "noon–3 p.m."',
                point.start,
            )
    next_day = overnight and end <= start and first.meridiem == "p" and second.meridiem == "a"
    if end <= start and not next_day:
        raise _fail(
            "end not after start in",
            found,
            'an end after the start, like "3–6 p.m." or "10:00–13:00"',
            second.start,
        )
    return dt.time(start // 60, start % 60), dt.time(end // 60 % 24, end % 60), next_day


def _after_from(norm: str) -> int:
    """Where a normalised text's times or dates begin: past spaces and a leading "from"."""
    pos = _skip_spaces(norm, 0)
    prefix = _FROM.match(norm, pos)
    return pos if prefix is None else prefix.end()


def parse_time_range(text: str) -> tuple[dt.time, dt.time]:
    """Read a whole text such as ``"10 a.m.–1 p.m."`` as a (start, end) pair of times."""
    norm = _normalise(text)
    pos = _after_from(norm)
    scan = _scan_range(norm, pos)
    if isinstance(scan, int):
        raise _fail("cannot read time", text, _RANGE_EXAMPLE, scan)
    rest = _skip_spaces(norm, scan.second.end)
    if rest < len(norm):
        raise _fail("cannot read time", text, _RANGE_EXAMPLE, rest)
    return _resolve(scan, text)


def find_time_range(line: str) -> tuple[int, int, dt.time, dt.time] | None:
    """The time range a line starts with, as ``(start_offset, end_offset, start, end)``.

    ``line[start_offset:end_offset]`` is the range's text; whatever follows it (a
    meeting's agenda, say) is left alone.  ``None`` when the line does not start
    (after spaces) with a readable time range: "10 March", "item 5", "75/240" and
    garbled or ambiguous times alike (use :func:`looks_like_time` to tell those apart).
    """
    norm = _normalise(line)
    pos = _skip_spaces(norm, 0)
    scan = _scan_range(norm, pos)
    if isinstance(scan, int):
        return None
    end = scan.second.end
    if end < len(norm) and norm[end - 1].isalnum() and (norm[end].isalnum() or norm[end] in ":/"):
        return None
    try:
        start_time, end_time = _resolve(scan, line)
    except TimeTextError:
        return None
    return pos, end, start_time, end_time


class SlotTime(NamedTuple):
    """One meeting's time as printed: a start, and an end unless only the start is given."""

    start: dt.time
    end: dt.time | None
    overnight: bool = False


class FoundTimes(NamedTuple):
    """The times a line starts with, and the offset where the rest of the line begins."""

    times: tuple[SlotTime, ...]
    end: int


_AND = lazy(r"\s*(?:,\s*)?(?:and|&|,)\s+(?:from\s+)?", re.IGNORECASE)


def _single_point(point: _Point, found: str) -> dt.time | None:
    """A time printed alone ("10 a.m.", "noon", "15.00", "15 h"), or None for a bare number."""
    if point.kind == "noon":
        return dt.time(12)
    if point.kind == "midnight" or (point.kind == "bare" and point.meridiem is None):
        return None
    try:
        _check_point(point, found)
    except TimeTextError:
        return None
    minutes = (
        _twelve_hour(point, point.meridiem)
        if point.meridiem is not None
        else _twenty_four_hour(point)
    )
    if minutes >= 24 * 60:
        return None
    return dt.time(minutes // 60, minutes % 60)


def _slot_at(norm: str, pos: int, found: str) -> tuple[SlotTime, int] | None:
    scan = _scan_range(norm, pos)
    if not isinstance(scan, int):
        try:
            start, end, overnight = _resolve_range(scan, found, overnight=True)
        except TimeTextError:
            return None
        return SlotTime(start, end, overnight), scan.second.end
    point = _match_point(norm, pos)
    if point is None:
        return None
    separator = _SEPARATOR.match(norm, point.end)
    if separator and re.match(r"\d|noon", norm[separator.end() :], re.IGNORECASE):
        return None  # a range that breaks off ("10 a.m.–1", wrapped before "p.m.")
    alone = _single_point(point, found)
    return (SlotTime(alone, None), point.end) if alone is not None else None


def find_times(line: str) -> FoundTimes | None:
    """The meeting times a line starts with: ``"10 a.m.–1 p.m."``, ``"3 p.m."`` (a start
    only), ``"10 a.m. and 3 p.m."`` and ``"10 a.m.–1 p.m. and 3–6 p.m."`` (two meetings),
    ``"10 p.m.–2 a.m."`` (overnight).  ``None`` when the line does not start with one, or
    when what follows the times continues them ("10 March", "15/2").
    """
    norm = _normalise(line)
    pos = _after_from(norm)
    times: list[SlotTime] = []
    end = pos
    while True:
        found = _slot_at(norm, pos, line)
        if found is None:
            break
        slot, end = found
        times.append(slot)
        joined = _AND.match(norm, end)
        if joined is None:
            break
        pos = joined.end()
    if not times:
        return None
    if end < len(norm) and (norm[end].isalnum() or norm[end] in "/-") and norm[end - 1].isalnum():
        return None
    return FoundTimes(tuple(times), end)


#: Month names and abbreviations (lower case) → month number.
_MONTH_NAMES: dict[str, int] = {
    **{name.lower(): number for number, name in enumerate(MONTHS, 1)},
    **{name[:3].lower(): number for number, name in enumerate(MONTHS, 1)},
    "sept": 9,
}
#: Weekday names and abbreviations (lower case) → ``date.weekday()``.
_WEEKDAY_NAMES: dict[str, int] = {
    **{name.lower(): number for number, name in enumerate(WEEKDAYS)},
    **{name[:3].lower(): number for number, name in enumerate(WEEKDAYS)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}


def _alternation(names: dict[str, int]) -> str:
    return "|".join(sorted(names, key=lambda name: (-len(name), name)))


_MONTH = rf"(?:{_alternation(_MONTH_NAMES)})(?![a-z])"
_WEEKDAY = rf"(?:{_alternation(_WEEKDAY_NAMES)})(?![a-z])"

_LOOKS_LIKE_TIME = lazy(
    r"""\s*(?:
        (?:12\s*)?(?:noon|midnight)(?![a-z])
      | \d{1,2}(?!\d)\s*(?: [ap]\s*\.?\s*m(?![a-z]) | h(?![a-z]) )
      | \d{1,2}[:.]\d
      | \d{1,2}(?!\d)\s*(?:-|(?<![a-z])to(?![a-z]))\s*(?:noon|\d)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_DATE_AHEAD = lazy(
    rf"\d{{1,2}}(?!\d)\s*(?:-|to)\s*\d{{1,2}}(?!\d)(?:st|nd|rd|th)?\.?\s*,?\s*{_MONTH}",
    re.IGNORECASE,
)


def looks_like_time(text: str) -> bool:
    """Whether ``text`` starts with something clearly meant as a time.

    True for "10 a.m.", "3–6 p.m.", "10:00", "10.00", "10 h", "noon", and for garbled
    or ambiguous ranges such as "10–1" or "13 p.m." (so that they can be reported
    rather than ignored); false for "10 March", "6–10 March", "item 5", "75/240",
    "1. Introduction" and "2023-03-04".
    """
    norm = _normalise(text)
    if not _LOOKS_LIKE_TIME.match(norm):
        return False
    return not _DATE_AHEAD.match(norm, _skip_spaces(norm, 0))


# --- dates -----------------------------------------------------------------------------

_DAY_TERM = lazy(
    rf"""
    (?:(?P<weekday>{_WEEKDAY})\.?\s*,?\s*)?
    (?: (?P<day1>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?(?:\s*(?P<month1>{_MONTH})\.?)?
      | (?P<month2>{_MONTH})\.?\s*(?P<day2>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?
    )
    (?:\s*,?\s*(?P<year>\d{{4}})(?!\d))?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_ISO_DATE = lazy(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")


class _Term(NamedTuple):
    start: int
    end: int
    weekday: int | None
    day: int
    month: int | None
    year: int | None


def _match_term(text: str, pos: int) -> _Term | None:
    match = _DAY_TERM.match(text, pos)
    if match is None:
        return None
    weekday = match.group("weekday")
    month = match.group("month1") or match.group("month2")
    year = match.group("year")
    return _Term(
        match.start(),
        match.end(),
        _WEEKDAY_NAMES[weekday.lower()] if weekday else None,
        int(match.group("day1") or match.group("day2")),
        _MONTH_NAMES[month.lower()] if month else None,
        int(year) if year else None,
    )


def _describe(day: dt.date) -> str:
    return day_text(day)


def _make_date(term: _Term, month: int, year: int, found: str) -> dt.date:
    if not 1 <= year <= 9999:
        raise _fail("no such date", found, "a year from 1 to 9999", term.start)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= term.day <= days:
        raise _fail(
            "no such date",
            found,
            f"a day from 1 to {days} in {MONTHS[month - 1]} {year}",
            term.start,
        )
    day = dt.date(year, month, term.day)
    if term.weekday is not None and term.weekday != day.weekday():
        raise _fail(
            "wrong weekday in",
            found,
            f"the weekday of {_describe(day)} is {WEEKDAYS[day.weekday()]}",
            term.start,
        )
    return day


def _single(text: str, expected: str) -> _Term:
    """The one day term that makes up the whole of ``text`` (with its month)."""
    norm = _normalise(text)
    pos = _skip_spaces(norm, 0)
    term = _match_term(norm, pos)
    if term is None:
        raise _fail("cannot read date", text, expected, pos)
    rest = _skip_spaces(norm, term.end)
    if rest < len(norm):
        raise _fail("cannot read date", text, expected, rest)
    if term.month is None:
        raise _fail("cannot read date", text, expected, term.end)
    return term


class DayTerm(NamedTuple):
    """A day as printed in a heading: weekday, day and month, and the year if printed."""

    weekday: int | None
    day: int
    month: int
    year: int | None

    def date(self, year: int | None = None, found: str = "") -> dt.date:
        """The date, in the printed year or else ``year``; the weekday must match."""
        the_year = self.year if self.year is not None else year
        if the_year is None:
            raise _fail("no year in", found, 'a year, as in "Monday, 6 March 2023"', None)
        term = _Term(0, 0, self.weekday, self.day, self.month, the_year)
        return _make_date(term, self.month, the_year, found)


class FoundDays(NamedTuple):
    """The day headings a line starts with, and the offset where the rest begins."""

    days: tuple[DayTerm, ...]
    end: int


_DAYS_AND = lazy(r"\s*(?:,\s*)?(?:and|&)\s+", re.IGNORECASE)
_WEEKDAY_AHEAD = lazy(rf"\s*{_WEEKDAY}", re.IGNORECASE)


def find_days(line: str) -> FoundDays | None:
    """The day heading a line starts with: a weekday, a day and a month, perhaps a year
    ("Monday, 6 October", "Wednesday, 1 October 2025", "Monday 9 March"), or several
    joined by "and" ("Thursday, 3 July and Friday, 4 July").  A date without its weekday
    is not a heading (prose is full of dates)."""
    norm = _normalise(line)
    pos = _skip_spaces(norm, 0)
    days: list[DayTerm] = []
    end = pos
    while True:
        if not _WEEKDAY_AHEAD.match(norm, pos):
            break
        term = _match_term(norm, pos)
        if term is None or term.weekday is None or term.month is None:
            break
        days.append(DayTerm(term.weekday, term.day, term.month, term.year))
        end = term.end
        joined = _DAYS_AND.match(norm, end)
        if joined is None:
            break
        pos = joined.end()
    if not days or (end < len(norm) and norm[end].isalnum()):
        return None
    return FoundDays(tuple(days), end)


def parse_day(text: str, *, year: int | None = None) -> dt.date:
    """Read a day heading such as ``"Monday, 6 March"`` or ``"March 6, 2023"``.

    A year in the text wins over ``year``; without either, :class:`TimeTextError`.  A
    weekday, if named, must be the date's.
    """
    term = _single(text, _DAY_EXAMPLE)
    assert term.month is not None
    the_year = term.year if term.year is not None else year
    if the_year is None:
        raise _fail("no year in", text, 'a year, as in "Monday, 6 March 2023"', term.end)
    return _make_date(term, term.month, the_year, text)


def parse_date(text: str) -> dt.date:
    """Read a full date: ``"4 March 2023"``, ``"4 Mar. 2023"``, ``"March 4, 2023"``, ISO."""
    iso = _ISO_DATE.fullmatch(_normalise(text))
    if iso is not None:
        try:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            raise _fail("no such date", text, _DATE_EXAMPLE, None) from None
    term = _single(text, _DATE_EXAMPLE)
    assert term.month is not None
    if term.year is None:
        raise _fail("no year in", text, 'a year, as in "6 March 2023"', term.end)
    return _make_date(term, term.month, term.year, text)


def parse_date_range(text: str) -> tuple[dt.date, dt.date]:
    """Read a session's dates: ``"6–10 March 2023"``, ``"28 February–3 March 2023"``,
    ``"30 December 2025–2 January 2026"``, ``"from 6 to 10 March 2023"``, or one day.

    A start without a month or year takes the end's ("6–10 March 2023"), going back a
    year when its (named) month comes after the end's ("30 December–2 January 2026"); an end
    without a month takes the start's ("March 6–10, 2023").
    """
    norm = _normalise(text)
    pos = _after_from(norm)
    first = _match_term(norm, pos)
    if first is None:
        raise _fail("cannot read dates", text, _DATES_EXAMPLE, pos)
    second: _Term | None = None
    separator = _SEPARATOR.match(norm, first.end)
    if separator is not None:
        second = _match_term(norm, separator.end())
        if second is None:
            raise _fail("cannot read dates", text, _DATES_EXAMPLE, separator.end())
    last = second or first
    rest = _skip_spaces(norm, last.end)
    if rest < len(norm):
        raise _fail("cannot read dates", text, _DATES_EXAMPLE, rest)
    if second is None:
        if first.month is None or first.year is None:
            raise _fail("cannot read dates", text, _DATES_EXAMPLE, first.end)
        day = _make_date(first, first.month, first.year, text)
        return day, day
    end_month = second.month if second.month is not None else first.month
    if end_month is None:
        raise _fail("no month in", text, _DATES_EXAMPLE, second.end)
    end_year = second.year if second.year is not None else first.year
    if end_year is None:
        raise _fail("no year in", text, 'a year, as in "6–10 March 2023"', second.end)
    start_month = first.month if first.month is not None else end_month
    if first.year is not None:
        start_year = first.year
    elif start_month > end_month:
        start_year = end_year - 1  # "30 December–2 January 2026"
    else:
        start_year = end_year
    start = _make_date(first, start_month, start_year, text)
    end = _make_date(second, end_month, end_year, text)
    if end < start:
        raise _fail(
            "end before start in",
            text,
            f"a last day on or after the first ({_describe(start)})",
            second.start,
        )
    return start, end
