"""Encoding feeds (RFC 5545): folding, form, times in UTC, series links, the seed by hand.

Feeds are read with :mod:`feedcheck` (independent of oewg_cal) and with icalendar.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zoneinfo
from pathlib import Path
from typing import Any

import attrs
import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedcheck import (
    check_form,
    check_series,
    check_texts,
    check_times,
    check_vtimezones,
    content_lines,
    events_of,
    raw_values,
    related,
    values_of,
    vtimezones,
    years_of,
)
from oewg_cal import AgendaEntry, Body, FeedOptions, Meeting, Programme, Segment, to_ics, write_ics
from oewg_cal.ical.encode import LINE_OCTETS, escape_text, fold
from oewg_cal.ical.feed import derived_uids, feed_of, programme_id
from oewg_cal.ical.lint import MAX_LINE_OCTETS
from oewg_cal.model import SeriesKey, series_of
from strategies import TIMEZONES, programmes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_ICS = ROOT / "examples" / "oewg-ict-4th-session.ics"
UTC = dt.timezone.utc


# ---------------------------------------------------------------- folding


# Text that exercises every branch of folding: ASCII, 2-, 3- and 4-octet UTF-8, escapes.
_FOLD_TEXT = st.text(
    alphabet=st.sampled_from('a ,;:\\^"éΩ€中😀') | st.characters(codec="utf-8"),
    max_size=600,
)


@given(_FOLD_TEXT.filter(lambda t: "\n" not in t and "\r" not in t))
def test_fold_is_icalendars_folding(text: str) -> None:
    """Our fast folding gives exactly the bytes icalendar's own content line gives."""
    from icalendar.parser import Contentline

    from oewg_cal.ical.encode import fold

    assert fold(text) == Contentline(text).to_ical()


@given(_FOLD_TEXT.filter(lambda t: "\n" not in t and "\r" not in t))
def test_fold_keeps_lines_short_and_unfolds_back(text: str) -> None:
    from oewg_cal.ical.encode import fold

    folded = fold(text)
    physical = folded.split(b"\r\n")
    assert all(len(line) <= 75 for line in physical)
    assert all(line.startswith(b" ") for line in physical[1:])
    for line in physical:
        line.decode("utf-8")  # never inside a UTF-8 sequence
    assert b"".join([physical[0], *(line[1:] for line in physical[1:])]).decode() == text


# ---------------------------------------------------------------- properties of generated feeds


@given(programmes())
def test_feed_of_a_programme(programme: Programme) -> None:
    data = to_ics(programme)
    calendar = check_form(data)
    check_times(data, calendar, programme)
    check_vtimezones(data, {programme.timezone: years_of(programme)})
    uids = raw_values(data, "UID")
    assert len(uids) == len(set(uids)) == len(programme.meetings)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    check_series(events, programme)
    check_texts(data, events, programme)


def test_timezones_used_by_the_strategies_are_real() -> None:
    assert all(zoneinfo.ZoneInfo(tz) for tz in TIMEZONES)


# ---------------------------------------------------------------- the seed, by hand


# Every meeting of the document, New York time (EST, UTC-5, until 12 March 2023):
# local start, local end, UTC start, UTC end.
SEED_TIMES = [
    ("20230306T100000", "20230306T130000", "20230306T150000Z", "20230306T180000Z"),
    ("20230306T150000", "20230306T180000", "20230306T200000Z", "20230306T230000Z"),
    ("20230307T100000", "20230307T130000", "20230307T150000Z", "20230307T180000Z"),
    ("20230307T150000", "20230307T180000", "20230307T200000Z", "20230307T230000Z"),
    ("20230308T100000", "20230308T130000", "20230308T150000Z", "20230308T180000Z"),
    ("20230308T150000", "20230308T180000", "20230308T200000Z", "20230308T230000Z"),
    ("20230309T100000", "20230309T130000", "20230309T150000Z", "20230309T180000Z"),
    ("20230309T150000", "20230309T180000", "20230309T200000Z", "20230309T230000Z"),
    ("20230310T100000", "20230310T130000", "20230310T150000Z", "20230310T180000Z"),
    ("20230310T150000", "20230310T180000", "20230310T200000Z", "20230310T230000Z"),
]


