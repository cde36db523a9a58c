"""Each shape a converter gives a programme of work, reduced to header, rows and notes.

Every expected line number is counted by hand on the small document above it.
"""

from __future__ import annotations

import pytest

from oewg_cal.readers.layout import Layout, Line, Row, detect_shape, layout_of

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


# ---------------------------------------------------------------- plain text

TEXT = (
    "United Nations\n"  # 1
    "General Assembly\n"  # 2
    "Provisional programme of work\n"  # 3
    "Date/time            Agenda item/programme\n"  # 4: the table's heading
    "Monday, 6 March 2023\n"  # 5
    "10 a.m.–1 p.m.       Agenda item 3\n"  # 6
    "                     Organization of work\n"  # 7: wrapped into the row above
    "\n"  # 8: a blank line ends the row
    "3–6 p.m.             Agenda item 5\n"  # 9
    "23-04321 (E)\n"  # 10: a job number
    "\x0c2/4\n"  # 11: pdftotext's page break, then the page number
    "                     Norms (continued)\n"  # 12: the row of line 9 goes on
    "Tuesday, 7 March 2023\n"  # 13
    "10 a.m.–1 p.m.       Agenda item 5 (continued)\n"  # 14
    "\n"  # 15
    "1 A footnote at the end\n"  # 16
)


def test_plain_text() -> None:
    assert layout_of(TEXT, "text") == Layout(
        header=(
            Line(1, "United Nations"),
            Line(2, "General Assembly"),
            Line(3, "Provisional programme of work"),
        ),
        rows=(
            Row(5, ("Monday, 6 March 2023", "")),
            Row(6, ("10 a.m.–1 p.m.", "Agenda item 3\nOrganization of work")),
            Row(9, ("3–6 p.m.", "Agenda item 5\nNorms (continued)")),
            Row(13, ("Tuesday, 7 March 2023", "")),
            Row(14, ("10 a.m.–1 p.m.", "Agenda item 5 (continued)")),
        ),
        notes=(Line(16, "1 A footnote at the end"),),
    )


@pytest.mark.parametrize(
    "furniture",
    ["2/4", "Page 2", "page 2 of 4", "3", "A/AC.292/2023/1", "23-04321 (E)", "*2304321*", "\x0c"],
)
def test_page_furniture_is_left_out(furniture: str) -> None:
    text = "Monday, 6 March 2023\n" + f"{furniture}\n" + "10 a.m.–1 p.m.   Agenda item 3\n"
    assert layout_of(text, "text").rows == (
        Row(1, ("Monday, 6 March 2023", "")),
        Row(3, ("10 a.m.–1 p.m.", "Agenda item 3")),
    )


def test_a_garbled_time_still_starts_a_row() -> None:
    text = "Monday, 6 March 2023\n3– p.m.     Agenda item 5\n"
    assert layout_of(text, "text").rows == (
        Row(1, ("Monday, 6 March 2023", "")),
        Row(2, ("3– p.m.", "Agenda item 5")),
    )


@pytest.mark.parametrize("inside", ["\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
@pytest.mark.parametrize("shape", ["tsv", "markdown", "text"])
def test_only_lf_crlf_and_cr_end_a_line(shape: str, inside: str) -> None:
    documents = {"tsv": TSV, "markdown": MARKDOWN, "text": TEXT}
    # a separator that editors show inside a line, put into the first line
    first, rest = documents[shape].split("\n", 1)
    layout = layout_of(f"{first}{inside}x\n{rest}", shape)
    assert [line.number for line in layout.header][:2] == [
        line.number for line in layout_of(documents[shape], shape).header
    ][:2]
    assert [row.number for row in layout.rows] == [
        row.number for row in layout_of(documents[shape], shape).rows
    ]


# ---------------------------------------------------------------- detect_shape


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        (HTML, "html"),
        (MARKDOWN, "markdown"),
        (TSV, "tsv"),
        (TEXT, "text"),
        ("<TABLE>", "html"),
        ("a\tb", "text"),
    ],
)
def test_detect_shape(text: str, shape: str) -> None:
    assert detect_shape(text) == shape
