"""The README's compatibility table is checked against what the interop tests use."""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path

from .parsers import KNOWN_PARSER_BUGS, PARSERS, ensure_libical, libical_version

ROOT = Path(__file__).resolve().parents[2]


def _table() -> dict[str, tuple[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Compatibility", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[1] and re.match(r"[\d.]+$", cells[1]):
            rows[cells[0]] = (cells[1], cells[3])
    return rows


def test_table_lists_every_parser_with_the_version_tested() -> None:
    rows = _table()
    lock = json.loads((ROOT / "tests/interop/icaljs/package-lock.json").read_text(encoding="utf-8"))
    installed = {
        "ical.js": lock["packages"]["node_modules/ical.js"]["version"],
        "vobject": version("vobject"),
        "ical": version("ical"),
        "icalendar": version("icalendar"),
        "recurring-ical-events": version("recurring-ical-events"),
        "Radicale": version("radicale"),
    }
    for name, tested in installed.items():
        key = next(
            k for k in rows if k.startswith(f"{name} ") or k == name or k.startswith(f"**{name}")
        )
        assert rows[key][0] == tested, f"README says {name} {rows[key][0]}, tests use {tested}"
    assert len(PARSERS) == 5
    ensure_libical()  # skips without libical, fails under CI
    assert rows["libical"][0] == libical_version(), "README's libical row is not what is installed"


def test_every_known_parser_bug_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for bug in KNOWN_PARSER_BUGS:
        assert bug.parser.lower() in readme.lower()
