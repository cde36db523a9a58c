"""Running a refresh configuration: the job cron runs as ``oewg-cal refresh CONFIG.toml``.

Per feed, :func:`refresh` takes the feed's lock, reads the sources under it (URLs
through the conditional-GET cache of :mod:`oewg_cal.fetch`), stops early when the
fingerprint of the last run matches (:mod:`~oewg_cal.refresh.state`), reads the
published feed back, plans (:mod:`~oewg_cal.refresh.plan`), refuses a suspicious loss
of events, publishes with an atomic write (nothing is written when the bytes are the
same), and then, with ``caldav``, publishes to the CalDAV collection.  A failing feed is
reported and the others still run; its published file is left as it was.  A CalDAV
failure after the file was published is reported as such (``caldav_error``).  The clock
and the fetcher are passed in.

The sources are read under the lock, not before it: two runs that overlap are then
ordered, and the later one reads the sources after the earlier one published, so a slow
run that read an older revision can never publish it over a newer one.
"""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import traceback
from collections.abc import Callable, Sequence
from typing import Protocol

import attrs

from oewg_cal._http import shown_url
from oewg_cal.atomic import atomic_write, exclusive_lock, read_regular, remove_stale_temporaries
from oewg_cal.errors import DocumentError, FeedError, OewgCalError, PublishError, TooManyLosses
from oewg_cal.fetch import Fetched, FetchLimits, fetch, read_file
from oewg_cal.ical.decode import read_ics
from oewg_cal.ical.encode import write_ics
from oewg_cal.ical.feed import Feed, programme_id
from oewg_cal.ical.limits import MAX_FEED_BYTES
from oewg_cal.model import Programme
from oewg_cal.readers import read
from oewg_cal.refresh.config import Config, FeedConfig, is_url, load_config
from oewg_cal.refresh.filters import filter_programme
from oewg_cal.refresh.plan import plan
from oewg_cal.refresh.report import FeedResult, Report, RunResult
from oewg_cal.refresh.state import (
    inputs_digest,
    last_run,
    read_retired,
    remember_run,
    write_retired,
)

__all__ = ["Fetcher", "refresh"]

#: Temporary files of interrupted writes older than this are removed before publishing.
STALE_TEMPORARY_SECONDS = 3600.0
#: How long a run waits for the lock of a feed that another run is publishing, besides
#: the time that run may take to download the feed's URL sources.
LOCK_WAIT_SECONDS = 60.0

_UTC = dt.timezone.utc


class Fetcher(Protocol):
    """What :func:`refresh` calls to GET a URL: :func:`oewg_cal.fetch.fetch` or a stand-in."""

    def __call__(
        self, url: str, *, cache_dir: pathlib.Path | None = ..., limits: FetchLimits = ...
    ) -> Fetched: ...


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
    if any(feed.page for feed in config.feeds):
        from oewg_cal.refresh.pages import keep_pages

        results = keep_pages(config, results, moment)
    return RunResult(config=config.path, now=moment, feeds=results)


@attrs.define
class _Progress:
    notes: list[str] = attrs.field(factory=list)
    warnings: list[str] = attrs.field(factory=list)
    report: Report | None = None
    size: int | None = None
    caldav_error: str | None = None


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
            caldav_error=progress.caldav_error,
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
    if is_url(source):
        fetched = fetcher(source, cache_dir=config.cache_dir_for(feed), limits=config.limits)
        data = fetched.content
        progress.notes.append(
            f"{shown_url(source)}: "
            + ("not modified" if fetched.not_modified else f"{len(data)} bytes")
        )
    else:
        try:
            data = read_file(pathlib.Path(source), limits=config.limits)
        except OSError as exc:
            raise DocumentError(
                f"cannot read the source ({exc.strerror or exc})", source=source
            ) from exc
        progress.notes.append(f"{source}: {len(data)} bytes")
    return data


def _programme_from(feed: FeedConfig, source: str, data: bytes, progress: _Progress) -> Programme:
    programme, warnings = read(
        data,
        source=source,
        format=feed.format,
        timezone=feed.timezone,
        short_name=feed.short_name,
    )
    if feed.strict and warnings:
        first = warnings[0]
        raise DocumentError(
            f"{first.message} (and {len(warnings) - 1} more warning(s); strict = true refuses them)"
            if len(warnings) > 1
            else f"{first.message} (strict = true refuses it)",
            source=first.source,
            line=first.line,
            page=first.page,
        )
    progress.warnings.extend(str(w) for w in warnings)
    try:
        kept = filter_programme(programme, items=feed.items, formal_only=feed.formal_only)
    except OewgCalError as exc:
        raise DocumentError(
            f"the feed's filters give an invalid programme: {exc}", source=source
        ) from exc
    if programme.meetings and not kept.meetings:
        progress.warnings.append(f"{source}: the feed's items/formal_only filters keep no meeting")
    return kept


