"""What a refresh remembers between runs: the fingerprint of the last run, retired UIDs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pathlib
from typing import Any

import attrs
import icalendar
import pytest

from oewg_cal.ical.feed import Feed, feed_of
from oewg_cal.model import SeriesKey
from oewg_cal.refresh.config import FeedConfig
from oewg_cal.refresh.run import refresh
from oewg_cal.refresh.state import (
    inputs_digest,
    last_run,
    read_retired,
    remember_run,
    write_retired,
)
from refreshing import (
    NEW_YORK,
    SEED,
    SESSION_END,
    T0,
    UTC,
    Clock,
    at,
    own_file,
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
    state = own_file(config, "state")
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
    state = own_file(config, "state")
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
    saved = json.loads(own_file(config, "state").read_text(encoding="utf-8"))
    assert saved["until"] == int(SESSION_END.timestamp())  # end of 10 March in New York
    clock.now = SESSION_END
    assert _skipped(refresh(config, now=clock))
    clock.advance(seconds=1)
    result = refresh(config, now=clock)
    assert not _skipped(result) and len(result.feeds[0].report.dropped) == 1  # type: ignore[union-attr]


# ---------------------------------------------------------------- the state files, directly


def _feed_config(tmp_path: pathlib.Path, **fields: object) -> FeedConfig:
    values: dict[str, Any] = {
        "name": "OEWG",
        "output": tmp_path / "oewg.ics",
        "sources": (str(tmp_path / "p.toml"),),
    }
    values.update(fields)
    return FeedConfig(**values)


def test_the_inputs_digest(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    feed = _feed_config(tmp_path)
    sources = [("p.toml", b"programme")]
    digest = inputs_digest(feed, sources)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert inputs_digest(feed, list(sources)) == digest  # the same inputs, the same digest
    # where the feed stands in the config file does not matter
    assert inputs_digest(attrs.evolve(feed, line=12), sources) == digest
    others = {
        inputs_digest(feed, [("p.toml", b"programme!")]),
        inputs_digest(feed, [("q.toml", b"programme")]),
        inputs_digest(feed, [*sources, ("q.toml", b"")]),
        inputs_digest(attrs.evolve(feed, color="navy"), sources),
        inputs_digest(attrs.evolve(feed, items=frozenset({SeriesKey(item=5)})), sources),
        inputs_digest(attrs.evolve(feed, retention_days=1), sources),
    }
    assert digest not in others and len(others) == 6
    import oewg_cal

    monkeypatch.setattr(oewg_cal, "__version__", "99.0")
    assert inputs_digest(feed, sources) != digest


def test_items_in_any_order_are_the_same_settings(tmp_path: pathlib.Path) -> None:
    keys = [SeriesKey(item=n) for n in range(1, 30)]
    one = _feed_config(tmp_path, items=frozenset(keys))
    other = _feed_config(tmp_path, items=frozenset(reversed(keys)))
    assert inputs_digest(one, []) == inputs_digest(other, [])


def _feed_with_a_cancelled_event() -> Feed:
    live = feed_of(removed(SEED, (10, 10)))
    friday_am = at(SEED, 10, 10)
    cancelled = attrs.evolve(
        live.events[0], uid="gone@x", meeting=friday_am, cancelled=True, sequence=1
    )
    return Feed(programmes=live.programmes, events=(*live.events, cancelled))


def test_remember_run_and_last_run(tmp_path: pathlib.Path) -> None:
    path = tmp_path / ".oewg.ics.state.json"
    feed = feed_of(SEED)
    remember_run(path, "inputs", b"the feed", feed, dt.timedelta(0))
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "format": 1,
        "inputs": "inputs",
        "feed": hashlib.sha256(b"the feed").hexdigest(),
        "until": None,  # no cancelled event: the clock alone never changes this feed
        "live": 10,
    }
    years_later = dt.datetime(2030, 1, 1, tzinfo=UTC)
    assert last_run(path, "inputs", b"the feed", years_later) == 10
    assert last_run(path, "other inputs", b"the feed", years_later) is None
    assert last_run(path, "inputs", b"the feed, edited", years_later) is None


def test_the_fingerprint_ends_when_a_cancelled_event_is_due_to_go(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "state.json"
    feed = _feed_with_a_cancelled_event()
    remember_run(path, "inputs", b"data", feed, dt.timedelta(days=2))
    # the session ends with 10 March in New York (EST, UTC-5); two days' retention more
    until = dt.datetime(2023, 3, 13, 0, tzinfo=NEW_YORK)
    assert until == dt.datetime(2023, 3, 13, 4, tzinfo=UTC)  # EDT from 12 March
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert (saved["until"], saved["live"]) == (int(until.timestamp()), 9)
    assert last_run(path, "inputs", b"data", until) == 9
    assert last_run(path, "inputs", b"data", until + dt.timedelta(seconds=1)) is None


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'{"format": 2, "inputs": "i", "feed": "%s", "until": null, "live": 3}',
        b'{"format": 1, "inputs": "i", "feed": "%s", "until": null, "live": "3"}',
        b'{"format": 1, "inputs": "i", "feed": "%s", "until": "soon", "live": 3}',
        b'{"format": 1, "inputs": "i", "feed": "%s", "live": 3, "until": 1.5}',
    ],
)
def test_a_state_file_not_as_written_is_no_fingerprint(
    content: bytes, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "state.json"
    digest = hashlib.sha256(b"data").hexdigest().encode()
    path.write_bytes(content.replace(b"%s", digest))
    assert last_run(path, "i", b"data", dt.datetime(2023, 1, 1, tzinfo=UTC)) is None


def test_a_state_file_as_written_by_hand_is_read(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "state.json"
    digest = hashlib.sha256(b"data").hexdigest()
    path.write_text(
        json.dumps({"format": 1, "inputs": "i", "feed": digest, "until": 100, "live": 3})
    )
    assert last_run(path, "i", b"data", dt.datetime.fromtimestamp(100, UTC)) == 3
    assert last_run(path, "i", b"data", dt.datetime.fromtimestamp(101, UTC)) is None
    assert last_run(tmp_path / "missing.json", "i", b"data", T0) is None


def test_retired_uids_are_written_and_read(tmp_path: pathlib.Path) -> None:
    path = tmp_path / ".oewg.ics.retired.json"
    assert read_retired(path) == ({}, None)  # none yet
    write_retired(path, {"b@x": 2, "a@x": 1})
    assert path.read_text(encoding="utf-8") == (
        '{\n "format": 1,\n "retired": {\n  "a@x": 1,\n  "b@x": 2\n }\n}\n'
    )
    assert read_retired(path) == ({"a@x": 1, "b@x": 2}, None)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{broken", "Expecting property name enclosed in double quotes"),
        (b'{"format": 2, "retired": {}}', "unknown format"),
        (b'{"format": 1, "retired": []}', "unknown format"),
        (b'{"format": 1, "retired": {"a@x": "1"}}', "unknown format"),
        (b'{"format": 1, "retired": {"a@x": true}}', "unknown format"),
        (b"[]", "unknown format"),
    ],
)
def test_an_unusable_list_of_retired_uids_is_ignored_with_a_warning(
    content: bytes, reason: str, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "retired.json"
    path.write_bytes(content)
    retired, warning = read_retired(path)
    assert retired == {}
    assert warning is not None
    assert warning.startswith(f"{path}: ignoring the list of dropped UIDs: ")
    assert reason in warning
