"""The docs page a person reads: examples aimed at the server being read, a way back to the form,
and the expected-downtime method with the catalog's figures."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from advisor.availability import METHOD


def test_the_curl_examples_use_the_address_being_served_not_a_fixed_port(client: FlaskClient) -> None:
    page = client.get("/api/v1/docs", base_url="http://advisor.example:9123").get_data(as_text=True)

    assert "curl -s -X POST http://advisor.example:9123/api/v1/recommendations" in page
    assert ":8000" not in page


def test_the_docs_page_links_back_to_the_planning_form(client: FlaskClient) -> None:
    page = client.get("/api/v1/docs").get_data(as_text=True)

    assert '<a href="/">← Back to the planning form</a>' in page


def test_the_sidebar_lets_long_paths_wrap_after_a_slash(client: FlaskClient) -> None:
    page = client.get("/api/v1/docs").get_data(as_text=True)

    assert "/<wbr>api/<wbr>v1/<wbr>scenarios/<wbr>{scenario_id}/<wbr>reprice" in page


def test_the_docs_page_states_the_availability_method_and_each_figure_with_its_basis(
    app: Flask, client: FlaskClient
) -> None:
    page = client.get("/api/v1/docs").get_data(as_text=True)
    figures = app.extensions["advisor"].catalogs.get("default").availability

    assert 'id="availability"' in page
    assert str(escape(METHOD)) in page
    for cause in figures.causes:
        assert str(escape(cause.basis)) in page
    assert "assumption:" in page
