"""Refreshing published feeds: the job cron runs as ``oewg-cal refresh CONFIG.toml``.

Three layers, each usable on its own:

* :func:`load_config` reads a refresh configuration (TOML): where each feed is published,
  which sources (files or http(s) URLs) it is made of, and its options and filters.
* :func:`plan` is the pure core: given the feed as published last time and the
  programmes as they are now, it gives the feed to publish and a :class:`Report` of what
  changed.  A meeting keeps its UID across revisions (matched by identity, then by day,
  room and agenda content, then by day, room and rank, then by day and agenda content
  in another room); an unchanged event keeps its SEQUENCE and DTSTAMP; a changed one gets
  SEQUENCE + 1 and a new stamp; a meeting that disappears stays in the feed as a
  cancelled event until its session has ended (plus the retention time).
* :func:`refresh` runs a configuration: per feed it reads the sources (URLs through the
  conditional-GET cache of :mod:`oewg_cal.fetch`), takes the feed's lock, reads the
  published feed back, plans, refuses a suspicious loss of events, and publishes with an
  atomic write (nothing is written when the bytes are the same).  A failing feed is
  reported and the others still run; its published file is left as it was.

Besides the lock file, each feed has a small JSON file of the UIDs dropped from it (with
their last SEQUENCE), never to be given again: a meeting that comes back after its
cancelled event was dropped gets a new UID rather than a SEQUENCE lower than clients
saw; and a state file with a fingerprint of the last run (hashes of the source bytes,
of the feed's settings and of the published file, and the first moment the clock alone
would change the feed).  When the next run finds the same fingerprint it has nothing to
do and stops there, without parsing anything: the cron run of an unchanged feed costs
reading and hashing its files.  All live beside the output (``FEED.ics.lock``,
``.FEED.ics.retired.json``, ``.FEED.ics.state.json``), or in ``state_dir`` when configured.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import math
import os
import pathlib
import re
import sys
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

import attrs

from oewg_cal.errors import (
    ConfigError,
    DocumentError,
    FeedError,
    InvalidField,
    OewgCalError,
    PublishError,
)
from oewg_cal.feed import Event, Feed, FeedOptions, derived_uids, feed_of, programme_id
from oewg_cal.fetch import Fetched, FetchLimits, fetch
from oewg_cal.ics import description_of, location_of, read_ics, summary_of, write_ics
from oewg_cal.model import AgendaEntry, Meeting, Programme, Segment, SeriesKey
from oewg_cal.programme_file import entry_to_dict, programme_to_dict
from oewg_cal.publish import atomic_write, exclusive_lock, remove_stale_temporaries
from oewg_cal.readers import FORMATS, read_programme

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "CACHE_DIR_NAME",
    "DEFAULT_MAX_LOSS",
    "SIZE_WARNING_BYTES",
    "Config",
    "EventChange",
    "FeedConfig",
    "FeedResult",
    "Fetcher",
    "FieldChange",
    "Report",
    "RunResult",
    "TooManyLosses",
    "filter_programme",
    "load_config",
    "plan",
    "refresh",
]

#: Refuse to publish a feed that would lose more than this share of its live events.
DEFAULT_MAX_LOSS = 0.5
#: Google Calendar stops reading a subscribed feed larger than this.
SIZE_WARNING_BYTES = 1_000_000
#: Default download cache, in the folder of each output.
CACHE_DIR_NAME = ".oewg-cal-cache"
#: Temporary files of interrupted writes older than this are removed before publishing.
STALE_TEMPORARY_SECONDS = 3600.0

_UTC = dt.timezone.utc
_URL_SCHEME = re.compile(r"\A([A-Za-z][A-Za-z0-9+.-]*)://")
_ITEM_REFERENCE = re.compile(r"\A([0-9]{1,3})(?:\(([a-z]{1,3})\))?\Z")


class TooManyLosses(PublishError):
    """The feed would lose more of its live events than the configuration allows."""


class Fetcher(Protocol):
    """What :func:`refresh` calls to GET a URL: :func:`oewg_cal.fetch.fetch` or a stand-in."""

    def __call__(
        self, url: str, *, cache_dir: pathlib.Path | None = ..., limits: FetchLimits = ...
    ) -> Fetched: ...


# ==================================================================== configuration


@attrs.frozen(kw_only=True)
class FeedConfig:
    """One ``[[feed]]`` of a configuration, with paths resolved against the config's folder.

    ``sources`` are absolute file paths or http(s) URLs; ``items`` the agenda items (and
    item/sub-item pairs) to keep, ``None`` for all.
    """

    name: str
    output: pathlib.Path
    sources: tuple[str, ...]
    items: frozenset[SeriesKey] | None = None
    formal_only: bool = False
    alarms: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()
    color: str | None = None
    retention_days: int = 0
    format: str | None = None
    url: str | None = None
    caldav: str | None = None
    line: int | None = None

    @property
    def options(self) -> FeedOptions:
        """The calendar-level options of the published feed."""
        return FeedOptions(
            name=self.name,
            color=self.color,
            alarms=self.alarms,
            categories=self.categories,
            source=self.url,
        )

    @property
    def retention(self) -> dt.timedelta:
        """How long cancelled events stay after their session has ended."""
        return dt.timedelta(days=self.retention_days)


@attrs.frozen(kw_only=True)
class Config:
    """A refresh configuration: its feeds and the settings they share."""

    path: pathlib.Path
    feeds: tuple[FeedConfig, ...]
    state_dir: pathlib.Path | None = None
    cache_dir: pathlib.Path | None = None
    max_loss: float = DEFAULT_MAX_LOSS
    limits: FetchLimits = attrs.field(factory=FetchLimits)

    def cache_dir_for(self, feed: FeedConfig) -> pathlib.Path:
        """Where downloads of the feed's URL sources are cached."""
        if self.cache_dir is not None:
            return self.cache_dir
        if self.state_dir is not None:
            return self.state_dir / "cache"
        return feed.output.parent / CACHE_DIR_NAME

    def lock_for(self, feed: FeedConfig) -> pathlib.Path:
        """The lock file that serialises refreshes of the feed's output."""
        if self.state_dir is None:
            return feed.output.with_name(feed.output.name + ".lock")
        return self.state_dir / f"{feed.output.name}.{self._digest(feed)}.lock"

    def retired_for(self, feed: FeedConfig) -> pathlib.Path:
        """The file remembering the UIDs dropped from the feed and their last SEQUENCE."""
        if self.state_dir is None:
            return feed.output.with_name(f".{feed.output.name}.retired.json")
        return self.state_dir / f"{feed.output.name}.{self._digest(feed)}.retired.json"

    def state_for(self, feed: FeedConfig) -> pathlib.Path:
        """The file holding the fingerprint of the feed's last successful run."""
        if self.state_dir is None:
            return feed.output.with_name(f".{feed.output.name}.state.json")
        return self.state_dir / f"{feed.output.name}.{self._digest(feed)}.state.json"

    @staticmethod
    def _digest(feed: FeedConfig) -> str:
        return hashlib.sha256(str(feed.output).encode()).hexdigest()[:10]


