"""Reading born-digital PDFs, printed here in the UN's layouts (tests/pdfrender.py).

These run everywhere: the PDFs are made by reportlab from programmes built in the test,
so that what the reader must find is known independently of the reader.  The layouts are
those of the General Assembly's Second Committee (A/C.2/80/L.1), its Fourth Committee
(A/C.4/80/L.1) and the seed's OEWG table.  Where a layout cannot carry something (the
Fourth Committee prints start times only), the programme read must equal the source after
that documented transformation, and the reader must say what it assumed, with page and line.

Reader bugs found by these tests are the ``xfail(strict=True)`` tests at the end, each with
the smallest document that shows it.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from handbuilt import hand_built_seed
from oewg_cal import AgendaEntry, Body, Footnote, Meeting, Programme, Reference, Segment, SubItem
from oewg_cal.errors import DocumentError
from oewg_cal.model import FollowedBy, Kind
from oewg_cal.readers import Reading, read
from oewg_cal.stations import DUTY_STATIONS
from pdfrender import FONTS, LAYOUTS, Options, Rendering, render_pdf, table_lines

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = shutil.which("oewg-cal", path=str(Path(sys.executable).parent))


def read_pdf(rendering: Rendering, source: str = "programme.pdf", **kw: str) -> Reading:
    try:
        return read(rendering.pdf, source=source, **kw)
    except DocumentError as exc:  # pragma: no cover - shows the printed table on failure
        shown = "\n".join(f"{x.page}:{x.line} {x.text}" for x in rendering.lines)
        raise AssertionError(f"{exc}\n---\n{shown}") from exc


def differences(got: Programme, want: Programme) -> str:
    """What differs, meeting by meeting (for failure messages)."""
    import itertools

    out = [
        f"{f.name}: {getattr(got, f.name)!r} != {getattr(want, f.name)!r}"
        for f in attrs.fields(Programme)
        if f.name != "meetings" and getattr(got, f.name) != getattr(want, f.name)
    ]
    for a, b in itertools.zip_longest(got.meetings, want.meetings):
        if a != b:
            out.append(f"got  {a!r}\nwant {b!r}")
    return "\n".join(out)


def assumed_ends(programme: Programme) -> Programme:
    """The programme as a document that prints start times only says it: the issue's rule,
    worked out here: a UN meeting slot lasts three hours (to 23:59 at most) unless the next
    meeting of the day starts earlier; the end is marked as assumed.  Deadlines and days
    without a time are unchanged."""
    meetings = []
    for meeting in programme.meetings:
        if meeting.kind is not Kind.MEETING or meeting.start is None:
            meetings.append(meeting)
            continue
        moment = dt.datetime.combine(meeting.date, meeting.start) + dt.timedelta(hours=3)
        end = moment.time() if moment.date() == meeting.date else dt.time(23, 59)
        later = sorted(
            m.start
            for m in programme.meetings
            if m.date == meeting.date
            and m.kind is Kind.MEETING
            and m.start is not None
            and m.start > meeting.start
        )
        if later and later[0] < end:
            end = later[0]
        meetings.append(attrs.evolve(meeting, end=end, end_assumed=True))
    return attrs.evolve(programme, meetings=meetings)


def _times_printed(rendering: Rendering) -> list[tuple[int, int]]:
    """Page and line of each printed meeting time, in order."""
    return [(x.page, x.line) for x in rendering.lines if x.role == "time" and x.first]


# ---------------------------------------------------------------- the seed in each layout


def test_seed_in_the_second_committee_layout(seed_programme: Programme) -> None:
    rendering = render_pdf(seed_programme, Options(layout="second"))
    reading = read_pdf(rendering, "seed.pdf")
    assert reading.programme == seed_programme
    # the layout prints no "New York, 6–10 March 2023": both are taken from elsewhere, said
    dates, place = sorted(reading.warnings, key=lambda w: "place" in w.message)
    assert "prints no session dates" in dates.message
    assert "from its first meeting (2023-03-06) to its last (2023-03-10)" in dates.message
    assert 'the place is taken from "Headquarters" in the note: New York' in place.message
    assert all(w.page == 1 and w.line for w in reading.warnings)


def test_seed_in_the_fourth_committee_layout_has_its_ends_assumed(
    seed_programme: Programme,
) -> None:
    rendering = render_pdf(seed_programme, Options(layout="fourth"))
    reading = read_pdf(rendering, "seed.pdf")
    assert reading.programme == assumed_ends(seed_programme)
    assert all(m.end_assumed for m in reading.programme.meetings)
    starts = [w for w in reading.warnings if "only the start" in w.message]
    assert len(starts) == len(seed_programme.meetings)
    for warning, meeting in zip(starts, seed_programme.meetings, strict=True):
        assert f"only the start ({meeting.start:%H:%M}) is given" in warning.message
        assert f"meeting of {meeting.date}" in warning.message
        assert "three-hour meeting slot" in warning.message
    # each warning names the page and line where the time is printed
    assert [(w.page, w.line) for w in starts] == _times_printed(rendering)
    (year,) = [w for w in reading.warnings if "print no year" in w.message]
    assert "2023 is taken from the issue date (2023-03-04)" in year.message
    assert year.page == 2 and year.line is not None


@pytest.mark.parametrize("inline_subs", [False, True], ids=["subs-below", "subs-inline"])
def test_seed_in_its_own_layout(seed_programme: Programme, inline_subs: bool) -> None:
    rendering = render_pdf(seed_programme, Options(layout="seed", inline_subs=inline_subs))
    if inline_subs:  # as the seed's Wednesday: "… 75/240 (continued) (f) Confidence-building"
        printed = " ".join(x.text for x in rendering.lines)
        assert "75/240 (continued) (f) Confidence-building measures" in printed
    reading = read_pdf(rendering, "seed.pdf")
    assert reading.programme == seed_programme
    assert reading.warnings == ()  # the session's place and dates are printed


@pytest.mark.parametrize(
    ("layout", "font"), [(layout, font) for layout in LAYOUTS for font in FONTS]
)
def test_seed_in_every_font(seed_programme: Programme, layout: str, font: str) -> None:
    """TrueType embedded (bold weights visible), Type 1 embedded (Times New Roman, the
    UN's face), and a base-14 font that is not embedded."""
    rendering = render_pdf(seed_programme, Options(layout=layout, font=font))
    expected = assumed_ends(seed_programme) if layout == "fourth" else seed_programme
    assert read_pdf(rendering, "seed.pdf").programme == expected


def test_seed_with_start_times_only_in_the_second_committee_layout(
    seed_programme: Programme,
) -> None:
    rendering = render_pdf(seed_programme, Options(layout="second", start_only=True))
    assert "10 a.m." in [x.text for x in rendering.lines]
    reading = read_pdf(rendering, "seed.pdf")
    assert reading.programme == assumed_ends(seed_programme)
    starts = [w for w in reading.warnings if "only the start" in w.message]
    assert [(w.page, w.line) for w in starts] == _times_printed(rendering)
    assert all(w.source == "seed.pdf" for w in reading.warnings)


# ---------------------------------------------------------------- generated programmes

_WORDS = (
    "security", "information", "technologies", "norms", "States", "measures", "law",
    "dialogue", "capacity", "threats", "cooperation", "confidence", "building",
    "“responsible”", "behaviour", "international", "résumé", "sustainable", "development",
    "Non-Self-Governing", "Territories", "2021–2025", "data", "peaceful", "outer", "space",
    "of", "the", "and", "for", "on", "in", "with", "’s",
)  # fmt: skip
# Labels as the Secretariat writes them; those that start an entry of their own in the
# reader's eyes (a known segment, "General debate", "Panel discussion", …) and those that do
# not ("Keynote address", "Side event").
_STARTING_LABELS = (
    "General debate",
    "Panel discussion on capacity-building",
    "Interactive dialogue with the Special Rapporteur",
    "Informal consultations",
)
_PLAIN_LABELS = ("Keynote address", "Side event", "Organizational meeting")
_SEGMENTS = {
    Segment.OPENING: "Opening of the session",
    Segment.OPENING_STATEMENTS: "Opening statements",
    Segment.CLOSURE: "Closure of the session",
    Segment.CONCLUDING_REMARKS: "Concluding remarks by the Chair",
}
_DEADLINES = {
    "second": (
        "deadline for submission of draft proposals",
        "closure of the list of speakers",
    ),
    "fourth": (
        "Deadline for submission of proposals on “{}”",
        "Closure of the list of speakers on “{}”",
    ),
    "seed": ("Deadline for submission of written contributions",),
}
_BODIES = {
    "second": ("Second Committee", "Second Committee", "Eightieth session"),
    "fourth": (
        "Special Political and Decolonization Committee (Fourth Committee)",
        "Fourth Committee",
        "Eightieth session",
    ),
    "seed": (
        "Open-ended working group on security of and in the use of information and "
        "communications technologies 2021–2025",
        "OEWG on ICT security 2021–2025",
        "Fourth substantive session",
    ),
}
# the note that tells where the body meets, when no "New York, 6–10 March 2023" is printed
_WHERE = {
    "New York": "The Committee will meet at Headquarters.",
    "Geneva": "The meetings will take place in Geneva.",
    "Vienna": "The meetings will take place in Vienna.",
}


def _phrase(first_upper: bool, max_size: int = 9) -> st.SearchStrategy[str]:
    def build(words: list[str]) -> str:
        text = " ".join(words)
        return text[0].upper() + text[1:] if first_upper else text

    phrases = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=max_size).map(build)
    # a capitalised phrase starts with a letter: "(b) 2021–2025" inline after an item's
    # heading is not told from the heading's text (documented: sub-items start with a capital)
    return phrases.filter(lambda t: t[0].isupper()) if first_upper else phrases


