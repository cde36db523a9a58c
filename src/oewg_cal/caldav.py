"""Publish a feed into a CalDAV collection: one resource per event, idempotently.

Each event becomes one calendar object resource (its VEVENT with the VTIMEZONE it uses),
named after its UID.  A run PUTs new events, re-PUTs events whose SEQUENCE or DTSTAMP
changed (with ``If-Match`` on the ETag it saw), DELETEs events that oewg_cal put there
earlier and the feed no longer holds, and leaves everything else alone, so a second run
with the same feed sends no write at all.  Credentials come from the environment
(``OEWG_CAL_CALDAV_USERNAME``/``OEWG_CAL_CALDAV_PASSWORD``) or a netrc file, never from
the command line or the URL, and no message ever shows them.

Requests go through the bounded client of :mod:`oewg_cal._http` (timeouts, a deadline per
request, a largest answer, proxies and CA certificates from the environment).  Every
failure is a :class:`~oewg_cal.errors.CaldavError`.
"""

from __future__ import annotations

import base64
import netrc
import os
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from pathlib import Path

import attrs
import icalendar

from oewg_cal import __version__
from oewg_cal._http import Bounds, Response, Session, printable, shown, shown_url, url_problem
from oewg_cal._lazy_re import lazy
from oewg_cal.errors import CaldavError
from oewg_cal.ical.encode import write_ics
from oewg_cal.ical.feed import Feed
from oewg_cal.readers import MAX_DOCUMENT_BYTES

__all__ = ["CaldavReport", "Credentials", "credentials_for", "publish_caldav"]

_DAV = "DAV:"
_CALDAV = "urn:ietf:params:xml:ns:caldav"
_USER_AGENT = f"oewg-cal/{__version__} (CalDAV publisher)"
_ETAG = lazy(r'(W/)?"[\x21\x23-\x7e]*"')
USERNAME_VARIABLE = "OEWG_CAL_CALDAV_USERNAME"
PASSWORD_VARIABLE = "OEWG_CAL_CALDAV_PASSWORD"


@attrs.frozen(repr=False)
class Credentials:
    """A CalDAV login (its repr never shows the password)."""

    username: str
    password: str

    def __repr__(self) -> str:
        return f"Credentials(username={self.username!r}, password=***)"


