"""A publication linter for iCalendar feeds (RFC 5545), working on the raw bytes.

:func:`lint` reads the content lines itself instead of going through a calendar
library, because the problems it is after are exactly the ones a lenient parser
hides: bare line feeds, lines folded in the middle of a UTF-8 character, floating
times that Google reads as UTC, time zones that Outlook shifts by an hour, and so on.
It does not depend on the rest of :mod:`oewg_cal`, so it can check any ``.ics``
file before it is published.

Every finding has a stable ``code`` and a fixed severity, listed in :data:`CHECKS`.
Line numbers are 1-based physical lines of the file; a line ends at CRLF, at a bare
LF or at a bare CR (as most parsers split them); ``0`` means the whole file.
"""

from __future__ import annotations

import bisect
import enum
import json
import re
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from oewg_cal._lazy_re import lazy
from oewg_cal.ical.limits import MAX_FEED_BYTES, MAX_LINE_OCTETS

if TYPE_CHECKING:
    from dateutil.rrule import rrule

__all__ = [
    "CHECKS",
    "MAX_FEED_BYTES",
    "MAX_LINE_OCTETS",
    "Finding",
    "Severity",
    "findings_to_json",
    "format_findings",
    "has_errors",
    "lint",
]


class Severity(enum.Enum):
    """How bad a finding is: an ERROR must be fixed before publishing."""

    ERROR = "error"
    WARNING = "warning"


@attrs.frozen
class Finding:
    """One problem found in a feed.

    ``line`` is the 1-based physical line number in the file (``0`` for a finding
    about the whole file), ``code`` a short stable identifier (see :data:`CHECKS`).
    """

    line: int
    severity: Severity
    code: str
    message: str


_E = Severity.ERROR
_W = Severity.WARNING

#: Every finding code, with its severity and a one-line summary of the check.
CHECKS: Mapping[str, tuple[Severity, str]] = {
    "crlf": (_E, "a line ends with a bare LF or CR, or the last line has no line break"),
    "fold-length": (_E, "a physical line is longer than 75 octets (excluding CRLF)"),
    "fold-utf8": (_E, "a line is folded in the middle of a UTF-8 multi-byte character"),
    "not-utf8": (_E, "the data is not valid UTF-8"),
    "not-icalendar": (_E, "the file is not an iCalendar file at all (a PDF, HTML, empty, ...)"),
    "bom": (_E, "the file starts with a UTF-8 byte order mark"),
    "control-char": (_E, "a content line holds a control character other than HTAB"),
    "bad-line": (_E, "a line is not a content line (empty, no ':', bad name or parameter)"),
    "bad-structure": (_E, "BEGIN/END do not nest properly, or not exactly one VCALENDAR"),
    "prodid-missing": (_E, "the VCALENDAR has no PRODID"),
    "version-missing": (_E, "the VCALENDAR has no VERSION:2.0"),
    "no-vtimezone": (_E, "a TZID is used but the feed has no VTIMEZONE at all"),
    "unknown-tzid": (_E, "a TZID is used that none of the feed's VTIMEZONEs defines"),
    "vtimezone-rdate": (_W, "a VTIMEZONE observance uses RDATE lists instead of an RRULE"),
    "vtimezone-tzdata": (
        _E,
        "a VTIMEZONE with an IANA TZID gives an event time another UTC offset than the tz database",
    ),
    "comment-in-vtimezone": (_E, "a COMMENT property inside a VTIMEZONE"),
    "floating-time": (_E, "a date-time with neither TZID nor a trailing Z"),
    "dtstamp-not-utc": (_E, "DTSTAMP, LAST-MODIFIED or CREATED is not a UTC date-time"),
    "bad-value": (_E, "a date, date-time or integer value that does not parse"),
    "dtstamp-missing": (_E, "a VEVENT, VTODO or VJOURNAL has no DTSTAMP"),
    "dtstart-missing": (_E, "a VEVENT has no DTSTART"),
    "dtend-not-after-dtstart": (_E, "a VEVENT's DTEND is not after its DTSTART"),
    "uid-missing": (_E, "a VEVENT, VTODO or VJOURNAL has no UID (or an empty one)"),
    "uid-duplicate": (_E, "a UID (with the same RECURRENCE-ID) is used twice"),
    "bad-escape": (_E, "a TEXT value has an unescaped ';' or an invalid backslash escape"),
    "unescaped-comma": (_E, "a SUMMARY, DESCRIPTION, LOCATION or COMMENT has an unescaped ','"),
    "related-to-unknown": (_E, "a RELATED-TO names a UID that no component of the feed has"),
    "cancelled-sequence": (_E, "a STATUS:CANCELLED component without SEQUENCE > 0"),
    "size": (_W, "the feed is larger than 1,000,000 bytes"),
}

# --- reading lines ------------------------------------------------------------------

_EOL = lazy(rb"\r\n|\r|\n")
_NAME = lazy(rb"[A-Za-z0-9-]+")
_PARAM_TEXT = lazy(rb'[^";:,]*')
_CONTROL = lazy(rb"[\x00-\x08\x0a-\x1f\x7f]")
_BOM = b"\xef\xbb\xbf"


@attrs.frozen
class _Physical:
    number: int
    content: bytes
    terminator: bytes


