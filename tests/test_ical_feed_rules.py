"""The feed rules of issue 12 that belong to the writer: one home for the line limit,
no METHOD, one RELATED-TO chain per event and REFID groups.

The seed's links are worked out by hand from the programme (``oewg-cal show``: item 5
runs Monday morning to Friday morning, 5(a) Monday afternoon and Tuesday morning, 5(f)
Wednesday, 5(g) Thursday); generated programmes are checked against the rule's
properties, never against the writer's own output.
"""

from __future__ import annotations

from pathlib import Path

import icalendar
from hypothesis import given, settings

from oewg_cal import Programme, feed_of, to_ics, write_ics
from oewg_cal.ical import encode, lint
from oewg_cal.ical.feed import derived_uids, programme_id
from oewg_cal.model import SeriesKey, series_of
from strategies import programmes

ROOT = Path(__file__).resolve().parents[1]
SEED_ICS = ROOT / "examples" / "oewg-ict-4th-session.ics"


def content_lines(data: bytes) -> list[str]:
    """The unfolded content lines of a feed (RFC 5545 3.1), decoded."""
    return data.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")[:-1]


def event_lines(data: bytes) -> list[list[str]]:
    """Each VEVENT's own content lines (VALARMs left out), in the order written."""
    events: list[list[str]] = []
    depth = 0
    for line in content_lines(data):
        if line == "BEGIN:VEVENT":
            events.append([])
            depth = 1
        elif line.startswith("BEGIN:") and depth:
            depth += 1
        elif line.startswith("END:") and depth:
            depth -= 1
        elif depth == 1:
            events[-1].append(line)
    return events


# ---------------------------------------------------------------- the line limit


def test_the_line_limit_has_one_home() -> None:
    # RFC 5545 3.1: 75 octets; the writer folds at the number the linter checks.
    assert lint.MAX_LINE_OCTETS == 75
    assert encode.LINE_OCTETS is lint.MAX_LINE_OCTETS
    folded = encode.fold("DESCRIPTION:" + "é" * 200)
    assert max(len(line) for line in folded.split(b"\r\n")) <= lint.MAX_LINE_OCTETS


# ---------------------------------------------------------------- no METHOD


def test_seed_feed_has_no_method_and_no_organizer(seed_programme: Programme) -> None:
    for data in (to_ics(seed_programme), SEED_ICS.read_bytes()):
        names = {line.split(":", 1)[0].split(";", 1)[0] for line in content_lines(data)}
        assert "METHOD" not in names
        assert "ORGANIZER" not in names
        # what Outlook uses to put a feed into a calendar of its own stays
        assert {"X-WR-CALNAME", "X-WR-RELCALID"} <= names


# ---------------------------------------------------------------- series links

PID = "oewg-on-ict-security-2021-2025-4e0b8fdbe0"


def uid(day: str, rank: int) -> str:
    """A seed UID by the README's rule: YYYYMMDD-RANK-PROGRAMMEID@oewg-cal."""
    return f"202303{day}-{rank}-{PID}@oewg-cal"


def ref(key: str) -> str:
    return f"{PID}/item-{key}"


MON_AM, MON_PM, TUE_AM, TUE_PM = uid("06", 1), uid("06", 2), uid("07", 1), uid("07", 2)
WED_AM, WED_PM, THU_AM, THU_PM = uid("08", 1), uid("08", 2), uid("09", 1), uid("09", 2)
FRI_AM, FRI_PM = uid("10", 1), uid("10", 2)

# Worked out by hand: every event of item 5 carries its REFID, the sub-item series 5(a),
# 5(f) and 5(g) theirs; the links run along the sub-item series only (item 5 shares
# Monday afternoon with 5(a), so it is grouped by REFID alone); 5(d), 5(e), 5(c) and
# Friday afternoon's item 6 are taken up once and chain nothing.
SEED_LINKS: dict[str, list[str]] = {
    MON_AM: [f"REFID:{ref('5')}"],
    MON_PM: [f"REFID:{ref('5')}", f"REFID:{ref('5-a')}", f"RELATED-TO;RELTYPE=NEXT:{TUE_AM}"],
    TUE_AM: [
        f"REFID:{ref('5')}",
        f"REFID:{ref('5-a')}",
        f"RELATED-TO;RELTYPE=FIRST:{MON_PM}",
        f"RELATED-TO;RELTYPE=FINISHTOSTART:{MON_PM}",
    ],
    TUE_PM: [f"REFID:{ref('5')}"],
    WED_AM: [f"REFID:{ref('5')}", f"REFID:{ref('5-f')}", f"RELATED-TO;RELTYPE=NEXT:{WED_PM}"],
    WED_PM: [
        f"REFID:{ref('5')}",
        f"REFID:{ref('5-f')}",
        f"RELATED-TO;RELTYPE=FIRST:{WED_AM}",
        f"RELATED-TO;RELTYPE=FINISHTOSTART:{WED_AM}",
    ],
    THU_AM: [f"REFID:{ref('5')}", f"REFID:{ref('5-g')}", f"RELATED-TO;RELTYPE=NEXT:{THU_PM}"],
    THU_PM: [
        f"REFID:{ref('5')}",
        f"REFID:{ref('5-g')}",
        f"RELATED-TO;RELTYPE=FIRST:{THU_AM}",
        f"RELATED-TO;RELTYPE=FINISHTOSTART:{THU_AM}",
    ],
    FRI_AM: [f"REFID:{ref('5')}"],
    FRI_PM: [],
}


