"""GET /api/v1/architectures and /api/v1/catalogs[/{id}]: what the advisor knows, for planners' tools."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from advisor import reference
from advisor.api.advice import advisor
from advisor.api.reference_schemas import ArchitectureListSchema, CatalogDetailSchema, CatalogListSchema

blp = Blueprint(
    "reference",
    __name__,
    url_prefix="/api/v1",
    description="The architectures the advisor weighs and the price books it prices from.",
)


@blp.route("/architectures")
class Architectures(MethodView):
    @blp.response(200, ArchitectureListSchema)
    def get(self) -> reference.ArchitectureProfiles:
        """List the architectures

        Every architecture with its title, description and the rules that apply, and the
        failure profile of its smallest design (from the failure simulator): what it removes
        compared with a single server, what still gives an outage, and its single points of
        failure, each with a sentence for a proposal.
        """
        return advisor().architecture_profiles()


@blp.route("/catalogs")
class Catalogs(MethodView):
    @blp.response(200, CatalogListSchema)
    def get(self) -> dict[str, Any]:
        """List the price books

        Every catalog by id, version, currency and date; `default` marks the one requests that
        name no catalog are priced from (the ADVISOR_CATALOG one, when set).
        """
        return {"catalogs": advisor().catalog_list()}


_CATALOG_ID = {
    "in": "path",
    "name": "catalog_id",
    "description": "A catalog id from GET /api/v1/catalogs, or `default`.",
    "example": "default",
}


@blp.route("/catalogs/<catalog_id>", parameters=[_CATALOG_ID])
class CatalogDetail(MethodView):
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, CatalogDetailSchema)
    def get(self, catalog_id: str) -> reference.CatalogDetail:
        """Show a price book

        Every price with its basis, the yearly support rates, what supporting roles buy, the
        product facts the optimizer obeys and the rules they cite. `default` names the
        default catalog; an unknown id is a 404 problem listing the known ones.
        """
        return advisor().catalog_detail(catalog_id)
