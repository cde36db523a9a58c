"""Limits a feed must keep, in one place for the writer that keeps them and the linter."""

from __future__ import annotations

__all__ = ["MAX_FEED_BYTES", "MAX_LINE_OCTETS"]

#: Longest content line allowed by RFC 5545 section 3.1, in octets, without the CRLF.
MAX_LINE_OCTETS = 75

#: Size above which Google Calendar stops reading a subscribed feed (about 1 MB).
MAX_FEED_BYTES = 1_000_000
