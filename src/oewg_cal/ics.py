"""RFC 5545 encoding of feeds, and reading our own feeds back: model ⇄ iCalendar bytes.

Writing (:func:`write_ics`, :func:`to_ics`): one VCALENDAR, one VTIMEZONE in RRULE form
per zone (see :mod:`oewg_cal.vtimezone`), one VEVENT per meeting with TZID-local
DTSTART/DTEND.  What a person reads (SUMMARY, DESCRIPTION, LOCATION, CATEGORIES) is
rendered for people; what a program needs travels in standard properties (UID, DTSTART,
DTEND, SEQUENCE, DTSTAMP, LAST-MODIFIED, STATUS, URL, REFID, RELATED-TO) and, where no
standard property exists, in ``X-OEWG-*`` properties holding JSON (documented in the
README).  Reading (:func:`read_ics`, :func:`from_ics`) uses only the latter, never the
text written for people.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import icalendar

from oewg_cal.collector import paused_collector
from oewg_cal.errors import FeedError, OewgCalError
from oewg_cal.feed import Event, Feed, FeedOptions, feed_of, programme_id
from oewg_cal.model import AgendaEntry, Meeting, Programme, SeriesKey, series_of
from oewg_cal.programme_file import (
    entry_from_dict,
    entry_to_dict,
    programme_from_dict,
    programme_to_dict,
)
from oewg_cal.vtimezone import ZoneDefinition, check_definition, zone_definition

__all__ = ["from_ics", "read_ics", "to_ics", "write_ics"]

PRODID = "-//oewg_cal//oewg_cal programme feeds//EN"
_UTC = dt.timezone.utc
_SUMMARY_TEXT_LIMIT = 72


# ---------------------------------------------------------------- JSON forms of the model


def _programme_json(programme: Programme) -> dict[str, Any]:
    return programme_to_dict(programme, meetings=False) | {"id": programme_id(programme)}


def _options_json(options: FeedOptions) -> dict[str, Any]:
    return {
        "name": options.name,
        "description": options.description,
        "color": options.color,
        "alarms": list(options.alarms),
        "categories": list(options.categories),
        "refresh_hours": options.refresh_hours,
        "source": options.source,
    }


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# ---------------------------------------------------------------- text for people


def _shorten(text: str, limit: int = _SUMMARY_TEXT_LIMIT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _entry_summary(entry: AgendaEntry) -> str:
    if entry.item is None:
        return _shorten(entry.label)
    if entry.sub_item is not None:
        text = f"Item {entry.reference}: {_shorten(entry.sub_item.text)}"
        return text + (" (continued)" if entry.sub_item.continued else "")
    text = f"Item {entry.item}: {_shorten(entry.title)}"
    return text + (" (continued)" if entry.continued else "")


def summary_of(programme: Programme, meeting: Meeting, *, cancelled: bool = False) -> str:
    """The SUMMARY a delegate reads on a phone: body, items/sub-items or segments, "(continued)"."""
    parts: list[str] = []
    for entry in meeting.entries:
        if entry.segment is not None and entry.item is not None:
            parts.append(_shorten(entry.label))
        parts.append(_entry_summary(entry))
    text = f"{programme.body.short_name}: " + "; ".join(dict.fromkeys(parts))
    if not meeting.formal and "informal" not in text.lower():
        text += " (informal)"
    return f"Cancelled: {text}" if cancelled else text


def _entry_lines(programme: Programme, entry: AgendaEntry) -> list[str]:
    marks = "".join(f" [{m}]" for m in entry.footnotes)
    lines: list[str] = []
    if entry.segment is not None:
        lines.append(entry.label + (marks if entry.item is None else ""))
        lines.extend(f"  – {speaker}" for speaker in entry.speakers)
    if entry.item is not None:
        item = f"Agenda item {entry.item}"
        if entry.title:
            item += f": {entry.title}"
        if entry.continued:
            item += " (continued)"
        lines.append(item + marks)
        if entry.sub_item is not None:
            sub = f"  ({entry.sub_item.letter}) {entry.sub_item.text}"
            lines.append(sub + (" (continued)" if entry.sub_item.continued else ""))
        if entry.segment is None:
            lines.extend(f"  – {speaker}" for speaker in entry.speakers)
    return lines


def description_of(programme: Programme, meeting: Meeting, *, cancelled: bool = False) -> str:
    """The DESCRIPTION: the full agenda text of the meeting, speakers, footnotes, references."""
    lines: list[str] = []
    if cancelled:
        lines += ["This meeting has been cancelled.", ""]
    lines.append(f"{programme.body.name} — {programme.session}")
    lines.append(("Formal" if meeting.formal else "Informal") + " meeting")
    lines.append("")
    for entry in meeting.entries:
        lines.extend(_entry_lines(programme, entry))
    marks = list(dict.fromkeys(m for e in meeting.entries for m in e.footnotes))
    if marks:
        lines.append("")
        lines.extend(f"[{m}] {programme.footnote(m).text}" for m in marks)
    if programme.symbol or programme.url:
        lines.append("")
        source = " ".join(x for x in (programme.symbol, programme.url) if x)
        lines.append(f"Programme of work: {source}")
    return "\n".join(lines)


def location_of(programme: Programme, meeting: Meeting) -> str:
    """The LOCATION: room, venue and place."""
    parts = [meeting.room] if meeting.room else []
    parts += [programme.venue, programme.place]
    return ", ".join(dict.fromkeys(parts))


def categories_of(programme: Programme, meeting: Meeting, options: FeedOptions) -> list[str]:
    """CATEGORIES: the body, formal/informal, each agenda item, and the feed's extra ones."""
    cats = [programme.body.short_name, "Formal meeting" if meeting.formal else "Informal meeting"]
    cats += [f"Agenda item {e.item}" for e in meeting.entries if e.item is not None]
    cats += list(options.categories)
    return list(dict.fromkeys(cats))


