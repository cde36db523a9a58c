"""Every text written for people: event titles and descriptions, ``show``, change reports.

The model holds data; this module decides how it reads.  The feed writer takes SUMMARY,
DESCRIPTION, LOCATION and CATEGORIES from here, ``oewg-cal show`` prints
:func:`format_programme`, and refresh's change reports describe meetings with
:func:`meeting_time` and :func:`entries_line`.  Nothing here is read back: the feed
reader uses only the structured ``X-OEWG-*`` values (:mod:`oewg_cal.schema`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from oewg_cal.model import AgendaEntry, Kind, Meeting, Programme, series_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from oewg_cal.ical.feed import FeedOptions

__all__ = [
    "MONTHS",
    "SUMMARY_NAME_LIMIT",
    "SUMMARY_TEXT_LIMIT",
    "WEEKDAYS",
    "calendar_description",
    "calendar_name",
    "categories_of",
    "day_text",
    "description_of",
    "entries_line",
    "format_programme",
    "item_text",
    "location_of",
    "marks_text",
    "meeting_time",
    "programme_label",
    "short_name_of",
    "sub_item_text",
    "summary_name",
    "summary_of",
    "summary_text",
]

MONTHS = (
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
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def marks_text(continued: bool, concluded: bool) -> str:
    """ " (continued)", " (concluded)", " (continued and concluded)" or "": the
    programme's marks on an item or sub-item, as written after its text."""
    if continued and concluded:
        return " (continued and concluded)"
    return " (continued)" if continued else " (concluded)" if concluded else ""


def day_text(day: dt.date) -> str:
    """ "6 March 2023", whatever the locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word to at most ``limit`` characters with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    if limit < 1:
        return ""
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


# ---------------------------------------------------------------- an agenda entry


def item_text(entry: AgendaEntry, *, word: str = "Agenda item") -> str | None:
    """ "Agenda item 5: discussions … (continued)", or None for a pure segment."""
    if entry.item is None:
        return None
    text = f"{word} {entry.item}"
    if entry.title:
        text += f": {entry.title}"
    return text + marks_text(entry.continued, entry.concluded)


def sub_item_text(entry: AgendaEntry) -> str | None:
    """ "(a) Further develop the rules … (continued)", or None without a sub-item."""
    sub = entry.sub_item
    if sub is None:
        return None
    text = f"({sub.letter}) {sub.text}" if sub.text else f"({sub.letter})"
    return text + marks_text(sub.continued, sub.concluded)


def _entry_parts(entry: AgendaEntry) -> list[str]:
    """The entry's segment label, item and sub-item, each as one piece of text."""
    parts = [entry.label] if entry.segment is not None else []
    return parts + [p for p in (item_text(entry, word="Item"), sub_item_text(entry)) if p]


def entries_line(entries: Sequence[AgendaEntry]) -> str:
    """A meeting's agenda on one line, for change reports."""
    return "; ".join(" — ".join(_entry_parts(e)) for e in entries)


# ---------------------------------------------------------------- a meeting in a feed


#: SUMMARY: the body's short name is cut to this many characters, ...
SUMMARY_NAME_LIMIT = 30
#: ... and everything else but the name and its colon takes at most this many.
SUMMARY_TEXT_LIMIT = 60
_SHORTEST_TITLE = 8  # a title cut shorter than this is left out ("Item 5(a) (cont.)")


def _compact_marks(continued: bool, concluded: bool) -> str:
    if continued and concluded:
        return " (cont., concl.)"
    return " (cont.)" if continued else " (concl.)" if concluded else ""


