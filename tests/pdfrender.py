"""A test-only renderer: a Programme printed as a born-digital PDF, in the UN's layouts.

Independent of the reader: it lays a :class:`~oewg_cal.model.Programme` out the way the
Secretariat's documents print it and draws every word with reportlab at an explicit
position (``canvas.drawString``), so that columns, indentation, hanging wrapped lines,
paragraph spacing (larger than the spacing of wrapped lines), superscript footnote marks
(a smaller font on a raised baseline), page furniture and page breaks are what the test
says they are.  Reading the PDF back must give the programme it was printed from.

Layouts (:data:`LAYOUTS`):

* ``"second"`` — the General Assembly Second Committee's programme of work
  (A/C.2/80/L.1): "Week of 6–10 October 2025" headings, day headings (the year on the
  first), each time on a line of its own at the left ("10 a.m.–1 p.m.", "10 a.m.",
  "10 a.m.–1 p.m. and 3–6 p.m." for two meetings with the same agenda, "(informal
  meeting)" and a room after it), the agenda indented under it ("Item 21: …", sub-items
  "(a)" indented further with their wrapped lines hanging under the text), deadlines as
  "3 p.m.: deadline for …" lines, "Followed by:", days without a time, holidays with
  "No meetings scheduled";
* ``"fourth"`` — the Fourth Committee's (A/C.4/80/L.1): a two-column table "Date/time |
  Programme" whose header is repeated at the top of every page, start times only, on the
  baseline of the first agenda line, items as "Title (item 59)" in bold, days without
  the year (the year is in the issue date of the masthead only), holidays as "Monday,
  20 October      Diwali";
* ``"seed"`` — the OEWG's table (examples/oewg-ict-4th-session.txt): "Date/time |
  Agenda item/programme", "New York, 6–10 March 2023" under the session, "Agenda item 5:
  …" in bold with its sub-items in the same column (``inline_subs``: on the line of the
  heading, as in the seed's Wednesday rows), speakers as "– …" lines.

Every layout has the masthead (letterhead, symbol, distribution, issue date), the note's
numbered paragraphs, the annex on a new page, the symbol at the top of every page and the
job number and "n/N" at the bottom (marked as artifacts, as Word marks them, unless
``artifacts=False``), and footnotes under a rule at the bottom of the page where their
mark first appears.  ``breaks`` forces page breaks before given lines of the table (see
:func:`table_lines`); a small ``page_height`` makes them fall where they may.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterable, Sequence

import attrs
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from oewg_cal.model import AgendaEntry, FollowedBy, Kind, Meeting, Programme

__all__ = [
    "FONTS",
    "LAYOUTS",
    "Options",
    "Printed",
    "Rendering",
    "day_heading",
    "render_pdf",
    "table_lines",
    "time_text",
]

LAYOUTS = ("second", "fourth", "seed")
#: Font families: TrueType Vera embedded (PDFium sees the bold weight), Times New Roman
#: as Type 1 embedded (the UN's face; no weight to see), Helvetica not embedded (base 14).
FONTS = ("vera", "times", "helvetica")

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

PAGE_WIDTH = 612.0  # US letter, as documents issued in New York
SIZE = 10.0  # body text
LEADING = 12.0  # baseline to baseline within a paragraph
PARAGRAPH = 7.0  # the extra space before a paragraph (18 pt > 1.6 × 10 pt)
SUP_SIZE = 6.5
SUP_RISE = 3.5
NOTE_SIZE = 9.0
NOTE_LEADING = 11.0
TOP_MARGIN = 64.0  # from the top edge to the header's baseline
BOTTOM = 96.0  # the lowest baseline of the page's text, above the footer
FOOTER = 48.0

_FONT_CACHE: dict[str, tuple[str, str]] = {}


def _fonts(family: str) -> tuple[str, str]:
    """The regular and bold font names of a family, registered with reportlab once."""
    if family in _FONT_CACHE:
        return _FONT_CACHE[family]
    import reportlab

    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    if family == "helvetica":
        names = ("Helvetica", "Helvetica-Bold")
    elif family == "vera":
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont("PdfRenderVera", os.path.join(folder, "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("PdfRenderVeraBd", os.path.join(folder, "VeraBd.ttf")))
        names = ("PdfRenderVera", "PdfRenderVeraBd")
    elif family == "times":
        found = []
        for stem, name in (("_er_____", "PdfRenderTimes"), ("_eb_____", "PdfRenderTimesBd")):
            face = pdfmetrics.EmbeddedType1Face(
                os.path.join(folder, stem + ".afm"), os.path.join(folder, stem + ".pfb")
            )
            pdfmetrics.registerTypeFace(face)
            pdfmetrics.registerFont(pdfmetrics.Font(name, face.name, "WinAnsiEncoding"))
            found.append(name)
        names = (found[0], found[1])
    else:
        raise ValueError(f"unknown font family {family!r} (expected one of {FONTS})")
    _FONT_CACHE[family] = names
    return names


# ---------------------------------------------------------------- how the UN writes things


def _clock(t: dt.time, meridiem: bool = True) -> str:
    if t == dt.time(12):
        return "noon"
    hour = t.hour % 12 or 12
    text = f"{hour}" if not t.minute else f"{hour}.{t.minute:02d}"
    return text + ((" a.m." if t.hour < 12 else " p.m.") if meridiem else "")


def time_text(start: dt.time, end: dt.time | None) -> str:
    """ "10 a.m.–1 p.m.", "3–6 p.m.", "10 a.m.–11.30 a.m.", "3 p.m." (a start alone)."""
    if end is None:
        return _clock(start)
    if start == dt.time(12) or end == dt.time(12):
        return f"{_clock(start)}–{_clock(end)}"
    if start.hour >= 12 and end.hour >= 12:
        return f"{_clock(start, False)}–{_clock(end)}"
    return f"{_clock(start)}–{_clock(end)}"


def day_heading(day: dt.date, year: bool = False) -> str:
    """ "Monday, 6 October", with " 2025" when ``year``."""
    text = f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def _long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _date_range(first: dt.date, last: dt.date, year: bool = True) -> str:
    """ "6–10 October 2025", "29 September–3 October 2025", "29 December 2025–2 January
    2026"; without the year when ``year`` is false (a year end needs it)."""
    tail = f" {last.year}" if year else ""
    if first.year != last.year:
        return f"{_long_date(first)}–{_long_date(last)}"
    if first.month == last.month:
        if first.day == last.day:
            return f"{first.day} {MONTHS[first.month - 1]}{tail}"
        return f"{first.day}–{last.day} {MONTHS[first.month - 1]}{tail}"
    return f"{first.day} {MONTHS[first.month - 1]}–{last.day} {MONTHS[last.month - 1]}{tail}"


