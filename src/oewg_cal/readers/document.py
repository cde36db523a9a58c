"""Read a programme of work from its lines, whatever document they came from.

The reader takes the :class:`~oewg_cal.readers.lines.TextLine` s of a document (a PDF,
converted text, a marked-up table) and reads them as the Secretariat lays a programme
out:

* the heading: the body ("Second Committee", "Open-ended working group on …"), the
  session ("Eightieth session"), the place and dates ("New York, 6–10 March 2023") when
  printed, the issue date, the symbol and the note's numbered paragraphs;
* the table: "Week of …" headings, day headings with or without the year, times
  ("10 a.m.–1 p.m.", a start alone, "10 a.m. and 3 p.m.", overnight), rooms and
  "(informal meeting)" after a time, days without a time, holidays and "No meetings
  scheduled", deadlines printed as slots, "Followed by:", and each slot's agenda: items
  ("Item 5:", "Agenda item 5:", "Title (item 5)", a number on a line of its own), their
  sub-items, marks such as "(continued)" and "(concludes)", segments, speakers;
* footnotes below a rule or marked as such, wherever they fall.

What the reader assumes (a three-hour slot, a year from the issue date, a place from
"Headquarters") and every line it cannot place is a warning with its line; a document
that holds no dated programme is refused with a message saying what was expected.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Sequence, Set
from typing import NamedTuple

import attrs

from oewg_cal._lazy_re import lazy
from oewg_cal.errors import (
    DocumentError,
    DocumentWarning,
    OewgCalError,
    ProgrammeError,
    TimeTextError,
)
from oewg_cal.model import (
    AgendaEntry,
    Body,
    FollowedBy,
    Footnote,
    Kind,
    Meeting,
    Programme,
    Reference,
    Segment,
    SeriesKey,
    SubItem,
)
from oewg_cal.readers.lines import TextLine, split_continued_sub_item
from oewg_cal.readers.timetext import (
    DayTerm,
    SlotTime,
    find_days,
    find_times,
    looks_like_time,
    parse_date,
    parse_date_range,
    parse_time_range,
)
from oewg_cal.stations import DUTY_STATIONS, station_of
from oewg_cal.text import short_name_of

__all__ = ["read_lines"]

#: A UN meeting slot lasts three hours (10 a.m.–1 p.m., 3–6 p.m.) unless the document
#: says otherwise.
DEFAULT_SLOT = dt.timedelta(hours=3)

_FOOTNOTE_RE = lazy(r"\x00fn:([^\x00]+)\x00")
_MARKER = lazy(
    r"\(\s*(continued\s+and\s+concluded|continued|continues|concluded|concludes|"
    r"cont['’]?d\.?|resumed)\s*\)",
    re.IGNORECASE,
)
_ITEM = lazy(r"^(?:agenda\s+)?item\s+(\d{1,3})(?![\d/])\b\s*[:.–—-]?\s*(.*)$", re.I | re.S)
#: An item number in a column of its own: "25" alone, or "25   Social development".
_NUMBERED = lazy(r"^(\d{1,3})(?:\s+(?=[A-Z“\"(])(.*))?$", re.DOTALL)
_ITEM_INSIDE = lazy(r"(?<=\S)(?<!agenda)\s+(?=(?:agenda\s+)?item\s+\d{1,3}\s*:)", re.IGNORECASE)
_TITLE_ITEM = lazy(
    r"^(.*\S)\s*\(((?:agenda\s+)?items?\s+\d{1,3}(?:\s*(?:,|and|to|-|–|—)\s*\d{1,3})*)\)(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_SUB_ITEM = lazy(r"^\(([a-z]{1,2})\)\s*(.*)$", re.DOTALL)
_LONE_SUB_ITEM = lazy(r"\([a-z]{1,2}\)")
_ENDS_ITEM = lazy(r"\((?:agenda\s+)?items?\s+[\d\s,and–-]+\)\W*$", re.IGNORECASE)
_ITEM_TAIL = lazy(r"^\((?:agenda\s+)?items?\s+\d", re.IGNORECASE)
_SEGMENT_INSIDE = lazy(
    r"(?<=\S)\s+(?=(?:Opening of the (?:session|meeting)|Opening statements?|Closure of the "
    r"(?:session|meeting)|Concluding remarks)\b)"
)
_SUB_ITEM_INSIDE = lazy(r"(?<!\S)(?=\([a-z]{1,2}\)\s+[A-Z\x00])")
_SUB_RANGE = lazy(
    r"\s*,?\s*and\s+(?:its\s+)?sub-?\s?items?\s+\(([a-z])\)\s*(to|and|-|–|—)\s*\(([a-z])\)",
    re.IGNORECASE,
)
# "(a) to (d) and item 17": sub-items named in running text, not a sub-item's heading
_SUB_ITEMS_NAMED = lazy(r"^\([a-z]{1,2}\)\s*(?:to|and|through|,|[-–—])\s*\([a-z]", re.I)
_SPEAKER = lazy(r"^[–—•·-]\s*(.+)$", re.DOTALL)
_LABEL = lazy(r"^(?:\([a-z]{1,2}\)\s+|(?:agenda\s+)?item\s+\d{1,3}\s*[:.]?\s+|[–—•·-]\s+)", re.I)
_SEGMENTS = (
    (lazy(r"^open(ing)? of the (session|meeting)", re.IGNORECASE), Segment.OPENING),
    (lazy(r"^opening statements?", re.IGNORECASE), Segment.OPENING_STATEMENTS),
    (lazy(r"stakeholder", re.IGNORECASE), Segment.STAKEHOLDER),
    (
        lazy(r"^(clos(ure|ing)|conclusion) of the (session|meeting|work)", re.IGNORECASE),
        Segment.CLOSURE,
    ),
    (lazy(r"^concluding remarks", re.IGNORECASE), Segment.CONCLUDING_REMARKS),
)
#: Segments that start a line of their own wherever they stand.
_SEGMENT_START = lazy(
    r"^(?:open(?:ing)? of the (?:session|meeting)|opening statements?|(?:clos(?:ure|ing)|"
    r"conclusion) of the (?:session|meeting|work)|concluding remarks|general debate|general "
    r"discussion|informal consultations?|informal meeting|panel discussion|interactive "
    r"dialogue|introductory statements?|action on|introduction of|adoption of|election of)\b",
    re.IGNORECASE,
)
_DEADLINE = lazy(
    r"^\W*(?:deadline|clos(?:ure|ing|e) of the list|(?:final )?date for submission|"
    r"last day for|inscriptions? (?:on|in) the list)",
    re.IGNORECASE,
)
_NO_MEETING = lazy(
    r"^\W*(?:no (?:formal |plenary |official )?meetings?\b|no meetings? (?:scheduled|planned))",
    re.IGNORECASE,
)
# Days the duty stations close (the UN's official holidays), as programmes name them
_HOLIDAY = lazy(
    r"\b(?:holiday|new\s+year|martin\s+luther\s+king|lunar\s+new|good\s+friday|easter|"
    r"eid|memorial\s+day|juneteenth|independence\s+day|labou?r\s+day|yom\s+kippur|diwali|"
    r"deepavali|gurpurab|guru\s+nanak|thanksgiving|christmas|vesak|ascension|whit|pentecost|"
    r"je[uû]ne\s+genevois|restoration\s+of\s+the\s+republic|madaraka|mashujaa|jamhuri|"
    r"national\s+day)\b",
    re.IGNORECASE,
)
# what a name beside a day that is no holiday's says: something held that day
_ACTIVITY = lazy(
    r"\b(?:events?|meetings?|consultations?|sessions?|briefings?|dialogues?|debates?|"
    r"discussions?|segments?|elections?|adoption|statements?|panels?|forums?|workshops?|"
    r"presentations?|interactive|informals?|plenary|conferences?|items?|vot(?:e|es|ing)|"
    r"closure|opening|hearings?|launch|retreat|round\s*table|side)\b",
    re.IGNORECASE,
)
# a document number with a footnote mark glued to it: "75/2401" for 75/240 and mark 1
_FUSED_NUMBER = lazy(r"\b(\d{1,3}/\d{1,4})(\d)(?=[\s,.;:)]|$)")
_FOLLOWED = lazy(r"^followed\s+by\s*:?\s*(.*)$", re.IGNORECASE)
_INFORMAL = lazy(r"\(\s*informal(?: meeting| consultations?)?\s*\)", re.IGNORECASE)
_ROOM = lazy(
    r"\(\s*((?:[A-Z][\w.-]*\s+){0,4}(?:Room|Chamber|Hall|Salle)\b[^()]{0,30}|CR\s*\d+[^()]{0,10})\)"
)
#: What starts like a time, even a garbled one ("3– p.m."), so that it is reported.
_TIME_START = lazy(r"^\d{1,2}(?:[.:]\d\d)?\s*(?:[–—-]|to\b|[ap]\.?\s?m\b|h\b)", re.I)
_MERIDIEM_START = lazy(r"^(?:[ap]\.\s?m\.|[ap]m\b|noon\b)", re.IGNORECASE)
_TIME_PREFIX = lazy(
    r"^(?:from\s+)?[\d.:]+\s*(?:[ap]\.?\s?m\.?|h\b|noon)?(?:\s*(?:[–—-]|to\b)\s*"
    r"(?:[\d.:]+\s*)?(?:[ap]\.?\s?m\.?|h\b|noon)?)?",
    re.IGNORECASE,
)
_WEEK = lazy(r"^(?:the\s+)?week\s+of\s+(.+)$", re.IGNORECASE)
_TABLE_HEADING = lazy(
    r"^(?:date\s*(?:/|and)?\s*time|date|time)(?:\s+(?:agenda|programme|documentation|item).*)?$",
    re.IGNORECASE,
)
_COLUMN_HEADING = lazy(
    r"^(?:agenda items?(?:\s*/\s*programme)?|programme(?:\s*/\s*agenda items?)?|documentation)$",
    re.IGNORECASE,
)
_SEPARATOR = lazy(r"^_{5,}$")
_BARE_MARK = lazy(r"\d{1,2}|\*{1,3}")
_LOOSE_FOOTNOTE = lazy(r"^(\d{1,2})\s+([A-Z“\"].{30,})$")
_NUMBER_TOKEN = lazy(r"(?<![\w/])(\d{1,3}/\d{1,4})(?![\w/])")
#: A note about the file, not part of the document ("# source: https://…").
_COMMENT = lazy(r"^#\s*[a-z]+:\s", re.IGNORECASE)
_PARAGRAPH = lazy(r"^(\d{1,2})\.(?:\s+(\S.*))?$", re.DOTALL)
_FURNITURE = lazy(
    r"""^(?:
        \d{1,3}\s*/\s*\d{1,3}                         # page "2/4"
      | page\s+\d{1,3}(?:\s+of\s+\d{1,3})?             # "Page 2 of 4"
      | \d{1,3}                                        # a page number alone
      | [A-Z]{1,2}(?:/[A-Z0-9.]+)+(?:/Rev\.\d+)?(?:/Add\.\d+)?(?:/Corr\.\d+)?  # a symbol
      | \d{2}-\d{5}(?:\s*\*)?(?:\s*\([A-Z]\))?(?:\s+\S+){0,3}  # a job number "23-04321 (E) 170925"
      | \*\d{7}\*                                      # a bar code
      | \d{6}                                          # a date code "170925"
      | distr\.:?\s+\w+ | original:\s+\w+ | please\s+recycle.*
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
_LETTERHEAD = lazy(
    r"^(united nations|general assembly|security council|economic and social council|"
    r"trusteeship council)$",
    re.IGNORECASE,
)
_TITLE = lazy(
    r"(programme of work|organization of (?:the )?work|"
    r"organization of the session|time-?table|schedule of meetings|plan of work|"
    r"calendar of meetings|programme and timetable)",
    re.IGNORECASE,
)
_TITLE_LINE = lazy(
    r"^(?:annex|(?:draft|provisional|proposed|revised|tentative)?\s*(?:programme|"
    r"organization|timetable|time-table|schedule|calendar|plan)\b|note by|report of|item \d)",
    re.IGNORECASE,
)
_BODY = lazy(
    r"\b(committee|council|commission|assembly|working group|conference|board|forum|"
    r"meeting of (?:the )?states|group of|panel|summit|plenary)\b",
    re.IGNORECASE,
)
_SESSION = lazy(r"\bsession\b", re.IGNORECASE)
_PLACE_DATES = lazy(r"^\(?\s*([^,\d()]{2,40}),\s*(.+\d{4})\s*\)?$")
_RESOLUTION = lazy(
    r"(General Assembly|Security Council|Human Rights Council)?\s*"
    r"resolutions?\s+(\d{2,3}/\d{1,4})"
)
#: A UN document symbol: "A/C.2/80/L.1", "A/80/100/Add.1", "A/RES/75/240", "E/1997/100".
_SYMBOL = lazy(
    r"(?<![\w/])([A-Z]{1,2}(?:/(?:[A-Z][A-Za-z]*(?:\.\d+)?|\d+))*/\d+(?:/(?:[A-Z][A-Za-z]*"
    r"(?:\.\d+)?|\d+))*)(?![\w/])"
)
_URL = lazy(r"https?://[^\s<>)\]]+[^\s<>)\].,;]")
#: Narrower columns tell nothing by how full their lines are (characters).
_MIN_FILL_WIDTH = 55
# "Introductory statements and general discussion on": a line that leads into the
# items under it, an entry of its own even though it ends like a sentence going on
_LEAD_IN = lazy(
    r"\b(?:discussions?|dialogues?|debates?|statements?|consideration|briefings?|"
    r"presentations?|exchanges? of views)(?: (?:on|of))?:?$",
    re.IGNORECASE,
)
_FUNCTION_WORD = lazy(
    r"(?:\b(?:a|an|the|of|on|in|to|for|and|or|by|with|under|from|at|as|its|their|"
    r"between|into|towards|including|concerning|regarding)|[-–,])$",
    re.IGNORECASE,
)


def read_lines(
    lines: Sequence[TextLine],
    *,
    source: str,
    timezone: str | None = None,
    short_name: str | None = None,
    gaps: bool = False,
) -> tuple[Programme, list[DocumentWarning]]:
    """Read a programme from a document's lines; return it with the reader's warnings.

    ``gaps`` says that the lines' paragraph gaps are reliable (a PDF's spacing), so
    that a line without one continues the line before.
    """
    reader = _Reader(source, timezone, short_name, gaps=gaps)
    try:
        programme = reader.read(list(lines))
    except DocumentError:
        raise
    except OewgCalError as exc:
        raise DocumentError(str(exc), source=source) from exc
    finally:
        _clean.cache_clear()  # the document's text is not kept once it is read
    return programme, reader.warnings


# The reader's passes ask for the same line's clean text about eleven times.
@functools.lru_cache(maxsize=1 << 16)
def _clean(text: str) -> str:
    text = " ".join(_FOOTNOTE_RE.sub("", text).split())
    # a converter's spaces before a full stop or inside a word: "documentation .", "eighty -first"
    return re.sub(r"(?<=\w) (?=[.,;:](?:\s|$))|(?<=[a-z]) (?=-[a-z])", "", text)


def _joined(lines: Iterable[TextLine]) -> str:
    """Wrapped lines as one text (see :func:`_separator`)."""
    return _run_together(line.text.strip() for line in lines)


def _run_together(parts: Iterable[str]) -> str:
    pieces: list[str] = []
    for part in parts:
        if part:
            if pieces:
                pieces.append(_separator(pieces[-1], part))
            pieces.append(part)
    return "".join(pieces)


_URL_BROKEN = lazy(r"https?://\S*[-/_.?=&~#%]$")


def _separator(before: str, part: str) -> str:
    """What joins a wrapped line's text to the line before: nothing for a word broken
    after its hyphen or a web address broken after a hyphen, slash or dot, else a space."""
    if before.endswith("-") and before[-2:-1].isalpha() and part[:1].islower():
        return ""
    if _URL_BROKEN.search(before.rsplit(None, 1)[-1]) and not part[:1].isupper():
        return ""
    return " "


def _marks(text: str) -> tuple[str, ...]:
    return tuple(m.strip() for m in _FOOTNOTE_RE.findall(text))


@attrs.define
class _Entry:
    """An agenda entry while it is being read (the model's are frozen)."""

    line: TextLine
    item: int | None = None
    title: str = ""
    continued: bool = False
    concluded: bool = False
    sub: str | None = None
    sub_text: str = ""
    sub_continued: bool = False
    sub_concluded: bool = False
    segment: Segment | None = None
    label: str = ""
    speakers: list[str] = attrs.field(factory=list)
    footnotes: list[str] = attrs.field(factory=list)
    wants_title: bool = False

    def build(self) -> AgendaEntry:
        sub = None
        if self.sub is not None:
            sub = SubItem(
                letter=self.sub,
                text=self.sub_text,
                continued=self.sub_continued,
                concluded=self.sub_concluded,
            )
        return AgendaEntry(
            item=self.item,
            title=self.title,
            continued=self.continued,
            concluded=self.concluded,
            sub_item=sub,
            segment=self.segment,
            label=self.label,
            speakers=tuple(self.speakers),
            footnotes=tuple(dict.fromkeys(self.footnotes)),
        )


@attrs.define
class _Slot:
    """One time slot of the table as printed, before it becomes meetings."""

    line: TextLine
    days: tuple[dt.date, ...]
    times: tuple[SlotTime, ...]
    formal: bool = True
    room: str | None = None
    marks: list[str] = attrs.field(factory=list)
    body: list[TextLine] = attrs.field(factory=list)
    follow: list[TextLine] = attrs.field(factory=list)
    follow_formal: bool = True
    following: bool = False
    day_line: TextLine | None = None  # the day's heading, for a slot without a time


def _run_from(
    lines: list[TextLine], index: int, goes_on: Callable[[TextLine], bool]
) -> tuple[list[TextLine], int]:
    """``lines[index]`` and the lines after it for which ``goes_on`` holds; and the index
    of the first line after them."""
    end = index + 1
    while end < len(lines) and goes_on(lines[end]):
        end += 1
    return lines[index:end], end


def _under_the_table(slot: _Slot, line: TextLine, *, going_on: bool) -> bool:
    """Whether ``line`` is prose printed under the table rather than more of ``slot``'s
    agenda: set apart by a blank line (or going on from such a line), it starts in the
    time column while the slot's agenda stands indented in a column of its own."""
    if not slot.times or line.indent is None or slot.line.indent is None:
        return False  # a slot without a time has no time column to tell it by
    if not (line.gap or going_on):
        return False
    column = [x.indent for x in slot.body[1:] if x.indent is not None]
    if not column or min(column) <= slot.line.indent + 1:
        return False  # no agenda column to tell it by
    return line.indent <= slot.line.indent + 1


class _Heading(NamedTuple):
    body: str
    session: str
    place: str | None
    first_day: dt.date | None
    last_day: dt.date | None
    issued: dt.date | None
    symbol: str | None
    notes: list[str]
    is_programme: bool
    line: TextLine | None


class _Reader:
    def __init__(
        self, source: str, timezone: str | None, short_name: str | None, *, gaps: bool
    ) -> None:
        self.source = source
        self.timezone = timezone
        self.short_name = short_name
        self.gaps = gaps
        self.warnings: list[DocumentWarning] = []
        self.footnotes: dict[str, str] = {}
        self.items: dict[int, str] = {}
        self.sub_titles: dict[tuple[int, str], str] = {}
        self.last_item_with: dict[str, int] = {}
        self.before: set[int] = set()
        self.widths: dict[str, float] = {}
        self.width_samples: dict[str, int] = {}
        self.year: int | None = None
        self.year_source = ""
        self.previous_day: dt.date | None = None
        self.heading: _Heading | None = None
        self.slot_ends: dict[dt.time, dt.time] = {}
        self.meeting_lines: dict[Meeting, TextLine] = {}
        self.documentation_at: float | None = None
        self.numbers: frozenset[str] = frozenset()
        self.documentation: list[str] = []
        self.raised = False  # the document shows footnote marks raised (superscripts)

    def warn(self, line: TextLine | None, message: str) -> None:
        self.warnings.append(
            DocumentWarning(
                message,
                source=self.source,
                line=line.number if line else None,
                page=line.page if line else None,
            )
        )

    def error(self, message: str, line: TextLine | None = None) -> DocumentError:
        return DocumentError(
            message,
            source=self.source,
            line=line.number if line else None,
            page=line.page if line else None,
        )

    # ------------------------------------------------------------ the document

    def read(self, lines: list[TextLine]) -> Programme:
        lines = [line for line in lines if line.text.strip()]
        if not lines:
            raise self.error("the document is empty (expected a programme of work)")
        lines = _with_furniture(lines)
        self.numbers = frozenset(_NUMBER_TOKEN.findall(" ".join(x.text for x in lines)))
        self.raised = any(_FOOTNOTE_RE.search(x.text) for x in lines)
        lines = self._take_footnotes(lines)
        if not self.footnotes:
            lines = self._take_loose_footnotes(lines)
        start = self._table_start(lines)
        if start is None:
            raise self._no_programme(lines)
        end = self._table_end(lines, start)
        heading = self.heading = self._heading(lines[:start], lines[end:])
        if not heading.is_programme:
            raise self.error(
                "not a programme of work: no heading names a programme of work, an "
                "organization of work or a timetable, and no line gives the session's place "
                'and dates (expected e.g. "Provisional programme of work" or "New York, '
                '6–10 March 2023")',
                lines[0],
            )
        self.slot_ends = self._slot_ends(heading.notes)
        slots = self._slots(_centred_rows(_joined_times(lines[start:end])))
        meetings = self._meetings(slots)
        if not meetings:
            raise self.error(
                'the programme has no meetings (expected times like "10 a.m.–1 p.m." '
                "under its day headings)",
                lines[start],
            )
        return self._programme(heading, meetings)

    def _no_programme(self, lines: list[TextLine]) -> DocumentError:
        """Why a document holds no programme the reader can read, as precisely as it can tell."""
        timed_lines = 0
        for line in lines:
            cells = [c.strip() for c in re.split(r"\s*[|/\t]\s*|\s{3,}", _clean(line.text))]
            timed = [c for c in cells if c and _is_times(c)]
            dated = [c for c in cells if c and re.fullmatch(r"\d{1,2} [A-Z][a-z]+", c)]
            timed_lines += len(line.text) <= 60 and bool(_TIMES_INSIDE.search(line.text))
            if len(timed) >= 2 or len(dated) >= 2:
                return self.error(
                    "the programme is a grid (days or weeks across, times down, or the "
                    "reverse): oewg_cal reads programmes listed day by day and time by time "
                    '(like "Monday, 6 October" then "10 a.m.–1 p.m.  Item 21 …")',
                    line,
                )
        letters = [c for line in lines for c in line.text if c.isalpha()]
        latin = sum(1 for c in letters if c.isascii())
        if letters and latin < len(letters) / 2:
            return self.error(
                "the document is not in English: oewg_cal reads the English version of a "
                "programme of work (its days, times and agenda items)",
                lines[0],
            )
        if timed_lines >= 2:
            return self.error(
                "meeting times but no day headings above them (expected a day such as "
                '"Monday, 6 October" before its times; the document may be cut before its '
                "first day)",
                lines[0],
            )
        return self.error(
            "no dated programme found: no day heading followed by meetings (expected "
            'headings like "Monday, 6 October" with times like "10 a.m.–1 p.m."; the '
            "document may not be a programme of work, or may end before its programme)",
            lines[0],
        )

    # ------------------------------------------------------------ footnotes

    def _take_footnotes(self, lines: list[TextLine]) -> list[TextLine]:
        """Footnotes out of the way, wherever they stand; the other lines in order."""
        kept: list[TextLine] = []
        index = 0
        while index < len(lines):
            line = lines[index]
            if _SEPARATOR.match(line.text):
                index = self._footnote_block(lines, index + 1, line)
                continue
            if line.cell is None and line.text.startswith("\x00fn:") and _clean(line.text):
                # a marked-up document's footnote, and the lines that go on with it
                block, index = _run_from(
                    lines, index, lambda x: x.cell is None and not _table_line(x.text)
                )
                self._read_footnotes(block)
                continue
            kept.append(line)
            index += 1
        return kept

    def _take_loose_footnotes(self, lines: list[TextLine]) -> list[TextLine]:
        """Footnotes with neither a rule above them nor a raised mark (a converter lost
        both): a paragraph "1 States are …" whose mark is glued to a word or a number of
        the text ("75/2401" where "75/240" is printed too)."""
        text = " ".join(x.text for x in lines)
        kept: list[TextLine] = []
        index = 0
        while index < len(lines):
            line = lines[index]
            found = _LOOSE_FOOTNOTE.match(_clean(line.text))
            if found and line.gap and self._glued(found.group(1), text):
                block, index = _run_from(
                    lines, index, lambda x: not x.gap and not _table_line(x.text)
                )
                self._read_footnotes(block)
                continue
            kept.append(line)
            index += 1
        return kept

    def _glued(self, mark: str, text: str) -> bool:
        """Whether ``mark`` stands glued to a word or a number somewhere in ``text``."""
        for match in re.finditer(
            rf"\b([A-Za-z][a-z]{{2,}}|\d{{1,3}}/\d{{1,4}}){re.escape(mark)}\b", text
        ):
            if match.group(1)[0].isalpha() or match.group(1) in self.numbers:
                return True
        return False

    def _footnote_block(self, lines: list[TextLine], index: int, rule: TextLine) -> int:
        """Read the footnotes below ``rule``; return where the document goes on: the next
        page, page furniture once a footnote has its text, or the table again."""
        block: list[TextLine] = []
        told = False  # a footnote's text has been read (not just its mark)
        while index < len(lines):
            line = lines[index]
            text = _clean(line.text)
            if rule.page is not None:
                if line.page != rule.page or line.furniture:
                    break
            elif _BARE_MARK.fullmatch(text):
                told = False
            elif _is_furniture(line):
                if told:
                    break
            elif _table_line(line.text):
                break
            else:
                told = True
            block.append(line)
            index += 1
        self._read_footnotes(block)
        return index

    def _read_footnotes(self, block: list[TextLine]) -> None:
        parts: dict[str, list[str]] = {}
        mark: str | None = None
        for line in block:
            text = line.text
            if _is_furniture(line) and not _BARE_MARK.fullmatch(_clean(text)):
                continue
            token = re.match(r"^\x00fn:([^\x00]+)\x00\s*(.*)$", text)
            numbered = re.match(r"^(\d{1,2}|\*{1,3}|[†‡§])(?:\s+(\S.*))?$", text)
            found = token or numbered
            if found is not None:
                mark = found.group(1).strip()
                try:
                    Footnote(mark=mark, text="-")
                except ProgrammeError as exc:
                    self.warn(line, f"{exc}: footnote left out")
                    mark = None
                    continue
                parts[mark] = [_clean(found.group(2) or "")]
            elif mark is not None:
                parts[mark].append(_clean(text))
            else:
                self.warn(line, f'cannot place "{_shown(text)}" among the footnotes')
        for found_mark, texts in parts.items():
            self.footnotes[found_mark] = " ".join(t for t in texts if t)

    # ------------------------------------------------------------ zones

    def _is_day_heading(self, line: TextLine) -> bool:
        found = find_days(line.text)
        if found is None:
            return False
        rest = line.text[found.end :].strip(" ,;:.")
        return not rest or bool(find_times(rest)) or len(rest) <= 45 or rest.startswith("(")

    def _table_start(self, lines: list[TextLine]) -> int | None:
        for index, line in enumerate(lines):
            if _is_furniture(line) or not self._is_day_heading(line):
                continue
            following = [x for x in lines[index + 1 : index + 6] if not _is_furniture(x)]
            if any(not _PARAGRAPH.match(x.text) for x in following[:1]) or (
                find_times(line.text[find_days(line.text).end :].strip(" ,;:"))  # type: ignore[union-attr]
            ):
                while index > 0 and (
                    _WEEK.match(lines[index - 1].text)
                    or _TABLE_HEADING.match(lines[index - 1].text)
                    or _COLUMN_HEADING.match(lines[index - 1].text)
                    or _is_furniture(lines[index - 1])
                ):
                    index -= 1
                return index
        return None

    def _table_end(self, lines: list[TextLine], start: int) -> int:
        for index in range(start + 1, len(lines)):
            line = lines[index]
            if line.cell is None and _PARAGRAPH.match(line.text) and not _is_furniture(line):
                return index
        return len(lines)

    # ------------------------------------------------------------ the heading

    def _heading(self, lines: list[TextLine], after: list[TextLine]) -> _Heading:
        lines = [line for line in lines if not _COMMENT.match(line.text)]
        texts = [(line, _clean(line.text).strip(" #*")) for line in lines]
        texts = [(line, text) for line, text in texts if text]
        symbol = next((t for _, t in texts if _SYMBOL.fullmatch(t)), None) or next(
            (
                found.group(2)
                for _, t in texts[:8]
                if (found := re.fullmatch(rf"(.+?)\s+({_SYMBOL.pattern})", t))
                and _LETTERHEAD.match(found.group(1))
            ),
            None,
        )
        issued = None
        for _, text in texts:
            try:
                issued = parse_date(text)
                break
            except TimeTextError:
                continue
        place = first = last = None
        dates_at: int | None = None
        for index, (_, text) in enumerate(texts):
            match = _PLACE_DATES.match(text)
            if match is None:
                continue
            try:
                first, last = parse_date_range(match.group(2))
            except TimeTextError:
                continue
            place, dates_at = match.group(1).strip(), index
            break
        body_lines = [
            (index, line, text)
            for index, (line, text) in enumerate(texts)
            if not _is_furniture(line) or _LETTERHEAD.match(text)
        ]
        session_at = None
        if dates_at is not None and dates_at > 0:
            session_at = dates_at - 1
        else:
            session_at = next(
                (
                    index
                    for index, _, text in body_lines
                    if _SESSION.search(text)
                    and len(text) <= 70
                    and not _PARAGRAPH.match(text)
                    and not _TITLE.search(text)
                ),
                None,
            )
        session = texts[session_at][1] if session_at is not None else ""
        body = self._body_name(texts, session_at, dates_at)
        notes = self._notes(
            [t for line, t in texts if not line.furniture]
            + [_clean(x.text) for x in after if not x.furniture]
        )
        is_programme = dates_at is not None or any(_TITLE.search(t) for _, t in texts)
        return _Heading(
            body=body,
            session=session,
            place=place,
            first_day=first,
            last_day=last,
            issued=issued,
            symbol=symbol,
            notes=notes,
            is_programme=is_programme,
            line=texts[0][0] if texts else None,
        )

    def _body_name(
        self, texts: list[tuple[TextLine, str]], session_at: int | None, dates_at: int | None
    ) -> str:
        taken = {session_at, dates_at}
        if dates_at is not None and session_at is not None:
            # "Body / Session / Place, dates": the body is the line above the session
            above = [
                (line, text)
                for line, text in texts[:session_at]
                if not (_LETTERHEAD.match(text) or _is_furniture(line) or _is_date(text))
            ]
            if above and not (_TITLE_LINE.match(above[-1][1]) or _PARAGRAPH.match(above[-1][1])):
                name = above[-1][1]
                for _, text in reversed(above[:-1]):  # a name wrapped over lines
                    if re.search(r"\w[–-]$", text):
                        name = text + name
                    elif name[:1].islower() or name[:1].isdigit():
                        name = f"{text} {name}"
                    else:
                        break
                return name
        candidates: list[tuple[int, str]] = []
        letterheads: list[str] = []
        for index, (line, text) in enumerate(texts):
            if index in taken or _PARAGRAPH.match(text) or len(text) > 200:
                continue
            if _LETTERHEAD.match(text):
                if text.lower() != "united nations":
                    letterheads.append(text)
                continue
            if _is_furniture(line) or _TITLE_LINE.match(text) or _TITLE.search(text):
                continue
            if _BODY.search(text):
                name = text
                following = texts[index + 1][1] if index + 1 < len(texts) else ""
                if re.fullmatch(r"\([^()]+\)", following):
                    name += " " + following
                candidates.append((index, name))
        if candidates:
            anchor = session_at if session_at is not None else 0
            return min(candidates, key=lambda c: (abs(c[0] - anchor), c[0]))[1]
        if letterheads:
            return letterheads[-1]
        raise self.error(
            'cannot find the body\'s name (expected a line such as "Second Committee" or '
            '"Open-ended working group on …" near the session)',
            texts[0][0] if texts else None,
        )

    def _notes(self, texts: list[str]) -> list[str]:
        notes: list[list[str]] = []
        for index, text in enumerate(texts):
            match = _PARAGRAPH.match(text)
            following = texts[index + 1] if index + 1 < len(texts) else ""
            heading = not text.endswith((".", ",", ";", ":")) and _PARAGRAPH.match(following)
            if match:
                notes.append([_clean(match.group(2) or "")])
            elif notes and not heading and not _TITLE_LINE.match(text):
                notes[-1].append(_clean(text))
        return [note for note in (_run_together(parts).strip() for parts in notes) if note]

    def _slot_ends(self, notes: list[str]) -> dict[dt.time, dt.time]:
        """The slots the note gives, "meetings … from 10 a.m. to 1 p.m. and from 3 to 6 p.m."."""
        ends: dict[dt.time, dt.time] = {}
        for note in notes:
            if not re.search(r"\bmeetings?\b", note, re.IGNORECASE):
                continue
            for found in re.finditer(
                r"\bfrom\s+([^,;()]{1,25}?\s+to\s+[^,;()]{1,12}?[ap]\.m\.)", note
            ):
                try:
                    start, end = parse_time_range(found.group(1))
                except TimeTextError:
                    continue
                ends.setdefault(start, end)
        return ends

    # ------------------------------------------------------------ the table

    def _resolve_year(self, line: TextLine, found_year: int | None) -> int:
        if found_year is not None:
            self.year, self.year_source = found_year, "printed"
            return found_year
        if self.year is not None:
            return self.year
        heading = self.heading
        assert heading is not None
        if heading.first_day is not None:
            self.year, self.year_source = heading.first_day.year, "session"
        elif heading.issued is not None:
            self.year, self.year_source = heading.issued.year, "issued"
            self.warn(
                line,
                f"the days print no year: {heading.issued.year} is taken from the issue date "
                f"({heading.issued})",
            )
        else:
            raise self.error(
                "cannot tell the year of the programme's days (no year in the headings, the "
                "session's dates or the issue date)",
                line,
            )
        return self.year

    def _day(self, line: TextLine, term: DayTerm) -> dt.date:
        """The date of a day heading; without a year, the first that fits after the day
        before and within the session."""
        year = self._resolve_year(line, term.year)
        heading = self.heading
        assert heading is not None
        candidates = [year] if term.year is not None else [year, year + 1]
        if term.year is None and heading.first_day and heading.last_day:
            # the days run forward: a year before the day before's cannot be it
            since = max(heading.first_day.year, self.previous_day.year if self.previous_day else 0)
            candidates = list(range(since, heading.last_day.year + 1))
        problem: TimeTextError | None = None
        went_back = False
        for candidate in candidates:
            try:
                day = term.date(candidate, line.text)
            except TimeTextError as exc:
                problem = problem or exc
                continue
            if term.year is None and self.previous_day and day < self.previous_day:
                went_back = True
                continue
            outside = (
                heading.first_day
                and heading.last_day
                and term.year is None
                and not (heading.first_day <= day <= heading.last_day)
            )
            if outside:
                continue
            self.previous_day = day
            return day
        if problem is not None:
            raise self.error(f"cannot read the day {_clean(line.text)!r}: {problem}", line)
        if went_back:
            raise self.error(
                f"the day {_clean(line.text)!r} comes after {self.previous_day}: the "
                "programme's days go back (expected each day after the one before; is a "
                "part of the document repeated?)",
                line,
            )
        raise self.error(
            f"the day {_clean(line.text)!r} is outside the session "
            f"({heading.first_day} to {heading.last_day})",
            line,
        )

    def _slots(self, lines: list[TextLine]) -> list[_Slot]:
        slots: list[_Slot] = []
        days: tuple[dt.date, ...] = ()
        day_line: TextLine | None = None
        off = False
        slot: _Slot | None = None
        heading_lines: set[tuple[int | None, int]] = set()

        def close() -> None:
            nonlocal slot
            if slot is not None:
                slots.append(slot)
            slot = None

        after_furniture = after_heading = outside = False
        tabular = any(line.cell is not None for line in lines)
        for index, line in enumerate(lines):
            text = line.text
            if _is_furniture(line) and line.cell is None:
                after_furniture = True
                continue
            if after_furniture:
                # the space around a page break is not a paragraph's
                line, after_furniture = attrs.evolve(line, gap=False), False
            heading = (
                (line.page, line.number) in heading_lines or after_heading
            ) and _COLUMN_HEADING.match(_clean(text))
            after_heading = bool(_TABLE_HEADING.match(_clean(text)))
            if heading or _TABLE_HEADING.match(_clean(text)) or self._column_headings(lines, index):
                heading_lines.add((line.page, line.number))
                if _clean(text).lower() == "documentation" and line.indent is not None:
                    self.documentation_at = line.indent
                continue
            if self._documentation(line):
                continue
            week = _WEEK.match(_clean(text))
            if week:
                close()
                self._week(line, week.group(1))
                continue
            found_days = find_days(text) if line.cell in (None, 0) else None
            if found_days is not None and self._is_day_heading(line):
                close()
                days = tuple(self._day(line, term) for term in found_days.days)
                day_line, off = line, False
                rest = text[found_days.end :].strip(" ,;:.")
                if not rest:
                    continue
                if find_times(rest):
                    text = rest
                elif _NO_MEETING.search(rest) or re.search(r"\bholiday\b", rest, re.I):
                    off = True
                    continue
                else:
                    slot = _Slot(line=line, days=days, times=(), day_line=line)
                    slot.body.append(attrs.evolve(line, text=rest))
                    continue
            times = find_times(text) if line.cell in (None, 0) else None
            if times is not None and days:
                close()
                slot = self._open_slot(line, days, times.times, text[times.end :])
                off = False
                continue
            if line.cell == 0 or (line.cell is None and _TIME_START.match(text)):
                self._garbled(line, text)
            if _NO_MEETING.match(_clean(text)):
                close()
                off = True
                continue
            followed = _FOLLOWED.match(_clean(text))
            if followed and slot is not None:
                slot.following = True
                rest = followed.group(1)
                if _INFORMAL.search(rest):
                    slot.follow_formal = False
                    rest = _INFORMAL.sub("", rest).strip()
                if rest:
                    slot.follow.append(attrs.evolve(line, text=rest))
                continue
            if tabular and line.cell is None:
                self.warn(line, f'cannot place "{_shown(text)}": it stands outside the table')
            elif slot is not None and _under_the_table(slot, line, going_on=outside):
                outside = True
                self.warn(
                    line,
                    f'cannot place "{_shown(text)}": it stands in the time column after the '
                    "last meeting's agenda, not in the agenda column (left out)",
                )
            elif slot is not None:
                outside = False
                (slot.follow if slot.following else slot.body).append(line)
            elif days and not off:
                slot = _Slot(line=line, days=days, times=(), day_line=day_line)
                slot.body.append(line)
            elif days and off:
                self.warn(line, f'cannot place "{_shown(text)}" on a day without meetings')
            else:
                self.warn(line, f'cannot place "{_shown(text)}": it comes before any day')
        close()
        return slots

    def _column_headings(self, lines: list[TextLine], index: int) -> bool:
        """Whether the line and those beside it on its source line are all column headings
        ("Programme    Documentation")."""
        line = lines[index]
        row = [
            x
            for x in lines[max(0, index - 3) : index + 4]
            if (x.page, x.number) == (line.page, line.number)
        ]
        return len(row) > 1 and all(_COLUMN_HEADING.match(_clean(x.text)) for x in row)

    def _documentation(self, line: TextLine) -> bool:
        """A line of a "Documentation" column beside the programme: its symbols are kept as
        the programme's references, not read as agenda."""
        if self.documentation_at is None or line.indent is None or line.cell is not None:
            return False
        if line.indent < self.documentation_at - 10:
            return False
        self.documentation.append(_clean(line.text))
        return True

    def _garbled(self, line: TextLine, text: str) -> None:
        """A time that cannot be read, or a date/time cell that holds neither, is an error:
        reading it as agenda text would put a meeting at a wrong time without a word."""
        first = _clean(text)
        prefix = _TIME_PREFIX.match(first)
        if prefix is not None and (looks_like_time(first) or _TIME_START.match(first)):
            candidate = prefix.group(0).strip()
            try:
                parse_time_range(candidate)
            except TimeTextError as exc:
                column = exc.column + 1 if exc.column is not None else None
                raise DocumentError(
                    f'cannot read time "{exc.found}" (expected {exc.expected})',
                    source=self.source,
                    line=line.number,
                    column=column,
                    page=line.page,
                ) from exc
        if line.cell == 0 and first:
            raise self.error(
                f'cannot read "{first}" as a day or a time (expected e.g. "Monday, 6 March" '
                'or "10 a.m.–1 p.m.")',
                line,
            )

    def _week(self, line: TextLine, text: str) -> None:
        """A "Week of 6–10 October 2025" heading: its year, when printed, holds from here."""
        try:
            first, _ = parse_date_range(_clean(text))
        except TimeTextError:
            pass
        else:
            self.year, self.year_source = first.year, "printed"
            return
        try:
            parse_date_range(f"{_clean(text)} {self._resolve_year(line, None)}")
        except TimeTextError:
            self.warn(line, f'cannot read the week "{_clean(text)}"')

    def _open_slot(
        self, line: TextLine, days: tuple[dt.date, ...], times: tuple[SlotTime, ...], rest: str
    ) -> _Slot:
        slot = _Slot(line=line, days=days, times=times)
        rest = rest.strip()
        while True:
            rest = rest.lstrip(" :.,;–—-")
            mark = re.match(r"^(?:\x00fn:([^\x00]+)\x00|(\*{1,3}))", rest)
            if mark:
                slot.marks.append((mark.group(1) or mark.group(2)).strip())
                rest = rest[mark.end() :]
                continue
            informal = _INFORMAL.match(rest)
            if informal:
                slot.formal = False
                rest = rest[informal.end() :]
                continue
            room = _ROOM.match(rest)
            if room:
                slot.room = " ".join(room.group(1).split())
                rest = rest[room.end() :]
                continue
            break
        if rest.strip():
            # the agenda printed after the time on its line starts where the time does (its
            # column was lost with the spaces), so it is as wide as the time line less the time
            right = line.right
            if right is not None:
                right -= len(line.text) - len(rest.strip())
            slot.body.append(attrs.evolve(line, text=rest.strip(), right=right))
        return slot

    # ------------------------------------------------------------ slots to meetings

    def _meetings(self, slots: list[_Slot]) -> list[Meeting]:
        self._measure(slots)
        meetings: list[Meeting] = []
        starts: dict[dt.date, list[dt.time]] = {}
        deadlines = {id(slot) for slot in slots if _is_deadline(slot)}
        for slot in slots:
            if id(slot) not in deadlines:
                for day in slot.days:
                    starts.setdefault(day, []).extend(t.start for t in slot.times)
        for slot in slots:
            if self._holiday(slot):
                continue
            before = set(self.items)
            self.before = before
            entries = self._entries(slot.body)
            follow = self._entries(slot.follow) if slot.follow else []
            if not entries and follow:
                entries, follow = follow, []
            if not entries:
                if slot.times:
                    self.warn(slot.line, "a time with nothing on its agenda: no event")
                continue
            for mark in slot.marks:
                if mark not in self.footnotes:
                    self.warn(
                        slot.line,
                        f"footnote mark {mark!r} after the time, but no footnote {mark!r}",
                    )
            marks = [m for m in slot.marks if m in self.footnotes]
            if marks:
                entries[0].footnotes = [*marks, *entries[0].footnotes]
            deadline = id(slot) in deadlines
            # a meeting headed by an informal segment is informal; one that ends with one
            # ("Informal dialogue with heads of agencies") is a formal meeting that holds it
            formal = slot.formal and not (
                entries
                and entries[0].segment is not None
                and re.search(r"\binformal\b", entries[0].label, re.IGNORECASE)
            )
            built = [self._built(e) for e in entries]
            followed_by = (
                FollowedBy(entries=tuple(self._built(e) for e in follow), formal=slot.follow_formal)
                if follow
                else None
            )
            for day in slot.days:
                if not slot.times:
                    self.warn(
                        slot.line,
                        f"no time is given for the meeting of {day}: read as a meeting without "
                        "a time (the whole day)",
                    )
                    meetings.append(
                        self._meeting(
                            slot,
                            date=day,
                            start=None,
                            end=None,
                            entries=built,
                            formal=formal,
                            followed_by=followed_by,
                        )
                    )
                    continue
                for time in slot.times:
                    if deadline:
                        meetings.append(
                            self._meeting(
                                slot,
                                date=day,
                                start=time.start,
                                end=None,
                                entries=built,
                                formal=True,
                                kind=Kind.DEADLINE,
                            )
                        )
                        continue
                    end, assumed = time.end, False
                    if end is None:
                        end, assumed = self._assumed_end(slot, day, time.start, starts[day]), True
                    meetings.append(
                        self._meeting(
                            slot,
                            date=day,
                            start=time.start,
                            end=end,
                            entries=built,
                            formal=formal,
                            followed_by=followed_by,
                            end_assumed=assumed,
                            overnight=time.overnight,
                        )
                    )
        return meetings

    def _holiday(self, slot: _Slot) -> bool:
        """A day heading with a name and nothing else: beside the day ("Monday,
        20 October   Diwali"), or under it when the name is a holiday's."""
        if slot.times or slot.follow or len(slot.body) != 1:
            return False
        line, day = slot.body[0], slot.day_line
        text = _clean(line.text)
        if day is None or len(text.split()) > 5 or _starts_entry(text) or _TITLE_ITEM.match(text):
            return False
        beside = (line.page, line.number) == (day.page, day.number)
        if not _HOLIDAY.search(text) and (not beside or _ACTIVITY.search(text)):
            return False
        self.warn(
            line,
            f'"{text}" with no time or agenda under the day: read as a day without meetings',
        )
        return True

    def _assumed_end(
        self, slot: _Slot, day: dt.date, start: dt.time, starts: list[dt.time]
    ) -> dt.time:
        learned = self.slot_ends.get(start)
        if learned is not None and learned > start:
            end, why = learned, "the end the note gives for meetings starting then"
        else:
            moment = dt.datetime.combine(day, start) + DEFAULT_SLOT
            end = moment.time() if moment.date() == day else dt.time(23, 59)
            why = "a three-hour meeting slot"
        later = sorted(s for s in starts if s > start)
        if later and later[0] < end:
            end, why = later[0], "the next meeting's start"
        self.warn(
            slot.line,
            f"only the start ({start:%H:%M}) is given for the meeting of {day}: its end "
            f"({end:%H:%M}) is assumed from {why}",
        )
        return end

    def _meeting(self, slot: _Slot, **fields: object) -> Meeting:
        try:
            meeting = Meeting(room=slot.room, **fields)  # type: ignore[arg-type]
        except OewgCalError as exc:
            raise self.error(str(exc), slot.line) from exc
        self.meeting_lines.setdefault(meeting, slot.line)
        return meeting

    # ------------------------------------------------------------ a slot's agenda

    def _measure(self, slots: list[_Slot]) -> None:
        """The width of each kind of paragraph (and of all, as ``""``), for telling a
        wrapped line from a short one."""
        for slot in slots:
            for line in (*slot.body, *slot.follow):
                if line.right is not None and not _SUB_ITEM.fullmatch(_clean(line.text)):
                    for kind in (_kind_of(line.text), ""):
                        self.widths[kind] = max(self.widths.get(kind, 0.0), line.right)
                        self.width_samples[kind] = self.width_samples.get(kind, 0) + 1

    def _paragraphs(self, lines: list[TextLine]) -> list[list[TextLine]]:
        paragraphs: list[list[TextLine]] = []
        for index, line in enumerate(lines):
            if (
                paragraphs
                and (self._continues(paragraphs[-1], line) or self._title_goes_on(paragraphs, line))
                and not self._titled_item_at(lines, index)
            ):
                paragraphs[-1].append(line)
                continue
            paragraphs.append([line])
        return paragraphs

    def _titled_item_at(self, lines: list[TextLine], index: int) -> bool:
        """Whether a page breaks before ``lines[index]`` and the paragraph printed from
        there is a whole "Title (item 60)": an entry of its own, whatever the text before
        the break looks like."""
        line = lines[index]
        if not self.gaps or index == 0 or lines[index - 1].page == line.page:
            return False
        before = _clean(lines[index - 1].text)
        if _FUNCTION_WORD.search(before) and not _LEAD_IN.search(before):
            return False  # "… the people in the" / "Occupied Palestinian Territory …"
        paragraph, _ = _run_from(lines, index, lambda x: not x.gap and x.page == line.page)
        text = _clean(_joined(paragraph))
        return text[:1].isupper() and bool(_ENDS_ITEM.search(_MARKER.sub("", text)))

    def _title_goes_on(self, paragraphs: list[list[TextLine]], line: TextLine) -> bool:
        """The title under an item heading printed alone ("Item 3", then the title on the
        lines below) runs on until a blank line."""
        if len(paragraphs) < 2 or line.gap or _starts_entry(_clean(line.text)):
            return False
        heading = _ITEM.match(_MARKER.sub("", _clean(" ".join(x.text for x in paragraphs[-2]))))
        return heading is not None and not heading.group(2).strip(" :–—-")

    def _continues(self, paragraph: list[TextLine], line: TextLine) -> bool:
        first, previous = paragraph[0], paragraph[-1]
        text, before = _clean(line.text), _clean(previous.text)
        if line.cell is not None or _starts_entry(text):
            return False
        # across a page break the spacing tells nothing: the text must
        spaced = self.gaps and (previous.page is None or line.page == previous.page)
        if not spaced and text[:1].islower() and not _ENDS_ITEM.search(before):
            return True  # a sentence going on, even past a colon
        if spaced and not line.gap and not _ENDS_ITEM.search(before):
            return True  # printed close under the line before: the same paragraph
        if _ITEM_TAIL.match(text) and not _ENDS_ITEM.search(before):
            return True  # "(item 6)" under the title it ends
        if _ends_entry(before):
            return False
        if _LONE_SUB_ITEM.fullmatch(before) and not _SUB_ITEM.match(text):
            return True  # "(a)" alone, its text on the next line
        if spaced or (line.gap and not self.gaps):
            return not line.gap
        if not text or text[0].islower() or text[0] in ",;)”’":
            return True
        if line.indent is not None and first.indent is not None:
            if line.indent > first.indent + 1 and _LABEL.match(_clean(first.text)):
                return True  # hanging under the text after "(a)" or "Item 5:"
            if line.indent < first.indent - 1:
                return False
        if _FUNCTION_WORD.search(before):
            return True
        if re.search(r"\b(?:sub-)?items?$", before, re.IGNORECASE) and text[:1] in "0123456789(":
            return True  # "… under item" / "18 and item 60"
        if _ENDS_ITEM.search(text) and text[:1].isupper():
            return False  # "Title (item 59)" whole on its line: an item of its own
        width = self._width(_kind_of(first.text))
        if width >= _MIN_FILL_WIDTH and previous.right is not None:
            flat = line.indent is None or first.indent is None or line.indent <= first.indent + 1
            if previous is not first and flat:
                width *= 0.92  # wrapped lines hang indented under their first, unseen here
            word = len(text.split()[0]) if text.split() else 0
            long = previous.right >= 0.75 * width
            return long and previous.right + 1 + word > width * 0.94
        return False

    def _width(self, kind: str) -> float:
        """How wide a column's lines run: its widest line, when enough lines show it."""
        if self.width_samples.get(kind, 0) >= 5:
            return self.widths[kind]
        return max(self.widths.get(kind, 0.0), 0.85 * self.widths.get("", 0.0))

    def _entries(self, lines: list[TextLine]) -> list[_Entry]:
        entries: list[_Entry] = []
        for paragraph in self._paragraphs(lines):
            text = self._unfuse(_joined(paragraph))
            for piece in _pieces(text):
                self._take(entries, piece, paragraph[0])
        return entries

    def _unfuse(self, text: str) -> str:
        """Footnote marks a converter glued to a word: "Side event2", "proposals 4".

        Where the document shows its marks raised, a number in the text's size is text
        ("Implementation of Agenda 2")."""
        if not self.footnotes or self.raised:
            return text

        def fused(match: re.Match[str]) -> str:
            word, mark = match.group(1), match.group(2)
            return f"{word}\x00fn:{mark}\x00" if mark in self.footnotes else match.group(0)

        def fused_number(match: re.Match[str]) -> str:
            number, mark = match.group(1), match.group(2)
            glued = self._mark_on_number(number, mark)
            return f"{number}\x00fn:{mark}\x00" if glued else match.group(0)

        text = re.sub(r"\b([A-Za-z][a-z]{2,})(\d{1,2})(?=[\s,.;:]|$)", fused, text)
        text = _FUSED_NUMBER.sub(fused_number, text)
        return re.sub(
            r"(?<=[a-z)”’]) (\d{1,2})$",
            lambda m: f"\x00fn:{m.group(1)}\x00" if m.group(1) in self.footnotes else m.group(0),
            text,
        )

    def _unfused_note(self, text: str, unplaced: set[str]) -> str:
        """A note with the footnote marks a converter glued to its numbers taken out
        ("resolution 75/2401," → "resolution 75/240,"): a number whose last digit is a
        footnote's mark, where the number without it is printed elsewhere or that mark
        stands nowhere in the programme."""
        if self.raised:
            return text

        def fused(match: re.Match[str]) -> str:
            number, mark = match.group(1), match.group(2)
            return number if self._mark_on_number(number, mark, unplaced) else match.group(0)

        return _FUSED_NUMBER.sub(fused, text)

    def _mark_on_number(self, number: str, mark: str, unplaced: Set[str] = frozenset()) -> bool:
        """Whether ``mark``, glued after ``number`` ("75/240" + "1"), is a footnote's mark:
        the number is printed without it elsewhere, or the mark stands nowhere else."""
        return mark in self.footnotes and (number in self.numbers or mark in unplaced)

    def _take(self, entries: list[_Entry], piece: str, line: TextLine) -> None:
        footnotes = list(_marks(piece))
        text = _clean(piece)
        markers = [m.group(1).lower() for m in _MARKER.finditer(text)]
        continued = any(m.startswith(("cont", "resumed")) for m in markers)
        concluded = any("conclud" in m for m in markers)
        bare = _MARKER.sub("", text).strip(" ;,")
        last = entries[-1] if entries else None
        if not bare:
            self._mark(entries, line, continued, concluded, text)
            return
        if last is not None and last.wants_title and not _starts_item(bare):
            last.title, last.wants_title = bare.rstrip(" :"), False
            self.items.setdefault(last.item or 0, last.title)
            last.continued |= continued
            last.concluded |= concluded
            last.footnotes += footnotes
            return
        item = _ITEM.match(bare) or _NUMBERED.match(bare)
        titled = _TITLE_ITEM.match(bare) if item is None else None
        if item is not None:
            self._item(
                entries,
                line,
                int(item.group(1)),
                item.group(2) or "",
                continued,
                concluded,
                footnotes,
            )
            return
        if titled is not None:
            numbers = [int(n) for n in re.findall(r"\d{1,3}", titled.group(2))]
            if re.search(r"\bto\b|[-–—]", titled.group(2)) and len(numbers) == 2:
                numbers = list(range(numbers[0], numbers[1] + 1))
            title = " ".join(f"{titled.group(1)} {titled.group(3)}".split()).strip(" :;,.")
            for number in numbers:
                self._item(entries, line, number, title, continued, concluded, footnotes)
            return
        sub = _SUB_ITEM.match(bare)
        if sub is not None:
            self._sub_item(
                entries,
                line,
                sub.group(1),
                sub.group(2).strip(" :"),
                continued,
                concluded,
                footnotes,
            )
            return
        speaker = _SPEAKER.match(bare)
        if speaker and last is not None and last.segment is not None:
            last.speakers.append(speaker.group(1).strip())
            return
        if markers and last is not None and last.item is not None and last.segment is None:
            # "General debate (continues)" under an item's heading: the item continues
            last.continued |= continued
            last.concluded |= concluded
        segment = next((kind for pattern, kind in _SEGMENTS if pattern.search(bare)), Segment.OTHER)
        label = text.rstrip(" :")
        entries.append(_Entry(line, segment=segment, label=label, footnotes=footnotes))

    def _mark(
        self, entries: list[_Entry], line: TextLine, continued: bool, concluded: bool, text: str
    ) -> None:
        last = entries[-1] if entries else None
        if last is None:
            self.warn(line, f'cannot place "{text}": no agenda item before it')
        elif last.sub is not None:
            last.sub_continued |= continued
            last.sub_concluded |= concluded
        elif last.item is not None:
            last.continued |= continued
            last.concluded |= concluded
        else:
            last.label = f"{last.label} {text}"

    def _item(
        self,
        entries: list[_Entry],
        line: TextLine,
        number: int,
        title: str,
        continued: bool,
        concluded: bool,
        footnotes: list[str],
    ) -> None:
        title = title.strip(" :;,.")
        subs: list[str] = []
        found = _SUB_RANGE.search(title)
        if found is not None:
            first, how, last = found.group(1), found.group(2).lower(), found.group(3)
            if how == "and":
                subs = [first, last]
            else:
                subs = [chr(c) for c in range(ord(first), ord(last) + 1)]
            title = (title[: found.start()] + title[found.end() :]).strip(" :;,.")
        known = self.items.get(number, "")
        entry = _Entry(
            line,
            item=number,
            title=title or known,
            continued=continued,
            concluded=concluded,
            footnotes=footnotes,
            wants_title=not title and not known,
        )
        if title:
            self.items.setdefault(number, title)
        elif not known:
            self.items.setdefault(number, "")
        if not subs:
            entries.append(entry)
            return
        for letter in subs:
            entries.append(
                attrs.evolve(
                    entry,
                    sub=letter,
                    sub_text=self.sub_titles.get((number, letter), ""),
                    sub_continued=continued,
                    sub_concluded=concluded,
                    speakers=[],
                    footnotes=list(footnotes),
                )
            )
            self.last_item_with[letter] = number

    def _sub_item(
        self,
        entries: list[_Entry],
        line: TextLine,
        letter: str,
        text: str,
        continued: bool,
        concluded: bool,
        footnotes: list[str],
    ) -> None:
        last = entries[-1] if entries else None
        if last is not None and last.item is not None and last.sub is None and not last.wants_title:
            target = last
        elif last is not None and last.segment is not None and last.item is None:
            number = self._item_of_sub(letter, text)
            if number is None:
                self._orphan_sub(entries, line, letter, text)
                return
            last.item, last.title = number, self.items.get(number, "")
            last.continued = number in self.before
            target = last
        else:
            number = (
                last.item
                if last is not None and last.item is not None
                else self._item_of_sub(letter, text)
            )
            if number is None:
                self._orphan_sub(entries, line, letter, text)
                return
            target = _Entry(
                line,
                item=number,
                title=self.items.get(number, ""),
                continued=number in self.before,
            )
            entries.append(target)
        target.sub, target.sub_text = letter, text
        target.sub_continued, target.sub_concluded = continued, concluded
        target.footnotes += footnotes
        if text:
            self.sub_titles.setdefault((target.item or 0, letter), text)
        self.last_item_with[letter] = target.item or 0

    def _item_of_sub(self, letter: str, text: str) -> int | None:
        """The item a sub-item printed after a segment belongs to: the one whose sub-item
        of that letter was printed with this text before."""
        number = self.last_item_with.get(letter)
        if number is None:
            return None
        known = self.sub_titles.get((number, letter), "")
        return number if not text or not known or _same_words(known, text) else None

    def _orphan_sub(self, entries: list[_Entry], line: TextLine, letter: str, text: str) -> None:
        self.warn(line, f"sub-item ({letter}) with no agenda item before it: read as a segment")
        entries.append(_Entry(line, segment=Segment.OTHER, label=f"({letter}) {text}".strip()))

    # ------------------------------------------------------------ the programme

    def _programme(self, heading: _Heading, meetings: list[Meeting]) -> Programme:
        days = sorted({m.date for m in meetings})
        first_day, last_day = heading.first_day, heading.last_day
        if first_day is None or last_day is None:
            first_day, last_day = days[0], days[-1]
            self.warn(
                heading.line,
                'the document prints no session dates (like "New York, 6–10 March 2023"): '
                f"the session is taken to run from its first meeting ({first_day}) to its "
                f"last ({last_day})",
            )
        elif days[-1] < last_day:
            self.warn(
                self.meeting_lines.get(meetings[-1]),
                f"the programme's last meeting is on {days[-1]}, before the session's last "
                f"day ({last_day}): the document may end early",
            )
        place, venue, zone = self._place(heading)
        begun = self._begun_earlier(meetings)
        footnotes = [Footnote(mark=m, text=t) for m, t in self.footnotes.items() if t]
        defined = {f.mark for f in footnotes}
        meetings = [self._known_marks(m, defined) for m in meetings]
        placed = {m for meeting in meetings for e in meeting.agenda for m in e.footnotes}
        notes = [self._unfused_note(note, defined - placed) for note in heading.notes]
        texts = [*notes, *(f.text for f in footnotes), *self.documentation]
        urls = [u for t in notes for u in _URL.findall(t)]
        body = heading.body
        try:
            return Programme(
                body=Body(name=body, short_name=self.short_name or short_name_of(body)),
                session=heading.session or "Session",
                place=place,
                venue=venue,
                timezone=zone,
                first_day=first_day,
                last_day=last_day,
                issued=heading.issued or first_day,
                symbol=heading.symbol,
                url=urls[0] if urls else None,
                notes=tuple(notes),
                footnotes=tuple(footnotes),
                references=tuple(_references(texts)),
                begun_earlier=begun,
                meetings=tuple(meetings),
            )
        except OewgCalError as exc:
            at_fault = exc.meeting if isinstance(exc, ProgrammeError) else None
            line = self.meeting_lines.get(at_fault) if at_fault is not None else heading.line
            raise self.error(str(exc), line) from exc

    def _built(self, entry: _Entry) -> AgendaEntry:
        """The entry for the model; what the model refuses is an error at the entry's line."""
        try:
            return entry.build()
        except ProgrammeError as exc:
            raise self.error(str(exc), entry.line) from exc

    def _known_marks(self, meeting: Meeting, defined: set[str]) -> Meeting:
        unknown = {m for e in meeting.agenda for m in e.footnotes} - defined
        if not unknown:
            return meeting
        self.warn(
            self.meeting_lines.get(meeting),
            f"footnote mark(s) {', '.join(sorted(unknown))} with no footnote: left out",
        )

        def strip(entries: tuple[AgendaEntry, ...]) -> tuple[AgendaEntry, ...]:
            return tuple(
                attrs.evolve(e, footnotes=[f for f in e.footnotes if f in defined]) for e in entries
            )

        follow = meeting.followed_by
        if follow is not None:
            follow = attrs.evolve(follow, entries=strip(follow.entries))
        stripped = attrs.evolve(meeting, entries=strip(meeting.entries), followed_by=follow)
        self.meeting_lines.setdefault(stripped, self.meeting_lines[meeting])
        return stripped

    def _begun_earlier(self, meetings: list[Meeting]) -> list[SeriesKey]:
        seen: set[SeriesKey] = set()
        begun: list[SeriesKey] = []
        for meeting in sorted(meetings, key=lambda m: m.sort_key):
            for entry in meeting.agenda:
                for key in entry.series_keys:
                    if entry.continues(key) and key not in seen and key not in begun:
                        begun.append(key)
                        self.warn(
                            self.meeting_lines.get(meeting),
                            f"the {meeting.describe()} continues agenda item {key}, which no "
                            "earlier meeting in the document takes up: read as begun before "
                            "this programme",
                        )
            seen.update(k for e in meeting.agenda for k in e.series_keys)
        return begun

    def _place(self, heading: _Heading) -> tuple[str, str, str]:
        place = heading.place
        if place is None:
            place = self._place_from_text(heading)
        station = station_of(place) if place else None
        if self.timezone:
            if place is None:
                place = self.timezone.rsplit("/", 1)[-1].replace("_", " ")
            return place, station.venue if station else place, self.timezone
        if place is None or station is None:
            raise self.error(
                f"unknown duty station {place!r}: cannot tell its time zone (expected one of "
                f"{', '.join(s.title() for s in DUTY_STATIONS)}, or give the zone with --tz)"
                if place
                else 'cannot tell where the session meets (expected a line like "New York, '
                '6–10 March 2023" or a duty station in the note; give the zone with --tz)',
                heading.line,
            )
        return place, station.venue, station.timezone

    def _place_from_text(self, heading: _Heading) -> str | None:
        text = " ".join(heading.notes)
        if re.search(r"\bHeadquarters\b", text):
            self.warn(heading.line, 'the place is taken from "Headquarters" in the note: New York')
            return "New York"
        for name in DUTY_STATIONS:
            if re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE):
                self.warn(heading.line, f"the place is taken from the note: {name.title()}")
                return name.title()
        assembly = (
            re.search(r"general assembly|economic and social council", heading.body, re.I)
            or any(re.search(r"\b(Main Committees?|General Assembly)\b", n) for n in heading.notes)
            or (heading.symbol or "").startswith("A/")  # a General Assembly document
        )
        if assembly:
            self.warn(
                heading.line,
                "the document names no place: General Assembly bodies meet at Headquarters, "
                "New York",
            )
            return "New York"
        return None