@st.composite
def _entries(
    draw: st.DrawFn,
    layout: str,
    titles: dict[int, str],
    seen: set[tuple[int, str | None]],
    marks: Sequence[str],
    informal: bool,
) -> list[AgendaEntry]:
    """A meeting's agenda: segments, and items with their sub-items (consecutive under one
    heading).  An item is marked continued when an earlier meeting took it up, as the UN
    marks it.  After a sub-item comes only what starts an entry of its own: see
    test_a_paragraph_after_a_sub_item_is_not_swallowed (a reader bug)."""
    entries: list[AgendaEntry] = []
    used: set[int] = set()
    after_sub = False
    for _ in range(draw(st.integers(1, 3))):
        kinds = ["segment", "other", "item"]
        if after_sub and layout == "fourth":
            kinds = ["segment", "other"]  # a "Title (item N)" would be swallowed too
        kind = draw(st.sampled_from(kinds))
        footnotes = tuple(draw(st.lists(st.sampled_from(marks), max_size=1))) if marks else ()
        if kind == "segment":
            segment = draw(st.sampled_from(sorted(_SEGMENTS, key=lambda s: s.value)))
            speakers = ()
            if segment is Segment.OPENING_STATEMENTS:
                speakers = tuple(draw(st.lists(_phrase(True), max_size=2)))
            entries.append(
                AgendaEntry(
                    segment=segment,
                    label=_SEGMENTS[segment],
                    speakers=speakers,
                    footnotes=footnotes,
                )
            )
            after_sub = False
            continue
        if kind == "other":
            labels = _STARTING_LABELS if after_sub else _STARTING_LABELS + _PLAIN_LABELS
            label = draw(st.sampled_from(labels))
            if "Informal" in label and not informal:
                label = "General debate"
            entries.append(AgendaEntry(segment=Segment.OTHER, label=label, footnotes=footnotes))
            after_sub = False
            continue
        item = draw(st.sampled_from([n for n in titles if n not in used] or [0]))
        if item == 0:
            continue
        used.add(item)
        continued = (item, None) in seen
        concluded = draw(st.integers(0, 5)) == 0
        letters = draw(st.lists(st.sampled_from("abcdefgh"), max_size=3, unique=True))
        if not letters:
            entries.append(
                AgendaEntry(
                    item=item,
                    title=titles[item],
                    continued=continued,
                    concluded=concluded,
                    footnotes=footnotes,
                )
            )
            after_sub = False
            continue
        for index, letter in enumerate(sorted(letters)):
            sub = SubItem(
                letter=letter,
                text=draw(_phrase(True)),
                continued=(item, letter) in seen,
                concluded=draw(st.integers(0, 5)) == 0,
            )
            entries.append(
                AgendaEntry(
                    item=item,
                    title=titles[item],
                    continued=continued,
                    concluded=concluded if index == 0 else False,
                    sub_item=sub,
                    footnotes=footnotes if index == 0 else (),
                )
            )
        after_sub = True
    if not entries:
        entries.append(AgendaEntry(segment=Segment.OTHER, label="General debate"))
    return entries


