"""The `casesummary` command itself: help with no arguments, --version/-V, -h on every command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from casesummary.cli import _COMMANDS


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m casesummary ARGS` as a user runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASESUMMARY_")}
    return subprocess.run(
        [sys.executable, "-m", "casesummary", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_no_arguments_prints_the_help_on_stdout_and_exits_0(tmp_path: Path) -> None:
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("Usage: casesummary [OPTIONS]")
    for name in _COMMANDS:
        assert re.search(rf"^  {name}\b", result.stdout, re.MULTILINE), name


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_flags(tmp_path: Path, flag: str) -> None:
    result = run_cli(flag, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"casesummary {version('casesummary')}\n"


@pytest.mark.parametrize("command", sorted(_COMMANDS))
def test_every_command_takes_dash_h(tmp_path: Path, command: str) -> None:
    result = run_cli(command, "-h", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Usage: casesummary {command} ")
    assert "-h, --help" in result.stdout
