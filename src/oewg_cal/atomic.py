"""Publishing files safely: atomic replacement and a lock between concurrent refreshes.

:func:`atomic_write` replaces a file so that a reader (or a crash) only ever sees the
old bytes or the new bytes, never a mixture, and leaves the file alone when it already
holds the new bytes.  Its temporary files are named ``.NAME.tmp-XXXXXXXX`` in the target's
directory; a process killed at the wrong moment may leave one behind, which
:func:`remove_stale_temporaries` cleans up later.

:func:`exclusive_lock` keeps two refreshes (two cron runs that overlap) from publishing at
the same time.

None of them follows a symbolic link at the path it is given, or opens a FIFO or a
device there: :func:`read_regular` reads, :func:`atomic_write` replaces and
:func:`exclusive_lock` opens only regular files (a link planted at a lock, state or
output path would otherwise let whoever planted it truncate, replace or read a file of
the user running the refresh, and a FIFO would make the run hang).  The folders on the
way are followed as usual: only the last component is refused.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import pathlib
import re
import stat
import time
from collections.abc import Iterator

from oewg_cal._lazy_re import lazy
from oewg_cal.errors import FetchError, PublishError

__all__ = [
    "DEFAULT_MODE",
    "atomic_write",
    "exclusive_lock",
    "read_regular",
    "read_source",
    "remove_stale_temporaries",
]

#: Permission bits of a newly published file, whatever the process umask is.
DEFAULT_MODE = 0o644

_TMP_INFIX = ".tmp-"
# Eight characters follow the infix: tempfile.mkstemp's alphabet (earlier versions used it),
# of which _temporary_file uses the hexadecimal digits.
_TMP_NAME = lazy(r"\A\..+\.tmp-[a-z0-9_]{8}\Z", re.DOTALL)

# Errors of fsync on a directory that only mean "this file system does not do that".
_DIR_FSYNC_UNSUPPORTED = frozenset({errno.EINVAL, errno.ENOTSUP, errno.EBADF})


# Opened without following a symbolic link at the last component (ELOOP instead), and
# without waiting for a writer when a FIFO was put there after the lstat.
_NO_FOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, for a message."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refused(path: pathlib.Path, mode: int, doing: str) -> PublishError:
    if stat.S_ISLNK(mode):
        return PublishError(
            f"{path}: is a symbolic link; not {doing} (oewg-cal never follows or replaces a "
            "link it did not create: remove the link, or point the setting at the real file)"
        )
    return PublishError(f"{path}: is {_kind(mode)}, not a regular file; not {doing}")


def _lstat(path: pathlib.Path, doing: str) -> os.stat_result | None:
    """The file's own status (a link's, not its target's); None when there is none."""
    try:
        return os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise PublishError(f"{path}: cannot inspect the file: {exc.strerror or exc}") from exc


def _open_regular(
    path: pathlib.Path, flags: int, doing: str, what: str = "the file", mode: int = 0o600
) -> int | None:
    """A descriptor of the regular file at *path* opened with *flags* (never through a
    link, never a FIFO or device); None when it is missing and *flags* do not create it."""
    info = _lstat(path, doing)
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise _refused(path, info.st_mode, doing)
    try:
        fd = os.open(path, flags | _NO_FOLLOW, mode)
    except (FileNotFoundError, NotADirectoryError):
        if flags & os.O_CREAT:
            raise PublishError(f"{path}: cannot open {what}: its folder does not exist") from None
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link put there after the lstat
            raise _refused(path, stat.S_IFLNK, doing) from exc
        raise PublishError(f"{path}: cannot open {what}: {exc.strerror or exc}") from exc
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise _refused(path, opened.st_mode, doing)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: pathlib.Path, *, limit: int | None = None) -> bytes | None:
    """The bytes of the regular file at *path*, or ``None`` when there is no file.

    A symbolic link, a FIFO, a device or a directory at *path* is refused with a
    :class:`~oewg_cal.errors.PublishError` naming it, without opening what it points to
    or waiting on it; so is a file that cannot be read, or one larger than *limit*
    bytes.
    """
    path = pathlib.Path(path)
    fd = _open_regular(path, os.O_RDONLY, "read")
    if fd is None:
        return None
    try:
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if limit is not None and size > limit:
                raise PublishError(f"{path}: larger than {limit} bytes; not read")
        return b"".join(chunks)
    except OSError as exc:
        raise PublishError(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


def read_source(path: pathlib.Path, max_bytes: int) -> bytes:
    """The bytes of a local source (a document or feed to read), at most *max_bytes*.

    Reads at most ``max_bytes + 1`` bytes, so that a device or a huge file (say
    ``/dev/zero``) is refused with a :class:`~oewg_cal.errors.FetchError` instead of
    filling the memory.  :class:`OSError` (a missing file, no permission) is left to the
    caller.  Only the standard library is used: reading a local document does not load
    the HTTP layer.
    """
    with path.open("rb") as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FetchError(f"{path}: larger than {max_bytes} bytes (limit max_bytes)")
    return data


def _holds_exactly(path: pathlib.Path, info: os.stat_result | None, data: bytes) -> bool:
    """Whether *path* (whose lstat is *info*) is a regular file holding exactly *data*."""
    if info is None or not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
        return False
    try:
        return read_regular(path, limit=len(data)) == data
    except PublishError:
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

    Only a regular file is replaced: a symbolic link at *path* (or a FIFO, a device, a
    directory) is refused, neither followed nor replaced.

    On any failure the temporary file is removed, *path* keeps its previous content and
    :class:`~oewg_cal.errors.PublishError` naming *path* is raised.
    """
    path = pathlib.Path(path)
    previous = _lstat(path, "replaced")
    if previous is not None and not stat.S_ISREG(previous.st_mode):
        raise _refused(path, previous.st_mode, "replaced")
    if _holds_exactly(path, previous, data):
        return False

    directory = path.parent

    if mode is not None:
        bits = stat.S_IMODE(mode)
    elif previous is not None:
        bits = stat.S_IMODE(previous.st_mode)
    else:
        bits = DEFAULT_MODE

    try:
        fd, tmp_name = _temporary_file(directory, f".{path.name}{_TMP_INFIX}")
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


def _temporary_file(directory: pathlib.Path, prefix: str) -> tuple[int, str]:
    # What tempfile.mkstemp does (a new file only its owner may read, under a name no one
    # holds), without the import of tempfile, shutil and random on every build's start.
    for _ in range(100):
        name = os.path.join(directory, prefix + os.urandom(4).hex())
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary file name", str(directory))


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
    processes lock two different files of the same name).  It is never opened through a
    symbolic link, and a FIFO, device or hard-linked file at *path* is refused, since
    the holder writes its process id into the file.  While the lock is held the
    file holds the holder's process id, for the error message of whoever waits.

    Waits up to *timeout* seconds for another holder to let go, then raises
    :class:`~oewg_cal.errors.PublishError`.  The lock belongs to this open of the file:
    taking it again in the same process while holding it waits like any other holder.
    The kernel releases it when the process dies, however it dies.
    """
    path = pathlib.Path(path)
    flags = os.O_RDWR | os.O_CREAT
    fd = _open_regular(path, flags, "used as a lock", "the lock file", DEFAULT_MODE)
    assert fd is not None
    try:
        links = os.fstat(fd).st_nlink
        if links != 1:  # a hard link to a file of the user's: its content would be lost
            raise PublishError(
                f"{path}: the lock file has {links} names (hard links); not used as a lock "
                "(remove it: a new one is made)"
            )
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
