"""The feed rules of issue 12 that belong to the writer: one home for the line limit,
no METHOD."""

from __future__ import annotations

from pathlib import Path

from oewg_cal import Programme, to_ics
from oewg_cal.ical import encode, lint

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
