"""Tests of oewg_cal.fetch against a real HTTP server on 127.0.0.1 (no mocked network)."""

from __future__ import annotations

import datetime
import json
import logging
import pathlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import attrs
import pytest

from local_http import make_ca
from oewg_cal.errors import FetchError
from oewg_cal.fetch import Fetched, FetchLimits, fetch, read_file

Route = Callable[["_Handler"], None]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = self.server.routes.get(path)
        try:
            if route is None:
                self.reply(404, b"no such page", reason="Not Found")
            else:
                route(self)
        except OSError:  # the client gave up (as the tests often want it to)
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass

    def reply(
        self,
        status: int,
        body: bytes = b"",
        *,
        headers: dict[str, str] | None = None,
        reason: str | None = None,
    ) -> None:
        self.send_response(status, reason)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def pause(self, seconds: float) -> None:
        """Sleep, but wake up when the test is over."""
        self.server.stopping.wait(seconds)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stopping = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up without reading an error's body is no failure

    def headers_of(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield srv
    finally:
        srv.stopping.set()
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def _route(server: _Server, path: str) -> Callable[[Route], Route]:
    def register(handler: Route) -> Route:
        server.routes[path] = handler
        return handler

    return register


def _cache_files(cache_dir: pathlib.Path) -> list[pathlib.Path]:
    return sorted(p for p in cache_dir.iterdir() if not p.name.startswith("."))


# --------------------------------------------------------------------------- success and cache


def test_etag_then_304_comes_from_the_cache(server: _Server, tmp_path: pathlib.Path) -> None:
    @_route(server, "/programme.html")
    def _(h: _Handler) -> None:
        if h.headers.get("If-None-Match") == '"v1"':
            h.reply(304, headers={"ETag": '"v1"'})
        else:
            h.reply(200, b"<p>programme v1</p>", headers={
                "ETag": '"v1"', "Content-Type": "text/html; charset=utf-8"
            })  # fmt: skip

    url = server.url("/programme.html")
    first = fetch(url, cache_dir=tmp_path)
    assert first == Fetched(
        url=url,
        content=b"<p>programme v1</p>",
        not_modified=False,
        etag='"v1"',
        last_modified=None,
        content_type="text/html; charset=utf-8",
    )
    assert "if-none-match" not in server.headers_of("/programme.html")[0]
    assert [p.suffix for p in _cache_files(tmp_path)] == [".body", ".json"]

    second = fetch(url, cache_dir=tmp_path)
    sent = server.headers_of("/programme.html")[1]
    assert sent["if-none-match"] == '"v1"'
    assert "if-modified-since" not in sent
    # The server sent no body at all: the content can only have come from the cache.
    assert second.not_modified is True
    assert second.content == b"<p>programme v1</p>"
    assert second.etag == '"v1"'
    assert second.content_type == "text/html; charset=utf-8"


def test_last_modified_only(server: _Server, tmp_path: pathlib.Path) -> None:
    stamp = "Wed, 01 Apr 2026 08:00:00 GMT"

    @_route(server, "/doc")
    def _(h: _Handler) -> None:
        if h.headers.get("If-Modified-Since") == stamp:
            h.reply(304)
        else:
            h.reply(200, b"text", headers={"Last-Modified": stamp})

    first = fetch(server.url("/doc"), cache_dir=tmp_path)
    assert (first.not_modified, first.etag, first.last_modified) == (False, None, stamp)
    second = fetch(server.url("/doc"), cache_dir=tmp_path)
    sent = server.headers_of("/doc")[1]
    assert sent["if-modified-since"] == stamp
    assert "if-none-match" not in sent
    assert (second.not_modified, second.content, second.last_modified) == (True, b"text", stamp)


def test_changed_document_replaces_the_cached_copy(server: _Server, tmp_path: pathlib.Path) -> None:
    version = {"n": 1}

    @_route(server, "/doc")
    def _(h: _Handler) -> None:
        etag = f'"v{version["n"]}"'
        if h.headers.get("If-None-Match") == etag:
            h.reply(304)
        else:
            h.reply(200, f"version {version['n']}".encode(), headers={"ETag": etag})

    url = server.url("/doc")
    assert fetch(url, cache_dir=tmp_path).content == b"version 1"
    version["n"] = 2
    changed = fetch(url, cache_dir=tmp_path)
    assert (changed.not_modified, changed.content, changed.etag) == (False, b"version 2", '"v2"')
    again = fetch(url, cache_dir=tmp_path)
    assert server.headers_of("/doc")[2]["if-none-match"] == '"v2"'
    assert (again.not_modified, again.content) == (True, b"version 2")


def test_without_cache_dir_nothing_is_conditional(server: _Server) -> None:
    @_route(server, "/doc")
    def _(h: _Handler) -> None:
        h.reply(200, b"x", headers={"ETag": '"a"'})

    for _i in range(2):
        assert fetch(server.url("/doc")).not_modified is False
    assert all("if-none-match" not in h for h in server.headers_of("/doc"))


def test_response_without_validators_is_not_cached(server: _Server, tmp_path: pathlib.Path) -> None:
    server.routes["/doc"] = lambda h: h.reply(200, b"plain")
    assert fetch(server.url("/doc"), cache_dir=tmp_path).content == b"plain"
    assert _cache_files(tmp_path) == []


@pytest.mark.parametrize("damage", ["garbage-json", "wrong-body", "no-body", "bad-types"])
def test_damaged_cache_entry_is_ignored(
    server: _Server, tmp_path: pathlib.Path, damage: str
) -> None:
    @_route(server, "/doc")
    def _(h: _Handler) -> None:
        if h.headers.get("If-None-Match") == '"v1"':
            h.reply(304)
        else:
            h.reply(200, b"fresh body", headers={"ETag": '"v1"'})

    url = server.url("/doc")
    fetch(url, cache_dir=tmp_path)
    body_file, meta_file = _cache_files(tmp_path)
    if damage == "garbage-json":
        meta_file.write_bytes(b"{not json")
    elif damage == "wrong-body":
        body_file.write_bytes(b"tampered!!")
    elif damage == "no-body":
        body_file.unlink()
    else:
        meta = json.loads(meta_file.read_text())
        meta["etag"] = 42
        meta_file.write_text(json.dumps(meta))

    result = fetch(url, cache_dir=tmp_path)
    assert "if-none-match" not in server.headers_of("/doc")[1]
    assert (result.not_modified, result.content) == (False, b"fresh body")
    # The refetch repaired the entry.
    assert fetch(url, cache_dir=tmp_path).not_modified is True


def test_unusable_cache_dir_only_loses_the_cache(
    server: _Server, tmp_path: pathlib.Path, caplog: pytest.LogCaptureFixture
) -> None:
    server.routes["/doc"] = lambda h: h.reply(200, b"body", headers={"ETag": '"e"'})
    not_a_dir = tmp_path / "file"
    not_a_dir.write_bytes(b"")
    with caplog.at_level(logging.WARNING, logger="oewg_cal.fetch"):
        assert fetch(server.url("/doc"), cache_dir=not_a_dir).content == b"body"
    assert "could not update the cache" in caplog.text


def test_304_to_an_unconditional_request_is_an_error(server: _Server) -> None:
    server.routes["/doc"] = lambda h: h.reply(304)
    url = server.url("/doc")
    with pytest.raises(FetchError, match=r"304 Not Modified to a request that was not") as err:
        fetch(url)
    assert str(err.value).startswith(url + ": ")


def test_empty_body(server: _Server) -> None:
    server.routes["/empty"] = lambda h: h.reply(200, b"")
    assert fetch(server.url("/empty")).content == b""


def test_query_string_and_odd_characters_reach_the_server(server: _Server) -> None:
    server.routes["/a b/é"] = lambda h: h.reply(200, b"x")
    server.routes["/a%20b/%C3%A9"] = lambda h: h.reply(200, h.path.encode())
    result = fetch(server.url("/a b/é?lang=en&x=1#frag"))
    assert result.content == b"/a%20b/%C3%A9?lang=en&x=1"


# --------------------------------------------------------------------------- HTTP errors


@pytest.mark.parametrize(("status", "reason"), [(404, "Not Found"), (500, "Internal Server Error")])
def test_http_error_status(server: _Server, status: int, reason: str) -> None:
    server.routes["/doc"] = lambda h: h.reply(status, b"oops", reason=reason)
    url = server.url("/doc")
    with pytest.raises(FetchError) as err:
        fetch(url)
    assert str(err.value) == f"{url}: HTTP {status} {reason} (expected 200 OK)"


def test_connection_refused(tmp_path: pathlib.Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/doc"
    with pytest.raises(FetchError, match=r"could not connect to 127\.0\.0\.1:\d+") as err:
        fetch(url, cache_dir=tmp_path)
    assert str(err.value).startswith(url + ": ")


def test_connection_closed_without_response(server: _Server) -> None:
    def hang_up(h: _Handler) -> None:
        h.close_connection = True

    server.routes["/doc"] = hang_up
    with pytest.raises(FetchError, match="connection failed while waiting for the response"):
        fetch(server.url("/doc"))


# --------------------------------------------------------------------------- timeouts


def test_read_timeout_when_the_server_is_silent(server: _Server) -> None:
    def slow(h: _Handler) -> None:
        h.pause(5)
        h.reply(200, b"too late")

    server.routes["/slow"] = slow
    url = server.url("/slow")
    start = time.monotonic()
    with pytest.raises(FetchError) as err:
        fetch(url, limits=FetchLimits(read_timeout=0.5))
    elapsed = time.monotonic() - start
    assert str(err.value) == (
        f"{url}: no data for 0.5 s while waiting for the response (limit read_timeout)"
    )
    assert 0.4 < elapsed < 2.0


def test_read_timeout_in_the_middle_of_the_body(server: _Server) -> None:
    def stall(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "100")
        h.end_headers()
        h.wfile.write(b"x" * 10)
        h.wfile.flush()
        h.pause(5)

    server.routes["/stall"] = stall
    with pytest.raises(FetchError, match=r"no data for 0\.5 s while reading the body"):
        fetch(server.url("/stall"), limits=FetchLimits(read_timeout=0.5))


def test_overall_deadline_on_a_trickling_body(server: _Server) -> None:
    def trickle(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "1000")
        h.end_headers()
        for _i in range(1000):
            h.wfile.write(b"x")
            h.wfile.flush()
            h.pause(0.1)
            if h.server.stopping.is_set():
                return

    server.routes["/trickle"] = trickle
    limits = FetchLimits(connect_timeout=0.25, read_timeout=0.5)
    assert limits.deadline == pytest.approx(2.25)
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"gave up after 2\.25 s in all") as err:
        fetch(server.url("/trickle"), limits=limits)
    assert 2.0 < time.monotonic() - start < 4.0
    assert "connect_timeout + 4 * read_timeout" in str(err.value)


def test_overall_deadline_on_trickling_headers(server: _Server) -> None:
    def trickle(h: _Handler) -> None:
        h.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        for _i in range(1000):
            h.wfile.write(b"y")
            h.wfile.flush()
            h.pause(0.1)
            if h.server.stopping.is_set():
                return

    server.routes["/trickle"] = trickle
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"gave up after 2\.25 s in all"):
        fetch(server.url("/trickle"), limits=FetchLimits(connect_timeout=0.25, read_timeout=0.5))
    assert 2.0 < time.monotonic() - start < 4.0


