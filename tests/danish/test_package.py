"""The package is the lowest layer: it imports no other part of casesummary, nothing heavy."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from casesummary import danish

PACKAGE = Path(danish.__file__).parent


def test_the_package_imports_nothing_of_casesummary_but_itself_and_exceptions() -> None:
    allowed = ("casesummary.danish", "casesummary.exceptions")
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                if name.split(".")[0] == "casesummary":
                    assert name.startswith(allowed), f"{path.name} imports {name}"


def test_importing_the_package_loads_no_stemmer_or_stopword_list() -> None:
    code = (
        "import sys, casesummary.danish as d; d.sentences('Det er godt. Det er skidt.');"
        "print(sorted(m for m in sys.modules if m.startswith(('snowballstemmer', 'stopwordsiso'))"
        " or (m.startswith('casesummary.') and not m.startswith('casesummary.danish'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_exported_name_exists() -> None:
    for name in danish.__all__:
        assert hasattr(danish, name), name
