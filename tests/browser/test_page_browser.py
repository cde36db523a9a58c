"""The agenda page in a real browser: what a person sees, in Debian's Chromium.

Expected values are worked out here: meeting instants from icalendar's reading of the
served feed, converted with zoneinfo to the duty station's zone and to the browser's.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
import zoneinfo
from typing import Any

import icalendar
import pytest

from .conftest import READER_ZONE, README_URL, SCREENSHOTS, OpenPage, Site, ensure_axe

UTC = dt.timezone.utc
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
SEED = "seed/oewg-ict.html"
GENERATED = "generated/oewg.html"
FEATURES = "features/cpc.html"
PAGES = {"seed": SEED, "generated": GENERATED, "features": FEATURES}
CHECKED = {**PAGES, "index": "generated/index.html"}  # for axe
SEVERE = {"serious", "critical"}


def vevents(site: Site, path: str) -> dict[str, tuple[dt.datetime, dt.datetime, bool]]:
    """The served feed's events by UID: UTC start and end, and whether cancelled."""
    calendar = icalendar.Calendar.from_ical((site.folder / path).read_bytes())
    return {
        str(e["UID"]): (
            e.decoded("DTSTART").astimezone(UTC),
            e.decoded("DTEND").astimezone(UTC),
            str(e.get("STATUS", "")) == "CANCELLED",
        )
        for e in calendar.walk("VEVENT")
    }


def meeting(page: Any, uid: str) -> Any:
    return page.locator(f'li.meeting[data-uid="{uid}"]')


def local_text(start: dt.datetime, end: dt.datetime, zone: str) -> str:
    """What the page's script should write: "Mon 6 Mar, 16:00–19:00 your time" (en-GB)."""
    here = zoneinfo.ZoneInfo(zone)
    a, b = start.astimezone(here), end.astimezone(here)
    return f"{a:%a} {a.day} {a:%b}, {a:%H:%M}–{b:%H:%M} your time"


# --------------------------------------------------------------------------- the programme


@pytest.mark.parametrize(
    ("name", "feed"), [("seed", "seed/oewg-ict.ics"), ("generated", "generated/oewg.ics")]
)
def test_days_and_meetings_match_the_feed(
    open_page: OpenPage, site: Site, name: str, feed: str
) -> None:
    page = open_page(PAGES[name])
    events = vevents(site, feed)
    assert page.locator("li.meeting").count() == len(events)
    days_seen: list[str] = []
    for uid, (start, end, cancelled) in sorted(events.items(), key=lambda kv: kv[1][0]):
        item = meeting(page, uid)
        assert item.is_visible()
        local = start.astimezone(NEW_YORK)
        time = item.locator(".when time")
        assert time.get_attribute("datetime") == local.isoformat(timespec="minutes")
        day = item.locator("xpath=ancestor::section[contains(@class,'day')]/h3").inner_text()
        assert day == f"{local:%A} {local.day} {local:%B %Y}"
        if not days_seen or days_seen[-1] != day:
            days_seen.append(day)
        assert ("cancelled" in (item.get_attribute("class") or "")) == cancelled
        # the same meeting in the reader's zone, written by the page's script
        assert item.locator(".local").inner_text() == local_text(start, end, READER_ZONE)
    headings = page.locator("section.day > h3").all_inner_texts()
    assert headings == days_seen  # every day once, in order


def test_the_seed_reads_in_new_york_time(open_page: OpenPage, site: Site) -> None:
    page = open_page(SEED)
    times = page.locator("li.meeting .when time").all_inner_texts()
    assert times == ["10 a.m.–1 p.m.", "3–6 p.m."] * 5
    assert (
        page.locator(".zone-note")
        .first.inner_text()
        .startswith("All times are local time in New York (America/New_York).")
    )
    note = page.locator(".local-note")
    assert note.is_visible() and READER_ZONE in note.inner_text()


def test_a_zone_a_day_ahead(open_page: OpenPage, site: Site) -> None:
    page = open_page(SEED, timezone_id="Asia/Tokyo")
    for uid, (start, end, _) in vevents(site, "seed/oewg-ict.ics").items():
        assert meeting(page, uid).locator(".local").inner_text() == local_text(
            start, end, "Asia/Tokyo"
        )
    first = page.locator("li.meeting .local").first.inner_text()
    assert first == "Tue 7 Mar, 00:00–03:00 your time"  # 10 a.m. Monday in New York


