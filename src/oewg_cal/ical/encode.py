"""RFC 5545 encoding: a :class:`~oewg_cal.ical.feed.Feed` as iCalendar bytes.

One VCALENDAR, one VTIMEZONE in RRULE form per zone (:mod:`oewg_cal.ical.vtimezone`),
one VEVENT per meeting with TZID-local DTSTART/DTEND.  What a person reads (SUMMARY,
DESCRIPTION, LOCATION, CATEGORIES) comes from :mod:`oewg_cal.text`; what a program needs
travels in standard properties (UID, DTSTART, DTEND, SEQUENCE, DTSTAMP, LAST-MODIFIED,
STATUS, URL, REFID, RELATED-TO) and, where no standard property exists, in ``X-OEWG-*``
properties holding the JSON of :mod:`oewg_cal.schema` (documented in the README), which
is all :mod:`oewg_cal.ical.decode` reads back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import icalendar

from oewg_cal._gc import paused_collector
from oewg_cal.ical.feed import Event, Feed, FeedOptions, feed_of, options_to_dict, programme_id
from oewg_cal.ical.limits import MAX_LINE_OCTETS
from oewg_cal.ical.vtimezone import ZoneDefinition, check_definition, zone_definition
from oewg_cal.model import Kind, Meeting, Programme, Series, SeriesKey, series_of
from oewg_cal.schema import (
    canonical_json,
    entry_to_dict,
    followed_by_to_dict,
    programme_to_dict,
)
from oewg_cal.text import (
    calendar_description,
    calendar_name,
    categories_of,
    description_of,
    location_of,
    summary_of,
)

__all__ = ["LINE_OCTETS", "PRODID", "escape_text", "fold", "to_ics", "write_ics"]

PRODID = "-//oewg_cal//oewg_cal programme feeds//EN"
#: RFC 5545 3.1: a physical line holds at most 75 octets, CRLF excluded
#: (:data:`oewg_cal.ical.limits.MAX_LINE_OCTETS`, which the linter checks).
LINE_OCTETS = MAX_LINE_OCTETS
_UTC = dt.timezone.utc


def _programme_json(programme: Programme) -> dict[str, Any]:
    return programme_to_dict(programme, meetings=False) | {"id": programme_id(programme)}


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
        if event.meeting.timed:
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
    component.add(name, escape_text(canonical_json(data)))


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
    if not meeting.timed:
        component.add("dtstart", meeting.date)
        component.add("dtend", meeting.date + dt.timedelta(days=1))
    else:
        component.add("dtstart", programme.start_of(meeting))
        if meeting.kind is Kind.MEETING:
            component.add("dtend", programme.end_of(meeting))
    component.add("summary", summary_of(programme, meeting, cancelled=event.cancelled))
    component.add("description", description_of(programme, meeting, cancelled=event.cancelled))
    component.add("location", location_of(programme, meeting))
    if programme.url:
        component.add("url", programme.url)
    component.add("categories", categories_of(programme, meeting, options))
    component.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    component.add("transp", "OPAQUE" if meeting.kind is Kind.MEETING else "TRANSPARENT")
    component.add("class", "PUBLIC")
    for reltype, uid in links.get(event.uid, []):
        if reltype == "REFID":
            component.add("refid", uid)
        else:
            component.add("related-to", uid, parameters={"RELTYPE": reltype})
    component.add("x-oewg-programme", programme_id(programme))
    if meeting.kind is not Kind.MEETING:
        component.add("x-oewg-kind", meeting.kind.value.upper())
    component.add("x-oewg-formal", "TRUE" if meeting.formal else "FALSE")
    if meeting.end_assumed:
        component.add("x-oewg-end-assumed", "TRUE")
    if meeting.room:
        component.add("x-oewg-room", escape_text(meeting.room))
    for entry in meeting.entries:
        _add_text_json(component, "x-oewg-entry", entry_to_dict(entry))
    if meeting.followed_by is not None:
        _add_text_json(component, "x-oewg-followed-by", followed_by_to_dict(meeting.followed_by))
    if event.cancelled:
        component.add("x-oewg-cancelled", "TRUE")
    if not event.cancelled and meeting.timed:
        for minutes in options.alarms:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary_of(programme, meeting))
            alarm.add("trigger", dt.timedelta(minutes=-minutes))
            component.add_component(alarm)
    return component


def _chained(programme: Programme) -> tuple[Series, ...]:
    """The series linked with RELATED-TO: at most one per meeting, each linked whole.

    Item/sub-item series come first, then item series, each kind in the order the series
    begin (:func:`~oewg_cal.model.series_of`); a series is chained when none of its
    meetings is in a series chained before it.  So a meeting taking up item 5(a) is
    chained along 5(a), and item 5 is chained only when no meeting of it is in a chained
    sub-item series.
    """
    chained: list[Series] = []
    taken: set[Meeting] = set()
    ordered = sorted(series_of(programme), key=lambda s: s.key.sub_item is None)
    for series in ordered:
        if taken.isdisjoint(series.meetings):
            chained.append(series)
            taken.update(series.meetings)
    return tuple(chained)


def _series_links(feed: Feed) -> dict[str, list[tuple[str, str]]]:
    """REFID for each series an event belongs to; RELATED-TO along its one chained series.

    Every series (an item, or an item/sub-item pair, taken up in several meetings) is
    grouped by REFID on each of its events.  RELATED-TO FIRST/FINISHTOSTART/NEXT links
    run along one series per event only (:func:`_chained`), so an event never has two
    links of one RELTYPE and following NEXT from a FIRST walks exactly one series.
    """
    links: dict[str, list[tuple[str, str]]] = {}
    for programme in feed.programmes:
        pid = programme_id(programme)
        uid_of = {e.meeting: e.uid for e in feed.live if e.programme == pid}
        for series in series_of(programme):
            for meeting in series.meetings:
                links.setdefault(uid_of[meeting], []).append(
                    ("REFID", _series_ref(pid, series.key))
                )
        for series in _chained(programme):
            uids = [uid_of[m] for m in series.meetings]
            for index, uid in enumerate(uids):
                found = links.setdefault(uid, [])
                if index > 0:
                    found.append(("FIRST", uids[0]))
                    found.append(("FINISHTOSTART", uids[index - 1]))
                if index + 1 < len(uids):
                    found.append(("NEXT", uids[index + 1]))
    return links


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
    # No METHOD: a feed is a snapshot, not an iTIP message (RFC 5545 3.7.2), and
    # METHOD:PUBLISH would require an ORGANIZER on every event (RFC 5546 3.2.1), which
    # these events do not have (README, "What the feed holds").
    name = calendar_name(feed.programmes, options)
    calendar.add("name", icalendar.vText(name))  # TEXT (RFC 7986), which icalendar leaves raw
    calendar.add("x-wr-calname", icalendar.vText(name))
    description = calendar_description(feed.programmes, options)
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
    _add_text_json(calendar, "x-oewg-feed", options_to_dict(options))
    for programme in feed.programmes:
        _add_text_json(calendar, "x-oewg-programme", _programme_json(programme))
    for component in _timezones(feed):
        calendar.add_component(component)
    links = _series_links(feed)
    for event in sorted(feed.events, key=_event_order(feed)):
        calendar.add_component(_event_component(feed, event, links))
    return b"".join(fold(line) + b"\r\n" for line in calendar.content_lines() if line)


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
    while len(data) - start >= LINE_OCTETS:
        cut = start + LINE_OCTETS - 1
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
