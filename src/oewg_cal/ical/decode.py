"""Reading our own feeds back: iCalendar bytes → :class:`~oewg_cal.ical.feed.Feed`.

Only what :mod:`oewg_cal.ical.encode` writes for programs is read: UID, DTSTART, DTEND,
DTSTAMP, SEQUENCE and the ``X-OEWG-*`` properties holding the JSON of
:mod:`oewg_cal.schema`; never the text written for people.  A feed written by something
else, or a broken one, gives a :class:`~oewg_cal.errors.FeedError` that says what is
missing or wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import icalendar

from oewg_cal._gc import paused_collector
from oewg_cal._lazy_re import lazy
from oewg_cal.errors import FeedError, ProgrammeError, SchemaError
from oewg_cal.ical.feed import Event, Feed, options_from_dict, programme_id
from oewg_cal.model import Kind, Meeting, Programme
from oewg_cal.schema import entry_from_dict, followed_by_from_dict, programme_from_dict

__all__ = ["from_ics", "read_ics", "unescape_text"]

_UTC = dt.timezone.utc
_TEXT_ESCAPE = lazy(r"\\(.)", re.DOTALL)

Component = icalendar.cal.component.Component


def unescape_text(raw: str) -> str:
    """Undo RFC 5545 TEXT escaping (\\\\ \\; \\, \\n)."""
    return _TEXT_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


def _raw(component: Component, name: str) -> list[str]:
    value = component.get(name)
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [str(v) if not isinstance(v, bytes) else v.decode() for v in values]


def _json(raw: str, what: str, source: str) -> Any:
    try:
        return json.loads(unescape_text(raw))
    except json.JSONDecodeError as exc:
        raise FeedError(f"{what} is not valid JSON ({exc.msg})", source=source) from exc


def _dt(prop: object) -> object:
    """A date or date-time property's value; None when missing or broken (icalendar keeps
    a value it could not parse and raises when it is asked for)."""
    try:
        return getattr(prop, "dt", None)
    except icalendar.error.InvalidCalendar:
        return None


def _one(component: Component, name: str, uid: str, source: str) -> Any:
    """The property ``name`` of an event, or None; given twice, a FeedError (icalendar
    then returns a list)."""
    prop = component.get(name)
    if isinstance(prop, list):
        raise FeedError(
            f"event {uid}: {name.upper()} is given {len(prop)} times (expected once)",
            source=source,
        )
    return prop


def _local(component: Component, name: str, tzid: str, uid: str, source: str) -> dt.datetime:
    prop = _one(component, name, uid, source)
    value = _dt(prop)
    param = prop.params.get("TZID") if prop is not None else None
    if not isinstance(value, dt.datetime) or param != tzid:
        found = "nothing"
        if prop is not None:
            # a value icalendar could not parse keeps its text, which to_ical gives as str
            raw = prop.to_ical()
            found = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        raise FeedError(
            f"event {uid}: {name.upper()} must be a local time with TZID={tzid}, "
            f"found {found!r} with TZID={param!r}",
            source=source,
        )
    return value.replace(tzinfo=None)


def _utc_stamp(component: Component, uid: str, source: str) -> dt.datetime:
    value = _dt(_one(component, "dtstamp", uid, source))
    if not isinstance(value, dt.datetime) or value.utcoffset() != dt.timedelta(0):
        raise FeedError(f"event {uid}: DTSTAMP must be a UTC date-time", source=source)
    return value.astimezone(_UTC)


def _sequence(component: Component, uid: str, source: str) -> int:
    value = _one(component, "sequence", uid, source)
    value = 0 if value is None else value
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FeedError(
            f"event {uid}: SEQUENCE must be a whole number, not {value!r}", source=source
        )
    return value


def _kind(component: Component, uid: str, source: str) -> Kind:
    found = _raw(component, "x-oewg-kind")
    value = found[0].lower() if found else Kind.MEETING.value
    if value not in {k.value for k in Kind}:
        raise FeedError(f"event {uid}: unknown X-OEWG-KIND {found[0]!r}", source=source)
    return Kind(value)


def _flag(component: Component, name: str, default: bool) -> bool:
    found = _raw(component, name)
    return found[0].upper() == "TRUE" if found else default


def _meeting_of(component: Component, tzid: str, uid: str, source: str) -> Meeting:
    kind = _kind(component, uid, source)
    times: dict[str, Any] = {}
    start_value = _dt(_one(component, "dtstart", uid, source))
    if isinstance(start_value, dt.date) and not isinstance(start_value, dt.datetime):
        end_value = _dt(_one(component, "dtend", uid, source))
        if kind is not Kind.MEETING or end_value != start_value + dt.timedelta(days=1):
            raise FeedError(
                f"event {uid}: a DTSTART date (a day without a time) needs a DTEND of the next day",
                source=source,
            )
        day, times = start_value, {"start": None, "end": None}
    else:
        start = _local(component, "dtstart", tzid, uid, source)
        day = start.date()
        times = {"start": start.time(), "end": None}
        if kind is Kind.MEETING:
            end = _local(component, "dtend", tzid, uid, source)
            if end.date() not in (day, day + dt.timedelta(days=1)):
                raise FeedError(
                    f"event {uid} does not end on the day it starts or the next", source=source
                )
            times |= {"end": end.time(), "overnight": end.date() != day}
        elif component.get("dtend") is not None:
            raise FeedError(f"event {uid}: a deadline has no DTEND", source=source)
    entries = []
    for index, raw in enumerate(_raw(component, "x-oewg-entry")):
        data = _json(raw, f"event {uid}: X-OEWG-ENTRY {index + 1}", source)
        try:
            entries.append(entry_from_dict(data))
        except SchemaError as exc:
            raise FeedError(f"event {uid}: X-OEWG-ENTRY {index + 1}: {exc}", source=source) from exc
    followed_by = None
    follow = _raw(component, "x-oewg-followed-by")
    if follow:
        data = _json(follow[0], f"event {uid}: X-OEWG-FOLLOWED-BY", source)
        try:
            followed_by = followed_by_from_dict(data)
        except SchemaError as exc:
            raise FeedError(f"event {uid}: X-OEWG-FOLLOWED-BY: {exc}", source=source) from exc
    room = _raw(component, "x-oewg-room")
    try:
        return Meeting(
            date=day,
            kind=kind,
            entries=tuple(entries),
            formal=_flag(component, "x-oewg-formal", True),
            end_assumed=_flag(component, "x-oewg-end-assumed", False),
            room=unescape_text(room[0]) if room else None,
            followed_by=followed_by,
            **times,
        )
    except ProgrammeError as exc:
        raise FeedError(f"event {uid}: {exc}", source=source) from exc


def read_ics(data: bytes | str, *, source: str = "<feed>") -> Feed:
    """Read a feed written by oewg_cal back into the identical :class:`Feed`.

    Raises :class:`~oewg_cal.errors.FeedError` naming what is missing for a feed written
    by something else, or one that is broken.
    """
    with paused_collector():
        return _read_ics(data, source)


def _calendar(data: bytes | str, source: str) -> Component:
    if isinstance(data, str):
        data = data.encode()
    if not data.strip():
        raise FeedError("the feed is empty (expected a VCALENDAR)", source=source)
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except (ValueError, IndexError, KeyError) as exc:  # icalendar's parse errors
        raise FeedError(f"not an iCalendar file ({exc})", source=source) from exc
    except OSError as exc:  # zoneinfo's, for a TZID naming a folder of the tz database
        raise FeedError("not an iCalendar file (a TZID names no time zone)", source=source) from exc
    if len(calendars) != 1:
        raise FeedError(f"expected one VCALENDAR, found {len(calendars)}", source=source)
    calendar: Component = calendars[0]
    if calendar.name != "VCALENDAR":
        raise FeedError(f"expected one VCALENDAR, found a {calendar.name}", source=source)
    return calendar


def _programmes_json(calendar: Component, source: str) -> dict[str, dict[str, Any]]:
    raws = _raw(calendar, "x-oewg-programme")
    if not raws:
        raise FeedError(
            "not a feed written by oewg_cal: the VCALENDAR has no X-OEWG-PROGRAMME property "
            "(oewg_cal reads back only its own feeds)",
            source=source,
        )
    found: dict[str, dict[str, Any]] = {}
    for raw in raws:
        data = _json(raw, "X-OEWG-PROGRAMME", source)
        pid = data.get("id") if isinstance(data, dict) else None
        if not isinstance(pid, str) or not isinstance(data.get("timezone"), str):
            raise FeedError(
                "X-OEWG-PROGRAMME must be a JSON object with the programme's id and timezone",
                source=source,
            )
        found[pid] = data
    return found


def _read_ics(data: bytes | str, source: str) -> Feed:
    calendar = _calendar(data, source)
    programmes_json = _programmes_json(calendar, source)
    options_raw = _raw(calendar, "x-oewg-feed")
    try:
        options = options_from_dict(
            _json(options_raw[0], "X-OEWG-FEED", source) if options_raw else {}
        )
    except SchemaError as exc:
        raise FeedError(f"X-OEWG-FEED: {exc}", source=source) from exc
    events: list[Event] = []
    for component in calendar.walk("VEVENT"):
        uids = _raw(component, "uid")
        if len(uids) != 1:
            raise FeedError(f"a VEVENT has {len(uids)} UIDs (expected one)", source=source)
        uid = uids[0]
        if not uid.strip():
            raise FeedError("a VEVENT has an empty UID", source=source)
        pids = _raw(component, "x-oewg-programme")
        if len(pids) != 1 or pids[0] not in programmes_json:
            raise FeedError(
                f"event {uid}: X-OEWG-PROGRAMME names no programme of this feed", source=source
            )
        tzid = programmes_json[pids[0]]["timezone"]
        meeting = _meeting_of(component, tzid, uid, source)
        try:
            events.append(
                Event(
                    programme=pids[0],
                    meeting=meeting,
                    uid=uid,
                    sequence=_sequence(component, uid, source),
                    stamp=_utc_stamp(component, uid, source),
                    cancelled=bool(_raw(component, "x-oewg-cancelled")),
                )
            )
        except ProgrammeError as exc:
            raise FeedError(f"event {uid}: {exc}", source=source) from exc
    programmes: list[Programme] = []
    for pid, data_json in programmes_json.items():
        meetings = [e.meeting for e in events if e.programme == pid and not e.cancelled]
        fields = {k: v for k, v in data_json.items() if k != "id"}
        try:
            programme = programme_from_dict(fields, meetings=meetings)
        except SchemaError as exc:
            raise FeedError(
                f"the feed describes an invalid programme: {exc}", source=source
            ) from exc
        if programme_id(programme) != pid:
            raise FeedError(
                f"X-OEWG-PROGRAMME id {pid!r} does not match its content", source=source
            )
        programmes.append(programme)
    try:
        return Feed(programmes=tuple(programmes), events=tuple(events), options=options)
    except ProgrammeError as exc:
        raise FeedError(f"the feed is inconsistent: {exc}", source=source) from exc


def from_ics(data: bytes | str, *, source: str = "<feed>") -> Programme:
    """Read a one-programme feed written by oewg_cal back into the identical :class:`Programme`."""
    feed = read_ics(data, source=source)
    if len(feed.programmes) != 1:
        raise FeedError(
            f"the feed holds {len(feed.programmes)} programmes (expected one; use read_ics)",
            source=source,
        )
    return feed.programmes[0]