# --------------------------------------------------------------------------- truncation and size


def test_truncated_body(server: _Server) -> None:
    def truncated(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "1000")
        h.end_headers()
        h.wfile.write(b"x" * 10)
        h.close_connection = True

    server.routes["/doc"] = truncated
    url = server.url("/doc")
    with pytest.raises(FetchError) as err:
        fetch(url)
    assert str(err.value) == (
        f"{url}: body truncated: received 10 of the 1000 bytes announced by "
        "Content-Length before the connection closed"
    )


def _send_chunked(h: _Handler, chunks: list[bytes], *, finish: bool = True) -> None:
    h.send_response(200)
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    for chunk in chunks:
        h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    if finish:
        h.wfile.write(b"0\r\n\r\n")
    h.close_connection = True


def test_chunked_body(server: _Server) -> None:
    server.routes["/doc"] = lambda h: _send_chunked(h, [b"abc", b"def" * 100])
    assert fetch(server.url("/doc")).content == b"abc" + b"def" * 100


def test_truncated_chunked_body(server: _Server) -> None:
    def cut(h: _Handler) -> None:
        _send_chunked(h, [b"abc"], finish=False)
        h.wfile.write(b"100\r\nonly a little")

    server.routes["/doc"] = cut
    with pytest.raises(FetchError, match=r"body truncated: the connection closed in the middle"):
        fetch(server.url("/doc"))


