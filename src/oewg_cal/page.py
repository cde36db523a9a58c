"""The agenda page beside a feed: subscribe in one click, read the programme at a glance.

:func:`render_page` turns a published feed (read back with
:func:`~oewg_cal.ical.decode.read_ics`) into one self-contained HTML page: subscribe
links for every common calendar (from the feed's public URL), a QR code, the programme
day by day in the duty station's time, series, informal and cancelled meetings, what the
last refresh changed, footnotes and document links.  :func:`render_index` lists the pages
of several feeds.

Both are pure: no file is read or written and no clock is read (the times of the last
change and check are passed in), so identical input gives identical bytes.  The HTML
comes from the Jinja2 templates in ``oewg_cal/templates`` with autoescaping on; the page
holds its style sheet and its small script inline and fetches nothing when it is viewed.
The script only adds the reader's own time zone and a copy button; the page works
without it.

How a meeting reads is decided in one place: :func:`_meeting_view` (the words) and the
``meeting`` macro of ``templates/_meeting.html.j2`` (the markup).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import urllib.parse
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import jinja2
import markupsafe
import segno

from oewg_cal.ical.feed import Event, Feed, default_stamp, programme_id
from oewg_cal.model import AgendaEntry, Kind, Meeting, Programme, SeriesKey, series_of
from oewg_cal.text import (
    MONTHS,
    WEEKDAYS,
    calendar_name,
    day_text,
    marks_text,
    summary_name,
    summary_text,
)

if TYPE_CHECKING:
    from oewg_cal.refresh.report import EventChange, FieldChange, Report

__all__ = [
    "GENERATOR",
    "IndexEntry",
    "SubscribeLinks",
    "clock_text",
    "render_index",
    "render_page",
    "subscribe_links",
    "time_range_text",
]

#: The ``<meta name="generator">`` of every page: how a page written by oewg-cal is known.
GENERATOR = "oewg-cal"

_UTC = dt.timezone.utc

#: Field names of :class:`~oewg_cal.refresh.report.FieldChange`, as a reader says them.
_FIELD_LABELS = {
    "time": "Time",
    "entries": "Agenda",
    "room": "Room",
    "formal": "Formal or informal",
    "status": "Status",
    "details": "Details",
}


# ---------------------------------------------------------------- subscribe links


@attrs.frozen(kw_only=True)
class SubscribeLinks:
    """Where each calendar application subscribes to a feed published at ``https``."""

    https: str
    webcal: str
    google: str
    outlook_com: str
    microsoft_365: str


def subscribe_links(url: str, name: str) -> SubscribeLinks:
    """The subscribe links of a feed published at the http(s) ``url``, named ``name``.

    Apple Calendar and Thunderbird open ``webcal://``; Google Calendar adds a feed from
    ``calendar.google.com/calendar/r?cid=`` and the webcal link; Outlook.com and
    Microsoft 365 from their ``addfromweb`` pages, given the https link and the name.
    """
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        raise ValueError(f"a feed URL must be http(s), not {url!r}")
    webcal = f"webcal://{rest}"
    query = urllib.parse.urlencode({"url": url, "name": name}, quote_via=urllib.parse.quote)
    return SubscribeLinks(
        https=url,
        webcal=webcal,
        google="https://calendar.google.com/calendar/r?cid=" + urllib.parse.quote(webcal, safe=""),
        outlook_com=f"https://outlook.live.com/calendar/0/addfromweb?{query}",
        microsoft_365=f"https://outlook.office.com/calendar/0/addfromweb?{query}",
    )


def _qr_svg(text: str, label: str) -> markupsafe.Markup:
    """A QR code of ``text`` as inline SVG, scaled by the style sheet, dark on light always."""
    code = segno.make(text, error="m")
    svg = code.svg_inline(dark="#000", light="#fff", omitsize=True, svgclass="qr")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{markupsafe.escape(label)}" ', 1)
    return markupsafe.Markup(svg)


# ---------------------------------------------------------------- times for people


def clock_text(time: dt.time, *, meridiem: bool = True) -> str:
    """A time as UN documents write it: "10 a.m.", "3.30 p.m.", "noon", "midnight"."""
    if time == dt.time(12):
        return "noon"
    if time == dt.time(0):
        return "midnight"
    hour = time.hour % 12 or 12
    text = f"{hour}.{time.minute:02d}" if time.minute else str(hour)
    if not meridiem:
        return text
    return f"{text} {'a.m.' if time.hour < 12 else 'p.m.'}"


def time_range_text(start: dt.time, end: dt.time) -> str:
    """ "10 a.m.–1 p.m.", "3–6 p.m.": the meridiem once when both ends share it."""
    plain = {dt.time(0), dt.time(12)}
    if start not in plain and end not in plain and (start.hour < 12) == (end.hour < 12):
        return f"{clock_text(start, meridiem=False)}–{clock_text(end)}"
    return f"{clock_text(start)}–{clock_text(end)}"


def _weekday_date(day: dt.date) -> str:
    """ "Monday 6 March 2023"."""
    return f"{WEEKDAYS[day.weekday()]} {day_text(day)}"


def _moment_text(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """ "8 March 2023, 2.02 p.m." in ``zone``."""
    local = moment.astimezone(zone)
    return f"{day_text(local.date())}, {clock_text(local.time().replace(second=0))}"


def _session_dates(programme: Programme) -> str:
    """ "6–10 March 2023", "28 February–3 March 2023", "29 December 2025–2 January 2026"."""
    first, last = programme.first_day, programme.last_day
    if first == last:
        return day_text(first)
    if first.year != last.year:
        return f"{day_text(first)}–{day_text(last)}"
    if first.month != last.month:
        return f"{first.day} {MONTHS[first.month - 1]}–{day_text(last)}"
    return f"{first.day}–{day_text(last)}"


def _iso_local(moment: dt.datetime) -> str:
    """ "2023-03-06T10:00-05:00": an HTML ``datetime`` value with the zone's offset."""
    return moment.isoformat(timespec="minutes")


