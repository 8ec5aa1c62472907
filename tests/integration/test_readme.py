"""Every command the README shows runs as written, after its own set-up command, in a fresh folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.storage.served import served

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
SET_UP = README.split("## Run it, test it", 1)[1].split("\n## ", 1)[0]
SERVICE = "http://127.0.0.1:8000"


def shell_commands() -> list[str]:
    """Each command of every ```sh block, continuation lines joined, comments dropped."""
    commands = []
    for block in re.findall(r"```sh\n(.+?)\n```", README, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("  #", 1)[0].strip()
            if line:
                commands.append(re.sub(r"\s+", " ", line))
    return commands


def inline_commands() -> list[str]:
    """Commands the prose shows inline with a file to run them on (`advisor analyze examples/…`)."""
    spans = re.findall(r"`((?:\.venv/bin/)?advisor [a-z][^`]*)`", README)
    return [span for span in spans if re.search(r"\s\S+\.json\b", span)]


def set_up_commands() -> list[str]:
    return [c for c in shell_commands() if f"```sh\n{c}\n```" in SET_UP]


def example_commands() -> list[str]:
    return [c for c in shell_commands() + inline_commands() if c not in set_up_commands()]


def test_the_readme_shows_commands_beyond_the_two_set_up_ones() -> None:
    assert len(set_up_commands()) == 2
    assert len(example_commands()) >= 5


@pytest.mark.parametrize("command", example_commands())
def test_no_example_calls_advisor_without_the_venv_it_was_installed_into(command: str) -> None:
    words = [w for part in command.split("&&") for w in part.split()[:1]]
    assert "advisor" not in words, command


@pytest.fixture
def fresh_folder(tmp_path: Path) -> Path:
    """A folder as a new user has it after the set-up command: the project's files and its .venv."""
    folder = tmp_path / "checkout"
    folder.mkdir()
    for name in ("examples", "catalog"):
        shutil.copytree(ROOT / name, folder / name)
    (folder / ".venv").symlink_to(ROOT / ".venv")
    return folder


def run_as_written(command: str, folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=folder, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_every_example_command_in_the_readme_runs_as_written(fresh_folder: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env |= {"EDITOR": "true", "ADVISOR_INSTANCE_PATH": str(tmp_path / "instance")}
    with served(f"sqlite:///{tmp_path / 'served.sqlite3'}", 1, tmp_path) as server:
        for command in example_commands():
            # The service the README starts listens on port 8000; this one on a free port.
            result = run_as_written(
                command.replace(SERVICE, f"http://127.0.0.1:{server.port}"), fresh_folder, env
            )
            assert result.returncode == 0, f"{command}\n{result.stderr}"
            if command.startswith("curl"):
                assert '"recommendations"' in result.stdout
    assert (fresh_folder / "quote.xlsx").stat().st_size > 0