def test_oversized_body_refused_from_content_length(server: _Server) -> None:
    def big(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "5000")
        h.end_headers()
        h.wfile.flush()
        h.pause(3)  # the client must not wait for the body to refuse it
        h.wfile.write(b"x" * 5000)

    server.routes["/big"] = big
    url = server.url("/big")
    start = time.monotonic()
    with pytest.raises(FetchError) as err:
        fetch(url, limits=FetchLimits(max_bytes=1000))
    assert time.monotonic() - start < 1.5
    assert str(err.value) == (
        f"{url}: body larger than 1000 bytes (limit max_bytes): Content-Length is 5000"
    )


def test_oversized_body_without_content_length(server: _Server) -> None:
    def big(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Connection", "close")
        h.end_headers()
        for _i in range(50):
            h.wfile.write(b"x" * 1000)
        h.close_connection = True

    server.routes["/big"] = big
    url = server.url("/big")
    with pytest.raises(FetchError) as err:
        fetch(url, limits=FetchLimits(max_bytes=1000))
    assert str(err.value) == f"{url}: body larger than 1000 bytes (limit max_bytes)"


def test_oversized_chunked_body(server: _Server) -> None:
    server.routes["/big"] = lambda h: _send_chunked(h, [b"x" * 600, b"y" * 600])
    with pytest.raises(FetchError, match=r"body larger than 1000 bytes \(limit max_bytes\)$"):
        fetch(server.url("/big"), limits=FetchLimits(max_bytes=1000))


def test_body_of_exactly_max_bytes_is_accepted(server: _Server) -> None:
    server.routes["/cl"] = lambda h: h.reply(200, b"x" * 1000)
    server.routes["/chunked"] = lambda h: _send_chunked(h, [b"x" * 400, b"x" * 600])
    limits = FetchLimits(max_bytes=1000)
    assert len(fetch(server.url("/cl"), limits=limits).content) == 1000
    assert len(fetch(server.url("/chunked"), limits=limits).content) == 1000


# --------------------------------------------------------------------------- redirects


def _redirect(location: str, status: int = 302) -> Route:
    return lambda h: h.reply(status, headers={"Location": location})


def test_redirect_chain_within_limit(server: _Server) -> None:
    server.routes["/r1"] = _redirect(server.url("/r2"), 301)
    server.routes["/r2"] = _redirect("/r3", 307)  # relative
    server.routes["/r3"] = _redirect("final?x=1", 308)  # relative to the path
    server.routes["/final"] = lambda h: h.reply(200, b"arrived", headers={"ETag": '"f"'})
    result = fetch(server.url("/r1"), limits=FetchLimits(max_redirects=3))
    assert result.url == server.url("/final?x=1")
    assert result.content == b"arrived"
    assert [p for p, _h in server.requests] == ["/r1", "/r2", "/r3", "/final?x=1"]


def test_too_many_redirects(server: _Server) -> None:
    for i in range(5):
        server.routes[f"/r{i}"] = _redirect(f"/r{i + 1}")
    server.routes["/r5"] = lambda h: h.reply(200, b"never")
    url = server.url("/r0")
    with pytest.raises(FetchError) as err:
        fetch(url, limits=FetchLimits(max_redirects=2))
    assert str(err.value).startswith(f"{url}: more than 2 redirects (limit max_redirects): ")
    assert len(server.requests) == 3
    with pytest.raises(FetchError, match="more than 0 redirects"):
        fetch(url, limits=FetchLimits(max_redirects=0))


def test_redirect_loop(server: _Server) -> None:
    server.routes["/a"] = _redirect("/b")
    server.routes["/b"] = _redirect("/a")
    url = server.url("/a")
    with pytest.raises(FetchError) as err:
        fetch(url, limits=FetchLimits(max_redirects=50))
    b = server.url("/b")
    assert str(err.value) == (
        f"{url}: redirect loop {url} -> {b} -> {url} (expected redirects that end at a document)"
    )
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "ftp://127.0.0.1/doc", "javascript:alert(1)"]
)
def test_redirect_to_a_non_http_scheme(server: _Server, location: str) -> None:
    server.routes["/doc"] = _redirect(location)
    url = server.url("/doc")
    with pytest.raises(FetchError) as err:
        fetch(url)
    message = str(err.value)
    assert message.startswith(f"{url}: redirected to {location}, which has scheme")
    assert message.endswith("expected an http(s) URL")


