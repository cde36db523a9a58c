"""The model as plain data: one schema for programme files, feeds' X-OEWG values and reports.

:func:`programme_to_dict` and :func:`programme_from_dict` (and the same for meetings and
agenda entries) are exact inverses.  The same dictionaries are the programme files people
write by hand (TOML or JSON, :mod:`oewg_cal.readers.programme_file`), the JSON inside
every feed's ``X-OEWG-*`` properties (:mod:`oewg_cal.ical`), and the detail of refresh's
change reports.  Data that does not fit raises :class:`~oewg_cal.errors.SchemaError`
whose ``path`` names the value at fault, so that a reader can point at its line.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from oewg_cal._lazy_re import lazy
from oewg_cal.errors import (
    AmbiguousLocalTime,
    InvalidTimeRange,
    MeetingOutsideSession,
    NonexistentLocalTime,
    OrphanContinuation,
    OverlappingMeetings,
    ProgrammeError,
    SchemaError,
    UnknownFootnote,
)
from oewg_cal.model import (
    DEFAULT_TIMEZONE,
    AgendaEntry,
    Body,
    FollowedBy,
    Footnote,
    Kind,
    Meeting,
    Programme,
    Reference,
    Segment,
    SeriesKey,
    SubItem,
)

__all__ = [
    "FORMAT_VERSION",
    "canonical_json",
    "entry_from_dict",
    "entry_to_dict",
    "followed_by_from_dict",
    "followed_by_to_dict",
    "meeting_from_dict",
    "meeting_to_dict",
    "programme_from_dict",
    "programme_to_dict",
    "series_key",
]

FORMAT_VERSION = 1

Path = tuple[str | int, ...]
_T = TypeVar("_T")


def canonical_json(data: object) -> str:
    """Compact JSON with sorted keys: the same data always gives the same text."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# ---------------------------------------------------------------- to plain data


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
        if entry.concluded:
            data["concluded"] = True
    if entry.sub_item is not None:
        sub: dict[str, Any] = {"letter": entry.sub_item.letter}
        if entry.sub_item.text:
            sub["text"] = entry.sub_item.text
        if entry.sub_item.continued:
            sub["continued"] = True
        if entry.sub_item.concluded:
            sub["concluded"] = True
        data["sub_item"] = sub
    if entry.speakers:
        data["speakers"] = list(entry.speakers)
    if entry.footnotes:
        data["footnotes"] = list(entry.footnotes)
    return data


def meeting_to_dict(meeting: Meeting) -> dict[str, Any]:
    """A meeting as a plain dictionary (dates and times as ISO text, defaults left out)."""
    data: dict[str, Any] = {"date": meeting.date.isoformat()}
    if meeting.kind is not Kind.MEETING:
        data["kind"] = meeting.kind.value
    if meeting.start is not None:
        data["start"] = meeting.start.strftime("%H:%M")
    if meeting.end is not None:
        data["end"] = meeting.end.strftime("%H:%M")
    if meeting.end_assumed:
        data["end_assumed"] = True
    if meeting.overnight:
        data["overnight"] = True
    if not meeting.formal:
        data["formal"] = False
    if meeting.room is not None:
        data["room"] = meeting.room
    data["entries"] = [entry_to_dict(e) for e in meeting.entries]
    if meeting.followed_by is not None:
        data["followed_by"] = followed_by_to_dict(meeting.followed_by)
    return data


def followed_by_to_dict(follow: FollowedBy) -> dict[str, Any]:
    """What follows a meeting, as a plain dictionary."""
    data: dict[str, Any] = {"entries": [entry_to_dict(e) for e in follow.entries]}
    if not follow.formal:
        data["formal"] = False
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
    if programme.begun_earlier:
        data["begun_earlier"] = [str(k) for k in programme.begun_earlier]
    if meetings:
        data["meetings"] = [meeting_to_dict(m) for m in programme.meetings]
    return data


# ---------------------------------------------------------------- from plain data