@attrs.define
class _Logical:
    """An unfolded content line, remembering which physical line each byte came from."""

    data: bytes
    starts: list[int]  # offset in ``data`` where each physical fragment begins
    lines: list[int]  # physical line number of each fragment
    indents: list[int]  # bytes dropped at the start of each fragment (0, or 1 for the fold)

    def line_at(self, offset: int) -> int:
        return self.lines[bisect.bisect_right(self.starts, offset) - 1]

    def column_at(self, offset: int) -> int:
        index = bisect.bisect_right(self.starts, offset) - 1
        return offset - self.starts[index] + self.indents[index] + 1

    def fragment_end(self, index: int) -> int:
        return self.starts[index + 1] if index + 1 < len(self.starts) else len(self.data)


@attrs.define
class _Property:
    name: str
    params: dict[str, list[str]]
    value: bytes
    value_offset: int
    logical: _Logical

    @property
    def line(self) -> int:
        return self.logical.lines[0]

    @property
    def text(self) -> str:
        return self.value.decode("utf-8", errors="replace")

    def param(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None

    def line_at(self, value_index: int) -> int:
        return self.logical.line_at(self.value_offset + value_index)


@attrs.define
class _Component:
    name: str
    line: int
    parent: _Component | None
    properties: list[_Property] = attrs.field(factory=list)
    children: list[_Component] = attrs.field(factory=list)

    def all(self, name: str) -> list[_Property]:
        return [prop for prop in self.properties if prop.name == name]

    def first(self, name: str) -> _Property | None:
        for prop in self.properties:
            if prop.name == name:
                return prop
        return None

    def walk(self) -> Iterator[_Component]:
        yield self
        for child in self.children:
            yield from child.walk()

    def inside(self, name: str) -> bool:
        node: _Component | None = self
        while node is not None:
            if node.name == name:
                return True
            node = node.parent
        return False


def _split_physical(data: bytes) -> list[_Physical]:
    lines: list[_Physical] = []
    pos = 0
    for match in _EOL.finditer(data):
        lines.append(_Physical(len(lines) + 1, data[pos : match.start()], match.group()))
        pos = match.end()
    if pos < len(data):
        lines.append(_Physical(len(lines) + 1, data[pos:], b""))
    return lines


def _invalid_utf8_offsets(data: bytes) -> set[int]:
    """The offsets of the bytes of ``data`` that are not part of a valid UTF-8 sequence."""
    offsets: set[int] = set()
    offset = 0
    for char in data.decode("utf-8", errors="surrogateescape"):
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, escaped
            offsets.add(offset)
            offset += 1
        else:
            offset += 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    return offsets


def _show(text: str, limit: int = 40) -> str:
    """Quote a value for a message, on one line and not too long."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


_BINARY = (
    (b"%PDF-", "it is a PDF document"),
    (b"PK\x03\x04", "it is a ZIP archive (a Word, Excel or OpenDocument file?)"),
    (b"\xd0\xcf\x11\xe0", "it is an old Microsoft Office document"),
    (b"\xff\xfe", "it is UTF-16 text (byte order mark FF FE), not UTF-8"),
    (b"\xfe\xff", "it is UTF-16 text (byte order mark FE FF), not UTF-8"),
)
_TEXT = (
    (b"<", "it looks like HTML or XML"),
    (b"{", "it looks like JSON"),
    (b"[", "it looks like JSON"),
)
_BEGIN_LINE = lazy(rb"(?:^|[\r\n])BEGIN:", re.IGNORECASE)


def _not_icalendar(data: bytes) -> str | None:
    """Why ``data`` cannot be an iCalendar file at all, or None if it may be one.

    A PDF, an office document or UTF-16 text is never one; other data may be one when
    any of its lines begins with ``BEGIN:`` (the other checks then say what is wrong).
    Anything else gets one finding, not one per line.
    """
    for magic, what in _BINARY:
        if data.startswith(magic):
            return what
    if _BEGIN_LINE.search(data.removeprefix(_BOM)) is not None:
        return None
    start = data.removeprefix(_BOM).lstrip(b" \t\r\n")
    if not start:
        return "the file is empty" if not data else "the file holds only white space"
    for magic, what in _TEXT:
        if start.startswith(magic):
            return what
    first = start[:30].split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", errors="replace")
    return f"no line begins with BEGIN:, and the first is {_show(first)}"


# --- date-time values ---------------------------------------------------------------

_DATE_TIME = lazy(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?")


@attrs.frozen
class _Moment:
    kind: str  # "date", "local" or "utc"
    value: datetime


def _parse_moment(text: str) -> _Moment | None:
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, zulu = match.groups()
    try:
        if hour is None:
            day_only = date(int(year), int(month), int(day))
            return _Moment("date", datetime(day_only.year, day_only.month, day_only.day))
        # RFC 5545 allows a leap second (60); it does not change any comparison here.
        moment = datetime(
            int(year), int(month), int(day), int(hour), int(minute), min(int(second), 59)
        )
    except ValueError:
        return None
    if int(second) > 60:
        return None
    return _Moment("utc" if zulu else "local", moment)


def _describe(prop: _Property) -> str:
    tzid = prop.param("TZID")
    return f"{prop.name};TZID={tzid}:{prop.text}" if tzid else f"{prop.name}:{prop.text}"


# --- the linter ---------------------------------------------------------------------

_TEXT_PROPERTIES = frozenset({"SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "CATEGORIES"})
_COMMA_CHECKED = frozenset({"SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT"})
_ESCAPABLE = frozenset(b"\\;,nN")
_TIME_PROPERTIES = ("DTSTART", "DTEND", "DUE", "RECURRENCE-ID", "EXDATE", "RDATE")
_UTC_PROPERTIES = ("DTSTAMP", "LAST-MODIFIED", "CREATED")
_UID_COMPONENTS = frozenset({"VEVENT", "VTODO", "VJOURNAL"})
_OBSERVANCES = frozenset({"STANDARD", "DAYLIGHT"})
_PARENTS: Mapping[str, frozenset[str]] = {
    "VEVENT": frozenset({"VCALENDAR"}),
    "VTODO": frozenset({"VCALENDAR"}),
    "VJOURNAL": frozenset({"VCALENDAR"}),
    "VFREEBUSY": frozenset({"VCALENDAR"}),
    "VTIMEZONE": frozenset({"VCALENDAR"}),
    "STANDARD": frozenset({"VTIMEZONE"}),
    "DAYLIGHT": frozenset({"VTIMEZONE"}),
    "VALARM": frozenset({"VEVENT", "VTODO"}),
}


class _Linter:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.findings: list[Finding] = []

    def add(self, line: int, code: str, message: str) -> None:
        self.findings.append(Finding(line, CHECKS[code][0], code, message))

    def run(self) -> list[Finding]:
        data = self.data
        what = _not_icalendar(data)
        if what is not None:  # one finding, not one per line of a PDF
            self.add(
                0,
                "not-icalendar",
                f"not an iCalendar file: {what}; expected a feed beginning with BEGIN:VCALENDAR",
            )
            return self.findings
        if len(data) > MAX_FEED_BYTES:
            self.add(
                0,
                "size",
                f"the feed is {len(data):,} bytes, more than {MAX_FEED_BYTES:,}; Google Calendar"
                " stops reading subscribed feeds past about 1 MB, so split it or drop old events",
            )
        physical = _split_physical(data)
        if physical and physical[0].content.startswith(_BOM):
            self.add(
                1,
                "bom",
                "the file starts with a UTF-8 byte order mark (EF BB BF); expected"
                " 'BEGIN:VCALENDAR' as the very first bytes (ical.js, vobject, Radicale and"
                " ical reject the whole file)",
            )
            first = physical[0]
            physical[0] = _Physical(first.number, first.content[len(_BOM) :], first.terminator)
        self.check_physical(physical)
        properties = [
            prop for logical in self.unfold(physical) if (prop := self.read(logical)) is not None
        ]
        calendars = self.build(properties)
        self.check_calendars(calendars)
        return sorted(self.findings, key=lambda finding: finding.line)

    # --- physical lines ---

    def check_physical(self, physical: list[_Physical]) -> None:
        for line in physical:
            if line.terminator == b"\n":
                self.add(
                    line.number,
                    "crlf",
                    "line ends with a bare LF; expected CRLF (\\r\\n) at the end of every line",
                )
            elif line.terminator == b"\r":
                self.add(
                    line.number,
                    "crlf",
                    "line ends with a bare CR; expected CRLF (\\r\\n) at the end of every line",
                )
            elif not line.terminator:
                self.add(
                    line.number,
                    "crlf",
                    "the last line has no line break; expected CRLF (\\r\\n) after every line,"
                    " the last one included",
                )
            if len(line.content) > MAX_LINE_OCTETS:
                self.add(
                    line.number,
                    "fold-length",
                    f"line is {len(line.content)} octets long (excluding CRLF); expected at most"
                    f" {MAX_LINE_OCTETS}: fold it with CRLF and a space",
                )

    def unfold(self, physical: list[_Physical]) -> Iterator[_Logical]:
        current: _Logical | None = None
        for line in physical:
            content = line.content
            if content[:1] in (b" ", b"\t"):
                if current is None:
                    self.add(
                        line.number,
                        "bad-line",
                        "line starts with white space (a folded continuation) but there is no"
                        " content line before it to continue",
                    )
                    continue
                current.starts.append(len(current.data))
                current.lines.append(line.number)
                current.indents.append(1)
                current.data += content[1:]
                continue
            if current is not None:
                yield current
                current = None
            if not content:
                self.add(
                    line.number,
                    "bad-line",
                    "empty line; expected a content line (NAME:value), blank lines are not"
                    " allowed in iCalendar",
                )
                continue
            current = _Logical(content, [0], [line.number], [0])
        if current is not None:
            yield current

    # --- content lines ---

    def check_encoding(self, logical: _Logical) -> None:
        data = logical.data
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            bad = _invalid_utf8_offsets(data)
        else:
            bad = set()
        reported: set[int] = set()
        for start in sorted(bad):
            line = logical.line_at(start)
            if line not in reported:
                reported.add(line)
                self.add(
                    line,
                    "not-utf8",
                    f"byte 0x{data[start]:02X} at column {logical.column_at(start)} is not valid"
                    " UTF-8; expected the whole feed to be encoded in UTF-8",
                )
        for index in range(1, len(logical.starts)):
            start = logical.starts[index]
            if start == logical.fragment_end(index):
                continue  # an empty continuation: the next fragment is the one to look at
            if 0x80 <= data[start] <= 0xBF and start not in bad:
                self.add(
                    logical.lines[index],
                    "fold-utf8",
                    "the fold before this line splits a UTF-8 multi-byte character (the line"
                    f" continues with byte 0x{data[start]:02X}); expected folds only between"
                    " characters",
                )
        control = _CONTROL.search(data)
        if control is not None:
            self.add(
                logical.line_at(control.start()),
                "control-char",
                f"control character 0x{data[control.start()]:02X} at column"
                f" {logical.column_at(control.start())}; expected no control characters other"
                " than HTAB (write a newline in TEXT as \\n)",
            )

    def read(self, logical: _Logical) -> _Property | None:
        self.check_encoding(logical)
        data = logical.data
        line = logical.lines[0]
        match = _NAME.match(data)
        if match is None:
            self.add(
                line,
                "bad-line",
                f"expected a property name (letters, digits, '-') at the start of the line,"
                f" found {_show(data[:20].decode('utf-8', errors='replace'))}",
            )
            return None
        name = match.group().decode("ascii").upper()
        pos = match.end()
        params: dict[str, list[str]] = {}
        while data[pos : pos + 1] == b";":
            match = _NAME.match(data, pos + 1)
            if match is None or data[match.end() : match.end() + 1] != b"=":
                self.add(
                    logical.line_at(pos),
                    "bad-line",
                    f"{name}: expected a parameter NAME=value after ';' at column"
                    f" {logical.column_at(pos)}",
                )
                return None
            param = match.group().decode("ascii").upper()
            pos = match.end() + 1
            values = params.setdefault(param, [])
            while True:
                if data[pos : pos + 1] == b'"':
                    end = data.find(b'"', pos + 1)
                    if end < 0:
                        self.add(
                            logical.line_at(pos),
                            "bad-line",
                            f"{name}: the quoted value of parameter {param} is never closed;"
                            " expected a closing '\"'",
                        )
                        return None
                    raw = data[pos + 1 : end]
                    pos = end + 1
                else:
                    text_match = _PARAM_TEXT.match(data, pos)
                    assert text_match is not None  # the pattern matches the empty string
                    raw = text_match.group()
                    pos = text_match.end()
                values.append(raw.decode("utf-8", errors="replace"))
                if data[pos : pos + 1] != b",":
                    break
                pos += 1
        if data[pos : pos + 1] != b":":
            if pos < len(data):
                found = _show(data[pos : pos + 1].decode("utf-8", errors="replace"))
                self.add(
                    logical.line_at(pos),
                    "bad-line",
                    f"{name}: expected ':' before the value at column {logical.column_at(pos)},"
                    f" found {found}"
                    + (" (quote parameter values that contain ':', ';' or ',')" if params else ""),
                )
            else:
                self.add(
                    logical.lines[-1],
                    "bad-line",
                    f"{name}: expected ':' and a value, found the end of the line",
                )
            return None
        return _Property(name, params, data[pos + 1 :], pos + 1, logical)

    # --- components ---

    def build(self, properties: list[_Property]) -> list[_Component]:
        roots: list[_Component] = []
        stack: list[_Component] = []
        for prop in properties:
            kind = prop.text.strip().upper()
            if prop.name in ("BEGIN", "END") and _NAME.fullmatch(kind.encode()) is None:
                self.add(
                    prop.line,
                    "bad-structure",
                    f"{prop.name} needs a component name, found {_show(prop.text)}",
                )
                continue
            if prop.name == "BEGIN":
                parent = stack[-1] if stack else None
                component = _Component(kind, prop.line, parent)
                (parent.children if parent else roots).append(component)
                stack.append(component)
                self.check_parent(component)
            elif prop.name == "END":
                if any(open_.name == kind for open_ in stack):
                    while stack[-1].name != kind:
                        unclosed = stack.pop()
                        self.add(
                            prop.line,
                            "bad-structure",
                            f"END:{kind} closes BEGIN:{unclosed.name} (line {unclosed.line})"
                            f" too; expected END:{unclosed.name} first",
                        )
                    stack.pop()
                elif stack:
                    self.add(
                        prop.line,
                        "bad-structure",
                        f"END:{kind} does not match the open BEGIN:{stack[-1].name}"
                        f" (line {stack[-1].line})",
                    )
                else:
                    self.add(
                        prop.line, "bad-structure", f"END:{kind} without a matching BEGIN:{kind}"
                    )
            elif stack:
                stack[-1].properties.append(prop)
            else:
                self.add(
                    prop.line,
                    "bad-structure",
                    f"property {prop.name} outside any component; expected everything between"
                    " BEGIN:VCALENDAR and END:VCALENDAR",
                )
        for unclosed in reversed(stack):
            self.add(
                unclosed.line,
                "bad-structure",
                f"BEGIN:{unclosed.name} is never closed; expected END:{unclosed.name}",
            )
        calendars = [root for root in roots if root.name == "VCALENDAR"]
        if not calendars:
            self.add(0, "bad-structure", "no VCALENDAR: expected BEGIN:VCALENDAR ... END:VCALENDAR")
        for extra in calendars[1:]:
            self.add(
                extra.line,
                "bad-structure",
                f"a second VCALENDAR (the first begins at line {calendars[0].line}); expected"
                " exactly one per feed",
            )
        return calendars

    def check_parent(self, component: _Component) -> None:
        parent = component.parent
        if component.name == "VCALENDAR":
            if parent is not None:
                self.add(
                    component.line,
                    "bad-structure",
                    f"VCALENDAR nested inside {parent.name} (line {parent.line})",
                )
            return
        if parent is None:
            self.add(
                component.line,
                "bad-structure",
                f"BEGIN:{component.name} outside any VCALENDAR",
            )
            return
        allowed = _PARENTS.get(component.name)
        if allowed is not None and parent.name not in allowed:
            self.add(
                component.line,
                "bad-structure",
                f"{component.name} inside {parent.name} (line {parent.line}); expected it inside"
                f" {' or '.join(sorted(allowed))}",
            )

    # --- checks on the component tree ---

    def check_calendars(self, calendars: list[_Component]) -> None:
        for calendar in calendars:
            self.check_calendar_properties(calendar)
        components = [node for calendar in calendars for node in calendar.walk()]
        self.check_timezones(components)
        seen_uids: dict[tuple[str, tuple[str | None, str] | None], int] = {}
        for component in components:
            in_vtimezone = component.inside("VTIMEZONE")
            for prop in component.properties:
                self.check_text(prop)
                if prop.name in _UTC_PROPERTIES:
                    self.check_utc(prop)
                elif prop.name in _TIME_PROPERTIES and not in_vtimezone:
                    self.check_times(prop)
                elif prop.name == "SEQUENCE":
                    self.check_integer(prop)
            if component.name in _UID_COMPONENTS:
                self.check_uid(component, seen_uids)
                self.check_required(component)
                self.check_cancelled(component)
            if component.name == "VEVENT":
                self.check_time_range(component)
        self.check_related(components)
        self.check_tzdata(components)

    def check_calendar_properties(self, calendar: _Component) -> None:
        prodids = calendar.all("PRODID")
        versions = calendar.all("VERSION")
        if not prodids:
            self.add(
                calendar.line,
                "prodid-missing",
                "VCALENDAR has no PRODID; expected e.g. PRODID:-//Organisation//Product//EN",
            )
        if not versions:
            self.add(
                calendar.line, "version-missing", "VCALENDAR has no VERSION; expected VERSION:2.0"
            )
        elif versions[0].text.strip() != "2.0":
            self.add(
                versions[0].line,
                "version-missing",
                f"VERSION is {_show(versions[0].text)}; expected VERSION:2.0",
            )
        for extra in (*prodids[1:], *versions[1:]):
            self.add(
                extra.line,
                "bad-structure",
                f"a second {extra.name} in the VCALENDAR; expected exactly one",
            )

    def check_timezones(self, components: list[_Component]) -> None:
        defined: dict[str, int] = {}
        used: dict[str, list[int]] = {}
        for component in components:
            if component.name == "VTIMEZONE":
                tzids = component.all("TZID")
                if not tzids:
                    self.add(component.line, "bad-structure", "VTIMEZONE without a TZID property")
                for tzid_prop in tzids[:1]:
                    tzid = tzid_prop.text
                    if tzid in defined:
                        self.add(
                            tzid_prop.line,
                            "bad-structure",
                            f"a second VTIMEZONE for TZID {_show(tzid)} (the first is at line"
                            f" {defined[tzid]})",
                        )
                    else:
                        defined[tzid] = tzid_prop.line
                if not any(child.name in _OBSERVANCES for child in component.children):
                    self.add(
                        component.line,
                        "bad-structure",
                        "VTIMEZONE without a STANDARD or DAYLIGHT sub-component",
                    )
            if component.inside("VTIMEZONE"):
                for prop in component.all("COMMENT"):
                    self.add(
                        prop.line,
                        "comment-in-vtimezone",
                        "COMMENT inside a VTIMEZONE; libical rejects the time zone, expected no"
                        " COMMENT there",
                    )
            if component.name in _OBSERVANCES and component.inside("VTIMEZONE"):
                rdates = component.all("RDATE")
                if rdates:
                    also = " alongside an RRULE" if component.first("RRULE") else ""
                    self.add(
                        rdates[0].line,
                        "vtimezone-rdate",
                        f"VTIMEZONE {component.name} uses RDATE{also}; expected a yearly RRULE"
                        " (Outlook shifts events by an hour and ical.js/vobject misread RDATE"
                        " lists)",
                    )
            for prop in component.properties:
                tzid_param = prop.param("TZID")
                if tzid_param is not None:
                    used.setdefault(tzid_param, []).append(prop.line)
        for tzid, lines in used.items():
            if tzid in defined:
                continue
            times = f" {len(lines)} times" if len(lines) > 1 else ""
            if not defined:
                self.add(
                    lines[0],
                    "no-vtimezone",
                    f"TZID={tzid} is used{times} but the feed has no VTIMEZONE; expected a"
                    f" VTIMEZONE with TZID:{tzid}",
                )
            else:
                known = ", ".join(sorted(defined))
                self.add(
                    lines[0],
                    "unknown-tzid",
                    f"TZID={tzid} is used{times} but no VTIMEZONE defines it; expected one of"
                    f" the feed's VTIMEZONEs ({known}) or a VTIMEZONE with TZID:{tzid}",
                )

    def check_text(self, prop: _Property) -> None:
        if prop.name not in _TEXT_PROPERTIES:
            return
        value_type = prop.param("VALUE")
        if value_type is not None and value_type.upper() != "TEXT":
            return
        value = prop.value
        first: dict[str, tuple[int, str]] = {}
        counts: dict[str, int] = {}

        def note(code: str, index: int, what: str) -> None:
            counts[code] = counts.get(code, 0) + 1
            first.setdefault(code, (index, what))

        index = 0
        while index < len(value):
            byte = value[index]
            if byte == 0x5C:  # backslash
                following = value[index + 1 : index + 2]
                if following and following[0] in _ESCAPABLE:
                    index += 2
                    continue
                shown = following.decode("utf-8", errors="replace")
                note(
                    "bad-escape",
                    index,
                    f"an invalid escape '\\{shown}'"
                    if following
                    else "a lone backslash at the end of the value",
                )
            elif byte == 0x3B:  # semicolon
                note("bad-escape", index, "an unescaped ';'")
            elif byte == 0x2C and prop.name in _COMMA_CHECKED:
                note("unescaped-comma", index, "an unescaped ','")
            index += 1
        if "bad-escape" in first:
            where, what = first["bad-escape"]
            more = f" ({counts['bad-escape']} problems in all)" if counts["bad-escape"] > 1 else ""
            self.add(
                prop.line_at(where),
                "bad-escape",
                f"{prop.name} has {what}{more}; in TEXT write '\\;' for ';', '\\,' for ',',"
                " '\\\\' for a backslash and '\\n' for a newline",
            )
        if "unescaped-comma" in first:
            where, _ = first["unescaped-comma"]
            count = counts["unescaped-comma"]
            self.add(
                prop.line_at(where),
                "unescaped-comma",
                f"{prop.name} has {count} unescaped ','; vobject and Radicale cut the text at"
                " the first one, expected '\\,'",
            )

    def check_utc(self, prop: _Property) -> None:
        moment = _parse_moment(prop.text)
        if moment is None or moment.kind == "date":
            self.add(
                prop.line,
                "bad-value",
                f"{prop.name} value {_show(prop.text)} is not a date-time; expected"
                " YYYYMMDDTHHMMSSZ",
            )
        elif prop.param("TZID") is not None or moment.kind != "utc":
            self.add(
                prop.line,
                "dtstamp-not-utc",
                f"{_describe(prop)} is not in UTC; expected a UTC date-time ending in Z,"
                " without TZID (e.g. 20250101T120000Z)",
            )

    def check_times(self, prop: _Property) -> None:
        value_type = (prop.param("VALUE") or "DATE-TIME").upper()
        if value_type not in ("DATE-TIME", "DATE", "PERIOD") or (
            value_type == "PERIOD" and prop.name != "RDATE"
        ):
            self.add(
                prop.line,
                "bad-value",
                f"{prop.name} cannot have VALUE={value_type}; expected DATE-TIME or DATE",
            )
            return
        tzid = prop.param("TZID")
        for item in prop.text.split(","):
            start = item.split("/", 1)[0] if value_type == "PERIOD" else item
            moment = _parse_moment(start)
            if moment is None:
                self.add(
                    prop.line,
                    "bad-value",
                    f"{prop.name} value {_show(item)} is not a valid "
                    + (
                        "date (YYYYMMDD)" if value_type == "DATE" else "date-time (YYYYMMDDTHHMMSS)"
                    ),
                )
                return
            if value_type == "DATE" and moment.kind != "date":
                self.add(
                    prop.line,
                    "bad-value",
                    f"{prop.name} has VALUE=DATE but {_show(item)} is a date-time;"
                    " expected YYYYMMDD",
                )
                return
            if value_type != "DATE" and moment.kind == "date":
                self.add(
                    prop.line,
                    "bad-value",
                    f"{prop.name} value {_show(item)} is a date but the property lacks VALUE=DATE",
                )
                return
            if moment.kind == "utc" and tzid is not None:
                self.add(
                    prop.line,
                    "bad-value",
                    f"{_describe(prop)} has both TZID and a UTC time (trailing Z); expected one"
                    " or the other",
                )
                return
            if moment.kind == "local" and tzid is None:
                self.add(
                    prop.line,
                    "floating-time",
                    f"{prop.name}:{prop.text} is a floating time (neither TZID nor a trailing Z;"
                    " Google Calendar reads it as UTC); expected TZID=<zone> or a UTC time",
                )
                return

    def check_integer(self, prop: _Property) -> None:
        if re.fullmatch(r"[+-]?\d+", prop.text) is None:
            self.add(
                prop.line,
                "bad-value",
                f"{prop.name} value {_show(prop.text)} is not an integer",
            )

    def check_uid(
        self,
        component: _Component,
        seen: dict[tuple[str, tuple[str | None, str] | None], int],
    ) -> None:
        uids = component.all("UID")
        if not uids:
            self.add(
                component.line, "uid-missing", f"{component.name} has no UID; expected exactly one"
            )
            return
        for extra in uids[1:]:
            self.add(
                extra.line,
                "uid-duplicate",
                f"a second UID in the same {component.name} (the first is at line"
                f" {uids[0].line}); expected exactly one",
            )
        uid = uids[0].text
        if not uid.strip():
            self.add(uids[0].line, "uid-missing", f"{component.name} has an empty UID")
            return
        recurrence = component.first("RECURRENCE-ID")
        instance = None if recurrence is None else (recurrence.param("TZID"), recurrence.text)
        key = (uid, instance)
        if key in seen:
            which = f" and RECURRENCE-ID {recurrence.text}" if recurrence is not None else ""
            self.add(
                uids[0].line,
                "uid-duplicate",
                f"UID {_show(uid)}{which} is already used at line {seen[key]}; expected a"
                " unique UID (components may share one only with distinct RECURRENCE-IDs)",
            )
        else:
            seen[key] = uids[0].line

    def check_required(self, component: _Component) -> None:
        if component.first("DTSTAMP") is None:
            self.add(
                component.line,
                "dtstamp-missing",
                f"{component.name} has no DTSTAMP; expected a UTC DTSTAMP (RFC 5545 requires it)",
            )
        if component.name == "VEVENT" and component.first("DTSTART") is None:
            self.add(component.line, "dtstart-missing", "VEVENT has no DTSTART")

    def check_cancelled(self, component: _Component) -> None:
        status = component.first("STATUS")
        if status is None or status.text.strip().upper() != "CANCELLED":
            return
        sequence = component.first("SEQUENCE")
        if sequence is None:
            self.add(
                status.line,
                "cancelled-sequence",
                f"{component.name} is STATUS:CANCELLED but has no SEQUENCE; expected SEQUENCE"
                " above the previously published one (clients ignore the cancellation otherwise)",
            )
            return
        text = sequence.text.strip()
        if re.fullmatch(r"[+-]?\d+", text) is not None and int(text) <= 0:
            self.add(
                status.line,
                "cancelled-sequence",
                f"{component.name} is STATUS:CANCELLED with SEQUENCE:{text} (line"
                f" {sequence.line}); expected SEQUENCE > 0, above the previously published one",
            )

    def check_time_range(self, component: _Component) -> None:
        start = component.first("DTSTART")
        end = component.first("DTEND")
        if start is None or end is None:
            return
        start_at = _parse_moment(start.text)
        end_at = _parse_moment(end.text)
        if start_at is None or end_at is None or start_at.kind != end_at.kind:
            return
        if start.param("TZID") != end.param("TZID"):
            return
        if end_at.value <= start_at.value:
            self.add(
                end.line,
                "dtend-not-after-dtstart",
                f"{_describe(end)} is not after {_describe(start)} (line {start.line});"
                " expected DTEND later than DTSTART",
            )

    def check_related(self, components: list[_Component]) -> None:
        uids = {
            _unescape(uid.text)
            for component in components
            if component.name in _UID_COMPONENTS
            for uid in component.all("UID")
        }
        for component in components:
            for prop in component.all("RELATED-TO"):
                value_type = (prop.param("VALUE") or "TEXT").upper()
                if value_type not in ("TEXT", "UID"):
                    continue  # RFC 9253: a URI names something outside the feed
                target = _unescape(prop.text)
                if target not in uids:
                    reltype = prop.param("RELTYPE")
                    name = f"RELATED-TO;RELTYPE={reltype}" if reltype else "RELATED-TO"
                    self.add(
                        prop.line,
                        "related-to-unknown",
                        f"{name} names UID {_show(target)}, which no component of the feed"
                        " has; expected the UID of an event in the feed",
                    )

    def check_tzdata(self, components: list[_Component]) -> None:
        """Each VTIMEZONE with an IANA TZID against the tz database, at every time using it."""
        zones: dict[str, _Component] = {}
        for component in components:
            tzid_prop = component.first("TZID") if component.name == "VTIMEZONE" else None
            if tzid_prop is not None:
                zones.setdefault(tzid_prop.text, component)
        uses: dict[str, list[tuple[_Property, datetime]]] = {}
        for component in components:
            if component.inside("VTIMEZONE"):
                continue
            for prop in component.properties:
                tzid = prop.param("TZID")
                if prop.name not in _TIME_PROPERTIES or tzid not in zones:
                    continue
                for item in prop.text.split(","):
                    moment = _parse_moment(item.split("/", 1)[0])
                    if moment is not None and moment.kind == "local":
                        uses.setdefault(tzid, []).append((prop, moment.value))
        for tzid, used in uses.items():
            iana = _iana_zone(tzid)
            rules = _VTimezone.read(zones[tzid]) if iana is not None else None
            table = rules.offsets(max(local for _, local in used)) if rules is not None else None
            if iana is None or table is None:
                continue  # not an IANA name, or a VTIMEZONE other checks complain about
            wrong = [
                (prop, offset, expected)
                for prop, local in used
                if (expected := _tzdata_offset(iana, local)) is not None
                and (offset := table.at(local)) != expected
            ]
            if not wrong:
                continue
            prop, offset, expected = wrong[0]
            more = f" ({len(wrong)} times in the feed)" if len(wrong) > 1 else ""
            self.add(
                prop.line,
                "vtimezone-tzdata",
                f"{_describe(prop)} is {_utc_offset(offset)} by the feed's VTIMEZONE (line"
                f" {zones[tzid].line}) but {_utc_offset(expected)} in the tz database{more};"
                " readers that use the VTIMEZONE (ical.js, vobject, libical) and readers that"
                f" use their own tz database (icalendar, ical) put the event"
                f" {_utc_offset(abs(offset - expected), sign=False)} apart; expected a"
                f" VTIMEZONE that agrees with the tz database's {tzid}",
            )


# --- VTIMEZONE against the tz database ----------------------------------------------

_OFFSET = lazy(r"([+-])(\d{2})(\d{2})(\d{2})?")
_MAX_ONSETS = 10_000  # per observance; a VTIMEZONE needs a few hundred at most
_UNTIL = lazy(r"UNTIL=(\d{8}T\d{6})Z", re.IGNORECASE)


def _unescape(text: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _utc_offset(offset: timedelta, *, sign: bool = True) -> str:
    """ "UTC−5", "UTC+5:30", or "1 hour" / "30 minutes" for a difference."""
    minutes = int(offset.total_seconds()) // 60
    if not sign:
        hours, rest = divmod(minutes, 60)
        if not rest:
            return f"{hours} hour" + ("s" if hours != 1 else "")
        return f"{minutes} minutes"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes >= 0 else '−'}{hours}" + (f":{rest:02d}" if rest else "")


def _iana_zone(tzid: str) -> zoneinfo.ZoneInfo | None:
    """The tz database's zone of that name, or None when TZID is not an IANA name."""
    try:
        return zoneinfo.ZoneInfo(tzid)
    except (KeyError, ValueError, OSError, UnicodeError):
        return None


def _tzdata_offset(zone: zoneinfo.ZoneInfo, local: datetime) -> timedelta | None:
    """The zone's UTC offset at a local time that happens exactly once (else None)."""
    early = local.replace(tzinfo=zone)
    late = local.replace(tzinfo=zone, fold=1)
    offset = early.utcoffset()
    if offset is None or offset != late.utcoffset():
        return None  # a fold or a gap: readers may differ for a good reason
    return offset


def _parse_offset(text: str) -> timedelta | None:
    match = _OFFSET.fullmatch(text.strip())
    if match is None:
        return None
    sign, hours, minutes, seconds = match.groups()
    value = timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0))
    return -value if sign == "-" else value


