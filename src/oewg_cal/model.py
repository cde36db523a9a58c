"""The domain model: one session's programme of work, as frozen, validated attrs classes.

A :class:`Programme` holds :class:`Meeting` s, each taking up :class:`AgendaEntry` s in
order.  Every class validates itself at construction, and the programme validates the
whole (meetings within the session, no overlap in a room, local times that exist in the
zone, continuations that continue something), so a wrong programme cannot be built.
Change a programme with :func:`attrs.evolve`, which validates again.

The *agenda series* (:func:`series_of`) are derived, never stored: every agenda item,
and every item/sub-item pair, taken up in several meetings is one series.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import zoneinfo
from collections.abc import Iterable
from typing import Any

import attrs

from oewg_cal._lazy_re import lazy
from oewg_cal.errors import (
    AmbiguousLocalTime,
    InvalidField,
    InvalidTimeRange,
    MeetingOutsideSession,
    NonexistentLocalTime,
    OrphanContinuation,
    OverlappingMeetings,
    UnknownFootnote,
    UnknownTimeZone,
)

__all__ = [
    "AgendaEntry",
    "Body",
    "FollowedBy",
    "Footnote",
    "Kind",
    "Meeting",
    "Programme",
    "Reference",
    "Segment",
    "Series",
    "SeriesKey",
    "SubItem",
    "series_of",
]

DEFAULT_TIMEZONE = "America/New_York"
#: The years a programme's dates may fall in.  A feed's VTIMEZONE is derived from the tz
#: database year by year from the first to the last of them: a date like 0001-01-01 or
#: 9999-12-31 is a mistake, and would leave no calendar to write.
FIRST_YEAR, LAST_YEAR = 1900, 2200


class Segment(enum.Enum):
    """Special parts of a session that are not (only) an agenda item."""

    OPENING = "opening"
    OPENING_STATEMENTS = "opening-statements"
    STAKEHOLDER = "stakeholder"
    CLOSURE = "closure"
    CONCLUDING_REMARKS = "concluding-remarks"
    OTHER = "other"


# C0 controls but the line feed, DEL and the C1 controls; lone UTF-16 surrogates.
_CONTROL = lazy(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_SURROGATE = lazy(r"[\ud800-\udfff]")


def plain_text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A single line of text: a str, stripped, with no control characters."""
    if not isinstance(value, str):
        raise InvalidField(f"{attribute.name} must be text, not {type(value).__name__}")
    if value != value.strip():
        raise InvalidField(f"{attribute.name} must not start or end with whitespace: {value!r}")
    if _CONTROL.search(value):
        raise InvalidField(f"{attribute.name} must not hold control characters: {value!r}")
    if _SURROGATE.search(value):  # no UTF-8 text, and no feed, holds one
        raise InvalidField(
            f"{attribute.name} must be Unicode text, not {value!r} (a lone surrogate: "
            "bytes that are not UTF-8, or half of a JSON escape)"
        )


def nonempty_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    plain_text(instance, attribute, value)
    if not value:
        raise InvalidField(f"{attribute.name} must not be empty")


