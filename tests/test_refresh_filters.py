"""Feed filters: some agenda items, or formal meetings only, of a programme."""

from __future__ import annotations

import datetime as dt

import attrs

from oewg_cal.model import AgendaEntry, Meeting, Segment, SeriesKey, SubItem
from oewg_cal.refresh.filters import filter_programme
from refreshing import SEED, at


def test_filter_items_and_formal_only() -> None:
    kept = filter_programme(SEED, items=[SeriesKey(item=5, sub_item="g")], formal_only=True)
    assert [(m.date.day, m.start.hour) for m in kept.meetings] == [(9, 10)]
    (entry,) = kept.meetings[0].entries
    # the first meeting of item 5 here, marked as the document marks it: the series
    # began before the filtered programme
    assert entry.continued
    assert kept.begun_earlier == (SeriesKey(item=5),)

    kept = filter_programme(SEED, items=[SeriesKey(item=5, sub_item="a"), SeriesKey(item=6)])
    assert [(m.date.day, m.start.hour) for m in kept.meetings] == [(6, 15), (7, 10), (10, 15)]
    assert [e.reference for m in kept.meetings for e in m.entries] == ["5(a)", "5(a)", "6"]
    original = at(SEED, 7, 10).entries[0].sub_item
    assert original is not None
    assert kept.meetings[1].entries[0].sub_item == SubItem(
        letter="a", text=original.text, continued=True
    )

    informal = [m for m in SEED.meetings if not m.formal]
    assert len(filter_programme(SEED, formal_only=True).meetings) == 10 - len(informal)
    assert filter_programme(SEED) is SEED


TITLE_5 = "discussions"
MON_AM = Meeting(
    date=dt.date(2023, 3, 6),
    start=dt.time(10),
    end=dt.time(13),
    entries=(
        AgendaEntry(item=3, title="organization of work"),
        AgendaEntry(item=5, title=TITLE_5, sub_item=SubItem(letter="a", text="Norms")),
    ),
)
MON_PM = Meeting(
    date=dt.date(2023, 3, 6),
    start=dt.time(15),
    end=dt.time(18),
    entries=(
        AgendaEntry(segment=Segment.OPENING_STATEMENTS, label="Statements"),
        AgendaEntry(
            item=5,
            title=TITLE_5,
            continued=True,
            sub_item=SubItem(letter="a", text="Norms", continued=True),
        ),
    ),
)
TUE_AM = Meeting(
    date=dt.date(2023, 3, 7),
    start=dt.time(10),
    end=dt.time(13),
    formal=False,
    entries=(
        AgendaEntry(
            item=5, title=TITLE_5, continued=True, sub_item=SubItem(letter="b", text="Rules")
        ),
    ),
)
TUE_PM = Meeting(
    date=dt.date(2023, 3, 7),
    start=dt.time(15),
    end=dt.time(18),
    entries=(
        AgendaEntry(segment=Segment.OTHER, label="Briefing"),
        AgendaEntry(item=6, title="report", segment=Segment.CLOSURE, label="Closure"),
    ),
)
SMALL = attrs.evolve(SEED, meetings=(MON_AM, MON_PM, TUE_AM, TUE_PM), footnotes=())


def test_an_item_keeps_all_its_sub_items_and_drops_the_rest() -> None:
    kept = filter_programme(SMALL, items=[SeriesKey(item=5)])
    assert kept.meetings == (
        attrs.evolve(MON_AM, entries=MON_AM.entries[1:]),
        attrs.evolve(MON_PM, entries=MON_PM.entries[1:]),  # the segment goes
        TUE_AM,  # unchanged: the same object
    )
    assert kept.meetings[2] is TUE_AM
    assert (kept.body, kept.session, kept.first_day) == (SMALL.body, SMALL.session, SMALL.first_day)


def test_a_sub_item_alone_keeps_its_mark_and_its_series_begun_earlier() -> None:
    kept = filter_programme(SMALL, items=[SeriesKey(item=5, sub_item="b")])
    # item 5 is "(continued)" from Monday, which is not in the feed: the entry keeps the
    # document's mark and the programme says the series began before it
    assert kept.meetings == (TUE_AM,)
    assert kept.begun_earlier == (SeriesKey(item=5),)


def test_a_continued_sub_item_stays_continued_after_its_first_meeting() -> None:
    kept = filter_programme(SMALL, items=[SeriesKey(item=5, sub_item="a")])
    assert kept.meetings == (
        attrs.evolve(MON_AM, entries=MON_AM.entries[1:]),
        attrs.evolve(MON_PM, entries=MON_PM.entries[1:]),
    )


def test_nothing_begun_earlier_when_the_first_meetings_are_kept() -> None:
    for items in ([SeriesKey(item=5)], [SeriesKey(item=5, sub_item="a")], None):
        assert filter_programme(SMALL, items=items, formal_only=True).begun_earlier == ()


def test_formal_only() -> None:
    assert filter_programme(SMALL, formal_only=True).meetings == (MON_AM, MON_PM, TUE_PM)


def test_a_segment_that_is_an_item_is_kept_with_it() -> None:
    kept = filter_programme(SMALL, items=[SeriesKey(item=6)], formal_only=True)
    assert kept.meetings == (attrs.evolve(TUE_PM, entries=TUE_PM.entries[1:]),)


def test_no_items_keeps_no_meeting() -> None:
    assert filter_programme(SMALL, items=[]).meetings == ()
    assert filter_programme(SMALL, items=[SeriesKey(item=9)]).meetings == ()


def test_no_filter_is_the_programme_itself() -> None:
    assert filter_programme(SMALL) is SMALL
    assert filter_programme(SMALL, items=None, formal_only=False) is SMALL