@attrs.frozen
class _Observance:
    start: datetime  # local wall time, in offset_from
    offset_from: timedelta
    offset_to: timedelta
    rule: rrule | None
    dates: tuple[datetime, ...]

    def onsets(self, until: datetime) -> set[datetime] | None:
        """Every onset of this observance up to a local wall time (None: too many)."""
        found = {d for d in (self.start, *self.dates) if d <= until}
        if self.rule is not None:
            for count, onset in enumerate(self.rule):
                if onset > until:
                    break
                if count >= _MAX_ONSETS:
                    return None
                found.add(onset)
        return found


def _rule(text: str, start: datetime, offset_from: timedelta) -> rrule | None:
    """An observance's RRULE as dateutil reads it, or None if it does not read."""
    from dateutil.rrule import rrule, rrulestr  # only feeds with a VTIMEZONE pay for it

    def until(match: re.Match[str]) -> str:
        # UNTIL is UTC in a VTIMEZONE; dateutil wants it as wall time, like DTSTART
        utc = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S")
        return f"UNTIL={utc + offset_from:%Y%m%dT%H%M%S}"

    try:
        parsed = rrulestr(_UNTIL.sub(until, text), dtstart=start)
    except (ValueError, TypeError, OverflowError):
        return None
    return parsed if isinstance(parsed, rrule) else None


