"""Fixtures for the web form: the whole app with the web blueprint, a test client, and form helpers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from advisor.app import create_app
from advisor.web.controls import default_values

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def build_app(**config: Any) -> Flask:
    """The app as served: create_app adds the web form beside the API."""
    return create_app({"TESTING": True, "ADVISOR_CATALOG": None, **config})


@pytest.fixture(scope="session")
def app() -> Flask:
    return build_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient) -> str:
    """The token the form carries, read from the form as a browser would."""
    page = client.get("/").get_data(as_text=True)
    found = CSRF_FIELD.search(page)
    assert found, "the form has no CSRF token"
    return found.group(1)


def seed_form(**changes: str) -> dict[str, str]:
    """The form as it first appears (the seed case), with some controls changed."""
    return {**default_values(), **changes}


def post_form(client: FlaskClient, **changes: str) -> Any:
    """Submit the seed-case form with changes, with a valid CSRF token."""
    return client.post("/", data={**seed_form(**changes), "csrf_token": csrf_token(client)})


def result_url(client: FlaskClient, **changes: str) -> str:
    response = post_form(client, **changes)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    location: str = response.headers["Location"]
    return location