@attrs.frozen
class CaldavReport:
    """What a publication did, by UID."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def _collection_parts(url: str) -> urllib.parse.SplitResult:
    """*url* split, once it is known to be an http(s) URL without credentials."""
    problem = url_problem(url)
    if problem is not None:
        raise CaldavError(
            f"{shown_url(url)}: not a CalDAV collection URL: it has {problem} "
            "(expected http(s)://host/path/)"
        )
    parts = urllib.parse.urlsplit(url)
    if "@" in parts.netloc:
        raise CaldavError(
            f"{shown_url(url)}: put credentials in {USERNAME_VARIABLE}/{PASSWORD_VARIABLE} "
            "or a netrc file, not in the URL"
        )
    return parts


def credentials_for(
    url: str, *, environ: Mapping[str, str] | None = None, netrc_file: Path | None = None
) -> Credentials | None:
    """Credentials for the collection at ``url``: from the environment, else from a netrc
    file (``netrc_file``, else ``$NETRC``, else ``~/.netrc``).

    A netrc file that is named (``netrc_file`` or ``$NETRC``) must exist; ``~/.netrc``
    may be missing.  Raises :class:`~oewg_cal.errors.CaldavError` for a URL that is not
    an http(s) URL without credentials, and for a netrc file that cannot be read; the
    message names the file and line, never its contents.
    """
    parts = _collection_parts(url)
    env = os.environ if environ is None else environ
    if env.get(USERNAME_VARIABLE):
        return Credentials(env[USERNAME_VARIABLE], env.get(PASSWORD_VARIABLE, ""))
    named = netrc_file or (Path(env["NETRC"]) if env.get("NETRC") else None)
    path = named or Path.home() / ".netrc"
    if not path.exists():
        if named is None:
            return None
        source = "--netrc" if netrc_file else "NETRC"
        raise CaldavError(f"{path}: no such netrc file (named by {source})")
    try:
        found = netrc.netrc(str(path)).authenticators(parts.hostname or "")
    except netrc.NetrcParseError as exc:
        # Its message quotes the token it stumbled on, which may be a password.
        raise CaldavError(
            f"{path}:{exc.lineno}: the netrc file cannot be read (expected "
            '"machine HOST login NAME password SECRET"; quote a password with spaces)'
        ) from None
    except UnicodeError:
        raise CaldavError(f"{path}: the netrc file is not UTF-8 text") from None
    except OSError as exc:
        raise CaldavError(
            f"{path}: cannot read the netrc file ({exc.strerror or type(exc).__name__})"
        ) from None
    if found is None:
        return None
    login, _account, password = found
    return Credentials(login or "", password or "")


class _Client:
    """The requests of one publication, to one collection, on one bounded session."""

    def __init__(
        self, url: str, credentials: Credentials | None, timeout: float, max_bytes: int
    ) -> None:
        parts = _collection_parts(url)
        path = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.collection = urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))
        self.host = parts.hostname or ""
        self._origin = (parts.scheme.lower(), parts.netloc.lower())
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._headers: dict[str, str] = {}
        if credentials is not None:
            if ":" in credentials.username:
                raise CaldavError(
                    f"{self.host}: the CalDAV user name holds a colon, which HTTP Basic "
                    "authentication cannot carry (expected a user name without ':')"
                )
            token = f"{credentials.username}:{credentials.password}".encode()
            self._headers["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
        self._session = Session(user_agent=_USER_AGENT)

    def close(self) -> None:
        self._session.close()

    def resource(self, href: str) -> str:
        """The URL of an href the server gave, refused unless it is on the same server."""
        try:
            url = urllib.parse.urljoin(self.collection, href)
            parts = urllib.parse.urlsplit(url)
        except ValueError:
            raise CaldavError(
                f"{self.host}: the server named a resource {shown(href)} that is not a URL"
            ) from None
        if (parts.scheme.lower(), parts.netloc.lower()) != self._origin:
            raise CaldavError(
                f"{self.host}: the server named a resource on another server "
                f"({shown_url(url)}); expected hrefs under {shown_url(self.collection)}"
            )
        return url

    def request(
        self,
        method: str,
        url: str,
        *ok: int,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        read_body: bool = False,
    ) -> Response:
        """One request; any status but *ok* is a :class:`CaldavError`."""
        what = f"{self.host}: {method} {shown_url(urllib.parse.urlsplit(url).path)}"
        response = self._session.request(
            method,
            url,
            bounds=Bounds.starting_now(self._timeout, self._timeout, self._max_bytes),
            fail=_failing(what),
            headers={**self._headers, **(headers or {})},
            content=body,
            read_body=lambda status: read_body and status in ok,
        )
        if response.status not in ok:
            hint = " (check the credentials)" if response.status in (401, 403) else ""
            raise CaldavError(
                f"{what} answered {response.status_text}{hint}, "
                f"expected {' or '.join(map(str, ok))}"
            )
        return response


def _failing(what: str) -> Callable[[str], CaldavError]:
    return lambda message: CaldavError(f"{what}: {message}")


_QUERY = (
    '<?xml version="1.0" encoding="utf-8"?>'
    f'<C:calendar-query xmlns:D="{_DAV}" xmlns:C="{_CALDAV}">'
    "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
    '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/>'
    "</C:comp-filter></C:filter></C:calendar-query>"
).encode()


@attrs.frozen
class _Stored:
    url: str  # where the resource is (its href, resolved)
    etag: str | None
    sequence: int
    stamp: str
    programme: str | None  # X-OEWG-PROGRAMME: put there by oewg_cal, for this programme


def _stamp_text(event: icalendar.cal.component.Component) -> str:
    """DTSTAMP as written (empty without one)."""
    stamp = event.get("dtstamp")
    if stamp is None:
        return ""
    value = stamp.to_ical()
    return value.decode() if isinstance(value, bytes) else str(value)


def _existing(client: _Client) -> dict[str, _Stored]:
    """Every event in the collection, by UID (one REPORT)."""
    response = client.request(
        "REPORT",
        client.collection,
        207,
        body=_QUERY,
        headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
        read_body=True,
    )
    where = f"{client.host}: REPORT {shown_url(urllib.parse.urlsplit(client.collection).path)}"
    assert response.body is not None
    try:
        root = ET.fromstring(response.body)
    # an XML declaration naming an encoding Python lacks ("utf-999") is a LookupError,
    # one expat cannot read ("utf-32") a ValueError
    except (ET.ParseError, LookupError, ValueError) as exc:
        raise CaldavError(
            f"{where} answered something that is not XML ({printable(str(exc))}; "
            "expected a multistatus)"
        ) from None
    found: dict[str, _Stored] = {}
    for item in root.iter(f"{{{_DAV}}}response"):
        href = item.findtext(f"{{{_DAV}}}href") or ""
        etag = item.findtext(f".//{{{_DAV}}}getetag")
        data = item.findtext(f".//{{{_CALDAV}}}calendar-data") or ""
        if not data.strip():
            continue
        url = client.resource(href)
        if etag is not None and not _ETAG.fullmatch(etag):
            raise CaldavError(
                f"{where}: the ETag of {shown(href)} is {shown(etag)} "
                "(expected a quoted entity tag of visible ASCII characters)"
            )
        for uid, sequence, stamp, programme in _events(data, f"{where}: {shown(href)}"):
            found[uid] = _Stored(url, etag, sequence, stamp, programme)
    return found


def _events(data: str, what: str) -> list[tuple[str, int, str, str | None]]:
    """(UID, SEQUENCE, DTSTAMP, X-OEWG-PROGRAMME) of each VEVENT with a UID in *data*."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
        found = [
            (
                str(event["UID"]),
                event.get("SEQUENCE", 0),
                _stamp_text(event),
                str(event["X-OEWG-PROGRAMME"]) if "X-OEWG-PROGRAMME" in event else None,
            )
            for event in calendar.walk("VEVENT")
            if "UID" in event  # without one, not a resource oewg_cal could have put there
        ]
    # Besides ValueError, icalendar fails on some malformed data with others (an
    # AttributeError on a broken VTIMEZONE, a RecursionError on deep nesting).
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError) as exc:
        raise CaldavError(
            f"{what}: the calendar data cannot be read ({printable(str(exc))}; "
            "expected iCalendar data)"
        ) from None
    for _uid, sequence, _stamp, _programme in found:
        if not isinstance(sequence, int):
            raise CaldavError(f"{what}: SEQUENCE {shown(str(sequence))} is not a whole number")
    return [(uid, int(sequence), stamp, programme) for uid, sequence, stamp, programme in found]


