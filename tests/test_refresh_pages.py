"""Agenda pages beside published feeds: ``page = true`` in refresh, and ``oewg-cal page``.

The clock is injected; files are real, in a temporary folder.  What the page shows is
checked by reading the HTML (tests/htmltree.py); its full content is tested in
test_page.py.
"""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import subprocess
import sys
import zoneinfo
from collections.abc import Mapping

import attrs
import pytest

from handbuilt import hand_built_seed
from htmltree import Element, parse
from oewg_cal.cli import main
from oewg_cal.errors import ConfigError
from oewg_cal.model import Programme
from oewg_cal.readers.programme_file import dumps_toml
from oewg_cal.refresh import Report, load_config, plan, refresh
from oewg_cal.refresh.pages import read_page_state

UTC = dt.timezone.utc
ROOT = pathlib.Path(__file__).resolve().parents[1]
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
URL = "https://mission.example.org/calendars/oewg.ics"
T0 = dt.datetime(2023, 3, 5, 12, 0, tzinfo=UTC)  # Sunday 5 March, 7 a.m. in New York


SEED = hand_built_seed()


class Clock:
    def __init__(self, now: dt.datetime = T0) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def _page_state(config: pathlib.Path) -> pathlib.Path:
    loaded = load_config(config)
    return loaded.page_state_for(loaded.feeds[0])


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def write_config(
    folder: pathlib.Path, feeds: list[Mapping[str, object]], **top: object
) -> pathlib.Path:
    lines = [f"{k} = {_value(v)}" for k, v in top.items()]
    for feed in feeds:
        lines += ["", "[[feed]]", *(f"{k} = {_value(v)}" for k, v in feed.items())]
    path = folder / "feeds.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_programme(path: pathlib.Path, programme: Programme) -> pathlib.Path:
    path.write_text(dumps_toml(programme), encoding="utf-8")
    return path


def retimed(programme: Programme) -> Programme:
    """Wednesday afternoon's meeting moved to 3.30 p.m."""
    (old,) = [m for m in programme.meetings if m.date.day == 8 and m.start == dt.time(15)]
    meetings = [m for m in programme.meetings if m != old]
    return attrs.evolve(programme, meetings=[*meetings, attrs.evolve(old, start=dt.time(15, 30))])


@pytest.fixture
def site(tmp_path: pathlib.Path) -> pathlib.Path:
    """A config with one paged feed (public/oewg.ics) and its source."""
    write_programme(tmp_path / "programme.toml", SEED)
    feed = {
        "name": "OEWG",
        "output": "public/oewg.ics",
        "source": "programme.toml",
        "url": URL,
        "page": True,
    }
    return write_config(tmp_path, [feed])


def html(path: pathlib.Path) -> Element:
    return parse(path.read_bytes())


def checked_text(page: Element) -> str:
    return page.by_id("last-checked").text()


