"""Reading feeds independently of oewg_cal, and the checks every written feed must pass.

Content lines are unfolded and TEXT values unescaped here as RFC 5545 says; times are
checked against the feed's own VTIMEZONE, evaluated with :mod:`dateutil.rrule` and with
icalendar's ``Timezone.to_tz()``, never with oewg_cal's own zone code.
"""

from __future__ import annotations

import bisect
import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Iterable
from typing import Any

import icalendar
from dateutil import rrule

from oewg_cal import AgendaEntry, Meeting, Programme, series_of
from oewg_cal.ical.feed import derived_uids, programme_id

UTC = dt.timezone.utc


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def content_lines(data: bytes) -> list[str]:
    """Unfolded content lines (RFC 5545 3.1)."""
    return data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def unescape(value: str) -> str:
    """RFC 5545 3.3.11 TEXT unescaping, written out here."""
    out = []
    chars = iter(value)
    for char in chars:
        if char != "\\":
            assert char not in ",;", f"unescaped {char!r} in a TEXT value: {value!r}"
            out.append(char)
            continue
        escaped = next(chars)
        out.append({"n": "\n", "N": "\n"}.get(escaped, escaped))
        assert escaped in "nN,;\\", f"unknown escape \\{escaped}"
    return "".join(out)


def raw_values(data: bytes, name: str) -> list[str]:
    """Values (after the colon) of every content line named ``name`` (no parameters)."""
    prefix = name + ":"
    return [line[len(prefix) :] for line in content_lines(data) if line.startswith(prefix)]


def _offset(text: str) -> dt.timedelta:
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[3:5])
    seconds = int(text[5:7]) if len(text) > 5 else 0
    return sign * dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)


_HORIZON = dt.datetime(2040, 1, 1)  # the strategies' sessions end by 2034


class VTimezone:
    """A VTIMEZONE read from its content lines and evaluated with dateutil.rrule."""

    def __init__(self, lines: list[str]) -> None:
        self.tzid = ""
        self.observances: list[dict[str, Any]] = []
        current: dict[str, Any] | None = None
        for line in lines:
            if line in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"):
                current = {"kind": line[6:], "rrule": None, "other": []}
            elif line in ("END:STANDARD", "END:DAYLIGHT"):
                assert current is not None
                self.observances.append(current)
                current = None
            elif line.startswith("TZID:"):
                self.tzid = line[5:]
            elif current is not None:
                name, _, value = line.partition(":")
                if name == "DTSTART":
                    current["start"] = dt.datetime.strptime(value, "%Y%m%dT%H%M%S")
                elif name == "TZOFFSETFROM":
                    current["from"] = _offset(value)
                elif name == "TZOFFSETTO":
                    current["to"] = _offset(value)
                elif name == "RRULE":
                    current["rrule"] = value
                else:
                    current["other"].append(name)
        self._onsets: list[tuple[dt.datetime, dt.timedelta]] | None = None

    def onsets(self) -> list[tuple[dt.datetime, dt.timedelta]]:
        """(UTC onset, offset after) of every observance up to the horizon, sorted."""
        if self._onsets is None:
            found = []
            for obs in self.observances:
                if obs["rrule"] is None:
                    locals_ = [obs["start"]]
                    until = None
                else:
                    parts = dict(p.split("=", 1) for p in obs["rrule"].split(";"))
                    until_text = parts.pop("UNTIL", None)
                    until = (
                        dt.datetime.strptime(until_text, "%Y%m%dT%H%M%SZ") if until_text else None
                    )
                    rule = ";".join(f"{k}={v}" for k, v in parts.items())
                    locals_ = rrule.rrulestr(rule, dtstart=obs["start"]).between(
                        obs["start"], _HORIZON, inc=True
                    )
                for local in locals_:
                    utc = local - obs["from"]  # local time of the onset, in offset_from terms
                    if until is None or utc <= until:
                        found.append((utc, obs["to"]))
            self._onsets = sorted(found)
        return self._onsets

    def offset_at(self, utc: dt.datetime) -> dt.timedelta:
        onsets = self.onsets()
        index = bisect.bisect_right(onsets, (utc, dt.timedelta.max))
        if index:
            return onsets[index - 1][1]
        return min(self.observances, key=lambda o: o["start"])["from"]

    def to_utc(self, local: dt.datetime) -> dt.datetime:
        """The one UTC instant this local time names (it must be neither in a gap nor a fold)."""
        assert local.year < _HORIZON.year - 1
        offsets = {o["to"] for o in self.observances} | {o["from"] for o in self.observances}
        found = {local - o for o in offsets if self.offset_at(local - o) == o}
        assert len(found) == 1, f"{local} names {len(found)} instants in {self.tzid}"
        return found.pop().replace(tzinfo=UTC)


