"""The front door stays true: README commands, CI, Dockerfile, --help and example outputs."""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
from pathlib import Path

from advisor.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def setup_commands() -> list[str]:
    section = README.split("## Run it, test it", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, re.S)


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_the_readme_holds_exactly_two_set_up_commands_run_and_test() -> None:
    run, test = setup_commands()
    assert "pip install -e ." in run and run.endswith("advisor serve")
    assert test == "bash scripts/test.sh"


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert setup_commands()[1] in ci
    script = (ROOT / "scripts" / "test.sh").read_text()
    assert "pytest" in script and "pip install" in script


def test_the_dockerfile_runs_the_readmes_install_and_start_commands_as_non_root() -> None:
    run = setup_commands()[0]
    install, start = run.rsplit(" && ", 1)
    instructions = dockerfile_instructions()
    assert ("RUN", install) in instructions
    cmd = next(value for kind, value in instructions if kind == "CMD")
    assert " ".join(shlex.split(cmd.strip("[]").replace(",", " "))) == start
    users = [value for kind, value in instructions if kind == "USER"]
    assert users and users[-1] not in ("root", "0")
    from_line = next(value for kind, value in instructions if kind == "FROM")
    assert "slim" in from_line


def test_the_dockerfile_compiles_the_advisors_bytecode_once_after_installing_it() -> None:
    runs = [value for kind, value in dockerfile_instructions() if kind == "RUN"]
    install = next(i for i, value in enumerate(runs) if "pip install -e ." in value)
    assert ".venv/bin/python -m compileall -q advisor" in runs[install + 1 :]


def test_the_dockerfile_checks_health_on_healthz() -> None:
    health = [value for kind, value in dockerfile_instructions() if kind == "HEALTHCHECK"]
    assert health and "/healthz" in health[0]


def test_the_readme_examples_are_real_current_output() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme_examples.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[name] = sub
                for inner, deeper in _subcommands(sub).items():
                    found[f"{name} {inner}"] = deeper
    return found


def test_the_readme_documents_every_command_and_option_the_cli_has() -> None:
    usage = README.split("## The command line", 1)[1].split("\n## ", 1)[0]
    for name, sub in _subcommands(build_parser()).items():
        if name == "catalog":
            continue
        assert f"advisor {name}" in usage, name
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in usage, (name, option)


def test_every_option_the_readme_shows_exists() -> None:
    usage = README.split("## The command line", 1)[1].split("\n## ", 1)[0]
    parser = build_parser()
    known = {
        o for sub in [parser, *_subcommands(parser).values()] for a in sub._actions for o in a.option_strings
    }
    for option in set(re.findall(r"(--[a-z-]+)", usage)):
        assert option in known, option


def test_the_changelog_has_an_unreleased_section() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "## Unreleased" in changelog and "### Added" in changelog


def test_the_readme_names_every_setting_the_service_reads() -> None:
    from advisor.api.settings import SETTINGS

    for setting in SETTINGS:
        assert f"`{setting.env}`" in README, setting.env


def test_requires_python_admits_every_cpython_the_dependencies_support() -> None:
    import tomllib

    from packaging.specifiers import SpecifierSet

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    allowed = SpecifierSet(project["requires-python"])
    for version in ("3.11", "3.12", "3.13", "3.14"):
        assert version in allowed, version
    assert "3.10" not in allowed


def test_the_readme_prose_on_the_se_example_quotes_its_figures() -> None:
    import json

    from advisor.catalog.registry import CatalogRegistry
    from advisor.contract.responses import dump_recommendations
    from advisor.schemas import parse_request
    from advisor.service import Advisor

    data = json.loads((ROOT / "examples" / "se-on-2025.json").read_text())
    first = dump_recommendations(Advisor(CatalogRegistry(own="")).recommend(parse_request(data)))[
        "recommendations"
    ][0]
    cals = sum(line["upfront"] for line in first["bill_of_materials"] if line["sku"] == "EXCHSE-SCAL")
    prose = " ".join(README.split())
    assert f"The 500 SE CALs are {cals:,.0f} USD of the {first['cost']['upfront']:,.0f} USD upfront" in prose
    assert f"the {first['cost']['annual']:,.2f} USD a year is not optional" in prose
