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


def every_kind() -> Programme:
    """A day without a time, a deadline, an assumed end with what follows it, an overnight
    meeting, concluded items, a sub-item named by its letter, a series begun earlier."""
    item2 = AgendaEntry(item=2, title="general debate")
    return Programme(
        body=Body(name="Committee on Examples", short_name="Examples"),
        session="First session",
        place="New York",
        venue="United Nations Headquarters",
        first_day=dt.date(2023, 3, 6),
        last_day=dt.date(2023, 3, 8),
        issued=dt.date(2023, 3, 1),
        begun_earlier=(SeriesKey(item=7),),
        meetings=[
            Meeting(
                date=dt.date(2023, 3, 6),
                start=None,
                end=None,
                entries=[AgendaEntry(segment=Segment.OPENING, label="Opening of the session")],
            ),
            Meeting(
                date=dt.date(2023, 3, 6),
                start=dt.time(10),
                end=None,
                kind=Kind.DEADLINE,
                entries=[AgendaEntry(segment=Segment.OTHER, label="Written submissions due")],
            ),
            Meeting(
                date=dt.date(2023, 3, 6),
                start=dt.time(15),
                end=dt.time(18),
                end_assumed=True,
                entries=[item2, AgendaEntry(item=7, title="reports", continued=True)],
                followed_by=FollowedBy(
                    entries=[AgendaEntry(item=3, title="programme planning")], formal=False
                ),
            ),
            Meeting(
                date=dt.date(2023, 3, 7),
                start=dt.time(22),
                end=dt.time(2),
                overnight=True,
                entries=[
                    attrs.evolve(item2, continued=True, concluded=True),
                    AgendaEntry(
                        item=7,
                        title="reports",
                        continued=True,
                        sub_item=SubItem(letter="b", concluded=True),
                    ),
                ],
            ),
        ],
    )


def test_every_kind_of_meeting_reads_right() -> None:
    feed = feed_of(every_kind())  # (read_ics does not read "concluded" back yet)
    page = page_of(feed, url=URL)
    day, deadline, assumed, overnight = meetings(page)

    assert "data-start" not in day.attrs and "data-end" not in day.attrs  # no instant to move
    assert (day.find("time").get("datetime"), day.find("time").text()) == (
        "2023-03-06",
        "No time given",
    )
    assert day.find("span", cls="time-note").text() == "(the programme gives the day only)"

    ten = dt.datetime(2023, 3, 6, 10, tzinfo=NEW_YORK)
    assert (deadline.get("data-start"), deadline.get("data-end")) == (zulu(ten), zulu(ten))
    assert deadline.find("time").text() == "10 a.m."
    assert deadline.find("span", cls="tag-deadline").text() == "Deadline"
    assert not deadline.find_all("span", cls="tag-informal")

    assert assumed.find("time").text() == "3–6 p.m."
    assert assumed.find("span", cls="time-note").text() == (
        "(the programme gives the start only; the end, 6 p.m., is assumed)"
    )
    assert [p.text() for p in assumed.find_all("p")] == [
        "Agenda item 2: general debate",
        "Item 2, meeting 1 of 2",
        "Agenda item 7: reports",
        "Item 7 (begun earlier), meeting 1 of 2 here",
        "Followed by an informal meeting:",
        "Agenda item 3: programme planning",
    ]

    start = dt.datetime(2023, 3, 7, 22, tzinfo=NEW_YORK)
    end = dt.datetime(2023, 3, 8, 2, tzinfo=NEW_YORK)
    assert (overnight.get("data-start"), overnight.get("data-end")) == (zulu(start), zulu(end))
    assert overnight.find("time").text() == "10 p.m.–2 a.m. (next day)"
    assert [p.text() for p in overnight.find_all("p")] == [
        "Agenda item 2: general debate (concluded)",
        "Item 2, meeting 2 of 2",
        "Agenda item 7: reports",
        "(b) (concluded)",
        "Item 7 (begun earlier), meeting 2 of 2 here",
    ]


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