def test_redirect_without_location(server: _Server) -> None:
    server.routes["/doc"] = lambda h: h.reply(302)
    with pytest.raises(FetchError, match="without a Location header"):
        fetch(server.url("/doc"))


def test_conditional_request_goes_to_the_redirect_target(
    server: _Server, tmp_path: pathlib.Path
) -> None:
    server.routes["/old"] = _redirect("/new", 301)

    @_route(server, "/new")
    def _(h: _Handler) -> None:
        if h.headers.get("If-None-Match") == '"n"':
            h.reply(304)
        else:
            h.reply(200, b"moved", headers={"ETag": '"n"'})

    url = server.url("/old")
    assert fetch(url, cache_dir=tmp_path).not_modified is False
    second = fetch(url, cache_dir=tmp_path)
    assert (second.not_modified, second.content, second.url) == (True, b"moved", server.url("/new"))
    assert all("if-none-match" not in h for h in server.headers_of("/old"))
    assert server.headers_of("/new")[1]["if-none-match"] == '"n"'


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1/programme.txt",
        "data:text/plain,hello",
        "127.0.0.1/programme.txt",
        "",
    ],
)
def test_non_http_url_is_refused(url: str) -> None:
    with pytest.raises(FetchError) as err:
        fetch(url)
    assert str(err.value).startswith(f"{url}: the URL has ")
    assert str(err.value).endswith("; expected an http(s) URL")


