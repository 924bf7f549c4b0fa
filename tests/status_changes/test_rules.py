"""Every rule of the status moves (service/status_changes/rules.py), one table for the book
itself, the API's status changes and imported timelines: each path refuses what the book
refuses, in the book's words, naming its own field, and takes what the book takes."""

import json
import uuid

import factories
import pytest

from service.status_changes import rules
from service.status_changes.rules import Move, Refusal

NOT_OF_KIND, NOT_INITIAL = Refusal.NOT_OF_KIND, Refusal.NOT_INITIAL
UNMOVED, UNGROUNDED = Refusal.UNMOVED, Refusal.UNGROUNDED
INITIAL = {"factual": "unverified", "promise": "pending"}

# kind, from (None: the claim's creation), to, grounded (evidence on the claim), merge, refusal
RULES = [
    ("factual", None, "unverified", False, False, None),
    ("promise", None, "pending", False, False, None),
    ("factual", None, "in_review", False, False, NOT_INITIAL),
    ("promise", None, "fulfilled", True, False, NOT_INITIAL),
    ("factual", None, "pending", False, False, NOT_OF_KIND),
    ("factual", "unverified", "in_review", False, False, None),
    ("promise", "pending", "stalled", False, False, None),
    ("factual", "unverified", "fulfilled", True, False, NOT_OF_KIND),
    ("promise", "pending", "true", True, False, NOT_OF_KIND),
    ("factual", "unverified", "unverified", True, False, UNMOVED),
    ("promise", "in_progress", "in_progress", False, False, UNMOVED),
    ("factual", "unverified", "false", False, False, UNGROUNDED),
    ("factual", "in_review", "unproven", False, False, UNGROUNDED),
    ("promise", "pending", "fulfilled", False, False, UNGROUNDED),
    ("factual", "unverified", "false", True, False, None),
    ("promise", "in_progress", "partially_fulfilled", True, False, None),
    ("promise", "fulfilled", "unfulfilled", True, False, None),  # outcomes can change
    ("factual", "false", "in_review", True, False, None),  # so can verdicts, on evidence
    # A merge records on the target that a claim was merged into it: its status stays.
    ("factual", "false", "false", False, True, None),
    ("promise", "pending", "pending", False, True, None),
    ("factual", "unverified", "in_review", False, True, UNMOVED),
]
IDS = [
    f"{kind}:{from_}->{to}{' grounded' if grounded else ''}{' merge' if merge else ''}"
    for kind, from_, to, grounded, merge, _ in RULES
]


@pytest.mark.parametrize(("kind", "from_", "to", "grounded", "merge", "refusal"), RULES, ids=IDS)
def test_the_book(kind, from_, to, grounded, merge, refusal):
    move = Move(kind, from_, to, grounded=lambda: grounded, merge=merge)

    assert rules.refusal(move) is refusal
    if refusal is not None:
        assert rules.reason(refusal, move)


def test_grounds_are_asked_for_only_on_the_way_to_a_conclusion():
    def unasked() -> bool:
        raise AssertionError("grounds looked up for a move that needs none")

    assert rules.refusal(Move("promise", "pending", "stalled", grounded=unasked)) is None
    assert rules.refusal(Move("factual", "unverified", "unverified", grounded=unasked)) is UNMOVED


def test_the_reasons_name_what_the_rule_wants():
    assert rules.reason(NOT_OF_KIND, Move("promise", "pending", "true")) == (
        "a promise claim's status is one of: pending, in_progress, stalled, fulfilled, "
        "partially_fulfilled, unfulfilled"
    )
    assert "null -> pending" in rules.reason(NOT_INITIAL, Move("promise", None, "stalled"))
    assert rules.reason(UNMOVED, Move("factual", "false", "false")) == "the claim is false already"
    assert "false" in rules.reason(UNGROUNDED, Move("factual", "unverified", "false"))


def test_a_merge_records_the_targets_status_as_it_is():
    move = rules.merge_into("promise", "stalled")

    assert (move.from_status, move.to_status, move.merge) == ("stalled", "stalled", True)
    assert rules.refusal(move) is None


