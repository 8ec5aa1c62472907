"""Schemathesis over the app's own OpenAPI document, in process (WSGI): no 5xx, responses as documented."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from advisor.app import create_app

MIN_REQUESTS = 500
EXAMPLES_PER_OPERATION = 60
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
]

sent: Counter[tuple[str, int]] = Counter()  # (operation, status) -> requests


def _schema() -> Any:
    """The schema, loaded when the module is collected: schemathesis.pytest.from_fixture (the lazy
    loader) breaks on pytest 9 (it sets Function._nodeid, which pytest 9 no longer has)."""
    app = create_app({"TESTING": True, "ADVISOR_CATALOG": None})
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=EXAMPLES_PER_OPERATION,
        deterministic=True,
    )
    loaded.config.checks.update(included_check_names=CHECKS)
    return loaded


schema = _schema()


@pytest.mark.slow
@schema.parametrize()
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_generated_request_gets_a_5xx_or_an_undocumented_response(case: Any) -> None:
    response = case.call_and_validate()
    sent[(f"{case.method} {case.path}", response.status_code)] += 1


@pytest.mark.slow
def test_the_property_run_sent_enough_requests_to_every_operation() -> None:
    """Runs after the property test (pytest keeps file order). Schemathesis leaves out the
    OpenAPI document's own path; test_openapi.py covers it."""
    per_operation: Counter[str] = Counter()
    for (operation, _status), count in sent.items():
        per_operation[operation] += count
    documented = {
        f"{m.upper()} {p}"
        for p, item in schema.raw_schema["paths"].items()
        for m in item
        if m != "parameters"
    }
    print("\nrequests by (operation, status):", dict(sorted(sent.items())))

    assert sum(sent.values()) >= MIN_REQUESTS
    assert documented - {"GET /api/v1/openapi.json"} <= {op for op, n in per_operation.items() if n >= 20}
    assert sent[("POST /api/v1/recommendations", 200)] >= 20
    assert sent[("POST /api/v1/analyses", 200)] >= 20