def _marker(continued: bool, concluded: bool) -> str:
    if continued and concluded:
        return "(continued and concluded)"
    if continued:
        return "(continued)"
    if concluded:
        return "(concluded)"
    return ""


# ---------------------------------------------------------------- options and results


@attrs.frozen(kw_only=True)
class Options:
    """How to print: the layout and what a typesetter or a converter may vary."""

    layout: str = "second"
    font: str = "vera"
    #: Print start times only ("10 a.m."): a reader must assume the ends.  The fourth
    #: layout always does.
    start_only: bool = False
    #: Two back-to-back meetings of a day with the same agenda as one line: "10 a.m.–1 p.m.
    #: and 3–6 p.m." (second layout).
    join_same: bool = True
    #: Page breaks forced before these lines of the table (indices into table_lines()).
    breaks: frozenset[int] = frozenset()
    page_height: float = 792.0
    #: Days without meetings, with what the document says of them ("Diwali").
    holidays: tuple[tuple[dt.date, str], ...] = ()
    #: Mark page furniture as /Artifact marked content (as Word does).
    artifacts: bool = True
    job: str = "25-14596"
    #: The bar code of the job number under it on the first page ("*2514596*"), as UN
    #: documents print it (off by default: see test_readers_pdf's bar code test).
    barcode: bool = False
    #: The seed layout: sub-items on the line of their item's heading.
    inline_subs: bool = False
    #: The body's name wrapped over two lines of the masthead if it is long (else it is
    #: set smaller, on one line).
    wrap_body: bool = False
    #: Break a word longer than a line (a URL) after a hyphen or a slash, as Word does
    #: (else it runs past the margin).
    break_long_words: bool = False
    #: Let a page break fall inside a paragraph (else its lines are kept together, and
    #: only ``breaks`` split one).
    split_paragraphs: bool = False
    #: Where the days and times stand (points from the page's left edge), if not where the
    #: layout puts them.
    left: float | None = None
    #: The width of the agenda column (points from its left edge); narrower columns wrap
    #: more.
    right: float | None = None

    def __attrs_post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValueError(f"unknown layout {self.layout!r} (expected one of {LAYOUTS})")
        if self.font not in FONTS:
            raise ValueError(f"unknown font {self.font!r} (expected one of {FONTS})")

    @property
    def starts_only(self) -> bool:
        return self.start_only or self.layout == "fourth"


@attrs.frozen
class Printed:
    """One printed line of the table: its text, where it fell, and whose it is."""

    text: str
    page: int
    line: int  # the line on its page, counted by baseline from the top (furniture too)
    meeting: int | None  # the index of its meeting in programme.meetings
    role: str  # week, day, holiday, time, entry, deadline, followed, header
    first: bool  # the first line of its paragraph (else a wrapped line)


@attrs.frozen
class Rendering:
    pdf: bytes
    lines: tuple[Printed, ...]  # the table's lines, in order (repeated headers left out)
    pages: int
    footnotes: tuple[tuple[int, str], ...]  # (page, mark) of each footnote printed, in order


# ---------------------------------------------------------------- paragraphs and lines


@attrs.frozen
class Run:
    text: str
    bold: bool = False
    sup: bool = False


