"""oewg_cal: programmes of work of UN meeting sessions as calendar feeds.

The data path: document → reader → :class:`Programme` → :func:`to_ics` → feed, and back:
feed → :func:`from_ics` → :class:`Programme`.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from oewg_cal.errors import OewgCalError
    from oewg_cal.ical.decode import from_ics, read_ics
    from oewg_cal.ical.encode import to_ics, write_ics
    from oewg_cal.ical.feed import Feed, FeedOptions, feed_of
    from oewg_cal.model import (
        AgendaEntry,
        Body,
        FollowedBy,
        Footnote,
        Kind,
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

# The public names are imported on first use (PEP 562), so that the command line starts
# quickly; these are the modules they come from.
_HOMES = (
    "oewg_cal.errors",
    "oewg_cal.model",
    "oewg_cal.ical.feed",
    "oewg_cal.ical.encode",
    "oewg_cal.ical.decode",
)

__all__ = [
    "AgendaEntry",
    "Body",
    "Feed",
    "FeedOptions",
    "FollowedBy",
    "Footnote",
    "Kind",
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


def __getattr__(name: str) -> Any:
    if name in __all__:
        for home in _HOMES:
            module = importlib.import_module(home)
            if hasattr(module, name):
                value = getattr(module, name)
                globals()[name] = value
                return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def write_feed(
    programme: Programme, path: str | os.PathLike[str], options: FeedOptions | None = None
) -> bool:
    """Write the programme's feed to ``path`` atomically.

    Returns False (and leaves the file untouched) when it already held these bytes.

    The file is replaced in one step (temporary file, fsync, rename): readers of ``path``
    see the old feed or the new one, never a partial one.
    """
    from oewg_cal.atomic import atomic_write
    from oewg_cal.ical.encode import to_ics

    return atomic_write(Path(path), to_ics(programme, options))
