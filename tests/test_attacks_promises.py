"""The promises an attack run found broken (issue 13), one regression test (or more) each,
through the command line in processes of their own where the promise is about it."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import attrs

from attacks import SEED_TOML, SEED_TXT, clock, seed_site, write_config
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
