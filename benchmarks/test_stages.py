"""Every stage against its floor, side by side in one run (pytest-benchmark).

Run: ``.venv/bin/pytest benchmarks --benchmark-json=benchmarks/results.json`` then
``.venv/bin/python benchmarks/check_targets.py benchmarks/results.json``.
Groups are ``STAGE-SIZE``; in each, ``oewg`` is our code and ``baseline`` the floor.
"""

from __future__ import annotations

import datetime as dt
import functools
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import icalendar
import pytest
from synthetic import synthetic_programme

from conftest import SIZES
from oewg_cal import FeedOptions, feed_of, read_ics, write_ics
from oewg_cal.model import Programme
from oewg_cal.readers import read_programme
from oewg_cal.text import categories_of, description_of, location_of, summary_of
from render import render_tsv

ROOT = Path(__file__).resolve().parents[1]
UTC = dt.timezone.utc


@functools.cache
def programme(size: int) -> Programme:
    return synthetic_programme(size)


@functools.cache
def feed_bytes(size: int) -> bytes:
    return write_ics(feed_of(programme(size)))


def _plain_events(p: Programme) -> list[dict[str, Any]]:
    """What a hand-written exporter would have prepared: one dict of values per meeting."""
    options = FeedOptions()
    return [
        {
            "uid": f"{m.date:%Y%m%d}-{i}@example",
            "start": p.start_of(m),
            "end": p.end_of(m),
            "summary": summary_of(p, m),
            "description": description_of(p, m),
            "location": location_of(p, m),
            "categories": categories_of(p, m, options),
        }
        for i, m in enumerate(p.meetings)
    ]


Properties = list[tuple[str, Any, dict[str, str]]]


@functools.cache
def same_components(size: int) -> tuple[Properties, list[tuple[str, Properties]]]:
    """Every property of our feed as plain Python values, ready to be set by hand."""

    def values(component: Any) -> Properties:
        found: Properties = []
        for name, prop in component.property_items(recursive=False):
            if name in ("BEGIN", "END"):
                continue
            value = prop.dt if hasattr(prop, "dt") else prop
            if isinstance(prop, icalendar.vRecur | icalendar.vDDDLists):
                value = prop
            elif isinstance(prop, icalendar.vCategory):
                value = [str(c) for c in prop.cats]
            elif not hasattr(prop, "dt") and not isinstance(prop, int | icalendar.vUTCOffset):
                value = str(prop)
            params = {k: str(v) for k, v in prop.params.items() if k != "TZID"}
            found.append((name.lower(), value, params))
        return found

    calendar = icalendar.Calendar.from_ical(feed_bytes(size))
    subs = [(c.name, values(c)) for c in calendar.subcomponents]
    return values(calendar), subs


def icalendar_by_hand(prepared: tuple[Properties, list[tuple[str, Properties]]]) -> bytes:
    """The floor for our writer: the same VEVENTs (and VTIMEZONE) set by hand with icalendar."""
    top, subs = prepared
    calendar = icalendar.Calendar()
    for name, value, params in top:
        calendar.add(name, value, parameters=params or None)
    for kind, props in subs:
        component = icalendar.Event() if kind == "VEVENT" else icalendar.Timezone()
        for name, value, params in props:
            component.add(name, value, parameters=params or None)
        calendar.add_component(component)
    data: bytes = calendar.to_ical()
    return data


def ics_library(events: list[dict[str, Any]]) -> str:
    """Another library a user might pick: the same events with the ``ics`` package."""
    import ics

    calendar = ics.Calendar()
    for e in events:
        calendar.events.add(
            ics.Event(
                name=e["summary"],
                begin=e["start"],
                end=e["end"],
                uid=e["uid"],
                description=e["description"],
                location=e["location"],
                categories=set(e["categories"]),
            )
        )
    return calendar.serialize()


