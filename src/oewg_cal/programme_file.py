"""Hand-written programme files: the model as TOML (or JSON), read and written exactly.

For sessions whose programme is not available as a document.  The form is documented
in the README; :func:`dumps_toml` then :func:`loads` is the identity.  The same
dictionaries (:func:`programme_to_dict`, :func:`entry_to_dict`) carry the model inside
our feeds' ``X-OEWG-*`` properties.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Mapping
from typing import Any

from oewg_cal.errors import DocumentError, OewgCalError, ProgrammeError
from oewg_cal.model import (
    AgendaEntry,
    Body,
    Footnote,
    Meeting,
    Programme,
    Reference,
    Segment,
    SubItem,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "FORMAT_VERSION",
    "dumps_json",
    "dumps_toml",
    "entry_from_dict",
    "entry_to_dict",
    "loads",
    "programme_from_dict",
    "programme_to_dict",
]

FORMAT_VERSION = 1


def entry_to_dict(entry: AgendaEntry) -> dict[str, Any]:
    """An agenda entry as a plain dictionary (keys with default values left out)."""
    data: dict[str, Any] = {}
    if entry.segment is not None:
        data["segment"] = entry.segment.value
        data["label"] = entry.label
    if entry.item is not None:
        data["item"] = entry.item
        if entry.title:
            data["title"] = entry.title
        if entry.continued:
            data["continued"] = True
    if entry.sub_item is not None:
        sub: dict[str, Any] = {"letter": entry.sub_item.letter, "text": entry.sub_item.text}
        if entry.sub_item.continued:
            sub["continued"] = True
        data["sub_item"] = sub
    if entry.speakers:
        data["speakers"] = list(entry.speakers)
    if entry.footnotes:
        data["footnotes"] = list(entry.footnotes)
    return data


def entry_from_dict(data: Mapping[str, Any]) -> AgendaEntry:
    """The inverse of :func:`entry_to_dict`."""
    _known(
        data,
        {"segment", "label", "item", "title", "continued", "sub_item", "speakers", "footnotes"},
        "entry",
    )
    sub = data.get("sub_item")
    if sub is not None:
        _known(sub, {"letter", "text", "continued"}, "sub_item")
    segment = data.get("segment")
    return AgendaEntry(
        item=data.get("item"),
        title=data.get("title", ""),
        continued=data.get("continued", False),
        sub_item=SubItem(
            letter=sub["letter"], text=sub["text"], continued=sub.get("continued", False)
        )
        if sub is not None
        else None,
        segment=Segment(segment) if segment is not None else None,
        label=data.get("label", ""),
        speakers=tuple(data.get("speakers", ())),
        footnotes=tuple(data.get("footnotes", ())),
    )


def _known(data: Mapping[str, Any], keys: set[str], what: str) -> None:
    if not isinstance(data, Mapping):
        raise TypeError(f"{what} must be a table, not {type(data).__name__}")
    unknown = sorted(set(data) - keys)
    if unknown:
        raise KeyError(
            f"unknown {what} key(s) {', '.join(unknown)} (expected {', '.join(sorted(keys))})"
        )


def meeting_to_dict(meeting: Meeting) -> dict[str, Any]:
    """A meeting as a plain dictionary (dates and times as ISO text)."""
    data: dict[str, Any] = {
        "date": meeting.date.isoformat(),
        "start": meeting.start.strftime("%H:%M"),
        "end": meeting.end.strftime("%H:%M"),
    }
    if not meeting.formal:
        data["formal"] = False
    if meeting.room is not None:
        data["room"] = meeting.room
    data["entries"] = [entry_to_dict(e) for e in meeting.entries]
    return data


def programme_to_dict(programme: Programme, *, meetings: bool = True) -> dict[str, Any]:
    """The programme as a plain dictionary; without its meetings when ``meetings`` is False."""
    data: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "session": programme.session,
        "place": programme.place,
        "venue": programme.venue,
        "timezone": programme.timezone,
        "first_day": programme.first_day.isoformat(),
        "last_day": programme.last_day.isoformat(),
        "issued": programme.issued.isoformat(),
    }
    if programme.symbol is not None:
        data["symbol"] = programme.symbol
    if programme.url is not None:
        data["url"] = programme.url
    if programme.notes:
        data["notes"] = list(programme.notes)
    data["body"] = {"name": programme.body.name, "short_name": programme.body.short_name}
    if programme.footnotes:
        data["footnotes"] = [{"mark": f.mark, "text": f.text} for f in programme.footnotes]
    if programme.references:
        data["references"] = [
            {"symbol": r.symbol, "title": r.title} | ({"url": r.url} if r.url else {})
            for r in programme.references
        ]
    if meetings:
        data["meetings"] = [meeting_to_dict(m) for m in programme.meetings]
    return data


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise TypeError(f"expected a date like 2023-03-06, found the date-time {value}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    raise TypeError(f"expected a date like 2023-03-06, found {value!r}")


def _time(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}(:00)?", value):
        return dt.time.fromisoformat(value.zfill(5) if len(value) == 4 else value)
    raise TypeError(f'expected a time like "10:00", found {value!r}')


_PROGRAMME_KEYS = {
    "format",
    "session",
    "place",
    "venue",
    "timezone",
    "first_day",
    "last_day",
    "issued",
    "symbol",
    "url",
    "notes",
    "body",
    "footnotes",
    "references",
    "meetings",
}


def programme_from_dict(
    data: Mapping[str, Any], *, meetings: list[Meeting] | None = None
) -> Programme:
    """The inverse of :func:`programme_to_dict`; ``meetings`` replaces the dictionary's own."""
    _known(data, _PROGRAMME_KEYS, "programme")
    if data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        raise ValueError(f"unsupported format {data['format']!r} (expected {FORMAT_VERSION})")
    body = data["body"]
    _known(body, {"name", "short_name"}, "body")
    own = meetings is None
    if meetings is None:
        meetings = [_meeting_from_dict(m, i) for i, m in enumerate(data.get("meetings", []))]
    try:
        return _programme(data, body, meetings)
    except ProgrammeError as exc:
        at_fault = [i for i, m in enumerate(meetings) if m is exc.meeting]
        if own and at_fault:
            raise _MeetingError(at_fault[0], exc) from exc
        raise


