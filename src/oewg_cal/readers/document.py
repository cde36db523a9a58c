"""Read a programme-of-work document into a :class:`~oewg_cal.model.Programme`.

The document is first reduced to a :class:`~oewg_cal.readers.layout.Layout` (whatever
its shape), then read the same way: the heading gives the body, the session, the place
and dates ("New York, 6–10 March 2023") and the issue date; the note's paragraphs give
the notes, the URL and the document references; the table gives days, meetings and
their agenda entries; the lines between the table's halves give the footnotes.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable

import attrs

from oewg_cal.errors import DocumentError, OewgCalError, ProgrammeError
from oewg_cal.model import (
    AgendaEntry,
    Body,
    Footnote,
    Meeting,
    Programme,
    Reference,
    Segment,
    SubItem,
)
from oewg_cal.readers.layout import Layout, Line, Row, detect_shape, layout_of
from oewg_cal.readers.timetext import (
    TimeTextError,
    looks_like_time,
    parse_date,
    parse_date_range,
    parse_day,
    parse_time_range,
)

__all__ = ["DUTY_STATIONS", "read_document"]

#: UN duty stations: place → (venue, IANA time zone).
DUTY_STATIONS: dict[str, tuple[str, str]] = {
    "new york": ("United Nations Headquarters", "America/New_York"),
    "geneva": ("Palais des Nations", "Europe/Zurich"),
    "vienna": ("Vienna International Centre", "Europe/Vienna"),
    "nairobi": ("United Nations Office at Nairobi", "Africa/Nairobi"),
    "bangkok": ("United Nations Conference Centre", "Asia/Bangkok"),
    "addis ababa": ("United Nations Conference Centre", "Africa/Addis_Ababa"),
    "santiago": ("ECLAC Headquarters", "America/Santiago"),
    "beirut": ("UN House", "Asia/Beirut"),
    "bonn": ("UN Campus", "Europe/Berlin"),
    "the hague": ("Peace Palace", "Europe/Amsterdam"),
}

#: Well-known bodies: full name (lower case, dashes normalised) → short name.
KNOWN_BODIES: dict[str, str] = {
    "open-ended working group on security of and in the use of information and "
    "communications technologies 2021-2025": "OEWG on ICT security 2021–2025",
}

_FOOTNOTE_TOKEN = "\x00fn:{}\x00"
_FOOTNOTE_RE = re.compile(r"\x00fn:([^\x00]+)\x00")
_SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
_CONTINUED = re.compile(r"\(\s*continued\s*\)", re.IGNORECASE)
_ITEM = re.compile(
    r"^(?:agenda\s+)?item\s+(\d{1,3})\b\s*[:.–—-]?\s*(.*)$", re.IGNORECASE | re.DOTALL
)
_TITLE_ITEM = re.compile(
    r"^(.*\S)\s*\((?:agenda\s+)?item\s+(\d{1,3})\)(.*)$", re.IGNORECASE | re.DOTALL
)
_SUB_ITEM = re.compile(r"^\(([a-z]{1,2})\)\s+(.*)$", re.DOTALL)
_SUB_ITEM_SPLIT = re.compile(r"(?<!\S)(?=\([a-z]{1,2}\)\s+[A-Z\x00])")
_SPEAKER = re.compile(r"^[–—•·-]\s*(.+)$", re.DOTALL)
_SEGMENTS = (
    (re.compile(r"^open(ing)? of the (session|meeting)", re.IGNORECASE), Segment.OPENING),
    (re.compile(r"^opening statements?", re.IGNORECASE), Segment.OPENING_STATEMENTS),
    (re.compile(r"stakeholder", re.IGNORECASE), Segment.STAKEHOLDER),
    (re.compile(r"^clos(ure|ing) of the (session|meeting)", re.IGNORECASE), Segment.CLOSURE),
    (re.compile(r"^concluding remarks", re.IGNORECASE), Segment.CONCLUDING_REMARKS),
)
#: Segments without a kind of their own that start a line in plain text.
_OTHER_SEGMENT = re.compile(
    r"^(general debate|informal consultations?|informal meeting|panel discussion|"
    r"interactive dialogue|briefing|adoption of|election of|consideration of)\b",
    re.IGNORECASE,
)
_RESOLUTION = re.compile(
    r"(General Assembly|Security Council|Human Rights Council)?\s*"
    r"resolutions?\s+(\d{2,3}/\d{1,4})"
)
_SYMBOL = re.compile(r"(?<![\w/])([A-Z]{1,2}(?:/[A-Z][A-Z0-9.]*)*(?:/\d+)+(?:/Rev\.\d+)?)(?![\w/])")
_URL = re.compile(r"https?://[^\s<>)\]]+[^\s<>)\].,;]")


@attrs.frozen
class _Piece:
    text: str
    footnotes: tuple[str, ...]
    line: int


def read_document(
    text: str,
    *,
    source: str = "<document>",
    shape: str | None = None,
    timezone: str | None = None,
    short_name: str | None = None,
) -> Programme:
    """Read a programme-of-work document (any supported shape) into a Programme."""
    try:
        kind = shape or detect_shape(text)
        reader = _Reader(source, timezone, short_name, wrapped=kind == "text")
        return reader.read(layout_of(text, kind))
    except DocumentError:
        raise
    except OewgCalError as exc:
        raise DocumentError(str(exc), source=source) from exc
    except RecursionError as exc:  # pragma: no cover - pathological nesting
        raise DocumentError("the document nests too deeply to read", source=source) from exc


def _plain(fragment: str) -> str:
    """Inline HTML and markdown to plain text; footnote marks become tokens."""
    text = re.sub(
        r"<sup>\s*([^<]{1,4}?)\s*</sup>", lambda m: _FOOTNOTE_TOKEN.format(m.group(1)), fragment
    )
    text = re.sub(
        r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+",
        lambda m: _FOOTNOTE_TOKEN.format(m.group(0).translate(_SUPERSCRIPTS)),
        text,
    )
    text = re.sub(r"<(https?://[^\s>]+)>", r"\1", text)  # markdown autolinks
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)  # markdown bold
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # markdown links: keep the text
    text = html.unescape(text).replace("\u00a0", " ").replace("\u202f", " ")
    return text


def _clean(text: str) -> str:
    return " ".join(_FOOTNOTE_RE.sub("", text).split())


class _Reader:
    def __init__(
        self, source: str, timezone: str | None, short_name: str | None, *, wrapped: bool
    ) -> None:
        self.wrapped = wrapped
        self._before: set[int] = set()
        self.source = source
        self.timezone = timezone
        self.short_name = short_name

    def error(
        self, message: str, line: int | None = None, column: int | None = None
    ) -> DocumentError:
        return DocumentError(message, source=self.source, line=line, column=column)

    # ------------------------------------------------------------ the heading and the note

    def read(self, layout: Layout) -> Programme:
        if not layout.rows:
            raise self.error(
                "no programme table found (expected rows of times and agenda items, "
                'e.g. "10 a.m.–1 p.m.<TAB>Agenda item 3")',
                1,
            )
        header = [Line(h.number, _plain(h.text).strip(" #*")) for h in layout.header]
        header = [h for h in header if h.text]
        place, first_day, last_day, dates_at = self._session_dates(header)
        body_name, session = self._body_and_session(header, dates_at)
        issued = self._issue_date(header, dates_at, first_day)
        notes = self._notes(header)
        footnotes = self._footnotes(layout.notes)
        venue, zone = self._venue_and_zone(place, dates_at)
        meetings = self._meetings(layout.rows, first_day, last_day)
        texts = list(notes) + [f.text for f in footnotes]
        urls = [u for t in notes for u in _URL.findall(t)]
        try:
            return Programme(
                body=Body(name=body_name, short_name=self.short_name or _short_name(body_name)),
                session=session,
                place=place,
                venue=venue,
                timezone=zone,
                first_day=first_day,
                last_day=last_day,
                issued=issued,
                symbol=self._symbol(header),
                url=urls[0] if urls else None,
                notes=tuple(notes),
                footnotes=tuple(footnotes),
                references=tuple(_references(texts)),
                meetings=tuple(meetings),
            )
        except OewgCalError as exc:
            at_fault = exc.meeting if isinstance(exc, ProgrammeError) else None
            raise self.error(str(exc), self._meeting_lines.get(at_fault)) from exc

    def _session_dates(self, header: list[Line]) -> tuple[str, dt.date, dt.date, int]:
        for line in header:
            match = re.match(r"^([^,\d]{2,40}),\s*(.+\d{4})\s*$", line.text)
            if not match:
                continue
            try:
                first, last = parse_date_range(match.group(2))
            except TimeTextError:
                continue
            return match.group(1).strip(), first, last, line.number
        raise self.error(
            "cannot find the session's place and dates (expected a line like "
            '"New York, 6–10 March 2023" under the body\'s name)',
            1,
        )

    def _body_and_session(self, header: list[Line], dates_at: int) -> tuple[str, str]:
        before = [h for h in header if h.number < dates_at]
        if len(before) < 2:
            raise self.error(
                "cannot find the body's name and the session above the place and dates "
                '(expected e.g. "Open-ended working group …" then "Fourth substantive '
                'session")',
                dates_at,
            )
        session = before[-1].text
        candidates = [h for h in before[:-1] if not _is_letterhead(h.text)]
        if not candidates:
            raise self.error("cannot find the body's name above the session", before[-1].number)
        return " ".join(candidates[-1].text.split()), session

    def _issue_date(self, header: list[Line], dates_at: int, first_day: dt.date) -> dt.date:
        for line in header:
            if line.number >= dates_at:
                break
            try:
                return parse_date(line.text)
            except TimeTextError:
                continue
        return first_day

    def _symbol(self, header: list[Line]) -> str | None:
        for line in header[:8]:
            if re.fullmatch(_SYMBOL.pattern, line.text):
                return line.text
        return None

    def _notes(self, header: list[Line]) -> list[str]:
        notes: list[str] = []
        for line in header:
            match = re.match(r"^(\d{1,2})\.\s+(.+)$", line.text)
            if match:
                notes.append(_clean(match.group(2)))
            elif notes and not line.text.startswith("#") and not _is_heading(line.text):
                notes[-1] += " " + _clean(line.text)
        return notes

    def _footnotes(self, lines: Iterable[Line]) -> list[Footnote]:
        found: list[Footnote] = []
        for line in lines:
            text = _plain(line.text).translate(_SUPERSCRIPTS)
            match = re.match(r"^\s*\x00fn:([^\x00]+)\x00\s*(.+)$", text) or re.match(
                r"^\s*(\d{1,2}|\*)\s+([A-Z“\"].+)$", text
            )
            if match:
                found.append(Footnote(mark=match.group(1).strip(), text=_clean(match.group(2))))
            elif found and text.strip() and not _is_heading(text):
                last = found[-1]
                found[-1] = Footnote(mark=last.mark, text=f"{last.text} {_clean(text)}")
        return found

    def _venue_and_zone(self, place: str, line: int) -> tuple[str, str]:
        station = DUTY_STATIONS.get(place.lower())
        if self.timezone:
            return (station[0] if station else place), self.timezone
        if station is None:
            raise self.error(
                f"unknown duty station {place!r}: cannot tell its time zone (expected one of "
                f"{', '.join(s.title() for s in DUTY_STATIONS)}, or give the zone with --tz)",
                line,
            )
        return station

    # ------------------------------------------------------------ the table

    def _meetings(
        self, rows: Iterable[Row], first_day: dt.date, last_day: dt.date
    ) -> list[Meeting]:
        meetings: list[Meeting] = []
        self._meeting_lines: dict[Meeting | None, int] = {}
        self._items: dict[int, str] = {}
        self._last_item_with: dict[str, int] = {}
        self._seen: set[tuple[int, str | None]] = set()
        day: dt.date | None = None
        last_row = 1
        for row in rows:
            cells = list(row.cells)
            first = _clean(_plain(cells[0])) if cells else ""
            rest = list(cells[1:])
            if not first and not any(_clean(_plain(c)) for c in rest):
                continue
            if _is_table_heading(first):
                continue
            when: tuple[dt.time, dt.time] | None = None
            date_text, time_text = self._split_date_time(first, row)
            if date_text:
                day = self._day(date_text, max(first_day, day or first_day), last_day, row.number)
            if time_text:
                when = self._times(time_text, row.number)
            if (
                len(rest) > 1
                and when is None
                and date_text
                and rest
                and looks_like_time(_clean(_plain(rest[0])))
            ):
                when = self._times(_clean(_plain(rest[0])), row.number)
                rest = rest[1:]
            if when is None:
                if date_text:
                    continue
                raise self.error(
                    f'cannot read "{first}" as a day or a time (expected e.g. '
                    f'"Monday, 6 March" or "10 a.m.–1 p.m.")',
                    row.number,
                )
            if day is None:
                raise self.error(
                    "a meeting before any day heading (expected a day like "
                    '"Monday, 6 March" first)',
                    row.number,
                )
            content = "\n".join(rest)
            meeting = self._meeting(day, when, content, row.number)
            self._meeting_lines[meeting] = row.number
            meetings.append(meeting)
            last_row = row.number
        if not meetings:
            raise self.error(
                "the programme table has no meetings (expected rows like "
                '"10 a.m.–1 p.m.<TAB>Agenda item 3")',
                1,
            )
        days = sorted({m.date for m in meetings})
        if days[0] != first_day or days[-1] != last_day:
            raise self.error(
                f"the table's meetings run from {days[0]} to {days[-1]}, but the session runs "
                f"from {first_day} to {last_day} (expected meetings on its first and last day; "
                "is the document cut short?)",
                last_row,
            )
        return meetings

    def _split_date_time(self, first: str, row: Row) -> tuple[str, str]:
        if not first:
            return "", ""
        if looks_like_time(first) or (_TIMEISH.search(first) and not _DAYISH.search(first)):
            return "", first
        match = re.match(r"^(.*?\d{1,2}(?:\s+[A-Za-z]+\.?)?(?:\s+\d{4})?)\s*[,;]?\s+(\S.*)$", first)
        if match and looks_like_time(match.group(2)):
            return match.group(1).strip(" ,"), match.group(2)
        return first, ""

    def _day(self, text: str, first_day: dt.date, last_day: dt.date, line: int) -> dt.date:
        """The day a heading names; its year is the session's (either, across a year end)."""
        problem: TimeTextError | None = None
        for year in range(first_day.year, last_day.year + 1):
            try:
                day = parse_day(text, year=year)
            except TimeTextError as exc:
                problem = problem or exc
                continue
            if first_day <= day <= last_day:
                return day
        if problem is not None:
            raise self.error(f'cannot read day "{text}" (expected {problem.expected})', line)
        raise self.error(f'day "{text}" is outside the session ({first_day} to {last_day})', line)

    def _times(self, text: str, line: int) -> tuple[dt.time, dt.time]:
        try:
            return parse_time_range(text)
        except TimeTextError as exc:
            column = exc.column + 1 if exc.column is not None else None
            raise self.error(
                f'cannot read time "{text}" (expected {exc.expected})', line, column
            ) from exc

    def _meeting(
        self, day: dt.date, when: tuple[dt.time, dt.time], content: str, line: int
    ) -> Meeting:
        pieces = _pieces(content, line, wrapped=self.wrapped)
        self._before = set(self._items)
        if not pieces:
            raise self.error(
                "a meeting with nothing on its agenda (expected an agenda item or a "
                "segment after the time)",
                line,
            )
        entries: list[AgendaEntry] = []
        formal = True
        for piece in pieces:
            text = piece.text
            if re.search(r"\binformal\b", text, re.IGNORECASE):
                formal = False
            self._take(entries, piece, day)
        try:
            return Meeting(
                date=day, start=when[0], end=when[1], entries=tuple(entries), formal=formal
            )
        except OewgCalError as exc:
            raise self.error(str(exc), line) from exc

    def _take(self, entries: list[AgendaEntry], piece: _Piece, day: dt.date) -> None:
        text = _clean(piece.text)
        continued = bool(_CONTINUED.search(text))
        bare = _CONTINUED.sub("", text).strip(" :;,")
        last = entries[-1] if entries else None
        if not bare and continued:
            if last is None or last.item is None:
                raise self.error('"(continued)" with no agenda item before it', piece.line)
            if last.sub_item is not None:
                entries[-1] = attrs.evolve(
                    last, sub_item=attrs.evolve(last.sub_item, continued=True)
                )
            else:
                entries[-1] = attrs.evolve(last, continued=True)
            return
        item = _ITEM.match(bare) or None
        titled = _TITLE_ITEM.match(bare) if item is None else None
        if item or titled:
            number = int(item.group(1) if item else titled.group(2))  # type: ignore[union-attr]
            title = (item.group(2) if item else titled.group(1)).strip(" :;,.")  # type: ignore[union-attr]
            title = title or self._items.get(number, "")
            if not title:
                raise self.error(
                    f"agenda item {number} has no title here or earlier "
                    '(expected "Agenda item 3: organization of work")',
                    piece.line,
                )
            self._items.setdefault(number, title)
            entries.append(
                AgendaEntry(
                    item=number, title=title, continued=continued, footnotes=piece.footnotes
                )
            )
            return
        sub = _SUB_ITEM.match(bare)
        if sub:
            letter, sub_text = sub.group(1), sub.group(2).strip()
            sub_item = SubItem(letter=letter, text=sub_text, continued=continued)
            if last is not None and last.item is not None and last.sub_item is None:
                entries[-1] = attrs.evolve(
                    last, sub_item=sub_item, footnotes=last.footnotes + piece.footnotes
                )
            elif last is not None and last.segment is not None and last.item is None:
                inferred = self._last_item_with.get(letter) or (
                    max(self._items) if self._items else None
                )
                if inferred is None:
                    raise self.error(
                        f"sub-item ({letter}) with no agenda item before it", piece.line
                    )
                number = inferred
                entries[-1] = attrs.evolve(
                    last,
                    item=number,
                    title=self._items[number],
                    continued=number in self._before,
                    sub_item=sub_item,
                )
            else:
                found = (
                    last.item
                    if last is not None and last.item is not None
                    else (self._last_item_with.get(letter))
                )
                if found is None:
                    raise self.error(
                        f"sub-item ({letter}) with no agenda item before it "
                        '(expected "Agenda item 5: …" first)',
                        piece.line,
                    )
                entries.append(
                    AgendaEntry(
                        item=found,
                        title=self._items[found],
                        continued=found in self._before,
                        sub_item=sub_item,
                        footnotes=piece.footnotes,
                    )
                )
            self._last_item_with[letter] = entries[-1].item or 0
            return
        speaker = _SPEAKER.match(bare)
        if speaker and last is not None and last.segment is not None:
            entries[-1] = attrs.evolve(last, speakers=(*last.speakers, speaker.group(1).strip()))
            return
        segment = next((kind for pattern, kind in _SEGMENTS if pattern.search(bare)), Segment.OTHER)
        entries.append(AgendaEntry(segment=segment, label=bare, footnotes=piece.footnotes))


