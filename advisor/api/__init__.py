"""The JSON API under /api/v1 plus /healthz and /readyz: blueprints, OpenAPI, problems, request logs."""

from __future__ import annotations

from flask import Flask
from markupsafe import Markup, escape

from advisor.api import advice, docs, health, quotes, reference, scenarios
from advisor.api.auth import init_auth
from advisor.api.middleware import register_middleware
from advisor.api.openapi import AdvisorApi, init_api
from advisor.api.settings import SETTINGS
from advisor.contract.summary import RecommendationsSummarySchema

__all__ = ["register"]


def _code(text: str) -> Markup:
    """Escape text and show `backticked` words as code: the OpenAPI descriptions' only markup."""
    parts = str(escape(text)).split("`")
    return Markup("".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)))


def register(app: Flask) -> AdvisorApi:
    """Add the API to an app whose `extensions["advisor"]` holds the service."""
    register_middleware(app)
    init_auth(app)
    api = init_api(app)
    # The compact answer (`?view=summary`) is not an operation's default schema: named here.
    api.spec.components.schema("RecommendationsSummary", schema=RecommendationsSummarySchema)
    for blueprint in (advice.blp, quotes.blp, scenarios.blp, reference.blp, health.blp, docs.blp):
        api.register_blueprint(blueprint)
    app.add_template_filter(_code, "code")
    app.jinja_env.globals["settings"] = SETTINGS
    return api
