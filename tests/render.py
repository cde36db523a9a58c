"""A test-only renderer: a Programme written out as the documents converters produce.

Independent of the reader: it writes each shape the way the Secretariat's document and
the usual converters lay it out, with optional noise (dash kinds, spacing, markup
variants, time styles, page-break headers), so that reading it back must give the
programme it was rendered from.
"""

from __future__ import annotations

import datetime as dt
import html
import textwrap
from collections.abc import Callable

import attrs

from oewg_cal.model import AgendaEntry, Meeting, Programme

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SHAPES = ("tsv", "html", "markdown", "text")


@attrs.frozen
class Noise:
    """Formatting choices a converter or a typist makes; none changes the programme."""

    dash: str = "–"
    time_style: str = "un"  # un | un-spaced | 24h-colon | 24h-dot | h
    continued_style: str = "plain"  # plain | italic | spaced-italic
    page_break_every: int = 0  # repeat the table header after this many rows (0: never)
    nbsp: bool = False
    date_on_every_row: bool = False
    item_style: str = "agenda"  # agenda | item | title-first ("Title (item 5)")


def _day(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _range(first: dt.date, last: dt.date, dash: str) -> str:
    if first == last:
        return _day(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}{dash}{last.day} {MONTHS[first.month - 1]} {first.year}"
    if first.year == last.year:
        return f"{first.day} {MONTHS[first.month - 1]}{dash}{_day(last)}"
    return f"{_day(first)}{dash}{_day(last)}"


def _twelve(t: dt.time, with_meridiem: bool = True) -> str:
    if t == dt.time(12):
        return "noon"
    hour = t.hour % 12 or 12
    text = f"{hour}" if not t.minute else f"{hour}.{t.minute:02d}"
    if with_meridiem:
        text += " a.m." if t.hour < 12 else " p.m."
    return text


def time_range(start: dt.time, end: dt.time, noise: Noise) -> str:
    """A time range as the UN writes it, in the chosen style."""
    dash = noise.dash
    if noise.time_style == "24h-colon":
        return f"{start:%H:%M}{dash}{end:%H:%M}"
    if noise.time_style == "24h-dot":
        return f"{start:%H.%M}{dash}{end:%H.%M}"
    if noise.time_style == "h":

        def h(t: dt.time) -> str:
            return f"{t.hour} h" + (f" {t.minute:02d}" if t.minute else "")

        return f"{h(start)}{dash}{h(end)}"
    same_side = (start.hour < 12) == (end.hour < 12) and dt.time(12) not in (start, end)
    spaced = f" {dash} " if noise.time_style == "un-spaced" else dash
    if same_side and noise.time_style == "un":
        return f"{_twelve(start, False)}{dash}{_twelve(end)}"
    return f"{_twelve(start)}{spaced}{_twelve(end)}"


def _day_heading(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]}"


def _continued(noise: Noise) -> str:
    return {
        "plain": "(continued)",
        "italic": "<i>(continued)</i>",
        "spaced-italic": "( <i>continued</i> )",
    }[noise.continued_style]


def _sup(marks: tuple[str, ...], markup: bool) -> str:
    if markup:
        return "".join(f"<sup>{m}</sup>" for m in marks)
    table = str.maketrans("1234567890", "¹²³⁴⁵⁶⁷⁸⁹⁰")
    return "".join(m.translate(table) for m in marks)


def _item_heading(entry: AgendaEntry, noise: Noise, markup: bool) -> str:
    if noise.item_style == "title-first":
        text = f"{entry.title} (item {entry.item}){_sup(entry.footnotes, markup)}"
    else:
        word = "Agenda item" if noise.item_style == "agenda" else "Item"
        text = f"{word} {entry.item}: {entry.title}{_sup(entry.footnotes, markup)}"
    if entry.continued:
        text += " " + (_continued(noise) if markup else "(continued)")
    return text


def cell_pieces(entry: AgendaEntry, noise: Noise, markup: bool) -> list[str]:
    """The pieces of one entry, each bold run or plain run as a separate string."""
    esc: Callable[[str], str] = html.escape if markup else (lambda s: s)
    bold: Callable[[str], str] = (lambda s: f"<b>{s}</b>") if markup else (lambda s: s)
    pieces: list[str] = []
    if entry.segment is not None:
        marks = _sup(entry.footnotes, markup) if entry.item is None else ""
        pieces.append(bold(esc(entry.label) + marks))
        for speaker in entry.speakers:
            pieces.append(f"<li>– {esc(speaker)}</li>" if markup else f"– {speaker}")
    if entry.item is not None and (entry.segment is None or entry.sub_item is None):
        title = attrs.evolve(entry, title=esc(entry.title)) if markup else entry
        pieces.append(bold(_item_heading(title, noise, markup)))
    if entry.sub_item is not None:
        sub = f"({entry.sub_item.letter}) {esc(entry.sub_item.text)}"
        if entry.sub_item.continued:
            sub += " " + (_continued(noise) if markup else "(continued)")
        pieces.append(sub)
    return pieces


def _cell_html(meeting: Meeting, noise: Noise) -> str:
    parts: list[str] = []
    for entry in meeting.entries:
        pieces = cell_pieces(entry, noise, markup=True)
        if entry.speakers:
            speakers = [p for p in pieces if p.startswith("<li>")]
            rest = [p for p in pieces if not p.startswith("<li>")]
            parts.append(rest[0])
            parts.append('<ul style="list-style-type: none"> ' + " ".join(speakers) + " </ul>")
            parts.extend(rest[1:])
        else:
            parts.extend(pieces)
    return "  ".join(parts)


