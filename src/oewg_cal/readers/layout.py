"""The shapes converters give a programme of work, reduced to one layout.

Every shape (the seed's tab-separated rows with inline HTML, an HTML ``<table>``, a
markdown pipe table, plain text as ``pdftotext -layout`` or a copy-paste leaves it) is
turned into a :class:`Layout`: the text before the table (headings and the note), the
table's rows as cells (inline markup kept), and the lines between and after the rows
(footnotes).  Every piece keeps its line number for error messages.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import attrs

from oewg_cal.readers.timetext import TimeTextError, find_time_range, looks_like_time, parse_day

__all__ = ["Layout", "Line", "Row", "detect_shape", "layout_of"]


@attrs.frozen
class Line:
    """A line (or paragraph) of text outside the table, with its 1-based line number."""

    number: int
    text: str


@attrs.frozen
class Row:
    """A table row: its line number and its cells (inline HTML kept)."""

    number: int
    cells: tuple[str, ...]


@attrs.frozen
class Layout:
    """A document reduced to header lines, table rows and the lines around the rows."""

    header: tuple[Line, ...]
    rows: tuple[Row, ...]
    notes: tuple[Line, ...]  # lines after the first row that are not rows (footnotes)


SHAPES = ("tsv", "html", "markdown", "text")


def detect_shape(text: str) -> str:
    """Choose the shape from the content: HTML table, pipe table, tab-separated, plain text."""
    if re.search(r"<table\b", text, re.IGNORECASE):
        return "html"
    lines = text.splitlines()
    if sum(1 for line in lines if re.match(r"\s*\|.*\|\s*$", line)) >= 3:
        return "markdown"
    if sum(1 for line in lines if "\t" in line) >= 3:
        return "tsv"
    return "text"


def layout_of(text: str, shape: str) -> Layout:
    """Reduce a document of the given shape to a :class:`Layout`."""
    if shape == "html":
        return _html_layout(text)
    if shape == "markdown":
        return _split_layout(text, _pipe_cells)
    if shape == "tsv":
        return _split_layout(text, _tab_cells)
    return _text_layout(text)


def _tab_cells(line: str) -> tuple[str, ...] | None:
    if "\t" not in line:
        return None
    return tuple(cell.strip() for cell in line.split("\t"))


def _pipe_cells(line: str) -> tuple[str, ...] | None:
    stripped = line.strip()
    if not (stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1):
        return None
    cells = [c.strip() for c in re.split(r"(?<!\\)\|", stripped[1:-1])]
    if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
        return ()  # the separator row under the header
    return tuple(c.replace("\\|", "|") for c in cells)


def _split_layout(text: str, cells_of: object) -> Layout:
    header: list[Line] = []
    rows: list[Row] = []
    notes: list[Line] = []
    assert callable(cells_of)
    for number, line in enumerate(text.splitlines(), 1):
        cells = cells_of(line)
        if cells == ():
            continue
        if cells is not None:
            rows.append(Row(number, cells))
        elif line.strip():
            (notes if rows else header).append(Line(number, line.strip()))
    return Layout(tuple(header), tuple(rows), tuple(notes))


class _TableParser(HTMLParser):
    """Collects tables' rows (cell inner HTML) and the text of other block elements."""

    _BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "li", "br", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.header: list[Line] = []
        self.rows: list[Row] = []
        self.notes: list[Line] = []
        self._table_depth = 0
        self._row: list[str] | None = None
        self._row_line = 0
        self._cell: list[str] | None = None
        self._text: list[str] = []
        self._text_line = 0
        self._skip = 0

    def _flush_text(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            (self.notes if self.rows else self.header).append(Line(self._text_line, text))
        self._text = []

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
            return
        if tag == "table":
            self._flush_text()
            self._table_depth += 1
        elif tag == "tr" and self._table_depth:
            self._row = []
            self._row_line = self.getpos()[0]
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif self._cell is not None:
            self._cell.append(self.get_starttag_text() or "")
        elif tag in self._BLOCKS or tag == "sup":
            if tag in self._BLOCKS:
                self._flush_text()
            if tag == "sup":
                self._text.append("<sup>")
        if tag in self._BLOCKS and self._cell is None and not self._text:
            self._text_line = self.getpos()[0]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
            return
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if any(self._row):
                self.rows.append(Row(self._row_line, tuple(self._row)))
            self._row = None
        elif tag == "table":
            self._table_depth = max(0, self._table_depth - 1)
        elif self._cell is not None:
            self._cell.append(f"</{tag}>")
        elif tag == "sup":
            self._text.append("</sup>")
        elif tag in self._BLOCKS:
            self._flush_text()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(html.escape(data, quote=False))
        elif not self._table_depth:
            if not self._text:
                self._text_line = self.getpos()[0]
            self._text.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.handle_data(html.unescape(f"&#{name};"))


def _html_layout(text: str) -> Layout:
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    parser._flush_text()
    return Layout(tuple(parser.header), tuple(parser.rows), tuple(parser.notes))


# ---------------------------------------------------------------- plain text

_PAGE_FURNITURE = re.compile(
    r"""^(
        \d{1,3}/\d{1,3}                          # page "2/4"
      | (page\s+)?\d{1,3}(\s+of\s+\d{1,3})?      # "Page 2", "2", "2 of 4"
      | [A-Z]{1,2}(/[A-Z0-9.]+)+(/Rev\.\d+)?     # a document symbol alone on its line
      | \d{2}-\d{5}(\s*\([A-Z]\))?(\s+\S+)*      # a job number "23-04321 (E)"
      | \*\d{7}\*                                # a bar code
      | \x0c
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
_TIME_START = re.compile(r"^\d{1,2}(?:[.:]\d\d)?\s*(?:[–—-]|to\b|[ap]\.?\s?m\b|h\b)", re.I)
_TABLE_HEADING = re.compile(r"^date\s*/?\s*time\b.*(agenda|programme)", re.IGNORECASE)


_WEEKDAY_START = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s", re.IGNORECASE)


def _is_day_line(text: str) -> bool:
    if not _WEEKDAY_START.match(text):
        return False
    try:
        parse_day(text, year=2000)
    except TimeTextError as exc:
        return "weekday" in str(exc).lower() and bool(re.match(r"[A-Za-z]+day\b", text))
    return True


def _text_layout(text: str) -> Layout:
    """Plain text: a row starts at a day line or at a line that starts with a time range."""
    header: list[Line] = []
    rows: list[Row] = []
    notes: list[Line] = []
    current: list[str] | None = None
    current_line = 0
    in_table = False

    def close() -> None:
        nonlocal current
        if current is not None:
            rows.append(Row(current_line, (current[0], "\n".join(current[1:]))))
        current = None

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.replace("\x0c", "").strip()
        if not line or _PAGE_FURNITURE.match(line) or _TABLE_HEADING.match(line):
            if not line and current is not None and len(current) > 1:
                close()
            continue
        if not in_table and not _is_day_line(line):
            header.append(Line(number, line))
            continue
        in_table = True
        found = find_time_range(line)
        if found is not None:
            close()
            start, end = found[0], found[1]
            current = (
                [line[start:end], line[end:].strip()] if line[end:].strip() else [line[start:end]]
            )
            current_line = number
        elif looks_like_time(line) or _TIME_START.match(line):
            # a garbled time still starts a row, so that the reader reports it
            close()
            current = [part.strip() for part in re.split(r"\s{2,}", line, maxsplit=1)]
            current_line = number
        elif _is_day_line(line) and len(line) < 40:
            close()
            rows.append(Row(number, (line, "")))
        elif re.match(r"^(<sup>\S+</sup>|[¹²³⁴⁵⁶⁷⁸⁹]+|\d{1,2}\s)", line) and current is None:
            notes.append(Line(number, line))
        elif current is not None:
            current.append(line)
        else:
            notes.append(Line(number, line))
    close()
    return Layout(tuple(header), tuple(rows), tuple(notes))
