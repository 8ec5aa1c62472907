"""The gunicorn worker `advisor serve` runs: what gunicorn itself refuses is a problem+json document too.

gunicorn answers a request it cannot parse (a request line over its limit, a header too large,
bytes that are not HTTP) before the application sees it, with an HTML page of its own. The
worker answers those with the API's one error shape instead.
"""

from __future__ import annotations

import json
import uuid
from http import HTTPStatus
from typing import Any

from gunicorn.http import errors
from gunicorn.workers.sync import SyncWorker

from advisor.api.middleware import REQUEST_ID_HEADER
from advisor.api.problems import PROBLEM_JSON

# gunicorn's refusals: the status and the words a client is told (its own words may hold bytes
# of the request, which are not echoed).
_REFUSALS: tuple[tuple[type[BaseException], int, str], ...] = (
    (errors.LimitRequestLine, 414, "The request line (method, path and query) is longer than 4094 bytes."),
    (errors.LimitRequestHeaders, 431, "The request's header fields are too many or too large."),
    (errors.InvalidRequestMethod, 400, "The request method is not a valid HTTP method."),
    (errors.InvalidHTTPVersion, 400, "The request's HTTP version is not one this service speaks."),
    (errors.InvalidRequestLine, 400, "The request line is not valid HTTP."),
    (errors.InvalidHeaderName, 400, "A header field name is not valid HTTP."),
    (errors.InvalidHeader, 400, "A header field is not valid HTTP."),
    (errors.UnsupportedTransferCoding, 501, "The request's transfer coding is not supported."),
    (errors.InvalidChunkSize, 400, "The chunked body is not valid HTTP."),
    (errors.ChunkMissingTerminator, 400, "The chunked body is not valid HTTP."),
    (errors.InvalidChunkExtension, 400, "The chunked body is not valid HTTP."),
    (errors.ObsoleteFolding, 400, "A header field is folded over lines, which HTTP no longer allows."),
    (errors.ExpectationFailed, 417, "The request's Expect header asks for something this service cannot do."),
)


def refusal(exc: BaseException) -> tuple[int, str] | None:
    """The status and words for a request gunicorn refuses; None for anything else."""
    for kind, status, detail in _REFUSALS:
        if isinstance(exc, kind):
            return status, detail
    return None


def problem_response(status: int, detail: str, path: str = "") -> bytes:
    """A whole HTTP/1.1 response holding a problem document; the connection closes after it."""
    request_id = uuid.uuid4().hex
    body = json.dumps(
        {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
            "instance": path,
            "request_id": request_id,
        }
    ).encode()
    head = (
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
        f"Content-Type: {PROBLEM_JSON}\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"{REQUEST_ID_HEADER}: {request_id}\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body


class ProblemErrors:
    """Worker mixin: gunicorn's own refusals as problem documents; everything else as gunicorn does."""

    log: Any

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        found = refusal(exc)
        if found is None:
            super().handle_error(req, client, addr, exc)  # type: ignore[misc]
            return
        status, detail = found
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            client.sendall(problem_response(status, detail, getattr(req, "path", "") or ""))
        except OSError:
            self.log.debug("Failed to send the error answer.")


class AdvisorWorker(ProblemErrors, SyncWorker):  # type: ignore[misc]
    """gunicorn's sync worker with the advisor's error answers."""
