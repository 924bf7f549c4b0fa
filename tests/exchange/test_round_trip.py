"""Export everything, import it into an empty database, export again: the same records.

Only what says where a record was written changes: its id, and `created_by`/`created_at`,
which the import moves to `original_author`/`original_created_at`.
"""

from __future__ import annotations

import json

import factories
import pytest
from exchange_helpers import empty_claims, export_lines, import_claims, load_demo_data, researcher
from schema_checks import import_with_a_new_field

ARTICLE = (
    "Zoë O’Neil said: “We will build 1,000 homes by 2026.”\n"
    "She added, on a new line:\n\tthe first 🏠 are already going up in Łódź and 東京."
)


def add_edge_cases(client) -> None:
    """Unicode, quotes spanning lines, a promise moved back and forth, evidence without source."""
    article = factories.source(
        client,
        url="https://edge.example/%C3%BCn%C3%AF/artikel?utm_source=feed",
        title="Ça — 東京",
        text=ARTICLE,
    )
    bare = factories.source(client, url="https://edge.example/no-text", publisher="Édition")
    promise = factories.claim(
        client,
        kind="promise",
        text="“We will build 1,000 homes by 2026.”\nA second line, and a tab:\tthere.",
        claimant="Zoë O’Neil",
        claim_date="2024-02-29",
        tags=["housing", "two words", "łódź"],
        summary="Mixed progress.\nSee the timeline.",
    )
    factories.appearance(
        client,
        promise["id"],
        source_id=article["id"],
        quote="She added, on a new line:\n\tthe first 🏠 are already going up",
    )
    factories.appearance(client, promise["id"], source_id=bare["id"], quote="1,000 homes")
    cited = factories.evidence(
        client, promise["id"], source_id=article["id"], quote="going up", published_on="2025-01-02"
    )
    unsourced = factories.evidence(client, promise["id"], stance="refutes", note="Phone call.")
    moves = [
        ("in_progress", [cited["id"]], "2025-06-30"),
        ("stalled", [unsourced["id"]], None),
        ("fulfilled", [cited["id"], unsourced["id"]], None),
        ("in_progress", [], "2026-12-31"),
    ]
    for status, evidence_ids, review_due in moves:
        response = client.post(
            f"/api/v1/claims/{promise['id']}/status-changes",
            json={
                "status": status,
                "rationale": f"Now {status}: “quoted”\nover two lines.",
                "evidence_ids": evidence_ids,
                "review_due": review_due,
            },
        )
        assert response.status_code == 201, response.get_json()
    factories.claim(client, text="A bare factual claim, nothing else.", language="fr")
    # The same words, claimant and date twice: two claims all the same, kept apart by uid.
    factories.claim(client, text="A bare factual claim, nothing else.", language="fr")


WRITTEN_HERE = ("created_at", "created_by", "updated_at", "updated_by")
ARCHIVE_TABLES = (
    "source",
    "claim",
    "claim_tag",
    "appearance",
    "evidence",
    "status_change",
    "status_change_evidence",
)


def as_written(node):
    """A record with who wrote each part, and when, where it was first written; ids dropped."""
    if isinstance(node, list):
        return [as_written(item) for item in node]
    if not isinstance(node, dict):
        return node
    kept = {k: as_written(v) for k, v in node.items() if k not in WRITTEN_HERE and k != "id"}
    if "created_by" in node:
        kept["original_author"] = node["original_author"] or node["created_by"]
        kept["original_created_at"] = node["original_created_at"] or node["created_at"]
    return kept


def mapped(records: list[dict]) -> list[dict]:
    """Evidence ids replaced by positions, so two databases' exports compare."""
    for record in records:
        position = {item["id"]: index for index, item in enumerate(record["evidence"])}
        for change in record["timeline"]:
            change["evidence_ids"] = [position[i] for i in change["evidence_ids"]]
    return as_written(records)


def archive_counts(row_counts) -> dict[str, int]:
    return {name: count for name, count in row_counts().items() if name in ARCHIVE_TABLES}


@pytest.fixture
def exported(app, client):
    load_demo_data(app)
    add_edge_cases(client)
    response = client.get("/api/v1/export/claims")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_export_imports_into_an_empty_database_and_exports_the_same(
    app, client, exported, row_counts
):
    stored = archive_counts(row_counts)
    empty_claims(app)

    report = import_claims(researcher(app), exported)
    again = client.get("/api/v1/export/claims").get_data(as_text=True)

    assert report.status_code == 200, report.get_json()
    assert report.get_json()["created"] == len(exported.splitlines()) == 17
    assert archive_counts(row_counts) == stored
    first = [json.loads(line) for line in exported.splitlines()]
    second = [json.loads(line) for line in again.splitlines()]
    assert mapped(second) == mapped(first)
    assert [r["uid"] for r in second] == [r["uid"] for r in first]


def test_claims_with_the_same_text_claimant_and_date_stay_two_claims(app, client, exported):
    twins = [r for r in map(json.loads, exported.splitlines()) if r["text"].startswith("A bare")]
    empty_claims(app)

    import_claims(researcher(app), exported)
    found = client.get("/api/v1/claims", query_string={"q": "bare factual"}).get_json()["items"]

    assert len(twins) == 2 and twins[0]["fingerprint"] == twins[1]["fingerprint"]
    assert sorted(c["uid"] for c in found) == sorted(r["uid"] for r in twins)


def test_the_importer_is_the_author_and_the_file_s_authors_and_dates_stand_beside(
    app, client, exported
):
    before = [json.loads(line) for line in exported.splitlines()]
    empty_claims(app)

    import_claims(researcher(app), exported)
    after = export_lines(client)
    audit = client.get("/api/v1/audit", query_string={"resource": "claim", "limit": 100}).get_json()

    assert {r["created_by"] for r in after} == {"importer"}
    assert {c["created_by"] for r in after for c in r["timeline"]} == {"importer"}
    assert {r["original_author"] for r in after} == {"demo", "test-admin"}
    assert [c["original_created_at"] for r in after for c in r["timeline"]] == [
        c["created_at"] for r in before for c in r["timeline"]
    ]
    assert {event["actor"] for event in audit["items"]} == {"importer"}


def test_importing_the_same_export_twice_creates_nothing_new(app, exported, row_counts):
    importer = researcher(app)
    empty_claims(app)
    import_claims(importer, exported)
    before = row_counts()

    second = import_claims(importer, exported)

    assert second.status_code == 200
    assert (second.get_json()["created"], second.get_json()["existing"]) == (0, 17)
    assert row_counts() == before


def test_importing_into_the_same_database_finds_every_claim_existing(client, exported, row_counts):
    before = row_counts()

    report = import_claims(client, exported).get_json()

    assert (report["created"], report["existing"], report["sources_created"]) == (0, 17, 0)
    assert row_counts() == before


@pytest.mark.pure
def test_a_field_imports_read_but_exports_do_not_write_stops_the_exporter_at_import():
    """An archive must survive export and import whole: a field added to the import's record
    that the export does not write would be lost on the way, so the module refuses to load."""
    loaded = import_with_a_new_field(
        "service.exchange.schemas", "ClaimRecord", "service.exchange.export"
    )

    assert loaded.returncode != 0
    assert "ImportError" in loaded.stderr and "read only ['shares']" in loaded.stderr