@attrs.frozen
class Para:
    """A paragraph of the flow: runs set from ``x`` on the first line and from ``hang`` on
    the others; a ``lead`` ("(a)", "1.", "–", a footnote's mark) stands at ``x`` and the
    first line's text then starts at ``tab`` (just after the lead when ``None``)."""

    runs: tuple[Run, ...]
    x: float
    hang: float
    right: float
    gap: bool = True
    lead: tuple[Run, ...] = ()
    tab: float | None = None  # where the first line's text starts after the lead
    left: tuple[Run, ...] = ()  # a date/time cell on the first line, at left_x
    left_x: float = 0.0
    left_gap: float = 45.0  # the least space between the cell and the text (a column's gap)
    size: float = SIZE
    leading: float = LEADING
    meeting: int | None = None
    role: str = "text"


@attrs.frozen
class Piece:
    x: float
    run: Run


@attrs.frozen
class Line:
    pieces: tuple[Piece, ...]
    size: float
    leading: float
    gap: bool
    meeting: int | None
    role: str
    first: bool = True  # the first line of its paragraph

    @property
    def marks(self) -> tuple[str, ...]:
        return tuple(p.run.text for p in self.pieces if p.run.sup)

    @property
    def text(self) -> str:
        out = ""
        for piece in self.pieces:
            if piece.run.sup:
                out += f"^{piece.run.text}"
            else:
                out += (" " if out else "") + piece.run.text
        return out


class _Measure:
    def __init__(self, family: str, break_long_words: bool = False) -> None:
        self.regular, self.bold = _fonts(family)
        self.break_long_words = break_long_words

    def font(self, run: Run) -> str:
        return self.bold if run.bold else self.regular

    def width(self, run: Run, size: float) -> float:
        return pdfmetrics.stringWidth(run.text, self.font(run), SUP_SIZE if run.sup else size)


def _words(runs: Sequence[Run]) -> list[list[Run]]:
    """Runs cut into words; a superscript sticks to the word before it."""
    words: list[list[Run]] = []
    glued = False
    for run in runs:
        if run.sup:
            if words:
                words[-1].append(run)
            else:
                words.append([run])
            glued = True
            continue
        text = run.text
        parts = text.split(" ")
        for index, part in enumerate(parts):
            if not part:
                glued = False
                continue
            if index == 0 and glued and words and not text.startswith(" "):
                words[-1].append(Run(part, run.bold))
            else:
                words.append([Run(part, run.bold)])
            glued = False
        glued = not text.endswith(" ")
    return words


def _wrap(para: Para, measure: _Measure) -> list[Line]:
    size = para.size
    space = pdfmetrics.stringWidth(" ", measure.regular, size)
    lines: list[list[Piece]] = []
    current: list[Piece] = []
    for run in para.left:
        current.append(Piece(para.left_x, run))
        if measure.width(run, size) + para.left_x > min(para.x, para.hang) - para.left_gap:
            raise ValueError(f"the date/time cell {run.text!r} does not fit its column")
    cursor = para.x
    for run in para.lead:
        current.append(Piece(cursor, run))
        cursor += measure.width(run, size)
    # after a lead, the text starts at its tab (or just after it)
    cursor = (para.tab if para.tab is not None else cursor + 3.0) if para.lead else para.x
    first_on_line = True
    words: list[list[Run]] = []
    for word in _words(para.runs):
        # a word longer than a line (a URL) breaks after a hyphen or a slash, as Word does
        while (
            measure.break_long_words
            and len(word) == 1
            and measure.width(word[0], size) > para.right - para.hang
            and any(c in word[0].text[:-1] for c in "-/")
        ):
            text = word[0].text
            cuts = [i + 1 for i, c in enumerate(text[:-1]) if c in "-/"]
            fitting = [
                i
                for i in cuts
                if measure.width(Run(text[:i], word[0].bold), size) <= para.right - para.hang
            ]
            cut = fitting[-1] if fitting else cuts[0]
            words.append([Run(text[:cut], word[0].bold)])
            word = [Run(text[cut:], word[0].bold)]
        words.append(word)
    for word in words:
        width = sum(measure.width(r, size) for r in word)
        step = 0.0 if first_on_line else space
        if not first_on_line and cursor + step + width > para.right:
            lines.append(current)
            current = []
            cursor = para.hang
            step = 0.0
        cursor += step
        for run in word:
            current.append(Piece(cursor, run))
            cursor += measure.width(run, size)
        first_on_line = False
    if current:
        lines.append(current)
    return [
        Line(
            tuple(pieces),
            size,
            para.leading,
            para.gap and index == 0,
            para.meeting,
            para.role,
            index == 0,
        )
        for index, pieces in enumerate(lines)
    ]


# ---------------------------------------------------------------- the layouts


@attrs.frozen
class _Geometry:
    left: float  # days, weeks, times (second) / the date/time column (tables)
    agenda: float  # entries
    sub: float  # sub-items
    hang: float  # the text of sub-items, and wrapped lines of items
    right: float
    columns: tuple[str, str] | None  # table headers, for the two-column layouts


