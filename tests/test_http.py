"""The shared HTTP layer (oewg_cal._http): proxies and CA certificates from the environment,
and how text from outside is shown in messages.

Every request goes to real servers on 127.0.0.1 (tests/local_http.py): an origin server,
a forward proxy that records what it forwarded, TLS with a CA made for the test.
"""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from local_http import ForwardProxy, LocalCA, Origin, forward_proxy, make_ca, origin
from oewg_cal._http import printable, redact_url, shown, shown_url, url_problem
from oewg_cal.errors import FetchError
from oewg_cal.fetch import FetchLimits, fetch

SECRET = "Pl4nted-Pr0xy-S3cret"
QUICK = FetchLimits(connect_timeout=5, read_timeout=5)


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    with forward_proxy() as running:
        yield running


@pytest.fixture
def plain() -> Iterator[Origin]:
    with origin() as running:
        yield running


@pytest.fixture
def ca(tmp_path: Path) -> LocalCA:
    return make_ca(tmp_path)


@pytest.fixture
def tls(ca: LocalCA) -> Iterator[Origin]:
    with origin(ca.server_context) as running:
        yield running


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        assert isinstance(port, int)
        return port


# --------------------------------------------------------------------------- proxies


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
def test_http_goes_through_the_proxy_of_the_environment(
    proxy: ForwardProxy, plain: Origin, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, proxy.url)
    url = plain.url("/programme.html?lang=en")
    assert fetch(url, limits=QUICK).content == b"origin body"
    # The proxy was asked for the absolute URL, and forwarded it to the origin.
    assert proxy.requests() == [("GET", url)]
    assert [(s.method, s.target) for s in plain.seen] == [("GET", "/programme.html?lang=en")]