@pytest.mark.parametrize("url", ["http:///path", "http://127.0.0.1:99999/x", "https://h:port/"])
def test_http_url_without_usable_host_or_port(url: str) -> None:
    with pytest.raises(FetchError, match=r"expected an http\(s\) URL$") as err:
        fetch(url)
    assert str(err.value).startswith(f"{url}: ")


def test_limits_are_validated() -> None:
    with pytest.raises(ValueError, match="read_timeout"):
        FetchLimits(read_timeout=0)
    with pytest.raises(ValueError, match="max_bytes"):
        FetchLimits(max_bytes=-1)
    assert attrs.evolve(FetchLimits(), max_redirects=0).max_redirects == 0


# --------------------------------------------------------------------------- HTTPS


@pytest.fixture
def https_server(tmp_path: pathlib.Path) -> Iterator[_Server]:
    """A TLS server whose certificate comes from a CA that nothing trusts."""
    srv = _Server()
    srv.socket = make_ca(tmp_path).server_context.wrap_socket(srv.socket, server_side=True)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield srv
    finally:
        srv.stopping.set()
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def test_https_certificate_is_verified(https_server: _Server) -> None:
    https_server.routes["/doc"] = lambda h: h.reply(200, b"secret")
    url = f"https://127.0.0.1:{https_server.server_address[1]}/doc"
    with pytest.raises(FetchError, match="certificate verify failed") as err:
        fetch(url, limits=FetchLimits(connect_timeout=5, read_timeout=5))
    assert str(err.value).startswith(f"{url}: could not connect to 127.0.0.1:")
    assert https_server.requests == []


