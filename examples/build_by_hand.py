"""Build the seed programme by hand with oewg_cal's public API and write its feed.

The programme is the provisional programme of work of the fourth substantive session of
the Open-ended working group on ICT security (New York, 6–10 March 2023), as in
``oewg-ict-4th-session.txt`` beside this script.  Run it with::

    python examples/build_by_hand.py [OUTPUT.ics]

It writes ``examples/oewg-ict-4th-session.ics`` by default.  (``oewg-cal build`` reads
the document itself; this script shows the library API.)
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from oewg_cal import (
    AgendaEntry,
    Body,
    Footnote,
    Meeting,
    Programme,
    Reference,
    Segment,
    SubItem,
    write_feed,
)

ITEM_5 = (
    "discussions on substantive issues contained in paragraph 1 of General Assembly "
    "resolution 75/240"
)
SUB_ITEMS = {
    "a": "Further develop the rules, norms and principles of responsible behaviour of States "
    "and the ways for their implementation and, if necessary, introduce changes to them or "
    "elaborate additional rules of behaviour",
    "c": "Establish, under the auspices of the United Nations, regular, institutional dialogue "
    "with the broad participation of States",
    "d": "Continue to study, with a view to promoting common understandings, existing and "
    "potential threats in the sphere of information security, inter alia, data security, and "
    "possible cooperative measures to prevent and counter such threats",
    "e": "How international law applies to the use of information and communications "
    "technologies by States",
    "f": "Confidence-building measures",
    "g": "Capacity-building",
}
# The Tuesday slot words 5(a) slightly differently ("to introduce"); kept as written.
SUB_ITEM_A_TUESDAY = SUB_ITEMS["a"].replace("necessary, introduce", "necessary, to introduce")
BODY_NAME = (
    "Open-ended working group on security of and in the use of information and "
    "communications technologies 2021–2025"
)
NOTES = (
    "The fourth substantive session of the open-ended working group on security of and in "
    "the use of information and communications technologies 2021–2025, established pursuant "
    "to General Assembly resolution 75/240, will be held at Headquarters from 6 to 10 March 2023.",
    "The provisional programme of work of the fourth substantive session is contained in the "
    "annex to the present note. The annotated agenda for the session, as adopted by the working "
    "group at its organizational meeting on 1 June 2022, is contained in document "
    "A/AC.292/2021/1.",
    "Additional information can be found at https://meetings.unoda.org/open-ended-working-group-"
    "on-information-and-communication-technologies-2021.",
)
MORNING = (dt.time(10), dt.time(13))
AFTERNOON = (dt.time(15), dt.time(18))


def item5(
    letter: str, *, continued: bool, sub_continued: bool = False, text: str = ""
) -> AgendaEntry:
    """Agenda item 5 with one of its sub-items."""
    return AgendaEntry(
        item=5,
        title=ITEM_5,
        continued=continued,
        sub_item=SubItem(letter=letter, text=text or SUB_ITEMS[letter], continued=sub_continued),
    )


def meeting(
    day: int, slot: tuple[dt.time, dt.time], *entries: AgendaEntry, formal: bool = True
) -> Meeting:
    """A meeting on the given day of March 2023."""
    return Meeting(
        date=dt.date(2023, 3, day), start=slot[0], end=slot[1], entries=entries, formal=formal
    )


def build() -> Programme:
    """The programme, entry by entry, as the document gives it."""
    meetings = [
        meeting(
            6,
            MORNING,
            AgendaEntry(segment=Segment.OPENING, label="Opening of the session"),
            AgendaEntry(
                segment=Segment.OPENING_STATEMENTS,
                label="Opening statements",
                speakers=(
                    "Under-Secretary-General and High Representative for Disarmament Affairs",
                    "Chair of the open-ended working group on security of and in the use of "
                    "information and communications technologies 2021–2025",
                ),
            ),
            AgendaEntry(item=3, title="organization of work"),
            AgendaEntry(
                item=5,
                title=ITEM_5,
                footnotes=("1",),
                sub_item=SubItem(letter="d", text=SUB_ITEMS["d"]),
            ),
        ),
        meeting(6, AFTERNOON, item5("a", continued=True)),
        meeting(
            7, MORNING, item5("a", continued=True, sub_continued=True, text=SUB_ITEM_A_TUESDAY)
        ),
        meeting(7, AFTERNOON, item5("e", continued=True)),
        meeting(8, MORNING, item5("f", continued=True)),
        meeting(8, AFTERNOON, item5("f", continued=True, sub_continued=True)),
        meeting(9, MORNING, item5("g", continued=True)),
        meeting(
            9,
            AFTERNOON,
            AgendaEntry(
                segment=Segment.STAKEHOLDER,
                label="Informal, dedicated stakeholder segment",
                item=5,
                title=ITEM_5,
                continued=True,
                sub_item=SubItem(letter="g", text=SUB_ITEMS["g"], continued=True),
            ),
            formal=False,
        ),
        meeting(10, MORNING, item5("c", continued=True)),
        meeting(
            10,
            AFTERNOON,
            AgendaEntry(item=6, title="other matters"),
            AgendaEntry(segment=Segment.CLOSURE, label="Closure of the session"),
            AgendaEntry(
                segment=Segment.CONCLUDING_REMARKS, label="Concluding remarks by the Chair"
            ),
        ),
    ]
    return Programme(
        body=Body(name=BODY_NAME, short_name="OEWG on ICT security 2021–2025"),
        session="Fourth substantive session",
        place="New York",
        venue="United Nations Headquarters",
        first_day=dt.date(2023, 3, 6),
        last_day=dt.date(2023, 3, 10),
        issued=dt.date(2023, 3, 4),
        notes=NOTES,
        url="https://meetings.unoda.org/open-ended-working-group-on-information-and-communication-technologies-2021",
        footnotes=(
            Footnote(
                mark="1",
                text="States are strongly encouraged to use their interventions under each "
                "sub-item under agenda item 5, “Discussions on substantive issues contained in "
                "paragraph 1 of General Assembly resolution 75/240”, to focus on the specific "
                "topics and discussion points identified for follow-up in the working group’s "
                "first annual progress report, as contained in document A/77/275.",
            ),
        ),
        references=(
            Reference(
                symbol="A/RES/75/240",
                title="General Assembly resolution 75/240",
                url="https://undocs.org/A/RES/75/240",
            ),
            Reference(
                symbol="A/AC.292/2021/1",
                title="A/AC.292/2021/1",
                url="https://undocs.org/A/AC.292/2021/1",
            ),
            Reference(symbol="A/77/275", title="A/77/275", url="https://undocs.org/A/77/275"),
        ),
        meetings=meetings,
    )


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("oewg-ict-4th-session.ics")
    write_feed(build(), out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
