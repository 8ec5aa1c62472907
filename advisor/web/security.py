"""CSRF protection for the web form and security headers on every response of the app."""

from __future__ import annotations

import logging
import secrets

from flask import Flask, Response
from flask_wtf.csrf import CSRFProtect  # type: ignore[import-untyped]

# No script at all, styles only from our own files, forms only to ourselves, never framed.
HTML_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
# A standalone SVG (the diagram download) needs nothing at all: it is drawn with attributes.
SVG_POLICY = "default-src 'none'; frame-ancestors 'none'"
COMMON_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    # Result URLs carry the request (customer, budget): never hand them to another site.
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
PAGE_HEADERS: dict[str, str] = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

csrf = CSRFProtect()
log = logging.getLogger("advisor.web")


def init_csrf(app: Flask) -> None:
    """Flask-WTF's CSRF protection, checked only on the web blueprint's posts (the JSON API
    takes no cookies, so it needs none), with a secret key the workers share."""
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    # A consultant may keep the form open through a long meeting; an expired token re-shows the
    # form with everything typed, so a long limit costs little.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 12 * 3600)
    # Over HTTPS Flask-WTF also wants a Referer from this site, but every page asks browsers to
    # send none (Referrer-Policy: no-referrer), so each post behind a TLS proxy would fail; the
    # token and the SameSite=Lax cookie are the protection.
    app.config.setdefault("WTF_CSRF_SSL_STRICT", False)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    if not app.config.get("SECRET_KEY"):
        # gunicorn preloads the app, so its workers share this key; it changes on restart (forms
        # open then are re-shown once) and is not shared between hosts: set SECRET_KEY for that.
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        log.info("SECRET_KEY not set: using a random key for this process's CSRF tokens")
    csrf.init_app(app)


def _security_headers(response: Response) -> Response:
    for name, value in COMMON_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", HTML_POLICY)
        for name, value in PAGE_HEADERS.items():
            response.headers.setdefault(name, value)
    elif response.mimetype == "image/svg+xml":
        response.headers.setdefault("Content-Security-Policy", SVG_POLICY)
    return response


def init_headers(app: Flask) -> None:
    """Security headers on every response; a Content Security Policy on pages and drawings.
    Headers a view sets itself are kept."""
    app.after_request(_security_headers)
