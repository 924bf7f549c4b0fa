"""A client generated from openapi.yaml (openapi-python-client) walks the README's demo.

The generator must take every operation without a warning, and the typed client must read
every answer the walk-through gets: lists and their cursors, a claim and its ETag, a 304, a
create and an anchor, evidence, a status change with If-Match (stale, then fresh), the
timeline, and an import. A field the spec calls required but the service leaves out, or a
status it does not document, fails here as it would fail a client's user.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from conftest import key_for

from service.demo.loader import load_demo

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "claimtrack_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The client package, generated into a temporary folder and imported from there."""
    where = tmp_path_factory.mktemp("client")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(ROOT / "openapi.yaml"),
            "--config",
            str(ROOT / "openapi-python-client.yaml"),
            "--meta",
            "none",
            "--output-path",
            str(where / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    said = result.stdout + result.stderr
    assert result.returncode == 0, said
    assert "warning" not in said.lower() and "will not be generated" not in said, said
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def test_every_operation_of_the_spec_is_generated(generated, live_spec):
    operation_ids = {
        operation["operationId"]
        for item in live_spec["paths"].values()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    }
    modules = {
        path.stem for path in Path(generated.__file__).parent.glob("api/*/*.py") if path.stem
    }

    missing = {op for op in operation_ids if _snake(op) not in modules}
    assert not missing


@pytest.fixture(scope="module")
def live_spec(app):
    return app.test_client().get("/openapi.json").get_json()


@pytest.fixture
def api(generated, app, session):
    """An authenticated client whose requests go to the suite's app, with the demo loaded."""
    assert load_demo(session) is True
    session.commit()
    client = generated.AuthenticatedClient(
        base_url="http://localhost",
        token=key_for(app, "researcher", "client-user"),
        httpx_args={"transport": httpx.WSGITransport(app=app)},
    )
    with client as opened:
        yield opened


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def _call(generated, tag: str, operation: str):
    return importlib.import_module(f"{PACKAGE}.api.{tag}.{operation}").sync_detailed


def test_the_readme_walk_through_runs_through_the_generated_client(generated, api):
    m = importlib.import_module(f"{PACKAGE}.models")
    types = importlib.import_module(f"{PACKAGE}.types")
    call = lambda tag, op: _call(generated, tag, op)  # noqa: E731

    # The promises, two a page, following next_cursor to the end.
    seen, cursor = [], types.UNSET
    while True:
        page = call("claims", "list_claims")(
            client=api, kind=m.ListClaimsKind.PROMISE, limit=2, cursor=cursor
        )
        assert page.status_code == 200
        seen += [claim.id for claim in page.parsed.items]
        assert all(claim.kind.value == "promise" for claim in page.parsed.items)
        if page.parsed.next_cursor is None:
            break
        cursor = page.parsed.next_cursor
    assert len(seen) == len(set(seen)) == 4

    # A search, then the Dakhla claim with its ETag; the same ETag back is a 304.
    found = call("claims", "list_claims")(client=api, q="consulate Dakhla").parsed.items
    dakhla = next(claim for claim in found if "Dakhla" in claim.text)
    read = call("claims", "get_claim")(dakhla.id, client=api)
    assert read.status_code == 200 and read.parsed.id == dakhla.id
    assert read.parsed.appearances and read.parsed.rating.best == 5
    etag = read.headers["ETag"]
    again = call("claims", "get_claim")(dakhla.id, client=api, if_none_match=etag)
    assert again.status_code == 304 and again.parsed is None

    # Its evidence, two at a time.
    evidence = call("evidence", "list_claim_evidence")(dakhla.id, client=api, limit=2).parsed
    assert len(evidence.items) == 2 and evidence.next_cursor is not None

    # A new claim, anchored in the article, with evidence of its own.
    created = call("claims", "create_claim")(
        client=api,
        body=m.ClaimIn(
            text="Morocco will reestablish diplomatic ties with Israel.",
            kind=m.ClaimInKind.PROMISE,
            claimant="Morocco World News",
            tags=["morocco", "israel"],
        ),
    )
    assert created.status_code == 201, created.content
    claim = created.parsed
    assert claim.status.value == "pending" and claim.created_by == "client-user"
    article = dakhla.appearances[0].source_id
    anchored = call("appearances", "create_appearance")(
        claim.id,
        client=api,
        body=m.AppearanceIn(
            source_id=article,
            quote="Morocco agreed to reestablish diplomatic ties with Israel",
        ),
    )
    assert anchored.status_code == 201, anchored.content
    assert anchored.parsed.anchor_state.value == "anchored" and anchored.parsed.start > 0
    added = call("evidence", "create_evidence")(
        claim.id,
        client=api,
        body=m.EvidenceIn.from_dict(
            {
                "url": "https://www.example.org/morocco-israel-ties",
                "stance": "supports",
                "title": "Morocco and Israel restore ties",
            }
        ),
    )
    assert added.status_code == 201, added.content

    # A status change with If-Match: the ETag from before the evidence is stale (412,
    # nothing written); the fresh one moves the claim.
    stale = call("claims", "get_claim")(claim.id, client=api).headers["ETag"]
    call("claims", "update_claim")(
        claim.id, client=api, body=m.ClaimPatch(summary="Announced on 10 December 2020.")
    )
    move = m.StatusChangeIn(
        status=m.StatusChangeInStatus.FULFILLED,
        rationale="Diplomatic liaison offices reopened.",
        evidence_ids=[added.parsed.id],
    )
    refused = call("status_changes", "create_status_change")(
        claim.id, client=api, body=move, if_match=stale
    )
    assert refused.status_code == 412 and refused.parsed.type_ == (
        "urn:claimtrack:problem:stale-etag"
    )
    fresh = call("claims", "get_claim")(claim.id, client=api).headers["ETag"]
    moved = call("status_changes", "create_status_change")(
        claim.id, client=api, body=move, if_match=fresh
    )
    assert moved.status_code == 201, moved.content
    assert moved.parsed.from_status == m.StatusChangeOutFromStatusType1.PENDING
    assert moved.parsed.to_status.value == "fulfilled"

    # The timeline: the creation, the evidence and the move, each of a known kind.
    timeline = call("status_changes", "get_claim_timeline")(claim.id, client=api).parsed
    assert [entry.kind.value for entry in timeline.entries] == [
        "status_change",
        "evidence",
        "status_change",
    ]

    # An import, checked first, then stored.
    csv = (
        "text,kind,claimant,claim_date,tags\r\n"
        "Rabat will host the signing ceremony.,promise,Morocco World News,2020-12-22,morocco\r\n"
    )
    file = types.File(payload=csv.encode(), file_name="claims.csv", mime_type="text/csv")
    # (openapi-python-client 0.29 types the NDJSON and CSV bodies alike, as File, and sends
    # the last media type the spec lists for them: text/csv.)
    dry = call("exchange", "import_claims")(client=api, body=file, dry_run=True)
    assert dry.status_code == 200, dry.content
    assert dry.parsed.created == 1 and dry.parsed.dry_run is True
    stored = call("exchange", "import_claims")(
        client=api, body=types.File(payload=csv.encode(), mime_type="text/csv")
    )
    assert stored.status_code == 200, stored.content
    assert stored.parsed.created == 1
    rabat = call("claims", "list_claims")(client=api, q="signing ceremony").parsed.items
    assert [claim.claimant for claim in rabat] == ["Morocco World News"]

    # NDJSON, as an export writes it: the client sends its one file type, `format` says which.
    ndjson = b'{"text": "Laayoune will open a consulate too.", "kind": "promise"}\n'
    imported = call("exchange", "import_claims")(
        client=api,
        body=types.File(payload=ndjson, mime_type="text/csv"),
        format_=m.ImportClaimsFormat.NDJSON,
    )
    assert imported.status_code == 200, imported.content
    assert imported.parsed.format_ == "ndjson" and imported.parsed.created == 1


def test_a_problem_is_read_as_one(generated, api):
    missing = _call(generated, "claims", "get_claim")(999_999, client=api)

    assert missing.status_code == 404
    assert missing.parsed.status == 404 and missing.parsed.type_.endswith("not-found")