# ---------------------------------------------------------------- writing


def _series_ref(pid: str, key: SeriesKey) -> str:
    return f"{pid}/item-{key.item}" + (f"-{key.sub_item}" if key.sub_item else "")


def _timezone_component(definition: ZoneDefinition) -> icalendar.Timezone:
    component = icalendar.Timezone()
    component.add("tzid", definition.tzid)
    for observance in definition.observances:
        sub = icalendar.TimezoneDaylight() if observance.daylight else icalendar.TimezoneStandard()
        sub.add("dtstart", observance.start)
        sub.add("tzoffsetfrom", observance.offset_from)
        sub.add("tzoffsetto", observance.offset_to)
        sub.add("tzname", observance.name)
        if observance.rule is not None:
            sub.add("rrule", icalendar.vRecur.from_ical(observance.rule))
        component.add_component(sub)
    return component


def _timezones(feed: Feed) -> list[icalendar.Timezone]:
    instants: dict[str, list[dt.datetime]] = {}
    for event in feed.events:
        programme = feed.programme(event.programme)
        found = instants.setdefault(programme.timezone, [])
        found += [programme.start_of(event.meeting), programme.end_of(event.meeting)]
    for programme in feed.programmes:
        instants.setdefault(programme.timezone, []).append(
            dt.datetime.combine(programme.first_day, dt.time(12), tzinfo=programme.zone)
        )
    components = []
    for tzid in sorted(instants):
        years = [i.year for i in instants[tzid]]
        definition = zone_definition(tzid, min(years), max(years))
        check_definition(definition, instants[tzid])
        components.append(_timezone_component(definition))
    return components