def _pieces(content: str, line: int, *, wrapped: bool) -> list[_Piece]:
    """Split a cell into pieces: bold runs, list items, sub-items, "(continued)" marks.

    In plain text (``wrapped``) each line is a piece, and a line that starts nothing
    continues the one before; in marked-up cells, line breaks are only spacing.
    """
    if not wrapped:
        content = " ".join(content.splitlines())
    marked = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", content)  # markdown bold
    text = _plain(
        re.sub(r"</?(b|strong|li|ul|ol|p|br|div)\b[^>]*>", "\n", marked, flags=re.IGNORECASE)
    )
    raw: list[str] = []
    for chunk in text.split("\n"):
        for part in _SUB_ITEM_SPLIT.split(chunk):
            lead = re.match(r"^\s*(\(\s*continued\s*\))\s*(\S.*)$", part, re.IGNORECASE | re.DOTALL)
            if lead and _SUB_ITEM.match(lead.group(2).strip()):
                raw += [lead.group(1), lead.group(2)]
            else:
                raw.append(part)
    pieces: list[_Piece] = []
    for part in raw:
        marks = tuple(_FOOTNOTE_RE.findall(part))
        cleaned = _clean(part)
        if cleaned:
            pieces.append(_Piece(cleaned, marks, line))
    return _join_wrapped(pieces) if wrapped else pieces


