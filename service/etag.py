"""Entity tags from row versions: cheap to compute, and a conditional write compares them."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from flask import Flask, Response, request

from service import db
from service.errors import PreconditionFailedError
from service.relations import redirects

T = TypeVar("T")


class _Owned(Protocol):
    claim_id: int


Part = TypeVar("Part", bound=_Owned)  # a row under a claim

ETAG_HEADER = {
    "ETag": {
        "description": "The resource's version; send it in `If-Match` to make a write conditional.",
        "schema": {"type": "string"},
    }
}
IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "Apply the write only if the resource still has this ETag (412 otherwise).",
}


def entity_tag(id: int, version: int) -> str:
    """The tag of a resource at a version, unquoted: what If-Match is compared with. The
    one place its format is written (the read path's documents use it too)."""
    return f"{id}-{version}"


def etag_value(id: int, version: int) -> str:
    """The ETag header's value: the tag, quoted (RFC 9110)."""
    return f'"{entity_tag(id, version)}"'


def etag_of(resource: Any) -> str:
    return entity_tag(resource.id, resource.version)


def etag_headers(resource: Any) -> dict[str, str]:
    return {"ETag": etag_value(resource.id, resource.version)}


def fetch_for_write(model: type[T], id: int) -> T:
    """The row a write is about, locked: 404 when it is missing, 412 when If-Match is stale.

    The lock makes concurrent writes queue, so each compares If-Match with what the one
    before it committed.
    """
    resource = db.get_or_404(model, id, for_update=True)
    merged_into = getattr(resource, "merged_into_id", None)
    if merged_into is not None:
        # Merged while this write waited for the lock (service/relations/redirects.py
        # refuses the others before their views run).
        raise redirects.refuse_write(id, merged_into)
    check_if_match(resource)
    return resource


def fetch_part_for_write(model: type[Part], id: int, owner: type) -> Part:
    """A row that belongs to another (evidence to its claim), for a write.

    The owner is locked first, as creating a row under it does, so that every write under
    one claim queues behind the others: none of them fails because another moved the
    claim's version meanwhile.
    """
    part = db.get_or_404(model, id)
    db.get_or_404(owner, part.claim_id, for_update=True)
    return fetch_for_write(model, id)


def check_if_match(resource: Any) -> None:
    """Refuse a write whose If-Match names another version of `resource`.

    A header that names no tag at all (`If-Match: ,`) matches nothing, as RFC 9110 reads it.
    """
    if "If-Match" in request.headers and not request.if_match.contains(etag_of(resource)):
        raise PreconditionFailedError(
            "If-Match does not match the resource's current ETag: it changed since you "
            "read it. Fetch it again, then retry.",
            headers=etag_headers(resource),
        )


def conditional_write(blueprint):
    """Document the optional If-Match header and the 412 it may bring."""

    def decorator(view):
        view = blueprint.alt_response(412, response="PRECONDITION_FAILED")(view)
        return blueprint.doc(parameters=[IF_MATCH_PARAMETER])(view)

    return decorator


def _answer_if_none_match(response: Response) -> Response:
    if (
        "If-None-Match" in request.headers
        and request.method in ("GET", "HEAD")
        and response.status_code == 200
        and response.get_etag()[0]
    ):
        response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_answer_if_none_match)
