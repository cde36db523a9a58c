"""VTIMEZONE definitions derived from the tz database, in the RRULE form every client reads.

Outlook shifts events by an hour on VTIMEZONEs written as RDATE lists, and ical.js and
vobject misread them, so a zone is written the way the widely used Outlook-compatible
definitions are: one STANDARD and one DAYLIGHT observance, each with a yearly RRULE
(``FREQ=YEARLY;BYMONTH=3;BYDAY=2SU``).  The rules are *derived* from :mod:`zoneinfo`
for a window of years around the instants a feed uses, split into eras where the rules
changed, and the result is checked against :mod:`zoneinfo` for every instant the feed
uses (:func:`check_definition`) with an independent evaluation through
:mod:`dateutil.rrule`.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable
from typing import NamedTuple

import attrs
from dateutil import rrule

from oewg_cal.errors import ZoneDefinitionError

__all__ = ["Observance", "ZoneDefinition", "check_definition", "zone_definition"]

_UTC = dt.timezone.utc
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_EPOCH_START = dt.datetime(1970, 1, 1)


@attrs.frozen(kw_only=True)
class Observance:
    """A STANDARD or DAYLIGHT sub-component: onset(s) in local time, offsets, optional RRULE."""

    daylight: bool
    name: str
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    start: dt.datetime  # local time of the first onset, in offset_from terms (naive)
    rule: str | None = None  # e.g. "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU" (UNTIL in UTC if any)

    def _local_rule(self) -> str:
        # RFC 5545 writes UNTIL in UTC; dateutil evaluates against the naive DTSTART.
        assert self.rule is not None

        def local(match: re.Match[str]) -> str:
            utc = dt.datetime.strptime(match.group(1), "%Y%m%dT%H%M%S")
            return f"UNTIL={utc + self.offset_from:%Y%m%dT%H%M%S}"

        return re.sub(r"UNTIL=(\d{8}T\d{6})Z", local, self.rule)

    def onsets_utc(self, until: dt.datetime) -> list[dt.datetime]:
        """Every onset up to ``until`` (aware UTC), as aware UTC datetimes."""
        first = (self.start - self.offset_from).replace(tzinfo=_UTC)
        if self.rule is None:
            return [first] if first <= until else []
        local_until = (until + self.offset_from).replace(tzinfo=None)
        occurrences = rrule.rrulestr(self._local_rule(), dtstart=self.start)
        return [
            (local - self.offset_from).replace(tzinfo=_UTC)
            for local in occurrences.between(self.start, local_until, inc=True)
        ]


@attrs.frozen(kw_only=True)
class ZoneDefinition:
    """A whole VTIMEZONE: its TZID and observances."""

    tzid: str
    observances: tuple[Observance, ...]

    def offset_at(self, instant: dt.datetime) -> dt.timedelta:
        """The UTC offset this definition gives at an aware instant."""
        when = instant.astimezone(_UTC)
        latest: tuple[dt.datetime, dt.timedelta] | None = None
        for observance in self.observances:
            onsets = observance.onsets_utc(when)
            if onsets and (latest is None or onsets[-1] > latest[0]):
                latest = (onsets[-1], observance.offset_to)
        if latest is None:
            earliest = min(self.observances, key=lambda o: o.start)
            return earliest.offset_from
        return latest[1]


class _Transition(NamedTuple):
    utc: dt.datetime
    before: dt.timedelta
    after: dt.timedelta
    daylight: bool
    name: str

    @property
    def local(self) -> dt.datetime:
        return (self.utc + self.before).replace(tzinfo=None)


def _offset(zone: zoneinfo.ZoneInfo, instant: dt.datetime) -> dt.timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


def _state(zone: zoneinfo.ZoneInfo, instant: dt.datetime) -> tuple[dt.timedelta | None, str | None]:
    local = instant.astimezone(zone)
    return local.utcoffset(), local.tzname()


def _transitions(zone: zoneinfo.ZoneInfo, first_year: int, last_year: int) -> list[_Transition]:
    """Every change of UTC offset or abbreviation, to the second, found day by day."""
    found: list[_Transition] = []
    day = dt.timedelta(days=1)
    cursor = dt.datetime(first_year, 1, 1, tzinfo=_UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=_UTC)
    current = _state(zone, cursor)
    while cursor < end:
        following = cursor + day
        if _state(zone, following) == current:
            cursor = following
            continue
        low, high = cursor, following
        while high - low > dt.timedelta(seconds=1):
            middle = low + (high - low) / 2
            if _state(zone, middle) == current:
                low = middle
            else:
                high = middle
        high = high.replace(microsecond=0)
        after_local = high.astimezone(zone)
        before = current[0]
        assert before is not None
        found.append(
            _Transition(
                utc=high,
                before=before,
                after=_offset(zone, high),
                daylight=bool(after_local.dst()),
                name=after_local.tzname() or zone.key,
            )
        )
        current = _state(zone, high)
        cursor = high
    return found


def _name(zone: zoneinfo.ZoneInfo, instant: dt.datetime) -> str:
    return instant.astimezone(zone).tzname() or ""


def _byday_candidates(local: dt.datetime) -> set[str]:
    weekday = _WEEKDAYS[local.weekday()]
    candidates = {f"{(local.day - 1) // 7 + 1}{weekday}"}
    if local.day + 7 > calendar.monthrange(local.year, local.month)[1]:
        candidates.add(f"-1{weekday}")
    return candidates


def _fmt_until(utc: dt.datetime) -> str:
    return utc.strftime("%Y%m%dT%H%M%SZ")


def _rule_eras(group: list[_Transition], window_last_year: int) -> list[Observance]:
    """Observances for transitions of one kind; consecutive years sharing a rule become one era."""
    eras: list[list[_Transition]] = []
    rules: list[str] = []
    for transition in group:
        if eras:
            era = eras[-1]
            previous = era[-1]
            same_shape = (
                transition.local.year == previous.local.year + 1
                and transition.local.month == previous.local.month
                and transition.local.time() == previous.local.time()
                and (transition.before, transition.after, transition.name)
                == (previous.before, previous.after, previous.name)
            )
            common = _common_byday([*era, transition]) if same_shape else None
            if common:
                era.append(transition)
                rules[-1] = common
                continue
        eras.append([transition])
        rules.append("")
    observances = []
    for era, byday in zip(eras, rules, strict=True):
        first = era[0]
        rule: str | None = None
        if len(era) > 1 and byday:
            rule = f"FREQ=YEARLY;BYMONTH={first.local.month};BYDAY={byday}"
            if era[-1].local.year < window_last_year:
                rule += f";UNTIL={_fmt_until(era[-1].utc)}"
        elif len(era) > 1:
            rule = f"FREQ=YEARLY;BYMONTH={first.local.month};BYMONTHDAY={first.local.day}"
        observances.append(
            Observance(
                daylight=first.daylight,
                name=first.name,
                offset_from=first.before,
                offset_to=first.after,
                start=first.local,
                rule=rule,
            )
        )
        if rule is None:
            observances.extend(
                Observance(
                    daylight=t.daylight,
                    name=t.name,
                    offset_from=t.before,
                    offset_to=t.after,
                    start=t.local,
                )
                for t in era[1:]
            )
    return observances


def _common_byday(era: list[_Transition]) -> str:
    common: set[str] | None = None
    for transition in era:
        candidates = _byday_candidates(transition.local)
        common = candidates if common is None else common & candidates
    if not common:
        return ""
    # "last Sunday" reads better, and stays right in years with five Sundays
    return sorted(common, key=lambda c: (not c.startswith("-1"), c))[0]


def zone_definition(tzid: str, first_year: int, last_year: int) -> ZoneDefinition:
    """Derive a VTIMEZONE for ``tzid`` that is right from ``first_year`` to ``last_year``.

    The rules are read from a window two years wider on each side, so that a rule such as
    "last Sunday" is told apart from "fourth Sunday" and stays right for clients that
    show neighbouring years.
    """
    zone = zoneinfo.ZoneInfo(tzid)
    low, high = first_year - 2, last_year + 2
    transitions = _transitions(zone, low, high)
    if not transitions:
        start = dt.datetime(low, 1, 1, tzinfo=_UTC)
        offset = _offset(zone, start)
        return ZoneDefinition(
            tzid=tzid,
            observances=(
                Observance(
                    daylight=False,
                    name=_name(zone, start),
                    offset_from=offset,
                    offset_to=offset,
                    start=_EPOCH_START,
                ),
            ),
        )
    observances: list[Observance] = []
    for daylight in (True, False):
        group = [t for t in transitions if t.daylight == daylight]
        observances.extend(_rule_eras(group, high))
    observances.sort(key=lambda o: (o.start, o.daylight))
    return ZoneDefinition(tzid=tzid, observances=tuple(observances))


def check_definition(definition: ZoneDefinition, instants: Iterable[dt.datetime]) -> None:
    """Raise :class:`ZoneDefinitionError` where the definition disagrees with zoneinfo."""
    wanted = sorted({i.astimezone(_UTC) for i in instants})
    if not wanted:
        return
    onsets = sorted(
        (onset, observance.offset_to)
        for observance in definition.observances
        for onset in observance.onsets_utc(wanted[-1])
    )
    earliest = min(definition.observances, key=lambda o: o.start).offset_from
    moments = [onset for onset, _ in onsets]
    zone = zoneinfo.ZoneInfo(definition.tzid)
    for instant in wanted:
        index = bisect.bisect_right(moments, instant)
        got = onsets[index - 1][1] if index else earliest
        expected = _offset(zone, instant)
        if got != expected:
            raise ZoneDefinitionError(
                f"derived VTIMEZONE for {definition.tzid} gives UTC offset {got} at "
                f"{instant:%Y-%m-%d %H:%M} UTC; the tz database says {expected}"
            )
