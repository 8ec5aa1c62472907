"""The web form for people: the form at /, the result page, its exports and diagrams; CSRF; headers."""

from __future__ import annotations

import logging

from flask import Flask

from advisor.web import scenario_views as _scenario_views  # noqa: F401  (registers the scenario pages on bp)
from advisor.web.accounts import init_accounts
from advisor.web.security import init_csrf, init_headers
from advisor.web.views import bp, html_error

__all__ = ["init_app"]
log = logging.getLogger("advisor.web")


def init_app(app: Flask) -> None:
    """Add the web form to an app whose `extensions["advisor"]` holds the service: the "web"
    blueprint, CSRF protection of its posts, and security headers on every response."""
    if app.config.get("ADVISOR_AUTH") == "tokens" and not app.config.get("SECRET_KEY"):
        log.warning(
            "ADVISOR_AUTH=tokens without ADVISOR_SECRET_KEY: web sign-ins last until this process "
            "restarts, and another instance does not know them; set the same key on every instance"
        )
    init_csrf(app)
    init_accounts(app)
    app.register_blueprint(bp)
    init_headers(app)
    # Pages outside any blueprint route (an unknown URL, a wrong method on /) answer browsers
    # with this HTML page; the API's own paths keep their problem documents.
    app.extensions["html_errors"] = html_error
