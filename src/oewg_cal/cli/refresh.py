"""``oewg-cal refresh CONFIG.toml``: the command cron runs to keep published feeds current.

Quiet when nothing changed (a cron job mails any output); the change report on stdout
when a feed changed; errors and warnings on stderr, each naming the feed.  Exit codes:
0 every feed refreshed, 1 some feed failed (its published file is untouched; or, with
``caldav``, the file was published and CalDAV failed: both are reported), 2 usage or
configuration error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from oewg_cal.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, stdout_closed
from oewg_cal.errors import ConfigError

if TYPE_CHECKING:
    from oewg_cal.refresh import Fetcher, RunResult

__all__ = ["add_refresh_command", "run_refresh"]

_DESCRIPTION = """\
Refresh every feed of a configuration: read its sources (files, or http(s) URLs fetched
with a conditional GET), compare with the feed as published, and publish the changes
atomically. A meeting keeps its UID when it is re-timed, renamed or moved within its day;
a changed event gets SEQUENCE+1; a meeting that disappears stays as a cancelled event
until its session has ended (plus retention_days). A feed that would lose more than
max_loss of its live events is not published unless --force is given. A feed with
page = true also gets its agenda page (FEED.html) and an index.html beside it.

Prints nothing when nothing changed, the changes when something did."""

_EPILOG = """\
example crontab line (every 30 minutes):
  */30 * * * *  oewg-cal refresh /etc/oewg-cal/feeds.toml

exit codes: 0 all feeds ok; 1 some feed failed (its published file is left as it was;
or the file was published and its caldav target failed); 2 usage or configuration error
(the message names the file and line)."""


def add_refresh_command(subparsers: argparse._SubParsersAction[Any]) -> argparse.ArgumentParser:
    """Add the ``refresh`` sub-command to an argparse sub-parsers object; return its parser."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "refresh",
        help="update published feeds from their sources (for cron)",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("config", metavar="CONFIG.toml", help="the refresh configuration")
    parser.add_argument(
        "--json", action="store_true", help="print the outcome as JSON, even when nothing changed"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also list the feeds that did not change"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="publish even when a feed would lose more than max_loss of its events, and "
        "redo the whole run even when nothing changed since the last one",
    )
    return parser


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def run_refresh(
    args: argparse.Namespace,
    *,
    now: Callable[[], dt.datetime] = _utc_now,
    fetcher: Fetcher | None = None,
) -> int:
    """Run ``oewg-cal refresh`` with parsed arguments; return the exit code.

    ``fetcher`` defaults to :func:`oewg_cal.fetch.fetch`.
    """
    from oewg_cal.fetch import fetch
    from oewg_cal.refresh import refresh

    if fetcher is None:
        fetcher = fetch
    try:
        result = refresh(args.config, now=now, force=args.force, fetcher=fetcher)
    except ConfigError as exc:
        print(f"oewg-cal refresh: {exc}", file=sys.stderr)
        if args.json:
            print(json.dumps({"config": args.config, "ok": False, "error": str(exc)}, indent=2))
        return EXIT_USAGE
    code = EXIT_OK if result.ok else EXIT_BAD_INPUT
    try:
        _print_result(result, as_json=args.json, verbose=args.verbose)
        sys.stdout.flush()
    except BrokenPipeError:  # `oewg-cal refresh | head`: the feeds are published all the same
        stdout_closed()
    return code


def _print_result(result: RunResult, *, as_json: bool, verbose: bool) -> None:
    for feed in result.feeds:
        for warning in feed.warnings:
            print(f"oewg-cal refresh: warning: feed {feed.name!r}: {warning}", file=sys.stderr)
        if feed.error is not None:
            print(f"oewg-cal refresh: feed {feed.name!r} failed: {feed.error}", file=sys.stderr)
            if verbose and feed.detail:
                print(feed.detail, file=sys.stderr, end="")
        if feed.caldav_error is not None:
            state = "written" if feed.written else "unchanged"
            print(
                f"oewg-cal refresh: feed {feed.name!r}: CalDAV failed: {feed.caldav_error} "
                f"(the file {feed.output} is published: {state})",
                file=sys.stderr,
            )
    if as_json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    for feed in result.feeds:
        if feed.published and (feed.changed or verbose or feed.caldav_error is not None):
            print(feed.to_text())
            if verbose:
                for note in feed.notes:
                    print(f"  source {note}")
