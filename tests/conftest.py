"""Shared fixtures: the shipped catalog, an advisor, and request builders."""

from __future__ import annotations

import copy
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from advisor.catalog import Catalog
from advisor.catalog.loader import load_catalog
from advisor.catalog.registry import CatalogRegistry, shipped_catalogs_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

BASE_REQUEST: dict[str, Any] = {
    "budget": {"amount": 30000, "currency": "USD", "applies_to": "upfront"},
    "horizon_years": 3,
    "exchange": {"version": "2010", "edition": "any"},
    "windows": {"version": "2008R2", "edition": "any"},
    "mailboxes": 300,
    "databases": 4,
    "environment": {"domain_controllers": 2, "witness_host": "existing", "sites": 1, "cals_owned": 300},
    "goals": [
        {"failure": "database", "services": ["outlook", "owa"], "priority": "required"},
        {"failure": "server", "services": ["outlook", "owa", "smtp_inbound"], "priority": "required"},
        {"failure": "load_balancer", "services": ["outlook"], "priority": "preferred", "weight": 5},
    ],
    "objective": "min_cost",
    "alternatives": 3,
    "catalog": "default",
}


def make_request(**changes: Any) -> dict[str, Any]:
    """A copy of the base request with top-level fields replaced (nested dicts merged)."""
    request = copy.deepcopy(BASE_REQUEST)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(request.get(key), dict):
            request[key] = {**request[key], **value}
        else:
            request[key] = value
    return request


def euros_on_a_wrong_pair(**changes: Any) -> dict[str, Any]:
    """A request the shipped catalog refuses on two counts: a budget in euros (it prices in
    dollars) and Exchange SE on Windows Server 2012 R2 (SE runs on 2019 and later)."""
    return make_request(
        budget={"amount": 50000, "currency": "EUR"},
        exchange={"version": "SE"},
        windows={"version": "2012R2"},
        **changes,
    )


def dearer_windows_2008(licences: str) -> str:
    """The shipped licences.toml with every Windows Server 2008 and 2008 R2 licence of Enterprise
    or Datacenter 1,000 dearer (Enterprise 3,999 a server, Datacenter 2,999 a processor), and
    the Exchange Enterprise server licences priced 3,999 with them."""
    assert licences.count("price = 2999.00") == 2  # the two Datacenter editions
    dearer = licences.replace("price = 3999.00", "price = 4999.00")
    return dearer.replace("price = 2999.00", "price = 3999.00")


def load_example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text())
    return data


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(shipped_catalogs_dir() / "default")


@pytest.fixture(scope="session")
def registry() -> CatalogRegistry:
    return CatalogRegistry(own="")


@pytest.fixture(scope="session")
def advisor(registry: CatalogRegistry) -> Any:
    """The advisor driven through the JSON contract, as the CLI and the API drive it."""
    from advisor.service import Advisor
    from tests.json_advisor import JsonAdvisor

    return JsonAdvisor(Advisor(registry))


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalog folder, for tests that break or change it."""
    target = tmp_path / "catalog"
    shutil.copytree(shipped_catalogs_dir() / "default", target)
    return target


_SAVED_ENV: dict[str, str | None] = {}


def pytest_configure(config: pytest.Config) -> None:
    """Apps built by tests (even at collection time) keep their SQLite file in a temporary
    instance folder, never the repository's, and count no rate limit: a session sends thousands
    of requests from one address in a minute. The tests of the limits set their own; services
    started in a subprocess (tests/storage/served.py) run with the defaults."""
    import os
    import tempfile

    for key in ("ADVISOR_INSTANCE_PATH", "ADVISOR_DATABASE_URL", "ADVISOR_RATE_LIMIT"):
        _SAVED_ENV[key] = os.environ.get(key)
    os.environ["ADVISOR_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="advisor-test-instance-")
    os.environ.pop("ADVISOR_DATABASE_URL", None)
    os.environ["ADVISOR_RATE_LIMIT"] = "off"


def pytest_unconfigure(config: pytest.Config) -> None:
    import os
    import shutil

    shutil.rmtree(os.environ.get("ADVISOR_INSTANCE_PATH", ""), ignore_errors=True)
    for key, value in _SAVED_ENV.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


REDIS_URL = os.environ.get("ADVISOR_TEST_REDIS", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A Redis to count rate limits in: skipped where there is none, but CI has one and must
    run these tests (ADVISOR_REQUIRE_REDIS), never pass by skipping them."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as err:
        reason = f"no Redis reachable at {REDIS_URL}: {err}"
        if os.environ.get("ADVISOR_REQUIRE_REDIS"):
            pytest.fail(reason)
        pytest.skip(reason)
    finally:
        client.close()
    return REDIS_URL