def _summary_entry(entry: AgendaEntry) -> tuple[str, str, str]:
    """An entry in a SUMMARY: (head, title, marks); the head is never cut.

    An entry with an item is its item ("Item 5", "Item 5(a)") with the sub-item's text
    (else the item's title) and the sub-item's marks (else the item's); a segment's label
    stays in DESCRIPTION.  A segment alone is its label.
    """
    if entry.item is None:
        return "", " ".join(entry.label.split()), ""
    sub = entry.sub_item
    if sub is not None:
        title = sub.text or entry.title
        marks = _compact_marks(sub.continued, sub.concluded)
    else:
        title, marks = entry.title, _compact_marks(entry.continued, entry.concluded)
    return f"Item {entry.reference}", " ".join(title.split()), marks


def summary_of(programme: Programme, meeting: Meeting, *, cancelled: bool = False) -> str:
    """The SUMMARY a delegate reads on a phone (README, "Text for people").

    ``[Cancelled: ]NAME: [Deadline: ]FIRST[ (cont.)][ +N more][ (informal)]``: NAME is the
    body's short name cut to :data:`SUMMARY_NAME_LIMIT` characters, FIRST the meeting's
    first entry ("Item 5(a): Further develop the rules…", or a segment's label), N the
    number of its other entries.  Everything but NAME and its colon takes at most
    :data:`SUMMARY_TEXT_LIMIT` characters: FIRST's title (never its item number) is cut
    to fit, at a word, with "…".  The whole agenda is in DESCRIPTION.
    """
    cancel = "Cancelled: " if cancelled else ""
    text = _summary_text(meeting, SUMMARY_TEXT_LIMIT - len(cancel))
    return f"{cancel}{summary_name(programme)}: {text}"


def summary_name(programme: Programme) -> str:
    """NAME in :func:`summary_of`: the body's short name cut to
    :data:`SUMMARY_NAME_LIMIT` characters."""
    return _shorten(programme.body.short_name, SUMMARY_NAME_LIMIT)


def summary_text(meeting: Meeting) -> str:
    """The SUMMARY of a live meeting without the body's name: what follows ``NAME: `` in
    :func:`summary_of` ("Item 5(a): Further develop the rules…"), for a page that names
    the body once."""
    return _summary_text(meeting, SUMMARY_TEXT_LIMIT)


def _summary_text(meeting: Meeting, limit: int) -> str:
    """``[Deadline: ]FIRST[ (cont.)][ +N more][ (informal)]`` in at most ``limit``
    characters (see :func:`summary_of`)."""
    shown = list(dict.fromkeys(_summary_entry(entry) for entry in meeting.entries))
    head, title, marks = shown[0] if shown else ("", "", "")
    first = f"{head}: {title}" if head and title else head or title
    before = (
        "Deadline: " if meeting.kind is Kind.DEADLINE and "deadline" not in first.lower() else ""
    )
    after = marks + (f" +{len(shown) - 1} more" if len(shown) > 1 else "")
    if not meeting.formal and "informal" not in first.lower():
        after += " (informal)"
    room = limit - len(before) - len(after)
    if len(first) > room:
        if not head:
            first = _shorten(title, room)
        elif room - len(head) - 2 >= _SHORTEST_TITLE:
            first = f"{head}: {_shorten(title, room - len(head) - 2)}"
        else:
            first = head
    text = before + first + after
    if len(text) > limit:  # only an item number of many digits gets here
        text = _shorten(text, limit)
    return text


def _entry_lines(entry: AgendaEntry) -> list[str]:
    marks = "".join(f" [{m}]" for m in entry.footnotes)
    speakers = [f"  – {speaker}" for speaker in entry.speakers]
    lines: list[str] = []
    if entry.segment is not None:
        lines.append(entry.label + (marks if entry.item is None else ""))
        lines += speakers
    item = item_text(entry)
    if item is not None:
        lines.append(item + marks)
        sub = sub_item_text(entry)
        if sub is not None:
            lines.append(f"  {sub}")
        if entry.segment is None:
            lines += speakers
    return lines


