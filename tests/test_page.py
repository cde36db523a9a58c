"""The agenda page (oewg_cal.page), read as HTML without a browser.

Expected values are worked out here, not taken from the page code: meeting instants come
from icalendar's own reading of the feed and zoneinfo, words from the seed document.
The browser tests (tests/browser) look at the same pages in Chromium.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import zoneinfo
from pathlib import Path

import attrs
import icalendar
import pytest
import segno
from hypothesis import given
from hypothesis import strategies as st

from htmltree import Element, parse
from oewg_cal.ical.decode import read_ics
from oewg_cal.ical.encode import write_ics
from oewg_cal.ical.feed import Feed, FeedOptions, feed_of
from oewg_cal.model import (
    AgendaEntry,
    Body,
    FollowedBy,
    Footnote,
    Kind,
    Meeting,
    Programme,
    Reference,
    Segment,
    SeriesKey,
    SubItem,
)
from oewg_cal.page import (
    IndexEntry,
    clock_text,
    render_index,
    render_page,
    subscribe_links,
    time_range_text,
)
from oewg_cal.refresh import plan
from strategies import feeds

ROOT = Path(__file__).resolve().parents[1]
SEED_ICS = (ROOT / "examples" / "oewg-ict-4th-session.ics").read_bytes()
URL = "https://mission.example.org/calendars/oewg-ict.ics"
UTC = dt.timezone.utc
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
T0 = dt.datetime(2023, 3, 5, 12, 0, tzinfo=UTC)  # before the session
T1 = dt.datetime(2023, 3, 7, 19, 2, tzinfo=UTC)  # 2.02 p.m. in New York, 7 March


def seed_feed() -> Feed:
    return read_ics(SEED_ICS)


def page_of(feed: Feed, **options: object) -> Element:
    return parse(render_page(feed, **options))  # type: ignore[arg-type]


def meetings(page: Element) -> list[Element]:
    return page.find_all("li", cls="meeting")


def meeting_by_uid(page: Element, uid: str) -> Element:
    (found,) = [m for m in meetings(page) if m.get("data-uid") == uid]
    return found


def vevent_instants(ics: bytes) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """Every VEVENT's UTC start and end, as icalendar reads them through the VTIMEZONE."""
    calendar = icalendar.Calendar.from_ical(ics)
    return {
        str(e["UID"]): (
            e.decoded("DTSTART").astimezone(UTC),
            e.decoded("DTEND").astimezone(UTC),
        )
        for e in calendar.walk("VEVENT")
    }


