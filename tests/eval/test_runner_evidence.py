"""Eval runs under the evidence prompt: the oracle's and the baseline's quotes are all found over
the golden set, the records say where, and a prompt without evidence records none."""

from __future__ import annotations

from pathlib import Path

import pytest

from casesummary.eval.golden import load_golden
from casesummary.eval.rundir import read_records
from casesummary.eval.runner import run_eval


@pytest.mark.parametrize("backend", ["oracle", "baseline"])
def test_every_quote_is_found_over_the_golden_set(
    tmp_path: Path, golden_dir: Path, backend: str
) -> None:
    cases = load_golden(golden_dir)
    summary = run_eval(
        cases,
        backend=backend if backend == "baseline" else f"oracle:{golden_dir}",
        prompt="summary@2",
        taxonomy=None,
        out_dir=tmp_path / "run",
        progress=False,
    )
    records = [r for r in read_records(tmp_path / "run" / "results.jsonl") if r.status == "ok"]
    answered = [c for c in cases if c.expected is not None]
    assert len(records) == len(answered)
    for record in records:
        assert record.output is not None
        assert record.output.evidence is not None
        assert len(record.citations) == 7, record.case_id
        assert record.provenance is not None
        assert record.provenance.attempts == 1
        assert record.metrics["evidence_found"] == 1.0
    assert summary.aggregate.metrics["evidence_found"].mean == 1.0
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert report.count("✓ „") == 7 * len(records)
    assert "✗ „" not in report


def test_a_prompt_without_evidence_records_no_quotes(tmp_path: Path, golden_dir: Path) -> None:
    cases = [c for c in load_golden(golden_dir) if c.expected is not None][:3]
    run_eval(
        cases,
        backend=f"oracle:{golden_dir}",
        prompt="summary@1",
        taxonomy=None,
        out_dir=tmp_path / "run",
        progress=False,
    )
    for record in read_records(tmp_path / "run" / "results.jsonl"):
        assert record.output is not None
        assert record.output.evidence is None
        assert record.citations == ()
        assert "evidence_found" not in record.metrics
        assert "readability" in record.metrics
