"""Feed filters: keep only some agenda items, or only formal meetings, of a programme."""

from __future__ import annotations

from collections.abc import Iterable

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
    were all dropped keeps its mark: its series is listed in ``begun_earlier``.
    """
    keep = frozenset(items) if items is not None else None
    if keep is None and not formal_only:
        return programme
    meetings: list[Meeting] = []
    for meeting in programme.meetings:
        if formal_only and not meeting.formal:
            continue
        entries = _kept(meeting.entries, keep)
        if not entries:
            continue
        follow = meeting.followed_by
        if follow is not None and (
            (formal_only and not follow.formal) or not _kept(follow.entries, keep)
        ):
            follow = None
        elif follow is not None:
            follow = attrs.evolve(follow, entries=_kept(follow.entries, keep))
        if entries != meeting.entries or follow != meeting.followed_by:
            meeting = attrs.evolve(meeting, entries=entries, followed_by=follow)
        meetings.append(meeting)
    return attrs.evolve(
        programme, meetings=meetings, begun_earlier=_begun_earlier(programme, meetings)
    )


def _kept(
    entries: tuple[AgendaEntry, ...], keep: frozenset[SeriesKey] | None
) -> tuple[AgendaEntry, ...]:
    return tuple(e for e in entries if keep is None or _keeps(e, keep))


def _begun_earlier(programme: Programme, meetings: list[Meeting]) -> set[SeriesKey]:
    """The series the kept meetings continue without an earlier kept meeting."""
    begun = set(programme.begun_earlier)
    seen: set[SeriesKey] = set()
    for meeting in sorted(meetings, key=lambda m: m.sort_key):
        for entry in meeting.agenda:
            for key in entry.series_keys:
                if entry.continues(key) and key not in seen:
                    begun.add(key)
        seen.update(k for e in meeting.agenda for k in e.series_keys)
    return begun
