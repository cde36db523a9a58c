"""The exceptions oewg_cal raises: one hierarchy, rooted at :class:`OewgCalError`.

* :class:`ProgrammeError` and its subclasses: a programme that would be wrong was about
  to be built (raised by the model's validators, whoever calls them).
* :class:`ReadError` and its subclasses: an input (a programme document, a programme
  file, a feed, a config) could not be read; the message names the source, the line
  (and column where it helps), what was found and what was expected.
* :class:`TimeTextError`: a time or date written for people could not be read (the
  readers turn it into a :class:`DocumentError` with the line).
* :class:`SchemaError`: plain data (a programme file, an ``X-OEWG-*`` value) does not fit
  the model's schema; ``path`` says where.
* :class:`FetchError`: a source could not be fetched over HTTP(S).
* :class:`PublishError` (and :class:`TooManyLosses`): a feed was not published; the
  previous one is intact.  :class:`CaldavError`: a CalDAV server could not be reached,
  refused the credentials, or answered something unusable.
* :class:`ZoneDefinitionError`: a derived VTIMEZONE disagrees with the tz database (a
  bug, never silent).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oewg_cal.model import Meeting

__all__ = [
    "AmbiguousLocalTime",
    "CaldavError",
    "ConfigError",
    "DocumentError",
    "DocumentWarning",
    "FeedError",
    "FetchError",
    "InvalidField",
    "InvalidTimeRange",
    "MeetingOutsideSession",
    "NonexistentLocalTime",
    "OewgCalError",
    "OrphanContinuation",
    "OverlappingMeetings",
    "ProgrammeError",
    "PublishError",
    "ReadError",
    "SchemaError",
    "TimeTextError",
    "TooManyLosses",
    "UnknownFootnote",
    "UnknownTimeZone",
    "ZoneDefinitionError",
]


class OewgCalError(Exception):
    """Base class of every exception raised by oewg_cal."""


class ProgrammeError(OewgCalError, ValueError):
    """A programme, meeting or agenda entry would be invalid.

    ``meeting`` is the meeting at fault when the programme as a whole is invalid
    (an overlap, an orphan continuation, a meeting outside the session, a local time
    that does not exist), so that a reader can point at the line it came from.
    """

    def __init__(self, message: str, *, meeting: Meeting | None = None) -> None:
        super().__init__(message)
        self.meeting = meeting


class InvalidField(ProgrammeError):
    """A field holds a value of the right type but outside what the model accepts."""


class InvalidTimeRange(ProgrammeError):
    """A meeting does not end after it starts (or a session ends before it starts)."""


class MeetingOutsideSession(ProgrammeError):
    """A meeting falls on a day outside the session's first and last day."""


class OverlappingMeetings(ProgrammeError):
    """Two meetings overlap in the same room."""


class NonexistentLocalTime(ProgrammeError):
    """A local time falls in a daylight-saving gap of the programme's time zone."""


class AmbiguousLocalTime(ProgrammeError):
    """A local time occurs twice (daylight-saving fold) in the programme's time zone."""


class OrphanContinuation(ProgrammeError):
    """An entry is marked "(continued)" but no earlier meeting took up its item."""


class UnknownTimeZone(ProgrammeError):
    """The time zone is not an IANA zone known to the tz database."""


class UnknownFootnote(ProgrammeError):
    """An entry refers to a footnote mark that the programme does not define."""


