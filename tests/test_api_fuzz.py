"""Schemathesis over the OpenAPI document (/api/v1/openapi.json), in process through the WSGI
application (no server needed, so it runs in CI): every operation, examples generated from the
schema, never a 5xx; and the schema's enums and bounds are exact enough that the fuzzer's
reports are accepted (201), so it reaches the wage engine and the stored-wage columns."""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup

from visiblework.wsgi import application

EXAMPLES = 40  # per operation: the whole file stays well under a minute
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


@pytest.fixture
def api_schema(settings):
    """The schema, loaded from the application itself; no rate limits, so every example
    reaches the code behind them."""
    settings.VISIBLEWORK_RATE_LIMITS = False
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def _fuzz(operation, statuses: Counter) -> str:
    """Call `operation` with EXAMPLES generated cases; count the answers by status. What
    failed, as schemathesis tells it (with a curl command to reproduce), or ""."""

    @FUZZ
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call()
        statuses[(operation.label, response.status_code)] += 1
        case.validate_response(response, checks=[not_a_server_error])

    try:
        run()
    except (FailureGroup, Exception) as failure:  # every operation is tried, then all reported
        return f"{operation.label}: {failure}"
    return ""


@pytest.mark.django_db(transaction=True)
def test_no_generated_request_gets_a_server_error_and_generated_reports_are_accepted(
        catalogue, api_schema):
    statuses: Counter[tuple[str, int]] = Counter()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert any(op.method.upper() == "POST" and op.path == "/api/v1/reports" for op in operations)
    failures = [failure for operation in operations if (failure := _fuzz(operation, statuses))]
    assert not failures, "\n\n".join(failures)
    assert statuses[("POST /api/v1/reports", 201)] >= 5, statuses
