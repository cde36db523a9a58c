"""What a refresh changed, for people and for machines: per event, per feed, per run."""

from __future__ import annotations

import datetime as dt
import itertools
import pathlib
from collections.abc import Mapping
from typing import Any

import attrs

from oewg_cal.model import Kind, Meeting, Programme
from oewg_cal.schema import meeting_to_dict
from oewg_cal.text import description_of, entries_line, location_of, meeting_time, summary_of

__all__ = ["EventChange", "FeedResult", "FieldChange", "Report", "RunResult", "field_changes"]


@attrs.frozen(kw_only=True)
class FieldChange:
    """One field of a changed event: ``time``, ``entries``, ``room``, ``formal``, ``status``
    or ``details`` (text that changed with the programme's own fields), as text."""

    field: str
    old: str
    new: str

    def to_dict(self) -> dict[str, str]:
        """The change as JSON-ready data."""
        return {"field": self.field, "old": self.old, "new": self.new}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FieldChange:
        """The inverse of :meth:`to_dict`."""
        return cls(field=str(data["field"]), old=str(data["old"]), new=str(data["new"]))


@attrs.frozen(kw_only=True)
class EventChange:
    """An event added, changed, cancelled or dropped: its UID, new SEQUENCE and meeting."""

    uid: str
    sequence: int
    meeting: str
    summary: str
    fields: tuple[FieldChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON-ready data."""
        data: dict[str, Any] = {
            "uid": self.uid,
            "sequence": self.sequence,
            "meeting": self.meeting,
            "summary": self.summary,
        }
        if self.fields:
            data["fields"] = [f.to_dict() for f in self.fields]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EventChange:
        """The inverse of :meth:`to_dict`."""
        return cls(
            uid=str(data["uid"]),
            sequence=int(data["sequence"]),
            meeting=str(data["meeting"]),
            summary=str(data["summary"]),
            fields=tuple(FieldChange.from_dict(f) for f in data.get("fields", ())),
        )


@attrs.frozen(kw_only=True)
class Report:
    """What :func:`plan` changed in a feed.

    ``calendar`` holds changes beyond single events (programme details, a programme
    added or gone, feed options); ``previous_live`` and ``lost`` count the live events of
    the previous feed and those of them no longer live.
    """

    added: tuple[EventChange, ...] = ()
    changed: tuple[EventChange, ...] = ()
    cancelled: tuple[EventChange, ...] = ()
    dropped: tuple[EventChange, ...] = ()
    calendar: tuple[str, ...] = ()
    unchanged: int = 0
    previous_live: int = 0
    lost: int = 0

    @property
    def changed_anything(self) -> bool:
        """Whether the planned feed differs from the previous one."""
        return bool(self.added or self.changed or self.cancelled or self.dropped or self.calendar)

    def counts(self) -> str:
        """A one-line summary: "1 added, 2 changed, 1 cancelled" or "no change"."""
        parts = [
            f"{len(group)} {what}"
            for what, group in (
                ("added", self.added),
                ("changed", self.changed),
                ("cancelled", self.cancelled),
                ("dropped", self.dropped),
            )
            if group
        ]
        if self.calendar:
            parts.append("calendar details changed")
        return ", ".join(parts) or "no change"

    def to_text(self) -> str:
        """The report for people, one line per event and one per changed field."""
        lines: list[str] = []
        for what, group in (
            ("added", self.added),
            ("changed", self.changed),
            ("cancelled", self.cancelled),
            ("dropped", self.dropped),
        ):
            for change in group:
                lines.append(f"{what}: {change.meeting}: {change.summary}")
                lines.extend(f"    {f.field}: {f.old} → {f.new}" for f in change.fields)
        lines.extend(f"calendar: {note}" for note in self.calendar)
        return "\n".join(lines) if lines else "no change"

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "changed_anything": self.changed_anything,
            "added": [c.to_dict() for c in self.added],
            "changed": [c.to_dict() for c in self.changed],
            "cancelled": [c.to_dict() for c in self.cancelled],
            "dropped": [c.to_dict() for c in self.dropped],
            "calendar": list(self.calendar),
            "unchanged": self.unchanged,
            "previous_live": self.previous_live,
            "lost": self.lost,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """The inverse of :meth:`to_dict` (``changed_anything`` is derived, not read).

        Raises KeyError, TypeError or ValueError for data that is not such a report.
        """

        def group(name: str) -> tuple[EventChange, ...]:
            return tuple(EventChange.from_dict(c) for c in data[name])

        return cls(
            added=group("added"),
            changed=group("changed"),
            cancelled=group("cancelled"),
            dropped=group("dropped"),
            calendar=tuple(str(note) for note in data["calendar"]),
            unchanged=int(data["unchanged"]),
            previous_live=int(data["previous_live"]),
            lost=int(data["lost"]),
        )


def _agenda_text(meeting: Meeting) -> str:
    text = entries_line(meeting.entries)
    if meeting.followed_by is not None:
        text += "; followed by: " + entries_line(meeting.followed_by.entries)
    return f"deadline: {text}" if meeting.kind is Kind.DEADLINE else text


def _rendered(programme: Programme, meeting: Meeting) -> tuple[str, ...]:
    return (
        summary_of(programme, meeting),
        location_of(programme, meeting),
        description_of(programme, meeting),
        programme.url or "",
        programme.timezone,
    )


def _first_difference(before: str, after: str) -> dict[str, str]:
    for old_line, new_line in itertools.zip_longest(
        before.splitlines(), after.splitlines(), fillvalue=""
    ):
        if old_line != new_line:
            return {"old": old_line, "new": new_line}
    return {"old": before, "new": after}


def field_changes(
    old_programme: Programme, old: Meeting, programme: Programme, new: Meeting
) -> list[FieldChange]:
    fields: list[FieldChange] = []
    zone_changed = old_programme.timezone != programme.timezone
    if old.times() != new.times() or old.date != new.date or zone_changed:
        fields.append(
            FieldChange(
                field="time",
                old=meeting_time(old_programme, old, zone=zone_changed),
                new=meeting_time(programme, new, zone=zone_changed),
            )
        )
    if old.agenda != new.agenda or old.kind != new.kind:
        before, after = _agenda_text(old), _agenda_text(new)
        if before == after:  # speakers or footnotes only
            before, after = str(meeting_to_dict(old)), str(meeting_to_dict(new))
        fields.append(FieldChange(field="entries", old=before, new=after))
    if old.room != new.room:
        fields.append(FieldChange(field="room", old=old.room or "(none)", new=new.room or "(none)"))
    if old.formal != new.formal:
        kind = {True: "formal", False: "informal"}
        fields.append(FieldChange(field="formal", old=kind[old.formal], new=kind[new.formal]))
    if not fields:
        for before, after in zip(
            _rendered(old_programme, old), _rendered(programme, new), strict=True
        ):
            if before != after:
                fields.append(FieldChange(field="details", **_first_difference(before, after)))
                break
    return fields


@attrs.frozen(kw_only=True)
class FeedResult:
    """The outcome of refreshing one feed.

    A feed is published in up to two places, reported apart: its file, then, with
    ``caldav``, a CalDAV collection.  ``error`` is set when the file could not be
    published (it is then untouched, and CalDAV is not tried); ``caldav_error`` when the
    file was published (``written``, ``report``) but CalDAV failed.  Either makes the
    feed fail (:attr:`ok` is false).  ``notes`` tell how each source was read; ``detail``
    holds the traceback of an unexpected failure.
    """

    name: str
    output: pathlib.Path
    report: Report | None = None
    written: bool = False
    size: int | None = None
    error: str | None = None
    caldav_error: str | None = None
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    detail: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the feed was published everywhere it should be."""
        return self.error is None and self.caldav_error is None

    @property
    def published(self) -> bool:
        """Whether the file is as this run meant it (written, or already right)."""
        return self.error is None

    @property
    def changed(self) -> bool:
        """Whether the published feed changed."""
        return self.written or (self.report is not None and self.report.changed_anything)

    def to_text(self) -> str:
        """A header line naming the feed, then the report (or the error)."""
        where = f"{self.name} ({self.output})"
        if self.error is not None:
            return f"{where}: failed: {self.error}"
        assert self.report is not None
        caldav = (
            ""
            if self.caldav_error is None
            else f"\n  CalDAV failed (the file is published): {self.caldav_error}"
        )
        if not self.changed:
            return f"{where}: unchanged" + caldav
        state = "written" if self.written else "not written"
        head = f"{where}: {self.report.counts()}; {state}"
        body = (
            self.report.to_text()
            if self.report.changed_anything
            else ("the feed's encoding changed; rewritten")
        )
        return head + "\n" + "\n".join(f"  {line}" for line in body.splitlines()) + caldav

    def to_dict(self) -> dict[str, Any]:
        """The outcome as JSON-ready data."""
        return {
            "name": self.name,
            "output": str(self.output),
            "ok": self.ok,
            "error": self.error,
            "caldav_error": self.caldav_error,
            "written": self.written,
            "changed": self.changed,
            "size": self.size,
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "report": self.report.to_dict() if self.report is not None else None,
        }


@attrs.frozen(kw_only=True)
class RunResult:
    """The outcome of one :func:`refresh` run: one :class:`FeedResult` per feed, in order."""

    config: pathlib.Path
    now: dt.datetime
    feeds: tuple[FeedResult, ...]

    @property
    def ok(self) -> bool:
        """Whether every feed was refreshed without error."""
        return all(f.ok for f in self.feeds)

    @property
    def changed_anything(self) -> bool:
        """Whether some published feed changed."""
        return any(f.changed for f in self.feeds)

    def to_text(self, *, verbose: bool = False) -> str:
        """The changed (with ``verbose``: all) feeds' results, for people."""
        return "\n".join(f.to_text() for f in self.feeds if verbose or f.changed or not f.ok)

    def to_dict(self) -> dict[str, Any]:
        """The outcome as JSON-ready data."""
        return {
            "config": str(self.config),
            "now": self.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "ok": self.ok,
            "changed_anything": self.changed_anything,
            "feeds": [f.to_dict() for f in self.feeds],
        }
