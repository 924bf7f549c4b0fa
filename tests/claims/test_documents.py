"""The read path's documents are exactly what ClaimOut dumps, on either database."""

from __future__ import annotations

import json

import factories
import pytest
from schema_checks import import_with_a_new_field
from sqlalchemy import select

from service.claims import documents
from service.claims.models import Claim
from service.claims.schemas import ClaimOut
from service.demo.loader import load_demo


def dumped(claim: Claim) -> str:
    """What the write paths answer for this claim, as JSON text: `0` is not `false` there."""
    return as_json(ClaimOut().dump(claim))


def as_json(body: dict) -> str:
    return json.dumps(body, sort_keys=True)


@pytest.fixture
def varied_claims(client, session):
    """The demo, plus claims with the shapes the demo lacks."""
    load_demo(session)
    session.commit()
    bare = factories.claim(client, text='Ünïcödé "quoted" and\nnewline', claimant=None)
    source = factories.source(client, text=factories.ARTICLE_TEXT)
    anchored = factories.claim(
        client,
        kind="promise",
        tags=["b tag", "a-tag"],
        summary="Two quotes.",
        review_due="2027-01-31",
    )
    factories.appearance(client, anchored["id"], source_id=source["id"], quote="Dakhla and")
    factories.appearance(
        client, anchored["id"], source_id=factories.source(client)["id"], quote="unanchored"
    )
    factories.evidence(client, anchored["id"])
    # As an import leaves it: the ClaimReview's rating, verbatim.
    session.get(Claim, bare["id"]).original_rating = {"@type": "Rating", "ratingValue": "2"}
    session.commit()
    return [bare["id"], anchored["id"]]


def test_every_document_equals_the_schema_dump(varied_claims, session):
    claims = session.scalars(select(Claim).order_by(Claim.id)).all()
    assert len(claims) > 5
    found = documents.claim_documents(session.connection(), [claim.id for claim in claims])
    assert [as_json(d.body) for d in found] == [dumped(c) for c in claims]
    assert [d.etag for d in found] == [f'"{c.id}-{c.version}"' for c in claims]


def test_one_document_equals_the_list_document(varied_claims, session):
    for claim_id in varied_claims:
        alone = documents.claim_document(session.connection(), claim_id)
        (listed,) = documents.claim_documents(session.connection(), [claim_id])
        assert alone == listed


def test_documents_keep_the_order_asked_and_skip_missing_ids(varied_claims, session):
    first, second = varied_claims
    found = documents.claim_documents(session.connection(), [second, 999_999, first])
    assert [d.body["id"] for d in found] == [second, first]
    assert documents.claim_document(session.connection(), 999_999) is None
    assert documents.claim_documents(session.connection(), []) == []


def test_get_answers_the_document_with_its_etag(varied_claims, client, session):
    claim = session.get(Claim, varied_claims[1])
    response = client.get(f"/api/v1/claims/{claim.id}")
    assert response.status_code == 200
    assert as_json(response.get_json()) == dumped(claim)
    assert response.headers["ETag"] == f'"{claim.id}-{claim.version}"'
    again = client.get(
        f"/api/v1/claims/{claim.id}", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.pure
def test_a_new_computed_field_of_claimout_stops_the_read_path_at_import():
    """A field of ClaimOut that is no claim column must be computed by the read path: the
    module refuses to load until it is, rather than serve documents without it."""
    loaded = import_with_a_new_field(
        "service.claims.schemas", "ClaimOut", "service.claims.documents"
    )

    assert loaded.returncode != 0
    assert "ImportError" in loaded.stderr and "'shares'" in loaded.stderr