class ReadError(OewgCalError, ValueError):
    """An input could not be read.

    ``source`` names the input (a file name, a URL or ``"<string>"``), ``line`` and
    ``column`` are 1-based (``None`` when they do not apply).  ``str()`` gives the
    familiar ``source:line:column: message`` form.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str = "<input>",
        line: int | None = None,
        column: int | None = None,
        page: int | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.page = page
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{where(self.source, self.line, self.column, self.page)}: {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_read_error,
            (type(self), self.message, self.source, self.line, self.column, self.page),
        )


def where(source: str, line: int | None, column: int | None = None, page: int | None = None) -> str:
    """ "file.txt:12:4", or "file.pdf, page 3, line 12" where a page is known."""
    if page is not None:
        return f"{source}, page {page}" + (f", line {line}" if line is not None else "")
    text = source
    if line is not None:
        text += f":{line}"
        if column is not None:
            text += f":{column}"
    return text


def _rebuild_read_error(
    cls: type[ReadError],
    message: str,
    source: str,
    line: int | None,
    column: int | None,
    page: int | None,
) -> ReadError:
    return cls(message, source=source, line=line, column=column, page=page)


class DocumentError(ReadError):
    """A programme document (text, markdown, HTML, TOML/JSON file) could not be read."""


class DocumentWarning(UserWarning):
    """Something a reader assumed, or a line it could not place, in a document it read.

    Not an error: the programme was read.  ``source``, ``line`` and ``page`` (for a PDF)
    locate it; ``str()`` gives ``source:line: message``.  Readers return these with the
    programme (:func:`oewg_cal.readers.read`); ``--strict`` makes them errors.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str = "<input>",
        line: int | None = None,
        page: int | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.page = page
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{where(self.source, self.line, None, self.page)}: {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_warning, (self.message, self.source, self.line, self.page))


def _rebuild_warning(
    message: str, source: str, line: int | None, page: int | None
) -> DocumentWarning:
    return DocumentWarning(message, source=source, line=line, page=page)


class FeedError(ReadError):
    """An iCalendar feed could not be read back into a programme."""


class ConfigError(ReadError):
    """A refresh configuration file is invalid."""


class TimeTextError(OewgCalError, ValueError):
    """A time or date could not be read.

    ``found`` is the text, ``expected`` a short phrase saying what would have been
    readable and ``column`` the 0-based offset of the problem in ``found`` (``None``
    when no single place is at fault).
    """

    def __init__(
        self, message: str, *, found: str, expected: str, column: int | None = None
    ) -> None:
        self.message = message
        self.found = found
        self.expected = expected
        self.column = column
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f'{self.message} "{self.found}" (expected {self.expected})'

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_time_text_error, (self.message, self.found, self.expected, self.column))


def _rebuild_time_text_error(
    message: str, found: str, expected: str, column: int | None
) -> TimeTextError:
    return TimeTextError(message, found=found, expected=expected, column=column)


class SchemaError(OewgCalError, ValueError):
    """Plain data does not fit the schema of the model (:mod:`oewg_cal.schema`).

    ``path`` locates the value at fault from the top of the data, e.g.
    ``("meetings", 3, "start")``; a reader turns it into a line of its file.
    """

    def __init__(self, message: str, *, path: tuple[str | int, ...] = ()) -> None:
        self.message = message
        self.path = path
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{format_path(self.path)}: {self.message}" if self.path else self.message

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_schema_error, (self.message, self.path))


def _rebuild_schema_error(message: str, path: tuple[str | int, ...]) -> SchemaError:
    return SchemaError(message, path=path)


def format_path(path: tuple[str | int, ...]) -> str:
    """``("meetings", 3, "start")`` as people count: ``meetings[4].start``."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class FetchError(OewgCalError):
    """A source could not be fetched (HTTP error, timeout, too large, bad redirect)."""


class PublishError(OewgCalError):
    """A feed was not published; the previously published file is left untouched."""


class CaldavError(PublishError):
    """Publishing to a CalDAV collection failed: a bad collection URL or credentials, a
    connection or timeout, an error status, or an answer that is not usable (too large,
    not XML, not calendar data)."""


class TooManyLosses(PublishError):
    """The feed would lose more of its live events than the configuration allows."""


class ZoneDefinitionError(OewgCalError):
    """A derived VTIMEZONE does not agree with the tz database (a bug, never silent)."""
