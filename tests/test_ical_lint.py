"""Tests for oewg_cal.lint: golden broken feeds, the report formats, property tests."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oewg_cal import Feed, Programme, to_ics, write_ics
from oewg_cal.ical.lint import (
    CHECKS,
    MAX_FEED_BYTES,
    Finding,
    Severity,
    findings_to_json,
    format_findings,
    has_errors,
    lint,
)
from strategies import feeds as written_feeds

DATA = Path(__file__).parent / "data" / "lint"

# Each golden feed and the (line, code) of every finding it must produce, nothing more.
GOLDEN: dict[str, list[tuple[int, str]]] = {
    "clean.ics": [],
    "crlf.ics": [(4, "crlf"), (7, "crlf"), (10, "crlf")],
    "fold-length.ics": [(8, "fold-length"), (10, "fold-length")],
    "fold-utf8.ics": [(9, "fold-utf8"), (12, "fold-utf8")],
    "not-utf8.ics": [(8, "not-utf8"), (10, "not-utf8")],
    "bom.ics": [(1, "bom")],
    "control-char.ics": [(10, "control-char")],
    "bad-line.ics": [(8, "bad-line"), (9, "bad-line"), (10, "bad-line"), (11, "bad-line")],
    "bad-structure.ics": [
        (8, "bad-structure"),
        (13, "bad-structure"),
        (14, "bad-structure"),
        (20, "bad-structure"),
        (21, "bad-structure"),
        (22, "bad-structure"),
        (26, "bad-structure"),
    ],
    "no-vcalendar.ics": [(0, "bad-structure"), (1, "bad-structure")],
    "prodid-missing.ics": [(1, "prodid-missing")],
    "version-missing.ics": [(1, "version-missing")],
    "version-wrong.ics": [(3, "version-missing")],
    "no-vtimezone.ics": [(7, "no-vtimezone"), (14, "no-vtimezone")],
    "unknown-tzid.ics": [(25, "unknown-tzid")],
    "vtimezone-rdate.ics": [(11, "vtimezone-rdate"), (18, "vtimezone-rdate")],
    "comment-in-vtimezone.ics": [(6, "comment-in-vtimezone"), (12, "comment-in-vtimezone")],
    "floating-time.ics": [
        (24, "floating-time"),
        (25, "floating-time"),
        (34, "floating-time"),
        (40, "floating-time"),
    ],
    "dtstamp-not-utc.ics": [(23, "dtstamp-not-utc"), (25, "dtstamp-not-utc")],
    "bad-value.ics": [
        (23, "bad-value"),
        (24, "bad-value"),
        (25, "bad-value"),
        (31, "bad-value"),
        (32, "bad-value"),
        (38, "bad-value"),
        (39, "bad-value"),
    ],
    "required-missing.ics": [(4, "dtstamp-missing"), (4, "dtstart-missing")],
    "uid.ics": [
        (4, "uid-missing"),
        (16, "uid-duplicate"),
        (36, "uid-duplicate"),
        (44, "uid-duplicate"),
        (50, "uid-missing"),
    ],
    "bad-escape.ics": [
        (8, "bad-escape"),
        (10, "bad-escape"),
        (11, "bad-escape"),
        (12, "bad-escape"),
        (20, "unescaped-comma"),
    ],
    "cancelled-sequence.ics": [(9, "cancelled-sequence"), (17, "cancelled-sequence")],
    "dtend.ics": [
        (40, "dtend-not-after-dtstart"),
        (47, "dtend-not-after-dtstart"),
        (54, "dtend-not-after-dtstart"),
    ],
    # issue 12: the traps real readers fall into (tests/interop/test_lint_traps.py)
    "unescaped-comma.ics": [
        (9, "unescaped-comma"),
        (10, "unescaped-comma"),
        (12, "unescaped-comma"),
    ],
    # America/New_York by the rules before 2007 (first Sunday of April to last Sunday of
    # October): 20 March and 31 October 2025 are EST by it, EDT in fact; Europe/Zurich
    # with summer time at +03:00; "Conference Time" is no IANA name and is left alone
    "vtimezone-tzdata.ics": [(51, "vtimezone-tzdata"), (72, "vtimezone-tzdata")],
    "related-to.ics": [(20, "related-to-unknown"), (28, "related-to-unknown")],
    # a real PDF (written by pdfium): one finding, not one per line
    "not-icalendar.pdf": [(0, "not-icalendar")],
}


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def codes(findings: list[Finding]) -> list[tuple[int, str]]:
    return [(finding.line, finding.code) for finding in findings]


# --- golden feeds -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_feed(name: str) -> None:
    findings = lint(read(name))
    assert codes(findings) == GOLDEN[name]
    for finding in findings:
        assert finding.severity is CHECKS[finding.code][0]
        assert finding.message
        assert "\n" not in finding.message


def test_every_golden_file_is_listed() -> None:
    names = [path.name for path in DATA.iterdir() if not path.name.startswith(".")]
    assert sorted(names) == sorted(GOLDEN)


def test_every_code_has_a_golden_feed() -> None:
    covered = {code for expected in GOLDEN.values() for _, code in expected} | {"size"}
    assert covered == set(CHECKS)


def test_clean_feed_has_no_findings() -> None:
    data = read("clean.ics")
    assert lint(data) == []
    # The clean feed is really a feed: a lenient parser reads it the same way.
    calendar = icalendar.Calendar.from_ical(data)
    assert len(calendar.walk("VEVENT")) == 6


def test_messages_name_what_was_found() -> None:
    findings = {(f.line, f.code): f.message for f in lint(read("uid.ics"))}
    assert "line 10" in findings[(16, "uid-duplicate")]
    assert "same@oewg.example" in findings[(16, "uid-duplicate")]
    assert "line 29" in findings[(36, "uid-duplicate")]
    rdate = lint(read("vtimezone-rdate.ics"))[0].message
    assert "RRULE" in rdate
    assert "Outlook" in rdate
    floating = lint(read("floating-time.ics"))[0].message
    assert "20250310T100000" in floating
    assert "TZID" in floating
    utf8 = lint(read("fold-utf8.ics"))
    assert "0xA9" in utf8[0].message
    assert "0x98" in utf8[1].message
    not_utf8 = lint(read("not-utf8.ics"))
    assert "0xE9" in not_utf8[0].message
    assert "column 10" in not_utf8[0].message


def test_escape_split_by_a_fold_is_read_unfolded() -> None:
    # COMMENT in bad-escape.ics ends its first line with a backslash and continues
    # with "n": unfolded, that is the valid escape "\n".
    assert all(f.line not in (13, 14) for f in lint(read("bad-escape.ics")))


# --- small inline cases ---------------------------------------------------------------

HEAD = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
ZONE = (
    b"BEGIN:VTIMEZONE\r\nTZID:Europe/Zurich\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\n"
    b"TZOFFSETTO:+0100\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    b"END:STANDARD\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
    b"DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
    b"END:VTIMEZONE\r\n"
)
TAIL = b"END:VCALENDAR\r\n"


def feed(*event_lines: bytes, zone: bool = True) -> bytes:
    event = b"BEGIN:VEVENT\r\nUID:u@t\r\nDTSTAMP:20250101T000000Z\r\n"
    event += b"".join(line + b"\r\n" for line in event_lines) + b"END:VEVENT\r\n"
    return HEAD + (ZONE if zone else b"") + event + TAIL


def test_inline_clean_event() -> None:
    assert lint(feed(b"DTSTART;TZID=Europe/Zurich:20250310T100000")) == []


def test_quoted_tzid_matches_its_vtimezone() -> None:
    assert lint(feed(b'DTSTART;TZID="Europe/Zurich":20250310T100000')) == []


def test_quoted_parameter_may_hold_delimiters() -> None:
    line = b'LOCATION;ALTREP="http://x.example/a;b,c:d";LANGUAGE=en:Room 1'
    assert lint(feed(b"DTSTART:20250310T100000Z", line)) == []


def test_lowercase_names_are_read() -> None:
    assert lint(feed(b"dtstart;tzid=Europe/Zurich:20250310T100000")) == []


def test_vtimezone_dtstart_is_not_floating() -> None:
    # DTSTART inside STANDARD/DAYLIGHT is local time by definition.
    assert all(f.code != "floating-time" for f in lint(feed(b"DTSTART:20250310T100000Z")))


def test_date_start_with_date_end_is_fine() -> None:
    data = feed(b"DTSTART;VALUE=DATE:20250310", b"DTEND;VALUE=DATE:20250311")
    assert lint(data) == []


def test_rdate_period_outside_vtimezone() -> None:
    data = feed(
        b"DTSTART:20250310T100000Z",
        b"RDATE;VALUE=PERIOD:20250311T100000Z/PT1H,20250312T100000/PT1H",
    )
    assert codes(lint(data)) == [(3 + 15 + 5, "floating-time")]  # head, zone, event


def test_empty_file() -> None:
    assert codes(lint(b"")) == [(0, "not-icalendar")]
    assert "empty" in lint(b"")[0].message


def test_all_bare_lf_reports_every_line() -> None:
    data = read("clean.ics").replace(b"\r\n", b"\n")
    findings = lint(data)
    lines = data.count(b"\n")
    assert codes(findings) == [(n, "crlf") for n in range(1, lines + 1)]


def test_bare_cr_line_ends_count_as_lines() -> None:
    data = read("clean.ics").replace(b"\r\n", b"\r")
    findings = lint(data)
    assert {f.code for f in findings} == {"crlf"}
    assert len(findings) == data.count(b"\r")


def test_size_warning() -> None:
    clean = read("clean.ics")
    event = (
        b"BEGIN:VEVENT\r\nUID:%d@oewg.example\r\nDTSTAMP:20250301T120000Z\r\n"
        b"DTSTART:20250311T140000Z\r\nSUMMARY:" + b"x" * 60 + b"\r\nEND:VEVENT\r\n"
    )
    end = clean.rindex(b"END:VCALENDAR")
    added: list[bytes] = []
    size = len(clean)
    while size <= MAX_FEED_BYTES:
        added.append(event % len(added))
        size += len(added[-1])
    big = clean[:end] + b"".join(added) + clean[end:]
    assert len(big) > MAX_FEED_BYTES
    findings = lint(big)
    assert codes(findings) == [(0, "size")]
    assert findings[0].severity is Severity.WARNING
    assert not has_errors(findings)
    # One event fewer is at or under the limit and lints clean.
    small = clean[:end] + b"".join(added[:-1]) + clean[end:]
    assert len(small) <= MAX_FEED_BYTES
    assert lint(small) == []


def test_str_is_refused() -> None:
    with pytest.raises(TypeError, match="bytes"):
        lint(read("clean.ics").decode())  # type: ignore[arg-type]


def test_bytearray_is_accepted() -> None:
    assert lint(bytearray(read("crlf.ics"))) == lint(read("crlf.ics"))  # type: ignore[arg-type]


def test_findings_are_sorted_by_line() -> None:
    for name in GOLDEN:
        lines = [f.line for f in lint(read(name))]
        assert lines == sorted(lines)


def test_finding_is_frozen() -> None:
    finding = Finding(3, Severity.ERROR, "crlf", "m")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        finding.line = 4  # type: ignore[misc]


# --- reports ----------------------------------------------------------------------------


def test_has_errors() -> None:
    assert has_errors(lint(read("crlf.ics")))
    assert not has_errors(lint(read("vtimezone-rdate.ics")))
    assert not has_errors([])
    assert has_errors(iter(lint(read("uid.ics"))))


def test_format_findings() -> None:
    findings = [
        Finding(0, Severity.WARNING, "size", "too big"),
        Finding(12, Severity.ERROR, "fold-utf8", "split"),
    ]
    assert format_findings(findings, "feed.ics") == (
        "feed.ics: warning [size]: too big\nfeed.ics:12: error [fold-utf8]: split"
    )
    assert format_findings([], "feed.ics") == ""
    text = format_findings(lint(read("crlf.ics")), "crlf.ics")
    assert text.splitlines()[0].startswith("crlf.ics:4: error [crlf]: ")


def test_findings_to_json() -> None:
    findings = lint(read("bad-escape.ics"))
    document = json.loads(findings_to_json(iter(findings), "bad-escape.ics"))
    assert document["source"] == "bad-escape.ics"
    assert document["errors"] == 5  # the unescaped ',' is an error too (issue 12)
    assert document["warnings"] == 0
    rdate = json.loads(findings_to_json(lint(read("vtimezone-rdate.ics")), "rdate.ics"))
    assert (rdate["errors"], rdate["warnings"]) == (0, 2)
    assert document["findings"][0] == {
        "line": 8,
        "severity": "error",
        "code": "bad-escape",
        "message": findings[0].message,
    }
    assert [item["line"] for item in document["findings"]] == [f.line for f in findings]
    empty = json.loads(findings_to_json([], "x.ics"))
    assert empty == {"source": "x.ics", "errors": 0, "warnings": 0, "findings": []}


def test_json_keeps_non_ascii_readable() -> None:
    text = findings_to_json([Finding(1, Severity.ERROR, "bad-escape", "SUMMARY 'Réunion'")], "é")
    assert json.loads(text)["findings"][0]["message"] == "SUMMARY 'Réunion'"


# --- property tests: icalendar's output lints clean, and breaking it is caught -------------

ZURICH = ZoneInfo("Europe/Zurich")
SCRIPTS = ["😀", "🇺🇳", "الأمم المتحدة", "联合国", "Организация", "é", "ß", "\u200b", "ﬁ"]
TRICKY = [",", ";", "\\", "\\n", "\n", "\r\n", "\t", ":", '"', "\\,", "\\;", " ", "  "]

fragments = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    st.sampled_from(TRICKY),
    st.sampled_from(SCRIPTS),
)
texts = st.lists(fragments, max_size=60).map("".join)
non_ascii_texts = st.tuples(texts, st.sampled_from(SCRIPTS), texts).map("".join)


@st.composite
def events(draw: st.DrawFn, index: int) -> list[icalendar.Event]:
    start_naive = datetime(2025, 3, 10, 8, 0) + timedelta(
        minutes=draw(st.integers(0, 60 * 24 * 30))
    )
    duration = timedelta(minutes=draw(st.integers(1, 600)))
    zoned = draw(st.booleans())
    tz = ZURICH if zoned else timezone.utc
    start = start_naive.replace(tzinfo=tz)
    event = icalendar.Event()
    event.add("uid", f"{index}-{draw(texts.filter(lambda t: t.strip()))}@oewg.example")
    event.add("dtstamp", datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc))
    event.add("dtstart", start)
    event.add("dtend", start + duration)
    event.add("summary", draw(non_ascii_texts))
    event.add("description", draw(texts))
    event.add("location", draw(texts))
    event.add("comment", draw(texts))
    event.add("categories", draw(st.lists(texts.filter(bool), min_size=1, max_size=3)))
    result = [event]
    if draw(st.booleans()):
        event.add("rrule", {"freq": "daily", "count": 3})
        override = icalendar.Event()
        override.add("uid", event["uid"])
        override.add("dtstamp", datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc))
        override.add("recurrence-id", start + timedelta(days=1))
        override.add("dtstart", start + timedelta(days=1, hours=1))
        override.add("dtend", start + timedelta(days=1, hours=1) + duration)
        override.add("summary", draw(non_ascii_texts))
        override.add("status", "CANCELLED")
        override.add("sequence", 1)
        result.append(override)
    return result


# Europe/Zurich in RRULE form, written by hand.
ZURICH_VTIMEZONE = (
    b"BEGIN:VTIMEZONE\r\n"
    b"TZID:Europe/Zurich\r\n"
    b"BEGIN:DAYLIGHT\r\n"
    b"TZOFFSETFROM:+0100\r\n"
    b"TZOFFSETTO:+0200\r\n"
    b"TZNAME:CEST\r\n"
    b"DTSTART:19810329T020000\r\n"
    b"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    b"END:DAYLIGHT\r\n"
    b"BEGIN:STANDARD\r\n"
    b"TZOFFSETFROM:+0200\r\n"
    b"TZOFFSETTO:+0100\r\n"
    b"TZNAME:CET\r\n"
    b"DTSTART:19961027T030000\r\n"
    b"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    b"END:STANDARD\r\n"
    b"END:VTIMEZONE\r\n"
)


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//oewg_cal//lint property test//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", icalendar.vText(draw(texts)))
    for index in range(draw(st.integers(1, 4))):
        for event in draw(events(index)):
            calendar.add_component(event)
    data: bytes = calendar.to_ical()
    first_event = data.index(b"BEGIN:VEVENT\r\n")
    return data[:first_event] + ZURICH_VTIMEZONE + data[first_event:]


def logical_lines(data: bytes) -> list[tuple[int, list[bytes]]]:
    """(first physical line number, physical lines) of each content line of a CRLF feed."""
    assert data.endswith(b"\r\n")
    result: list[tuple[int, list[bytes]]] = []
    for number, line in enumerate(data[:-2].split(b"\r\n"), start=1):
        if line[:1] == b" ":
            result[-1][1].append(line)
        else:
            result.append((number, [line]))
    return result


def join(logical: list[tuple[int, list[bytes]]]) -> bytes:
    return b"".join(line + b"\r\n" for _, lines in logical for line in lines)


PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(feeds())
def test_icalendar_feed_lints_clean(data: bytes) -> None:
    assert lint(data) == []


@PROPERTY_SETTINGS
@given(feeds(), st.data())
def test_inserted_bare_lf_is_found_at_its_line(data: bytes, choice: st.DataObject) -> None:
    lines = data[:-2].split(b"\r\n")
    index = choice.draw(st.integers(0, len(lines) - 1), label="line index")
    position = choice.draw(st.integers(0, len(lines[index])), label="position")
    line = lines[index]
    broken_lines = [*lines[:index], line[:position] + b"\n" + line[position:], *lines[index + 1 :]]
    broken = b"\r\n".join(broken_lines) + b"\r\n"
    assert (index + 1, "crlf") in codes(lint(broken))
    # Replacing the line's CRLF by a bare LF is found at that line too, and only there.
    replaced = b"".join(
        current + (b"\n" if number == index else b"\r\n") for number, current in enumerate(lines)
    )
    assert [f for f in codes(lint(replaced)) if f[1] == "crlf"] == [(index + 1, "crlf")]


@PROPERTY_SETTINGS
@given(feeds(), st.data())
def test_fold_inside_a_character_is_found_at_its_line(data: bytes, choice: st.DataObject) -> None:
    logical = logical_lines(data)
    candidates = [
        index
        for index, (_, lines) in enumerate(logical)
        if any(0x80 <= byte <= 0xBF for line in lines for byte in line)
    ]
    index = choice.draw(st.sampled_from(candidates), label="content line")
    first_line, lines = logical[index]
    unfolded = lines[0] + b"".join(line[1:] for line in lines[1:])
    inside = [at for at, byte in enumerate(unfolded) if 0x80 <= byte <= 0xBF]
    split = choice.draw(st.sampled_from(inside), label="split offset")
    refolded = [unfolded[:split], b" " + unfolded[split:]]
    broken = join([*logical[:index], (first_line, refolded), *logical[index + 1 :]])
    found = [f for f in codes(lint(broken)) if f[1] in ("fold-utf8", "not-utf8")]
    assert found == [(first_line + 1, "fold-utf8")]


@PROPERTY_SETTINGS
@given(feeds())
def test_naive_octet_folding_is_found_at_every_bad_line(data: bytes) -> None:
    """Refold every content line at 75 octets without regard for characters."""
    rebuilt: list[tuple[int, list[bytes]]] = []
    expected: list[int] = []
    number = 1
    for _, lines in logical_lines(data):
        unfolded = lines[0] + b"".join(line[1:] for line in lines[1:])
        chunks = [unfolded[:75]]
        rest = unfolded[75:]
        while rest:
            chunks.append(b" " + rest[:74])
            rest = rest[74:]
        for offset, chunk in enumerate(chunks[1:], start=1):
            if 0x80 <= chunk[1] <= 0xBF:
                expected.append(number + offset)
        rebuilt.append((number, chunks))
        number += len(chunks)
    findings = lint(join(rebuilt))
    assert [line for line, code in codes(findings) if code == "fold-utf8"] == expected
    assert {code for _, code in codes(findings)} <= {"fold-utf8"}


# --- issue 12: the traps real readers fall into ----------------------------------------
# (tests/interop/test_lint_traps.py shows each trap fooling the readers named here)


def test_vtimezone_tzdata_message_names_offsets_and_readers() -> None:
    (new_york, _) = [f for f in lint(read("vtimezone-tzdata.ics")) if f.code == "vtimezone-tzdata"]
    assert new_york.message.startswith(
        "DTSTART;TZID=America/New_York:20250320T100000 is UTC−5 by the feed's VTIMEZONE"
        " (line 5) but UTC−4 in the tz database (4 times in the feed)"
    )
    assert "ical.js, vobject, libical" in new_york.message and "1 hour apart" in new_york.message


NEW_YORK_ERAS = """BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
DTSTART:19870405T020000
RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060402T070000Z
END:DAYLIGHT
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
DTSTART:20070311T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
DTSTART:19671029T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20061029T060000Z
END:STANDARD
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
DTSTART:20071104T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE
"""


def feed_with(vtimezone: str, *local_times: str, tzid: str = "America/New_York") -> bytes:
    events = "".join(
        f"BEGIN:VEVENT\nUID:{n}@oewg.example\nDTSTAMP:20250301T120000Z\n"
        f"DTSTART;TZID={tzid}:{when}\nEND:VEVENT\n"
        for n, when in enumerate(local_times)
    )
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//y//EN\n{vtimezone}{events}END:VCALENDAR\n"
    return text.replace("\n", "\r\n").encode()


# Worked out from the US rules: EDT from the first Sunday of April (2 April 2006) to the
# last Sunday of October (29 October 2006), then from the second Sunday of March (9 March
# 2025) to the first Sunday of November (2 November 2025).
ERA_TIMES = ("20060410T100000", "20061030T100000", "20250320T100000", "20251031T100000")


def test_vtimezone_in_eras_with_until_agrees_with_the_tz_database() -> None:
    assert lint(feed_with(NEW_YORK_ERAS, *ERA_TIMES)) == []


def test_an_era_without_its_until_runs_on_and_is_caught() -> None:
    # the old STANDARD rule, never ended, brings EST back on 26 October 2025
    endless = NEW_YORK_ERAS.replace(";UNTIL=20061029T060000Z", "")
    findings = lint(feed_with(endless, *ERA_TIMES))
    # 3 calendar lines, 27 of VTIMEZONE, then 5 lines an event: the fourth DTSTART is line 49
    assert [(f.line, f.code) for f in findings] == [(49, "vtimezone-tzdata")]
    assert "20251031T100000 is UTC−5 by the feed's VTIMEZONE" in findings[0].message


def test_rdate_form_vtimezone_is_evaluated_too() -> None:
    rdates = """BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
