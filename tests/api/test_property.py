"""Schemathesis over the app's own OpenAPI document, in process (WSGI): no 5xx, responses as documented."""

from __future__ import annotations

import gzip
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from advisor.app import create_app

EXAMPLES_PER_OPERATION = 60
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
]

MIN_PER_OPERATION = 40  # every documented operation; 13 of them, so at least 520 requests in all
SUCCESSES_REQUIRED = {"POST /api/v1/recommendations": 200, "POST /api/v1/analyses": 200}
MIN_SUCCESSES = 20


def _decoding(app: Any) -> Any:
    """The app as an HTTP client sees it: a gzip-encoded answer (schemathesis sends Accept-Encoding:
    gzip) decoded, as requests does over a socket; schemathesis's WSGI transport does not decode."""

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        captured: list[Any] = []
        chunks = app(environ, lambda status, headers, exc_info=None: captured.extend([status, headers]))
        body = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        status, headers = captured
        if any(k.lower() == "content-encoding" and v == "gzip" for k, v in headers):
            body = gzip.decompress(body)
            headers = [(k, v) for k, v in headers if k.lower() not in ("content-encoding", "content-length")]
            headers.append(("Content-Length", str(len(body))))
        start_response(status, headers)
        return [body]

    return wsgi


def _schema() -> Any:
    """The schema, loaded when the module is collected: schemathesis.pytest.from_fixture (the lazy
    loader) breaks on pytest 9 (it sets Function._nodeid, which pytest 9 no longer has)."""
    app = create_app({"TESTING": True, "ADVISOR_CATALOG": None})
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _decoding(app))
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=EXAMPLES_PER_OPERATION,
        deterministic=True,
    )
    loaded.config.checks.update(included_check_names=CHECKS)
    return loaded


schema = _schema()


@dataclass
class Tally:
    """The answers one operation's property run got, by status; checked when the run ends."""

    operation: str = ""
    statuses: Counter[int] = field(default_factory=Counter)


@pytest.fixture
def tally() -> Iterator[Tally]:
    """Each operation's run holds itself to enough requests when it ends, whatever else runs."""
    counted = Tally()
    yield counted
    print(f"\n{counted.operation}: {dict(sorted(counted.statuses.items()))}")
    assert counted.operation, "the property run sent no request"
    assert sum(counted.statuses.values()) >= MIN_PER_OPERATION, counted
    success = SUCCESSES_REQUIRED.get(counted.operation)
    if success is not None:
        assert counted.statuses[success] >= MIN_SUCCESSES, counted


@pytest.mark.slow
@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,  # `tally` is meant to span the operation's whole run
    ],
)
def test_no_generated_request_gets_a_5xx_or_an_undocumented_response(case: Any, tally: Tally) -> None:
    response = case.call_and_validate()
    tally.operation = f"{case.method} {case.path}"
    tally.statuses[response.status_code] += 1


def test_the_property_run_covers_every_documented_operation() -> None:
    """Schemathesis leaves out the OpenAPI document's own path; test_openapi.py covers it."""
    documented = {
        f"{m.upper()} {p}"
        for p, item in schema.raw_schema["paths"].items()
        for m in item
        if m != "parameters"
    }
    generated = {f"{op.ok().method.upper()} {op.ok().path}" for op in schema.get_all_operations()}
    assert documented - {"GET /api/v1/openapi.json"} <= generated
    assert len(generated) * MIN_PER_OPERATION >= 500
    assert set(SUCCESSES_REQUIRED) <= generated