def _table(data: object, path: Path, keys: set[str], what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise SchemaError(f"{what} must be a table, not {_kind(data)}", path=path)
    unknown = sorted(set(data) - keys)
    if unknown:
        raise SchemaError(
            f"unknown key {unknown[0]!r} in {what} (expected {', '.join(sorted(keys))})",
            path=(*path, unknown[0]),
        )
    return data


def _kind(value: object) -> str:
    names = {str: "text", bool: "true/false", int: "a number", float: "a number", list: "a list"}
    return names.get(type(value), type(value).__name__)


def _required(data: Mapping[str, Any], key: str, path: Path, what: str) -> Any:
    if key not in data:
        raise SchemaError(f"missing key {key!r} in {what}", path=path)
    return data[key]


_SURROGATE = lazy("[\ud800-\udfff]")


def _text(value: object, path: Path, expected: str = "text") -> str:
    if not isinstance(value, str):
        raise SchemaError(f"expected {expected}, found {_kind(value)} {value!r}", path=path)
    lone = _SURROGATE.search(value)
    if lone is not None:  # JSON's "\ud800": no UTF-8 text, no feed can hold it
        raise SchemaError(
            f"text holds a lone surrogate \\u{ord(lone.group()):04x} (expected text; a JSON "
            "escape \\ud800 to \\udfff is only half of a character)",
            path=path,
        )
    return value


def _bool(value: object, path: Path) -> bool:
    if not isinstance(value, bool):
        raise SchemaError(f"expected true or false, found {value!r}", path=path)
    return value


def _list(value: object, path: Path) -> Sequence[Any]:
    if not isinstance(value, list):
        raise SchemaError(f"expected a list, found {_kind(value)} {value!r}", path=path)
    return value


def _texts(value: object, path: Path) -> tuple[str, ...]:
    return tuple(_text(v, (*path, i)) for i, v in enumerate(_list(value, path)))


def _date(value: object, path: Path) -> dt.date:
    if isinstance(value, dt.datetime):
        raise SchemaError(
            f"expected a date like 2023-03-06, found the date-time {value}", path=path
        )
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise SchemaError(
        f"expected a date written year-month-day like 2023-03-06, found {value!r}", path=path
    )


_TIME_TEXT = lazy(r"(\d{1,2}):(\d{2})(?::00)?")


def _time(value: object, path: Path) -> dt.time:
    if isinstance(value, dt.time):
        return value
    found = _TIME_TEXT.fullmatch(value) if isinstance(value, str) else None
    if found and int(found.group(1)) < 24 and int(found.group(2)) < 60:
        return dt.time(int(found.group(1)), int(found.group(2)))
    raise SchemaError(f'expected a time like "10:00", found {value!r}', path=path)


def _build(path: Path, make: Callable[[], _T]) -> _T:
    """Build a model object; a model error becomes a schema error at ``path``."""
    try:
        return make()
    except ProgrammeError as exc:
        raise SchemaError(str(exc), path=path) from exc


_ENTRY_KEYS = {
    "segment",
    "label",
    "item",
    "title",
    "continued",
    "concluded",
    "sub_item",
    "speakers",
    "footnotes",
}
_SUB_ITEM_KEYS = {"letter", "text", "continued", "concluded"}
_SEGMENTS = ", ".join(s.value for s in Segment)


def entry_from_dict(data: object, path: Path = ()) -> AgendaEntry:
    """The inverse of :func:`entry_to_dict`."""
    table = _table(data, path, _ENTRY_KEYS, "an agenda entry")
    sub_item = None
    if table.get("sub_item") is not None:
        sub_path = (*path, "sub_item")
        sub = _table(table["sub_item"], sub_path, _SUB_ITEM_KEYS, "a sub-item")
        sub_item = _build(
            sub_path,
            lambda: SubItem(
                letter=_text(
                    _required(sub, "letter", sub_path, "a sub-item"), (*sub_path, "letter")
                ),
                text=_text(sub.get("text", ""), (*sub_path, "text")),
                continued=_bool(sub.get("continued", False), (*sub_path, "continued")),
                concluded=_bool(sub.get("concluded", False), (*sub_path, "concluded")),
            ),
        )
    segment = None
    if table.get("segment") is not None:
        value = _text(table["segment"], (*path, "segment"))
        try:
            segment = Segment(value)
        except ValueError:
            raise SchemaError(
                f"unknown segment {value!r} (expected one of {_SEGMENTS})", path=(*path, "segment")
            ) from None
    item = table.get("item")
    if item is not None and (isinstance(item, bool) or not isinstance(item, int)):
        raise SchemaError(f"expected an agenda item number, found {item!r}", path=(*path, "item"))
    return _build(
        path,
        lambda: AgendaEntry(
            item=item,
            title=_text(table.get("title", ""), (*path, "title")),
            continued=_bool(table.get("continued", False), (*path, "continued")),
            concluded=_bool(table.get("concluded", False), (*path, "concluded")),
            sub_item=sub_item,
            segment=segment,
            label=_text(table.get("label", ""), (*path, "label")),
            speakers=_texts(table.get("speakers", []), (*path, "speakers")),
            footnotes=_texts(table.get("footnotes", []), (*path, "footnotes")),
        ),
    )


_MEETING_KEYS = {
    "date",
    "kind",
    "start",
    "end",
    "end_assumed",
    "overnight",
    "formal",
    "room",
    "entries",
    "followed_by",
}
_KINDS = ", ".join(k.value for k in Kind)


def _entries(data: object, path: Path) -> tuple[AgendaEntry, ...]:
    return tuple(entry_from_dict(e, (*path, i)) for i, e in enumerate(_list(data, path)))


def followed_by_from_dict(data: object, path: Path = ()) -> FollowedBy:
    """The inverse of :func:`followed_by_to_dict`."""
    table = _table(data, path, {"entries", "formal"}, "followed_by")
    entries = _required(table, "entries", path, "followed_by")
    return _build(
        path,
        lambda: FollowedBy(
            entries=_entries(entries, (*path, "entries")),
            formal=_bool(table.get("formal", True), (*path, "formal")),
        ),
    )


def meeting_from_dict(data: object, path: Path = ()) -> Meeting:
    """The inverse of :func:`meeting_to_dict`."""
    table = _table(data, path, _MEETING_KEYS, "a meeting")
    what = "a meeting"
    room = table.get("room")
    start, end = table.get("start"), table.get("end")
    kind = _text(table.get("kind", Kind.MEETING.value), (*path, "kind"))
    if kind not in {k.value for k in Kind}:
        raise SchemaError(f"unknown kind {kind!r} (expected one of {_KINDS})", path=(*path, "kind"))
    follow = table.get("followed_by")
    followed_by = None if follow is None else followed_by_from_dict(follow, (*path, "followed_by"))
    return _build(
        path,
        lambda: Meeting(
            date=_date(_required(table, "date", path, what), (*path, "date")),
            kind=Kind(kind),
            start=None if start is None else _time(start, (*path, "start")),
            end=None if end is None else _time(end, (*path, "end")),
            end_assumed=_bool(table.get("end_assumed", False), (*path, "end_assumed")),
            overnight=_bool(table.get("overnight", False), (*path, "overnight")),
            formal=_bool(table.get("formal", True), (*path, "formal")),
            room=None if room is None else _text(room, (*path, "room")),
            entries=_entries(_required(table, "entries", path, what), (*path, "entries")),
            followed_by=followed_by,
        ),
    )


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
    "begun_earlier",
    "meetings",
}


