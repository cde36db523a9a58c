"""jCal (RFC 7265): the calendar :mod:`oewg_cal.ical.encode` writes, as JSON for web front ends."""

from __future__ import annotations

import json
from typing import Any

import icalendar

from oewg_cal.ical.decode import unescape_text
from oewg_cal.ical.encode import write_ics
from oewg_cal.ical.feed import Feed

__all__ = ["write_jcal"]


def _fix_unknown_text(component: list[Any]) -> None:
    # icalendar keeps X- property values as written; in jCal a TEXT value is unescaped.
    for prop in component[1]:
        if prop[0].startswith("x-") and prop[2] in ("unknown", "text"):
            prop[2] = "text"
            prop[3:] = [unescape_text(v) if isinstance(v, str) else v for v in prop[3:]]
    for sub in component[2]:
        _fix_unknown_text(sub)


def write_jcal(feed: Feed) -> str:
    """The feed as a jCal document: the same components and properties as :func:`write_ics`."""
    calendar = icalendar.Calendar.from_ical(write_ics(feed))
    data = calendar.to_jcal()
    _fix_unknown_text(data)
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
