"""Hypothesis strategies for valid programmes, meetings, agenda entries and feeds.

Programmes are valid by construction:

* meeting slots are laid out one after the other per room and day, so that no two
  meetings overlap in one room;
* slots whose start or end falls into a daylight-saving gap or fold of the zone are
  dropped before anything is put into them;
* entries are then given to the slots in the programme's own order (day, start, end,
  room), and an entry is marked "(continued)" only for an item, or item/sub-item pair,
  that an earlier meeting took up.

Sessions are placed around the daylight-saving switches of the zones used (second Sunday
of March and first Sunday of November in New York, last Sundays of March and October in
Europe, first Sundays of April and October in Sydney, early April and September in
Santiago) and across year ends.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from oewg_cal import (
    AgendaEntry,
    Body,
    Feed,
    FeedOptions,
    FollowedBy,
    Footnote,
    Kind,
    Meeting,
    Programme,
    Reference,
    Segment,
    SeriesKey,
    SubItem,
)
from oewg_cal.errors import OrphanContinuation
from oewg_cal.ical.feed import Event, derived_uids, programme_id

__all__ = [
    "TIMEZONES",
    "entries",
    "exists_once",
    "feeds",
    "meetings",
    "programmes",
    "slots",
    "stamps",
    "texts",
]

UTC = dt.timezone.utc

TIMEZONES = (
    "America/New_York",
    "Europe/Zurich",
    "Europe/Vienna",
    "Africa/Nairobi",
    "Asia/Tokyo",
    "Australia/Sydney",  # southern hemisphere: daylight time across the year end
    "America/Santiago",  # switches at midnight
)

# Years whose VTIMEZONE window (two years either side) has one rule per zone above,
# except America/Santiago (see feedcheck.check_vtimezones).
FIRST_YEAR, LAST_YEAR = 2012, 2034

# Characters that matter to iCalendar text escaping and folding, and to people.
_SPECIAL = (
    ",",
    ";",
    ":",
    "\\",
    "\n",
    "–",
    "—",
    '"',
    "'",
    "“",
    "”",
    "‘",
    "’",
    "«",
    "»",
    "…",
    "😀",
    "🇺🇳",
    "👩\u200d💻",
    "ع",
    "ر",
    "بي",
    "中",
    "文",
    "会议",
    "Ж",
    "д",
    "Совет",
    " ",
    "a",
    "Z",
    "5",
    "(",
    ")",
    "/",
    "=",
    "^",
    "&",
)
# Any character but surrogates and controls; the newline is put back.
_CHARS = st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n")
_SPECIALS = st.lists(st.sampled_from(_SPECIAL), max_size=3).map("".join)


@st.composite
def texts(
    draw: st.DrawFn, *, max_size: int = 10, multiline: bool = True, backslash: bool = True
) -> str:
    """Non-empty stripped text with the characters iCalendar writers get wrong.

    Commas, semicolons, colons, backslashes, newlines (inside only), dashes, quotes,
    emoji, Arabic, Chinese, Cyrillic; no control character but the newline.
    ``multiline=False`` leaves newlines out, ``backslash=False`` backslashes.
    """
    text = draw(_SPECIALS) + draw(st.text(_CHARS, max_size=max_size)) + draw(_SPECIALS)
    if not multiline:
        text = text.replace("\n", " ")
    if not backslash:
        text = text.replace("\\", "/")
    # icalendar's TEXT escaping turns a backslash-N into a newline (see test_ical_decode.py)
    text = text.replace("\\N", "\\n").strip()
    return text or draw(st.sampled_from(("x", "Ж", "中", "😀", "5;\\,")))


def _words() -> st.SearchStrategy[str]:
    return texts(max_size=6)


# Names, sessions, rooms and symbols are single lines in the model.
def _line() -> st.SearchStrategy[str]:
    return texts(max_size=6, multiline=False)


def _urls() -> st.SearchStrategy[str]:
    path = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-/._~%;,=?&", max_size=30)
    return path.map(lambda p: "https://undocs.org/" + p)


def _rooms() -> st.SearchStrategy[str]:
    # Rooms in one programme get distinct UID slugs ("Room 1: …", "Room 2: …"): rooms
    # that differ only in case or punctuation collide (see test_ical_feed.py).
    return texts(max_size=6, multiline=False, backslash=False)


def _rarely() -> st.SearchStrategy[bool]:
    return st.sampled_from((False, False, False, True))


_LETTERS = ("a", "b", "c", "d", "g", "aa", "xyz")
_MARKS = ("1", "2", "3", "a", "b", "*", "†", "‡", "§", "12", "1a")


@st.composite
def entries(
    draw: st.DrawFn,
    *,
    seen: frozenset[SeriesKey] = frozenset(),
    footnote_marks: Sequence[str] = (),
    items: Sequence[int] = (1, 2, 3, 5, 6, 999),
    titles: dict[int, str] | None = None,
) -> AgendaEntry:
    """One agenda entry; it continues only keys in ``seen`` (taken up by earlier meetings).

    ``titles`` (item number → title) is filled in as items are first used, so an item
    keeps its title through a programme.
    """
    titles = {} if titles is None else titles
    kind = draw(st.sampled_from(("item", "sub-item", "segment", "segment+item")))
    footnotes: tuple[str, ...] = ()
    if footnote_marks:
        footnotes = tuple(
            draw(st.lists(st.sampled_from(tuple(footnote_marks)), max_size=2, unique=True))
        )
    speakers = tuple(draw(st.lists(_words(), max_size=2)))
    segment = label = None
    if kind.startswith("segment"):
        segment = draw(st.sampled_from(Segment))
        label = draw(_words())
    if kind == "segment":
        return AgendaEntry(segment=segment, label=label, speakers=speakers, footnotes=footnotes)
    item = draw(st.sampled_from(tuple(items)))
    if item not in titles:
        # "Item 18" with no title: a programme may name an item by its number only
        titles[item] = draw(st.one_of(texts(), st.just("")))
    continued = SeriesKey(item=item) in seen and draw(st.booleans())
    sub_item = None
    title = titles[item]
    if kind == "sub-item" or (kind == "segment+item" and draw(st.booleans())):
        letter = draw(st.sampled_from(_LETTERS))
        sub_item = SubItem(
            letter=letter,
            # "sub-items (a) to (l)": a sub-item named by its letter only
            text=draw(st.one_of(texts(), st.just(""))),
            continued=SeriesKey(item=item, sub_item=letter) in seen and draw(st.booleans()),
            concluded=draw(_rarely()),
        )
        if draw(st.booleans()):
            title = ""  # "(a) ..." written under an item given earlier
    return AgendaEntry(
        item=item,
        title=title,
        continued=continued,
        concluded=draw(_rarely()),
        sub_item=sub_item,
        segment=segment,
        label=label or "",
        speakers=speakers,
        footnotes=footnotes,
    )


def exists_once(day: dt.date, when: dt.time, zone: zoneinfo.ZoneInfo) -> bool:
    """Whether ``day`` at ``when`` happens exactly once in ``zone`` (no gap, no fold)."""
    local = dt.datetime.combine(day, when)
    aware = local.replace(tzinfo=zone)
    round_trip = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return round_trip == local and aware.utcoffset() == aware.replace(fold=1).utcoffset()


_Slot = tuple[dt.date, dt.time, dt.time, "str | None", bool]


def _minute(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


@st.composite
def slots(
    draw: st.DrawFn,
    days: Sequence[dt.date],
    zone: zoneinfo.ZoneInfo,
    *,
    rooms: Sequence[str | None] = (None,),
    max_meetings: int = 6,
) -> list[_Slot]:
    """Meeting slots (day, start, end, room, formal) in the programme's order.

    Per day and room the slots follow one another (uneven lengths and gaps, to the
    minute), so they never overlap in a room; slots touching a DST gap or fold are left
    out.  At least one slot is returned.
    """
    found: list[_Slot] = []
    for day in days:
        day_rooms = draw(st.lists(st.sampled_from(tuple(rooms)), min_size=1, max_size=2))
        for room in dict.fromkeys(day_rooms):
            cursor = draw(st.integers(0, 20 * 60))
            for _ in range(draw(st.integers(1, 3))):
                start = cursor + draw(st.integers(0, 150))
                end = start + draw(st.integers(1, 330))
                if end > 23 * 60 + 59:
                    break
                cursor = end
                found.append((day, _minute(start), _minute(end), room, draw(st.booleans())))
    found = [
        slot
        for slot in found
        if exists_once(slot[0], slot[1], zone) and exists_once(slot[0], slot[2], zone)
    ]
    if len(found) > max_meetings:
        keep = draw(
            st.sets(st.integers(0, len(found) - 1), min_size=max_meetings, max_size=max_meetings)
        )
        found = [slot for index, slot in enumerate(found) if index in keep]
    if not found:
        found = [(days[0], dt.time(10), dt.time(13), rooms[0], True)]
    found.sort(key=lambda s: (s[0], s[1], s[2], s[3] or ""))
    return found


def _order(slot: dict[str, Any]) -> tuple[Any, ...]:
    """The model's order of meetings (Meeting.sort_key), worked out from the slot's fields."""
    start, end = slot.get("start"), slot.get("end")
    end_date = slot["date"] + dt.timedelta(days=1 if slot.get("overnight") else 0)
    return (
        slot["date"],
        start is not None,
        start or dt.time.min,
        slot.get("kind", Kind.MEETING) is Kind.DEADLINE,
        end_date,
        end or dt.time.min,
        slot.get("room") or "",
    )


def _fill(
    draw: st.DrawFn,
    layout: list[dict[str, Any]],
    footnote_marks: Sequence[str],
    begun: frozenset[SeriesKey] = frozenset(),
) -> list[Meeting]:
    """Entries for each slot in order, continuing only what earlier slots (or ``begun``,
    the series begun before the programme) took up; some meetings are followed by
    another without a time of its own."""
    seen: set[SeriesKey] = set(begun)
    titles: dict[int, str] = {}
    result = []

    def agenda(max_size: int) -> list[AgendaEntry]:
        taken = entries(seen=frozenset(seen), footnote_marks=footnote_marks, titles=titles)
        return draw(st.lists(taken, min_size=1, max_size=max_size))

    for slot in sorted(layout, key=_order):
        taken = agenda(3)
        followed_by = None
        if slot.get("kind", Kind.MEETING) is Kind.MEETING and draw(_rarely()):
            followed_by = FollowedBy(entries=agenda(2), formal=draw(st.booleans()))
        meeting = Meeting(entries=taken, followed_by=followed_by, **slot)
        result.append(meeting)
        seen |= {key for entry in meeting.agenda for key in entry.series_keys}
    return result


def _timed(slot: _Slot) -> dict[str, Any]:
    day, start, end, room, formal = slot
    return {"date": day, "start": start, "end": end, "room": room, "formal": formal}


@st.composite
def _untimed_slots(
    draw: st.DrawFn, days: Sequence[dt.date], zone: zoneinfo.ZoneInfo
) -> list[dict[str, Any]]:
    """Days given without a time, deadlines ("Deadline for proposals: 6 p.m.") and
    overnight meetings (in a room of their own, 22:00 or later to the next morning)."""
    found: list[dict[str, Any]] = []
    for day in days:
        kind = draw(st.sampled_from(("none", "none", "none", "day", "deadline", "overnight")))
        formal = draw(st.booleans())
        if kind == "day":
            found.append({"date": day, "start": None, "end": None, "formal": formal})
        elif kind == "deadline":
            at = _minute(draw(st.integers(0, 23 * 60 + 59)))
            if exists_once(day, at, zone):
                found.append(
                    {"date": day, "start": at, "end": None, "formal": formal, "kind": Kind.DEADLINE}
                )
        elif kind == "overnight":
            start = _minute(draw(st.integers(22 * 60, 23 * 60 + 59)))
            end = _minute(draw(st.integers(0, 6 * 60)))
            after = day + dt.timedelta(days=1)
            if exists_once(day, start, zone) and exists_once(after, end, zone):
                found.append(
                    {
                        "date": day,
                        "start": start,
                        "end": end,
                        "overnight": True,
                        "formal": formal,
                        "room": "Overnight: Room 0",
                    }
                )
    return found


@st.composite
def meetings(
    draw: st.DrawFn,
    *,
    seen: frozenset[SeriesKey] = frozenset(),
    footnote_marks: Sequence[str] = (),
    dates: st.SearchStrategy[dt.date] | None = None,
    rooms: st.SearchStrategy[str | None] | None = None,
) -> Meeting:
    """One meeting on its own (it continues only keys in ``seen``)."""
    day = draw(dates or st.dates(dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)))
    start = draw(st.integers(0, 23 * 60 + 58))
    end = draw(st.integers(start + 1, 23 * 60 + 59))
    return Meeting(
        date=day,
        start=_minute(start),
        end=_minute(end),
        entries=draw(
            st.lists(entries(seen=seen, footnote_marks=footnote_marks), min_size=1, max_size=3)
        ),
        formal=draw(st.booleans()),
        room=draw(rooms if rooms is not None else st.one_of(st.none(), _rooms())),
    )


def _nth_sunday(year: int, month: int, n: int) -> dt.date:
    """The n-th Sunday of the month (n = -1: the last)."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() + 1) % 7)