def _starts_piece(text: str) -> bool:
    return bool(
        _ITEM.match(text)
        or _SUB_ITEM.match(text)
        or _SPEAKER.match(text)
        or _CONTINUED.fullmatch(text)
        or any(p.search(text) for p, _ in _SEGMENTS)
        or _TITLE_ITEM.match(text)
        or _OTHER_SEGMENT.match(text)
    )


_TIMEISH = re.compile(r"\b[ap]\.\s?m\.|\d\s*[ap]m\b|\d\s*h\b|\d[:.]\d\d|\bnoon\b", re.IGNORECASE)
_DAYISH = re.compile(
    r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)

#: A piece ending so is complete: the next line starts a new one.
_COMPLETE = re.compile(
    r"\((?:agenda\s+)?item\s+\d{1,3}\)(\s*\(\s*continued\s*\))?$|\(\s*continued\s*\)$", re.I
)


def _join_wrapped(pieces: list[_Piece]) -> list[_Piece]:
    """Plain text wraps long titles: a line that starts nothing continues the one before."""
    joined: list[_Piece] = []
    for piece in pieces:
        previous = joined[-1].text if joined else ""
        title_tail = bool(_TITLE_ITEM.match(piece.text)) and not _starts_piece(previous)
        if (
            joined
            and (title_tail or not _starts_piece(piece.text))
            and not _COMPLETE.search(previous)
        ):
            last = joined[-1]
            joined[-1] = _Piece(
                f"{last.text} {piece.text}", last.footnotes + piece.footnotes, last.line
            )
        else:
            joined.append(piece)
    return joined


