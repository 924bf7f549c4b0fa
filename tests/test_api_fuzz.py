"""schemathesis drives every operation of the live spec with generated input.

Every default check runs: no 500s, responses that match the spec (status codes, content
types, schemas, headers), and invalid input refused.
"""

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from service.app import create_app

# The spec does not depend on the database; requests go to the suite's app (see below).
# (schemathesis.pytest.from_fixture would do both, but it breaks on pytest 9.)
schema = schemathesis.openapi.from_wsgi("/openapi.json", create_app({"database_url": "sqlite://"}))


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case, app):
    excluded = []
    if "cursor" in (case.query or {}):
        # Only the server can mint a cursor (it is signed), so a generated one is rightly a
        # 400, never "valid data"; forged cursors have their own tests in test_errors.py.
        excluded.append(positive_data_acceptance)
    case.call_and_validate(app=app, excluded_checks=excluded)
