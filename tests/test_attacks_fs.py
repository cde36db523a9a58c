"""Attacks on the file system around a refresh: links, FIFOs and devices where refresh
keeps its files, a read-only folder, a full disk.

Whoever can create a file in the folder where a refresh keeps its lock, state or cache,
or where it publishes, may plant a symbolic link there.  A refresh must never follow it
(a link at the lock path used to truncate whatever file the cron user could write), never
replace a link or a FIFO by a file of its own, and never wait on a FIFO: it refuses, and
says which path and why.
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import shutil
import stat
import subprocess
import time
from collections.abc import Callable, Iterator

import pytest

from attacks import SEED_TOML, T0, bounded, cli, clock, seed_site, write_config
from local_http import origin
from oewg_cal.atomic import atomic_write, exclusive_lock
from oewg_cal.errors import PublishError
from oewg_cal.fetch import fetch
from oewg_cal.ical.decode import read_ics
from oewg_cal.refresh import load_config, refresh

VICTIM = b"the cron user's own file: it must keep every byte\n"


def _victim(tmp_path: pathlib.Path) -> pathlib.Path:
    """A file the attacker wants destroyed, outside every folder refresh uses."""
    folder = tmp_path / "elsewhere"
    folder.mkdir(exist_ok=True)
    victim = folder / "victim.txt"
    victim.write_bytes(VICTIM)
    old = time.time() - 3600
    os.utime(victim, (old, old))
    return victim


def _untouched(victim: pathlib.Path) -> None:
    assert victim.read_bytes() == VICTIM
    assert victim.stat().st_mtime < time.time() - 3000


def _own(config: pathlib.Path, kind: str) -> pathlib.Path:
    loaded = load_config(config)
    feed = loaded.feeds[0]
    return {
        "lock": loaded.lock_for,
        "state": loaded.state_for,
        "retired": loaded.retired_for,
        "page": loaded.page_state_for,
    }[kind](feed)


def _plant(path: pathlib.Path, trap: str, victim: pathlib.Path) -> None:
    """Put a trap at ``path``: a link to the victim, a dangling link, a FIFO, a folder,
    a hard link to the victim."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if trap == "link":
        path.symlink_to(victim)
    elif trap == "dangling link":
        path.symlink_to(victim.parent / "not-yet.txt")
    elif trap == "fifo":
        os.mkfifo(path)
    elif trap == "folder":
        path.mkdir()
    elif trap == "hard link":
        os.link(victim, path)
    else:  # pragma: no cover
        raise AssertionError(trap)


TRAPS = ["link", "dangling link", "fifo", "folder"]
WORDS = {
    "link": "symbolic link",
    "dangling link": "symbolic link",
    "fifo": "FIFO",
    "folder": "directory",
    "hard link": "hard link",
}


# --------------------------------------------------------------------------- the lock


@pytest.mark.parametrize("trap", [*TRAPS, "hard link"])
@pytest.mark.parametrize("state_dir", [True, False], ids=["state_dir", "default"])
def test_a_trap_at_the_lock_path_is_refused(
    trap: str, state_dir: bool, tmp_path: pathlib.Path
) -> None:
    victim = _victim(tmp_path)
    config = seed_site(tmp_path)
    if state_dir:
        config = write_config(
            tmp_path,
            [{"name": "OEWG", "output": "public/oewg.ics", "source": "programme.toml"}],
            state_dir="state",
        )
    lock = _own(config, "lock")
    _plant(lock, trap, victim)
    run = cli("refresh", str(config), timeout=60)
    assert run.returncode == 1, run.stderr
    assert f"{lock}: " in run.stderr and WORDS[trap] in run.stderr
    assert "Traceback" not in run.stderr
    _untouched(victim)
    assert not (victim.parent / "not-yet.txt").exists()
    assert not (tmp_path / "public" / "oewg.ics").exists()


def test_the_lock_opens_no_link_even_in_process(tmp_path: pathlib.Path) -> None:
    victim = _victim(tmp_path)
    lock = tmp_path / "refresh.lock"
    lock.symlink_to(victim)
    with pytest.raises(PublishError) as caught, exclusive_lock(lock, timeout=1):
        pass  # pragma: no cover
    assert str(caught.value).startswith(f"{lock}: is a symbolic link; not used as a lock")
    _untouched(victim)
    assert lock.is_symlink()


# --------------------------------------------------------------------------- the output


