"""The one bounded HTTP client of oewg_cal, on httpx: used by :mod:`oewg_cal.fetch` and
:mod:`oewg_cal.caldav`.

Every request is bounded: a connect timeout, a read timeout (the longest silence), an
overall deadline (a watchdog shuts the socket down when it passes, so a server that
trickles its headers or body one byte at a time cannot hold a job), and a largest body,
read in chunks and cut as soon as it is passed.  Redirects are never followed here (the
callers decide).  Proxies come from ``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY`` and
``NO_PROXY`` (httpx's ``trust_env``); certificates are verified against
:func:`ssl.create_default_context`, i.e. the system's CA store, or ``SSL_CERT_FILE`` /
``SSL_CERT_DIR`` when they are set.  Connections are not kept alive: the watchdog must
know the socket of every request, and it learns it when the connection is made.

Failures raise whatever the caller's ``fail`` makes of a message (always an
:class:`~oewg_cal.errors.OewgCalError`); text that comes from a server or a URL is shown
through :func:`shown` or :func:`shown_url`, quoted or escaped and cut, never raw.

httpx is imported on first use: ``oewg-cal refresh`` with nothing to fetch does not pay
for it.
"""

from __future__ import annotations

import contextlib
import http
import ipaddress
import socket
import ssl
import threading
import time
import types
import urllib.parse
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from oewg_cal._lazy_re import lazy
from oewg_cal.errors import OewgCalError

if TYPE_CHECKING:
    import httpx

#: The overall deadline of an exchange is ``connect_timeout + DEADLINE_READ_TIMEOUTS *
#: read_timeout``.
DEADLINE_READ_TIMEOUTS = 4

#: How many characters of a server's text (or of a URL) a message shows at most.
SHOWN_CHARACTERS = 100

