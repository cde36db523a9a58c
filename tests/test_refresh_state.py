"""What a refresh remembers between runs: the fingerprint of the last run, retired UIDs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pathlib
from typing import Any

import icalendar
import pytest

from oewg_cal.refresh.run import refresh
from refreshing import (
    NEW_YORK,
    SEED,
    SESSION_END,
    Clock,
    at,
    removed,
    retimed,
    sequence,
    uid_of,
    vevents,
    write_config,
    write_programme,
)

# --------------------------------------------------------------------------- through whole runs


NOTHING_TO_DO = "as at the last run: nothing to do"


def _skipped(result: Any) -> bool:
    return any(NOTHING_TO_DO in note for note in result.feeds[0].notes)


@pytest.fixture
def refreshed(tmp_path: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path, Clock]:
    """A feed refreshed once from the seed: (config, source, clock)."""
    source = write_programme(tmp_path / "programme.toml", SEED)
    config = write_config(tmp_path, [{"name": "OEWG", "output": "oewg.ics", "source": source.name}])
    clock = Clock()
    assert refresh(config, now=clock).ok
    return config, source, clock


def test_an_unchanged_run_stops_at_the_fingerprint(
    refreshed: tuple[pathlib.Path, pathlib.Path, Clock],
) -> None:
    config, _source, clock = refreshed
    output = config.parent / "oewg.ics"
    state = config.parent / ".oewg.ics.state.json"
    before = (output.stat().st_mtime_ns, state.read_bytes())
    clock.advance(days=30)
    result = refresh(config, now=clock)
    feed = result.feeds[0]
    assert result.ok and _skipped(result) and not feed.written and not result.changed_anything
    assert feed.report is not None and feed.report.unchanged == feed.report.previous_live == 10
    assert feed.size == output.stat().st_size
    assert (output.stat().st_mtime_ns, state.read_bytes()) == before
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert saved["feed"] == hashlib.sha256(output.read_bytes()).hexdigest()
    assert saved["until"] is None and saved["live"] == 10


def test_a_changed_source_is_not_skipped(
    refreshed: tuple[pathlib.Path, pathlib.Path, Clock],
) -> None:
    config, source, clock = refreshed
    output = config.parent / "oewg.ics"
    uid = uid_of(output, at(SEED, 8, 15))
    write_programme(source, retimed(SEED, 8, 15, dt.time(15, 30)))
    result = refresh(config, now=clock)
    assert not _skipped(result) and result.feeds[0].written
    event = vevents(output)[uid]
    assert sequence(event) == 1
    assert event.decoded("DTSTART") == dt.datetime(2023, 3, 8, 15, 30, tzinfo=NEW_YORK)
    assert _skipped(refresh(config, now=clock))


def test_changed_settings_are_not_skipped(
    refreshed: tuple[pathlib.Path, pathlib.Path, Clock],
) -> None:
    config, source, clock = refreshed
    write_config(
        config.parent,
        [{"name": "OEWG", "output": "oewg.ics", "source": source.name, "color": "steelblue"}],
    )
    result = refresh(config, now=clock)
    assert not _skipped(result) and result.feeds[0].written
    calendar = icalendar.Calendar.from_ical((config.parent / "oewg.ics").read_bytes())
    assert str(calendar["COLOR"]) == "steelblue"


@pytest.mark.parametrize("damage", ["edited feed", "deleted feed", "broken state", "old format"])
def test_a_feed_or_state_touched_by_hand_is_not_skipped(
    damage: str, refreshed: tuple[pathlib.Path, pathlib.Path, Clock]
) -> None:
    config, _source, clock = refreshed
    output = config.parent / "oewg.ics"
    state = config.parent / ".oewg.ics.state.json"
    published = output.read_bytes()
    if damage == "edited feed":
        edited = published.replace(b"BEGIN:VCALENDAR\r\n", b"BEGIN:VCALENDAR\r\nX-EDITED:1\r\n")
        assert edited != published
        output.write_bytes(edited)
    elif damage == "deleted feed":
        output.unlink()
    elif damage == "broken state":
        state.write_bytes(state.read_bytes()[:20])
    else:
        state.write_text(json.dumps({**json.loads(state.read_bytes()), "format": 0}))
    result = refresh(config, now=clock)
    assert result.ok and not _skipped(result)
    assert output.read_bytes() == published
    assert _skipped(refresh(config, now=clock))


def test_another_version_is_not_skipped(
    refreshed: tuple[pathlib.Path, pathlib.Path, Clock], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, _source, clock = refreshed
    import oewg_cal

    monkeypatch.setattr(oewg_cal, "__version__", "99.0")
    assert not _skipped(refresh(config, now=clock))


def test_with_a_state_dir_only_the_feed_sits_beside_the_output(tmp_path: pathlib.Path) -> None:
    source = write_programme(tmp_path / "programme.toml", SEED)
    (tmp_path / "public").mkdir()
    config = write_config(
        tmp_path,
        [{"name": "OEWG", "output": "public/oewg.ics", "source": source.name}],
        state_dir="state",
    )
    clock = Clock()
    assert refresh(config, now=clock).ok
    assert sorted(p.name for p in (tmp_path / "public").iterdir()) == ["oewg.ics"]
    (state,) = (tmp_path / "state").glob("oewg.ics.*.state.json")
    assert json.loads(state.read_text(encoding="utf-8"))["live"] == 10
    assert _skipped(refresh(config, now=clock))


def test_force_does_the_whole_run(refreshed: tuple[pathlib.Path, pathlib.Path, Clock]) -> None:
    config, _source, clock = refreshed
    assert not _skipped(refresh(config, now=clock, force=True))


def test_the_fingerprint_lasts_until_a_cancelled_event_is_due_to_go(
    refreshed: tuple[pathlib.Path, pathlib.Path, Clock],
) -> None:
    config, source, clock = refreshed
    write_programme(source, removed(SEED, (10, 10)))
    assert refresh(config, now=clock).feeds[0].report.cancelled  # type: ignore[union-attr]
    saved = json.loads((config.parent / ".oewg.ics.state.json").read_text(encoding="utf-8"))
    assert saved["until"] == int(SESSION_END.timestamp())  # end of 10 March in New York
    clock.now = SESSION_END
    assert _skipped(refresh(config, now=clock))
    clock.advance(seconds=1)
    result = refresh(config, now=clock)
    assert not _skipped(result) and len(result.feeds[0].report.dropped) == 1  # type: ignore[union-attr]
