"""GET /api/v1/openapi.json and GET /api/v1/docs: the OpenAPI document and a page rendered from it."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, render_template, request
from flask.views import MethodView
from flask_smorest import Blueprint
from markupsafe import Markup

from advisor.api.auth import AUTH_TOKENS, auth_mode
from advisor.api.docs_page import sections
from advisor.api.openapi import finished
from advisor.api.problems import PROBLEM_TYPES
from advisor.availability import METHOD

blp = Blueprint(
    "documentation",
    __name__,
    url_prefix="/api/v1",
    description="This API's OpenAPI document and its readable docs page (no script, no CDN).",
    static_folder="static",
    static_url_path="/static",
    template_folder="templates",
)


def openapi_document() -> dict[str, Any]:
    """The app's OpenAPI document as served, built once per app."""
    cache = current_app.extensions.setdefault("advisor.api.cache", {})
    if "openapi" not in cache:
        api = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
        cache["openapi"] = finished(api.spec.to_dict(), accounts=auth_mode() == AUTH_TOKENS)
    document: dict[str, Any] = cache["openapi"]
    return document


@blp.route("/openapi.json")
class OpenApiDocument(MethodView):
    @blp.response(200, {"type": "object"}, description="The OpenAPI 3.1 document of this API.")
    def get(self) -> Response:
        """The OpenAPI document

        Every operation, its request and response schemas and its problems, as OpenAPI 3.1 JSON.
        """
        return jsonify(openapi_document())


@blp.route("/docs")
class DocsPage(MethodView):
    @blp.response(200, {"type": "string"}, content_type="text/html", description="The docs page (HTML).")
    def get(self) -> Response:
        """The docs page

        The OpenAPI document as a page: operations, every request and response field with its
        meaning and rules, an example request per operation and the problem types.
        """
        document = openapi_document()
        html = render_template(
            "docs.html",
            info=document["info"],
            version=document["openapi"],
            sections=sections(document),
            problem_types=PROBLEM_TYPES,
            base_url=request.host_url.rstrip("/"),
            form_url="/" if "web" in current_app.blueprints else None,
            method=METHOD,
            figures=_availability_figures(),
            slash=Markup("/<wbr>"),  # long paths in the sidebar break after a slash
        )
        return current_app.response_class(html, mimetype="text/html")


def _availability_figures() -> Any:
    """The default catalog's availability figures (None when it has none): the docs page lists
    them with their sources and assumption labels."""
    advisor = current_app.extensions.get("advisor")
    if advisor is None:
        return None
    return advisor.catalogs.get("default").availability
