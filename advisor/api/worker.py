"""The gunicorn worker `advisor serve` runs: threads for connections, a deadline on reading each request,
and gunicorn's own refusals as problem+json documents.

It is gunicorn's threaded worker (`gthread`): the main thread waits on idle and kept-alive
connections and a pool of threads reads and answers requests, so a client that sends slowly
holds one connection thread, never the process. Each request's head and body must arrive
within `ADVISOR_READ_TIMEOUT` seconds in all (a client trickling a byte a second gets a 408
and the connection closes), and the body is read whole before the application is called: the
application, and the solver slot it may take (advisor.api.admission), never wait on a socket.

gunicorn answers a request it cannot parse (a request line over its limit, a header too large,
bytes that are not HTTP) before the application sees it, with an HTML page of its own; this
worker answers those in the API's one error shape instead.
"""

from __future__ import annotations

import errno
import io
import json
import socket
import time
import uuid
from http import HTTPStatus
from typing import Any

from gunicorn.http import errors
from gunicorn.workers.gthread import TConn, ThreadWorker

from advisor.api.middleware import REQUEST_ID_HEADER
from advisor.api.problems import PROBLEM_JSON


class RequestTimedOut(Exception):
    """The client did not send the request's head and body within the read timeout."""

    def __init__(self, seconds: float):
        super().__init__(f"the request did not arrive within {seconds:g} s")
        self.seconds = seconds


class ClientSocket(socket.socket):
    """A client connection whose reads for one request share one deadline.

    `begin(seconds)` starts a request: its first read starts the clock, and every read after it
    waits at most for what is left. `done()` ends the reading; the answer is then written with
    the same number of seconds as its own timeout.
    """

    budget: float | None = None
    _deadline: float | None = None

    @classmethod
    def taking(cls, accepted: socket.socket) -> ClientSocket:
        return cls(accepted.family, accepted.type, accepted.proto, fileno=accepted.detach())

    def begin(self, seconds: float) -> None:
        self.budget, self._deadline = seconds, None

    def done(self) -> None:
        if self.budget is not None:
            self.settimeout(self.budget)
        self.budget = self._deadline = None

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        if self.budget is None:
            return super().recv(bufsize, flags)
        now = time.monotonic()
        if self._deadline is None:
            self._deadline = now + self.budget
        left = self._deadline - now
        if left <= 0:
            raise RequestTimedOut(self.budget)
        self.settimeout(left)
        try:
            return super().recv(bufsize, flags)
        except TimeoutError:
            raise RequestTimedOut(self.budget) from None


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
    if isinstance(exc, RequestTimedOut):
        return 408, (
            f"The request's head and body did not arrive within {exc.seconds:g} s; "
            "send it at once, or through a proxy that buffers request bodies."
        )
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
        if isinstance(client, ClientSocket):
            client.done()  # the answer gets its own timeout, not what was left of the read's
        try:
            client.sendall(problem_response(status, detail, getattr(req, "path", "") or ""))
        except OSError:
            self.log.debug("Failed to send the error answer.")


class AdvisorWorker(ProblemErrors, ThreadWorker):  # type: ignore[misc]
    """gunicorn's threaded worker with a read deadline per request and the advisor's error answers."""

    read_timeout = 10.0
    body_limit = 1024 * 1024

    def init_process(self) -> None:
        config = getattr(self.app.wsgi(), "config", {})
        self.read_timeout = float(config.get("ADVISOR_READ_TIMEOUT", self.read_timeout))
        self.body_limit = int(config.get("MAX_CONTENT_LENGTH") or self.body_limit)
        super().init_process()

    def accept(self, listener: Any) -> None:
        """gunicorn's accept, with the connection taken as a ClientSocket."""
        try:
            accepted, client = listener.accept()
        except OSError as err:
            if err.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        sock = ClientSocket.taking(accepted)
        sock.setblocking(True)
        self.enqueue_req(TConn(self.cfg, sock, client, listener.getsockname()))

    def handle(self, conn: Any) -> Any:
        if isinstance(conn.sock, ClientSocket):
            conn.sock.begin(self.read_timeout)
        return super().handle(conn)

    def handle_request(self, req: Any, conn: Any) -> bool:
        """Read the whole body (within the deadline) before the application runs."""
        whole = self._read_body(req, conn.sock)
        if isinstance(conn.sock, ClientSocket):
            conn.sock.done()
        keepalive: bool = super().handle_request(req, conn)
        return keepalive and whole

    def _read_body(self, req: Any, sock: socket.socket) -> bool:
        """Replace the request's body by its bytes; False when it was not read to its end (a
        body over the limit, which the application refuses from its length or its first bytes)."""
        declared = next((v for k, v in req.headers if k == "CONTENT-LENGTH"), None)
        if declared is not None and int(declared) > self.body_limit:
            return False
        if getattr(req, "_expected_100_continue", False):
            sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            req._expected_100_continue = False
        data = req.body.read(self.body_limit + 1)
        req.body = io.BytesIO(data)
        return len(data) <= self.body_limit
