"""Refresh configurations: which feeds to publish, from which sources, with which options.

:func:`load_config` reads the TOML file cron runs (documented in the README) and checks
every value before anything is fetched or written: a :class:`~oewg_cal.errors.ConfigError`
names the file, the line and what was expected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import pathlib
import zoneinfo
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from oewg_cal._http import redact_url, shown_url, url_problem
from oewg_cal._lazy_re import lazy
from oewg_cal.errors import ConfigError, ProgrammeError, SchemaError
from oewg_cal.fetch import FetchLimits
from oewg_cal.ical.feed import FeedOptions
from oewg_cal.model import Body, SeriesKey
from oewg_cal.readers import FORMATS
from oewg_cal.readers.positions import line_of, load_toml, toml_lines
from oewg_cal.schema import series_key

__all__ = [
    "CACHE_DIR_NAME",
    "DEFAULT_MAX_LOSS",
    "Config",
    "FeedConfig",
    "default_state_dir",
    "is_url",
    "load_config",
]

#: Refuse to publish a feed that would lose more than this share of its live events.
DEFAULT_MAX_LOSS = 0.5
#: The download cache's folder inside the state folder.
CACHE_DIR_NAME = "cache"


def default_state_dir() -> pathlib.Path:
    """Where refresh keeps its own files when the config sets no ``state_dir``:
    ``$XDG_STATE_HOME/oewg-cal``, else ``~/.local/state/oewg-cal`` (never the folder of
    the published feeds).  Raises :class:`RuntimeError` when there is no home folder."""
    xdg = os.environ.get("XDG_STATE_HOME", "")
    base = pathlib.Path(xdg) if os.path.isabs(xdg) else pathlib.Path.home() / ".local" / "state"
    return base / "oewg-cal"


_URL_SCHEME = lazy(r"\A([A-Za-z][A-Za-z0-9+.-]*)://")
#: What no config text may hold: C0 and C1 control characters (NUL, CR, tab, NEL …),
#: DEL, and the Unicode line and paragraph separators (they end lines in some clients).
_CONTROL = lazy("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


_ANY_USERINFO = lazy(r"(://)[^/?#@]*@")


def _shown(value: object) -> str:
    """A config value for a message: its repr, with the userinfo (``user:password@``) of
    every URL in it as ``***@`` (a message never shows a password)."""
    return _ANY_USERINFO.sub(r"\1***@", repr(value))


def _control_problem(value: str) -> str | None:
    """What makes ``value`` unfit for a feed or a path: its first control character."""
    found = _CONTROL.search(value)
    if found is None:
        return None
    return f"a control character (U+{ord(found.group()):04X})"


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
    page: bool = False
    strict: bool = False
    timezone: str | None = None
    short_name: str | None = None
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
    def page_path(self) -> pathlib.Path:
        """Where the feed's agenda page goes: ``FEED.html`` beside ``FEED.ics``."""
        return self.output.with_suffix(".html")

    @property
    def retention(self) -> dt.timedelta:
        """How long cancelled events stay after their session has ended."""
        return dt.timedelta(days=self.retention_days)


@attrs.frozen(kw_only=True)
class Config:
    """A refresh configuration: its feeds and the settings they share.

    Refresh's own files (a lock, the fingerprint of the last run, the dropped UIDs and
    the page's state per feed, and the download cache) go to ``state_dir``:
    :func:`load_config` sets it to the config's ``state_dir`` or to
    :func:`default_state_dir`, never to the folder of the published feeds.
    """

    path: pathlib.Path
    feeds: tuple[FeedConfig, ...]
    state_dir: pathlib.Path | None = None
    cache_dir: pathlib.Path | None = None
    max_loss: float = DEFAULT_MAX_LOSS
    limits: FetchLimits = attrs.field(factory=FetchLimits)

    @property
    def state_folder(self) -> pathlib.Path:
        """The folder of refresh's own files: ``state_dir``, or :func:`default_state_dir`."""
        return self.state_dir if self.state_dir is not None else default_state_dir()

    def cache_dir_for(self, feed: FeedConfig) -> pathlib.Path:
        """Where downloads of the feed's URL sources are cached."""
        if self.cache_dir is not None:
            return self.cache_dir
        return self.state_folder / CACHE_DIR_NAME

    def _own_file(self, feed: FeedConfig, suffix: str) -> pathlib.Path:
        return self.state_folder / f"{feed.output.name}.{self._digest(feed)}.{suffix}"

    def lock_for(self, feed: FeedConfig) -> pathlib.Path:
        """The lock file that serialises refreshes of the feed's output."""
        return self._own_file(feed, "lock")

    def retired_for(self, feed: FeedConfig) -> pathlib.Path:
        """The file remembering the UIDs dropped from the feed and their last SEQUENCE."""
        return self._own_file(feed, "retired.json")

    def state_for(self, feed: FeedConfig) -> pathlib.Path:
        """The file holding the fingerprint of the feed's last successful run."""
        return self._own_file(feed, "state.json")

    def page_state_for(self, feed: FeedConfig) -> pathlib.Path:
        """The file holding what the feed's agenda page shows beyond the feed itself."""
        return self._own_file(feed, "page.json")

    @staticmethod
    def legacy_file(feed: FeedConfig, kind: str) -> pathlib.Path:
        """Where earlier versions kept a feed's ``retired`` or ``page`` file without a
        ``state_dir``: ``.FEED.ics.KIND.json`` beside the feed (read when the state
        folder has none yet, never written)."""
        return feed.output.with_name(f".{feed.output.name}.{kind}.json")

    @staticmethod
    def _digest(feed: FeedConfig) -> str:
        return hashlib.sha256(str(feed.output).encode()).hexdigest()[:10]


