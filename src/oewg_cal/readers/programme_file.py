"""Hand-written programme files: the model as TOML (or JSON), read and written exactly.

For sessions whose programme is not available as a document.  The keys are those of
:mod:`oewg_cal.schema` (documented in the README); :func:`dumps_toml` then :func:`loads`
is the identity.  Every error names the file and the line of the value at fault.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from oewg_cal.errors import DocumentError, SchemaError
from oewg_cal.model import Programme
from oewg_cal.readers.positions import json_lines, line_of, load_json, load_toml, toml_lines
from oewg_cal.schema import programme_from_dict, programme_to_dict

__all__ = ["dumps_json", "dumps_toml", "loads"]

_WHAT = "a programme file (see the README)"


def loads(text: str, *, source: str = "<programme>") -> Programme:
    """Read a TOML or JSON programme file.  Errors name the file and line."""
    is_json = text.lstrip().startswith("{")
    if is_json:
        data = load_json(text, source=source, error=DocumentError, what=_WHAT)
    else:
        data = load_toml(_with_seconds(text), source=source, error=DocumentError, what=_WHAT)
    try:
        return programme_from_dict(data)
    except SchemaError as exc:
        lines = json_lines(text) if is_json else toml_lines(text)
        raise DocumentError(str(exc), source=source, line=line_of(lines, exc.path)) from exc


# TOML 1.0 wants seconds in a local time; people write "start = 10:00".
_TIME_WITHOUT_SECONDS = re.compile(
    r"^(\s*(?:start|end)\s*=\s*)(\d{1,2}:\d{2})(\s*(?:#.*)?)$", re.MULTILINE
)


def _with_seconds(text: str) -> str:
    return _TIME_WITHOUT_SECONDS.sub(
        lambda m: f"{m.group(1)}{m.group(2).zfill(5)}:00{m.group(3)}", text
    )


# ---------------------------------------------------------------- writing


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")  # pragma: no cover


_DATE_KEYS = {"first_day", "last_day", "issued", "date"}
_TIME_KEYS = {"start", "end"}


def _toml_scalar(key: str, value: Any) -> str:
    if key in _DATE_KEYS:
        return str(value)
    if key in _TIME_KEYS:
        return f"{value}:00"
    return _toml_value(value)


def _toml_table(lines: list[str], data: Mapping[str, Any]) -> None:
    for key, value in data.items():
        if isinstance(value, dict) or (
            isinstance(value, list) and value and isinstance(value[0], dict)
        ):
            continue
        if isinstance(value, list) and sum(len(str(v)) for v in value) > 60:
            lines.append(f"{key} = [")
            lines.extend(f"  {_toml_value(v)}," for v in value)
            lines.append("]")
        else:
            lines.append(f"{key} = {_toml_scalar(key, value)}")


def dumps_toml(programme: Programme) -> str:
    """The programme as a TOML programme file (read back by :func:`loads`)."""
    data = programme_to_dict(programme)
    lines = ['# oewg_cal programme file (see the README, "Hand-written programme files")']
    _toml_table(lines, data)
    lines += ["", "[body]"]
    _toml_table(lines, data["body"])
    for key in ("footnotes", "references"):
        for table in data.get(key, []):
            lines += ["", f"[[{key}]]"]
            _toml_table(lines, table)
    for meeting in data["meetings"]:
        lines += ["", "[[meetings]]"]
        _toml_table(lines, meeting)
        for entry in meeting["entries"]:
            lines += ["", "  [[meetings.entries]]"]
            entry_lines: list[str] = []
            _toml_table(entry_lines, entry)
            if "sub_item" in entry:
                entry_lines.append(f"sub_item = {_toml_value(entry['sub_item'])}")
            lines += [f"  {line}" for line in entry_lines]
    return "\n".join(lines) + "\n"


def dumps_json(programme: Programme) -> str:
    """The programme as a JSON programme file (read back by :func:`loads`)."""
    return json.dumps(programme_to_dict(programme), ensure_ascii=False, indent=2) + "\n"
