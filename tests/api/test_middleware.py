"""X-Request-ID on every response and one JSON access-log line per request."""

from __future__ import annotations

import json
import logging

import pytest
from flask.testing import FlaskClient

from tests.conftest import make_request


def test_a_request_id_the_client_sends_is_echoed(client: FlaskClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "proposal-7 / step 3"})

    assert response.headers["X-Request-ID"] == "proposal-7 / step 3"


@pytest.mark.parametrize("sent", ["x" * 129, "caf\u00e9", "tab\there", ""])
def test_a_request_id_that_is_too_long_or_not_printable_ascii_is_replaced(
    client: FlaskClient, sent: str
) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": sent})

    given = response.headers["X-Request-ID"]
    assert given != sent
    assert len(given) == 32 and given.isalnum()


def test_every_response_gets_a_fresh_request_id_when_none_is_sent(client: FlaskClient) -> None:
    first = client.get("/api/v1/nothing").headers["X-Request-ID"]
    second = client.post("/api/v1/recommendations", data="{").headers["X-Request-ID"]

    assert first and second and first != second


def test_each_request_logs_one_json_line(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="advisor.access")

    client.post("/api/v1/recommendations", json=make_request(), headers={"X-Request-ID": "abc-123"})

    (record,) = [r for r in caplog.records if r.name == "advisor.access"]
    line = json.loads(record.getMessage())
    assert set(line) == {"method", "path", "status", "duration_ms", "request_id"}
    assert line["method"] == "POST"
    assert line["path"] == "/api/v1/recommendations"
    assert line["status"] == 200
    assert line["request_id"] == "abc-123"
    assert line["duration_ms"] > 0


def test_errors_are_logged_with_their_status(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="advisor.access")

    client.get("/api/v1/nothing")

    (record,) = [r for r in caplog.records if r.name == "advisor.access"]
    assert json.loads(record.getMessage())["status"] == 404