def description_of(programme: Programme, meeting: Meeting, *, cancelled: bool = False) -> str:
    """The DESCRIPTION: the full agenda text of the meeting, speakers, footnotes, references."""
    lines: list[str] = []
    if cancelled:
        lines += ["This meeting has been cancelled.", ""]
    lines.append(f"{programme.body.name} — {programme.session}")
    lines.append(_kind_line(meeting))
    lines.extend(_time_notes(meeting))
    lines.append("")
    for entry in meeting.entries:
        lines.extend(_entry_lines(entry))
    if meeting.followed_by is not None:
        kind = "meeting" if meeting.followed_by.formal else "informal meeting"
        lines += ["", f"Followed by ({kind}):"]
        lines.extend(
            f"  {line}" for entry in meeting.followed_by.entries for line in _entry_lines(entry)
        )
    marks = list(dict.fromkeys(m for e in meeting.agenda for m in e.footnotes))
    if marks:
        lines.append("")
        lines.extend(f"[{m}] {programme.footnote(m).text}" for m in marks)
    if programme.symbol or programme.url:
        lines.append("")
        source = " ".join(x for x in (programme.symbol, programme.url) if x)
        lines.append(f"Programme of work: {source}")
    return "\n".join(lines)


def _kind_line(meeting: Meeting) -> str:
    if meeting.kind is Kind.DEADLINE:
        return "Deadline"
    return ("Formal" if meeting.formal else "Informal") + " meeting"


def _time_notes(meeting: Meeting) -> list[str]:
    if meeting.kind is Kind.MEETING and meeting.start is None:
        return ["The programme gives no time for this meeting."]
    if meeting.end_assumed:
        return [
            f"The programme gives only the start time ({meeting.start:%H:%M}); "
            f"the end ({meeting.end:%H:%M}) is assumed."
        ]
    return []


def location_of(programme: Programme, meeting: Meeting) -> str:
    """The LOCATION: room, venue and place."""
    parts = [meeting.room] if meeting.room else []
    parts += [programme.venue, programme.place]
    return ", ".join(dict.fromkeys(parts))


def categories_of(programme: Programme, meeting: Meeting, options: FeedOptions) -> list[str]:
    """CATEGORIES: the body, formal/informal, each agenda item, and the feed's extra ones."""
    cats = [programme.body.short_name, _kind_line(meeting)]
    cats += [f"Agenda item {e.item}" for e in meeting.agenda if e.item is not None]
    cats += list(options.categories)
    return list(dict.fromkeys(cats))


#: Well-known bodies: full name (lower case, dashes normalised) → short name.
KNOWN_BODIES: dict[str, str] = {
    "open-ended working group on security of and in the use of information and "
    "communications technologies 2021-2025": "OEWG on ICT security 2021–2025",
}


def short_name_of(name: str) -> str:
    """The short name of a body for event titles: a known one, the name in brackets
    ("… (Fourth Committee)"), "OEWG …"/"AHC …", or the name cut at 60 characters."""
    key = re.sub(r"[–—]", "-", name.lower())
    if key in KNOWN_BODIES:
        return KNOWN_BODIES[key]
    alias = re.search(r"\(([^()]*\b(?:Committee|Council|Commission)\b[^()]*)\)\s*$", name)
    if alias:
        return alias.group(1)
    short = re.sub(r"^open-ended working group\b", "OEWG", name, flags=re.IGNORECASE)
    short = re.sub(r"^ad hoc committee\b", "AHC", short, flags=re.IGNORECASE)
    short = " ".join(short.split())
    return short if len(short) <= 60 else short[:59].rsplit(" ", 1)[0] + "…"


def programme_label(programme: Programme) -> str:
    """ "OEWG on ICT security 2021–2025 — Fourth substantive session"."""
    return f"{programme.body.short_name} — {programme.session}"


def calendar_name(programmes: Sequence[Programme], options: FeedOptions) -> str:
    """NAME / X-WR-CALNAME: the configured name, or body and session of the programme(s)."""
    if options.name:
        return options.name
    return "; ".join(programme_label(p) for p in programmes) or "oewg_cal"


