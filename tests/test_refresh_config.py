"""Refresh configurations: paths, defaults, and errors naming file, line and expectation."""

from __future__ import annotations

import datetime as dt
import hashlib
import pathlib
import re

import pytest

from oewg_cal.errors import ConfigError
from oewg_cal.ical.feed import FeedOptions
from oewg_cal.model import SeriesKey
from oewg_cal.refresh.config import CACHE_DIR_NAME, is_url, load_config
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


def test_the_state_files_default_to_a_state_folder_outside_the_output(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    path = write_config(tmp_path, [{"name": "A", "output": "out/a.ics", "source": "p.toml"}])
    config = load_config(path)
    (feed,) = config.feeds
    state = tmp_path / "xdg" / "oewg-cal"
    digest = hashlib.sha256(str(tmp_path / "out" / "a.ics").encode()).hexdigest()[:10]
    assert config.state_dir == config.state_folder == state and config.cache_dir is None
    assert config.cache_dir_for(feed) == state / CACHE_DIR_NAME == state / "cache"
    assert config.lock_for(feed) == state / f"a.ics.{digest}.lock"
    assert config.state_for(feed) == state / f"a.ics.{digest}.state.json"
    assert config.retired_for(feed) == state / f"a.ics.{digest}.retired.json"
    assert config.page_state_for(feed) == state / f"a.ics.{digest}.page.json"
    # where earlier versions kept them, read until the state folder has its own
    assert config.legacy_file(feed, "retired") == tmp_path / "out" / ".a.ics.retired.json"


def test_the_state_files_in_a_state_dir(tmp_path: pathlib.Path) -> None:
    path = write_config(
        tmp_path,
        [
            {"name": "A", "output": "one/a.ics", "source": "p.toml"},
            {"name": "B", "output": "two/a.ics", "source": "p.toml"},
        ],
        state_dir="state",
        cache_dir="/var/cache/oewg",
    )
    config = load_config(path)
    first, second = config.feeds
    state = tmp_path / "state"
    # outputs of the same name in different folders keep their state apart
    digest = hashlib.sha256(str(tmp_path / "one" / "a.ics").encode()).hexdigest()[:10]
    assert config.state_for(first) == state / f"a.ics.{digest}.state.json"
    assert config.lock_for(first) == state / f"a.ics.{digest}.lock"
    assert config.retired_for(first) == state / f"a.ics.{digest}.retired.json"
    assert config.state_for(second) != config.state_for(first)
    assert (
        config.cache_dir_for(first)
        == config.cache_dir_for(second)
        == pathlib.Path("/var/cache/oewg")
    )


def test_a_feeds_options_and_retention(tmp_path: pathlib.Path) -> None:
    path = write_config(
        tmp_path,
        [
            {
                "name": "Law",
                "output": "law.ics",
                "source": "p.toml",
                "alarms": [15, 60],
                "categories": ["OEWG"],
                "color": "steelblue",
                "url": "https://mission.example.org/law.ics",
                "retention_days": 3,
                "formal_only": True,
                "format": "toml",
            }
        ],
    )
    (feed,) = load_config(path).feeds
    assert feed.options == FeedOptions(
        name="Law",
        color="steelblue",
        alarms=(15, 60),
        categories=("OEWG",),
        source="https://mission.example.org/law.ics",
    )
    assert feed.retention == dt.timedelta(days=3)
    assert (feed.formal_only, feed.format, feed.items) == (True, "toml", None)


@pytest.mark.parametrize(
    ("items", "keys"),
    [
        ([5], {SeriesKey(item=5)}),
        (["5 (a)", "12(bc)"], {SeriesKey(item=5, sub_item="a"), SeriesKey(item=12, sub_item="bc")}),
        ([999, "1"], {SeriesKey(item=999), SeriesKey(item=1)}),
    ],
)
def test_items(items: list[object], keys: set[SeriesKey], tmp_path: pathlib.Path) -> None:
    path = write_config(
        tmp_path, [{"name": "A", "output": "a.ics", "source": "p.toml", "items": items}]
    )
    assert load_config(path).feeds[0].items == keys


@pytest.mark.parametrize("item", [0, 1000, "5A", "(a)", True, "5(a)(b)"])
def test_items_that_are_not_items(item: object, tmp_path: pathlib.Path) -> None:
    path = write_config(
        tmp_path, [{"name": "A", "output": "a.ics", "source": "p.toml", "items": [item]}]
    )
    expected = 'expected an agenda item number or reference like 5 or "5(a)", found '
    with pytest.raises(ConfigError, match=re.escape(f": {expected}{item!r}") + "$") as info:
        load_config(path)
    assert info.value.line == 6  # write_config starts with a blank line, then [[feed]]


@pytest.mark.parametrize(
    ("source", "url"),
    [
        ("https://example.org/p.toml", True),
        ("HTTP://example.org/p.toml", True),
        ("p.toml", False),
        ("/srv/p.toml", False),
        ("ftp://example.org/p.toml", False),
    ],
)
def test_is_url(source: str, url: bool) -> None:
    assert is_url(source) is url


def test_config_lines_with_crlf(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "feeds.toml"
    text = '[[feed]]\r\nname = "A"\r\noutput = "a.ics"\r\nsource = "p.toml"\r\ncolour = "red"\r\n'
    path.write_bytes(text.encode())
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert (info.value.line, info.value.source) == (5, str(path))


def test_a_missing_or_undecodable_config(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ConfigError, match=r"cannot read the configuration \(") as info:
        load_config(tmp_path / "nowhere.toml")
    assert info.value.source == str(tmp_path / "nowhere.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes('[[feed]]\nname = "Délégation"\n'.encode("latin-1"))
    # the offset of "é" from the start of the file, counted from 0: 9 + 8 + 1; on line 2,
    # after 'name = "D' (9 characters): column 10
    with pytest.raises(
        ConfigError, match=r":2:10: the configuration is not UTF-8 text \(byte 0xe9, offset 18\)$"
    ) as info:
        load_config(latin)
    assert (info.value.line, info.value.column) == (2, 10)
