"""Programmes of any size printed as born-digital PDFs, for the benchmarks (reportlab).

A minimal printer, not a test renderer: it lays out a :class:`~oewg_cal.model.Programme`
(the synthetic ones of ``synthetic.py``) in the General Assembly Second Committee's layout
(A/C.2/80/L.1) and draws every word at an explicit position, so that a PDF of 10 or
10,000 meetings is what PDFium meets in a real document:

* page furniture marked as ``/Artifact`` (as Word marks it): the letterhead, distribution,
  issue date and job number on the first page, the job number and "n/N" on every other;
* the masthead: body and session in bold, "New York, 6 March–20 April 2023", the title;
* "Week of …" headings (from the second week), day headings (the year on the first);
* each time on a line of its own at the left ("10 a.m.–1 p.m."), the agenda indented under
  it ("Item 5: …" in bold, wrapped lines hanging), sub-items "(a)" indented further with
  their text at a tab, speakers as "– …" lines, "(continued)" after the heading;
* footnote marks as smaller raised words, the footnotes under a rule at the foot of the
  page where their mark first stands; a paragraph's space larger than a wrapped line's.

The geometry is the Second Committee's (times and days at 123.4 pt, items at 147.1,
sub-items at 170.9, their text and wrapped lines at 194.7) and the face its Times, as the
PDF base 14 font (not embedded: small files); ``font="Helvetica"`` prints in Helvetica.
``extra`` adds lines to the first meeting's agenda, for the pathological inputs
(``pathological.py``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from oewg_cal.model import AgendaEntry, Meeting, Programme

__all__ = ["render_pdf"]

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

WIDTH, HEIGHT = 612.0, 792.0  # US letter, as documents issued in New York
FONTS = {"Times": ("Times-Roman", "Times-Bold"), "Helvetica": ("Helvetica", "Helvetica-Bold")}
SIZE, LEADING, PARAGRAPH = 10.0, 12.0, 7.0  # a paragraph's space: 19 pt > 1.6 × 10 pt
SUP_SIZE, SUP_RISE = 6.5, 3.5
NOTE_SIZE, NOTE_LEADING = 9.0, 11.0
TOP, BOTTOM, FOOTER = 692.0, 96.0, 48.0
LEFT, AGENDA, SUB, HANG, RIGHT = 123.4, 147.1, 170.9, 194.7, 488.0
JOB = "23-04321"

#: A word of a line: (text, bold, superscript).
Word = tuple[str, bool, bool]


def _day(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _clock(t: dt.time, meridiem: bool = True) -> str:
    if t == dt.time(12):
        return "noon"
    text = f"{t.hour % 12 or 12}" + (f".{t.minute:02d}" if t.minute else "")
    return text + ((" a.m." if t.hour < 12 else " p.m.") if meridiem else "")


def _times(start: dt.time, end: dt.time) -> str:
    if start.hour >= 12 and end.hour >= 12 and dt.time(12) not in (start, end):
        return f"{_clock(start, False)}–{_clock(end)}"
    return f"{_clock(start)}–{_clock(end)}"


def _range(first: dt.date, last: dt.date) -> str:
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {MONTHS[first.month - 1]} {first.year}"
    if first.year == last.year:
        return f"{first.day} {MONTHS[first.month - 1]}–{_day(last)}"
    return f"{_day(first)}–{_day(last)}"


def _words(text: str, bold: bool = False, marks: Sequence[str] = ()) -> list[Word]:
    words: list[Word] = [(w, bold, False) for w in text.split()]
    return words + [(m, bold, True) for m in marks]


class _Printer:
    """Paragraphs wrapped into lines, put on pages, drawn with their furniture."""

    def __init__(self, programme: Programme, font: str) -> None:
        self.programme = programme
        self.regular, self.bold = FONTS[font]
        self.pages: list[list[tuple[float, float, list[Word], float]]] = [[]]
        self.notes: list[list[str]] = [[]]  # footnote marks at the foot of each page
        self.noted: set[str] = set()
        self.y = TOP - 70  # the masthead starts below the letterhead

    def width(self, word: Word, size: float) -> float:
        return stringWidth(
            word[0], self.bold if word[1] else self.regular, SUP_SIZE if word[2] else size
        )

    def paragraph(
        self,
        words: list[Word],
        x: float,
        hang: float,
        lead: str = "",
        size: float = SIZE,
        right: float = RIGHT,
    ) -> None:
        """A paragraph from ``x`` (after ``lead`` standing at ``x``, from ``hang``), its
        wrapped lines from ``hang``; a paragraph's space before it."""
        space = stringWidth(" ", self.regular, size)
        lines: list[list[tuple[float, Word]]] = []
        current: list[tuple[float, Word]] = []
        cursor = x
        if lead:
            current.append((x, (lead, words[0][1] if words else False, False)))
            cursor = hang
        for word in words:
            width = self.width(word, size)
            step = 0.0 if not current or word[2] or cursor == hang else space
            if current and not word[2] and cursor + step + width > right:
                lines.append(current)
                current, cursor, step = [], hang, 0.0
            current.append((cursor + step, word))
            cursor += step + width
        lines.append(current)
        for index, line in enumerate(lines):
            self.line(line, LEADING + (PARAGRAPH if index == 0 else 0.0), size)

    def line(self, placed: list[tuple[float, Word]], advance: float, size: float) -> None:
        marks = [w[0] for _, w in placed if w[2] and w[0] not in self.noted]
        notes = [*self.notes[-1], *marks]
        reserve = (24.0 + NOTE_LEADING * 4 * len(notes)) if notes else 0.0
        if self.y - advance < BOTTOM + reserve:
            self.pages.append([])
            self.notes.append([])
            self.y, advance = TOP - 24, 0.0
        self.y -= advance
        for x, word in placed:
            self.pages[-1].append((x, self.y, [word], size))
        for mark in marks:
            self.noted.add(mark)
            self.notes[-1].append(mark)

    # ------------------------------------------------------------ the document

    def masthead(self) -> None:
        p = self.programme
        size = SIZE  # the body's name on one line, set smaller if it is long
        while stringWidth(p.body.name, self.bold, size) > WIDTH - 72 - 60:
            size -= 0.5
        self.paragraph(_words(p.body.name, bold=True), 72, 72, size=size, right=WIDTH - 60)
        self.paragraph(_words(p.session, bold=True), 72, 72)
        self.paragraph(_words(f"{p.place}, {_range(p.first_day, p.last_day)}"), 72, 72)
        self.paragraph(_words("Provisional programme of work", bold=True), 120, 120)
        self.paragraph(_words("Note by the Secretariat", bold=True), 120, 120)
        for number, note in enumerate(p.notes, 1):
            self.paragraph(_words(note), 120, 150, lead=f"{number}.")
        self.paragraph(_words("Annex", bold=True), 60, 60)
        self.paragraph(_words("Draft programme of work", bold=True), 120, 120)

    def table(self, extra: Sequence[str]) -> None:
        days: dict[dt.date, list[Meeting]] = {}
        for meeting in self.programme.meetings:
            days.setdefault(meeting.date, []).append(meeting)
        week = None
        for index, (day, meetings) in enumerate(days.items()):
            if day.isocalendar()[:2] != week and index:
                monday = day - dt.timedelta(days=day.weekday())
                friday = monday + dt.timedelta(days=4)
                self.paragraph(_words(f"Week of {_range(monday, friday)}", bold=True), LEFT, LEFT)
            week = day.isocalendar()[:2]
            heading = f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]}"
            self.paragraph(
                _words(heading + (f" {day.year}" if not index else ""), True), LEFT, LEFT
            )
            for meeting in meetings:
                assert meeting.start is not None and meeting.end is not None
                self.paragraph(_words(_times(meeting.start, meeting.end)), LEFT, LEFT)
                if meeting is self.programme.meetings[0]:
                    for text in extra:
                        self.paragraph(_words(text), AGENDA, AGENDA)
                for entry in meeting.entries:
                    self.entry(entry)

    def entry(self, entry: AgendaEntry) -> None:
        if entry.segment is not None:
            self.paragraph(_words(entry.label, marks=entry.footnotes), AGENDA, AGENDA)
            for speaker in entry.speakers:
                self.paragraph(_words(speaker), AGENDA + 12, AGENDA + 24, lead="–")
            if entry.item is None:
                return
        else:
            assert entry.item is not None
            heading = _words(f"Item {entry.item}: {entry.title}", True, entry.footnotes)
            if entry.continued:
                heading += _words("(continued)", bold=True)
            elif entry.sub_item is not None and entry.footnotes:
                heading.append((":", True, False))  # "resolution 75/240¹:"
            elif entry.sub_item is not None:
                heading[-1] = (heading[-1][0] + ":", True, False)
            self.paragraph(heading, AGENDA, HANG)
        sub = entry.sub_item
        if sub is not None:
            text = _words(sub.text) + (_words("(continued)") if sub.continued else [])
            self.paragraph(text, SUB, HANG, lead=f"({sub.letter})")

    # ------------------------------------------------------------ drawing

    def draw(self) -> bytes:
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=(WIDTH, HEIGHT), pageCompression=1, invariant=1)
        total = len(self.pages)
        footnotes = {f.mark: f.text for f in self.programme.footnotes}
        for number, (words, marks) in enumerate(zip(self.pages, self.notes, strict=True), 1):
            self.furniture(pdf, number, total)
            for x, y, ((text, bold, sup),), size in words:
                pdf.setFont(self.bold if bold else self.regular, SUP_SIZE if sup else size)
                pdf.drawString(x, y + (SUP_RISE if sup else 0.0), text)
            if marks:
                lines: list[list[tuple[float, Word]]] = []
                for mark in marks:
                    cursor, current = 96.0, [(84.0, (mark, False, True))]
                    for word in _words(footnotes[mark]):
                        width = self.width(word, NOTE_SIZE)
                        if cursor + width > RIGHT:
                            lines.append(current)
                            cursor, current = 96.0, []
                        current.append((cursor, word))
                        cursor += width + stringWidth(" ", self.regular, NOTE_SIZE)
                    lines.append(current)
                y = BOTTOM + NOTE_LEADING * (len(lines) - 1)
                pdf.setFont(self.regular, SIZE)
                pdf.drawString(72, y + 14, "_" * 18)
                for line in lines:
                    for x, (text, _bold, sup) in line:
                        pdf.setFont(self.regular, SUP_SIZE if sup else NOTE_SIZE)
                        pdf.drawString(x, y + (SUP_RISE if sup else 0.0), text)
                    y -= NOTE_LEADING
            pdf.showPage()
        pdf.save()
        return buffer.getvalue()

    def furniture(self, pdf: canvas.Canvas, number: int, total: int) -> None:
        def artifact(x: float, y: float, text: str, font: str, size: float) -> None:
            pdf._code.append("/Artifact BMC")
            pdf.setFont(font, size)
            pdf.drawString(x, y, text)
            pdf._code.append("EMC")

        top = HEIGHT - 64
        if number == 1:
            artifact(72, top, "United Nations", self.regular, SIZE)
            artifact(72, top - 18, "General Assembly", self.bold, 14)
            artifact(400, top - 18, "Distr.: General", self.regular, SIZE)
            artifact(400, top - 30, _day(self.programme.issued), self.regular, SIZE)
            artifact(400, top - 46, "Original: English", self.regular, SIZE)
            artifact(72, FOOTER, f"{JOB} (E)", self.regular, 8)
            return
        folio = f"{number}/{total}"
        left, right = (folio, JOB) if number % 2 == 0 else (JOB, folio)
        artifact(60, FOOTER, left, self.bold if left == folio else self.regular, 8)
        font = self.bold if right == folio else self.regular
        artifact(WIDTH - 60 - stringWidth(right, font, 8), FOOTER, right, font, 8)


def render_pdf(programme: Programme, extra: Sequence[str] = (), font: str = "Times") -> bytes:
    """The programme printed as a PDF in the Second Committee's layout; ``extra`` lines
    stand first on the first meeting's agenda."""
    printer = _Printer(programme, font)
    printer.masthead()
    printer.pages.append([])
    printer.notes.append([])
    printer.y = TOP - 24
    printer.table(extra)
    return printer.draw()
