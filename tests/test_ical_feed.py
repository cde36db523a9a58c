"""The feed model: programme ids, derived UIDs, events, options and the Feed's invariants."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import assume, given
from hypothesis import strategies as st

from feedcheck import raw_values
from oewg_cal import Programme, to_ics
from oewg_cal.errors import ProgrammeError
from oewg_cal.ical.feed import derived_uids
from strategies import exists_once, programmes


@given(programmes(), st.data())
def test_uids_do_not_depend_on_the_time_of_day(programme: Programme, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(programme.meetings) - 1))
    meeting = programme.meetings[index]
    same_room = [m for m in programme.meetings if m.date == meeting.date and m.room == meeting.room]
    position = same_room.index(meeting)
    # any new time between its neighbours in the room: its rank there stays the same
    low = same_room[position - 1].end if position else dt.time(0)
    high = same_room[position + 1].start if position + 1 < len(same_room) else dt.time(23, 59)
    low_minutes, high_minutes = low.hour * 60 + low.minute, high.hour * 60 + high.minute
    assume(high_minutes - low_minutes >= 1)
    start = data.draw(st.integers(low_minutes, high_minutes - 1))
    end = data.draw(st.integers(start + 1, high_minutes))
    new_start, new_end = dt.time(start // 60, start % 60), dt.time(end // 60, end % 60)
    zone = programme.zone
    assume(exists_once(meeting.date, new_start, zone) and exists_once(meeting.date, new_end, zone))
    moved = attrs.evolve(meeting, start=new_start, end=new_end)
    others = [m for m in programme.meetings if m is not meeting]
    try:
        retimed = attrs.evolve(programme, meetings=[*others, moved])
    except ProgrammeError:
        assume(False)  # now before a meeting of another room whose item it continues
        raise
    before, after = derived_uids(programme), derived_uids(retimed)
    assert after[moved] == before[meeting]
    assert all(after[m] == before[m] for m in others)
    assert sorted(raw_values(to_ics(retimed), "UID")) == sorted(before.values())


def test_rooms_differing_in_case_get_different_uids(seed_programme: Programme) -> None:
    monday = seed_programme.meetings[0]
    programme = attrs.evolve(
        seed_programme,
        meetings=(
            attrs.evolve(monday, room="Conference Room 4"),
            attrs.evolve(monday, room="Conference room 4"),
            *seed_programme.meetings[1:],
        ),
    )
    uids = raw_values(to_ics(programme), "UID")
    assert len(uids) == len(set(uids)) == 11