def programme_from_dict(data: object, *, meetings: Sequence[Meeting] | None = None) -> Programme:
    """The inverse of :func:`programme_to_dict`; ``meetings`` replaces the dictionary's own.

    A programme-level error (an overlap, a meeting outside the session) names the
    meeting at fault in its path when the meetings came from ``data``.
    """
    table = _table(data, (), _PROGRAMME_KEYS, "the programme")
    what = "the programme"
    version = table.get("format", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise SchemaError(
            f"unsupported format {version!r} (expected {FORMAT_VERSION})", path=("format",)
        )
    body = _table(_required(table, "body", (), what), ("body",), {"name", "short_name"}, "[body]")
    own = meetings is None
    if meetings is None:
        found = _list(table.get("meetings", []), ("meetings",))
        meetings = [meeting_from_dict(m, ("meetings", i)) for i, m in enumerate(found)]

    def optional(key: str) -> str | None:
        value = table.get(key)
        return None if value is None else _text(value, (key,))

    def text(key: str) -> str:
        return _text(_required(table, key, (), what), (key,))

    footnotes = _list(table.get("footnotes", []), ("footnotes",))
    references = _list(table.get("references", []), ("references",))
    kwargs: dict[str, Any] = {
        "body": _build(
            ("body",),
            lambda: Body(
                name=_text(_required(body, "name", ("body",), "[body]"), ("body", "name")),
                short_name=_text(
                    _required(body, "short_name", ("body",), "[body]"), ("body", "short_name")
                ),
            ),
        ),
        "session": text("session"),
        "place": text("place"),
        "venue": text("venue"),
        "timezone": _text(table.get("timezone", DEFAULT_TIMEZONE), ("timezone",)),
        "first_day": _date(_required(table, "first_day", (), what), ("first_day",)),
        "last_day": _date(_required(table, "last_day", (), what), ("last_day",)),
        "issued": _date(_required(table, "issued", (), what), ("issued",)),
        "symbol": optional("symbol"),
        "url": optional("url"),
        "notes": _texts(table.get("notes", []), ("notes",)),
        "footnotes": tuple(_footnote(f, ("footnotes", i)) for i, f in enumerate(footnotes)),
        "references": tuple(_reference(r, ("references", i)) for i, r in enumerate(references)),
        "begun_earlier": tuple(
            series_key(v, ("begun_earlier", i))
            for i, v in enumerate(_list(table.get("begun_earlier", []), ("begun_earlier",)))
        ),
        "meetings": tuple(meetings),
    }
    try:
        return Programme(**kwargs)
    except ProgrammeError as exc:
        at_fault = [i for i, m in enumerate(meetings) if m is exc.meeting] if own else []
        path: Path = (
            ("meetings", at_fault[0], *_KEY_AT_FAULT.get(type(exc), ()))
            if at_fault
            else _field_at_fault(kwargs, exc)
        )
        raise SchemaError(str(exc), path=path) from exc


def _field_at_fault(kwargs: Mapping[str, Any], exc: ProgrammeError) -> Path:
    """The key of the programme's own field that the model refused, so that the error can
    name its line; ``()`` when the fault is not in one field."""
    if isinstance(exc, InvalidTimeRange):
        return ("last_day",)
    for field in attrs.fields(Programme):
        value = kwargs.get(field.name)
        if field.validator is None or value is None or field.name in ("meetings", "body"):
            continue
        items = list(enumerate(value)) if isinstance(value, tuple) else [(None, value)]
        for index, item in items:
            try:
                field.validator(None, field, (item,) if index is not None else item)
            except ProgrammeError:
                return (field.name,) if index is None else (field.name, index)
    return ()


#: The key of a meeting that a programme-level error points at.
_KEY_AT_FAULT: dict[type[ProgrammeError], Path] = {
    OverlappingMeetings: ("start",),
    MeetingOutsideSession: ("date",),
    NonexistentLocalTime: ("start",),
    AmbiguousLocalTime: ("start",),
    OrphanContinuation: ("entries",),
    UnknownFootnote: ("entries",),
}


_SERIES_KEY = lazy(r"([0-9]{1,3})(?:\(([a-z]{1,3})\))?")


def series_key(value: object, path: Path = ()) -> SeriesKey:
    """An agenda item or item/sub-item as written: ``5``, ``"5"`` or ``"5(a)"``."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 999:
        return SeriesKey(item=value)
    found = _SERIES_KEY.fullmatch(value.replace(" ", "")) if isinstance(value, str) else None
    if found is None or not 1 <= int(found.group(1)) <= 999:
        raise SchemaError(
            f'expected an agenda item number or reference like 5 or "5(a)", found {value!r}',
            path=path,
        )
    return SeriesKey(item=int(found.group(1)), sub_item=found.group(2))


def _footnote(data: object, path: Path) -> Footnote:
    table = _table(data, path, {"mark", "text"}, "a footnote")
    return _build(
        path,
        lambda: Footnote(
            mark=_text(_required(table, "mark", path, "a footnote"), (*path, "mark")),
            text=_text(_required(table, "text", path, "a footnote"), (*path, "text")),
        ),
    )


def _reference(data: object, path: Path) -> Reference:
    table = _table(data, path, {"symbol", "title", "url"}, "a reference")
    url = table.get("url")
    return _build(
        path,
        lambda: Reference(
            symbol=_text(_required(table, "symbol", path, "a reference"), (*path, "symbol")),
            title=_text(_required(table, "title", path, "a reference"), (*path, "title")),
            url=None if url is None else _text(url, (*path, "url")),
        ),
    )
