"""The orders a claim list can come in; each ends with the id, so keyset cursors hold."""

from __future__ import annotations

from service.claims.models import Claim
from service.pagination import SortKey

SORTS = {
    "-created_at": (SortKey(Claim.created_at, descending=True), SortKey(Claim.id, descending=True)),
    "created_at": (SortKey(Claim.created_at), SortKey(Claim.id)),
    "review_due": (SortKey(Claim.review_due, nulls_last=True), SortKey(Claim.id)),
    "-status_changed_at": (
        SortKey(Claim.status_changed_at, descending=True),
        SortKey(Claim.id, descending=True),
    ),
}
SORT_NAMES = (*SORTS, "relevance")
