"""HTML documents as a :class:`~oewg_cal.readers.layout.Layout`: table rows and text around them.

Apart from :mod:`oewg_cal.readers.layout` so that :mod:`html.parser` is imported only when
an HTML table is read.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

from oewg_cal.readers.layout import Layout, Line, Row

__all__ = ["html_layout"]


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


def html_layout(text: str) -> Layout:
    """The header lines, table rows (cells' inner HTML) and notes of an HTML document."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    parser._flush_text()
    return Layout(tuple(parser.header), tuple(parser.rows), tuple(parser.notes))