def _same_words(a: str, b: str) -> bool:
    def words(text: str) -> list[str]:
        return re.findall(r"\w+", text.lower())

    return words(a) == words(b)


def _shown(text: str) -> str:
    """A line of the document quoted in a message: clean, and cut at 80 characters."""
    text = _clean(text)
    return text if len(text) <= 80 else text[:79] + "…"


def _is_date(text: str) -> bool:
    try:
        parse_date(text)
    except TimeTextError:
        return False
    return True


def _is_furniture(line: TextLine) -> bool:
    return line.furniture


def _with_furniture(lines: list[TextLine]) -> list[TextLine]:
    """The lines, those that read as page furniture (a page number, a symbol, a job
    number) marked as such where they stand apart: first on their page, after a space, or
    under other furniture.  The same text wrapped inside a paragraph ("resolution" then
    "75/240" on the next line) is the paragraph's, and a number alone under a footnote
    rule is a footnote's mark."""
    found: list[TextLine] = []
    rule_page: object = False  # the page of the last footnote rule
    for line in lines:
        text = _clean(line.text)
        if _SEPARATOR.match(text):
            rule_page = line.page
        elif not line.furniture and line.cell is None and _FURNITURE.match(text):
            previous = found[-1] if found else None
            mark = rule_page == line.page and _BARE_MARK.fullmatch(text)
            if not mark and (
                previous is None or line.gap or previous.page != line.page or previous.furniture
            ):
                line = attrs.evolve(line, furniture=True)
        found.append(line)
    return found


