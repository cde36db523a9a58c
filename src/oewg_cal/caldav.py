"""Publish a feed into a CalDAV collection: one resource per event, idempotently.

Each event becomes one calendar object resource (its VEVENT with the VTIMEZONE it uses),
named after its UID.  A run PUTs new events, re-PUTs events whose SEQUENCE or DTSTAMP
changed (with ``If-Match`` on the ETag it saw), DELETEs events that oewg_cal put there
earlier and the feed no longer holds, and leaves everything else alone, so a second run
with the same feed sends no write at all.  Credentials come from the environment
(``OEWG_CAL_CALDAV_USERNAME``/``OEWG_CAL_CALDAV_PASSWORD``) or a netrc file, never from
the command line.
"""

from __future__ import annotations

import base64
import http.client
import netrc
import os
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

import attrs
import icalendar

from oewg_cal.errors import PublishError
from oewg_cal.ical.encode import write_ics
from oewg_cal.ical.feed import Feed

__all__ = ["CaldavReport", "Credentials", "credentials_for", "publish_caldav"]

_DAV = "DAV:"
_CALDAV = "urn:ietf:params:xml:ns:caldav"
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


def credentials_for(
    url: str, *, environ: Mapping[str, str] | None = None, netrc_file: Path | None = None
) -> Credentials | None:
    """Credentials for ``url``: from the environment, else from a netrc file (``~/.netrc``)."""
    env = os.environ if environ is None else environ
    if env.get(USERNAME_VARIABLE):
        return Credentials(env[USERNAME_VARIABLE], env.get(PASSWORD_VARIABLE, ""))
    path = netrc_file or (Path(env["NETRC"]) if env.get("NETRC") else Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        found = netrc.netrc(str(path)).authenticators(urllib.parse.urlsplit(url).hostname or "")
    except (netrc.NetrcParseError, OSError) as exc:
        raise PublishError(f"{path}: cannot read the netrc file ({exc})") from exc
    if found is None:
        return None
    login, _account, password = found
    return Credentials(login or "", password or "")


@attrs.frozen
class _Response:
    status: int
    headers: dict[str, str]
    body: bytes


class _Client:
    def __init__(self, url: str, credentials: Credentials | None, timeout: float) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PublishError(
                f"{url}: not a CalDAV collection URL (expected http(s)://host/path/)"
            )
        if parts.username or parts.password:
            raise PublishError(
                f"{parts.hostname}: put credentials in {USERNAME_VARIABLE}/{PASSWORD_VARIABLE} "
                "or a netrc file, not in the URL"
            )
        self.parts = parts
        self.collection = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.timeout = timeout
        self.headers: dict[str, str] = {}
        if credentials is not None:
            token = f"{credentials.username}:{credentials.password}".encode()
            self.headers["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> _Response:
        connection_class = (
            http.client.HTTPSConnection
            if self.parts.scheme == "https"
            else http.client.HTTPConnection
        )
        connection = connection_class(
            self.parts.hostname or "", self.parts.port, timeout=self.timeout
        )
        try:
            connection.request(method, path, body=body, headers={**self.headers, **(headers or {})})
            response = connection.getresponse()
            return _Response(
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        except OSError as exc:
            raise PublishError(f"{self.parts.hostname}: {method} {path} failed ({exc})") from exc
        finally:
            connection.close()

    def expect(self, response: _Response, method: str, path: str, *ok: int) -> _Response:
        if response.status not in ok:
            hint = " (check the credentials)" if response.status in (401, 403) else ""
            raise PublishError(
                f"{self.parts.hostname}: {method} {path} answered {response.status}{hint}, "
                f"expected {' or '.join(map(str, ok))}"
            )
        return response


_QUERY = (
    '<?xml version="1.0" encoding="utf-8"?>'
    f'<C:calendar-query xmlns:D="{_DAV}" xmlns:C="{_CALDAV}">'
    "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
    '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/>'
    "</C:comp-filter></C:filter></C:calendar-query>"
).encode()


@attrs.frozen
class _Stored:
    href: str
    etag: str | None
    sequence: int
    stamp: str
    programme: str | None  # X-OEWG-PROGRAMME: put there by oewg_cal, for this programme


def _stamp_text(event: icalendar.cal.component.Component) -> str:
    stamp = event.get("dtstamp")
    if stamp is None:
        return ""
    value = stamp.to_ical()
    return value.decode() if isinstance(value, bytes) else str(value)


def _existing(client: _Client) -> dict[str, _Stored]:
    response = client.expect(
        client.request(
            "REPORT",
            client.collection,
            _QUERY,
            {"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
        ),
        "REPORT",
        client.collection,
        207,
    )
    found: dict[str, _Stored] = {}
    for item in ET.fromstring(response.body).iter(f"{{{_DAV}}}response"):
        href = item.findtext(f"{{{_DAV}}}href") or ""
        etag = item.findtext(f".//{{{_DAV}}}getetag")
        data = item.findtext(f".//{{{_CALDAV}}}calendar-data") or ""
        if not data.strip():
            continue
        for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
            found[str(event.get("uid"))] = _Stored(
                href=href,
                etag=etag,
                sequence=int(event.get("sequence", 0)),
                stamp=_stamp_text(event),
                programme=str(event["X-OEWG-PROGRAMME"]) if "X-OEWG-PROGRAMME" in event else None,
            )
    return found


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
    feed: Feed, url: str, credentials: Credentials | None, *, timeout: float = 30.0
) -> CaldavReport:
    """Bring the CalDAV collection at ``url`` in line with ``feed``; see the module docstring."""
    client = _Client(url, credentials, timeout)
    existing = _existing(client)
    added: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    for uid, (body, sequence, stamp) in sorted(_resources(feed).items()):
        stored = existing.get(uid)
        if stored is not None and (stored.sequence, stored.stamp) == (sequence, stamp):
            unchanged.append(uid)
            continue
        path = (
            stored.href if stored else client.collection + urllib.parse.quote(uid, safe="") + ".ics"
        )
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        if stored is not None and stored.etag:
            headers["If-Match"] = stored.etag
        elif stored is None:
            headers["If-None-Match"] = "*"
        client.expect(client.request("PUT", path, body, headers), "PUT", path, 201, 204)
        (updated if stored else added).append(uid)
    feed_uids = {e.uid for e in feed.events}
    programmes = {e.programme for e in feed.events}
    removed = []
    for uid, stored in sorted(existing.items()):
        if stored.programme in programmes and uid not in feed_uids:
            headers = {"If-Match": stored.etag} if stored.etag else {}
            client.expect(
                client.request("DELETE", stored.href, None, headers),
                "DELETE",
                stored.href,
                200,
                204,
            )
            removed.append(uid)
    return CaldavReport(tuple(added), tuple(updated), tuple(removed), tuple(unchanged))
