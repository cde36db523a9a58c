"""Marked-up tables: the seed's tab-separated rows with inline HTML, HTML, markdown pipes.

:func:`layout_of` reduces such a document to a :class:`Layout` (the text before the
table, the table's rows as cells with their inline markup, the lines between and after
the rows), and :func:`markup_lines` to the :class:`~oewg_cal.readers.lines.TextLine` s
every reader reads, the markup telling where an agenda cell's pieces start.  Every
piece keeps its line number for error messages.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import NamedTuple

from oewg_cal._lazy_re import lazy
from oewg_cal.readers.lines import (
    FOOTNOTE_TOKEN,
    TextLine,
    split_continued_sub_item,
    superscript_marks,
)
from oewg_cal.readers.positions import split_lines

__all__ = [
    "Layout",
    "Line",
    "Row",
    "cell_pieces",
    "detect_shape",
    "layout_of",
    "markup_lines",
    "plain",
]


class Line(NamedTuple):
    """A line (or paragraph) of text outside the table, with its 1-based line number."""

    number: int
    text: str


class Row(NamedTuple):
    """A table row: its line number and its cells (inline HTML kept)."""

    number: int
    cells: tuple[str, ...]


class Layout(NamedTuple):
    """A document reduced to header lines, table rows and the lines around the rows."""

    header: tuple[Line, ...]
    rows: tuple[Row, ...]
    notes: tuple[Line, ...]  # lines after the first row that are not rows (footnotes)


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
    """Reduce a tab-separated, HTML or markdown document to a :class:`Layout`."""
    if shape == "html":
        # Imported here: html.parser, and the patterns it compiles, only for an HTML table.
        from oewg_cal.readers.html_table import html_layout

        return html_layout(text)
    return _split_layout(text, _pipe_cells if shape == "markdown" else _tab_cells)


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


def _split_layout(text: str, cells_of: Callable[[str], tuple[str, ...] | None]) -> Layout:
    header: list[Line] = []
    rows: list[Row] = []
    notes: list[Line] = []
    for number, line in enumerate(split_lines(text), 1):
        cells = cells_of(line)
        if cells == ():
            continue
        if cells is not None:
            rows.append(Row(number, cells))
        elif line.strip():
            (notes if rows else header).append(Line(number, line.strip()))
    return Layout(tuple(header), tuple(rows), tuple(notes))


# ---------------------------------------------------------------- as lines


def plain(fragment: str) -> str:
    """Inline HTML and markdown to plain text; footnote marks become tokens."""
    text = re.sub(
        r"<sup>\s*([^<]{1,4}?)\s*</sup>", lambda m: FOOTNOTE_TOKEN.format(m.group(1)), fragment
    )
    text = superscript_marks(text)
    text = re.sub(r"<(https?://[^\s<>]+)>", r"\1", text)  # markdown autolinks
    text = re.sub(r"(\*\*|__)([^*_]+?)\1", r"\2", text)  # markdown bold
    text = re.sub(r"<[^<>]*>", " ", text)
    text = re.sub(r"\[([^\]\[]+)\]\([^()]*\)", r"\1", text)  # markdown links: keep the text
    return html.unescape(text).replace("\u00a0", " ").replace("\u202f", " ")


_SUB_ITEM_SPLIT = lazy(r"(?<!\S)(?=\([a-z]{1,2}\)\s+[A-Z\x00])")


def cell_pieces(cell: str) -> list[str]:
    """A marked-up cell cut where its markup starts a new piece: bold runs, list items,
    paragraphs and line breaks, sub-items "(a) …" and a "(continued)" before one."""
    marked = re.sub(r"\*\*([^*]+?)\*\*", r"<b>\1</b>", " ".join(cell.splitlines()))
    text = plain(
        re.sub(r"</?(b|strong|li|ul|ol|p|br|div)\b[^<>]*>", "\n", marked, flags=re.IGNORECASE)
    )
    pieces: list[str] = []
    for chunk in text.split("\n"):
        for part in _SUB_ITEM_SPLIT.split(chunk):
            pieces += split_continued_sub_item(part)
    return [" ".join(p.split()) for p in pieces if p.strip()]


def markup_lines(text: str, shape: str) -> list[TextLine]:
    """A tab-separated, HTML or markdown document as lines: the date/time cell of each row
    as one line (cell 0), each piece of its agenda cell as another (cell 1), and the
    text around the table as lines of no cell."""
    layout = layout_of(text, shape)
    found: list[tuple[int, int, TextLine]] = []
    for order, line in enumerate((*layout.header, *layout.notes)):
        cleaned = plain(line.text).strip(" #*")
        if cleaned.strip():
            found.append((line.number, order, TextLine(" ".join(cleaned.split()), line.number)))
    for row in layout.rows:
        first = " ".join(plain(row.cells[0]).split()) if row.cells else ""
        rows = [TextLine(first, row.number, cell=0, gap=True)] if first else []
        for cell in row.cells[1:]:
            rows += [TextLine(p, row.number, cell=1, gap=True) for p in cell_pieces(cell)]
        found += [(row.number, -1, line) for line in rows]
    return [line for _, _, line in sorted(found, key=lambda f: (f[0], f[1]))]