def test_a_reader_in_new_york_sees_no_second_time(open_page: OpenPage) -> None:
    page = open_page(SEED, timezone_id="America/New_York")
    assert page.locator(".local").count() == 0
    assert not page.locator(".local-note").is_visible()


def test_series_informal_and_footnotes(open_page: OpenPage) -> None:
    page = open_page(SEED)
    tuesday = page.locator("li.meeting").nth(2)
    assert tuesday.locator(".series").inner_text() == (
        "Item 5, meeting 3 of 9 · Item 5(a), meeting 2 of 2"
    )
    informal = page.locator("li.meeting.informal")
    assert informal.count() == 1
    assert informal.locator(".tag-informal").inner_text() == "Informal meeting"
    mark = page.locator("sup.note-mark a").first
    mark.click()
    target = page.locator(mark.get_attribute("href") or "#missing")
    assert target.is_visible() and "States are strongly encouraged" in target.inner_text()
    assert page.evaluate("location.hash") == mark.get_attribute("href")


def test_documents_link_to_undocs(open_page: OpenPage) -> None:
    page = open_page(SEED)
    hrefs = page.locator("a.document").evaluate_all("links => links.map(a => a.href)")
    assert "https://undocs.org/A/RES/75/240" in hrefs
    assert "https://undocs.org/A/77/275" in hrefs


# --------------------------------------------------------------------------- every kind
# The features page (conftest.features_programme): New York in June 2025 is four hours
# behind UTC, Chicago five, Zurich two ahead and Tokyo nine.


def feature_events(site: Site) -> list[tuple[str, Any, dt.datetime | None, bool]]:
    """The served feed's events: UID, start (a date for a day without a time,
    else an aware datetime), end (None for a deadline and a day without a time) and
    whether the end was assumed."""
    calendar = icalendar.Calendar.from_ical((site.folder / "features/cpc.ics").read_bytes())
    found = []
    for e in calendar.walk("VEVENT"):
        start = e.decoded("DTSTART")
        timed = isinstance(start, dt.datetime)
        end = e.decoded("DTEND") if timed and "DTEND" in e else None
        assumed = str(e.get("X-OEWG-END-ASSUMED", "")) == "TRUE"
        found.append((str(e["UID"]), start, end, assumed))
    return found


def local_line(start: dt.datetime, end: dt.datetime | None, assumed: bool, zone: str) -> str:
    """ "Tue 3 Jun, 21:00 – Wed 4 Jun, 01:00 your time": the end's day is written when
    it is not the start's (an end at midnight is the start's day's)."""
    here = zoneinfo.ZoneInfo(zone)
    a = start.astimezone(here)
    text = f"{a:%a} {a.day} {a:%b}, {a:%H:%M}"
    if end is None:
        return f"{text} your time"
    b = end.astimezone(here)
    until = f"({b:%H:%M})" if assumed else f"{b:%H:%M}"
    if (b - dt.timedelta(minutes=1)).date() != a.date():
        return f"{text} – {b:%a} {b.day} {b:%b}, {until} your time"
    return f"{text}–{until} your time"