def _reached(client, claim_id: int, path: list[str]) -> None:
    for status in path:
        response = client.post(
            f"/api/v1/claims/{claim_id}/status-changes",
            json={"status": status, "rationale": "On the way."},
        )
        assert response.status_code == 201, response.get_json()


API_RULES = [row for row in RULES if row[1] is not None and not row[4]]


@pytest.mark.parametrize(
    ("kind", "from_", "to", "grounded", "merge", "refusal"),
    API_RULES,
    ids=[IDS[RULES.index(row)] for row in API_RULES],
)
def test_the_api_moves_by_the_book(client, row_counts, kind, from_, to, grounded, merge, refusal):
    claim = factories.claim(client, kind=kind)
    if grounded:
        factories.evidence(client, claim["id"])
    _reached(client, claim["id"], [] if from_ == INITIAL[kind] else [from_])
    before = row_counts()

    response = client.post(
        f"/api/v1/claims/{claim['id']}/status-changes",
        json={"status": to, "rationale": "The evidence says so."},
    )

    if refusal is None:
        assert response.status_code == 201, response.get_json()
        assert client.get(f"/api/v1/claims/{claim['id']}").get_json()["status"] == to
    else:
        assert response.status_code == 422
        move = Move(kind, from_, to, grounded=lambda: grounded)
        assert response.get_json()["errors"] == {"status": [rules.reason(refusal, move)]}
        assert row_counts() == before


def _timeline(kind: str, from_: str | None, to: str, merge: bool) -> list[dict]:
    """The entries that take a new claim of `kind` to `from_`, then the move to `to`."""
    if from_ is None:
        moves = [(None, to)]
    else:
        path = [INITIAL[kind]] if from_ == INITIAL[kind] else [INITIAL[kind], from_]
        moves = [*zip([None, *path], path, strict=False), (from_, to)]
    entries = [{"from_status": before, "to_status": after} for before, after in moves]
    if merge:
        entries[-1]["merged_claim_uid"] = str(uuid.uuid4())
    return [
        entry | {"rationale": "r", "created_at": f"2024-01-0{day}T00:00Z"}
        for day, entry in enumerate(entries, start=1)
    ]


def import_record(client, record: dict):
    return client.post(
        "/api/v1/import/claims",
        data=json.dumps(record) + "\n",
        headers={"Content-Type": "application/x-ndjson"},
    )


IMPORT_RULES = [row for row in RULES if row[5] is not None]


@pytest.mark.parametrize(
    ("kind", "from_", "to", "grounded", "merge", "refusal"),
    IMPORT_RULES,
    ids=[IDS[RULES.index(row)] for row in IMPORT_RULES],
)
def test_an_import_refuses_by_the_book(
    client, row_counts, kind, from_, to, grounded, merge, refusal
):
    timeline = _timeline(kind, from_, to, merge)
    record = {"text": "A claim with a history.", "kind": kind, "timeline": timeline}
    if grounded:
        record["evidence"] = [{"id": 1, "url": "https://e.example/", "stance": "context"}]
    before = row_counts()

    response = import_record(client, record)

    assert response.status_code == 422
    field = f"timeline.{len(timeline) - 1}.to_status"
    move = Move(kind, from_, to, grounded=lambda: grounded, merge=merge)
    reason = rules.reason(refusal, move)
    expected = reason[:1].upper() + reason[1:] + "."
    found = response.get_json()["invalid_records"]
    assert {"line": 1, "field": field, "message": expected} in [
        {key: error[key] for key in ("line", "field", "message")} for error in found
    ]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("kind", "from_", "to"),
    [(k, f, t) for k, f, t, g, m, r in RULES if r is None and not m and f is not None],
)
def test_an_import_takes_what_the_book_takes(client, kind, from_, to):
    timeline = _timeline(kind, from_, to, merge=False)
    record = {
        "text": f"A {kind} claim that went from {from_} to {to}.",
        "kind": kind,
        "timeline": timeline,
        "evidence": [{"id": 1, "url": "https://e.example/", "stance": "context"}],
    }

    response = import_record(client, record)

    assert response.status_code == 200, response.get_json()
    (claim,) = client.get("/api/v1/claims", query_string={"status": to}).get_json()["items"]
    assert claim["status"] == to
