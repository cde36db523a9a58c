"""Tests of oewg_cal.publish: atomic replacement (with real kills) and the refresh lock."""

from __future__ import annotations

import os
import pathlib
import signal
import stat
import subprocess
import sys
import textwrap
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oewg_cal import atomic as publish
from oewg_cal.atomic import atomic_write, exclusive_lock, remove_stale_temporaries
from oewg_cal.errors import FetchError, PublishError

OLD = b"BEGIN:VCALENDAR\r\nX-OLD:1\r\nEND:VCALENDAR\r\n" * 1000
NEW = b"BEGIN:VCALENDAR\r\nX-NEW:2\r\nEND:VCALENDAR\r\n" * 5000


def _temporaries(directory: pathlib.Path) -> list[pathlib.Path]:
    return sorted(p for p in directory.iterdir() if ".tmp-" in p.name)


def _mode(path: pathlib.Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --------------------------------------------------------------------------- atomic_write


def test_new_file_is_written_with_0o644(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "feed.ics"
    old_umask = os.umask(0o077)
    try:
        assert atomic_write(target, NEW) is True
    finally:
        os.umask(old_umask)
    assert target.read_bytes() == NEW
    assert _mode(target) == 0o644
    assert _temporaries(tmp_path) == []


def test_identical_bytes_are_not_written(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "feed.ics"
    target.write_bytes(OLD)
    past = time.time() - 3600
    os.utime(target, (past, past))
    before = target.stat()
    assert atomic_write(target, OLD) is False
    after = target.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert _temporaries(tmp_path) == []


def test_changed_bytes_replace_the_file(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "feed.ics"
    target.write_bytes(OLD)
    inode = target.stat().st_ino
    assert atomic_write(target, NEW) is True
    assert target.read_bytes() == NEW
    assert target.stat().st_ino != inode  # a rename, not an overwrite in place
    # Same length, different bytes, is a change too.
    assert atomic_write(target, NEW[:-1] + b"!") is True
    assert target.read_bytes() == NEW[:-1] + b"!"


def test_existing_permission_bits_are_kept(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "feed.ics"
    target.write_bytes(OLD)
    target.chmod(0o640)
    assert atomic_write(target, NEW) is True
    assert _mode(target) == 0o640


def test_explicit_mode_wins(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "feed.ics"
    assert atomic_write(target, OLD, mode=0o600) is True
    assert _mode(target) == 0o600
    assert atomic_write(target, NEW, mode=0o664) is True
    assert _mode(target) == 0o664


def test_failure_leaves_target_and_no_temporary(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "feed.ics"
    target.write_bytes(OLD)

    def failing_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(PublishError) as err:
        atomic_write(target, NEW)
    assert str(err.value).startswith(f"{target}: not published, the previous file is unchanged")
    assert "No space left on device" in str(err.value)
    assert target.read_bytes() == OLD
    assert _temporaries(tmp_path) == []


def test_interrupt_removes_the_temporary_and_is_not_wrapped(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "feed.ics"

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, NEW)
    assert not target.exists()
    assert _temporaries(tmp_path) == []


def test_missing_directory(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "no" / "such" / "feed.ics"
    with pytest.raises(PublishError) as err:
        atomic_write(target, NEW)
    assert str(err.value).startswith(f"{target}: cannot create a temporary file in")


@settings(max_examples=30, deadline=None)
@given(first=st.binary(max_size=300), second=st.binary(max_size=300))
def test_round_trip(tmp_path_factory: pytest.TempPathFactory, first: bytes, second: bytes) -> None:
    directory = tmp_path_factory.mktemp("rt")
    target = directory / "f"
    assert atomic_write(target, first) is True
    assert atomic_write(target, second) is (second != first)
    assert target.read_bytes() == second
    assert _temporaries(directory) == []


# --------------------------------------------------------------------------- crash safety

_KILLER = textwrap.dedent(
    """
    import os, pathlib, signal, sys
    import oewg_cal.atomic

    when = sys.argv[2]
    real_replace = os.replace

    def replace_then_die(src, dst):
        if when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        real_replace(src, dst)
        os.kill(os.getpid(), signal.SIGKILL)

    os.replace = replace_then_die
    new = pathlib.Path(sys.argv[3]).read_bytes()
    oewg_cal.atomic.atomic_write(pathlib.Path(sys.argv[1]), new)
    sys.exit(3)  # never reached
    """
)


def _run_and_kill(target: pathlib.Path, when: str, new: bytes) -> None:
    new_file = target.parent.parent / "new-bytes"
    new_file.write_bytes(new)
    proc = subprocess.run(
        [sys.executable, "-c", _KILLER, str(target), when, str(new_file)],
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()


def test_killed_before_the_rename_leaves_the_old_bytes(tmp_path: pathlib.Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    target = site / "feed.ics"
    target.write_bytes(OLD)
    _run_and_kill(target, "before", NEW)
    assert target.read_bytes() == OLD
    # The killed process left its (complete, never renamed) temporary file behind.
    [leftover] = _temporaries(site)
    assert leftover.name.startswith(".feed.ics.tmp-")
    assert leftover.read_bytes() == NEW

    # It does not get in the way of the next write ...
    assert atomic_write(target, NEW) is True
    assert target.read_bytes() == NEW
    assert _temporaries(site) == [leftover]
    # ... and a later run can clean it up once it is old enough.
    assert remove_stale_temporaries(site, older_than_seconds=3600) == []
    past = time.time() - 7200
    os.utime(leftover, (past, past))
    assert remove_stale_temporaries(site, older_than_seconds=3600) == [leftover]
    assert _temporaries(site) == []
    assert target.read_bytes() == NEW


def test_killed_after_the_rename_leaves_the_new_bytes(tmp_path: pathlib.Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    target = site / "feed.ics"
    target.write_bytes(OLD)
    target.chmod(0o640)
    _run_and_kill(target, "after", NEW)
    assert target.read_bytes() == NEW
    assert _mode(target) == 0o640
    assert _temporaries(site) == []


def test_killed_before_the_first_publication_leaves_nothing(tmp_path: pathlib.Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    target = site / "feed.ics"
    _run_and_kill(target, "before", NEW)
    assert not target.exists()


def test_remove_stale_temporaries_spares_other_files(tmp_path: pathlib.Path) -> None:
    keep = [
        tmp_path / "feed.ics",
        tmp_path / ".hidden",
        tmp_path / "feed.ics.tmp-abcdefgh",  # not hidden: not ours
        tmp_path / ".feed.ics.tmp-short",
        tmp_path / ".lock",
    ]
    stale = [tmp_path / ".feed.ics.tmp-ab_cd123", tmp_path / ".other.json.tmp-zzzzzzzz"]
    past = time.time() - 7200
    for path in keep + stale:
        path.write_bytes(b"x")
        os.utime(path, (past, past))
    (tmp_path / ".dir.tmp-abcdefgh").mkdir()
    (tmp_path / ".link.tmp-abcdefgh").symlink_to(tmp_path / "feed.ics")
    assert remove_stale_temporaries(tmp_path, 60) == sorted(stale)
    assert all(path.exists() for path in keep)
    assert (tmp_path / ".dir.tmp-abcdefgh").is_dir()
    assert (tmp_path / "feed.ics").exists()
    assert remove_stale_temporaries(tmp_path / "missing", 60) == []


# --------------------------------------------------------------------------- exclusive_lock

_LOCKER = textwrap.dedent(
    """
    import pathlib, sys, time
    from oewg_cal.errors import PublishError
    from oewg_cal.atomic import exclusive_lock

    lock, log, name, hold, timeout = sys.argv[1:6]
    log = pathlib.Path(log)

    def note(event):
        with log.open("a") as out:
            out.write(f"{name} {event} {time.time():.6f}\\n")

    note("waiting")
    try:
        with exclusive_lock(pathlib.Path(lock), timeout=float(timeout)):
            note("acquired")
            if hold.startswith("until:"):  # hold the lock until the test says so
                release = pathlib.Path(hold[len("until:"):])
                give_up = time.monotonic() + 60
                while not release.exists() and time.monotonic() < give_up:
                    time.sleep(0.01)
            else:
                time.sleep(float(hold))
            note("releasing")
    except PublishError as exc:
        note("refused")
        print(exc)
        sys.exit(2)
    """
)


def _locker(
    tmp_path: pathlib.Path, name: str, hold: float | str, timeout: float
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable, "-c", _LOCKER, str(tmp_path / "refresh.lock"),
            str(tmp_path / "log"), name, str(hold), str(timeout),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip


def _finish(proc: subprocess.Popen[bytes]) -> tuple[int, str]:
    """Wait for *proc*; its exit status and everything it printed."""
    out, err = proc.communicate(timeout=30)
    return proc.returncode, (out + err).decode()


def _events(tmp_path: pathlib.Path) -> dict[tuple[str, str], float]:
    events = {}
    for line in (tmp_path / "log").read_text().splitlines():
        name, event, stamp = line.split()
        events[name, event] = float(stamp)
    return events


def _wait_for(tmp_path: pathlib.Path, key: tuple[str, str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if (tmp_path / "log").exists() and key in _events(tmp_path):
            return
        time.sleep(0.01)
    raise AssertionError(f"{key} never happened")


def test_second_refresh_waits_for_the_first(tmp_path: pathlib.Path) -> None:
    release = tmp_path / "release"
    first = _locker(tmp_path, "first", hold=f"until:{release}", timeout=10)
    _wait_for(tmp_path, ("first", "acquired"))
    second = _locker(tmp_path, "second", hold=0, timeout=30)
    _wait_for(tmp_path, ("second", "waiting"))
    time.sleep(0.5)
    assert ("second", "acquired") not in _events(tmp_path)  # still waiting
    release.touch()
    assert _finish(first) == (0, "")
    assert _finish(second) == (0, "")
    events = _events(tmp_path)
    assert events["second", "waiting"] < events["first", "releasing"]
    assert events["second", "acquired"] >= events["first", "releasing"]
    assert (tmp_path / "refresh.lock").exists()  # never deleted


def test_second_refresh_gives_up_after_its_timeout(tmp_path: pathlib.Path) -> None:
    release = tmp_path / "release"
    first = _locker(tmp_path, "first", hold=f"until:{release}", timeout=10)
    _wait_for(tmp_path, ("first", "acquired"))
    second = _locker(tmp_path, "second", hold=0, timeout=0.2)
    status, output = _finish(second)
    release.touch()
    assert status == 2, output
    message = output.strip()
    lock = tmp_path / "refresh.lock"
    assert message.startswith(f"{lock}: another refresh holds the lock (pid {first.pid}); ")
    assert message.endswith("gave up after waiting 0.2 s (limit timeout)")
    events = _events(tmp_path)
    assert 0.15 < events["second", "refused"] - events["second", "waiting"] < 2.5
    assert ("second", "acquired") not in events
    assert _finish(first) == (0, "")


def test_lock_is_released_when_the_holder_is_killed(tmp_path: pathlib.Path) -> None:
    first = _locker(tmp_path, "first", hold=f"until:{tmp_path / 'never'}", timeout=10)
    _wait_for(tmp_path, ("first", "acquired"))
    first.send_signal(signal.SIGKILL)
    assert _finish(first)[0] == -signal.SIGKILL
    with exclusive_lock(tmp_path / "refresh.lock", timeout=5):
        pass


def test_lock_in_process(tmp_path: pathlib.Path) -> None:
    lock = tmp_path / "refresh.lock"
    with exclusive_lock(lock, timeout=1):
        assert lock.read_text().strip() == str(os.getpid())
        with pytest.raises(PublishError, match="another refresh holds the lock"):  # noqa: SIM117
            with exclusive_lock(lock, timeout=0):
                pass
    assert lock.exists()
    with exclusive_lock(lock, timeout=0):
        pass


def test_lock_file_in_missing_directory(tmp_path: pathlib.Path) -> None:
    lock = tmp_path / "missing" / "refresh.lock"
    with pytest.raises(PublishError, match="cannot open the lock file"):  # noqa: SIM117
        with exclusive_lock(lock):
            pass


def test_module_exports() -> None:
    assert set(publish.__all__) == {
        "DEFAULT_MODE", "atomic_write", "exclusive_lock", "read_regular", "read_source",
        "remove_stale_temporaries",
    }  # fmt: skip


def test_read_source_reads_up_to_its_limit(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "programme.txt"
    path.write_bytes(b"x" * 10)
    assert publish.read_source(path, 10) == b"x" * 10
    with pytest.raises(FetchError) as err:
        publish.read_source(path, 9)
    assert str(err.value) == f"{path}: larger than 9 bytes (limit max_bytes)"
    with pytest.raises(FileNotFoundError):
        publish.read_source(tmp_path / "missing.txt", 10)
