"""Pathological documents: what must be read, or refused, in time linear in their size.

Each :class:`Case` builds its document at any ``scale`` (1.0 is the size the benchmark
and the issue name; the bounds test also reads it at 0.1, so that a path quadratic in the
input shows as a ratio).  Every document is a synthetic programme of ten meetings
(``synthetic.py``) written out by ``tests/render.py`` (tab-separated, HTML, markdown,
plain text) or ``pdfsynth.py`` (PDF), with the pathological part put where a reader
meets it:

* ``angle``: 80 kB of ``<`` without a ``>`` after it, at the end of the first
  meeting's agenda (in the cell of the marked-up shapes);
* ``speakers``: 3,000 speakers in the first meeting's cell (opening statements); 1,000
  in a PDF (36 pages of them);
* ``footnotes``: 200 kB of footnotes (90 of 2.2 kB, wrapped at 100 characters);
* ``after``: 83 kB and 210 kB of prose after the table, before the footnotes, with
  document symbols and resolutions in every line;
* ``notes``: the same 210 kB as one numbered paragraph after the table ("1. The
  Committee …", read as a note of the programme, its references collected), in a
  marked-up and in a plain text document;
* ``source``: a 280 kB programme (770 meetings, tab-separated), read exactly.

``expected`` is the programme a case must read to when the reader can know it (the
pathological part is a programme's own content); otherwise only a read (with warnings)
or a :class:`~oewg_cal.errors.DocumentError` is acceptable.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable

import attrs
from synthetic import synthetic_programme

from oewg_cal.model import Footnote, Programme
from render import RENDERERS

__all__ = ["CASES", "PDF_SPEAKERS", "SHORT_NAME", "TEXT_SHAPES", "Case"]

#: The short name the renderers do not print (read with ``short_name=``).
SHORT_NAME = "OEWG on ICT security 2021–2025"
TEXT_SHAPES = ("tsv", "html", "markdown", "text")
#: Speakers a PDF's cell holds in the speakers case (a PDF's pages are few).
PDF_SPEAKERS = 1000


@attrs.frozen
class Case:
    """A pathological document at any scale, and what reading it must give."""

    name: str
    shape: str  # one of TEXT_SHAPES or "pdf"
    build: Callable[[float], bytes]
    expected: Callable[[float], Programme] | None = None
    about: str = ""


# ---------------------------------------------------------------- documents


def _render(programme: Programme, shape: str) -> str:
    return RENDERERS[shape](programme)


def _pdf(programme: Programme, extra: tuple[str, ...] = ()) -> bytes:
    from pdfsynth import render_pdf

    return render_pdf(programme, extra)


@functools.cache
def _base() -> Programme:
    return synthetic_programme(10)


def _in_first_agenda(document: str, shape: str, payload: str) -> str:
    """``payload`` at the end of the first meeting's agenda."""
    if shape == "html":
        at = document.index("</td>\n</tr>", document.index("a.m.–1 p.m.</td>"))
        return document[:at] + payload + document[at:]
    if shape == "markdown":
        at = document.index(" |\n", document.index("| 10 a.m.–1 p.m. |"))
        return document[:at] + payload + document[at:]
    if shape == "tsv":
        at = document.index("\n", document.index("10 a.m.–1 p.m.\t"))
        return document[:at] + "  " + payload + document[at:]
    at = document.index("\n", document.index("10 a.m.–1 p.m.  ")) + 1
    return document[:at] + " " * 17 + payload + "\n" + document[at:]


def _before_footnotes(document: str, shape: str, lines: list[str]) -> str:
    """``lines`` after the table: between its last row and the footnotes."""
    mark = {"html": "<p><sup>1</sup>", "text": "¹ "}.get(shape, "<sup>1</sup>")
    at = document.rindex("\n" + mark) + 1
    if shape == "html":
        block = "".join(f"<p>{line}</p>\n" for line in lines)
    else:
        block = "\n".join(lines) + "\n\n"
    return document[:at] + block + document[at:]