@attrs.frozen
class _VTimezone:
    observances: tuple[_Observance, ...]

    @classmethod
    def read(cls, component: _Component) -> _VTimezone | None:
        """The observances of a VTIMEZONE, or None if any is not readable."""
        observances = []
        for child in component.children:
            if child.name not in _OBSERVANCES:
                continue
            start = child.first("DTSTART")
            offset_from = child.first("TZOFFSETFROM")
            offset_to = child.first("TZOFFSETTO")
            if start is None or offset_from is None or offset_to is None:
                return None
            moment = _parse_moment(start.text)
            before = _parse_offset(offset_from.text)
            after = _parse_offset(offset_to.text)
            if moment is None or moment.kind != "local" or before is None or after is None:
                return None
            rules = [_rule(r.text, moment.value, before) for r in child.all("RRULE")]
            if len(rules) > 1 or None in rules:
                return None
            dates = []
            for rdate in child.all("RDATE"):
                for item in rdate.text.split(","):
                    parsed = _parse_moment(item.split("/", 1)[0])
                    if parsed is None:
                        return None
                    dates.append(parsed.value)
            rule = rules[0] if rules else None
            observances.append(_Observance(moment.value, before, after, rule, tuple(dates)))
        return cls(tuple(observances)) if observances else None

    def offsets(self, until: datetime) -> _Offsets | None:
        """The offsets this VTIMEZONE gives up to a local wall time (as ical.js reads it).

        The observance with the latest onset at or before a time applies; before the first
        onset, the earliest observance's TZOFFSETFROM.  None when an RRULE cannot be
        evaluated or has more than :data:`_MAX_ONSETS` onsets.
        """
        changes: dict[datetime, timedelta] = {}
        try:
            for observance in sorted(self.observances, key=lambda o: o.start):
                onsets = observance.onsets(until)
                if onsets is None:
                    return None
                changes.update(dict.fromkeys(onsets, observance.offset_to))
        except (ValueError, TypeError, OverflowError):
            return None
        first = min(self.observances, key=lambda o: o.start).offset_from
        ordered = sorted(changes.items())
        return _Offsets(first, [at for at, _ in ordered], [offset for _, offset in ordered])


