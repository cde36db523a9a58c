"""The agenda page's target in check_targets: its render ≤ 1.5 × writing the same feed.

The figures are made up, chosen so that the target is just met or just missed.
"""

from __future__ import annotations

import check_targets

PAGE = {"test_page_oewg[1000]": 0.75, "test_page_baseline[1000]": 0.5}


def _page_check(found: dict[str, float]) -> tuple[str, float, float, bool]:
    (check,) = [c for c in check_targets.checks(found) if c[0].startswith("page")]
    return check


def test_page_render_at_the_limit_meets_the_target() -> None:
    assert _page_check(PAGE) == ("page 1000: oewg / write_ics", 1.5, 1.5, True)


def test_page_render_past_the_limit_misses_it() -> None:
    _description, value, limit, ok = _page_check({**PAGE, "test_page_oewg[1000]": 0.76})
    assert (value, limit, ok) == (0.76 / 0.5, 1.5, False)


def test_no_page_figures_no_page_check() -> None:
    assert not [c for c in check_targets.checks({"test_write_oewg[1000]": 1.0}) if "page" in c[0]]
