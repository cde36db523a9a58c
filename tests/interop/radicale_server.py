"""A real Radicale CalDAV server for the interop tests, and a minimal CalDAV client.

:func:`running_radicale` starts ``python -m radicale`` as a subprocess with its
own config file, filesystem storage and a plain-text htpasswd user, all in a
temporary folder, bound to 127.0.0.1 on a free port.  The client helpers speak
CalDAV with :mod:`http.client` only; their URLs carry the credentials as
userinfo (``http://user:password@127.0.0.1:port/...``), as
:meth:`RadicaleServer.collection_url` builds them.

Radicale parses and expands with vobject inside one long-running process, so it
inherits vobject's process-wide TZID registry (see
``parsers.KNOWN_PARSER_BUGS``): the first VTIMEZONE the server meets for a TZID
is the one it uses for the rest of the session.  Feed only VTIMEZONEs that are
correct to a shared server.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import icalendar

from .parsers import (
    UTC,
    WINDOW_END,
    WINDOW_START,
    InteropError,
    SeenEvent,
    UnsupportedFeedError,
    icalendar_seen_event,
    sort_key,
)

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 30.0
REQUEST_TIMEOUT_S = 60.0

DAV = "DAV:"
CALDAV = "urn:ietf:params:xml:ns:caldav"


@dataclasses.dataclass(frozen=True)
class RadicaleServer:
    """A running Radicale: where it listens and who may log in."""

    base_url: str  # "http://127.0.0.1:PORT/" without credentials
    username: str
    password: str
    root: Path
    process: subprocess.Popen[bytes] = dataclasses.field(repr=False, compare=False)

    @property
    def log_path(self) -> Path:
        return self.root / "radicale.log"

    def collection_url(self, name: str) -> str:
        """URL (with credentials) of a calendar collection of our user."""
        parts = urllib.parse.urlsplit(self.base_url)
        netloc = (
            f"{urllib.parse.quote(self.username, safe='')}:"
            f"{urllib.parse.quote(self.password, safe='')}@{parts.netloc}"
        )
        path = f"/{urllib.parse.quote(self.username, safe='')}/{urllib.parse.quote(name, safe='')}/"
        return urllib.parse.urlunsplit((parts.scheme, netloc, path, "", ""))

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port = sock.getsockname()[1]
        assert isinstance(port, int)
        return port


def _write_config(root: Path, port: int, username: str, password: str) -> Path:
    storage = root / "collections"
    storage.mkdir()
    users = root / "users"
    users.write_text(f"{username}:{password}\n", encoding="utf-8")
    config = root / "config"
    config.write_text(
        "\n".join(
            [
                "[server]",
                f"hosts = {HOST}:{port}",
                "",
                "[auth]",
                "type = htpasswd",
                f"htpasswd_filename = {users}",
                "htpasswd_encryption = plain",
                "",
                "[rights]",
                "type = owner_only",
                "",
                "[storage]",
                "type = multifilesystem",
                f"filesystem_folder = {storage}",
                "",
                "[web]",
                "type = none",
                "",
                "[logging]",
                "level = warning",
                "",
            ]
        ),
        encoding="utf-8",
    )
    return config


def _answers(base_url: str) -> bool:
    parts = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname or HOST, parts.port, timeout=2)
    try:
        connection.request("OPTIONS", "/")
        connection.getresponse().read()
    except OSError:
        return False
    finally:
        connection.close()
    return True


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def running_radicale(root: Path | None = None) -> Iterator[RadicaleServer]:
    """Start a Radicale subprocess, wait until it answers, yield it, stop it.

    ``root`` is an empty folder for config, users, storage and log; by default a
    temporary folder that is removed afterwards.
    """
    with contextlib.ExitStack() as stack:
        if root is None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="radicale-")))
        username = "interop"
        password = secrets.token_urlsafe(16)
        port = _free_port()
        config = _write_config(root, port, username, password)
        environment = dict(os.environ)
        # Radicale also reads /etc/radicale/config and ~/.config/radicale/config;
        # a private HOME keeps a developer's own config out of the tests.
        environment["HOME"] = str(root)
        environment.pop("RADICALE_CONFIG", None)
        log = stack.enter_context((root / "radicale.log").open("wb"))
        process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=environment,
            cwd=root,
        )
        stack.callback(_stop, process)
        server = RadicaleServer(
            base_url=f"http://{HOST}:{port}/",
            username=username,
            password=password,
            root=root,
            process=process,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _answers(server.base_url):
            if process.poll() is not None:
                raise InteropError(
                    f"Radicale exited with status {process.returncode}:\n{server.log_tail()}"
                )
            if time.monotonic() > deadline:
                raise InteropError(
                    f"Radicale did not answer within {STARTUP_TIMEOUT_S} s:\n{server.log_tail()}"
                )
            time.sleep(0.1)
        yield server


# ---------------------------------------------------------------------- CalDAV client


@dataclasses.dataclass(frozen=True)
class Response:
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes


def request(
    method: str,
    url: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """One HTTP request to 127.0.0.1; credentials come from the URL's userinfo."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in {HOST, "localhost"}:
        raise ValueError(f"interop tests talk to the loopback only, not {url!r}")
    all_headers = dict(headers or {})
    if parts.username is not None:
        credentials = (
            f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
        )
        token = base64.b64encode(credentials.encode("utf-8")).decode("ascii")
        all_headers["Authorization"] = f"Basic {token}"
    path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT_S)
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        return Response(
            status=response.status,
            reason=response.reason,
            headers={key.lower(): value for key, value in response.getheaders()},
            body=response.read(),
        )
    finally:
        connection.close()


