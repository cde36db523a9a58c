"""oewg_cal: programmes of work of UN meeting sessions as calendar feeds.

The data path: document → reader → :class:`Programme` → :func:`to_ics` → feed, and back:
feed → :func:`from_ics` → :class:`Programme`.
"""

from __future__ import annotations

import os
from pathlib import Path

from oewg_cal.errors import OewgCalError
from oewg_cal.feed import Feed, FeedOptions, feed_of
from oewg_cal.ics import from_ics, read_ics, to_ics, write_ics
from oewg_cal.model import (
    AgendaEntry,
    Body,
    Footnote,
    Meeting,
    Programme,
    Reference,
    Segment,
    Series,
    SeriesKey,
    SubItem,
    series_of,
)

__version__ = "0.1.0"

__all__ = [
    "AgendaEntry",
    "Body",
    "Feed",
    "FeedOptions",
    "Footnote",
    "Meeting",
    "OewgCalError",
    "Programme",
    "Reference",
    "Segment",
    "Series",
    "SeriesKey",
    "SubItem",
    "__version__",
    "feed_of",
    "from_ics",
    "read_ics",
    "series_of",
    "to_ics",
    "write_feed",
    "write_ics",
]


def write_feed(
    programme: Programme, path: str | os.PathLike[str], options: FeedOptions | None = None
) -> bool:
    """Write the programme's feed to ``path`` atomically.

    Returns False (and leaves the file untouched) when it already held these bytes.

    The file is replaced in one step (temporary file, fsync, rename): readers of ``path``
    see the old feed or the new one, never a partial one.
    """
    from oewg_cal.publish import atomic_write

    return atomic_write(Path(path), to_ics(programme, options))
