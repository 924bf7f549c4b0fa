"""Other fact-checkers' ratings, mapped onto our statuses.

A ClaimReview `reviewRating` maps by its label (`alternateName`, else `name`): through its
publisher's own vocabulary when that has the label, else the built-in multilingual one
(service/ratings). Its numeric `ratingValue`, placed on its own scale as (value - worst) /
(best - worst), decides only when the rating has no label at all: an unknown label leaves the
claim for a researcher to review, whatever the number says.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.claims.statuses import Status
from service.ratings import rating_status
from service.ratings.vocabulary import MappedBy


def status_for(rating: Any) -> Status | None:
    """The status a ClaimReview `reviewRating` maps to, or None when it does not clearly map."""
    return mapping_for(rating)[0]


def mapping_for(
    rating: Any, own: Mapping[str, Status | None] | None = None
) -> tuple[Status | None, MappedBy | None]:
    """The status a `reviewRating` maps to and what decided it (see rating_status)."""
    if not isinstance(rating, dict):
        return None, None
    return rating_status(
        label_of(rating),
        rating.get("ratingValue"),
        rating.get("bestRating"),
        rating.get("worstRating"),
        own=own,
    )


def label_of(rating: Mapping[str, Any]) -> str | None:
    """A Rating's label as its publisher wrote it: `alternateName`, else `name`."""
    label = rating.get("alternateName") or rating.get("name")
    return label if isinstance(label, str) else None
