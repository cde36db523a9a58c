"""Real HTTP servers on 127.0.0.1 for the tests: an origin server, a forward proxy, a CA.

* :class:`Origin` answers every request with a handler the test gives (any method, plain
  or TLS) and records what it was asked.
* :class:`ForwardProxy` is a small threading forward proxy: absolute-URI requests (any
  method) for http targets, ``CONNECT`` tunnels for https ones.  It records every request
  it saw, so a test can tell whether a client went through it.
* :func:`make_ca` makes a throw-away certificate authority (trustme) and a server
  certificate for 127.0.0.1 and localhost.
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import attrs
import trustme

_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PROPFIND", "REPORT", "MKCALENDAR")


@attrs.frozen
class Seen:
    """One request as a server or proxy received it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes = b""


# --------------------------------------------------------------------------- origin


class OriginHandler(BaseHTTPRequestHandler):
    """Hands every request to the server's ``answer``, after recording it."""

    protocol_version = "HTTP/1.1"
    server: Origin

    def _any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.seen.append(Seen(self.command, self.path, headers, body))
        try:
            self.server.answer(self)
        except OSError:  # the client gave up, as tests often want it to
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        """A complete answer with a Content-Length."""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def raw(self, data: bytes) -> None:
        """Write *data* as it is (no status line of ours) and close the connection."""
        self.wfile.write(data)
        self.wfile.flush()
        self.close_connection = True

    def pause(self, seconds: float) -> None:
        """Sleep, but wake up when the test is over."""
        self.server.stopping.wait(seconds)


for _method in _METHODS:
    setattr(OriginHandler, f"do_{_method}", OriginHandler._any)


class Origin(ThreadingHTTPServer):
    """An origin server on 127.0.0.1; ``answer`` may be replaced by a test."""

    daemon_threads = True

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), OriginHandler)
        self.seen: list[Seen] = []
        self.stopping = threading.Event()
        self.answer: Callable[[OriginHandler], None] = lambda h: h.reply(200, b"origin body")
        self.scheme = "http"
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
            self.scheme = "https"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a refused handshake or a client that hung up is part of the tests

    @property
    def port(self) -> int:
        port = self.server_address[1]
        assert isinstance(port, int)
        return port

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"


@contextlib.contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[None]:
    """Run *server* in a thread for the duration of the block."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield
    finally:
        stopping = getattr(server, "stopping", None)
        if isinstance(stopping, threading.Event):
            stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextlib.contextmanager
def origin(tls: ssl.SSLContext | None = None) -> Iterator[Origin]:
    """A running :class:`Origin`."""
    server = Origin(tls)
    with serving(server):
        yield server


# --------------------------------------------------------------------------- proxy


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ForwardProxy

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _record(self, body: bytes = b"") -> bool:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.seen.append(Seen(self.command, self.path, headers, body))
        wanted = self.server.proxy_authorization
        if wanted is not None and headers.get("proxy-authorization") != wanted:
            self.send_response(407)
            self.send_header("Proxy-Authenticate", 'Basic realm="proxy"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.close_connection = True
            return False
        return True

    def do_CONNECT(self) -> None:
        if not self._record():
            return
        host, _, port = self.path.rpartition(":")
        try:
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
        except OSError:
            self.send_response(502)
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.close_connection = True
            return
        with upstream:
            self.send_response(200, "Connection Established")
            self.end_headers()
            self.wfile.flush()
            self._pipe(upstream)
        self.close_connection = True

    def _pipe(self, upstream: socket.socket) -> None:
        client = self.connection
        while not self.server.stopping.is_set():
            readable, _, _ = select.select([client, upstream], [], [], 0.1)
            for source in readable:
                destination = upstream if source is client else client
                try:
                    data = source.recv(65536)
                    if not data:
                        return
                    destination.sendall(data)
                except OSError:
                    return

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if not self._record(body):
            return
        parts = urllib.parse.urlsplit(self.path)
        if parts.scheme != "http" or not parts.hostname:
            self.send_response(400)
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.close_connection = True
            return
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        skip = {"proxy-authorization", "proxy-connection", "connection", "keep-alive"}
        lines = [f"{self.command} {target} HTTP/1.1"]
        lines += [f"{k}: {v}" for k, v in self.headers.items() if k.lower() not in skip]
        lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        with socket.create_connection((parts.hostname, parts.port or 80), timeout=30) as upstream:
            upstream.sendall(head + body)
            while data := upstream.recv(65536):
                self.wfile.write(data)
        self.close_connection = True


for _method in _METHODS:
    setattr(_ProxyHandler, f"do_{_method}", _ProxyHandler._forward)


class ForwardProxy(ThreadingHTTPServer):
    """A forward proxy on 127.0.0.1; ``seen`` lists every request it received.

    With ``proxy_authorization`` it answers 407 to requests without that exact
    ``Proxy-Authorization`` header.
    """

    daemon_threads = True

    def __init__(self, proxy_authorization: str | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.seen: list[Seen] = []
        self.stopping = threading.Event()
        self.proxy_authorization = proxy_authorization

    def handle_error(self, request: object, client_address: object) -> None:
        pass

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def requests(self) -> list[tuple[str, str]]:
        """(method, target) of every request seen, in order."""
        return [(s.method, s.target) for s in self.seen]


@contextlib.contextmanager
def forward_proxy(proxy_authorization: str | None = None) -> Iterator[ForwardProxy]:
    """A running :class:`ForwardProxy`."""
    proxy = ForwardProxy(proxy_authorization)
    with serving(proxy):
        yield proxy


# --------------------------------------------------------------------------- TLS


@attrs.frozen
class LocalCA:
    """A throw-away CA: ``ca_file`` holds its certificate (PEM); ``server_context``
    serves a certificate it issued for 127.0.0.1 and localhost."""

    ca_file: Path
    server_context: ssl.SSLContext


def make_ca(folder: Path) -> LocalCA:
    """A new CA whose certificate is written to ``folder / "ca.pem"``."""
    ca = trustme.CA()
    issued = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    issued.configure_cert(context)
    ca_file = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return LocalCA(ca_file=ca_file, server_context=context)