def _geometry(options: Options) -> _Geometry:
    if options.layout == "second":
        # A/C.2/80/L.1: days and times at the text's margin, entries and sub-items a tab in
        g = _Geometry(123.4, 147.1, 170.9, 194.7, 488.0, None)
    elif options.layout == "fourth":
        g = _Geometry(60.0, 222.0, 240.0, 264.0, 552.0, ("Date/time", "Programme"))
    else:
        g = _Geometry(60.0, 220.0, 220.0, 244.0, 560.0, ("Date/time", "Agenda item/programme"))
    if options.right is not None:
        g = attrs.evolve(g, right=g.agenda + options.right)
    if options.left is not None:
        g = attrs.evolve(g, left=options.left)
    return g


def _sup(marks: Iterable[str]) -> tuple[Run, ...]:
    return tuple(Run(mark, sup=True) for mark in marks)


class _Table:
    """The table's paragraphs for one programme in one layout."""

    def __init__(self, programme: Programme, options: Options) -> None:
        self.programme = programme
        self.options = options
        self.g = _geometry(options)
        self.paras: list[Para] = []
        self.items_before: set[int] = set()

    # ------------------------------------------------------------ helpers

    def para(self, runs: Sequence[Run], x: float, **kw: object) -> None:
        kw.setdefault("hang", x)
        kw.setdefault("right", self.g.right)
        self.paras.append(Para(tuple(runs), x, **kw))  # type: ignore[arg-type]

    def cell(self, runs: Sequence[Run], meeting: int | None, role: str, **kw: object) -> None:
        """A line of the programme column, or the date/time column of a table."""
        self.para(runs, self.g.agenda, meeting=meeting, role=role, **kw)

    def heading(self, text: str, role: str, meeting: int | None = None) -> None:
        self.para([Run(text, bold=True)], self.g.left, meeting=meeting, role=role)

    # ------------------------------------------------------------ the table

    def build(self) -> list[Para]:
        programme, options = self.programme, self.options
        days: dict[dt.date, list[tuple[int, Meeting]]] = {}
        for number, meeting in enumerate(programme.meetings):
            days.setdefault(meeting.date, []).append((number, meeting))
        holidays = dict(options.holidays)
        for day in holidays:
            if day in days:
                raise ValueError(f"{day} has meetings: it cannot be a holiday")
        week: tuple[int, int] | None = None
        for index, day in enumerate(sorted({*days, *holidays})):
            first = index == 0
            this_week = day.isocalendar()[:2]
            # the second layout heads each week but the first (its first day prints the
            # year); the fourth each week; the seed none
            if this_week != week and not first and options.layout != "seed":
                monday = day - dt.timedelta(days=day.weekday())
                friday = monday + dt.timedelta(days=4)
                year = options.layout == "second" or monday.year != friday.year
                self.heading(f"Week of {_date_range(monday, friday, year)}", "week")
            elif first and options.layout == "fourth":
                monday = day - dt.timedelta(days=day.weekday())
                friday = monday + dt.timedelta(days=4)
                self.heading(f"Week of {_date_range(monday, friday, False)}", "week")
            week = this_week
            if day in holidays:
                self.holiday(day, holidays[day], first)
            else:
                self.day(day, days[day], first)
        return self.paras

    def day_text(self, day: dt.date, first: bool) -> str:
        # the second layout prints the year on the first day (its week headings carry it);
        # the tables print no year (the fourth's comes from the issue date, the seed's from
        # the session's dates)
        return day_heading(day, year=self.options.layout == "second" and first)

    def holiday(self, day: dt.date, name: str, first: bool) -> None:
        if self.options.layout == "second":
            self.heading(f"{self.day_text(day, first)} ({name})", "holiday")
            self.para([Run("No meetings scheduled")], self.g.left, role="holiday")
        else:
            self.para(
                [Run(name)],
                self.g.agenda,
                left=(Run(self.day_text(day, first), bold=True),),
                left_x=self.g.left,
                left_gap=4.0,  # a day heading with words after it reads the same, apart or not
                role="holiday",
            )

    def day(self, day: dt.date, meetings: list[tuple[int, Meeting]], first: bool) -> None:
        self.heading(self.day_text(day, first), "day")
        slots: list[list[tuple[int, Meeting]]] = []
        for number, meeting in meetings:
            if slots and self.joins([m for _, m in slots[-1]], meeting):
                slots[-1].append((number, meeting))
            else:
                slots.append([(number, meeting)])
        for slot in slots:
            self.slot(slot[0][0], [m for _, m in slot])
            for _, meeting in slot:
                self.items_before |= {e.item for e in meeting.agenda if e.item is not None}

    def joins(self, slot: list[Meeting], meeting: Meeting) -> bool:
        last = slot[-1]
        return (
            self.options.join_same
            and self.options.layout == "second"
            and len(slot) == 1
            and last.kind is Kind.MEETING is meeting.kind
            and last.timed
            and meeting.timed
            and (last.entries, last.formal, last.room, last.followed_by)
            == (meeting.entries, meeting.formal, meeting.room, meeting.followed_by)
        )

    def slot(self, number: int, slot: list[Meeting]) -> None:
        meeting = slot[0]
        if meeting.kind is Kind.DEADLINE:
            self.deadline(meeting, number)
            return
        times = " and ".join(
            time_text(m.start, None if self.options.starts_only else m.end)
            for m in slot
            if m.start is not None
        )
        after = []
        # an informal segment heading the agenda says it already
        informal = not meeting.formal and not (
            meeting.entries and "informal" in meeting.entries[0].label.lower()
        )
        if informal:
            after.append("(informal meeting)")
        if meeting.room:
            after.append(f"({meeting.room})")
        when = " ".join([times, *after]) if times else ""
        if not when and after:
            raise ValueError(f"the {meeting.describe()} has no time to print {after} after")
        paras = self.entries(meeting.entries, number)
        if self.options.layout == "second":
            if when:  # on one line, however long (a time line does not wrap)
                self.para([Run(when)], self.g.left, meeting=number, role="time", right=580.0)
            self.paras += paras
        else:
            if when:
                if not paras:
                    raise ValueError(f"the {meeting.describe()} has nothing to print")
                paras[0] = attrs.evolve(
                    paras[0],
                    left=(Run(when),),
                    left_x=self.g.left,
                    left_gap=45.0 if after else 20.0,
                    gap=True,
                    role="time",
                )
            self.paras += paras
        if meeting.followed_by is not None:
            self.followed(meeting.followed_by, number)

    def followed(self, follow: FollowedBy, number: int) -> None:
        text = "Followed by:" + ("" if follow.formal else " (informal meeting)")
        x = self.g.left if self.options.layout == "second" else self.g.agenda
        self.para([Run(text)], x, meeting=number, role="followed")
        self.paras += self.entries(follow.entries, number)

    def deadline(self, meeting: Meeting, number: int) -> None:
        assert meeting.start is not None
        when = time_text(meeting.start, None)
        labels: list[tuple[Run, ...]] = []
        for entry in meeting.entries:
            if entry.segment is None or entry.item is not None or entry.speakers:
                raise ValueError(f"a deadline prints labels only: {entry}")
            labels.append((Run(entry.label), *_sup(entry.footnotes)))
        if self.options.layout == "second":
            first, *rest = labels
            self.para([Run(f"{when}:"), *first], self.g.left, meeting=number, role="deadline")
            for runs in rest:
                self.cell(runs, number, "deadline")
        else:
            for index, runs in enumerate(labels):
                left = (Run(when),) if index == 0 else ()
                self.cell(runs, number, "deadline", left=left, left_x=self.g.left)

    # ------------------------------------------------------------ a slot's agenda

    def entries(self, entries: Sequence[AgendaEntry], number: int) -> list[Para]:
        layout, g = self.options.layout, self.g
        paras: list[Para] = []

        def add(runs: Sequence[Run], x: float, hang: float, **kw: object) -> None:
            paras.append(
                Para(tuple(runs), x, hang, g.right, meeting=number, role="entry", **kw)  # type: ignore[arg-type]
            )

        previous: AgendaEntry | None = None
        for entry in entries:
            sub = entry.sub_item
            if entry.segment is not None:
                if entry.item is not None and sub is None:
                    raise ValueError(f"an item and a segment without a sub-item: {entry}")
                marks = entry.footnotes if sub is None else ()
                bold = layout == "seed"
                add([Run(entry.label, bold), *_sup(marks)], g.agenda, g.agenda)
                for speaker in entry.speakers:
                    add(
                        [Run(speaker)],
                        g.agenda + 12,
                        g.agenda + 24,
                        lead=(Run("–"),),
                        tab=g.agenda + 24,
                    )
                if sub is not None:
                    if entry.continued != (entry.item in self.items_before):
                        raise ValueError(f"the segment's item marks cannot be printed: {entry}")
                    paras.append(self.sub(entry, number, entry.footnotes))
                previous = None
                continue
            assert entry.item is not None
            grouped = (
                previous is not None
                and sub is not None
                and previous.sub_item is not None
                and previous.item == entry.item
                and previous.title == entry.title
                and entry.continued == (entry.item in self.items_before)
                and not entry.concluded
                and not (layout == "seed" and self.options.inline_subs)
            )
            if grouped:
                paras.append(self.sub(entry, number, entry.footnotes))
                previous = entry
                continue
            if not entry.title:
                raise ValueError(f"an item without its title: {entry}")
            marker = _marker(entry.continued, entry.concluded)
            heading_marks = _sup(entry.footnotes)
            if layout == "second":
                tail = f" {marker}" if marker else (":" if sub is not None else "")
                runs = [Run(f"Item {entry.item}: {entry.title}", True), *heading_marks]
                if tail:
                    runs.append(Run(tail, True))
                add(runs, g.agenda, g.hang)
            elif layout == "fourth":
                runs = [Run(entry.title, True), *heading_marks, Run(f" (item {entry.item})", True)]
                if marker:
                    runs.append(Run(f" {marker}", True))
                add(runs, g.agenda, g.agenda)
            else:
                runs = [Run(f"Agenda item {entry.item}: {entry.title}", True), *heading_marks]
                if marker:
                    runs.append(Run(f" {marker}", True))
                if sub is not None and self.options.inline_subs:
                    runs += [Run(" "), *self.sub_runs(entry, ())]
                    add(runs, g.agenda, g.agenda)
                    previous = entry
                    continue
                add(runs, g.agenda, g.agenda)
            if sub is not None:
                paras.append(self.sub(entry, number, ()))
            previous = entry
        return paras

    def sub_runs(self, entry: AgendaEntry, marks: Sequence[str]) -> list[Run]:
        sub = entry.sub_item
        assert sub is not None
        marker = _marker(sub.continued, sub.concluded)
        bold = self.options.layout == "second"
        runs = [Run(f"({sub.letter})", bold)]
        if sub.text:
            runs.append(Run(f" {sub.text}", bold))
        runs += _sup(marks)
        if marker:
            runs.append(Run(f" {marker}", bold))
        return runs

    def sub(self, entry: AgendaEntry, number: int, marks: Sequence[str]) -> Para:
        g = self.g
        runs = self.sub_runs(entry, marks)
        if self.options.layout == "seed":
            # the seed's sub-items stand in the item's column, wrapped lines flush under them
            return Para(tuple(runs), g.agenda, g.agenda, g.right, meeting=number, role="entry")
        return Para(
            tuple(runs[1:]),
            g.sub,
            g.hang,
            g.right,
            lead=(runs[0],),
            tab=g.hang,
            meeting=number,
            role="entry",
        )