# Days the clocks change in the zones above.
_SWITCHES: dict[str, tuple[Callable[[int], dt.date], ...]] = {
    "America/New_York": (lambda y: _nth_sunday(y, 3, 2), lambda y: _nth_sunday(y, 11, 1)),
    "Europe/Zurich": (lambda y: _nth_sunday(y, 3, -1), lambda y: _nth_sunday(y, 10, -1)),
    "Europe/Vienna": (lambda y: _nth_sunday(y, 3, -1), lambda y: _nth_sunday(y, 10, -1)),
    "Australia/Sydney": (lambda y: _nth_sunday(y, 4, 1), lambda y: _nth_sunday(y, 10, 1)),
    # Chile: the first Sunday on or after the 2nd of April and of September
    "America/Santiago": (
        lambda y: _nth_sunday(y, 4, 1) + dt.timedelta(days=7 * (_nth_sunday(y, 4, 1).day == 1)),
        lambda y: _nth_sunday(y, 9, 1) + dt.timedelta(days=7 * (_nth_sunday(y, 9, 1).day == 1)),
    ),
}


@st.composite
def session_days(draw: st.DrawFn, timezone: str = "America/New_York") -> tuple[dt.date, dt.date]:
    """First and last day of a session: around a DST switch of the zone or a year end.

    Sessions around a switch or a year end run from up to three days before it to up to
    three days after (e.g. 28 December to 3 January); others are anywhere in the year.
    """
    year = draw(st.integers(FIRST_YEAR, LAST_YEAR - 1))
    switches = _SWITCHES.get(timezone, ())
    kind = draw(st.sampled_from(("switch", "switch", "year-end", "anywhere")))
    if kind == "anywhere" or (kind == "switch" and not switches):
        first = draw(st.dates(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        return first, first + dt.timedelta(days=draw(st.integers(0, 6)))
    anchor = dt.date(year, 12, 31) if kind == "year-end" else draw(st.sampled_from(switches))(year)
    first = anchor - dt.timedelta(days=draw(st.integers(0, 3)))
    return first, anchor + dt.timedelta(days=draw(st.integers(0, 3)))


_ROOM_NAMES = ("Conference Room 4", "Trusteeship Council Chamber", "Salle XVII", "Room; B, 2")


@st.composite
def programmes(
    draw: st.DrawFn,
    *,
    timezones: Sequence[str] = TIMEZONES,
    max_meetings: int = 6,
    features: bool = True,
) -> Programme:
    """A valid programme in one of ``timezones`` with at most ``max_meetings`` meetings
    (one more where a day without a time, a deadline or an overnight meeting is drawn).

    With ``features`` (the default) programmes also have days without a time, deadlines,
    overnight meetings, meetings followed by another, assumed ends and series begun
    before the programme; without, every meeting has a start and an end on its day.
    """
    timezone = draw(st.sampled_from(tuple(timezones)))
    zone = zoneinfo.ZoneInfo(timezone)
    first_day, last_day = draw(session_days(timezone))
    all_days = [first_day + dt.timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    days = [d for d in all_days if draw(st.integers(0, 4))] or all_days[:1]
    room_pool: list[str | None] = [None]
    names = draw(st.lists(st.one_of(st.sampled_from(_ROOM_NAMES), _rooms()), max_size=2))
    room_pool += [f"Room {n}: {name}" for n, name in enumerate(names, 1)]
    layout = [
        _timed(slot) for slot in draw(slots(days, zone, rooms=room_pool, max_meetings=max_meetings))
    ]
    for slot in layout:
        slot["end_assumed"] = draw(_rarely())
    if features:
        extra = draw(_untimed_slots(days, zone))
        layout += extra[: max(0, max_meetings - len(layout))] or extra[:1]
    begun = frozenset(
        draw(
            st.lists(
                st.sampled_from(
                    (SeriesKey(item=3), SeriesKey(item=5), SeriesKey(item=5, sub_item="a"))
                ),
                max_size=2 if features else 0,
            )
        )
    )
    marks = draw(st.lists(st.sampled_from(_MARKS), max_size=3, unique=True))
    footnotes = [Footnote(mark=mark, text=draw(texts())) for mark in marks]
    references = draw(
        st.lists(
            st.builds(
                Reference,
                symbol=_line(),
                title=_words(),
                url=st.one_of(st.none(), _urls()),
            ),
            max_size=2,
        )
    )
    return Programme(
        body=Body(name=draw(texts()), short_name=draw(_line())),
        session=draw(_line()),
        place=draw(_words()),
        venue=draw(_words()),
        first_day=first_day,
        last_day=last_day,
        issued=first_day - dt.timedelta(days=draw(st.integers(0, 90))),
        timezone=timezone,
        symbol=draw(st.one_of(st.none(), _line())),
        url=draw(st.one_of(st.none(), st.just("https://example.org/programme?a=1;b=2,3"))),
        notes=tuple(draw(st.lists(texts(), max_size=2))),
        footnotes=tuple(footnotes),
        references=tuple(references),
        meetings=_fill(draw, layout, marks, begun),
        begun_earlier=tuple(begun),
    )


def stamps() -> st.SearchStrategy[dt.datetime]:
    """DTSTAMP / LAST-MODIFIED values: aware UTC, whole seconds."""
    return st.datetimes(
        min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31, 23, 59, 59)
    ).map(lambda d: d.replace(microsecond=0, tzinfo=UTC))


def feed_options() -> st.SearchStrategy[FeedOptions]:
    """Calendar-level options, default or not."""
    return st.builds(
        FeedOptions,
        name=st.one_of(st.none(), _line()),
        description=st.one_of(st.none(), texts()),
        color=st.one_of(st.none(), st.sampled_from(("navy", "#1f77b4"))),
        alarms=st.lists(st.integers(0, 7 * 24 * 60), max_size=2),
        categories=st.lists(_line(), max_size=2),
        refresh_hours=st.integers(1, 48),
        source=st.one_of(st.none(), st.just("https://example.org/feed.ics")),
    )


def _withdraw(programme: Programme, leave: set[int]) -> Programme:
    """The programme without the meetings at indices ``leave`` (still valid), or as is."""
    kept = [m for i, m in enumerate(programme.meetings) if i not in leave]
    try:
        return attrs.evolve(programme, meetings=kept)
    except OrphanContinuation:
        # a later meeting continues what a withdrawn one took up: withdraw from the end
        count = len(programme.meetings) - len(leave)
        return attrs.evolve(programme, meetings=programme.meetings[:count])


@st.composite
def feeds(
    draw: st.DrawFn,
    *,
    timezones: Sequence[str] = TIMEZONES,
    max_meetings: int = 4,
    max_programmes: int = 2,
) -> Feed:
    """A feed as refreshed over time: sequences, stamps, withdrawn meetings kept as cancelled.

    Each programme is drawn, then some of its meetings are taken out (with
    :func:`attrs.evolve`); the meetings taken out stay in the feed as cancelled events
    under the UIDs they had.  Events are listed in no particular order.
    """
    count = draw(st.integers(1, max_programmes))
    drawn = draw(
        st.lists(
            programmes(timezones=timezones, max_meetings=max_meetings),
            min_size=count,
            max_size=count,
            unique_by=programme_id,
        )
    )
    live_programmes = []
    events = []
    for original in drawn:
        uids = derived_uids(original)
        leave = draw(
            st.sets(st.integers(0, len(original.meetings) - 1), max_size=len(original.meetings))
        )
        programme = _withdraw(original, leave)
        live_programmes.append(programme)
        pid = programme_id(programme)
        for meeting in original.meetings:
            events.append(
                Event(
                    programme=pid,
                    meeting=meeting,
                    uid=uids[meeting],
                    sequence=draw(st.integers(0, 10**6)),
                    stamp=draw(stamps()),
                    cancelled=meeting not in programme.meetings,
                )
            )
    events = draw(st.permutations(events))
    return Feed(programmes=live_programmes, events=events, options=draw(feed_options()))
