"""GET /api/v1/architectures and /api/v1/catalogs[/{id}] end to end."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from advisor.app import create_app
from advisor.architectures import names, spec
from advisor.schemas import REQUEST_SCHEMA

ARCHITECTURES = names("2010")


def test_architectures_lists_every_architecture_with_title_description_and_rules(client: FlaskClient) -> None:
    response = client.get("/api/v1/architectures")

    assert response.status_code == 200
    assert response.content_type == "application/json"
    body = response.get_json()
    assert [a["name"] for a in body["architectures"]] == list(ARCHITECTURES)
    for entry in body["architectures"]:
        info = spec(entry["name"])
        assert entry["title"] == info.title
        assert entry["description"] == info.description
        assert [r["id"] for r in entry["rules"]] == list(info.rules)
        assert all(r["statement"] and r["source"] for r in entry["rules"])
        assert entry["available"] is True


def test_architectures_say_what_each_removes_and_leaves_as_a_single_point_of_failure(
    client: FlaskClient,
) -> None:
    by_name = {a["name"]: a for a in client.get("/api/v1/architectures").get_json()["architectures"]}

    baseline = by_name["single_server"]
    assert baseline["removes"] == []
    assert "ex-1" in {s["component"] for s in baseline["single_points_of_failure"]}
    dag_only = by_name["dag_only"]
    assert {"failure": "database", "services": ["outlook", "owa", "activesync"]} in dag_only["removes"]
    assert "ex-1" in {s["component"] for s in dag_only["single_points_of_failure"]}
    single_lb = by_name["dag_cas_array_single_lb"]
    assert {s["kind"] for s in single_lb["single_points_of_failure"]} == {"load_balancer", "site"}
    pair = by_name["dag_cas_array_lb_pair"]
    assert [s["component"] for s in pair["single_points_of_failure"]] == ["site-1"]
    assert [leaf["failure"] for leaf in pair["leaves"]] == ["site"]


def test_catalogs_lists_the_shipped_catalog_as_the_default(client: FlaskClient) -> None:
    response = client.get("/api/v1/catalogs")

    assert response.status_code == 200
    assert response.content_type == "application/json"
    (entry,) = response.get_json()["catalogs"]
    assert entry["id"] == "default"
    assert entry["default"] is True
    assert entry["currency"] == "USD"


def test_a_catalog_shows_every_price_with_its_basis_and_the_facts(client: FlaskClient) -> None:
    response = client.get("/api/v1/catalogs/default")

    assert response.status_code == 200
    assert response.content_type == "application/json"
    body = response.get_json()
    items = [item for group in body["prices"].values() for item in group]
    assert len(items) > 20
    assert all(item["basis"] and item["price"] >= 0 for item in items)
    entry = next(i for i in body["prices"]["servers"] if i["sku"] == "SRV-ENTRY-1S")
    assert entry["price"] == 2800.0 and entry["annual"] == 420.0
    assert entry["cores"] == 6 and entry["memory_gb"] == 32 and entry["disk_bays"] == 8
    disk = next(i for i in body["prices"]["disks"] if i["sku"] == "DISK-2TB-7K2")
    assert disk["size_gb"] == 2000 and disk["random_iops"] == 57 and disk["basis"]
    assert body["facts"]["exchange"]["2010"]["mounted_databases"] == {"standard": 5, "enterprise": 100}
    assert body["facts"]["design_policy"]["max_dedicated_cas_servers"]["basis"].startswith("assumption")
    assert body["annual_rates"]["software_assurance"]["rate"] == 0.25
    sizing = body["facts"]["sizing"]["2010"]
    assert sizing["figures"]["cpu_ceiling"] == 0.8 and "80 %" in sizing["sources"]["cpu_ceiling_basis"]
    assert body["facts"]["storage"]["jbod"]["spare_disks"] == 1
    assert "dag.quorum" in {r["id"] for r in body["rules"]}


def test_an_own_catalog_answers_to_its_id_and_to_default(catalog_copy: Path) -> None:
    toml = catalog_copy / "catalog.toml"
    toml.write_text(toml.read_text().replace('id = "default"', 'id = "acme"'))
    client = create_app({"TESTING": True, "ADVISOR_CATALOG": str(catalog_copy)}).test_client()

    listed = client.get("/api/v1/catalogs").get_json()["catalogs"]

    assert {c["id"]: c["default"] for c in listed} == {"acme": True, "default": False}
    assert client.get("/api/v1/catalogs/default").get_json()["id"] == "acme"
    assert client.get("/api/v1/catalogs/acme").get_json()["id"] == "acme"
    assert client.get("/api/v1/architectures").get_json()["catalog"]["id"] == "acme"


def test_the_architecture_profiles_state_the_request_defaults_they_were_drawn_with(
    client: FlaskClient,
) -> None:
    words = client.get("/api/v1/architectures").get_json()["assumptions"]
    defaults = REQUEST_SCHEMA.load({"budget": {"amount": 1}, "goals": []})
    env = defaults["environment"]
    assert f"{defaults['mailboxes']} mailboxes, {defaults['databases']} databases" in words
    assert f"{env['domain_controllers']} domain controllers" in words
    assert f"witness on an {env['witness_host']} server" in words