def calendar_description(programmes: Sequence[Programme], options: FeedOptions) -> str:
    """The calendar's DESCRIPTION: the configured one, or body, session, place and dates."""
    return options.description or "; ".join(
        f"{p.body.name}, {p.session}, {p.place}, {day_text(p.first_day)}–{day_text(p.last_day)}"
        for p in programmes
    )


def meeting_time(programme: Programme, meeting: Meeting, *, zone: bool = False) -> str:
    """ "2023-03-06 10:00–13:00", with the programme's zone when ``zone``."""
    text = f"{meeting.date} {meeting.times()}"
    return f"{text} {programme.timezone}" if zone else text


# ---------------------------------------------------------------- ``oewg-cal show``


def _show_meeting(meeting: Meeting, marks: dict[Meeting, list[str]]) -> list[str]:
    kind = "  [deadline]" if meeting.kind is Kind.DEADLINE else ""
    kind += "" if meeting.formal else "  [informal]"
    room = f"  ({meeting.room})" if meeting.room else ""
    lines = [f"  {meeting.times()}{kind}{room}"]
    for entry in meeting.entries:
        notes = "".join(f" [{m}]" for m in entry.footnotes)
        if entry.segment is not None:
            tail = notes if entry.item is None else ""
            lines.append(f"      {entry.label}  <{entry.segment.value}>{tail}")
            lines.extend(f"        – {s}" for s in entry.speakers)
        item = item_text(entry, word="Item")
        if item is not None:
            lines.append(f"      {item}{notes}")
            sub = sub_item_text(entry)
            if sub is not None:
                lines.append(f"        {sub}")
    if meeting.followed_by is not None:
        follow = "" if meeting.followed_by.formal else " [informal]"
        lines.append(f"    followed by{follow}:")
        lines += [
            f"      {text}" for entry in meeting.followed_by.entries for text in _entry_parts(entry)
        ]
    if marks.get(meeting):
        lines.append("      series: " + ", ".join(marks[meeting]))
    return lines


def format_programme(programme: Programme) -> str:
    """The programme as ``oewg-cal show`` prints it: day by day, with series marks."""
    series = series_of(programme)
    marks: dict[Meeting, list[str]] = {}
    for s in series:
        for index, meeting in enumerate(s.meetings):
            marks.setdefault(meeting, []).append(f"{s.key} {index + 1}/{len(s.meetings)}")
    out = [
        f"{programme.body.name}",
        f"  short name: {programme.body.short_name}",
        f"{programme.session} — {programme.place} ({programme.venue})",
        f"  {programme.first_day} to {programme.last_day}, time zone {programme.timezone}, "
        f"issued {programme.issued}",
    ]
    if programme.symbol:
        out.append(f"  symbol: {programme.symbol}")
    if programme.url:
        out.append(f"  url: {programme.url}")
    day = None
    for meeting in programme.meetings:
        if meeting.date != day:
            day = meeting.date
            out += ["", f"{WEEKDAYS[day.weekday()]} {day_text(day)}"]
        out += _show_meeting(meeting, marks)
    if series:
        out += ["", "Series (item or item/sub-item over several meetings):"]
        for s in series:
            days = ", ".join(
                f"{WEEKDAYS[m.date.weekday()][:3]} {m.times().split('–')[0]}" for m in s.meetings
            )
            out.append(f"  {s.key}: {days}")
    if programme.begun_earlier:
        begun = ", ".join(str(k) for k in programme.begun_earlier)
        out += ["", f"Series begun before this programme: {begun}"]
    if programme.footnotes:
        out += ["", "Footnotes:"]
        out += [f"  [{f.mark}] {f.text}" for f in programme.footnotes]
    if programme.references:
        out += ["", "References:"]
        out += [f"  {r.title}: {r.url or r.symbol}" for r in programme.references]
    return "\n".join(out) + "\n"
