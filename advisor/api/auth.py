"""Accounts on the API (ADVISOR_AUTH=tokens): a bearer token on every /api/v1 operation but the
health checks, the OpenAPI document and the docs page, and the account it names in g.account.

With ADVISOR_AUTH=off (a loopback service for one person) nothing is asked and g.account stays
None: every scenario is everyone's, as before accounts.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request

from advisor.accounts import Accounts
from advisor.api.problems import UNAUTHORIZED, problem
from advisor.domain import Account

AUTH_OFF, AUTH_TOKENS = "off", "tokens"
# Operations anyone may call whatever ADVISOR_AUTH says: load balancers' checks, the API's own
# description, its stylesheet, and the read-only share links (their token is the credential).
PUBLIC_ENDPOINTS = frozenset(
    {
        "health.Health",
        "health.Ready",
        "documentation.OpenApiDocument",
        "documentation.DocsPage",
        "documentation.static",
        "scenarios.Shared",
        "scenarios.SharedExport",
    }
)
REALM = 'Bearer realm="advisor"'


def auth_mode(app: Flask | None = None) -> str:
    """`tokens` or `off` (unset means off: `advisor serve` refuses non-loopback addresses then)."""
    mode: str | None = (app or current_app).config.get("ADVISOR_AUTH")
    return mode or AUTH_OFF


def accounts() -> Accounts:
    found: Accounts = current_app.extensions["accounts"]
    return found


def owner() -> int | None:
    """Whose scenarios this request may see: the signed-in account's, or everyone's (None) with
    accounts off."""
    account: Account | None = g.get("account")
    return account.id if account is not None else None


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _unauthorized(detail: str, error: str | None = None) -> Response:
    challenge = REALM + (f', error="{error}"' if error else "")
    return problem(
        401, detail, type_=UNAUTHORIZED, title="Sign-in required", headers={"WWW-Authenticate": challenge}
    )


def _authenticate() -> Response | None:
    g.account = None
    if auth_mode() != AUTH_TOKENS or not request.path.startswith("/api/v1"):
        return None
    if request.endpoint in PUBLIC_ENDPOINTS or request.routing_exception is not None:
        return None  # public, or no such route or method (a 404 or 405, as the OpenAPI document says)
    token = _bearer()
    if token is None:
        return _unauthorized(
            "This service has accounts: send `Authorization: Bearer TOKEN` with the token "
            "`advisor users add NAME` printed."
        )
    account = accounts().by_token(token)
    if account is None:
        return _unauthorized(
            "The bearer token is not one of an active account (revoked, replaced or mistyped).",
            "invalid_token",
        )
    g.account = account
    return None


def init_auth(app: Flask) -> None:
    """Check the bearer token before every other check of a request (the rate limit counts
    per account)."""
    app.before_request(_authenticate)