FOOTNOTE_1 = (
    "States are strongly encouraged to use their interventions under each sub-item under "
    "agenda item 5, “Discussions on substantive issues contained in paragraph 1 of General "
    "Assembly resolution 75/240”, to focus on the specific topics and discussion points "
    "identified for follow-up in the working group’s first annual progress report, as "
    "contained in document A/77/275."
)


SPEAKERS = (
    "Under-Secretary-General and High Representative for Disarmament Affairs",
    "Chair of the open-ended working group on security of and in the use of information and "
    "communications technologies 2021–2025",
)


@pytest.fixture(scope="module")
def seed_events(seed_ics: bytes) -> list[icalendar.Event]:
    return sorted(events_of(seed_ics), key=lambda e: e["DTSTART"].dt)


def _utc_text(prop: Any) -> str:
    return f"{prop.dt.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def test_seed_has_ten_events_at_the_documents_times(
    seed_ics: bytes, seed_events: list[icalendar.Event]
) -> None:
    assert len(seed_events) == 10
    assert seed_ics.count(b"BEGIN:VEVENT\r\n") == 10
    zone = vtimezones(seed_ics)["America/New_York"]
    for event, (start, end, utc_start, utc_end) in zip(seed_events, SEED_TIMES, strict=True):
        assert f"DTSTART;TZID=America/New_York:{start}" in content_lines(seed_ics)
        assert event["DTSTART"].to_ical().decode() == start
        assert event["DTEND"].to_ical().decode() == end
        assert _utc_text(event["DTSTART"]) == utc_start
        assert _utc_text(event["DTEND"]) == utc_end
        local = dt.datetime.strptime(start, "%Y%m%dT%H%M%S")
        assert f"{zone.to_utc(local):%Y%m%dT%H%M%SZ}" == utc_start


def test_seed_monday_morning_and_friday_afternoon_in_utc(
    seed_events: list[icalendar.Event],
) -> None:
    monday, friday = seed_events[0], seed_events[-1]
    assert monday["DTSTART"].dt.astimezone(UTC) == dt.datetime(2023, 3, 6, 15, tzinfo=UTC)
    assert monday["DTEND"].dt.astimezone(UTC) == dt.datetime(2023, 3, 6, 18, tzinfo=UTC)
    assert friday["DTSTART"].dt.astimezone(UTC) == dt.datetime(2023, 3, 10, 20, tzinfo=UTC)
    assert friday["DTEND"].dt.astimezone(UTC) == dt.datetime(2023, 3, 10, 23, tzinfo=UTC)


def _refids(event: icalendar.Event) -> set[str]:
    return {str(v) for v in values_of(event, "REFID")}


def test_seed_series_5a_is_monday_afternoon_and_tuesday_morning(
    seed_events: list[icalendar.Event],
) -> None:
    monday_pm, tuesday_am = seed_events[1], seed_events[2]
    shared = _refids(monday_pm) & _refids(tuesday_am)
    (series_5a,) = [
        ref
        for ref in shared
        if [e for e in seed_events if ref in _refids(e)] == [monday_pm, tuesday_am]
    ]
    assert series_5a.endswith("5-a")
    assert str(monday_pm["UID"]) in related(tuesday_am, "FIRST")
    summary = str(tuesday_am["SUMMARY"])
    assert "(cont.)" in summary and "5(a)" in summary
    # item 5 runs from Monday morning to Friday morning: nine meetings
    (item_5,) = _refids(seed_events[0])
    assert [e for e in seed_events if item_5 in _refids(e)] == seed_events[:9]