def _minutes(m: int) -> dt.time:
    return dt.time(m // 60, m % 60)


def _take_up(seen: set[tuple[int, str | None]], meeting: Meeting) -> None:
    """What a meeting takes up: later meetings continue it."""
    for entry in meeting.agenda:
        if entry.item is not None:
            seen.add((entry.item, None))
            if entry.sub_item is not None:
                seen.add((entry.item, entry.sub_item.letter))


@st.composite
def programmes_for(draw: st.DrawFn, layout: str) -> tuple[Programme, Options]:
    """A programme that ``layout`` can print, and how to print it."""
    year = draw(st.integers(2021, 2030))
    first = draw(st.dates(dt.date(year, 1, 2), dt.date(year, 12, 20)))
    days = [first + dt.timedelta(days=n) for n in range(draw(st.integers(1, 4)))]
    numbers = draw(st.lists(st.integers(1, 199), min_size=1, max_size=4, unique=True))
    titles = {n: draw(_phrase(n % 2 == 0)) for n in numbers}
    marks = [str(n) for n in range(1, draw(st.integers(0, 3)) + 1)]
    seen: set[tuple[int, str | None]] = set()
    meetings: list[Meeting] = []
    holidays: list[tuple[dt.date, str]] = []
    for day in days:
        if day != days[0] and day != days[-1] and draw(st.integers(0, 5)) == 0:
            holidays.append((day, "Diwali" if layout == "fourth" else "United Nations holiday"))
            continue
        here: list[Meeting] = []
        if draw(st.integers(0, 5)) == 0:  # a day's agenda with no time
            entries = draw(_entries(layout, titles, seen, marks, informal=False))
            if len(entries) == 1 and entries[0].label in _PLAIN_LABELS:
                # one short line under a day is read as a holiday's name: see
                # test_a_day_without_time_with_one_short_line_is_a_meeting (a reader bug)
                entries = [AgendaEntry(segment=Segment.OTHER, label="General debate")]
            here.append(Meeting(date=day, start=None, end=None, entries=entries))
            _take_up(seen, here[-1])
        cursor = draw(st.sampled_from([9 * 60, 10 * 60, 10 * 60 + 30]))
        # a day's agenda with no time is not followed by timed meetings: see
        # test_a_day_without_time_then_a_time_keeps_both (a reader bug)
        for _ in range(0 if here else draw(st.integers(1, 3))):
            start = cursor + draw(st.sampled_from([0, 0, 30, 120]))
            end = start + draw(st.sampled_from([90, 120, 180, 180, 210]))
            if end > 21 * 60:
                break
            cursor = end
            formal = draw(st.booleans()) if layout == "second" else True
            entries = draw(_entries(layout, titles, seen, marks, informal=not formal))
            if entries and "Informal" in entries[0].label:
                formal = False  # headed by an informal segment
            room = None
            if layout == "second" and draw(st.integers(0, 3)) == 0:
                room = draw(st.sampled_from(["Conference Room 2", "Trusteeship Council Chamber"]))
            follow = None
            if draw(st.integers(0, 5)) == 0:
                follow = FollowedBy(
                    entries=[AgendaEntry(segment=Segment.OTHER, label="Informal consultations")],
                    formal=False,
                )
            here.append(
                Meeting(
                    date=day,
                    start=_minutes(start),
                    end=_minutes(end),
                    entries=entries,
                    formal=formal,
                    room=room,
                    followed_by=follow,
                )
            )
            _take_up(seen, here[-1])
        # in a table, a deadline's time under a day's agenda without a time is no better:
        # see test_a_day_without_time_then_a_time_keeps_both
        untimed_only = bool(here) and here[-1].start is None and layout != "second"
        if draw(st.integers(0, 3)) == 0 and not untimed_only:
            label = draw(st.sampled_from(_DEADLINES[layout])).format(draw(_phrase(True, 4)))
            at = draw(st.sampled_from([13 * 60, 18 * 60, 18 * 60 + 30]))
            here.append(
                Meeting(
                    date=day,
                    start=_minutes(at),
                    end=None,
                    kind=Kind.DEADLINE,
                    entries=[AgendaEntry(segment=Segment.OTHER, label=label)],
                )
            )
        meetings += here
    # footnotes in the order their marks first appear, as a document prints them
    ordered = sorted(meetings, key=lambda m: m.sort_key)
    used = list(dict.fromkeys(m for x in ordered for e in x.agenda for m in e.footnotes))
    footnotes = [Footnote(mark=m, text=draw(_phrase(True)) + ".") for m in used]
    name, short, session = _BODIES[layout]
    place = draw(st.sampled_from(sorted(_WHERE)))
    station = DUTY_STATIONS[place.lower()]
    notes = [draw(_phrase(True)) + "." for _ in range(draw(st.integers(0, 2)))]
    references: list[Reference] = []
    if draw(st.booleans()):
        notes.append("The session is held pursuant to General Assembly resolution 75/240.")
        references.append(
            Reference(
                symbol="A/RES/75/240",
                title="General Assembly resolution 75/240",
                url="https://undocs.org/A/RES/75/240",
            )
        )
    if layout != "seed":
        notes.append(_WHERE[place])
    dates = sorted(m.date for m in meetings)
    programme = Programme(
        body=Body(name=name, short_name=short),
        session=session,
        place=place,
        venue=station.venue,
        timezone=station.timezone,
        first_day=dates[0],
        last_day=dates[-1],
        issued=dates[0] - dt.timedelta(days=draw(st.integers(0, dates[0].timetuple().tm_yday - 1))),
        symbol=draw(st.sampled_from([None, "A/AC.292/2023/1", "A/80/250"])),
        notes=notes,
        footnotes=footnotes,
        references=references,
        meetings=meetings,
    )
    options = Options(
        layout=layout,
        font=draw(st.sampled_from(FONTS)),
        start_only=layout == "second" and draw(st.booleans()),
        holidays=tuple(h for h in holidays if dates[0] < h[0] < dates[-1]),
        inline_subs=layout == "seed" and draw(st.booleans()),
    )
    return programme, options


#: What the reader may say of a document these layouts print: its assumptions, never a line
#: it could not place.
_EXPECTED_WARNINGS = re.compile(
    r"only the start \(\d\d:\d\d\) is given|the days print no year|prints no session dates"
    r"|the place is taken from|no time is given for the meeting"
    r"|with no time or agenda under the day: read as a day without meetings"
)


@pytest.mark.parametrize("layout", LAYOUTS)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_generated_programmes_read_back_from_pdf(layout: str, data: st.DataObject) -> None:
    programme, options = data.draw(programmes_for(layout))
    # the table on one page: page breaks are tried position by position in
    # test_page_break_inside_a_meeting, where the reader's bugs with them are documented
    lines = table_lines(programme, options)
    # a word of a time line that starts where a column starts cuts the line there: see
    # test_a_time_line_is_not_cut_at_a_column_edge (a reader bug)
    edges = {line.pieces[0].x for line in lines}
    assume(
        not any(
            abs(piece.x - edge) < 1.6
            for line in lines
            if line.role in ("time", "deadline") and line.first
            for piece in line.pieces[1:]
            for edge in edges
        )
    )
    options = attrs.evolve(options, page_height=max(792.0, 400.0 + 20.0 * len(lines)))
    rendering = render_pdf(programme, options)
    assert rendering.pages == 2  # the note, then the table
    reading = read_pdf(rendering, short_name=programme.body.short_name)
    expected = assumed_ends(programme) if options.starts_only else programme
    printed = "\n".join(f"{x.page}:{x.line} {x.text}" for x in rendering.lines)
    assert reading.programme == expected, (
        f"{differences(reading.programme, expected)}\n{options}\n---\n{printed}"
    )
    for warning in reading.warnings:
        assert _EXPECTED_WARNINGS.search(warning.message), warning
        assert warning.page is not None and warning.line is not None
    untimed = [m for m in programme.meetings if m.start is None]
    assert sum("no time is given" in w.message for w in reading.warnings) == len(untimed)


# ---------------------------------------------------------------- page breaks in a meeting

_DAY = dt.date(2025, 10, 13)
#: One long meeting, as the Second Committee prints them: plain labels, a footnote mark, an
#: item with wrapped sub-items, an item with a title over four lines; then another meeting.
_LONG = Meeting(
    date=_DAY,
    start=dt.time(10),
    end=dt.time(13),
    entries=[
        AgendaEntry(segment=Segment.OTHER, label="Keynote address"),
        AgendaEntry(
            segment=Segment.OTHER,
            label="Opening of the general debate on the promotion of sustainable development "
            "and international cooperation in the peaceful uses of outer space",
        ),
        AgendaEntry(segment=Segment.OTHER, label="Side event", footnotes=("1",)),
        AgendaEntry(
            segment=Segment.OTHER, label="Introductory statements and joint general discussion on"
        ),
        AgendaEntry(
            item=60,
            title="Permanent sovereignty of the Palestinian people in the Occupied Palestinian "
            "Territory, including East Jerusalem, and of the Arab population in the occupied "
            "Syrian Golan over their natural resources",
        ),
        AgendaEntry(
            item=18,
            title="Sustainable development",
            sub_item=SubItem(
                letter="a",
                text="Towards the achievement of sustainable development: implementation of "
                "the 2030 Agenda for Sustainable Development, including through sustainable "
                "consumption and production, building on Agenda 21",
            ),
        ),
        AgendaEntry(
            item=18,
            title="Sustainable development",
            sub_item=SubItem(letter="b", text="Disaster risk reduction"),
        ),
    ],
)
BREAKS = attrs.evolve(
    hand_built_seed(),
    body=Body(name="Second Committee", short_name="Second Committee"),
    session="Eightieth session",
    first_day=_DAY,
    last_day=_DAY,
    issued=dt.date(2025, 9, 12),
    footnotes=[Footnote(mark="1", text="A concept note will be made available on the portal.")],
    # those of the notes (the seed's footnote is not here)
    references=hand_built_seed().references[:2],
    meetings=[
        _LONG,
        Meeting(
            date=_DAY,
            start=dt.time(15),
            end=dt.time(18),
            entries=[
                AgendaEntry(
                    item=18,
                    title="Sustainable development",
                    continued=True,
                    sub_item=SubItem(letter="b", text="Disaster risk reduction", continued=True),
                )
            ],
        ),
    ],
)


def _break_positions() -> list[object]:
    """Every line of the long meeting, and the line after it: a page break before each.

    Across a page break the spacing tells nothing (the first line of a page stands under
    the page's top margin, or a paragraph's space under the seed layout's repeated table
    header), so the reader must tell a paragraph going on from a new one by its text.
    """
    found: list[object] = []
    for layout in LAYOUTS:
        lines = table_lines(BREAKS, Options(layout=layout))
        ours = [i for i, line in enumerate(lines) if line.meeting == 0]
        for index in [*ours, ours[-1] + 1]:
            line = lines[index]
            found.append(pytest.param(layout, index, id=f"{layout}-{index}-{line.text[:20]}"))
    return found


@pytest.mark.parametrize(("layout", "position"), _break_positions())
def test_page_break_inside_a_meeting(layout: str, position: int) -> None:
    """The issue's bug: "a page break inside a cell drops the rest of the cell"."""
    rendering = render_pdf(BREAKS, Options(layout=layout, breaks=frozenset({position})))
    printed = rendering.lines[position]
    assert printed.page == rendering.lines[0].page + 1  # the break fell where it was asked
    assert rendering.lines[position - 1].page == rendering.lines[0].page
    reading = read_pdf(rendering, short_name="Second Committee")
    expected = assumed_ends(BREAKS) if layout == "fourth" else BREAKS
    assert reading.programme == expected, differences(reading.programme, expected)
    assert not [w for w in reading.warnings if "cannot place" in w.message]


# ---------------------------------------------------------------- footnotes

_MARKED = Meeting(
    date=_DAY,
    start=dt.time(10),
    end=dt.time(13),
    entries=[
        AgendaEntry(segment=Segment.OTHER, label="Keynote address", footnotes=("1",)),
        AgendaEntry(item=23, title="Operational activities for development"),
        AgendaEntry(
            item=21,
            title="Groups of countries in special situations",
            footnotes=("2",),
            sub_item=SubItem(letter="a", text="Follow-up to the Fifth Conference"),
        ),
        AgendaEntry(
            item=21,
            title="Groups of countries in special situations",
            footnotes=("3",),
            sub_item=SubItem(letter="b", text="Follow-up to the Third Conference"),
        ),
    ],
)


def _notes_programme(count: int, meetings: list[Meeting]) -> Programme:
    text = (
        "Meetings of the Committee to take action on draft proposals are scheduled on a "
        "preliminary basis and will be convened or rescheduled depending on the "
        "availability of documentation, as the Bureau decides after consultations with"
    )
    whom = ("Member States", "the Chair", "the Secretariat", "the facilitators", "observers")
    return attrs.evolve(
        BREAKS,
        footnotes=[
            Footnote(mark=str(n), text=f"{text} {whom[n % len(whom)]}, in room {'ABCDEFGHIJ'[n]}.")
            for n in range(1, count + 1)
        ],
        meetings=meetings,
    )


@pytest.mark.parametrize("layout", LAYOUTS)
def test_footnote_marks_attach_to_their_entries(layout: str) -> None:
    """A mark after a label, on an item's heading, after the second sub-item under one
    heading, and on a deadline's text: each on the entry it is printed on."""
    deadline = Meeting(
        date=_DAY,
        start=dt.time(18),
        end=None,
        kind=Kind.DEADLINE,
        entries=[
            AgendaEntry(
                segment=Segment.OTHER,
                label=_DEADLINES[layout][0].format("Effects of atomic radiation"),
                footnotes=("4",),
            )
        ],
    )
    programme = _notes_programme(4, [_MARKED, deadline])
    rendering = render_pdf(programme, Options(layout=layout))
    printed = " | ".join(x.text for x in rendering.lines)
    assert "Keynote address^1" in printed and "^3" in printed  # superscripts, where printed
    reading = read_pdf(rendering, short_name="Second Committee")
    expected = assumed_ends(programme) if layout == "fourth" else programme
    assert reading.programme == expected, differences(reading.programme, expected)
    entries = reading.programme.meetings[0].entries
    assert [e.footnotes for e in entries] == [("1",), (), ("2",), ("3",)]
    assert reading.programme.meetings[1].entries[0].footnotes == ("4",)
    assert [f.mark for f in reading.programme.footnotes] == ["1", "2", "3", "4"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_footnotes_at_the_bottom_of_several_pages_are_all_read(layout: str) -> None:
    """Eight long footnotes whose marks fall on three pages: each page prints those marked
    on it under its rule, and every one is read, in order, with its whole text."""
    meetings = []
    for n in range(8):
        start = dt.time(9 + n)
        meetings.append(
            Meeting(
                date=_DAY,
                start=start,
                end=dt.time(10 + n),
                entries=[
                    AgendaEntry(
                        segment=Segment.OTHER, label="Panel discussion", footnotes=(str(n + 1),)
                    ),
                    AgendaEntry(item=30 + n, title="Sustainable development of outer space"),
                ],
            )
        )
    programme = _notes_programme(8, meetings)
    lines = table_lines(programme, Options(layout=layout))
    third = len(lines) // 3
    breaks = frozenset(
        i for i in (third, 2 * third) for i in range(i, len(lines)) if lines[i].role == "time"
    )
    breaks = frozenset(sorted(breaks)[:1] + sorted(i for i in breaks if i >= 2 * third)[:1])
    rendering = render_pdf(programme, Options(layout=layout, breaks=breaks))
    pages = {page for page, _ in rendering.footnotes}
    assert len(pages) == 3  # the footnotes stand at the bottom of three pages
    assert [mark for _, mark in rendering.footnotes] == [str(n) for n in range(1, 9)]
    reading = read_pdf(rendering, short_name="Second Committee")
    expected = assumed_ends(programme) if layout == "fourth" else programme
    assert reading.programme == expected, differences(reading.programme, expected)
    assert reading.programme.footnotes == programme.footnotes


# ---------------------------------------------------------------- what is not a readable PDF


def _scan(pdf: bytes) -> bytes:
    """The PDF as a scanner gives it: each page an image (rendered by PDFium), no text."""
    import io

    import pypdfium2
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    document = pypdfium2.PdfDocument(pdf)
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=(612, 792))
    try:
        for index in range(len(document)):
            image = document[index].render(scale=1).to_pil()
            sheet.drawImage(ImageReader(image), 0, 0, 612, 792)
            sheet.showPage()
    finally:
        document.close()
    sheet.save()
    return out.getvalue()


def test_a_scanned_pdf_is_refused_with_a_clear_message(seed_programme: Programme) -> None:
    scanned = _scan(render_pdf(seed_programme, Options(layout="second")).pdf)
    assert scanned.startswith(b"%PDF-") and b"/Image" in scanned
    with pytest.raises(DocumentError) as info:
        read(scanned, source="scan.pdf")
    message = str(info.value)
    assert message.startswith("scan.pdf")
    assert "no text layer" in message and "no OCR" in message


@settings(max_examples=40, deadline=None)
@given(cut=st.integers(0, 100_000))
def test_a_truncated_pdf_gives_a_document_error_or_the_whole_programme(cut: int) -> None:
    pdf = _SEED_PDF[: cut * len(_SEED_PDF) // 100_000]
    try:
        reading = read(pdf, source="cut.pdf")
    except DocumentError as exc:
        assert exc.source == "cut.pdf"
        return
    # PDFium rebuilds a PDF that lost only its cross-reference table and trailer
    assert reading.programme == hand_built_seed()


_SEED_PDF = render_pdf(hand_built_seed(), Options(layout="second")).pdf


@settings(max_examples=60, deadline=None)
@given(junk=st.binary(max_size=3000), keep=st.integers(0, 4000))
def test_garbage_after_the_pdf_header_gives_a_document_error(junk: bytes, keep: int) -> None:
    for data in (b"%PDF-" + junk, _SEED_PDF[:keep] + junk, b"%PDF-1.4\n" + junk + b"%%EOF"):
        with pytest.raises(DocumentError) as info:
            read(data, source="junk.pdf")
        assert info.value.source == "junk.pdf"


# ---------------------------------------------------------------- the command line


def _run(*args: str) -> subprocess.CompletedProcess[bytes]:
    assert SCRIPT is not None, "the oewg-cal console script is installed next to the interpreter"
    return subprocess.run([SCRIPT, *args], capture_output=True, timeout=120)


def test_build_reads_a_pdf_end_to_end(tmp_path: Path, seed_programme: Programme) -> None:
    from oewg_cal import from_ics

    source = tmp_path / "A_C.4_programme.pdf"
    source.write_bytes(render_pdf(seed_programme, Options(layout="fourth")).pdf)
    out = tmp_path / "programme.ics"
    result = _run("build", str(source), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert from_ics(out.read_bytes()) == assumed_ends(seed_programme)
    *warnings, wrote = result.stderr.decode().splitlines()
    assert wrote == f"wrote {out}: 10 meetings"
    assert len(warnings) == len(seed_programme.meetings) + 3  # ends, year, dates, place
    assert all(w.startswith(f"oewg-cal build: warning: {source}, page ") for w in warnings)
    assert any("page 2, line 4: only the start (10:00) is given" in w for w in warnings)


def test_build_strict_refuses_a_pdf_with_warnings(
    tmp_path: Path, seed_programme: Programme
) -> None:
    source = tmp_path / "programme.pdf"
    source.write_bytes(render_pdf(seed_programme, Options(layout="fourth")).pdf)
    out = tmp_path / "programme.ics"
    result = _run("build", str(source), "-o", str(out), "--strict")
    assert result.returncode == 1
    assert b"error" in result.stderr and b"only the start" in result.stderr
    assert not out.exists()
    # the same PDF in the seed's layout says everything it needs: nothing to refuse
    source.write_bytes(render_pdf(seed_programme, Options(layout="seed")).pdf)
    result = _run("build", str(source), "-o", str(out), "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stderr.decode() == f"wrote {out}: 10 meetings\n"  # and no warning
    assert out.read_bytes() == (ROOT / "examples" / "oewg-ict-4th-session.ics").read_bytes()


# ---------------------------------------------------------------- the reader's bugs
#
# Each reproduction below prints a small programme in a real layout, checks (in
# test_each_reproduction_prints_what_it_claims, which must pass) that the PDF shows what
# the bug needs, and asserts (xfail, strict) that the reader gives the programme back.


def _one_day(
    entries: list[AgendaEntry],
    *more: Meeting,
    footnotes: Sequence[Footnote] = (),
    start: dt.time | None = dt.time(10),
    **fields: object,
) -> Programme:
    first = Meeting(
        date=_DAY,
        start=start,
        end=dt.time(13) if start is not None else None,
        entries=entries,
    )
    return attrs.evolve(BREAKS, meetings=[first, *more], footnotes=list(footnotes), **fields)


def _repro_barcode() -> tuple[Programme, Options, str]:
    return BREAKS, Options(layout="second", barcode=True), "*2514596*"


def _repro_lone_resolution() -> tuple[Programme, Options, str]:
    # the seed's Monday morning: the heading of item 5 wraps before "75/240¹"
    return hand_built_seed(), Options(layout="seed", right=322.0), "75/240^1"


def _repro_wrapped_url() -> tuple[Programme, Options, str]:
    url = "https://meetings.example.org/open-ended-working-group-on-information-2021"
    programme = attrs.evolve(BREAKS, notes=[f"See {url}.", _WHERE["New York"]], url=url)
    programme = attrs.evolve(programme, references=[])
    return programme, Options(layout="second", break_long_words=True), "on-information-"


def _repro_symbol() -> tuple[Programme, Options, str]:
    return attrs.evolve(BREAKS, symbol="A/C.2/80/L.1"), Options(layout="second"), "A/C.2/80/L.1"


def _repro_wrapped_deadline() -> tuple[Programme, Options, str]:
    deadline = Meeting(
        date=_DAY,
        start=dt.time(15),
        end=None,
        kind=Kind.DEADLINE,
        entries=[
            AgendaEntry(
                segment=Segment.OTHER,
                label="deadline for submission of draft proposals under item 16 and "
                "sub-items (a) to (d) and item 17",
            )
        ],
    )
    programme = _one_day([AgendaEntry(segment=Segment.OTHER, label="General debate")], deadline)
    return programme, Options(layout="second", right=380.0), "(a) to (d) and item 17"


def _after_sub_item(layout: str) -> tuple[Programme, Options, str]:
    sub = AgendaEntry(
        item=18,
        title="Sustainable development",
        sub_item=SubItem(letter="b", text="Disaster risk reduction"),
    )
    after = (
        AgendaEntry(item=19, title="Global Code of Ethics for Tourism")
        if layout == "fourth"
        else AgendaEntry(segment=Segment.OTHER, label="Keynote address")
    )
    programme = _one_day([sub, after])
    text = (
        "Global Code of Ethics for Tourism (item 19)" if layout == "fourth" else "Keynote address"
    )
    return programme, Options(layout=layout), text


def _repro_day_without_time() -> tuple[Programme, Options, str]:
    programme = _one_day([AgendaEntry(segment=Segment.OTHER, label="Side event")], start=None)
    return programme, Options(layout="second"), "Side event"


def _repro_number_like_a_mark() -> tuple[Programme, Options, str]:
    entries = [
        AgendaEntry(segment=Segment.OTHER, label="Side event", footnotes=("2",)),
        AgendaEntry(item=36, title="Implementation of Agenda 2"),
    ]
    notes = [Footnote(mark="2", text="A concept note will be made available on the portal.")]
    return _one_day(entries, footnotes=notes), Options(layout="second"), "Agenda 2"


def _repro_same_footnote_on_each_page() -> tuple[Programme, Options, str]:
    # as A/C.2/80/L.1's footnotes 1–3: the same text under several marks, here one a page
    note = "A concept note will be made available on the iGov portal."
    meetings = [
        Meeting(
            date=_DAY,
            start=dt.time(9 + 3 * n),
            end=dt.time(11 + 3 * n),
            entries=[AgendaEntry(segment=Segment.OTHER, label="Side event", footnotes=(str(n),))],
        )
        for n in (1, 2, 3)
    ]
    programme = attrs.evolve(
        BREAKS,
        meetings=meetings,
        footnotes=[Footnote(mark=str(n), text=note) for n in (1, 2, 3)],
    )
    lines = table_lines(programme, Options(layout="second"))
    breaks = frozenset(i for i, line in enumerate(lines) if line.role == "time" and i > 1)
    return programme, Options(layout="second", breaks=breaks), note


def _repro_numbered_speakers() -> tuple[Programme, Options, str]:
    # lines alike but for their numbers open most pages at the same height, as running
    # heads do (docs/performance.md's 1,000 speakers "Representative 26 of a Member State")
    seed = hand_built_seed()
    speakers = tuple(f"Representative {n} of a Member State" for n in range(1, 200))
    first = seed.meetings[0]
    entries = [attrs.evolve(e, speakers=speakers) if e.speakers else e for e in first.entries]
    programme = attrs.evolve(
        seed, meetings=[attrs.evolve(first, entries=entries), *seed.meetings[1:]]
    )
    return programme, Options(layout="seed"), "– Representative 27 of a Member State"


def _repro_header_after_a_day() -> tuple[Programme, Options, str]:
    seed = hand_built_seed()
    lines = table_lines(seed, Options(layout="seed"))
    day = next(i for i, line in enumerate(lines) if line.text == "Wednesday, 8 March")
    return seed, Options(layout="seed", breaks=frozenset({day + 1})), "Wednesday, 8 March"


def _repro_untimed_then_timed() -> tuple[Programme, Options, str]:
    # A/C.2/80/L.1's Friday 10 October: the day's agenda with no time, then a time
    untimed = [AgendaEntry(segment=Segment.CLOSURE, label="Closure of the session")]
    timed = Meeting(
        date=_DAY,
        start=dt.time(15),
        end=dt.time(18),
        entries=[AgendaEntry(segment=Segment.OTHER, label="Informal consultations")],
        formal=False,
    )
    return _one_day(untimed, timed, start=None), Options(layout="second"), "3–6 p.m."


def _repro_time_at_a_column() -> tuple[Programme, Options, str]:
    # the times where "p.m." of "3–6 p.m." starts at the agenda's indent (147.1 pt)
    from reportlab.pdfbase import pdfmetrics

    from pdfrender import _fonts

    regular, _ = _fonts("vera")
    left = 147.1 - pdfmetrics.stringWidth("3–6 ", regular, 10)
    meeting = attrs.evolve(
        BREAKS.meetings[1], entries=[AgendaEntry(segment=Segment.OTHER, label="General debate")]
    )
    labels = ("Keynote address", "General debate", "Side event", "Panel discussion")
    entries = [AgendaEntry(segment=Segment.OTHER, label=label) for label in labels]
    programme = _one_day(entries, meeting)  # five lines at the agenda's indent: a column
    return programme, Options(layout="second", left=left), "3–6 p.m."


REPRODUCTIONS = {
    "time-cut-at-a-column-edge": _repro_time_at_a_column,
    "untimed-then-timed": _repro_untimed_then_timed,
    "same-footnote-on-each-page": _repro_same_footnote_on_each_page,
    "numbered-speakers-on-each-page": _repro_numbered_speakers,
    "header-after-a-day-heading": _repro_header_after_a_day,
    "barcode-in-note": _repro_barcode,
    "lone-resolution-line": _repro_lone_resolution,
    "url-wrapped-at-hyphen": _repro_wrapped_url,
    "symbol-ending-in-L.1": _repro_symbol,
    "deadline-wrapped-before-sub-items": _repro_wrapped_deadline,
    "label-after-sub-item": lambda: _after_sub_item("second"),
    "title-item-after-sub-item": lambda: _after_sub_item("fourth"),
    "day-without-time-one-line": _repro_day_without_time,
    "number-like-a-footnote-mark": _repro_number_like_a_mark,
}


@pytest.mark.parametrize("name", sorted(REPRODUCTIONS))
def test_each_reproduction_prints_what_it_claims(name: str) -> None:
    programme, options, needle = REPRODUCTIONS[name]()
    import pypdfium2

    rendering = render_pdf(programme, options)
    printed = [x.text for x in rendering.lines]
    if name in ("barcode-in-note", "symbol-ending-in-L.1", "url-wrapped-at-hyphen"):
        document = pypdfium2.PdfDocument(rendering.pdf)
        text = "\n".join(document[i].get_textpage().get_text_range() for i in range(2))
        document.close()
        lines = [line.strip() for line in text.splitlines()]
        if name == "url-wrapped-at-hyphen":  # PDFium sees a hyphen that ends a line
            assert f"{needle[:-1]}\ufffe2021." in text, text
        else:
            assert needle in lines, lines
    elif name == "lone-resolution-line":
        assert needle in printed  # a wrapped line of the heading holds only the mark's number
    elif name == "deadline-wrapped-before-sub-items":
        assert printed[-1] == needle  # the deadline's second line
    elif name == "day-without-time-one-line":
        assert printed[:2] == ["Monday, 13 October 2025", needle]  # no time, one line
    elif name == "time-cut-at-a-column-edge":
        assert needle in printed  # one line, the "p.m." at the agenda's indent
    elif name == "untimed-then-timed":
        assert printed == [
            "Monday, 13 October 2025",
            "Closure of the session",
            needle,
            "Informal consultations",
        ]
    elif name == "same-footnote-on-each-page":
        assert rendering.footnotes == ((2, "1"), (3, "2"), (4, "3"))  # a page each
    elif name == "numbered-speakers-on-each-page":
        opening = [x for x in rendering.lines if x.line == 2]  # under the page's symbol
        speakers = [x for x in opening if x.text.startswith("– Representative")]
        assert speakers[0].text == needle
        assert len(speakers) > rendering.pages / 2, opening
    elif name == "header-after-a-day-heading":
        day = printed.index(needle)
        assert rendering.lines[day + 1].page == rendering.lines[day].page + 1
    elif name == "number-like-a-footnote-mark":
        assert printed[-1].endswith(f"of {needle}")  # in the text's size, not a superscript
    else:
        assert needle in printed, printed


def _check(name: str) -> None:
    programme, options, _ = REPRODUCTIONS[name]()
    reading = read_pdf(render_pdf(programme, options), short_name=programme.body.short_name)
    expected = assumed_ends(programme) if options.starts_only else programme
    assert reading.programme == expected, differences(reading.programme, expected)


def test_the_bar_code_is_not_read_into_the_note() -> None:
    _check("barcode-in-note")


def test_a_wrapped_line_that_looks_like_page_furniture_is_kept() -> None:
    _check("lone-resolution-line")


def test_a_url_wrapped_at_a_hyphen_is_read_whole() -> None:
    _check("url-wrapped-at-hyphen")


def test_a_symbol_ending_in_l_1_is_the_documents_symbol() -> None:
    """Every GA Main Committee's programme has an L. symbol ("A/C.2/80/L.1"), printed on
    every page; the reader takes it for the document's symbol."""
    _check("symbol-ending-in-L.1")


def test_a_deadline_wrapped_before_its_sub_items_is_one_entry() -> None:
    _check("deadline-wrapped-before-sub-items")


def test_a_label_after_a_sub_item_is_an_entry_of_its_own() -> None:
    _check("label-after-sub-item")


def test_an_item_after_a_sub_item_is_an_entry_of_its_own() -> None:
    _check("title-item-after-sub-item")


def test_a_day_without_time_with_one_short_line_is_a_meeting() -> None:
    _check("day-without-time-one-line")


def test_a_number_at_the_end_of_a_title_is_not_a_footnote_mark() -> None:
    _check("number-like-a-footnote-mark")


def test_the_same_footnote_on_several_pages_is_read_on_each() -> None:
    _check("same-footnote-on-each-page")


def test_speakers_numbered_alike_at_the_top_of_most_pages_are_all_read() -> None:
    _check("numbered-speakers-on-each-page")


def test_a_page_break_between_a_day_and_its_first_time() -> None:
    _check("header-after-a-day-heading")


def test_a_day_without_time_then_a_time_keeps_both() -> None:
    _check("untimed-then-timed")


def test_a_time_line_is_not_cut_at_a_column_edge() -> None:
    _check("time-cut-at-a-column-edge")


def test_a_footnote_under_its_mark_raised_alone_is_not_page_furniture() -> None:
    """A/C.2/80/L.1 sets a footnote's mark (5.5 pt) alone, raised 3 pt above its text
    (8.5 pt, opening with "A", as small as a mark to the reader): drawn here at the same
    height on three pages, under the same running head, the mark and both lines of the
    footnote are the document's; the running head and the page number are furniture."""
    import io

    from reportlab.pdfgen import canvas

    from oewg_cal.readers.pdf import pdf_lines

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(612, 792), invariant=1)
    for page, day in ((1, "Monday"), (2, "Tuesday"), (3, "Wednesday")):
        pdf.setFont("Helvetica", 8.5)
        pdf.drawString(60, 733, "A/C.2/80/L.1")
        pdf.setFont("Helvetica", 10)
        pdf.drawString(123.4, 700, f"Side event on {day}: the annual report of the working group")
        pdf.drawString(
            123.4, 688, "(the body text: enough words at 10 pt to make the footnote small)"
        )
        pdf.drawString(99.6, 90, "__________________")
        pdf.setFont("Helvetica", 5.5)
        pdf.drawString(117, 73, str(page))
        pdf.setFont("Helvetica", 8.5)
        pdf.drawString(123.4, 70, "A concept note will be made available on the iGov")
        pdf.drawString(123.4, 59.5, "portal and the website.")
        pdf.drawString(540, 36.7, f"{page}/3")
        pdf.showPage()
    pdf.save()
    lines = pdf_lines(buffer.getvalue(), source="notes.pdf")
    assert [(x.page, x.text) for x in lines if x.furniture] == [
        (page, text) for page in (1, 2, 3) for text in ("A/C.2/80/L.1", f"{page}/3")
    ]
    assert [(x.page, x.text) for x in lines if not x.furniture] == [
        (page, text)
        for page, day in ((1, "Monday"), (2, "Tuesday"), (3, "Wednesday"))
        for text in (
            f"Side event on {day}: the annual report of the working group",
            "(the body text: enough words at 10 pt to make the footnote small)",
            "__________________",
            str(page),
            "A concept note will be made available on the iGov",
            "portal and the website.",
        )
    ]


# ---------------------------------------------------------------- characters outside the BMP


def _pdf_with_to_unicode(shown: bytes, to_unicode: dict[int, str]) -> bytes:
    """A one-page PDF showing ``shown`` in Helvetica, whose ToUnicode map gives each code
    of ``to_unicode`` the UTF-16BE units written in hexadecimal (a PDF can name any text
    for a glyph so, a lone surrogate too)."""
    pairs = "\n".join(f"<{code:02X}> <{units}>" for code, units in to_unicode.items())
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Test def /CMapType 2 def\n1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"{len(to_unicode)} beginbfchar\n{pairs}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode()
    content = b"BT /F1 12 Tf 72 700 Td (" + shown + b") Tj ET\n"
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%sendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n%sendstream" % (len(cmap), cmap),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        table,
    )
    return bytes(out)


@pytest.mark.parametrize(
    ("to_unicode", "expected"),
    [
        ({0x42: "D835DC00"}, "A\U0001d400 CD"),  # MATHEMATICAL BOLD CAPITAL A
        ({0x42: "D83DDE00", 0x43: "D835DC00"}, "A\U0001f600 \U0001d400D"),
        ({0x42: "D835"}, "A\ufffd CD"),  # a lone high half
        ({0x42: "DC00"}, "A\ufffd CD"),  # a lone low half
        ({0x42: "D835D835"}, "A\ufffd\ufffd CD"),  # two high halves
    ],
)
def test_a_character_outside_the_bmp_is_one_character(
    to_unicode: dict[int, str], expected: str
) -> None:
    # PDFium gives such a character as two indexes, its UTF-16 halves: read as one, it
    # is valid text (a lone half would be refused by the model).
    from oewg_cal.readers.pdf import pdf_lines

    lines = pdf_lines(_pdf_with_to_unicode(b"AB CD", to_unicode), source="bmp.pdf")
    assert [line.text for line in lines] == [expected]
