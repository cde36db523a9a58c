"""Readers: build a :class:`~oewg_cal.model.Programme` from the documents missions receive.

:func:`read` chooses the reader by content (or by ``format``): a programme file (TOML or
JSON, :mod:`~oewg_cal.readers.programme_file`), a PDF (:mod:`~oewg_cal.readers.pdf`), or
a document as text or as a marked-up table (:mod:`~oewg_cal.readers.lines`,
:mod:`~oewg_cal.readers.layout`), all read by :mod:`~oewg_cal.readers.document`.  It
returns the programme with the reader's warnings (what it assumed, what it could not
place).  Whatever the input, only :class:`~oewg_cal.errors.OewgCalError` subclasses
escape, naming the source and line.
"""

from __future__ import annotations

import re
import warnings as _warnings
from typing import TYPE_CHECKING, NamedTuple

from oewg_cal.errors import DocumentError, DocumentWarning, OewgCalError

if TYPE_CHECKING:
    from oewg_cal.model import Programme

__all__ = [
    "FORMATS",
    "MAX_DOCUMENT_BYTES",
    "Reading",
    "detect_format",
    "read",
    "read_programme",
]

#: Larger inputs are refused before they are read (a programme of work is a few pages);
#: fetched sources are held to the same limit.
MAX_DOCUMENT_BYTES = 20_000_000

#: The input formats, each chosen by content unless forced.
FORMATS = ("toml", "json", "pdf", "tsv", "html", "markdown", "text")

#: What :func:`detect_format` calls a published iCalendar feed (not a programme document).
FEED_FORMAT = "ics"


class Reading(NamedTuple):
    """What a reader read: the programme, and its warnings in document order."""

    programme: Programme
    warnings: tuple[DocumentWarning, ...] = ()


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data[:4096]:
        raise DocumentError(
            "binary data, not a text document or a PDF (expected a programme of work)",
            source=source,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DocumentError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}; expected a UTF-8 document)",
            source=source,
            line=line,
        ) from exc
    if not text.strip():
        raise DocumentError("the document is empty (expected a programme of work)", source=source)
    return text


def detect_format(data: bytes | str) -> str:
    """The format of an input, from its content: one of :data:`FORMATS`, or ``"ics"``."""
    head = data[:1024] if isinstance(data, bytes) else data[:1024].encode("utf-8", "replace")
    if head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    text = data if isinstance(data, str) else data.decode("utf-8", "replace")
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.upper().startswith("BEGIN:VCALENDAR"):
        return FEED_FORMAT
    if stripped.startswith("{"):
        return "json"
    if re.search(r"^\s*\[(\[meetings\]|body)\]\s*$", text, re.MULTILINE):
        return "toml"
    from oewg_cal.readers.layout import detect_shape

    return detect_shape(text)


def read(
    data: bytes | str,
    *,
    source: str = "<input>",
    format: str | None = None,
    timezone: str | None = None,
    short_name: str | None = None,
) -> Reading:
    """Read a programme from a document or programme file, choosing the reader by content.

    ``format`` forces one of :data:`FORMATS`; ``timezone`` overrides the zone of the duty
    station (and of a programme file); ``short_name`` the body's short name.  Returns the
    programme and the warnings of the reading; raises
    :class:`~oewg_cal.errors.DocumentError` for what cannot be read at all.
    """
    from oewg_cal._gc import paused_collector

    with paused_collector():
        try:
            return _read(data, source, format, timezone, short_name)
        except RecursionError as exc:
            raise DocumentError("the document nests too deeply to read", source=source) from exc


def read_programme(
    data: bytes | str,
    *,
    source: str = "<input>",
    format: str | None = None,
    timezone: str | None = None,
    short_name: str | None = None,
    strict: bool = False,
) -> Programme:
    """The programme :func:`read` reads; its warnings are issued as Python warnings
    (:class:`~oewg_cal.errors.DocumentWarning`), or raised as a
    :class:`~oewg_cal.errors.DocumentError` with ``strict``."""
    reading = read(data, source=source, format=format, timezone=timezone, short_name=short_name)
    for warning in reading.warnings:
        if strict:
            raise DocumentError(
                f"{warning.message} (a warning; --strict refuses it)",
                source=warning.source,
                line=warning.line,
                page=warning.page,
            )
        _warnings.warn(warning, stacklevel=2)
    return reading.programme


def _read(
    data: bytes | str,
    source: str,
    format: str | None,
    timezone: str | None,
    short_name: str | None,
) -> Reading:
    import attrs as _attrs

    _check_overrides(timezone, short_name, source)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            f"the document is {len(data)} bytes long (expected at most {MAX_DOCUMENT_BYTES})",
            source=source,
        )
    kind = format or detect_format(data)
    if kind == FEED_FORMAT:
        raise DocumentError(
            "an iCalendar feed, not a programme of work (oewg-cal show and check read feeds)",
            source=source,
        )
    if kind not in FORMATS:
        raise DocumentError(
            f"unknown format {kind!r} (expected one of {', '.join(FORMATS)})", source=source
        )
    if kind == "pdf":
        if isinstance(data, str):
            raise DocumentError("a PDF must be given as bytes", source=source)
        from oewg_cal.readers.document import read_lines
        from oewg_cal.readers.lines import without_controls
        from oewg_cal.readers.pdf import pdf_lines

        lines, cleaned = without_controls(pdf_lines(data, source=source), source=source)
        programme, found = read_lines(
            lines,
            source=source,
            timezone=timezone,
            short_name=short_name,
            gaps=True,
        )
        return Reading(programme, _in_order(cleaned, found))
    text = data if isinstance(data, str) else _decode(data, source)
    if kind in ("toml", "json"):
        from oewg_cal.readers import programme_file

        programme, found = programme_file.load(
            text, source=source, timezone=timezone, format=format
        )
        try:
            if short_name:
                body = _attrs.evolve(programme.body, short_name=short_name)
                programme = _attrs.evolve(programme, body=body)
        except OewgCalError as exc:
            raise DocumentError(str(exc), source=source) from exc
        return Reading(programme, tuple(found))
    from oewg_cal.readers.document import read_lines
    from oewg_cal.readers.lines import without_controls

    if kind == "text":
        from oewg_cal.readers.lines import plain_lines

        lines = plain_lines(text)
    else:
        from oewg_cal.readers.layout import markup_lines

        lines = markup_lines(text, kind)
    # no calendar field may hold a control character: cleaned here, each with its line
    lines, cleaned = without_controls(lines, source=source)
    programme, found = read_lines(lines, source=source, timezone=timezone, short_name=short_name)
    return Reading(programme, _in_order(cleaned, found))


def _check_overrides(timezone: str | None, short_name: str | None, source: str) -> None:
    """The caller's ``timezone`` and ``short_name`` as the model checks them: a bad one is
    the caller's error, not one at a line of the document."""
    import attrs as _attrs

    from oewg_cal.model import Body, Programme

    try:
        if timezone is not None:
            field = _attrs.fields(Programme).timezone
            assert field.validator is not None
            field.validator(None, field, timezone)
        if short_name is not None:
            Body(name="-", short_name=short_name)
    except OewgCalError as exc:
        raise DocumentError(str(exc), source=source) from exc


def _in_order(
    cleaned: list[DocumentWarning], found: list[DocumentWarning]
) -> tuple[DocumentWarning, ...]:
    """The warnings of cleaning and of reading, in document order."""
    if not cleaned:
        return tuple(found)
    return tuple(sorted([*cleaned, *found], key=lambda w: (w.page or 0, w.line or 0)))
