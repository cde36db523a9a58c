"""Refreshing published feeds: the job cron runs as ``oewg-cal refresh CONFIG.toml``.

* :mod:`~oewg_cal.refresh.config`: :func:`load_config` reads a refresh configuration;
* :mod:`~oewg_cal.refresh.filters`: :func:`filter_programme` keeps some items of a programme;
* :mod:`~oewg_cal.refresh.plan`: :func:`plan`, the pure core: the feed to publish, given
  the previous one, and a :class:`Report` of what changed;
* :mod:`~oewg_cal.refresh.state`: what a run remembers for the next one;
* :mod:`~oewg_cal.refresh.run`: :func:`refresh` runs a configuration, feed by feed;
* :mod:`~oewg_cal.refresh.report`: the reports of a run, for people and machines.
"""

from __future__ import annotations

from oewg_cal.errors import TooManyLosses
from oewg_cal.refresh.config import (
    CACHE_DIR_NAME,
    DEFAULT_MAX_LOSS,
    Config,
    FeedConfig,
    load_config,
)
from oewg_cal.refresh.filters import filter_programme
from oewg_cal.refresh.plan import plan
from oewg_cal.refresh.report import EventChange, FeedResult, FieldChange, Report, RunResult
from oewg_cal.refresh.run import Fetcher, refresh

__all__ = [
    "CACHE_DIR_NAME",
    "DEFAULT_MAX_LOSS",
    "Config",
    "EventChange",
    "FeedConfig",
    "FeedResult",
    "Fetcher",
    "FieldChange",
    "Report",
    "RunResult",
    "TooManyLosses",
    "filter_programme",
    "load_config",
    "plan",
    "refresh",
]
