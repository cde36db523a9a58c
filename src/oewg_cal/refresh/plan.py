"""The pure core of refresh: the feed to publish, given the one published last time.

:func:`plan` matches the events of the previous feed with the meetings of the programmes
as they are now, and decides UIDs, SEQUENCE, stamps and cancellations; it reads no file
and no clock (``now`` is passed in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

import attrs

from oewg_cal.errors import InvalidField
from oewg_cal.ical.feed import Event, Feed, FeedOptions, derived_uids, feed_of, programme_id
from oewg_cal.model import Kind, Meeting, Programme
from oewg_cal.refresh.report import EventChange, FieldChange, Report, field_changes
from oewg_cal.schema import programme_to_dict
from oewg_cal.text import programme_label, summary_of

__all__ = ["clock_matters_until", "plan"]


def _check_now(now: dt.datetime) -> None:
    if (
        not isinstance(now, dt.datetime)
        or now.tzinfo is None
        or now.utcoffset() != dt.timedelta(0)
        or now.microsecond
    ):
        raise ValueError(f"now must be an aware UTC datetime in whole seconds, not {now!r}")


def _content(meeting: Meeting) -> tuple[object, ...]:
    """What a meeting takes up, whatever the wording: its kind, items, sub-items, segments."""
    return (
        meeting.kind,
        *((e.item, e.sub_item.letter if e.sub_item else None, e.segment) for e in meeting.agenda),
    )


def _place(meeting: Meeting) -> tuple[dt.date, str | None, Kind]:
    """Where ranks are counted: meetings and deadlines apart, per day and room."""
    return (meeting.date, meeting.room, meeting.kind)


def _match(
    old: Sequence[Event], new: Sequence[Meeting]
) -> tuple[list[tuple[Event, Meeting]], list[Event], list[Meeting]]:
    """Pair old events of a programme with its new meetings; return pairs and the leftovers.

    Live events are preferred to cancelled ones, earlier meetings to later ones.
    """
    remaining_old = sorted(old, key=lambda e: (e.cancelled, e.meeting.sort_key, e.uid))
    remaining_new = list(new)
    pairs: list[tuple[Event, Meeting]] = []

    old_rank: dict[str, int] = {}
    counters: dict[tuple[dt.date, str | None, Kind], int] = {}
    for event in sorted((e for e in old if not e.cancelled), key=lambda e: e.meeting.sort_key):
        place = _place(event.meeting)
        counters[place] = old_rank[event.uid] = counters.get(place, 0) + 1
    new_rank: dict[Meeting, int] = {}
    counters = {}
    for meeting in new:
        place = _place(meeting)
        counters[place] = new_rank[meeting] = counters.get(place, 0) + 1

    def step(
        key_of_event: Callable[[Event], object],
        key_of_meeting: Callable[[Meeting], object],
        live_only: bool = False,
    ) -> None:
        nonlocal remaining_old, remaining_new
        candidates: dict[object, list[Event]] = {}
        for event in remaining_old:
            if not (live_only and event.cancelled):
                candidates.setdefault(key_of_event(event), []).append(event)
        taken: set[str] = set()
        unmatched: list[Meeting] = []
        for meeting in remaining_new:
            found = candidates.get(key_of_meeting(meeting))
            if found:
                event = found.pop(0)
                taken.add(event.uid)
                pairs.append((event, meeting))
            else:
                unmatched.append(meeting)
        remaining_new = unmatched
        remaining_old = [e for e in remaining_old if e.uid not in taken]

    step(lambda e: e.meeting, lambda m: m)
    step(
        lambda e: (e.meeting.date, e.meeting.room, _content(e.meeting)),
        lambda m: (m.date, m.room, _content(m)),
    )
    step(
        lambda e: (*_place(e.meeting), old_rank.get(e.uid)),
        lambda m: (*_place(m), new_rank[m]),
        live_only=True,
    )
    step(lambda e: (e.meeting.date, _content(e.meeting)), lambda m: (m.date, _content(m)))
    return pairs, remaining_old, remaining_new


def _drop_time(programme: Programme, meeting: Meeting, retention: dt.timedelta) -> dt.datetime:
    """When a cancelled event of the meeting leaves the feed: after its session, plus retention."""
    last = max(programme.last_day, meeting.date)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=programme.zone)
    return end + retention


def _session_over(
    programme: Programme, meeting: Meeting, now: dt.datetime, retention: dt.timedelta
) -> bool:
    return now > _drop_time(programme, meeting, retention)


def clock_matters_until(feed: Feed, retention: dt.timedelta) -> dt.datetime | None:
    """Until when :func:`plan` gives this feed back unchanged, the programmes being the same.

    Only the clock drops cancelled events; ``None`` when the feed has none.
    """
    times = [_drop_time(feed.programme(e.programme), e.meeting, retention) for e in feed.cancelled]
    return min(times, default=None)


def _free_uid(uid: str, taken: set[str]) -> str:
    if uid not in taken:
        return uid
    stem, at, domain = uid.rpartition("@")
    if not at:
        stem, domain = uid, ""
    number = 2
    while True:
        candidate = f"{stem}-r{number}{at}{domain}"
        if candidate not in taken:
            return candidate
        number += 1


@attrs.define
class _Planner:
    now: dt.datetime
    retention: dt.timedelta
    events: list[Event] = attrs.field(factory=list)
    added: list[EventChange] = attrs.field(factory=list)
    changed: list[EventChange] = attrs.field(factory=list)
    cancelled: list[EventChange] = attrs.field(factory=list)
    dropped: list[EventChange] = attrs.field(factory=list)
    calendar: list[str] = attrs.field(factory=list)
    unchanged: int = 0
    lost: int = 0

    def note(
        self,
        group: list[EventChange],
        event: Event,
        programme: Programme,
        fields: Sequence[FieldChange] = (),
    ) -> None:
        group.append(
            EventChange(
                uid=event.uid,
                sequence=event.sequence,
                meeting=event.meeting.describe(),
                summary=summary_of(programme, event.meeting, cancelled=event.cancelled),
                fields=tuple(fields),
            )
        )

    def carry(
        self,
        old: Event,
        meeting: Meeting,
        old_programme: Programme,
        programme: Programme,
        same_details: bool,
    ) -> None:
        """An old event matched to a meeting of the new programme."""
        if not old.cancelled and old.meeting == meeting and same_details:
            self.events.append(old)
            self.unchanged += 1
            return
        fields = field_changes(old_programme, old.meeting, programme, meeting)
        if old.cancelled:
            fields.insert(0, FieldChange(field="status", old="cancelled", new="confirmed"))
        if not fields:
            self.events.append(old)
            self.unchanged += 1
            return
        event = attrs.evolve(
            old, meeting=meeting, sequence=old.sequence + 1, stamp=self.now, cancelled=False
        )
        self.events.append(event)
        self.note(self.changed, event, programme, fields)

    def retire(self, old: Event, programme: Programme) -> None:
        """An old event whose meeting is no longer in the programme."""
        if not old.cancelled:
            self.lost += 1
        if _session_over(programme, old.meeting, self.now, self.retention):
            self.note(self.dropped, old, programme)
            return
        if old.cancelled:
            self.events.append(old)
            return
        event = attrs.evolve(old, sequence=old.sequence + 1, stamp=self.now, cancelled=True)
        self.events.append(event)
        self.note(self.cancelled, event, programme)


def plan(
    previous: Feed | None,
    programmes: Iterable[Programme],
    options: FeedOptions,
    now: dt.datetime,
    *,
    retention: dt.timedelta = dt.timedelta(0),
    retired: Iterable[str] = (),
) -> tuple[Feed, Report]:
    """The feed to publish for ``programmes``, given the ``previous`` one, and what changed.

    Pure: the result depends only on the arguments.  ``now`` (an aware UTC datetime in
    whole seconds) stamps the events that change.  Old events are matched to new meetings
    of the same programme, in turn by identical meeting; same day, room and agenda
    content (items, sub-items, segments); same day, room and rank in that room that day;
    same day and agenda content in another room.  Then:

    * a matched, unchanged event is kept as it was (UID, SEQUENCE, stamp);
    * a matched event whose meeting changed, or a cancelled one that is back, gets
      SEQUENCE + 1 and the stamp ``now``;
    * a new meeting gets its :func:`~oewg_cal.ical.feed.derived_uid`, SEQUENCE 0 and the stamp
      ``now``; with a ``-rN`` suffix when a kept event already has that UID, or when it
      is one of ``retired`` (the UIDs of events dropped from earlier feeds: a UID is
      never used again once dropped, so its SEQUENCE never goes back);
    * an old meeting gone from its programme becomes a cancelled event (SEQUENCE + 1,
      stamp ``now``), and an already cancelled event stays as it was, until ``now`` is
      past the end of the last day of its session plus ``retention``; then it is dropped.

    Without a previous feed the result is the first publication,
    :func:`~oewg_cal.ical.feed.feed_of`.
    A programme of the previous feed that is no longer given stays, without meetings, as
    long as some of its cancelled events do.
    """
    _check_now(now)
    progs = tuple(programmes)
    ids = [programme_id(p) for p in progs]
    repeated = sorted({pid for pid in ids if ids.count(pid) > 1})
    if repeated:
        raise InvalidField(
            f"the same programme is given twice (same body, session and first day): {repeated}"
        )
    retired_uids = frozenset(retired)
    if previous is None and retired_uids:
        previous = Feed(programmes=(), events=(), options=options)
    if previous is None:
        feed = feed_of(progs, options)
        added = _Planner(now=now, retention=retention)
        for event in feed.events:
            added.note(added.added, event, feed.programme(event.programme))
        return feed, Report(added=tuple(added.added))

    planner = _Planner(now=now, retention=retention)
    old_programmes = {programme_id(p): p for p in previous.programmes}
    old_events: dict[str, list[Event]] = {}
    for event in previous.events:
        old_events.setdefault(event.programme, []).append(event)

    pending: list[tuple[Programme, Meeting]] = []
    for pid, programme in zip(ids, progs, strict=True):
        old_programme = old_programmes.get(pid)
        if old_programme is None:
            if previous.programmes:
                planner.calendar.append(f"programme added: {programme_label(programme)}")
            pending.extend((programme, m) for m in programme.meetings)
            continue
        old_details = programme_to_dict(old_programme, meetings=False)
        new_details = programme_to_dict(programme, meetings=False)
        same_details = old_details == new_details
        if not same_details:
            keys = sorted(
                k
                for k in old_details.keys() | new_details.keys()
                if old_details.get(k) != new_details.get(k)
            )
            planner.calendar.append(
                f"programme details changed ({', '.join(keys)}): {programme_label(programme)}"
            )
        pairs, gone, new = _match(old_events.get(pid, []), programme.meetings)
        for old, meeting in pairs:
            planner.carry(old, meeting, old_programme, programme, same_details)
        for old in gone:
            planner.retire(old, programme)
        pending.extend((programme, m) for m in new)

    kept_programmes = list(progs)
    for pid, old_programme in old_programmes.items():
        if pid in ids:
            continue
        before = len(planner.events)
        for old in sorted(old_events.get(pid, []), key=lambda e: e.meeting.sort_key):
            planner.retire(old, old_programme)
        label = programme_label(old_programme)
        if len(planner.events) > before:
            kept_programmes.append(attrs.evolve(old_programme, meetings=()))
            planner.calendar.append(f"programme no longer in the sources: {label}")
        else:
            planner.calendar.append(f"programme removed from the feed: {label}")

    taken = {e.uid for e in planner.events} | retired_uids
    for programme, meeting in pending:
        uid = _free_uid(derived_uids(programme)[meeting], taken)
        taken.add(uid)
        event = Event(
            programme=programme_id(programme),
            meeting=meeting,
            uid=uid,
            stamp=now,
        )
        planner.events.append(event)
        planner.note(planner.added, event, programme)

    if options != previous.options:
        planner.calendar.append("feed options changed (name, colour, alarms, categories or URL)")
    feed = Feed(programmes=kept_programmes, events=planner.events, options=options)
    return feed, Report(
        added=tuple(planner.added),
        changed=tuple(planner.changed),
        cancelled=tuple(planner.cancelled),
        dropped=tuple(planner.dropped),
        calendar=tuple(planner.calendar),
        unchanged=planner.unchanged,
        previous_live=len(previous.live),
        lost=planner.lost,
    )