def test_every_kind_in_new_york_time(open_page: OpenPage) -> None:
    page = open_page(FEATURES, timezone_id="America/New_York")
    assert page.locator("li.meeting .when time").all_inner_texts() == [
        "No time given",
        "10 a.m.–1 p.m.",
        "3 p.m.–(6 p.m.)",
        "10 a.m.–1 p.m.",
        "1 p.m.",
        "10 p.m.–2 a.m. (next day)",
        "3–6 p.m.",
        "10 a.m.–1 p.m.",
        "3–6 p.m.",
    ]
    assert page.locator(".local").count() == 0  # the reader is in the duty station's zone
    assert page.locator(".time-note").all_inner_texts() == [
        "(the programme gives the day only)",
        "(the programme gives the start only: the end is assumed)",
    ]
    deadline = page.locator("li.meeting.deadline")
    assert deadline.locator(".tag-deadline").inner_text() == "Deadline"
    assert deadline.locator(".entries p").all_inner_texts() == [
        "Closure of the list of speakers",
        "Agenda item 3: Programme planning",
    ]
    assert page.locator(".followed-by").all_inner_texts() == [
        "Followed by an informal meeting:",
        "Followed by a formal meeting:",
    ]
    assert page.locator(".series").all_inner_texts() == [
        "Item 3, meeting 1 of 3",
        "Item 3, meeting 2 of 3",  # the deadline between them is not a meeting
        "Item 18 (begun before this programme), meeting 1 of 2 in this programme",
        "Item 3, meeting 3 of 3",
        "Item 18 (begun before this programme), meeting 2 of 2 in this programme",
    ]
    items = page.locator("p.item").all_inner_texts()
    for text in (
        "Agenda item 1: Election of officers (concluded)",
        "Agenda item 18",
        "Agenda item 18 (concluded)",
        "Agenda item 3: Programme planning (concluded)",
    ):
        assert text in items
    assert "Sub-item (b)" in page.locator("p.sub-item").all_inner_texts()
    # the latest changes name each meeting whole, without the 40-character short name
    assert page.locator("#changes > ul > li > a").all_inner_texts() == [
        "Tuesday 3 June, 1 p.m.: Deadline: Item 3: Programme planning",
        "Tuesday 3 June, 10 p.m.–2 a.m. (next day): Item 3: Programme planning (cont., concl.)",
        "Thursday 5 June, 3–6 p.m.: Briefing by the Secretariat",
    ]


@pytest.mark.parametrize(
    ("zone", "by_hand"),
    [
        (
            READER_ZONE,
            {
                "3 p.m.–(6 p.m.)": "Mon 2 Jun, 21:00–(00:00) your time",
                "1 p.m.": "Tue 3 Jun, 19:00 your time",
                "10 p.m.–2 a.m. (next day)": "Wed 4 Jun, 04:00–08:00 your time",
            },
        ),
        (
            "America/Chicago",
            {
                "3 p.m.–(6 p.m.)": "Mon 2 Jun, 14:00–(17:00) your time",
                "1 p.m.": "Tue 3 Jun, 12:00 your time",
                "10 p.m.–2 a.m. (next day)": "Tue 3 Jun, 21:00 – Wed 4 Jun, 01:00 your time",
            },
        ),
        (
            "Asia/Tokyo",
            {
                "3 p.m.–(6 p.m.)": "Tue 3 Jun, 04:00–(07:00) your time",
                "1 p.m.": "Wed 4 Jun, 02:00 your time",
                "10 p.m.–2 a.m. (next day)": "Wed 4 Jun, 11:00–15:00 your time",
            },
        ),
    ],
)
def test_every_kind_in_the_readers_zone(
    open_page: OpenPage, site: Site, zone: str, by_hand: dict[str, str]
) -> None:
    page = open_page(FEATURES, timezone_id=zone)
    events = feature_events(site)
    assert page.locator("li.meeting").count() == len(events) == 9
    for uid, start, end, assumed in events:
        local = meeting(page, uid).locator(".local")
        if not isinstance(start, dt.datetime):
            assert local.count() == 0  # a day without a time has no time to convert
            continue
        assert local.inner_text() == local_line(start, end, assumed, zone)
    times = page.locator("li.meeting .when time").all_inner_texts()
    for shown, expected in by_hand.items():
        (index,) = [i for i, text in enumerate(times) if text == shown]
        assert page.locator("li.meeting").nth(index).locator(".local").inner_text() == expected
    assert page.locator(".local-zone").inner_text() == zone


def test_every_kind_without_javascript(open_page: OpenPage) -> None:
    page = open_page(FEATURES, java_script_enabled=False)
    items = page.locator("li.meeting")
    assert items.count() == 9
    assert all(items.nth(i).is_visible() for i in range(9))
    assert page.locator(".local").count() == 0
    untimed = items.first.locator(".when")
    assert untimed.inner_text().splitlines() == [
        "No time given",
        "(the programme gives the day only)",
    ]


# --------------------------------------------------------------------------- changes


