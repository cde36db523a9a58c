"""Marked-up tables (tab-separated, markdown, HTML) reduced to header, rows, notes and lines.

Every expected line number is counted by hand on the small document above it.
"""

from __future__ import annotations

import pytest

from oewg_cal.readers.layout import (
    Layout,
    Line,
    Row,
    cell_pieces,
    detect_shape,
    layout_of,
    markup_lines,
    plain,
)
from oewg_cal.readers.lines import TextLine

# ---------------------------------------------------------------- tab-separated (the seed's form)

TSV = (
    "# General Assembly\n"  # 1
    "\n"  # 2
    "Provisional programme of work\n"  # 3
    "Date/time\tAgenda item\tProgramme\n"  # 4
    "Monday, 6 March 2023\t\t\n"  # 5
    "10 a.m.–1 p.m.\t Item <b>3</b> \tOpening\n"  # 6
    "<sup>1</sup> A footnote between the halves\n"  # 7
    "Tuesday, 7 March 2023\t\t\n"  # 8
    "3–6 p.m.\tItem 5\t<i>continued</i>\n"  # 9
    "\n"  # 10
    "   Closing text  \n"  # 11
)


def test_tab_separated() -> None:
    assert layout_of(TSV, "tsv") == Layout(
        header=(Line(1, "# General Assembly"), Line(3, "Provisional programme of work")),
        rows=(
            Row(4, ("Date/time", "Agenda item", "Programme")),
            Row(5, ("Monday, 6 March 2023", "", "")),
            Row(6, ("10 a.m.–1 p.m.", "Item <b>3</b>", "Opening")),
            Row(8, ("Tuesday, 7 March 2023", "", "")),
            Row(9, ("3–6 p.m.", "Item 5", "<i>continued</i>")),
        ),
        notes=(Line(7, "<sup>1</sup> A footnote between the halves"), Line(11, "Closing text")),
    )


@pytest.mark.parametrize("end", ["\r\n", "\r"])
def test_tab_separated_with_other_line_ends(end: str) -> None:
    assert layout_of(TSV.replace("\n", end), "tsv") == layout_of(TSV, "tsv")


# ---------------------------------------------------------------- markdown pipe tables

MARKDOWN = (
    "# Programme of work\n"  # 1
    "\n"  # 2
    "| Date/time | Agenda item |\n"  # 3
    "|---|:---:|\n"  # 4: the separator row is no row
    "| Monday, 6 March 2023 | |\n"  # 5
    "  | 10 a.m.–1 p.m. | Item 3 \\| opening |  \n"  # 6: an escaped pipe is text
    "\n"  # 7
    "<sup>1</sup> A footnote\n"  # 8
    "| 3–6 p.m. | Item 5 |\n"  # 9
)


def test_markdown() -> None:
    assert layout_of(MARKDOWN, "markdown") == Layout(
        header=(Line(1, "# Programme of work"),),
        rows=(
            Row(3, ("Date/time", "Agenda item")),
            Row(5, ("Monday, 6 March 2023", "")),
            Row(6, ("10 a.m.–1 p.m.", "Item 3 | opening")),
            Row(9, ("3–6 p.m.", "Item 5")),
        ),
        notes=(Line(8, "<sup>1</sup> A footnote"),),
    )


# ---------------------------------------------------------------- HTML

HTML = (
    "<html><head><title>Ignored title</title></head><body>\n"  # 1
    "<h1>General Assembly</h1>\n"  # 2
    "<p>Provisional programme\n"  # 3
    "   of work</p>\n"  # 4
    "<table>\n"  # 5
    "<tr><th>Date/time</th><th>Agenda item</th></tr>\n"  # 6
    "<tr><td>10 a.m.&ndash;1 p.m.</td><td>Item <b>3</b> &amp; opening</td></tr>\n"  # 7
    "<tr><td></td><td> </td></tr>\n"  # 8: no text, no row
    "<tr>\n"  # 9: a row is at the line of its <tr>
    "  <td>3–6 p.m.</td><td>Item 5<sup>1</sup></td></tr>\n"  # 10
    "</table>\n"  # 11
    "<p><sup>1</sup> A footnote &amp; more.</p>\n"  # 12
    '<script>var x = "<p>not text</p>";</script>\n'  # 13
    "</body></html>\n"  # 14
)


def test_html() -> None:
    assert layout_of(HTML, "html") == Layout(
        header=(Line(2, "General Assembly"), Line(3, "Provisional programme of work")),
        rows=(
            Row(6, ("Date/time", "Agenda item")),
            # inline markup is kept in cells, and text is kept as HTML (& as &amp;)
            Row(7, ("10 a.m.–1 p.m.", "Item <b>3</b> &amp; opening")),
            Row(9, ("3–6 p.m.", "Item 5<sup>1</sup>")),
        ),
        # outside the table, text is plain text but for the footnote marks
        notes=(Line(12, "<sup>1</sup> A footnote & more."),),
    )


