"""Readers: build a :class:`~oewg_cal.model.Programme` from the documents missions receive.

:func:`read_programme` chooses the reader by content (or by ``format``): a programme
file (TOML or JSON, :mod:`oewg_cal.readers.programme_file`), or a programme-of-work document
(:mod:`oewg_cal.readers.document`).  Whatever the input, only
:class:`~oewg_cal.errors.OewgCalError` subclasses escape, naming the source and line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from oewg_cal.errors import DocumentError, OewgCalError

if TYPE_CHECKING:
    from oewg_cal.model import Programme

__all__ = ["FORMATS", "MAX_DOCUMENT_BYTES", "read_programme"]

#: Larger inputs are refused before they are read (a programme of work is a few pages).
MAX_DOCUMENT_BYTES = 20_000_000

FORMATS = ("toml", "json", "tsv", "html", "markdown", "text")


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data[:4096]:
        raise DocumentError(
            "binary data, not a text document (expected a programme of work)", source=source
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


def detect_format(text: str) -> str:
    """Choose the format of a decoded document from its content."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return "json"
    if re.search(r"^\s*\[(\[meetings\]|body)\]\s*$", text, re.MULTILINE):
        return "toml"
    from oewg_cal.readers.layout import detect_shape

    return detect_shape(text)


def read_programme(
    data: bytes | str,
    *,
    source: str = "<input>",
    format: str | None = None,
    timezone: str | None = None,
    short_name: str | None = None,
) -> Programme:
    """Read a programme from a document or programme file, choosing the reader by content.

    ``format`` forces one of :data:`FORMATS`; ``timezone`` overrides the zone of the
    duty station (and of a programme file); ``short_name`` the body's short name.
    """
    from oewg_cal._gc import paused_collector

    with paused_collector():
        return _read_programme(data, source, format, timezone, short_name)


def _read_programme(
    data: bytes | str,
    source: str,
    format: str | None,
    timezone: str | None,
    short_name: str | None,
) -> Programme:
    import attrs

    from oewg_cal.readers import programme_file

    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            f"the document is {len(data)} bytes long (expected at most {MAX_DOCUMENT_BYTES})",
            source=source,
        )
    text = data if isinstance(data, str) else _decode(data, source)
    kind = format or detect_format(text)
    if kind not in FORMATS:
        raise DocumentError(
            f"unknown format {kind!r} (expected one of {', '.join(FORMATS)})", source=source
        )
    if kind in ("toml", "json"):
        programme = programme_file.loads(text, source=source)
        try:
            if timezone:
                programme = attrs.evolve(programme, timezone=timezone)
            if short_name:
                body = attrs.evolve(programme.body, short_name=short_name)
                programme = attrs.evolve(programme, body=body)
        except OewgCalError as exc:
            raise DocumentError(str(exc), source=source) from exc
        return programme
    from oewg_cal.readers.document import read_document

    return read_document(text, source=source, shape=kind, timezone=timezone, short_name=short_name)