@pytest.mark.parametrize("size", SIZES)
def test_write_oewg(benchmark: Any, size: int) -> None:
    benchmark.group = f"write-{size}"
    feed = feed_of(programme(size))
    assert benchmark(write_ics, feed) == feed_bytes(size)


@pytest.mark.parametrize("size", SIZES)
def test_write_baseline(benchmark: Any, size: int) -> None:
    benchmark.group = f"write-{size}"
    prepared = same_components(size)
    assert benchmark(icalendar_by_hand, prepared).count(b"BEGIN:VEVENT") == size


@pytest.mark.parametrize("size", SIZES)
def test_write_other_library(benchmark: Any, size: int) -> None:
    benchmark.group = f"write-{size}"
    events = _plain_events(programme(size))
    assert benchmark(ics_library, events).count("BEGIN:VEVENT") == size


PAGE_URL = "https://mission.example.org/calendars/bench.ics"


@pytest.mark.parametrize("size", SIZES)
def test_page_oewg(benchmark: Any, size: int) -> None:
    """The agenda page of the feed (oewg_cal.page), against writing the feed itself."""
    from oewg_cal.page import render_page

    benchmark.group = f"page-{size}"
    feed = feed_of(programme(size))
    render_page(feed, url=PAGE_URL)  # the templates are compiled once per process
    page = benchmark(render_page, feed, url=PAGE_URL)
    assert page.count(b'<li class="meeting') == size


@pytest.mark.parametrize("size", SIZES)
def test_page_baseline(benchmark: Any, size: int) -> None:
    """The floor of the page: writing the same feed (write_ics), in the same group."""
    benchmark.group = f"page-{size}"
    feed = feed_of(programme(size))
    assert benchmark(write_ics, feed) == feed_bytes(size)


@pytest.mark.parametrize("size", SIZES)
def test_read_oewg(benchmark: Any, size: int) -> None:
    benchmark.group = f"read-{size}"
    assert benchmark(read_ics, feed_bytes(size)).programmes == (programme(size),)


@pytest.mark.parametrize("size", SIZES)
def test_read_baseline(benchmark: Any, size: int) -> None:
    benchmark.group = f"read-{size}"
    calendar = benchmark(icalendar.Calendar.from_ical, feed_bytes(size))
    assert len(calendar.events) == size


@pytest.mark.parametrize("size", SIZES)
def test_document_oewg(benchmark: Any, size: int) -> None:
    benchmark.group = f"document-{size}"
    text = render_tsv(programme(size))
    assert benchmark(
        read_programme, text, source="synthetic.txt", short_name="OEWG on ICT security 2021–2025"
    ) == programme(size)


@pytest.mark.parametrize("size", SIZES)
def test_peak_memory(benchmark: Any, size: int) -> None:
    """Peak memory of document → model → ics, reported in extra_info (no target)."""
    benchmark.group = f"memory-{size}"
    text = render_tsv(programme(size))

    def run() -> int:
        tracemalloc.start()
        write_ics(feed_of(read_programme(text, source="synthetic.txt")))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    peak = benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info["peak_bytes"] = peak
    assert peak > 0


def _process(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)


#: Fresh processes vary more than work in this one: more rounds, and one to warm the caches.
COLD = {"rounds": 20, "warmup_rounds": 1}


def test_cold_start_version(benchmark: Any) -> None:
    benchmark.group = "cold-start"
    benchmark.pedantic(_process, args=(sys.executable, "-m", "oewg_cal", "--version"), **COLD)


def test_cold_start_build(benchmark: Any) -> None:
    benchmark.group = "cold-start"
    seed = str(ROOT / "examples" / "oewg-ict-4th-session.txt")
    benchmark.pedantic(_process, args=(sys.executable, "-m", "oewg_cal", "build", seed), **COLD)


def test_cold_start_baseline(benchmark: Any) -> None:
    benchmark.group = "cold-start"
    benchmark.pedantic(_process, args=(sys.executable, "-c", "import icalendar"), **COLD)


