"""UN duty stations: where a body meets, its conference venue and its time zone.

The one table both readers use: a document's "New York, 6–10 March 2023" and a programme
file's ``place = "Geneva"`` give the time zone the same way.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["DUTY_STATIONS", "Station", "station_of"]


class Station(NamedTuple):
    """A duty station's conference venue and IANA time zone."""

    venue: str
    timezone: str


#: Duty stations and other places UN bodies meet, by lower-case name.
DUTY_STATIONS: dict[str, Station] = {
    "new york": Station("United Nations Headquarters", "America/New_York"),
    "geneva": Station("Palais des Nations", "Europe/Zurich"),
    "vienna": Station("Vienna International Centre", "Europe/Vienna"),
    "nairobi": Station("United Nations Office at Nairobi", "Africa/Nairobi"),
    "bangkok": Station("United Nations Conference Centre", "Asia/Bangkok"),
    "addis ababa": Station("United Nations Conference Centre", "Africa/Addis_Ababa"),
    "santiago": Station("ECLAC Headquarters", "America/Santiago"),
    "beirut": Station("UN House", "Asia/Beirut"),
    "bonn": Station("UN Campus", "Europe/Berlin"),
    "the hague": Station("Peace Palace", "Europe/Amsterdam"),
    "rome": Station("FAO Headquarters", "Europe/Rome"),
    "montreal": Station("ICAO Headquarters", "America/Toronto"),
    "paris": Station("UNESCO Headquarters", "Europe/Paris"),
    "london": Station("IMO Headquarters", "Europe/London"),
    "kingston": Station("International Seabed Authority", "America/Jamaica"),
    "hamburg": Station("International Tribunal for the Law of the Sea", "Europe/Berlin"),
}


def station_of(place: str) -> Station | None:
    """The duty station a place names ("New York", "Geneva (Switzerland)"), or None."""
    key = " ".join(place.lower().replace("(", " ").replace(")", " ").split())
    if key in DUTY_STATIONS:
        return DUTY_STATIONS[key]
    return next((s for name, s in DUTY_STATIONS.items() if key.startswith(name + " ")), None)