def test_seed_thursday_afternoon_is_the_informal_stakeholder_segment(
    seed_events: list[icalendar.Event],
) -> None:
    thursday_am, thursday_pm = seed_events[6], seed_events[7]
    assert str(thursday_pm["X-OEWG-FORMAL"]) == "FALSE"
    assert str(thursday_am["X-OEWG-FORMAL"]) == "TRUE"
    summary = str(thursday_pm["SUMMARY"])
    assert "5(g)" in summary and "(cont.)" in summary and "(informal)" in summary
    assert "Informal, dedicated stakeholder segment" in str(thursday_pm["DESCRIPTION"])
    assert "Informal meeting" in str(thursday_pm["CATEGORIES"].to_ical().decode())
    assert "Informal meeting" in str(thursday_pm["DESCRIPTION"])
    series_5g = [
        ref
        for ref in _refids(thursday_pm)
        if [e for e in seed_events if ref in _refids(e)] == [thursday_am, thursday_pm]
    ]
    assert len(series_5g) == 1
    assert str(thursday_am["UID"]) in related(thursday_pm, "FIRST")


def test_seed_monday_morning_description(seed_events: list[icalendar.Event]) -> None:
    description = str(seed_events[0]["DESCRIPTION"])
    for speaker in SPEAKERS:
        assert speaker in description
    assert FOOTNOTE_1 in description
    assert "Opening of the session" in description
    assert "Agenda item 3: organization of work" in description


def test_seed_single_items_are_not_series(seed_events: list[icalendar.Event]) -> None:
    # Friday afternoon (item 6, closure) and Tuesday afternoon's 5(e) are in no series
    # but item 5's; Friday afternoon in none at all
    assert _refids(seed_events[9]) == set()
    assert len(_refids(seed_events[3])) == 1


def test_seed_vtimezone_lines(seed_ics: bytes) -> None:
    lines = content_lines(seed_ics)
    assert "TZID:America/New_York" in lines
    assert "TZOFFSETFROM:-0500" in lines and "TZOFFSETTO:-0400" in lines
    assert "TZOFFSETFROM:-0400" in lines and "TZOFFSETTO:-0500" in lines
    rules = [sorted(line[6:].split(";")) for line in lines if line.startswith("RRULE:")]
    assert sorted(rules) == [
        ["BYDAY=1SU", "BYMONTH=11", "FREQ=YEARLY"],
        ["BYDAY=2SU", "BYMONTH=3", "FREQ=YEARLY"],
    ]
    assert "X-WR-TIMEZONE:America/New_York" in lines


def test_example_script_writes_the_committed_feed(tmp_path: Path) -> None:
    out = tmp_path / "feed.ics"
    subprocess.run(
        [sys.executable, str(ROOT / "examples" / "build_by_hand.py"), str(out)],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == EXAMPLE_ICS.read_bytes()


# ---------------------------------------------------------------- a session across a DST switch


def _march_2026() -> Programme:
    entry = AgendaEntry(item=1, title="Opening of the session")
    again = AgendaEntry(item=1, title="Opening of the session", continued=True)
    return Programme(
        body=Body(name="Test body", short_name="TB"),
        session="Spring session",
        place="New York",
        venue="United Nations Headquarters",
        first_day=dt.date(2026, 3, 6),
        last_day=dt.date(2026, 3, 10),
        issued=dt.date(2026, 2, 1),
        meetings=(
            Meeting(date=dt.date(2026, 3, 6), start=dt.time(10), end=dt.time(13), entries=(entry,)),
            Meeting(date=dt.date(2026, 3, 9), start=dt.time(10), end=dt.time(13), entries=(again,)),
        ),
    )


def test_a_session_across_the_spring_switch() -> None:
    data = to_ics(_march_2026())
    lines = content_lines(data)
    assert "DTSTART;TZID=America/New_York:20260306T100000" in lines
    assert "DTSTART;TZID=America/New_York:20260309T100000" in lines
    friday, monday = sorted(events_of(data), key=lambda e: e["DTSTART"].dt)
    # Friday 6 March: EST (UTC-5); Monday 9 March, the day after the switch: EDT (UTC-4)
    assert friday["DTSTART"].dt.astimezone(UTC) == dt.datetime(2026, 3, 6, 15, tzinfo=UTC)
    assert monday["DTSTART"].dt.astimezone(UTC) == dt.datetime(2026, 3, 9, 14, tzinfo=UTC)
    zone = vtimezones(data)["America/New_York"]
    assert zone.to_utc(dt.datetime(2026, 3, 6, 10)) == dt.datetime(2026, 3, 6, 15, tzinfo=UTC)
    assert zone.to_utc(dt.datetime(2026, 3, 9, 10)) == dt.datetime(2026, 3, 9, 14, tzinfo=UTC)
    assert zone.to_utc(dt.datetime(2026, 3, 9, 13)) == dt.datetime(2026, 3, 9, 17, tzinfo=UTC)
    tz = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)
    assert dt.datetime(2026, 3, 9, 10, tzinfo=tz).astimezone(UTC).hour == 14
    assert dt.datetime(2026, 3, 6, 10, tzinfo=tz).astimezone(UTC).hour == 15
    check_times(data, check_form(data), _march_2026())


