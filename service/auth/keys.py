"""API key material: made from the OS's randomness, stored as an HMAC, compared in constant time.

A key reads `ct_<prefix>_<secret>`. The prefix is public: it finds the stored hash and names
the key in lists. The secret carries 256 random bits, so a fast keyed hash is enough: no
password-style stretching is needed, and the hash is useless without the server's secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

KEY_PREFIX = "ct"
PREFIX_BYTES = 6  # 8 url-safe characters
SECRET_BYTES = 32


def new_key() -> tuple[str, str]:
    """A fresh key and its public prefix."""
    prefix = secrets.token_urlsafe(PREFIX_BYTES).replace("_", "x").replace("-", "y")
    return f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}", prefix


def prefix_of(key: str) -> str | None:
    """The prefix a presented key claims, or None when it is not shaped like a key."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 8 or not parts[2]:
        return None
    return parts[1]


def key_hash(key: str, server_secret: str) -> str:
    return hmac.new(server_secret.encode(), key.encode(), hashlib.sha256).hexdigest()


def matches(key: str, stored_hash: str, server_secret: str) -> bool:
    return hmac.compare_digest(key_hash(key, server_secret), stored_hash)