def table_lines(programme: Programme, options: Options) -> list[Line]:
    """The table's printed lines, before they are put on pages (``breaks`` index these)."""
    measure = _Measure(options.font, options.break_long_words)
    lines: list[Line] = []
    for para in _Table(programme, options).build():
        lines += _wrap(para, measure)
    return lines


# ---------------------------------------------------------------- the masthead and notes


def _masthead(programme: Programme, options: Options) -> list[Para]:
    """What stands between the letterhead and the table: body, session, title, notes."""
    x, text_x, right = 72.0, 123.4, 500.0
    paras: list[Para] = []

    def line(text: str, at: float, bold: bool = True, size: float = SIZE, gap: bool = True) -> None:
        paras.append(
            Para((Run(text, bold),), at, at, right + 40, gap=gap, size=size, leading=size + 4)
        )

    name = programme.body.name
    body_lines = [name]
    if name.endswith(")") and " (" in name:
        head, _, alias = name.rpartition(" (")
        body_lines = [head, f"({alias}"]  # "Special Political … Committee" / "(Fourth Committee)"
    if options.layout == "seed":
        for index, text in enumerate(body_lines):
            paras += _body_line(text, x, right, options, gap=index == 0)
        line(programme.session, x, gap=False)
        dates = _date_range(programme.first_day, programme.last_day)
        line(f"{programme.place}, {dates}", x, bold=False, gap=False)
        line("Provisional programme of work", text_x, size=12)
        line("Note by the Secretariat", text_x)
    else:
        line(programme.session, x)
        for text in body_lines:
            paras += _body_line(text, x, right, options, gap=False)
        line("Organization of work", text_x, size=12)
        chair = "Note by the Secretariat" if options.layout == "second" else "Note by the Chair"
        line(chair, text_x)
    for number, note in enumerate(programme.notes, 1):
        # "1.    The agenda items …": the text after the number's tab, wrapped lines flush left
        paras.append(
            Para(
                (Run(note),),
                text_x,
                text_x,
                right,
                lead=(Run(f"{number}."),),
                tab=text_x + 28,
            )
        )
    return paras