@pytest.mark.parametrize(
    ("timezone", "local", "utc"),
    [
        # hand-worked: CET/CEST switch on 29 March 2026, 02:00 → 03:00
        ("Europe/Zurich", (2026, 3, 27, 10), (2026, 3, 27, 9)),
        ("Europe/Zurich", (2026, 3, 30, 10), (2026, 3, 30, 8)),
        ("Europe/Vienna", (2026, 10, 26, 10), (2026, 10, 26, 9)),
        ("Africa/Nairobi", (2026, 3, 30, 10), (2026, 3, 30, 7)),
        ("Asia/Tokyo", (2026, 12, 31, 10), (2026, 12, 31, 1)),
        # Sydney: AEDT (UTC+11) until 5 April 2026, AEST (UTC+10) after
        ("Australia/Sydney", (2026, 4, 3, 10), (2026, 4, 2, 23)),
        ("Australia/Sydney", (2026, 4, 6, 10), (2026, 4, 6, 0)),
        # Santiago: -03 until Sunday 5 April 2026 (00:00 becomes 23:00), -04 after
        ("America/Santiago", (2026, 4, 3, 10), (2026, 4, 3, 13)),
        ("America/Santiago", (2026, 4, 6, 10), (2026, 4, 6, 14)),
    ],
)
def test_hand_worked_times_in_other_zones(
    timezone: str, local: tuple[int, ...], utc: tuple[int, ...]
) -> None:
    day = dt.date(*local[:3])
    programme = attrs.evolve(
        _march_2026(),
        timezone=timezone,
        first_day=day,
        last_day=day,
        meetings=(
            Meeting(
                date=day,
                start=dt.time(local[3]),
                end=dt.time(local[3] + 1),
                entries=(AgendaEntry(segment=Segment.OTHER, label="Meeting"),),
            ),
        ),
    )
    data = to_ics(programme)
    (event,) = events_of(data)
    assert event["DTSTART"].dt.astimezone(UTC) == dt.datetime(*utc, tzinfo=UTC)
    zone = vtimezones(data)[timezone]
    assert zone.to_utc(dt.datetime(*local)) == dt.datetime(*utc, tzinfo=UTC)


# ---------------------------------------------------------------- the calendar's own properties


def _calendar_lines(data: bytes) -> list[str]:
    lines = content_lines(data)
    return lines[: lines.index("BEGIN:VTIMEZONE")]


