"""Every error the API answers, as one RFC 9457 application/problem+json shape."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, g, json, request
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from advisor.api.admission import RETRY_AFTER_S, Busy
from advisor.api.limits import retry_after
from advisor.domain import (
    FieldProblem,
    IdempotencyConflict,
    InvalidInput,
    ScenarioNotFound,
    SolverFailed,
    StorageError,
    UnknownCatalog,
)
from advisor.schemas import problems_from, with_catalog_problems

PROBLEM_JSON = "application/problem+json"
# The operations whose body holds a request with its budget and its Exchange and Windows
# versions (at the top level, or under the field named): their 422 says what the catalog thinks
# of the currency and the pair along with the schema's problems.
CATALOG_CHECKED_BODIES: dict[str, str | None] = {
    "/api/v1/recommendations": None,
    "/api/v1/analyses": None,
    "/api/v1/scenarios": "request",
    "/api/v1/quotes": "request",
}
DOCS = "/api/v1/docs"

# Problem types the API defines; their anchors are sections of the docs page.
INVALID_INPUT = f"{DOCS}#problem-invalid-input"
UNKNOWN_CATALOG = f"{DOCS}#problem-unknown-catalog"
SOLVER_FAILED = f"{DOCS}#problem-solver-failed"
NOT_READY = f"{DOCS}#problem-not-ready"
INTERNAL = f"{DOCS}#problem-internal"
SCENARIO_NOT_FOUND = f"{DOCS}#problem-scenario-not-found"
STORAGE_UNAVAILABLE = f"{DOCS}#problem-storage-unavailable"
LISTING_OFF = f"{DOCS}#problem-listing-off"
BUSY = f"{DOCS}#problem-busy"
UNAUTHORIZED = f"{DOCS}#problem-unauthorized"
IDEMPOTENCY_CONFLICT = f"{DOCS}#problem-idempotency-conflict"

PROBLEM_TYPES: dict[str, str] = {
    INVALID_INPUT: "The body breaks the request contract; `errors` names every field that is wrong, by its "
    "JSON path (`budget.amount`, `goals.0.services.1`, `(body)` for the body as a whole), with "
    "the messages for it. Schema rules and the advisor's own rules (a budget currency the catalog "
    "does not price in, an Exchange version that does not run on the Windows version, named on "
    "both fields, a design field a product rule forbids, a catalog the service does not have) "
    "come back the same way; the currency and the Exchange-Windows pair are named along with the "
    "schema's problems, not after they are fixed. Status 422.",
    UNKNOWN_CATALOG: "The catalog named in the URL does not exist; `detail` lists the catalogs there are. "
    "Status 404. (A catalog named inside a request body is a field of that body and comes back as "
    "an invalid-input problem naming `catalog`.)",
    SOLVER_FAILED: "The optimisation solver stopped without proving the best design, for example at its "
    "time limit. The request itself is valid; retrying later or with fewer alternatives may help. "
    "Status 503 with Retry-After.",
    NOT_READY: "The readiness check could not read the database of saved scenarios (on SQLite, the file "
    "opened at start), or could not price and solve a tiny request. Status 503 with Retry-After.",
    INTERNAL: "Something unexpected went wrong on the server; quote `request_id` when reporting it. "
    "Status 500.",
    SCENARIO_NOT_FOUND: "No saved scenario has the id in the URL: it was deleted, or the link is incomplete "
    "or mistyped. Status 404. (A scenario named inside a request body, as in a comparison, is a field of "
    "that body and comes back as an invalid-input problem naming it.)",
    STORAGE_UNAVAILABLE: "The database of saved scenarios cannot be reached or written just now; nothing was "
    "saved or changed. Retrying later may help. Status 503 with Retry-After.",
    LISTING_OFF: "This service does not list saved scenarios (its ADVISOR_SCENARIO_LISTING setting is off, "
    "as on shared deployments): a scenario's link is the only way to it. Status 403.",
    BUSY: "Every solver slot of the worker that took the request is busy and its line of waiting requests "
    "is full, so the request was refused at once rather than queued; nothing was done. Retry after the "
    "seconds in Retry-After (another instance behind the load balancer may answer at once). Status 503.",
    UNAUTHORIZED: "The service runs with accounts (ADVISOR_AUTH=tokens) and the request sent no "
    "`Authorization: Bearer TOKEN` header, or a token that is not an active account's (revoked, replaced by "
    "`advisor users token`, or mistyped). Status 401 with WWW-Authenticate.",
    IDEMPOTENCY_CONFLICT: "The `Idempotency-Key` of this save was used before (by the same account) with "
    "another body; nothing was saved. Send a new key for a new scenario. Status 422.",
    "about:blank": "A plain HTTP error (malformed JSON 400, unknown route 404, method not allowed 405, "
    "request not sent in time 408, body too large 413, URL too long 414, wrong content type 415, too "
    "many requests from this client 429 with Retry-After, header fields too large 431); `title` is the "
    "HTTP status phrase.",
}

log = logging.getLogger("advisor.api")


class ProblemSchema(Schema):
    """An RFC 9457 problem document."""

    type = fields.String(
        required=True,
        metadata={"description": "A URI reference naming the kind of problem; `about:blank` for plain HTTP."},
    )
    title = fields.String(required=True, metadata={"description": "A short summary of the kind of problem."})
    status = fields.Integer(required=True, metadata={"description": "The HTTP status code."})
    detail = fields.String(
        required=True, metadata={"description": "What went wrong with this request, in words."}
    )
    instance = fields.String(required=True, metadata={"description": "The path of the request."})
    request_id = fields.String(
        required=True, metadata={"description": "The X-Request-ID of the request, for support."}
    )
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "For invalid input: each field path and what is wrong with it."},
    )


def problem(
    status: int,
    detail: str,
    *,
    type_: str = "about:blank",
    title: str | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem+json response; `title` defaults to the status phrase."""
    body: dict[str, Any] = {
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.path,
        "request_id": g.get("request_id", ""),
    }
    if errors is not None:
        body["errors"] = errors
    response = current_app.response_class(
        json.dumps(body), status=status, mimetype=PROBLEM_JSON, headers=headers
    )
    return response


