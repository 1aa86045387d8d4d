"""The import graph: layers that only import downwards, no cycles, no hidden function imports.

The contracts live in pyproject.toml ([tool.importlinter]) and docs/ARCHITECTURE.md draws them;
these tests run them on the package as it is and on copies with one bad import added, so a
contract that stopped catching anything would fail here.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "casesummary"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path, src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def copy_of_the_package(tmp_path: Path) -> Path:
    """The package and its contracts copied to tmp_path, to add a bad import to."""
    shutil.copytree(PACKAGE, tmp_path / "src" / "casesummary")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_package_keeps_every_import_contract() -> None:
    result = lint_imports(ROOT, ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "added", "broken"),
    [
        # a low layer reaching up: the item model importing the summarizer
        ("item.py", "import casesummary.summarizer", "casesummary.item is not allowed to import"),
        # a cycle between two modules of the same layer, invisible to a plain layer check
        ("tokens.py", "import casesummary.redact", "casesummary.tokens is not allowed to import"),
        # hidden in a function, where the old code hid its cycles
        (
            "backends/base.py",
            "def _late() -> None:\n    from casesummary.summarizer import Summarizer\n",
            "casesummary.backends is not allowed to import casesummary.summarizer",
        ),
        # inside the backends package: the protocol importing a backend
        ("backends/base.py", "import casesummary.backends.openai", "is not allowed to import"),
    ],
)
def test_a_new_upward_import_or_cycle_breaks_a_contract(
    copy_of_the_package: Path, module: str, added: str, broken: str
) -> None:
    path = copy_of_the_package / "src" / "casesummary" / module
    path.write_text(path.read_text(encoding="utf-8") + "\n" + added + "\n", encoding="utf-8")
    result = lint_imports(copy_of_the_package, copy_of_the_package / "src")
    assert result.returncode != 0
    assert broken in result.stdout, result.stdout


def test_a_cycle_between_siblings_breaks_the_acyclic_contract(copy_of_the_package: Path) -> None:
    sources = copy_of_the_package / "src" / "casesummary" / "sources"
    headings = sources / "headings.py"
    headings.write_text(
        headings.read_text(encoding="utf-8") + "\nimport casesummary.sources.minutes\n",
        encoding="utf-8",
    )
    result = lint_imports(copy_of_the_package, copy_of_the_package / "src")
    assert result.returncode != 0
    assert "No cycles are allowed in casesummary.sources" in result.stdout, result.stdout


def _own_imports_in_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            names: list[str] = []
            if isinstance(inner, ast.ImportFrom) and inner.level == 0 and inner.module:
                names = [inner.module]
            elif isinstance(inner, ast.Import):
                names = [alias.name for alias in inner.names]
            names = [n for n in names if n == "casesummary" or n.startswith("casesummary.")]
            found += [f"{path.relative_to(PACKAGE)}:{inner.lineno} {n}" for n in names]
    return found


def test_no_function_level_import_of_our_own_modules() -> None:
    """Function-level imports are for heavy third-party modules only, never to hide a cycle."""
    found = [
        hit for path in sorted(PACKAGE.rglob("*.py")) for hit in _own_imports_in_functions(path)
    ]
    assert found == []