def links_of(data: bytes) -> dict[str, list[str]]:
    found = {}
    for lines in event_lines(data):
        (uid_line,) = [line for line in lines if line.startswith("UID:")]
        found[uid_line[4:]] = [line for line in lines if line.startswith(("REFID", "RELATED-TO"))]
    return found


def test_seed_links_worked_out_by_hand(seed_programme: Programme) -> None:
    assert programme_id(seed_programme) == PID
    assert links_of(to_ics(seed_programme)) == SEED_LINKS
    assert links_of(SEED_ICS.read_bytes()) == SEED_LINKS


def check_links(programme: Programme, data: bytes) -> None:
    """The rule's properties, from the parsed feed and the model's series alone."""
    calendar = icalendar.Calendar.from_ical(data)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}

    def values(event: icalendar.Event, name: str) -> list[icalendar.prop.vText]:
        found = event.get(name, [])
        return found if isinstance(found, list) else [found]

    links: dict[str, dict[str, str]] = {}
    for uid_, event in events.items():
        by_type: dict[str, str] = {}
        for value in values(event, "RELATED-TO"):
            reltype = value.params["RELTYPE"]
            # at most one RELATED-TO per RELTYPE, and only the three chain types
            assert reltype in ("FIRST", "FINISHTOSTART", "NEXT")
            assert reltype not in by_type, (uid_, reltype)
            by_type[reltype] = str(value)
            assert str(value) in events  # never a UID the feed does not have
        links[uid_] = by_type

    uid_of = dict(derived_uids(programme))
    series = {s.key: [uid_of[m] for m in s.meetings] for s in series_of(programme)}

    # REFIDs group each series exactly, in time order
    groups: dict[str, list[str]] = {}
    for uid_, event in events.items():
        for value in values(event, "REFID"):
            groups.setdefault(str(value), []).append(uid_)
    pid = programme_id(programme)

    def key_ref(key: SeriesKey) -> str:
        return f"{pid}/item-{key.item}" + (f"-{key.sub_item}" if key.sub_item else "")

    assert {key_ref(k): sorted(v) for k, v in series.items()} == {
        k: sorted(v) for k, v in groups.items()
    }

    # following NEXT from each chain's FIRST visits exactly one series, in order
    starts = [u for u, found in links.items() if "NEXT" in found and "FIRST" not in found]
    chains: list[list[str]] = []
    for start in starts:
        chain = [start]
        while "NEXT" in links[chain[-1]]:
            following = links[chain[-1]]["NEXT"]
            assert links[following]["FIRST"] == start
            assert links[following]["FINISHTOSTART"] == chain[-1]
            chain.append(following)
        chains.append(chain)
    chained_keys: list[SeriesKey] = []
    for chain in chains:
        # (an item and one of its sub-items may be taken up in exactly the same meetings)
        keys = [k for k, uids in series.items() if uids == chain]
        assert keys, chain
        chained_keys += keys
    in_chain = [u for chain in chains for u in chain]
    assert len(in_chain) == len(set(in_chain))  # one chain per event at most
    linked = {u for u, found in links.items() if found}
    assert linked == set(in_chain)  # no link outside a chain
    # every series left unchained shares a meeting with a chained one of its rank or finer:
    # an item/sub-item series yields only to another item/sub-item series
    for key, uids in series.items():
        if key in chained_keys:
            continue
        rivals = [k for k in chained_keys if set(series[k]) & set(uids)]
        assert rivals, key
        if key.sub_item is not None:
            assert any(k.sub_item is not None for k in rivals), key


@settings(max_examples=60, deadline=None)
@given(programme=programmes(max_meetings=8))
def test_links_follow_one_series_per_event(programme: Programme) -> None:
    check_links(programme, write_ics(feed_of(programme)))


def test_seed_links_have_the_rule_properties(seed_programme: Programme) -> None:
    check_links(seed_programme, to_ics(seed_programme))
