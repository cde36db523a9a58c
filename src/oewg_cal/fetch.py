"""Fetching programme documents over HTTP(S), with limits and a conditional-GET cache.

:func:`fetch` GETs one http or https URL and returns its body as a :class:`Fetched`.  It
is meant for an unattended job, so it never waits or reads without bound: see
:class:`FetchLimits`.  With a ``cache_dir`` it remembers each URL's body and validators
(``ETag``, ``Last-Modified``) and asks the server only for a changed document; a
``304 Not Modified`` answer gives back the remembered body.

Every failure is a :class:`~oewg_cal.errors.FetchError` whose message starts with the
URL asked for, then says what went wrong and what was expected.

Only direct connections are made: proxy settings in the environment are not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import logging
import pathlib
import socket
import ssl
import threading
import time
import urllib.parse
from email.message import Message
from typing import Any

import attrs

from oewg_cal import __version__
from oewg_cal.atomic import atomic_write
from oewg_cal.errors import FetchError, PublishError

__all__ = ["DEADLINE_READ_TIMEOUTS", "FetchLimits", "Fetched", "fetch"]

_log = logging.getLogger(__name__)

#: The overall deadline of one :func:`fetch` (redirects included) is
#: ``connect_timeout + DEADLINE_READ_TIMEOUTS * read_timeout``.
DEADLINE_READ_TIMEOUTS = 4

_SCHEMES = frozenset({"http", "https"})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_OK_STATUSES = frozenset({200, 203})
_CHUNK = 64 * 1024
_USER_AGENT = f"oewg-cal/{__version__} (programme-of-work calendar feeds)"
_CACHE_FORMAT = 1
# Characters left as they are when a request target is percent-encoded: the reserved
# and unreserved ones of RFC 3986, and "%" so that existing escapes survive.
_TARGET_SAFE = "/?:@!$&'()*+,;=-._~%[]"


@attrs.frozen
class FetchLimits:
    """Bounds on one :func:`fetch`.

    * ``connect_timeout``: seconds to open the connection (TLS handshake included).
    * ``read_timeout``: the longest silence, in seconds, between two pieces of the
      response; in addition the whole fetch must end within :attr:`deadline`.
    * ``max_bytes``: the largest body accepted.
    * ``max_redirects``: how many redirects are followed at most.
    """

    connect_timeout: float = attrs.field(default=10.0, validator=attrs.validators.gt(0))
    read_timeout: float = attrs.field(default=30.0, validator=attrs.validators.gt(0))
    max_bytes: int = attrs.field(default=20_000_000, validator=attrs.validators.ge(0))
    max_redirects: int = attrs.field(default=5, validator=attrs.validators.ge(0))

    @property
    def deadline(self) -> float:
        """Seconds the whole fetch may take, redirects included."""
        return self.connect_timeout + DEADLINE_READ_TIMEOUTS * self.read_timeout


@attrs.frozen
class Fetched:
    """The outcome of a successful :func:`fetch`.

    ``url`` is the URL the content came from (the last one, after redirects).
    ``not_modified`` is true only when the server answered ``304 Not Modified`` and
    ``content`` is the cached copy.
    """

    url: str
    content: bytes = attrs.field(repr=lambda content: f"<{len(content)} bytes>")
    not_modified: bool
    etag: str | None
    last_modified: str | None
    content_type: str | None


@attrs.frozen
class _CacheEntry:
    final_url: str
    content: bytes
    etag: str | None
    last_modified: str | None
    content_type: str | None


@attrs.frozen
class _Response:
    status: int
    reason: str
    headers: Message
    body: bytes | None


# --------------------------------------------------------------------------- cache


def _cache_paths(cache_dir: pathlib.Path, url: str) -> tuple[pathlib.Path, pathlib.Path]:
    key = hashlib.sha256(url.encode("utf-8")).hexdigest()
    return cache_dir / f"{key}.json", cache_dir / f"{key}.body"


def _optional_str(meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f"{key} is not a string")


def _load_cache(cache_dir: pathlib.Path, url: str) -> _CacheEntry | None:
    """The cached copy of *url*, or ``None`` if there is none or it is damaged."""
    meta_path, body_path = _cache_paths(cache_dir, url)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or meta.get("format") != _CACHE_FORMAT:
            raise ValueError("unknown format")
        if meta.get("url") != url or not isinstance(meta.get("final_url"), str):
            raise ValueError("not this URL's entry")
        content = body_path.read_bytes()
        if len(content) != meta.get("length") or (
            hashlib.sha256(content).hexdigest() != meta.get("sha256")
        ):
            raise ValueError("body does not match its metadata")
        entry = _CacheEntry(
            final_url=meta["final_url"],
            content=content,
            etag=_optional_str(meta, "etag"),
            last_modified=_optional_str(meta, "last_modified"),
            content_type=_optional_str(meta, "content_type"),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as exc:  # json errors are ValueErrors
        _log.info("%s: ignoring the damaged cache entry %s: %s", url, meta_path, exc)
        return None
    if entry.etag is None and entry.last_modified is None:
        return None
    return entry


def _store_cache(cache_dir: pathlib.Path, url: str, entry: _CacheEntry) -> None:
    """Remember *entry* for *url*; a failure only loses the cache, so it is logged."""
    meta_path, body_path = _cache_paths(cache_dir, url)
    meta = {
        "format": _CACHE_FORMAT,
        "url": url,
        "final_url": entry.final_url,
        "etag": entry.etag,
        "last_modified": entry.last_modified,
        "content_type": entry.content_type,
        "length": len(entry.content),
        "sha256": hashlib.sha256(entry.content).hexdigest(),
    }
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # The body first: metadata never describes a body that is not there yet, and a
        # body without matching metadata is ignored by _load_cache.
        atomic_write(body_path, entry.content)
        atomic_write(meta_path, json.dumps(meta, indent=1, sort_keys=True).encode("utf-8"))
    except (OSError, PublishError) as exc:
        _log.warning("%s: could not update the cache in %s: %s", url, cache_dir, exc)


def _drop_cache(cache_dir: pathlib.Path, url: str) -> None:
    for path in _cache_paths(cache_dir, url):
        with contextlib.suppress(OSError):
            path.unlink()


# --------------------------------------------------------------------------- HTTP


def _split_http_url(url: str, *, error_prefix: str, redirected: bool) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        found = f"scheme {scheme!r}" if scheme else "no scheme"
        what = f"redirected to {url}, which has" if redirected else "the URL has"
        raise FetchError(f"{error_prefix}: {what} {found}; expected an http(s) URL")
    try:
        parts.port  # noqa: B018  (validates the port)
    except ValueError as exc:
        what = f"redirected to {url}: " if redirected else ""
        raise FetchError(f"{error_prefix}: {what}{exc}; expected an http(s) URL") from exc
    if not parts.hostname:
        what = f"redirected to {url}, which has" if redirected else "the URL has"
        raise FetchError(f"{error_prefix}: {what} no host name; expected an http(s) URL")
    return parts


def _request_target(parts: urllib.parse.SplitResult) -> str:
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return urllib.parse.quote(target, safe=_TARGET_SAFE)


class _Watchdog:
    """Shuts a connection's socket down when the overall deadline passes."""

    def __init__(self, sock: socket.socket, seconds: float) -> None:
        self.fired = False
        self._sock = sock
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        # socket.socket.shutdown, not SSLSocket.shutdown: only wake the reader up.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(self._sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def _get(
    parts: urllib.parse.SplitResult,
    headers: dict[str, str],
    *,
    limits: FetchLimits,
    deadline: float,
    error_prefix: str,
) -> _Response:
    """One GET of the URL split into *parts*; the body is read only for a successful status."""
    host = parts.hostname or ""
    port = parts.port
    where = f"{host}:{port}" if port is not None else host
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"{error_prefix}: {_deadline_message(limits)}")
    connect_timeout = min(limits.connect_timeout, remaining)
    conn: http.client.HTTPConnection
    if parts.scheme.lower() == "https":
        conn = http.client.HTTPSConnection(
            host, port, timeout=connect_timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=connect_timeout)
    try:
        try:
            conn.connect()
        except TimeoutError as exc:
            raise FetchError(
                f"{error_prefix}: could not connect to {where} within "
                f"{connect_timeout:g} s (limit connect_timeout)"
            ) from exc
        except OSError as exc:
            raise FetchError(f"{error_prefix}: could not connect to {where}: {exc}") from exc
        sock = conn.sock
        assert sock is not None
        watchdog = _Watchdog(sock, deadline - time.monotonic())
        try:
            return _exchange(
                conn,
                sock,
                parts,
                headers,
                limits=limits,
                deadline=deadline,
                error_prefix=error_prefix,
                watchdog=watchdog,
            )
        finally:
            watchdog.cancel()
    finally:
        conn.close()