def _lock_wait(config: Config, feed: FeedConfig) -> float:
    """How long to wait for the feed's lock: a while, plus the downloads of its holder."""
    downloads = sum(config.limits.deadline for source in feed.sources if is_url(source))
    return LOCK_WAIT_SECONDS + downloads


def _publish(
    config: Config,
    feed: FeedConfig,
    now: dt.datetime,
    force: bool,
    fetcher: Fetcher,
    progress: _Progress,
) -> bool:
    directory = feed.output.parent
    for folder, mode in ((directory, 0o777), (config.state_folder, 0o700)):
        try:
            folder.mkdir(mode=mode, parents=True, exist_ok=True)
        except OSError as exc:
            raise PublishError(f"{folder}: cannot create the folder: {exc}") from exc
    with exclusive_lock(config.lock_for(feed), timeout=_lock_wait(config, feed)):
        sources = [(s, _source_bytes(config, feed, s, fetcher, progress)) for s in feed.sources]
        inputs = inputs_digest(feed, sources)
        # what killed runs left behind: beside the feed, and in the state and cache folders
        for folder in dict.fromkeys((directory, config.state_folder, config.cache_dir_for(feed))):
            try:
                remove_stale_temporaries(folder, STALE_TEMPORARY_SECONDS)
            except PublishError as exc:
                progress.warnings.append(str(exc))
        published = read_regular(feed.output)  # never through a link, never a FIFO
        state = config.state_for(feed)
        if (
            not force
            and feed.caldav is None
            and _up_to_date(state, inputs, published, now, progress)
        ):
            return False
        programmes = _programmes_from(feed, sources, progress)
        previous = _previous_feed(feed.output, published)
        ledger = config.retired_for(feed)
        retired, problem = read_retired(ledger, legacy=config.legacy_file(feed, "retired"))
        if problem:
            progress.warnings.append(problem)
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
        progress.size = len(data)
        if report.dropped:
            # Remembered before the feed drops them: a crash in between only remembers more.
            retired.update((c.uid, c.sequence) for c in report.dropped)
            write_retired(ledger, retired)
        written = atomic_write(feed.output, data)
        if written and len(data) > MAX_FEED_BYTES:
            _warn_size(feed, len(data), progress)
        try:
            remember_run(state, inputs, data, new_feed, feed.retention)
        except PublishError as exc:  # the next run then does the whole work again
            progress.warnings.append(f"cannot remember this run: {exc}")
        if feed.caldav is not None:
            _publish_caldav(feed.caldav, new_feed, progress)
        return written


def _publish_caldav(url: str, new_feed: Feed, progress: _Progress) -> None:
    """The second publication, after the file: its failure is reported on its own."""
    from oewg_cal.caldav import credentials_for, publish_caldav

    try:
        pushed = publish_caldav(new_feed, url, credentials_for(url))
    except OewgCalError as exc:
        progress.caldav_error = str(exc)
        return
    if pushed.changed_anything:
        progress.notes.append(
            f"CalDAV {shown_url(url)}: {len(pushed.added)} added, "
            f"{len(pushed.updated)} updated, {len(pushed.removed)} removed"
        )


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


def _warn_size(feed: FeedConfig, size: int, progress: _Progress) -> None:
    progress.warnings.append(
        f"{feed.output} is {size} bytes, over {MAX_FEED_BYTES}: Google "
        "Calendar stops reading feeds that large (keep fewer items or sessions per feed)"
    )


def _up_to_date(
    path: pathlib.Path,
    inputs: str,
    published: bytes | None,
    now: dt.datetime,
    progress: _Progress,
) -> bool:
    if published is None:
        return False
    live = last_run(path, inputs, published, now)
    if live is None:
        return False
    progress.notes.append("sources, settings and published feed as at the last run: nothing to do")
    progress.report = Report(unchanged=live, previous_live=live)
    progress.size = len(published)  # a run that changes nothing warns of nothing
    return True


def _previous_feed(output: pathlib.Path, data: bytes | None) -> Feed | None:
    if data is None:
        return None
    try:
        return read_ics(data, source=str(output))
    except FeedError as exc:
        raise FeedError(
            f"{exc.message}; the file is left as it is (move it away to publish a new feed there)",
            source=exc.source,
            line=exc.line,
            column=exc.column,
        ) from exc