def test_html_rows_of_every_table() -> None:
    text = (
        "<table><tr><td>a</td></tr></table>\n"  # 1
        "<p>Between</p>\n"  # 2
        "<table><tr><td>b</td><td>c</td></tr></table>\n"  # 3
    )
    assert layout_of(text, "html") == Layout(
        header=(),
        rows=(Row(1, ("a",)), Row(3, ("b", "c"))),
        notes=(Line(2, "Between"),),
    )


# ---------------------------------------------------------------- as lines for the reader


def test_markup_lines_of_the_tab_separated_document() -> None:
    assert markup_lines(TSV, "tsv") == [
        TextLine("General Assembly", 1),  # "#" and spaces stripped
        TextLine("Provisional programme of work", 3),
        TextLine("Date/time", 4, cell=0, gap=True),
        TextLine("Agenda item", 4, cell=1, gap=True),
        TextLine("Programme", 4, cell=1, gap=True),
        TextLine("Monday, 6 March 2023", 5, cell=0, gap=True),
        TextLine("10 a.m.–1 p.m.", 6, cell=0, gap=True),
        # a bold run starts a piece of its own
        TextLine("Item", 6, cell=1, gap=True),
        TextLine("3", 6, cell=1, gap=True),
        TextLine("Opening", 6, cell=1, gap=True),
        TextLine("\x00fn:1\x00 A footnote between the halves", 7),
        TextLine("Tuesday, 7 March 2023", 8, cell=0, gap=True),
        TextLine("3–6 p.m.", 9, cell=0, gap=True),
        TextLine("Item 5", 9, cell=1, gap=True),
        TextLine("continued", 9, cell=1, gap=True),
        TextLine("Closing text", 11),
    ]


def test_markup_lines_of_the_html_document() -> None:
    lines = markup_lines(HTML, "html")
    assert [(line.number, line.cell, line.text) for line in lines] == [
        (2, None, "General Assembly"),
        (3, None, "Provisional programme of work"),
        (6, 0, "Date/time"),
        (6, 1, "Agenda item"),
        (7, 0, "10 a.m.–1 p.m."),
        (7, 1, "Item"),
        (7, 1, "3"),
        (7, 1, "& opening"),
        (9, 0, "3–6 p.m."),
        (9, 1, "Item 5\x00fn:1\x00"),
        (12, None, "\x00fn:1\x00 A footnote & more."),
    ]


@pytest.mark.parametrize(
    ("cell", "pieces"),
    [
        ("Agenda item 3", ["Agenda item 3"]),
        (
            "<b>Agenda item 5</b>: discussions<br>(a) Norms",
            ["Agenda item 5", ": discussions", "(a) Norms"],
        ),
        ("Item 5 (a) Norms (b) Rules", ["Item 5", "(a) Norms", "(b) Rules"]),
        # a sub-item in lower case is not cut from the line, but after "(continued)"
        ("(continued) (a) norms", ["(continued)", "(a) norms"]),
        ("**Item 3**: work", ["Item 3", ": work"]),  # markdown bold
        ("<ul><li>One</li><li>Two</li></ul>", ["One", "Two"]),
        ("a\nb  c", ["a b c"]),  # lines of a cell are one text
        ("", []),
    ],
)
def test_cell_pieces(cell: str, pieces: list[str]) -> None:
    assert cell_pieces(cell) == pieces


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("Item 5<sup>1</sup>", "Item 5\x00fn:1\x00"),
        ("resolution 75/240²", "resolution 75/240\x00fn:2\x00"),
        ("<https://undocs.org/A/77/275>", "https://undocs.org/A/77/275"),
        ("[A/77/275](https://undocs.org/A/77/275)", "A/77/275"),
        ("**bold** and __bold__", "bold and bold"),
        ("a&amp;b&nbsp;c", "a&b c"),
        ("<i>x</i>", " x "),
    ],
)
def test_plain(fragment: str, text: str) -> None:
    assert plain(fragment) == text


@pytest.mark.parametrize("inside", ["\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"])
@pytest.mark.parametrize("shape", ["tsv", "markdown"])
def test_only_lf_crlf_and_cr_end_a_line(shape: str, inside: str) -> None:
    document = {"tsv": TSV, "markdown": MARKDOWN}[shape]
    # a separator that editors show inside a line, put into the first line
    first, rest = document.split("\n", 1)
    layout = layout_of(f"{first}{inside}x\n{rest}", shape)
    expected = layout_of(document, shape)
    assert [line.number for line in layout.header] == [line.number for line in expected.header]
    assert [row.number for row in layout.rows] == [row.number for row in expected.rows]


# ---------------------------------------------------------------- detect_shape


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        (HTML, "html"),
        (MARKDOWN, "markdown"),
        (TSV, "tsv"),
        ("<TABLE>", "html"),
        ("a\tb", "text"),
    ],
)
def test_detect_shape(text: str, shape: str) -> None:
    assert detect_shape(text) == shape
