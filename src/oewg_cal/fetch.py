"""Fetching programme documents over HTTP(S), with limits and a conditional-GET cache.

:func:`fetch` GETs one http or https URL and returns its body as a :class:`Fetched`.  It
is meant for an unattended job, so it never waits or reads without bound: see
:class:`FetchLimits`.  With a ``cache_dir`` it remembers each URL's body and validators
(``ETag``, ``Last-Modified``) and asks the server only for a changed document; a
``304 Not Modified`` answer gives back the remembered body.  :func:`read_file` reads a
local source with the same byte limit.

Requests go through the shared client of :mod:`oewg_cal._http`: proxies from
``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY``/``NO_PROXY``, certificates checked against
the system's CA store or ``SSL_CERT_FILE``/``SSL_CERT_DIR``.

Every failure is a :class:`~oewg_cal.errors.FetchError` whose message starts with the
URL asked for (its userinfo redacted), then says what went wrong and what was expected;
whatever it repeats from the server is quoted or escaped, and cut.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import pathlib
import urllib.parse
from collections.abc import Callable
from typing import Any

import attrs

from oewg_cal import __version__
from oewg_cal._http import (
    DEADLINE_READ_TIMEOUTS,
    Bounds,
    Response,
    Session,
    deadline_seconds,
    shown_url,
    url_problem,
)
from oewg_cal.atomic import atomic_write, read_regular, read_source
from oewg_cal.errors import FetchError, PublishError
from oewg_cal.readers import MAX_DOCUMENT_BYTES

__all__ = ["DEADLINE_READ_TIMEOUTS", "FetchLimits", "Fetched", "fetch", "read_file"]

_log = logging.getLogger(__name__)

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_OK_STATUSES = frozenset({200, 203})
_USER_AGENT = f"oewg-cal/{__version__} (programme-of-work calendar feeds)"
_CACHE_FORMAT = 1


@attrs.frozen
class FetchLimits:
    """Bounds on one :func:`fetch`.

    * ``connect_timeout``: seconds to open the connection (TLS handshake included).
    * ``read_timeout``: the longest silence, in seconds, between two pieces of the
      response; in addition the whole fetch must end within :attr:`deadline`.
    * ``max_bytes``: the largest body accepted.
    * ``max_redirects``: how many redirects are followed at most.
    """

    connect_timeout: float = attrs.field(default=10.0, validator=attrs.validators.gt(0))
    read_timeout: float = attrs.field(default=30.0, validator=attrs.validators.gt(0))
    max_bytes: int = attrs.field(default=MAX_DOCUMENT_BYTES, validator=attrs.validators.ge(0))
    max_redirects: int = attrs.field(default=5, validator=attrs.validators.ge(0))

    @property
    def deadline(self) -> float:
        """Seconds the whole fetch may take, redirects included: ``connect_timeout +
        DEADLINE_READ_TIMEOUTS * read_timeout``."""
        return deadline_seconds(self.connect_timeout, self.read_timeout)


@attrs.frozen
class Fetched:
    """The outcome of a successful :func:`fetch`.

    ``url`` is the URL the content came from (the last one, after redirects).
    ``not_modified`` is true only when the server answered ``304 Not Modified`` and
    ``content`` is the cached copy.
    """

    url: str
    content: bytes = attrs.field(repr=lambda content: f"<{len(content)} bytes>")
    not_modified: bool
    etag: str | None
    last_modified: str | None
    content_type: str | None


@attrs.frozen
class _CacheEntry:
    final_url: str
    content: bytes
    etag: str | None
    last_modified: str | None
    content_type: str | None


# --------------------------------------------------------------------------- cache


def _cache_paths(cache_dir: pathlib.Path, url: str) -> tuple[pathlib.Path, pathlib.Path]:
    key = hashlib.sha256(url.encode("utf-8")).hexdigest()
    return cache_dir / f"{key}.json", cache_dir / f"{key}.body"


def _optional_str(meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f"{key} is not a string")


def _load_cache(cache_dir: pathlib.Path, url: str) -> _CacheEntry | None:
    """The cached copy of *url*, or ``None`` if there is none or it is damaged.

    Cache files are read only as regular files: a symbolic link, a FIFO or a device in
    their place raises :class:`~oewg_cal.errors.PublishError` naming it.
    """
    meta_path, body_path = _cache_paths(cache_dir, url)
    raw_meta = read_regular(meta_path)
    if raw_meta is None:
        return None
    try:
        meta = json.loads(raw_meta.decode("utf-8"))
        if not isinstance(meta, dict) or meta.get("format") != _CACHE_FORMAT:
            raise ValueError("unknown format")
        if meta.get("url") != url or not isinstance(meta.get("final_url"), str):
            raise ValueError("not this URL's entry")
        content = read_regular(body_path)
        if content is None:
            raise ValueError("no body")
        if len(content) != meta.get("length") or (
            hashlib.sha256(content).hexdigest() != meta.get("sha256")
        ):
            raise ValueError("body does not match its metadata")
        entry = _CacheEntry(
            final_url=meta["final_url"],
            content=content,
            etag=_optional_str(meta, "etag"),
            last_modified=_optional_str(meta, "last_modified"),
            content_type=_optional_str(meta, "content_type"),
        )
    except (ValueError, TypeError) as exc:  # json and UTF-8 errors are ValueErrors
        _log.info("%s: ignoring the damaged cache entry %s: %s", url, meta_path, exc)
        return None
    if entry.etag is None and entry.last_modified is None:
        return None
    return entry


def _store_cache(cache_dir: pathlib.Path, url: str, entry: _CacheEntry) -> None:
    """Remember *entry* for *url*; a failure only loses the cache, so it is logged."""
    meta_path, body_path = _cache_paths(cache_dir, url)
    meta = {
        "format": _CACHE_FORMAT,
        "url": url,
        "final_url": entry.final_url,
        "etag": entry.etag,
        "last_modified": entry.last_modified,
        "content_type": entry.content_type,
        "length": len(entry.content),
        "sha256": hashlib.sha256(entry.content).hexdigest(),
    }
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # The body first: metadata never describes a body that is not there yet, and a
        # body without matching metadata is ignored by _load_cache.
        atomic_write(body_path, entry.content)
        atomic_write(meta_path, json.dumps(meta, indent=1, sort_keys=True).encode("utf-8"))
    except (OSError, PublishError) as exc:
        _log.warning("%s: could not update the cache in %s: %s", url, cache_dir, exc)


def _drop_cache(cache_dir: pathlib.Path, url: str) -> None:
    for path in _cache_paths(cache_dir, url):
        with contextlib.suppress(OSError):
            path.unlink()


# --------------------------------------------------------------------------- fetch


def fetch(
    url: str,
    *,
    cache_dir: pathlib.Path | None = None,
    limits: FetchLimits = FetchLimits(),
) -> Fetched:
    """GET *url* (http or https) and return its body.

    Redirects (301, 302, 303, 307, 308) are followed, at most ``limits.max_redirects``
    of them and only to http(s) URLs.  Only ``200 OK`` (or 203) is a success; a status
    of 400 or more, a truncated or oversized body, a timeout or a redirect loop raise
    :class:`~oewg_cal.errors.FetchError`.

    With *cache_dir*, the body and validators of each successful answer are kept there
    (one ``SHA256.json`` and one ``SHA256.body`` per URL, SHA256 being the hash of
    *url*), the next fetch of the same URL sends ``If-None-Match`` and
    ``If-Modified-Since``, and a ``304 Not Modified`` answer returns the cached body
    with ``not_modified=True``.  A missing or damaged cache entry is simply ignored, and
    a cache that cannot be written is logged, not raised.
    """
    problem = url_problem(url)
    if problem is not None:
        raise FetchError(f"{shown_url(url)}: the URL has {problem}; expected an http(s) URL")
    bounds = Bounds.starting_now(limits.connect_timeout, limits.read_timeout, limits.max_bytes)
    cached = _load_cache(cache_dir, url) if cache_dir is not None else None
    with Session(user_agent=_USER_AGENT) as session:
        return _follow(session, url, cached, cache_dir, limits, bounds)


def _follow(
    session: Session,
    url: str,
    cached: _CacheEntry | None,
    cache_dir: pathlib.Path | None,
    limits: FetchLimits,
    bounds: Bounds,
) -> Fetched:
    current = url
    chain = [url]
    while True:
        prefix = shown_url(url) if current == url else (
            f"{shown_url(url)} (redirected to {shown_url(current)})"
        )  # fmt: skip
        headers = {}
        conditional = cached if cached is not None and cached.final_url == current else None
        if conditional is not None:
            if conditional.etag is not None:
                headers["If-None-Match"] = conditional.etag
            if conditional.last_modified is not None:
                headers["If-Modified-Since"] = conditional.last_modified

        response = session.request(
            "GET",
            current,
            headers=headers,
            bounds=bounds,
            fail=_failing(prefix),
            read_body=lambda status: status in _OK_STATUSES,
        )
        status = response.status
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")

        if status in _OK_STATUSES:
            assert response.body is not None
            fetched = Fetched(
                url=current,
                content=response.body,
                not_modified=False,
                etag=etag,
                last_modified=last_modified,
                content_type=response.headers.get("Content-Type"),
            )
            if cache_dir is not None:
                if etag is None and last_modified is None:
                    _drop_cache(cache_dir, url)
                else:
                    _store_cache(cache_dir, url, _entry_of(fetched))
            return fetched

        if status == 304:
            if conditional is None:
                raise FetchError(
                    f"{prefix}: HTTP 304 Not Modified to a request that was not "
                    "conditional (expected 200 OK)"
                )
            fetched = Fetched(
                url=current,
                content=conditional.content,
                not_modified=True,
                etag=etag if etag is not None else conditional.etag,
                last_modified=(
                    last_modified if last_modified is not None else conditional.last_modified
                ),
                content_type=conditional.content_type,
            )
            if cache_dir is not None and (
                fetched.etag != conditional.etag
                or fetched.last_modified != conditional.last_modified
            ):
                _store_cache(cache_dir, url, _entry_of(fetched))
            return fetched

        if status in _REDIRECT_STATUSES:
            current = _redirect_target(response, current, prefix)
            if current in chain:
                loop = " -> ".join(map(shown_url, [*chain[chain.index(current) :], current]))
                raise FetchError(
                    f"{shown_url(url)}: redirect loop {loop} "
                    "(expected redirects that end at a document)"
                )
            if len(chain) > limits.max_redirects:
                raise FetchError(
                    f"{shown_url(url)}: more than {limits.max_redirects} redirects "
                    "(limit max_redirects): " + " -> ".join(map(shown_url, [*chain, current]))
                )
            chain.append(current)
            continue

        what = "" if status >= 400 else "unexpected "
        raise FetchError(f"{prefix}: {what}{response.status_text} (expected 200 OK)")


def _failing(prefix: str) -> Callable[[str], FetchError]:
    return lambda message: FetchError(f"{prefix}: {message}")


def _redirect_target(response: Response, current: str, prefix: str) -> str:
    """Where a redirect leads: its Location resolved against *current*, without fragment."""
    location = response.headers.get("Location")
    if not location:
        raise FetchError(
            f"{prefix}: {response.status_text} without a Location header "
            "(expected a redirect target)"
        )
    try:
        target, _fragment = urllib.parse.urldefrag(urllib.parse.urljoin(current, location))
    except ValueError:
        problem: str | None = "a malformed host (an unclosed or invalid [IPv6] address)"
        target = location
    else:
        problem = url_problem(target)
    if problem is not None:
        raise FetchError(
            f"{prefix}: redirected to {shown_url(target)}, which has {problem}; "
            "expected an http(s) URL"
        )
    return target


def _entry_of(fetched: Fetched) -> _CacheEntry:
    return _CacheEntry(
        final_url=fetched.url,
        content=fetched.content,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        content_type=fetched.content_type,
    )


def read_file(path: pathlib.Path, *, limits: FetchLimits = FetchLimits()) -> bytes:
    """The bytes of a local source, with the byte limit of a fetched one
    (:func:`oewg_cal.atomic.read_source`)."""
    return read_source(path, limits.max_bytes)
