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

from oewg_cal.errors import DocumentWarning
from oewg_cal.readers.positions import split_lines
from oewg_cal.readers.timetext import find_days, find_times

__all__ = ["FOOTNOTE_TOKEN", "TextLine", "plain_lines", "without_controls"]

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
    * ``furniture``: page furniture as the document marks it (a PDF's artifacts, or what
      repeats in every page's margin).
    * ``y``: how far down its page the line stands (a PDF's baseline in points), where
      the shape tells it.
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
    y: float | None = None

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


#: What a date/time column holds at its start: a time, even cut short ("10 a.m.–1"), or
#: the end of one wrapped ("p.m.").
_TIME_CELL = re.compile(
    r"^(?:\d{1,2}(?:[.:]\d\d)?\s*(?:[–—-]|to\b|[ap]\.?\s?m\b|h\b)[^a-z]*?|[ap]\.\s?m\.)(?=\s)",
    re.IGNORECASE,
)


def _columns(text: str, start: int, edges: frozenset[int]) -> list[tuple[int, str]]:
    """A line cut into columns: after a time or a day set apart by two spaces, wherever
    eight spaces stand between words (far apart columns of a layout), and after a time
    at the left where the next word starts at one of the document's column edges."""
    found = find_times(text) or find_days(text)
    cell = _TIME_CELL.match(text) if found is None else None
    end = found.end if found is not None else cell.end() if cell is not None else None
    cuts = []
    if end is not None:
        gap = re.match(r"[:*]?\s+(?=\S)", text[end:])
        if gap and (gap.group(0).count(" ") >= 2 or start + end + gap.end() in edges):
            cuts.append(end + gap.end())
    cuts += [m.end(1) for m in _WIDE_GAP.finditer(text) if not cuts or m.end(1) > cuts[0]]
    starts = [0, *sorted(set(cuts))]
    return [(a, text[a:b].rstrip()) for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def _edges(lines: list[str]) -> frozenset[int]:
    """Where the text's columns start: the indentations most lines have (each ± 1)."""
    counts: dict[int, int] = {}
    for line in lines:
        if line.strip():
            indent = len(line) - len(line.lstrip())
            counts[indent] = counts.get(indent, 0) + 1
    total = sum(counts.values())
    return frozenset(
        x + d for x, n in counts.items() if x and n >= max(5, total // 20) for d in (-1, 0, 1)
    )


def _repeated_margins(raw: list[str]) -> frozenset[int]:
    """Lines of page furniture no pattern tells (a browser's print header, say): the first
    and last two lines of each page (pages end at form feeds) whose text repeats, digits
    aside, on more than half of the pages; as their indexes in ``raw``."""
    pages: list[list[int]] = [[]]
    for index, line in enumerate(raw):
        if "\x0c" in line:
            pages.append([])
        if line.replace("\x0c", "").strip():
            pages[-1].append(index)
    pages = [p for p in pages if p]
    if len(pages) < 2:
        return frozenset()

    def key(index: int) -> str:
        return re.sub(r"\d+", "#", " ".join(raw[index].replace("\x0c", "").split()))

    margins = [{*p[:2], *p[-2:]} for p in pages]
    counts: dict[str, int] = {}
    for margin in margins:
        for text in {key(i) for i in margin}:
            counts[text] = counts.get(text, 0) + 1
    repeated = {text for text, n in counts.items() if n > len(pages) / 2}
    return frozenset(i for margin in margins for i in margin if key(i) in repeated)


def plain_lines(text: str) -> list[TextLine]:
    """Plain text as converters leave it: one :class:`TextLine` per column of each line
    (a time or a day set apart by spaces from what follows, "3 p.m.   Organization of
    work", or columns far apart), with the column it starts at."""
    split = split_lines(text)
    furniture = _repeated_margins(split)
    raw_lines = [line.replace("\x0c", "").rstrip().expandtabs(8) for line in split]
    edges = _edges(raw_lines)
    lines: list[TextLine] = []
    gap = False
    for number, line in enumerate(raw_lines, 1):
        if not line.strip():
            gap = True
            continue
        start = len(line) - len(line.lstrip())
        body = line.strip()
        for offset, part in _columns(body, start, edges):
            column = start + offset
            cleaned = superscript_marks(_SPACES.sub(" ", part).strip())
            lines.append(
                TextLine(
                    cleaned,
                    number,
                    indent=float(column),
                    right=float(column + len(part)),
                    gap=gap and column == start,
                    furniture=number - 1 in furniture,
                    y=float(number),
                )
            )
        gap = False
    return lines


# Control characters, but the NUL of a footnote token (FOOTNOTE_TOKEN) and the white
# space a converter leaves (tab, vertical tab, form feed), which are spaces.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_TOKEN_OR_CONTROL = re.compile("(\x00fn:[^\x00]+\x00)|" + _CONTROL.pattern)
_SPACE_CONTROL = re.compile("[\t\x0b\x0c\x1c-\x1f]")


def _windows_1252(char: str) -> str:
    """What a C1 control character meant in a document decoded from Windows-1252 as if it
    were Latin-1 (U+0092 for ’), or "" where Windows-1252 has no character."""
    try:
        return bytes([ord(char)]).decode("cp1252") if 0x80 <= ord(char) <= 0x9F else ""
    except UnicodeDecodeError:
        return ""


def without_controls(
    lines: list[TextLine], *, source: str
) -> tuple[list[TextLine], list[DocumentWarning]]:
    """The lines without control characters, which no calendar field may hold, and a
    warning naming each line that had some.

    A C1 character that Windows-1252 reads as a character (U+0092, its ’) is read so;
    the others are removed.  Tabs, vertical tabs, form feeds and the information
    separators U+001C to U+001F are spaces.  Footnote tokens are kept.
    """
    out: list[TextLine] = []
    found: list[DocumentWarning] = []
    for line in lines:
        text = _SPACE_CONTROL.sub(" ", line.text)
        if not any(m.group(1) is None for m in _TOKEN_OR_CONTROL.finditer(text)):
            out.append(line if text == line.text else attrs.evolve(line, text=text))
            continue
        seen = [m.group() for m in _TOKEN_OR_CONTROL.finditer(text) if m.group(1) is None]
        cleaned = _TOKEN_OR_CONTROL.sub(lambda m: m.group(1) or _windows_1252(m.group()), text)
        first = seen[0]
        meant = _windows_1252(first)
        what = (
            f"control character U+{ord(first):04X} read as {meant} "
            "(a Windows-1252 character in Unicode text)"
            if meant
            else f"control character U+{ord(first):04X} removed"
        )
        if len(seen) > 1:
            what += f" (and {len(seen) - 1} more on the line)"
        found.append(DocumentWarning(what, source=source, line=line.number, page=line.page))
        out.append(attrs.evolve(line, text=cleaned))
    return out, found
