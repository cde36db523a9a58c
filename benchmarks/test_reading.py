"""Reading documents: every shape at every size, pathological inputs, PDFs against pdftotext.

* ``test_document_{html,markdown,text,pdf}[SIZE]``: document → model for each shape
  (``test_document_oewg`` in test_stages.py is the tab-separated one), read exactly back
  into the synthetic programme; check_targets judges their scaling (10× the meetings in at
  most 11× the time, fastest rounds).
* ``test_pathological[CASE]``: the documents of ``pathological.py``, read or refused in
  under a second each (fastest round); their outcome and size in ``extra_info``.
* ``test_pdf_build`` / ``test_pdf_baseline``: ``oewg-cal build`` on the Second
  Committee's PDF (A/C.2/80/L.1, read from ``../shared/corpus``) against ``pdftotext
  -layout`` and ``oewg-cal build`` on its text, each a fresh process as a user runs them;
  the peak memory (maximum resident set) of the processes is in ``extra_info``, and so
  are both ways run in turn, pair by pair (the target's ratio: the median of the pairs').

With ``--benchmark-disable`` (CI's smoke run) the pathological documents are read at a
tenth of their size: tests/test_reading_bounds.py reads them at full size.
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from pathological import CASES, SHORT_NAME
from synthetic import synthetic_programme

from conftest import SIZES
from oewg_cal.errors import DocumentError
from oewg_cal.model import Programme
from oewg_cal.readers import read
from render import RENDERERS, render_tsv

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SECOND_COMMITTEE = CORPUS / "A_C.2_80_L.1.pdf"


@functools.cache
def programme(size: int) -> Programme:
    return synthetic_programme(size)


@functools.cache
def document(shape: str, size: int) -> bytes:
    if shape == "pdf":
        from pdfsynth import render_pdf

        return render_pdf(programme(size))
    return RENDERERS[shape](programme(size)).encode()


def _read_document(benchmark: Any, shape: str, size: int) -> None:
    benchmark.group = f"document-{size}"
    data = document(shape, size)
    source = f"synthetic.{'pdf' if shape == 'pdf' else 'txt'}"
    if shape == "pdf":
        read(document("pdf", 10), source=source)  # PDFium is loaded once per process
    rounds = {"rounds": 3} if size >= 10_000 else {"rounds": 5}
    reading = benchmark.pedantic(
        read, args=(data,), kwargs={"source": source, "short_name": SHORT_NAME}, **rounds
    )
    assert reading.programme == programme(size) and not reading.warnings


@pytest.mark.parametrize("size", SIZES)
def test_document_html(benchmark: Any, size: int) -> None:
    _read_document(benchmark, "html", size)


@pytest.mark.parametrize("size", SIZES)
def test_document_markdown(benchmark: Any, size: int) -> None:
    _read_document(benchmark, "markdown", size)


@pytest.mark.parametrize("size", SIZES)
def test_document_text(benchmark: Any, size: int) -> None:
    _read_document(benchmark, "text", size)


@pytest.mark.parametrize("size", SIZES)
def test_document_pdf(benchmark: Any, size: int) -> None:
    _read_document(benchmark, "pdf", size)


SCALING_SHAPES = {
    "tsv": "test_document_oewg",
    "html": "test_document_html",
    "markdown": "test_document_markdown",
    "text": "test_document_text",
    "pdf": "test_document_pdf",
}


def _scaling_document(shape: str, size: int) -> bytes:
    return render_tsv(programme(size)).encode() if shape == "tsv" else document(shape, size)


@pytest.mark.parametrize("shape", SCALING_SHAPES)
def test_document_scaling(benchmark: Any, shape: str) -> None:
    """The three largest sizes read in turn, round after round, in CPU time: the ratios of
    their fastest rounds (``extra_info["paired"]``, each size against the one ten times
    smaller) are taken under the same conditions, where the separate benchmarks run the
    sizes minutes apart."""
    benchmark.group = "document-scaling"
    chosen = SIZES[-3:]
    source = f"synthetic.{'pdf' if shape == 'pdf' else 'txt'}"
    data = {size: _scaling_document(shape, size) for size in chosen}
    read(data[chosen[0]], source=source, short_name=SHORT_NAME)  # first-use costs
    times: dict[int, list[float]] = {size: [] for size in chosen}

    def in_turn() -> None:
        for _ in range(1 if benchmark.disabled else 3):
            for size in chosen:
                start = time.process_time()
                reading = read(data[size], source=source, short_name=SHORT_NAME)
                times[size].append(time.process_time() - start)
                assert reading.programme == programme(size) and not reading.warnings

    benchmark.pedantic(in_turn, rounds=1, iterations=1)
    benchmark.extra_info["paired"] = [
        {
            "small": small,
            "large": large,
            "small_seconds": times[small],
            "large_seconds": times[large],
            "ratio": min(times[large]) / min(times[small]),
        }
        for small, large in itertools.pairwise(chosen)
    ]


# ---------------------------------------------------------------- pathological inputs


def _outcome(data: bytes) -> str:
    try:
        reading = read(data, source="pathological", short_name=SHORT_NAME)
    except DocumentError:
        return "refused"
    return f"read, {len(reading.warnings)} warning(s)"


@pytest.mark.parametrize("case", list(CASES))
def test_pathological(benchmark: Any, case: str) -> None:
    benchmark.group = "pathological"
    scale = 0.1 if benchmark.disabled else 1.0
    data = CASES[case].build(scale)
    if CASES[case].shape == "pdf":
        read(document("pdf", 10), source="synthetic.pdf")  # PDFium is loaded once per process
    outcome = benchmark.pedantic(_outcome, args=(data,), rounds=3)
    benchmark.extra_info.update(bytes=len(data), outcome=outcome, about=CASES[case].about)


# ---------------------------------------------------------------- PDF against pdftotext


def _need(what: str, present: bool) -> None:
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; CI must provide it")
    pytest.skip(f"{what} is missing: the PDF benchmarks read it from there (CI has it)")


#: Runs a command and prints its peak memory.  A process forked from a large one (pytest
#: holding a 1,000-meeting feed) starts with that process's memory counted in its maximum
#: resident set, so the command is started from this small one.
_PEAK = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_pid, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024)  # kilobytes on Linux
"""