#: The largest [fetch] limits a config may set (larger ones overflow the clock or
#: the reads, and a programme of work is a few pages).
_MAX_TIMEOUT = 3600
_MAX_BYTES = 1_000_000_000
_MAX_REDIRECTS = 100

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
    "page",
    "strict",
    "timezone",
    "short_name",
}


class _ConfigText:
    """The lines of a config file's tables and keys, to point error messages at them."""

    def __init__(self, path: pathlib.Path, text: str) -> None:
        self.path = path
        self.lines = toml_lines(text)

    def feed_line(self, index: int) -> int | None:
        """The line of the header of the ``index``-th (0-based) ``[[feed]]`` table."""
        return self.lines.get(("feed", index))

    def key_line(self, key: str, feed: int | None = None, table: str | None = None) -> int | None:
        """The line where ``key`` is set: at the top, in a table, or in the n-th feed."""
        if feed is not None:
            return line_of(self.lines, ("feed", feed, key))
        if table is not None:
            return line_of(self.lines, (table, key))
        return self.lines.get((key,))

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
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        raise ConfigError(
            f"the configuration is not UTF-8 text (byte 0x{raw[exc.start]:02x}, offset "
            f"{exc.start})",
            source=str(config_path),
            line=raw.count(b"\n", 0, exc.start) + 1,
            column=exc.start - line_start + 1,
        ) from exc
    data = load_toml(
        text,
        source=str(config_path),
        error=ConfigError,
        what="a TOML file with [[feed]] tables",
    )
    where = _ConfigText(config_path, text)
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
        if not isinstance(value, str) or not value.strip() or _control_problem(value):
            raise where.error(
                f"{key} must be a folder path as text without control characters, "
                f"not {_shown(value)}",
                where.key_line(key),
            )
        return _resolve(base, value, lambda m: where.error(f"{key}: {m}", where.key_line(key)))

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
    state_dir = top_dir("state_dir")
    if state_dir is None:
        try:
            state_dir = default_state_dir()
        except RuntimeError as exc:
            raise where.error(
                f"no state_dir, and no home folder for the default one ({exc}); set state_dir "
                "to a folder outside the published one",
                None,
            ) from None
    return Config(
        path=path,
        feeds=feeds,
        state_dir=state_dir,
        cache_dir=top_dir("cache_dir"),
        max_loss=float(max_loss),
        limits=limits,
    )


