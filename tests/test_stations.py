"""UN duty stations: the venue and time zone a place gives."""

from __future__ import annotations

import zoneinfo

import pytest

from oewg_cal.stations import DUTY_STATIONS, Station, station_of


@pytest.mark.parametrize(
    ("place", "venue", "timezone"),
    [
        ("New York", "United Nations Headquarters", "America/New_York"),
        ("new york", "United Nations Headquarters", "America/New_York"),
        ("Geneva", "Palais des Nations", "Europe/Zurich"),
        ("Geneva (Switzerland)", "Palais des Nations", "Europe/Zurich"),
        ("  Vienna  ", "Vienna International Centre", "Europe/Vienna"),
        ("The Hague (Netherlands)", "Peace Palace", "Europe/Amsterdam"),
        ("Addis Ababa", "United Nations Conference Centre", "Africa/Addis_Ababa"),
        ("Montreal", "ICAO Headquarters", "America/Toronto"),
    ],
)
def test_station_of(place: str, venue: str, timezone: str) -> None:
    assert station_of(place) == Station(venue, timezone)


def test_places_that_are_no_duty_station() -> None:
    assert station_of("Atlantis") is None
    assert station_of("New") is None  # the start of a name is not the name
    assert station_of("Genevaville") is None


def test_every_station_has_a_real_time_zone_and_a_lower_case_name() -> None:
    assert len(DUTY_STATIONS) >= 4
    for name, station in DUTY_STATIONS.items():
        assert name == name.lower().strip()
        assert zoneinfo.ZoneInfo(station.timezone).key == station.timezone
        assert station.venue.strip() == station.venue != ""
