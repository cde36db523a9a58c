"""CalDAV publishing against a real Radicale on 127.0.0.1 with authentication on."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import subprocess
import sys
import time
import traceback
import urllib.parse
import uuid
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

from local_http import OriginHandler, forward_proxy, origin
from oewg_cal import feed_of
from oewg_cal.caldav import Credentials, credentials_for, publish_caldav
from oewg_cal.errors import CaldavError, PublishError
from oewg_cal.ical.feed import Feed
from oewg_cal.readers import read_programme

from .parsers import sort_key
from .radicale_server import RadicaleServer, mkcalendar, report_events
from .test_our_feeds import expected_events

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "oewg-ict-4th-session.txt"


def _collection(server: RadicaleServer) -> tuple[str, str]:
    """A new calendar: (URL with credentials for the test's own requests, plain URL)."""
    with_credentials = server.collection_url(f"cal-{uuid.uuid4().hex[:8]}")
    mkcalendar(with_credentials)
    parts = urllib.parse.urlsplit(with_credentials)
    plain = parts._replace(netloc=f"{parts.hostname}:{parts.port}").geturl()
    return with_credentials, plain


def _stored(url: str) -> list[bytes]:
    return report_events(
        url,
        dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc),
        dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc),
        expand=False,
    )


def _feed() -> Feed:
    return feed_of(read_programme(SEED.read_bytes(), source=SEED.name))


def test_publish_is_complete_and_idempotent(radicale: RadicaleServer) -> None:
    auth_url, url = _collection(radicale)
    login = Credentials(radicale.username, radicale.password)
    first = publish_caldav(_feed(), url, login)
    assert len(first.added) == 10 and not first.updated and not first.removed
    assert len(_stored(auth_url)) == 10
    second = publish_caldav(_feed(), url, login)
    assert not second.changed_anything and len(second.unchanged) == 10


def test_changes_reach_the_server(radicale: RadicaleServer) -> None:
    auth_url, url = _collection(radicale)
    login = Credentials(radicale.username, radicale.password)
    feed = _feed()
    publish_caldav(feed, url, login)
    moved = feed.events[1]
    later = attrs.evolve(moved.meeting, start=dt.time(16), end=dt.time(18))
    programme = attrs.evolve(
        feed.programmes[0],
        meetings=[
            later if m == moved.meeting else m
            for m in feed.programmes[0].meetings
            if m != feed.events[9].meeting
        ],
    )
    events = []
    for event in feed.events:
        if event is moved:
            events.append(
                attrs.evolve(
                    event,
                    meeting=later,
                    sequence=1,
                    stamp=dt.datetime(2023, 3, 5, tzinfo=dt.timezone.utc),
                )
            )
        elif event is feed.events[9]:
            continue
        else:
            events.append(event)
    changed = Feed(programmes=(programme,), events=events, options=feed.options)
    report = publish_caldav(changed, url, login)
    assert report.updated == (moved.uid,)
    assert report.removed == (feed.events[9].uid,)
    seen = sorted(read_with_radicale_collection(auth_url), key=sort_key)
    assert [e.uid for e in seen] == [e.uid for e in expected_events(changed)]


def read_with_radicale_collection(auth_url: str) -> list[object]:
    import icalendar

    from .parsers import icalendar_seen_event

    return [
        icalendar_seen_event(e)
        for data in _stored(auth_url)
        for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
    ]


def test_wrong_password_is_a_clear_error(radicale: RadicaleServer) -> None:
    _, url = _collection(radicale)
    with pytest.raises(PublishError, match=r"401.*credentials"):
        publish_caldav(_feed(), url, Credentials(radicale.username, "wrong"))


def test_credentials_never_in_the_url(radicale: RadicaleServer) -> None:
    auth_url, _ = _collection(radicale)
    with pytest.raises(PublishError, match="not in the URL"):
        publish_caldav(_feed(), auth_url, None)


def test_credentials_from_environment_or_netrc(tmp_path: Path) -> None:
    env = {"OEWG_CAL_CALDAV_USERNAME": "mission", "OEWG_CAL_CALDAV_PASSWORD": "s3cret"}
    assert credentials_for("https://dav.example/cal/", environ=env) == Credentials(
        "mission", "s3cret"
    )
    netrc_file = tmp_path / "netrc"
    netrc_file.write_text(
        "machine dav.example login mission password fromnetrc\n", encoding="utf-8"
    )
    netrc_file.chmod(0o600)
    assert credentials_for(
        "https://dav.example/cal/", environ={}, netrc_file=netrc_file
    ) == Credentials("mission", "fromnetrc")
    assert credentials_for("https://other.example/", environ={}, netrc_file=netrc_file) is None
    assert "s3cret" not in repr(Credentials("mission", "s3cret"))


