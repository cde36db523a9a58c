"""Real programmes of work, as UN bodies published them, read against hand-read answer keys.

The documents live beside the project in ``../shared/corpus`` (see its README) and are
never copied here.  Each keyed PDF, and each text a converter makes of it (PyMuPDF's in
the corpus, ``pdftotext -layout`` and ``-raw`` made here), must read into a feed that
the corpus's own checker (``check.py``) passes: every meeting at its UTC time with its
items and sub-items, every series grouped, no extra event.  The text forms must give the
programme the PDF gives.  The other excerpts must be read, or refused with a message
that says why.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from oewg_cal.errors import DocumentError
from oewg_cal.ical.encode import to_ics
from oewg_cal.readers import Reading, read

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
KEYED = ("A_C.2_80_L.1", "A_C.4_80_L.1")
PYMUPDF = {
    "A_C.2_80_L.1": "07_A_C.2_80_L.1_pymupdf.txt",
    "A_C.4_80_L.1": "08_A_C.4_80_L.1_pymupdf.txt",
}


def _need(what: str, present: bool) -> None:
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; CI must provide it")
    pytest.skip(f"{what} is missing (CI provides it)")


@pytest.fixture(scope="module")
def corpus() -> Path:
    _need(f"the real documents in {CORPUS}", (CORPUS / "check.py").is_file())
    return CORPUS


@pytest.fixture(scope="module")
def pdftotext() -> str:
    found = shutil.which("pdftotext")
    _need("pdftotext (Debian's poppler-utils)", found is not None)
    assert found is not None
    return found


def _reading(path: Path) -> Reading:
    return read(path.read_bytes(), source=path.name)


#: Converters differ in a note's prose ("( A/80/100", "wil l"); every other field is the PDF's.
PROSE = ("notes", "references")


def _same_programme(text_form: Reading, pdf: Reading) -> None:
    for field in attrs.fields(type(pdf.programme)):
        if field.name not in PROSE:
            assert getattr(text_form.programme, field.name) == getattr(pdf.programme, field.name), (
                field.name
            )


def _check(corpus: Path, reading: Reading, name: str, tmp_path: Path) -> None:
    feed = tmp_path / f"{name}.ics"
    feed.write_bytes(to_ics(reading.programme))
    key = corpus / f"{name}.expected.json"
    result = subprocess.run(
        [sys.executable, str(corpus / "check.py"), str(feed), str(key)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", KEYED)
def test_the_pdf_reads_as_its_key(corpus: Path, name: str, tmp_path: Path) -> None:
    _check(corpus, _reading(corpus / f"{name}.pdf"), name, tmp_path)


@pytest.mark.parametrize("name", KEYED)
@pytest.mark.parametrize("mode", ["-layout", "-raw"])
def test_pdftotext_reads_as_the_pdf(
    corpus: Path, pdftotext: str, name: str, mode: str, tmp_path: Path
) -> None:
    text = tmp_path / f"{name}.txt"
    subprocess.run(
        [pdftotext, mode, str(corpus / f"{name}.pdf"), str(text)], check=True, timeout=60
    )
    reading = _reading(text)
    _check(corpus, reading, name, tmp_path)
    _same_programme(reading, _reading(corpus / f"{name}.pdf"))


@pytest.mark.parametrize("name", KEYED)
def test_pymupdf_text_reads_as_the_pdf(corpus: Path, name: str, tmp_path: Path) -> None:
    reading = _reading(corpus / "text" / PYMUPDF[name])
    _check(corpus, reading, name, tmp_path)
    _same_programme(reading, _reading(corpus / f"{name}.pdf"))


def test_second_committee_as_printed(corpus: Path) -> None:
    """What the key checks not: the heading, deadlines, followed-by, footnotes, warnings."""
    reading = _reading(corpus / "A_C.2_80_L.1.pdf")
    programme = reading.programme
    assert programme.body.name == "Second Committee"
    assert programme.session == "Eightieth session"
    assert programme.symbol == "A/C.2/80/L.1"
    assert str(programme.issued) == "2025-09-12"
    assert (programme.place, programme.timezone) == ("New York", "America/New_York")
    deadlines = [m for m in programme.meetings if m.kind.value == "deadline"]
    assert len(deadlines) == 9  # the nine "3 p.m.: deadline …" lines
    first = programme.meetings[0]
    assert first.followed_by is not None and not first.followed_by.formal
    assert [e.item for e in first.followed_by.entries] == [137]
    assert [f.mark for f in programme.footnotes] == ["1", "2", "3", "4"]
    no_time = [m for m in programme.meetings if not m.timed]
    assert [str(m.date) for m in no_time] == ["2025-10-10"]
    said = " ".join(w.message for w in reading.warnings)
    assert "no time is given for the meeting of 2025-10-10" in said
    assert "only the start (10:00) is given for the meeting of 2025-10-01" in said
    located = [w for w in reading.warnings if w.page is not None and w.line is not None]
    assert located == list(reading.warnings)


def test_fourth_committee_year_and_holidays(corpus: Path) -> None:
    reading = _reading(corpus / "A_C.4_80_L.1.pdf")
    said = [w.message for w in reading.warnings]
    assert any("2025 is taken from the issue date (2025-09-12)" in m for m in said)
    assert any('"Diwali"' in m and "without meetings" in m for m in said)
    assert any('"Gurpurab"' in m for m in said)
    days = {m.date.isoformat() for m in reading.programme.meetings}
    assert "2025-10-20" not in days and "2025-11-05" not in days
    assumed = [m for m in reading.programme.meetings if m.end_assumed]
    assert len(assumed) == 28  # every meeting prints its start only


def test_a_document_without_a_programme_is_refused(corpus: Path) -> None:
    with pytest.raises(DocumentError, match="no dated programme found"):
        _reading(corpus / "A_C.6_80_L.1.pdf")


REFUSED = {
    "13_HRC36_draft-PoW_2017_docsbay.txt": "the programme is a grid",
    "15_CSW59_org-of-work_2015_unwomen.txt": "the programme is a grid",
    "16_CSW61_org-of-work_2017_lac-unwomen.txt": "the programme is a grid",
    "18_FAO-Council125_CL-125-INF-1_en_2003.txt": "meeting times but no day headings",
    "19_FAO-Council125_CL-125-INF-1_zh_2003.txt": "not in English",
    "22_UN-Journal_2007-11-19_zh-en_wenqiao.txt": "not a programme of work",
    "23_A-69-972_GA70-plenary-draft-PoW_ru_2015_scribd.txt": "not in English",
    "24_A-C.3-72-L.1_ThirdCttee-org-of-work_en-ar-bitext_2017.txt": "no dated programme found",
}


@pytest.mark.parametrize(("name", "why"), sorted(REFUSED.items()))
def test_excerpts_that_hold_no_readable_programme_are_refused(
    corpus: Path, name: str, why: str
) -> None:
    with pytest.raises(DocumentError, match=re.escape(why)):
        _reading(corpus / "text" / name)


def test_an_excerpt_cut_short_is_read_with_a_warning(corpus: Path) -> None:
    reading = _reading(corpus / "text" / "11_ECOSOC-1997_E-1997-L.15_un-org.txt")
    programme = reading.programme
    assert (programme.place, programme.timezone) == ("Geneva", "Europe/Zurich")
    assert programme.body.name == "Economic and Social Council"
    starts = [(m.date.isoformat(), f"{m.start:%H:%M}") for m in programme.meetings if m.start]
    assert starts[:3] == [("1997-06-30", "10:00"), ("1997-06-30", "10:30"), ("1997-06-30", "15:00")]
    # "Thursday, 3 July and Friday, 4 July" then "10 a.m. and 3 p.m.": four meetings
    assert [s for s in starts if s[0] in ("1997-07-03", "1997-07-04")] == [
        ("1997-07-03", "10:00"),
        ("1997-07-03", "15:00"),
        ("1997-07-04", "10:00"),
        ("1997-07-04", "15:00"),
    ]
    items = [e.item for e in programme.meetings[0].entries if e.item]
    assert items == [1]
    assert (
        programme.meetings[0].entries[1].title
        == "Adoption of the agenda and other organizational matters"
    )
    assert any("may end early" in w.message for w in reading.warnings)
    # the "Documentation" column is not agenda: its symbols are the programme's references
    assert "E/1997/100" in {r.symbol for r in programme.references}
