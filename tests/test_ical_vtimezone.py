"""VTIMEZONE definitions derived from the tz database agree with it, hour by hour."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from oewg_cal import AgendaEntry, Body, Meeting, Programme, Segment, to_ics
from oewg_cal.ical.vtimezone import check_definition, zone_definition

UTC = dt.timezone.utc

NAMED = (
    "America/New_York",
    "Europe/Zurich",
    "Europe/Vienna",
    "Africa/Nairobi",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Santiago",
    "America/Sao_Paulo",  # daylight time abolished in 2019
    "Asia/Tehran",  # daylight time by the Persian calendar, abolished in 2022
    "Pacific/Chatham",  # +12:45 / +13:45
    "Australia/Lord_Howe",  # a daylight shift of half an hour
)
# "localtime" names whatever zone the machine is in
_ALL = sorted(zoneinfo.available_timezones() - {"localtime"})
SAMPLE = tuple(sorted(set(NAMED) | set(random.Random(5545).sample(_ALL, 50))))
YEARS = range(2000, 2031)


def hours_of(year: int) -> list[dt.datetime]:
    """Every whole hour (UTC) of the year."""
    start = dt.datetime(year, 1, 1, tzinfo=UTC)
    count = (dt.datetime(year + 1, 1, 1, tzinfo=UTC) - start) // dt.timedelta(hours=1)
    return [start + dt.timedelta(hours=n) for n in range(count)]


def utc_offset(tzid: str, instant: dt.datetime) -> dt.timedelta:
    offset = instant.astimezone(zoneinfo.ZoneInfo(tzid)).utcoffset()
    assert offset is not None
    return offset


def test_the_sample_is_big_enough() -> None:
    assert len(SAMPLE) >= 55
    assert set(NAMED) <= set(SAMPLE)


@given(
    st.sampled_from(SAMPLE),
    st.integers(YEARS.start, YEARS.stop - 1),
    st.integers(0, 366 * 24 * 60 - 1),
)
def test_definition_agrees_with_the_tz_database(tzid: str, year: int, minute: int) -> None:
    definition = zone_definition(tzid, year, year)
    assert definition.tzid == tzid
    check_definition(definition, hours_of(year))
    instant = dt.datetime(year, 1, 1, tzinfo=UTC) + dt.timedelta(minutes=minute)
    if instant.year == year:
        assert definition.offset_at(instant) == utc_offset(tzid, instant)


@pytest.mark.slow
@pytest.mark.parametrize("tzid", NAMED)
def test_named_zones_every_hour_of_every_year(tzid: str) -> None:
    for year in YEARS:
        check_definition(zone_definition(tzid, year, year), hours_of(year))


@pytest.mark.parametrize("tzid", ["America/New_York", "Australia/Lord_Howe", "Asia/Tehran"])
def test_a_definition_spanning_years(tzid: str) -> None:
    definition = zone_definition(tzid, 2018, 2024)
    check_definition(definition, [h for year in range(2018, 2025) for h in hours_of(year)])


@pytest.mark.parametrize(
    ("tzid", "when", "offset"),
    [
        # hand-written from the zones' rules
        ("America/New_York", dt.datetime(2026, 3, 8, 6, 59), -5),
        ("America/New_York", dt.datetime(2026, 3, 8, 7, 0), -4),
        ("America/New_York", dt.datetime(2026, 11, 1, 5, 59), -4),
        ("America/New_York", dt.datetime(2026, 11, 1, 6, 0), -5),
        ("Europe/Vienna", dt.datetime(2026, 3, 29, 0, 59), 1),
        ("Europe/Vienna", dt.datetime(2026, 3, 29, 1, 0), 2),
        ("Australia/Sydney", dt.datetime(2026, 1, 1), 11),
        ("Australia/Sydney", dt.datetime(2026, 7, 1), 10),
        ("Australia/Lord_Howe", dt.datetime(2026, 1, 1), 11),
        ("Australia/Lord_Howe", dt.datetime(2026, 7, 1), 10.5),
        ("Pacific/Chatham", dt.datetime(2026, 7, 1), 12.75),
        ("Pacific/Chatham", dt.datetime(2026, 1, 1), 13.75),
        ("Asia/Tehran", dt.datetime(2020, 7, 1), 4.5),
        ("Asia/Tehran", dt.datetime(2026, 7, 1), 3.5),
        ("America/Sao_Paulo", dt.datetime(2018, 12, 1), -2),
        ("America/Sao_Paulo", dt.datetime(2020, 12, 1), -3),
        ("Asia/Tokyo", dt.datetime(2026, 7, 1), 9),
    ],
)
def test_hand_written_offsets(tzid: str, when: dt.datetime, offset: float) -> None:
    instant = when.replace(tzinfo=UTC)
    definition = zone_definition(tzid, instant.year, instant.year)
    assert definition.offset_at(instant) == dt.timedelta(hours=offset)


def test_a_zone_without_daylight_time_is_one_standard_observance() -> None:
    for tzid in ("Africa/Nairobi", "Asia/Tokyo", "UTC"):
        (observance,) = zone_definition(tzid, 2026, 2026).observances
        assert not observance.daylight
        assert observance.rule is None
        assert observance.offset_from == observance.offset_to


def test_new_york_is_two_yearly_rules() -> None:
    rules = {
        o.daylight: o.rule for o in zone_definition("America/New_York", 2026, 2026).observances
    }
    assert set(rules) == {True, False}
    assert sorted(rules[True].split(";")) == ["BYDAY=2SU", "BYMONTH=3", "FREQ=YEARLY"]
    assert sorted(rules[False].split(";")) == ["BYDAY=1SU", "BYMONTH=11", "FREQ=YEARLY"]


def test_europe_uses_the_last_sunday() -> None:
    rules = {o.daylight: o.rule for o in zone_definition("Europe/Zurich", 2026, 2026).observances}
    assert sorted(rules[True].split(";")) == ["BYDAY=-1SU", "BYMONTH=3", "FREQ=YEARLY"]
    assert sorted(rules[False].split(";")) == ["BYDAY=-1SU", "BYMONTH=10", "FREQ=YEARLY"]


# ---------------------------------------------------------------- icalendar reads the written form


def _written_vtimezone(tzid: str, year: int) -> icalendar.Timezone:
    """The VTIMEZONE of a feed with one meeting on 1 July of ``year`` in ``tzid``."""
    day = dt.date(year, 7, 1)
    programme = Programme(
        body=Body(name="Test body", short_name="TB"),
        session="Session",
        place="Place",
        venue="Venue",
        first_day=day,
        last_day=day,
        issued=day,
        timezone=tzid,
        meetings=(
            Meeting(
                date=day,
                start=dt.time(12),
                end=dt.time(13),
                entries=(AgendaEntry(segment=Segment.OTHER, label="Meeting"),),
            ),
        ),
    )
    (component,) = icalendar.Calendar.from_ical(to_ics(programme)).walk("VTIMEZONE")
    assert isinstance(component, icalendar.Timezone)
    return component


@pytest.mark.parametrize(
    ("tzid", "year"),
    [
        ("America/New_York", 2026),
        ("Europe/Vienna", 2024),
        ("Australia/Sydney", 2025),
        ("Australia/Lord_Howe", 2026),
        ("Pacific/Chatham", 2027),
        ("America/Santiago", 2026),
        ("America/Santiago", 2030),
        ("Asia/Tehran", 2021),
        ("America/Sao_Paulo", 2018),
        ("Africa/Nairobi", 2026),
    ],
)
def test_icalendar_reads_the_written_vtimezone_as_the_tz_database(tzid: str, year: int) -> None:
    # lookup_tzid=False: build the zone from the component, not from the TZID's name
    zone = _written_vtimezone(tzid, year).to_tz(lookup_tzid=False)
    for instant in hours_of(year)[::3]:
        assert instant.astimezone(zone).utcoffset() == utc_offset(tzid, instant), instant
