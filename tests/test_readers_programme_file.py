"""Hand-written programme files (TOML and JSON): read, written, and errors at their lines."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given

from oewg_cal import AgendaEntry, Body, Meeting, Programme, Segment
from oewg_cal.errors import DocumentError, DocumentWarning
from oewg_cal.readers import read_programme
from oewg_cal.readers.programme_file import dumps_json, dumps_toml, loads
from strategies import programmes

ROOT = Path(__file__).resolve().parents[1]
SEED_TOML = ROOT / "examples" / "oewg-ict-4th-session.toml"

SMALL = Programme(
    body=Body(name="Open-ended working group", short_name="OEWG"),
    session="Fourth session",
    place="New York",
    venue="United Nations Headquarters",
    first_day=dt.date(2023, 3, 6),
    last_day=dt.date(2023, 3, 10),
    issued=dt.date(2023, 3, 4),
    meetings=(
        Meeting(
            date=dt.date(2023, 3, 6),
            start=dt.time(10),
            end=dt.time(13),
            entries=(AgendaEntry(item=3, title="organization of work"),),
        ),
        Meeting(
            date=dt.date(2023, 3, 6),
            start=dt.time(15),
            end=dt.time(18),
            entries=(AgendaEntry(segment=Segment.CLOSURE, label="Closure of the session"),),
        ),
    ),
)

# Times without seconds, as people write them; the line numbers are those of the tests.
SMALL_TOML = """\
format = 1
session = "Fourth session"
place = "New York"
venue = "United Nations Headquarters"
first_day = 2023-03-06
last_day = 2023-03-10
issued = 2023-03-04

[body]
name = "Open-ended working group"
short_name = "OEWG"

[[meetings]]
date = 2023-03-06
start = 10:00
end = 13:00

  [[meetings.entries]]
  item = 3
  title = "organization of work"

[[meetings]]
date = 2023-03-06
start = 15:00
end = 18:00

  [[meetings.entries]]
  segment = "closure"
  label = "Closure of the session"
"""

SMALL_JSON = """\
{
  "format": 1,
  "session": "Fourth session",
  "place": "New York",
  "venue": "United Nations Headquarters",
  "first_day": "2023-03-06",
  "last_day": "2023-03-10",
  "issued": "2023-03-04",
  "body": {"name": "Open-ended working group", "short_name": "OEWG"},
  "meetings": [
    {
      "date": "2023-03-06",
      "start": "10:00",
      "end": "13:00",
      "entries": [{"item": 3, "title": "organization of work"}]
    },
    {
      "date": "2023-03-06",
      "start": "15:00",
      "end": "18:00",
      "entries": [
        {"segment": "closure", "label": "Closure of the session"}
      ]
    }
  ]
}
"""


def _line(text: str, number: int, old: str, new: str) -> str:
    """``text`` with ``old`` replaced by ``new`` on line ``number`` (which must hold it)."""
    lines = text.split("\n")
    assert old in lines[number - 1], (number, lines[number - 1])
    lines[number - 1] = lines[number - 1].replace(old, new)
    return "\n".join(lines)


def _new_york_assumed() -> pytest.WarningsChecker:
    """SMALL names New York and no zone: it is read in New York's, with a warning."""
    return pytest.warns(
        DocumentWarning, match=r"no timezone: America/New_York, the time zone of New York$"
    )


# ---------------------------------------------------------------- reading


def test_a_small_toml_file() -> None:
    with _new_york_assumed():
        assert loads(SMALL_TOML) == SMALL


def test_a_small_json_file() -> None:
    with _new_york_assumed():
        assert loads(SMALL_JSON) == SMALL


def test_the_default_time_zone_is_new_york() -> None:
    assert "timezone" not in SMALL_TOML
    with _new_york_assumed():
        assert loads(SMALL_TOML).timezone == "America/New_York"
    zurich = SMALL_TOML.replace("format = 1\n", 'format = 1\ntimezone = "Europe/Zurich"\n')
    with pytest.warns(DocumentWarning, match="'Europe/Zurich' is not the time zone of New York"):
        assert loads(zurich).timezone == "Europe/Zurich"


