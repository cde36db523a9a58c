"""A feed: what is published, beyond the programmes themselves.

A :class:`Feed` holds one or more programmes, the publication state of each event (UID,
SEQUENCE, DTSTAMP/LAST-MODIFIED), the meetings that were published and have since been
cancelled, and the calendar-level options (name, colour, alarms, extra categories).
:func:`feed_of` gives the default feed of programmes: UIDs derived from the programme,
SEQUENCE 0 and a timestamp taken from the programme's issue date, so that the same
programme always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import types
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from oewg_cal.errors import InvalidField, ProgrammeError, SchemaError
from oewg_cal.model import Kind, Meeting, Programme, one_line, optional_line, plain_text, tuple_of

__all__ = [
    "Event",
    "Feed",
    "FeedOptions",
    "derived_uid",
    "feed_of",
    "options_from_dict",
    "options_to_dict",
    "programme_id",
]

_UTC = dt.timezone.utc


def _utc(_instance: object, attribute: attrs.Attribute[dt.datetime], value: object) -> None:
    if not isinstance(value, dt.datetime) or value.utcoffset() != dt.timedelta(0):
        raise InvalidField(f"{attribute.name} must be an aware UTC datetime: {value!r}")
    if value.microsecond:
        raise InvalidField(f"{attribute.name} must be a whole second: {value!r}")


def _slug(text: str) -> str:
    spaced = re.sub(r"[\W_]+", " ", text)
    ascii_text = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def programme_id(programme: Programme) -> str:
    """A stable identifier of a programme: body, session and first day, whatever the content.

    Readable where the body's short name is Latin text, and unique through a short hash
    of the body's full name, the session and the first day.
    """
    digest = hashlib.sha256(
        f"{programme.body.name}\x1f{programme.session}\x1f{programme.first_day}".encode()
    ).hexdigest()[:10]
    slug = _slug(programme.body.short_name)[:40].strip("-")
    return f"{slug}-{digest}" if slug else digest


def derived_uid(programme: Programme, meeting: Meeting) -> str:
    """The UID a meeting gets by default: day, room and rank of the meeting in that room that day.

    Deadlines are ranked apart from meetings.  It does not depend on the meeting's times,
    so a meeting re-timed within its day keeps its UID; nor on when or where the feed is
    written.
    """
    return derived_uids(programme)[meeting]


@functools.lru_cache(maxsize=16)
def derived_uids(programme: Programme) -> Mapping[Meeting, str]:
    """:func:`derived_uid` of every meeting of the programme, computed in one pass."""
    pid = programme_id(programme)
    ranks: dict[tuple[dt.date, str | None, Kind], int] = {}
    uids: dict[Meeting, str] = {}
    for meeting in programme.meetings:
        key = (meeting.date, meeting.room, meeting.kind)
        ranks[key] = rank = ranks.get(key, 0) + 1
        room = ""
        if meeting.room:
            # the slug for people, the hash so that rooms differing in case stay apart
            digest = hashlib.sha256(meeting.room.encode()).hexdigest()[:6]
            room = f"-{_slug(meeting.room)[:24].strip('-')}-{digest}".replace("--", "-")
        kind = "" if meeting.kind is Kind.MEETING else f"-{meeting.kind.value}"
        uids[meeting] = f"{meeting.date:%Y%m%d}{room}{kind}-{rank}-{pid}@oewg-cal"
    return types.MappingProxyType(uids)


def default_stamp(programme: Programme) -> dt.datetime:
    """The DTSTAMP/LAST-MODIFIED of a feed nobody has refreshed: the issue date, 00:00 UTC."""
    return dt.datetime.combine(programme.issued, dt.time(0), tzinfo=_UTC)


@attrs.frozen(kw_only=True)
class Event:
    """One published VEVENT: a meeting of a programme and its publication state."""

    programme: str  # programme_id of the programme the meeting belongs (or belonged) to
    meeting: Meeting
    uid: str = attrs.field(validator=attrs.validators.min_len(1))
    sequence: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    stamp: dt.datetime = attrs.field(validator=_utc)
    cancelled: bool = False


def _events_in_order(events: Iterable[Event]) -> tuple[Event, ...]:
    """Events in one canonical order, whatever order they were given in."""
    found = tuple_of(events)
    return tuple(sorted(found, key=lambda e: (e.meeting.sort_key, e.programme, e.uid)))


@attrs.frozen(kw_only=True)
class FeedOptions:
    """Calendar-level choices: name, colour, alarms, extra categories, refresh interval."""

    name: str | None = attrs.field(default=None, validator=optional_line)
    description: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(plain_text)
    )
    color: str | None = attrs.field(default=None, validator=optional_line)
    alarms: tuple[int, ...] = attrs.field(default=(), converter=tuple_of)  # minutes before start
    categories: tuple[str, ...] = attrs.field(
        default=(), converter=tuple_of, validator=attrs.validators.deep_iterable(one_line)
    )
    refresh_hours: int = attrs.field(default=6)
    source: str | None = attrs.field(default=None, validator=optional_line)

    @refresh_hours.validator
    def _check_refresh(self, _attribute: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidField(
                f"refresh_hours must be a whole number of hours, 1 or more: {value!r}"
            )

    @alarms.validator
    def _check_alarms(
        self, _attribute: attrs.Attribute[tuple[int, ...]], value: tuple[int, ...]
    ) -> None:
        for minutes in value:
            if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0:
                raise InvalidField(f"alarms are whole minutes before the start, not {minutes!r}")


def options_to_dict(options: FeedOptions) -> dict[str, Any]:
    """The options as plain data (the ``X-OEWG-FEED`` value of a feed)."""
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in attrs.asdict(options, recurse=False).items()
    }


def options_from_dict(data: object) -> FeedOptions:
    """The inverse of :func:`options_to_dict`; missing keys take their defaults."""
    names = set(attrs.fields_dict(FeedOptions))
    if not isinstance(data, dict):
        raise SchemaError(f"feed options must be a JSON object, not {data!r}")
    unknown = sorted(set(data) - names)
    if unknown:
        raise SchemaError(f"unknown feed option {unknown[0]!r}", path=(unknown[0],))
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    try:
        return FeedOptions(**values)
    except ProgrammeError as exc:
        raise SchemaError(f"invalid feed options: {exc}") from exc


@attrs.frozen(kw_only=True)
class Feed:
    """Programmes and the events published for them, live and cancelled."""

    programmes: tuple[Programme, ...] = attrs.field(converter=tuple_of)
    events: tuple[Event, ...] = attrs.field(converter=_events_in_order)
    options: FeedOptions = attrs.field(factory=FeedOptions)
    _by_id: Mapping[str, Programme] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        ids = [programme_id(p) for p in self.programmes]
        if len(set(ids)) != len(ids):
            raise InvalidField("a feed cannot hold the same programme twice")
        object.__setattr__(self, "_by_id", dict(zip(ids, self.programmes, strict=True)))
        uids = [e.uid for e in self.events]
        if len(set(uids)) != len(uids):
            dup = sorted({u for u in uids if uids.count(u) > 1})
            raise InvalidField(f"UIDs must be unique in a feed; repeated: {dup}")
        live = [(e.programme, e.meeting) for e in self.events if not e.cancelled]
        expected = {
            (pid, m) for pid, p in zip(ids, self.programmes, strict=True) for m in p.meetings
        }
        if len(live) != len(expected) or set(live) != expected:
            raise InvalidField(
                "every meeting of the feed's programmes needs exactly one live event"
            )
        for event in self.events:
            if event.programme not in ids:
                raise InvalidField(f"event {event.uid} belongs to no programme of the feed")

    def programme(self, pid: str) -> Programme:
        """The programme with this :func:`programme_id`."""
        return self._by_id[pid]

    @property
    def live(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if not e.cancelled)

    @property
    def cancelled(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.cancelled)


def feed_of(
    programmes: Programme | Iterable[Programme], options: FeedOptions | None = None
) -> Feed:
    """The feed of programmes as published for the first time."""
    progs = (programmes,) if isinstance(programmes, Programme) else tuple(programmes)
    events = [
        Event(programme=programme_id(p), meeting=m, uid=uid, stamp=default_stamp(p))
        for p in progs
        for m, uid in derived_uids(p).items()
    ]
    return Feed(programmes=progs, events=events, options=options or FeedOptions())
