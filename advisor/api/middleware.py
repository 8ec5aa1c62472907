"""Per-request plumbing: the X-Request-ID on every response and one JSON access-log line per request."""

from __future__ import annotations

import json
import logging
import time
import uuid

from flask import Flask, Response, g, request

REQUEST_ID_HEADER = "X-Request-ID"
MAX_REQUEST_ID = 128

access_log = logging.getLogger("advisor.access")


def acceptable_request_id(value: str) -> bool:
    """Printable ASCII, 1 to 128 characters: safe to echo in a header and a log line."""
    return 0 < len(value) <= MAX_REQUEST_ID and value.isascii() and value.isprintable()


def _start() -> None:
    g.started = time.perf_counter()
    g.arrived = time.monotonic()  # the request's time limit counts from here (advisor.api.admission)
    sent = request.headers.get(REQUEST_ID_HEADER)
    g.request_id = sent if sent is not None and acceptable_request_id(sent) else uuid.uuid4().hex


def _finish(response: Response) -> Response:
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers[REQUEST_ID_HEADER] = request_id
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    started = g.get("started")
    duration = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    if access_log.isEnabledFor(logging.INFO):
        access_log.info(
            json.dumps(
                {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(duration, 3),
                    "request_id": request_id,
                }
            )
        )
    return response


def register_middleware(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
