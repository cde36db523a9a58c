"""Mutation fuzzing of every input shape oewg_cal reads.

Documents (the seed in its shapes), programme files (TOML, JSON), published feeds,
refresh configurations, bodies fetched from a real HTTP server on 127.0.0.1 and CalDAV
answers from a fake CalDAV server there: each is mutated at random (a fixed seed, see
``tests/attacks.py``) and read.  Whatever the input:

* only :class:`~oewg_cal.errors.OewgCalError` subclasses escape;
* every error about a document, a programme file or a config names its line, but for
  the few that are about the input as a whole (empty, binary, no body named);
* nothing hangs: each case has a bounded time;
* what is accepted can be published, and reads back.
"""

from __future__ import annotations

import json
import pathlib
import random
import re
from collections.abc import Callable
from typing import Any

import pytest

from attacks import (
    NASTY,
    SEED_ICS,
    SEED_TOML,
    SEED_TXT,
    bounded,
    cases,
    clock,
    mutate_bytes,
    mutate_text,
    rng,
    toml_value,
)
from local_http import OriginHandler, origin
from oewg_cal.caldav import Credentials, publish_caldav
from oewg_cal.errors import (
    CaldavError,
    ConfigError,
    DocumentError,
    FeedError,
    OewgCalError,
)
from oewg_cal.ical.decode import read_ics
from oewg_cal.ical.encode import to_ics
from oewg_cal.ical.feed import feed_of
from oewg_cal.readers import read
from oewg_cal.readers.programme_file import dumps_json, loads
from oewg_cal.refresh import load_config, refresh
from render import RENDERERS

SEED = loads(SEED_TOML.read_text(encoding="utf-8"))
#: Seconds one case may take (a document is read in milliseconds; the margin is for a
#: loaded CI machine).
CASE_SECONDS = 20

#: The only errors about a whole input, which no line can locate.
WHOLE_INPUT = re.compile(
    r"binary data, not a text document|the document is empty|cannot find the body's name|"
    r"the document is \d+ bytes long|^missing key '\w+' in the programme$"
)

DOCUMENTS: dict[str, bytes] = {
    "seed.txt": SEED_TXT.read_bytes(),
    **{f"rendered.{shape}": render(SEED).encode() for shape, render in RENDERERS.items()},
}


#: The only errors about a whole config.
WHOLE_CONFIG = re.compile(r"no \[\[feed\]\] table|not UTF-8 text|no home folder")


def _check_error(
    exc: OewgCalError, source: str, kind: type[OewgCalError], whole: re.Pattern[str] = WHOLE_INPUT
) -> None:
    assert isinstance(exc, kind), f"{type(exc).__name__}, expected {kind.__name__}: {exc}"
    assert str(exc).startswith(source), exc
    line = getattr(exc, "line", None)
    message = getattr(exc, "message", str(exc))
    assert line is not None or whole.search(message), f"no line: {exc}"


def _publishes(programme: Any) -> None:
    """What a reader accepted can be written, and the feed reads back to it."""
    data = to_ics(programme)
    assert read_ics(data).programmes == (programme,)


# --------------------------------------------------------------------------- documents


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_mutated_documents(name: str) -> None:
    r = rng(f"documents:{name}")
    seed = DOCUMENTS[name]
    for case in range(cases(40, 1500)):
        data = mutate_bytes(seed, r)
        with bounded(CASE_SECONDS, f"{name} case {case}"):
            try:
                reading = read(data, source=name)
            except OewgCalError as exc:
                _check_error(exc, name, DocumentError)
                continue
            except Exception as exc:  # pragma: no cover - shows the input
                raise AssertionError(f"case {case}: {exc!r}\n{data[:3000]!r}") from exc
            _publishes(reading.programme)
            for warning in reading.warnings:
                assert warning.source == name


# --------------------------------------------------------------------------- programme files

