"""Fixtures for the API tests: an app on the shipped catalog, its test client, and small fake advisors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from advisor.app import create_app
from advisor.domain import SolverFailed


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    """One app for the session: building it loads the catalogs, and the tests leave it as it was."""
    yield create_app({"TESTING": True, "ADVISOR_CATALOG": None})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def fresh_app() -> Flask:
    """An app of one's own, for tests that put a fake in place of the advisor."""
    return create_app({"TESTING": True, "ADVISOR_CATALOG": None})


class SolverThatTimesOut:
    """An advisor whose solver always reaches its time limit."""

    def __init__(self, real: Any):
        self.catalogs = real.catalogs

    def recommend(self, data: Any) -> dict[str, Any]:
        raise SolverFailed("the solver reached its 5 s time limit before proving the best design")

    analyze = recommend
    recommend_request = recommend


class AdvisorWithABug:
    """An advisor that breaks in a way nobody planned for."""

    def __init__(self, real: Any):
        self.catalogs = real.catalogs

    def recommend(self, data: Any) -> dict[str, Any]:
        raise KeyError("secret internal detail")

    analyze = recommend
    recommend_request = recommend
