"""The promises an attack run found broken (issue 13), one regression test (or more) each,
through the command line in processes of their own where the promise is about it."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
from collections.abc import Callable

import attrs
import pytest

from attacks import SEED_ICS, SEED_TOML, SEED_TXT, cli, clock, seed_site, write_config
from local_http import OriginHandler, origin
from oewg_cal.ical.decode import read_ics
from oewg_cal.ical.lint import MAX_FEED_BYTES
from oewg_cal.readers.programme_file import dumps_toml, loads
from oewg_cal.refresh import refresh

SEED = loads(SEED_TOML.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- size warning


def test_the_size_warning_comes_only_with_a_written_feed(tmp_path: pathlib.Path) -> None:
    big = attrs.evolve(SEED, notes=(("A long note. " * 80_000).strip(),))
    (tmp_path / "programme.toml").write_text(dumps_toml(big), encoding="utf-8")
    config = write_config(
        tmp_path, [{"name": "Big", "output": "big.ics", "source": "programme.toml"}]
    )

    first = refresh(config, now=clock).feeds[0]
    assert first.written and first.size is not None and first.size > MAX_FEED_BYTES
    assert [w for w in first.warnings if "Google" in w] == [
        f"{tmp_path / 'big.ics'} is {first.size} bytes, over {MAX_FEED_BYTES}: Google Calendar "
        "stops reading feeds that large (keep fewer items or sessions per feed)"
    ]
    # a run that changes nothing (stopping early, or doing the whole work) warns of nothing
    for force in (False, True):
        again = refresh(config, now=clock, force=force).feeds[0]
        assert not again.written and again.size == first.size
        assert again.warnings == ()


# --------------------------------------------------------------------------- CalDAV after the file

_EMPTY = b'<D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"></D:multistatus>'


def _caldav(broken: list[bool]) -> Callable[[OriginHandler], None]:
    """A CalDAV collection that lists no event and refuses every write while broken."""

    def answer(h: OriginHandler) -> None:
        if h.command == "REPORT":
            h.reply(207, _EMPTY, {"Content-Type": "application/xml"})
        elif broken[0]:
            h.reply(500, b"disk full")
        else:
            h.reply(201)

    return answer


def test_a_caldav_failure_after_the_file_is_reported_as_such(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file and CalDAV are two publications: the file is published first and its report
    kept; a CalDAV failure is its own error, and the feed's exit status is 1."""
    monkeypatch.setenv("OEWG_CAL_CALDAV_USERNAME", "mission")
    monkeypatch.setenv("OEWG_CAL_CALDAV_PASSWORD", "not-shown")
    broken = [True]
    with origin() as server:
        server.answer = _caldav(broken)
        config = seed_site(tmp_path, caldav=server.url("/cal/"))
        output = tmp_path / "public" / "oewg.ics"

        run = cli("refresh", str(config), "--json")
        assert run.returncode == 1, run.stderr
        (feed,) = json.loads(run.stdout)["feeds"]
        assert (feed["ok"], feed["error"], feed["written"]) == (False, None, True)
        assert feed["caldav_error"].startswith("127.0.0.1: PUT /cal/")
        assert "answered HTTP 500" in feed["caldav_error"]
        assert len(feed["report"]["added"]) == 10
        assert len(read_ics(output.read_bytes()).events) == 10
        assert f"feed 'OEWG': CalDAV failed: {feed['caldav_error']}" in run.stderr
        assert f"(the file {output} is published: written)" in run.stderr

        # in text, the file's report, then CalDAV's failure; the file is not written again
        run = cli("refresh", str(config))
        assert run.returncode == 1
        head, *rest = run.stdout.splitlines()
        assert head == f"OEWG ({output}): unchanged"
        assert rest == [f"  CalDAV failed (the file is published): {feed['caldav_error']}"]
        assert "(the file" in run.stderr and "is published: unchanged)" in run.stderr

        broken[0] = False
        run = cli("refresh", str(config), "--json")
        assert run.returncode == 0, run.stderr
        (feed,) = json.loads(run.stdout)["feeds"]
        assert (feed["ok"], feed["caldav_error"], feed["written"]) == (True, None, False)
    assert "not-shown" not in run.stdout + run.stderr


# --------------------------------------------------------------------------- | head


