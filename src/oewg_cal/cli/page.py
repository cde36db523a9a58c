"""``oewg-cal page``: the agenda page of a feed, or of every feed of a refresh configuration.

* ``oewg-cal page CONFIG.toml``: ``FEED.html`` beside each feed of the configuration, from
  the feed as published and what refresh remembers (the last changes and check), and
  ``index.html`` listing them all, in the folder of the feeds (the folder that holds
  every feed, or the others' folders).
* ``oewg-cal page FEED.ics [-o FEED.html] [--url URL]``: the page of one feed file.

Files are replaced atomically and left alone when their bytes would not change.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from oewg_cal.errors import ConfigError, OewgCalError

__all__ = ["add_page_command", "run_page"]

_DESCRIPTION = """\
Write the agenda page of a feed: subscribe links for Apple Calendar, Thunderbird, Google
Calendar, Outlook.com and Microsoft 365 with a QR code, and the programme day by day
(cancelled meetings struck through, the last refresh's changes marked).

Given a refresh configuration, write FEED.html beside every feed it publishes and an
index.html listing them (in the folder holding the feeds); the subscribe links use each
feed's url. Given one feed file, write its page to -o (stdout without it)."""

_EPILOG = """\
examples:
  oewg-cal page /etc/oewg-cal/feeds.toml
  oewg-cal page oewg-ict.ics -o oewg-ict.html \\
      --url https://mission.example.org/calendars/oewg-ict.ics

exit codes: 0 ok; 1 a feed could not be read or a page not written; 2 usage or
configuration error."""


def add_page_command(subparsers: argparse._SubParsersAction[Any]) -> argparse.ArgumentParser:
    """Add the ``page`` sub-command to an argparse sub-parsers object; return its parser."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "page",
        help="write the agenda page of feeds (subscribe links and the programme)",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "input", metavar="CONFIG.toml|FEED.ics", help="a refresh configuration, or one feed"
    )
    parser.add_argument(
        "-o", "--output", metavar="FEED.html", help="where to write one feed's page (else stdout)"
    )
    parser.add_argument(
        "--url", metavar="URL", help="the public http(s) URL of the feed, for the subscribe links"
    )
    return parser


def _is_feed(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"BEGIN:VCALENDAR")


def run_page(args: argparse.Namespace) -> int:
    """Run ``oewg-cal page`` with parsed arguments; return the exit code."""
    from oewg_cal.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE

    path = Path(args.input)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"oewg-cal page: {path}: cannot read ({exc.strerror or exc})", file=sys.stderr)
        return EXIT_BAD_INPUT
    if _is_feed(data):
        if args.url is not None and not args.url.lower().startswith(("http://", "https://")):
            print(f"oewg-cal page: --url must be an http(s) URL, not {args.url!r}", file=sys.stderr)
            return EXIT_USAGE
        try:
            return _one_feed(path, data, args)
        except OewgCalError as exc:
            print(f"oewg-cal page: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
    if args.output is not None or args.url is not None:
        print(
            "oewg-cal page: -o and --url are for one feed file; a configuration's pages go "
            "beside its feeds and take each feed's url",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        return EXIT_OK if _config(path) else EXIT_BAD_INPUT
    except ConfigError as exc:
        print(f"oewg-cal page: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _one_feed(path: Path, data: bytes, args: argparse.Namespace) -> int:
    from oewg_cal.atomic import atomic_write
    from oewg_cal.ical.decode import read_ics
    from oewg_cal.page import render_page

    feed = read_ics(data, source=str(path))
    html = render_page(feed, url=args.url, feed_href=path.name)
    if args.output is None:
        sys.stdout.buffer.write(html)
        return 0
    written = atomic_write(Path(args.output), html)
    print(f"{'wrote' if written else 'unchanged'} {args.output}", file=sys.stderr)
    return 0


def _config(path: Path) -> bool:
    """Every feed's page and the index; False when some feed's page failed."""
    from oewg_cal.refresh.config import load_config
    from oewg_cal.refresh.pages import check_distinct_pages, index_path, write_index, write_page

    config = load_config(path)
    try:
        check_distinct_pages(config.feeds)
    except OewgCalError as exc:
        print(f"oewg-cal page: {exc}", file=sys.stderr)
        return False
    ok = True
    for feed in config.feeds:
        try:
            written = write_page(config, feed, force=True)
        except OewgCalError as exc:
            print(f"oewg-cal page: feed {feed.name!r}: {exc}", file=sys.stderr)
            ok = False
            continue
        print(f"{'wrote' if written else 'unchanged'} {feed.page_path}", file=sys.stderr)
        if not feed.page:
            print(
                f"oewg-cal page: note: feed {feed.name!r} has no page = true: refresh will "
                "not keep its page current",
                file=sys.stderr,
            )
    try:
        written = write_index(config)
    except OewgCalError as exc:
        print(f"oewg-cal page: {exc}", file=sys.stderr)
        return False
    target = index_path(config)
    if target is None:
        print(
            "oewg-cal page: note: no index.html: the feeds are published in different "
            "folders, none of which holds the others",
            file=sys.stderr,
        )
    else:
        print(f"{'wrote' if written else 'unchanged'} {target}", file=sys.stderr)
    return ok
