"""The pause of the cyclic garbage collector, and the readers and writers that take it."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from oewg_cal import Programme, read_ics, write_ics
from oewg_cal.errors import FeedError
from oewg_cal.readers import read_programme
from render import render_tsv


def test_the_garbage_collector_is_paused_only_while_a_feed_is_encoded(
    seed_programme: Programme,
) -> None:
    import gc

    from oewg_cal.ical.feed import feed_of

    def collections() -> int:
        return sum(generation["collections"] for generation in gc.get_stats())

    rooms = [
        attrs.evolve(m, room=f"Conference Room {n}")
        for n in range(1, 21)
        for m in seed_programme.meetings
    ]
    feed = feed_of(attrs.evolve(seed_programme, meetings=rooms))
    assert gc.isenabled()
    before = collections()
    data = write_ics(feed)
    read_ics(data)
    # Enough objects for dozens of collections are made; at most one collection per call
    # runs, at the first allocation after the pause.
    assert collections() - before <= 2
    assert gc.isenabled()  # back on after
    with pytest.raises(FeedError, match=r"expected one VCALENDAR, found 0|not an iCalendar file"):
        read_ics(data[: len(data) // 2])
    assert gc.isenabled()  # back on after a failure

    gc.disable()
    try:
        write_ics(feed)
        assert not gc.isenabled()  # the caller's choice is kept
    finally:
        gc.enable()


def test_concurrent_writers_leave_the_collector_on(seed_programme: Programme) -> None:
    import gc
    import threading

    from oewg_cal.ical.feed import feed_of

    feed = feed_of(seed_programme)
    expected = write_ics(feed)
    results: list[bytes] = []

    def work() -> None:
        for _ in range(5):
            results.append(write_ics(feed))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 20
    assert gc.isenabled()


def test_reading_a_long_document_runs_no_collection_midway(seed_programme: Programme) -> None:
    import gc

    import attrs

    weeks = 40  # the seed's week forty times over: 400 meetings
    meetings = [
        attrs.evolve(m, date=m.date + dt.timedelta(weeks=k))
        for k in range(weeks)
        for m in seed_programme.meetings
    ]
    long_one = attrs.evolve(
        seed_programme,
        meetings=meetings,
        last_day=seed_programme.last_day + dt.timedelta(weeks=weeks - 1),
    )
    text = render_tsv(long_one)
    before = sum(g["collections"] for g in gc.get_stats())
    back = read_programme(text, source="p.txt", short_name=long_one.body.short_name)
    assert sum(g["collections"] for g in gc.get_stats()) - before <= 1
    assert gc.isenabled()
    assert back == long_one