def test_the_seed_calendar_properties(seed_ics: bytes) -> None:
    lines = _calendar_lines(seed_ics)
    pid = "oewg-on-ict-security-2021-2025-4e0b8fdbe0"
    assert lines[:5] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//oewg_cal//oewg_cal programme feeds//EN",
        "CALSCALE:GREGORIAN",
        # no METHOD: a feed is a snapshot, not an iTIP message (README)
        "DESCRIPTION:Open-ended working group on security of and in the use of information"
        " and communications technologies 2021–2025\\, Fourth substantive session\\, New"
        " York\\, 6 March 2023–10 March 2023",
    ]
    assert not [line for line in lines if line.startswith(("METHOD", "ORGANIZER"))]
    name = "OEWG on ICT security 2021–2025 — Fourth substantive session"
    assert f"NAME:{name}" in lines and f"X-WR-CALNAME:{name}" in lines
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in lines and "X-PUBLISHED-TTL:PT6H" in lines
    assert f"X-WR-RELCALID:{pid}@oewg-cal" in lines
    assert "X-WR-TIMEZONE:America/New_York" in lines
    assert not [line for line in lines if line.startswith(("COLOR", "SOURCE"))]
    (description,) = [line for line in lines if line.startswith("DESCRIPTION:")]
    assert description.endswith("\\, New York\\, 6 March 2023–10 March 2023")


def test_calendar_properties_from_the_options(seed_programme: Programme) -> None:
    options = FeedOptions(
        name="Our; feed",
        description="All, of it",
        color="#1f77b4",
        refresh_hours=24,
        source="https://example.org/feed.ics",
    )
    lines = _calendar_lines(to_ics(seed_programme, options))
    assert "NAME:Our\\; feed" in lines and "X-WR-CALNAME:Our\\; feed" in lines
    assert "DESCRIPTION:All\\, of it" in lines and "X-WR-CALDESC:All\\, of it" in lines
    assert "COLOR:#1f77b4" in lines
    assert "SOURCE;VALUE=URI:https://example.org/feed.ics" in lines
    assert "REFRESH-INTERVAL;VALUE=DURATION:P1D" in lines and "X-PUBLISHED-TTL:P1D" in lines


def test_two_programmes_in_two_zones(seed_programme: Programme) -> None:
    vienna = attrs.evolve(seed_programme, session="Fifth session", timezone="Europe/Vienna")
    data = write_ics(feed_of([seed_programme, vienna]))
    lines = _calendar_lines(data)
    ids = sorted([programme_id(seed_programme), programme_id(vienna)])
    assert f"X-WR-RELCALID:{ids[0]}+{ids[1]}@oewg-cal" in lines
    assert not [line for line in lines if line.startswith("X-WR-TIMEZONE")]
    assert sorted(vtimezones(data)) == ["America/New_York", "Europe/Vienna"]


# ---------------------------------------------------------------- TEXT escaping


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain", "plain"),
        ("a,b;c", "a\\,b\\;c"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines", "two\\nlines"),
        ("\\n is not a newline", "\\\\n is not a newline"),
        ('colon: and "quotes"', 'colon: and "quotes"'),  # not escaped in TEXT
    ],
)
def test_escape_text(text: str, escaped: str) -> None:
    assert escape_text(text) == escaped


def test_the_line_limit_has_one_home() -> None:
    # RFC 5545 3.1: 75 octets; the writer folds at the number the linter checks.
    assert LINE_OCTETS == MAX_LINE_OCTETS == 75
    assert LINE_OCTETS is MAX_LINE_OCTETS
    folded = fold("DESCRIPTION:" + "é" * 200)
    assert max(len(line) for line in folded.split(b"\r\n")) <= MAX_LINE_OCTETS


# ------------------------------------------- issue 12: no METHOD, one link chain per event
# The seed's links are worked out by hand from the programme (`oewg-cal show`: item 5
# runs Monday morning to Friday morning, 5(a) Monday afternoon and Tuesday morning, 5(f)
# Wednesday, 5(g) Thursday); generated programmes are checked against the rule's
# properties (README, "Series"), never against the writer's own output.


