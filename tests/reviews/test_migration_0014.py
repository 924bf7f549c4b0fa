"""Migration 0014 turns what earlier ClaimReview imports stored into reviews, and gives it back."""

import json

from sqlalchemy import create_engine, text
from test_migrations import empty_database_url  # noqa: F401 (a fixture)

from service import migrate
from service.app import create_app

STAMP = "2021-05-05 00:00:00+00:00"
RATING = {"@type": "Rating", "alternateName": "Faux", "ratingValue": 1, "bestRating": 5}


def insert_imported_claim(connection) -> None:
    """A claim as the 0013 ClaimReview import stored it: rating, review article, one move."""
    connection.execute(
        text(
            "INSERT INTO claim (uid, text, kind, language, language_detected, status, "
            "status_changed_at, created_at, updated_at, version, search_text, original_rating) "
            "VALUES (:uid, 'La tour penche', 'factual', 'fr', false, 'false', :t, :t, :t, 1, '', "
            ":rating)"
        ),
        {"t": STAMP, "uid": "6f1c2a4e8b9d4c3fa1b2c3d4e5f60718", "rating": json.dumps(RATING)},
    )
    connection.execute(
        text(
            "INSERT INTO evidence (uid, claim_id, url, title, publisher, published_on, stance, "
            "language, language_detected, created_at, updated_at, version) VALUES "
            "(:uid, 1, 'https://www.lemonde.fr/les-decodeurs/tour.html', 'La tour', 'Le Monde', "
            "'2021-05-04', 'refutes', 'fr', false, :t, :t, 1)"
        ),
        {"t": STAMP, "uid": "7f1c2a4e8b9d4c3fa1b2c3d4e5f60718"},
    )
    for number, (before, after) in enumerate([(None, "unverified"), ("unverified", "false")]):
        connection.execute(
            text(
                "INSERT INTO status_change (uid, claim_id, from_status, to_status, rationale, "
                "created_at) VALUES (:uid, 1, :before, :after, 'r', :t)"
            ),
            {
                "t": STAMP,
                "uid": f"8f1c2a4e8b9d4c3fa1b2c3d4e5f6071{number}",
                "before": before,
                "after": after,
            },
        )
    connection.execute(text("INSERT INTO status_change_evidence VALUES (2, 1)"))


def test_imported_claimreview_evidence_becomes_a_review_and_a_downgrade_keeps_the_evidence(
    empty_database_url,  # noqa: F811
):
    migrate.upgrade(empty_database_url, "0013")
    engine = create_engine(empty_database_url)
    with engine.begin() as connection:
        insert_imported_claim(connection)

    migrate.upgrade(empty_database_url)
    with engine.connect() as connection:
        review = connection.execute(
            text(
                "SELECT r.url, r.headline, r.rating_label, r.rating_status, r.rating_mapped_by, "
                "p.name, p.host FROM review r JOIN publisher p ON p.id = r.publisher_id"
            )
        ).one()
        cited = connection.execute(text("SELECT * FROM status_change_review")).all()
    client = create_app({"database_url": empty_database_url, "secret_key": "x"}).test_client()
    shown = client.get("/api/v1/reviews/1").get_json()
    migrate.downgrade(empty_database_url, "0013")
    with engine.connect() as connection:
        evidence = connection.execute(text("SELECT count(*) FROM evidence")).scalar()
        links = connection.execute(text("SELECT count(*) FROM status_change_evidence")).scalar()
    engine.dispose()

    assert tuple(review) == (
        "https://www.lemonde.fr/les-decodeurs/tour.html",
        "La tour",
        "Faux",
        "false",
        "builtin",
        "Le Monde",
        "lemonde.fr",
    )
    assert [tuple(row) for row in cited] == [(2, 1)]
    assert shown["published_at"] == "2021-05-04"
    assert shown["publisher"]["url"] == "https://www.lemonde.fr/"
    assert shown["uid"] and shown["created_by"] == "migration 0014"
    assert (evidence, links) == (1, 1)
