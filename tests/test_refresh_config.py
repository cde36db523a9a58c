"""Refresh configurations: paths, defaults, and errors naming file, line and expectation."""

from __future__ import annotations

import pathlib

import pytest

from oewg_cal.errors import ConfigError
from oewg_cal.model import SeriesKey
from oewg_cal.refresh.config import load_config
from refreshing import write_config


def test_config_paths_and_defaults(tmp_path: pathlib.Path) -> None:
    path = write_config(
        tmp_path,
        [
            {
                "name": "A",
                "output": "out/a.ics",
                "sources": ["p.toml", "https://example.org/p.toml"],
                "items": [5, "5(a)", "6"],
            }
        ],
        state_dir="state",
    )
    config = load_config(path)
    (feed,) = config.feeds
    assert feed.output == tmp_path / "out" / "a.ics"
    assert feed.sources == (str(tmp_path / "p.toml"), "https://example.org/p.toml")
    assert feed.items == frozenset(
        {SeriesKey(item=5), SeriesKey(item=5, sub_item="a"), SeriesKey(item=6)}
    )
    assert config.max_loss == 0.5 and feed.retention_days == 0 and feed.line == 3
    assert config.cache_dir_for(feed) == tmp_path / "state" / "cache"
    assert config.lock_for(feed).parent == tmp_path / "state"


BAD_CONFIGS = [
    ('max_los = 0.5\n[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\n', 1, "max_los"),
    ('[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\ncolour = "red"\n', 5, "colour"),
    ('[[feed]]\nname = "A"\nsource = "p.toml"\n', 1, "missing output"),
    (
        '[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\n\n'
        '[[feed]]\nname = "B"\noutput = "b.ics"\nsource = "p.toml"\nalarms = "15"\n',
        10,
        "alarms must be a list",
    ),
    (
        '[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\nformal_only = "yes"\n',
        5,
        "true or false",
    ),
    ('[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "ftp://x/p"\n', 4, "http(s) URL"),
    ('[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\nitems = ["5a"]\n', 5, "'5a'"),
    ('[[feed]]\nname = "A"\noutput = "a.ics"\n', 1, "no source"),
    ('[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\nitems = []\n', 5, "not []"),
    ('[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\nformat = "docx"\n', 5, "format"),
    ('max_loss = 2\n[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\n', 1, "0 to 1"),
    (
        '[fetch]\ntimeout = 3\n[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\n',
        2,
        "timeout",
    ),
    (
        '[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\nretention_days = -1\n',
        5,
        "retention",
    ),
    ('[[feed]]\nname = "A"\noutput = "a.ics\nsource = "p.toml"\n', 3, "not valid TOML"),
    ('state_dir = "s"\n', None, "no [[feed]]"),
    (
        '[[feed]]\nname = "A"\noutput = "a.ics"\nsource = "p.toml"\n'
        '[[feed]]\nname = "B"\noutput = "a.ics"\nsource = "p.toml"\n',
        7,
        "also the output",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD_CONFIGS)
def test_config_errors_name_file_line_and_expectation(
    text: str, line: int | None, message: str, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    error = caught.value
    assert error.source == str(path)
    assert error.line == line
    assert message in str(error)
    assert str(error).startswith(f"{path}:{line}:" if line else f"{path}:")