def zulu(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day_heading(meeting: Element) -> str:
    section = next(a for a in meeting.ancestors() if "day" in a.classes)
    return section.find("h3").text()


# --------------------------------------------------------------------------- the seed


def test_every_meeting_of_the_seed_at_its_time_in_new_york() -> None:
    page = page_of(seed_feed(), url=URL)
    instants = vevent_instants(SEED_ICS)
    assert len(meetings(page)) == len(instants) == 10
    for uid, (start, end) in instants.items():
        item = meeting_by_uid(page, uid)
        assert (item.get("data-start"), item.get("data-end")) == (zulu(start), zulu(end))
        local = start.astimezone(NEW_YORK)
        time = item.find("time")
        assert time.get("datetime") == local.isoformat(timespec="minutes")
        # the seed's slots, in the document's own words
        assert time.text() == {10: "10 a.m.–1 p.m.", 15: "3–6 p.m."}[local.hour]
        assert day_heading(item) == f"{local:%A} {local.day} {local:%B %Y}"
    assert (
        page.find("p", cls="zone-note")
        .text()
        .startswith("All times are local time in New York (America/New_York).")
    )


def test_days_in_order_with_a_day_index() -> None:
    page = page_of(seed_feed(), url=URL)
    titles = [h.text() for h in page.find_all("h3") if h.parent and "day" in h.parent.classes]
    assert titles == [
        "Monday 6 March 2023",
        "Tuesday 7 March 2023",
        "Wednesday 8 March 2023",
        "Thursday 9 March 2023",
        "Friday 10 March 2023",
    ]
    nav = page.find("nav", cls="days")
    assert [a.text() for a in nav.iter("a")] == [
        "Mon 6 Mar",
        "Tue 7 Mar",
        "Wed 8 Mar",
        "Thu 9 Mar",
        "Fri 10 Mar",
    ]
    for link in nav.iter("a"):
        target = page.by_id(str(link.get("href"))[1:])
        assert target.tag == "h3"


def _slot(page: Element, day: int, hour: int) -> Element:
    wanted = dt.datetime(2023, 3, day, hour, tzinfo=NEW_YORK)
    (found,) = [m for m in meetings(page) if m.get("data-start") == zulu(wanted)]
    return found


def test_continued_items_show_their_series() -> None:
    page = page_of(seed_feed(), url=URL)
    # item 5 is taken up in the nine meetings from Monday morning to Friday morning;
    # 5(a) on Monday afternoon and Tuesday morning, 5(f) on Wednesday, 5(g) on Thursday
    expected = {
        (6, 10): ["Item 5, meeting 1 of 9"],
        (6, 15): ["Item 5, meeting 2 of 9 · Item 5(a), meeting 1 of 2"],
        (7, 10): ["Item 5, meeting 3 of 9 · Item 5(a), meeting 2 of 2"],
        (7, 15): ["Item 5, meeting 4 of 9"],
        (8, 10): ["Item 5, meeting 5 of 9 · Item 5(f), meeting 1 of 2"],
        (8, 15): ["Item 5, meeting 6 of 9 · Item 5(f), meeting 2 of 2"],
        (9, 10): ["Item 5, meeting 7 of 9 · Item 5(g), meeting 1 of 2"],
        (9, 15): ["Item 5, meeting 8 of 9 · Item 5(g), meeting 2 of 2"],
        (10, 10): ["Item 5, meeting 9 of 9"],
        (10, 15): [],
    }
    for (day, hour), series in expected.items():
        found = [p.text() for p in _slot(page, day, hour).find_all("p", cls="series")]
        assert found == series, (day, hour)
    # the series says it: no "(continued)" is left in the agenda text
    for item in meetings(page):
        assert "(continued)" not in item.text()


def test_the_first_meeting_reads_like_the_document() -> None:
    item = _slot(page_of(seed_feed(), url=URL), 6, 10)
    assert [p.text() for p in item.find_all("p")] == [
        "Opening of the session",
        "Opening statements",
        "Agenda item 3: organization of work",
        "Agenda item 5: discussions on substantive issues contained in paragraph 1 of "
        "General Assembly resolution 75/2401",  # the footnote mark, superscript
        "(d) Continue to study, with a view to promoting common understandings, existing and "
        "potential threats in the sphere of information security, inter alia, data security, "
        "and possible cooperative measures to prevent and counter such threats",
        "Item 5, meeting 1 of 9",
    ]
    speakers = item.find("ul", cls="speakers")
    assert [li.text() for li in speakers.iter("li")] == [
        "Under-Secretary-General and High Representative for Disarmament Affairs",
        "Chair of the open-ended working group on security of and in the use of information "
        "and communications technologies 2021–2025",
    ]


def test_informal_meeting_is_marked() -> None:
    page = page_of(seed_feed(), url=URL)
    informal = [m for m in meetings(page) if "informal" in m.classes]
    assert informal == [_slot(page, 9, 15)]
    assert informal[0].find("span", cls="tag-informal").text() == "Informal meeting"


def test_footnote_marks_link_to_the_footnote() -> None:
    page = page_of(seed_feed(), url=URL)
    (mark,) = _slot(page, 6, 10).find_all("sup", cls="note-mark")
    link = mark.find("a")
    assert link.text() == "1"
    note = page.by_id(str(link.get("href"))[1:])
    assert note.text().startswith("1 States are strongly encouraged to use their interventions")
    assert note.text().endswith("as contained in document A/77/275.")


def test_documents_are_linked() -> None:
    page = page_of(seed_feed(), url=URL)
    links = {a.text(): a.get("href") for a in page.find_all("a", cls="document")}
    assert links == {
        "Provisional programme of work": "https://meetings.unoda.org/open-ended-working-group-"
        "on-information-and-communication-technologies-2021",
        "General Assembly resolution 75/240": "https://undocs.org/A/RES/75/240",
        "A/AC.292/2021/1": "https://undocs.org/A/AC.292/2021/1",
        "A/77/275": "https://undocs.org/A/77/275",
    }


# --------------------------------------------------------------------------- subscribe


def test_subscribe_links_for_every_calendar() -> None:
    page = page_of(seed_feed(), url=URL)
    name = (
        "OEWG%20on%20ICT%20security%202021%E2%80%932025%20%E2%80%94%20"
        "Fourth%20substantive%20session"
    )
    encoded = "https%3A%2F%2Fmission.example.org%2Fcalendars%2Foewg-ict.ics"
    expected = {
        "subscribe-webcal": "webcal://mission.example.org/calendars/oewg-ict.ics",
        "subscribe-google": "https://calendar.google.com/calendar/r?cid="
        "webcal%3A%2F%2Fmission.example.org%2Fcalendars%2Foewg-ict.ics",
        "subscribe-outlook-com": "https://outlook.live.com/calendar/0/addfromweb"
        f"?url={encoded}&name={name}",
        "subscribe-microsoft-365": "https://outlook.office.com/calendar/0/addfromweb"
        f"?url={encoded}&name={name}",
        "feed-link": URL,
    }
    for ident, href in expected.items():
        assert page.by_id(ident).get("href") == href, ident
    assert page.by_id("feed-link").text() == URL
    copy = page.by_id("copy-feed")
    assert copy.tag == "button" and "hidden" in copy.attrs  # shown by the script only
    (alternate,) = [e for e in page.iter("link") if e.get("rel") == "alternate"]
    assert (alternate.get("type"), alternate.get("href")) == ("text/calendar", URL)


def test_subscribe_links_keep_the_url_as_given() -> None:
    links = subscribe_links("http://example.org/a b?x=1&y=2", "A & B")
    assert links.webcal == "webcal://example.org/a b?x=1&y=2"
    assert links.outlook_com == (
        "https://outlook.live.com/calendar/0/addfromweb"
        "?url=http%3A%2F%2Fexample.org%2Fa%20b%3Fx%3D1%26y%3D2&name=A%20%26%20B"
    )
    with pytest.raises(ValueError, match="http"):
        subscribe_links("ftp://example.org/feed.ics", "x")


def _qr_cells(svg: Element) -> set[tuple[int, int]]:
    """The dark modules a segno SVG path draws (moves and horizontal strokes)."""
    (path,) = [p for p in svg.iter("path") if p.get("class") == "qrline"]
    x = y = 0.0
    cells: set[tuple[int, int]] = set()
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", str(path.get("d"))):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            cells.update((int(x) + i, int(y)) for i in range(int(float(a))))
            x += float(a)
    return cells


def test_the_qr_code_is_the_webcal_link() -> None:
    page = page_of(seed_feed(), url=URL)
    svg = page.find("figure", cls="qr").find("svg")
    assert svg.get("role") == "img"
    assert "webcal://mission.example.org/calendars/oewg-ict.ics" in str(svg.get("aria-label"))

    def dark(text: str) -> set[tuple[int, int]]:
        matrix = segno.make(text, error="m").matrix
        return {(x + 4, y + 4) for y, row in enumerate(matrix) for x, v in enumerate(row) if v}

    cells = _qr_cells(svg)
    assert cells == dark("webcal://mission.example.org/calendars/oewg-ict.ics")
    assert cells != dark(URL)


def test_without_a_url_the_page_says_how_to_set_it() -> None:
    page = page_of(seed_feed(), feed_href="oewg-ict.ics")
    notice = page.by_id("no-url").text()
    assert 'url = "https://…/oewg-ict.ics"' in notice and "[[feed]]" in notice
    assert "--url" in notice
    assert page.by_id("feed-link").get("href") == "oewg-ict.ics"
    for ident in ("subscribe-webcal", "subscribe-google", "copy-feed"):
        assert not [e for e in page.iter() if e.get("id") == ident]
    assert not page.find_all("figure", cls="qr")


# --------------------------------------------------------------------------- guarantees


def test_identical_input_gives_identical_bytes() -> None:
    previous = feed_of(programme_of(SEED_ICS))
    new_feed, report = plan(previous, [retimed_seed()], FeedOptions(), T1)
    options = {"url": URL, "report": report, "changed": T1, "checked": dt.date(2023, 3, 7)}
    first = render_page(new_feed, **options)  # type: ignore[arg-type]
    again = render_page(read_ics(write_ics(new_feed)), **options)  # type: ignore[arg-type]
    assert first == again
    assert render_page(seed_feed(), url=URL) == render_page(seed_feed(), url=URL)


SCRIPT = "<script>alert('x')</script>"
EVIL = f'{SCRIPT} & "quotes" <b>bold</b> &amp;'


def evil_programme() -> Programme:
    return Programme(
        body=Body(name=f"Body {EVIL}", short_name=f"Short {EVIL}"),
        session=f"Session {EVIL}",
        place=f"Place {EVIL}",
        venue=f"Venue {EVIL}",
        first_day=dt.date(2023, 3, 6),
        last_day=dt.date(2023, 3, 7),
        issued=dt.date(2023, 3, 1),
        symbol=f"A/{EVIL}",
        url='https://example.org/"><script>alert(1)</script>',
        notes=(f"Note {EVIL}",),
        footnotes=(Footnote(mark="1", text=f"Footnote {EVIL}"),),
        references=(Reference(symbol=f"R {EVIL}", title=f"Ref {EVIL}", url="javascript:alert(1)"),),
        meetings=[
            Meeting(
                date=dt.date(2023, 3, 6),
                start=dt.time(10),
                end=dt.time(13),
                room=f"Room {EVIL}",
                entries=[
                    AgendaEntry(segment=Segment.OTHER, label=f"Label {EVIL}"),
                    AgendaEntry(
                        item=5,
                        title=f"Title {EVIL}",
                        sub_item=SubItem(letter="a", text=f"Sub {EVIL}"),
                        speakers=(f"Speaker {EVIL}",),
                        footnotes=("1",),
                    ),
                ],
            ),
            Meeting(
                date=dt.date(2023, 3, 7),
                start=dt.time(10),
                end=dt.time(13),
                entries=[AgendaEntry(item=5, title=f"Title {EVIL}", continued=True)],
            ),
        ],
    )


def test_every_document_text_is_escaped() -> None:
    feed = feed_of(evil_programme(), FeedOptions(description=f"Description {EVIL}"))
    html = render_page(feed, url=f"https://example.org/feed.ics?a=1&b={SCRIPT}").decode()
    page = parse(html)
    scripts = list(page.iter("script"))
    assert len(scripts) == 1 and "alert" not in scripts[0].text()  # only the page's own
    assert "<b>" not in html and SCRIPT not in html
    text = page.text()
    for field in ("Body", "Session", "Note", "Footnote", "Label", "Title", "Sub", "Speaker"):
        assert f"{field} {EVIL}" in text, field
    assert f"Room {EVIL}" in text
    (source,) = [a for a in page.find_all("a", cls="document") if "example.org" in a.get("href")]
    assert source.get("href") == 'https://example.org/"><script>alert(1)</script>'
    meta = [m for m in page.iter("meta") if m.get("name") == "description"]
    assert meta[0].get("content") == f"Description {EVIL}"
    # a document link that is not http(s) is shown, never linked
    assert not [a for a in page.iter("a") if str(a.get("href")).startswith("javascript:")]
    assert f"Ref {EVIL}" in text


def test_nothing_is_fetched_from_elsewhere() -> None:
    programme = programme_of(SEED_ICS)
    html = render_page(seed_feed(), url=URL)
    page = parse(html)
    links = subscribe_links(URL, "OEWG on ICT security 2021–2025 — Fourth substantive session")
    allowed = {
        links.https,
        links.webcal,
        links.google,
        links.outlook_com,
        links.microsoft_365,
        programme.url,
        *(r.url for r in programme.references),
    }
    for element in page.iter():
        for name in ("src", "srcset", "poster", "action", "data", "formaction"):
            assert name not in element.attrs, element
        href = element.get("href")
        if href is None or href.startswith("#"):
            continue
        if element.tag == "link" and element.get("rel") == "icon":
            assert href == "data:,"  # no favicon request either
            continue
        assert href in allowed, href
    assert not [e for e in page.iter() if e.tag in ("img", "iframe", "object", "embed", "video")]
    style = page.find("style").text()
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    script = page.find("script").text()
    assert "fetch(" not in script and "XMLHttpRequest" not in script and "import(" not in script


def test_language_title_and_landmarks() -> None:
    page = page_of(seed_feed(), url=URL)
    html = page.find("html")
    assert html.get("lang") == "en"
    assert page.attrs["doctype"] == "doctype html"
    assert page.find("title").text() == (
        "OEWG on ICT security 2021–2025 — Fourth substantive session"
    )
    assert len(page.find_all("h1")) == 1
    assert len(page.find_all("main")) == 1
    assert page.find_all("header") and page.find_all("footer")
    viewport = [m for m in page.iter("meta") if m.get("name") == "viewport"]
    assert viewport and "width=device-width" in str(viewport[0].get("content"))


def test_last_change_and_check() -> None:
    page = page_of(seed_feed(), url=URL)
    # a feed nobody refreshed carries the issue date as its stamp: no moment to show
    assert page.by_id("last-changed").text() == (
        "Last changed: not since the programme was issued on 4 March 2023."
    )
    assert not [e for e in page.iter() if e.get("id") == "last-checked"]

    page = page_of(seed_feed(), url=URL, changed=T1, checked=dt.date(2023, 3, 7))
    assert page.by_id("last-changed").text() == (
        "Last changed: 7 March 2023, 2.02 p.m. (New York time)."
    )
    assert page.by_id("last-changed").find("time").get("datetime") == "2023-03-07T19:02:00Z"
    assert page.by_id("last-checked").text() == "Last checked for changes: Tuesday 7 March 2023."
    at_noon = dt.datetime(2023, 3, 8, 17, 0, tzinfo=UTC)  # noon in New York
    page = page_of(seed_feed(), url=URL, checked=at_noon)
    assert page.by_id("last-checked").text() == (
        "Last checked for changes: 8 March 2023, noon (New York time)."
    )
    with pytest.raises(ValueError, match="aware"):
        render_page(seed_feed(), checked=dt.datetime(2023, 3, 8, 12))


# --------------------------------------------------------------------------- changes


def programme_of(ics: bytes) -> Programme:
    (programme,) = read_ics(ics).programmes
    return programme


def _at(programme: Programme, day: int, hour: int) -> Meeting:
    (found,) = [m for m in programme.meetings if m.date.day == day and m.start.hour == hour]
    return found


BRIEFING = Meeting(
    date=dt.date(2023, 3, 8),
    start=dt.time(13, 15),
    end=dt.time(14, 45),
    entries=(AgendaEntry(segment=Segment.OTHER, label="Briefing by the Chair"),),
    formal=False,
    room="Conference Room 4",
)


def retimed_seed() -> Programme:
    """The seed with Wednesday afternoon at 3.30, Thursday afternoon gone, a briefing added."""
    seed = programme_of(SEED_ICS)
    wednesday = _at(seed, 8, 15)
    kept = [m for m in seed.meetings if m not in (wednesday, _at(seed, 9, 15))]
    return attrs.evolve(
        seed, meetings=[*kept, attrs.evolve(wednesday, start=dt.time(15, 30)), BRIEFING]
    )


def test_cancelled_changed_and_new_meetings() -> None:
    previous = feed_of(programme_of(SEED_ICS))
    new_feed, report = plan(previous, [retimed_seed()], FeedOptions(), T1)
    page = page_of(new_feed, url=URL, report=report, changed=T1)
    items = meetings(page)
    assert len(items) == 11  # ten, one of them cancelled, and the briefing

    (cancelled,) = [m for m in items if "cancelled" in m.classes]
    thursday = dt.datetime(2023, 3, 9, 15, tzinfo=NEW_YORK)
    assert cancelled.get("data-start") == zulu(thursday)
    assert cancelled.find("strong", cls="tag-cancelled").text() == "Cancelled on 7 March 2023"
    struck = cancelled.find_all("del")
    assert struck[0].text() == "3–6 p.m."
    assert "Informal, dedicated stakeholder segment" in struck[1].text()
    assert all(d.get("datetime") == "2023-03-07T19:02:00Z" for d in struck)

    (changed,) = [m for m in items if "changed" in m.classes]
    assert changed.get("data-start") == zulu(dt.datetime(2023, 3, 8, 15, 30, tzinfo=NEW_YORK))
    assert changed.find("time").text() == "3.30–6 p.m."
    assert changed.find("strong", cls="tag-changed").text() == "Changed in the last update"
    assert [li.text() for li in changed.find("ul", cls="what-changed").iter("li")] == [
        "Time: was 2023-03-08 15:00–18:00, now 2023-03-08 15:30–18:00"
    ]

    (new,) = [m for m in items if "new" in m.classes]
    assert new.get("data-start") == zulu(dt.datetime(2023, 3, 8, 13, 15, tzinfo=NEW_YORK))
    assert new.find("time").text() == "1.15–2.45 p.m."
    assert new.find("strong", cls="tag-new").text() == "New in the last update"
    assert new.find("p", cls="room").text() == "Conference Room 4"

    unmarked = [m for m in items if not m.classes & {"cancelled", "changed", "new"}]
    assert len(unmarked) == 8 and not any(m.find_all("del") for m in unmarked)

    section = page.by_id("changes")
    assert section.find("p").text() == "In the update of 7 March 2023, 2.02 p.m. (New York time):"
    lines = [
        li for li in section.iter("li") if li.parent is not None and li.parent.parent is section
    ]
    assert [li.find("strong").text() for li in lines] == ["Added:", "Changed:", "Cancelled:"]
    targets = [str(li.find("a").get("href"))[1:] for li in lines]
    assert targets == [new.get("id"), changed.get("id"), cancelled.get("id")]
    assert lines[1].find("a").text() == (
        "Wednesday 8 March, 3.30–6 p.m.: Item 5(f): Confidence-building measures (cont.)"
    )


def test_changes_without_their_time() -> None:
    previous = feed_of(programme_of(SEED_ICS))
    new_feed, report = plan(previous, [retimed_seed()], FeedOptions(), T1)
    page = page_of(new_feed, url=URL, report=report)
    assert page.by_id("changes").find("p").text() == "In the last update:"


def test_a_first_publication_marks_nothing() -> None:
    first, report = plan(None, [programme_of(SEED_ICS)], FeedOptions(), T0)
    assert len(report.added) == 10
    page = page_of(first, url=URL, report=report, changed=T0)
    assert not [m for m in meetings(page) if m.classes & {"changed", "new", "cancelled"}]
    assert not [e for e in page.iter() if e.get("id") == "changes"]


def test_two_programmes_two_sections() -> None:
    seed = programme_of(SEED_ICS)
    geneva = attrs.evolve(
        seed,
        session="Fifth substantive session",
        place="Geneva",
        venue="Palais des Nations",
        timezone="Europe/Zurich",
        first_day=dt.date(2023, 7, 24),
        last_day=dt.date(2023, 7, 28),
        issued=dt.date(2023, 7, 1),
        meetings=[
            attrs.evolve(m, date=m.date.replace(month=7, day=m.date.day + 18))
            for m in seed.meetings
        ],
    )
    page = page_of(feed_of([seed, geneva]), url=URL)
    sections = page.find_all("section", cls="programme")
    assert [s.get("data-zone") for s in sections] == ["America/New_York", "Europe/Zurich"]
    assert [s.find("h2").text() for s in sections] == [
        "Programme of work: Fourth substantive session, New York, 6–10 March 2023",
        "Programme of work: Fifth substantive session, Geneva, 24–28 July 2023",
    ]
    first_geneva = sections[1].find_all("li", cls="meeting")[0]
    start = dt.datetime(2023, 7, 24, 10, tzinfo=zoneinfo.ZoneInfo("Europe/Zurich"))
    assert first_geneva.get("data-start") == zulu(start) == "2023-07-24T08:00:00Z"
    assert first_geneva.find("time").get("datetime") == "2023-07-24T10:00+02:00"


# --------------------------------------------------------------------------- every kind
# New York in the week of 6 March 2023 is five hours behind UTC (daylight-saving time
# starts there on 12 March): the UTC instants below are worked out from that.

DEBATE = AgendaEntry(item=2, title="general debate")
PLANNING = AgendaEntry(item=3, title="programme planning")
LONG_SHORT_NAME = "Committee for Programme and Coordination"  # 40 characters


def at(
    day: int, start: int | None, end: int | None, *entries: AgendaEntry, **fields: object
) -> Meeting:
    """A meeting on ``day`` March 2023 from ``start`` to ``end`` o'clock (None: no time)."""
    return Meeting(
        date=dt.date(2023, 3, day),
        start=None if start is None else dt.time(start),
        end=None if end is None else dt.time(end),
        entries=entries,
        **fields,  # type: ignore[arg-type]
    )


def small(*items: Meeting, short_name: str = "Examples", begun: tuple[int, ...] = ()) -> Programme:
    return Programme(
        body=Body(name="Committee on Examples", short_name=short_name),
        session="First session",
        place="New York",
        venue="United Nations Headquarters",
        first_day=dt.date(2023, 3, 6),
        last_day=dt.date(2023, 3, 8),
        issued=dt.date(2023, 3, 1),
        begun_earlier=[SeriesKey(item=n) for n in begun],
        meetings=items,
    )


def read(item: Element) -> list[str]:
    """The paragraphs of a meeting but its tags: its agenda, series, room, what follows."""
    return [p.text() for p in item.find_all("p") if "tags" not in p.classes]


def test_a_day_without_a_time() -> None:
    opening = AgendaEntry(segment=Segment.OPENING, label="Opening of the session")
    (item,) = meetings(page_of(feed_of(small(at(6, None, None, opening))), url=URL))
    assert not {"data-start", "data-end", "data-end-assumed"} & set(item.attrs)
    time = item.find("time")
    assert (time.get("datetime"), time.text()) == ("2023-03-06", "No time given")
    assert item.find("div", cls="when").text() == (
        "No time given (the programme gives the day only)"
    )
    assert day_heading(item) == "Monday 6 March 2023"
    assert read(item) == ["Opening of the session"]


def test_a_deadline_is_a_moment_and_not_one_of_the_items_meetings() -> None:
    closure = attrs.evolve(DEBATE, segment=Segment.OTHER, label="Closure of the list of speakers")
    programme = small(
        at(6, 10, 13, DEBATE),
        at(6, 18, None, closure, kind=Kind.DEADLINE),
        at(7, 10, 13, attrs.evolve(DEBATE, continued=True)),
    )
    first, deadline, second = meetings(page_of(feed_of(programme), url=URL))
    assert deadline.get("data-start") == "2023-03-06T23:00:00Z"  # 6 p.m. in New York
    assert "data-end" not in deadline.attrs  # nothing to end, here or in the reader's zone
    assert deadline.find("div", cls="when").text() == "6 p.m."
    assert deadline.find("p", cls="tags").text() == "Deadline"
    assert "informal" not in deadline.classes
    assert read(deadline) == ["Closure of the list of speakers", "Agenda item 2: general debate"]
    assert read(first) == ["Agenda item 2: general debate", "Item 2, meeting 1 of 2"]
    assert read(second) == ["Agenda item 2: general debate", "Item 2, meeting 2 of 2"]


def test_an_assumed_end_is_said() -> None:
    programme = small(at(6, 10, 13, DEBATE), at(6, 15, 18, PLANNING, end_assumed=True))
    given, assumed = meetings(page_of(feed_of(programme), url=URL))
    assert assumed.find("div", cls="when").text() == (
        "3 p.m.–(6 p.m.) (the programme gives the start only: the end is assumed)"
    )
    assert assumed.find("time").text() == "3 p.m.–(6 p.m.)"
    assert (assumed.get("data-start"), assumed.get("data-end")) == (
        "2023-03-06T20:00:00Z",
        "2023-03-06T23:00:00Z",
    )
    assert assumed.get("data-end-assumed") == ""
    assert given.find("div", cls="when").text() == "10 a.m.–1 p.m."
    assert "data-end-assumed" not in given.attrs


@pytest.mark.parametrize(
    ("start", "end", "assumed", "text", "utc_end"),
    [
        (22, 2, False, "10 p.m.–2 a.m. (next day)", "2023-03-07T07:00:00Z"),
        (21, 0, False, "9 p.m.–midnight", "2023-03-07T05:00:00Z"),
        (9, 8, False, "9 a.m.–8 a.m. (next day)", "2023-03-07T13:00:00Z"),
        (13, 12, False, "1 p.m.–noon (next day)", "2023-03-07T17:00:00Z"),
        (22, 1, True, "10 p.m.–(1 a.m.) (next day)", "2023-03-07T06:00:00Z"),
    ],
)
def test_a_meeting_that_ends_the_next_day(
    start: int, end: int, assumed: bool, text: str, utc_end: str
) -> None:
    night = at(6, start, end, DEBATE, overnight=True, end_assumed=assumed)
    (item,) = meetings(page_of(feed_of(small(night)), url=URL))
    assert item.find("time").text() == text
    assert item.get("data-end") == utc_end
    assert day_heading(item) == "Monday 6 March 2023"  # under the day it starts


@pytest.mark.parametrize(
    ("formal", "follow_formal", "heading"),
    [
        (True, True, "Followed by:"),
        (True, False, "Followed by an informal meeting:"),
        (False, True, "Followed by a formal meeting:"),
        (False, False, "Followed by:"),
    ],
)
def test_what_follows_a_meeting_comes_after_its_agenda(
    formal: bool, follow_formal: bool, heading: str
) -> None:
    follow = FollowedBy(entries=[PLANNING], formal=follow_formal)
    meeting = at(6, 10, 13, DEBATE, formal=formal, followed_by=follow, room="Conference Room 4")
    (item,) = meetings(page_of(feed_of(small(meeting)), url=URL))
    assert read(item) == [
        "Agenda item 2: general debate",
        heading,
        "Agenda item 3: programme planning",
        "Conference Room 4",
    ]
    # the meeting's own kind is its tag; what follows says its kind in its heading only
    tags = [t.text() for t in item.find_all("span", cls="tag")]
    assert tags == ([] if formal else ["Informal meeting"])


def test_concluded_untitled_items_and_sub_items_by_letter() -> None:
    reports = AgendaEntry(item=4, title="reports", sub_item=SubItem(letter="c"))
    programme = small(
        at(6, 10, 13, AgendaEntry(item=18), reports),
        at(
            7,
            10,
            13,
            AgendaEntry(item=18, continued=True, concluded=True),
            attrs.evolve(
                reports,
                concluded=True,
                sub_item=SubItem(letter="c", continued=True, concluded=True),
            ),
        ),
    )
    first, second = meetings(page_of(feed_of(programme), url=URL))
    assert read(first) == [
        "Agenda item 18",
        "Item 18, meeting 1 of 2",
        "Agenda item 4: reports",
        "Sub-item (c)",
        "Item 4, meeting 1 of 2 · Item 4(c), meeting 1 of 2",
    ]
    # "(continued)" is told by the series; "(concluded)" stays, with or without a title
    assert read(second) == [
        "Agenda item 18 (concluded)",
        "Item 18, meeting 2 of 2",
        "Agenda item 4: reports (concluded)",
        "Sub-item (c) (concluded)",
        "Item 4, meeting 2 of 2 · Item 4(c), meeting 2 of 2",
    ]


def test_a_series_begun_before_the_programme() -> None:
    reports = AgendaEntry(item=7, title="reports", continued=True)
    closure = attrs.evolve(
        reports, continued=False, segment=Segment.OTHER, label="Closure of the list of speakers"
    )
    programme = small(
        at(6, 10, 13, reports, AgendaEntry(item=9, title="other matters", continued=True)),
        at(6, 18, None, closure, kind=Kind.DEADLINE),
        at(7, 10, 13, attrs.evolve(reports, concluded=True)),
        begun=(7, 9),
    )
    first, deadline, last = meetings(page_of(feed_of(programme), url=URL))
    assert read(first) == [
        "Agenda item 7: reports",
        "Item 7 (begun before this programme), meeting 1 of 2 in this programme",
        "Agenda item 9: other matters",
        "Item 9 (begun before this programme), the only meeting in this programme",
    ]
    assert read(deadline) == ["Closure of the list of speakers", "Agenda item 7: reports"]
    assert read(last) == [
        "Agenda item 7: reports (concluded)",
        "Item 7 (begun before this programme), meeting 2 of 2 in this programme",
    ]


def test_the_changes_name_meetings_without_a_long_short_name() -> None:
    due = AgendaEntry(segment=Segment.OTHER, label="Written submissions due")
    before = small(at(6, 15, 18, DEBATE), at(7, 10, 13, PLANNING), short_name=LONG_SHORT_NAME)
    after = attrs.evolve(
        before,
        meetings=[at(6, 22, 2, DEBATE, overnight=True), at(7, 13, None, due, kind=Kind.DEADLINE)],
    )
    new_feed, report = plan(feed_of(before), [after], FeedOptions(), T0)
    section = page_of(new_feed, url=URL, report=report).by_id("changes")
    lines = [
        li for li in section.iter("li") if li.parent is not None and li.parent.parent is section
    ]
    assert [li.find("a").text() for li in lines] == [
        "Tuesday 7 March, 1 p.m.: Deadline: Written submissions due",
        "Monday 6 March, 10 p.m.–2 a.m. (next day): Item 2: general debate",
        "Tuesday 7 March, 10 a.m.–1 p.m.: Item 3: programme planning",
    ]
    assert [li.find("strong").text() for li in lines] == ["Added:", "Changed:", "Cancelled:"]
    assert "Committee" not in section.text() and "…" not in section.text()


def test_a_removed_meeting_is_named_without_the_body() -> None:
    """A cancelled event dropped after its session is no longer in the feed: its line is
    made from the stored SUMMARY, "Cancelled: Committee for Programme and…: Item 3: …",
    less what the page says elsewhere."""
    before = small(at(6, 15, 18, DEBATE), at(7, 10, 13, PLANNING), short_name=LONG_SHORT_NAME)
    after = attrs.evolve(before, meetings=before.meetings[:1])
    cancelled, _ = plan(feed_of(before), [after], FeedOptions(), T0)
    # the session ends on 10 March 2023; a month later the cancelled event is dropped
    later = T0 + dt.timedelta(days=40)
    new_feed, report = plan(cancelled, [after], FeedOptions(), later)
    assert [c.summary for c in report.dropped] == [
        "Cancelled: Committee for Programme and…: Item 3: programme planning"
    ]
    section = page_of(new_feed, url=URL, report=report).by_id("changes")
    lines = [
        li for li in section.iter("li") if li.parent is not None and li.parent.parent is section
    ]
    assert [li.find("strong").text() for li in lines] == ["Removed:"]
    assert "Item 3: programme planning" in lines[0].text()
    assert "Committee" not in section.text() and "Cancelled:" not in section.text()


def every_kind() -> Programme:
    """All of the above in one programme."""
    return small(
        at(6, None, None, AgendaEntry(segment=Segment.OPENING, label="Opening of the session")),
        at(6, 10, 13, DEBATE, AgendaEntry(item=7, title="reports", continued=True)),
        at(
            6,
            13,
            None,
            attrs.evolve(PLANNING, label="List closes", segment=Segment.OTHER),
            kind=Kind.DEADLINE,
        ),
        at(
            6,
            15,
            18,
            attrs.evolve(DEBATE, continued=True, sub_item=SubItem(letter="b")),
            end_assumed=True,
            followed_by=FollowedBy(entries=[PLANNING], formal=False),
        ),
        at(7, 22, 2, attrs.evolve(DEBATE, continued=True, concluded=True), overnight=True),
        at(8, 10, 13, AgendaEntry(item=18, concluded=True), formal=False),
        short_name=LONG_SHORT_NAME,
        begun=(7,),
    )


def test_every_kind_reads_back_to_the_same_bytes() -> None:
    previous = feed_of(small(at(6, 10, 13, DEBATE), short_name=LONG_SHORT_NAME))
    feed, report = plan(previous, [every_kind()], FeedOptions(), T0)
    options = {"url": URL, "report": report, "changed": T0, "checked": dt.date(2023, 3, 5)}
    html = render_page(feed, **options)  # type: ignore[arg-type]
    assert render_page(read_ics(write_ics(feed)), **options) == html  # type: ignore[arg-type]
    assert render_page(feed, **options) == html  # type: ignore[arg-type]
    assert len(meetings(parse(html))) == 6


# --------------------------------------------------------------------------- words


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        ((10, 0), (13, 0), "10 a.m.–1 p.m."),
        ((15, 0), (18, 0), "3–6 p.m."),
        ((10, 0), (11, 30), "10–11.30 a.m."),
        ((11, 0), (12, 0), "11 a.m.–noon"),
        ((12, 0), (13, 0), "noon–1 p.m."),
        ((9, 5), (12, 30), "9.05 a.m.–12.30 p.m."),
        ((0, 0), (1, 0), "midnight–1 a.m."),
        ((22, 0), (23, 59), "10–11.59 p.m."),
    ],
)
def test_time_ranges_as_un_documents_write_them(
    start: tuple[int, int], end: tuple[int, int], text: str
) -> None:
    assert time_range_text(dt.time(*start), dt.time(*end)) == text