@pytest.mark.parametrize(
    ("written", "start"),
    [
        ("start = 10:00", dt.time(10)),
        ("start = 10:00:00", dt.time(10)),
        ("start = 9:30", dt.time(9, 30)),  # one digit for the hour
        ("start = 09:30  # after the briefing", dt.time(9, 30)),
        ("  start=10:15", dt.time(10, 15)),
    ],
)
def test_times_with_or_without_seconds(written: str, start: dt.time) -> None:
    lines = SMALL_TOML.split("\n")
    assert lines[14] == "start = 10:00"
    lines[14] = written
    with _new_york_assumed():
        assert loads("\n".join(lines)).meetings[0].start == start


def test_a_time_written_inside_a_multi_line_string_is_text() -> None:
    note = "Times as printed:\nstart = 10:00\nend = 13:00"
    written = SMALL_TOML.replace(
        "issued = 2023-03-04\n", f'issued = 2023-03-04\nnotes = ["""{note}"""]\n', 1
    )
    with _new_york_assumed():
        programme = loads(written)
    assert programme.notes == (note,)  # not "start = 10:00:00"
    assert programme.meetings == SMALL.meetings


def test_times_as_text_in_toml_and_json() -> None:
    quoted = SMALL_TOML.replace("start = 10:00", 'start = "10:00"')
    with _new_york_assumed():
        assert loads(quoted) == SMALL
    seconds = SMALL_JSON.replace('"10:00"', '"10:00:00"')
    with _new_york_assumed():
        assert loads(seconds) == SMALL


def test_read_programme_reads_programme_files() -> None:
    # SMALL names New York and no zone: the zone of the duty station, with a warning
    with pytest.warns(DocumentWarning, match=r"^p\.toml:3: no timezone: America/New_York"):
        assert read_programme(SMALL_TOML.encode(), source="p.toml") == SMALL
    with pytest.warns(DocumentWarning, match=r"^p\.json:4: no timezone: America/New_York"):
        assert read_programme(SMALL_JSON.encode(), source="p.json") == SMALL


# ---------------------------------------------------------------- writing


def test_the_committed_toml_file_is_the_seed_written(seed_programme: Programme) -> None:
    text = SEED_TOML.read_text(encoding="utf-8")
    assert dumps_toml(seed_programme) == text
    assert loads(text) == seed_programme


def test_dumps_toml_of_a_small_programme() -> None:
    assert dumps_toml(SMALL) == (
        '# oewg_cal programme file (see the README, "Hand-written programme files")\n'
        "format = 1\n"
        'session = "Fourth session"\n'
        'place = "New York"\n'
        'venue = "United Nations Headquarters"\n'
        'timezone = "America/New_York"\n'
        "first_day = 2023-03-06\n"
        "last_day = 2023-03-10\n"
        "issued = 2023-03-04\n"
        "\n"
        "[body]\n"
        'name = "Open-ended working group"\n'
        'short_name = "OEWG"\n'
        "\n"
        "[[meetings]]\n"
        "date = 2023-03-06\n"
        "start = 10:00:00\n"
        "end = 13:00:00\n"
        "\n"
        "  [[meetings.entries]]\n"
        "  item = 3\n"
        '  title = "organization of work"\n'
        "\n"
        "[[meetings]]\n"
        "date = 2023-03-06\n"
        "start = 15:00:00\n"
        "end = 18:00:00\n"
        "\n"
        "  [[meetings.entries]]\n"
        '  segment = "closure"\n'
        '  label = "Closure of the session"\n'
    )


def test_dumps_json_of_a_small_programme() -> None:
    text = dumps_json(SMALL)
    assert text.endswith("}\n") and text.startswith('{\n  "format": 1,\n  "session": ')
    assert json.loads(text) == {
        "format": 1,
        "session": "Fourth session",
        "place": "New York",
        "venue": "United Nations Headquarters",
        "timezone": "America/New_York",
        "first_day": "2023-03-06",
        "last_day": "2023-03-10",
        "issued": "2023-03-04",
        "body": {"name": "Open-ended working group", "short_name": "OEWG"},
        "meetings": [
            {
                "date": "2023-03-06",
                "start": "10:00",
                "end": "13:00",
                "entries": [{"item": 3, "title": "organization of work"}],
            },
            {
                "date": "2023-03-06",
                "start": "15:00",
                "end": "18:00",
                "entries": [{"segment": "closure", "label": "Closure of the session"}],
            },
        ],
    }
    assert loads(text) == SMALL


