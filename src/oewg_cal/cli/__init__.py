"""The ``oewg-cal`` command line: build, show, check, publish, refresh, page.

Exit codes: 0 ok, 1 bad input (or, for ``refresh``, some feed failed), 2 usage error.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from oewg_cal import __version__
from oewg_cal.errors import OewgCalError

if TYPE_CHECKING:
    from oewg_cal.model import Programme

# The commands import what they need when they run: `oewg-cal --version` and a usage
# error answer without loading the model, icalendar or the readers.

#: Exit codes of every command.
EXIT_OK = 0
EXIT_BAD_INPUT = 1  # for refresh: some feed failed
EXIT_USAGE = 2
OUTPUT_FORMATS = ("ics", "jcal")

_EPILOG = """\
exit codes: 0 ok; 1 bad input (the message names the file, the line and what was
expected) or, for refresh, some feed failed; 2 usage or configuration error.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="oewg-cal",
        description="Turn the programme of work of a UN meeting session into calendar feeds.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"oewg-cal {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    build = commands.add_parser(
        "build",
        help="read a programme and write its feed (.ics)",
        description="Read a programme of work (a PDF, a document as text, a marked-up table "
        "or a programme file) and write its iCalendar feed. The file is replaced atomically: "
        "never a partial feed. What the reader assumed (a three-hour meeting, a year taken "
        "from the issue date) and lines it could not place are printed as warnings.",
        epilog="examples:\n  oewg-cal build examples/oewg-ict-4th-session.txt -o oewg.ics\n"
        "  oewg-cal build A_C.2_80_L.1.pdf -o second-committee.ics\n"
        "  oewg-cal build examples/oewg-ict-4th-session.toml --output-format jcal -o oewg.json\n\n"
        + _EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument(
        "programme", metavar="PROGRAMME", help="document or programme file ('-' for stdin)"
    )
    build.add_argument(
        "-o", "--output", metavar="FEED.ics", help="where to write (stdout if omitted)"
    )
    _reading_options(build)
    build.add_argument(
        "--output-format",
        choices=OUTPUT_FORMATS,
        default="ics",
        help="ics (RFC 5545, the default) or jcal (RFC 7265 JSON)",
    )
    build.add_argument("--name", metavar="NAME", help="calendar name (default: body and session)")

    show = commands.add_parser(
        "show",
        help="print the programme as read, to check it against the PDF",
        description="Print the programme day by day, meeting by meeting, with agenda series and "
        "continuation marks, so that a person can check it before publishing; a published "
        "feed (.ics) is shown the same way.",
        epilog="example:\n  oewg-cal show examples/oewg-ict-4th-session.txt\n\n" + _EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument(
        "programme",
        metavar="PROGRAMME",
        help="document, programme file or feed ('-' for stdin)",
    )
    _reading_options(show)

    check = commands.add_parser(
        "check",
        help="lint a feed and read it back",
        description="Check a feed before publishing: RFC 5545 form (CRLF, folding, escaping, "
        "VTIMEZONE, UTC stamps, unique UIDs, size) and, for oewg_cal feeds, that it reads back "
        "into a valid programme.",
        epilog="example:\n  oewg-cal check examples/oewg-ict-4th-session.ics\n\n" + _EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("feed", metavar="FEED.ics")
    check.add_argument("--json", action="store_true", help="print the findings as JSON")

    publish = commands.add_parser(
        "publish",
        help="put a feed's events into a CalDAV calendar",
        description="Publish a feed (or a programme) into a CalDAV collection: new events "
        "are added, changed ones updated, dropped ones removed; a second run changes nothing. "
        "Credentials come from OEWG_CAL_CALDAV_USERNAME and OEWG_CAL_CALDAV_PASSWORD, or "
        "from a netrc file (~/.netrc, $NETRC or --netrc), never from the command line.",
        epilog="example:\n  OEWG_CAL_CALDAV_USERNAME=mission OEWG_CAL_CALDAV_PASSWORD=… \\\n"
        "  oewg-cal publish feed.ics --caldav https://dav.example.org/mission/oewg/\n\n" + _EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    publish.add_argument("programme", metavar="FEED-or-PROGRAMME")
    publish.add_argument("--caldav", metavar="URL", required=True, help="the calendar collection")
    publish.add_argument("--netrc", metavar="FILE", help="netrc file with the credentials")
    _reading_options(publish)

    from oewg_cal.cli.page import add_page_command
    from oewg_cal.cli.refresh import add_refresh_command

    add_refresh_command(commands)
    add_page_command(commands)
    return parser


def _zone(value: str) -> str:
    """An IANA zone, checked when the command line is read (a usage error otherwise)."""
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(
            f"unknown time zone {value!r} (expected an IANA name like Europe/Zurich)"
        ) from None
    return value


def _reading_options(parser: argparse.ArgumentParser) -> None:
    from oewg_cal.readers import FORMATS

    parser.add_argument(
        "--input-format", choices=FORMATS, help="force the input format (default: by content)"
    )
    parser.add_argument(
        "--tz",
        metavar="ZONE",
        type=_zone,
        help="IANA time zone of the venue (default: from the place)",
    )
    parser.add_argument("--short-name", metavar="NAME", help="short body name used in titles")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="refuse the input when the reader warns (an assumption, a line it cannot place)",
    )


def _read_input(name: str) -> tuple[bytes, str]:
    from oewg_cal.atomic import read_source
    from oewg_cal.readers import MAX_DOCUMENT_BYTES

    if name == "-":
        data = sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
        if len(data) > MAX_DOCUMENT_BYTES:
            raise OewgCalError(f"<stdin>: larger than {MAX_DOCUMENT_BYTES} bytes")
        return data, "<stdin>"
    try:
        return read_source(Path(name), MAX_DOCUMENT_BYTES), name
    except OSError as exc:
        raise OewgCalError(f"{name}: cannot read ({exc.strerror or exc})") from exc


def _programme(args: argparse.Namespace, data: bytes, source: str) -> Programme:
    """The programme of a document or programme file; its warnings go to stderr, and with
    ``--strict`` refuse it."""
    from oewg_cal.readers import read

    reading = read(
        data,
        source=source,
        format=args.input_format,
        timezone=args.tz,
        short_name=args.short_name,
    )
    kind = "error" if args.strict else "warning"
    for warning in reading.warnings:
        print(f"oewg-cal {args.command}: {kind}: {warning}", file=sys.stderr)
    if args.strict and reading.warnings:
        raise _Refused(f"{len(reading.warnings)} warning(s) with --strict")
    return reading.programme


class _Refused(OewgCalError):
    """What --strict refuses (the warnings are already printed)."""


def _build(args: argparse.Namespace) -> int:
    from oewg_cal.atomic import atomic_write
    from oewg_cal.ical.encode import to_ics
    from oewg_cal.ical.feed import FeedOptions

    data, source = _read_input(args.programme)
    programme = _programme(args, data, source)
    if args.output_format == "jcal":
        from oewg_cal.ical.feed import feed_of
        from oewg_cal.ical.jcal import write_jcal

        data = write_jcal(feed_of(programme, FeedOptions(name=args.name))).encode()
    else:
        data = to_ics(programme, FeedOptions(name=args.name))
    if args.output:
        changed = atomic_write(Path(args.output), data)
        state = "wrote" if changed else "unchanged"
        print(f"{state} {args.output}: {len(programme.meetings)} meetings", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    from oewg_cal.readers import FEED_FORMAT, detect_format
    from oewg_cal.text import format_programme

    data, source = _read_input(args.programme)
    if args.input_format is None and detect_format(data) == FEED_FORMAT:
        from oewg_cal.ical.decode import read_ics

        feed = read_ics(data, source=source)
        sys.stdout.write("\n".join(format_programme(p) for p in feed.programmes))
        return EXIT_OK
    sys.stdout.write(format_programme(_programme(args, data, source)))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from oewg_cal.ical.decode import read_ics
    from oewg_cal.ical.lint import (
        Finding,
        Severity,
        findings_to_json,
        format_findings,
        has_errors,
        lint,
    )

    data, source = _read_input(args.feed)
    findings = list(lint(data))
    if not has_errors(findings):
        try:
            read_ics(data, source=source)
        except OewgCalError as exc:
            findings.append(
                Finding(
                    line=0,
                    severity=Severity.WARNING,
                    code="not-oewg-cal",
                    message=f"does not read back as an oewg_cal feed: {exc}",
                )
            )
    if args.json:
        print(findings_to_json(findings, source))
    else:
        text = format_findings(findings, source)
        if text:
            print(text)
        print(f"{source}: {'errors found' if has_errors(findings) else 'ok'}")
    return EXIT_BAD_INPUT if has_errors(findings) else EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    from oewg_cal._http import shown_url
    from oewg_cal.caldav import credentials_for, publish_caldav
    from oewg_cal.ical.decode import read_ics
    from oewg_cal.ical.feed import Feed, feed_of
    from oewg_cal.readers import FEED_FORMAT, detect_format

    data, source = _read_input(args.programme)
    feed: Feed
    if args.input_format is None and detect_format(data) == FEED_FORMAT:
        feed = read_ics(data, source=source)
    else:
        feed = feed_of(_programme(args, data, source))
    netrc_file = Path(args.netrc) if args.netrc else None
    report = publish_caldav(feed, args.caldav, credentials_for(args.caldav, netrc_file=netrc_file))
    if report.changed_anything:
        print(
            f"{shown_url(args.caldav)}: {len(report.added)} added, {len(report.updated)} updated, "
            f"{len(report.removed)} removed, {len(report.unchanged)} unchanged"
        )
    return EXIT_OK


def stdout_closed() -> None:
    """The reader of stdout went away (``oewg-cal … | head``): send what is still to be
    written to /dev/null, so that neither the rest of the command nor Python's final
    flush fails on it (as the Python documentation advises for SIGPIPE)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    A closed stdout (``| head``) ends a command quietly: no traceback, and the exit
    code of the work done.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return _run(args)
    except BrokenPipeError:
        stdout_closed()
        return EXIT_OK


#: The commands that run once and end, by name; ``refresh`` and ``page`` (their own
#: modules) may go on over many feeds.
_ONE_SHOT = {"build": _build, "show": _show, "check": _check, "publish": _publish}


def _run(args: argparse.Namespace) -> int:
    if args.command == "page":
        from oewg_cal.cli.page import run_page

        return run_page(args)
    if args.command not in _ONE_SHOT:
        from oewg_cal.cli.refresh import run_refresh

        return run_refresh(args)
    try:
        code = _ONE_SHOT[args.command](args)
        sys.stdout.flush()
    except OewgCalError as exc:
        print(f"oewg-cal {args.command}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return code


def console_main() -> None:
    """Entry point of the ``oewg-cal`` console script."""
    if sys.argv[1:2] and sys.argv[1] in _ONE_SHOT:
        # What a one-shot command loads and makes stays until the process ends, so cyclic
        # collections (a dozen while its modules load, a full one at exit) free nothing:
        # without them it starts sooner.  Reading and encoding pause the collector anyway.
        gc.disable()
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        stdout_closed()
    sys.exit(code)
