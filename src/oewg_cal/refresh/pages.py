"""Agenda pages beside the published feeds: ``oewg-cal page CONFIG.toml``, and refresh.

A feed's page (``FEED.html`` beside ``FEED.ics``, rendered by :mod:`oewg_cal.page`) is made
from the feed as published and from what refresh knows beyond it, which a small JSON file
in refresh's state folder keeps (``FEED.ics.HASH.page.json``): the changes of the
last refresh that changed the feed, when that was, and the day of the last check.

The last check and "not rewritten when unchanged" pull against each other: a time of
check on the page would change its bytes (and its ETag) on every cron run.  The page
therefore shows the *day* of the last check, in the duty station's zone: a refresh
rewrites the page when the feed changed or on its first run of a new day, and otherwise
leaves it alone, and a reader still sees when the checks stopped.  The JSON file holds a
hash of everything the page shows, so an unchanged run decides this without parsing the
feed or loading the template engine.

A page or index is only ever written where there is no file yet or where the file there
was written by oewg-cal (its ``<meta name="generator">``), never over a page of its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pathlib
import zoneinfo
from collections.abc import Sequence
from typing import Any

import attrs

from oewg_cal.atomic import atomic_write, exclusive_lock, read_regular
from oewg_cal.errors import OewgCalError, PublishError
from oewg_cal.refresh.config import Config, FeedConfig
from oewg_cal.refresh.report import FeedResult, Report

__all__ = [
    "PageState",
    "check_distinct_pages",
    "index_path",
    "keep_pages",
    "read_page_state",
    "write_index",
    "write_page",
]

_STATE_FORMAT = 1
_MAX_STATE_BYTES = 50_000_000
_UTC = dt.timezone.utc
#: How a file written by oewg-cal starts its head (``oewg_cal.page.GENERATOR``).
_GENERATOR_TAG = b'<meta name="generator" content="oewg-cal">'


@attrs.frozen(kw_only=True)
class PageState:
    """What a feed's page shows beyond the feed, and hashes of its last rendering.

    ``checked`` is the day of the last check in the zone ``zone`` (the first programme's);
    ``changed`` and ``report`` the time and the report of the last refresh that changed
    the feed; ``inputs`` a hash of everything the page was rendered from and ``page``
    the hash of its bytes.
    """

    zone: str | None = None
    checked: dt.date | None = None
    changed: dt.datetime | None = None
    report: Report | None = None
    inputs: str | None = None
    page: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The state as JSON-ready data."""
        return {
            "format": _STATE_FORMAT,
            "zone": self.zone,
            "checked": self.checked.isoformat() if self.checked else None,
            "changed": self.changed.strftime("%Y-%m-%dT%H:%M:%SZ") if self.changed else None,
            "report": self.report.to_dict() if self.report else None,
            "inputs": self.inputs,
            "page": self.page,
        }


def read_page_state(
    path: pathlib.Path, *, legacy: pathlib.Path | None = None
) -> tuple[PageState, str | None]:
    """The page state kept at ``path`` (or, without one, at ``legacy``, where an earlier
    version kept it), and a warning when the file was unusable.

    A missing file is an empty state; a damaged one too, with a warning (the page then
    shows no changes and no check until the next refresh).  Something other than a
    regular file in its place is refused with :class:`~oewg_cal.errors.PublishError`.
    """
    raw = read_regular(path, limit=_MAX_STATE_BYTES)
    if raw is None and legacy is not None:
        path, raw = legacy, read_regular(legacy, limit=_MAX_STATE_BYTES)
    if raw is None:
        return PageState(), None
    try:
        data = json.loads(raw)
    except ValueError as exc:
        return PageState(), f"{path}: ignoring the page's state: {exc}"
    try:
        if not isinstance(data, dict) or data.get("format") != _STATE_FORMAT:
            raise ValueError("unknown format")
        changed = data.get("changed")
        checked = data.get("checked")
        report = data.get("report")
        zone = data.get("zone")
        if zone is not None:
            zoneinfo.ZoneInfo(zone)
        return PageState(
            zone=zone,
            checked=dt.date.fromisoformat(checked) if checked else None,
            changed=dt.datetime.strptime(changed, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=_UTC)
            if changed
            else None,
            report=Report.from_dict(report) if report else None,
            inputs=data.get("inputs"),
            page=data.get("page"),
        ), None
    except (KeyError, TypeError, ValueError, zoneinfo.ZoneInfoNotFoundError) as exc:
        return PageState(), f"{path}: ignoring the page's state: {exc!r}"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _relative(target: pathlib.Path, start: pathlib.Path) -> str:
    return pathlib.Path(os.path.relpath(target, start)).as_posix()


def index_path(config: Config) -> pathlib.Path | None:
    """Where the index of the config's pages goes: ``index.html`` in the deepest folder
    holding every output, if some feed is published in that folder itself; else None (no
    index: feeds in unrelated folders, whose common folder may be anything up to ``/``)."""
    folders = {f.output.parent for f in config.feeds}
    common = pathlib.Path(os.path.commonpath([str(f) for f in folders]))
    return common / "index.html" if common in folders else None


def _index_href(config: Config, feed: FeedConfig) -> str | None:
    target = index_path(config)
    return _relative(target, feed.page_path.parent) if target is not None else None


def _inputs(config: Config, feed: FeedConfig, feed_bytes: bytes, state: PageState) -> str:
    """A hash of everything the page's bytes depend on."""
    from oewg_cal import __version__

    text = json.dumps(
        {
            "version": __version__,
            "feed": _sha(feed_bytes),
            "url": feed.url,
            "page": str(feed.page_path),
            "index": _index_href(config, feed),
            "state": {k: v for k, v in state.to_dict().items() if k not in ("inputs", "page")},
        },
        sort_keys=True,
    )
    return _sha(text.encode())


def _ours(path: pathlib.Path) -> bool:
    """Whether ``path`` is missing or holds a page oewg-cal wrote (a link, a FIFO or a
    device there is refused, never read)."""
    data = read_regular(path)
    return data is None or _GENERATOR_TAG in data[:2048]


def _publish_html(path: pathlib.Path, data: bytes) -> bool:
    if not _ours(path):
        raise PublishError(
            f"{path}: exists and was not written by oewg-cal; not replaced "
            "(move it away to publish the page there)"
        )
    return atomic_write(path, data)


def _day_in(zone: str, now: dt.datetime) -> dt.date:
    return now.astimezone(zoneinfo.ZoneInfo(zone)).date()


def write_page(
    config: Config,
    feed: FeedConfig,
    *,
    now: dt.datetime | None = None,
    report: Report | None = None,
    force: bool = False,
) -> bool:
    """Write the feed's page from the published feed; return whether the file changed.

    ``now`` is the time of a check that just ended (refresh), None when nothing was
    checked (``oewg-cal page``); ``report`` what that check changed.  Without ``force``
    the page is only rendered when something it shows changed.  Raises
    :class:`~oewg_cal.errors.OewgCalError` when the feed cannot be read or the page
    cannot be written.
    """
    state_path = config.page_state_for(feed)
    page_path = feed.page_path
    try:
        config.state_folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(f"{config.state_folder}: cannot create the folder: {exc}") from exc
    with exclusive_lock(config.lock_for(feed)):
        feed_bytes = read_regular(feed.output)
        if feed_bytes is None:
            raise PublishError(
                f"{feed.output}: no feed is published there yet (run oewg-cal refresh first)"
            )
        state, _problem = read_page_state(state_path, legacy=config.legacy_file(feed, "page"))
        if now is not None and report is not None and report.changed_anything:
            # a first publication changes everything and is no news to mark on the page
            kept = report if report.previous_live else None
            state = attrs.evolve(state, report=kept, changed=now.astimezone(_UTC))
        if now is not None and state.zone is not None:
            state = attrs.evolve(state, checked=_day_in(state.zone, now))
        if not force and state.zone is not None and state.page is not None:
            page = read_regular(page_path)
            current = None if page is None else _sha(page)
            if current == state.page and _inputs(config, feed, feed_bytes, state) == state.inputs:
                return False

        from oewg_cal.ical.decode import read_ics
        from oewg_cal.page import render_page

        published = read_ics(feed_bytes, source=str(feed.output))
        zone = published.programmes[0].timezone if published.programmes else "UTC"
        state = attrs.evolve(state, zone=zone)
        if now is not None:
            state = attrs.evolve(state, checked=_day_in(zone, now))
        html = render_page(
            published,
            url=feed.url,
            report=state.report,
            changed=state.changed,
            checked=state.checked,
            feed_href=feed.output.name,
            index_href=_index_href(config, feed),
        )
        written = _publish_html(page_path, html)
        inputs = _inputs(config, feed, feed_bytes, state)
        state = attrs.evolve(state, inputs=inputs, page=_sha(html))
        text = json.dumps(state.to_dict(), indent=1, ensure_ascii=False) + "\n"
        atomic_write(state_path, text.encode())
        return written


def write_index(config: Config) -> bool:
    """Write the index of the config's feeds (:func:`index_path`); return whether it changed.

    Every feed is listed, with a link to its page where that page exists.  Nothing is
    written when the config has no index (:func:`index_path` is None).
    """
    from oewg_cal.page import IndexEntry, render_index

    target = index_path(config)
    if target is None:
        return False
    pages = {f.page_path for f in config.feeds}
    if target in pages:
        raise PublishError(f"{target}: is the page of a feed; no index written")
    entries = [
        IndexEntry(
            name=feed.name,
            page_href=_relative(feed.page_path, target.parent) if feed.page_path.exists() else None,
            feed_href=_relative(feed.output, target.parent),
            url=feed.url,
        )
        for feed in config.feeds
    ]
    return _publish_html(target, render_index(entries))


def check_distinct_pages(feeds: Sequence[FeedConfig]) -> None:
    """Raise :class:`~oewg_cal.errors.PublishError` when two feeds would share a page."""
    seen: dict[pathlib.Path, str] = {}
    for feed in feeds:
        if feed.page_path in seen:
            raise PublishError(
                f"feeds {seen[feed.page_path]!r} and {feed.name!r} would both have the page "
                f"{feed.page_path} (give their outputs different names)"
            )
        seen[feed.page_path] = feed.name


def keep_pages(
    config: Config, results: Sequence[FeedResult], now: dt.datetime
) -> tuple[FeedResult, ...]:
    """Refresh's step after its feeds: the page of every feed with ``page = true``.

    A feed that failed keeps its page as it was (its day of last check then ages); a
    page that cannot be written is a warning of its feed.  The index is written when a
    page was, or when there is none yet.  Returns the results with those notes and
    warnings.
    """
    paged = [f for f in config.feeds if f.page]
    if not paged:
        return tuple(results)
    out: list[FeedResult] = []
    wrote = False
    try:
        check_distinct_pages(paged)
        trouble = None
    except PublishError as exc:
        trouble = str(exc)
    for feed, result in zip(config.feeds, results, strict=True):
        if feed.page and result.published:
            try:
                if trouble is not None:
                    raise PublishError(trouble)
                written = write_page(config, feed, now=now, report=result.report)
            except OewgCalError as exc:
                result = attrs.evolve(
                    result, warnings=(*result.warnings, f"page not written: {exc}")
                )
            else:
                wrote = wrote or written
                if written:
                    result = attrs.evolve(
                        result, notes=(*result.notes, f"page {feed.page_path} written")
                    )
        out.append(result)
    try:
        target = index_path(config)
        if target is not None and (wrote or not target.exists()):
            write_index(config)
    except OewgCalError as exc:
        first = next(i for i, f in enumerate(config.feeds) if f.page)
        out[first] = attrs.evolve(
            out[first], warnings=(*out[first].warnings, f"index not written: {exc}")
        )
    return tuple(out)