def test_dumps_json_of_the_seed(seed_programme: Programme) -> None:
    text = dumps_json(seed_programme)
    assert "2021–2025" in text and "\\u2013" not in text  # non-ASCII text as it is
    data = json.loads(text)
    assert data["body"]["short_name"] == "OEWG on ICT security 2021–2025"
    assert data["meetings"][0]["entries"][:2] == [
        {"segment": "opening", "label": "Opening of the session"},
        {
            "segment": "opening-statements",
            "label": "Opening statements",
            "speakers": [
                "Under-Secretary-General and High Representative for Disarmament Affairs",
                "Chair of the open-ended working group on security of and in the use of "
                "information and communications technologies 2021–2025",
            ],
        },
    ]
    assert data["footnotes"][0]["mark"] == "1"
    assert [r["symbol"] for r in data["references"]] == [
        "A/RES/75/240",
        "A/AC.292/2021/1",
        "A/77/275",
    ]
    assert loads(text) == seed_programme


@given(programmes())
def test_written_files_read_back_identical(programme: Programme) -> None:
    assert loads(dumps_toml(programme)) == programme
    assert loads(dumps_json(programme)) == programme


# ---------------------------------------------------------------- errors at their lines


@pytest.mark.parametrize(
    ("line", "old", "new", "message"),
    [
        (
            28,
            '"closure"',
            '"lunch"',
            "meetings[2].entries[1].segment: unknown segment 'lunch' (expected one of opening, "
            "opening-statements, stakeholder, closure, concluding-remarks, other)",
        ),
        (
            5,
            "2023-03-06",
            '"6 March 2023"',
            "first_day: expected a date written year-month-day like 2023-03-06, "
            "found '6 March 2023'",
        ),
        (
            6,
            "2023-03-10",
            '"03/10/2023"',
            "last_day: expected a date written year-month-day like 2023-03-06, found '03/10/2023'",
        ),
        (
            14,
            "2023-03-06",
            "2023-03-06T10:00:00",
            "meetings[1].date: expected a date like 2023-03-06, "
            "found the date-time 2023-03-06 10:00:00",
        ),
        (
            15,
            "10:00",
            '"ten"',
            "meetings[1].start: expected a time like \"10:00\", found 'ten'",
        ),
        (
            15,
            "10:00",
            '"10:00:30"',
            "meetings[1].start: expected a time like \"10:00\", found '10:00:30'",
        ),
        (19, "3", '"3"', "meetings[1].entries[1].item: expected an agenda item number, found '3'"),
        (
            16,
            "end = 13:00",
            "room = 4\nend = 13:00",
            "meetings[1].room: expected text, found a number 4",
        ),
        (
            16,
            "end = 13:00",
            'colour = "red"\nend = 13:00',
            "meetings[1].colour: unknown key 'colour' in a meeting (expected date, end, "
            "end_assumed, entries, followed_by, formal, kind, overnight, room, start)",
        ),
        (1, "format = 1", "format = 2", "format: unsupported format 2 (expected 1)"),
        (
            24,
            "15:00",
            "12:00",
            "meetings[2].start: the meeting of 2023-03-06 10:00–13:00 and the meeting of "
            "2023-03-06 12:00–18:00 overlap in the main room",
        ),
        (
            23,
            "2023-03-06",
            "2023-03-11",
            "meetings[2].date: the meeting of 2023-03-11 15:00–18:00 is outside the session "
            "(2023-03-06 to 2023-03-10)",
        ),
    ],
)
def test_toml_errors_name_the_line(line: int, old: str, new: str, message: str) -> None:
    with pytest.raises(DocumentError) as info:
        loads(_line(SMALL_TOML, line, old, new), source="p.toml")
    assert (info.value.source, info.value.line, info.value.message) == ("p.toml", line, message)
    assert str(info.value) == f"p.toml:{line}: {message}"


def test_an_error_of_a_meeting_itself_is_at_its_table_line() -> None:
    # its end against its start: neither key alone is at fault
    with pytest.raises(DocumentError) as info:
        loads(_line(SMALL_TOML, 25, "18:00", "14:00"), source="p.toml")
    assert str(info.value) == (
        "p.toml:22: meetings[2]: the meeting of 2023-03-06 ends at 14:00, "
        "not after it starts at 15:00"
    )