@pytest.mark.parametrize("trap", TRAPS)
def test_a_trap_at_the_output_is_refused_without_hanging(trap: str, tmp_path: pathlib.Path) -> None:
    victim = _victim(tmp_path)
    config = seed_site(tmp_path)
    output = tmp_path / "public" / "oewg.ics"
    _plant(output, trap, victim)
    start = time.monotonic()
    run = cli("refresh", str(config), timeout=60)
    assert time.monotonic() - start < 30
    assert run.returncode == 1, run.stderr
    assert f"feed 'OEWG' failed: {output}: is " in run.stderr and WORDS[trap] in run.stderr
    _untouched(victim)
    assert not (victim.parent / "not-yet.txt").exists()
    mode = os.lstat(output).st_mode
    assert {
        "link": stat.S_ISLNK,
        "dangling link": stat.S_ISLNK,
        "fifo": stat.S_ISFIFO,
        "folder": stat.S_ISDIR,
    }[trap](mode)


def test_a_link_at_a_published_feed_is_not_replaced(tmp_path: pathlib.Path) -> None:
    """A feed published, then swapped for a link: the next run refuses it (it would have
    replaced the link by a regular file, and read the linked file as the previous feed)."""
    config = seed_site(tmp_path)
    assert refresh(config, now=clock).ok
    output = tmp_path / "public" / "oewg.ics"
    real = tmp_path / "elsewhere" / "real.ics"
    real.parent.mkdir()
    shutil.move(output, real)
    output.symlink_to(real)
    before = real.read_bytes()
    with bounded(30):
        result = refresh(config, now=clock, force=True)
    (feed,) = result.feeds
    assert not result.ok and not feed.written
    assert feed.error is not None and feed.error.startswith(f"{output}: is a symbolic link")
    assert output.is_symlink() and real.read_bytes() == before


@pytest.mark.parametrize("trap", ["link", "fifo"])
def test_build_refuses_a_trap_at_its_output(trap: str, tmp_path: pathlib.Path) -> None:
    victim = _victim(tmp_path)
    output = tmp_path / "out.ics"
    _plant(output, trap, victim)
    run = cli("build", str(SEED_TOML), "-o", str(output), timeout=60)
    assert run.returncode == 1
    assert f"{output}: is " in run.stderr and WORDS[trap] in run.stderr
    _untouched(victim)


def test_atomic_write_refuses_what_is_not_a_regular_file(tmp_path: pathlib.Path) -> None:
    victim = _victim(tmp_path)
    for trap in TRAPS:
        target = tmp_path / f"target-{trap.replace(' ', '-')}"
        _plant(target, trap, victim)
        with bounded(30), pytest.raises(PublishError, match=WORDS[trap]):
            atomic_write(target, b"new")
        # the refusal left nothing behind
        assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]
    _untouched(victim)


# --------------------------------------------------------------------------- state files


@pytest.mark.parametrize("kind", ["state", "retired"])
@pytest.mark.parametrize("trap", ["link", "fifo"])
def test_a_trap_at_a_state_file_is_refused(kind: str, trap: str, tmp_path: pathlib.Path) -> None:
    victim = _victim(tmp_path)
    config = seed_site(tmp_path)
    assert refresh(config, now=clock).ok
    target = _own(config, kind)
    target.unlink(missing_ok=True)
    _plant(target, trap, victim)
    # the state is read by a run that may stop early, the dropped UIDs by a whole run
    with bounded(30):
        result = refresh(config, now=clock, force=kind == "retired")
    (feed,) = result.feeds
    assert not result.ok
    assert feed.error is not None and feed.error.startswith(f"{target}: is ")
    assert WORDS[trap] in feed.error
    _untouched(victim)
    assert stat.S_ISLNK(os.lstat(target).st_mode) or stat.S_ISFIFO(os.lstat(target).st_mode)


@pytest.mark.parametrize("trap", ["link", "fifo"])
def test_a_trap_at_the_page_state_leaves_the_victim_alone(
    trap: str, tmp_path: pathlib.Path
) -> None:
    victim = _victim(tmp_path)
    config = seed_site(tmp_path, page=True)
    target = _own(config, "page")
    _plant(target, trap, victim)
    with bounded(30):
        result = refresh(config, now=clock)
    (feed,) = result.feeds
    assert feed.written  # the feed itself is published; its page is not
    assert any(w.startswith(f"page not written: {target}: is ") for w in feed.warnings)
    _untouched(victim)


