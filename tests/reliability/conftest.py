"""Helpers for the reliability tests: the CLI as a subprocess, and golden sets built in tmp_path."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "golden"
MALFORMED = Path(__file__).parent / "malformed"

#: Real minutes-text golden cases: one Punkt each, so a copy can renumber and retitle it.
MINUTES_CASES = tuple(
    sorted(
        p.name
        for p in GOLDEN.iterdir()
        if (p / "input.txt").is_file()
        and "source_format: minutes-text" in (p / "case.yaml").read_text()
    )
)
#: Marks each copy's title, so the server log can tell which item a request is about.
COPY_MARK = re.compile(r"\(kopi (\d+)\)")

#: Variables that would change what the CLI does; every subprocess runs without them.
_ISOLATE = (
    "CASESUMMARY_BACKEND",
    "CASESUMMARY_GOLDEN",
    "CASESUMMARY_DEBUG",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_LOG",
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_AD_TOKEN",
    "AZURE_OPENAI_ENDPOINT",
    "OPENAI_API_VERSION",
)


def run_cli(
    *args: str | Path, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`python -m casesummary ARGS` as a user runs it, in `cwd`, with a clean environment."""
    environment = {k: v for k, v in os.environ.items() if k not in _ISOLATE}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "casesummary", *map(str, args)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """Non-zero exit, exactly one line on stderr naming the problem, and no traceback."""
    assert result.returncode != 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.endswith("\n"), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("casesummary: error: "), result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


def copy_minutes_case(
    source: str, dest_root: Path, number: int, *, extra_text: str = "", title_extra: str = ""
) -> str:
    """Copy a minutes-text golden case as item `number`, titled "... (kopi N)"; returns its id.

    Renumbering and retitling give every copy its own item fingerprint (so no cache or oracle
    confuses two copies) and its own text (so server-side logs can be grouped per item).
    `extra_text` is added as a paragraph right after the title line, `title_extra` to the title.
    """
    src = GOLDEN / source
    case_id = f"copy-{number:03d}-{source}"[:80]
    dest = dest_root / case_id
    dest.mkdir(parents=True)
    text = (src / "input.txt").read_text(encoding="utf-8")
    heading = re.compile(r"^Punkt \d+: (.+)$", re.MULTILINE)
    match = heading.search(text)
    assert match is not None, source
    title = f"Punkt {number}: {match.group(1)}{title_extra} (kopi {number})"
    if extra_text:
        title += f"\n\n{extra_text}"
    text = text[: match.start()] + title + text[match.end() :]
    (dest / "input.txt").write_text(text, encoding="utf-8")
    meta = yaml.safe_load((src / "case.yaml").read_text(encoding="utf-8"))
    meta.update(id=case_id, item_number=str(number))
    (dest / "case.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    shutil.copy(src / "expected.json", dest / "expected.json")
    return case_id


def build_golden_copies(dest_root: Path, count: int) -> list[str]:
    """A golden directory of `count` distinct cases cycled from the real minutes-text ones."""
    dest_root.mkdir(parents=True, exist_ok=True)
    return [
        copy_minutes_case(MINUTES_CASES[i % len(MINUTES_CASES)], dest_root, i + 1)
        for i in range(count)
    ]
