"""Migration 0017 indexes the headlines of stored reviews with their claims; a downgrade drops
them from the index again."""

from test_migrations import empty_database_url  # noqa: F401 (a fixture)

from service import migrate
from service.app import create_app
from service.auth.service import create_key
from service.db import database


def test_stored_review_headlines_are_indexed_by_0017_and_dropped_by_its_downgrade(
    empty_database_url,  # noqa: F811
):
    migrate.upgrade(empty_database_url)
    app = create_app({"database_url": empty_database_url, "secret_key": "x"})
    with app.app_context():
        session = database().sessionmaker()
        _, key = create_key(session, name="m", role="editor", server_secret="x")
        session.commit()
        session.close()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {key}"}
    made = client.post(
        "/api/v1/claims", json={"text": "A deal was signed.", "kind": "factual"}, headers=headers
    )
    assert made.status_code == 201, made.get_json()
    review = client.post(
        f"/api/v1/claims/{made.get_json()['id']}/reviews",
        json={
            "publisher": {"name": "Checker", "url": "https://checker.example/"},
            "url": "https://checker.example/phosphate",
            "headline": "Phosphate exports explained",
            "rating": {"label": "Meh"},
        },
        headers=headers,
    )
    assert (made.status_code, review.status_code) == (201, 201), review.get_json()

    def matched() -> list[int]:
        answer = client.post("/api/v1/claims/match", json={"text": "phosphate exports"})
        return [item["claim"]["id"] for item in answer.get_json()["items"]]

    written = matched()
    migrate.downgrade(empty_database_url, "0016")
    downgraded = matched()
    migrate.upgrade(empty_database_url)
    upgraded = matched()

    assert written == upgraded == [made.get_json()["id"]]
    assert downgraded == []
