"""Synthetic programmes of any size for the benchmarks: realistic in shape, deterministic.

Sessions of two meetings a day (10 a.m.–1 p.m., 3–6 p.m.), an agenda item taken up over
several days with lettered sub-items and continuations, long UN-style titles, footnotes,
opening and closing segments.  The programme runs day after day, so large sizes cross
many DST switches.
"""

from __future__ import annotations

import datetime as dt

from oewg_cal import AgendaEntry, Body, Footnote, Meeting, Programme, Segment, SubItem

LONG_TITLE = (
    "discussions on substantive issues contained in paragraph 1 of General Assembly "
    "resolution 75/240, including existing and potential threats, norms, international law, "
    "confidence-building measures and capacity-building"
)
SUB_TEXTS = [
    "Further develop the rules, norms and principles of responsible behaviour of States",
    "Continue to study, with a view to promoting common understandings, existing threats",
    "How international law applies to the use of information and communications technologies",
    "Confidence-building measures",
    "Capacity-building",
    "Establish regular, institutional dialogue with the broad participation of States",
]


def synthetic_programme(meetings: int) -> Programme:
    """A valid programme with exactly ``meetings`` meetings."""
    first = dt.date(2023, 3, 6)
    days = (meetings + 1) // 2
    slots = [(dt.time(10), dt.time(13)), (dt.time(15), dt.time(18))]
    items: list[Meeting] = []
    seen_sub: set[str] = set()
    for index in range(meetings):
        day = first + dt.timedelta(days=index // 2)
        start, end = slots[index % 2]
        entries: list[AgendaEntry] = []
        if index == 0:
            entries.append(AgendaEntry(segment=Segment.OPENING, label="Opening of the session"))
            entries.append(
                AgendaEntry(
                    segment=Segment.OPENING_STATEMENTS,
                    label="Opening statements",
                    speakers=("Under-Secretary-General for Disarmament Affairs", "Chair"),
                )
            )
        letter = "abcdef"[(index // 3) % 6]
        entries.append(
            AgendaEntry(
                item=5,
                title=LONG_TITLE,
                continued=index > 0,
                footnotes=("1",) if index % 7 == 0 else (),
                sub_item=SubItem(
                    letter=letter,
                    text=SUB_TEXTS["abcdef".index(letter)],
                    continued=letter in seen_sub,
                ),
            )
        )
        seen_sub.add(letter)
        informal = index % 9 == 8
        if informal:
            entries.insert(0, AgendaEntry(segment=Segment.OTHER, label="Informal consultations"))
        if index == meetings - 1:
            entries.append(AgendaEntry(segment=Segment.CLOSURE, label="Closure of the session"))
        items.append(
            Meeting(date=day, start=start, end=end, entries=tuple(entries), formal=not informal)
        )
    return Programme(
        body=Body(
            name="Open-ended working group on security of and in the use of information and "
            "communications technologies 2021–2025",
            short_name="OEWG on ICT security 2021–2025",
        ),
        session=f"Synthetic session of {meetings} meetings",
        place="New York",
        venue="United Nations Headquarters",
        first_day=first,
        last_day=first + dt.timedelta(days=days - 1),
        issued=first - dt.timedelta(days=2),
        footnotes=(
            Footnote(mark="1", text="States are strongly encouraged to focus their interventions."),
        ),
        meetings=tuple(items),
    )
