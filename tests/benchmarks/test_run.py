"""Smoke test for `benchmarks/run.py`: its output format and its deterministic token counts.

Only the cheap groups run, in a subprocess as a user would run them. Timings are printed by
the benchmark and never asserted here; token counts and word coverage are counts, not timings.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "benchmarks" / "run.py"
LINE = re.compile(r"^(?P<name>[a-z_]+): (?P<value>-?\d+(?:\.\d+)?) \(target (?P<rest>.+)\)$")


def run_benchmark(*groups: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RUN), *groups],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )


@pytest.fixture(scope="module")
def figures() -> dict[str, float]:
    done = run_benchmark("tokens", "import")
    assert done.returncode == 0, done.stderr
    found: dict[str, float] = {}
    for row in done.stdout.splitlines():
        match = LINE.match(row)
        assert match, f"not `name: number (target …)`: {row!r}"
        found[match["name"]] = float(match["value"])
    return found


def test_every_cheap_figure_is_printed_once_in_order(figures: dict[str, float]) -> None:
    assert list(figures) == ["token_overhead", "text_coverage", "token_ratio_vs_raw", "import_s"]


def test_prompt_costs_at_most_five_percent_more_tokens_than_the_visible_text(
    figures: dict[str, float],
) -> None:
    assert 0.9 < figures["token_overhead"] <= 1.05


def test_prompt_keeps_the_visible_words(figures: dict[str, float]) -> None:
    assert 0.99 <= figures["text_coverage"] <= 1.0


def test_prompt_is_far_smaller_than_the_raw_json(figures: dict[str, float]) -> None:
    assert 0.3 < figures["token_ratio_vs_raw"] <= 0.56


def test_an_unknown_group_is_a_usage_error() -> None:
    done = run_benchmark("tokenz")
    assert done.returncode == 2
    assert "unknown group tokenz" in done.stderr
    assert done.stdout == ""


def test_the_evidence_figure_is_printed_with_what_it_compares() -> None:
    """Its value is a timing: only its form is checked, never the number."""
    done = run_benchmark("evidence")
    assert done.returncode == 0, done.stderr
    (row,) = done.stdout.splitlines()
    match = LINE.match(row)
    assert match, row
    assert match["name"] == "evidence_check_ms"
    assert "<= 2 ms added per answer" in match["rest"]
    assert "ratio" in match["rest"]
    assert "golden answers" in match["rest"]