@pytest.mark.parametrize(
    ("no_proxy", "host", "through_proxy"),
    [
        ("127.0.0.1", "127.0.0.1", False),
        ("localhost", "localhost", False),
        ("example.org,127.0.0.1", "127.0.0.1", False),
        ("*", "127.0.0.1", False),
        ("example.org", "127.0.0.1", True),
        ("127.0.0.1", "localhost", True),
    ],
)
def test_no_proxy_hosts_are_reached_directly(
    proxy: ForwardProxy,
    plain: Origin,
    monkeypatch: pytest.MonkeyPatch,
    no_proxy: str,
    host: str,
    through_proxy: bool,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", no_proxy)
    url = plain.url("/doc", host=host)
    assert fetch(url, limits=QUICK).content == b"origin body"
    assert proxy.requests() == ([("GET", url)] if through_proxy else [])
    assert len(plain.seen) == 1


def test_https_proxy_is_not_used_for_http(
    proxy: ForwardProxy, plain: Origin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    assert fetch(plain.url("/doc"), limits=QUICK).content == b"origin body"
    assert proxy.requests() == []


def test_https_goes_through_a_connect_tunnel(
    proxy: ForwardProxy, tls: Origin, ca: LocalCA, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(ca.ca_file))
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    tls.answer = lambda h: h.reply(200, b"over TLS", {"ETag": '"t"'})
    result = fetch(tls.url("/doc"), limits=QUICK)
    assert (result.content, result.etag) == (b"over TLS", '"t"')
    assert proxy.requests() == [("CONNECT", f"127.0.0.1:{tls.port}")]
    assert [(s.method, s.target) for s in tls.seen] == [("GET", "/doc")]


def test_https_to_a_no_proxy_host_is_direct(
    proxy: ForwardProxy, tls: Origin, ca: LocalCA, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(ca.ca_file))
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert fetch(tls.url("/doc"), limits=QUICK).content == b"origin body"
    assert proxy.requests() == []
    assert len(tls.seen) == 1


def test_proxy_credentials_are_sent_and_never_shown(
    plain: Origin, tls: Origin, ca: LocalCA, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(ca.ca_file))
    # base64 of "agent:Pl4nted-Pr0xy-S3cret", worked out by hand.
    wanted = "Basic " + base64.b64encode(f"agent:{SECRET}".encode()).decode()
    assert wanted == "Basic YWdlbnQ6UGw0bnRlZC1QcjB4eS1TM2NyZXQ="
    with forward_proxy(proxy_authorization=wanted) as proxy:
        address = proxy.url.removeprefix("http://")
        monkeypatch.setenv("HTTP_PROXY", f"http://agent:{SECRET}@{address}")
        monkeypatch.setenv("HTTPS_PROXY", f"http://agent:{SECRET}@{address}")
        assert fetch(plain.url("/doc"), limits=QUICK).content == b"origin body"
        assert fetch(tls.url("/doc"), limits=QUICK).content == b"origin body"
        assert [s.headers["proxy-authorization"] for s in proxy.seen] == [wanted, wanted]

        # A proxy that refuses these credentials: the error names no secret.
        proxy.proxy_authorization = "Basic something-else"
        with pytest.raises(FetchError) as plain_error:
            fetch(plain.url("/doc"), limits=QUICK)
        assert str(plain_error.value) == (
            f"{plain.url('/doc')}: HTTP 407 Proxy Authentication Required (expected 200 OK)"
        )
        with pytest.raises(FetchError) as tls_error:
            fetch(tls.url("/doc"), limits=QUICK)
        message = str(tls_error.value)
        assert message == (
            f"{tls.url('/doc')}: could not connect to 127.0.0.1:{tls.port} through the proxy: "
            "407 Proxy Authentication Required"
        )
        for text in (str(plain_error.value), message):
            assert SECRET not in text and "agent" not in text


def test_proxy_that_is_down(plain: Origin, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{_closed_port()}")
    url = plain.url("/doc")
    with pytest.raises(FetchError, match=r"could not connect to 127\.0\.0\.1:\d+") as err:
        fetch(url, limits=QUICK)
    assert str(err.value).startswith(f"{url}: ")
    assert plain.seen == []


# --------------------------------------------------------------------------- CA certificates


def test_ssl_cert_file_is_trusted(
    tls: Origin, ca: LocalCA, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(ca.ca_file))
    assert fetch(tls.url("/doc"), limits=QUICK).content == b"origin body"


def test_certificate_of_another_ca_is_refused(
    tls: Origin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setenv("SSL_CERT_FILE", str(make_ca(other).ca_file))
    url = tls.url("/doc")
    with pytest.raises(FetchError, match="certificate verify failed") as err:
        fetch(url, limits=QUICK)
    assert str(err.value).startswith(f"{url}: could not connect to 127.0.0.1:{tls.port}: ")
    assert tls.seen == []


# --------------------------------------------------------------------------- showing text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("webcal://mission:S3cr3t@dav.example/cal/", "webcal://***@dav.example/cal/"),
        ("https://mission@dav.example/", "https://***@dav.example/"),
        ("https://u:p@ss@dav.example/x", "https://***@dav.example/x"),
        ("//u:p@host/", "//***@host/"),
        ("https://dav.example/dav/calendars/me@example.org/", None),
        ("https://dav.example/?next=a@b", None),
        ("not a URL", None),
        ("http://[::1/x", None),
    ],
)
def test_redact_url(url: str, expected: str | None) -> None:
    assert redact_url(url) == (url if expected is None else expected)


def test_shown_quotes_escapes_and_cuts() -> None:
    assert shown("Not Found") == '"Not Found"'
    assert shown('a "quoted"\\ word') == '"a \\"quoted\\"\\\\ word"'
    assert shown("line one\r\nline two\x1b[2J") == '"line one\\r\\nline two\\x1b[2J"'
    assert shown(b"caf\xc3\xa9 \xff") == '"café \\xff"'
    assert shown("x" * 150) == '"' + "x" * 100 + '…"'
    # An escape is never cut in half.
    assert shown("a" * 99 + "\n") == '"' + "a" * 99 + '…"'
    assert printable("one\u2028two\x85") == "one\\u2028two\\x85"


def test_shown_url() -> None:
    assert shown_url("https://h.example/a b/é\r\n") == "https://h.example/a%20b/%C3%A9%0D%0A"
    assert shown_url("https://u:pw@h.example/") == "https://***@h.example/"
    assert shown_url('https://h.example/"quoted"\\') == "https://h.example/%22quoted%22%5C"
    assert shown_url("http://h/" + "z" * 200) == "http://h/" + "z" * 91 + "…"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://dav.example.org/cal/", None),
        ("http://127.0.0.1:8080/", None),
        ("http://[::1]:8080/x", None),
        ("http://xn--caf-dma.example/", None),
        ("http://café.example/", None),
        ("http://under_score.intranet./", None),
        ("ftp://h.example/", 'scheme "ftp"'),
        ("h.example/x", "no scheme"),
        ("http:///x", "no host name"),
        ("http://h.example:99999/", "a port that is not a number from 0 to 65535"),
        ("http://h.example:port/", "a port that is not a number from 0 to 65535"),
        ("http://[::1/x", "a malformed host (an unclosed or invalid [IPv6] address)"),
        ("http://a..example/", 'an empty label in its host name "a..example"'),
        (
            "http://" + "a" * 64 + ".example/",
            'a host name label of 64 characters (at most 63): "' + "a" * 64 + '.example"',
        ),
        ("http://a b.example/", 'a character not allowed in a host name: "a b.example"'),
        ("http://a%20b.example/", 'a character not allowed in a host name: "a%20b.example"'),
        ("http://-a.example/", 'a character not allowed in a host name: "-a.example"'),
        ("http://" + ".".join(["a" * 63] * 4) + "/", "a host name longer than 253 characters"),
    ],
)
def test_url_problem(url: str, problem: str | None) -> None:
    assert url_problem(url) == problem


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HTTP_PROXY", f"ftp://agent:{SECRET}@127.0.0.1:21"),
        ("HTTP_PROXY", "socks5://127.0.0.1:1080"),
        ("ALL_PROXY", f"http://agent:{SECRET}@127.0.0.1:notaport"),
        ("NO_PROXY", "[::1"),
    ],
)
def test_unusable_proxy_settings_are_a_clear_error(
    plain: Origin, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    url = plain.url("/doc")
    with pytest.raises(FetchError) as err:
        fetch(url, limits=QUICK)
    message = str(err.value)
    assert message.startswith(f"{url}: cannot use the proxy settings of the environment (")
    assert message.endswith(
        "; expected http(s) proxy URLs in HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and host names "
        "in NO_PROXY)"
    )
    assert SECRET not in message
    assert plain.seen == []
