"""CalDAV publishing against a real Radicale on 127.0.0.1 with authentication on."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import urllib.parse
import uuid
from pathlib import Path

import attrs
import pytest

from oewg_cal import feed_of
from oewg_cal.caldav import Credentials, credentials_for, publish_caldav
from oewg_cal.errors import PublishError
from oewg_cal.ical.feed import Feed
from oewg_cal.readers import read_programme

from .parsers import sort_key
from .radicale_server import RadicaleServer, mkcalendar, report_events
from .test_our_feeds import expected_events

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "oewg-ict-4th-session.txt"


def _collection(server: RadicaleServer) -> tuple[str, str]:
    """A new calendar: (URL with credentials for the test's own requests, plain URL)."""
    with_credentials = server.collection_url(f"cal-{uuid.uuid4().hex[:8]}")
    mkcalendar(with_credentials)
    parts = urllib.parse.urlsplit(with_credentials)
    plain = parts._replace(netloc=f"{parts.hostname}:{parts.port}").geturl()
    return with_credentials, plain


def _stored(url: str) -> list[bytes]:
    return report_events(
        url,
        dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc),
        dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc),
        expand=False,
    )


def _feed() -> Feed:
    return feed_of(read_programme(SEED.read_bytes(), source=SEED.name))


def test_publish_is_complete_and_idempotent(radicale: RadicaleServer) -> None:
    auth_url, url = _collection(radicale)
    login = Credentials(radicale.username, radicale.password)
    first = publish_caldav(_feed(), url, login)
    assert len(first.added) == 10 and not first.updated and not first.removed
    assert len(_stored(auth_url)) == 10
    second = publish_caldav(_feed(), url, login)
    assert not second.changed_anything and len(second.unchanged) == 10


def test_changes_reach_the_server(radicale: RadicaleServer) -> None:
    auth_url, url = _collection(radicale)
    login = Credentials(radicale.username, radicale.password)
    feed = _feed()
    publish_caldav(feed, url, login)
    moved = feed.events[1]
    later = attrs.evolve(moved.meeting, start=dt.time(16), end=dt.time(18))
    programme = attrs.evolve(
        feed.programmes[0],
        meetings=[
            later if m == moved.meeting else m
            for m in feed.programmes[0].meetings
            if m != feed.events[9].meeting
        ],
    )
    events = []
    for event in feed.events:
        if event is moved:
            events.append(
                attrs.evolve(
                    event,
                    meeting=later,
                    sequence=1,
                    stamp=dt.datetime(2023, 3, 5, tzinfo=dt.timezone.utc),
                )
            )
        elif event is feed.events[9]:
            continue
        else:
            events.append(event)
    changed = Feed(programmes=(programme,), events=events, options=feed.options)
    report = publish_caldav(changed, url, login)
    assert report.updated == (moved.uid,)
    assert report.removed == (feed.events[9].uid,)
    seen = sorted(read_with_radicale_collection(auth_url), key=sort_key)
    assert [e.uid for e in seen] == [e.uid for e in expected_events(changed)]


def read_with_radicale_collection(auth_url: str) -> list[object]:
    import icalendar

    from .parsers import icalendar_seen_event

    return [
        icalendar_seen_event(e)
        for data in _stored(auth_url)
        for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
    ]


def test_wrong_password_is_a_clear_error(radicale: RadicaleServer) -> None:
    _, url = _collection(radicale)
    with pytest.raises(PublishError, match=r"401.*credentials"):
        publish_caldav(_feed(), url, Credentials(radicale.username, "wrong"))


def test_credentials_never_in_the_url(radicale: RadicaleServer) -> None:
    auth_url, _ = _collection(radicale)
    with pytest.raises(PublishError, match="not in the URL"):
        publish_caldav(_feed(), auth_url, None)


def test_credentials_from_environment_or_netrc(tmp_path: Path) -> None:
    env = {"OEWG_CAL_CALDAV_USERNAME": "mission", "OEWG_CAL_CALDAV_PASSWORD": "s3cret"}
    assert credentials_for("https://dav.example/cal/", environ=env) == Credentials(
        "mission", "s3cret"
    )
    netrc_file = tmp_path / "netrc"
    netrc_file.write_text(
        "machine dav.example login mission password fromnetrc\n", encoding="utf-8"
    )
    netrc_file.chmod(0o600)
    assert credentials_for(
        "https://dav.example/cal/", environ={}, netrc_file=netrc_file
    ) == Credentials("mission", "fromnetrc")
    assert credentials_for("https://other.example/", environ={}, netrc_file=netrc_file) is None
    assert "s3cret" not in repr(Credentials("mission", "s3cret"))


def test_publish_command(radicale: RadicaleServer, tmp_path: Path) -> None:
    auth_url, url = _collection(radicale)
    env = {
        "PATH": "",
        "OEWG_CAL_CALDAV_USERNAME": radicale.username,
        "OEWG_CAL_CALDAV_PASSWORD": radicale.password,
        "HOME": str(tmp_path),
    }
    command = [sys.executable, "-m", "oewg_cal", "publish", str(SEED), "--caldav", url]
    first = subprocess.run(command, capture_output=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    assert b"10 added" in first.stdout
    again = subprocess.run(command, capture_output=True, env=env, timeout=120)
    assert again.returncode == 0 and again.stdout == b""
    assert len(_stored(auth_url)) == 10


def test_refresh_config_publishes_beside_the_file(
    radicale: RadicaleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oewg_cal.refresh import refresh

    auth_url, url = _collection(radicale)
    monkeypatch.setenv("OEWG_CAL_CALDAV_USERNAME", radicale.username)
    monkeypatch.setenv("OEWG_CAL_CALDAV_PASSWORD", radicale.password)
    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    config = tmp_path / "feeds.toml"
    config.write_text(
        f'[[feed]]\nname = "OEWG"\noutput = "oewg.ics"\nsource = "seed.txt"\ncaldav = "{url}"\n',
        encoding="utf-8",
    )

    def clock() -> dt.datetime:
        return dt.datetime(2023, 3, 5, 12, tzinfo=dt.timezone.utc)

    result = refresh(config, now=clock)
    assert result.ok, [f.error for f in result.feeds]
    assert len(_stored(auth_url)) == 10
    assert (tmp_path / "oewg.ics").is_file()
