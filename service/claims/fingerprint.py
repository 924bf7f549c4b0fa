"""A claim's identity across databases: what makes two records the same claim.

The same words (Unicode-normalised, case-folded, spaces collapsed), said by the same claimant
on the same day. Imports look claims up by it, so importing a file twice adds nothing.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date

SEPARATOR = "\x1f"  # the ASCII unit separator: no normalised text holds one


def normalized(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def claim_fingerprint(text: str, claimant: str | None, claim_date: date | None) -> str:
    """SHA-256 (hex) of the normalised text, claimant and claim date."""
    parts = (normalized(text), normalized(claimant), claim_date.isoformat() if claim_date else "")
    return hashlib.sha256(SEPARATOR.join(parts).encode()).hexdigest()
