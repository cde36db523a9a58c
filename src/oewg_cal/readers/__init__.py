"""Readers: build a :class:`~oewg_cal.model.Programme` from the documents missions receive.

:func:`read_programme` chooses the reader by content (or by ``format``): a programme
file (TOML or JSON, :mod:`oewg_cal.programme_file`), or a programme-of-work document
(:mod:`oewg_cal.readers.document`).  Whatever the input, only
:class:`~oewg_cal.errors.OewgCalError` subclasses escape, naming the source and line.
"""

from __future__ import annotations

from oewg_cal.errors import DocumentError
from oewg_cal.model import Programme

__all__ = ["FORMATS", "read_programme"]

FORMATS = ("toml", "json")


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
    """Guess the format of a decoded document from its content."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return "json"
    return "toml"


def read_programme(
    data: bytes | str, *, source: str = "<input>", format: str | None = None
) -> Programme:
    """Read a programme from a document or programme file, choosing the reader by content."""
    from oewg_cal import programme_file

    text = data if isinstance(data, str) else _decode(data, source)
    kind = format or detect_format(text)
    if kind not in FORMATS:
        raise DocumentError(
            f"unknown format {kind!r} (expected one of {', '.join(FORMATS)})", source=source
        )
    return programme_file.loads(text, source=source)
