"""Check the benchmark targets against a pytest-benchmark JSON file; exit 1 when one is missed.

    python benchmarks/check_targets.py benchmarks/results.json

Every target on speed is a ratio of times taken in the same run, so it survives a noisy
machine: medians for a stage against its floor, minimum times for the scaling from 100 to
1,000 and from 1,000 to 10,000 meetings (for documents, the sizes read in turn by
``test_document_scaling``, in CPU time, when it ran them).  The pathological documents
are held to a time (the issue's second), judged on their fastest round; PDF reading also
to a peak memory.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

TARGETS = {
    "write": ("test_write_oewg", "test_write_baseline", 1.25),
    "read": ("test_read_oewg", "test_read_baseline", 1.25),
    # the agenda page of a feed against writing the feed (write_ics) in the same group
    "page": ("test_page_oewg", "test_page_baseline", 1.5),
}
REFRESH_TARGET = 1.5
SCALING = 11.0
COLD_START = 1.3
#: Stages whose time must grow linearly with the meetings: 10× the meetings, ≤ 11× the time.
SCALED = (
    "test_write_oewg",
    "test_read_oewg",
    "test_document_oewg",  # tab-separated, the seed's shape
    "test_document_html",
    "test_document_markdown",
    "test_document_text",
    "test_document_pdf",
    "test_refresh_noop",
    "test_refresh_unremembered",
    "test_refresh_one_percent",
)
PATHOLOGICAL = 1.0  # seconds, fastest round
#: ``oewg-cal build`` on a PDF against ``pdftotext -layout`` + ``oewg-cal build``.
PDF_TARGET = 1.5
PDF_MEMORY = 100e6  # bytes, the process's peak resident set


def medians(results: dict[str, object], statistic: str = "median") -> dict[str, float]:
    """Median (or another statistic's) seconds of each benchmark, keyed by its name."""
    found: dict[str, float] = {}
    for bench in results["benchmarks"]:  # type: ignore[attr-defined]
        found[bench["name"]] = bench["stats"][statistic]
    return found


def sizes(found: dict[str, float], test: str) -> list[int]:
    return sorted(int(m.group(1)) for n in found if (m := re.fullmatch(rf"{test}\[(\d+)\]", n)))


def checks(
    found: dict[str, float],
    fastest: dict[str, float] | None = None,
    extra: dict[str, dict[str, object]] | None = None,
) -> Iterator[tuple[str, float, float, bool]]:
    """(description, value, limit, ok) for every target the results allow to check.

    ``found`` holds the medians; ``fastest`` the minimum times, used for the scaling
    targets (two sizes run minutes apart, where a disturbed machine only ever adds time;
    medians serve the ratios to a floor, which share a group and its conditions) and for
    the pathological documents; ``extra`` each benchmark's ``extra_info`` (peak memory).
    """
    fastest = found if fastest is None else fastest
    extra = extra or {}
    for stage, (ours, floor, limit) in TARGETS.items():
        for size in sizes(found, ours):
            if f"{floor}[{size}]" in found and size >= 100:
                ratio = found[f"{ours}[{size}]"] / found[f"{floor}[{size}]"]
                floor_name = "write_ics" if stage == "page" else "icalendar"
                yield f"{stage} {size}: oewg / {floor_name}", ratio, limit, ratio <= limit
    for size in sizes(found, "test_refresh_noop"):
        floor = found.get(f"test_refresh_baseline[{size}]")
        if floor and size == 1000:
            ratio = found[f"test_refresh_noop[{size}]"] / floor
            yield (
                f"no-op refresh {size}: oewg / (from_ical + to_ical)",
                ratio,
                REFRESH_TARGET,
                ratio <= REFRESH_TARGET,
            )
    for test in SCALED:
        for small in (100, 1000):
            large = 10 * small
            paired = _paired_scaling(extra, test, small)
            if paired is not None:
                yield (
                    f"scaling {test}: {large:,} / {small:,} (read in turn, CPU, min)",
                    paired,
                    SCALING,
                    paired <= SCALING,
                )
            elif f"{test}[{small}]" in fastest and f"{test}[{large}]" in fastest:
                ratio = fastest[f"{test}[{large}]"] / fastest[f"{test}[{small}]"]
                yield (
                    f"scaling {test}: {large:,} / {small:,} (min)",
                    ratio,
                    SCALING,
                    ratio <= SCALING,
                )
    for name in sorted(fastest):
        if name.startswith("test_pathological["):
            seconds = fastest[name]
            yield (
                f"pathological {name[18:-1]}: seconds (min)",
                seconds,
                PATHOLOGICAL,
                seconds <= PATHOLOGICAL,
            )
    paired = extra.get("test_pdf_build", {}).get("paired")
    if isinstance(paired, dict):
        ratio = paired["ratio"]
        yield (
            "PDF build / (pdftotext -layout + build), in pairs (median)",
            ratio,
            PDF_TARGET,
            ratio <= PDF_TARGET,
        )
    elif "test_pdf_build" in found and "test_pdf_baseline" in found:
        ratio = found["test_pdf_build"] / found["test_pdf_baseline"]
        yield "PDF build / (pdftotext -layout + build)", ratio, PDF_TARGET, ratio <= PDF_TARGET
    peak = extra.get("test_pdf_build", {}).get("peak_rss_bytes")
    if isinstance(peak, int | float):
        megabytes = peak / 1e6
        yield (
            "PDF build: peak memory (MB)",
            megabytes,
            PDF_MEMORY / 1e6,
            peak < PDF_MEMORY,
        )
    base = found.get("test_cold_start_baseline")
    if base:
        for test in ("test_cold_start_version", "test_cold_start_build"):
            if test in found:
                ratio = found[test] / base
                yield (
                    f"cold start {test}: / python -c 'import icalendar'",
                    ratio,
                    COLD_START,
                    ratio <= COLD_START,
                )


#: The document benchmarks and the shape their interleaved scaling run reads.
DOCUMENT_SHAPES = {
    "test_document_oewg": "tsv",
    "test_document_html": "html",
    "test_document_markdown": "markdown",
    "test_document_text": "text",
    "test_document_pdf": "pdf",
}


def _paired_scaling(extra: dict[str, dict[str, object]], test: str, small: int) -> float | None:
    """The ratio of ``test_document_scaling``, whose sizes were read in turn, when it ran
    ``small`` and ten times ``small``: the same ratio under the same conditions."""
    shape = DOCUMENT_SHAPES.get(test)
    paired = extra.get(f"test_document_scaling[{shape}]", {}).get("paired")
    for pair in paired if isinstance(paired, list) else []:
        if (pair["small"], pair["large"]) == (small, 10 * small):
            return float(pair["ratio"])
    return None


def information(found: dict[str, float], fastest: dict[str, float] | None = None) -> Iterator[str]:
    """Ratios reported beside the targets, to explain them."""
    for test in DOCUMENT_SHAPES:
        for small in (100, 1000):
            pair = (f"{test}[{small}]", f"{test}[{10 * small}]")
            if fastest and all(name in fastest for name in pair):
                ratio = fastest[pair[1]] / fastest[pair[0]]
                yield (
                    f"scaling {test}: {10 * small:,} / {small:,}, "
                    f"the sizes' own benchmarks (min): {ratio:.2f}"
                )
    if "test_pdf_build" in found and "test_pdf_baseline" in found:
        ratio = found["test_pdf_build"] / found["test_pdf_baseline"]
        yield f"PDF build / (pdftotext -layout + build), medians of the benchmarks: {ratio:.2f}"
    for size in sizes(found, "test_refresh_unremembered"):
        floor = found.get(f"test_refresh_baseline[{size}]")
        if floor:
            ratio = found[f"test_refresh_unremembered[{size}]"] / floor
            yield f"no-op refresh {size}, no fingerprint / (from_ical + to_ical): {ratio:.2f}"
    base = found.get("test_cold_start_baseline")
    deps = found.get("test_cold_start_dependencies")
    if base and deps:
        yield f"cold start: 'import icalendar, attrs' / 'import icalendar': {deps / base:.2f}"
        if "test_cold_start_build" in found:
            ratio = found["test_cold_start_build"] / deps
            yield f"cold start: build / python -c 'import icalendar, attrs': {ratio:.2f}"


def main(argv: list[str]) -> int:
    results = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    missed = 0
    extra = {bench["name"]: bench.get("extra_info", {}) for bench in results["benchmarks"]}
    for description, value, limit, ok in checks(medians(results), medians(results, "min"), extra):
        print(f"{'ok    ' if ok else 'MISSED'} {description}: {value:.2f} (target ≤ {limit})")
        missed += not ok
    for line in information(medians(results), medians(results, "min")):
        print(f"info   {line}")
    for bench in results["benchmarks"]:
        if "peak_bytes" in bench.get("extra_info", {}):
            peak = bench["extra_info"]["peak_bytes"] / 1e6
            print(f"info   peak memory {bench['name']}: {peak:.1f} MB")
        if "peak_rss_bytes" in bench.get("extra_info", {}):
            peak = bench["extra_info"]["peak_rss_bytes"] / 1e6
            print(f"info   peak resident memory {bench['name']}: {peak:.1f} MB")
        if "outcome" in bench.get("extra_info", {}):
            info = bench["extra_info"]
            print(f"info   {bench['name']}: {info['bytes']:,} bytes, {info['outcome']}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