_TIMES_INSIDE = lazy(
    r"\b\d{1,2}[.:]\d\d\s*[–—-]\s*\d{1,2}[.:]\d\d\b|\b\d{1,2}(?:\.\d\d)?\s*[ap]\.m\."
)


def _is_times(text: str) -> bool:
    found = find_times(text)
    return found is not None and found.end >= len(text) - 1


def _same_column(a: TextLine, b: TextLine) -> bool:
    return a.indent is None or b.indent is None or abs(a.indent - b.indent) <= 3


def _joined_times(lines: list[TextLine]) -> list[TextLine]:
    """A time wrapped in a narrow column ("10 a.m.–1" over "p.m.") made one line again."""
    result: list[TextLine] = []
    taken: set[int] = set()
    for index, line in enumerate(lines):
        if index in taken:
            continue
        text = _clean(line.text)
        if _TIME_START.match(text) and find_times(text) is None:
            for ahead in range(index + 1, min(index + 5, len(lines))):
                other = lines[ahead]
                end = _MERIDIEM_START.match(_clean(other.text))
                below = (other.page, other.number) > (line.page, line.number)
                if end and below and _same_column(line, other):
                    joined = f"{text} {end.group(0)}"
                    if find_times(joined) is not None:
                        middle = (
                            None if line.y is None or other.y is None else (line.y + other.y) / 2
                        )
                        line = attrs.evolve(line, text=joined, y=middle)
                        rest = _clean(other.text)[end.end() :].strip()
                        taken.add(ahead)
                        if rest:
                            lines[ahead] = attrs.evolve(other, text=rest, indent=None)
                            taken.discard(ahead)
                    break
        result.append(line)
    return result


