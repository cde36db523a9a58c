"""The pure core of refresh: the feed to publish given the previous one, and what changed."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from oewg_cal.errors import InvalidField
from oewg_cal.ical.decode import read_ics
from oewg_cal.ical.encode import write_ics
from oewg_cal.ical.feed import Feed, FeedOptions, feed_of
from oewg_cal.model import AgendaEntry, Meeting
from oewg_cal.refresh.plan import plan
from refreshing import SEED, SESSION_END, T0, UTC, at, published, removed, replaced


def _uids(feed: Feed) -> dict[Meeting, str]:
    return {e.meeting: e.uid for e in feed.live}


def test_plan_first_publication_is_feed_of() -> None:
    feed, report = plan(None, [SEED], FeedOptions(), T0)
    assert feed == feed_of(SEED)
    assert len(report.added) == 10 and report.changed_anything


def test_plan_unchanged_keeps_everything() -> None:
    previous = published()
    feed, report = plan(previous, [SEED], FeedOptions(), T0)
    assert not report.changed_anything and report.unchanged == 10
    assert write_ics(feed) == write_ics(previous)
    assert report.to_text() == "no change"


def test_plan_room_change_keeps_uid() -> None:
    previous = published()
    old = at(SEED, 8, 10)
    revision = replaced(SEED, old, attrs.evolve(old, room="Conference Room 4"))
    _, report = plan(previous, [revision], FeedOptions(), T0)
    (change,) = report.changed
    assert change.uid == _uids(previous)[old]
    assert [(f.field, f.old, f.new) for f in change.fields] == [
        ("room", "(none)", "Conference Room 4")
    ]


def test_plan_same_room_and_rank_keeps_uid_when_everything_else_changed() -> None:
    previous = published()
    old = at(SEED, 8, 15)
    new = attrs.evolve(
        old,
        start=dt.time(16),
        entries=(AgendaEntry(item=6, title="other matters"),),
    )
    _, report = plan(previous, [replaced(SEED, old, new)], FeedOptions(), T0)
    (change,) = report.changed
    assert change.uid == _uids(previous)[old]
    assert {f.field for f in change.fields} == {"time", "entries"}
    assert not report.cancelled and not report.added


def test_plan_revives_a_cancelled_meeting() -> None:
    gone = at(SEED, 10, 10)
    first, _ = plan(published(), [removed(SEED, (10, 10))], FeedOptions(), T0)
    (cancelled,) = first.cancelled
    assert cancelled.sequence == 1 and cancelled.meeting == gone
    later = T0 + dt.timedelta(hours=3)
    again, report = plan(first, [SEED], FeedOptions(), later)
    (revived,) = report.changed
    assert revived.uid == cancelled.uid and revived.sequence == 2
    assert revived.fields[0].field == "status"
    event = {e.uid: e for e in again.events}[cancelled.uid]
    assert not event.cancelled and event.stamp == later and not again.cancelled


def test_plan_cancelled_events_stay_byte_for_byte() -> None:
    first, _ = plan(published(), [removed(SEED, (10, 10))], FeedOptions(), T0)
    second, report = plan(
        first, [removed(SEED, (10, 10))], FeedOptions(), T0 + dt.timedelta(days=1)
    )
    assert not report.changed_anything
    assert write_ics(second) == write_ics(first)


def test_plan_new_meeting_never_takes_a_cancelled_uid() -> None:
    gone = at(SEED, 10, 10)
    first, _ = plan(published(), [removed(SEED, (10, 10))], FeedOptions(), T0)
    (cancelled,) = first.cancelled
    newcomer = Meeting(
        date=gone.date,
        start=dt.time(9),
        end=dt.time(9, 45),
        entries=(AgendaEntry(item=7, title="a new item"),),
    )
    revision = replaced(removed(SEED, (10, 10)), None, newcomer)
    feed, report = plan(first, [revision], FeedOptions(), T0)
    (added,) = report.added
    assert added.uid != cancelled.uid
    assert added.uid == cancelled.uid.replace("@", "-r2@")
    assert len({e.uid for e in feed.events}) == len(feed.events) == 11


def test_plan_avoids_retired_uids() -> None:
    first = feed_of(SEED)
    retired = {e.uid for e in first.events if e.meeting.date.day == 6}
    feed, report = plan(None, [SEED], FeedOptions(), T0, retired=retired)
    assert len(report.added) == 10
    uids = {e.uid for e in feed.events}
    assert not uids & retired and len(uids) == 10
    assert {e.uid for e in feed.events if e.meeting.date.day != 6} == {
        e.uid for e in first.events if e.meeting.date.day != 6
    }


def test_plan_programme_gone_from_sources_stays_while_cancelled() -> None:
    other = attrs.evolve(SEED, session="Fifth substantive session")
    previous = read_ics(write_ics(feed_of([SEED, other])))
    feed, report = plan(previous, [SEED], FeedOptions(), T0)
    assert len(report.cancelled) == 10 and report.lost == 10 and report.previous_live == 20
    assert [p.session for p in feed.programmes] == [SEED.session, other.session]
    assert feed.programmes[1].meetings == ()
    back = read_ics(write_ics(feed))
    assert back.programmes == feed.programmes and set(back.events) == set(feed.events)
    later, report = plan(feed, [SEED], FeedOptions(), SESSION_END + dt.timedelta(seconds=1))
    assert len(report.dropped) == 10 and later.programmes == (SEED,)


def test_plan_programme_details_change_the_events_they_show_in() -> None:
    previous = published()
    revision = attrs.evolve(SEED, venue="United Nations Office at Geneva")
    _, report = plan(previous, [revision], FeedOptions(), T0)
    assert len(report.changed) == 10
    assert report.changed[0].fields[0].field == "details"
    assert "Geneva" in report.changed[0].fields[0].new
    assert any("venue" in note for note in report.calendar)
    notes_only = attrs.evolve(SEED, notes=("A new note.",))
    _, report = plan(previous, [notes_only], FeedOptions(), T0)
    assert not report.changed and report.unchanged == 10 and report.calendar


def test_plan_merges_several_programmes() -> None:
    other = attrs.evolve(SEED, session="Fifth substantive session")
    feed, _ = plan(None, [SEED, other], FeedOptions(name="Both"), T0)
    again, report = plan(read_ics(write_ics(feed)), [SEED, other], FeedOptions(name="Both"), T0)
    assert not report.changed_anything and len(again.live) == 20
    with pytest.raises(InvalidField, match="twice"):
        plan(None, [SEED, SEED], FeedOptions(), T0)


@pytest.mark.parametrize(
    "now",
    [
        dt.datetime(2023, 3, 5, 12, 0, 0, 5, tzinfo=UTC),
        dt.datetime(2023, 3, 5, 12),
        dt.datetime(2023, 3, 5, 12, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    ],
)
def test_plan_needs_whole_seconds_utc(now: dt.datetime) -> None:
    with pytest.raises(ValueError, match="whole seconds"):
        plan(None, [SEED], FeedOptions(), now)
