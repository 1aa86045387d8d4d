"""`casesummary summarize --evidence` and `--grounding`, run as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from casesummary.cli import main
from casesummary.cli._evidence import HEADING

HEADINGS = ["Prompt resultater", "Emneord", HEADING, "Opsummering", "Fordele", "Ulemper"]


@pytest.fixture
def odense(fixtures_dir: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(fixtures_dir / "odense-beu-2025-pejlemaerker.item.json", tmp_path))


@pytest.fixture(autouse=True)
def _no_backend_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASESUMMARY_BACKEND", raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_quotes_are_printed_under_the_block(
    capsys: pytest.CaptureFixture[str], odense: Path
) -> None:
    code, out, _ = run(capsys, "summarize", odense, "--backend", "baseline", "--evidence")
    assert code == 0
    lines = out.splitlines()
    below = lines.index(HEADING)
    assert below > lines.index("Emneord")
    assert lines[below - 2].startswith("[summary@2.0.0")  # the whole block, then the quotes
    quotes = lines[below:]
    assert [q for q in quotes if q in ("Opsummering", "Fordele", "Ulemper")] == [
        "Opsummering",
        "Fordele",
        "Ulemper",
    ]
    numbered = [q for q in quotes if q.startswith(("  1. „", "  2. „", "  3. „"))]
    assert len(numbered) == 6
    assert all(q.endswith(")") and "“ (" in q for q in numbered)
    assert "(Sagsresumé)" in out


def test_without_the_flag_the_output_is_the_block_alone(
    capsys: pytest.CaptureFixture[str], odense: Path
) -> None:
    _, out, _ = run(capsys, "summarize", odense, "--backend", "baseline")
    assert HEADING not in out
    _, raw, _ = run(capsys, "summarize", odense, "--backend", "baseline", "--json")
    result = json.loads(raw)
    assert len(result["evidence"]["pros"]) == 3
    assert len(result["citations"]) == 7


def test_a_prompt_without_quotes_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], odense: Path
) -> None:
    code, out, err = run(
        capsys, "summarize", odense, "--backend", "baseline", "--evidence", "--prompt", "summary@1"
    )
    assert code == 2
    assert out == ""
    assert "summary@1.0.0 does not" in err
    assert err.count("\n") == 1


def test_a_meeting_prints_the_quotes_under_each_block(
    capsys: pytest.CaptureFixture[str], fixtures_dir: Path, tmp_path: Path
) -> None:
    name = "hvidovre-oekonomiudvalget-2026-05-18.meeting.json"
    meeting = Path(shutil.copy(fixtures_dir / name, tmp_path))
    code, out, _ = run(capsys, "summarize", meeting, "--backend", "baseline", "--evidence")
    assert code == 0
    assert out.count(HEADING) == out.count("Prompt resultater") > 5


def test_grounding_is_a_choice(capsys: pytest.CaptureFixture[str], odense: Path) -> None:
    code, _, _ = run(capsys, "summarize", odense, "--backend", "baseline", "--grounding", "all")
    assert code == 0
    code, _, err = run(capsys, "summarize", odense, "--grounding", "strict")
    assert code == 2
    assert "strict" in err