def vtimezones(data: bytes) -> dict[str, VTimezone]:
    zones: dict[str, VTimezone] = {}
    block: list[str] | None = None
    for line in content_lines(data):
        if line == "BEGIN:VTIMEZONE":
            block = []
        elif line == "END:VTIMEZONE":
            assert block is not None
            zone = VTimezone(block)
            zones[zone.tzid] = zone
            block = None
        elif block is not None:
            block.append(line)
    return zones


def expected_utc(day: dt.date, when: dt.time, timezone: str) -> dt.datetime:
    return dt.datetime.combine(day, when, tzinfo=zoneinfo.ZoneInfo(timezone)).astimezone(UTC)


def events_of(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def local_of(prop: Any) -> dt.datetime:
    value = prop.dt
    assert isinstance(value, dt.datetime)
    return value.replace(tzinfo=None)


Span = tuple["dt.date | dt.datetime", "dt.date | dt.datetime | None"]


def span_of(meeting: Meeting) -> Span:
    """Where a meeting should stand in a calendar, worked out from the model by hand:
    a day without a time from its date to the next (VALUE=DATE), a deadline at its start
    without an end, an overnight meeting to its end on the next day."""
    if meeting.start is None:
        return meeting.date, meeting.date + dt.timedelta(days=1)
    start = dt.datetime.combine(meeting.date, meeting.start)
    if meeting.end is None:
        return start, None
    after = 1 if meeting.overnight else 0
    return start, dt.datetime.combine(meeting.date + dt.timedelta(days=after), meeting.end)


def span_in(event: icalendar.Event) -> Span:
    """An event's DTSTART and DTEND (None without one), local times without their zone."""

    def local(value: Any) -> dt.date | dt.datetime:
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        assert isinstance(value, dt.date)
        return value

    end = event.get("DTEND")
    return local(event["DTSTART"].dt), None if end is None else local(end.dt)


def values_of(component: icalendar.cal.component.Component, name: str) -> list[Any]:
    found = component.get(name)
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


def related(component: icalendar.Event, reltype: str) -> set[str]:
    return {
        str(v) for v in values_of(component, "RELATED-TO") if v.params.get("RELTYPE") == reltype
    }


def check_form(data: bytes) -> icalendar.Calendar:
    """CRLF everywhere, ≤ 75 octets a line, folds on UTF-8 boundaries, icalendar parses it."""
    assert b"\n" not in data.replace(b"\r\n", b"") and b"\r" not in data.replace(b"\r\n", b"")
    for number, line in enumerate(physical_lines(data), 1):
        assert len(line) <= 75, f"line {number} has {len(line)} octets"
        line.decode("utf-8")  # a fold never splits a UTF-8 sequence
        assert line, f"line {number} is empty"
        if line.startswith(b" "):
            assert number > 1
    calendar = icalendar.Calendar.from_ical(data)
    assert isinstance(calendar, icalendar.Calendar)
    return calendar


def check_times(
    data: bytes,
    calendar: icalendar.Calendar,
    programme: Programme,
    meetings: Iterable[Meeting] | None = None,
) -> None:
    """DTSTART/DTEND: local to the programme's zone, right in UTC by the feed's VTIMEZONE.

    The programme's events must be those of ``meetings`` (its own meetings by default).
    """
    zone = vtimezones(data)[programme.timezone]
    (component,) = [c for c in calendar.walk("VTIMEZONE") if c["TZID"] == programme.timezone]
    # icalendar (dateutil's tzical) reading the written component, not the tz database
    tz = component.to_tz(lookup_tzid=False)
    expected = Counter(span_of(m) for m in (programme.meetings if meetings is None else meetings))
    found: Counter[Span] = Counter()
    for event in calendar.walk("VEVENT"):
        if str(event["X-OEWG-PROGRAMME"]) != programme_id(programme):
            continue
        found[span_in(event)] += 1
        if not isinstance(event["DTSTART"].dt, dt.datetime):  # a day without a time
            assert (
                event["DTSTART"].params.get("VALUE") == "DATE"
                and "TZID" not in event["DTSTART"].params
            )
            continue
        timed = [event["DTSTART"]] + ([event["DTEND"]] if "DTEND" in event else [])
        for prop in timed:
            local = local_of(prop)
            assert prop.params["TZID"] == programme.timezone
            want = expected_utc(local.date(), local.time(), programme.timezone)
            assert zone.to_utc(local) == want, (local, programme.timezone)
            assert local.replace(tzinfo=tz).astimezone(UTC) == want, (local, programme.timezone)
    assert found == expected


def _has_dst(timezone: str, years: Iterable[int]) -> bool:
    zone = zoneinfo.ZoneInfo(timezone)
    return any(
        dt.datetime(year, month, 15, 12, tzinfo=zone).dst()
        for year in years
        for month in range(1, 13)
    )


def check_vtimezones(data: bytes, timezones_years: dict[str, set[int]]) -> None:
    """One STANDARD and one DAYLIGHT with a yearly RRULE (one STANDARD without daylight time)."""
    zones = vtimezones(data)
    assert set(zones) == set(timezones_years)
    for tzid, zone in zones.items():
        for obs in zone.observances:
            assert "RDATE" not in obs["other"] and "COMMENT" not in obs["other"]
            assert obs["from"] is not None and obs["to"] is not None
        kinds = sorted(o["kind"] for o in zone.observances)
        years = timezones_years[tzid]
        if not _has_dst(tzid, range(min(years) - 2, max(years) + 3)):
            assert kinds == ["STANDARD"], tzid
            assert zone.observances[0]["rrule"] is None
            assert zone.observances[0]["from"] == zone.observances[0]["to"]
        elif tzid == "America/Santiago":
            # Chile switches on the first Sunday *on or after the 2nd* of April and
            # September: no n-th-weekday rule, so years where it is the 8th are eras of
            # their own (single onsets without RRULE, never RDATE).
            assert {"STANDARD", "DAYLIGHT"} <= set(kinds)
        else:
            assert kinds == ["DAYLIGHT", "STANDARD"], (tzid, kinds)
            assert all(o["rrule"] for o in zone.observances), tzid
            for obs in zone.observances:
                assert "FREQ=YEARLY" in obs["rrule"] and "UNTIL" not in obs["rrule"]
    lines = content_lines(data)
    assert not [line for line in lines if line.startswith(("RDATE", "COMMENT"))]


def years_of(programme: Programme) -> set[int]:
    return {m.date.year for m in programme.meetings} | {programme.first_day.year}


def check_series(events: dict[str, icalendar.Event], programme: Programme) -> None:
    """REFID groups are the series, in order; RELATED-TO;RELTYPE=FIRST names a first."""
    uid_of = dict(derived_uids(programme))
    for meeting, uid in uid_of.items():  # the UIDs name the meetings they should
        assert span_in(events[uid]) == span_of(meeting)
    groups: dict[str, list[str]] = {}
    for uid, event in events.items():
        for ref in values_of(event, "REFID"):
            groups.setdefault(str(ref), []).append(uid)
    series = series_of(programme)
    uid_order = {uid: n for n, uid in enumerate(uid_of[m] for m in programme.meetings)}
    wanted = sorted(tuple(uid_of[m] for m in s.meetings) for s in series)
    chronological = sorted(
        tuple(sorted(group, key=lambda u: uid_order[u])) for group in groups.values()
    )
    assert chronological == wanted
    # RELATED-TO runs along one series per event (tests/test_ical_encode.py has the
    # rule in full): at most one FIRST, the first meeting of a series the event continues
    first_of: dict[str, set[str]] = {uid: set() for uid in events}
    for s in series:
        for meeting in s.continuations:
            first_of[uid_of[meeting]].add(uid_of[s.first])
    for uid, event in events.items():
        assert len(related(event, "FIRST")) <= 1
        assert related(event, "FIRST") <= first_of[uid]


def _texts_of(entry: AgendaEntry) -> list[str]:
    found = [entry.label, *entry.speakers] if entry.segment is not None else []
    if entry.sub_item is not None:
        found.append(entry.sub_item.text)
    if entry.title:
        found.append(entry.title)
    return found  # the speakers of an item without a segment are left out: see below


def check_texts(data: bytes, events: dict[str, icalendar.Event], programme: Programme) -> None:
    """SUMMARY and DESCRIPTION: escaped as RFC 5545 says, and hold the texts as written."""
    summaries = raw_values(data, "SUMMARY")
    descriptions = raw_values(data, "DESCRIPTION")[1:]  # the first is the calendar's
    assert [str(e["SUMMARY"]) for e in events.values()] == [unescape(s) for s in summaries]
    assert [str(e["DESCRIPTION"]) for e in events.values()] == [unescape(d) for d in descriptions]
    for meeting, uid in derived_uids(programme).items():
        summary = str(events[uid]["SUMMARY"])
        description = str(events[uid]["DESCRIPTION"])
        # SUMMARY names the first entry (tests/test_text.py has the rule in full)
        first = meeting.entries[0]
        if first.reference:
            assert f"Item {first.reference}" in summary
        for entry in meeting.entries:
            for text in _texts_of(entry):
                assert text in description  # as written: newlines, commas, backslashes
            for mark in entry.footnotes:
                assert f"[{mark}] {programme.footnote(mark).text}" in description
