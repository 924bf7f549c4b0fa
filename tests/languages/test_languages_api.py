"""`language` on claims, sources and evidence: kept when given, else detected, never `en`."""

from __future__ import annotations

import json

import factories
import pytest

FRENCH = "Les États-Unis vont ouvrir un consulat à Dakhla pour encourager les investissements."
ARABIC = "أعلنت الولايات المتحدة أنها ستفتح قنصلية في مدينة الداخلة لتشجيع الاستثمار."
ENGLISH = "The United States will open a consulate in Dakhla to encourage investment."


def test_a_claim_without_a_language_gets_the_one_its_text_is_written_in(client):
    claim = factories.claim(client, text=ARABIC)

    assert (claim["language"], claim["language_detected"]) == ("ar", True)


def test_a_claim_with_a_language_keeps_it(client):
    claim = factories.claim(client, text=ARABIC, language="fr")

    assert (claim["language"], claim["language_detected"]) == ("fr", False)


def test_a_claim_too_short_to_tell_is_undetermined(client):
    claim = factories.claim(client, text="Dakhla!")

    assert (claim["language"], claim["language_detected"]) == ("und", True)


@pytest.mark.parametrize("language", ["english", "EN", "xx", "pt-BR", "", "und-x"])
def test_an_unknown_language_code_is_422_naming_the_field(client, language, row_counts):
    before = row_counts()

    response = client.post(
        "/api/v1/claims", json={"text": ENGLISH, "kind": "factual", "language": language}
    )

    assert response.status_code == 422
    assert "language" in response.get_json()["errors"]
    assert row_counts() == before


def test_a_detected_language_follows_the_text_and_a_given_one_stays(client):
    claim = factories.claim(client, text=ENGLISH)
    url = f"/api/v1/claims/{claim['id']}"

    retold = client.patch(url, json={"text": FRENCH}).get_json()
    chosen = client.patch(url, json={"language": "und"}).get_json()
    kept = client.patch(url, json={"text": ARABIC}).get_json()

    assert (retold["language"], retold["language_detected"]) == ("fr", True)
    assert (chosen["language"], chosen["language_detected"]) == ("und", False)
    assert (kept["language"], kept["language_detected"]) == ("und", False)


def test_a_source_is_detected_from_its_title_and_text(client):
    source = factories.source(client, title="Consulat américain à Dakhla", text=FRENCH)

    assert (source["language"], source["language_detected"]) == ("fr", True)


def test_evidence_is_detected_from_its_title_and_summary_and_keeps_a_given_language(client):
    claim = factories.claim(client)

    detected = factories.evidence(client, claim["id"], title="القنصلية الأمريكية", summary=ARABIC)
    given = factories.evidence(client, claim["id"], summary=ARABIC, language="ar")
    bare = factories.evidence(client, claim["id"])

    assert (detected["language"], detected["language_detected"]) == ("ar", True)
    assert (given["language"], given["language_detected"]) == ("ar", False)
    assert (bare["language"], bare["language_detected"]) == ("und", True)


def test_the_list_keeps_claims_in_any_of_the_languages_asked_for(client):
    for text in (FRENCH, ARABIC, ENGLISH):
        factories.claim(client, text=text)

    found = client.get("/api/v1/claims", query_string=[("language", "fr"), ("language", "ar")])

    assert sorted(c["language"] for c in found.get_json()["items"]) == ["ar", "fr"]


def test_an_import_detects_what_its_records_leave_out_and_keeps_what_they_say(client):
    records = [
        {"text": FRENCH, "kind": "factual"},
        {"text": ENGLISH, "kind": "factual", "language": "en"},
    ]
    body = "".join(json.dumps(record) + "\n" for record in records)

    report = client.post(
        "/api/v1/import/claims", data=body, headers={"Content-Type": "application/x-ndjson"}
    )
    stored = {c["text"]: c for c in client.get("/api/v1/claims").get_json()["items"]}

    assert report.status_code == 200, report.get_json()
    assert (stored[FRENCH]["language"], stored[FRENCH]["language_detected"]) == ("fr", True)
    assert (stored[ENGLISH]["language"], stored[ENGLISH]["language_detected"]) == ("en", False)


def test_the_claimreview_of_a_claim_says_its_own_language(client):
    french = factories.claim(client, text=FRENCH)
    unknown = factories.claim(client, text="Dakhla?")

    assert client.get(f"/api/v1/claims/{french['id']}/claimreview").get_json()["inLanguage"] == "fr"
    assert "inLanguage" not in client.get(f"/api/v1/claims/{unknown['id']}/claimreview").get_json()