def _peak_memory(args: list[str]) -> int:
    """The peak memory (maximum resident set, bytes) of a process running ``args``."""
    done = subprocess.run([sys.executable, "-c", _PEAK, *args], capture_output=True, text=True)
    code, peak = (int(n) for n in done.stdout.split())
    assert code == 0, args
    return peak


def _process(args: list[str]) -> None:
    subprocess.run(args, check=True, capture_output=True)


def _check(feed: Path) -> None:
    """The feed against the corpus's answer key, with the corpus's own checker."""
    key = SECOND_COMMITTEE.with_name("A_C.2_80_L.1.expected.json")
    check = [sys.executable, str(CORPUS / "check.py"), str(feed), str(key)]
    result = subprocess.run(check, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _oewg_cal(*args: str) -> list[str]:
    return [sys.executable, "-m", "oewg_cal", *args]


@pytest.fixture(scope="module")
def second_committee() -> Path:
    _need(f"the Second Committee's PDF ({SECOND_COMMITTEE})", SECOND_COMMITTEE.is_file())
    return SECOND_COMMITTEE


@pytest.fixture(scope="module")
def pdftotext() -> str:
    found = shutil.which("pdftotext")
    _need("pdftotext (Debian's poppler-utils)", found is not None)
    assert found is not None
    return found


class _PdfRuns:
    """The two ways to a feed from the PDF, each a function running fresh processes."""

    def __init__(self, pdf: Path, pdftotext: str, folder: Path) -> None:
        self.feed, self.text_feed, text = folder / "pdf.ics", folder / "text.ics", folder / "t.txt"
        self.build = _oewg_cal("build", str(pdf), "-o", str(self.feed))
        self.convert = [pdftotext, "-layout", str(pdf), str(text)]
        self.text_build = _oewg_cal("build", str(text), "-o", str(self.text_feed))

    def from_pdf(self) -> None:
        _process(self.build)

    def from_text(self) -> None:
        _process(self.convert)
        _process(self.text_build)

    def paired(self, pairs: int) -> dict[str, float]:
        """Both ways in turn, ``pairs`` times: the machine's load falls on both alike."""
        times: list[tuple[float, float]] = []
        for _ in range(pairs):
            pair = []
            for run in (self.from_pdf, self.from_text):
                start = time.perf_counter()
                run()
                pair.append(time.perf_counter() - start)
            times.append((pair[0], pair[1]))
        return {
            "pairs": pairs,
            "pdf_median": statistics.median(a for a, _ in times),
            "text_median": statistics.median(b for _, b in times),
            "ratio": statistics.median(a / b for a, b in times),
        }


def test_pdf_build(benchmark: Any, second_committee: Path, pdftotext: str, tmp_path: Path) -> None:
    """``oewg-cal build A_C.2_80_L.1.pdf``: a fresh process, as a user runs it; then, in
    ``extra_info``, its peak memory and its time against the floor's in pairs run in turn."""
    benchmark.group = "pdf"
    runs = _PdfRuns(second_committee, pdftotext, tmp_path)
    benchmark.pedantic(runs.from_pdf, rounds=10, warmup_rounds=1)
    rounds = 1 if benchmark.disabled else 3
    benchmark.extra_info["peak_rss_bytes"] = max(_peak_memory(runs.build) for _ in range(rounds))
    benchmark.extra_info["paired"] = runs.paired(1 if benchmark.disabled else 15)
    _check(runs.feed)


def test_pdf_baseline(
    benchmark: Any, second_committee: Path, pdftotext: str, tmp_path: Path
) -> None:
    """The floor: ``pdftotext -layout`` then ``oewg-cal build`` on its text, two fresh
    processes, as a user without PDF input would run them."""
    benchmark.group = "pdf"
    runs = _PdfRuns(second_committee, pdftotext, tmp_path)
    benchmark.pedantic(runs.from_text, rounds=10, warmup_rounds=1)
    rounds = 1 if benchmark.disabled else 3
    benchmark.extra_info["peak_rss_bytes"] = max(
        _peak_memory(args) for args in (runs.convert, runs.text_build) for _ in range(rounds)
    )
    _check(runs.text_feed)
