import pytest

from service.demo.loader import demo_data, load_demo

DATA = demo_data()


@pytest.fixture
def demo(app, session):
    assert load_demo(session) is True
    session.commit()


def claims(client, query=""):
    return client.get(f"/api/v1/claims?limit=100&{query}").get_json()["items"]


def test_the_demo_promises_include_the_dakhla_consulate(client, demo):
    promises = claims(client, "kind=promise")

    assert len(promises) == 4
    assert any("consulate in Dakhla" in claim["text"] for claim in promises)


def test_the_demo_has_every_claim_evidence_item_and_status(client, demo):
    stored = claims(client)

    assert len(stored) == len(DATA["claims"]) == 14
    assert sum(claim["evidence_count"] for claim in stored) == 56
    expected = {record["text"]: record["status"] for record in DATA["claims"]}
    assert {claim["text"]: claim["status"] for claim in stored} == expected


def test_every_demo_quote_is_anchored_at_its_recorded_offsets(client, demo):
    source = client.get("/api/v1/sources").get_json()["items"][0]
    recorded = {record["text"]: record["appearance"] for record in DATA["claims"]}

    for claim in claims(client):
        (appearance,) = claim["appearances"]
        expected = recorded[claim["text"]]
        assert appearance["anchor_state"] == "anchored"
        assert (appearance["start"], appearance["end"]) == (expected["start"], expected["end"])
        assert source["text"][appearance["start"] : appearance["end"]] == expected["quote"]


def test_the_dakhla_timeline_is_replayed_in_order(client, demo, session):
    from service.claims.models import Claim
    from service.status_changes.models import StatusChange

    dakhla = next(c for c in claims(client) if "consulate in Dakhla" in c["text"])
    timeline = (
        session.query(StatusChange).filter_by(claim_id=dakhla["id"]).order_by(StatusChange.id).all()
    )

    assert [(c.from_status, c.to_status) for c in timeline] == [
        (None, "pending"),
        ("pending", "in_progress"),
        ("in_progress", "stalled"),
        ("stalled", "in_progress"),
    ]
    assert [c.created_at.year for c in timeline] == [2020, 2020, 2021, 2025]
    claim = session.get(Claim, dakhla["id"])
    assert claim.status_changed_at == timeline[-1].created_at
    assert dakhla["review_due"] == "2026-06-30"


def test_loading_twice_adds_nothing(client, demo, session, row_counts):
    before = row_counts()

    assert load_demo(session) is False

    assert row_counts() == before