def one_line(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Non-empty text on one line (names, places, rooms, URLs)."""
    nonempty_text(instance, attribute, value)
    if "\n" in str(value):
        raise InvalidField(f"{attribute.name} must be a single line: {value!r}")


def optional_line(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        one_line(instance, attribute, value)


def optional_url(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        one_line(instance, attribute, value)
        if any(c.isspace() or c == "\\" for c in str(value)):
            raise InvalidField(
                f"{attribute.name} must be a URL without spaces or backslashes: {value!r}"
            )


def texts(instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for item in value:
        nonempty_text(instance, attribute, item)


def tuple_of(value: Iterable[Any]) -> tuple[Any, ...]:
    if isinstance(value, str):
        raise InvalidField(f"expected a sequence, not the text {value!r}")
    return tuple(value)


_SUB_ITEM_LETTER = lazy(r"[a-z]{1,3}")
_FOOTNOTE_MARK = lazy(r"[0-9a-z*†‡§]{1,4}")


@attrs.frozen(kw_only=True)
class Body:
    """The body that meets: its full name and the short name used in event summaries."""

    name: str = attrs.field(validator=nonempty_text)
    short_name: str = attrs.field(validator=one_line)


@attrs.frozen(kw_only=True)
class Footnote:
    """A footnote of the programme: its mark (``"1"``, ``"a"``, ``"*"``) and its text."""

    mark: str = attrs.field(validator=nonempty_text)
    text: str = attrs.field(validator=nonempty_text)

    @mark.validator
    def _check_mark(self, _attribute: attrs.Attribute[str], value: str) -> None:
        if not _FOOTNOTE_MARK.fullmatch(value):
            raise InvalidField(f"footnote mark must be a short number, letter or symbol: {value!r}")


@attrs.frozen(kw_only=True)
class Reference:
    """A document the programme refers to, e.g. General Assembly resolution 75/240."""

    symbol: str = attrs.field(validator=nonempty_text)
    title: str = attrs.field(validator=nonempty_text)
    url: str | None = attrs.field(default=None, validator=optional_url)


@attrs.frozen(kw_only=True, cache_hash=True)
class SubItem:
    """A lettered sub-item of an agenda item, e.g. (a) with its text.

    ``text`` is empty where the programme names the sub-item by its letter only
    ("item 18 and sub-items (a) to (l)"); ``continued`` and ``concluded`` are the
    programme's marks "(continued)" and "(concluded)".
    """

    letter: str = attrs.field()
    text: str = attrs.field(default="", validator=plain_text)
    continued: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    concluded: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))

    @letter.validator
    def _check_letter(self, _attribute: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not _SUB_ITEM_LETTER.fullmatch(value):
            raise InvalidField(f"sub-item letter must be lower-case letters like 'a': {value!r}")


@attrs.frozen(kw_only=True, cache_hash=True)
class AgendaEntry:
    """One thing a meeting takes up: an agenda item (optionally a sub-item), a segment, or both.

    * ``item`` and ``title``: the agenda item number and its title ("organization of work");
      ``continued`` is True when the item was already taken up in an earlier meeting and
      the programme says "(continued)" (or "continues"); ``concluded`` when it says the
      meeting concludes the item.
    * ``sub_item``: the lettered sub-item, with its own marks.
    * ``segment`` and ``label``: a special segment (opening, opening statements, the
      informal stakeholder segment, closure, concluding remarks) and its text as written.
    * ``speakers``: for opening statements and similar segments, who speaks, in order.
    * ``footnotes``: marks of the programme's footnotes this entry refers to.
    """

    item: int | None = attrs.field(default=None)
    title: str = attrs.field(default="", validator=plain_text)
    continued: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    concluded: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    sub_item: SubItem | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(SubItem))
    )
    segment: Segment | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Segment))
    )
    label: str = attrs.field(default="", validator=plain_text)
    speakers: tuple[str, ...] = attrs.field(default=(), converter=tuple_of, validator=texts)
    footnotes: tuple[str, ...] = attrs.field(default=(), converter=tuple_of, validator=texts)

    @item.validator
    def _check_item(self, _attribute: attrs.Attribute[int | None], value: int | None) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 999:
            raise InvalidField(f"agenda item number must be an integer from 1 to 999: {value!r}")

    def __attrs_post_init__(self) -> None:
        if self.item is None and self.segment is None:
            raise InvalidField("an agenda entry needs an agenda item number or a segment")
        if self.item is None and (
            self.title or self.continued or self.concluded or self.sub_item is not None
        ):
            raise InvalidField(
                "an entry without an agenda item number cannot have an item title, "
                "a sub-item or a continued or concluded mark"
            )
        if self.segment is not None and not self.label:
            raise InvalidField(f"a {self.segment.value} segment needs its label as written")
        if self.segment is None and self.label:
            raise InvalidField("only a segment has a label; put an item's title in title")

    @property
    def series_keys(self) -> tuple[SeriesKey, ...]:
        """The series this entry belongs to: its item, and its item/sub-item pair."""
        if self.item is None:
            return ()
        keys = [SeriesKey(item=self.item)]
        if self.sub_item is not None:
            keys.append(SeriesKey(item=self.item, sub_item=self.sub_item.letter))
        return tuple(keys)

    def continues(self, key: SeriesKey) -> bool:
        """Whether this entry is marked as continuing ``key`` (one of its series keys)."""
        if key.sub_item is None:
            return self.continued
        return self.sub_item is not None and self.sub_item.continued

    @property
    def reference(self) -> str:
        """ "5(a)", "3", or "" for a pure segment: how the UN cites the item."""
        if self.item is None:
            return ""
        return f"{self.item}({self.sub_item.letter})" if self.sub_item else str(self.item)


def _time(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.time) or value.tzinfo is not None:
        raise InvalidField(f"{attribute.name} must be a local (naive) time: {value!r}")
    if value.second or value.microsecond:
        raise InvalidField(f"{attribute.name} must be a whole minute: {value}")


def _date(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidField(f"{attribute.name} must be a date: {value!r}")
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InvalidField(
            f"{attribute.name} must be a date from {FIRST_YEAR} to {LAST_YEAR}: {value}"
        )


class Kind(enum.Enum):
    """What a dated entry of the programme is: a meeting, or a deadline printed as a slot."""

    MEETING = "meeting"
    DEADLINE = "deadline"


@attrs.frozen(kw_only=True, cache_hash=True)
class FollowedBy:
    """A meeting that follows another without a time of its own.

    "Followed by: (informal meeting) Item 137: Programme planning" is part of the meeting
    it follows, not a meeting of its own: it has no start of its own to put in a calendar.
    """

    entries: tuple[AgendaEntry, ...] = attrs.field(converter=tuple_of)
    formal: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))

    @entries.validator
    def _check_entries(self, _attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
        _check_agenda(value, "what follows the meeting")


def _check_agenda(value: tuple[object, ...], what: str) -> None:
    if not value:
        raise InvalidField(f"{what} takes up nothing")
    for entry in value:
        if not isinstance(entry, AgendaEntry):
            raise InvalidField(f"agenda entries must be AgendaEntry, not {type(entry).__name__}")


def _optional_time(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _time(_instance, attribute, value)


@attrs.frozen(kw_only=True, cache_hash=True)
class Meeting:
    """One meeting (or deadline): its day and local times, formal or informal, room, agenda.

    * ``start`` and ``end`` are local times in the programme's zone.  Both are ``None``
      when the programme gives the day's agenda but no time: the meeting takes the whole
      day in a calendar.  A deadline has a ``start`` and no ``end``.
    * ``end_assumed``: the programme printed the start only; ``end`` was assumed (a UN
      meeting slot is three hours unless the document says otherwise).
    * ``overnight``: the meeting ends on the day after ``date`` (at ``end``, which is then
      not after ``start``).
    * ``followed_by``: what follows the meeting without a time of its own.
    """

    date: dt.date = attrs.field(validator=_date)
    start: dt.time | None = attrs.field(validator=_optional_time)
    end: dt.time | None = attrs.field(validator=_optional_time)
    entries: tuple[AgendaEntry, ...] = attrs.field(converter=tuple_of)
    formal: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))
    room: str | None = attrs.field(default=None, validator=optional_line)
    end_assumed: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    overnight: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    followed_by: FollowedBy | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(FollowedBy))
    )
    kind: Kind = attrs.field(default=Kind.MEETING, validator=attrs.validators.instance_of(Kind))

    @entries.validator
    def _check_entries(self, _attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
        when = f" at {self.start:%H:%M}" if self.start is not None else ""
        _check_agenda(value, f"the {self._what()} of {self.date}{when}")

    def __attrs_post_init__(self) -> None:
        if self.kind is Kind.DEADLINE:
            if self.start is None or self.end is not None:
                raise InvalidTimeRange(f"the deadline of {self.date} needs a time and no end")
            if self.end_assumed or self.overnight or self.followed_by is not None:
                raise InvalidField(
                    f"the deadline of {self.date} cannot have an assumed end, run overnight "
                    "or be followed by a meeting"
                )
            return
        if self.start is None or self.end is None:
            if self.start is not self.end:
                raise InvalidTimeRange(
                    f"the meeting of {self.date} needs both a start and an end, or neither "
                    "(a day without a time)"
                )
            if self.end_assumed or self.overnight:
                raise InvalidField(
                    f"the meeting of {self.date} has no time: it can have no assumed end "
                    "and cannot run overnight"
                )
            return
        if self.overnight and self.end > self.start:
            raise InvalidTimeRange(
                f"the meeting of {self.date} from {self.start:%H:%M} to {self.end:%H:%M} "
                "the next day would last more than a day"
            )
        if not self.overnight and self.end <= self.start:
            raise InvalidTimeRange(
                f"the meeting of {self.date} ends at {self.end:%H:%M}, "
                f"not after it starts at {self.start:%H:%M}"
            )

    def _what(self) -> str:
        return "deadline" if self.kind is Kind.DEADLINE else "meeting"

    @property
    def timed(self) -> bool:
        """Whether the meeting has a time (else it takes the whole day)."""
        return self.start is not None

    @property
    def end_date(self) -> dt.date:
        """The day the meeting ends: ``date``, or the next day for an overnight meeting."""
        return self.date + dt.timedelta(days=1) if self.overnight else self.date

    @property
    def agenda(self) -> tuple[AgendaEntry, ...]:
        """Everything the meeting takes up: its entries, then what follows it."""
        follow = self.followed_by.entries if self.followed_by is not None else ()
        return self.entries + follow

    @property
    def sort_key(self) -> tuple[dt.date, int, dt.time, int, dt.date, dt.time, str]:
        """Day, then untimed before timed, start, meetings before deadlines, end, room."""
        return (
            self.date,
            1 if self.timed else 0,
            self.start or dt.time.min,
            0 if self.kind is Kind.MEETING else 1,
            self.end_date,
            self.end or dt.time.min,
            self.room or "",
        )

    def times(self) -> str:
        """ "10:00–13:00", "10:00–(13:00)" with an assumed end, "22:00–02:00 (+1 day)",
        "15:00" for a deadline, "(no time given)" for a day without a time."""
        if self.start is None:
            return "(no time given)"
        if self.end is None:
            return f"{self.start:%H:%M}"
        end = f"({self.end:%H:%M})" if self.end_assumed else f"{self.end:%H:%M}"
        return f"{self.start:%H:%M}–{end}" + (" (+1 day)" if self.overnight else "")

    def describe(self) -> str:
        """A short human reference: "meeting of 2023-03-06 10:00–13:00 (Conference Room 4)"."""
        where = f" ({self.room})" if self.room else ""
        return f"{self._what()} of {self.date} {self.times()}{where}"


def _sorted_meetings(value: Iterable[Meeting]) -> tuple[Meeting, ...]:
    meetings = tuple_of(value)
    for meeting in meetings:
        if not isinstance(meeting, Meeting):
            raise InvalidField(f"programme meetings must be Meeting, not {type(meeting).__name__}")
    return tuple(sorted(meetings, key=lambda m: m.sort_key))


def _check_timezone(_instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise UnknownTimeZone(f"time zone must be an IANA name like 'America/New_York': {value!r}")
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownTimeZone(
            f"unknown time zone {value!r} (expected an IANA name like 'America/New_York')"
        ) from exc


@attrs.frozen(kw_only=True)
class SeriesKey:
    """Identifies an agenda series: an item, or an item and one of its sub-items."""

    item: int
    sub_item: str | None = None

    def __str__(self) -> str:
        return f"{self.item}({self.sub_item})" if self.sub_item else str(self.item)


def _sorted_keys(value: Iterable[SeriesKey]) -> tuple[SeriesKey, ...]:
    keys = tuple_of(value)
    for key in keys:
        if not isinstance(key, SeriesKey):
            raise InvalidField(f"begun_earlier holds SeriesKey, not {type(key).__name__}")
    return tuple(sorted(set(keys), key=lambda k: (k.item, k.sub_item or "")))


@attrs.frozen(kw_only=True)
class Series:
    """The meetings, in order, that take up one agenda item or item/sub-item pair."""

    key: SeriesKey
    meetings: tuple[Meeting, ...]

    @property
    def first(self) -> Meeting:
        return self.meetings[0]

    @property
    def continuations(self) -> tuple[Meeting, ...]:
        return self.meetings[1:]


@attrs.frozen(kw_only=True, cache_hash=True)
class Programme:
    """The programme of work of one session of one body.

    ``meetings`` are kept sorted by day, start, end and room whatever order they were
    given in, so that equal programmes compare equal and write identical feeds.
    ``begun_earlier`` lists the agenda series that began before the programme's first
    meeting (the programme of a later week, an excerpt): a meeting may continue them
    without an earlier meeting here.
    """

    body: Body = attrs.field(validator=attrs.validators.instance_of(Body))
    session: str = attrs.field(validator=one_line)
    place: str = attrs.field(validator=nonempty_text)
    venue: str = attrs.field(validator=nonempty_text)
    first_day: dt.date = attrs.field(validator=_date)
    last_day: dt.date = attrs.field(validator=_date)
    issued: dt.date = attrs.field(validator=_date)
    meetings: tuple[Meeting, ...] = attrs.field(converter=_sorted_meetings)
    timezone: str = attrs.field(default=DEFAULT_TIMEZONE, validator=_check_timezone)
    symbol: str | None = attrs.field(default=None, validator=optional_line)
    url: str | None = attrs.field(default=None, validator=optional_url)
    notes: tuple[str, ...] = attrs.field(default=(), converter=tuple_of, validator=texts)
    footnotes: tuple[Footnote, ...] = attrs.field(default=(), converter=tuple_of)
    references: tuple[Reference, ...] = attrs.field(default=(), converter=tuple_of)
    begun_earlier: tuple[SeriesKey, ...] = attrs.field(default=(), converter=_sorted_keys)

    def __attrs_post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise InvalidTimeRange(
                f"the session ends on {self.last_day}, before it starts on {self.first_day}"
            )
        marks = [f.mark for f in self.footnotes]
        if len(set(marks)) != len(marks):
            raise InvalidField(f"footnote marks must be unique: {marks}")
        zone = zoneinfo.ZoneInfo(self.timezone)
        for meeting in self.meetings:
            if not self.first_day <= meeting.date <= self.last_day:
                raise MeetingOutsideSession(
                    f"the {meeting.describe()} is outside the session "
                    f"({self.first_day} to {self.last_day})",
                    meeting=meeting,
                )
            if meeting.start is not None:
                _check_local_time(dt.datetime.combine(meeting.date, meeting.start), zone, meeting)
            if meeting.end is not None:
                _check_local_time(dt.datetime.combine(meeting.end_date, meeting.end), zone, meeting)
            for entry in meeting.agenda:
                for mark in entry.footnotes:
                    if mark not in marks:
                        raise UnknownFootnote(
                            f"the {meeting.describe()} refers to footnote {mark!r}, "
                            f"which the programme does not define (it defines {marks or 'none'})",
                            meeting=meeting,
                        )
        _check_no_overlap(self.meetings)
        _check_continuations(self.meetings, frozenset(self.begun_earlier))

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The programme's time zone as a :class:`zoneinfo.ZoneInfo`."""
        return zoneinfo.ZoneInfo(self.timezone)

    def footnote(self, mark: str) -> Footnote:
        """The footnote with this mark."""
        for note in self.footnotes:
            if note.mark == mark:
                return note
        raise KeyError(mark)

    def start_of(self, meeting: Meeting) -> dt.datetime:
        """The meeting's start as an aware datetime in the programme's zone; for a day
        without a time, the start of that day."""
        return dt.datetime.combine(meeting.date, meeting.start or dt.time(0), tzinfo=self.zone)

    def end_of(self, meeting: Meeting) -> dt.datetime:
        """The meeting's end as an aware datetime in the programme's zone; a deadline's is its
        start, and a day without a time ends at midnight."""
        if meeting.start is None or meeting.end is None:
            if meeting.start is not None:
                return self.start_of(meeting)
            next_day = meeting.date + dt.timedelta(days=1)
            return dt.datetime.combine(next_day, dt.time(0), tzinfo=self.zone)
        return dt.datetime.combine(meeting.end_date, meeting.end, tzinfo=self.zone)


def _check_local_time(local: dt.datetime, zone: zoneinfo.ZoneInfo, meeting: Meeting) -> None:
    aware = local.replace(tzinfo=zone)
    back = aware.astimezone(dt.timezone.utc).astimezone(zone).replace(tzinfo=None)
    if back != local:
        raise NonexistentLocalTime(
            f"{local:%Y-%m-%d %H:%M} does not exist in {zone.key} (clocks skip it when "
            f"daylight-saving time starts); the {meeting.describe()} needs another time",
            meeting=meeting,
        )
    if aware.utcoffset() != aware.replace(fold=1).utcoffset():
        raise AmbiguousLocalTime(
            f"{local:%Y-%m-%d %H:%M} happens twice in {zone.key} (clocks go back when "
            f"daylight-saving time ends); the {meeting.describe()} needs another time",
            meeting=meeting,
        )


def _check_no_overlap(meetings: tuple[Meeting, ...]) -> None:
    by_room: dict[str | None, list[Meeting]] = {}
    for meeting in meetings:
        if meeting.timed and meeting.kind is Kind.MEETING:
            by_room.setdefault(meeting.room, []).append(meeting)
    for room_meetings in by_room.values():
        for earlier, later in itertools.pairwise(room_meetings):
            assert earlier.start is not None and earlier.end is not None and later.start
            ends = dt.datetime.combine(earlier.end_date, earlier.end)
            if dt.datetime.combine(later.date, later.start) < ends:
                room = f"room {earlier.room}" if earlier.room else "the main room"
                raise OverlappingMeetings(
                    f"the {earlier.describe()} and the {later.describe()} overlap in {room}",
                    meeting=later,
                )


def _check_continuations(meetings: tuple[Meeting, ...], begun: frozenset[SeriesKey]) -> None:
    seen: set[SeriesKey] = set(begun)
    for meeting in meetings:
        here: set[SeriesKey] = set()
        for entry in meeting.agenda:
            for key in entry.series_keys:
                if entry.continues(key) and key not in seen:
                    raise OrphanContinuation(
                        f"the {meeting.describe()} continues agenda item {key}, but no earlier "
                        "meeting takes it up (if it began before this programme, list it in "
                        "begun_earlier)",
                        meeting=meeting,
                    )
                here.add(key)
        seen |= here


def _series_map(meetings: Iterable[Meeting]) -> dict[SeriesKey, list[Meeting]]:
    found: dict[SeriesKey, list[Meeting]] = {}
    for meeting in meetings:
        for key in dict.fromkeys(k for e in meeting.agenda for k in e.series_keys):
            found.setdefault(key, []).append(meeting)
    return found


def series_of(programme: Programme, *, include_single: bool = False) -> tuple[Series, ...]:
    """The agenda series of a programme, ordered by first meeting, then item and sub-item.

    A series is an item, or an item/sub-item pair, taken up in several meetings; with
    ``include_single`` the items taken up in one meeting only are included too.
    """
    found = _series_map(programme.meetings)
    series = [
        Series(key=key, meetings=tuple(ms))
        for key, ms in found.items()
        if include_single or len(ms) > 1
    ]
    series.sort(key=lambda s: (s.first.sort_key, s.key.item, s.key.sub_item or ""))
    return tuple(series)
