"""The README's promises: its Python example runs, and its two commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def test_python_example_runs() -> None:
    blocks = _blocks("python")
    assert blocks, "the README has a Python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})


def test_the_two_commands() -> None:
    commands = [
        line for block in _blocks("sh") for line in block.splitlines() if line.startswith("python3")
    ]
    assert len(commands) == 2
    build, test = commands
    assert "pip install ." in build and "oewg-cal build examples/" in build and "-o " in build
    assert "pip install -e '.[test]'" in test and test.endswith("pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines(), ".ci/run runs the README's test command as written"
    source = build.split("oewg-cal build ", 1)[1].split()[0]
    assert (ROOT / source).is_file()
