"""Born-digital PDFs as lines: every word where it is printed, through PDFium.

:func:`pdf_lines` reads the characters of each page with their boxes, baselines, font
sizes and weights (pypdfium2, imported only here, only when a PDF is read), builds words
and lines from them, and gives :class:`~oewg_cal.readers.lines.TextLine` s: a line's
columns apart (a time at the left and the agenda at the right of a two-column table),
its left edge, whether it is bold, whether a paragraph's space stands before it, and
whether the PDF marks it as page furniture.  A smaller word raised above a line is a
footnote mark and becomes a token of that line.  A PDF without a text layer (a scan) is
refused: there is no OCR here.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from collections.abc import Iterator
from typing import Any

import attrs

from oewg_cal._lazy_re import lazy
from oewg_cal.errors import DocumentError
from oewg_cal.readers.lines import FOOTNOTE_TOKEN, PageLine, TextLine, repeated_margins
from oewg_cal.readers.timetext import find_days, find_times

__all__ = ["pdf_lines"]

#: Columns of one printed line are this far apart at least (points): farther than any
#: word space or the space after a paragraph number.
_COLUMN_GAP = 40.0


@attrs.define(slots=True)
class _Word:
    text: str
    x0: float
    x1: float
    base: float
    size: float
    bold: bool
    artifact: bool
    superscript: bool = False


@attrs.define(slots=True)
class _Line:
    base: float
    size: float
    words: list[_Word]


def _characters(handle: Any, count: int, raw: Any) -> Iterator[tuple[int, str]]:
    """The page's characters with their indexes: the text in one call, a character
    outside the BMP (which PDFium gives as two indexes, its UTF-16 halves) as one, at its
    first index, and a lone half as U+FFFD."""
    buffer = (ctypes.c_ushort * (count + 1))()
    if raw.FPDFText_GetText(handle, 0, count, buffer) == count + 1:
        codes: list[int] = buffer[:count]
    else:  # PDFium writes every index and a final NUL; should it not, ask for each
        codes = [raw.FPDFText_GetUnicode(handle, index) for index in range(count)]
    for index, code in enumerate(codes):
        if 0xD800 <= code <= 0xDFFF:
            following = codes[index + 1] if index + 1 < count else 0
            if code <= 0xDBFF and 0xDC00 <= following <= 0xDFFF:
                yield index, chr(0x10000 + ((code - 0xD800) << 10) + (following - 0xDC00))
            elif not (code >= 0xDC00 and index and 0xD800 <= codes[index - 1] <= 0xDBFF):
                yield index, "\ufffd"
            # else the second half of the character before
        elif code in (2, 0xFFFE):  # PDFium's mark of a hyphen at a line end
            yield index, "-"
        else:
            yield index, chr(code)


def _words_of_page(textpage: Any, height: float, raw: Any) -> Iterator[_Word]:
    # Several PDFium calls per character make most of the time of reading a PDF, so
    # each is made only where it can tell something: the text in one call per page, the
    # generated flag only for characters PDFium could insert (it inserts white space),
    # the font size, weight and artifact mark once per text object.
    handle = textpage.raw
    count = textpage.count_chars()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    rect = raw.FS_RECTF()
    styles: dict[bytes, tuple[float, bool, bool]] = {}  # object → (size, bold, artifact)
    chars: list[tuple[str, float, float, float, float, bool, bool]] = []

    def flush() -> Iterator[_Word]:
        if chars:
            sizes = [c[4] for c in chars]
            size = max(set(sizes), key=sizes.count)
            yield _Word(
                "".join(c[0] for c in chars),
                min(c[1] for c in chars),
                max(c[2] for c in chars),
                chars[0][3],
                size,
                all(c[5] for c in chars),
                all(c[6] for c in chars),
            )
            chars.clear()

    for index, char in _characters(handle, count, raw):
        if char.isspace() or (not char.isalnum() and raw.FPDFText_IsGenerated(handle, index)):
            yield from flush()
            continue
        raw.FPDFText_GetCharOrigin(handle, index, origin_x, origin_y)
        raw.FPDFText_GetLooseCharBox(handle, index, rect)
        base = height - origin_y.value
        obj = raw.FPDFText_GetTextObject(handle, index)
        key = bytes(obj)  # the object's address
        style = styles.get(key)
        if style is None:
            style = styles[key] = (
                round(raw.FPDFText_GetFontSize(handle, index), 2),
                raw.FPDFText_GetFontWeight(handle, index) >= 600,
                bool(obj) and _is_artifact(obj, raw),
            )
        size = style[0] if obj else round(raw.FPDFText_GetFontSize(handle, index), 2)
        if chars:
            last = chars[-1]
            if abs(base - last[3]) > 0.5 or rect.left < last[1] or rect.left - last[2] > 0.2 * size:
                yield from flush()
        chars.append((char, rect.left, rect.right, base, size, style[1], style[2]))
    yield from flush()


def _is_artifact(obj: Any, raw: Any) -> bool:
    name = (ctypes.c_ushort * 32)()
    length = ctypes.c_ulong()
    for index in range(raw.FPDFPageObj_CountMarks(obj)):
        mark = raw.FPDFPageObj_GetMark(obj, index)
        named = raw.FPDFPageObjMark_GetName(mark, name, ctypes.sizeof(name), length)
        if named and bytes(name)[: max(length.value - 2, 0)].decode("utf-16-le") == "Artifact":
            return True
    return False


def _lines_of(words: list[_Word]) -> list[_Line]:
    """Words grouped by baseline; a smaller, raised word joins the line it is raised from."""
    if not words:
        return []
    body = statistics.median(w.size for w in words)
    lines: list[_Line] = []
    small: list[_Word] = []
    for word in sorted(words, key=lambda w: (w.base, w.x0)):
        if word.size < 0.88 * body and len(word.text) <= 3:
            small.append(word)
            continue
        if lines and abs(word.base - lines[-1].base) <= max(1.0, 0.2 * lines[-1].size):
            lines[-1].words.append(word)
        else:
            lines.append(_Line(word.base, word.size, [word]))
    for word in small:
        home = next(
            (
                line
                for line in lines
                if line.base - 0.7 * line.size <= word.base < line.base - 0.5
                and any(
                    -1 <= other.x0 - word.x1 <= line.size or -1 <= word.x0 - other.x1 <= line.size
                    for other in line.words
                )
            ),
            None,
        )
        if home is not None:
            word.superscript = True
            home.words.append(word)
        else:
            same = next((line for line in lines if abs(word.base - line.base) <= 1.0), None)
            if same is not None:
                same.words.append(word)
            else:
                lines.append(_Line(word.base, word.size, [word]))
    lines.sort(key=lambda line: line.base)
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def _segments(line: _Line, columns: frozenset[int]) -> list[list[_Word]]:
    """The columns of a line: apart where a wide gap follows a time, a day or anything, or
    where a word starts at one of the document's column edges after a space (unless the
    word is part of the time before it)."""
    segments: list[list[_Word]] = [[]]
    for word in line.words:
        current = segments[-1]
        if current and not word.superscript:
            gap = word.x0 - current[-1].x1
            left = " ".join(w.text for w in current if not w.superscript)
            at_column = (
                gap > 0.15 * line.size
                and round(word.x0) in columns
                and not _continues_time(left, word.text)
            )
            if (
                gap > _COLUMN_GAP
                or (gap > 1.5 * line.size and _is_time_or_day(left))
                or (at_column and _starts_time_or_day(left))
            ):
                segments.append([])
        segments[-1].append(word)
    return segments


def _columns(pages: list[list[_Line]]) -> frozenset[int]:
    """Where the document's columns start: the left edges most lines start at."""
    starts: dict[int, int] = {}
    for lines in pages:
        for line in lines:
            edge = round(line.words[0].x0)
            starts[edge] = starts.get(edge, 0) + 1
    total = sum(starts.values())
    return frozenset(
        x + d for x, n in starts.items() if n >= max(5, total // 20) for d in (-1, 0, 1)
    )


def _page_margins(pages: list[list[_Line]]) -> frozenset[tuple[int, int]]:
    """The lines (page and line indexes) of page furniture no mark tells: see
    :func:`~oewg_cal.readers.lines.repeated_margins`, lines standing at the same height
    (to 6 pt)."""
    return repeated_margins(
        [
            [
                PageLine(
                    " ".join(w.text for w in line.words),
                    place=str(round(line.base / 6)),
                    footnote=index in notes,
                )
                for index, line in enumerate(lines)
            ]
            for lines, notes in ((lines, _footnote_lines(lines)) for lines in pages)
        ]
    )


def _footnote_lines(lines: list[_Line]) -> set[int]:
    """The lines of a page's footnotes: a line that opens with a raised mark, or stands
    right under a smaller mark raised alone at its left, with the mark and the lines of
    the same size that carry the footnote on."""
    found: set[int] = set()
    for index, line in enumerate(lines):
        start = line.words[0]
        if start.superscript and _MARK.fullmatch(start.text):
            found.add(index)
        elif index and _is_lone_mark(lines[index - 1], line):
            found |= {index - 1, index}
        elif index - 1 in found and _carries_on(lines[index - 1], line):
            found.add(index)
    return found


def _is_lone_mark(mark: _Line, line: _Line) -> bool:
    word = mark.words[0]
    return (
        len(mark.words) == 1
        and bool(_MARK.fullmatch(word.text))
        and word.size < 0.88 * line.size
        and 0 < line.base - word.base < line.size
        and word.x1 <= line.words[0].x0 + 1
    )


def _carries_on(before: _Line, line: _Line) -> bool:
    text = next((w for w in before.words if not w.superscript), before.words[0])
    return (
        abs(line.size - before.size) < 0.5
        and line.base - before.base <= 1.5 * line.size
        and abs(line.words[0].x0 - text.x0) <= 1
    )


_MARK = lazy(r"\d{1,2}|\*{1,3}|[a-z]|[†‡§]")


def _starts_time_or_day(text: str) -> bool:
    """A time, the end of one wrapped ("p.m."), or a day: what a date/time column holds."""
    return bool(_TIME_START.match(text) or _MERIDIEM.fullmatch(text)) or find_days(text) is not None


_MERIDIEM = lazy(r"[ap]\.?\s?m\.?|noon", re.I)
_TIME_START = lazy(r"\d{1,2}(?:[.:]\d\d)?\s*(?:[–—-]|to\b|[ap]\.?\s?m\b|h\b)", re.I)


def _continues_time(left: str, word: str) -> bool:
    """Whether ``word`` carries on the time ``left`` holds ("3–6" then "p.m.")."""
    found = find_times(f"{left} {word}")
    return found is not None and found.end > len(left)


def _is_time_or_day(text: str) -> bool:
    found = find_times(text) or find_days(text)
    return found is not None and found.end >= len(text.rstrip(":*"))


def _text(words: list[_Word]) -> str:
    text = ""
    for word in words:
        if word.superscript:
            text += FOOTNOTE_TOKEN.format(word.text)
        elif word.text in (".", ",", ";", ":", ")") and text:
            text += word.text  # PDFium parts "documentation ." at a kerned space
        else:
            text += (" " if text else "") + word.text
    return text


def pdf_lines(data: bytes, *, source: str) -> list[TextLine]:
    """The lines of a PDF, page by page, top to bottom; see the module documentation."""
    import pypdfium2
    import pypdfium2.raw as raw

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise DocumentError(f"not a readable PDF ({exc})", source=source) from exc
    pages: list[list[_Line]] = []
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    words = list(_words_of_page(textpage, page.get_height(), raw))
                finally:
                    textpage.close()
            finally:
                page.close()
            pages.append(_lines_of(words))
    finally:
        document.close()
    columns = _columns(pages)
    margins = _page_margins(pages)
    lines = [
        line
        for number, page in enumerate(pages, 1)
        for line in _page_lines(page, number, columns, {at for p, at in margins if p == number - 1})
    ]
    if not lines:
        raise DocumentError(
            "the PDF has no text layer (a scanned document?): oewg_cal reads the text of "
            "born-digital PDFs and does no OCR (expected a PDF from the UN's documents system, "
            "or its text)",
            source=source,
        )
    return lines


def _page_lines(
    lines: list[_Line], page: int, columns: frozenset[int], margins: set[int]
) -> list[TextLine]:
    found: list[TextLine] = []
    previous: _Line | None = None
    for number, line in enumerate(lines, 1):
        gap = previous is not None and line.base - previous.base > 1.6 * max(line.size, 6.0)
        for column, words in enumerate(_segments(line, columns)):
            plain = [w for w in words if not w.superscript] or words
            found.append(
                TextLine(
                    _text(words),
                    number,
                    page=page,
                    indent=round(words[0].x0, 1),
                    right=round(words[-1].x1, 1),
                    bold=all(w.bold for w in plain),
                    gap=gap and column == 0,
                    furniture=all(w.artifact for w in words) or number - 1 in margins,
                    y=round(line.base, 1),
                )
            )
        previous = line
    return found
