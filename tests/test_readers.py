"""read_programme: decoding, the choice of format by content, limits and overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from oewg_cal import Programme
from oewg_cal.errors import DocumentError, DocumentWarning
from oewg_cal.readers import FORMATS, MAX_DOCUMENT_BYTES, detect_format, read, read_programme
from render import render_tsv

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "oewg-ict-4th-session.txt"
SEED_TOML = ROOT / "examples" / "oewg-ict-4th-session.toml"

ROWS = "Monday, 6 March\n10 a.m.–1 p.m.\tItem 3\n3–6 p.m.\tItem 5\n"


# ---------------------------------------------------------------- the formats


def test_the_formats() -> None:
    assert FORMATS == ("toml", "json", "pdf", "tsv", "html", "markdown", "text")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"format": 1}', "json"),
        ('  \n\t{"format": 1}', "json"),  # whitespace before the object
        ('format = 1\n\n[body]\nname = "A"\n', "toml"),
        ("format = 1\n\n[[meetings]]\ndate = 2023-03-06\n", "toml"),
        ('format = 1\n  [body]  \nname = "A"\n', "toml"),  # spaces around the header
        # TOML without [body] or [[meetings]] is not told from text
        ('format = 1\nsession = "A"\n', "text"),
        ("<p>Note</p>\n<TABLE><tr><td>10 a.m.</td></tr></TABLE>\n", "html"),
        ("| a | b |\n|---|---|\n| 1 | 2 |\n", "markdown"),
        ("| a | b |\n| 1 | 2 |\n", "text"),  # two pipe rows are not a table
        ("a\tb\nc\td\ne\tf\n", "tsv"),
        ("a\tb\nc\td\n", "text"),  # nor are two tab-separated lines
        (ROWS, "text"),  # one tab line too few
        (ROWS + "Tuesday\t10 a.m.\tItem 5\n", "tsv"),
        ("Monday, 6 March 2023\n10 a.m.–1 p.m.  Agenda item 3\n", "text"),
        # an HTML table wins over pipes and tabs
        ("| a |\n| b |\n| c |\n<table>\n", "html"),
        # pipes win over tabs
        ("| a\t|\n| b\t|\n| c\t|\n", "markdown"),
    ],
)
def test_the_format_is_chosen_by_content(text: str, expected: str) -> None:
    assert detect_format(text) == expected


def test_the_seed_documents_are_told_apart() -> None:
    assert detect_format(SEED.read_text(encoding="utf-8")) == "tsv"
    assert detect_format(SEED_TOML.read_text(encoding="utf-8")) == "toml"


def test_a_programme_file_reads_as_the_seed(seed_programme: Programme) -> None:
    assert read_programme(SEED_TOML.read_bytes(), source="p.toml") == seed_programme
    assert read_programme(SEED.read_bytes(), source="p.txt") == seed_programme


def test_bytes_and_text_read_the_same(seed_programme: Programme) -> None:
    text = SEED.read_text(encoding="utf-8")
    assert read_programme(text) == read_programme(text.encode()) == seed_programme
    # a UTF-8 byte order mark, as Windows editors write, is not part of the text
    assert read_programme(b"\xef\xbb\xbf" + text.encode()) == seed_programme


def test_format_is_forced(seed_programme: Programme) -> None:
    text = render_tsv(seed_programme)
    # Line 1, "# General Assembly", is a TOML comment; line 3, "Distr.: General", is the
    # first that is not TOML: the dotted key "Distr." goes on with ":" at column 7.
    with pytest.raises(
        DocumentError,
        match=r"^seed\.txt:3:7: not valid TOML: Invalid initial character for a key part ",
    ):
        read_programme(text, source="seed.txt", format="toml")


def test_a_forced_syntax_is_used_for_programme_files_too(seed_programme: Programme) -> None:
    toml = SEED_TOML.read_bytes()
    # the TOML file's first character, "#" of its comment, cannot begin a JSON value
    assert toml.startswith(b"#")
    with pytest.raises(DocumentError, match=r"^p\.toml:1:1: not valid JSON: Expecting value"):
        read_programme(toml, source="p.toml", format="json")
    assert read_programme(toml, source="p.toml", format="toml") == seed_programme


def test_an_unknown_format_is_named() -> None:
    with pytest.raises(
        DocumentError,
        match=r"^p\.txt: unknown format 'docx' \(expected one of toml, json, pdf, tsv, html, "
        r"markdown, text\)$",
    ):
        read_programme(SEED.read_bytes(), source="p.txt", format="docx")


# ---------------------------------------------------------------- what cannot be read


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", r"^x: the document is empty \(expected a programme of work\)$"),
        (b"   \n\n", r"^x: the document is empty \(expected a programme of work\)$"),
        (
            b"\x00\x01\x02binary\xff",
            r"^x: binary data, not a text document or a PDF \(expected a programme of work\)$",
        ),
        (
            b"\xff\xfe\xfa not utf-8",
            r"^x:1: not UTF-8 text \(byte 0xff; expected a UTF-8 document\)$",
        ),
        (
            b"# General Assembly\n",
            r"^x:1: no dated programme found: no day heading followed by meetings \(expected ",
        ),
    ],
)
def test_unreadable_inputs(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        read_programme(data, source="x")


def test_latin_1_is_refused_at_the_line_of_its_first_byte() -> None:
    data = "Programme of work\nNew York\nDélégations\n".encode("latin-1")
    with pytest.raises(DocumentError) as info:
        read_programme(data, source="old.txt")
    assert (info.value.line, info.value.message) == (
        3,
        "not UTF-8 text (byte 0xe9; expected a UTF-8 document)",
    )


def test_the_size_limit() -> None:
    assert MAX_DOCUMENT_BYTES == 20_000_000


def test_oversized_input_is_refused_before_reading() -> None:
    with pytest.raises(
        DocumentError,
        match=r"^big\.txt: the document is 50000001 bytes long \(expected at most 20000000\)$",
    ):
        read_programme(b"a" * 50_000_001, source="big.txt")


def test_the_size_limit_itself_is_read() -> None:
    # exactly at the limit, the document is read (and found to hold no programme)
    data = b"a" * MAX_DOCUMENT_BYTES
    with pytest.raises(DocumentError, match="no dated programme found"):
        read_programme(data, source="big.txt")
    with pytest.raises(DocumentError, match="is 20000001 bytes long"):
        read_programme(data + b"a", source="big.txt")


# ---------------------------------------------------------------- overrides


def test_timezone_and_short_name_overrides() -> None:
    p = read_programme(
        SEED.read_bytes(), source="seed", timezone="Europe/Zurich", short_name="OEWG"
    )
    assert p.timezone == "Europe/Zurich" and p.body.short_name == "OEWG"


def test_overrides_apply_to_programme_files(seed_programme: Programme) -> None:
    with pytest.warns(DocumentWarning, match=r"^p\.toml:6: timezone 'Europe/Zurich' is not the"):
        p = read_programme(
            SEED_TOML.read_bytes(), source="p.toml", timezone="Europe/Zurich", short_name="OEWG"
        )
    assert (p.timezone, p.body.short_name) == ("Europe/Zurich", "OEWG")
    assert p.meetings == seed_programme.meetings and p.body.name == seed_programme.body.name


@pytest.mark.parametrize("path", [SEED, SEED_TOML])
def test_a_bad_override_names_the_source(path: Path) -> None:
    with pytest.raises(
        DocumentError,
        match=r"^p: unknown time zone 'Mars/Olympus' \(expected an IANA name like "
        r"'America/New_York'\)$",
    ):
        read_programme(path.read_bytes(), source="p", timezone="Mars/Olympus")
    with pytest.raises(DocumentError, match=r"^p: short_name must be a single line: 'a\\nb'$"):
        read_programme(path.read_bytes(), source="p", short_name="a\nb")


# ---------------------------------------------------------------- feeds, PDFs and warnings


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        (b"\n  %PDF-1.4", "pdf"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", "ics"),
        (b"\xef\xbb\xbf\r\nbegin:vcalendar\r\n", "ics"),  # a byte order mark, lower case
        (b'{"format": 1}', "json"),
    ],
)
def test_pdfs_and_feeds_are_told_apart(data: bytes | str, expected: str) -> None:
    assert detect_format(data) == expected


def test_a_feed_is_not_a_programme_of_work(seed_ics: bytes) -> None:
    with pytest.raises(
        DocumentError,
        match=r"^feed\.ics: an iCalendar feed, not a programme of work "
        r"\(oewg-cal show and check read feeds\)$",
    ):
        read_programme(seed_ics, source="feed.ics")


def test_a_pdf_must_be_bytes() -> None:
    with pytest.raises(DocumentError, match=r"^p\.pdf: a PDF must be given as bytes$"):
        read_programme("%PDF-1.7 not really", source="p.pdf")


def test_read_gives_the_programme_and_its_warnings(seed_programme: Programme) -> None:
    reading = read(SEED.read_bytes(), source="seed.txt")
    assert reading.programme == seed_programme and reading.warnings == ()
    assert read(SEED_TOML.read_bytes()).warnings == ()


def _with_a_warning() -> bytes:
    # item 3 "(continued)" in the first meeting: read as a series begun before, with a warning
    return SEED.read_bytes().replace(
        b"<b>Agenda item 3: organization of work</b>",
        b"<b>Agenda item 3: organization of work (continued)</b>",
    )


def test_warnings_are_python_warnings_or_with_strict_errors() -> None:
    data = _with_a_warning()
    (warning,) = [w for w in read(data, source="p.txt").warnings if "agenda item 3" in w.message]
    assert isinstance(warning, DocumentWarning) and warning.source == "p.txt"
    with pytest.warns(DocumentWarning, match="continues agenda item 3"):
        read_programme(data, source="p.txt")
    with pytest.raises(DocumentError) as info:
        read_programme(data, source="p.txt", strict=True)
    assert info.value.message.endswith("(a warning; --strict refuses it)")
    assert info.value.line == warning.line