def grouped(problems: list[FieldProblem]) -> dict[str, list[str]]:
    """Problems as the `errors` member: field path -> messages, in the order found."""
    out: dict[str, list[str]] = {}
    for p in problems:
        out.setdefault(p.field, []).append(p.message)
    return out


def invalid_input(problems: list[FieldProblem]) -> Response:
    errors = grouped(problems)
    names = list(errors)
    fields_named = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
    return problem(
        422,
        f"The request has {len(problems)} problem(s): {fields_named}.",
        type_=INVALID_INPUT,
        title="Invalid input",
        errors=errors,
    )


def _wants_html() -> bool:
    """A browser on a page outside the API (it asks for HTML before JSON)."""
    if request.path.startswith("/api/") or request.path in ("/healthz", "/readyz"):
        return False
    best = request.accept_mimetypes.best_match(["application/json", "application/problem+json", "text/html"])
    return best == "text/html"


def with_catalog_checked(problems: list[FieldProblem]) -> list[FieldProblem]:
    """A body's schema problems and, on an operation whose body holds a request
    (`CATALOG_CHECKED_BODIES`), what its catalog says of the request's currency and its
    Exchange and Windows versions (`advisor.schemas.with_catalog_problems`)."""
    advisor = current_app.extensions.get("advisor")
    if advisor is None or request.method != "POST" or request.path not in CATALOG_CHECKED_BODIES:
        return problems
    return with_catalog_problems(
        problems,
        request.get_json(silent=True),
        advisor.catalog_problems,
        CATALOG_CHECKED_BODIES[request.path],
    )


def _http_error(error: HTTPException) -> Response | Any:
    retry_after(error)
    html = current_app.extensions.get("html_errors")
    if html is not None and _wants_html():
        # The web pages register an HTML error page; a browser gets that, not a problem document.
        return html(error)
    status = error.code or 500
    data = getattr(error, "data", None)
    if status == 422 and isinstance(data, dict) and "messages" in data:
        # webargs (flask-smorest @arguments) found schema errors; its messages are keyed by location.
        messages = data["messages"]
        body_messages = messages.get("json", messages) if isinstance(messages, dict) else messages
        return invalid_input(with_catalog_checked(problems_from(body_messages)))
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    return problem(status, _detail(error), headers=headers)


