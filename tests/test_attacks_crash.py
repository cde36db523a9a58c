"""A refresh killed (SIGKILL) at any moment: the published feed is always complete, and
what the run left behind never keeps the next run from publishing the right feed.

A child process runs a refresh that changes the feed (events re-timed, cancelled or
dropped, the list of dropped UIDs and the page rewritten) and kills itself at the N-th
file-system call it makes (open, write, fsync, replace, unlink, mkdir, …): every step of
a publication is a place it can die.  Other children are killed from outside after a
random delay.  After each kill:

* the feed is byte for byte the previous one or the one an undisturbed run publishes;
* the page, if there is one, is a whole page;
* the next run succeeds and publishes exactly what an undisturbed run publishes, and the
  run after it finds nothing to do.
"""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

import attrs
import pytest

from attacks import SEED_TOML, UTC, cases, rng, write_config
from oewg_cal.ical.decode import read_ics
from oewg_cal.readers.programme_file import dumps_toml, loads
from oewg_cal.refresh import refresh

SEED = loads(SEED_TOML.read_text(encoding="utf-8"))
BEFORE = dt.datetime(2023, 3, 5, 12, tzinfo=UTC)  # meetings gone are cancelled
AFTER = dt.datetime(2023, 3, 20, 12, tzinfo=UTC)  # the session is over: they are dropped


def _revised() -> str:
    first, second, *rest = SEED.meetings
    moved = attrs.evolve(second, start=dt.time(15, 30))
    return dumps_toml(attrs.evolve(SEED, meetings=(first, moved, *rest[:-2])))


REVISED = _revised()

_CHILD = """
import datetime as dt, os, signal, sys
from oewg_cal.refresh import refresh

config, kill_at, stamp = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
calls = 0

def counted(real):
    def call(*args, **kwargs):
        global calls
        calls += 1
        if calls == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call

for name in ("open", "write", "read", "close", "fsync", "replace", "rename", "unlink",
             "mkdir", "ftruncate", "pwrite", "fchmod", "lstat", "fstat"):
    setattr(os, name, counted(getattr(os, name)))
now = dt.datetime.fromtimestamp(stamp, dt.timezone.utc)
result = refresh(config, now=lambda: now)
print(calls)
sys.exit(0 if result.ok else 1)
"""


def _site(folder: pathlib.Path) -> pathlib.Path:
    folder.mkdir()
    (folder / "programme.toml").write_bytes(SEED_TOML.read_bytes())
    return write_config(
        folder,
        [
            {
                "name": "OEWG",
                "output": "public/oewg.ics",
                "source": "programme.toml",
                "page": True,
            }
        ],
        state_dir="state",
    )


def _child(config: pathlib.Path, kill_at: int, now: dt.datetime) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(config), str(kill_at), str(now.timestamp())],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _expected(tmp_path: pathlib.Path, now: dt.datetime) -> tuple[bytes, bytes, int]:
    """The feed before the change, the one an undisturbed run publishes, and how many
    file-system calls that run makes."""
    config = _site(tmp_path / f"reference-{now:%d}")
    assert refresh(config, now=lambda: BEFORE).ok
    before = (config.parent / "public" / "oewg.ics").read_bytes()
    (config.parent / "programme.toml").write_text(REVISED, encoding="utf-8")
    child = _child(config, 0, now)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    after = (config.parent / "public" / "oewg.ics").read_bytes()
    assert after != before
    return before, after, int(out)


def _check_after_kill(
    config: pathlib.Path, before: bytes, after: bytes, now: dt.datetime, what: str
) -> None:
    public = config.parent / "public"
    assert (public / "oewg.ics").read_bytes() in (before, after), what
    page = public / "oewg.html"
    if page.exists():
        text = page.read_text(encoding="utf-8")
        assert text.rstrip().endswith("</html>"), what
    result = refresh(config, now=lambda: now)
    assert result.ok, (what, result.feeds[0].error, result.feeds[0].warnings)
    assert (public / "oewg.ics").read_bytes() == after, what
    read_ics(after)
    again = refresh(config, now=lambda: now).feeds[0]
    assert not again.written and "nothing to do" in " ".join(again.notes), what


def _fresh(tmp_path: pathlib.Path, name: str) -> pathlib.Path:
    config = _site(tmp_path / name)
    assert refresh(config, now=lambda: BEFORE).ok
    (config.parent / "programme.toml").write_text(REVISED, encoding="utf-8")
    return config


@pytest.mark.parametrize("now", [BEFORE, AFTER], ids=["cancelling", "dropping"])
def test_killed_at_any_file_system_call(now: dt.datetime, tmp_path: pathlib.Path) -> None:
    before, after, total = _expected(tmp_path, now)
    assert total > 20  # the run does the whole work: reads, writes, fsyncs, renames
    r = rng(f"crash:{now:%d}")
    points = range(1, total + 1) if cases(0, 1) else sorted(r.sample(range(1, total + 1), 5))
    for kill_at in points:
        config = _fresh(tmp_path, f"at-{kill_at}")
        child = _child(config, kill_at, now)
        _out, err = child.communicate(timeout=120)
        assert child.returncode == -signal.SIGKILL, (kill_at, err)
        _check_after_kill(config, before, after, now, f"killed at call {kill_at} of {total}")
        shutil.rmtree(config.parent)


def test_killed_at_random_moments(tmp_path: pathlib.Path) -> None:
    before, after, _total = _expected(tmp_path, AFTER)
    start = time.monotonic()
    probe = _child(_fresh(tmp_path, "probe"), 0, AFTER)
    probe.communicate(timeout=120)
    duration = time.monotonic() - start
    r = rng("crash:random")
    for case in range(cases(2, 40)):
        config = _fresh(tmp_path, f"random-{case}")
        delay = r.uniform(0, duration * 1.1)
        child = _child(config, 0, AFTER)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=120)
        _check_after_kill(config, before, after, AFTER, f"killed after {delay:.3f} s")
        shutil.rmtree(config.parent)


def test_a_kill_leaves_the_lock_free(tmp_path: pathlib.Path) -> None:
    """The lock is the kernel's: a run killed while holding it never blocks the next."""
    config = _fresh(tmp_path, "lock")
    child = _child(config, 10**9, BEFORE)  # never killed by itself
    os.kill(child.pid, signal.SIGSTOP)  # stopped wherever it was, maybe holding the lock
    time.sleep(0.5)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    start = time.monotonic()
    assert refresh(config, now=lambda: BEFORE).ok
    assert time.monotonic() - start < 30