def test_a_cancelled_meeting_is_struck_through(open_page: OpenPage) -> None:
    page = open_page(GENERATED)
    cancelled = page.locator("li.meeting.cancelled")
    assert cancelled.count() == 1
    thursday = dt.datetime(2023, 3, 9, 15, tzinfo=NEW_YORK).astimezone(UTC)
    assert cancelled.get_attribute("data-start") == thursday.strftime("%Y-%m-%dT%H:%M:%SZ")
    # struck through for the eye, and said in words for everyone
    for struck in cancelled.locator("del").all():
        assert "line-through" in struck.evaluate("e => getComputedStyle(e).textDecorationLine")
        assert struck.is_visible()
    assert cancelled.locator("del").first.inner_text() == "3–6 p.m."
    tag = cancelled.locator(".tag-cancelled")
    assert tag.is_visible() and tag.inner_text() == "Cancelled on 7 March 2023"


def test_the_last_changes_are_highlighted(open_page: OpenPage) -> None:
    page = open_page(GENERATED)
    changed = page.locator("li.meeting.changed")
    assert changed.count() == 1
    assert changed.locator(".tag-changed").inner_text() == "Changed in the last update"
    assert changed.locator(".what-changed li").all_inner_texts() == [
        "Time: was 2023-03-08 15:00–18:00, now 2023-03-08 15:30–18:00"
    ]
    background = changed.evaluate("e => getComputedStyle(e).backgroundColor")
    plain = page.locator("li.meeting:not(.changed):not(.new):not(.cancelled)").first
    assert background != plain.evaluate("e => getComputedStyle(e).backgroundColor")
    new = page.locator("li.meeting.new")
    assert new.locator(".when time").inner_text() == "1.15–2.45 p.m."
    # the summary at the top links to each of them
    links = page.locator("#changes > ul > li > a")
    assert links.count() == 3
    links.nth(1).click()
    assert page.evaluate("location.hash") == "#" + (changed.get_attribute("id") or "")
    assert page.locator("#last-changed").inner_text() == (
        "Last changed: 7 March 2023, 2.02 p.m. (New York time)."
    )
    assert page.locator("#last-checked").inner_text() == (
        "Last checked for changes: Tuesday 7 March 2023."
    )


# --------------------------------------------------------------------------- subscribe


@pytest.mark.parametrize(
    ("name", "feed"), [("seed", "seed/oewg-ict.ics"), ("generated", "generated/oewg.ics")]
)
def test_the_subscribe_links_resolve_to_the_feed(
    open_page: OpenPage, site: Site, name: str, feed: str
) -> None:
    page = open_page(PAGES[name])
    served = (site.folder / feed).read_bytes()
    https = page.locator("#feed-link").evaluate("a => a.href")
    assert https == site.url(feed)
    webcal = page.locator("#subscribe-webcal").evaluate("a => a.href")
    assert webcal == "webcal://" + site.url(feed).removeprefix("http://")
    google = urllib.parse.urlsplit(page.locator("#subscribe-google").evaluate("a => a.href"))
    assert google.netloc == "calendar.google.com"
    assert urllib.parse.parse_qs(google.query)["cid"] == [webcal]
    for ident, host in (
        ("#subscribe-outlook-com", "outlook.live.com"),
        ("#subscribe-microsoft-365", "outlook.office.com"),
    ):
        link = urllib.parse.urlsplit(page.locator(ident).evaluate("a => a.href"))
        query = urllib.parse.parse_qs(link.query)
        assert link.netloc == host and query["url"] == [https]
        assert query["name"] == [page.title()]
    for address in (https, "http://" + webcal.removeprefix("webcal://")):
        response = page.request.get(address)
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/calendar")
        assert response.body() == served


