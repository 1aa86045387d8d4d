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


def test_installed_wheel_finds_its_own_prompts(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
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
    code = (
        "import casesummary.prompt as p, casesummary.taxonomy as t; "
        "print(p.__file__); print(p.prompts_dir()); "
        "print(p.load_prompt('summary').version, len(t.load_taxonomy().topics))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tmp_path,
    ).stdout.splitlines()
    assert out[0].startswith(str(target))
    assert out[1].startswith(str(target))
    assert out[2].split()[0] == load_prompt("summary").version  # the checkout's latest release