def stat(path: pathlib.Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


def test_refresh_writes_the_page_and_the_index(site: pathlib.Path) -> None:
    public = site.parent / "public"
    result = refresh(site, now=Clock())
    assert result.ok and result.feeds[0].warnings == ()
    page = html(public / "oewg.html")
    assert len(page.find_all("li", cls="meeting")) == 10
    assert page.by_id("feed-link").get("href") == URL
    assert (
        page.by_id("subscribe-webcal").get("href")
        == "webcal://mission.example.org/calendars/oewg.ics"
    )
    # the first run is a check: its day in New York (7 a.m. on Sunday 5 March)
    assert checked_text(page) == "Last checked for changes: Sunday 5 March 2023."
    assert page.by_id("last-changed").text() == (
        "Last changed: 5 March 2023, 7 a.m. (New York time)."
    )
    # a first publication marks no meeting as new
    assert not [m for m in page.find_all("li", cls="meeting") if "new" in m.classes]
    assert page.find("nav", cls="crumbs").find("a").get("href") == "index.html"

    index = html(public / "index.html")
    (entry,) = index.find_all("li", cls="feed")
    links = {a.text(): a.get("href") for a in entry.iter("a")}
    assert links["OEWG"] == "oewg.html"
    assert links[URL] == URL
    # only the published files sit beside the feed: refresh's own are in its state folder
    assert sorted(p.name for p in public.iterdir()) == ["index.html", "oewg.html", "oewg.ics"]


def test_an_unchanged_run_the_same_day_leaves_the_page_alone(site: pathlib.Path) -> None:
    public = site.parent / "public"
    clock = Clock()
    refresh(site, now=clock)
    before = {name: stat(public / name) for name in ("oewg.html", "index.html", "oewg.ics")}
    page_state = _page_state(site)
    state_before = stat(page_state)
    clock.now = T0 + dt.timedelta(hours=10)  # 5 p.m. in New York, the same day
    result = refresh(site, now=clock)
    assert result.ok and not result.changed_anything and result.feeds[0].warnings == ()
    assert {name: stat(public / name) for name in before} == before
    assert stat(page_state) == state_before


def test_the_first_run_of_a_new_day_rewrites_the_page_only(site: pathlib.Path) -> None:
    public = site.parent / "public"
    clock = Clock()
    refresh(site, now=clock)
    feed_before = stat(public / "oewg.ics")
    # 11.30 p.m. in New York on Sunday, then 00:30 on Monday
    clock.now = dt.datetime(2023, 3, 6, 4, 30, tzinfo=UTC)
    refresh(site, now=clock)
    assert checked_text(html(public / "oewg.html")) == (
        "Last checked for changes: Sunday 5 March 2023."
    )
    clock.now = dt.datetime(2023, 3, 6, 5, 30, tzinfo=UTC)
    result = refresh(site, now=clock)
    assert result.ok and not result.changed_anything  # the feed did not change
    assert stat(public / "oewg.ics") == feed_before
    page = html(public / "oewg.html")
    assert checked_text(page) == "Last checked for changes: Monday 6 March 2023."
    assert page.by_id("last-changed").text() == (
        "Last changed: 5 March 2023, 7 a.m. (New York time)."
    )


def test_a_change_is_marked_and_stays_marked(site: pathlib.Path) -> None:
    public = site.parent / "public"
    clock = Clock()
    refresh(site, now=clock)
    write_programme(site.parent / "programme.toml", retimed(SEED))
    clock.now = dt.datetime(2023, 3, 7, 19, 2, tzinfo=UTC)
    result = refresh(site, now=clock)
    assert result.ok and len(result.feeds[0].report.changed) == 1  # type: ignore[union-attr]

    def marked(page: Element) -> list[str]:
        return [
            m.find("ul", cls="what-changed").text()
            for m in page.find_all("li", cls="meeting")
            if "changed" in m.classes
        ]

    expected = ["Time: was 2023-03-08 15:00–18:00, now 2023-03-08 15:30–18:00"]
    page = html(public / "oewg.html")
    assert marked(page) == expected
    assert page.by_id("last-changed").text() == (
        "Last changed: 7 March 2023, 2.02 p.m. (New York time)."
    )
    # the next day nothing changes: the page says so only by its day of check
    clock.now += dt.timedelta(days=1)
    refresh(site, now=clock)
    page = html(public / "oewg.html")
    assert marked(page) == expected
    assert checked_text(page) == "Last checked for changes: Wednesday 8 March 2023."
    assert page.by_id("changes").find("p").text() == (
        "In the update of 7 March 2023, 2.02 p.m. (New York time):"
    )


def test_a_failed_run_leaves_the_page_and_its_day_of_check(site: pathlib.Path) -> None:
    public = site.parent / "public"
    clock = Clock()
    refresh(site, now=clock)
    before = stat(public / "oewg.html")
    (site.parent / "programme.toml").unlink()
    clock.now += dt.timedelta(days=2)
    result = refresh(site, now=clock)
    assert not result.ok
    assert stat(public / "oewg.html") == before


def test_a_page_of_its_own_is_never_replaced(site: pathlib.Path) -> None:
    public = site.parent / "public"
    public.mkdir()
    mine = b"<!doctype html><title>Our mission's calendars</title>\n"
    (public / "index.html").write_bytes(mine)
    (public / "oewg.html").write_bytes(mine)
    result = refresh(site, now=Clock())
    assert result.ok  # the feed is published all the same
    (warning,) = result.feeds[0].warnings
    assert warning == (
        f"page not written: {public / 'oewg.html'}: exists and was not written by oewg-cal; "
        "not replaced (move it away to publish the page there)"
    )
    assert (public / "oewg.html").read_bytes() == mine
    assert (public / "oewg.ics").exists()
    # once the page is written, the index would be too: not over a page of its own
    (public / "oewg.html").unlink()
    result = refresh(site, now=Clock())
    (warning,) = result.feeds[0].warnings
    assert warning.startswith(f"index not written: {public / 'index.html'}: exists and was not")
    assert (public / "index.html").read_bytes() == mine
    assert html(public / "oewg.html").find("h1").text() == "OEWG"


def test_with_a_state_dir_the_page_state_is_kept_there(tmp_path: pathlib.Path) -> None:
    write_programme(tmp_path / "programme.toml", SEED)
    feed = {"name": "OEWG", "output": "public/oewg.ics", "source": "programme.toml", "page": True}
    config = write_config(tmp_path, [feed], state_dir="state")
    assert refresh(config, now=Clock()).ok
    assert sorted(p.name for p in (tmp_path / "public").iterdir()) == [
        "index.html",
        "oewg.html",
        "oewg.ics",
    ]
    assert [p.name for p in (tmp_path / "state").glob("*.page.json")]
    # without a url the page says how to set it, and links the file for download
    page = html(tmp_path / "public" / "oewg.html")
    assert page.by_id("feed-link").get("href") == "oewg.ics"
    assert 'url = "https://…/oewg.ics"' in page.by_id("no-url").text()


def test_a_damaged_page_state_is_rebuilt(site: pathlib.Path) -> None:
    public = site.parent / "public"
    clock = Clock()
    refresh(site, now=clock)
    page_state = _page_state(site)
    page_state.write_text("{not json", encoding="utf-8")
    state, problem = read_page_state(page_state)
    assert state.inputs is None and problem is not None and "ignoring" in problem
    result = refresh(site, now=clock)
    assert result.ok and result.feeds[0].warnings == ()
    assert (
        checked_text(html(public / "oewg.html")) == "Last checked for changes: Sunday 5 March 2023."
    )
    state, problem = read_page_state(page_state)
    assert problem is None and state.zone == "America/New_York"
    assert state.checked == dt.date(2023, 3, 5)


def test_the_report_survives_its_json() -> None:
    first, _ = plan(None, [SEED], load_config_options(), T0)
    _, report = plan(first, [retimed(SEED)], load_config_options(), T0 + dt.timedelta(days=1))
    assert report.changed_anything
    assert Report.from_dict(json.loads(json.dumps(report.to_dict()))) == report


def load_config_options():  # type: ignore[no-untyped-def]
    from oewg_cal.ical.feed import FeedOptions

    return FeedOptions(name="OEWG")


@pytest.mark.parametrize(
    ("feed", "message"),
    [
        ({"page": "yes"}, "page must be true or false, not 'yes'"),
        ({"page": True, "output": "oewg.html"}, "give the feed an output ending in .ics"),
    ],
)
def test_page_settings_are_checked(
    feed: dict[str, object], message: str, tmp_path: pathlib.Path
) -> None:
    settings = {"name": "OEWG", "output": "oewg.ics", "source": "programme.toml", **feed}
    config = write_config(tmp_path, [settings])
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert message in str(caught.value)
    assert caught.value.line == 6  # the page (or output) line of the feed


def test_a_run_without_pages_does_not_load_the_page_libraries(tmp_path: pathlib.Path) -> None:
    write_programme(tmp_path / "programme.toml", SEED)
    config = write_config(
        tmp_path, [{"name": "OEWG", "output": "oewg.ics", "source": "programme.toml"}]
    )
    code = (
        "import sys, datetime as dt\n"
        "from oewg_cal.refresh import refresh\n"
        "now = dt.datetime(2023, 3, 5, 12, tzinfo=dt.timezone.utc)\n"
        f"assert refresh({str(config)!r}, now=lambda: now).ok\n"
        "assert not {'jinja2', 'segno', 'oewg_cal.page'} & set(sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_an_unchanged_paged_run_does_not_load_the_page_libraries(site: pathlib.Path) -> None:
    assert refresh(site, now=Clock()).ok
    code = (
        "import sys, datetime as dt\n"
        "from oewg_cal.refresh import refresh\n"
        "now = dt.datetime(2023, 3, 5, 20, tzinfo=dt.timezone.utc)\n"
        f"assert refresh({str(site)!r}, now=lambda: now).ok\n"
        "assert not {'jinja2', 'segno', 'oewg_cal.page'} & set(sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------- oewg-cal page


def test_page_command_writes_every_feed_and_the_index(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_programme(tmp_path / "programme.toml", SEED)
    feeds = [
        {"name": "All", "output": "site/all.ics", "source": "programme.toml", "url": URL},
        {
            "name": "Law",
            "output": "site/law/law.ics",
            "source": "programme.toml",
            "items": ["5(e)"],
        },
    ]
    config = write_config(tmp_path, feeds)
    assert refresh(config, now=Clock()).ok  # no page = true: no page yet
    site = tmp_path / "site"
    assert not list(site.rglob("*.html"))
    capsys.readouterr()

    assert main(["page", str(config)]) == 0
    err = capsys.readouterr().err
    assert f"wrote {site / 'all.html'}" in err and f"wrote {site / 'index.html'}" in err
    assert "refresh will not keep its page current" in err
    law = html(site / "law" / "law.html")
    assert len(law.find_all("li", cls="meeting")) == 1
    assert law.find("nav", cls="crumbs").find("a").get("href") == "../index.html"
    index = html(site / "index.html")
    pages = [e.find("h2").find("a").get("href") for e in index.find_all("li", cls="feed")]
    assert pages == ["all.html", "law/law.html"]

    before = stat(site / "all.html")
    assert main(["page", str(config)]) == 0
    assert stat(site / "all.html") == before  # same bytes: not rewritten
    assert f"unchanged {site / 'all.html'}" in capsys.readouterr().err


def test_no_index_for_feeds_in_unrelated_folders(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_programme(tmp_path / "programme.toml", SEED)
    feeds = [
        {"name": "A", "output": "a/a.ics", "source": "programme.toml", "page": True},
        {"name": "B", "output": "b/b.ics", "source": "programme.toml", "page": True},
    ]
    config = write_config(tmp_path, feeds)
    result = refresh(config, now=Clock())
    assert result.ok and all(f.warnings == () for f in result.feeds)
    assert (tmp_path / "a" / "a.html").exists() and (tmp_path / "b" / "b.html").exists()
    assert not list(tmp_path.rglob("index.html"))  # not in their common folder, nor above
    assert not html(tmp_path / "a" / "a.html").find_all("nav", cls="crumbs")
    assert main(["page", str(config)]) == 0
    assert "no index.html: the feeds are published in different folders" in (
        capsys.readouterr().err
    )
    assert not list(tmp_path.rglob("index.html"))


def test_page_command_reports_a_feed_not_yet_published(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_programme(tmp_path / "programme.toml", SEED)
    config = write_config(
        tmp_path, [{"name": "OEWG", "output": "oewg.ics", "source": "programme.toml"}]
    )
    assert main(["page", str(config)]) == 1
    assert "no feed is published there yet (run oewg-cal refresh first)" in capsys.readouterr().err
    assert not (tmp_path / "oewg.html").exists()


def test_page_command_for_one_feed(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = ROOT / "examples" / "oewg-ict-4th-session.ics"
    out = tmp_path / "page.html"
    assert main(["page", str(feed), "-o", str(out), "--url", URL]) == 0
    page = html(out)
    assert page.by_id("feed-link").get("href") == URL
    assert len(page.find_all("li", cls="meeting")) == 10
    capsys.readouterr()
    assert main(["page", str(feed)]) == 0
    stdout = capsys.readouterr().out
    page = parse(stdout)
    assert page.by_id("feed-link").get("href") == "oewg-ict-4th-session.ics"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "ftp://example.org/feed.ics"], "--url must be an http(s) URL"),
        (["-o", "x.html"], "-o and --url are for one feed file"),
    ],
)
def test_page_command_usage_errors(
    args: list[str], message: str, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = ROOT / "examples" / "oewg-ict-4th-session.ics"
    config = write_config(
        tmp_path, [{"name": "OEWG", "output": "oewg.ics", "source": "programme.toml"}]
    )
    target = feed if args[0] == "--url" else config
    assert main(["page", str(target), *args]) == 2
    assert message in capsys.readouterr().err