def _deadline_message(limits: FetchLimits) -> str:
    return (
        f"gave up after {limits.deadline:g} s in all "
        f"(limit connect_timeout + {DEADLINE_READ_TIMEOUTS} * read_timeout)"
    )


def _exchange(
    conn: http.client.HTTPConnection,
    sock: socket.socket,
    parts: urllib.parse.SplitResult,
    headers: dict[str, str],
    *,
    limits: FetchLimits,
    deadline: float,
    error_prefix: str,
    watchdog: _Watchdog,
) -> _Response:
    phase = "waiting for the response"
    try:
        sock.settimeout(min(limits.read_timeout, max(0.001, deadline - time.monotonic())))
        conn.request("GET", _request_target(parts), headers=headers)
        response = conn.getresponse()
        try:
            if watchdog.fired:  # the headers may have been cut short
                raise FetchError(f"{error_prefix}: {_deadline_message(limits)}")
            status, reason = response.status, response.reason
            if status not in _OK_STATUSES:
                return _Response(status, reason, response.msg, None)
            phase = "reading the body"
            body = _read_body(
                response,
                sock,
                limits=limits,
                deadline=deadline,
                error_prefix=error_prefix,
                watchdog=watchdog,
            )
            return _Response(status, reason, response.msg, body)
        finally:
            response.close()  # it owns the socket when the server closes
    except FetchError:
        raise
    except (OSError, http.client.HTTPException) as exc:
        if watchdog.fired or time.monotonic() >= deadline:
            raise FetchError(f"{error_prefix}: {_deadline_message(limits)}") from exc
        if isinstance(exc, TimeoutError):
            raise FetchError(
                f"{error_prefix}: no data for {limits.read_timeout:g} s while {phase} "
                "(limit read_timeout)"
            ) from exc
        if isinstance(exc, http.client.IncompleteRead):
            raise FetchError(
                f"{error_prefix}: body truncated: the connection closed in the middle of "
                "a chunk (expected a complete chunked body)"
            ) from exc
        detail = str(exc) or type(exc).__name__
        raise FetchError(
            f"{error_prefix}: connection failed while {phase}: {detail} "
            "(expected a complete HTTP response)"
        ) from exc