def test_the_copy_button_copies_the_address(open_page: OpenPage, site: Site) -> None:
    page = open_page(SEED)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.base[:-1])
    button = page.get_by_role("button", name="Copy the address")
    assert button.is_visible()
    button.click()
    page.locator("#copy-status").filter(has_text="copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == site.url("seed/oewg-ict.ics")


def test_the_qr_code_is_shown_on_a_desktop(open_page: OpenPage) -> None:
    page = open_page(SEED, viewport={"width": 1280, "height": 800})
    qr = page.locator("figure.qr svg")
    assert qr.is_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 120 and box["width"] == box["height"]
    assert "webcal://" in (qr.get_attribute("aria-label") or "")


def test_the_index_links_to_the_page(open_page: OpenPage, site: Site) -> None:
    page = open_page("generated/index.html")
    page.get_by_role("link", name="OEWG on ICT security — 4th session").click()
    page.wait_for_load_state()
    assert page.url == site.url(GENERATED)


# --------------------------------------------------------------------------- for people


@pytest.mark.parametrize("name", sorted(CHECKED))
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(
    open_page: OpenPage, name: str, width: int, scheme: str
) -> None:
    axe = ensure_axe()
    page = open_page(CHECKED[name], viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.add_script_tag(path=str(axe))  # inlined: nothing is fetched
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    severe = [v for v in results["violations"] if v["impact"] in SEVERE]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in severe
    ]
    assert severe == [], "\n".join(report)
    assert results["testEngine"]["version"] == "4.14.1"


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_and_nothing_scrolls_sideways(
    open_page: OpenPage, name: str, width: int
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page(PAGES[name], viewport={"width": width, "height": 900})
    target = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width == 1280:
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}-top.png"))
    dark = SCREENSHOTS / f"{name}-{width}-dark.png"
    page.emulate_media(color_scheme="dark")
    page.screenshot(path=str(dark), full_page=True)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(21, 24, 27)"  # the dark style sheet applies


def test_screenshot_for_the_readme(open_page: OpenPage) -> None:
    """docs/agenda-page.png is this screenshot (copied by hand when the page changes)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page("seed/readme.html", viewport={"width": 1100, "height": 1000})
    assert page.locator("#feed-link").inner_text() == README_URL
    page.screenshot(path=str(SCREENSHOTS / "readme-seed.png"))


def test_print_shows_the_programme_without_buttons(open_page: OpenPage) -> None:
    page = open_page(GENERATED)
    assert page.locator("#copy-feed").is_visible()
    page.emulate_media(media="print")
    assert page.evaluate("matchMedia('print').matches")
    for hidden in ("#subscribe", "#copy-feed", "nav.days", ".local"):
        for element in page.locator(hidden).all():
            assert not element.is_visible(), hidden
    assert page.locator("li.meeting").first.is_visible()
    assert page.locator("li.meeting.cancelled del").first.is_visible()
    document = page.locator("a.document").first
    after = document.evaluate("a => getComputedStyle(a, '::after').content")
    assert "undocs.org" in after or "unoda.org" in after  # links printed as addresses
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SCREENSHOTS / "generated-print.pdf"))


def test_without_javascript_everything_but_the_extras(open_page: OpenPage, site: Site) -> None:
    page = open_page(GENERATED, java_script_enabled=False)
    events = vevents(site, "generated/oewg.ics")
    items = page.locator("li.meeting")
    assert items.count() == len(events)
    assert all(items.nth(i).is_visible() for i in range(items.count()))
    assert page.locator("li.meeting .local").count() == 0
    assert not page.locator("#copy-feed").is_visible()  # no dead button
    assert not page.locator(".local-note").first.is_visible()
    assert page.locator("#subscribe-webcal").is_visible()
    assert page.locator("li.meeting.cancelled .tag-cancelled").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "generated-1280-nojs.png"), full_page=True)


def test_the_problem_collector_is_not_blind(browser: Any, site: Site) -> None:
    from .conftest import Problems

    context = browser.new_context()
    page = context.new_page()
    problems = Problems(page, site.base)
    try:
        page.goto(site.url(SEED))
        assert problems.messages == []
        page.evaluate("console.error('boom')")
        page.evaluate("setTimeout(() => { throw new Error('late') }, 0)")
        page.evaluate("fetch('http://192.0.2.1/x').catch(() => {})")
        page.wait_for_timeout(200)
        page.goto(site.url("no-such-page.html"))
    finally:
        context.close()
    text = "\n".join(problems.messages)
    assert "console.error: boom" in text
    assert "pageerror: late" in text
    assert "request to elsewhere: http://192.0.2.1/x" in text
    assert "HTTP 404" in text
