"""The layers of DESIGN.md hold: the engine imports no web framework, schema library or database."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module", ["advisor.optimizer", "advisor.failures", "advisor.service", "advisor.quotes"]
)
def test_importing_the_engine_or_the_service_loads_neither_flask_marshmallow_nor_sqlalchemy(
    module: str,
) -> None:
    code = (
        f"import sys, {module}; "
        "print(sorted(m for m in ('flask', 'marshmallow', 'sqlalchemy', 'werkzeug') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert loaded.stdout.strip() == "[]", loaded.stdout


def test_outside_the_architecture_spec_only_the_api_examples_spell_an_architecture_name() -> None:
    from pathlib import Path

    from advisor.architectures import NAMES

    package = Path(__file__).resolve().parents[2] / "advisor"
    spelled = {
        str(path.relative_to(package))
        for path in package.rglob("*")
        if path.suffix in (".py", ".html") and any(name in path.read_text() for name in NAMES)
    }
    assert spelled <= {"architectures.py", "api/descriptions.py"}, spelled
