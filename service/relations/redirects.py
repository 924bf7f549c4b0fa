"""A merged claim's URLs: reads answer 308 to the same path under the target, writes 409.

One hook for every route with a `claim_id` (the claim, its sub-resources, and whatever is
added under it later), run after authentication and before the view. The claim's own GET,
the hottest read, checks the document it reads instead (service/claims/views.py).
"""

from __future__ import annotations

from flask import Flask, Response, json, request, url_for
from sqlalchemy import select

from service import db
from service.claims.models import Claim
from service.errors import ConflictError

READS = frozenset({"GET", "HEAD"})
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CHECKS_ITSELF = "claims.ClaimById"
MERGED_HEADER = {
    "Location": {
        "description": "The same path under the claim it was merged into.",
        "schema": {"type": "string"},
    }
}


class ClaimMergedError(ConflictError):
    slug = "claim-merged"


def merged_into(claim_id: int) -> int | None:
    return db.connection().scalar(select(Claim.merged_into_id).where(Claim.id == claim_id))


def redirect_to(target_id: int) -> Response:
    """308 to this request's path under `target_id`, query string kept."""
    arguments = {**(request.view_args or {}), "claim_id": target_id}
    location = url_for(request.endpoint, **arguments)
    if request.query_string:
        location += "?" + request.query_string.decode("latin-1")
    body = {
        "detail": f"claim {request.view_args['claim_id']} was merged into claim {target_id}",
        "merged_into": target_id,
        "location": location,
    }
    response = Response(json.dumps(body), status=308, mimetype="application/json")
    response.headers["Location"] = location
    return response


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


def init_app(app: Flask) -> None:
    app.before_request(_follow_merges)
