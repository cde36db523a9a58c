"""A pause of Python's cyclic garbage collector around work that builds large object graphs.

Reading a programme, and encoding or decoding a feed, make a graph of objects that all stay
alive until the end.  With the collector running, each full collection walks that whole
graph again, so that ten times the meetings took thirteen times as long.  Reference
counting still frees whatever is dropped during the pause; only cycles wait for its end.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["paused_collector"]


class _Pause:
    """One pause shared by nested and concurrent callers; the last one out ends it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._was_enabled = False

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and self._was_enabled:
                    gc.enable()


#: ``with paused_collector(): ...`` runs the block without cyclic collections; a collector
#: the caller had disabled stays disabled afterwards.
paused_collector = _Pause()
