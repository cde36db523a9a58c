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


def test_ci_runs_the_slow_tests_the_default_run_leaves_out() -> None:
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_options = options["tool"]["pytest"]["ini_options"]
    assert '-m "not slow"' in pytest_options["addopts"]
    assert any(marker.startswith("slow:") for marker in pytest_options["markers"])
    (test,) = [line for line in _blocks("sh")[1].splitlines() if line.startswith("python3")]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci.index(".venv/bin/pytest -m slow") > ci.index(test)
    assert '`.venv/bin/pytest -m ""` runs everything' in README
