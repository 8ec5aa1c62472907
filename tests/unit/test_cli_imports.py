"""The command line imports only what a subcommand uses, so that it starts at once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Run a command in a fresh interpreter and print the top-level packages and advisor modules it imported.
PROBE = """
import contextlib, io, json, sys
from advisor.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        main(sys.argv[1:])
    except SystemExit:
        pass
names = {m if m.startswith("advisor") else m.split(".")[0] for m in sys.modules}
print(json.dumps(sorted(names)))
"""


def _imported(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    found: list[str] = json.loads(done.stdout)
    return set(found)


@pytest.mark.parametrize("args", [("--help",), ("recommend", "--help"), ("--version",)])
def test_help_and_version_import_no_validator_solver_or_web_framework(args: tuple[str, ...]) -> None:
    imported = _imported(*args)
    assert not imported & {"marshmallow", "pulp", "highspy", "numpy", "flask", "sqlalchemy"}


def test_catalog_check_imports_the_validator_but_no_solver_or_web_framework() -> None:
    imported = _imported("catalog", "check")
    assert "marshmallow" in imported
    assert not imported & {"pulp", "highspy", "numpy", "flask", "sqlalchemy", "advisor.optimizer"}


def test_recommend_imports_no_web_framework_database_renderer_or_reference_views() -> None:
    imported = _imported("recommend", "examples/small-business.json")
    assert "advisor.optimizer" in imported
    assert not imported & {
        "flask",
        "sqlalchemy",
        "openpyxl",
        "reportlab",
        "advisor.reference",
        "advisor.exports",
        "advisor.api",
    }


def test_recommend_solves_on_highs_without_importing_pulp_which_only_writes_lp_files_and_runs_cbc(
    tmp_path: Path,
) -> None:
    assert "pulp" not in _imported("recommend", "examples/small-business.json")
    assert "pulp" in _imported("recommend", "examples/small-business.json", "--write-lp", str(tmp_path))
    assert "pulp" in _imported("recommend", "examples/small-business.json", "--solver", "cbc")