def test_redirect_from_http_to_https_is_followed(server: _Server, https_server: _Server) -> None:
    target = f"https://127.0.0.1:{https_server.server_address[1]}/doc"
    server.routes["/doc"] = _redirect(target)
    # Followed (the scheme is allowed), then refused by certificate verification.
    with pytest.raises(FetchError, match=r"\(redirected to https://.*certificate verify failed"):
        fetch(server.url("/doc"), limits=FetchLimits(connect_timeout=5, read_timeout=5))


# --------------------------------------------------------------------------- malformed URLs


@pytest.mark.parametrize(
    ("location", "shown_as", "problem"),
    [
        (
            "http://[::1/x",
            "http://[::1/x",
            "a malformed host (an unclosed or invalid [IPv6] address)",
        ),
        (
            "http://" + "a" * 64 + ".example/x",
            "http://" + "a" * 64 + ".example/x",
            'a host name label of 64 characters (at most 63): "' + "a" * 64 + '.example"',
        ),
        (
            "http://a b.example/x",
            "http://a%20b.example/x",
            'a character not allowed in a host name: "a b.example"',
        ),
    ],
)
def test_redirect_to_a_malformed_url(
    server: _Server, location: str, shown_as: str, problem: str
) -> None:
    server.routes["/doc"] = _redirect(location)
    url = server.url("/doc")
    with pytest.raises(FetchError) as err:
        fetch(url)
    assert str(err.value) == (
        f"{url}: redirected to {shown_as}, which has {problem}; expected an http(s) URL"
    )
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("url", "shown_as", "problem"),
    [
        ("http://[::1/x", "http://[::1/x", "a malformed host"),
        ("http://" + "b" * 64 + ".example/", "http://" + "b" * 64 + ".example/", "label of 64"),
        ("https://a b.example/", "https://a%20b.example/", "a character not allowed"),
    ],
)
def test_malformed_url_is_refused_before_connecting(url: str, shown_as: str, problem: str) -> None:
    with pytest.raises(FetchError) as err:
        fetch(url)
    message = str(err.value)
    assert message.startswith(f"{shown_as}: the URL has ")
    assert problem in message
    assert message.endswith("; expected an http(s) URL")


def test_userinfo_is_neither_sent_nor_shown(server: _Server) -> None:
    url = server.url("/missing").replace("http://", "http://mission:Pl4nted-S3cret@")
    with pytest.raises(FetchError) as err:
        fetch(url)
    bare = server.url("/missing").removeprefix("http://")
    assert str(err.value) == f"http://***@{bare}: HTTP 404 Not Found (expected 200 OK)"
    assert "authorization" not in server.headers_of("/missing")[0]


# --------------------------------------------------------------------------- the server's words


def _raw(data: bytes) -> Route:
    def answer(h: _Handler) -> None:
        h.wfile.write(data)
        h.close_connection = True

    return answer


