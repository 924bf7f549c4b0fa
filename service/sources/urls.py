"""URL normalisation, so that one document is one source however its link was copied."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that say how a reader arrived, not which document they read.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref_src",
        "ref_url",
        "cmpid",
        "ocid",
        "smid",
        "spm",
    }
)
TRACKING_PREFIXES = ("utm_", "hsa_", "pk_", "mtm_")
DEFAULT_PORTS = {"http": 80, "https": 443}


@lru_cache(maxsize=65_536)  # an import names each URL several times over
def normalize_url(url: str) -> str:
    """Lower-case scheme and host, drop the fragment, default port and tracking parameters.

    Query parameters are sorted (w3lib's canonical form), so their order does not matter.
    """
    canonical = urlsplit(canonicalize_url(url.strip()))
    netloc = canonical.hostname or ""
    if ":" in netloc:  # an IPv6 address keeps its brackets
        netloc = f"[{netloc}]"
    if canonical.port and canonical.port != DEFAULT_PORTS.get(canonical.scheme):
        netloc = f"{netloc}:{canonical.port}"
    if canonical.username:
        netloc = f"{canonical.username}@{netloc}"
    query = [
        (name, value)
        for name, value in parse_qsl(canonical.query, keep_blank_values=True)
        if name.lower() not in TRACKING_PARAMETERS
        and not name.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((canonical.scheme, netloc, canonical.path or "/", urlencode(query), ""))