def _programme(
    data: Mapping[str, Any], body: Mapping[str, Any], meetings: list[Meeting]
) -> Programme:
    return Programme(
        body=Body(name=body["name"], short_name=body["short_name"]),
        session=data["session"],
        place=data["place"],
        venue=data["venue"],
        timezone=data.get("timezone", "America/New_York"),
        first_day=_date(data["first_day"]),
        last_day=_date(data["last_day"]),
        issued=_date(data["issued"]),
        symbol=data.get("symbol"),
        url=data.get("url"),
        notes=tuple(data.get("notes", ())),
        footnotes=tuple(
            Footnote(mark=f["mark"], text=f["text"]) for f in data.get("footnotes", ())
        ),
        references=tuple(
            Reference(symbol=r["symbol"], title=r["title"], url=r.get("url"))
            for r in data.get("references", ())
        ),
        meetings=tuple(meetings),
    )


class _MeetingError(Exception):
    def __init__(self, index: int, error: Exception) -> None:
        super().__init__(str(error))
        self.index = index
        self.error = error


def _meeting_from_dict(data: Mapping[str, Any], index: int) -> Meeting:
    try:
        _known(data, {"date", "start", "end", "formal", "room", "entries"}, "meeting")
        return Meeting(
            date=_date(data["date"]),
            start=_time(data["start"]),
            end=_time(data["end"]),
            formal=data.get("formal", True),
            room=data.get("room"),
            entries=tuple(entry_from_dict(e) for e in data["entries"]),
        )
    except (OewgCalError, KeyError, TypeError, ValueError) as exc:
        raise _MeetingError(index, exc) from exc


# ---------------------------------------------------------------- TOML writing


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


# ---------------------------------------------------------------- reading


def _line_of_meeting(text: str, index: int, is_toml: bool) -> int | None:
    if not is_toml:
        return None
    count = -1
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() == "[[meetings]]":
            count += 1
            if count == index:
                return number
    return None


def loads(text: str, *, source: str = "<programme>") -> Programme:
    """Read a TOML or JSON programme file.  Errors name the file and line."""
    is_json = text.lstrip().startswith("{")
    try:
        data = json.loads(text) if is_json else tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(
            f"not a valid JSON programme file: {exc.msg}",
            source=source,
            line=exc.lineno,
            column=exc.colno,
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise DocumentError(
            f"not a valid TOML programme file: {message}",
            source=source,
            line=int(found.group(1)) if found else None,
            column=int(found.group(2)) if found else None,
        ) from exc
    try:
        return programme_from_dict(data)
    except _MeetingError as exc:
        raise DocumentError(
            f"meeting {exc.index + 1}: {_describe(exc.error)}",
            source=source,
            line=_line_of_meeting(text, exc.index, not is_json),
        ) from exc
    except (OewgCalError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DocumentError(f"invalid programme file: {_describe(exc)}", source=source) from exc


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        key = error.args[0] if error.args else "?"
        return f"missing key {key}" if " " not in str(key) else str(key)
    return str(error)
