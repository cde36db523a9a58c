"""Regular expressions compiled when first used.

Python compiles a pattern in Python code, at 0.05–1 ms each, and the readers hold about a
hundred of them, most of which a given document never needs (the PDF furniture of a
text table, the TOML scanner of a JSON file).  Compiled at import they made up a tenth of
``oewg-cal build``'s start.  :func:`lazy` returns an object that stands for the compiled
pattern and compiles it on the first use of any of its methods; from then on the methods
are the compiled pattern's own, so a lazy pattern costs nothing more once used.
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, cast

__all__ = ["lazy"]

_ATTRIBUTES = (
    "search",
    "match",
    "fullmatch",
    "sub",
    "subn",
    "split",
    "findall",
    "finditer",
    "scanner",
    "flags",
    "groups",
    "groupindex",
)


class _LazyPattern:
    """Holds a pattern's source until one of its compiled attributes is asked for."""

    def __init__(self, pattern: str | bytes, flags: int) -> None:
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # Reached only for attributes not yet set: the first use compiles and copies the
        # compiled pattern's bound methods onto this object.
        if name.startswith("__") or name not in _ATTRIBUTES:
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self._flags)
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {self._flags})"


def lazy(pattern: AnyStr, flags: int | re.RegexFlag = 0) -> re.Pattern[AnyStr]:
    """Return *pattern* as a :class:`re.Pattern` that is compiled when first used.

    Only the pattern's source (``.pattern``) is available without compiling it.
    """
    return cast("re.Pattern[AnyStr]", _LazyPattern(pattern, int(flags)))
