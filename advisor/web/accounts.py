"""Accounts on the web pages (ADVISOR_AUTH=tokens): sign-in, sign-out, the session cookie, and
the guard that sends a visitor who is not signed in to the sign-in page.

The session is Flask's signed cookie: the account's id and its epoch (raised by every new token,
password or revocation, which so sign its sessions out). It is HttpOnly, SameSite=Lax, and
Secure whenever the request came over HTTPS (as ProxyFix reports it behind a proxy), by the
app's one session interface (`advisor.api.middleware.ApiSessionInterface`).
"""

from __future__ import annotations

from flask import Flask, current_app, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from advisor.api.auth import AUTH_TOKENS, accounts, auth_mode
from advisor.domain import Account
from advisor.web.views import bp

# Pages anyone may open with accounts on: signing in, the stylesheet, and share links.
PUBLIC_ENDPOINTS = frozenset(
    {
        "web.sign_in",
        "web.sign_in_form",
        "web.static",
        "web.favicon",
        "web.shared",
        "web.shared_diagram",
        "web.shared_export",
    }
)


@bp.app_template_global()
def signed_in_account() -> Account | None:
    account: Account | None = g.get("account")
    return account


def safe_next(target: str | None) -> str:
    """A path on this site to go back to; anything else (another site, a scheme, white space or a
    control character a browser or the server would drop, turning `/\t/evil` into `//evil`) is
    the form."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or "\\" in target
        or any(c.isspace() or not c.isprintable() for c in target)
    ):
        return url_for("web.form")
    return target


def _session_account() -> None:
    """The account the session cookie names, in g.account, for every page outside the API (which
    takes bearer tokens only): before the rate limit, so that it counts per account."""
    if auth_mode() != AUTH_TOKENS or request.path.startswith("/api/"):
        return
    account_id, epoch = session.get("account"), session.get("epoch")
    if isinstance(account_id, int) and isinstance(epoch, int):
        g.account = accounts().current(account_id, epoch)
        if g.account is None:  # revoked, or a new token or password since: signed out
            session.pop("account", None)
            session.pop("epoch", None)


@bp.before_request
def _signed_in() -> ResponseReturnValue | None:
    if auth_mode() != AUTH_TOKENS:
        return None
    if g.get("account") is None and request.endpoint not in PUBLIC_ENDPOINTS:
        wanted = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("web.sign_in_form", next=wanted), code=303)
    return None


def sign_in_page(
    next_url: str, status: int, account: str = "", error: str = "", notice: str = ""
) -> ResponseReturnValue:
    html = render_template("web/sign_in.html", next_url=next_url, account=account, error=error, notice=notice)
    response = current_app.make_response((html, status))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/signin")
def sign_in_form() -> ResponseReturnValue:
    next_url = safe_next(request.args.get("next"))
    if auth_mode() != AUTH_TOKENS:
        return redirect(next_url, code=303)
    notice = "Sign in to go on." if request.args.get("next") else ""
    return sign_in_page(next_url, 200, notice=notice)


@bp.post("/signin")
def sign_in() -> ResponseReturnValue:
    next_url = safe_next(request.form.get("next"))
    if auth_mode() != AUTH_TOKENS:
        return redirect(next_url, code=303)
    name = request.form.get("account", "").strip()
    account = accounts().sign_in(name, request.form.get("secret", ""))
    if account is None:
        return sign_in_page(
            next_url,
            401,
            account=name[:64],
            error="That account name and token or password do not match an active account.",
        )
    session.clear()  # a fresh session (and CSRF token) for the signed-in account
    session["account"], session["epoch"] = account.id, account.epoch
    return redirect(next_url, code=303)


@bp.post("/signout")
def sign_out() -> ResponseReturnValue:
    account = g.get("account")
    if account is not None:  # a copy of the cookie kept elsewhere must not stay signed in
        accounts().sign_out(account.id)
    session.clear()
    if auth_mode() != AUTH_TOKENS:
        return redirect(url_for("web.form"), code=303)
    return redirect(url_for("web.sign_in_form"), code=303)


def init_accounts(app: Flask) -> None:
    """The session cookie: HttpOnly and SameSite=Lax (Flask's own default is no SameSite at all, so
    a `setdefault` would keep that); the app's session interface (advisor.api.middleware) makes it
    Secure on HTTPS and opens none on the API."""
    if app.config.get("SESSION_COOKIE_SAMESITE") is None:
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.before_request(_session_account)
