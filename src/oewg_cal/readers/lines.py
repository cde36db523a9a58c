"""Documents as lines: what every reader shape is reduced to before it is read.

Whatever the document (a born-digital PDF, ``pdftotext -layout`` or raw text, PyMuPDF's
text, a copy-paste, a tab-separated table with inline HTML, an HTML or markdown table),
:mod:`oewg_cal.readers.document` reads the same thing: a sequence of :class:`TextLine`,
each with the text as printed and where it stood (line, page, left edge, table cell),
so that indentation and columns can tell a time from an item from a sub-item, and every
warning can name its line.
"""

from __future__ import annotations

import re

import attrs

from oewg_cal.readers.timetext import find_days, find_times

__all__ = ["FOOTNOTE_TOKEN", "TextLine", "plain_lines"]

#: A footnote mark known to be one (a superscript in a PDF or in HTML), inside a line's
#: text: ``"Side event\x00fn:2\x00"``.
FOOTNOTE_TOKEN = "\x00fn:{}\x00"


@attrs.frozen(slots=True)
class TextLine:
    """One printed line (or one column of it).

    * ``number``: the 1-based line in the source; for a PDF, the line on its ``page``.
    * ``indent``/``right``: left and right edges in the source's unit (points for a PDF,
      characters for text); ``None`` when the shape has no layout (marked-up tables).
    * ``cell``: the table cell the line comes from (0 is the date/time column) in
      tabular shapes, else ``None``.
    * ``bold``: printed in bold (PDFs and marked-up cells).
    * ``gap``: a blank line or a paragraph's space stands before the line.
    * ``furniture``: page furniture as the document marks it (a PDF's artifacts).
    """

    text: str
    number: int
    page: int | None = None
    indent: float | None = None
    right: float | None = None
    cell: int | None = None
    bold: bool = False
    gap: bool = False
    furniture: bool = False

    def where(self) -> str:
        """ "line 12", or "page 3, line 12" for a PDF."""
        return f"page {self.page}, line {self.number}" if self.page else f"line {self.number}"


_SPACES = re.compile(r"[ \t\u00a0\u202f]+")
_SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
_SUPERSCRIPT_RUN = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")


def superscript_marks(text: str) -> str:
    """Superscript digits ("75/240¹") as footnote tokens."""
    return _SUPERSCRIPT_RUN.sub(
        lambda m: FOOTNOTE_TOKEN.format(m.group(0).translate(_SUPERSCRIPTS)), text
    )


_WIDE_GAP = re.compile(r"\S(\s{8,})(?=\S)")


def _columns(text: str) -> list[tuple[int, str]]:
    """A line cut into columns: after a time or a day set apart by two spaces, and
    wherever eight spaces stand between words (far apart columns of a layout)."""
    found = find_times(text) or find_days(text)
    cuts = []
    if found is not None:
        gap = re.match(r"[:*]?\s{2,}(?=\S)", text[found.end :])
        if gap:
            cuts.append(found.end + gap.end())
    cuts += [m.end(1) for m in _WIDE_GAP.finditer(text) if not cuts or m.end(1) > cuts[0]]
    starts = [0, *sorted(set(cuts))]
    return [(a, text[a:b].rstrip()) for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def plain_lines(text: str) -> list[TextLine]:
    """Plain text as converters leave it: one :class:`TextLine` per column of each line
    (a time or a day set apart by spaces from what follows, "3 p.m.   Organization of
    work", or columns far apart), with the column it starts at."""
    raw_lines = re.split(r"\r\n|\r|\n", text)
    lines: list[TextLine] = []
    gap = False
    for number, raw in enumerate(raw_lines, 1):
        line = raw.replace("\x0c", "").rstrip()
        if not line.strip():
            gap = True
            continue
        expanded = line.expandtabs(8)
        start = len(expanded) - len(expanded.lstrip())
        body = expanded.strip()
        for offset, part in _columns(body):
            column = start + offset
            cleaned = superscript_marks(_SPACES.sub(" ", part).strip())
            lines.append(
                TextLine(
                    cleaned,
                    number,
                    indent=float(column),
                    right=float(column + len(part)),
                    gap=gap and column == start,
                )
            )
        gap = False
    return lines
