"""iCalendar: the feed model and its encodings.

* :mod:`~oewg_cal.ical.feed`: what is published beyond the programmes (UIDs, SEQUENCE,
  stamps, cancelled events, calendar options);
* :mod:`~oewg_cal.ical.vtimezone`: VTIMEZONE definitions derived from the tz database;
* :mod:`~oewg_cal.ical.encode` writes a feed as RFC 5545 bytes, :mod:`~oewg_cal.ical.jcal`
  as RFC 7265 JSON, :mod:`~oewg_cal.ical.decode` reads our own feeds back;
* :mod:`~oewg_cal.ical.lint`: an independent publication linter for any .ics file.
"""