def escape_text(text: str) -> str:
    """RFC 5545 TEXT escaping (the inverse of :func:`unescape_text`)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _add_text_json(component: icalendar.cal.component.Component, name: str, data: object) -> None:
    # X- properties are written as given (icalendar has no type for them): escape here,
    # exactly as unescape_text undoes it.
    component.add(name, escape_text(_dumps(data)))


def _event_component(
    feed: Feed, event: Event, links: dict[str, list[tuple[str, str]]]
) -> icalendar.Event:
    programme = feed.programme(event.programme)
    meeting = event.meeting
    options = feed.options
    component = icalendar.Event()
    component.add("uid", event.uid)
    component.add("dtstamp", event.stamp)
    component.add("last-modified", event.stamp)
    component.add("sequence", event.sequence)
    component.add("dtstart", programme.start_of(meeting))
    component.add("dtend", programme.end_of(meeting))
    component.add("summary", summary_of(programme, meeting, cancelled=event.cancelled))
    component.add("description", description_of(programme, meeting, cancelled=event.cancelled))
    component.add("location", location_of(programme, meeting))
    if programme.url:
        component.add("url", programme.url)
    component.add("categories", categories_of(programme, meeting, options))
    component.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    component.add("transp", "OPAQUE")
    component.add("class", "PUBLIC")
    for reltype, uid in links.get(event.uid, []):
        if reltype == "REFID":
            component.add("refid", uid)
        else:
            component.add("related-to", uid, parameters={"RELTYPE": reltype})
    component.add("x-oewg-programme", programme_id(programme))
    component.add("x-oewg-formal", "TRUE" if meeting.formal else "FALSE")
    if meeting.room:
        component.add("x-oewg-room", escape_text(meeting.room))
    for entry in meeting.entries:
        _add_text_json(component, "x-oewg-entry", entry_to_dict(entry))
    if event.cancelled:
        component.add("x-oewg-cancelled", "TRUE")
    if not event.cancelled:
        for minutes in options.alarms:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary_of(programme, meeting))
            alarm.add("trigger", dt.timedelta(minutes=-minutes))
            component.add_component(alarm)
    return component


def _series_links(feed: Feed) -> dict[str, list[tuple[str, str]]]:
    """REFID for each series an event belongs to; RELATED-TO FIRST/FINISHTOSTART/NEXT along it."""
    links: dict[str, list[tuple[str, str]]] = {}
    for programme in feed.programmes:
        pid = programme_id(programme)
        uid_of = {e.meeting: e.uid for e in feed.live if e.programme == pid}
        for series in series_of(programme):
            ref = _series_ref(pid, series.key)
            uids = [uid_of[m] for m in series.meetings]
            for index, uid in enumerate(uids):
                found = links.setdefault(uid, [])
                found.append(("REFID", ref))
                if index > 0:
                    found.append(("FIRST", uids[0]))
                    found.append(("FINISHTOSTART", uids[index - 1]))
                if index + 1 < len(uids):
                    found.append(("NEXT", uids[index + 1]))
    return {uid: list(dict.fromkeys(found)) for uid, found in links.items()}


def _event_order(feed: Feed) -> Callable[[Event], tuple[Any, ...]]:
    def key(event: Event) -> tuple[Any, ...]:
        programme = feed.programme(event.programme)
        return (
            programme.start_of(event.meeting).astimezone(_UTC),
            event.meeting.sort_key,
            event.programme,
            event.uid,
        )

    return key


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _day(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def calendar_name(feed: Feed) -> str:
    """NAME / X-WR-CALNAME: the configured name, or body and session of the programme(s)."""
    if feed.options.name:
        return feed.options.name
    return "; ".join(f"{p.body.short_name} — {p.session}" for p in feed.programmes) or "oewg_cal"


def write_ics(feed: Feed) -> bytes:
    """Encode a feed as RFC 5545 bytes (CRLF, folded at 75 octets on UTF-8 boundaries)."""
    with paused_collector():
        return _write_ics(feed)


def _write_ics(feed: Feed) -> bytes:
    options = feed.options
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = calendar_name(feed)
    calendar.add("name", name)
    calendar.add("x-wr-calname", icalendar.vText(name))
    description = options.description or "; ".join(
        f"{p.body.name}, {p.session}, {p.place}, {_day(p.first_day)}–{_day(p.last_day)}"
        for p in feed.programmes
    )
    if description:
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", icalendar.vText(description))
    relcalid = "+".join(sorted(programme_id(p) for p in feed.programmes)) or "empty"
    calendar.add("x-wr-relcalid", f"{relcalid}@oewg-cal")
    zones = sorted({p.timezone for p in feed.programmes})
    if len(zones) == 1:
        calendar.add("x-wr-timezone", zones[0])
    refresh = dt.timedelta(hours=options.refresh_hours)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(refresh))
    if options.source:
        calendar.add("source", options.source, parameters={"VALUE": "URI"})
    urls = sorted({p.url for p in feed.programmes if p.url})
    if len(urls) == 1:
        calendar.add("url", urls[0], parameters={"VALUE": "URI"})
    if options.color:
        calendar.add("color", options.color)
    _add_text_json(calendar, "x-oewg-feed", _options_json(options))
    for programme in feed.programmes:
        _add_text_json(calendar, "x-oewg-programme", _programme_json(programme))
    for component in _timezones(feed):
        calendar.add_component(component)
    links = _series_links(feed)
    for event in sorted(feed.events, key=_event_order(feed)):
        calendar.add_component(_event_component(feed, event, links))
    return b"".join(fold(line) + b"\r\n" for line in calendar.content_lines() if line)


_FOLD_AT = 75  # octets a physical line may not reach, CRLF excluded
_ESCAPE_STARTS = b"\\^"


def fold(line: str) -> bytes:
    """One content line (RFC 5545 3.1) as UTF-8, folded exactly as icalendar folds it.

    Each physical line holds at most 74 octets of the text (75 with the leading space of a
    continuation), a fold never falls inside a UTF-8 sequence, and a backslash or caret
    (an escape's first character) is carried over to the next line with what it escapes.
    """
    data = line.encode()
    pieces: list[bytes] = []
    start = 0
    while len(data) - start >= _FOLD_AT:
        cut = start + _FOLD_AT - 1
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: not a boundary
            cut -= 1
        if data[cut - 1] in _ESCAPE_STARTS:
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def to_ics(programme: Programme, options: FeedOptions | None = None) -> bytes:
    """The feed of one programme, as published for the first time, as RFC 5545 bytes."""
    return write_ics(feed_of(programme, options or FeedOptions()))


# ---------------------------------------------------------------- reading

_TEXT_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def unescape_text(raw: str) -> str:
    """Undo RFC 5545 TEXT escaping (\\\\ \\; \\, \\n)."""
    return _TEXT_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


def _raw(component: icalendar.cal.component.Component, name: str) -> list[str]:
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


def _local(
    component: icalendar.cal.component.Component, name: str, tzid: str, uid: str, source: str
) -> dt.datetime:
    prop = component.get(name)
    if prop is None:
        raise FeedError(f"event {uid} has no {name.upper()}", source=source)
    value = prop.dt
    param = prop.params.get("TZID")
    if not isinstance(value, dt.datetime) or param != tzid:
        raise FeedError(
            f"event {uid}: {name.upper()} must be a local time with TZID={tzid}, "
            f"found {prop.to_ical().decode()!r} with TZID={param!r}",
            source=source,
        )
    return value.replace(tzinfo=None)


def _utc_stamp(component: icalendar.cal.component.Component, uid: str, source: str) -> dt.datetime:
    prop = component.get("dtstamp")
    if (
        prop is None
        or not isinstance(prop.dt, dt.datetime)
        or prop.dt.utcoffset() != dt.timedelta(0)
    ):
        raise FeedError(f"event {uid}: DTSTAMP must be a UTC date-time", source=source)
    return prop.dt.astimezone(_UTC)


def _meeting_of(
    component: icalendar.cal.component.Component, programme: dict[str, Any], uid: str, source: str
) -> Meeting:
    tzid = programme["timezone"]
    start = _local(component, "dtstart", tzid, uid, source)
    end = _local(component, "dtend", tzid, uid, source)
    if end.date() != start.date():
        raise FeedError(f"event {uid} does not start and end on the same day", source=source)
    entries = [
        entry_from_dict(_json(raw, f"event {uid}: X-OEWG-ENTRY", source))
        for raw in _raw(component, "x-oewg-entry")
    ]
    room = _raw(component, "x-oewg-room")
    formal = _raw(component, "x-oewg-formal")
    return Meeting(
        date=start.date(),
        start=start.time(),
        end=end.time(),
        entries=tuple(entries),
        formal=(formal or ["TRUE"])[0].upper() == "TRUE",
        room=unescape_text(room[0]) if room else None,
    )


def read_ics(data: bytes | str, *, source: str = "<feed>") -> Feed:
    """Read a feed written by oewg_cal back into the identical :class:`Feed`.

    Raises :class:`~oewg_cal.errors.FeedError` naming what is missing for a feed written
    by something else, or one that is broken.
    """
    try:
        with paused_collector():
            return _read_ics(data, source)
    except OewgCalError as exc:
        if isinstance(exc, FeedError):
            raise
        raise FeedError(f"the feed describes an invalid programme: {exc}", source=source) from exc
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise FeedError(
            f"not a feed written by oewg_cal ({type(exc).__name__}: {exc})", source=source
        ) from exc


def _read_ics(data: bytes | str, source: str) -> Feed:
    if isinstance(data, str):
        data = data.encode()
    if not data.strip():
        raise FeedError("the feed is empty (expected a VCALENDAR)", source=source)
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except ValueError as exc:
        raise FeedError(f"not an iCalendar file ({exc})", source=source) from exc
    if len(calendars) != 1:
        raise FeedError(f"expected one VCALENDAR, found {len(calendars)}", source=source)
    calendar = calendars[0]
    raw_programmes = _raw(calendar, "x-oewg-programme")
    if not raw_programmes:
        raise FeedError(
            "not a feed written by oewg_cal: the VCALENDAR has no X-OEWG-PROGRAMME property "
            "(oewg_cal reads back only its own feeds)",
            source=source,
        )
    programmes_json: dict[str, dict[str, Any]] = {}
    for raw in raw_programmes:
        data_json = _json(raw, "X-OEWG-PROGRAMME", source)
        programmes_json[data_json["id"]] = data_json
    options_raw = _raw(calendar, "x-oewg-feed")
    options_json = _json(options_raw[0], "X-OEWG-FEED", source) if options_raw else {}
    options = FeedOptions(
        name=options_json.get("name"),
        description=options_json.get("description"),
        color=options_json.get("color"),
        alarms=tuple(options_json.get("alarms", ())),
        categories=tuple(options_json.get("categories", ())),
        refresh_hours=options_json.get("refresh_hours", 6),
        source=options_json.get("source"),
    )
    events: list[tuple[str, Meeting, str, int, dt.datetime, bool]] = []
    for component in calendar.walk("VEVENT"):
        uids = _raw(component, "uid")
        if len(uids) != 1:
            raise FeedError(f"a VEVENT has {len(uids)} UIDs (expected one)", source=source)
        uid = uids[0]
        pids = _raw(component, "x-oewg-programme")
        if len(pids) != 1 or pids[0] not in programmes_json:
            raise FeedError(
                f"event {uid}: X-OEWG-PROGRAMME names no programme of this feed", source=source
            )
        meeting = _meeting_of(component, programmes_json[pids[0]], uid, source)
        sequence = int(component.get("sequence", 0))
        cancelled = bool(_raw(component, "x-oewg-cancelled"))
        events.append(
            (pids[0], meeting, uid, sequence, _utc_stamp(component, uid, source), cancelled)
        )
    programmes = []
    for pid, data_json in programmes_json.items():
        meetings = [m for p, m, _, _, _, cancelled in events if p == pid and not cancelled]
        fields = {k: v for k, v in data_json.items() if k != "id"}
        programme = programme_from_dict(fields, meetings=meetings)
        if programme_id(programme) != pid:
            raise FeedError(
                f"X-OEWG-PROGRAMME id {pid!r} does not match its content", source=source
            )
        programmes.append(programme)
    return Feed(
        programmes=tuple(programmes),
        events=tuple(
            Event(programme=p, meeting=m, uid=u, sequence=s, stamp=t, cancelled=c)
            for p, m, u, s, t, c in events
        ),
        options=options,
    )


def from_ics(data: bytes | str, *, source: str = "<feed>") -> Programme:
    """Read a one-programme feed written by oewg_cal back into the identical :class:`Programme`."""
    feed = read_ics(data, source=source)
    if len(feed.programmes) != 1:
        raise FeedError(
            f"the feed holds {len(feed.programmes)} programmes (expected one; use read_ics)",
            source=source,
        )
    return feed.programmes[0]
