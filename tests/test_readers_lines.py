"""Plain text as lines for the reader: columns, indentation, gaps, footnote marks.

Every expected line, column and edge here is counted by hand on the text above it.
"""

from __future__ import annotations

import pytest

from oewg_cal.readers.lines import (
    FOOTNOTE_TOKEN,
    TextLine,
    plain_lines,
    split_continued_sub_item,
    superscript_marks,
)

TEXT = (
    "United Nations\n"  # 1
    "General Assembly\n"  # 2
    "Date/time            Agenda item/programme\n"  # 3: columns far apart
    "Monday, 6 March 2023\n"  # 4
    "10 a.m.–1 p.m.       Agenda item 3\n"  # 5: a time, then what it takes up
    "                     Organization of work\n"  # 6
    "\n"  # 7
    "3–6 p.m.             Agenda item 5\n"  # 8
    "\x0c2/4\n"  # 9: pdftotext's page break, then the page number
    "                     Norms (continued)\n"  # 10
    "\n"  # 11
    "1 A footnote at the end\n"  # 12
)


def test_plain_lines_by_hand() -> None:
    assert plain_lines(TEXT) == [
        TextLine("United Nations", 1, indent=0.0, right=14.0, y=1.0),
        TextLine("General Assembly", 2, indent=0.0, right=16.0, y=2.0),
        TextLine("Date/time", 3, indent=0.0, right=9.0, y=3.0),
        TextLine("Agenda item/programme", 3, indent=21.0, right=42.0, y=3.0),
        TextLine("Monday, 6 March 2023", 4, indent=0.0, right=20.0, y=4.0),
        TextLine("10 a.m.–1 p.m.", 5, indent=0.0, right=14.0, y=5.0),
        TextLine("Agenda item 3", 5, indent=21.0, right=34.0, y=5.0),
        TextLine("Organization of work", 6, indent=21.0, right=41.0, y=6.0),
        # after a blank line: a gap before the line's first column only
        TextLine("3–6 p.m.", 8, indent=0.0, right=8.0, gap=True, y=8.0),
        TextLine("Agenda item 5", 8, indent=21.0, right=34.0, y=8.0),
        TextLine("2/4", 9, indent=0.0, right=3.0, y=9.0),  # the form feed is dropped, not a line
        TextLine("Norms (continued)", 10, indent=21.0, right=38.0, y=10.0),
        TextLine("1 A footnote at the end", 12, indent=0.0, right=23.0, gap=True, y=12.0),
    ]


@pytest.mark.parametrize("end", ["\r\n", "\r"])
def test_plain_lines_with_other_line_ends(end: str) -> None:
    assert plain_lines(TEXT.replace("\n", end)) == plain_lines(TEXT)


@pytest.mark.parametrize("inside", ["\x0b", "\x1c", "\x85", "\u2028", "\u2029"])
def test_only_lf_crlf_and_cr_end_a_line(inside: str) -> None:
    lines = plain_lines(f"a{inside}b\nc\n")
    assert [line.number for line in lines] == [1, 2]
    assert lines[1].text == "c"


def test_every_column_gives_the_column_it_starts_at() -> None:
    text = "Monday, 6 March 2023\n10 a.m.–1 p.m.   Agenda item 3\n  Organization of work\n"
    lines = plain_lines(text)
    assert [(line.text, line.indent, line.right) for line in lines] == [
        ("Monday, 6 March 2023", 0.0, 20.0),
        ("10 a.m.–1 p.m.", 0.0, 14.0),
        ("Agenda item 3", 17.0, 30.0),  # after three spaces
        ("Organization of work", 2.0, 22.0),
    ]


def test_spaces_inside_a_column_are_one_space_and_tabs_are_eight() -> None:
    (line,) = plain_lines("Opening\u00a0 of\u202fthe   session\n")
    assert line.text == "Opening of the session"
    first, second = plain_lines("3 p.m.\t\tAgenda item 5\n")
    # "3 p.m." then two tabs: to column 16
    assert (first.text, second.text, second.right) == ("3 p.m.", "Agenda item 5", 29.0)