def _centred_rows(lines: list[TextLine]) -> list[TextLine]:
    """A table whose times stand in the middle of their rows (a browser's printed HTML):
    each time moved to the top of its row, so that the lines above it are read with it.

    Only a day whose first agenda line comes before its first time, that time standing
    inside a run of agenda lines (not on a row of its own), is read so: the rows are cut
    so that each time stands at the middle of its row."""
    result: list[TextLine] = []
    segment: list[TextLine] = []
    height = _line_height(lines)
    for line in [*lines, None]:
        if line is None or find_days(line.text) or _WEEK.match(_clean(line.text)):
            result += _centred(segment, height)
            segment = []
            if line is not None:
                result.append(line)
        else:
            segment.append(line)
    return result


def _line_height(lines: list[TextLine]) -> float:
    """The usual distance between a line and the next on a page (1 where lines have no
    height: a row of text)."""
    places = sorted({(x.page or 0, x.y) for x in lines if x.y is not None})
    steps = sorted(
        b[1] - a[1] for a, b in itertools.pairwise(places) if a[0] == b[0] and b[1] > a[1]
    )
    return steps[len(steps) // 2] if steps else 1.0


def _centred(segment: list[TextLine], line_height: float) -> list[TextLine]:
    rows = sorted({(x.page or 0, x.number) for x in segment})
    row = {place: float(index) for index, place in enumerate(rows)}

    def at(line: TextLine) -> tuple[int, float]:
        """Where a line stands down the pages: page, then height (or row) on the page."""
        return (
            line.page or 0,
            line.y if line.y is not None else row[(line.page or 0, line.number)],
        )

    times = [x for x in segment if find_times(_clean(x.text))]
    headings = [x for x in segment if _is_column_heading(x) and x not in times]
    aside = headings + [x for x in segment if _is_furniture(x)]
    content = [x for x in segment if x not in times and x not in aside]
    if not times or not content or not _is_times(_clean(times[0].text)):
        return segment
    # a time with agenda beside it: the agenda joins its row's other lines, in order
    for index, time in enumerate(times):
        found = find_times(_clean(time.text))
        assert found is not None
        rest = _clean(time.text)[found.end :].strip()
        if rest and rest[0].isalpha():
            times[index] = attrs.evolve(time, text=_clean(time.text)[: found.end])
            content.append(attrs.evolve(time, text=rest, indent=None))
    content.sort(key=lambda x: (x.page or 0, x.y if x.y is not None else x.number))
    if at(content[0]) >= at(times[0]):
        return segment
    first = at(times[0])
    below = [x for x in content if at(x) > first]
    if times[0].gap and below and below[0].gap and not any(at(x) == first for x in content):
        return segment  # the time has a row of its own: the agenda above it is another's
    result: list[TextLine] = []
    start = 0
    for time in times:
        centre = at(time)
        group: list[TextLine] = []
        if start < len(content):
            page, top = at(content[start])
            if page == centre[0] and top < centre[1]:
                # the agenda above this time is its row's upper half: as much again below
                bottom = 2 * centre[1] - top
                group = [x for x in content[start:] if at(x) <= (page, bottom + line_height / 2)]

                def balanced(lines: list[TextLine], middle: float, high: float) -> bool:
                    low = at(lines[-1])[1]
                    return abs((middle - high) - (low - middle)) <= 1.5 * line_height

                if not balanced(group, centre[1], top):
                    return segment
                # rows are cut where an entry starts, where that keeps the time in the middle
                if (
                    len(group) > 1
                    and _starts_entry(_clean(group[-1].text))
                    and balanced(group[:-1], centre[1], top)
                ):
                    group = group[:-1]
        result += [time, *group]
        start += len(group)
    return headings + result + content[start:] + [x for x in segment if _is_furniture(x)]


def _is_column_heading(line: TextLine) -> bool:
    """A table's column heading repeated on a new page ("Date/time", "Programme")."""
    text = _clean(line.text)
    return bool(_TABLE_HEADING.match(text) or _COLUMN_HEADING.match(text))


def _table_line(text: str) -> bool:
    """Whether a line belongs to the table: a day, a time, a week, the table's heading."""
    return bool(
        find_days(text) or find_times(text) or _WEEK.match(text) or _TABLE_HEADING.match(text)
    )


def _is_deadline(slot: _Slot) -> bool:
    """A start time alone, with a deadline: "6 p.m. Closure of the list of speakers …"."""
    return (
        bool(slot.times)
        and all(t.end is None for t in slot.times)
        and bool(slot.body)
        and bool(_DEADLINE.match(_clean(slot.body[0].text)))
    )


def _kind_of(text: str) -> str:
    """The kind of a paragraph by its first line: what column it is printed in."""
    text = _clean(text)
    if _SUB_ITEM.match(text):
        return "sub-item"
    if _ITEM.match(text):
        return "item"
    if find_times(text):
        return "time"
    return "text"


def _starts_item(text: str) -> bool:
    """Whether a text starts an item, a sub-item or a mark (what cannot be a title)."""
    return bool(_ITEM.match(text) or _SUB_ITEM.match(text) or _MARKER.fullmatch(text))


def _starts_entry(text: str) -> bool:
    return bool(
        _SEGMENT_START.match(text)
        or _ITEM.match(text)
        or (_SUB_ITEM.match(text) and not _SUB_ITEMS_NAMED.match(text))
        or _SPEAKER.match(text)
        or _MARKER.fullmatch(text)
        or _FOLLOWED.match(text)
        or _DEADLINE.match(text)
    )


def _ends_entry(text: str) -> bool:
    """Whether a line ends what it starts: a lead-in ("… on:"), an item ("… (item 5)"), a
    mark ("(continued)")."""
    text = text.rstrip(" .;")
    if text.endswith(":") or _ENDS_ITEM.search(text):
        return True
    return any(found.end() == len(text) for found in _MARKER.finditer(text))


def _pieces(text: str) -> list[str]:
    """A paragraph cut where another entry starts inside it: a second "Item N:" on the
    line, a sub-item "(b) …" after the text of "(a)", a "(continued)" before a sub-item,
    a segment such as "Closure of the session" run on after the text before it."""
    pieces: list[str] = []
    for part in (p for run in _SEGMENT_INSIDE.split(text) for p in _ITEM_INSIDE.split(run)):
        for piece in _SUB_ITEM_INSIDE.split(part):
            pieces += split_continued_sub_item(piece)
    return [p.strip() for p in pieces if p.strip()]


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
        starts = [a for a, _ in spans]
        for match in _SYMBOL.finditer(text):
            # the spans do not overlap: only the last one starting before it can hold it
            at = bisect.bisect_right(starts, match.start()) - 1
            if (at >= 0 and match.start() < spans[at][1]) or "/" not in match.group(1):
                continue
            symbol = match.group(1)
            found.setdefault(
                symbol, Reference(symbol=symbol, title=symbol, url=f"https://undocs.org/{symbol}")
            )
    return list(found.values())