def test_publish_command(radicale: RadicaleServer, tmp_path: Path) -> None:
    auth_url, url = _collection(radicale)
    env = {
        "PATH": "",
        "OEWG_CAL_CALDAV_USERNAME": radicale.username,
        "OEWG_CAL_CALDAV_PASSWORD": radicale.password,
        "HOME": str(tmp_path),
    }
    command = [sys.executable, "-m", "oewg_cal", "publish", str(SEED), "--caldav", url]
    first = subprocess.run(command, capture_output=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    assert b"10 added" in first.stdout
    again = subprocess.run(command, capture_output=True, env=env, timeout=120)
    assert again.returncode == 0 and again.stdout == b""
    assert len(_stored(auth_url)) == 10


def test_refresh_config_publishes_beside_the_file(
    radicale: RadicaleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oewg_cal.refresh import refresh

    auth_url, url = _collection(radicale)
    monkeypatch.setenv("OEWG_CAL_CALDAV_USERNAME", radicale.username)
    monkeypatch.setenv("OEWG_CAL_CALDAV_PASSWORD", radicale.password)
    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    config = tmp_path / "feeds.toml"
    config.write_text(
        f'[[feed]]\nname = "OEWG"\noutput = "oewg.ics"\nsource = "seed.txt"\ncaldav = "{url}"\n',
        encoding="utf-8",
    )

    def clock() -> dt.datetime:
        return dt.datetime(2023, 3, 5, 12, tzinfo=dt.timezone.utc)

    result = refresh(config, now=clock)
    assert result.ok, [f.error for f in result.feeds]
    assert len(_stored(auth_url)) == 10
    assert (tmp_path / "oewg.ics").is_file()


# --------------------------------------------------------------------------- proxies


def test_publish_goes_through_the_proxy_unless_no_proxy(
    radicale: RadicaleServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth_url, url = _collection(radicale)
    login = Credentials(radicale.username, radicale.password)
    with forward_proxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        first = publish_caldav(_feed(), url, login)
        assert len(first.added) == 10
        seen = proxy.requests()
        assert seen[0] == ("REPORT", url)
        assert sorted(method for method, _ in seen[1:]) == ["PUT"] * 10
        assert all(target.startswith(url) for _, target in seen)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        second = publish_caldav(_feed(), url, login)
        assert len(second.unchanged) == 10
        assert len(proxy.seen) == 11
    assert len(_stored(auth_url)) == 10


# --------------------------------------------------------------------------- bad servers

SECRET = "Pl4nted-C4ldav-S3cret"
LOGIN = Credentials("mission", SECRET)
# base64 of "mission:Pl4nted-C4ldav-S3cret", worked out independently of the code.
BASIC = "Basic bWlzc2lvbjpQbDRudGVkLUM0bGRhdi1TM2NyZXQ="

_MULTISTATUS = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">{}</D:multistatus>'
)


def _response(href: str, data: str, etag: str = '"1"') -> str:
    return (
        f"<D:response><D:href>{href}</D:href><D:propstat><D:prop>"
        f"<D:getetag>{etag}</D:getetag><C:calendar-data>{data}</C:calendar-data>"
        "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
    )


def _event(uid: str, extra: str = "") -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20230304T000000Z\r\nDTSTART:20230306T150000Z\r\n{extra}"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


# icalendar raises a TypeError, not a ValueError, on this one.
_BROKEN_ZONE = (
    "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Test/Nowhere\r\nBEGIN:STANDARD\r\n"
    "DTSTART:19701101T020000\r\nRRULE:BYMONTH=11\r\nTZOFFSETFROM:-0400\r\n"
    "TZOFFSETTO:-0500\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:x\r\n"
    "DTSTART;TZID=Test/Nowhere:20230306T150000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _endless(h: OriginHandler) -> None:
    h.send_response(207)
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    chunk = b"<x>" * 3000
    while not h.server.stopping.is_set():
        h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))


def _huge(h: OriginHandler) -> None:
    h.send_response(207)
    h.send_header("Content-Length", "10000000000")
    h.end_headers()
    h.pause(3)  # the client must refuse the body without waiting for it


def _trickle(h: OriginHandler) -> None:
    h.send_response(207)
    h.send_header("Content-Length", "100000")
    h.end_headers()
    while not h.server.stopping.is_set():
        h.wfile.write(b" ")
        h.wfile.flush()
        h.pause(0.05)


def _answer(status: int, body: str | bytes, headers: dict[str, str] | None = None) -> Answer:
    data = body.encode() if isinstance(body, str) else body
    return lambda h: h.reply(status, data, headers)


Answer = Callable[[OriginHandler], None]

REPORT = "127.0.0.1: REPORT /cal/"
_BAD_ANSWERS: dict[str, tuple[Answer, str]] = {
    "endless body": (_endless, REPORT + ": body larger than 100000 bytes (limit max_bytes)"),
    "huge Content-Length": (
        _huge,
        REPORT + ": body larger than 100000 bytes (limit max_bytes): Content-Length is 10000000000",
    ),
    "trickling body": (
        _trickle,
        REPORT + ": gave up after 1.25 s in all (limit connect_timeout + 4 * read_timeout)",
    ),
    "not HTTP": (
        lambda h: h.raw(b"garbage\r\n\r\n"),
        REPORT + ": connection failed while waiting for the response: illegal status line: "
        "bytearray(b'garbage') (expected a complete HTTP response)",
    ),
    "wrong password": (
        _answer(401, "no"),
        REPORT + " answered HTTP 401 Unauthorized (check the credentials), expected 207",
    ),
    "not XML": (
        _answer(207, "<D:multistatus xmlns:D='DAV:'"),
        REPORT + " answered something that is not XML (unclosed token: line 1, column 0; "
        "expected a multistatus)",
    ),
    "not calendar data": (
        _answer(207, _MULTISTATUS.format(_response("/cal/x.ics", "garbage\r\nmore"))),
        REPORT + ': "/cal/x.ics": the calendar data cannot be read (Content line could not be '
        "parsed into parts: 'garbage': Invalid content line; expected iCalendar data)",
    ),
    "a time zone rule without FREQ": (
        _answer(207, _MULTISTATUS.format(_response("/cal/x.ics", _BROKEN_ZONE))),
        REPORT + ': "/cal/x.ics": the calendar data cannot be read (rrule.__init__() missing '
        "1 required positional argument: 'freq'; expected iCalendar data)",
    ),
    "href that is not a URL": (
        _answer(207, _MULTISTATUS.format(_response("http://[::1/x.ics", _event("x")))),
        '127.0.0.1: the server named a resource "http://[::1/x.ics" that is not a URL',
    ),
    "broken SEQUENCE": (
        _answer(207, _MULTISTATUS.format(_response("/cal/x.ics", _event("x", "SEQUENCE:a\r\n")))),
        REPORT + ': "/cal/x.ics": SEQUENCE "a" is not a whole number',
    ),
    "ETag with a line break": (
        _answer(
            207, _MULTISTATUS.format(_response("/cal/x.ics", _event("x"), '"1"&#13;&#10;X: y'))
        ),
        REPORT + ': the ETag of "/cal/x.ics" is "\\"1\\"\\r\\nX: y" '
        "(expected a quoted entity tag of visible ASCII characters)",
    ),
    "href on another server": (
        _answer(207, _MULTISTATUS.format(_response("http://elsewhere.example/x.ics", _event("x")))),
        "127.0.0.1: the server named a resource on another server "
        "(http://elsewhere.example/x.ics); expected hrefs under http://127.0.0.1:<port>/cal/",
    ),
}


@pytest.mark.parametrize("case", sorted(_BAD_ANSWERS))
def test_bad_answers_are_clear_caldav_errors(case: str) -> None:
    answer, expected = _BAD_ANSWERS[case]
    with origin() as server:
        server.answer = answer
        url = server.url("/cal/")
        start = time.monotonic()
        with pytest.raises(CaldavError) as err:
            publish_caldav(_feed(), url, LOGIN, timeout=0.25, max_bytes=100_000)
        assert time.monotonic() - start < 5
        assert str(err.value) == expected.replace("<port>", str(server.port))
        assert [(s.method, s.target) for s in server.seen] == [("REPORT", "/cal/")]
        assert server.seen[0].headers["authorization"] == BASIC
        assert SECRET not in "".join(traceback.format_exception(err.value))


def test_a_refused_write_names_the_resource() -> None:
    def answer(h: OriginHandler) -> None:
        if h.command == "REPORT":
            h.reply(207, _MULTISTATUS.format("").encode())
        else:
            h.reply(412, b"")

    with origin() as server:
        server.answer = answer
        with pytest.raises(CaldavError) as err:
            publish_caldav(_feed(), server.url("/cal/"), LOGIN, timeout=5)
    first = sorted(e.uid for e in _feed().events)[0]
    assert str(err.value) == (
        f"127.0.0.1: PUT /cal/{urllib.parse.quote(first, safe='')}.ics answered HTTP 412 "
        "Precondition Failed, expected 201 or 204"
    )
    put = server.seen[1]
    assert (put.headers["if-none-match"], put.headers["authorization"]) == ("*", BASIC)


# --------------------------------------------------------------------------- secrets


def _no_secret(*texts: str) -> None:
    for text in texts:
        assert SECRET not in text
        assert "Pl4nted" not in text


def _run_cli(
    argv: list[str], capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> tuple[int, str, str]:
    from oewg_cal.cli import main

    with caplog.at_level(logging.DEBUG):
        code = main(argv)
    out, err = capsys.readouterr()
    _no_secret(out, err, caplog.text)
    return code, out, err


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            f"webcal://mission:{SECRET}@dav.example/cal/",
            'webcal://***@dav.example/cal/: not a CalDAV collection URL: it has scheme "webcal" '
            "(expected http(s)://host/path/)",
        ),
        (
            f"https://mission:{SECRET}@dav.example/cal/",
            "https://***@dav.example/cal/: put credentials in OEWG_CAL_CALDAV_USERNAME/"
            "OEWG_CAL_CALDAV_PASSWORD or a netrc file, not in the URL",
        ),
    ],
)
def test_a_url_with_a_password_is_refused_without_showing_it(
    url: str,
    expected: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(CaldavError) as err:
        credentials_for(url, environ={})
    with pytest.raises(CaldavError) as publishing:
        publish_caldav(_feed(), url, None)
    assert str(err.value) == str(publishing.value) == expected
    code, out, stderr = _run_cli(["publish", str(SEED), "--caldav", url], capsys, caplog)
    assert (code, out, stderr) == (1, "", f"oewg-cal publish: {expected}\n")


def test_a_malformed_url_is_a_caldav_error() -> None:
    with pytest.raises(CaldavError) as err:
        credentials_for("http://[::1/cal/", environ={})
    assert str(err.value) == (
        "http://[::1/cal/: not a CalDAV collection URL: it has a malformed host "
        "(an unclosed or invalid [IPv6] address) (expected http(s)://host/path/)"
    )


@pytest.mark.parametrize(
    ("content", "line"),
    [
        # A password with an unquoted space: Python's netrc quotes the second half.
        (f"machine dav.example login mission password {SECRET} Pl4nted-tail\n", None),
        (f"machine dav.example login {SECRET} Pl4nted-tail password x\n", 1),
        (f"{SECRET} machine dav.example login mission password x\n", 1),
        (f"machine dav.example login mission password {SECRET}\nmacdef\n", None),
    ],
)
def test_a_netrc_syntax_error_names_the_line_but_no_token(
    content: str,
    line: int | None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = tmp_path / "netrc"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CaldavError) as err:
        credentials_for("https://dav.example/cal/", environ={}, netrc_file=path)
    message = str(err.value)
    number = rf"{line}" if line is not None else r"\d+"
    assert re.fullmatch(
        rf"{re.escape(str(path))}:{number}: the netrc file cannot be read \(expected "
        r'"machine HOST login NAME password SECRET"; quote a password with spaces\)',
        message,
    )
    _no_secret(message, "".join(traceback.format_exception(err.value)), repr(err.value))
    code, out, stderr = _run_cli(
        ["publish", str(SEED), "--caldav", "https://dav.example/cal/", "--netrc", str(path)],
        capsys,
        caplog,
    )
    assert (code, out, stderr) == (1, "", f"oewg-cal publish: {message}\n")


def test_a_named_netrc_file_must_exist(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing = tmp_path / "no-such-netrc"
    url = "https://dav.example/cal/"
    with pytest.raises(CaldavError) as err:
        credentials_for(url, environ={}, netrc_file=missing)
    assert str(err.value) == f"{missing}: no such netrc file (named by --netrc)"
    with pytest.raises(CaldavError) as from_env:
        credentials_for(url, environ={"NETRC": str(missing)})
    assert str(from_env.value) == f"{missing}: no such netrc file (named by NETRC)"
    code, out, stderr = _run_cli(
        ["publish", str(SEED), "--caldav", url, "--netrc", str(missing)], capsys, caplog
    )
    assert (code, out) == (1, "")
    assert stderr == f"oewg-cal publish: {missing}: no such netrc file (named by --netrc)\n"
    # ~/.netrc is not named: without it there are simply no credentials.
    monkeypatch.setenv("HOME", str(tmp_path))
    assert credentials_for(url, environ={}) is None


def test_a_netrc_that_cannot_be_read(tmp_path: Path) -> None:
    folder = tmp_path / "netrc"
    folder.mkdir()
    with pytest.raises(CaldavError) as err:
        credentials_for("https://dav.example/cal/", environ={}, netrc_file=folder)
    assert str(err.value) == f"{folder}: cannot read the netrc file (Is a directory)"


def test_a_wrong_password_from_the_environment_is_never_shown(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OEWG_CAL_CALDAV_USERNAME", "mission")
    monkeypatch.setenv("OEWG_CAL_CALDAV_PASSWORD", SECRET)
    with origin() as server:
        server.answer = _answer(401, f"denied for {SECRET}")  # a server that echoes it
        url = server.url("/cal/")
        code, out, stderr = _run_cli(["publish", str(SEED), "--caldav", url], capsys, caplog)
        assert (code, out) == (1, "")
        assert stderr == (
            "oewg-cal publish: 127.0.0.1: REPORT /cal/ answered HTTP 401 Unauthorized "
            "(check the credentials), expected 207\n"
        )
        assert server.seen[0].headers["authorization"] == BASIC

        (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
        config = tmp_path / "feeds.toml"
        config.write_text(
            f'[[feed]]\nname = "OEWG"\noutput = "oewg.ics"\nsource = "seed.txt"\n'
            f'caldav = "{url}"\n',
            encoding="utf-8",
        )
        for extra in ([], ["--json"], ["--verbose"]):
            code, out, stderr = _run_cli(["refresh", str(config), *extra], capsys, caplog)
            assert code == 1
            assert "127.0.0.1: REPORT /cal/ answered HTTP 401 Unauthorized" in stderr
            if extra == ["--json"]:
                feed = json.loads(out)["feeds"][0]
                # the file is published; CalDAV, the second publication, failed
                assert feed["error"] is None
                assert "HTTP 401 Unauthorized (check the credentials)" in feed["caldav_error"]


@pytest.mark.parametrize(
    ("caldav", "expected"),
    [
        (
            f"webcal://mission:{SECRET}@dav.example/cal/",
            "caldav must be the http(s) URL of a calendar collection, "
            "not webcal://***@dav.example/cal/",
        ),
        (
            f"https://mission:{SECRET}@dav.example/cal/",
            "caldav https://***@dav.example/cal/ holds credentials: put them in the environment "
            "(OEWG_CAL_CALDAV_USERNAME, OEWG_CAL_CALDAV_PASSWORD) or a netrc file",
        ),
    ],
)
def test_a_config_with_a_password_in_its_caldav_url(
    caldav: str,
    expected: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    from oewg_cal.errors import ConfigError
    from oewg_cal.refresh import refresh

    config = tmp_path / "feeds.toml"
    config.write_text(
        f'[[feed]]\nname = "OEWG"\noutput = "oewg.ics"\nsource = "{SEED}"\ncaldav = "{caldav}"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        refresh(config, now=lambda: dt.datetime(2023, 3, 5, tzinfo=dt.timezone.utc))
    expected = f"{config}:5: [[feed]] #1 ('OEWG'): {expected}"
    assert str(err.value) == expected
    _no_secret("".join(traceback.format_exception(err.value)))
    for extra in ([], ["--json"]):
        code, out, stderr = _run_cli(["refresh", str(config), *extra], capsys, caplog)
        assert code == 2
        assert stderr == f"oewg-cal refresh: {expected}\n"
        if extra:
            assert json.loads(out)["error"] == expected


def test_a_user_name_with_a_colon_is_refused_before_sending_anything() -> None:
    with origin() as server:
        with pytest.raises(CaldavError) as err:
            publish_caldav(_feed(), server.url("/cal/"), Credentials(f"mission:{SECRET}", "x"))
        assert server.seen == []
    assert str(err.value) == (
        "127.0.0.1: the CalDAV user name holds a colon, which HTTP Basic authentication "
        "cannot carry (expected a user name without ':')"
    )