def test_clock_text() -> None:
    assert [clock_text(dt.time(h, m)) for h, m in ((0, 30), (12, 15), (13, 0), (23, 45))] == [
        "12.30 a.m.",
        "12.15 p.m.",
        "1 p.m.",
        "11.45 p.m.",
    ]


def test_index_lists_feeds_with_their_links() -> None:
    page = parse(
        render_index(
            [
                IndexEntry(name="OEWG <all>", page_href="oewg.html", feed_href="oewg.ics", url=URL),
                IndexEntry(name="Law only", feed_href="law.ics"),
            ]
        )
    )
    assert page.find("html").get("lang") == "en"
    feeds_listed = page.find_all("li", cls="feed")
    assert [f.find("h2").text() for f in feeds_listed] == ["OEWG <all>", "Law only"]
    first = {a.text(): a.get("href") for a in feeds_listed[0].iter("a")}
    assert first["OEWG <all>"] == "oewg.html"
    assert (
        first["Apple Calendar or Thunderbird"]
        == "webcal://mission.example.org/calendars/oewg-ict.ics"
    )
    assert first[URL] == URL
    assert [a.get("href") for a in feeds_listed[1].iter("a")] == ["law.ics"]


# --------------------------------------------------------------------------- any feed


@given(feed=feeds(), with_url=st.booleans())
def test_any_feed_gives_a_well_formed_page_with_every_event(feed: Feed, with_url: bool) -> None:
    html = render_page(feed, url=URL if with_url else None)
    page = parse(html)  # well formed, unique ids
    items = meetings(page)
    assert len(items) == len(feed.events)
    for event in feed.events:
        programme = feed.programme(event.programme)
        zone = zoneinfo.ZoneInfo(programme.timezone)
        meeting = event.meeting
        item = meeting_by_uid(page, event.uid)
        if meeting.start is not None and meeting.end is not None:
            start = dt.datetime.combine(meeting.date, meeting.start, tzinfo=zone)
            end = dt.datetime.combine(meeting.end_date, meeting.end, tzinfo=zone)
            assert (item.get("data-start"), item.get("data-end")) == (zulu(start), zulu(end))
        assert ("cancelled" in item.classes) == event.cancelled
        text = item.text()
        for entry in meeting.agenda:
            for words in (entry.label, entry.title, *entry.speakers):
                assert " ".join(words.split()) in text
        if event.cancelled:
            local_day = event.stamp.astimezone(zone).date()
            assert f"Cancelled on {local_day.day} {local_day:%B} {local_day.year}" in text
    assert len(list(page.iter("script"))) == 1
    assert render_page(feed, url=URL if with_url else None) == html


# --------------------------------------------------------------------------- cost


def test_build_and_refresh_do_not_load_the_page_libraries(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from oewg_cal.cli import main\n"
        f"assert main(['build', {str(ROOT / 'examples' / 'oewg-ict-4th-session.txt')!r},"
        f" '-o', {str(tmp_path / 'feed.ics')!r}]) == 0\n"
        "assert not {'jinja2', 'segno', 'oewg_cal.page'} & set(sys.modules), sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