_ODD_VALUES: list[object] = [
    None, True, 0, -1, 10**30, 1.5, float("inf"), "", " ", "\u0092", "\x00", "\\ud800",
    "0001-01-01", "9999-12-31", "2023-02-30", "24:00", "10:60", [], [[]], {}, {"a": 1},
    "x" * 10_000, "Item 5", "5(a)", "America/Nowhere", "../../etc", "<script>",
]  # fmt: skip


def _paths(data: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


def _mutate_structure(data: Any, r: random.Random) -> Any:
    """The programme as data with one value changed, removed, or a key added."""
    path = r.choice(_paths(data)[1:])
    *parents, last = path
    holder = data
    for key in parents:
        holder = holder[key]
    op = r.randrange(4)
    if op == 0 and isinstance(holder, dict):
        del holder[last]
    elif op == 1 and isinstance(holder, dict):
        holder[r.choice(["extra", "Session", "meetings ", "\u0000"])] = r.choice(_ODD_VALUES)
    else:
        value = r.choice(_ODD_VALUES)
        holder[last] = value.replace("\\ud800", "\ud800") if isinstance(value, str) else value
    return data


def _toml_edit(text: str, r: random.Random) -> str:
    """A TOML programme with the value of one ``key = value`` line replaced."""
    lines = text.split("\n")
    keyed = [i for i, line in enumerate(lines) if re.match(r"\s*\w+\s*=", line)]
    at = r.choice(keyed)
    key = lines[at].split("=", 1)[0]
    value = r.choice(_ODD_VALUES)
    literal = (
        r.choice(["0001-01-01", "2023-02-28", "25:00:00", "10:00", "nan", "inf", "[[[1]]]"])
        if value is None or isinstance(value, dict)
        else toml_value(value if not isinstance(value, float) else 1.5)
    )
    lines[at] = f"{key}= {literal}"
    return "\n".join(lines)


@pytest.mark.parametrize("shape", ["toml", "json"])
def test_mutated_programme_files(shape: str) -> None:
    r = rng(f"programme:{shape}")
    seed = SEED_TOML.read_text(encoding="utf-8") if shape == "toml" else dumps_json(SEED)
    source = f"programme.{shape}"
    for case in range(cases(60, 2000)):
        kind = r.randrange(3)
        if kind == 0:
            text = mutate_text(seed, r, steps=2)
        elif shape == "json":
            text = json.dumps(_mutate_structure(json.loads(seed), r), indent=2)
        else:
            text = _toml_edit(seed, r)
        with bounded(CASE_SECONDS, f"{source} case {case}"):
            try:
                reading = read(text, source=source, format=shape)
            except OewgCalError as exc:
                _check_error(exc, source, DocumentError)
                continue
            except Exception as exc:  # pragma: no cover
                raise AssertionError(f"case {case}: {exc!r}\n{text[:3000]}") from exc
            _publishes(reading.programme)


# --------------------------------------------------------------------------- feeds


def test_mutated_feeds() -> None:
    """A published feed is read back by every refresh: whatever it became, only FeedError."""
    r = rng("feeds")
    seed = SEED_ICS.read_bytes()
    for case in range(cases(40, 1500)):
        data = mutate_bytes(seed, r)
        with bounded(CASE_SECONDS, f"feed case {case}"):
            try:
                feed = read_ics(data, source="feed.ics")
            except OewgCalError as exc:
                assert isinstance(exc, FeedError), repr(exc)
                assert str(exc).startswith("feed.ics")
                continue
            except Exception as exc:  # pragma: no cover
                raise AssertionError(f"case {case}: {exc!r}\n{data[:3000]!r}") from exc
            # what reads back is a feed refresh can build on and publish again
            assert read_ics(to_ics(feed.programmes[0])) if feed.programmes else True


# --------------------------------------------------------------------------- configs

_CONFIG = """\
max_loss = 0.5

[fetch]
connect_timeout = 10.0
read_timeout = 30.0
max_bytes = 20_000_000
max_redirects = 5

[[feed]]
name = "OEWG on ICT security — 4th session"
output = "public/oewg-ict.ics"
sources = ["programme.toml"]
page = true
alarms = [15]
categories = ["OEWG"]
color = "steelblue"
retention_days = 7
url = "https://mission.example.org/calendars/oewg-ict.ics"

[[feed]]
name = "OEWG ICT — 5(e) and 5(g), formal meetings"
output = "public/oewg-ict-law-capacity.ics"
source = "programme.toml"
items = ["5(e)", "5(g)"]
formal_only = true
"""

_CONFIG_VALUES = [
    '"x"', '""', '"  "', '"\\r"', '"a\\u0000b"', '"~nosuchuser-x/y"', '"/dev/null"',
    '"http://[::1/x"', '"ftp://x/y"', '"https://' + "a" * 70 + '.org/"', '"webcal://x/y"',
    '"https://user:pw@example.org/"', "0", "-1", "1.5", "nan", "inf", "true", "[]", '["x"]',
    "[1, 2]", "[[1]]", "{}", "2023-03-06", "10:00:00", '"5(a)"', '["5(zz)"]', "40321",
    '"America/Nowhere"', '"docx"', '"public/oewg-ict.ics"', '"programme.toml"',
]  # fmt: skip


def _config_edit(text: str, r: random.Random) -> str:
    lines = text.split("\n")
    keyed = [i for i, line in enumerate(lines) if re.match(r"\s*\w+\s*=", line)]
    at = r.choice(keyed)
    key = lines[at].split("=", 1)[0]
    if r.random() < 0.2:
        key = r.choice(["colour ", "sources2 ", "state_dir ", "cache_dir ", "page "])
    lines[at] = f"{key}= {r.choice(_CONFIG_VALUES)}"
    return "\n".join(lines)


def test_mutated_configs(tmp_path: pathlib.Path) -> None:
    r = rng("configs")
    (tmp_path / "programme.toml").write_bytes(SEED_TOML.read_bytes())
    config = tmp_path / "feeds.toml"
    for case in range(cases(40, 1000)):
        text = mutate_text(_CONFIG, r, steps=2) if r.random() < 0.4 else _config_edit(_CONFIG, r)
        config.write_text(text, encoding="utf-8", errors="surrogateescape")
        with bounded(CASE_SECONDS, f"config case {case}"):
            try:
                loaded = load_config(config)
            except OewgCalError as exc:
                _check_error(exc, str(config), ConfigError, WHOLE_CONFIG)
                continue
            except Exception as exc:  # pragma: no cover
                raise AssertionError(f"case {case}: {exc!r}\n{text[:3000]}") from exc
            if any(f.caldav or any("://" in s for s in f.sources) for f in loaded.feeds):
                continue  # nothing here may leave 127.0.0.1
            result = refresh(config, now=clock)
            for feed in result.feeds:
                assert feed.detail is None, feed.detail  # no internal error
                if feed.written:
                    read_ics(feed.output.read_bytes())


# --------------------------------------------------------------------------- fetched bodies

_SEED_BODIES = [SEED_TOML.read_bytes(), SEED_TXT.read_bytes(), dumps_json(SEED).encode()]
_HEADERS = [
    {},
    {"ETag": '"1"'},
    {"ETag": 'W/"x\x7f"'},
    {"Last-Modified": "yesterday"},
    {"Content-Type": "text/html; charset=utf-16"},
    {"Content-Encoding": "gzip"},
    {"Content-Length": "999999"},
    {"Content-Length": "1"},
    {"Location": "http://[::1/x"},
    {"Transfer-Encoding": "chunked"},
]
_STATUSES = [200, 200, 200, 203, 204, 206, 301, 302, 304, 400, 404, 418, 500, 599, 999]


def _answer_for(r: random.Random) -> tuple[Callable[[OriginHandler], None], str]:
    body = mutate_bytes(r.choice(_SEED_BODIES), r) if r.random() < 0.8 else b""
    headers = dict(r.choice(_HEADERS))
    status = r.choice(_STATUSES)
    raw = r.random() < 0.15

    def answer(h: OriginHandler) -> None:
        if raw:  # not even HTTP
            h.raw(body[:200])
            return
        h.send_response(status if status < 600 else 200)
        for name, value in headers.items():
            h.send_header(name, value)
        if "Content-Length" not in headers and "Transfer-Encoding" not in headers:
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
        h.close_connection = True

    return answer, f"status {status}, headers {headers}, raw {raw}, {len(body)} bytes"


def test_mutated_bodies_over_http(tmp_path: pathlib.Path) -> None:
    r = rng("http")
    with origin() as server:
        config = tmp_path / "feeds.toml"
        config.write_text(
            "[fetch]\nconnect_timeout = 2\nread_timeout = 1\n\n[[feed]]\n"
            f'name = "OEWG"\noutput = "oewg.ics"\nsource = "{server.url("/programme")}"\n',
            encoding="utf-8",
        )
        for case in range(cases(20, 400)):
            server.answer, what = _answer_for(r)
            with bounded(CASE_SECONDS, f"http case {case} ({what})"):
                result = refresh(config, now=clock, force=True)
            (feed,) = result.feeds
            assert feed.detail is None, f"{what}: {feed.detail}"  # never an internal error
            if feed.error is not None:
                assert "\n" not in feed.error and "\r" not in feed.error, feed.error
            elif feed.written:
                read_ics((tmp_path / "oewg.ics").read_bytes())


# --------------------------------------------------------------------------- CalDAV answers

_DAV_ANSWER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">\n'
    "<D:response><D:href>/cal/one.ics</D:href><D:propstat><D:prop>"
    '<D:getetag>"1"</D:getetag><C:calendar-data>'
    "BEGIN:VCALENDAR&#13;\nVERSION:2.0&#13;\nPRODID:-//x//y//EN&#13;\nBEGIN:VEVENT&#13;\n"
    "UID:one@oewg-cal&#13;\nSEQUENCE:1&#13;\nDTSTAMP:20230304T000000Z&#13;\n"
    "DTSTART:20230306T150000Z&#13;\nX-OEWG-PROGRAMME:oewg&#13;\nEND:VEVENT&#13;\n"
    "END:VCALENDAR&#13;\n</C:calendar-data></D:prop>"
    "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>\n"
    "</D:multistatus>\n"
)
_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + ']><D:multistatus xmlns:D="DAV:"><D:response><D:href>&j;</D:href></D:response>'
    "</D:multistatus>"
)