def _resolve(base: pathlib.Path, value: str, fail: Callable[[str], ConfigError]) -> pathlib.Path:
    """A path of the config, relative to its folder, with ``~`` and ``~user`` expanded."""
    try:
        return base / pathlib.Path(value).expanduser()
    except RuntimeError:  # ~nosuchuser, or no home folder at all
        user = value.split("/", 1)[0]
        raise fail(
            f"cannot expand {user!r} in {value!r} (no such user, or no home folder); "
            "expected a path"
        ) from None


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
                or not 0 < value <= _MAX_TIMEOUT
            ):
                raise where.error(
                    f"[fetch]: {key} must be a positive number of seconds, at most "
                    f"{_MAX_TIMEOUT}, not {value!r}",
                    where.key_line(key, table="fetch"),
                )
            values[key] = float(value)
    for key, most in (("max_bytes", _MAX_BYTES), ("max_redirects", _MAX_REDIRECTS)):
        if key in data:
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
                raise where.error(
                    f"[fetch]: {key} must be a whole number from 0 to {most}, not {value!r}",
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
            raise fail(key, f"{key} must be a single line of text, not {_shown(value)}")
        problem = _control_problem(value)
        if problem:
            raise fail(
                key, f"{key} holds {problem}: {_shown(value)} (expected a single line of text)"
            )
        return value

    def texts(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(v, str) and v.strip() and "\n" not in v for v in value
        ):
            raise fail(key, f"{key} must be a list of texts, not {_shown(value)}")
        for item in value:
            problem = _control_problem(item)
            if problem:
                raise fail(
                    key, f"{key} holds {problem}: {_shown(item)} (expected single lines of text)"
                )
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
        raise fail(
            "url", f"url must be the http(s) URL the feed is published at, not {shown_url(url)}"
        )
    if url is not None:
        # written as the feed's SOURCE and into its page's links: a URL as it is sent
        if redact_url(url) != url:
            raise fail(
                "url",
                f"url {shown_url(url)} holds credentials; it is published in the feed and its "
                "page (expected the public URL of the feed)",
            )
        if any(c.isspace() or c == "\\" for c in url):
            raise fail("url", f"url must be a URL without spaces or backslashes, not {_shown(url)}")
        problem = url_problem(url)
        if problem:
            raise fail("url", f"url {shown_url(url)} has {problem}; expected an http(s) URL")
    caldav = text("caldav")
    if caldav is not None and (_scheme(caldav) or "").lower() not in ("http", "https"):
        raise fail(
            "caldav",
            f"caldav must be the http(s) URL of a calendar collection, not {shown_url(caldav)}",
        )
    if caldav is not None and url_problem(caldav):
        raise fail(
            "caldav",
            f"caldav {shown_url(caldav)} has {url_problem(caldav)}; expected an http(s) URL",
        )
    if caldav is not None and redact_url(caldav) != caldav:
        raise fail(
            "caldav",
            f"caldav {shown_url(caldav)} holds credentials: put them in the environment "
            "(OEWG_CAL_CALDAV_USERNAME, OEWG_CAL_CALDAV_PASSWORD) or a netrc file",
        )
    page = data.get("page", False)
    if not isinstance(page, bool):
        raise fail("page", f"page must be true or false, not {page!r}")
    resolved_output = _resolve(base, output, lambda m: fail("output", m))
    if page and resolved_output.with_suffix(".html") == resolved_output:
        raise fail(
            "page", f"page = true writes {output} itself; give the feed an output ending in .ics"
        )
    strict = data.get("strict", False)
    if not isinstance(strict, bool):
        raise fail("strict", f"strict must be true or false, not {strict!r}")
    timezone = text("timezone")
    if timezone is not None:
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise fail(
                "timezone",
                f"unknown time zone {timezone!r} (expected an IANA name like Europe/Zurich)",
            ) from None
    short_name = text("short_name")
    categories = texts("categories")
    color = text("color")
    # What goes into the feed is checked as the feed checks it, one key at a time, so that
    # a published feed always reads back and the error names the key's line.
    for key, check in (
        ("name", lambda: FeedOptions(name=name)),
        ("color", lambda: FeedOptions(color=color)),
        ("categories", lambda: FeedOptions(categories=categories)),
        ("url", lambda: FeedOptions(source=url)),
        ("short_name", lambda: short_name is None or Body(name="-", short_name=short_name)),
    ):
        try:
            check()
        except ProgrammeError as exc:
            raise fail(key, f"{key}: {exc}") from None
    return FeedConfig(
        caldav=caldav,
        page=page,
        strict=strict,
        timezone=timezone,
        short_name=short_name,
        name=name,
        output=resolved_output,
        sources=sources,
        items=items,
        formal_only=formal_only,
        alarms=tuple(alarms),
        categories=categories,
        color=color,
        retention_days=retention,
        format=reader_format,
        url=url,
        line=where.feed_line(index),
    )


def _scheme(text: str) -> str | None:
    found = _URL_SCHEME.match(text)
    return found.group(1) if found else None


def is_url(source: str) -> bool:
    """Whether a source is an http(s) URL (else it is a file path)."""
    return (_scheme(source) or "").lower() in ("http", "https")


def _source_from(value: str, base: pathlib.Path, fail: Callable[[str], ConfigError]) -> str:
    scheme = _scheme(value)
    if scheme is None:
        return str(_resolve(base, value, fail))
    if scheme.lower() not in ("http", "https"):
        raise fail(
            f"source {shown_url(value)} has scheme {scheme!r} "
            "(expected a file path or an http(s) URL)"
        )
    problem = url_problem(value)
    if problem:
        raise fail(f"source {shown_url(value)} has {problem}; expected an http(s) URL")
    return value


def _items_from(value: object, fail: Callable[[str], ConfigError]) -> frozenset[SeriesKey]:
    expected = 'a list of agenda item numbers or references like 5 or "5(a)"'
    if not isinstance(value, list) or not value:
        raise fail(f"items must be {expected}, not {value!r}")
    try:
        return frozenset(series_key(item) for item in value)
    except SchemaError as exc:
        raise fail(f"items must be {expected}: {exc}") from exc