def _detail(error: HTTPException) -> str:
    if error.code == 404:
        return f"There is no resource at {request.path}; the API is described at {DOCS}."
    if error.code == 405:
        allowed = error.valid_methods if hasattr(error, "valid_methods") else None
        tail = f"; use {', '.join(sorted(allowed))}" if allowed else ""
        return f"{request.method} is not allowed on {request.path}{tail}."
    if error.code == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        return f"The body is larger than the limit of {limit} bytes."
    if error.code == 429:
        wait = getattr(error, "retry_after", None)
        return f"This client has made more than {error.description} requests; retry after {wait} s."
    return str(error.description or HTTPStatus(error.code or 500).phrase)


def _invalid_input(error: InvalidInput) -> Response:
    return invalid_input(error.problems)


def _unknown_catalog(error: UnknownCatalog) -> Response:
    known = ", ".join(error.known)
    if (request.view_args or {}).get("catalog_id") is not None:  # named in the URL: no such resource
        detail = f"There is no catalog {error.catalog_id!r}; the catalogs are: {known}."
        return problem(404, detail, type_=UNKNOWN_CATALOG, title="Unknown catalog")
    return invalid_input([FieldProblem("catalog", f"unknown catalog {error.catalog_id!r}; known: {known}")])


def _solver_failed(error: SolverFailed) -> Response:
    return problem(
        503,
        f"The solver could not finish: {error}.",
        type_=SOLVER_FAILED,
        title="Solver failed",
        headers={"Retry-After": "5"},
    )


def _busy(error: Busy) -> Response:
    return problem(
        503,
        f"The service is busy: {error}. Nothing was done; retry shortly.",
        type_=BUSY,
        title="Service busy",
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )


def _scenario_not_found(error: ScenarioNotFound) -> Response:
    shown = error.scenario_id if len(error.scenario_id) <= 64 else error.scenario_id[:64] + "…"
    return problem(
        404,
        f"There is no saved scenario {shown!r}: it was deleted, or the link is incomplete.",
        type_=SCENARIO_NOT_FOUND,
        title="Scenario not found",
    )


def _storage_unavailable(error: StorageError) -> Response:
    # The reason names the database and its driver's words: for the log, not for the caller.
    log.error("saved scenarios unavailable on %s %s: %s", request.method, request.path, error)
    return problem(
        503,
        "The database of saved scenarios cannot be reached just now; nothing was changed. Retry shortly.",
        type_=STORAGE_UNAVAILABLE,
        title="Storage unavailable",
        headers={"Retry-After": "5"},
    )


def _idempotency_conflict(error: IdempotencyConflict) -> Response:
    shown = error.key if len(error.key) <= 64 else error.key[:64] + "…"
    return problem(
        422,
        f"The Idempotency-Key {shown!r} was already used with another body; nothing was saved. "
        "Send a new key for a new scenario, or the first body again for its answer.",
        type_=IDEMPOTENCY_CONFLICT,
        title="Idempotency key reused",
        errors={"Idempotency-Key": ["was already used with another body"]},
    )


def _unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):  # pragma: no cover - Flask routes these to _http_error
        return _http_error(error)
    log.exception(
        "unhandled error on %s %s (request id %s)", request.method, request.path, g.get("request_id")
    )
    return problem(
        500,
        "Something went wrong on the server. It has been logged; quote the request id when reporting it.",
        type_=INTERNAL,
        title="Internal server error",
    )


def register_error_handlers(app: Flask) -> None:
    """Route every error to one problem shape; registered after flask-smorest's own handler."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InvalidInput, _invalid_input)
    app.register_error_handler(UnknownCatalog, _unknown_catalog)
    app.register_error_handler(SolverFailed, _solver_failed)
    app.register_error_handler(Busy, _busy)
    app.register_error_handler(ScenarioNotFound, _scenario_not_found)
    app.register_error_handler(StorageError, _storage_unavailable)
    app.register_error_handler(IdempotencyConflict, _idempotency_conflict)
    app.register_error_handler(Exception, _unexpected)
