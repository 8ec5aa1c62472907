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
from tests.web.svg_geometry import lines_through_words

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


def _analysed(advisor: Any, **request: Any) -> Any:
    from advisor.schemas import parse_analysis

    return advisor.service.analyze(
        parse_analysis({"architecture": "dag_cas_array_lb_pair", "goals": [], **request})
    )


def _groups(svg: str) -> dict[str, ET.Element]:
    """Each drawn part's <g> by the first line of its <title>."""
    root = ET.fromstring(svg)
    found = {}
    for group in root.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        if title is not None and title.text:
            found[title.text.split(":")[0].split(".")[0]] = group
    return found


def test_a_virtual_pair_on_two_hosts_draws_each_unit_inside_its_own_host(advisor: Any) -> None:
    report = _analysed(advisor)
    assert report.design.load_balancer_model == "LB-VIRTUAL"
    svg = str(render_svg(report, "v2"))
    assert "HA pair sharing one virtual IP, lb-1 on hv-1 and lb-2 on hv-2" in svg
    groups = _groups(svg)
    for host in ("hv-1", "hv-2"):
        frame = groups[f"Hypervisor host {host}"]
        assert "⚠ SPOF" not in "".join(frame.itertext())
    assert "Load balancers: lb-1 (on hv-1), lb-2 (on hv-2). Hypervisor hosts running them: hv-1, hv-2" in svg


def test_a_virtual_pair_on_one_host_marks_the_host_as_the_single_point_of_failure(advisor: Any) -> None:
    report = _analysed(
        advisor, environment={"hypervisor_hosts": 1}, design={"load_balancer_model": "LB-VIRTUAL"}
    )
    assert "hv-1" in {s.component for s in report.single_points_of_failure}
    svg = str(render_svg(report, "v1"))
    assert "HA pair sharing one virtual IP, both units on host hv-1: the host fails with both" in svg
    host = _groups(svg)["Hypervisor host hv-1"]
    assert "⚠ SPOF" in "".join(host.itertext())
    title = host.find(f"{SVG}title")
    assert title is not None and "Single point of failure: Losing the hypervisor host hv-1" in str(title.text)


def test_a_hardware_pair_runs_on_no_host(advisor: Any) -> None:
    svg = str(render_svg(_analysed(advisor, design={"load_balancer_model": "LB-ENTRY-HW"}), "hw"))
    assert "HA pair sharing one virtual IP</text>" in svg
    assert "Hypervisor host" not in svg


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_no_line_of_any_architecture_runs_through_a_label(
    every_design: dict[str, Recommendation], architecture: str
) -> None:
    assert lines_through_words(str(render_svg(every_design[architecture], "x"))) == []


@pytest.mark.parametrize(
    "request_changes",
    [
        {},
        {"environment": {"hypervisor_hosts": 1}, "design": {"load_balancer_model": "LB-VIRTUAL"}},
        {"design": {"load_balancer_model": "LB-ENTRY-HW"}},
        {"architecture": "dag_cas_array_single_lb"},
        {"architecture": "dedicated_cas_wnlb"},
    ],
    ids=["virtual-pair-two-hosts", "virtual-pair-one-host", "hardware-pair", "single-lb", "wnlb"],
)
def test_no_line_runs_through_a_label_of_a_load_balancer_pair_or_its_hosts(
    advisor: Any, request_changes: dict[str, Any]
) -> None:
    assert lines_through_words(str(render_svg(_analysed(advisor, **request_changes), "y"))) == []