def _iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(_UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- what the templates get


@attrs.frozen(kw_only=True)
class _Note:
    mark: str
    anchor: str


@attrs.frozen(kw_only=True)
class _EntryView:
    segment: str | None
    item: str | None
    title: str  # "" for an item named by its number only
    marks: str  # " (continued)", " (concluded)", …: after the title
    sub_item: str | None
    series: tuple[str, ...]
    speakers: tuple[str, ...]
    notes: tuple[_Note, ...]


@attrs.frozen(kw_only=True)
class _Change:
    label: str
    old: str
    new: str


@attrs.frozen(kw_only=True)
class _FollowView:
    heading: str  # "Followed by:", "Followed by an informal meeting:"
    entries: tuple[_EntryView, ...]


@attrs.frozen(kw_only=True)
class _MeetingView:
    anchor: str
    uid: str
    start_utc: str | None  # None for a day without a time: nothing to convert
    end_utc: str | None  # None too for a deadline, which has no end
    end_assumed: bool
    datetime: str  # the <time datetime> value: local start, or the day without a time
    time: str
    time_note: str | None
    deadline: bool
    entries: tuple[_EntryView, ...]
    follow: _FollowView | None
    formal: bool
    room: str | None
    cancelled: str | None  # "8 March 2023", the day it was cancelled
    cancelled_at: str | None  # its UTC instant, for <del datetime>
    mark: str | None  # "changed" or "new", from the last refresh
    changes: tuple[_Change, ...]


@attrs.frozen(kw_only=True)
class _DayView:
    anchor: str
    title: str
    short: str
    meetings: tuple[_MeetingView, ...]


@attrs.frozen(kw_only=True)
class _Document:
    title: str
    symbol: str | None
    url: str | None


@attrs.frozen(kw_only=True)
class _ProgrammeView:
    anchor: str
    heading: str
    body: str
    place: str
    venue: str
    dates: str
    issued: str
    zone: str
    zone_label: str
    notes: tuple[str, ...]
    days: tuple[_DayView, ...]
    footnotes: tuple[tuple[str, str, str], ...]  # anchor, mark, text
    source: _Document | None
    references: tuple[_Document, ...]


@attrs.frozen(kw_only=True)
class _ChangeLine:
    kind: str  # "Added", "Changed", "Cancelled", "Dropped"
    what: str
    summary: str
    anchor: str | None
    changes: tuple[_Change, ...]


def _anchor(text: str, taken: set[str]) -> str:
    """A fragment id made of ``text``, unique among ``taken`` (which it joins)."""
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"
    anchor, n = base, 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


def _series_marks(programme: Programme) -> dict[tuple[Meeting, SeriesKey], str]:
    """ "Item 5(a), meeting 2 of 2", for every (meeting, series key) of a series.

    Only meetings count: a deadline under an item is not one of its meetings.  A series
    begun before the programme says so and counts the meetings the programme holds
    ("Item 7 (begun before this programme), meeting 1 of 2 in this programme"), one too.
    """
    marks: dict[tuple[Meeting, SeriesKey], str] = {}
    earlier = set(programme.begun_earlier)
    for series in series_of(programme, include_single=True):
        held = [m for m in series.meetings if m.kind is Kind.MEETING]
        count, begun = len(held), series.key in earlier
        if count < 2 and not (count and begun):
            continue
        for index, meeting in enumerate(held, start=1):
            if not begun:
                text = f"Item {series.key}, meeting {index} of {count}"
            elif count == 1:
                text = (
                    f"Item {series.key} (begun before this programme), "
                    "the only meeting in this programme"
                )
            else:
                text = (
                    f"Item {series.key} (begun before this programme), "
                    f"meeting {index} of {count} in this programme"
                )
            marks[meeting, series.key] = text
    return marks


def _entry_view(
    entry: AgendaEntry,
    meeting: Meeting,
    marks: Mapping[tuple[Meeting, SeriesKey], str],
    note_anchor: Mapping[str, str],
) -> _EntryView:
    series = tuple(marks[meeting, k] for k in entry.series_keys if (meeting, k) in marks)
    # "(continued)" is shown as the series it belongs to; only where no series tells it
    # (a feed filtered to some items, a deadline) do the document's words stay.
    # "(concluded)" always stays, on an item named by its number only too.
    sub_item = None
    if entry.sub_item is not None:
        sub = entry.sub_item
        # "sub-items (a) to (l)": a sub-item named by its letter only
        sub_item = f"({sub.letter}) {sub.text}" if sub.text else f"Sub-item ({sub.letter})"
        sub_item += marks_text(sub.continued and not series, sub.concluded)
    return _EntryView(
        segment=entry.label if entry.segment is not None else None,
        item=f"Agenda item {entry.item}" if entry.item is not None else None,
        title=entry.title,
        marks=marks_text(entry.continued and not series, entry.concluded),
        sub_item=sub_item,
        series=series,
        speakers=entry.speakers,
        notes=tuple(_Note(mark=m, anchor=note_anchor[m]) for m in entry.footnotes),
    )


def _changes(fields: Iterable[FieldChange]) -> tuple[_Change, ...]:
    return tuple(
        _Change(label=_FIELD_LABELS.get(f.field, f.field.capitalize()), old=f.old, new=f.new)
        for f in fields
    )


def _when(meeting: Meeting) -> tuple[str, str | None]:
    """The meeting's time as the page writes it, and a note on it.

    "No time given" for a day's agenda without a time; "10 a.m." for a deadline (tagged
    "Deadline" by the template); "3 p.m.–(6 p.m.)" for an end the programme did not give;
    "10 p.m.–2 a.m. (next day)" for a meeting that ends the next day, both meridiems
    written ("9–8 a.m." would read as an hour backwards), but "10 p.m.–midnight".
    """
    if meeting.start is None:
        return "No time given", "the programme gives the day only"
    if meeting.end is None:
        return clock_text(meeting.start), None
    if meeting.end_assumed:
        text = f"{clock_text(meeting.start)}–({clock_text(meeting.end)})"
    elif meeting.overnight:
        text = f"{clock_text(meeting.start)}–{clock_text(meeting.end)}"
    else:
        text = time_range_text(meeting.start, meeting.end)
    if meeting.overnight and meeting.end != dt.time(0):
        text += " (next day)"
    note = "the programme gives the start only: the end is assumed" if meeting.end_assumed else None
    return text, note


def _meeting_view(
    programme: Programme,
    event: Event,
    anchor: str,
    marks: Mapping[tuple[Meeting, SeriesKey], str],
    note_anchor: Mapping[str, str],
    changed: Mapping[str, EventChange],
    added: set[str],
) -> _MeetingView:
    """How one meeting reads on the page: the one place that decides it."""
    meeting = event.meeting
    start, end = programme.start_of(meeting), programme.end_of(meeting)
    change = changed.get(event.uid)
    mark = None
    if not event.cancelled:
        mark = "changed" if change is not None else "new" if event.uid in added else None
    time, note = _when(meeting)
    follow = None
    if meeting.followed_by is not None:
        follow = _FollowView(
            heading=_follow_heading(meeting.formal, meeting.followed_by.formal),
            entries=tuple(
                _entry_view(e, meeting, marks, note_anchor) for e in meeting.followed_by.entries
            ),
        )
    return _MeetingView(
        anchor=anchor,
        uid=event.uid,
        start_utc=_iso_utc(start) if meeting.timed else None,
        end_utc=_iso_utc(end) if meeting.end is not None else None,
        end_assumed=meeting.end_assumed,
        datetime=_iso_local(start) if meeting.timed else meeting.date.isoformat(),
        time=time,
        time_note=note,
        deadline=meeting.kind is Kind.DEADLINE,
        entries=tuple(_entry_view(e, meeting, marks, note_anchor) for e in meeting.entries),
        follow=follow,
        formal=meeting.formal,
        room=meeting.room,
        cancelled=day_text(event.stamp.astimezone(programme.zone).date())
        if event.cancelled
        else None,
        cancelled_at=_iso_utc(event.stamp) if event.cancelled else None,
        mark=mark,
        changes=_changes(change.fields) if change is not None and mark == "changed" else (),
    )


def _follow_heading(formal: bool, follow_formal: bool) -> str:
    """What introduces the meeting that follows without a time of its own: its kind is
    said where it differs from the meeting's."""
    if follow_formal == formal:
        return "Followed by:"
    return "Followed by a formal meeting:" if follow_formal else "Followed by an informal meeting:"


def _web(url: str | None) -> str | None:
    """The URL if it is http(s): a document's link is followed by people, so nothing else
    (``javascript:``, ``data:``, …) becomes a link, whatever the programme says."""
    if url is None or url.split(":", 1)[0].lower() not in ("http", "https"):
        return None
    return url


def _document(symbol: str | None, title: str, url: str | None) -> _Document:
    return _Document(
        title=title, symbol=symbol if symbol and symbol != title else None, url=_web(url)
    )


def _programme_view(
    feed: Feed,
    programme: Programme,
    number: int,
    anchors: dict[str, str],
    taken: set[str],
    changed: Mapping[str, EventChange],
    added: set[str],
) -> _ProgrammeView:
    pid = programme_id(programme)
    prefix = f"p{number}"
    marks = _series_marks(programme)
    note_anchor = {f.mark: _anchor(f"{prefix}-note-{f.mark}", taken) for f in programme.footnotes}
    by_day: dict[dt.date, list[_MeetingView]] = {}
    for event in feed.events:  # already in day and time order
        if event.programme == pid:
            view = _meeting_view(
                programme, event, anchors[event.uid], marks, note_anchor, changed, added
            )
            by_day.setdefault(event.meeting.date, []).append(view)
    days = tuple(
        _DayView(
            anchor=_anchor(f"{prefix}-{day.isoformat()}", taken),
            title=_weekday_date(day),
            short=f"{WEEKDAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]}",
            meetings=tuple(meetings),
        )
        for day, meetings in sorted(by_day.items())
    )
    source = None
    if programme.url or programme.symbol:
        source = _document(
            programme.symbol, programme.symbol or "Provisional programme of work", programme.url
        )
    return _ProgrammeView(
        anchor=_anchor(prefix, taken),
        heading=f"{programme.session}, {programme.place}, {_session_dates(programme)}",
        body=programme.body.name,
        place=programme.place,
        venue=programme.venue,
        dates=_session_dates(programme),
        issued=day_text(programme.issued),
        zone=programme.timezone,
        zone_label=f"local time in {programme.place} ({programme.timezone})",
        notes=programme.notes,
        days=days,
        footnotes=tuple((note_anchor[f.mark], f.mark, f.text) for f in programme.footnotes),
        source=source,
        references=tuple(_document(r.symbol, r.title, r.url) for r in programme.references),
    )


def _without_name(summary: str, feed: Feed) -> str:
    """An event's stored SUMMARY without "Cancelled: " and the body's name, which the
    page says once (the SUMMARY of an event no longer in the feed is all that is left)."""
    text = summary.removeprefix("Cancelled: ")
    for programme in feed.programmes:
        name = f"{summary_name(programme)}: "
        if text.startswith(name):
            return text.removeprefix(name)
    return summary


def _change_lines(
    feed: Feed, report: Report, anchors: Mapping[str, str]
) -> tuple[_ChangeLine, ...]:
    """The lines of "Latest changes": each meeting as the page names it, with a link."""
    events = {e.uid: e for e in feed.events}
    lines: list[_ChangeLine] = []
    for kind, group in (
        ("Added", report.added),
        ("Changed", report.changed),
        ("Cancelled", report.cancelled),
        ("Removed", report.dropped),
    ):
        for change in group:
            event = events.get(change.uid)
            what, summary, anchor = change.meeting, _without_name(change.summary, feed), None
            if event is not None and kind != "Removed":
                meeting = event.meeting
                day = meeting.date
                what = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
                what += f", {_when(meeting)[0]}" if meeting.timed else ""
                summary = summary_text(meeting)
                anchor = anchors[change.uid]
            lines.append(
                _ChangeLine(
                    kind=kind,
                    what=what,
                    summary=summary,
                    anchor=anchor,
                    changes=_changes(change.fields) if kind == "Changed" else (),
                )
            )
    lines.extend(
        _ChangeLine(kind="Calendar", what="", summary=note, anchor=None, changes=())
        for note in report.calendar
    )
    return tuple(lines)


# ---------------------------------------------------------------- rendering


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("oewg_cal", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    return env


def _render(template: str, **context: Any) -> bytes:
    return _environment().get_template(template).render(**context).encode("utf-8")


def render_page(
    feed: Feed,
    *,
    url: str | None = None,
    report: Report | None = None,
    changed: dt.datetime | None = None,
    checked: dt.date | dt.datetime | None = None,
    feed_href: str | None = None,
    index_href: str | None = None,
) -> bytes:
    """The agenda page of ``feed`` as UTF-8 HTML bytes.

    * ``url``: the feed's public http(s) URL, for the subscribe links and the QR code;
      without it the page says how to set it.
    * ``report``: what the last refresh changed; its changed and added meetings are
      marked, with what changed (a report of a first publication marks nothing).
    * ``changed``: when the feed last changed (aware); default: its latest event stamp.
    * ``checked``: when the sources were last checked, shown as a day for a date and to
      the minute for an aware datetime; not shown when None.
    * ``feed_href``: a link to the feed file relative to the page (e.g.
      ``"oewg-ict.ics"``), offered for download when ``url`` is not known.
    * ``index_href``: a link back to the index of all feeds, relative to the page.

    Times are written in the duty station's zone of each programme; pure and
    deterministic: the same arguments give the same bytes.
    """
    for name, moment in (("changed", changed), ("checked", checked)):
        if isinstance(moment, dt.datetime) and moment.tzinfo is None:
            raise ValueError(f"{name} must be an aware datetime or a date, not {moment!r}")
    name = calendar_name(feed.programmes, feed.options)
    links = subscribe_links(url, name) if url else None
    zone = feed.programmes[0].zone if feed.programmes else zoneinfo.ZoneInfo("UTC")
    zone_name = feed.programmes[0].place if feed.programmes else "UTC"

    taken: set[str] = {"main", "subscribe", "changes", "programme", "documents"}
    anchors = {e.uid: _anchor("m-" + e.uid.split("@", 1)[0], taken) for e in feed.events}
    changed_events: dict[str, EventChange] = {}
    added: set[str] = set()
    change_lines: tuple[_ChangeLine, ...] = ()
    if report is not None and report.changed_anything and report.previous_live:
        changed_events = {c.uid: c for c in report.changed}
        added = {c.uid for c in report.added}
        change_lines = _change_lines(feed, report, anchors)
    programmes = tuple(
        _programme_view(feed, p, n, anchors, taken, changed_events, added)
        for n, p in enumerate(feed.programmes, start=1)
    )
    last_change = changed or max((e.stamp for e in feed.events), default=None)
    changed_text = None
    if last_change is not None:
        changed_text = f"{_moment_text(last_change, zone)} ({zone_name} time)"
        if changed is None and last_change in {default_stamp(p) for p in feed.programmes}:
            # the stamp of a feed nobody has refreshed: the issue date, not a moment
            changed_text = f"not since the programme was issued on {day_text(last_change.date())}"
    checked_text = checked_iso = None
    if isinstance(checked, dt.datetime):
        checked_text = f"{_moment_text(checked, zone)} ({zone_name} time)"
        checked_iso = _iso_utc(checked)
    elif isinstance(checked, dt.date):
        checked_text, checked_iso = _weekday_date(checked), checked.isoformat()
    return _render(
        "page.html.j2",
        generator=GENERATOR,
        title=name,
        description=feed.options.description,
        programmes=programmes,
        links=links,
        qr=_qr_svg(links.webcal, f"QR code of the subscribe link {links.webcal}")
        if links
        else None,
        feed_href=feed_href,
        index_href=index_href,
        changed_text=changed_text,
        changed_iso=_iso_utc(last_change) if last_change else None,
        update_text=changed_text if changed is not None else None,
        checked_text=checked_text,
        checked_iso=checked_iso,
        change_lines=change_lines,
        multiple=len(programmes) > 1,
    )


@attrs.frozen(kw_only=True)
class IndexEntry:
    """One feed in the index: its name, its page (relative link) and public URL if known."""

    name: str
    page_href: str | None = None
    feed_href: str | None = None
    url: str | None = None


def render_index(entries: Sequence[IndexEntry], *, title: str = "Calendar feeds") -> bytes:
    """An index page listing feeds, their pages and subscribe links, as UTF-8 HTML bytes."""
    rows = [(e, subscribe_links(e.url, e.name) if e.url else None) for e in entries]
    return _render("index.html.j2", generator=GENERATOR, title=title, rows=rows)
