"""Our feeds, read by the parsers real clients use: every event, same UID, same UTC times
as zoneinfo gives, same text as the model holds.  Never loosened for our feed."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oewg_cal import AgendaEntry, Body, Meeting, Programme, Segment, SubItem, feed_of, write_ics
from oewg_cal.ical.feed import Feed
from oewg_cal.ical.jcal import write_jcal
from oewg_cal.ical.lint import has_errors, lint
from oewg_cal.readers import read_programme
from oewg_cal.text import categories_of, description_of, summary_of

from .parsers import (
    LIBICAL_TOLERATED_PARSE_ERRORS,
    PARSERS,
    InteropError,
    SeenEvent,
    read_jcal_with_icaljs,
    read_with_libical,
    run_libical,
    sort_key,
)
from .radicale_server import RadicaleServer, read_with_radicale

UTC = dt.timezone.utc
ROOT = Path(__file__).resolve().parents[2]


def expected_events(feed: Feed) -> list[SeenEvent]:
    """What every parser must see, worked out from the model and zoneinfo alone."""
    seen = []
    for event in feed.events:
        programme = feed.programme(event.programme)
        zone = zoneinfo.ZoneInfo(programme.timezone)
        meeting = event.meeting
        seen.append(
            SeenEvent(
                uid=event.uid,
                start_utc=dt.datetime.combine(meeting.date, meeting.start, tzinfo=zone).astimezone(
                    UTC
                ),
                end_utc=dt.datetime.combine(meeting.date, meeting.end, tzinfo=zone).astimezone(UTC),
                summary=summary_of(programme, meeting, cancelled=event.cancelled),
                description=description_of(programme, meeting, cancelled=event.cancelled),
                categories=tuple(categories_of(programme, meeting, feed.options)),
                status="CANCELLED" if event.cancelled else "CONFIRMED",
            )
        )
    return sorted(seen, key=sort_key)


def assert_every_parser_agrees(feed: Feed, radicale: RadicaleServer | None = None) -> None:
    data = write_ics(feed)
    assert not has_errors(lint(data)), [str(f) for f in lint(data)]
    expected = expected_events(feed)
    for name, parser in PARSERS.items():
        assert sorted(parser(data), key=sort_key) == expected, name
    assert sorted(read_jcal_with_icaljs(write_jcal(feed)), key=sort_key) == expected, "jCal"
    if radicale is not None:
        assert sorted(read_with_radicale(data, radicale), key=sort_key) == expected, "Radicale"


def seed_feed() -> Feed:
    seed = ROOT / "examples" / "oewg-ict-4th-session.txt"
    return feed_of(read_programme(seed.read_bytes(), source=seed.name))


def test_seed_feed_in_every_parser_and_radicale(radicale: RadicaleServer) -> None:
    assert_every_parser_agrees(seed_feed(), radicale)


def test_seed_times_are_the_hand_worked_ones() -> None:
    events = expected_events(seed_feed())
    assert (events[0].start_utc, events[0].end_utc) == (
        dt.datetime(2023, 3, 6, 15, tzinfo=UTC),
        dt.datetime(2023, 3, 6, 18, tzinfo=UTC),
    )


def test_libical_flags_nothing_in_the_seed_but_refid() -> None:
    """libical 3.0 knows no REFID (RFC 9253): one parse error per REFID line, and nothing
    else; its restriction checks pass (KNOWN_PARSER_BUGS)."""
    data = write_ics(seed_feed())
    errors = [(r["phase"], r["message"]) for r in run_libical(data) if r["type"] == "error"]
    refid_lines = data.count(b"\r\nREFID:")
    assert refid_lines == 15  # item 5 on nine events, 5(a), 5(f) and 5(g) on two each
    (tolerated,) = LIBICAL_TOLERATED_PARSE_ERRORS
    assert errors == [("parse", tolerated)] * refid_lines


def test_libical_rejects_method_publish_without_organizer() -> None:
    """Why feeds carry no METHOD (README): with METHOD:PUBLISH libical wants an ORGANIZER."""
    data = write_ics(seed_feed())
    assert b"\r\nMETHOD:" not in data
    published = data.replace(b"CALSCALE:GREGORIAN\r\n", b"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n")
    with pytest.raises(InteropError, match=r"ORGANIZER property\. Expected 1 instances"):
        read_with_libical(published)


def test_jcal_is_json_ical_js_reads() -> None:
    document = json.loads(write_jcal(seed_feed()))
    assert document[0] == "vcalendar"


# ---------------------------------------------------------------- generated programmes

UN_LANGUAGES = [
    "Capacity-building; norms, rules: \\ “quoted”",  # English
    "Mesures de confiance : renforcement des capacités",  # French
    "Medidas de fomento de la confianza; creación de capacidad",  # Spanish
    "Меры укрепления доверия, наращивание потенциала",  # Russian
    "建立信任措施，能力建设",  # Chinese
    "تدابير بناء الثقة، بناء القدرات",  # Arabic
    "Multi-line\ntext 🌐 with emoji",
]

# Sessions straddling the DST switches of New York and Geneva, and a year end.
SESSIONS = [
    ("America/New_York", "New York", dt.date(2026, 3, 5)),
    ("America/New_York", "New York", dt.date(2026, 10, 29)),
    ("Europe/Zurich", "Geneva", dt.date(2026, 3, 26)),
    ("Europe/Zurich", "Geneva", dt.date(2025, 10, 23)),
    ("America/New_York", "New York", dt.date(2025, 12, 29)),
]


@st.composite
def programmes(draw: st.DrawFn) -> Programme:
    zone, place, first = draw(st.sampled_from(SESSIONS))
    meetings = []
    seen: set[str] = set()
    for offset in range(6):
        day = first + dt.timedelta(days=offset)
        for start, end in draw(
            st.sampled_from([[(10, 13), (15, 18)], [(9, 10), (11, 13), (15, 16)], [(10, 18)]])
        ):
            letter = draw(st.sampled_from("abc"))
            text = draw(st.sampled_from(UN_LANGUAGES))
            entries = [
                AgendaEntry(
                    item=5,
                    title=draw(st.sampled_from(UN_LANGUAGES)),
                    continued=bool(meetings),
                    sub_item=SubItem(letter=letter, text=text, continued=letter in seen),
                )
            ]
            seen.add(letter)
            if draw(st.booleans()):
                entries.append(AgendaEntry(segment=Segment.STAKEHOLDER, label="Informal segment"))
            meetings.append(
                Meeting(
                    date=day,
                    start=dt.time(start, draw(st.sampled_from([0, 15]))),
                    end=dt.time(end, draw(st.sampled_from([0, 45]))),
                    entries=tuple(entries),
                    formal=len(entries) == 1,
                )
            )
    return Programme(
        body=Body(name=draw(st.sampled_from(UN_LANGUAGES)), short_name="OEWG ✦ 2026"),
        session="Session",
        place=place,
        venue="Venue, with; punctuation",
        timezone=zone,
        first_day=first,
        last_day=first + dt.timedelta(days=5),
        issued=first,
        meetings=tuple(meetings),
    )


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(programme=programmes())
def test_generated_feeds_in_every_parser(programme: Programme, radicale: RadicaleServer) -> None:
    assert_every_parser_agrees(feed_of(programme), radicale)
