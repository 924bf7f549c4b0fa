"""schemathesis drives every operation of the live spec with generated input, as an admin.

Every default check runs: no 500s, responses that match the spec (status codes, content
types, schemas, headers), and invalid input refused.
"""

import schemathesis
from conftest import key_for
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from service.app import create_app


@schemathesis.serializer("application/x-ndjson")
def _ndjson(_context, value) -> bytes:
    """Import files are text in the spec (a string body); sent as UTF-8, as files are."""
    return value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")


# The spec does not depend on the database; requests go to the suite's app (see below).
# (schemathesis.pytest.from_fixture would do both, but it breaks on pytest 9.)
# Its own configuration, not schemathesis.toml's (that one is for `st run` against a live
# server, tests/test_live_contract.py): here each narrowing is per case, below, and stricter.
schema = schemathesis.openapi.from_wsgi(
    "/openapi.json", create_app({"database_url": "sqlite://"}), config=SchemathesisConfig()
)
# A body over the size limit is refused before it is read: 413 is a rejection too.
rejection = schema.config.checks.negative_data_rejection
rejection.expected_statuses = [*rejection.expected_statuses, "413"]


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case, app):
    excluded = []
    if "cursor" in (case.query or {}):
        # Only the server can mint a cursor (it is signed), so a generated one is rightly a
        # 400, never "valid data"; forged cursors have their own tests in test_errors.py.
        excluded.append(positive_data_acceptance)
    query = case.query or {}
    if query.get("sort") == "relevance" and "q" not in query:
        # Relevance ranks a search's results: without q it is a 422 naming sort, a rule
        # between two parameters that JSON Schema cannot state (tested in tests/claims).
        excluded.append(positive_data_acceptance)
    if (case.body or {}).get("expires_at") if isinstance(case.body, dict) else False:
        # "In the future" depends on the clock, which JSON Schema cannot state; past expiry
        # dates have their own test in tests/auth.
        excluded.append(positive_data_acceptance)
    if case.path.startswith("/api/v1/import/"):
        # A file is valid record by record, by rules (a timeline that holds, a ClaimReview
        # with a rating) that JSON Schema does not state; tests/exchange checks them. In
        # partial mode, bad records are reported in a 200 by design.
        excluded.append(positive_data_acceptance)
        if query.get("mode") == "partial" or case.path.endswith("/claimreview"):
            # ClaimReview is JSON-LD: a property may be a list or a string where the spec
            # shows the object the export writes; the reader repairs or warns instead.
            excluded.append(negative_data_rejection)
    values = [
        v for value in query.values() for v in (value if isinstance(value, list) else [value])
    ]
    if any(value is None or isinstance(value, bool) for value in values):
        # A query string carries text only: `status=false`, generated as a boolean "of the
        # wrong type", arrives as the valid status "false", and a None as an empty value,
        # which `review_due_before` takes as today: both are rightly accepted. Whatever phase
        # made the case (its meta does not always say the query is the negative part).
        excluded.append(negative_data_rejection)
    # As an admin, unless the case's headers are the invalid part (say, no Authorization):
    # then they go as generated, and the refusal (401) is what the check expects.
    negative_headers = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
    admin = {} if negative_headers else {"Authorization": f"Bearer {key_for(app, 'admin')}"}
    case.call_and_validate(app=app, headers=admin, excluded_checks=excluded)