def _expect(response: Response, method: str, url: str, *statuses: int) -> Response:
    if response.status not in statuses:
        parts = urllib.parse.urlsplit(url)
        shown = parts._replace(netloc=f"{parts.hostname}:{parts.port}").geturl()
        raise InteropError(
            f"{method} {shown} answered {response.status} {response.reason}, "
            f"expected {statuses}:\n{response.body.decode('utf-8', 'replace')[:2000]}"
        )
    return response


def mkcalendar(url: str) -> None:
    """Create a calendar collection (MKCALENDAR) at ``url``."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<C:mkcalendar xmlns:D="{DAV}" xmlns:C="{CALDAV}">'
        "<D:set><D:prop>"
        "<C:supported-calendar-component-set>"
        '<C:comp name="VEVENT"/>'
        "</C:supported-calendar-component-set>"
        "</D:prop></D:set>"
        "</C:mkcalendar>"
    ).encode()
    headers = {"Content-Type": "application/xml; charset=utf-8"}
    _expect(request("MKCALENDAR", url, body, headers), "MKCALENDAR", url, 201)


def put_event(url: str, uid: str, ics: bytes) -> str:
    """PUT one calendar object resource (one VCALENDAR, one UID) into collection ``url``.

    Returns the URL of the new resource.
    """
    resource = url.rstrip("/") + "/" + urllib.parse.quote(uid, safe="") + ".ics"
    headers = {"Content-Type": "text/calendar; charset=utf-8"}
    _expect(request("PUT", resource, ics, headers), "PUT", resource, 201, 204)
    return resource


def _caldav_utc(value: datetime.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError(f"time-range bound must be aware, got {value!r}")
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def report_events(
    url: str, start: datetime.datetime, end: datetime.datetime, expand: bool
) -> list[bytes]:
    """calendar-query REPORT on collection ``url`` for VEVENTs overlapping ``start``..``end``.

    With ``expand`` the server expands recurrences and returns UTC times
    (RFC 4791 section 9.6.5).  Returns the calendar-data of every resource.
    """
    range_attributes = f'start="{_caldav_utc(start)}" end="{_caldav_utc(end)}"'
    calendar_data = (
        f"<C:calendar-data><C:expand {range_attributes}/></C:calendar-data>"
        if expand
        else "<C:calendar-data/>"
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<C:calendar-query xmlns:D="{DAV}" xmlns:C="{CALDAV}">'
        f"<D:prop><D:getetag/>{calendar_data}</D:prop>"
        '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">'
        f"<C:time-range {range_attributes}/>"
        "</C:comp-filter></C:comp-filter></C:filter>"
        "</C:calendar-query>"
    ).encode()
    headers = {"Content-Type": "application/xml; charset=utf-8", "Depth": "1"}
    response = _expect(request("REPORT", url, body, headers), "REPORT", url, 207)
    root = ET.fromstring(response.body)
    found: list[bytes] = []
    for element in root.iter(f"{{{CALDAV}}}calendar-data"):
        text = element.text or ""
        if text.strip():
            found.append(text.encode("utf-8"))
    return found


def delete_event(url: str) -> None:
    """DELETE a resource (or a whole collection)."""
    _expect(request("DELETE", url), "DELETE", url, 200, 204)


# ------------------------------------------------------------------ splitting a feed

_BEGIN = re.compile(r"BEGIN:([A-Za-z0-9-]+)$", re.IGNORECASE)
_END = re.compile(r"END:([A-Za-z0-9-]+)$", re.IGNORECASE)


def _physical_lines(text: str) -> list[str]:
    lines = re.split(r"\r\n|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _logical_lines(lines: list[str]) -> list[list[str]]:
    """Group physical lines into content lines (a line plus its folded continuations)."""
    grouped: list[list[str]] = []
    for line in lines:
        if line[:1] in {" ", "\t"} and grouped:
            grouped[-1].append(line)
        else:
            grouped.append([line])
    return grouped


def _unfolded(group: list[str]) -> str:
    return group[0] + "".join(line[1:] for line in group[1:])


def _uid_of(block: list[list[str]]) -> str:
    depth = 0
    for group in block:
        line = _unfolded(group)
        if _BEGIN.match(line):
            depth += 1
        elif _END.match(line):
            depth -= 1
        elif depth == 1 and re.match(r"UID[;:]", line, re.IGNORECASE):
            return line.split(":", 1)[1]
    raise UnsupportedFeedError("VEVENT without UID")


def split_feed(data: bytes) -> dict[str, bytes]:
    """One calendar object resource per UID, keeping the feed's own lines.

    Each resource holds the feed's calendar properties (without METHOD, which
    RFC 4791 forbids in stored resources), all its VTIMEZONEs and the VEVENTs of
    one UID, byte for byte as they were folded in the feed, with CRLF endings.
    """
    text = data.decode("utf-8")
    groups = _logical_lines(_physical_lines(text))
    if not groups or _unfolded(groups[0]).upper() != "BEGIN:VCALENDAR":
        raise InteropError("feed does not start with BEGIN:VCALENDAR")
    header: list[list[str]] = []
    timezones: list[list[list[str]]] = []
    events: dict[str, list[list[list[str]]]] = {}
    depth = 0
    block: list[list[str]] = []
    block_name = ""
    calendars = 0
    for group in groups:
        line = _unfolded(group)
        begin = _BEGIN.match(line)
        end = _END.match(line)
        if depth == 0:
            if not (begin and begin.group(1).upper() == "VCALENDAR"):
                raise InteropError(f"unexpected line outside VCALENDAR: {line[:80]!r}")
            calendars += 1
            depth = 1
            continue
        if depth == 1:
            if begin:
                block_name = begin.group(1).upper()
                block = [group]
                depth = 2
            elif end:
                depth = 0
            elif not re.match(r"METHOD[;:]", line, re.IGNORECASE):
                header.append(group)
            continue
        block.append(group)
        if begin:
            depth += 1
        elif end:
            depth -= 1
            if depth == 1:
                if block_name == "VTIMEZONE":
                    timezones.append(block)
                elif block_name == "VEVENT":
                    events.setdefault(_uid_of(block), []).append(block)
                else:
                    raise UnsupportedFeedError(f"component {block_name} is not supported")
    if calendars != 1 or depth != 0:
        raise InteropError("feed must hold exactly one complete VCALENDAR")

    def lines(*parts: list[list[str]]) -> list[str]:
        return [line for part in parts for group in part for line in group]

    resources: dict[str, bytes] = {}
    for uid, blocks in events.items():
        content = ["BEGIN:VCALENDAR", *lines(header, *timezones, *blocks), "END:VCALENDAR"]
        resources[uid] = ("\r\n".join(content) + "\r\n").encode("utf-8")
    return resources


def _overlaps(event: SeenEvent, start: datetime.datetime, end: datetime.datetime) -> bool:
    """RFC 4791 section 9.9 time-range test for one VEVENT occurrence."""
    if event.end_utc > event.start_utc:
        return start < event.end_utc and end > event.start_utc
    return start <= event.start_utc < end


def _uids_in(calendar_data: list[bytes]) -> set[str]:
    uids: set[str] = set()
    for data in calendar_data:
        calendar = icalendar.Calendar.from_ical(data)
        uids.update(str(event.get("UID", "")) for event in calendar.walk("VEVENT"))
    return uids


def check_server_time_ranges(
    url: str, seen: list[SeenEvent], instants: set[datetime.datetime]
) -> None:
    """Make the server place events itself: time-range REPORTs around each instant.

    For every instant T, the UIDs the server returns for [T-1s, T) and [T, T+1s)
    must be those whose occurrences in ``seen`` overlap that range.
    """
    second = datetime.timedelta(seconds=1)
    for instant in sorted(instants):
        for start, end in ((instant - second, instant), (instant, instant + second)):
            expected = {event.uid for event in seen if _overlaps(event, start, end)}
            got = _uids_in(report_events(url, start, end, expand=False))
            if got != expected:
                raise InteropError(
                    f"Radicale time-range {start:%Y-%m-%dT%H:%M:%SZ}/{end:%H:%M:%SZ} "
                    f"matched {sorted(got)}, expected {sorted(expected)}"
                )


def read_with_radicale(data: bytes, server: RadicaleServer) -> list[SeenEvent]:
    """What a CalDAV client sees after the feed went through Radicale.

    PUTs one resource per UID into a fresh calendar, REPORTs them back with
    server-side expansion and reads the calendar-data with icalendar.  Expanded
    instances (with RECURRENCE-ID) must come back in UTC, as RFC 4791 section
    9.6.5 requires.  Radicale returns events without recurrence unexpanded, in
    their TZID-local time (``parsers.KNOWN_PARSER_BUGS``); their UTC times are
    then taken from icalendar and confirmed by asking the server itself with
    time-range queries one second either side of each start and end.  The
    calendar is deleted afterwards.
    """
    resources = split_feed(data)
    collection = server.collection_url(f"interop-{uuid.uuid4().hex}")
    mkcalendar(collection)
    try:
        for uid, resource in resources.items():
            put_event(collection, uid, resource)
        returned = report_events(collection, WINDOW_START, WINDOW_END, expand=True)
        seen: list[SeenEvent] = []
        local_instants: set[datetime.datetime] = set()
        for calendar_data in returned:
            calendar = icalendar.Calendar.from_ical(calendar_data)
            for event in calendar.walk("VEVENT"):
                assert isinstance(event, icalendar.Event)
                record = icalendar_seen_event(event)
                seen.append(record)
                expanded = event.get("RECURRENCE-ID") is not None
                for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
                    prop = event.get(name)
                    if prop is None:
                        continue
                    in_utc = (
                        "TZID" not in prop.params and prop.dt.utcoffset() == datetime.timedelta(0)
                    )
                    if expanded and not in_utc:
                        raise InteropError(
                            f"Radicale expanded {record.uid} with {name} {prop.dt!r}, not in UTC"
                        )
                    if not in_utc:
                        local_instants.update((record.start_utc, record.end_utc))
        missing = set(resources) - {event.uid for event in seen}
        if missing:
            raise InteropError(f"Radicale returned nothing for {sorted(missing)}")
        check_server_time_ranges(collection, seen, local_instants)
    finally:
        delete_event(collection)
    return sorted(seen, key=sort_key)
