"""A publisher's identity: the normalised host of its site."""

from __future__ import annotations

from urllib.parse import urlsplit

from service.sources.urls import normalize_url

# A site's host with and without these is one site (www.snopes.com is snopes.com).
SITE_PREFIXES = ("www.", "m.", "amp.")


def site_host(url: str) -> str:
    """The host a URL's site is known by: lower-cased, IDNA-encoded, without `www.`.

    A non-default port stays part of the host. Raises ValueError for a URL without a host.
    """
    parts = urlsplit(normalize_url(url))
    host = parts.netloc.rpartition("@")[2]
    for prefix in SITE_PREFIXES:
        if host.startswith(prefix) and "." in host[len(prefix) :]:
            host = host[len(prefix) :]
            break
    if not host or parts.scheme not in ("http", "https"):
        raise ValueError("no http(s) host")
    return host


def site_url(url: str) -> str:
    """The root of the site a URL is on: `https://www.snopes.com/author/dan/` ->
    `https://www.snopes.com/`."""
    parts = urlsplit(normalize_url(url))
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/"
