"""The server-drawn SVG: every simulated part drawn, single points of failure marked in words and colour."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from advisor.architectures import names
from advisor.domain import Recommendation
from advisor.schemas import parse_request
from advisor.web.diagram import render_svg
from advisor.web.present import scenario_rows
from tests.conftest import make_request

ARCHITECTURES = names("2010")

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def every_design(advisor: Any) -> dict[str, Recommendation]:
    """One recommendation per architecture: a big budget and no goals make each one recommended."""
    response = advisor.service.recommend(
        parse_request(make_request(budget={"amount": 500000}, goals=[], alternatives=len(ARCHITECTURES)))
    )
    return {r.architecture: r for r in response.recommendations}


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_every_architecture_draws_as_well_formed_accessible_svg(
    every_design: dict[str, Recommendation], architecture: str
) -> None:
    recommendation = every_design[architecture]
    root = ET.fromstring(str(render_svg(recommendation, "d1", "Project")))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "d1-title d1-desc"
    assert root.find(f"{SVG}title").text.startswith("Project: Diagram of ")  # type: ignore[union-attr]
    text = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    titles = " ".join(t.text or "" for t in root.iter(f"{SVG}title"))
    for scenario in recommendation.failure_scenarios:
        if scenario.kind not in ("database", "witness", "site"):
            assert scenario.component in text, scenario.component
    for spof in recommendation.single_points_of_failure:
        if spof.kind != "database":
            assert spof.explanation in titles
    assert text.count("⚠ SPOF") >= len(
        [s for s in recommendation.single_points_of_failure if s.kind != "database"]
    )
    assert all(element.get("style") is None for element in root.iter())
    assert root.find(f"{SVG}style") is None


def test_a_single_load_balancer_is_marked_and_a_pair_is_not(every_design: dict[str, Recommendation]) -> None:
    single = str(render_svg(every_design["dag_cas_array_single_lb"], "a"))
    pair = str(render_svg(every_design["dag_cas_array_lb_pair"], "b"))
    assert "lb-1 (load balancer, cuts off" in single
    assert "lb-1 (load balancer" not in pair
    assert "HA pair sharing one virtual IP" in pair


def test_without_a_cas_array_the_drawing_names_the_rpc_client_access_server(
    every_design: dict[str, Recommendation],
) -> None:
    assert "RpcClientAccessServer = ex-1" in str(render_svg(every_design["dag_only"], "c"))


def test_database_copies_that_fare_alike_share_a_grid_row(every_design: dict[str, Recommendation]) -> None:
    rows = scenario_rows(every_design["dag_cas_array_lb_pair"])
    databases = [r for r in rows if r.kind == "database"]
    assert [r.label.split(" (")[0] for r in databases] == [
        "Any active database copy",
        "Any passive database copy",
    ]
    assert sum(len(r.components) for r in databases) == 8
