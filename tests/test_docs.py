"""The README stays true: its commands, settings and CLI usage match the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.config import ENV_VARS
from webui import ENV_OVERRIDES
from webui.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command() -> None:
    command = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert command == (
        "bash .ci/setup --test && "
        ".venv/bin/python -m tests.opensearch.cluster run -- .venv/bin/python -m pytest"
    )
    assert command in README


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    assert blocks[0].startswith("bash .ci/setup && .venv/bin/summit-search serve")
    assert blocks[1].startswith("bash .ci/setup --test && .venv/bin/python -m tests.opensearch")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_usage(name: str) -> None:
    assert f"summit-search {name}" in README
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    # Every option of the command is named in the README's usage block.
    for option in re.findall(r"^\s+(--[a-z-]+)", result.output, flags=re.M):
        if option != "--help":
            assert option in README, f"{name} {option}"


@pytest.mark.parametrize(
    "variable",
    sorted(
        [name for name, _ in ENV_OVERRIDES.values()]
        + [name for name in ENV_VARS if name.startswith("SUMMIT_SEARCH_")]
    ),
)
def test_every_setting_is_documented(variable: str) -> None:
    assert f"`{variable}`" in README
