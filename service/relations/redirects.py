"""A merged claim's URLs: reads answer 308 to the same path under the target, writes 409.

One hook for every route with a `claim_id` (the claim, its sub-resources, and whatever is
added under it later), run after authentication and before the view. The claim's own GET,
the hottest read, checks the document it reads instead (service/claims/views.py).
"""

from __future__ import annotations

import http
from typing import cast

from apispec import BasePlugin
from flask import Flask, Response, request, url_for
from sqlalchemy import select

from service import db
from service.claims.models import Claim
from service.errors import ConflictError, problem

READS = frozenset({"GET", "HEAD"})
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CHECKS_ITSELF = "claims.ClaimById"
REDIRECT = {
    "description": "The claim was merged into another: the same path under that claim's id.",
    "headers": {
        "Location": {
            "description": "The same path (and query) under the claim it was merged into.",
            "schema": {"type": "string"},
        }
    },
    # The problem shape (service/errors.py), with `merged_into` and `location`.
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


class ClaimMergedError(ConflictError):
    slug = "claim-merged"


def merged_into(claim_id: int) -> int | None:
    return db.connection().scalar(select(Claim.merged_into_id).where(Claim.id == claim_id))


def redirect_to(target_id: int) -> Response:
    """308 to this request's path under `target_id`, query string kept."""
    given = request.view_args or {}
    location = url_for(cast(str, request.endpoint), **{**given, "claim_id": target_id})
    if request.query_string:
        location += "?" + request.query_string.decode("latin-1")
    return problem(
        308,
        f"claim {given['claim_id']} was merged into claim {target_id}",
        slug="claim-merged",
        headers={"Location": location},
        merged_into=target_id,
        location=location,
    )


def refuse_write(claim_id: int, target_id: int) -> ClaimMergedError:
    return ClaimMergedError(
        f"claim {claim_id} was merged into claim {target_id}: it takes no more writes; "
        f"write to claim {target_id}",
        merged_into=target_id,
    )


def _follow_merges() -> Response | None:
    if request.routing_exception is not None or not request.view_args:
        return None
    claim_id = request.view_args.get("claim_id")
    if claim_id is None or request.method not in READS | WRITES:
        return None
    if request.method in READS and request.endpoint == CHECKS_ITSELF:
        return None
    target_id = merged_into(claim_id)
    if target_id is None:
        return None
    if request.method in WRITES:
        raise refuse_write(claim_id, target_id)
    return redirect_to(target_id)


class MergedClaimDocs(BasePlugin):
    """An apispec plugin: every operation under a claim documents the 308 of a merged claim
    (reads) or its 409 `claim-merged` (writes)."""

    def init_spec(self, spec) -> None:
        spec.components.response("ClaimMerged", REDIRECT, lazy=True)

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        if not path or "{claim_id}" not in path:
            return
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            documented = {str(status) for status in responses}
            if method in ("get", "head") and "308" not in documented:
                responses[308] = "ClaimMerged"
            elif method.upper() in WRITES and "409" not in documented:
                responses[409] = http.HTTPStatus.CONFLICT.name


def init_app(app: Flask) -> None:
    app.before_request(_follow_merges)