@attrs.frozen
class _Offsets:
    before: timedelta  # before the first onset
    onsets: list[datetime]
    values: list[timedelta]

    def at(self, local: datetime) -> timedelta:
        index = bisect.bisect_right(self.onsets, local)
        return self.values[index - 1] if index else self.before


# --- public API ---------------------------------------------------------------------


def lint(data: bytes) -> list[Finding]:
    """Check the raw bytes of an iCalendar feed; return the findings sorted by line.

    An empty list means the feed is fit to publish.  Raises :class:`TypeError` when
    given a :class:`str`: the checks are about the bytes as they will be served.
    """
    if isinstance(data, str):
        raise TypeError("lint() takes the feed's raw bytes, not str; read the file in binary mode")
    return _Linter(bytes(data)).run()


def has_errors(findings: Iterable[Finding]) -> bool:
    """Whether any of the findings is an error (warnings alone do not block publishing)."""
    return any(finding.severity is Severity.ERROR for finding in findings)


def format_findings(findings: Iterable[Finding], source: str) -> str:
    """One ``source:line: severity [code]: message`` line per finding (no trailing newline).

    Whole-file findings (line 0) are written ``source: severity [code]: message``.
    """
    lines = []
    for finding in findings:
        where = f"{source}:{finding.line}" if finding.line > 0 else source
        lines.append(f"{where}: {finding.severity.value} [{finding.code}]: {finding.message}")
    return "\n".join(lines)


def findings_to_json(findings: Iterable[Finding], source: str) -> str:
    """The findings as a JSON document with the source name and error/warning counts."""
    items = list(findings)
    document = {
        "source": source,
        "errors": sum(1 for finding in items if finding.severity is Severity.ERROR),
        "warnings": sum(1 for finding in items if finding.severity is Severity.WARNING),
        "findings": [
            {
                "line": finding.line,
                "severity": finding.severity.value,
                "code": finding.code,
                "message": finding.message,
            }
            for finding in items
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
