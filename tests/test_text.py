"""Text for people: SUMMARY, DESCRIPTION, LOCATION, CATEGORIES, `show` and report lines.

Every expected text is written out by hand: from the small programme below, from the
seed (its SUMMARY lines), and from the SUMMARY rule of the README ("Text for people").
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedcheck import events_of
from oewg_cal import (
    AgendaEntry,
    Body,
    Footnote,
    Meeting,
    Programme,
    Reference,
    Segment,
    SubItem,
    from_ics,
    to_ics,
)
from oewg_cal.ical.feed import FeedOptions
from oewg_cal.model import Kind
from oewg_cal.readers import read_programme
from oewg_cal.text import (
    SUMMARY_NAME_LIMIT,
    SUMMARY_TEXT_LIMIT,
    calendar_description,
    calendar_name,
    categories_of,
    day_text,
    description_of,
    entries_line,
    format_programme,
    item_text,
    location_of,
    marks_text,
    meeting_time,
    programme_label,
    sub_item_text,
    summary_of,
    summary_text,
)
from strategies import programmes

TITLE_5 = "discussions on substantive issues"
MONDAY = Meeting(
    date=dt.date(2023, 3, 6),
    start=dt.time(10),
    end=dt.time(13),
    entries=(
        AgendaEntry(segment=Segment.OPENING, label="Opening of the session"),
        AgendaEntry(
            segment=Segment.OPENING_STATEMENTS,
            label="Opening statements",
            speakers=("The Chair", "The Secretary"),
        ),
        AgendaEntry(
            item=5, title=TITLE_5, sub_item=SubItem(letter="a", text="Norms"), footnotes=("1",)
        ),
    ),
)
TUESDAY = Meeting(
    date=dt.date(2023, 3, 7),
    start=dt.time(10),
    end=dt.time(13),
    formal=False,
    room="Conference Room 4",
    entries=(
        AgendaEntry(
            item=5,
            title=TITLE_5,
            continued=True,
            sub_item=SubItem(letter="a", text="Norms", continued=True),
        ),
    ),
)
THURSDAY = Meeting(
    date=dt.date(2023, 3, 9),
    start=dt.time(15),
    end=dt.time(18),
    formal=False,
    entries=(
        AgendaEntry(segment=Segment.STAKEHOLDER, label="Informal stakeholder segment"),
        AgendaEntry(
            item=5,
            title=TITLE_5,
            continued=True,
            sub_item=SubItem(letter="g", text="Capacity-building"),
        ),
    ),
)
FRIDAY = Meeting(
    date=dt.date(2023, 3, 10),
    start=dt.time(15),
    end=dt.time(18),
    entries=(
        AgendaEntry(
            item=6,
            title="adoption of the report",
            segment=Segment.CLOSURE,
            label="Closure of the session",
        ),
    ),
)
PROGRAMME = Programme(
    body=Body(name="Open-ended working group on ICT", short_name="OEWG"),
    session="Fourth session",
    place="New York",
    venue="United Nations Headquarters",
    first_day=dt.date(2023, 3, 6),
    last_day=dt.date(2023, 3, 10),
    issued=dt.date(2023, 3, 4),
    symbol="A/AC.292/2023/1",
    url="https://example.org/p",
    footnotes=(Footnote(mark="1", text="States are encouraged to be brief."),),
    references=(
        Reference(
            symbol="A/RES/75/240",
            title="General Assembly resolution 75/240",
            url="https://undocs.org/A/RES/75/240",
        ),
        Reference(symbol="A/77/275", title="A/77/275"),
    ),
    meetings=(MONDAY, TUESDAY, THURSDAY, FRIDAY),
)


# ---------------------------------------------------------------- pieces


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2023, 3, 6), "6 March 2023"),
        (dt.date(2024, 12, 31), "31 December 2024"),
        (dt.date(2025, 1, 1), "1 January 2025"),
    ],
)
def test_day_text(day: dt.date, text: str) -> None:
    assert day_text(day) == text


def test_item_and_sub_item_texts() -> None:
    opening, _statements, item_5a = MONDAY.entries
    assert item_text(opening) is None and sub_item_text(opening) is None
    assert item_text(item_5a) == f"Agenda item 5: {TITLE_5}"
    assert item_text(item_5a, word="Item") == f"Item 5: {TITLE_5}"
    assert sub_item_text(item_5a) == "(a) Norms"
    (again,) = TUESDAY.entries
    assert item_text(again) == f"Agenda item 5: {TITLE_5} (continued)"
    assert sub_item_text(again) == "(a) Norms (continued)"
    untitled = AgendaEntry(item=5, sub_item=SubItem(letter="b", text="Rules"))
    assert item_text(untitled) == "Agenda item 5"


def test_entries_line() -> None:
    assert entries_line(MONDAY.entries) == (
        f"Opening of the session; Opening statements; Item 5: {TITLE_5} — (a) Norms"
    )
    assert entries_line(FRIDAY.entries) == "Closure of the session — Item 6: adoption of the report"
    assert entries_line(()) == ""


def test_meeting_time_and_labels() -> None:
    assert meeting_time(PROGRAMME, TUESDAY) == "2023-03-07 10:00–13:00"
    assert meeting_time(PROGRAMME, TUESDAY, zone=True) == "2023-03-07 10:00–13:00 America/New_York"
    assert programme_label(PROGRAMME) == "OEWG — Fourth session"


# ---------------------------------------------------------------- SUMMARY


# The rule (README, "Text for people"): [Cancelled: ]NAME: [Deadline: ]FIRST[ (cont.)]
# [ +N more][ (informal)], NAME cut to 30 characters, the rest at most 60.


@pytest.mark.parametrize(
    ("meeting", "summary"),
    [
        # the first entry, and how many others
        (MONDAY, "OEWG: Opening of the session +2 more"),
        # informal, and nothing in the text says so
        (TUESDAY, "OEWG: Item 5(a): Norms (cont.) (informal)"),
        # informal, and the segment shown says so already
        (THURSDAY, "OEWG: Informal stakeholder segment +1 more"),
        # a segment that is also an item: the item (the label is in DESCRIPTION)
        (FRIDAY, "OEWG: Item 6: adoption of the report"),
    ],
)
def test_summary(meeting: Meeting, summary: str) -> None:
    assert summary_of(PROGRAMME, meeting) == summary
    assert summary_of(PROGRAMME, meeting, cancelled=True) == f"Cancelled: {summary}"


def test_a_long_title_is_shortened_at_a_word() -> None:
    title = (
        "discussions on substantive issues contained in paragraph 1 of General Assembly "
        "resolution 75/240"
    )
    meeting = attrs.evolve(MONDAY, entries=(AgendaEntry(item=7, title=title),))
    # "Item 7: " leaves 52 of the 60 characters: back to the last space within 51, then "…"
    assert summary_of(PROGRAMME, meeting) == (
        "OEWG: Item 7: discussions on substantive issues contained in…"
    )


def test_summary_text_is_on_one_line_and_said_once() -> None:
    entries = (
        AgendaEntry(item=7, title="first\nsecond   third"),
        AgendaEntry(item=8, title="first\nsecond   third"),
        AgendaEntry(segment=Segment.OTHER, label="Briefing"),
        AgendaEntry(segment=Segment.OTHER, label="Briefing"),
    )
    meeting = attrs.evolve(MONDAY, entries=entries)
    # item 8 and one briefing are the two others
    assert summary_of(PROGRAMME, meeting) == "OEWG: Item 7: first second third +2 more"


def test_summary_text_is_the_summary_without_the_name() -> None:
    long = attrs.evolve(
        PROGRAMME, body=Body(name="CPC", short_name="Committee for Programme and Coordination")
    )
    # 40 characters: the name is cut back to the last space within 29, then "…"
    assert (
        summary_of(long, FRIDAY) == "Committee for Programme and…: Item 6: adoption of the report"
    )
    assert summary_text(FRIDAY) == "Item 6: adoption of the report"
    assert summary_text(TUESDAY) == "Item 5(a): Norms (cont.) (informal)"


def test_marks_text() -> None:
    assert [marks_text(a, b) for a, b in ((False, False), (True, False), (False, True))] == [
        "",
        " (continued)",
        " (concluded)",
    ]
    assert marks_text(True, True) == " (continued and concluded)"


def test_sub_item_letters_written_in_summary(seed_programme: Programme) -> None:
    entry = AgendaEntry(
        item=5, title="discussions", sub_item=SubItem(letter="xyz", text="A, B; C \\ D")
    )
    programme = attrs.evolve(
        seed_programme, meetings=(attrs.evolve(seed_programme.meetings[0], entries=(entry,)),)
    )
    (event,) = events_of(to_ics(programme))
    assert "Item 5(xyz): A, B; C \\ D" in str(event["SUMMARY"])


# ------------------------------------------------ SUMMARY: the seed, the bounds, LOCATION

ROOT = Path(__file__).resolve().parents[1]
NAME = "OEWG on ICT security 2021–2025"  # 30 characters: kept whole

# Each seed meeting's SUMMARY, by hand.  Monday afternoon: "Item 5(a): " leaves 49 of
# the 60 characters for the sub-item's text, cut at the last word that fits in 48 plus
# "…"; Tuesday morning's " (cont.)" leaves 41, so 40 plus "…".
SEED_SUMMARIES = [
    f"{NAME}: Opening of the session +3 more",
    f"{NAME}: Item 5(a): Further develop the rules, norms and principles…",
    f"{NAME}: Item 5(a): Further develop the rules, norms and… (cont.)",
    f"{NAME}: Item 5(e): How international law applies to the use of…",
    f"{NAME}: Item 5(f): Confidence-building measures",
    f"{NAME}: Item 5(f): Confidence-building measures (cont.)",
    f"{NAME}: Item 5(g): Capacity-building",
    f"{NAME}: Item 5(g): Capacity-building (cont.) (informal)",
    f"{NAME}: Item 5(c): Establish, under the auspices of the United…",
    f"{NAME}: Item 6: other matters +2 more",
]


def test_seed_summaries_worked_out_by_hand(seed_programme: Programme) -> None:
    assert len(NAME) == SUMMARY_NAME_LIMIT == 30 and SUMMARY_TEXT_LIMIT == 60
    assert [summary_of(seed_programme, m) for m in seed_programme.meetings] == SEED_SUMMARIES
    # and so they are in the feed (unfolded, unescaped by hand)
    lines = to_ics(seed_programme).replace(b"\r\n ", b"").decode().split("\r\n")
    written = [line.removeprefix("SUMMARY:") for line in lines if line.startswith("SUMMARY:")]
    assert [s.replace("\\,", ",").replace("\\;", ";") for s in written] == SEED_SUMMARIES


def test_the_full_agenda_stays_in_the_description(seed_programme: Programme) -> None:
    lines = to_ics(seed_programme).replace(b"\r\n ", b"").decode().split("\r\n")
    monday = [line for line in lines if line.startswith("DESCRIPTION:")][1]  # [0]: calendar's
    for text in ("Opening of the session", "Opening statements", "Agenda item 3: organization"):
        assert text in monday
    assert "(d) Continue to study\\, with a view to promoting common understandings" in monday


def one_meeting(*entries: AgendaEntry, **fields: object) -> tuple[Programme, Meeting]:
    meeting = Meeting(
        date=dt.date(2025, 3, 10),
        start=dt.time(10),
        end=None if fields.get("kind") is Kind.DEADLINE else dt.time(13),
        entries=entries,
        **fields,  # type: ignore[arg-type]
    )
    programme = Programme(
        body=Body(name="Committee on Examples", short_name="CoE"),
        session="First session",
        place="New York",
        venue="United Nations Headquarters",
        first_day=dt.date(2025, 3, 10),
        last_day=dt.date(2025, 3, 14),
        issued=dt.date(2025, 3, 1),
        meetings=(meeting,),
        # what the meeting continues began before this programme
        begun_earlier={k for e in entries for k in e.series_keys if e.continues(k)},
    )
    return programme, meeting


ITEM_7 = AgendaEntry(item=7, title="programme budget")


def test_marks_in_compact_form() -> None:
    programme, meeting = one_meeting(attrs.evolve(ITEM_7, concluded=True))
    assert summary_of(programme, meeting) == "CoE: Item 7: programme budget (concl.)"
    assert summary_of(programme, meeting, cancelled=True) == (
        "Cancelled: CoE: Item 7: programme budget (concl.)"
    )
    informal = attrs.evolve(meeting, formal=False)
    assert summary_of(programme, informal) == "CoE: Item 7: programme budget (concl.) (informal)"
    sub = SubItem(letter="b", text="Pensions", continued=True, concluded=True)
    both = attrs.evolve(meeting, entries=(attrs.evolve(ITEM_7, sub_item=sub),))
    assert summary_of(programme, both) == "CoE: Item 7(b): Pensions (cont., concl.)"


def test_deadline_and_segment() -> None:
    deadline = AgendaEntry(segment=Segment.OTHER, label="Submission of draft proposals")
    programme, meeting = one_meeting(deadline, kind=Kind.DEADLINE)
    assert summary_of(programme, meeting) == "CoE: Deadline: Submission of draft proposals"
    said = AgendaEntry(segment=Segment.OTHER, label="Deadline for draft proposals")
    programme, meeting = one_meeting(said, kind=Kind.DEADLINE)
    assert summary_of(programme, meeting) == "CoE: Deadline for draft proposals"
    # an informal segment says so itself: no second "(informal)"
    stakeholders = AgendaEntry(segment=Segment.STAKEHOLDER, label="Informal stakeholder segment")
    programme, meeting = one_meeting(stakeholders, formal=False)
    assert summary_of(programme, meeting) == "CoE: Informal stakeholder segment"


def test_more_entries_and_long_texts() -> None:
    title = "consideration of the reports of the Secretary-General on the items before it"
    entries = (
        AgendaEntry(item=12, title=title, continued=True),
        AgendaEntry(item=13, title="elections"),
        AgendaEntry(item=13, title="elections"),  # said twice: counted once
        AgendaEntry(segment=Segment.CLOSURE, label="Closure of the session"),
    )
    programme, meeting = one_meeting(*entries, formal=False)
    # 60 - " (cont.) +2 more (informal)" (27) = 33; "Item 12: " leaves 24 for the
    # title: the last word that fits in 23 ("consideration of the") and "…"
    text = "Item 12: consideration of the… (cont.) +2 more (informal)"
    assert len(text) <= 60
    assert summary_of(programme, meeting) == f"CoE: {text}"
    # cancelled takes its 11 characters from the 60 as well: 13 left for the title, 12
    # of them and "…" (a first word longer than that is cut inside), and a title that
    # would be cut below 8 characters is left out altogether
    programme, meeting = one_meeting(*entries[:2], formal=False)
    assert summary_of(programme, meeting, cancelled=True) == (
        "Cancelled: CoE: Item 12: consideratio… (cont.) +1 more (informal)"
    )
    programme, meeting = one_meeting(*entries[:2], formal=False, kind=Kind.DEADLINE)
    assert summary_of(programme, meeting, cancelled=True) == (
        "Cancelled: CoE: Deadline: Item 12 (cont.) +1 more (informal)"
    )


def test_a_long_short_name_is_cut_at_30_characters() -> None:
    programme, meeting = one_meeting(ITEM_7)
    long_name = "Open-ended working group on ICT security"
    programme = attrs.evolve(programme, body=Body(name="x", short_name=long_name))
    assert summary_of(programme, meeting) == (
        "Open-ended working group on…: Item 7: programme budget"
    )


def test_location_has_the_room_the_document_gives() -> None:
    seed = (ROOT / "examples" / "oewg-ict-4th-session.txt").read_text(encoding="utf-8")
    marked = seed.replace("3–6 p.m.\t<b>Informal", "3–6 p.m. (Conference Room 4)\t<b>Informal")
    assert marked != seed
    programme = read_programme(marked.encode(), source="with-room.txt")
    lines = to_ics(programme).replace(b"\r\n ", b"").decode().split("\r\n")
    locations = [line for line in lines if line.startswith("LOCATION:")]
    without = "LOCATION:United Nations Headquarters\\, New York"
    # Thursday afternoon, the eighth meeting, is in the room; the others say nothing
    assert (
        locations
        == [without] * 7 + [f"LOCATION:Conference Room 4\\, {without[9:]}"] + [without] * 2
    )
    assert "X-OEWG-ROOM:Conference Room 4" in lines


@settings(max_examples=150, deadline=None)
@given(programme=programmes(max_meetings=8), cancelled=st.booleans())
def test_summaries_are_short_and_name_the_first_item(programme: Programme, cancelled: bool) -> None:
    name = " ".join(programme.body.short_name.split())
    shown = name if len(name) <= 30 else None
    for meeting in programme.meetings:
        summary = summary_of(programme, meeting, cancelled=cancelled)
        assert "\n" not in summary
        rest = summary.removeprefix("Cancelled: ") if cancelled else summary
        assert rest != summary or not cancelled
        head, _, text = rest.partition(": ")
        if shown is not None:
            assert head == shown
        else:
            assert len(head) <= 30 and head.endswith("…")
            assert name.startswith(head[:-1].rstrip(" ,;:"))
        # the documented bound: 60 characters besides the name and its colon
        assert len(summary) - len(head) - 2 <= 60
        first = meeting.entries[0]
        if first.item is not None:
            assert f"Item {first.reference}" in text
        # "+N more": the other entries, each said once; entries with different items,
        # sub-items or segment labels are different
        kinds = {e.reference or f"segment: {e.label}" for e in meeting.entries}
        more = re.search(r" \+(\d+) more", text)
        if len(kinds) > 1:
            assert more is not None
        if more is not None:
            assert len(kinds) - 1 <= int(more.group(1)) <= len(meeting.entries) - 1


# ---------------------------------------------------------------- DESCRIPTION


def test_description() -> None:
    assert description_of(PROGRAMME, MONDAY) == "\n".join(
        [
            "Open-ended working group on ICT — Fourth session",
            "Formal meeting",
            "",
            "Opening of the session",
            "Opening statements",
            "  – The Chair",
            "  – The Secretary",
            f"Agenda item 5: {TITLE_5} [1]",
            "  (a) Norms",
            "",
            "[1] States are encouraged to be brief.",
            "",
            "Programme of work: A/AC.292/2023/1 https://example.org/p",
        ]
    )


def test_description_of_a_cancelled_informal_meeting() -> None:
    assert description_of(PROGRAMME, TUESDAY, cancelled=True) == "\n".join(
        [
            "This meeting has been cancelled.",
            "",
            "Open-ended working group on ICT — Fourth session",
            "Informal meeting",
            "",
            f"Agenda item 5: {TITLE_5} (continued)",
            "  (a) Norms (continued)",
            "",
            "Programme of work: A/AC.292/2023/1 https://example.org/p",
        ]
    )


def test_description_of_a_segment_that_is_an_item_without_a_source() -> None:
    programme = attrs.evolve(PROGRAMME, symbol=None, url=None)
    assert description_of(programme, FRIDAY) == "\n".join(
        [
            "Open-ended working group on ICT — Fourth session",
            "Formal meeting",
            "",
            "Closure of the session",
            "Agenda item 6: adoption of the report",
        ]
    )


def test_speakers_and_footnotes_of_an_item_without_a_segment() -> None:
    entry = AgendaEntry(item=4, title="general debate", speakers=("The Chair",), footnotes=("1",))
    meeting = attrs.evolve(MONDAY, entries=(entry,))
    lines = description_of(PROGRAMME, meeting).split("\n")
    assert lines[3:5] == ["Agenda item 4: general debate [1]", "  – The Chair"]


def test_speakers_of_an_agenda_item_are_in_the_description(seed_programme: Programme) -> None:
    entry = AgendaEntry(item=4, title="general exchange of views", speakers=("The Chair",))
    monday = seed_programme.meetings[0]
    monday = attrs.evolve(monday, entries=(*monday.entries, entry))
    programme = attrs.evolve(seed_programme, meetings=(monday, *seed_programme.meetings[1:]))
    assert from_ics(to_ics(programme)) == programme  # the feed keeps them for programs
    event = min(events_of(to_ics(programme)), key=lambda e: e["DTSTART"].dt)
    assert "The Chair" in str(event["DESCRIPTION"])


# ---------------------------------------------------------------- LOCATION and CATEGORIES


def test_location() -> None:
    assert location_of(PROGRAMME, MONDAY) == "United Nations Headquarters, New York"
    assert location_of(PROGRAMME, TUESDAY) == (
        "Conference Room 4, United Nations Headquarters, New York"
    )
    geneva = attrs.evolve(PROGRAMME, venue="Geneva", place="Geneva")
    assert location_of(geneva, MONDAY) == "Geneva"  # said once


def test_categories() -> None:
    options = FeedOptions(categories=("UN", "OEWG"))
    assert categories_of(PROGRAMME, MONDAY, options) == [
        "OEWG",
        "Formal meeting",
        "Agenda item 5",
        "UN",
    ]
    assert categories_of(PROGRAMME, THURSDAY, FeedOptions()) == [
        "OEWG",
        "Informal meeting",
        "Agenda item 5",
    ]


# ---------------------------------------------------------------- the calendar


def test_calendar_name_and_description() -> None:
    fifth = attrs.evolve(PROGRAMME, session="Fifth session")
    assert calendar_name([PROGRAMME], FeedOptions()) == "OEWG — Fourth session"
    assert calendar_name([PROGRAMME, fifth], FeedOptions()) == (
        "OEWG — Fourth session; OEWG — Fifth session"
    )
    assert calendar_name([PROGRAMME], FeedOptions(name="My feed")) == "My feed"
    assert calendar_name([], FeedOptions()) == "oewg_cal"
    assert calendar_description([PROGRAMME], FeedOptions()) == (
        "Open-ended working group on ICT, Fourth session, New York, 6 March 2023–10 March 2023"
    )
    assert calendar_description([PROGRAMME], FeedOptions(description="Mine")) == "Mine"
    assert calendar_description([], FeedOptions()) == ""


# ---------------------------------------------------------------- oewg-cal show


def test_format_programme() -> None:
    assert format_programme(PROGRAMME) == "\n".join(
        [
            "Open-ended working group on ICT",
            "  short name: OEWG",
            "Fourth session — New York (United Nations Headquarters)",
            "  2023-03-06 to 2023-03-10, time zone America/New_York, issued 2023-03-04",
            "  symbol: A/AC.292/2023/1",
            "  url: https://example.org/p",
            "",
            "Monday 6 March 2023",
            "  10:00–13:00",
            "      Opening of the session  <opening>",
            "      Opening statements  <opening-statements>",
            "        – The Chair",
            "        – The Secretary",
            f"      Item 5: {TITLE_5} [1]",
            "        (a) Norms",
            "      series: 5 1/3, 5(a) 1/2",
            "",
            "Tuesday 7 March 2023",
            "  10:00–13:00  [informal]  (Conference Room 4)",
            f"      Item 5: {TITLE_5} (continued)",
            "        (a) Norms (continued)",
            "      series: 5 2/3, 5(a) 2/2",
            "",
            "Thursday 9 March 2023",
            "  15:00–18:00  [informal]",
            "      Informal stakeholder segment  <stakeholder>",
            f"      Item 5: {TITLE_5} (continued)",
            "        (g) Capacity-building",
            "      series: 5 3/3",
            "",
            "Friday 10 March 2023",
            "  15:00–18:00",
            "      Closure of the session  <closure>",
            "      Item 6: adoption of the report",
            "",
            "Series (item or item/sub-item over several meetings):",
            "  5: Mon 10:00, Tue 10:00, Thu 15:00",
            "  5(a): Mon 10:00, Tue 10:00",
            "",
            "Footnotes:",
            "  [1] States are encouraged to be brief.",
            "",
            "References:",
            "  General Assembly resolution 75/240: https://undocs.org/A/RES/75/240",
            "  A/77/275: A/77/275",
            "",
        ]
    )


def test_format_programme_of_a_bare_programme() -> None:
    bare = attrs.evolve(
        PROGRAMME, symbol=None, url=None, footnotes=(), references=(), meetings=(FRIDAY,)
    )
    assert format_programme(bare) == "\n".join(
        [
            "Open-ended working group on ICT",
            "  short name: OEWG",
            "Fourth session — New York (United Nations Headquarters)",
            "  2023-03-06 to 2023-03-10, time zone America/New_York, issued 2023-03-04",
            "",
            "Friday 10 March 2023",
            "  15:00–18:00",
            "      Closure of the session  <closure>",
            "      Item 6: adoption of the report",
            "",
        ]
    )
