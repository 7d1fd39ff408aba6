"""The README's set-up commands, run as written: quiet when all is well."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("args", [[], ["--test"]], ids=["setup", "setup --test"])
def test_set_up_prints_nothing_when_all_is_well(args: list[str]) -> None:
    # Run on the set-up machine the suite runs on: the virtualenv exists, so this reinstalls
    # the project in place, as running the README's command again does.
    done = subprocess.run(
        ["bash", str(ROOT / ".ci" / "setup"), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