_TOP_KEYS = {"state_dir", "cache_dir", "max_loss", "fetch", "feed"}
_FETCH_KEYS = {"connect_timeout", "read_timeout", "max_bytes", "max_redirects"}
_FEED_KEYS = {
    "name",
    "output",
    "sources",
    "source",
    "items",
    "formal_only",
    "alarms",
    "categories",
    "color",
    "retention_days",
    "format",
    "url",
    "caldav",
}


class _ConfigText:
    """The text of a config file, to point error messages at the right line."""

    _HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?\s*(?:#.*)?$")

    def __init__(self, path: pathlib.Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.headers: list[tuple[int, str, bool]] = []  # (line, table name, is array)
        for number, line in enumerate(self.lines, start=1):
            found = self._HEADER.match(line)
            if found:
                self.headers.append((number, found.group(1), line.lstrip().startswith("[[")))

    def feed_line(self, index: int) -> int | None:
        """The line of the header of the ``index``-th (0-based) ``[[feed]]`` table."""
        feeds = [n for n, name, array in self.headers if array and name == "feed"]
        return feeds[index] if index < len(feeds) else None

    def key_line(self, key: str, feed: int | None = None, table: str | None = None) -> int | None:
        """The line where ``key`` is set: at the top, in a table, or in the n-th feed."""
        if feed is not None:
            start = self.feed_line(feed)
        elif table is not None:
            start = next((n for n, name, _ in self.headers if name == table), None)
        else:
            start = 0
        if start is None:
            return None
        later = [n for n, _, _ in self.headers if n > start]
        end = later[0] if later else len(self.lines) + 1
        pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
        for number in range(start + 1, end):
            if pattern.match(self.lines[number - 1]):
                return number
        return start or None

    def error(self, message: str, line: int | None) -> ConfigError:
        return ConfigError(message, source=str(self.path), line=line)


def _feed_label(index: int, data: Mapping[str, Any]) -> str:
    name = data.get("name")
    return f"[[feed]] #{index + 1}" + (f" ({name!r})" if isinstance(name, str) else "")


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read and check a refresh configuration.

    Raises :class:`~oewg_cal.errors.ConfigError` naming the file, the line where it can
    be found, and what was expected, for a file that cannot be read, is not TOML, has
    unknown keys, values of the wrong type, or a feed without an output or sources.
    """
    config_path = pathlib.Path(path).expanduser().absolute()
    try:
        raw = config_path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"cannot read the configuration ({exc.strerror or exc})", source=str(config_path)
        ) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"the configuration is not UTF-8 text (byte {exc.start})", source=str(config_path)
        ) from exc
    where = _ConfigText(config_path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\s*\(at line (\d+), column (\d+)\)", message)
        line = int(found.group(1)) if found else None
        if found:
            message = message[: found.start()] + message[found.end() :]
        raise ConfigError(
            f"not valid TOML: {message} (expected a TOML file with [[feed]] tables)",
            source=str(config_path),
            line=line,
            column=int(found.group(2)) if found else None,
        ) from exc
    return _config_from(data, config_path, where)


def _config_from(data: dict[str, Any], path: pathlib.Path, where: _ConfigText) -> Config:
    base = path.parent
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise where.error(
            f"unknown key {unknown[0]!r} (expected {', '.join(sorted(_TOP_KEYS))})",
            where.key_line(unknown[0]),
        )

    def top_dir(key: str) -> pathlib.Path | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise where.error(
                f"{key} must be a folder path as text, not {value!r}", where.key_line(key)
            )
        return _resolve(base, value)

    max_loss = data.get("max_loss", DEFAULT_MAX_LOSS)
    if (
        isinstance(max_loss, bool)
        or not isinstance(max_loss, (int, float))
        or not 0 <= max_loss <= 1
    ):
        raise where.error(
            f"max_loss must be a number from 0 to 1 (the share of live events a refresh may "
            f"cancel), not {max_loss!r}",
            where.key_line("max_loss"),
        )
    limits = _limits_from(data.get("fetch", {}), where)
    feeds_data = data.get("feed")
    if feeds_data is None:
        raise where.error("no [[feed]] table (expected at least one feed to refresh)", None)
    if not isinstance(feeds_data, list) or not all(isinstance(f, dict) for f in feeds_data):
        raise where.error(
            "feed must be an array of tables, written [[feed]]", where.key_line("feed")
        )
    if not feeds_data:
        raise where.error("no [[feed]] table (expected at least one feed to refresh)", None)
    feeds = tuple(_feed_from(i, f, base, where) for i, f in enumerate(feeds_data))
    seen: dict[pathlib.Path, int] = {}
    for index, feed in enumerate(feeds):
        if feed.output in seen:
            raise where.error(
                f"{_feed_label(index, feeds_data[index])}: output {feed.output} is also the "
                f"output of {_feed_label(seen[feed.output], feeds_data[seen[feed.output]])} "
                "(expected one feed per file)",
                where.key_line("output", feed=index),
            )
        seen[feed.output] = index
    return Config(
        path=path,
        feeds=feeds,
        state_dir=top_dir("state_dir"),
        cache_dir=top_dir("cache_dir"),
        max_loss=float(max_loss),
        limits=limits,
    )


def _resolve(base: pathlib.Path, value: str) -> pathlib.Path:
    return base / pathlib.Path(value).expanduser()


def _limits_from(data: object, where: _ConfigText) -> FetchLimits:
    if not isinstance(data, dict):
        raise where.error("fetch must be a table, written [fetch]", where.key_line("fetch"))
    unknown = sorted(set(data) - _FETCH_KEYS)
    if unknown:
        raise where.error(
            f"[fetch]: unknown key {unknown[0]!r} (expected {', '.join(sorted(_FETCH_KEYS))})",
            where.key_line(unknown[0], table="fetch"),
        )
    values: dict[str, Any] = {}
    for key in ("connect_timeout", "read_timeout"):
        if key in data:
            value = data[key]
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
                or value <= 0
            ):
                raise where.error(
                    f"[fetch]: {key} must be a positive number of seconds, not {value!r}",
                    where.key_line(key, table="fetch"),
                )
            values[key] = float(value)
    for key in ("max_bytes", "max_redirects"):
        if key in data:
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise where.error(
                    f"[fetch]: {key} must be a whole number, 0 or more, not {value!r}",
                    where.key_line(key, table="fetch"),
                )
            values[key] = value
    return FetchLimits(**values)


def _feed_from(
    index: int, data: dict[str, Any], base: pathlib.Path, where: _ConfigText
) -> FeedConfig:
    label = _feed_label(index, data)

    def fail(key: str | None, message: str) -> ConfigError:
        line = where.key_line(key, feed=index) if key else where.feed_line(index)
        return where.error(f"{label}: {message}", line)

    unknown = sorted(set(data) - _FEED_KEYS)
    if unknown:
        raise fail(
            unknown[0], f"unknown key {unknown[0]!r} (expected {', '.join(sorted(_FEED_KEYS))})"
        )

    def text(key: str, *, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                raise fail(None, f'missing {key} (expected {key} = "...")')
            return None
        if not isinstance(value, str) or not value.strip() or "\n" in value:
            raise fail(key, f"{key} must be a single line of text, not {value!r}")
        return value

    def texts(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(v, str) and v.strip() and "\n" not in v for v in value
        ):
            raise fail(key, f"{key} must be a list of texts, not {value!r}")
        return tuple(value)

    name = text("name", required=True)
    output = text("output", required=True)
    assert name is not None and output is not None
    if "source" in data and "sources" in data:
        raise fail("source", "give either source or sources, not both")
    if "source" in data:
        source = text("source")
        raw_sources: tuple[str, ...] = (source,) if source else ()
    elif "sources" in data:
        raw_sources = texts("sources")
    else:
        raw_sources = ()
    if not raw_sources:
        raise fail(
            "sources" if "sources" in data else None,
            'no source (expected sources = ["programme.toml", "https://..."], '
            "file paths or http(s) URLs)",
        )
    source_key = "source" if "source" in data else "sources"
    sources = tuple(_source_from(s, base, lambda m: fail(source_key, m)) for s in raw_sources)

    items: frozenset[SeriesKey] | None = None
    if "items" in data:
        items = _items_from(data["items"], lambda m: fail("items", m))

    formal_only = data.get("formal_only", False)
    if not isinstance(formal_only, bool):
        raise fail("formal_only", f"formal_only must be true or false, not {formal_only!r}")
    alarms = data.get("alarms", [])
    if not isinstance(alarms, list) or not all(
        isinstance(a, int) and not isinstance(a, bool) and 0 <= a <= 40320 for a in alarms
    ):
        raise fail(
            "alarms",
            f"alarms must be a list of whole minutes before the start (0 to 40320), not {alarms!r}",
        )
    retention = data.get("retention_days", 0)
    if isinstance(retention, bool) or not isinstance(retention, int) or not 0 <= retention <= 3660:
        raise fail(
            "retention_days",
            f"retention_days must be a whole number of days from 0 to 3660, not {retention!r}",
        )
    reader_format = text("format")
    if reader_format is not None and reader_format not in FORMATS:
        raise fail(
            "format", f"unknown format {reader_format!r} (expected one of {', '.join(FORMATS)})"
        )
    url = text("url")
    if url is not None and (_scheme(url) or "").lower() not in ("http", "https"):
        raise fail("url", f"url must be the http(s) URL the feed is published at, not {url!r}")
    caldav = text("caldav")
    if caldav is not None and (_scheme(caldav) or "").lower() not in ("http", "https"):
        raise fail(
            "caldav", f"caldav must be the http(s) URL of a calendar collection, not {caldav!r}"
        )
    return FeedConfig(
        caldav=caldav,
        name=name,
        output=_resolve(base, output),
        sources=sources,
        items=items,
        formal_only=formal_only,
        alarms=tuple(alarms),
        categories=texts("categories"),
        color=text("color"),
        retention_days=retention,
        format=reader_format,
        url=url,
        line=where.feed_line(index),
    )


def _scheme(text: str) -> str | None:
    found = _URL_SCHEME.match(text)
    return found.group(1) if found else None


def _is_url(source: str) -> bool:
    return (_scheme(source) or "").lower() in ("http", "https")


def _source_from(value: str, base: pathlib.Path, fail: Callable[[str], ConfigError]) -> str:
    scheme = _scheme(value)
    if scheme is None:
        return str(_resolve(base, value))
    if scheme.lower() not in ("http", "https"):
        raise fail(
            f"source {value!r} has scheme {scheme!r} (expected a file path or an http(s) URL)"
        )
    return value


def _items_from(value: object, fail: Callable[[str], ConfigError]) -> frozenset[SeriesKey]:
    expected = 'a list of agenda item numbers or references like 5 or "5(a)"'
    if not isinstance(value, list) or not value:
        raise fail(f"items must be {expected}, not {value!r}")
    keys: set[SeriesKey] = set()
    for item in value:
        if isinstance(item, int) and not isinstance(item, bool) and 1 <= item <= 999:
            keys.add(SeriesKey(item=item))
            continue
        found = _ITEM_REFERENCE.match(item.replace(" ", "")) if isinstance(item, str) else None
        if not found or not 1 <= int(found.group(1)) <= 999:
            raise fail(f"items must be {expected}; {item!r} is not one")
        keys.add(SeriesKey(item=int(found.group(1)), sub_item=found.group(2)))
    return frozenset(keys)


# ==================================================================== filters


def _keeps(entry: AgendaEntry, items: frozenset[SeriesKey]) -> bool:
    if entry.item is None:
        return False
    if SeriesKey(item=entry.item) in items:
        return True
    return entry.sub_item is not None and (
        SeriesKey(item=entry.item, sub_item=entry.sub_item.letter) in items
    )


def filter_programme(
    programme: Programme, *, items: Iterable[SeriesKey] | None = None, formal_only: bool = False
) -> Programme:
    """The programme with only the meetings a feed keeps.

    ``items`` keeps only the entries of those agenda items (``SeriesKey(item=5)``: all of
    item 5; ``SeriesKey(item=5, sub_item="a")``: sub-item 5(a) only), dropping segments
    that are not part of a kept item; ``formal_only`` drops informal meetings.  A meeting
    with no entry left is dropped.  An entry marked "(continued)" whose earlier meetings
    were all dropped is no longer marked so, since it is the first of its series here.
    """
    keep = frozenset(items) if items is not None else None
    if keep is None and not formal_only:
        return programme
    meetings: list[Meeting] = []
    seen: set[SeriesKey] = set()
    for meeting in programme.meetings:
        if formal_only and not meeting.formal:
            continue
        entries = [e for e in meeting.entries if keep is None or _keeps(e, keep)]
        if not entries:
            continue
        entries = [_first_of_series(e, seen) for e in entries]
        seen.update(k for e in entries for k in e.series_keys)
        meetings.append(
            meeting if tuple(entries) == meeting.entries else attrs.evolve(meeting, entries=entries)
        )
    return attrs.evolve(programme, meetings=meetings)


def _first_of_series(entry: AgendaEntry, seen: set[SeriesKey]) -> AgendaEntry:
    if entry.item is None:
        return entry
    changes: dict[str, Any] = {}
    if entry.continued and SeriesKey(item=entry.item) not in seen:
        changes["continued"] = False
    sub = entry.sub_item
    if (
        sub is not None
        and sub.continued
        and SeriesKey(item=entry.item, sub_item=sub.letter) not in seen
    ):
        changes["sub_item"] = attrs.evolve(sub, continued=False)
    return attrs.evolve(entry, **changes) if changes else entry


# ==================================================================== the report


@attrs.frozen(kw_only=True)
class FieldChange:
    """One field of a changed event: ``time``, ``entries``, ``room``, ``formal``, ``status``
    or ``details`` (text that changed with the programme's own fields), as text."""

    field: str
    old: str
    new: str

    def to_dict(self) -> dict[str, str]:
        """The change as JSON-ready data."""
        return {"field": self.field, "old": self.old, "new": self.new}


@attrs.frozen(kw_only=True)
class EventChange:
    """An event added, changed, cancelled or dropped: its UID, new SEQUENCE and meeting."""

    uid: str
    sequence: int
    meeting: str
    summary: str
    fields: tuple[FieldChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON-ready data."""
        data: dict[str, Any] = {
            "uid": self.uid,
            "sequence": self.sequence,
            "meeting": self.meeting,
            "summary": self.summary,
        }
        if self.fields:
            data["fields"] = [f.to_dict() for f in self.fields]
        return data


@attrs.frozen(kw_only=True)
class Report:
    """What :func:`plan` changed in a feed.

    ``calendar`` holds changes beyond single events (programme details, a programme
    added or gone, feed options); ``previous_live`` and ``lost`` count the live events of
    the previous feed and those of them no longer live.
    """

    added: tuple[EventChange, ...] = ()
    changed: tuple[EventChange, ...] = ()
    cancelled: tuple[EventChange, ...] = ()
    dropped: tuple[EventChange, ...] = ()
    calendar: tuple[str, ...] = ()
    unchanged: int = 0
    previous_live: int = 0
    lost: int = 0

    @property
    def changed_anything(self) -> bool:
        """Whether the planned feed differs from the previous one."""
        return bool(self.added or self.changed or self.cancelled or self.dropped or self.calendar)

    def counts(self) -> str:
        """A one-line summary: "1 added, 2 changed, 1 cancelled" or "no change"."""
        parts = [
            f"{len(group)} {what}"
            for what, group in (
                ("added", self.added),
                ("changed", self.changed),
                ("cancelled", self.cancelled),
                ("dropped", self.dropped),
            )
            if group
        ]
        if self.calendar:
            parts.append("calendar details changed")
        return ", ".join(parts) or "no change"

    def to_text(self) -> str:
        """The report for people, one line per event and one per changed field."""
        lines: list[str] = []
        for what, group in (
            ("added", self.added),
            ("changed", self.changed),
            ("cancelled", self.cancelled),
            ("dropped", self.dropped),
        ):
            for change in group:
                lines.append(f"{what}: {change.meeting}: {change.summary}")
                lines.extend(f"    {f.field}: {f.old} → {f.new}" for f in change.fields)
        lines.extend(f"calendar: {note}" for note in self.calendar)
        return "\n".join(lines) if lines else "no change"

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "changed_anything": self.changed_anything,
            "added": [c.to_dict() for c in self.added],
            "changed": [c.to_dict() for c in self.changed],
            "cancelled": [c.to_dict() for c in self.cancelled],
            "dropped": [c.to_dict() for c in self.dropped],
            "calendar": list(self.calendar),
            "unchanged": self.unchanged,
            "previous_live": self.previous_live,
            "lost": self.lost,
        }


def _entry_text(entry: AgendaEntry) -> str:
    parts: list[str] = []
    if entry.segment is not None:
        parts.append(entry.label)
    if entry.item is not None:
        text = f"Item {entry.item}"
        if entry.title:
            text += f": {entry.title}"
        if entry.continued:
            text += " (continued)"
        if entry.sub_item is not None:
            sub = entry.sub_item
            text += f" / ({sub.letter}) {sub.text}" + (" (continued)" if sub.continued else "")
        parts.append(text)
    return " — ".join(parts)


def _entries_text(entries: Sequence[AgendaEntry]) -> str:
    return "; ".join(_entry_text(e) for e in entries)


def _time_text(programme: Programme, meeting: Meeting, zone: bool) -> str:
    text = f"{meeting.date} {meeting.start:%H:%M}–{meeting.end:%H:%M}"
    return f"{text} {programme.timezone}" if zone else text


def _rendered(programme: Programme, meeting: Meeting) -> tuple[str, ...]:
    return (
        summary_of(programme, meeting),
        location_of(programme, meeting),
        description_of(programme, meeting),
        programme.url or "",
        programme.timezone,
    )


def _field_changes(
    old_programme: Programme, old: Meeting, programme: Programme, new: Meeting
) -> list[FieldChange]:
    fields: list[FieldChange] = []
    zone_changed = old_programme.timezone != programme.timezone
    if (old.date, old.start, old.end) != (new.date, new.start, new.end) or zone_changed:
        fields.append(
            FieldChange(
                field="time",
                old=_time_text(old_programme, old, zone_changed),
                new=_time_text(programme, new, zone_changed),
            )
        )
    if old.entries != new.entries:
        before, after = _entries_text(old.entries), _entries_text(new.entries)
        if before == after:  # speakers or footnotes only
            before = str([entry_to_dict(e) for e in old.entries])
            after = str([entry_to_dict(e) for e in new.entries])
        fields.append(FieldChange(field="entries", old=before, new=after))
    if old.room != new.room:
        fields.append(FieldChange(field="room", old=old.room or "(none)", new=new.room or "(none)"))
    if old.formal != new.formal:
        kind = {True: "formal", False: "informal"}
        fields.append(FieldChange(field="formal", old=kind[old.formal], new=kind[new.formal]))
    if not fields:
        for before, after in zip(
            _rendered(old_programme, old), _rendered(programme, new), strict=True
        ):
            if before != after:
                fields.append(FieldChange(field="details", **_first_difference(before, after)))
                break
    return fields


# ==================================================================== planning


def _first_difference(before: str, after: str) -> dict[str, str]:
    for old_line, new_line in itertools.zip_longest(
        before.splitlines(), after.splitlines(), fillvalue=""
    ):
        if old_line != new_line:
            return {"old": old_line, "new": new_line}
    return {"old": before, "new": after}


def _check_now(now: dt.datetime) -> None:
    if (
        not isinstance(now, dt.datetime)
        or now.tzinfo is None
        or now.utcoffset() != dt.timedelta(0)
        or now.microsecond
    ):
        raise ValueError(f"now must be an aware UTC datetime in whole seconds, not {now!r}")


def _content(meeting: Meeting) -> tuple[tuple[int | None, str | None, Segment | None], ...]:
    """What a meeting takes up, whatever the wording: items, sub-items and segments."""
    return tuple(
        (e.item, e.sub_item.letter if e.sub_item else None, e.segment) for e in meeting.entries
    )


def _match(
    old: Sequence[Event], new: Sequence[Meeting]
) -> tuple[list[tuple[Event, Meeting]], list[Event], list[Meeting]]:
    """Pair old events of a programme with its new meetings; return pairs and the leftovers.

    Live events are preferred to cancelled ones, earlier meetings to later ones.
    """
    remaining_old = sorted(old, key=lambda e: (e.cancelled, e.meeting.sort_key, e.uid))
    remaining_new = list(new)
    pairs: list[tuple[Event, Meeting]] = []

    old_rank: dict[str, int] = {}
    counters: dict[tuple[dt.date, str | None], int] = {}
    for event in sorted((e for e in old if not e.cancelled), key=lambda e: e.meeting.sort_key):
        place = (event.meeting.date, event.meeting.room)
        counters[place] = old_rank[event.uid] = counters.get(place, 0) + 1
    new_rank: dict[Meeting, int] = {}
    counters = {}
    for meeting in new:
        place = (meeting.date, meeting.room)
        counters[place] = new_rank[meeting] = counters.get(place, 0) + 1

    def step(
        key_of_event: Callable[[Event], object],
        key_of_meeting: Callable[[Meeting], object],
        live_only: bool = False,
    ) -> None:
        nonlocal remaining_old, remaining_new
        candidates: dict[object, list[Event]] = {}
        for event in remaining_old:
            if not (live_only and event.cancelled):
                candidates.setdefault(key_of_event(event), []).append(event)
        taken: set[str] = set()
        unmatched: list[Meeting] = []
        for meeting in remaining_new:
            found = candidates.get(key_of_meeting(meeting))
            if found:
                event = found.pop(0)
                taken.add(event.uid)
                pairs.append((event, meeting))
            else:
                unmatched.append(meeting)
        remaining_new = unmatched
        remaining_old = [e for e in remaining_old if e.uid not in taken]

    step(lambda e: e.meeting, lambda m: m)
    step(
        lambda e: (e.meeting.date, e.meeting.room, _content(e.meeting)),
        lambda m: (m.date, m.room, _content(m)),
    )
    step(
        lambda e: (e.meeting.date, e.meeting.room, old_rank.get(e.uid)),
        lambda m: (m.date, m.room, new_rank[m]),
        live_only=True,
    )
    step(lambda e: (e.meeting.date, _content(e.meeting)), lambda m: (m.date, _content(m)))
    return pairs, remaining_old, remaining_new


def _drop_time(programme: Programme, meeting: Meeting, retention: dt.timedelta) -> dt.datetime:
    """When a cancelled event of the meeting leaves the feed: after its session, plus retention."""
    last = max(programme.last_day, meeting.date)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=programme.zone)
    return end + retention


def _session_over(
    programme: Programme, meeting: Meeting, now: dt.datetime, retention: dt.timedelta
) -> bool:
    return now > _drop_time(programme, meeting, retention)


def _clock_matters_until(feed: Feed, retention: dt.timedelta) -> dt.datetime | None:
    """Until when :func:`plan` gives this feed back unchanged, the programmes being the same.

    Only the clock drops cancelled events; ``None`` when the feed has none.
    """
    times = [_drop_time(feed.programme(e.programme), e.meeting, retention) for e in feed.cancelled]
    return min(times, default=None)


def _free_uid(uid: str, taken: set[str]) -> str:
    if uid not in taken:
        return uid
    stem, at, domain = uid.rpartition("@")
    if not at:
        stem, domain = uid, ""
    number = 2
    while True:
        candidate = f"{stem}-r{number}{at}{domain}"
        if candidate not in taken:
            return candidate
        number += 1


def _programme_label(programme: Programme) -> str:
    return f"{programme.body.short_name} — {programme.session}"


@attrs.define
class _Planner:
    now: dt.datetime
    retention: dt.timedelta
    events: list[Event] = attrs.field(factory=list)
    added: list[EventChange] = attrs.field(factory=list)
    changed: list[EventChange] = attrs.field(factory=list)
    cancelled: list[EventChange] = attrs.field(factory=list)
    dropped: list[EventChange] = attrs.field(factory=list)
    calendar: list[str] = attrs.field(factory=list)
    unchanged: int = 0
    lost: int = 0

    def note(
        self,
        group: list[EventChange],
        event: Event,
        programme: Programme,
        fields: Sequence[FieldChange] = (),
    ) -> None:
        group.append(
            EventChange(
                uid=event.uid,
                sequence=event.sequence,
                meeting=event.meeting.describe(),
                summary=summary_of(programme, event.meeting, cancelled=event.cancelled),
                fields=tuple(fields),
            )
        )

    def carry(
        self,
        old: Event,
        meeting: Meeting,
        old_programme: Programme,
        programme: Programme,
        same_details: bool,
    ) -> None:
        """An old event matched to a meeting of the new programme."""
        if not old.cancelled and old.meeting == meeting and same_details:
            self.events.append(old)
            self.unchanged += 1
            return
        fields = _field_changes(old_programme, old.meeting, programme, meeting)
        if old.cancelled:
            fields.insert(0, FieldChange(field="status", old="cancelled", new="confirmed"))
        if not fields:
            self.events.append(old)
            self.unchanged += 1
            return
        event = attrs.evolve(
            old, meeting=meeting, sequence=old.sequence + 1, stamp=self.now, cancelled=False
        )
        self.events.append(event)
        self.note(self.changed, event, programme, fields)

    def retire(self, old: Event, programme: Programme) -> None:
        """An old event whose meeting is no longer in the programme."""
        if not old.cancelled:
            self.lost += 1
        if _session_over(programme, old.meeting, self.now, self.retention):
            self.note(self.dropped, old, programme)
            return
        if old.cancelled:
            self.events.append(old)
            return
        event = attrs.evolve(old, sequence=old.sequence + 1, stamp=self.now, cancelled=True)
        self.events.append(event)
        self.note(self.cancelled, event, programme)


def plan(
    previous: Feed | None,
    programmes: Iterable[Programme],
    options: FeedOptions,
    now: dt.datetime,
    *,
    retention: dt.timedelta = dt.timedelta(0),
    retired: Iterable[str] = (),
) -> tuple[Feed, Report]:
    """The feed to publish for ``programmes``, given the ``previous`` one, and what changed.

    Pure: the result depends only on the arguments.  ``now`` (an aware UTC datetime in
    whole seconds) stamps the events that change.  Old events are matched to new meetings
    of the same programme, in turn by identical meeting; same day, room and agenda
    content (items, sub-items, segments); same day, room and rank in that room that day;
    same day and agenda content in another room.  Then:

    * a matched, unchanged event is kept as it was (UID, SEQUENCE, stamp);
    * a matched event whose meeting changed, or a cancelled one that is back, gets
      SEQUENCE + 1 and the stamp ``now``;
    * a new meeting gets its :func:`~oewg_cal.feed.derived_uid`, SEQUENCE 0 and the stamp
      ``now``; with a ``-rN`` suffix when a kept event already has that UID, or when it
      is one of ``retired`` (the UIDs of events dropped from earlier feeds: a UID is
      never used again once dropped, so its SEQUENCE never goes back);
    * an old meeting gone from its programme becomes a cancelled event (SEQUENCE + 1,
      stamp ``now``), and an already cancelled event stays as it was, until ``now`` is
      past the end of the last day of its session plus ``retention``; then it is dropped.

    Without a previous feed the result is the first publication, :func:`~oewg_cal.feed.feed_of`.
    A programme of the previous feed that is no longer given stays, without meetings, as
    long as some of its cancelled events do.
    """
    _check_now(now)
    progs = tuple(programmes)
    ids = [programme_id(p) for p in progs]
    repeated = sorted({pid for pid in ids if ids.count(pid) > 1})
    if repeated:
        raise InvalidField(
            f"the same programme is given twice (same body, session and first day): {repeated}"
        )
    retired_uids = frozenset(retired)
    if previous is None and retired_uids:
        previous = Feed(programmes=(), events=(), options=options)
    if previous is None:
        feed = feed_of(progs, options)
        added = _Planner(now=now, retention=retention)
        for event in feed.events:
            added.note(added.added, event, feed.programme(event.programme))
        return feed, Report(added=tuple(added.added))

    planner = _Planner(now=now, retention=retention)
    old_programmes = {programme_id(p): p for p in previous.programmes}
    old_events: dict[str, list[Event]] = {}
    for event in previous.events:
        old_events.setdefault(event.programme, []).append(event)

    pending: list[tuple[Programme, Meeting]] = []
    for pid, programme in zip(ids, progs, strict=True):
        old_programme = old_programmes.get(pid)
        if old_programme is None:
            if previous.programmes:
                planner.calendar.append(f"programme added: {_programme_label(programme)}")
            pending.extend((programme, m) for m in programme.meetings)
            continue
        old_details = programme_to_dict(old_programme, meetings=False)
        new_details = programme_to_dict(programme, meetings=False)
        same_details = old_details == new_details
        if not same_details:
            keys = sorted(
                k
                for k in old_details.keys() | new_details.keys()
                if old_details.get(k) != new_details.get(k)
            )
            planner.calendar.append(
                f"programme details changed ({', '.join(keys)}): {_programme_label(programme)}"
            )
        pairs, gone, new = _match(old_events.get(pid, []), programme.meetings)
        for old, meeting in pairs:
            planner.carry(old, meeting, old_programme, programme, same_details)
        for old in gone:
            planner.retire(old, programme)
        pending.extend((programme, m) for m in new)

    kept_programmes = list(progs)
    for pid, old_programme in old_programmes.items():
        if pid in ids:
            continue
        before = len(planner.events)
        for old in sorted(old_events.get(pid, []), key=lambda e: e.meeting.sort_key):
            planner.retire(old, old_programme)
        label = _programme_label(old_programme)
        if len(planner.events) > before:
            kept_programmes.append(attrs.evolve(old_programme, meetings=()))
            planner.calendar.append(f"programme no longer in the sources: {label}")
        else:
            planner.calendar.append(f"programme removed from the feed: {label}")

    taken = {e.uid for e in planner.events} | retired_uids
    for programme, meeting in pending:
        uid = _free_uid(derived_uids(programme)[meeting], taken)
        taken.add(uid)
        event = Event(
            programme=programme_id(programme),
            meeting=meeting,
            uid=uid,
            stamp=now,
        )
        planner.events.append(event)
        planner.note(planner.added, event, programme)

    if options != previous.options:
        planner.calendar.append("feed options changed (name, colour, alarms, categories or URL)")
    feed = Feed(programmes=kept_programmes, events=planner.events, options=options)
    return feed, Report(
        added=tuple(planner.added),
        changed=tuple(planner.changed),
        cancelled=tuple(planner.cancelled),
        dropped=tuple(planner.dropped),
        calendar=tuple(planner.calendar),
        unchanged=planner.unchanged,
        previous_live=len(previous.live),
        lost=planner.lost,
    )


# ==================================================================== running


@attrs.frozen(kw_only=True)
class FeedResult:
    """The outcome of refreshing one feed.

    ``error`` is set when the feed failed (its published file is then untouched);
    ``written`` says whether the output file was replaced; ``notes`` tell how each source
    was read; ``detail`` holds the traceback of an unexpected failure.
    """

    name: str
    output: pathlib.Path
    report: Report | None = None
    written: bool = False
    size: int | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    detail: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def changed(self) -> bool:
        """Whether the published feed changed."""
        return self.written or (self.report is not None and self.report.changed_anything)

    def to_text(self) -> str:
        """A header line naming the feed, then the report (or the error)."""
        where = f"{self.name} ({self.output})"
        if self.error is not None:
            return f"{where}: failed: {self.error}"
        assert self.report is not None
        if not self.changed:
            return f"{where}: unchanged"
        state = "written" if self.written else "not written"
        head = f"{where}: {self.report.counts()}; {state}"
        body = (
            self.report.to_text()
            if self.report.changed_anything
            else ("the feed's encoding changed; rewritten")
        )
        return head + "\n" + "\n".join(f"  {line}" for line in body.splitlines())

    def to_dict(self) -> dict[str, Any]:
        """The outcome as JSON-ready data."""
        return {
            "name": self.name,
            "output": str(self.output),
            "ok": self.ok,
            "error": self.error,
            "written": self.written,
            "changed": self.changed,
            "size": self.size,
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "report": self.report.to_dict() if self.report is not None else None,
        }


@attrs.frozen(kw_only=True)
class RunResult:
    """The outcome of one :func:`refresh` run: one :class:`FeedResult` per feed, in order."""

    config: pathlib.Path
    now: dt.datetime
    feeds: tuple[FeedResult, ...]

    @property
    def ok(self) -> bool:
        """Whether every feed was refreshed without error."""
        return all(f.ok for f in self.feeds)

    @property
    def changed_anything(self) -> bool:
        """Whether some published feed changed."""
        return any(f.changed for f in self.feeds)

    def to_text(self, *, verbose: bool = False) -> str:
        """The changed (with ``verbose``: all) feeds' results, for people."""
        return "\n".join(f.to_text() for f in self.feeds if verbose or f.changed or not f.ok)

    def to_dict(self) -> dict[str, Any]:
        """The outcome as JSON-ready data."""
        return {
            "config": str(self.config),
            "now": self.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "ok": self.ok,
            "changed_anything": self.changed_anything,
            "feeds": [f.to_dict() for f in self.feeds],
        }


def _utc_seconds(moment: dt.datetime) -> dt.datetime:
    if not isinstance(moment, dt.datetime) or moment.tzinfo is None:
        raise ValueError(f"the clock must give an aware datetime, not {moment!r}")
    return moment.astimezone(_UTC).replace(microsecond=0)


def refresh(
    config_path: str | os.PathLike[str],
    *,
    now: Callable[[], dt.datetime],
    force: bool = False,
    fetcher: Fetcher = fetch,
) -> RunResult:
    """Refresh every feed of the configuration; see the module documentation.

    ``now`` is called once, and its value (in UTC, whole seconds) stamps every change of
    the run.  ``force`` publishes even when a feed would lose more than ``max_loss`` of its
    live events.  Raises :class:`~oewg_cal.errors.ConfigError` for a bad configuration;
    a failing feed is reported in its :class:`FeedResult` and the others still run.
    """
    config = load_config(config_path)
    moment = _utc_seconds(now())
    results = tuple(_refresh_feed(config, feed, moment, force, fetcher) for feed in config.feeds)
    return RunResult(config=config.path, now=moment, feeds=results)


@attrs.define
class _Progress:
    notes: list[str] = attrs.field(factory=list)
    warnings: list[str] = attrs.field(factory=list)
    report: Report | None = None
    size: int | None = None


def _refresh_feed(
    config: Config, feed: FeedConfig, now: dt.datetime, force: bool, fetcher: Fetcher
) -> FeedResult:
    progress = _Progress()
    try:
        written = _publish(config, feed, now, force, fetcher, progress)
    except OewgCalError as exc:
        error, detail = str(exc), None
    except Exception as exc:  # a bug must not keep the other feeds from refreshing
        error = f"internal error ({type(exc).__name__}: {exc})"
        detail = traceback.format_exc()
    else:
        return FeedResult(
            name=feed.name,
            output=feed.output,
            report=progress.report,
            written=written,
            size=progress.size,
            warnings=tuple(progress.warnings),
            notes=tuple(progress.notes),
        )
    return FeedResult(
        name=feed.name,
        output=feed.output,
        report=progress.report,
        error=error,
        warnings=tuple(progress.warnings),
        notes=tuple(progress.notes),
        detail=detail,
    )


def _source_bytes(
    config: Config, feed: FeedConfig, source: str, fetcher: Fetcher, progress: _Progress
) -> bytes:
    if _is_url(source):
        fetched = fetcher(source, cache_dir=config.cache_dir_for(feed), limits=config.limits)
        data = fetched.content
        progress.notes.append(
            f"{source}: " + ("not modified" if fetched.not_modified else f"{len(data)} bytes")
        )
    else:
        try:
            data = pathlib.Path(source).read_bytes()
        except OSError as exc:
            raise DocumentError(
                f"cannot read the source ({exc.strerror or exc})", source=source
            ) from exc
        progress.notes.append(f"{source}: {len(data)} bytes")
    return data


def _programme_from(feed: FeedConfig, source: str, data: bytes, progress: _Progress) -> Programme:
    programme = read_programme(data, source=source, format=feed.format)
    try:
        kept = filter_programme(programme, items=feed.items, formal_only=feed.formal_only)
    except OewgCalError as exc:
        raise DocumentError(
            f"the feed's filters give an invalid programme: {exc}", source=source
        ) from exc
    if programme.meetings and not kept.meetings:
        progress.warnings.append(f"{source}: the feed's items/formal_only filters keep no meeting")
    return kept


def _publish(
    config: Config,
    feed: FeedConfig,
    now: dt.datetime,
    force: bool,
    fetcher: Fetcher,
    progress: _Progress,
) -> bool:
    directory = feed.output.parent
    sources = [(s, _source_bytes(config, feed, s, fetcher, progress)) for s in feed.sources]
    inputs = _inputs_digest(feed, sources)
    for folder in (directory, config.state_dir):
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise PublishError(f"{folder}: cannot create the folder: {exc}") from exc
    with exclusive_lock(config.lock_for(feed)):
        try:
            remove_stale_temporaries(directory, STALE_TEMPORARY_SECONDS)
        except PublishError as exc:
            progress.warnings.append(str(exc))
        state = config.state_for(feed)
        if not force and feed.caldav is None and _up_to_date(state, inputs, feed, now, progress):
            return False
        programmes = _programmes_from(feed, sources, progress)
        previous = _previous_feed(feed.output)
        ledger = config.retired_for(feed)
        retired = _read_retired(ledger, progress)
        new_feed, report = plan(
            previous, programmes, feed.options, now, retention=feed.retention, retired=retired
        )
        progress.report = report
        if (
            not force
            and report.previous_live
            and report.lost / report.previous_live > config.max_loss
        ):
            raise TooManyLosses(
                f"refusing to publish {feed.output}: {report.lost} of its "
                f"{report.previous_live} live events would be cancelled or dropped, more than "
                f"max_loss = {config.max_loss:g}; the published feed is unchanged "
                "(check the sources, or use --force to publish anyway)"
            )
        data = write_ics(new_feed)
        _note_size(feed, len(data), progress)
        if report.dropped:
            # Remembered before the feed drops them: a crash in between only remembers more.
            retired.update((c.uid, c.sequence) for c in report.dropped)
            _write_retired(ledger, retired)
        written = atomic_write(feed.output, data)
        try:
            _write_state(state, inputs, data, new_feed, feed.retention)
        except PublishError as exc:  # the next run then does the whole work again
            progress.warnings.append(f"cannot remember this run: {exc}")
        if feed.caldav is not None:
            from oewg_cal.caldav import credentials_for, publish_caldav

            pushed = publish_caldav(new_feed, feed.caldav, credentials_for(feed.caldav))
            if pushed.changed_anything:
                progress.notes.append(
                    f"CalDAV {feed.caldav}: {len(pushed.added)} added, {len(pushed.updated)} "
                    f"updated, {len(pushed.removed)} removed"
                )
        return written


def _programmes_from(
    feed: FeedConfig, sources: Sequence[tuple[str, bytes]], progress: _Progress
) -> list[Programme]:
    programmes: list[Programme] = []
    origin: dict[str, str] = {}
    for source, data in sources:
        programme = _programme_from(feed, source, data, progress)
        pid = programme_id(programme)
        if pid in origin:
            raise DocumentError(
                f"holds the same programme as {origin[pid]} (same body, session and first day; "
                "expected each source to hold a different programme)",
                source=source,
            )
        origin[pid] = source
        programmes.append(programme)
    return programmes


def _note_size(feed: FeedConfig, size: int, progress: _Progress) -> None:
    progress.size = size
    if size > SIZE_WARNING_BYTES:
        progress.warnings.append(
            f"{feed.output} is {size} bytes, over {SIZE_WARNING_BYTES}: Google "
            "Calendar stops reading feeds that large (keep fewer items or sessions per feed)"
        )


_STATE_FORMAT = 1


def _inputs_digest(feed: FeedConfig, sources: Sequence[tuple[str, bytes]]) -> str:
    """A hash of everything a run's output depends on, besides the clock and the old feed."""
    from oewg_cal import __version__

    settings = attrs.asdict(feed, recurse=False, filter=lambda a, _v: a.name != "line")
    text = json.dumps(
        {
            "version": __version__,
            "settings": settings,
            "sources": [(s, hashlib.sha256(data).hexdigest()) for s, data in sources],
        },
        sort_keys=True,
        default=lambda v: sorted(map(str, v)) if isinstance(v, frozenset) else str(v),
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _up_to_date(
    path: pathlib.Path, inputs: str, feed: FeedConfig, now: dt.datetime, progress: _Progress
) -> bool:
    """Whether the last run had these inputs and left the published feed as it now is."""
    try:
        state = json.loads(path.read_bytes())
        published = feed.output.read_bytes()
    except (OSError, ValueError):
        return False
    if not isinstance(state, dict) or state.get("format") != _STATE_FORMAT:
        return False
    until = state.get("until")
    live = state.get("live")
    if (
        state.get("inputs") != inputs
        or state.get("feed") != hashlib.sha256(published).hexdigest()
        or not isinstance(live, int)
        or (until is not None and not (isinstance(until, int) and now.timestamp() <= until))
    ):
        return False
    progress.notes.append("sources, settings and published feed as at the last run: nothing to do")
    progress.report = Report(unchanged=live, previous_live=live)
    _note_size(feed, len(published), progress)
    return True


def _write_state(
    path: pathlib.Path, inputs: str, data: bytes, feed: Feed, retention: dt.timedelta
) -> None:
    until = _clock_matters_until(feed, retention)
    state = {
        "format": _STATE_FORMAT,
        "inputs": inputs,
        "feed": hashlib.sha256(data).hexdigest(),
        "until": None if until is None else math.floor(until.timestamp()),
        "live": len(feed.live),
    }
    atomic_write(path, (json.dumps(state, indent=1) + "\n").encode())


_RETIRED_FORMAT = 1


def _read_retired(path: pathlib.Path, progress: _Progress) -> dict[str, int]:
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        progress.warnings.append(f"{path}: ignoring the list of dropped UIDs: {exc}")
        return {}
    retired = data.get("retired") if isinstance(data, dict) else None
    if (
        not isinstance(retired, dict)
        or data.get("format") != _RETIRED_FORMAT
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in retired.values())
    ):
        progress.warnings.append(f"{path}: ignoring the list of dropped UIDs: unknown format")
        return {}
    return dict(retired)


def _write_retired(path: pathlib.Path, retired: Mapping[str, int]) -> None:
    data = {"format": _RETIRED_FORMAT, "retired": dict(sorted(retired.items()))}
    atomic_write(path, (json.dumps(data, indent=1) + "\n").encode())


def _previous_feed(output: pathlib.Path) -> Feed | None:
    try:
        data = output.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise PublishError(f"{output}: cannot read the published feed: {exc}") from exc
    try:
        return read_ics(data, source=str(output))
    except FeedError as exc:
        raise FeedError(
            f"{exc.message}; the file is left as it is (move it away to publish a new feed there)",
            source=exc.source,
            line=exc.line,
            column=exc.column,
        ) from exc