def test_mutated_caldav_answers() -> None:
    r = rng("caldav")
    feed = feed_of(SEED)
    with origin() as server:
        for case in range(cases(25, 500)):
            if case == 0:
                report = _BOMB.encode()  # entity expansion: refused by expat, at once
            else:
                report = mutate_text(_DAV_ANSWER, r, steps=3).encode("utf-8", "surrogateescape")
                if r.random() < 0.2:
                    report = report.replace(b"</D:href>", r.choice(NASTY).encode() + b"</D:href>")
            put_status = r.choice([201, 204, 204, 400, 412, 500, 302])

            def answer(h: OriginHandler, report: bytes = report, put: int = put_status) -> None:
                if h.command == "REPORT":
                    h.reply(207, report, {"Content-Type": "application/xml"})
                else:
                    h.reply(put)

            server.answer = answer
            with bounded(CASE_SECONDS, f"caldav case {case}"):
                try:
                    publish_caldav(feed, server.url("/cal/"), Credentials("u", "p"), timeout=2)
                except OewgCalError as exc:
                    assert isinstance(exc, CaldavError), repr(exc)
                    assert "\n" not in str(exc), exc
                except Exception as exc:  # pragma: no cover
                    raise AssertionError(f"case {case}: {exc!r}\n{report!r}") from exc
