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