def test_cold_start_dependencies(benchmark: Any) -> None:
    """What any run of ``build`` must import before our code: icalendar and attrs."""
    benchmark.group = "cold-start"
    benchmark.pedantic(_process, args=(sys.executable, "-c", "import icalendar, attrs"), **COLD)


def _refresh_setup(tmp_path: Path, size: int) -> Path:
    from oewg_cal.readers.programme_file import dumps_toml

    (tmp_path / "programme.toml").write_text(dumps_toml(programme(size)), encoding="utf-8")
    config = tmp_path / "feeds.toml"
    config.write_text(
        'state_dir = "state"\n\n'
        '[[feed]]\nname = "bench"\noutput = "feed.ics"\nsource = "programme.toml"\n',
        encoding="utf-8",
    )
    return config


def _clock() -> dt.datetime:
    return dt.datetime(2023, 3, 5, 12, tzinfo=UTC)


@pytest.mark.parametrize("size", SIZES)
def test_refresh_noop(benchmark: Any, size: int, tmp_path: Path) -> None:
    """The cron run when nothing changed: it must write nothing."""
    from oewg_cal.refresh import refresh

    benchmark.group = f"refresh-{size}"
    config = _refresh_setup(tmp_path, size)
    assert refresh(config, now=_clock).ok
    before = (tmp_path / "feed.ics").stat().st_mtime_ns
    result = benchmark(refresh, config, now=_clock)
    assert result.ok and not any(f.written for f in result.feeds)
    assert (tmp_path / "feed.ics").stat().st_mtime_ns == before


@pytest.mark.parametrize("size", SIZES)
def test_refresh_unremembered(benchmark: Any, size: int, tmp_path: Path) -> None:
    """The no-op run without its fingerprint: read both sides, plan, compare the bytes."""
    from oewg_cal.refresh import refresh

    benchmark.group = f"refresh-{size}"
    config = _refresh_setup(tmp_path, size)
    assert refresh(config, now=_clock).ok
    from oewg_cal.refresh import load_config

    loaded = load_config(config)
    state = loaded.state_for(loaded.feeds[0])

    def setup() -> tuple[tuple[Path], dict[str, Any]]:
        state.unlink()
        return (config,), {"now": _clock}

    result = benchmark.pedantic(refresh, setup=setup, rounds=5)
    assert result.ok and not any(f.written for f in result.feeds)


@pytest.mark.parametrize("size", SIZES)
def test_refresh_baseline(benchmark: Any, size: int) -> None:
    """The floor of a no-op refresh: parse and serialise the feed with icalendar."""
    benchmark.group = f"refresh-{size}"
    data = feed_bytes(size)
    assert benchmark(lambda: icalendar.Calendar.from_ical(data).to_ical())


@pytest.mark.parametrize("size", SIZES)
def test_refresh_one_percent(benchmark: Any, size: int, tmp_path: Path) -> None:
    """A refresh where 1% of the meetings were re-timed (alternating revisions)."""
    import attrs

    from oewg_cal.readers.programme_file import dumps_toml
    from oewg_cal.refresh import refresh

    benchmark.group = f"refresh-{size}"
    config = _refresh_setup(tmp_path, size)
    assert refresh(config, now=_clock).ok
    original = programme(size)
    step = max(1, size // max(1, size // 100))
    moved = [
        attrs.evolve(m, end=dt.time(m.end.hour, 30)) if i % step == 0 else m
        for i, m in enumerate(original.meetings)
    ]
    revisions = [dumps_toml(original), dumps_toml(attrs.evolve(original, meetings=moved))]
    state = {"n": 0}

    def setup() -> tuple[tuple[Path], dict[str, Any]]:
        state["n"] += 1
        (tmp_path / "programme.toml").write_text(revisions[state["n"] % 2], encoding="utf-8")
        return (config,), {"now": _clock}

    result = benchmark.pedantic(refresh, setup=setup, rounds=5)
    assert result.ok and all(f.written for f in result.feeds)
