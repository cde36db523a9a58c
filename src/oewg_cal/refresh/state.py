"""What a refresh remembers between runs, in its state folder (``state_dir``).

* The fingerprint of the last successful run (:func:`inputs_digest`, :func:`last_run`,
  :func:`remember_run`): hashes of the source bytes, of the feed's settings and
  oewg_cal's version, and of the published file, and the first moment the clock alone
  would change the feed.  A run that finds the same fingerprint has nothing to do.
* The UIDs dropped from the feed with their last SEQUENCE (:func:`read_retired`,
  :func:`write_retired`), never to be given out again.

Both are small JSON files; deleting them is always safe (the next run does the whole
work again, and a dropped UID can only come back once its session is over).  They are
read and replaced only as regular files: a symbolic link, a FIFO or a device in their
place is refused (:mod:`oewg_cal.atomic`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import pathlib
from collections.abc import Mapping, Sequence

import attrs

from oewg_cal.atomic import atomic_write, read_regular
from oewg_cal.ical.feed import Feed
from oewg_cal.refresh.config import FeedConfig
from oewg_cal.refresh.plan import clock_matters_until

__all__ = ["inputs_digest", "last_run", "read_retired", "remember_run", "write_retired"]

_STATE_FORMAT = 1
_RETIRED_FORMAT = 1
#: Larger state files are not read (ours are a few hundred bytes; the list of dropped
#: UIDs grows by about a hundred bytes per dropped event).
_MAX_STATE_BYTES = 50_000_000


def inputs_digest(feed: FeedConfig, sources: Sequence[tuple[str, bytes]]) -> str:
    """A hash of everything a run's output depends on, besides the clock and the old feed."""
    from oewg_cal import __version__

    settings = attrs.asdict(feed, recurse=False, filter=lambda a, _v: a.name != "line")
    text = json.dumps(
        {
            "version": __version__,
            "settings": settings,
            "sources": [(s, hashlib.sha256(data).hexdigest()) for s, data in sources],
        },
        sort_keys=True,
        default=lambda v: sorted(map(str, v)) if isinstance(v, frozenset) else str(v),
    )
    return hashlib.sha256(text.encode()).hexdigest()


def last_run(path: pathlib.Path, inputs: str, published: bytes, now: dt.datetime) -> int | None:
    """The live events of the last run when it had these inputs and left ``published``
    as it is, and the clock has not passed the moment it would change the feed; else None.

    Raises :class:`~oewg_cal.errors.PublishError` when something other than a regular
    file is at ``path``."""
    data = read_regular(path, limit=_MAX_STATE_BYTES)
    if data is None:
        return None
    try:
        state = json.loads(data)
    except ValueError:
        return None
    if not isinstance(state, dict) or state.get("format") != _STATE_FORMAT:
        return None
    until = state.get("until")
    live = state.get("live")
    if (
        state.get("inputs") != inputs
        or state.get("feed") != hashlib.sha256(published).hexdigest()
        or not isinstance(live, int)
        or (until is not None and not (isinstance(until, int) and now.timestamp() <= until))
    ):
        return None
    return live


def remember_run(
    path: pathlib.Path, inputs: str, data: bytes, feed: Feed, retention: dt.timedelta
) -> None:
    """Write the fingerprint of a run that published ``data`` for ``feed``."""
    until = clock_matters_until(feed, retention)
    state = {
        "format": _STATE_FORMAT,
        "inputs": inputs,
        "feed": hashlib.sha256(data).hexdigest(),
        "until": None if until is None else math.floor(until.timestamp()),
        "live": len(feed.live),
    }
    atomic_write(path, (json.dumps(state, indent=1) + "\n").encode())


def read_retired(
    path: pathlib.Path, *, legacy: pathlib.Path | None = None
) -> tuple[dict[str, int], str | None]:
    """The retired UIDs and their last SEQUENCE, and a warning when the file was unusable.

    Without a file at ``path``, the one at ``legacy`` (where an earlier version kept it)
    is read, if there is one.  Raises :class:`~oewg_cal.errors.PublishError` when
    something other than a regular file is in the place of the one read.
    """
    raw = read_regular(path, limit=_MAX_STATE_BYTES)
    if raw is None and legacy is not None:
        path, raw = legacy, read_regular(legacy, limit=_MAX_STATE_BYTES)
    if raw is None:
        return {}, None
    try:
        data = json.loads(raw)
    except ValueError as exc:
        return {}, f"{path}: ignoring the list of dropped UIDs: {exc}"
    retired = data.get("retired") if isinstance(data, dict) else None
    if (
        not isinstance(retired, dict)
        or data.get("format") != _RETIRED_FORMAT
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in retired.values())
    ):
        return {}, f"{path}: ignoring the list of dropped UIDs: unknown format"
    return dict(retired), None


def write_retired(path: pathlib.Path, retired: Mapping[str, int]) -> None:
    """Remember the retired UIDs (written before the feed that drops them)."""
    data = {"format": _RETIRED_FORMAT, "retired": dict(sorted(retired.items()))}
    atomic_write(path, (json.dumps(data, indent=1) + "\n").encode())
