"""Feed filters: some agenda items, or formal meetings only, of a programme."""

from __future__ import annotations

from oewg_cal.model import SeriesKey, SubItem
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