def _body_line(text: str, x: float, right: float, options: Options, gap: bool) -> list[Para]:
    """The body's name in bold: on one line, set smaller if it is long, or wrapped."""
    measure = _Measure(options.font, options.break_long_words)
    size = SIZE
    if not options.wrap_body:
        while size > 6 and pdfmetrics.stringWidth(text, measure.bold, size) > right + 60 - x:
            size -= 0.5
    return [Para((Run(text, True),), x, x, right + 60, gap=gap, size=size, leading=size + 4)]


# ---------------------------------------------------------------- pages


@attrs.frozen
class _Placed:
    y: float
    line: Line
    table: int | None  # index in the table's lines
    furniture: bool = False


class _Pages:
    def __init__(self, programme: Programme, options: Options) -> None:
        self.programme = programme
        self.options = options
        self.measure = _Measure(options.font, options.break_long_words)
        self.height = options.page_height
        self.pages: list[list[_Placed]] = []
        self.notes: list[list[Line]] = []  # footnote lines at the bottom of each page
        self.marks_done: set[str] = set()
        self.g = _geometry(options)

    # ------------------------------------------------------------ furniture

    def footnote_lines(self, marks: Sequence[str]) -> list[Line]:
        lines: list[Line] = []
        for note in self.programme.footnotes:
            if note.mark in marks:
                para = Para(
                    (Run(note.text),),
                    84.0,
                    96.0,
                    500.0,
                    lead=_sup([note.mark]),
                    size=NOTE_SIZE,
                    leading=NOTE_LEADING,
                )
                lines += _wrap(para, self.measure)
        return lines

    def notes_height(self, marks: Sequence[str]) -> float:
        if not marks:
            return 0.0
        return 24.0 + NOTE_LEADING * len(self.footnote_lines(marks))

    # ------------------------------------------------------------ flow

    def new_page(self, table: bool) -> None:
        self.pages.append([])
        self.notes.append([])
        self.page_marks: list[str] = []
        self.cursor: float | None = None
        if table and self.g.columns is not None:
            left, right = self.g.columns
            row = Line(
                (Piece(self.g.left, Run(left)), Piece(self.g.agenda, Run(right))),
                SIZE,
                LEADING,
                False,
                None,
                "header",
            )
            self.put(row, None)

    def advance(self, line: Line) -> float:
        """How far below the line before ``line`` stands: a paragraph's space more than a
        wrapped line's, and under the table's header row always the same (a table's row
        starts where it starts, whatever it holds)."""
        placed = self.pages[-1]
        if placed and placed[-1].line.role == "header":
            return LEADING + PARAGRAPH
        return line.leading + (PARAGRAPH if line.gap else 0.0)

    def put(self, line: Line, table: int | None) -> None:
        if self.cursor is None:
            y = self.height - TOP_MARGIN - 36
        else:
            y = self.cursor - self.advance(line)
        self.pages[-1].append(_Placed(y, line, table))
        self.cursor = y

    def fits(self, line: Line) -> bool:
        if self.cursor is None:
            return True
        y = self.cursor - self.advance(line)
        fresh = [m for m in line.marks if m not in self.marks_done and m not in self.page_marks]
        return y >= BOTTOM + self.notes_height([*self.page_marks, *fresh])

    def flow(self, lines: Sequence[Line], table: bool, breaks: frozenset[int]) -> None:
        index = 0
        while index < len(lines):
            line = lines[index]
            content = [p for p in self.pages[-1] if p.line.role != "header"]
            forced = table and index in breaks
            if content and (forced or not self.fits(line)):
                if not forced and not line.first and not self.options.split_paragraphs:
                    # keep a paragraph's lines together: it starts on the next page
                    held = 0
                    while held < len(content) and not content[-1 - held].line.first:
                        held += 1
                    if held + 1 < len(content):
                        del self.pages[-1][-(held + 1) :]
                        index -= held + 1
                        self.page_marks = list(
                            dict.fromkeys(
                                m
                                for p in self.pages[-1]
                                for m in p.line.marks
                                if m not in self.marks_done
                            )
                        )
                self.close_page()
                self.new_page(table)
            self.put(lines[index], index if table else None)
            for mark in lines[index].marks:
                if mark not in self.marks_done and mark not in self.page_marks:
                    self.page_marks.append(mark)
            index += 1

    def close_page(self) -> None:
        self.notes[-1] = self.footnote_lines(self.page_marks)
        self.marks_done.update(self.page_marks)
        self.page_marks = []

    # ------------------------------------------------------------ drawing

    def draw(self) -> bytes:
        buffer = io.BytesIO()
        pdf = canvas.Canvas(
            buffer, pagesize=(PAGE_WIDTH, self.height), pageCompression=0, invariant=1
        )
        pdf.setTitle("Programme of work")
        total = len(self.pages)
        for number, placed in enumerate(self.pages, 1):
            self.draw_furniture(pdf, number, total)
            for item in placed:
                self.draw_line(pdf, item.line, item.y)
            notes = self.notes[number - 1]
            if notes:
                # a rule of underscores, then the footnotes down to the bottom line
                y = BOTTOM + NOTE_LEADING * (len(notes) - 1)
                rule = Line((Piece(72.0, Run("_" * 18)),), SIZE, 0.0, False, None, "rule")
                self.draw_line(pdf, rule, y + 14)
                for note in notes:
                    self.draw_line(pdf, note, y)
                    y -= NOTE_LEADING
            pdf.showPage()
        pdf.save()
        return buffer.getvalue()

    def draw_line(self, pdf: canvas.Canvas, line: Line, y: float) -> None:
        for piece in line.pieces:
            run = piece.run
            size = SUP_SIZE if run.sup else line.size
            pdf.setFont(self.measure.font(run), size)
            pdf.drawString(piece.x, y + (SUP_RISE if run.sup else 0.0), run.text)

    def artifact(
        self, pdf: canvas.Canvas, x: float, y: float, text: str, font: str, size: float
    ) -> None:
        if self.options.artifacts:
            pdf._code.append("/Artifact BMC")
        pdf.setFont(font, size)
        pdf.drawString(x, y, text)
        if self.options.artifacts:
            pdf._code.append("EMC")

    def draw_furniture(self, pdf: canvas.Canvas, number: int, total: int) -> None:
        regular, bold = self.measure.regular, self.measure.bold
        top = self.height - TOP_MARGIN
        symbol = self.programme.symbol
        right = PAGE_WIDTH - 60
        if number == 1:
            self.artifact(pdf, 72, top, "United Nations", regular, SIZE)
            if symbol:
                width = pdfmetrics.stringWidth(symbol, bold, 12)
                self.artifact(pdf, right - width, top, symbol, bold, 12)
            self.artifact(pdf, 72, top - 18, "General Assembly", bold, 14)
            distr = "Distr.: General" if self.options.layout == "seed" else "Distr.: Limited"
            self.artifact(pdf, 400, top - 18, distr, regular, SIZE)
            self.artifact(pdf, 400, top - 30, _long_date(self.programme.issued), regular, SIZE)
            self.artifact(pdf, 400, top - 46, "Original: English", regular, SIZE)
            self.artifact(pdf, 72, FOOTER, f"{self.options.job} (E)", regular, 8)
            if self.options.barcode:
                code = f"*{self.options.job.replace('-', '')}*"
                self.artifact(pdf, 72, FOOTER - 12, code, bold, 8)
            return
        if symbol:
            width = pdfmetrics.stringWidth(symbol, bold, SIZE)
            self.artifact(pdf, 60 if number % 2 == 0 else right - width, top, symbol, bold, SIZE)
        folio = f"{number}/{total}"
        job = self.options.job
        if number % 2 == 0:
            self.artifact(pdf, 60, FOOTER, folio, bold, 8)
            width = pdfmetrics.stringWidth(job, regular, 8)
            self.artifact(pdf, right - width, FOOTER, job, regular, 8)
        else:
            self.artifact(pdf, 60, FOOTER, job, regular, 8)
            width = pdfmetrics.stringWidth(folio, bold, 8)
            self.artifact(pdf, right - width, FOOTER, folio, bold, 8)


