"""The wheel is what the web app installs: prompts and templates must ship inside it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from casesummary.prompt import load_prompt

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("casesummary-*.whl")
    return built


def test_wheel_ships_prompts_taxonomy_and_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for prompt in sorted((ROOT / "prompts").rglob("*")):
        if prompt.is_file():
            assert f"casesummary/prompts/{prompt.relative_to(ROOT / 'prompts')}" in names
    assert "casesummary/py.typed" in names
    assert "casesummary/eval/report.html.j2" in names


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed into a directory of its own, as another project would have it."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return target


def _run_installed(
    target: Path, args: list[str], cwd: Path, *, check: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CASESUMMARY_")},
        "PYTHONPATH": str(target),
    }
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=check, env=env, cwd=cwd
    )


def test_installed_wheel_finds_its_own_prompts(installed: Path, tmp_path: Path) -> None:
    code = (
        "import casesummary.prompt as p, casesummary.taxonomy as t; "
        "print(p.__file__); print(p.prompts_dir()); "
        "print(p.load_prompt('summary').version, len(t.load_taxonomy().topics))"
    )
    out = _run_installed(installed, ["-c", code], tmp_path).stdout.splitlines()
    assert out[0].startswith(str(installed))
    assert out[1].startswith(str(installed))
    assert out[2].split()[0] == load_prompt("summary").version  # the checkout's latest release


def test_eval_from_an_installed_wheel_says_it_needs_golden(installed: Path, tmp_path: Path) -> None:
    """A wheel ships no golden set: the message says how to give one, in one line, exit 2."""
    result = _run_installed(
        installed, ["-m", "casesummary", "eval", "--backend", "baseline"], tmp_path, check=False
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "--golden DIR" in result.stderr
    assert "CASESUMMARY_GOLDEN" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "runs").exists()
