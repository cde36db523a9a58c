"""The scripts that read the benchmark JSON: the targets check and the plot.

The figures here are made up, chosen so that each target is just met or just missed.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import check_targets
import plot


def _results(medians: dict[str, float]) -> dict[str, Any]:
    return {
        "benchmarks": [
            {"name": n, "stats": {"median": m, "min": m * 0.9}} for n, m in medians.items()
        ]
    }


MET = {
    "test_write_oewg[1000]": 1.25,
    "test_write_baseline[1000]": 1.0,
    "test_read_oewg[1000]": 0.5,
    "test_read_baseline[1000]": 1.0,
    "test_refresh_noop[1000]": 0.003,
    "test_refresh_baseline[1000]": 1.5,
    "test_write_oewg[10000]": 13.75,  # 11 × the 1,000-meeting time: the limit itself
    "test_read_oewg[10000]": 5.0,
    "test_cold_start_baseline": 0.1,
    "test_cold_start_version": 0.13,
    "test_cold_start_build": 0.12,
}


def _run(medians: dict[str, float], tmp_path: Path) -> int:
    path = tmp_path / "results.json"
    path.write_text(json.dumps(_results(medians)), encoding="utf-8")
    return check_targets.main(["check_targets.py", str(path)])


def test_targets_met_exit_zero(tmp_path: Path) -> None:
    assert _run(MET, tmp_path) == 0
    checked = {d for d, *_ in check_targets.checks(MET)}
    assert len(checked) == 7  # write, read, refresh, two scalings, two cold starts


def test_scaling_is_judged_on_the_fastest_rounds() -> None:
    slow_median = {**MET, "test_write_oewg[10000]": 20.0}  # 16 × the 1,000-meeting median
    description, value, _limit, ok = next(
        c for c in check_targets.checks(slow_median, MET) if c[0].startswith("scaling")
    )
    assert "test_write_oewg" in description and value == 11.0 and ok


def test_each_missed_target_exits_one(tmp_path: Path) -> None:
    for name, worse in [
        ("test_write_oewg[1000]", 1.26),
        ("test_read_oewg[1000]", 1.26),
        ("test_refresh_noop[1000]", 2.26),
        ("test_write_oewg[10000]", 13.76),
        ("test_cold_start_build", 0.131),
    ]:
        assert _run({**MET, name: worse}, tmp_path) == 1, name


def test_plot_draws_one_line_per_stage(tmp_path: Path) -> None:
    medians = {f"test_{stage}[{n}]": n * 1e-4 for stage in ("a", "b_baseline") for n in (10, 100)}
    medians["test_peak_memory[10]"] = 1.0  # not a time: left out
    source = tmp_path / "results.json"
    source.write_text(json.dumps(_results(medians)), encoding="utf-8")
    target = tmp_path / "plot.svg"
    assert plot.main(["plot.py", str(source), str(target)]) == 0
    lines = ET.parse(target).getroot().findall("{http://www.w3.org/2000/svg}polyline")
    assert len(lines) == 2
    assert [line.get("stroke-dasharray") for line in lines] == [None, "6 4"]


def test_every_document_shape_is_held_to_linear_scaling() -> None:
    for shape in ("oewg", "html", "markdown", "text", "pdf"):
        test = f"test_document_{shape}"
        at_limit = {f"{test}[1000]": 1.0, f"{test}[10000]": 11.0}
        (check,) = check_targets.checks(at_limit)
        assert check == (f"scaling {test}: 10,000 / 1,000 (min)", 11.0, 11.0, True)
        (check,) = check_targets.checks({**at_limit, f"{test}[10000]": 11.01})
        assert not check[3], shape


def test_scaling_is_judged_from_100_to_1000_meetings_too() -> None:
    found = {"test_document_pdf[100]": 0.1, "test_document_pdf[1000]": 1.2}
    (check,) = check_targets.checks(found)
    assert check[0] == "scaling test_document_pdf: 1,000 / 100 (min)" and not check[3]


def test_pathological_documents_are_held_to_a_second_on_their_fastest_round(
    tmp_path: Path,
) -> None:
    name = "test_pathological[angle-html]"
    (check,) = check_targets.checks({name: 1.5}, {name: 1.0})
    assert check == ("pathological angle-html: seconds (min)", 1.0, 1.0, True)
    (check,) = check_targets.checks({name: 1.5}, {name: 1.01})
    assert not check[3]
    # main judges the fastest round: _results makes it 0.9 × the median
    assert _run({name: 1.1}, tmp_path) == 0
    assert _run({name: 1.2}, tmp_path) == 1


PDF = {"test_pdf_build": 0.75, "test_pdf_baseline": 0.5}


def test_pdf_build_is_held_to_pdftotext_and_build_and_to_its_peak_memory(
    tmp_path: Path,
) -> None:
    extra = {"test_pdf_build": {"peak_rss_bytes": 99_000_000}}
    assert list(check_targets.checks(PDF, extra=extra)) == [
        ("PDF build / (pdftotext -layout + build)", 1.5, 1.5, True),
        ("PDF build: peak memory (MB)", 99.0, 100.0, True),
    ]
    slower = check_targets.checks({**PDF, "test_pdf_build": 0.76}, extra=extra)
    assert [ok for *_, ok in slower] == [False, True]
    larger = {"test_pdf_build": {"peak_rss_bytes": 100_000_000}}
    assert [ok for *_, ok in check_targets.checks(PDF, extra=larger)] == [True, False]
    results = _results(PDF)
    results["benchmarks"][0]["extra_info"] = {"peak_rss_bytes": 100_000_000}
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results), encoding="utf-8")
    assert check_targets.main(["check_targets.py", str(path)]) == 1


def test_plot_keeps_the_stages_a_pattern_matches(tmp_path: Path) -> None:
    medians = {
        f"test_{stage}[{n}]": n * 1e-4
        for stage in ("document_pdf", "write_oewg")
        for n in (10, 100)
    }
    source = tmp_path / "results.json"
    source.write_text(json.dumps(_results(medians)), encoding="utf-8")
    target = tmp_path / "plot.svg"
    assert plot.main(["plot.py", str(source), str(target), "document_.*"]) == 0
    root = ET.parse(target).getroot()
    assert len(root.findall("{http://www.w3.org/2000/svg}polyline")) == 1
    assert "document_pdf" in ET.tostring(root, encoding="unicode")


def test_pdf_build_is_judged_on_the_pairs_run_in_turn_when_there_are() -> None:
    paired = {"test_pdf_build": {"paired": {"ratio": 1.49}}}
    slow_medians = {"test_pdf_build": 1.0, "test_pdf_baseline": 0.5}  # 2 × by medians
    (check,) = check_targets.checks(slow_medians, extra=paired)
    assert check == ("PDF build / (pdftotext -layout + build), in pairs (median)", 1.49, 1.5, True)
    assert any("2.00" in line for line in check_targets.information(slow_medians))


def test_document_scaling_is_judged_on_the_sizes_read_in_turn() -> None:
    separate = {"test_document_html[1000]": 1.0, "test_document_html[10000]": 12.0}
    paired = {"small": 1000, "large": 10000, "ratio": 10.5}
    extra: dict[str, dict[str, object]] = {"test_document_scaling[html]": {"paired": [paired]}}
    (check,) = check_targets.checks(separate, extra=extra)
    assert check == (
        "scaling test_document_html: 10,000 / 1,000 (read in turn, CPU, min)",
        10.5,
        11.0,
        True,
    )
    extra["test_document_scaling[html]"]["paired"] = [{**paired, "ratio": 11.5}]
    assert not next(iter(check_targets.checks(separate, extra=extra)))[3]
    # the separate benchmarks' ratio is still reported
    assert list(check_targets.information(separate, separate)) == [
        "scaling test_document_html: 10,000 / 1,000, the sizes' own benchmarks (min): 12.00"
    ]
    # a paired run of other sizes does not stand for these
    other = {"test_document_scaling[html]": {"paired": [{**paired, "small": 10, "large": 100}]}}
    (check,) = check_targets.checks(separate, extra=other)
    assert check == ("scaling test_document_html: 10,000 / 1,000 (min)", 12.0, 11.0, False)
