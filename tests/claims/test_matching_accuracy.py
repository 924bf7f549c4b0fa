"""The accuracy pipeline of bench/claim_matching.py on a slice of CheckThat! 2020 train: the
match endpoint must beat a plain BM25 over the same claims. Skips without the data."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for bench

from bench import claim_matching as bench  # noqa: E402

QUERIES = 60
DISTRACTORS = 1_500

pytestmark = pytest.mark.skipif(
    not (bench.DATA / "vclaims.ndjson").exists(),
    reason=f"the CheckThat! 2020 data is not at {bench.DATA}",
)


def test_matching_beats_plain_bm25_on_a_slice_of_train(client, anonymous):
    split = bench.queries("train")[:QUERIES]
    wanted = set().union(*(query.relevant for query in split))
    every = bench.records()
    slice_ = [r for r in every if wanted & set(bench.vclaim_ids(r))]
    slice_ += [r for r in every if not wanted & set(bench.vclaim_ids(r))][:DISTRACTORS]
    body = "".join(json.dumps(record) + "\n" for record in slice_)
    imported = client.post(
        "/api/v1/import/claims", data=body, headers={"Content-Type": "application/x-ndjson"}
    )
    assert imported.status_code == 200, imported.get_json()
    ids = {}
    for page in _claims(anonymous):
        ids[page["id"]] = frozenset(
            tag.removeprefix(bench.VCLAIM_TAG) for tag in page["tags"] if tag.startswith("vclaim:")
        )

    def api(query):
        response = anonymous.post(
            "/api/v1/claims/match", json={"text": query.text, "limit": bench.CUTOFF}
        )
        return [ids[item["claim"]["id"]] for item in response.get_json()["items"]]

    matched = bench.evaluate(api, split)
    plain = bench.evaluate(bench.baseline(slice_), split)

    assert matched["map5"] > plain["map5"] + 0.03, (matched, plain)


def _claims(client):
    cursor = None
    while True:
        query = {"limit": 100, "tag": "checkthat2020-t2", **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/claims", query_string=query).get_json()
        yield from page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return