_SCHEMES = ("http", "https")
_LABEL = lazy(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?\Z")
_MAX_LABEL = 63
_MAX_HOST = 253
_LOCATION = "oewg_cal.location"
_URL_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"\\')
_USERINFO = lazy(r"\A([A-Za-z][A-Za-z0-9+.-]*:)?//[^/?#]*@")
_ANY_USERINFO = lazy(r"([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@\s'\"]*@")

Fail = Callable[[str], OewgCalError]


# --------------------------------------------------------------------------- showing text


def shown(text: str | bytes, limit: int = SHOWN_CHARACTERS) -> str:
    """*text* from outside as a message may show it: quoted, escaped, at most *limit* long.

    Control characters, quotes and backslashes are escaped (so nothing from a server can
    start a new line or fake the end of the quote), bytes that are not UTF-8 are shown as
    ``\\xNN``, and what passes *limit* characters is cut and marked with ``…``.
    """
    return f'"{printable(text, limit, quotes=True)}"'


def printable(text: str | bytes, limit: int = SHOWN_CHARACTERS, *, quotes: bool = False) -> str:
    """*text* with control characters escaped and cut at *limit*, for a message that
    does not quote it (with ``quotes``, ``"`` and ``\\`` are escaped too)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "surrogateescape")
    pieces: list[str] = []
    length = 0
    for character in text:
        piece = _escaped(character, quotes)
        if length + len(piece) > limit:
            return "".join(pieces) + "…"
        pieces.append(piece)
        length += len(piece)
    return "".join(pieces)


def _escaped(character: str, quotes: bool) -> str:
    if character in '"\\':
        return "\\" + character if quotes else character
    if character.isprintable():
        return character
    if "\udc80" <= character <= "\udcff":  # a byte that was not UTF-8
        return f"\\x{ord(character) - 0xDC00:02x}"
    return repr(character)[1:-1]


def redact_url(url: str) -> str:
    """*url* with its userinfo (``user:password@``) replaced by ``***@``.

    Works on any text, even one that is not a valid URL, and leaves it alone when it has
    no userinfo.
    """
    return _USERINFO.sub(lambda m: f"{m.group(1) or ''}//***@", url, count=1)


def shown_url(url: str, limit: int = SHOWN_CHARACTERS) -> str:
    """A URL for a message: userinfo redacted, anything but printable ASCII
    percent-escaped (so it has no space, quote or control character), cut at *limit*."""
    text = urllib.parse.quote(redact_url(url), safe=_URL_SAFE)
    return text if len(text) <= limit else text[:limit] + "…"


# --------------------------------------------------------------------------- URLs


def url_problem(url: str) -> str | None:
    """What makes *url* unusable as an http(s) URL (``scheme "ftp"``, ``no host name``,
    …, to follow "the URL has"), or ``None`` when it is usable: an http(s) scheme, a port
    from 0 to 65535, and a host that is an IP address or a DNS name (labels of letters,
    digits, ``-`` and ``_``, at most 63 characters each once IDNA-encoded)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "a malformed host (an unclosed or invalid [IPv6] address)"
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        return f"scheme {shown(scheme)}" if scheme else "no scheme"
    try:
        parts.port  # noqa: B018  (validates the port)
    except ValueError:
        return "a port that is not a number from 0 to 65535"
    host = parts.hostname
    if not host:
        return "no host name"
    return _host_problem(host)


def _host_problem(host: str) -> str | None:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return None
    name = host[:-1] if host.endswith(".") else host
    ascii_labels = []
    for label in name.split("."):
        if not label:
            return f"an empty label in its host name {shown(host)}"
        try:
            ascii_label = label if label.isascii() else label.encode("idna").decode("ascii")
        except UnicodeError:
            return f"a host name that is not a valid international name ({shown(host)})"
        if len(ascii_label) > _MAX_LABEL:
            return (
                f"a host name label of {len(ascii_label)} characters "
                f"(at most {_MAX_LABEL}): {shown(host)}"
            )
        if not _LABEL.match(ascii_label):
            return f"a character not allowed in a host name: {shown(host)}"
        ascii_labels.append(ascii_label)
    if len(".".join(ascii_labels)) > _MAX_HOST:
        return f"a host name longer than {_MAX_HOST} characters"
    return None


def _where(url: httpx.URL) -> str:
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{host}:{url.port}" if url.port is not None else host


# --------------------------------------------------------------------------- bounds


def deadline_seconds(connect_timeout: float, read_timeout: float) -> float:
    """The seconds an exchange may take in all, from its two timeouts."""
    return connect_timeout + DEADLINE_READ_TIMEOUTS * read_timeout


@attrs.frozen
class Bounds:
    """What one exchange (or a run of them, such as a redirect chain) may take.

    ``deadline`` is a :func:`time.monotonic` value; ``seconds`` the allowance it stands
    for (for messages).  Make one with :meth:`starting_now`.
    """

    connect_timeout: float
    read_timeout: float
    max_bytes: int
    deadline: float
    seconds: float

    @classmethod
    def starting_now(cls, connect_timeout: float, read_timeout: float, max_bytes: int) -> Bounds:
        """Bounds whose overall deadline starts to run now."""
        seconds = deadline_seconds(connect_timeout, read_timeout)
        return cls(connect_timeout, read_timeout, max_bytes, time.monotonic() + seconds, seconds)

    def remaining(self) -> float:
        """Seconds left before the deadline (0 or less once it has passed)."""
        return self.deadline - time.monotonic()

    def deadline_message(self) -> str:
        """The message of an exchange that ran out of time."""
        return (
            f"gave up after {self.seconds:g} s in all "
            f"(limit connect_timeout + {DEADLINE_READ_TIMEOUTS} * read_timeout)"
        )


@attrs.frozen
class Response:
    """An answer: its status, headers and, when it was asked for, its body."""

    status: int
    headers: Mapping[str, str]
    body: bytes | None

    @property
    def status_text(self) -> str:
        """``HTTP 404 Not Found``: the status with its standard phrase, never the server's."""
        try:
            return f"HTTP {self.status} {http.HTTPStatus(self.status).phrase}"
        except ValueError:
            return f"HTTP {self.status}"


# --------------------------------------------------------------------------- the watchdog


class _Watchdog:
    """Shuts down the sockets of one exchange when the overall deadline passes.

    httpcore tells it each socket it opens through the ``trace`` request extension.
    """

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def trace(self, event: str, info: Mapping[str, Any]) -> None:
        if not event.endswith((".connect_tcp.complete", ".start_tls.complete")):
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            with self._lock:
                self._sockets.append(sock)
                if self.fired:
                    self._shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        # socket.socket.shutdown, not SSLSocket.shutdown: only wake the reader up.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


# --------------------------------------------------------------------------- the session


class Session:
    """An HTTP client for one job (a fetch and its redirects, a CalDAV publication).

    Use it as a context manager.  ``user_agent`` is sent with every request.
    """

    def __init__(self, *, user_agent: str) -> None:
        import httpx

        self._httpx = httpx
        self._user_agent = user_agent
        self._client: httpx.Client | None = None

    def _client_or(self, fail: Fail) -> httpx.Client:
        """The httpx client, made on first use (it reads the environment then)."""
        httpx = self._httpx
        if self._client is None:
            try:
                self._client = httpx.Client(
                    verify=ssl.create_default_context(),
                    trust_env=True,
                    follow_redirects=False,
                    limits=httpx.Limits(max_keepalive_connections=0),
                    event_hooks={"response": [_hide_location]},
                )
            except (ValueError, ImportError, httpx.InvalidURL, ssl.SSLError) as exc:
                raise fail(
                    f"cannot use the proxy settings of the environment ({_detail(exc)}; "
                    "expected http(s) proxy URLs in HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and "
                    "host names in NO_PROXY)"
                ) from None
        return self._client

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: types.TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close every connection."""
        if self._client is not None:
            self._client.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        bounds: Bounds,
        fail: Fail,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        read_body: Callable[[int], bool] = lambda status: True,
    ) -> Response:
        """Send one request and return the answer, its body read when ``read_body(status)``.

        *url* must be one :func:`url_problem` accepts; its userinfo is never sent.  Every
        failure (connection, timeout, deadline, a body past ``bounds.max_bytes``, a
        truncated body, a malformed answer) raises ``fail(message)``.
        """
        httpx = self._httpx
        client = self._client_or(fail)
        remaining = bounds.remaining()
        if remaining <= 0:
            raise fail(bounds.deadline_message())
        try:
            target = httpx.URL(url).copy_with(userinfo=b"", fragment=None)
        except (httpx.InvalidURL, ValueError) as exc:
            raise fail(f"cannot use the URL {shown_url(url)} ({_detail(exc)})") from exc
        connect_timeout = min(bounds.connect_timeout, remaining)
        watchdog = _Watchdog(remaining)
        phase = "connecting"
        try:
            request = client.build_request(
                method,
                target,
                headers={
                    "User-Agent": self._user_agent,
                    "Accept": "*/*",
                    "Accept-Encoding": "identity",
                    **(headers or {}),
                },
                content=content,
                timeout=httpx.Timeout(
                    connect=connect_timeout,
                    read=bounds.read_timeout,
                    write=bounds.read_timeout,
                    pool=connect_timeout,
                ),
                extensions={"trace": watchdog.trace},
            )
            phase = "waiting for the response"
            response = client.send(request, stream=True)
            try:
                location = response.extensions.get(_LOCATION)
                if location is not None:
                    response.headers["Location"] = location
                if watchdog.fired:  # the headers may have been cut short
                    raise fail(bounds.deadline_message())
                body = None
                if read_body(response.status_code):
                    phase = "reading the body"
                    body = _read_body(response, bounds, watchdog, fail)
                return Response(response.status_code, response.headers, body)
            finally:
                response.close()
        except OewgCalError:
            raise
        except httpx.ConnectTimeout as exc:
            raise fail(
                f"could not connect to {_where(target)} within {connect_timeout:g} s "
                "(limit connect_timeout)"
            ) from exc
        except (httpx.ConnectError, httpx.ProxyError) as exc:
            if watchdog.fired or bounds.remaining() <= 0:
                raise fail(bounds.deadline_message()) from exc
            what = " through the proxy" if isinstance(exc, httpx.ProxyError) else ""
            raise fail(f"could not connect to {_where(target)}{what}: {_detail(exc)}") from exc
        except (httpx.HTTPError, httpx.InvalidURL, OSError, UnicodeError) as exc:
            if watchdog.fired or bounds.remaining() <= 0:
                raise fail(bounds.deadline_message()) from exc
            if isinstance(exc, httpx.ReadTimeout):
                raise fail(
                    f"no data for {bounds.read_timeout:g} s while {phase} (limit read_timeout)"
                ) from exc
            if isinstance(exc, httpx.WriteTimeout):
                raise fail(
                    f"could not send the request within {bounds.read_timeout:g} s "
                    "(limit read_timeout)"
                ) from exc
            raise fail(
                f"connection failed while {phase}: {_detail(exc)} "
                "(expected a complete HTTP response)"
            ) from exc
        finally:
            watchdog.cancel()


def _hide_location(response: httpx.Response) -> None:
    # httpx builds the next request of every redirect, even one it does not follow, and
    # raises on a Location it cannot parse: redirects are the callers' to judge.
    location = response.headers.get("Location")
    if location is not None:
        del response.headers["Location"]
        response.extensions[_LOCATION] = location


def _detail(exc: BaseException) -> str:
    """An exception's text for a message: any URL's userinfo redacted, escaped and cut (it
    may quote a server's bytes, or a proxy URL of the environment)."""
    return printable(_ANY_USERINFO.sub(r"\1***@", str(exc) or type(exc).__name__))


def _read_body(response: httpx.Response, bounds: Bounds, watchdog: _Watchdog, fail: Fail) -> bytes:
    import httpx

    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise fail(
            f"the body is compressed ({shown(encoding)}) although only identity was accepted"
        )
    expected = _content_length(response.headers.get("Content-Length"))
    if expected is not None and expected > bounds.max_bytes:
        raise fail(
            f"body larger than {bounds.max_bytes} bytes (limit max_bytes): "
            f"Content-Length is {expected}"
        )
    chunked = "chunked" in response.headers.get("Transfer-Encoding", "").lower()
    chunks: list[bytes] = []
    total = 0
    try:
        for chunk in response.iter_raw():  # pieces as they arrive (httpcore reads 64 KiB)
            total += len(chunk)
            if total > bounds.max_bytes:
                raise fail(f"body larger than {bounds.max_bytes} bytes (limit max_bytes)")
            chunks.append(chunk)
            if bounds.remaining() <= 0:
                raise fail(bounds.deadline_message())
    except httpx.RemoteProtocolError as exc:
        if watchdog.fired:
            raise fail(bounds.deadline_message()) from exc
        if expected is not None:
            raise fail(
                f"body truncated: received {total} of the {expected} bytes announced by "
                "Content-Length before the connection closed"
            ) from exc
        if chunked:
            raise fail(
                "body truncated: the connection closed in the middle of a chunk "
                "(expected a complete chunked body)"
            ) from exc
        raise
    # The watchdog ends a late response by shutting the socket down: to a body that runs
    # until the connection closes, that looks like its end, and must not pass for it.
    if watchdog.fired:
        raise fail(bounds.deadline_message())
    return b"".join(chunks)


def _content_length(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None  # h11 refuses a malformed Content-Length before this