@pytest.mark.parametrize("trap", ["link", "fifo"])
def test_a_trap_in_the_download_cache_is_refused(trap: str, tmp_path: pathlib.Path) -> None:
    victim = _victim(tmp_path)
    cache = tmp_path / "cache"
    with origin() as server:
        server.answer = lambda h: h.reply(200, b"document", {"ETag": '"1"'})
        url = server.url("/programme.toml")
        assert fetch(url, cache_dir=cache).content == b"document"
        (meta,) = cache.glob("*.json")
        meta.unlink()
        _plant(meta, trap, victim)
        with bounded(30), pytest.raises(PublishError) as caught:
            fetch(url, cache_dir=cache)
    assert str(caught.value).startswith(f"{meta}: is ")
    _untouched(victim)


def test_read_regular_opens_only_regular_files(tmp_path: pathlib.Path) -> None:
    from oewg_cal.atomic import read_regular

    victim = _victim(tmp_path)
    assert read_regular(victim) == VICTIM
    assert read_regular(tmp_path / "missing") is None
    assert read_regular(tmp_path / "missing-folder" / "file") is None
    for trap in TRAPS:
        target = tmp_path / f"t-{trap.replace(' ', '-')}"
        _plant(target, trap, victim)
        with bounded(30), pytest.raises(PublishError, match=WORDS[trap]):
            read_regular(target)
    with pytest.raises(PublishError, match="a device, not a regular file"):
        read_regular(pathlib.Path("/dev/zero"))
    with pytest.raises(PublishError, match="larger than 5 bytes"):
        read_regular(victim, limit=5)


# --------------------------------------------------------------------------- where files go


def test_only_the_published_files_sit_in_the_published_folder(tmp_path: pathlib.Path) -> None:
    config = seed_site(tmp_path, page=True)
    with origin() as server:
        server.answer = lambda h: h.reply(200, SEED_TOML.read_bytes(), {"ETag": '"1"'})
        write_config(
            tmp_path,
            [
                {
                    "name": "OEWG",
                    "output": "public/oewg.ics",
                    "source": server.url("/programme.toml"),
                    "page": True,
                }
            ],
        )
        assert refresh(config, now=clock).ok
        assert refresh(config, now=clock).ok  # the second run uses the cache
    public = tmp_path / "public"
    assert sorted(p.name for p in public.iterdir()) == ["index.html", "oewg.html", "oewg.ics"]
    state = load_config(config).state_folder
    assert state == pathlib.Path(os.environ["XDG_STATE_HOME"]) / "oewg-cal"
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    kinds = sorted(p.name.split(".", 3)[-1] for p in state.iterdir() if p.is_file())
    assert kinds == ["lock", "page.json", "state.json"]
    assert [p.suffix for p in (state / "cache").iterdir()].count(".body") == 1


def test_the_default_state_folder(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from oewg_cal.refresh.config import default_state_dir

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_STATE_HOME", "relative/ignored")  # the XDG spec: absolute only
    assert default_state_dir() == tmp_path / "home" / ".local" / "state" / "oewg-cal"
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert default_state_dir() == tmp_path / "xdg" / "oewg-cal"
    config = load_config(seed_site(tmp_path))
    assert config.state_dir == tmp_path / "xdg" / "oewg-cal"
    assert config.lock_for(config.feeds[0]).parent == config.state_dir
    assert config.cache_dir_for(config.feeds[0]) == config.state_dir / "cache"


def test_an_older_versions_list_of_dropped_uids_is_still_honoured(
    tmp_path: pathlib.Path,
) -> None:
    """Upgrading keeps a dropped UID retired: the ledger beside the feed is read when the
    state folder has none yet."""
    config = seed_site(tmp_path)
    assert refresh(config, now=clock).ok
    output = tmp_path / "public" / "oewg.ics"
    first = min(read_ics(output.read_bytes()).events, key=lambda e: e.meeting.sort_key)
    legacy = output.with_name(".oewg.ics.retired.json")
    legacy.write_text(json.dumps({"format": 1, "retired": {first.uid: 7}}), encoding="utf-8")
    output.unlink()  # a new first publication, as after deleting the feed
    assert refresh(config, now=clock).ok
    uids = {e.uid for e in read_ics(output.read_bytes()).events}
    assert first.uid not in uids and f"{first.uid.split('@')[0]}-r2@oewg-cal" in uids


# --------------------------------------------------------------------------- read-only, full


@contextlib.contextmanager
def _tmpfs(folder: pathlib.Path, size: str) -> Iterator[bool]:
    """A small tmpfs mounted at ``folder`` when the tests run as root; else nothing."""
    folder.mkdir()
    mounted = False
    if os.geteuid() == 0 and shutil.which("mount"):
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            capture_output=True,
            check=False,
        )
        mounted = done.returncode == 0
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def _make_read_only(folder: pathlib.Path, mounted: bool) -> Callable[[], None]:
    if mounted:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        return lambda: None
    folder.chmod(0o555)
    return lambda: folder.chmod(0o755)


