"""The feed rules of issue 12 that belong to the writer: one home for the line limit,
no METHOD, one RELATED-TO chain per event and REFID groups (worked out by hand)."""

from __future__ import annotations

from oewg_cal.ical import encode, lint


def test_the_line_limit_has_one_home() -> None:
    # RFC 5545 3.1: 75 octets; the writer folds at the number the linter checks.
    assert lint.MAX_LINE_OCTETS == 75
    assert encode.LINE_OCTETS is lint.MAX_LINE_OCTETS
    folded = encode.fold("DESCRIPTION:" + "é" * 200)
    assert max(len(line) for line in folded.split(b"\r\n")) <= lint.MAX_LINE_OCTETS
