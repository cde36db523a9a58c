"""Where a value stands in a TOML or JSON file: lines for error messages.

Programme files and refresh configurations are read with :mod:`tomllib` and :mod:`json`,
which give no positions for the values they return.  :func:`load_toml` and
:func:`load_json` parse and turn a syntax error into the caller's error class with its
line and column; :func:`toml_lines` and :func:`json_lines` map each key path, such as
``("meetings", 3, "start")``, to the line it is written on, so that a value that parses
but does not fit can be reported at its line too (:func:`line_of`).

Lines are counted as editors count them: only LF, CRLF and CR end a line.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from oewg_cal._lazy_re import lazy
from oewg_cal.errors import ReadError

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

__all__ = [
    "json_lines",
    "line_of",
    "load_json",
    "load_toml",
    "split_lines",
    "toml_lines",
    "toml_string_lines",
]

Path = tuple[str | int, ...]

#: Deeper nesting is refused before parsing: it can only be a mistake or an attack, and
#: both parsers recurse once per level.
MAX_NESTING = 64

_LINE_END = lazy(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as an editor shows them (``str.splitlines`` also splits at
    form feeds, U+2028, NEL and others, which would shift every later line number)."""
    return _LINE_END.split(text)


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line = len(_LINE_END.findall(before)) + 1
    last = max(before.rfind("\n"), before.rfind("\r"))
    return line, offset - last


def _check_nesting(text: str, source: str, error: type[ReadError]) -> None:
    depth = deepest = 0
    in_string: str | None = None
    escaped = comment = False
    for offset, char in enumerate(text):
        if comment:
            comment = char not in "\r\n"
            continue
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\" and in_string == '"':
                escaped = True
            elif char == in_string or char in "\r\n":
                in_string = None
            continue
        if char in "\"'":
            in_string = char
        elif char == "#":  # a TOML comment (JSON has none: its parser refuses it)
            comment = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if depth > MAX_NESTING:
                    line, column = _line_and_column(text, offset)
                    raise error(
                        f"nested more than {MAX_NESTING} levels deep (expected a flat file)",
                        source=source,
                        line=line,
                        column=column,
                    )
        elif char in "]}":
            depth = max(0, depth - 1)


def load_toml(text: str, *, source: str, error: type[ReadError], what: str) -> dict[str, Any]:
    """Parse TOML; a syntax error becomes ``error`` with its line and column."""
    # Imported here: a build from a text document never reads TOML, and starts sooner.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    _check_nesting(text, source, error)
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line, column = _toml_error_position(exc, text)
        raise error(
            f"not valid TOML: {message} (expected {what})", source=source, line=line, column=column
        ) from exc
    return data


def _toml_error_position(
    exc: tomllib.TOMLDecodeError, text: str
) -> tuple[str, int | None, int | None]:
    # tomllib gives the position as attributes from Python 3.14, only in the text before.
    message = getattr(exc, "msg", None)
    position = getattr(exc, "pos", None)
    if isinstance(message, str) and isinstance(position, int):
        line, column = _line_and_column(text, position)
        return message, line, column
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)", str(exc))
    if found is None:
        found = re.search(r"\s*\(at end of document\)", str(exc))
        if found is None:
            return str(exc), None, None
        return str(exc)[: found.start()], len(split_lines(text)), None
    line, column = int(found.group(1)), int(found.group(2))
    # tomllib counts only "\n": recount as editors do
    offset = _offset_of(text.split("\n"), line, column)
    line, column = _line_and_column(text, offset)
    return str(exc)[: found.start()] + str(exc)[found.end() :], line, column


def _offset_of(lines: list[str], line: int, column: int) -> int:
    return sum(len(x) + 1 for x in lines[: line - 1]) + column - 1


def load_json(text: str, *, source: str, error: type[ReadError], what: str) -> Any:
    """Parse JSON; a syntax error becomes ``error`` with its line and column."""
    _check_nesting(text, source, error)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        line, column = _line_and_column(text, exc.pos)
        raise error(
            f"not valid JSON: {exc.msg} (expected {what})", source=source, line=line, column=column
        ) from exc


def line_of(lines: Mapping[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of the nearest enclosing value that has one."""
    for end in range(len(path), -1, -1):
        found = lines.get(path[:end])
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------- TOML

_HEADER = lazy(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = lazy(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)
_KEY_PART = lazy(r"""[A-Za-z0-9_-]+|"([^"]*)"|'([^']*)'""")


def _key_parts(text: str) -> tuple[str, ...]:
    return tuple(
        m.group(1)
        if m.group(1) is not None
        else m.group(2)
        if m.group(2) is not None
        else m.group(0)
        for m in _KEY_PART.finditer(text)
    )


def toml_lines(text: str) -> dict[Path, int]:
    """The line of each table and key of a TOML text, by key path (array elements by index).

    Keys inside multi-line strings are not told apart from real ones; a path given
    twice keeps its first line.
    """
    lines: dict[Path, int] = {}
    counts: dict[Path, int] = {}
    table: Path = ()
    inside = toml_string_lines(text)
    for number, line in enumerate(split_lines(text), 1):
        if number in inside:
            continue
        header = _HEADER.match(line)
        if header:
            parts = _key_parts(header.group(2))
            path: Path = ()
            # an array of tables takes the index of its latest element at every level
            for end in range(1, len(parts) + 1):
                prefix = (*path, parts[end - 1])
                if end == len(parts) and header.group(1) == "[[":
                    index = counts.get(prefix, 0)
                    counts[prefix] = index + 1
                    path = (*prefix, index)
                    lines.setdefault(prefix, number)  # the array itself: its first table
                elif prefix in counts:
                    path = (*prefix, counts[prefix] - 1)
                else:
                    path = prefix
            table = path
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault((*table, *_key_parts(key.group(1))), number)
    return lines


def toml_string_lines(text: str) -> set[int]:
    """The lines of a TOML text that begin inside a multi-line string (\"\"\"…\"\"\" or
    '''…'''): text, not keys or values, whatever they look like."""
    inside: set[int] = set()
    quote: str | None = None
    for number, line in enumerate(split_lines(text), 1):
        if quote is not None:
            inside.add(number)
            if line.count(quote) % 2:
                quote = None
            continue
        if line.lstrip().startswith("#"):
            continue
        for opening in ('"""', "'''"):
            if line.count(opening) % 2:
                quote = opening
                break
    return inside


# ---------------------------------------------------------------- JSON

_JSON_TOKEN = lazy(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.DOTALL)


def json_lines(text: str) -> dict[Path, int]:
    """The line where each value of a JSON text starts, by key path."""
    lines: dict[Path, int] = {}
    stack: list[list[Any]] = []  # [container kind, current key or index]
    line = 1
    position = 0
    expecting_key = False
    for token in _JSON_TOKEN.finditer(text):
        line += len(_LINE_END.findall(text, position, token.start()))
        position = token.start()
        value = token.group(0)
        if value in ",:":
            if value == "," and stack:
                if stack[-1][0] == "[":
                    stack[-1][1] += 1
                else:
                    expecting_key = True
            continue
        if value in "]}":
            if stack:
                stack.pop()
            continue
        if expecting_key and value.startswith('"'):
            stack[-1][1] = json.loads(value)
            expecting_key = False
            continue
        path = tuple(level[1] for level in stack)
        lines.setdefault(path, line)
        if value in "[{":
            stack.append([value, 0 if value == "[" else None])
            expecting_key = value == "{"
    return lines