def test_reason_phrase_of_the_server_is_never_repeated(server: _Server) -> None:
    server.routes["/doc"] = _raw(
        b"HTTP/1.1 404 Gone\x1b[2J" + b"y" * 300 + b"\r\nContent-Length: 0\r\n\r\n"
    )
    url = server.url("/doc")
    with pytest.raises(FetchError) as err:
        fetch(url)
    assert str(err.value) == f"{url}: HTTP 404 Not Found (expected 200 OK)"


@pytest.mark.parametrize(
    ("status", "expected"), [(599, "HTTP 599"), (299, "unexpected HTTP 299"), (418, "HTTP 418")]
)
def test_status_without_or_with_a_standard_phrase(
    server: _Server, status: int, expected: str
) -> None:
    server.routes["/doc"] = lambda h: h.reply(status, b"", reason="Whatever The Server Says")
    url = server.url("/doc")
    with pytest.raises(FetchError) as err:
        fetch(url)
    phrase = {418: " I'm a Teapot"}.get(status, "")
    assert str(err.value) == f"{url}: {expected}{phrase} (expected 200 OK)"


def test_location_of_the_server_is_escaped_and_cut(server: _Server) -> None:
    server.routes["/doc"] = _redirect("gopher://e.example/\x1b[2J" + "z" * 300)
    url = server.url("/doc")
    with pytest.raises(FetchError) as err:
        fetch(url)
    # 100 characters of the URL, the escape character percent-encoded, then a mark.
    assert str(err.value) == (
        f"{url}: redirected to gopher://e.example/%1B[2J{'z' * 75}…, which has scheme "
        '"gopher"; expected an http(s) URL'
    )


def test_garbage_answer_is_escaped_and_cut(server: _Server) -> None:
    server.routes["/doc"] = _raw(b"\x00\x01 not HTTP at all\n" + b"q" * 500 + b"\r\n\r\n")
    url = server.url("/doc")
    with pytest.raises(FetchError) as err:
        fetch(url)
    message = str(err.value)
    head = f"{url}: connection failed while waiting for the response: "
    tail = " (expected a complete HTTP response)"
    assert message.startswith(head) and message.endswith(tail)
    detail = message[len(head) : -len(tail)]
    assert len(detail) <= 101
    assert all(character.isprintable() for character in message)
    assert "\\x00\\x01" in detail


# --------------------------------------------------------------------------- local files


def test_local_file_is_read_with_the_byte_limit(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "programme.txt"
    path.write_bytes(b"x" * 1000)
    assert read_file(path, limits=FetchLimits(max_bytes=1000)) == b"x" * 1000
    with pytest.raises(FetchError) as err:
        read_file(path, limits=FetchLimits(max_bytes=999))
    assert str(err.value) == f"{path}: larger than 999 bytes (limit max_bytes)"
    with pytest.raises(FileNotFoundError):
        read_file(tmp_path / "missing.txt")


def test_dev_zero_hits_the_default_limit_of_20_mb() -> None:
    start = time.monotonic()
    with pytest.raises(FetchError) as err:
        read_file(pathlib.Path("/dev/zero"))
    assert str(err.value) == "/dev/zero: larger than 20000000 bytes (limit max_bytes)"
    assert time.monotonic() - start < 5


def test_refresh_with_dev_zero_as_a_source(tmp_path: pathlib.Path) -> None:
    from oewg_cal.refresh import refresh

    config = tmp_path / "feeds.toml"
    config.write_text(
        '[fetch]\nmax_bytes = 1000\n[[feed]]\nname = "Z"\noutput = "z.ics"\nsource = "/dev/zero"\n',
        encoding="utf-8",
    )
    result = refresh(
        config, now=lambda: datetime.datetime(2023, 3, 5, tzinfo=datetime.timezone.utc)
    )
    assert [f.error for f in result.feeds] == [
        "/dev/zero: larger than 1000 bytes (limit max_bytes)"
    ]
    assert not (tmp_path / "z.ics").exists()