@pytest.mark.parametrize(
    ("line", "old", "new", "message"),
    [
        (
            22,
            '"closure"',
            '"lunch"',
            "meetings[2].entries[1].segment: unknown segment 'lunch' (expected one of opening, "
            "opening-statements, stakeholder, closure, concluding-remarks, other)",
        ),
        (
            6,
            '"2023-03-06"',
            '"March 6, 2023"',
            "first_day: expected a date written year-month-day like 2023-03-06, "
            "found 'March 6, 2023'",
        ),
        (13, '"10:00"', "10", 'meetings[1].start: expected a time like "10:00", found 10'),
        (
            9,
            '"short_name": "OEWG"',
            '"short": "OEWG"',
            "body.short: unknown key 'short' in [body] (expected name, short_name)",
        ),
        (
            15,
            '"item": 3',
            '"item": true',
            "meetings[1].entries[1].item: expected an agenda item number, found True",
        ),
        (
            19,
            '"15:00"',
            '"12:00"',
            "meetings[2].start: the meeting of 2023-03-06 10:00–13:00 and the meeting of "
            "2023-03-06 12:00–18:00 overlap in the main room",
        ),
    ],
)
def test_json_errors_name_the_line(line: int, old: str, new: str, message: str) -> None:
    with pytest.raises(DocumentError) as info:
        loads(_line(SMALL_JSON, line, old, new), source="p.json")
    assert (info.value.source, info.value.line, info.value.message) == ("p.json", line, message)


def test_a_missing_key_names_its_table() -> None:
    no_session = SMALL_TOML.replace('session = "Fourth session"\n', "")
    with pytest.raises(DocumentError) as info:
        loads(no_session, source="p.toml")
    # the programme itself has no line: the whole file is at fault
    assert (info.value.line, info.value.message) == (None, "missing key 'session' in the programme")
    no_date = _line(SMALL_TOML, 14, "date = 2023-03-06", "")
    with pytest.raises(DocumentError) as info:
        loads(no_date, source="p.toml")
    assert (info.value.line, info.value.message) == (
        13,
        "meetings[1]: missing key 'date' in a meeting",
    )
    # a start without an end is neither a timed meeting nor a day without a time
    no_end = _line(SMALL_TOML, 16, "end = 13:00", "")
    with pytest.raises(DocumentError) as info:
        loads(no_end, source="p.toml")
    assert (info.value.line, info.value.message) == (
        13,
        "meetings[1]: the meeting of 2023-03-06 needs both a start and an end, or neither "
        "(a day without a time)",
    )


def test_syntax_errors_name_line_and_column() -> None:
    with pytest.raises(DocumentError) as info:
        loads(_line(SMALL_TOML, 3, '"New York"', '"New York'), source="p.toml")
    assert (info.value.line, info.value.column) == (3, 18)  # the end of the line
    assert info.value.message.startswith("not valid TOML: ")
    assert info.value.message.endswith("(expected a programme file (see the README))")
    with pytest.raises(DocumentError) as info:
        loads(_line(SMALL_JSON, 4, '"New York",', '"New York"'), source="p.json")
    # the comma is missing at the end of line 4: JSON finds out at the next key
    assert (info.value.line, info.value.column) == (5, 3)
    assert info.value.message == (
        "not valid JSON: Expecting ',' delimiter (expected a programme file (see the README))"
    )


def test_a_programme_file_error_points_at_the_meeting_at_fault() -> None:
    text = (ROOT / "examples" / "oewg-ict-4th-session.toml").read_text(encoding="utf-8")
    second = [n for n, line in enumerate(text.splitlines(), 1) if line == "[[meetings]]"][1]
    lines = text.splitlines()
    assert lines[second + 1] == "start = 15:00:00"  # the second meeting, Monday afternoon
    lines[second + 1] = "start = 12:00:00"
    with pytest.raises(DocumentError) as info:
        read_programme("\n".join(lines), source="p.toml")
    assert "meetings[2]" in str(info.value) and "overlap" in str(info.value)
    assert info.value.line == second + 2  # the "start" line at fault