def event_lines(data: bytes) -> list[list[str]]:
    """Each VEVENT's own content lines (VALARMs left out), in the order written."""
    events: list[list[str]] = []
    depth = 0
    for line in content_lines(data):
        if line == "BEGIN:VEVENT":
            events.append([])
            depth = 1
        elif line.startswith("BEGIN:") and depth:
            depth += 1
        elif line.startswith("END:") and depth:
            depth -= 1
        elif depth == 1:
            events[-1].append(line)
    return events


# ---------------------------------------------------------------- no METHOD


def test_seed_feed_has_no_method_and_no_organizer(seed_programme: Programme) -> None:
    for data in (to_ics(seed_programme), EXAMPLE_ICS.read_bytes()):
        names = {line.split(":", 1)[0].split(";", 1)[0] for line in content_lines(data)}
        assert "METHOD" not in names
        assert "ORGANIZER" not in names
        # what Outlook uses to put a feed into a calendar of its own stays
        assert {"X-WR-CALNAME", "X-WR-RELCALID"} <= names


# ---------------------------------------------------------------- series links

PID = "oewg-on-ict-security-2021-2025-4e0b8fdbe0"


def uid(day: str, rank: int) -> str:
    """A seed UID by the README's rule: YYYYMMDD-RANK-PROGRAMMEID@oewg-cal."""
    return f"202303{day}-{rank}-{PID}@oewg-cal"


def ref(key: str) -> str:
    return f"{PID}/item-{key}"


MON_AM, MON_PM, TUE_AM, TUE_PM = uid("06", 1), uid("06", 2), uid("07", 1), uid("07", 2)
WED_AM, WED_PM, THU_AM, THU_PM = uid("08", 1), uid("08", 2), uid("09", 1), uid("09", 2)
FRI_AM, FRI_PM = uid("10", 1), uid("10", 2)

# Worked out by hand: every event of item 5 carries its REFID, the sub-item series 5(a),
# 5(f) and 5(g) theirs; the links run along the sub-item series only (item 5 shares
# Monday afternoon with 5(a), so it is grouped by REFID alone); 5(d), 5(e), 5(c) and
# Friday afternoon's item 6 are taken up once and chain nothing.
SEED_LINKS: dict[str, list[str]] = {
    MON_AM: [f"REFID:{ref('5')}"],
    MON_PM: [f"REFID:{ref('5')}", f"REFID:{ref('5-a')}", f"RELATED-TO;RELTYPE=NEXT:{TUE_AM}"],
    TUE_AM: [
        f"REFID:{ref('5')}",
        f"REFID:{ref('5-a')}",
        f"RELATED-TO;RELTYPE=FIRST:{MON_PM}",
        f"RELATED-TO;RELTYPE=FINISHTOSTART:{MON_PM}",
    ],
    TUE_PM: [f"REFID:{ref('5')}"],
    WED_AM: [f"REFID:{ref('5')}", f"REFID:{ref('5-f')}", f"RELATED-TO;RELTYPE=NEXT:{WED_PM}"],
    WED_PM: [
        f"REFID:{ref('5')}",
        f"REFID:{ref('5-f')}",
        f"RELATED-TO;RELTYPE=FIRST:{WED_AM}",
        f"RELATED-TO;RELTYPE=FINISHTOSTART:{WED_AM}",
    ],
    THU_AM: [f"REFID:{ref('5')}", f"REFID:{ref('5-g')}", f"RELATED-TO;RELTYPE=NEXT:{THU_PM}"],
    THU_PM: [
        f"REFID:{ref('5')}",
        f"REFID:{ref('5-g')}",
        f"RELATED-TO;RELTYPE=FIRST:{THU_AM}",
        f"RELATED-TO;RELTYPE=FINISHTOSTART:{THU_AM}",
    ],
    FRI_AM: [f"REFID:{ref('5')}"],
    FRI_PM: [],
}


