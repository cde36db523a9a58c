"""Fixtures of the browser tests: a local web server with agenda pages, and Chromium.

Chromium is Debian's (``/usr/bin/chromium``, or ``$CHROMIUM``), driven by Python
Playwright; nothing ever downloads a browser (never run ``playwright install``).  axe-core
comes from npm (``npm ci`` here, from package-lock.json).  Without Chromium, Playwright or
npm the tests skip, and with ``CI`` set they fail instead.

Two sites are served from one folder on 127.0.0.1:

* ``seed/``: the seed's feed (examples/oewg-ict-4th-session.ics) and its page;
* ``generated/``: a feed published by ``oewg-cal refresh`` with ``page = true``, then
  refreshed after the programme changed (a meeting re-timed, one withdrawn, one added);
* ``features/``: the same for a programme with every kind of entry the model holds
  (:func:`features_programme`: a day without a time, a deadline, an assumed end, a
  meeting ending the next day, meetings followed by another, concluded and untitled
  items, a sub-item named by its letter, a series begun earlier) and a short name of 40
  characters, refreshed once after a deadline was added, a meeting moved to the night
  and one withdrawn.

Screenshots go to ``artifacts/screenshots`` (``$OEWG_SCREENSHOTS`` to choose), which CI
keeps and git ignores.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("OEWG_SCREENSHOTS", ROOT / "artifacts" / "screenshots"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# As root Chromium needs --no-sandbox; the rest keeps it from calling home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The reader's zone in most tests: Geneva's ("Europe/Geneva" is not a tz name).
READER_ZONE = "Europe/Zurich"
UTC = dt.timezone.utc
SEED_ICS = ROOT / "examples" / "oewg-ict-4th-session.ics"
README_URL = "https://mission.example.org/calendars/oewg-ict.ics"
T0 = dt.datetime(2023, 3, 5, 12, 0, tzinfo=UTC)  # first publication, before the session
T1 = dt.datetime(2023, 3, 7, 19, 2, tzinfo=UTC)  # the change: 2.02 p.m. in New York


def missing(reason: str) -> None:
    """Skip the test, or fail it when ``CI`` is set: CI must run the browser tests."""
    if os.environ.get("CI"):
        pytest.fail(f"browser: {reason} (required when CI is set)", pytrace=False)
    pytest.skip(f"browser: {reason}")


_AXE_LOCK = threading.Lock()


def ensure_axe() -> Path:
    """axe-core's ``axe.min.js``, installed with ``npm ci`` when it is not there yet."""
    with _AXE_LOCK:
        if not AXE_JS.exists():
            npm = shutil.which("npm")
            if npm is None:
                missing("npm is needed to install axe-core, but is not on PATH")
            result = subprocess.run(
                [str(npm), "ci", "--no-audit", "--no-fund"],
                cwd=HERE,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if result.returncode != 0 or not AXE_JS.exists():
                missing(f"npm ci failed in {HERE}:\n{result.stdout}\n{result.stderr}")
    return AXE_JS


# --------------------------------------------------------------------------- the site


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - the standard library's class attribute
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".ics": "text/calendar; charset=utf-8",
        ".html": "text/html; charset=utf-8",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


@attrs.frozen
class Site:
    """The served folder and its address (``base`` ends with a slash)."""

    folder: Path
    base: str

    def url(self, path: str) -> str:
        return self.base + path


def _publish_seed(site: Site) -> None:
    from oewg_cal.ical.decode import read_ics
    from oewg_cal.page import render_page

    folder = site.folder / "seed"
    folder.mkdir()
    data = SEED_ICS.read_bytes()
    (folder / "oewg-ict.ics").write_bytes(data)
    html = render_page(
        read_ics(data), url=site.url("seed/oewg-ict.ics"), checked=dt.date(2023, 3, 5)
    )
    (folder / "oewg-ict.html").write_bytes(html)
    # the same page as a mission would publish it, for the README's screenshot
    readme = render_page(read_ics(data), url=README_URL, checked=dt.date(2023, 3, 5))
    (folder / "readme.html").write_bytes(readme)


def changed_programme() -> Any:
    """The seed with Wednesday afternoon at 3.30 p.m., Thursday afternoon withdrawn and a
    briefing added on Wednesday at 1.15 p.m."""
    from oewg_cal.model import AgendaEntry, Meeting, Segment
    from oewg_cal.readers import read_programme

    seed = read_programme(
        (ROOT / "examples" / "oewg-ict-4th-session.toml").read_bytes(), source="seed.toml"
    )
    wednesday = next(m for m in seed.meetings if m.date.day == 8 and m.start == dt.time(15))
    thursday = next(m for m in seed.meetings if m.date.day == 9 and m.start == dt.time(15))
    briefing = Meeting(
        date=dt.date(2023, 3, 8),
        start=dt.time(13, 15),
        end=dt.time(14, 45),
        formal=False,
        room="Conference Room 4",
        entries=[AgendaEntry(segment=Segment.OTHER, label="Briefing by the Chair")],
    )
    kept = [m for m in seed.meetings if m not in (wednesday, thursday)]
    meetings = [*kept, attrs.evolve(wednesday, start=dt.time(15, 30)), briefing]
    return attrs.evolve(seed, meetings=meetings)


#: The features programme's short name: 40 characters, past SUMMARY_NAME_LIMIT.
LONG_SHORT_NAME = "Committee for Programme and Coordination"
#: New York in June 2025 is four hours behind UTC.
FEATURES_T0 = dt.datetime(2025, 5, 30, 14, 0, tzinfo=UTC)
FEATURES_T1 = dt.datetime(2025, 6, 2, 20, 30, tzinfo=UTC)  # 4.30 p.m. in New York


def features_programme(*, before_the_change: bool = False) -> Any:
    """A week in New York (2-5 June 2025) with every kind of entry the model holds.

    ``before_the_change``: as first published: no deadline, the night meeting on
    Tuesday evening from 6 to 9 p.m., and a meeting on Thursday afternoon that the
    change withdraws.
    """
    from oewg_cal.model import (
        AgendaEntry,
        Body,
        FollowedBy,
        Kind,
        Meeting,
        Programme,
        Segment,
        SeriesKey,
        SubItem,
    )

    def day(n: int) -> dt.date:
        return dt.date(2025, 6, n)

    planning = AgendaEntry(item=3, title="Programme planning")
    meetings = [
        Meeting(  # the day's agenda, without a time
            date=day(2),
            start=None,
            end=None,
            formal=False,
            entries=[AgendaEntry(segment=Segment.OTHER, label="Consultations of the Bureau")],
        ),
        Meeting(
            date=day(2),
            start=dt.time(10),
            end=dt.time(13),
            room="Conference Room 2",
            entries=[
                AgendaEntry(segment=Segment.OPENING, label="Opening of the session"),
                AgendaEntry(item=1, title="Election of officers", concluded=True),
                AgendaEntry(item=2, title="Adoption of the agenda"),
            ],
        ),
        Meeting(  # "3 p.m.": the end is assumed
            date=day(2),
            start=dt.time(15),
            end=dt.time(18),
            end_assumed=True,
            room="Conference Room 2",
            entries=[
                attrs.evolve(
                    planning, sub_item=SubItem(letter="a", text="Proposed programme budget")
                )
            ],
            followed_by=FollowedBy(
                entries=[AgendaEntry(item=4, title="Coordination questions")], formal=False
            ),
        ),
        Meeting(  # "1 p.m. Closure of the list of speakers": not one of item 3's meetings
            date=day(3),
            start=dt.time(13),
            end=None,
            kind=Kind.DEADLINE,
            entries=[
                attrs.evolve(
                    planning, segment=Segment.OTHER, label="Closure of the list of speakers"
                )
            ],
        ),
        Meeting(
            date=day(3),
            start=dt.time(10),
            end=dt.time(13),
            room="Conference Room 2",
            entries=[
                attrs.evolve(planning, continued=True, sub_item=SubItem(letter="b")),
                AgendaEntry(item=18, continued=True),  # named by its number only
            ],
        ),
        Meeting(  # into the next morning
            date=day(3),
            start=dt.time(22),
            end=dt.time(2),
            overnight=True,
            room="Conference Room 2",
            entries=[attrs.evolve(planning, continued=True, concluded=True)],
        ),
        Meeting(
            date=day(4),
            start=dt.time(15),
            end=dt.time(18),
            formal=False,
            room="Conference Room 2",
            entries=[AgendaEntry(item=18, continued=True, concluded=True)],
            followed_by=FollowedBy(
                entries=[AgendaEntry(item=5, title="Provisional agenda of the next session")]
            ),
        ),
        Meeting(
            date=day(5),
            start=dt.time(10),
            end=dt.time(13),
            room="Conference Room 2",
            entries=[
                AgendaEntry(item=6, title="Adoption of the report"),
                AgendaEntry(segment=Segment.CLOSURE, label="Closure of the session"),
            ],
        ),
    ]
    if before_the_change:
        night = meetings[5]
        meetings = [m for m in meetings if m.kind is Kind.MEETING and m is not night]
        meetings += [
            attrs.evolve(night, start=dt.time(18), end=dt.time(21), overnight=False),
            Meeting(
                date=day(5),
                start=dt.time(15),
                end=dt.time(18),
                room="Conference Room 2",
                entries=[AgendaEntry(segment=Segment.OTHER, label="Briefing by the Secretariat")],
            ),
        ]
    return Programme(
        body=Body(name=f"{LONG_SHORT_NAME}, sixty-fifth session", short_name=LONG_SHORT_NAME),
        session="Sixty-fifth session",
        place="New York",
        venue="United Nations Headquarters",
        first_day=day(2),
        last_day=day(6),
        issued=dt.date(2025, 5, 20),
        symbol="E/AC.51/2025/L.1",
        url="https://undocs.org/E/AC.51/2025/L.1",
        begun_earlier=[SeriesKey(item=18)],
        meetings=meetings,
    )


def _publish_by_refresh(
    site: Site,
    work: Path,
    output: str,
    versions: list[tuple[dt.datetime, str]],
    name: str,
) -> None:
    """``refresh`` with ``page = true`` publishes each programme file of ``versions`` in
    turn at its time, to ``output`` (a path in the site)."""
    from oewg_cal.refresh import refresh

    work.mkdir()
    source = work / "programme.toml"
    config = work / "feeds.toml"
    feed = {
        "name": name,
        "output": str(site.folder / output),
        "source": str(source),
        "url": site.url(output),
    }
    body = "\n".join(f"{k} = {json.dumps(v)}" for k, v in feed.items())
    config.write_text(
        f"state_dir = {json.dumps(str(work / 'state'))}\n\n[[feed]]\n{body}\npage = true\n"
    )
    for moment, text in versions:
        source.write_text(text, encoding="utf-8")
        result = refresh(config, now=functools.partial(_at, moment))
        assert result.ok and result.feeds[0].warnings == (), result.feeds[0].warnings


def _at(moment: dt.datetime) -> dt.datetime:
    return moment


def _publish_generated(site: Site, work: Path) -> None:
    from oewg_cal.readers.programme_file import dumps_toml

    seed = (ROOT / "examples" / "oewg-ict-4th-session.toml").read_text(encoding="utf-8")
    versions = [(T0, seed), (T1, dumps_toml(changed_programme()))]
    name = "OEWG on ICT security — 4th session"
    _publish_by_refresh(site, work / "generated", "generated/oewg.ics", versions, name)


def _publish_features(site: Site, work: Path) -> None:
    from oewg_cal.readers.programme_file import dumps_toml

    versions = [
        (FEATURES_T0, dumps_toml(features_programme(before_the_change=True))),
        (FEATURES_T1, dumps_toml(features_programme())),
    ]
    name = "Committee for Programme and Coordination — 65th session"
    _publish_by_refresh(site, work / "features", "features/cpc.ics", versions, name)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The served folder with the seed's page and a generated page."""
    folder = tmp_path_factory.mktemp("site")
    handler = functools.partial(_Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        served = Site(folder=folder, base=f"http://127.0.0.1:{server.server_address[1]}/")
        _publish_seed(served)
        work = tmp_path_factory.mktemp("work")
        _publish_generated(served, work)
        _publish_features(served, work)
        yield served
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, launched once for the session."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        missing(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


class Problems:
    """What went wrong in a page: console errors, uncaught exceptions, failed or foreign
    requests (anything not from the test server, but ``data:`` URLs)."""

    def __init__(self, page: Any, base: str) -> None:
        self.base = base
        self.messages: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.messages.append(f"pageerror: {exc}"))
        page.on("response", self._response)
        page.on("request", self._request)

    def _console(self, message: Any) -> None:
        if message.type in ("error", "assert", "warning"):
            self.messages.append(f"console.{message.type}: {message.text} ({message.location})")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.messages.append(f"HTTP {response.status}: {response.url}")

    def _request(self, request: Any) -> None:
        if not (request.url.startswith(self.base) or request.url.startswith("data:")):
            self.messages.append(f"request to elsewhere: {request.url}")


OpenPage = Callable[..., Any]


@pytest.fixture
def open_page(browser: Any, site: Site) -> Iterator[OpenPage]:
    """Open a page of the site in a fresh context (zone Europe/Zurich, locale en-GB unless
    given); the test fails afterwards if the page logged an error or fetched elsewhere."""
    opened: list[tuple[Any, Problems]] = []

    def _open(path: str, **context_options: Any) -> Any:
        options: dict[str, Any] = {"timezone_id": READER_ZONE, "locale": "en-GB"}
        options.update(context_options)
        context = browser.new_context(**options)
        page = context.new_page()
        opened.append((page, Problems(page, site.base)))
        page.goto(site.url(path), wait_until="load")
        return page

    yield _open
    problems = [message for _, found in opened for message in found.messages]
    for page, _ in opened:
        page.context.close()
    assert problems == [], "problems in the page:\n" + "\n".join(problems)
