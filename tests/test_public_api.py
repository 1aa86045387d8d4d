"""The public surface is a contract: guard its shape, its version and its import cost."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import casesummary


def test_all_is_sorted_and_unique() -> None:
    assert list(casesummary.__all__) == sorted(set(casesummary.__all__))


def test_every_public_name_resolves() -> None:
    for name in casesummary.__all__:
        assert getattr(casesummary, name) is not None, name


def test_unknown_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        casesummary.no_such_name  # noqa: B018


def test_version_matches_installed_metadata() -> None:
    assert casesummary.__version__ == version("casesummary")


def test_errors_share_one_root() -> None:
    from casesummary import exceptions

    errors = [
        getattr(exceptions, n)
        for n in dir(exceptions)
        if isinstance(getattr(exceptions, n), type)
        and issubclass(getattr(exceptions, n), Exception)
        and getattr(exceptions, n).__module__ == exceptions.__name__
    ]
    assert len(errors) > 10
    assert all(issubclass(e, casesummary.CaseSummaryError) for e in errors)


def test_import_is_lazy() -> None:
    """`import casesummary` must not pull in the heavy clients the web app does not need."""
    code = (
        "import sys, casesummary; "
        "heavy = [m for m in ('openai', 'httpx2', 'pydantic', 'jinja2', 'selectolax', "
        "'tenacity', 'jsonschema', 'bpe_openai', 'click') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_summarize_does_not_import_openai_for_offline_backends() -> None:
    code = (
        "import sys, casesummary\n"
        "from casesummary.backends.registry import get_backend\n"
        "get_backend('baseline')\n"
        "print('openai' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_public_names_survive_importing_every_submodule() -> None:
    """A submodule named like a public function would replace it on the package once imported."""
    code = (
        "import importlib, pkgutil, types, casesummary\n"
        "for m in pkgutil.walk_packages(casesummary.__path__, 'casesummary.'):\n"
        "    if not m.name.endswith('__main__'):\n"
        "        importlib.import_module(m.name)\n"
        "bad = [n for n in casesummary.__all__\n"
        "       if isinstance(getattr(casesummary, n), types.ModuleType)]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_all_lists_exactly_the_lazy_names() -> None:
    from casesummary import _LAZY

    assert set(casesummary.__all__) == {*_LAZY, "__version__"}


def test_user_code_type_checks_under_mypy_strict(tmp_path: Path) -> None:
    """`from casesummary import X` must be an explicit re-export for a user's `mypy --strict`."""
    names = [n for n in casesummary.__all__ if n != "__version__"]
    user = tmp_path / "user_code.py"
    user.write_text(
        f"from casesummary import {', '.join(names)}\n"
        "item: AgendaItem = load_item('x.json')\n"
        "result: CaseSummary = summarize(item, backend='baseline')\n"
        "question: str = result.question\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_typos_in_user_code_fail_mypy_strict(tmp_path: Path) -> None:
    """The lazy `__getattr__` is hidden from checkers, so a misspelt name is an error, not Any."""
    user = tmp_path / "user_code.py"
    user.write_text(
        "import casesummary\n"
        "item = casesummary.load_item('x.json')\n"
        "result = casesummary.summarise(item, backend='baseline')\n"
        "other = casesummary.summarize(item, backend='baseline')\n"
        "question: str = other.questoin\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.returncode == 1, out.stdout + out.stderr
    assert 'Module has no attribute "summarise"' in out.stdout, out.stdout
    assert '"CaseSummary" has no attribute "questoin"' in out.stdout, out.stdout
