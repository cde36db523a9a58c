"""Hand-written programme files: the model as TOML (or JSON), read and written exactly.

For sessions whose programme is not available as a document.  The keys are those of
:mod:`oewg_cal.schema` (documented in the README); :func:`dumps_toml` then :func:`loads`
is the identity.  Every error names the file and the line of the value at fault.
"""

from __future__ import annotations

import bisect
import json
import re
import warnings as _warnings
from collections.abc import Callable, Mapping
from typing import Any

from oewg_cal._lazy_re import lazy
from oewg_cal.errors import DocumentError, DocumentWarning, SchemaError
from oewg_cal.model import Programme
from oewg_cal.readers.positions import (
    json_lines,
    line_of,
    load_json,
    load_toml,
    toml_lines,
    toml_string_lines,
)
from oewg_cal.schema import programme_from_dict, programme_to_dict
from oewg_cal.stations import station_of
from oewg_cal.text import short_name_of

__all__ = ["dumps_json", "dumps_toml", "load", "loads"]

_WHAT = "a programme file (see the README)"


def loads(text: str, *, source: str = "<programme>") -> Programme:
    """Read a TOML or JSON programme file.  Errors name the file and line; warnings are
    issued as Python warnings (:func:`load` returns them)."""
    programme, found = load(text, source=source)
    for warning in found:
        _warnings.warn(warning, stacklevel=2)
    return programme


def load(
    text: str,
    *,
    source: str = "<programme>",
    timezone: str | None = None,
    format: str | None = None,
) -> tuple[Programme, list[DocumentWarning]]:
    """Read a TOML or JSON programme file; return it with the reader's warnings.

    ``timezone`` stands for the file's own (``--tz``); ``format`` (``"toml"`` or
    ``"json"``) forces a syntax, which is otherwise told by the first character."""
    is_json = text.lstrip().startswith("{") if format is None else format == "json"
    if is_json:
        data = load_json(text, source=source, error=DocumentError, what=_WHAT)
    else:
        data = load_toml(_with_seconds(text), source=source, error=DocumentError, what=_WHAT)
    lines = json_lines(text) if is_json else toml_lines(text)
    found: list[DocumentWarning] = []

    def warn(message: str, *path: str | int) -> None:
        found.append(DocumentWarning(message, source=source, line=line_of(lines, path)))

    if timezone is not None and isinstance(data, dict):
        data = data | {"timezone": timezone}
    try:
        data = _filled(data, warn)
        programme = programme_from_dict(data)
    except SchemaError as exc:
        raise DocumentError(str(exc), source=source, line=line_of(lines, exc.path)) from exc
    if not programme.meetings:
        warn("the programme has no meetings: its feed will hold no event", "meetings")
    return programme, found


def _filled(data: Any, warn: Callable[..., None]) -> Any:
    """The file's data with what a person may leave out filled in, each with a warning;
    a place whose time zone cannot be told is a :class:`SchemaError`."""
    if not isinstance(data, dict) or not isinstance(data.get("place"), str):
        return data  # the schema says what is wrong
    data = dict(data)
    place = data["place"]
    station = station_of(place)
    zone = data.get("timezone")
    if zone is None:
        if station is None:
            raise SchemaError(
                f"cannot tell the time zone of {place!r} (expected a duty station such as "
                'New York, Geneva or Vienna, or timezone = "Region/City")',
                path=("place",),
            )
        data["timezone"] = station.timezone
        warn(f"no timezone: {station.timezone}, the time zone of {place}", "place")
    elif station is not None and isinstance(zone, str) and zone != station.timezone:
        warn(
            f"timezone {zone!r} is not the time zone of {place} ({station.timezone}): "
            "every meeting is read in the timezone given",
            "timezone",
        )
    if "venue" not in data:
        data["venue"] = station.venue if station is not None else place
        warn(f"no venue: {data['venue']!r} is used", "place")
    body = data.get("body")
    if isinstance(body, dict) and "short_name" not in body and isinstance(body.get("name"), str):
        data["body"] = body | {"short_name": short_name_of(body["name"])}
        warn(f"no short_name: event titles use {data['body']['short_name']!r}", "body")
    if "issued" not in data and "first_day" in data:
        data["issued"] = data["first_day"]
        warn("no issued date: the first day stands in for it (the feed's stamps)", "first_day")
    return data


# TOML 1.0 wants seconds in a local time; people write "start = 10:00".
_TIME_WITHOUT_SECONDS = lazy(
    r"^(\s*(?:start|end)\s*=\s*)(\d{1,2}:\d{2})(\s*(?:#.*)?)$", re.MULTILINE
)


def _with_seconds(text: str) -> str:
    inside = toml_string_lines(text)
    starts = [0, *(m.end() for m in re.finditer("\n", text))] if inside else []

    def seconds(match: re.Match[str]) -> str:
        if inside and bisect.bisect_right(starts, match.start()) in inside:
            return match.group(0)  # a line of a multi-line string: text, left as written
        return f"{match.group(1)}{match.group(2).zfill(5)}:00{match.group(3)}"

    return _TIME_WITHOUT_SECONDS.sub(seconds, text)


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
        _toml_entries(lines, "meetings.entries", meeting["entries"])
        if "followed_by" in meeting:
            follow = meeting["followed_by"]
            lines += ["", "  [meetings.followed_by]"]
            lines += [f"  {line}" for line in _toml_lines(follow)]
            _toml_entries(lines, "meetings.followed_by.entries", follow["entries"])
    return "\n".join(lines) + "\n"


def _toml_lines(data: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    _toml_table(found, data)
    return found


def _toml_entries(lines: list[str], table: str, entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        lines += ["", f"  [[{table}]]"]
        entry_lines = _toml_lines(entry)
        if "sub_item" in entry:
            entry_lines.append(f"sub_item = {_toml_value(entry['sub_item'])}")
        lines += [f"  {line}" for line in entry_lines]


def dumps_json(programme: Programme) -> str:
    """The programme as a JSON programme file (read back by :func:`loads`)."""
    return json.dumps(programme_to_dict(programme), ensure_ascii=False, indent=2) + "\n"
