"""``oewg-cal refresh``: output, exit codes, and the README's crontab and systemd lines."""

from __future__ import annotations

import datetime as dt
import json
import os
import pathlib
import shlex
import subprocess
import sys

import pytest

from refreshing import SEED, one_feed_config, retimed, run_module, vevents, write_programme


@pytest.fixture
def one_feed(tmp_path: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path]:
    return one_feed_config(tmp_path)


def test_cli_is_quiet_when_nothing_changed(one_feed: tuple[pathlib.Path, pathlib.Path]) -> None:
    config, source = one_feed
    first = run_module("refresh", str(config))
    assert first.returncode == 0 and first.stderr == ""
    assert "OEWG" in first.stdout and "10 added" in first.stdout

    again = run_module("refresh", str(config))
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")

    verbose = run_module("refresh", str(config), "--verbose")
    assert verbose.returncode == 0 and "OEWG" in verbose.stdout and "unchanged" in verbose.stdout

    as_json = run_module("refresh", str(config), "--json")
    data = json.loads(as_json.stdout)
    assert as_json.returncode == 0 and data["ok"] and not data["changed_anything"]
    assert data["feeds"][0]["report"]["unchanged"] == 10

    write_programme(source, retimed(SEED, 8, 15, dt.time(15, 30)))
    changed = run_module("refresh", str(config), "--json")
    data = json.loads(changed.stdout)
    (change,) = data["feeds"][0]["report"]["changed"]
    assert change["fields"] == [
        {"field": "time", "old": "2023-03-08 15:00–18:00", "new": "2023-03-08 15:30–18:00"}
    ]


def test_cli_reports_changes_on_stdout(one_feed: tuple[pathlib.Path, pathlib.Path]) -> None:
    config, source = one_feed
    assert run_module("refresh", str(config)).returncode == 0
    write_programme(source, retimed(SEED, 8, 15, dt.time(15, 30)))
    result = run_module("refresh", str(config))
    assert result.returncode == 0 and result.stderr == ""
    assert "1 changed" in result.stdout
    assert "time: 2023-03-08 15:00–18:00 → 2023-03-08 15:30–18:00" in result.stdout


def test_cli_exit_codes(
    one_feed: tuple[pathlib.Path, pathlib.Path], tmp_path: pathlib.Path
) -> None:
    config, source = one_feed
    missing = run_module("refresh", str(tmp_path / "nowhere.toml"))
    assert missing.returncode == 2 and "nowhere.toml" in missing.stderr

    bad = tmp_path / "bad.toml"
    bad.write_text('[[feed]]\nname = "A"\noutput = 5\nsource = "p.toml"\n', encoding="utf-8")
    result = run_module("refresh", str(bad))
    assert result.returncode == 2 and f"{bad}:3:" in result.stderr and result.stdout == ""

    usage = run_module("refresh")
    assert usage.returncode == 2 and "CONFIG.toml" in usage.stderr

    source.write_text("not a programme at all", encoding="utf-8")
    failed = run_module("refresh", str(config))
    assert failed.returncode == 1 and "feed 'OEWG' failed" in failed.stderr


README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def _readme_cron_command() -> str:
    """The command of the README's crontab line, as written."""
    block = README.read_text(encoding="utf-8").split("```crontab\n", 1)[1].split("```", 1)[0]
    (line,) = [x for x in block.splitlines() if x.strip() and not x.startswith("#")]
    return line.split(None, 5)[5]


def test_the_systemd_unit_runs_the_same_command() -> None:
    text = README.read_text(encoding="utf-8")
    (exec_start,) = [x for x in text.splitlines() if x.startswith("ExecStart=")]
    assert exec_start.removeprefix("ExecStart=") == _readme_cron_command()
    assert "OnCalendar=*:0/30" in text


def test_the_crontab_command(one_feed: tuple[pathlib.Path, pathlib.Path]) -> None:
    config, _ = one_feed
    bindir = pathlib.Path(sys.executable).parent
    assert (bindir / "oewg-cal").exists(), "the oewg-cal console script is not installed"
    command = _readme_cron_command().replace("/etc/oewg-cal/feeds.toml", shlex.quote(str(config)))
    environment = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    first = subprocess.run(
        command, shell=True, env=environment, capture_output=True, text=True, timeout=120
    )
    assert first.returncode == 0, first.stderr
    assert len(vevents(config.parent / "oewg.ics")) == 10
    second = subprocess.run(
        command, shell=True, env=environment, capture_output=True, text=True, timeout=120
    )
    assert (second.returncode, second.stdout, second.stderr) == (0, "", "")
