"""Races between refresh runs: real processes, a real HTTP server on 127.0.0.1.

A cron run that is slow (a slow server, a slow network) overlaps the next one.  Whatever
the timing, the feed published last must be built from the newest source: a slow run
that read revision 1 must never publish it over a faster run's revision 2 (a meeting
cancelled, then un-cancelled by the stale run: SEQUENCE 1, then 2, and subscribers see
the meeting come back).
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import time
from collections.abc import Callable

import attrs

from attacks import SEED_TOML, clock, write_config
from local_http import OriginHandler, origin
from oewg_cal.ical.decode import read_ics
from oewg_cal.readers.programme_file import dumps_toml, loads
from oewg_cal.refresh import refresh

REVISION_1 = SEED_TOML.read_bytes()
_SEED = loads(REVISION_1.decode("utf-8"))
#: Revision 2: the last meeting is gone (a cancellation).
REVISION_2 = dumps_toml(attrs.evolve(_SEED, meetings=_SEED.meetings[:-1])).encode("utf-8")

# A refresh in a process of its own, with the test's clock (before the session, so that a
# meeting gone from the source is cancelled, not dropped).
_RUN = """
import argparse, datetime as dt, sys
from oewg_cal.cli.refresh import run_refresh
args = argparse.Namespace(config=sys.argv[1], json=True, verbose=False, force=False)
now = dt.datetime(2023, 3, 5, 12, tzinfo=dt.timezone.utc)
sys.exit(run_refresh(args, now=lambda: now))
"""


def _start(config: pathlib.Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _RUN, str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str]) -> dict[str, object]:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    feed: dict[str, object] = json.loads(out)["feeds"][0]
    return feed


def _wait_until(predicate: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError("the server never saw the request")


def _last_meeting_events(output: pathlib.Path) -> list[tuple[bool, int]]:
    feed = read_ics(output.read_bytes())
    last = _SEED.meetings[-1]
    return [(e.cancelled, e.sequence) for e in feed.events if e.meeting == last]


def test_a_slow_run_never_publishes_an_older_source(tmp_path: pathlib.Path) -> None:
    served: list[str] = []

    def answer(h: OriginHandler) -> None:
        served.append(h.path)
        if len(served) == 1:  # the first publication
            h.reply(200, REVISION_1)
        elif len(served) == 2:  # run A: revision 1, slowly
            h.pause(3)
            h.reply(200, REVISION_1)
        else:  # run B, and any later request: revision 2, at once
            h.reply(200, REVISION_2)

    with origin() as server:
        server.answer = answer
        config = write_config(
            tmp_path,
            [{"name": "OEWG", "output": "oewg.ics", "source": server.url("/programme.toml")}],
        )
        output = tmp_path / "oewg.ics"
        assert refresh(config, now=clock).ok
        assert _last_meeting_events(output) == [(False, 0)]

        slow = _start(config)
        _wait_until(lambda: len(served) >= 2)  # A is reading revision 1
        fast = _start(config)
        a, b = _finish(slow), _finish(fast)

    # The feed holds revision 2: the meeting cancelled once, never brought back.
    assert _last_meeting_events(output) == [(True, 1)]
    assert read_ics(output.read_bytes()).programmes[0].meetings == _SEED.meetings[:-1]
    reports = [feed["report"] for feed in (a, b)]
    cancelled = [len(r["cancelled"]) for r in reports if isinstance(r, dict)]
    assert sorted(cancelled) == [0, 1]
    assert not any(isinstance(r, dict) and r["changed"] for r in reports)


def test_three_runs_at_once_report_each_change_once(tmp_path: pathlib.Path) -> None:
    revisions = [REVISION_1]

    def answer(h: OriginHandler) -> None:
        h.pause(0.2)
        h.reply(200, revisions[-1])

    with origin() as server:
        server.answer = answer
        config = write_config(
            tmp_path,
            [{"name": "OEWG", "output": "oewg.ics", "source": server.url("/programme.toml")}],
        )
        output = tmp_path / "oewg.ics"
        assert refresh(config, now=clock).ok
        revisions.append(REVISION_2)
        runs = [_start(config) for _ in range(3)]
        feeds = [_finish(run) for run in runs]
    assert sorted(bool(f["written"]) for f in feeds) == [False, False, True]
    cancelled = [len(f["report"]["cancelled"]) for f in feeds if isinstance(f["report"], dict)]
    assert sorted(cancelled) == [0, 0, 1]
    assert _last_meeting_events(output) == [(True, 1)]
