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
from collections.abc import Sequence
from typing import NamedTuple

import attrs

from oewg_cal._lazy_re import lazy
from oewg_cal.errors import DocumentWarning
from oewg_cal.readers.positions import split_lines
from oewg_cal.readers.timetext import find_days, find_times

__all__ = [
    "FOOTNOTE_TOKEN",
    "PageLine",
    "TextLine",
    "plain_lines",
    "repeated_margins",
    "split_continued_sub_item",
    "without_controls",
]

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


_SPACES = lazy(r"[ \t\u00a0\u202f]+")
_SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
_SUPERSCRIPT_RUN = lazy(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")


_CONTINUED_SUB_ITEM = lazy(
    r"^\s*(\(\s*continued\s*\))\s*(\(\s*[a-z]{1,2}\s*\)\s.*)$", re.IGNORECASE | re.DOTALL
)


def split_continued_sub_item(piece: str) -> list[str]:
    """``"(continued) (b) Text"`` as ``["(continued)", "(b) Text"]``: the mark belongs to the
    entry before, the sub-item starts a new one.  Any other piece is returned alone."""
    found = _CONTINUED_SUB_ITEM.match(piece)
    return [found.group(1), found.group(2)] if found else [piece]


def superscript_marks(text: str) -> str:
    """Superscript digits ("75/240¹") as footnote tokens."""
    return _SUPERSCRIPT_RUN.sub(
        lambda m: FOOTNOTE_TOKEN.format(m.group(0).translate(_SUPERSCRIPTS)), text
    )


_WIDE_GAP = lazy(r"\S(\s{8,})(?=\S)")


#: What a date/time column holds at its start: a time, even cut short ("10 a.m.–1"), or
#: the end of one wrapped ("p.m.").
_TIME_CELL = lazy(
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


class PageLine(NamedTuple):
    """A line of a page as :func:`repeated_margins` sees it: its text, where it stands on
    the page where the shape tells it (a PDF's height, rounded), and whether it is a
    footnote's line (the reader tells: a raised mark, a mark under the footnote rule)."""

    text: str
    place: str = ""
    footnote: bool = False


def repeated_margins(pages: Sequence[Sequence[PageLine]]) -> frozenset[tuple[int, int]]:
    """Page furniture no mark tells (running heads, page and job numbers, a browser's
    print header), as (page, line) indexes into ``pages``: the first and last two lines of
    a page that stand at the same place with the same text, numbers aside, on more than
    half of the pages, and whose numbers are the same on every page or go up with the
    pages ("2/8", "3/8").  A footnote's line is never furniture, nor a line whose numbers
    change otherwise (numbered speakers at the top of every page)."""
    if len(pages) < 2:
        return frozenset()
    seen: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
    margins: list[tuple[int, int, str]] = []
    for page, lines in enumerate(pages):
        ends = sorted({*range(min(2, len(lines))), *range(max(len(lines) - 2, 0), len(lines))})
        for index in ends:
            line = lines[index]
            if line.footnote:
                continue
            key = f"{line.place}:{_DIGITS.sub('#', line.text)}"
            numbers = tuple(int(n) for n in _DIGITS.findall(line.text))
            seen.setdefault(key, []).append((page, numbers))
            margins.append((page, index, key))
    furniture = {
        key
        for key, found in seen.items()
        if len({page for page, _ in found}) > len(pages) / 2 and _page_like(found)
    }
    return frozenset((page, index) for page, index, key in margins if key in furniture)


_DIGITS = lazy(r"\d+")


def _page_like(found: list[tuple[int, tuple[int, ...]]]) -> bool:
    """Whether each number of a line seen on several pages is the same on all of them or
    goes up with the pages."""
    for position in range(len(found[0][1])):
        values = [(page, numbers[position]) for page, numbers in found]
        if len({v for _, v in values}) > 1 and len({v - page for page, v in values}) > 1:
            return False
    return True


#: What opens a footnote in text: its mark, alone on a line or before the footnote's text.
_MARK_ALONE = lazy(r"\d{1,2}|\*{1,3}|[†‡§]|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2}")
_MARK_OPENS = lazy(r"(?:\d{1,2}\s+|(?:\*{1,3}|[†‡§]|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2})\s*)[“\"(]?[^\W\d_]")
_RULE = lazy(r"_{5,}")


def _text_pages(raw: list[str]) -> list[list[tuple[int, PageLine]]]:
    """The non-blank lines of each page (pages end at form feeds), as their indexes in
    ``raw`` and :class:`PageLine` s; under a footnote rule, a mark alone with the line
    after it, or a line that starts with a mark, is a footnote's."""
    pages: list[list[int]] = [[]]
    for index, line in enumerate(raw):
        if "\x0c" in line:
            pages.append([])
        if line.replace("\x0c", "").strip():
            pages[-1].append(index)
    found = []
    for page in pages:
        if not page:
            continue
        texts = [" ".join(raw[i].replace("\x0c", "").split()) for i in page]
        notes: set[int] = set()
        under = False
        for at, text in enumerate(texts):
            if _RULE.fullmatch(text):
                under = True
            elif under and _MARK_ALONE.fullmatch(text) and at + 1 < len(texts):
                notes |= {at, at + 1}
            elif under and _MARK_OPENS.match(text):
                notes.add(at)
        found.append(
            [
                (i, PageLine(text, footnote=at in notes))
                for at, (i, text) in enumerate(zip(page, texts, strict=True))
            ]
        )
    return found


def plain_lines(text: str) -> list[TextLine]:
    """Plain text as converters leave it: one :class:`TextLine` per column of each line
    (a time or a day set apart by spaces from what follows, "3 p.m.   Organization of
    work", or columns far apart), with the column it starts at."""
    split = split_lines(text)
    pages = _text_pages(split)
    margins = repeated_margins([[line for _, line in page] for page in pages])
    furniture = {pages[page][at][0] for page, at in margins}
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
_CONTROL = lazy("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_TOKEN_OR_CONTROL = lazy("(\x00fn:[^\x00]+\x00)|" + _CONTROL.pattern)
_SPACE_CONTROL = lazy("[\t\x0b\x0c\x1c-\x1f]")


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