def _read_body(
    response: http.client.HTTPResponse,
    sock: socket.socket,
    *,
    limits: FetchLimits,
    deadline: float,
    error_prefix: str,
    watchdog: _Watchdog,
) -> bytes:
    expected = response.length  # None when chunked or when no Content-Length was given
    if expected is not None and expected > limits.max_bytes:
        raise FetchError(
            f"{error_prefix}: body larger than {limits.max_bytes} bytes (limit max_bytes): "
            f"Content-Length is {expected}"
        )
    chunks: list[bytes] = []
    total = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"{error_prefix}: {_deadline_message(limits)}")
        sock.settimeout(min(limits.read_timeout, remaining))
        chunk = response.read1(min(_CHUNK, limits.max_bytes + 1 - total))
        if not chunk:
            break
        total += len(chunk)
        if total > limits.max_bytes:
            raise FetchError(
                f"{error_prefix}: body larger than {limits.max_bytes} bytes (limit max_bytes)"
            )
        chunks.append(chunk)
    if expected is not None and total == expected:
        return b"".join(chunks)
    # The watchdog ends a late response by shutting the socket: that looks like an end
    # of file, and must not pass for one.
    if watchdog.fired:
        raise FetchError(f"{error_prefix}: {_deadline_message(limits)}")
    if expected is not None:
        raise FetchError(
            f"{error_prefix}: body truncated: received {total} of the {expected} bytes "
            "announced by Content-Length before the connection closed"
        )
    return b"".join(chunks)


# --------------------------------------------------------------------------- fetch