def _resources(feed: Feed) -> dict[str, tuple[bytes, int, str]]:
    """One VCALENDAR per event (with the VTIMEZONEs it uses): UID → (bytes, SEQUENCE, DTSTAMP)."""
    calendar = icalendar.Calendar.from_ical(write_ics(feed))
    zones = {str(tz["TZID"]): tz for tz in calendar.walk("VTIMEZONE")}
    resources: dict[str, tuple[bytes, int, str]] = {}
    for event in calendar.walk("VEVENT"):
        single = icalendar.Calendar()
        single.add("prodid", calendar["PRODID"])
        single.add("version", "2.0")
        for name in ("dtstart", "dtend"):
            tzid = event[name].params.get("TZID")
            if tzid in zones and zones[tzid] not in single.subcomponents:
                single.add_component(zones[tzid])
        single.add_component(event)
        resources[str(event["UID"])] = (
            single.to_ical(),
            int(event.get("sequence", 0)),
            _stamp_text(event),
        )
    return resources


def publish_caldav(
    feed: Feed,
    url: str,
    credentials: Credentials | None,
    *,
    timeout: float = 30.0,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> CaldavReport:
    """Bring the CalDAV collection at ``url`` in line with ``feed``; see the module docstring.

    ``timeout`` bounds connecting and each silence of the server, and each request ends
    within ``timeout + DEADLINE_READ_TIMEOUTS * timeout``; an answer longer than
    ``max_bytes`` is refused.  Raises :class:`~oewg_cal.errors.CaldavError`.
    """
    client = _Client(url, credentials, timeout, max_bytes)
    try:
        return _publish(client, feed)
    finally:
        client.close()


def _publish(client: _Client, feed: Feed) -> CaldavReport:
    existing = _existing(client)
    added: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    for uid, (body, sequence, stamp) in sorted(_resources(feed).items()):
        stored = existing.get(uid)
        if stored is not None and (stored.sequence, stored.stamp) == (sequence, stamp):
            unchanged.append(uid)
            continue
        target = (
            stored.url if stored else client.collection + urllib.parse.quote(uid, safe="") + ".ics"
        )
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        if stored is not None and stored.etag:
            headers["If-Match"] = stored.etag
        elif stored is None:
            headers["If-None-Match"] = "*"
        client.request("PUT", target, 201, 204, body=body, headers=headers)
        (updated if stored else added).append(uid)
    feed_uids = {e.uid for e in feed.events}
    programmes = {e.programme for e in feed.events}
    removed = []
    for uid, stored in sorted(existing.items()):
        if stored.programme in programmes and uid not in feed_uids:
            headers = {"If-Match": stored.etag} if stored.etag else {}
            client.request("DELETE", stored.url, 200, 204, headers=headers)
            removed.append(uid)
    return CaldavReport(tuple(added), tuple(updated), tuple(removed), tuple(unchanged))
