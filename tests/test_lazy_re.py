"""Patterns compiled on first use behave as the compiled pattern, and every one compiles."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

import oewg_cal
from oewg_cal._lazy_re import _LazyPattern, lazy


def _lazy_patterns(value: object, depth: int = 0) -> Iterator[_LazyPattern]:
    if isinstance(value, _LazyPattern):
        yield value
    elif isinstance(value, tuple | list | frozenset | set) and depth < 3:
        for item in value:
            yield from _lazy_patterns(item, depth + 1)
    elif isinstance(value, dict) and depth < 3:
        for item in value.values():
            yield from _lazy_patterns(item, depth + 1)


def _every_module_pattern() -> list[tuple[str, str, _LazyPattern]]:
    found = []
    for info in pkgutil.walk_packages(oewg_cal.__path__, "oewg_cal."):
        if info.name == "oewg_cal.__main__":
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            found.extend((info.name, name, p) for p in _lazy_patterns(value))
    return found


def test_the_readers_hold_lazy_patterns() -> None:
    modules = {module for module, _, _ in _every_module_pattern()}
    assert {"oewg_cal.readers.document", "oewg_cal.readers.timetext"} <= modules


@pytest.mark.parametrize(
    ("module", "name", "pattern"),
    [pytest.param(*found, id=f"{found[0]}.{found[1]}") for found in _every_module_pattern()],
)
def test_every_pattern_in_the_package_compiles(
    module: str, name: str, pattern: _LazyPattern
) -> None:
    # A typo in a pattern no test reads would otherwise fail only on the document that needs it.
    compiled = re.compile(pattern.pattern, pattern._flags)
    assert pattern.groups == compiled.groups
    assert pattern.flags == compiled.flags


def test_a_bad_pattern_fails_when_used_not_when_made() -> None:
    pattern = lazy(r"(unclosed")
    assert pattern.pattern == "(unclosed"
    with pytest.raises(re.error, match="missing \\), unterminated subpattern"):
        pattern.search("unclosed")


def test_after_first_use_the_methods_are_the_compiled_patterns() -> None:
    pattern = lazy(r"\d+", re.ASCII)
    assert "search" not in vars(pattern)
    assert pattern.findall("a1b22") == ["1", "22"]
    bound = vars(pattern)["search"]
    assert isinstance(bound.__self__, re.Pattern)
    assert bound.__self__.flags & re.ASCII


@given(
    source=st.sampled_from([r"\d{1,2}\s*[ap]\.?m\.?", r"(?i)item\s+(\d+)", r"\b\w", r"[–—-]+"]),
    text=st.text(alphabet="0123456789 apm.Item–—-xyz", max_size=40),
)
def test_a_lazy_pattern_answers_as_re_compile(source: str, text: str) -> None:
    lazy_pattern, compiled = lazy(source), re.compile(source)
    assert [m.span() for m in lazy_pattern.finditer(text)] == [
        m.span() for m in compiled.finditer(text)
    ]
    assert lazy_pattern.sub("#", text) == compiled.sub("#", text)
    assert lazy_pattern.split(text) == compiled.split(text)
    found, expected = lazy_pattern.fullmatch(text), compiled.fullmatch(text)
    assert (found and found.group()) == (expected and expected.group())