def angle(shape: str, scale: float) -> bytes:
    count = int(80_000 * scale)
    if shape == "pdf":
        # a PDF holds no 80 kB line: the same characters as words of 60 on wrapped lines
        words = ["<" * 60] * (count // 60)
        return _pdf(_base(), (" ".join(words),))
    return _in_first_agenda(_render(_base(), shape), shape, "<" * count).encode()


def _name(number: int) -> str:
    """A made-up State's name, different for every number and without digits (a PDF reader
    may take lines that differ only in digits, at the same height of many pages, for the
    pages' running heads)."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[digit]
        if not number:
            break
    return f"the Republic of {letters.title()}ia"


def _with_speakers(scale: float, count: int = 3000) -> Programme:
    first = _base().meetings[0]
    statements = first.entries[1]
    speakers = tuple(f"Representative of {_name(n)}" for n in range(int(count * scale)))
    entries = (first.entries[0], attrs.evolve(statements, speakers=speakers), *first.entries[2:])
    meetings = (attrs.evolve(first, entries=entries), *_base().meetings[1:])
    return attrs.evolve(_base(), meetings=meetings)


def speakers(shape: str, scale: float) -> bytes:
    if shape == "pdf":
        return _pdf(_with_speakers(scale, PDF_SPEAKERS))
    return _render(_with_speakers(scale), shape).encode()


_NOTE = (
    "States are strongly encouraged to use their interventions under each sub-item of agenda "
    "item 5 to focus on the topics identified for follow-up in the first annual progress "
    "report of the working group, as the General Assembly requested at its last session."
)


def _with_footnotes(scale: float) -> Programme:
    text = " ".join([_NOTE] * 9)  # 2.2 kB
    notes = [Footnote(mark=str(n), text=f"{text} ({n})") for n in range(2, int(90 * scale) + 2)]
    return attrs.evolve(_base(), footnotes=(*_base().footnotes, *notes))


_MARKS = ("<sup>", *"¹²³⁴⁵⁶⁷⁸⁹")


def footnotes(shape: str, scale: float) -> bytes:
    document = _render(_with_footnotes(scale), shape)
    if shape != "html":  # footnotes wrapped as a converter or a typist leaves them
        document = "\n".join(
            "\n".join(textwrap.wrap(line, 100)) if line.startswith(_MARKS) else line
            for line in document.split("\n")
        )
    return document.encode()


def _prose(size: int) -> list[str]:
    """Lines of a note as the Secretariat writes one, citing documents and resolutions."""
    lines: list[str] = []
    total = 0
    while total < size:
        n = len(lines)
        year = 78 + n % 3
        line = (
            f"The Committee will consider the reports (A/{year}/{100 + n}, A/{year}/{101 + n} "
            f"and A/{year}/{102 + n}) under item {n % 20 + 1}, as requested in resolution "
            f"{70 + n % 9}/{n % 500}, resolution {71 + n % 9}/{n % 400} and resolution "
            f"{72 + n % 9}/{n % 300}."
        )
        lines.append(line)
        total += len(line.encode()) + 1
    return lines


def after(shape: str, scale: float, size: int) -> bytes:
    return _before_footnotes(_render(_base(), shape), shape, _prose(int(size * scale))).encode()


def notes(shape: str, scale: float) -> bytes:
    lines = _prose(int(210_000 * scale))
    lines[0] = f"1. {lines[0]}"  # one paragraph of the note, its lines going on after it
    return _before_footnotes(_render(_base(), shape), shape, lines).encode()


@functools.cache
def _big(meetings: int) -> Programme:
    return synthetic_programme(meetings)


def source(scale: float) -> bytes:
    return _render(_big(int(770 * scale)), "tsv").encode()


# ---------------------------------------------------------------- the cases


def _cases() -> list[Case]:
    cases: list[Case] = []
    for shape in (*TEXT_SHAPES, "pdf"):
        cases.append(
            Case(
                f"angle-{shape}",
                shape,
                functools.partial(angle, shape),
                about="80 kB of '<' without '>'",
            )
        )
    for shape in (*TEXT_SHAPES, "pdf"):
        count = PDF_SPEAKERS if shape == "pdf" else 3000
        cases.append(
            Case(
                f"speakers-{shape}",
                shape,
                functools.partial(speakers, shape),
                functools.partial(_with_speakers, count=count),
                about=f"{count:,} speakers in one cell",
            )
        )
    for shape in TEXT_SHAPES:
        cases.append(
            Case(
                f"footnotes-{shape}",
                shape,
                functools.partial(footnotes, shape),
                _with_footnotes,
                about="200 kB of footnotes",
            )
        )
    for size in (83_000, 210_000):
        for shape in TEXT_SHAPES:
            cases.append(
                Case(
                    f"after{size // 1000}k-{shape}",
                    shape,
                    functools.partial(after, shape, size=size),
                    about=f"{size // 1000} kB of text after the table",
                )
            )
    for shape in ("tsv", "text"):
        cases.append(
            Case(
                f"notes-{shape}",
                shape,
                functools.partial(notes, shape),
                about="210 kB of a numbered paragraph after the table",
            )
        )
    cases.append(
        Case(
            "source280k-tsv",
            "tsv",
            source,
            lambda scale: _big(int(770 * scale)),
            about="a 280 kB source (770 meetings)",
        )
    )
    return cases


CASES: dict[str, Case] = {case.name: case for case in _cases()}
