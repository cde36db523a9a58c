"""The one exception hierarchy: every class, the messages' forms, pickling."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from oewg_cal import AgendaEntry, Meeting, errors
from oewg_cal.errors import (
    AmbiguousLocalTime,
    CaldavError,
    ConfigError,
    DocumentError,
    DocumentWarning,
    FeedError,
    FetchError,
    InvalidField,
    InvalidTimeRange,
    MeetingOutsideSession,
    NonexistentLocalTime,
    OewgCalError,
    OrphanContinuation,
    OverlappingMeetings,
    ProgrammeError,
    PublishError,
    ReadError,
    SchemaError,
    TimeTextError,
    TooManyLosses,
    UnknownFootnote,
    UnknownTimeZone,
    ZoneDefinitionError,
    format_path,
    where,
)

MEETING = Meeting(
    date=dt.date(2023, 3, 6),
    start=dt.time(10),
    end=dt.time(13),
    entries=(AgendaEntry(item=3, title="organization of work"),),
)


@pytest.mark.parametrize(
    "error",
    [
        InvalidField,
        InvalidTimeRange,
        MeetingOutsideSession,
        OverlappingMeetings,
        NonexistentLocalTime,
        AmbiguousLocalTime,
        OrphanContinuation,
        UnknownTimeZone,
        UnknownFootnote,
    ],
)
def test_programme_errors_are_one_family(error: type[Exception]) -> None:
    assert issubclass(error, ProgrammeError)
    assert issubclass(error, OewgCalError)
    assert issubclass(error, ValueError)
    assert error.__name__ in errors.__all__


def test_every_exception_is_an_oewg_cal_error() -> None:
    for name in errors.__all__:
        error = getattr(errors, name)
        if name == "DocumentWarning":
            assert issubclass(error, UserWarning) and not issubclass(error, OewgCalError)
        else:
            assert issubclass(error, OewgCalError), name
    # the three that lived elsewhere before the layout of issue 11
    assert {"TimeTextError", "ZoneDefinitionError", "TooManyLosses"} <= set(errors.__all__)


@pytest.mark.parametrize(
    ("error", "parent"),
    [
        (DocumentError, ReadError),
        (FeedError, ReadError),
        (ConfigError, ReadError),
        (ReadError, ValueError),
        (TimeTextError, ValueError),
        (SchemaError, ValueError),
        (TooManyLosses, PublishError),
        (CaldavError, PublishError),
        (FetchError, OewgCalError),
        (ZoneDefinitionError, OewgCalError),
    ],
)
def test_the_families(error: type[Exception], parent: type[Exception]) -> None:
    assert issubclass(error, parent)


def test_input_errors_are_not_programme_errors() -> None:
    for error in (ReadError, TimeTextError, SchemaError, FetchError, PublishError):
        assert not issubclass(error, ProgrammeError)


def test_a_programme_error_pickles_with_its_meeting() -> None:
    error = OverlappingMeetings("they overlap", meeting=MEETING)
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is OverlappingMeetings
    assert (str(back), back.meeting) == ("they overlap", MEETING)


def test_a_programme_error_of_the_whole_programme_has_no_meeting() -> None:
    assert InvalidTimeRange("the session ends before it starts").meeting is None


# ---------------------------------------------------------------- read errors


@pytest.mark.parametrize(
    ("line", "column", "text"),
    [
        (None, None, "programme.md: cannot read it"),
        (41, None, "programme.md:41: cannot read it"),
        (41, 7, "programme.md:41:7: cannot read it"),
        # a column without a line is not shown: it would read as a line
        (None, 7, "programme.md: cannot read it"),
    ],
)
def test_a_read_error_names_source_line_and_column(
    line: int | None, column: int | None, text: str
) -> None:
    error = DocumentError("cannot read it", source="programme.md", line=line, column=column)
    assert str(error) == text
    assert error.args == (text,)
    assert (error.message, error.source, error.line, error.column) == (
        "cannot read it",
        "programme.md",
        line,
        column,
    )


@pytest.mark.parametrize(
    ("line", "column", "page", "text"),
    [
        (12, 4, None, "p.pdf:12:4"),
        (12, None, 3, "p.pdf, page 3, line 12"),
        (12, 4, 3, "p.pdf, page 3, line 12"),  # no column in a PDF
        (None, None, 3, "p.pdf, page 3"),
        (None, None, None, "p.pdf"),
    ],
)
def test_where(line: int | None, column: int | None, page: int | None, text: str) -> None:
    assert where("p.pdf", line, column, page) == text


def test_a_read_error_in_a_pdf_names_the_page() -> None:
    error = DocumentError("cannot read time", source="p.pdf", line=12, page=3)
    assert str(error) == "p.pdf, page 3, line 12: cannot read time"
    back = pickle.loads(pickle.dumps(error))
    assert (back.page, back.line, str(back)) == (3, 12, str(error))


def test_a_document_warning() -> None:
    warning = DocumentWarning("the end of 10 a.m. is assumed", source="p.txt", line=7)
    assert str(warning) == "p.txt:7: the end of 10 a.m. is assumed"
    assert (warning.message, warning.source, warning.line, warning.page) == (
        "the end of 10 a.m. is assumed",
        "p.txt",
        7,
        None,
    )
    back = pickle.loads(pickle.dumps(DocumentWarning("m", source="p.pdf", line=2, page=1)))
    assert str(back) == "p.pdf, page 1, line 2: m"


def test_a_read_error_without_a_source_says_input() -> None:
    assert str(ReadError("empty")) == "<input>: empty"


@pytest.mark.parametrize("kind", [ReadError, DocumentError, FeedError, ConfigError])
def test_read_errors_pickle_with_their_place(kind: type[ReadError]) -> None:
    error = kind("bad value", source="feeds.toml", line=3, column=9)
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is kind
    assert (back.message, back.source, back.line, back.column, str(back)) == (
        "bad value",
        "feeds.toml",
        3,
        9,
        "feeds.toml:3:9: bad value",
    )


def test_a_time_text_error_reads_found_and_expected() -> None:
    error = TimeTextError("cannot read time", found="10 a.m.–", expected="a range", column=8)
    assert str(error) == 'cannot read time "10 a.m.–" (expected a range)'
    back = pickle.loads(pickle.dumps(error))
    assert (back.message, back.found, back.expected, back.column) == (
        "cannot read time",
        "10 a.m.–",
        "a range",
        8,
    )


# ---------------------------------------------------------------- schema errors


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), ""),
        (("session",), "session"),
        (("body", "name"), "body.name"),
        # list indices are counted from 1, as people count
        (("meetings", 0), "meetings[1]"),
        (("meetings", 3, "start"), "meetings[4].start"),
        (
            ("meetings", 0, "entries", 1, "sub_item", "letter"),
            "meetings[1].entries[2].sub_item.letter",
        ),
        ((2,), "[3]"),
    ],
)
def test_format_path(path: tuple[str | int, ...], text: str) -> None:
    assert format_path(path) == text


def test_a_schema_error_names_its_path() -> None:
    error = SchemaError("expected text, found a number 5", path=("meetings", 1, "room"))
    assert str(error) == "meetings[2].room: expected text, found a number 5"
    assert error.path == ("meetings", 1, "room")
    assert str(SchemaError("missing key 'body' in the programme")) == (
        "missing key 'body' in the programme"
    )
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), back.message, back.path, str(back)) == (
        SchemaError,
        error.message,
        error.path,
        str(error),
    )