def test_superscript_footnote_marks() -> None:
    assert FOOTNOTE_TOKEN.format("12") == "\x00fn:12\x00"
    assert superscript_marks("resolution 75/240¹²") == "resolution 75/240\x00fn:12\x00"
    assert superscript_marks("no marks, 2") == "no marks, 2"
    (line,) = plain_lines("Side event³\n")
    assert line.text == "Side event\x00fn:3\x00"


def test_where_a_line_stands() -> None:
    assert TextLine("x", 12, y=12.0).where() == "line 12"
    assert TextLine("x", 12, page=3, y=12.0).where() == "page 3, line 12"


def _pages(footnote: str) -> str:
    """Four pages as pdftotext leaves them: a running head, a speaker numbered as the list
    goes on, the same footnote under a rule on every page (marks 1 to 4, which go up with
    the pages as page numbers do), and a footer holding the page and job numbers."""
    pages = [
        f"A/C.2/80/L.1\n"
        f"Representative {speaker} of a Member State\n"
        f"General debate\n"
        f"__________________\n"
        f"{footnote.format(page)}\n"
        f"{page}/4 25-14596\n"
        for page, speaker in zip(range(1, 5), (7, 19, 31, 43), strict=True)
    ]
    return "\x0c".join(pages)


@pytest.mark.parametrize(
    "footnote",
    ["{}\nA concept note will be made available on the portal.", "{} A concept note is ready."],
    ids=["mark-alone", "mark-before-the-text"],
)
def test_repeated_margins_are_furniture_but_footnotes_and_speakers(footnote: str) -> None:
    lines = plain_lines(_pages(footnote))
    furniture = [line.text for line in lines if line.furniture]
    assert furniture == [
        "A/C.2/80/L.1",
        "1/4 25-14596",
        "A/C.2/80/L.1",
        "2/4 25-14596",
        "A/C.2/80/L.1",
        "3/4 25-14596",
        "A/C.2/80/L.1",
        "4/4 25-14596",
    ]
    kept = [line.text for line in lines if not line.furniture]
    assert kept.count("General debate") == 4
    assert [x for x in kept if x.startswith("Representative")] == [
        "Representative 7 of a Member State",
        "Representative 19 of a Member State",
        "Representative 31 of a Member State",
        "Representative 43 of a Member State",
    ]
    assert len([x for x in kept if "concept note" in x]) == 4


def test_a_line_whose_numbers_go_up_with_the_pages_is_furniture() -> None:
    """ "- 2 -" to "- 4 -" count the pages from the second on: furniture; the last line,
    alike on every page but for a number that does not follow the pages, is not."""
    text = "\x0c".join(
        f"- {n} -\n{day} morning\nGeneral debate\nKeynote\n{day} afternoon\nItem {item}\n"
        for n, day, item in ((2, "Monday", 5), (3, "Tuesday", 9), (4, "Wednesday", 2))
    )
    lines = plain_lines(text)
    assert [x.text for x in lines if x.furniture] == ["- 2 -", "- 3 -", "- 4 -"]
    assert [x.text for x in lines if x.text.startswith("Item")] == ["Item 5", "Item 9", "Item 2"]


@pytest.mark.parametrize(
    ("piece", "expected"),
    [
        ("(continued) (b) Existing threats", ["(continued)", "(b) Existing threats"]),
        ("  (Continued)(aa) Rules\nof the road", ["(Continued)", "(aa) Rules\nof the road"]),
        ("(continued) ( c ) Capacity-building", ["(continued)", "( c ) Capacity-building"]),
        ("(continued)", ["(continued)"]),  # nothing after the mark
        ("(continued) (b)", ["(continued) (b)"]),  # a letter with no text is no sub-item
        ("(continued) (abc) Not a letter", ["(continued) (abc) Not a letter"]),
        ("Item 5 (continued) (b) Text", ["Item 5 (continued) (b) Text"]),  # not in front
    ],
)
def test_a_continued_mark_before_a_sub_item_is_cut_from_it(piece: str, expected: list[str]) -> None:
    assert split_continued_sub_item(piece) == expected
