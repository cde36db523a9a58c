"""The reports of a refresh, for people and for machines: per field, event, feed and run."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
from typing import Any

from oewg_cal.ical.feed import FeedOptions
from oewg_cal.refresh.plan import plan
from oewg_cal.refresh.run import refresh
from refreshing import SEED, T0, Clock, one_feed_config, published, removed, retimed


def test_report_as_text_and_dict() -> None:
    revision = retimed(removed(SEED, (10, 10)), 7, 10, dt.time(11))
    _, report = plan(published(), [revision], FeedOptions(), T0)
    text = report.to_text()
    assert "changed: meeting of 2023-03-07 11:00–13:00" in text
    assert "time: 2023-03-07 10:00–13:00 → 2023-03-07 11:00–13:00" in text
    assert "cancelled: meeting of 2023-03-10 10:00–13:00: Cancelled: " in text
    data = json.loads(json.dumps(report.to_dict()))
    assert data["changed"][0]["fields"] == [
        {"field": "time", "old": "2023-03-07 10:00–13:00", "new": "2023-03-07 11:00–13:00"}
    ]
    assert data["lost"] == 1 and data["changed_anything"] is True


def test_refresh_result_as_dict(tmp_path: pathlib.Path) -> None:
    config, _ = one_feed_config(tmp_path)
    result = refresh(config, now=Clock())
    data: dict[str, Any] = json.loads(json.dumps(result.to_dict()))
    assert data["now"] == "2023-03-05T12:00:00Z" and data["ok"]
    assert data["feeds"][0]["written"] and len(data["feeds"][0]["report"]["added"]) == 10
