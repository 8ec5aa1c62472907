"""GET /healthz (the process answers) and GET /readyz (the database reads, the catalogs are loaded and a
tiny solve works)."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from advisor.api.advice import advisor
from advisor.api.problems import NOT_READY, problem
from advisor.api.reference_schemas import HealthSchema, ReadySchema
from advisor.domain import Budget, Platform, Request, StorageError

blp = Blueprint(
    "health", __name__, description="Liveness and readiness for load balancers and orchestrators."
)
log = logging.getLogger("advisor.api")


def readiness_request(currency: str) -> Request:
    """A request only the single server can answer (Windows Standard cannot cluster on 2008 R2): one solve."""
    return Request(
        budget=Budget(100_000_000_00, currency),
        goals=(),
        platform=Platform(windows_version="2008R2", windows_edition="standard"),
        alternatives=1,
    )


@blp.route("/healthz")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    def get(self) -> dict[str, Any]:
        """Liveness

        Answers as long as the process serves requests; it touches neither catalog nor solver.
        """
        return {"status": "ok"}


@blp.route("/readyz")
class Ready(MethodView):
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    @blp.response(200, ReadySchema)
    def get(self) -> Any:
        """Readiness

        Reads the database of saved scenarios (the very file opened at start, on SQLite), then
        prices and solves a tiny request on the default catalog. Ready (200) when both work;
        otherwise a 503 problem saying what failed.
        """
        started = time.perf_counter()
        service = advisor()
        try:
            current_app.extensions["scenarios"].store.check()
        except StorageError as err:
            log.warning("readiness check failed: saved scenarios: %s", err)
            return problem(
                503,
                "The readiness check failed: the database of saved scenarios cannot be read.",
                type_=NOT_READY,
                title="Not ready",
                headers={"Retry-After": "5"},
            )
        try:
            answer = service.recommend(readiness_request(service.catalogs.get("default").currency))
            if not answer.recommendations:
                raise RuntimeError("the readiness request got no design")
        except Exception as err:  # any failure means not ready; the reason goes to the log and the body
            log.warning("readiness check failed: %s: %s", type(err).__name__, err)
            return problem(
                503,
                f"The readiness check failed: {type(err).__name__}: {err}",
                type_=NOT_READY,
                title="Not ready",
                headers={"Retry-After": "5"},
            )
        return {
            "status": "ready",
            "catalogs": service.catalogs.ids(),
            "solver": answer.solver,
            "check_ms": round((time.perf_counter() - started) * 1000, 3),
        }
