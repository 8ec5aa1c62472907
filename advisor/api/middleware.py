"""Per-request plumbing: the X-Request-ID on every response, one JSON access-log line per
request, no cookie session for the API, and gzip for large API answers a client accepts."""

from __future__ import annotations

import gzip
import json
import logging
import re
import time
import uuid
from typing import Any

from flask import Flask, Response, g, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

REQUEST_ID_HEADER = "X-Request-ID"
MAX_REQUEST_ID = 128

access_log = logging.getLogger("advisor.access")


# A share link's token is a credential: the log shows where a request went, never the token.
_SHARED = re.compile(r"^(/api/v1/shared/|/shared/)[^/]+")


def logged_path(path: str) -> str:
    """The request path for the log, with a share token replaced by `<token>`."""
    return _SHARED.sub(r"\1<token>", path)


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
                    "path": logged_path(request.path),
                    "status": response.status_code,
                    "duration_ms": round(duration, 3),
                    "request_id": request_id,
                }
            )
        )
    return response


# Paths whose requests never use the cookie session (the web form's CSRF token lives in it).
SESSIONLESS = ("/api/", "/healthz", "/readyz")
# Answers smaller than this are sent as they are: gzip would save too little to pay for itself.
GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 5  # about the size of level 9 at a fraction of its CPU for JSON answers
COMPRESSIBLE = ("application/json", "application/problem+json", "text/")


class ApiSessionInterface(SecureCookieSessionInterface):
    """The app's one session interface: Flask's signed cookie, Secure on HTTPS requests (as ProxyFix
    reports them behind a proxy; SESSION_COOKIE_SECURE forces it), except on the API and health
    paths: there a request opens none (no cookie is read, signed or sent), as the API keeps no
    state between requests. The web pages' sign-in (advisor.web.accounts) keeps its account here."""

    def open_session(self, app: Flask, request: Any) -> SecureCookieSession | None:
        if request.path.startswith(SESSIONLESS):
            return self.null_session_class()
        return super().open_session(app, request)

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def _gzip(response: Response) -> Response:
    """A large API answer gzip-compressed when the client accepts gzip, with Vary: Accept-Encoding
    on every answer whose encoding depends on it."""
    if not request.path.startswith("/api/") or response.direct_passthrough or response.is_streamed:
        return response
    if "Content-Encoding" in response.headers or not (response.mimetype or "").startswith(COMPRESSIBLE):
        return response
    length = response.content_length
    if length is None or length < GZIP_MIN_BYTES:
        return response
    response.vary.add("Accept-Encoding")
    if request.accept_encodings["gzip"] <= 0:
        return response
    response.set_data(gzip.compress(response.get_data(), compresslevel=GZIP_LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    return response


def register_middleware(app: Flask) -> None:
    app.session_interface = ApiSessionInterface()
    app.before_request(_start)
    app.after_request(_finish)
    app.after_request(_gzip)
