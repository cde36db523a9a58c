"""What real third-party iCalendar parsers see when they read a feed.

Every adapter takes the feed BYTES and returns one :class:`SeenEvent` per event
occurrence, with times converted to UTC by the parser's own machinery.  The
adapters never repair a feed: if a parser cannot read it, or reads it in a way
this record cannot express faithfully, they raise.

Which definition of a TZID each parser uses (observed with the pinned versions):

* ical.js resolves TZID-local times only through the feed's own VTIMEZONE (the
  adapter registers them with ``ICAL.TimezoneService`` after a reset, and fails
  if any TZID-local time is left unresolved).
* vobject (and Radicale, which uses vobject) use the feed's VTIMEZONE, but keep
  the first definition seen per TZID for the whole process; see
  :data:`KNOWN_PARSER_BUGS`.  The adapter clears that registry before each read.
* ``icalendar``/``recurring_ical_events`` and ``ical`` prefer their own IANA
  database for a TZID that is an IANA name and ignore the VTIMEZONE then.
* libical (Debian's 3.0, through ``libical_check.c``, which the suite compiles) resolves
  a TZID through the feed's VTIMEZONE; the adapter fails if it had to fall back to its
  built-in zones.  It also requires libical's restriction checks to pass.

Recurring events (RRULE/RDATE/EXDATE with RECURRENCE-ID overrides) are expanded
by each parser itself over :data:`WINDOW_START` .. :data:`WINDOW_END`, at most
:data:`MAX_OCCURRENCES` occurrences per series.  Only DATE-TIME events in UTC or
with a TZID are supported; DATE (all-day) or floating events raise
:class:`UnsupportedFeedError`.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import shlex
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest
import recurring_ical_events  # type: ignore[import-untyped]
import vobject  # type: ignore[import-untyped]
import vobject.icalendar  # type: ignore[import-untyped]
from ical.calendar_stream import IcsCalendarStream

UTC = datetime.timezone.utc

WINDOW_START = datetime.datetime(1970, 1, 1, tzinfo=UTC)
WINDOW_END = datetime.datetime(2100, 1, 1, tzinfo=UTC)
MAX_OCCURRENCES = 10_000

ICALJS_DIR = Path(__file__).resolve().parent / "icaljs"
ICALJS_SCRIPT = ICALJS_DIR / "read.mjs"
NODE_TIMEOUT_S = 120


class InteropError(Exception):
    """A parser could not read a feed, or read it inconsistently."""


class UnsupportedFeedError(InteropError):
    """The feed uses something the :class:`SeenEvent` record cannot express."""


@dataclasses.dataclass(frozen=True)
class SeenEvent:
    """One event occurrence as a parser sees it."""

    uid: str
    start_utc: datetime.datetime
    end_utc: datetime.datetime
    summary: str
    description: str
    categories: tuple[str, ...]
    status: str | None

    def __post_init__(self) -> None:
        for name in ("start_utc", "end_utc"):
            value = getattr(self, name)
            if not isinstance(value, datetime.datetime) or value.utcoffset() != datetime.timedelta(
                0
            ):
                raise ValueError(f"{name} must be an aware UTC datetime, got {value!r}")
            if value.tzinfo is not UTC:
                object.__setattr__(self, name, value.astimezone(UTC))


@dataclasses.dataclass(frozen=True)
class KnownParserBug:
    """A parser misbehaviour we observed, and how the project avoids it."""

    parser: str
    description: str
    workaround: str


KNOWN_PARSER_BUGS: tuple[KnownParserBug, ...] = (
    KnownParserBug(
        parser="vobject",
        description=(
            "vobject keeps a process-wide registry of time zones by TZID and registers a "
            "feed's VTIMEZONE only if that TZID is not known yet: the first definition "
            "read in a process wins, and later feeds' VTIMEZONEs with the same TZID are "
            "ignored. A TZID seen without VTIMEZONE is filled from pytz and sticks too. "
            "Radicale parses with vobject, so a long-running server reads every feed "
            "with whichever America/New_York it met first."
        ),
        workaround=(
            "read_with_vobject clears the registry before each read; feeds must carry a "
            "VTIMEZONE that is correct (identical to the IANA rules) for every TZID, so "
            "that whichever definition a server kept gives the same UTC times."
        ),
    ),
    KnownParserBug(
        parser="ical.js",
        description=(
            "Inside a VTIMEZONE STANDARD/DAYLIGHT sub-component, ical.js 2.2.1 takes only "
            "the first value of a comma-separated RDATE list. A VTIMEZONE in the RDATE "
            "form that icalendar's add_missing_timezones() writes then stops changing "
            "offset after its first year: America/New_York summer times are read as EST, "
            "one hour late in UTC."
        ),
        workaround=(
            "Write VTIMEZONEs in RRULE form (or one value per RDATE property); never ship "
            "add_missing_timezones() output as is. test_harness pins the misreading."
        ),
    ),
    KnownParserBug(
        parser="vobject",
        description=(
            "vobject 0.9.9 reads a comma-separated RDATE inside a VTIMEZONE sub-component "
            "as its first value only (dateutil's tzical alone reads it right), with the "
            "same result as ical.js: America/New_York summer times one hour late. "
            "Radicale, which uses vobject, is affected too."
        ),
        workaround="Same as for ical.js: RRULE-form VTIMEZONEs.",
    ),
    KnownParserBug(
        parser="libical",
        description=(
            "libical 3.0.16 (Debian bookworm's, the newest Debian ships) predates RFC 9253: "
            "its parser replaces every REFID line by an X-LIC-ERROR 'Parse error in property "
            "name: REFID' and drops the value (LINK, CONCEPT and RELATED-TO;VALUE=URI fare "
            "the same). libical 3.1 knows RFC 9253 (libical pull request 762)."
        ),
        workaround=(
            "read_with_libical accepts exactly that one parse error and no other; a series "
            "stays recognisable in libical through its RELATED-TO chain (README, 'Series'), "
            "and the feed never uses LINK, CONCEPT or RELATED-TO;VALUE=URI."
        ),
    ),
    KnownParserBug(
        parser="libical",
        description=(
            "icalrestriction_check() in libical 3.0.16 stops at the first component that "
            "fails (valid = valid && check(inner)), so it flags only the first bad VEVENT, "
            "and it repeats a special-case error (STATUS values, DTEND with DURATION) once "
            "per remaining property kind."
        ),
        workaround=(
            "libical_check.c checks every component again on its own, in a copy of its "
            "VCALENDAR, and read_with_libical reports each message once."
        ),
    ),
    KnownParserBug(
        parser="radicale",
        description=(
            "Radicale 3.9.0 answers a calendar-query with CALDAV:expand by expanding "
            "recurring events into UTC instances, but returns events without recurrence "
            "unchanged: TZID-local DTSTART/DTEND plus the VTIMEZONE, where RFC 4791 "
            "section 9.6.5 requires UTC times."
        ),
        workaround=(
            "read_with_radicale accepts TZID-local times only on unexpanded events, "
            "converts them with icalendar and checks them against the server's own "
            "time-range matching one second either side of each start and end."
        ),
    ),
)


def sort_key(event: SeenEvent) -> tuple[datetime.datetime, str]:
    return (event.start_utc, event.uid)


def _sorted(events: Iterable[SeenEvent]) -> list[SeenEvent]:
    return sorted(events, key=sort_key)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InteropError(f"feed is not UTF-8: {error}") from error


def _require_datetime(value: object, what: str, uid: str) -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        raise UnsupportedFeedError(f"event {uid}: {what} is {value!r}, not a DATE-TIME")
    if value.tzinfo is None or value.utcoffset() is None:
        raise UnsupportedFeedError(f"event {uid}: {what} is floating time {value!r}")
    return value.astimezone(UTC)


# --------------------------------------------------------------------------- ical.js


_ICALJS_LOCK = threading.Lock()


def _tool_missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"interop: {reason} (required when CI is set)", pytrace=False)
    pytest.skip(f"interop: {reason}")


def _locked_icaljs_version() -> str | None:
    lock = ICALJS_DIR / "package-lock.json"
    if not lock.exists():
        return None
    packages = json.loads(lock.read_text(encoding="utf-8"))["packages"]
    version = packages["node_modules/ical.js"]["version"]
    assert isinstance(version, str)
    return version


def _installed_icaljs_version() -> str | None:
    manifest = ICALJS_DIR / "node_modules" / "ical.js" / "package.json"
    if not manifest.exists():
        return None
    version = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    assert isinstance(version, str)
    return version


def ensure_icaljs() -> str:
    """Make sure node and the pinned ical.js are installed; return the node path.

    Runs ``npm ci`` (``npm install`` when there is no lock file) in
    ``tests/interop/icaljs`` when ``node_modules`` is missing or holds another
    version than the lock.  Without node/npm this skips the test, or fails it
    when the environment variable ``CI`` is set.
    """
    node = shutil.which("node")
    npm = shutil.which("npm")
    if node is None or npm is None:
        _tool_missing("node and npm are needed to run ical.js, but are not on PATH")
        raise AssertionError("unreachable")
    with _ICALJS_LOCK:
        locked = _locked_icaljs_version()
        installed = _installed_icaljs_version()
        if installed is None or (locked is not None and installed != locked):
            command = [npm, "ci"] if locked is not None else [npm, "install"]
            command += ["--no-audit", "--no-fund"]
            result = subprocess.run(
                command,
                cwd=ICALJS_DIR,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if result.returncode != 0:
                raise InteropError(
                    f"{' '.join(command)} failed in {ICALJS_DIR}:\n{result.stdout}\n{result.stderr}"
                )
            if _installed_icaljs_version() is None:
                raise InteropError(f"{' '.join(command)} did not install ical.js")
    return node


def _parse_icaljs_time(field: dict[str, Any], uid: str) -> datetime.datetime:
    unix = field["unix"]
    iso = field["iso"]
    from_unix = datetime.datetime.fromtimestamp(unix, tz=UTC)
    if not iso.endswith("Z"):
        raise InteropError(f"event {uid}: ical.js UTC conversion gave {iso!r}")
    from_iso = datetime.datetime.fromisoformat(iso[:-1]).replace(tzinfo=UTC)
    if from_unix != from_iso:
        raise InteropError(
            f"event {uid}: ical.js toUnixTime ({from_unix}) and convertToZone(UTC) "
            f"({from_iso}) disagree"
        )
    return from_unix


def _run_icaljs(text: str, *, jcal: bool) -> list[SeenEvent]:
    node = ensure_icaljs()
    command = [node, str(ICALJS_SCRIPT)]
    if jcal:
        command.append("--jcal")
    command += [
        str(int(WINDOW_START.timestamp())),
        str(int(WINDOW_END.timestamp())),
        str(MAX_OCCURRENCES),
    ]
    result = subprocess.run(
        command,
        cwd=ICALJS_DIR,
        input=text.encode("utf-8"),
        capture_output=True,
        timeout=NODE_TIMEOUT_S,
        check=False,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    if result.returncode != 0:
        raise InteropError(f"ical.js could not read the feed: {stderr.strip()}")
    records = json.loads(result.stdout.decode("utf-8"))
    seen = []
    for record in records:
        uid = record["uid"]
        seen.append(
            SeenEvent(
                uid=uid,
                start_utc=_parse_icaljs_time(record["start"], uid),
                end_utc=_parse_icaljs_time(record["end"], uid),
                summary=record["summary"],
                description=record["description"],
                categories=tuple(record["categories"]),
                status=record["status"],
            )
        )
    return _sorted(seen)


def read_with_icaljs(data: bytes) -> list[SeenEvent]:
    """Read iCalendar bytes with ical.js (Thunderbird's parser) under node."""
    return _run_icaljs(_decode(data), jcal=False)


def read_jcal_with_icaljs(jcal_json: str) -> list[SeenEvent]:
    """Read a jCal (RFC 7265) document with ical.js under node."""
    return _run_icaljs(jcal_json, jcal=True)


# --------------------------------------------------------------------------- vobject


_VOBJECT_LOCK = threading.Lock()


def _reset_vobject_tzids() -> None:
    """Forget every TZID vobject registered so far (see KNOWN_PARSER_BUGS)."""
    registry = vars(vobject.icalendar)["__tzidMap"]
    registry.clear()
    vobject.icalendar.registerTzid("UTC", vobject.icalendar.utc)


def _vobject_text(component: Any, name: str) -> str:
    lines = component.contents.get(name, [])
    if len(lines) > 1:
        raise InteropError(f"more than one {name.upper()} property")
    return str(lines[0].value) if lines else ""


def _vobject_categories(component: Any) -> tuple[str, ...]:
    values: list[str] = []
    for line in component.contents.get("categories", []):
        value = line.value
        if isinstance(value, str):
            values.append(value)
        else:
            values.extend(str(item) for item in value)
    return tuple(values)


def _vobject_status(component: Any) -> str | None:
    lines = component.contents.get("status", [])
    return str(lines[0].value) if lines else None


def _vobject_fields(component: Any) -> tuple[str, str, tuple[str, ...], str | None]:
    return (
        _vobject_text(component, "summary"),
        _vobject_text(component, "description"),
        _vobject_categories(component),
        _vobject_status(component),
    )


def _vobject_span(component: Any, uid: str) -> tuple[datetime.datetime, datetime.timedelta]:
    start = _require_datetime(component.dtstart.value, "DTSTART", uid)
    if "dtend" in component.contents:
        end = _require_datetime(component.dtend.value, "DTEND", uid)
        return start, end - start
    if "duration" in component.contents:
        duration = component.duration.value
        if not isinstance(duration, datetime.timedelta):
            raise InteropError(f"event {uid}: vobject read DURATION as {duration!r}")
        return start, duration
    return start, datetime.timedelta(0)


def _vobject_occurrences(
    master: Any, uid: str, duration: datetime.timedelta
) -> Iterator[datetime.datetime]:
    rruleset = master.getrruleset(addRDate=True)
    if rruleset is None:
        yield _vobject_span(master, uid)[0]
        return
    for count, occurrence in enumerate(rruleset, start=1):
        start = _require_datetime(occurrence, "occurrence", uid)
        if start >= WINDOW_END:
            return
        if count > MAX_OCCURRENCES:
            raise UnsupportedFeedError(f"event {uid}: more than {MAX_OCCURRENCES} occurrences")
        if start + duration > WINDOW_START:
            yield start


def read_with_vobject(data: bytes) -> list[SeenEvent]:
    """Read iCalendar bytes with vobject; ``validate()`` must pass."""
    text = _decode(data)
    with _VOBJECT_LOCK:
        _reset_vobject_tzids()
        calendar = vobject.readOne(text)
        if calendar.name.upper() != "VCALENDAR":
            raise InteropError(f"top-level component is {calendar.name}, not VCALENDAR")
        if not calendar.validate(raiseException=True):
            raise InteropError("vobject validate() failed")

        masters: dict[str, Any] = {}
        overrides: dict[tuple[str, datetime.datetime], Any] = {}
        for vevent in calendar.contents.get("vevent", []):
            uid = str(vevent.uid.value)
            if "recurrence-id" in vevent.contents:
                value = vevent.contents["recurrence-id"][0].value
                recurrence_id = _require_datetime(value, "RECURRENCE-ID", uid)
                overrides[(uid, recurrence_id)] = vevent
            elif uid in masters:
                raise InteropError(f"two VEVENTs without RECURRENCE-ID share UID {uid}")
            else:
                masters[uid] = vevent

        seen: list[SeenEvent] = []
        used: set[tuple[str, datetime.datetime]] = set()
        for uid, master in masters.items():
            master_duration = _vobject_span(master, uid)[1]
            master_fields = _vobject_fields(master)
            for start in _vobject_occurrences(master, uid, master_duration):
                key = (uid, start)
                if key in overrides:
                    used.add(key)
                    override_start, override_duration = _vobject_span(overrides[key], uid)
                    begin, end = override_start, override_start + override_duration
                    fields = _vobject_fields(overrides[key])
                else:
                    begin, end = start, start + master_duration
                    fields = master_fields
                seen.append(SeenEvent(uid, begin, end, *fields))
        unused = sorted(set(overrides) - used)
        if unused:
            raise UnsupportedFeedError(f"RECURRENCE-ID overrides matching no occurrence: {unused}")
    return _sorted(seen)


# --------------------------------------------------------------------------- ical


def _ical_status(value: object) -> str | None:
    if value is None:
        return None
    enum_value = getattr(value, "value", value)
    return str(enum_value)


def read_with_ical(data: bytes) -> list[SeenEvent]:
    """Read iCalendar bytes with allenporter's ``ical`` package."""
    calendar = IcsCalendarStream.calendar_from_ics(_decode(data))
    seen: list[SeenEvent] = []
    counts: dict[str, int] = {}
    for event in calendar.timeline_tz(UTC).overlapping(WINDOW_START, WINDOW_END):
        uid = event.uid
        counts[uid] = counts.get(uid, 0) + 1
        if counts[uid] > MAX_OCCURRENCES:
            raise UnsupportedFeedError(f"event {uid}: more than {MAX_OCCURRENCES} occurrences")
        seen.append(
            SeenEvent(
                uid=uid,
                start_utc=_require_datetime(event.dtstart, "DTSTART", uid),
                end_utc=_require_datetime(event.end, "end", uid),
                summary=event.summary or "",
                description=event.description or "",
                categories=tuple(event.categories),
                status=_ical_status(event.status),
            )
        )
    return _sorted(seen)


# --------------------------------------------------------------------------- icalendar


def icalendar_categories(component: icalendar.Component) -> tuple[str, ...]:
    """All CATEGORIES values of a component, in order, as icalendar reads them."""
    raw = component.get("CATEGORIES")
    if raw is None:
        return ()
    properties = raw if isinstance(raw, list) else [raw]
    values: list[str] = []
    for prop in properties:
        values.extend(str(value) for value in prop.cats)
    return tuple(values)


def icalendar_seen_event(event: icalendar.Event) -> SeenEvent:
    """Turn one (already expanded) icalendar VEVENT into a :class:`SeenEvent`."""
    uid = str(event.get("UID", ""))
    status = event.get("STATUS")
    return SeenEvent(
        uid=uid,
        start_utc=_require_datetime(event.start, "DTSTART", uid),
        end_utc=_require_datetime(event.end, "end", uid),
        summary=str(event.get("SUMMARY", "")),
        description=str(event.get("DESCRIPTION", "")),
        categories=icalendar_categories(event),
        status=None if status is None else str(status),
    )


def read_with_recurring_ical_events(data: bytes) -> list[SeenEvent]:
    """Read with ``icalendar`` and expand with ``recurring_ical_events``."""
    calendar = icalendar.Calendar.from_ical(data)
    if not isinstance(calendar, icalendar.Calendar):
        raise InteropError(f"top-level component is {type(calendar).__name__}")
    expected_uids = {str(event.get("UID", "")) for event in calendar.walk("VEVENT")}
    seen: list[SeenEvent] = []
    counts: dict[str, int] = {}
    for event in recurring_ical_events.of(calendar).between(WINDOW_START, WINDOW_END):
        record = icalendar_seen_event(event)
        counts[record.uid] = counts.get(record.uid, 0) + 1
        if counts[record.uid] > MAX_OCCURRENCES:
            raise UnsupportedFeedError(
                f"event {record.uid}: more than {MAX_OCCURRENCES} occurrences"
            )
        seen.append(record)
    missing = expected_uids - set(counts)
    if missing:
        raise UnsupportedFeedError(
            f"events outside {WINDOW_START:%Y}..{WINDOW_END:%Y} or dropped: {sorted(missing)}"
        )
    return _sorted(seen)


# --------------------------------------------------------------------------- libical


LIBICAL_SOURCE = Path(__file__).resolve().parent / "libical_check.c"
LIBICAL_TIMEOUT_S = 120

#: The one parse error a feed of ours may get from libical 3.0 (see KNOWN_PARSER_BUGS).
LIBICAL_TOLERATED_PARSE_ERRORS = frozenset({"Parse error in property name: REFID"})

_LIBICAL_LOCK = threading.Lock()
#: {"checker": Path} once built, or {"missing": why} when it cannot be built here.
_LIBICAL: dict[str, Any] = {}


class LibicalMissing(Exception):
    """gcc, pkg-config or libical's development files are not installed."""


def libical_version() -> str | None:
    """The version of the installed libical (pkg-config), or None without it."""
    pkg_config = shutil.which("pkg-config")
    if pkg_config is None:
        return None
    result = subprocess.run(
        [pkg_config, "--modversion", "libical"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() if result.returncode == 0 else None


def build_libical_checker(directory: Path) -> Path:
    """Compile ``libical_check.c`` with gcc against the system's libical into ``directory``."""
    gcc, pkg_config = shutil.which("gcc"), shutil.which("pkg-config")
    if gcc is None or pkg_config is None:
        raise LibicalMissing("gcc and pkg-config are needed to build the libical checker")
    flags = subprocess.run(
        [pkg_config, "--cflags", "--libs", "libical"], capture_output=True, text=True, check=False
    )
    if flags.returncode != 0:
        raise LibicalMissing(
            "libical is not installed (pkg-config knows no 'libical'; on Debian: "
            "apt-get install libical-dev)"
        )
    checker = directory / "libical_check"
    command = [gcc, "-std=c99", "-Wall", "-Wextra", "-Werror", "-O2", "-o", str(checker)]
    command += [str(LIBICAL_SOURCE), *shlex.split(flags.stdout)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        raise InteropError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return checker


def use_libical_checker(directory: Path) -> None:
    """Build the checker into ``directory`` once per process, or remember why it cannot be."""
    with _LIBICAL_LOCK:
        if _LIBICAL:
            return
        try:
            _LIBICAL["checker"] = build_libical_checker(directory)
        except LibicalMissing as missing:
            _LIBICAL["missing"] = str(missing)


def ensure_libical() -> Path:
    """The compiled checker (built now in a temporary folder if no fixture built it).

    Without gcc, pkg-config or libical this skips the test, or fails it when the
    environment variable ``CI`` is set.
    """
    if not _LIBICAL:
        use_libical_checker(Path(tempfile.mkdtemp(prefix="oewg-cal-libical-")))
    if "missing" in _LIBICAL:
        _tool_missing(_LIBICAL["missing"])
    checker = _LIBICAL["checker"]
    assert isinstance(checker, Path)
    return checker


def run_libical(data: bytes) -> list[dict[str, Any]]:
    """What libical_check prints for ``data``: its JSON lines, as dicts."""
    checker = ensure_libical()
    with tempfile.TemporaryDirectory(prefix="oewg-cal-libical-") as folder:
        feed = Path(folder) / "feed.ics"
        feed.write_bytes(data)
        result = subprocess.run(
            [str(checker), str(feed)],
            capture_output=True,
            timeout=LIBICAL_TIMEOUT_S,
            check=False,
        )
    if result.returncode not in (0, 1):
        raise InteropError(
            f"libical could not read the feed (exit {result.returncode}): "
            f"{result.stdout.decode('utf-8', 'replace')}{result.stderr.decode('utf-8', 'replace')}"
        )
    records = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert isinstance(records, list)
    return records


def _libical_utc(record: dict[str, Any], which: str) -> datetime.datetime:
    uid = record["uid"]
    source = record.get(f"{which}_zone_source")
    if source in ("builtin", "unresolved"):
        raise InteropError(
            f"event {uid}: {which} TZID {record[f'{which}_tzid']!r} was not resolved through "
            f"the feed's VTIMEZONE (libical: {source})"
        )
    value = record[f"{which}_utc"]
    if value is None:
        raise UnsupportedFeedError(f"event {uid}: libical has no UTC {which} ({source})")
    return datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _occurrence_utc(value: str) -> datetime.datetime:
    return datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def read_with_libical(data: bytes) -> list[SeenEvent]:
    """Read iCalendar bytes with libical (Evolution's parser); its checks must pass.

    Any X-LIC-ERROR fails: from the parser (but the REFID one of KNOWN_PARSER_BUGS),
    from ``icalrestriction_check()`` on the calendar and on each component alone, and
    from the RFC 5546 PUBLISH table less its ORGANIZER rule.
    """
    records = run_libical(data)
    problems = sorted(
        {
            f"{r['phase']}: {r['message']}"
            for r in records
            if r["type"] == "error"
            and not (r["phase"] == "parse" and r["message"] in LIBICAL_TOLERATED_PARSE_ERRORS)
        }
    )
    if problems:
        raise InteropError("libical: " + "; ".join(problems))
    events: dict[tuple[str, str | None], dict[str, Any]] = {}
    occurrences: dict[str, list[tuple[datetime.datetime, datetime.datetime]]] = {}
    for record in records:
        if record["type"] == "event":
            key = (record["uid"], record.get("recurrence_id_utc"))
            if key in events:
                raise InteropError(f"two VEVENTs share UID and RECURRENCE-ID {key}")
            events[key] = record
        elif record["type"] == "occurrence":
            span = (_occurrence_utc(record["start_utc"]), _occurrence_utc(record["end_utc"]))
            occurrences.setdefault(record["uid"], []).append(span)
        elif record["type"] == "occurrences" and record["truncated"]:
            raise UnsupportedFeedError(
                f"event {record['uid']}: more than {MAX_OCCURRENCES} occurrences"
            )

    def seen(record: dict[str, Any], start: datetime.datetime, end: datetime.datetime) -> SeenEvent:
        return SeenEvent(
            uid=record["uid"],
            start_utc=start,
            end_utc=end,
            summary=record["summary"] or "",
            description=record["description"] or "",
            categories=tuple(record["categories"]),
            status=record["status"],
        )

    result: list[SeenEvent] = []
    used: set[tuple[str, str | None]] = set()
    for (uid, recurrence_id), record in events.items():
        if recurrence_id is not None:
            continue
        start, end = _libical_utc(record, "start"), _libical_utc(record, "end")
        if not record["recurring"]:
            result.append(seen(record, start, end))
            continue
        for start, end in occurrences.get(uid, []):
            key = (uid, start.strftime("%Y-%m-%dT%H:%M:%SZ"))
            if key in events:
                used.add(key)
                override = events[key]
                start, end = _libical_utc(override, "start"), _libical_utc(override, "end")
                result.append(seen(override, start, end))
            else:
                result.append(seen(record, start, end))
    unused = sorted(k for k in events if k[1] is not None and k not in used)
    if unused:
        raise UnsupportedFeedError(f"RECURRENCE-ID overrides matching no occurrence: {unused}")
    return _sorted(result)


PARSERS: dict[str, Callable[[bytes], list[SeenEvent]]] = {
    "ical.js": read_with_icaljs,
    "vobject": read_with_vobject,
    "ical": read_with_ical,
    "recurring_ical_events": read_with_recurring_ical_events,
    "libical": read_with_libical,
}
