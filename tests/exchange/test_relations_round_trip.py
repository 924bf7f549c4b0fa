"""Relations and merges go out in the NDJSON export and come back in by uid."""

import json

import factories
from exchange_helpers import empty_claims, export_lines, import_claims, ndjson, researcher

LINKED_TABLES = (
    "claim",
    "relation",
    "status_change",
    "status_change_evidence",
    "status_change_review",
    "evidence",
    "appearance",
    "review",
    "claim_tag",
)


def linked_archive(client):
    merged = factories.claim_with_records(client, tags=["a"])
    target = factories.claim_with_records(client, tags=["b"])
    other = factories.claim(client)
    for start, end, kind in (
        (other, merged, "related"),
        (merged, other, "supersedes"),
        (merged, target, "duplicate_of"),
        (target, other, "contradicts"),
    ):
        factories.created(
            client.post(
                f"/api/v1/claims/{start['id']}/relations",
                json={"type": kind, "target_id": end["id"], "note": f"{kind} note"},
            )
        )
    merging = client.post(f"/api/v1/claims/{merged['id']}/merge", json={"into": target["id"]})
    assert merging.status_code == 200
    return merged, target, other


def links(records):
    """What the records say of links, by uid (ids differ between databases)."""
    return {
        record["uid"]: {
            "merged_into": record["merged_into"],
            "relations": sorted(
                (r["uid"], r["type"], r["target_uid"], r["note"]) for r in record["relations"]
            ),
            "timeline": [
                (
                    c["uid"],
                    c["merged_claim_uid"],
                    sorted(c["evidence_uids"]),
                    sorted(c["review_uids"]),
                )
                for c in record["timeline"]
            ],
        }
        for record in records
    }


def test_relations_and_merges_survive_an_export_and_import(app, client, row_counts):
    merged, target, _other = linked_archive(client)
    exported = export_lines(client)
    before = {name: count for name, count in row_counts().items() if name in LINKED_TABLES}
    empty_claims(app)

    # Lines in reverse: a link to a claim later in the file is made all the same.
    report = import_claims(researcher(app), ndjson(*reversed(exported)))

    assert report.status_code == 200, report.get_json()
    assert report.get_json()["warnings"] == []
    after = {name: count for name, count in row_counts().items() if name in LINKED_TABLES}
    assert after == before
    assert links(export_lines(client)) == links(exported)
    merged_again = {r["uid"]: r for r in export_lines(client)}[merged["uid"]]
    redirect = client.get(f"/api/v1/claims/{merged_again['id']}")
    assert redirect.status_code == 308
    target_id = {r["uid"]: r["id"] for r in export_lines(client)}[target["uid"]]
    assert redirect.headers["Location"] == f"/api/v1/claims/{target_id}"


def test_the_export_writes_relations_from_each_claim_and_the_merge(client):
    merged, target, other = linked_archive(client)

    records = {r["uid"]: r for r in export_lines(client)}

    assert records[merged["uid"]]["merged_into"] == target["uid"]
    assert records[target["uid"]]["merged_into"] is None
    # Moved to the target, but for the one between the two claims.
    assert [(r["type"], r["target_uid"]) for r in records[merged["uid"]]["relations"]] == [
        ("duplicate_of", target["uid"])
    ]
    assert sorted((r["type"], r["target_uid"]) for r in records[target["uid"]]["relations"]) == [
        ("contradicts", other["uid"]),
        ("supersedes", other["uid"]),
    ]
    entry = records[target["uid"]]["timeline"][-1]
    assert entry["merged_claim_uid"] == merged["uid"]
    assert len(export_lines(client, include_merged="false")) == 2


def test_a_second_import_adds_no_relation(app, client, row_counts):
    linked_archive(client)
    exported = ndjson(*export_lines(client))
    empty_claims(app)
    importer = researcher(app)
    import_claims(importer, exported)
    before = row_counts()

    again = import_claims(importer, exported)

    assert again.status_code == 200
    assert row_counts() == before


def test_a_link_to_a_claim_outside_the_file_is_left_out_with_a_warning(app, client):
    merged, target, other = linked_archive(client)
    records = [r for r in export_lines(client) if r["uid"] != other["uid"]]
    empty_claims(app)

    report = import_claims(researcher(app), ndjson(*records))

    assert report.status_code == 200, report.get_json()
    warnings = report.get_json()["warnings"]
    assert {w["property"] for w in warnings} == {"relations.target_uid"}
    assert all(other["uid"] in w["message"] for w in warnings)
    lines = {r["uid"]: r for r in export_lines(client)}
    assert lines[merged["uid"]]["merged_into"] == target["uid"]
    assert json.dumps(lines[target["uid"]]["relations"]) == "[]"


def test_csv_leaves_merged_claims_out_unless_asked(client):
    merged, _target, _other = linked_archive(client)

    def rows(**params):
        response = client.get("/api/v1/export/claims", query_string={"format": "csv", **params})
        return response.get_data(as_text=True).splitlines()[1:]

    assert len(rows()) == 2 and not any(merged["uid"] in row for row in rows())
    assert len(rows(include_merged="true")) == 3
