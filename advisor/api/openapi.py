"""The flask-smorest Api with problem+json errors, and the finishing touches on its OpenAPI document."""

from __future__ import annotations

import copy
import http
from typing import Any

from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from advisor.api.descriptions import API_DESCRIPTION, REQUEST_FIELDS
from advisor.api.problems import PROBLEM_JSON, ProblemSchema, register_error_handlers
from advisor.fields import TEXT_RULE

REQUEST_ID = "X-Request-ID"
REQUEST_ID_TEXT = (
    "Correlates the request with its log line. Sent back as it came when it is printable ASCII of at "
    "most 128 characters; otherwise (or when absent) the service makes one up."
)

API_CONFIG: dict[str, Any] = {
    "API_TITLE": "Exchange HA design-cost advisor",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.1.0",
    # The document and the docs page are served by advisor.api.docs, which documents them too.
    "OPENAPI_URL_PREFIX": None,
    "API_SPEC_OPTIONS": {"info": {"description": API_DESCRIPTION}},
}


class AdvisorApi(Api):  # type: ignore[misc]
    """flask-smorest's Api whose errors, documented and answered, are RFC 9457 problems."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        register_error_handlers(self._app)

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Any other error, as a problem document", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def init_api(app: Flask) -> AdvisorApi:
    for key, value in API_CONFIG.items():
        app.config.setdefault(key, value)
    return AdvisorApi(app)


UNLIMITED_PATHS = ("/healthz", "/readyz")
TOO_MANY_REQUESTS = {
    "description": "This client made more requests than ADVISOR_RATE_LIMIT allows (a problem document).",
    "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    "headers": {
        "Retry-After": {
            "description": "Seconds until the client may make requests again.",
            "schema": {"type": "integer"},
            "required": True,
        }
    },
}


def _rate_limited(doc: dict[str, Any]) -> None:
    """Every operation but the health checks may answer 429 (advisor.api.limits)."""
    doc.setdefault("components", {}).setdefault("responses", {})["TOO_MANY_REQUESTS"] = copy.deepcopy(
        TOO_MANY_REQUESTS
    )
    for path, item in doc.get("paths", {}).items():
        if path in UNLIMITED_PATHS:
            continue
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                operation.setdefault("responses", {})["429"] = {
                    "$ref": "#/components/responses/TOO_MANY_REQUESTS"
                }


PUBLIC_PATHS = (
    "/healthz",
    "/readyz",
    "/api/v1/openapi.json",
    "/api/v1/docs",
    "/api/v1/shared/{share_token}",
    "/api/v1/shared/{share_token}/export",
)
BEARER = {
    "type": "http",
    "scheme": "bearer",
    "description": "When the service runs with accounts (ADVISOR_AUTH=tokens): the API token "
    "`advisor users add NAME` (or `advisor users token NAME`) printed, as `Authorization: Bearer TOKEN`. "
    "With ADVISOR_AUTH=off (one person on their own machine) no token is asked for.",
}
UNAUTHORIZED = {
    "description": "With ADVISOR_AUTH=tokens: no bearer token, or one that is not an active account's "
    "(a problem document).",
    "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    "headers": {
        "WWW-Authenticate": {
            "description": 'The scheme to authenticate with: `Bearer realm="advisor"`.',
            "schema": {"type": "string"},
            "required": True,
        }
    },
}


def _secured(doc: dict[str, Any], accounts: bool) -> None:
    """The bearer scheme; with accounts on, required by every operation but the public ones
    (advisor.api.auth). With them off the document says no token is asked for, as is true."""
    components = doc.setdefault("components", {})
    components.setdefault("securitySchemes", {})["bearer"] = copy.deepcopy(BEARER)
    if not accounts:
        return
    components.setdefault("responses", {})["UNAUTHORIZED"] = copy.deepcopy(UNAUTHORIZED)
    for path, item in doc.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            if path in PUBLIC_PATHS:
                operation["security"] = []
                continue
            operation["security"] = [{"bearer": []}]
            operation.setdefault("responses", {})["401"] = {"$ref": "#/components/responses/UNAUTHORIZED"}


SUMMARY_VIEWS = {"/api/v1/recommendations": "RecommendationsSummary"}
GZIP_TEXT = (
    "`gzip` when the request's Accept-Encoding allows gzip and the answer is JSON, a problem or "
    "text of at least 1 KiB; absent otherwise. Such answers carry `Vary: Accept-Encoding`."
)


def _summary_views(doc: dict[str, Any]) -> None:
    """An operation with a `view` parameter answers 200 with its full schema or its summary."""
    for path, summary in SUMMARY_VIEWS.items():
        operation = doc.get("paths", {}).get(path, {}).get("post")
        if operation is None:
            continue
        content = operation["responses"]["200"]["content"]["application/json"]
        full = content["schema"]
        content["schema"] = {"oneOf": [full, {"$ref": f"#/components/schemas/{summary}"}]}


def _compressed(doc: dict[str, Any]) -> None:
    """Every answer under /api/v1 may come gzip-compressed when the client accepts it."""
    header = {"description": GZIP_TEXT, "schema": {"type": "string", "enum": ["gzip"]}}
    for path, item in doc.get("paths", {}).items():
        if not path.startswith("/api/v1"):
            continue
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                for response in operation.get("responses", {}).values():
                    if "$ref" not in response:
                        response.setdefault("headers", {})["Content-Encoding"] = header


def finished(document: dict[str, Any], accounts: bool = False) -> dict[str, Any]:
    """The spec as served: request fields described, X-Request-ID documented on every operation,
    the summary view's schema beside the full one, gzip where a client accepts it, and
    (`accounts`: ADVISOR_AUTH=tokens) the bearer token required where the service asks for it."""
    doc = copy.deepcopy(document)
    _summary_views(doc)
    _compressed(doc)
    schemas = doc.get("components", {}).get("schemas", {})
    for component, described in REQUEST_FIELDS.items():
        properties = schemas.get(component, {}).get("properties", {})
        for field, text in described.items():
            if field in properties:
                # The field's own rule (Text fields refuse control characters) stays beside the words.
                rule = TEXT_RULE if TEXT_RULE in properties[field].get("description", "") else ""
                properties[field]["description"] = f"{text} {rule}".strip()
    _rate_limited(doc)
    _secured(doc, accounts)
    header = {"description": REQUEST_ID_TEXT, "schema": {"type": "string"}, "required": True}
    for response in doc.get("components", {}).get("responses", {}).values():
        response.setdefault("headers", {})[REQUEST_ID] = header
    for item in doc.get("paths", {}).values():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            operation.setdefault("parameters", []).append(
                {
                    "name": REQUEST_ID,
                    "in": "header",
                    "required": False,
                    "description": REQUEST_ID_TEXT,
                    "schema": {"type": "string"},
                }
            )
            for response in operation.get("responses", {}).values():
                if "$ref" not in response:
                    response.setdefault("headers", {})[REQUEST_ID] = header
    return doc
