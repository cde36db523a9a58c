"""Publishing files safely: atomic replacement and a lock between concurrent refreshes.

:func:`atomic_write` replaces a file so that a reader (or a crash) only ever sees the
old bytes or the new bytes, never a mixture, and leaves the file alone when it already
holds the new bytes.  Its temporary files are named ``.NAME.tmp-XXXXXXXX`` in the target's
directory; a process killed at the wrong moment may leave one behind, which
:func:`remove_stale_temporaries` cleans up later.

:func:`exclusive_lock` keeps two refreshes (two cron runs that overlap) from publishing at
the same time.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import pathlib
import re
import stat
import tempfile
import time
from collections.abc import Iterator

from oewg_cal.errors import PublishError

__all__ = ["DEFAULT_MODE", "atomic_write", "exclusive_lock", "remove_stale_temporaries"]

#: Permission bits of a newly published file, whatever the process umask is.
DEFAULT_MODE = 0o644

_TMP_INFIX = ".tmp-"
# tempfile.mkstemp fills in eight characters from this alphabet.
_TMP_NAME = re.compile(r"\A\..+\.tmp-[a-z0-9_]{8}\Z", re.DOTALL)

# Errors of fsync on a directory that only mean "this file system does not do that".
_DIR_FSYNC_UNSUPPORTED = frozenset({errno.EINVAL, errno.ENOTSUP, errno.EBADF})


def _holds_exactly(path: pathlib.Path, data: bytes) -> bool:
    """Whether *path* is a regular file whose content is exactly *data*."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        with path.open("rb") as existing:
            return existing.read(len(data) + 1) == data
    except OSError:
        return False


def _fsync_directory(directory: pathlib.Path) -> None:
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _DIR_FSYNC_UNSUPPORTED:
            raise
    finally:
        os.close(fd)


def atomic_write(path: pathlib.Path, data: bytes, *, mode: int | None = None) -> bool:
    """Replace the content of *path* with *data* atomically; return whether it wrote.

    If *path* already holds exactly *data*, nothing is written (its mtime and inode are
    untouched) and ``False`` is returned.  Otherwise the bytes go to a temporary file
    ``.NAME.tmp-XXXXXXXX`` in the same directory, which is flushed and fsynced, given its
    permission bits and then renamed onto *path* with :func:`os.replace`; finally the
    directory is fsynced so that the rename survives a power cut.  ``True`` is returned.

    Permission bits: *mode* if given; else those of the existing file; else
    :data:`DEFAULT_MODE` (0o644).  They are set with ``fchmod``, so the umask plays no
    part.  The existing file's owner and group are kept where the process may do so.

    On any failure the temporary file is removed, *path* keeps its previous content and
    :class:`~oewg_cal.errors.PublishError` naming *path* is raised.
    """
    path = pathlib.Path(path)
    if _holds_exactly(path, data):
        return False

    directory = path.parent
    try:
        previous: os.stat_result | None = path.stat()
    except FileNotFoundError:
        previous = None
    except OSError as exc:
        raise PublishError(f"{path}: cannot inspect the file to replace it: {exc}") from exc

    if mode is not None:
        bits = stat.S_IMODE(mode)
    elif previous is not None and stat.S_ISREG(previous.st_mode):
        bits = stat.S_IMODE(previous.st_mode)
    else:
        bits = DEFAULT_MODE

    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}{_TMP_INFIX}", dir=directory)
    except OSError as exc:
        raise PublishError(
            f"{path}: cannot create a temporary file in {directory} "
            f"(expected an existing, writable directory): {exc}"
        ) from exc

    tmp = pathlib.Path(tmp_name)
    replaced = False
    try:
        with os.fdopen(fd, "wb") as out:
            if previous is not None and (
                previous.st_uid != os.getuid() or previous.st_gid != os.getgid()
            ):
                with contextlib.suppress(OSError):
                    os.fchown(out.fileno(), previous.st_uid, previous.st_gid)
            os.fchmod(out.fileno(), bits)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
        replaced = True
        _fsync_directory(directory)
    except BaseException as exc:
        if not replaced:
            with contextlib.suppress(OSError):
                tmp.unlink()
        if not isinstance(exc, Exception):
            raise
        if replaced:
            raise PublishError(
                f"{path}: the new content is in place but the directory {directory} "
                f"could not be synced to disk: {exc}"
            ) from exc
        raise PublishError(f"{path}: not published, the previous file is unchanged: {exc}") from exc
    return True


def remove_stale_temporaries(
    directory: pathlib.Path, older_than_seconds: float
) -> list[pathlib.Path]:
    """Remove temporary files left behind by :func:`atomic_write` in *directory*.

    Only regular files named like ``.NAME.tmp-XXXXXXXX`` whose modification time is more
    than *older_than_seconds* in the past are removed (a younger one may belong to a
    write in progress).  Returns the paths removed, sorted.  A missing directory has
    nothing to clean up.
    """
    directory = pathlib.Path(directory)
    cutoff = time.time() - older_than_seconds
    removed: list[pathlib.Path] = []
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return removed
    except OSError as exc:
        raise PublishError(f"{directory}: cannot list the directory: {exc}") from exc
    for entry in entries:
        if not _TMP_NAME.match(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or info.st_mtime > cutoff:
                continue
            os.unlink(entry.path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise PublishError(
                f"{entry.path}: cannot remove a stale temporary file: {exc}"
            ) from exc
        removed.append(pathlib.Path(entry.path))
    return sorted(removed)


def _holder_pid(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (pid {text})" if text.isdigit() else ""


@contextlib.contextmanager
def exclusive_lock(path: pathlib.Path, *, timeout: float = 60.0) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the lock file *path* for the ``with`` block.

    The lock file is created if missing and never deleted (deleting it would let two
    processes lock two different files of the same name).  While the lock is held the
    file holds the holder's process id, for the error message of whoever waits.

    Waits up to *timeout* seconds for another holder to let go, then raises
    :class:`~oewg_cal.errors.PublishError`.  The lock belongs to this open of the file:
    taking it again in the same process while holding it waits like any other holder.
    The kernel releases it when the process dies, however it dies.
    """
    path = pathlib.Path(path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, DEFAULT_MODE)
    except OSError as exc:
        raise PublishError(f"{path}: cannot open the lock file: {exc}") from exc
    try:
        deadline = time.monotonic() + max(0.0, timeout)
        pause = 0.01
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise PublishError(
                        f"{path}: another refresh holds the lock{_holder_pid(fd)}; "
                        f"gave up after waiting {timeout:g} s (limit timeout)"
                    ) from None
                time.sleep(min(pause, remaining))
                pause = min(pause * 2, 0.1)
            except OSError as exc:
                raise PublishError(f"{path}: cannot lock the lock file: {exc}") from exc
        try:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
