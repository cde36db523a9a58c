"""Feed filters: keep only some agenda items, or only formal meetings, of a programme."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from oewg_cal.model import AgendaEntry, Meeting, Programme, SeriesKey

__all__ = ["filter_programme"]


def _keeps(entry: AgendaEntry, items: frozenset[SeriesKey]) -> bool:
    if entry.item is None:
        return False
    if SeriesKey(item=entry.item) in items:
        return True
    return entry.sub_item is not None and (
        SeriesKey(item=entry.item, sub_item=entry.sub_item.letter) in items
    )


def filter_programme(
    programme: Programme, *, items: Iterable[SeriesKey] | None = None, formal_only: bool = False
) -> Programme:
    """The programme with only the meetings a feed keeps.

    ``items`` keeps only the entries of those agenda items (``SeriesKey(item=5)``: all of
    item 5; ``SeriesKey(item=5, sub_item="a")``: sub-item 5(a) only), dropping segments
    that are not part of a kept item; ``formal_only`` drops informal meetings.  A meeting
    with no entry left is dropped.  An entry marked "(continued)" whose earlier meetings
    were all dropped is no longer marked so, since it is the first of its series here.
    """
    keep = frozenset(items) if items is not None else None
    if keep is None and not formal_only:
        return programme
    meetings: list[Meeting] = []
    seen: set[SeriesKey] = set()
    for meeting in programme.meetings:
        if formal_only and not meeting.formal:
            continue
        entries = [e for e in meeting.entries if keep is None or _keeps(e, keep)]
        if not entries:
            continue
        entries = [_first_of_series(e, seen) for e in entries]
        seen.update(k for e in entries for k in e.series_keys)
        meetings.append(
            meeting if tuple(entries) == meeting.entries else attrs.evolve(meeting, entries=entries)
        )
    return attrs.evolve(programme, meetings=meetings)


def _first_of_series(entry: AgendaEntry, seen: set[SeriesKey]) -> AgendaEntry:
    if entry.item is None:
        return entry
    changes: dict[str, Any] = {}
    if entry.continued and SeriesKey(item=entry.item) not in seen:
        changes["continued"] = False
    sub = entry.sub_item
    if (
        sub is not None
        and sub.continued
        and SeriesKey(item=entry.item, sub_item=sub.letter) not in seen
    ):
        changes["sub_item"] = attrs.evolve(sub, continued=False)
    return attrs.evolve(entry, **changes) if changes else entry
