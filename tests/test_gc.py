"""The pause of the cyclic garbage collector, and the readers and writers that take it."""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Iterator

import attrs
import pytest

from oewg_cal import Programme, read_ics, write_ics
from oewg_cal._gc import paused_collector
from oewg_cal.errors import FeedError
from oewg_cal.readers import read_programme
from render import render_tsv


@pytest.fixture(autouse=True)
def _collector_on_after() -> Iterator[None]:
    """Whatever a test does, the collector is on for the next one."""
    yield
    gc.enable()


# ---------------------------------------------------------------- the pause itself


def test_the_pause_turns_the_collector_off_and_on_again() -> None:
    assert gc.isenabled()
    with paused_collector():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_pauses_end_with_the_outermost() -> None:
    with paused_collector():
        with paused_collector():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause goes on
    assert gc.isenabled()


def test_a_collector_the_caller_disabled_stays_off() -> None:
    gc.disable()
    with paused_collector():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_the_collector_is_on_again_after_an_exception() -> None:
    with pytest.raises(ZeroDivisionError), paused_collector():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_overlapping_pauses_in_threads_share_one() -> None:
    first_in = threading.Event()
    second_in = threading.Event()
    first_may_leave = threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with paused_collector():
            first_in.set()
            first_may_leave.wait(10)
        seen.append(gc.isenabled())  # the second is still inside: still off

    def second() -> None:
        first_in.wait(10)
        with paused_collector():
            second_in.set()
            first_may_leave.set()
            threads[0].join(10)
            seen.append(gc.isenabled())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert second_in.is_set()
    assert seen == [False, False]
    assert gc.isenabled()  # the last one out turned it on


# ---------------------------------------------------------------- the readers and writers


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