def _header(programme: Programme, noise: Noise, markdown: bool) -> list[str]:
    h = (lambda level, s: "#" * level + " " + s) if markdown else (lambda level, s: s)
    lines = [h(1, "General Assembly"), ""]
    if programme.symbol:
        lines += [programme.symbol, ""]
    lines += ["Distr.: General", _day(programme.issued), "", "Original: English", ""]
    lines += [h(2, programme.body.name), "", programme.session]
    lines += [
        f"{programme.place}, {_range(programme.first_day, programme.last_day, noise.dash)}",
        "",
    ]
    lines += [h(3, "Provisional programme of work"), "", h(4, "Note by the Secretariat"), ""]
    lines += [f"{n}. {note}" for n, note in enumerate(programme.notes, 1)]
    lines += ["", h(2, "Annex"), "", h(3, "Provisional programme of work"), ""]
    return lines


def _footnote_lines(programme: Programme, markup: bool) -> list[str]:
    return [f"{_sup((f.mark,), markup)} {f.text}" for f in programme.footnotes]


def _days(programme: Programme) -> list[tuple[dt.date, list[Meeting]]]:
    days: dict[dt.date, list[Meeting]] = {}
    for meeting in programme.meetings:
        days.setdefault(meeting.date, []).append(meeting)
    return list(days.items())


def render_tsv(programme: Programme, noise: Noise = Noise()) -> str:
    """The seed's shape: markdown headings, tab-separated rows with inline HTML."""
    lines = _header(programme, noise, markdown=True)
    heading = "<i>Date/time</i>\t<i>Agenda item/programme</i>"
    lines.append(heading)
    rows = 0
    footnotes_written = False
    for day, meetings in _days(programme):
        if not noise.date_on_every_row:
            lines.append(f"<b>{_day_heading(day)}</b>\t")
        for meeting in meetings:
            when = time_range(meeting.start, meeting.end, noise)
            if noise.nbsp:
                when = when.replace(" ", "\u00a0")
            first = f"{_day_heading(day)}, {when}" if noise.date_on_every_row else when
            lines.append(f"{first}\t{_cell_html(meeting, noise)}")
            rows += 1
            if noise.page_break_every and rows % noise.page_break_every == 0:
                if not footnotes_written and programme.footnotes:
                    lines += ["", *_footnote_lines(programme, True), ""]
                    footnotes_written = True
                lines.append(heading)
    if not footnotes_written and programme.footnotes:
        lines += ["", *_footnote_lines(programme, True)]
    return "\n".join(lines) + "\n"


def render_markdown(programme: Programme, noise: Noise = Noise()) -> str:
    """A markdown pipe table (cells keep inline HTML, bold as **…**)."""
    lines = _header(programme, noise, markdown=True)
    lines += ["| Date/time | Agenda item/programme |", "| --- | --- |"]
    for day, meetings in _days(programme):
        lines.append(f"| **{_day_heading(day)}** | |")
        for meeting in meetings:
            cell = _cell_html(meeting, noise).replace("|", "\\|")
            cell = cell.replace("<b>", "**").replace("</b>", "**")
            lines.append(f"| {time_range(meeting.start, meeting.end, noise)} | {cell} |")
    if programme.footnotes:
        lines += ["", *_footnote_lines(programme, True)]
    return "\n".join(lines) + "\n"


def render_html(programme: Programme, noise: Noise = Noise()) -> str:
    """An HTML document with a <table>."""
    out = ["<!DOCTYPE html>", "<html><head><title>Programme of work</title></head><body>"]
    out += [
        f"<p>{html.escape(line)}</p>" for line in _header(programme, noise, markdown=False) if line
    ]
    out.append("<table>")
    out.append("<tr><th>Date/time</th><th>Agenda item/programme</th></tr>")
    for day, meetings in _days(programme):
        out.append(f'<tr><td colspan="2"><b>{_day_heading(day)}</b></td></tr>')
        for meeting in meetings:
            when = html.escape(time_range(meeting.start, meeting.end, noise))
            out.append(f"<tr>\n<td>{when}</td>\n<td>{_cell_html(meeting, noise)}</td>\n</tr>")
    out.append("</table>")
    out += [f"<p>{_sup((f.mark,), True)} {html.escape(f.text)}</p>" for f in programme.footnotes]
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render_text(programme: Programme, noise: Noise = Noise(), width: int = 60) -> str:
    """Plain text as pdftotext leaves it: wrapped cells, page furniture mid-table."""
    lines = _header(programme, noise, markdown=False)
    times = [time_range(m.start, m.end, noise) for m in programme.meetings]
    column = max([15, *(len(t) for t in times)]) + 2
    lines.append(f"{'Date/time':<{column}}Agenda item/programme")
    rows = 0
    for day, meetings in _days(programme):
        lines += ["", _day_heading(day)]
        for meeting in meetings:
            pieces = [p for e in meeting.entries for p in cell_pieces(e, noise, markup=False)]
            wrapped: list[str] = []
            for piece in pieces:
                wrapped += textwrap.wrap(
                    piece, width, break_long_words=False, break_on_hyphens=False
                )
            when = time_range(meeting.start, meeting.end, noise)
            # as pdftotext -layout prints a table: the agenda column aligned down the table
            lines.append(f"{when:<{column - 2}}  {wrapped[0]}")
            lines += [f"{'':<{column}}{w}" for w in wrapped[1:]]
            rows += 1
            if noise.page_break_every and rows % noise.page_break_every == 0:
                lines += ["", "23-04321", "\x0c2/3", programme.symbol or "A/AC.292/2023/INF/1", ""]
                lines.append(f"{'Date/time':<{column}}Agenda item/programme")
    if programme.footnotes:
        lines += ["", *_footnote_lines(programme, False)]
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[..., str]] = {
    "tsv": render_tsv,
    "html": render_html,
    "markdown": render_markdown,
    "text": render_text,
}