def fetch(
    url: str,
    *,
    cache_dir: pathlib.Path | None = None,
    limits: FetchLimits = FetchLimits(),
) -> Fetched:
    """GET *url* (http or https) and return its body.

    Redirects (301, 302, 303, 307, 308) are followed, at most ``limits.max_redirects``
    of them and only to http(s) URLs.  Only ``200 OK`` (or 203) is a success; a status
    of 400 or more, a truncated or oversized body, a timeout or a redirect loop raise
    :class:`~oewg_cal.errors.FetchError`.

    With *cache_dir*, the body and validators of each successful answer are kept there
    (one ``SHA256.json`` and one ``SHA256.body`` per URL, SHA256 being the hash of
    *url*), the next fetch of the same URL sends ``If-None-Match`` and
    ``If-Modified-Since``, and a ``304 Not Modified`` answer returns the cached body
    with ``not_modified=True``.  A missing or damaged cache entry is simply ignored, and
    a cache that cannot be written is logged, not raised.
    """
    start = time.monotonic()
    deadline = start + limits.deadline
    parts = _split_http_url(url, error_prefix=url, redirected=False)
    cached = _load_cache(cache_dir, url) if cache_dir is not None else None

    current = url
    chain = [url]
    while True:
        prefix = url if current == url else f"{url} (redirected to {current})"
        headers = {
            "User-Agent": _USER_AGENT,
            "Accept": "*/*",
            "Accept-Encoding": "identity",
            "Connection": "close",
        }
        conditional = cached if cached is not None and cached.final_url == current else None
        if conditional is not None:
            if conditional.etag is not None:
                headers["If-None-Match"] = conditional.etag
            if conditional.last_modified is not None:
                headers["If-Modified-Since"] = conditional.last_modified

        response = _get(parts, headers, limits=limits, deadline=deadline, error_prefix=prefix)
        status = response.status
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")

        if status in _OK_STATUSES:
            assert response.body is not None
            fetched = Fetched(
                url=current,
                content=response.body,
                not_modified=False,
                etag=etag,
                last_modified=last_modified,
                content_type=response.headers.get("Content-Type"),
            )
            if cache_dir is not None:
                if etag is None and last_modified is None:
                    _drop_cache(cache_dir, url)
                else:
                    _store_cache(cache_dir, url, _entry_of(fetched))
            return fetched

        if status == 304:
            if conditional is None:
                raise FetchError(
                    f"{prefix}: HTTP 304 Not Modified to a request that was not "
                    "conditional (expected 200 OK)"
                )
            fetched = Fetched(
                url=current,
                content=conditional.content,
                not_modified=True,
                etag=etag if etag is not None else conditional.etag,
                last_modified=(
                    last_modified if last_modified is not None else conditional.last_modified
                ),
                content_type=conditional.content_type,
            )
            if cache_dir is not None and (
                fetched.etag != conditional.etag
                or fetched.last_modified != conditional.last_modified
            ):
                _store_cache(cache_dir, url, _entry_of(fetched))
            return fetched

        if status in _REDIRECT_STATUSES:
            location = response.headers.get("Location")
            if not location:
                raise FetchError(
                    f"{prefix}: HTTP {status} {response.reason} without a Location header "
                    "(expected a redirect target)"
                )
            target, _fragment = urllib.parse.urldefrag(urllib.parse.urljoin(current, location))
            parts = _split_http_url(target, error_prefix=prefix, redirected=True)
            if target in chain:
                loop = " -> ".join([*chain[chain.index(target) :], target])
                raise FetchError(
                    f"{url}: redirect loop {loop} (expected redirects that end at a document)"
                )
            if len(chain) > limits.max_redirects:
                raise FetchError(
                    f"{url}: more than {limits.max_redirects} redirects (limit max_redirects): "
                    + " -> ".join([*chain, target])
                )
            chain.append(target)
            current = target
            continue

        if status >= 400:
            raise FetchError(f"{prefix}: HTTP {status} {response.reason} (expected 200 OK)")
        raise FetchError(f"{prefix}: unexpected HTTP {status} {response.reason} (expected 200 OK)")


def _entry_of(fetched: Fetched) -> _CacheEntry:
    return _CacheEntry(
        final_url=fetched.url,
        content=fetched.content,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        content_type=fetched.content_type,
    )