def _with_closed_stdout(*args: str) -> subprocess.CompletedProcess[str]:
    """``oewg-cal ARGS | head`` at its worst: the reader is gone before anything is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "oewg_cal", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "command",
    [
        ["build", str(SEED_TXT)],
        ["build", str(SEED_TOML), "--output-format", "jcal"],
        ["show", str(SEED_TXT)],
        ["check", str(SEED_ICS)],
        ["page", str(SEED_ICS)],
        ["refresh", "CONFIG"],
        ["refresh", "CONFIG", "--json"],
        ["refresh", "CONFIG", "--verbose"],
    ],
    ids=lambda command: " ".join(pathlib.Path(a).name for a in command),
)
def test_a_closed_stdout_ends_every_command_quietly(
    command: list[str], tmp_path: pathlib.Path
) -> None:
    config = seed_site(tmp_path)
    args = [str(config) if a == "CONFIG" else a for a in command]
    run = _with_closed_stdout(*args)
    assert run.stderr == "" or run.stderr.startswith("oewg-cal build: warning")
    assert run.returncode == 0
    if command[0] == "refresh":  # the feed is published all the same
        assert read_ics((tmp_path / "public" / "oewg.ics").read_bytes()).events


# --------------------------------------------------------------------------- only our errors


def _seed_json() -> str:
    from oewg_cal.readers.programme_file import dumps_json

    return dumps_json(SEED)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("command", ["build", "show"])
def test_a_lone_surrogate_in_a_json_programme_is_refused_at_its_line(
    command: str, tmp_path: pathlib.Path
) -> None:
    text = _seed_json().replace('"Fourth substantive session"', '"Fourth \\ud800 session"')
    path = tmp_path / "programme.json"
    path.write_text(text, encoding="utf-8")
    run = cli(command, str(path))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    line = _line_of(text, "\\ud800")
    assert run.stderr.startswith(f"oewg-cal {command}: {path}:{line}: session: ")
    assert "lone surrogate" in run.stderr and "\\ud800" in run.stderr
    # a pair of surrogates is one character, and fine
    path.write_text(text.replace("\\ud800", "\\ud83c\\udf10"), encoding="utf-8")
    run = cli(command, str(path))
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("first_day", "0001-01-01"),
        ("last_day", "9999-12-31"),
        ("issued", "1066-10-14"),
        ("first_day", "1899-12-31"),
    ],
)
@pytest.mark.parametrize("shape", ["toml", "json"])
def test_a_date_out_of_any_calendar_is_refused_at_its_line(
    key: str, value: str, shape: str, tmp_path: pathlib.Path
) -> None:
    seed = SEED_TOML.read_text(encoding="utf-8") if shape == "toml" else _seed_json()
    old = {"first_day": "2023-03-06", "last_day": "2023-03-10", "issued": "2023-03-04"}[key]
    needle = f"{key} = {old}" if shape == "toml" else f'"{key}": "{old}"'
    text = seed.replace(needle, needle.replace(old, value))
    assert text != seed
    path = tmp_path / f"programme.{shape}"
    path.write_text(text, encoding="utf-8")
    for command in ("build", "show"):
        run = cli(command, str(path))
        assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
        line = _line_of(text, needle.replace(old, value))
        assert run.stderr.startswith(f"oewg-cal {command}: {path}:{line}: {key}: ")
        assert "from 1900 to 2200" in run.stderr


@pytest.mark.parametrize("shape", ["toml", "json"])
def test_deep_nesting_in_a_programme_file_is_refused_at_its_line(
    shape: str, tmp_path: pathlib.Path
) -> None:
    seed = SEED_TOML.read_text(encoding="utf-8") if shape == "toml" else _seed_json()
    deep = "[" * 100_000 + "]" * 100_000
    if shape == "toml":
        text = seed.replace('place = "New York"', f'place = "New York"\nextra = {deep}')
        needle = "extra = "
    else:
        text = seed.replace('"place": "New York",', f'"place": "New York",\n  "extra": {deep},')
        needle = '"extra": '
    path = tmp_path / f"programme.{shape}"
    path.write_text(text, encoding="utf-8")
    run = cli("build", str(path))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"oewg-cal build: {path}:{_line_of(text, needle)}:")
    assert "nested more than 64 levels deep" in run.stderr


def test_deep_nesting_in_a_config_is_a_config_error_at_its_line(tmp_path: pathlib.Path) -> None:
    config = seed_site(tmp_path)
    text = config.read_text(encoding="utf-8") + "items = " + "[" * 100_000 + "]" * 100_000 + "\n"
    config.write_text(text, encoding="utf-8")
    run = cli("refresh", str(config))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"oewg-cal refresh: {config}:{_line_of(text, 'items = ')}:")
    assert "nested more than 64 levels deep" in run.stderr


# --------------------------------------------------------------------------- configs

_BASE = '[[feed]]\nname = "OEWG"\noutput = "oewg.ics"\nsource = "programme.toml"\n'

#: A good config, edited: (what is replaced, by what, the words of the error).  Every
#: one is a ConfigError naming the file and the line of the key, before anything is
#: fetched or written.
_EDITS: dict[str, tuple[str, str, str]] = {
    "~nosuchuser output": (
        'output = "oewg.ics"',
        'output = "~nosuchuser-oewg/oewg.ics"',
        "~nosuchuser-oewg",
    ),
    "~nosuchuser source": (
        'source = "programme.toml"',
        'source = "~nosuchuser-oewg/p.toml"',
        "~nosuchuser-oewg",
    ),
    "~nosuchuser state_dir": (
        "[[feed]]",
        'state_dir = "~nosuchuser-oewg/state"\n[[feed]]',
        "~nosuchuser-oewg",
    ),
    "NUL in output": ('output = "oewg.ics"', 'output = "oe\\u0000wg.ics"', "U+0000"),
    "NUL in a source": ('source = "programme.toml"', 'source = "prog\\u0000ramme.toml"', "U+0000"),
    "NUL in cache_dir": ("[[feed]]", 'cache_dir = "ca\\u0000che"\n[[feed]]', "control characters"),
    "unclosed IPv6 source": (
        'source = "programme.toml"',
        'source = "http://[::1/p.toml"',
        "malformed host",
    ),
    "64-character host label": (
        'source = "programme.toml"',
        'source = "https://' + "a" * 64 + '.example/p.toml"',
        "label of 64 characters",
    ),
    "space in a source's host": (
        'source = "programme.toml"',
        'source = "https://exa mple.org/p.toml"',
        "not allowed in a host name",
    ),
    "CR in name": ('name = "OEWG"', 'name = "OE\\rWG"', "control character"),
    "CR in color": ('name = "OEWG"', 'name = "OEWG"\ncolor = "red\\r"', "control character"),
    "CR in url": (
        'name = "OEWG"',
        'name = "OEWG"\nurl = "https://example.org/\\r/o.ics"',
        "control character",
    ),
    "tab in a category": (
        'name = "OEWG"',
        'name = "OEWG"\ncategories = ["a\\tb"]',
        "control character",
    ),
    "U+0085 in color": (
        'name = "OEWG"',
        'name = "OEWG"\ncolor = "red\\u0085"',
        "control character",
    ),
    "U+2028 in name": ('name = "OEWG"', 'name = "OE\\u2028WG"', "control character"),
    "DEL in short_name": (
        'name = "OEWG"',
        'name = "OEWG"\nshort_name = "OE\\u007fWG"',
        "control character",
    ),
    "backslash in url": (
        'name = "OEWG"',
        'name = "OEWG"\nurl = "https://example.org/calendars\\\\new/oewg.ics"',
        "without spaces or backslashes",
    ),
    "space in url": (
        'name = "OEWG"',
        'name = "OEWG"\nurl = "https://example.org/my feed.ics"',
        "without spaces or backslashes",
    ),
    "url without a host": (
        'name = "OEWG"',
        'name = "OEWG"\nurl = "https:///oewg.ics"',
        "no host name",
    ),
    "huge max_bytes": (
        "[[feed]]",
        "[fetch]\nmax_bytes = 12345678901234567890\n[[feed]]",
        "from 0 to 1000000000",
    ),
    "huge read_timeout": ("[[feed]]", "[fetch]\nread_timeout = 1e300\n[[feed]]", "at most 3600"),
    "malformed caldav host": (
        'name = "OEWG"',
        'name = "OEWG"\ncaldav = "https://[::1/cal/"',
        "malformed host",
    ),
}


@pytest.mark.parametrize("case", sorted(_EDITS))
def test_every_config_value_is_checked_before_anything_runs(
    case: str, tmp_path: pathlib.Path
) -> None:
    old, new, words = _EDITS[case]
    text = _BASE.replace(old, new, 1)
    assert text != _BASE
    config = tmp_path / "feeds.toml"
    config.write_text(text, encoding="utf-8")
    (tmp_path / "programme.toml").write_bytes(SEED_TOML.read_bytes())
    run = cli("refresh", str(config), "--json")
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    line = next(
        n for n, x in enumerate(text.splitlines(), 1) if x not in _BASE.splitlines() and "=" in x
    )
    assert run.stderr.startswith(f"oewg-cal refresh: {config}:{line}: "), run.stderr
    assert words in run.stderr
    assert not (tmp_path / "oewg.ics").exists()
    assert json.loads(run.stdout)["ok"] is False


def test_a_published_feed_can_always_be_read_back(tmp_path: pathlib.Path) -> None:
    """Whatever a config may hold (here: TEXT's special characters in every option), the
    feed it publishes reads back, and a later run refreshes it."""
    (tmp_path / "programme.toml").write_bytes(SEED_TOML.read_bytes())
    config = write_config(
        tmp_path,
        [
            {
                "name": 'OEWG; "ICT", \\ 4th: é 😀',
                "output": "oewg.ics",
                "source": "programme.toml",
                "color": "dark;blue,\\x",
                "categories": ["a,b", "c;d", "e\\f", 'g"h'],
                "url": "https://example.org/calendars/oewg.ics?a=1&b=%20;c,d#x",
                "short_name": "OEWG; ICT, \\ x",
            }
        ],
    )
    first = refresh(config, now=clock)
    assert first.ok, first.feeds[0].error
    again = refresh(config, now=clock, force=True)
    assert again.ok and not again.feeds[0].written, again.feeds[0].error
    options = read_ics((tmp_path / "oewg.ics").read_bytes()).options
    assert options.categories == ("a,b", "c;d", "e\\f", 'g"h')
    assert options.source == "https://example.org/calendars/oewg.ics?a=1&b=%20;c,d#x"


# --------------------------------------------------------------------------- lines


_SEED_TEXT = SEED_TXT.read_text(encoding="utf-8")


def _edited_line(number: int, old: str, new: str) -> str:
    lines = _SEED_TEXT.split("\n")
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("number", "old", "where"),
    [
        (16, "Fourth", "the session"),
        (23, "fourth", "a note"),
        (35, "Opening", "a cell"),
        (41, "encouraged", "a footnote"),
        (49, "Capacity", "a sub-item"),
    ],
)
def test_a_control_character_in_a_document_is_named_with_its_line(
    number: int, old: str, where: str, tmp_path: pathlib.Path
) -> None:
    text = _edited_line(number, old, old[:3] + "\x92" + old[3:])
    path = tmp_path / "programme.txt"
    path.write_text(text, encoding="utf-8")
    run = cli("build", str(path), "-o", str(tmp_path / "feed.ics"))
    assert run.returncode == 0, run.stderr
    assert (
        f"oewg-cal build: warning: {path}:{number}: control character U+0092 read as ’ "
        "(a Windows-1252 character in Unicode text)"
    ) in run.stderr
    assert old[:3] + "’" + old[3:] in (tmp_path / "feed.ics").read_bytes().decode("utf-8")
    strict = cli("build", str(path), "--strict")
    assert strict.returncode == 1
    assert f"oewg-cal build: error: {path}:{number}: control character U+0092" in strict.stderr


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x81", "\x00"])
def test_other_control_characters_are_removed_with_their_line(
    char: str, tmp_path: pathlib.Path
) -> None:
    text = "x" * 5000 + "\n" + _edited_line(35, "Opening", "Op" + char + "ening")
    path = tmp_path / "programme.txt"
    path.write_text(text, encoding="utf-8")
    run = cli("build", str(path), "-o", str(tmp_path / "feed.ics"))
    assert run.returncode == 0, run.stderr
    assert f"{path}:36: control character U+{ord(char):04X} removed" in run.stderr
    assert "Opening of the session" in (tmp_path / "feed.ics").read_text(encoding="utf-8")


@pytest.mark.parametrize("separator", ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028"])
def test_lines_are_counted_as_editors_count_them(separator: str, tmp_path: pathlib.Path) -> None:
    """Form feeds, U+2028, NEL and the like before a fault do not shift its line."""
    text = _SEED_TEXT.replace("\n", separator + "\n", 20).replace(
        "10 a.m.–1 p.m.", "10 a.m.–1 z.m.", 1
    )
    path = tmp_path / "programme.txt"
    path.write_text(text, encoding="utf-8")
    run = cli("build", str(path))
    assert run.returncode == 1
    assert run.stderr.startswith(f"oewg-cal build: {path}:35:"), run.stderr


def test_the_readme_documents_the_long_attack_run() -> None:
    from attacks import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "OEWG_ATTACKS=long .venv/bin/pytest tests/test_attacks_*.py" in readme
    assert "OEWG_ATTACKS_SEED" in readme and "## Security" in readme
    source = (ROOT / "tests" / "attacks.py").read_text(encoding="utf-8")
    assert 'os.environ.get("OEWG_ATTACKS", "") == "long"' in source
    assert 'os.environ.get("OEWG_ATTACKS_SEED"' in source


@pytest.mark.parametrize("name", ["DTSTART", "DTEND", "DTSTAMP", "SEQUENCE"])
def test_a_property_given_twice_in_a_feed_is_a_feed_error(name: str) -> None:
    from oewg_cal.errors import FeedError

    data = SEED_ICS.read_bytes()
    start = data.index(f"\r\n{name}".encode(), data.index(b"BEGIN:VEVENT")) + 2
    line = data[start : data.index(b"\r\n", start) + 2]
    with pytest.raises(FeedError) as caught:
        read_ics(data.replace(line, line + line, 1), source="feed.ics")
    assert f"{name} is given 2 times (expected once)" in str(caught.value)


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("Agenda item 6: other", "Agenda item 0: other", 52, "agenda item number"),
        ("4 March 2023", "4 March 1899", 5, "issued must be a date from 1900 to 2200"),
    ],
)
def test_what_the_model_refuses_in_a_document_has_a_line(
    old: str, new: str, line: int, words: str, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "programme.txt"
    path.write_text(_SEED_TEXT.replace(old, new, 1), encoding="utf-8")
    run = cli("build", str(path))
    assert run.returncode == 1
    assert run.stderr.startswith(f"oewg-cal build: {path}:{line}: {words}"), run.stderr


# --------------------------------------------------------------------------- secrets

_SECRET = "S3cr3t-Pl4nted"


@pytest.mark.parametrize(
    "line",
    [
        f'url = "https://mission:{_SECRET}@example.org/oewg.ics"',
        f'url = "https://mission:{_SECRET}@example.org/my feed.ics"',
        f'url = "https://mission:{_SECRET}@example.org/a\\\\b.ics"',
        f'url = "https://mission:{_SECRET}@example.org/\\r"',
        f'url = "https://mission:{_SECRET}@exa mple.org/"',
        f'caldav = "https://mission:{_SECRET}@example.org/cal/\\r"',
        f'caldav = "https://mission:{_SECRET}@example.org/cal/\\u2028"',
        f'caldav = "https://mission:{_SECRET}@[::1/cal/"',
        f'sources = ["https://mission:{_SECRET}@example.org/p.toml\\u0000"]',
        f'sources = ["https://mission:{_SECRET}@exa mple.org/p.toml"]',
        f'source = "https://mission:{_SECRET}@[::1/p.toml"',
        f'source = "ftp://mission:{_SECRET}@example.org/p.toml"',
    ],
)
def test_no_config_error_shows_a_planted_password(line: str, tmp_path: pathlib.Path) -> None:
    text = (
        _BASE if not line.startswith("source") else _BASE.replace('source = "programme.toml"\n', "")
    )
    config = tmp_path / "feeds.toml"
    config.write_text(text + line + "\n", encoding="utf-8")
    for extra in ([], ["--json"], ["--verbose"]):
        run = cli("refresh", str(config), *extra)
        assert run.returncode == 2, run.stderr
        assert _SECRET not in run.stdout + run.stderr, run.stderr
        assert "***" in run.stderr


@pytest.mark.parametrize("option", ["--name", "--short-name"])
def test_an_argument_that_is_not_utf_8_is_refused_without_a_traceback(
    option: str, tmp_path: pathlib.Path
) -> None:
    """argv holds bytes; Python decodes what is not UTF-8 as lone surrogates, which no feed
    can hold."""
    run = subprocess.run(
        [sys.executable.encode(), b"-m", b"oewg_cal", b"build", bytes(SEED_TOML),
         option.encode(), b"OEWG \xff"],
        capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    stderr = run.stderr.decode("utf-8", "replace")
    assert run.returncode == 1 and "Traceback" not in stderr, stderr
    assert "lone surrogate" in stderr and run.stdout == b""