def links_of(data: bytes) -> dict[str, list[str]]:
    found = {}
    for lines in event_lines(data):
        (uid_line,) = [line for line in lines if line.startswith("UID:")]
        found[uid_line[4:]] = [line for line in lines if line.startswith(("REFID", "RELATED-TO"))]
    return found


def test_seed_links_worked_out_by_hand(seed_programme: Programme) -> None:
    assert programme_id(seed_programme) == PID
    assert links_of(to_ics(seed_programme)) == SEED_LINKS
    assert links_of(EXAMPLE_ICS.read_bytes()) == SEED_LINKS


def check_links(programme: Programme, data: bytes) -> None:
    """The rule's properties, from the parsed feed and the model's series alone."""
    calendar = icalendar.Calendar.from_ical(data)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}

    def values(event: icalendar.Event, name: str) -> list[icalendar.prop.vText]:
        found = event.get(name, [])
        return found if isinstance(found, list) else [found]

    links: dict[str, dict[str, str]] = {}
    for uid_, event in events.items():
        by_type: dict[str, str] = {}
        for value in values(event, "RELATED-TO"):
            reltype = value.params["RELTYPE"]
            # at most one RELATED-TO per RELTYPE, and only the three chain types
            assert reltype in ("FIRST", "FINISHTOSTART", "NEXT")
            assert reltype not in by_type, (uid_, reltype)
            by_type[reltype] = str(value)
            assert str(value) in events  # never a UID the feed does not have
        links[uid_] = by_type

    uid_of = dict(derived_uids(programme))
    series = {s.key: [uid_of[m] for m in s.meetings] for s in series_of(programme)}

    # REFIDs group each series exactly, in time order
    groups: dict[str, list[str]] = {}
    for uid_, event in events.items():
        for value in values(event, "REFID"):
            groups.setdefault(str(value), []).append(uid_)
    pid = programme_id(programme)

    def key_ref(key: SeriesKey) -> str:
        return f"{pid}/item-{key.item}" + (f"-{key.sub_item}" if key.sub_item else "")

    assert {key_ref(k): sorted(v) for k, v in series.items()} == {
        k: sorted(v) for k, v in groups.items()
    }

    # following NEXT from each chain's FIRST visits exactly one series, in order
    starts = [u for u, found in links.items() if "NEXT" in found and "FIRST" not in found]
    chains: list[list[str]] = []
    for start in starts:
        chain = [start]
        while "NEXT" in links[chain[-1]]:
            following = links[chain[-1]]["NEXT"]
            assert links[following]["FIRST"] == start
            assert links[following]["FINISHTOSTART"] == chain[-1]
            chain.append(following)
        chains.append(chain)
    chained_keys: list[SeriesKey] = []
    for chain in chains:
        # (an item and one of its sub-items may be taken up in exactly the same meetings)
        keys = [k for k, uids in series.items() if uids == chain]
        assert keys, chain
        chained_keys += keys
    in_chain = [u for chain in chains for u in chain]
    assert len(in_chain) == len(set(in_chain))  # one chain per event at most
    linked = {u for u, found in links.items() if found}
    assert linked == set(in_chain)  # no link outside a chain
    # every series left unchained shares a meeting with a chained one of its rank or finer:
    # an item/sub-item series yields only to another item/sub-item series
    for key, uids in series.items():
        if key in chained_keys:
            continue
        rivals = [k for k in chained_keys if set(series[k]) & set(uids)]
        assert rivals, key
        if key.sub_item is not None:
            assert any(k.sub_item is not None for k in rivals), key


@settings(max_examples=60, deadline=None)
@given(programme=programmes(max_meetings=8))
def test_links_follow_one_series_per_event(programme: Programme) -> None:
    check_links(programme, write_ics(feed_of(programme)))


def test_seed_links_have_the_rule_properties(seed_programme: Programme) -> None:
    check_links(seed_programme, to_ics(seed_programme))