def render_pdf(programme: Programme, options: Options | None = None) -> Rendering:
    """The programme printed as a PDF in ``options.layout``; see the module documentation."""
    options = options or Options()
    pages = _Pages(programme, options)
    measure = pages.measure
    masthead = [line for para in _masthead(programme, options) for line in _wrap(para, measure)]
    # the masthead starts below the letterhead of the first page
    pages.new_page(table=False)
    pages.cursor = options.page_height - TOP_MARGIN - 70
    pages.flow(masthead, table=False, breaks=frozenset())
    pages.close_page()
    pages.new_page(table=False)
    if options.layout != "fourth":
        annex = [
            Para((Run("Annex", True),), 60.0, 60.0, 500.0, gap=False),
            Para(
                (
                    Run(
                        "Draft programme of work"
                        if options.layout == "second"
                        else "Provisional programme of work",
                        True,
                    ),
                ),
                120.0,
                120.0,
                540.0,
                size=12,
                leading=14,
            ),
        ]
        pages.flow([line for p in annex for line in _wrap(p, measure)], False, frozenset())
        if pages.g.columns is not None:
            left, right = pages.g.columns
            pages.put(
                Line(
                    (Piece(pages.g.left, Run(left)), Piece(pages.g.agenda, Run(right))),
                    SIZE,
                    LEADING,
                    True,
                    None,
                    "header",
                ),
                None,
            )
    else:
        pages.pages.pop()
        pages.notes.pop()
        pages.new_page(table=True)
    lines = table_lines(programme, options)
    pages.flow(lines, table=True, breaks=options.breaks)
    unmarked = [f.mark for f in programme.footnotes if f.mark not in pages.marks_done]
    pages.page_marks += [m for m in unmarked if m not in pages.page_marks]
    pages.close_page()
    pdf = pages.draw()
    notes = tuple(
        (number, line.marks[0])
        for number, lines in enumerate(pages.notes, 1)
        for line in lines
        if line.marks
    )
    return Rendering(pdf, tuple(_printed(pages)), len(pages.pages), notes)


def _printed(pages: _Pages) -> list[Printed]:
    """Where each table line fell: its page, and its line on the page as a reader counts
    lines (by baseline from the top, the page's furniture included)."""
    found: list[Printed] = []
    height = pages.height
    for number, placed in enumerate(pages.pages, 1):
        baselines = {round(p.y, 1) for p in placed}
        top = height - TOP_MARGIN
        baselines.add(round(top, 1))  # the header (the symbol, or the letterhead)
        if number == 1:
            baselines |= {round(top - 18, 1), round(top - 30, 1), round(top - 46, 1)}
        order = sorted(baselines, reverse=True)
        if not pages.programme.symbol and number > 1:
            order.remove(round(top, 1))
        for item in placed:
            if item.table is None:
                continue
            found.append(
                Printed(
                    item.line.text,
                    number,
                    order.index(round(item.y, 1)) + 1,
                    item.line.meeting,
                    item.line.role,
                    item.line.first,
                )
            )
    return found
