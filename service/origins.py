"""Which origin absolute URLs name: `CLAIMTRACK_BASE_URL`, or a trusted `Host` header.

Absolute URLs (the `Link` of a list's next page, ClaimReview `url`s, the feed's links) are
built from the request's scheme and host. A client chooses its `Host` header, so a cache in
front could keep a page whose links point at a host of the client's choosing. With a base
URL set, every request is built as if it came to that origin, whatever its `Host` header
says; without one, a `Host` that is not in `CLAIMTRACK_TRUSTED_HOSTS` is refused with a 400
that does not repeat it. `Location` headers and `rel="duplicate"` links are paths: they name
no origin either way.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, current_app, request

from service.errors import BadRequestError

# A Host header: a name, an IPv4 address or a bracketed IPv6 one, and an optional port.
HOST_HEADER = re.compile(r"(?P<name>[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?", re.IGNORECASE)
# Probes (load balancers, orchestrators) ask /health and /ready by address, which changes
# with each container; those answers name no URL.
UNCHECKED_BLUEPRINTS = frozenset({"health"})


class UntrustedHostError(BadRequestError):
    slug = "untrusted-host"


class FixedOrigin:
    """WSGI middleware: every request arrives at `base_url`'s scheme and host."""

    def __init__(self, wsgi_app, base_url: str):
        self.wsgi_app = wsgi_app
        parts = urlsplit(base_url)
        self.scheme, self.host = parts.scheme, parts.netloc

    def __call__(self, environ, start_response):
        environ["wsgi.url_scheme"] = self.scheme
        environ["HTTP_HOST"] = self.host
        return self.wsgi_app(environ, start_response)


def host_is_trusted(host: str, trusted: tuple[str, ...]) -> bool:
    """Whether a `Host` header names one of `trusted` (on any port)."""
    match = HOST_HEADER.fullmatch(host)
    return match is not None and match["name"].lower() in trusted


def _check_host() -> None:
    host = request.environ.get("HTTP_HOST")
    if host is None or request.blueprint in UNCHECKED_BLUEPRINTS:
        return  # HTTP/1.0 without Host: URLs are built from the server's own address
    if not host_is_trusted(host, current_app.config["SETTINGS"].trusted_hosts):
        raise UntrustedHostError(
            "The Host header names a host this service does not answer for; ask by one of "
            "its names (the operator lists them in CLAIMTRACK_TRUSTED_HOSTS)."
        )


def init_app(app: Flask) -> None:
    """Call before any other `before_request`: nothing may build a URL from an untrusted host."""
    settings = app.config["SETTINGS"]
    if settings.base_url:
        # Wrapping the WSGI callable is how Flask takes middleware (its documentation).
        app.wsgi_app = FixedOrigin(app.wsgi_app, settings.base_url)  # type: ignore[method-assign]
    else:
        app.before_request(_check_host)
