"""Text for people: SUMMARY, DESCRIPTION, LOCATION, CATEGORIES, `show` and report lines."""

from __future__ import annotations

import attrs

from feedcheck import events_of
from oewg_cal import AgendaEntry, Programme, SubItem, from_ics, to_ics


def test_speakers_of_an_agenda_item_are_in_the_description(seed_programme: Programme) -> None:
    entry = AgendaEntry(item=4, title="general exchange of views", speakers=("The Chair",))
    monday = seed_programme.meetings[0]
    monday = attrs.evolve(monday, entries=(*monday.entries, entry))
    programme = attrs.evolve(seed_programme, meetings=(monday, *seed_programme.meetings[1:]))
    assert from_ics(to_ics(programme)) == programme  # the feed keeps them for programs
    event = min(events_of(to_ics(programme)), key=lambda e: e["DTSTART"].dt)
    assert "The Chair" in str(event["DESCRIPTION"])


def test_sub_item_letters_written_in_summary(seed_programme: Programme) -> None:
    entry = AgendaEntry(
        item=5, title="discussions", sub_item=SubItem(letter="xyz", text="A, B; C \\ D")
    )
    programme = attrs.evolve(
        seed_programme, meetings=(attrs.evolve(seed_programme.meetings[0], entries=(entry,)),)
    )
    (event,) = events_of(to_ics(programme))
    assert "Item 5(xyz): A, B; C \\ D" in str(event["SUMMARY"])