def test_a_read_only_folder_leaves_the_feed_as_it_was(tmp_path: pathlib.Path) -> None:
    config = seed_site(tmp_path)
    public = tmp_path / "public"
    with _tmpfs(public, "1m") as mounted:
        if not mounted and os.geteuid() == 0:
            pytest.skip("root ignores permission bits and no tmpfs could be mounted")
        assert refresh(config, now=clock).ok
        published = (public / "oewg.ics").read_bytes()
        (tmp_path / "programme.toml").write_text(
            SEED_TOML.read_text(encoding="utf-8").replace("10:00:00", "10:30:00", 1),
            encoding="utf-8",
        )
        undo = _make_read_only(public, mounted)
        try:
            run = cli("refresh", str(config))
        finally:
            undo()
        assert run.returncode == 1 and "Traceback" not in run.stderr
        assert f"{public / 'oewg.ics'}: " in run.stderr
        assert (public / "oewg.ics").read_bytes() == published


def test_a_full_disk_leaves_the_feed_as_it_was(tmp_path: pathlib.Path) -> None:
    config = seed_site(tmp_path)
    public = tmp_path / "public"
    with _tmpfs(public, "256k") as mounted:
        if not mounted:
            pytest.skip("a full disk needs a small tmpfs, which only root can mount")
        assert refresh(config, now=clock).ok
        published = (public / "oewg.ics").read_bytes()
        filler = public / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as out:
            while True:
                out.write(b"x" * 4096)
                out.flush()
        (tmp_path / "programme.toml").write_text(
            SEED_TOML.read_text(encoding="utf-8").replace("10:00:00", "10:30:00", 1),
            encoding="utf-8",
        )
        result = refresh(config, now=lambda: T0)
        (feed,) = result.feeds
        assert not result.ok and feed.error is not None
        assert "not published, the previous file is unchanged" in feed.error
        assert "No space left on device" in feed.error
        assert (public / "oewg.ics").read_bytes() == published
        assert not [p for p in public.iterdir() if ".tmp-" in p.name]
        filler.unlink()
        assert refresh(config, now=lambda: T0).feeds[0].written


@pytest.mark.parametrize("name", ["oewg.html", "index.html"])
def test_a_link_at_a_page_is_neither_followed_nor_replaced(
    name: str, tmp_path: pathlib.Path
) -> None:
    victim = _victim(tmp_path)
    config = seed_site(tmp_path, page=True)
    page = tmp_path / "public" / name
    _plant(page, "link", victim)
    with bounded(30):
        result = refresh(config, now=clock)
    (feed,) = result.feeds
    assert feed.written
    assert any(f"{page}: is a symbolic link" in w for w in feed.warnings), feed.warnings
    assert page.is_symlink()
    _untouched(victim)


def test_stale_temporaries_of_killed_runs_are_cleaned_in_the_state_folder(
    tmp_path: pathlib.Path,
) -> None:
    config = seed_site(tmp_path)
    assert refresh(config, now=clock).ok
    state = load_config(config).state_folder
    old = time.time() - 7200
    leftovers = [state / ".oewg.ics.0123456789.state.json.tmp-abcd1234"]
    leftovers.append(state / "cache" / ".0123.body.tmp-abcd1234")
    leftovers.append(tmp_path / "public" / ".oewg.ics.tmp-abcd1234")
    for leftover in leftovers:
        leftover.parent.mkdir(parents=True, exist_ok=True)
        leftover.write_bytes(b"half")
        os.utime(leftover, (old, old))
    assert refresh(config, now=clock, force=True).ok
    assert [p for p in leftovers if p.exists()] == []