DTSTART:20250309T020000
RDATE:20260308T020000
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
DTSTART:20251102T020000
RDATE:20261101T020000
END:STANDARD
END:VTIMEZONE
"""
    times = ("20250320T100000", "20260110T100000", "20260610T100000")
    assert [f.code for f in lint(feed_with(rdates, *times))] == ["vtimezone-rdate"] * 2
    # one switch left out: summer 2026 is EST by this VTIMEZONE
    broken = rdates.replace("RDATE:20260308T020000\n", "")
    assert [f.code for f in lint(feed_with(broken, *times))] == [
        "vtimezone-rdate",
        "vtimezone-tzdata",
    ]


def test_times_in_a_gap_or_fold_and_other_names_are_left_alone() -> None:
    # 2:30 on 9 March 2025 does not exist in New York, 1:30 on 2 November happens twice:
    # readers may differ there for good reasons; "EST5EDT"-like custom names are not IANA
    assert lint(feed_with(NEW_YORK_ERAS, "20250309T023000", "20251102T013000")) == []
    custom = NEW_YORK_ERAS.replace("America/New_York", "Eastern Standard Time")
    assert lint(feed_with(custom, "20250320T100000", tzid="Eastern Standard Time")) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written_feeds(max_meetings=4))
def test_every_feed_we_write_lints_without_errors(feed: Feed) -> None:
    """Our VTIMEZONEs (checked against zoneinfo when written) pass the independent
    VTIMEZONE evaluation, and every RELATED-TO names an event of the feed.

    (The strategy draws any SEQUENCE, also 0 for a cancelled event, which refresh never
    writes: that finding is left aside here.)"""
    errors = [f for f in lint(write_ics(feed)) if f.severity is Severity.ERROR]
    assert [f for f in errors if f.code != "cancelled-sequence"] == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written_feeds(max_meetings=4))
def test_a_daylight_offset_an_hour_off_is_caught_exactly_when_used(feed: Feed) -> None:
    data = write_ics(feed)
    shifted = re.sub(
        rb"(BEGIN:DAYLIGHT\r\n(?:(?!END:DAYLIGHT).*\r\n)*?TZOFFSETTO:)([+-]\d{2})",
        lambda m: m.group(1) + b"%+03d" % (int(m.group(2)) + 1),
        data,
    )
    # by zoneinfo alone: is any local time the feed uses in summer time, and unambiguous?
    in_summer = False
    for event in feed.events:
        programme = feed.programme(event.programme)
        zone = ZoneInfo(programme.timezone)
        meeting = event.meeting
        if meeting.start is None:
            continue  # a day without a time is written as DATEs: no zone is used
        for local in (programme.start_of(meeting), programme.end_of(meeting)):
            wall = local.replace(tzinfo=None)
            early, late = wall.replace(tzinfo=zone), wall.replace(tzinfo=zone, fold=1)
            if early.utcoffset() == late.utcoffset() and early.dst():
                in_summer = True
    found = [f for f in lint(shifted) if f.code == "vtimezone-tzdata"]
    assert bool(found) == in_summer
    assert shifted != data or not in_summer


def test_related_to_a_withdrawn_event_is_caught(seed_programme: Programme) -> None:
    data = to_ics(seed_programme)
    assert lint(data) == []
    # take out Monday afternoon, where 5(a) begins: Tuesday morning's FIRST and
    # FINISHTOSTART now name nothing
    start = data.index(b"BEGIN:VEVENT", data.index(b"20230306T150000") - 400)
    end = data.index(b"END:VEVENT\r\n", start) + len(b"END:VEVENT\r\n")
    assert b"UID:20230306-2-" in data[start:end]
    findings = lint(data[:start] + data[end:])
    assert [f.code for f in findings] == ["related-to-unknown"] * 2
    assert all("20230306-2-oewg-on-ict" in f.message for f in findings)