def _is_table_heading(text: str) -> bool:
    return bool(re.match(r"^date\s*/?\s*time", text, re.IGNORECASE))


def _is_letterhead(text: str) -> bool:
    return bool(
        re.match(
            r"^(general assembly|security council|economic and social council|united nations|"
            r"distr\.|original:|---|\d{1,2} \w+ \d{4}$)",
            text,
            re.IGNORECASE,
        )
        or _SYMBOL.fullmatch(text)
    )


def _is_heading(text: str) -> bool:
    return bool(
        re.match(r"^(annex|provisional programme|programme of work|note by)", text, re.IGNORECASE)
    )


def _short_name(name: str) -> str:
    key = re.sub(r"[–—]", "-", name.lower())
    if key in KNOWN_BODIES:
        return KNOWN_BODIES[key]
    short = re.sub(r"^open-ended working group\b", "OEWG", name, flags=re.IGNORECASE)
    short = re.sub(r"^ad hoc committee\b", "AHC", short, flags=re.IGNORECASE)
    return short if len(short) <= 60 else short[:59].rsplit(" ", 1)[0] + "…"


def _references(texts: Iterable[str]) -> list[Reference]:
    found: dict[str, Reference] = {}
    for text in texts:
        spans: list[tuple[int, int]] = []
        for match in _RESOLUTION.finditer(text):
            organ = (match.group(1) or "General Assembly").strip()
            prefix = {
                "General Assembly": "A/RES",
                "Security Council": "S/RES",
                "Human Rights Council": "A/HRC/RES",
            }[organ]
            symbol = f"{prefix}/{match.group(2)}"
            found.setdefault(
                symbol,
                Reference(
                    symbol=symbol,
                    title=f"{organ} resolution {match.group(2)}",
                    url=f"https://undocs.org/{symbol}",
                ),
            )
            spans.append(match.span())
        for match in _SYMBOL.finditer(text):
            if any(a <= match.start() < b for a, b in spans) or "/" not in match.group(1):
                continue
            symbol = match.group(1)
            found.setdefault(
                symbol, Reference(symbol=symbol, title=symbol, url=f"https://undocs.org/{symbol}")
            )
    return list(found.values())
