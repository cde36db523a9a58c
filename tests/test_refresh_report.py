"""The reports of a refresh, for people and for machines: per field, event, feed and run."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
from typing import Any

import attrs

from oewg_cal.ical.feed import FeedOptions
from oewg_cal.refresh.plan import plan
from oewg_cal.refresh.report import (
    EventChange,
    FeedResult,
    FieldChange,
    Report,
    RunResult,
    field_changes,
)
from oewg_cal.refresh.run import refresh
from refreshing import SEED, T0, Clock, at, one_feed_config, published, removed, retimed


def test_report_as_text_and_dict() -> None:
    revision = retimed(removed(SEED, (10, 10)), 7, 10, dt.time(11))
    _, report = plan(published(), [revision], FeedOptions(), T0)
    text = report.to_text()
    assert "changed: meeting of 2023-03-07 11:00–13:00" in text
    assert "time: 2023-03-07 10:00–13:00 → 2023-03-07 11:00–13:00" in text
    assert "cancelled: meeting of 2023-03-10 10:00–13:00: Cancelled: " in text
    data = json.loads(json.dumps(report.to_dict()))
    assert data["changed"][0]["fields"] == [
        {"field": "time", "old": "2023-03-07 10:00–13:00", "new": "2023-03-07 11:00–13:00"}
    ]
    assert data["lost"] == 1 and data["changed_anything"] is True


def test_refresh_result_as_dict(tmp_path: pathlib.Path) -> None:
    config, _ = one_feed_config(tmp_path)
    result = refresh(config, now=Clock())
    data: dict[str, Any] = json.loads(json.dumps(result.to_dict()))
    assert data["now"] == "2023-03-05T12:00:00Z" and data["ok"]
    assert data["feeds"][0]["written"] and len(data["feeds"][0]["report"]["added"]) == 10


# ---------------------------------------------------------------- the pieces, by hand

OUT = pathlib.Path("/srv/feeds/oewg.ics")


def _change(uid: str, *fields: FieldChange) -> EventChange:
    return EventChange(
        uid=uid,
        sequence=1,
        meeting="meeting of 2023-03-07 10:00–13:00",
        summary="OEWG: Item 5(a): Norms",
        fields=fields,
    )


TIME = FieldChange(field="time", old="2023-03-07 10:00–13:00", new="2023-03-07 11:00–13:00")


def test_changes_as_data() -> None:
    assert TIME.to_dict() == {
        "field": "time",
        "old": "2023-03-07 10:00–13:00",
        "new": "2023-03-07 11:00–13:00",
    }
    assert _change("a@x").to_dict() == {
        "uid": "a@x",
        "sequence": 1,
        "meeting": "meeting of 2023-03-07 10:00–13:00",
        "summary": "OEWG: Item 5(a): Norms",
    }
    assert _change("a@x", TIME).to_dict()["fields"] == [TIME.to_dict()]


def test_an_empty_report() -> None:
    report = Report(unchanged=10, previous_live=10)
    assert not report.changed_anything
    assert report.counts() == "no change" and report.to_text() == "no change"
    assert report.to_dict() == {
        "changed_anything": False,
        "added": [],
        "changed": [],
        "cancelled": [],
        "dropped": [],
        "calendar": [],
        "unchanged": 10,
        "previous_live": 10,
        "lost": 0,
    }


def test_a_report_for_people() -> None:
    report = Report(
        added=(_change("a@x"),),
        changed=(_change("b@x", TIME), _change("c@x")),
        dropped=(_change("d@x"),),
        calendar=("venue: UNHQ → UNOG",),
    )
    assert report.changed_anything
    assert report.counts() == "1 added, 2 changed, 1 dropped, calendar details changed"
    assert report.to_text() == "\n".join(
        [
            "added: meeting of 2023-03-07 10:00–13:00: OEWG: Item 5(a): Norms",
            "changed: meeting of 2023-03-07 10:00–13:00: OEWG: Item 5(a): Norms",
            "    time: 2023-03-07 10:00–13:00 → 2023-03-07 11:00–13:00",
            "changed: meeting of 2023-03-07 10:00–13:00: OEWG: Item 5(a): Norms",
            "dropped: meeting of 2023-03-07 10:00–13:00: OEWG: Item 5(a): Norms",
            "calendar: venue: UNHQ → UNOG",
        ]
    )
    assert Report(calendar=("x",)).changed_anything


def test_feed_results_for_people() -> None:
    failed = FeedResult(name="OEWG", output=OUT, error="source: not found")
    assert not failed.ok and not failed.changed
    assert failed.to_text() == "OEWG (/srv/feeds/oewg.ics): failed: source: not found"
    same = FeedResult(name="OEWG", output=OUT, report=Report(unchanged=3))
    assert same.ok and not same.changed
    assert same.to_text() == "OEWG (/srv/feeds/oewg.ics): unchanged"
    report = Report(changed=(_change("b@x", TIME),))
    written = FeedResult(name="OEWG", output=OUT, report=report, written=True, size=1234)
    assert written.changed
    assert written.to_text() == "\n".join(
        [
            "OEWG (/srv/feeds/oewg.ics): 1 changed; written",
            "  changed: meeting of 2023-03-07 10:00–13:00: OEWG: Item 5(a): Norms",
            "      time: 2023-03-07 10:00–13:00 → 2023-03-07 11:00–13:00",
        ]
    )
    rewritten = FeedResult(name="OEWG", output=OUT, report=Report(), written=True)
    assert rewritten.to_text() == (
        "OEWG (/srv/feeds/oewg.ics): no change; written\n  the feed's encoding changed; rewritten"
    )
    assert written.to_dict() == {
        "name": "OEWG",
        "output": "/srv/feeds/oewg.ics",
        "ok": True,
        "error": None,
        "caldav_error": None,
        "written": True,
        "changed": True,
        "size": 1234,
        "warnings": [],
        "notes": [],
        "report": report.to_dict(),
    }
    assert failed.to_dict()["report"] is None


def test_run_results() -> None:
    same = FeedResult(name="A", output=OUT, report=Report())
    failed = FeedResult(name="B", output=OUT, error="boom")
    now = dt.datetime(2023, 3, 5, 12, 30, 15, tzinfo=dt.timezone.utc)
    run = RunResult(config=pathlib.Path("/etc/feeds.toml"), now=now, feeds=(same, failed))
    assert not run.ok and not run.changed_anything
    assert run.to_text() == "B (/srv/feeds/oewg.ics): failed: boom"
    assert run.to_text(verbose=True) == (
        "A (/srv/feeds/oewg.ics): unchanged\nB (/srv/feeds/oewg.ics): failed: boom"
    )
    data = run.to_dict()
    assert (data["config"], data["now"], data["ok"]) == (
        "/etc/feeds.toml",
        "2023-03-05T12:30:15Z",
        False,
    )
    assert [f["name"] for f in data["feeds"]] == ["A", "B"]


# ---------------------------------------------------------------- field_changes


def test_field_changes() -> None:
    old = at(SEED, 8, 10)
    assert field_changes(SEED, old, SEED, old) == []
    moved = attrs.evolve(old, start=dt.time(10, 30), room="Conference Room 4", formal=False)
    assert field_changes(SEED, old, SEED, moved) == [
        FieldChange(field="time", old="2023-03-08 10:00–13:00", new="2023-03-08 10:30–13:00"),
        FieldChange(field="room", old="(none)", new="Conference Room 4"),
        FieldChange(field="formal", old="formal", new="informal"),
    ]


def test_a_changed_zone_shows_in_the_time() -> None:
    old = at(SEED, 8, 10)
    geneva = attrs.evolve(SEED, timezone="Europe/Zurich")
    assert field_changes(SEED, old, geneva, old) == [
        FieldChange(
            field="time",
            old="2023-03-08 10:00–13:00 America/New_York",
            new="2023-03-08 10:00–13:00 Europe/Zurich",
        )
    ]


def test_speakers_only_changes_show_the_entries_as_data() -> None:
    old = at(SEED, 6, 10)
    statements = old.entries[1]
    assert statements.speakers  # the opening statements
    fewer = attrs.evolve(statements, speakers=statements.speakers[:1])
    new = attrs.evolve(old, entries=(old.entries[0], fewer, *old.entries[2:]))
    (change,) = field_changes(SEED, old, SEED, new)
    assert change.field == "entries"
    assert "'speakers': ['Under-Secretary-General" in change.old
    assert statements.speakers[1] in change.old and statements.speakers[1] not in change.new


def test_details_show_the_first_line_that_differs() -> None:
    old = at(SEED, 8, 10)
    geneva = attrs.evolve(SEED, venue="Palais des Nations")
    (change,) = field_changes(SEED, old, geneva, old)
    assert change == FieldChange(
        field="details",
        old="United Nations Headquarters, New York",
        new="Palais des Nations, New York",
    )
