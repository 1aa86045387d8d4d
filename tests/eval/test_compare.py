"""`compare_runs`: paired B − A deltas per metric and per case, worst cases first."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from casesummary.eval.compare import compare_runs, format_comparison
from casesummary.eval.rundir import CaseRecord, ResultsWriter, RunInfo
from casesummary.exceptions import InvalidRunDirectory


def _write_run(directory: Path, backend: str, scores: dict[str, float | None]) -> Path:
    """A run directory whose case `c` has similarity `scores[c]` (None = a failed record)."""
    directory.mkdir()
    info = RunInfo(
        prompt_id="summary",
        prompt_version="1",
        prompt_fingerprint="f" * 64,
        backend=backend,
        backend_name=backend,
        model="m",
        taxonomy_name="default",
        taxonomy_version="1",
        taxonomy_fingerprint="t" * 64,
        repeat=1,
        concurrency=1,
        cache=False,
        started=datetime(2026, 11, 23, tzinfo=UTC),
        casesummary_version="0.1.0",
    )
    (directory / "run.json").write_text(info.model_dump_json(), encoding="utf-8")
    writer = ResultsWriter(directory / "results.jsonl")
    for case_id, score in scores.items():
        if score is None:
            writer.write(
                CaseRecord(case_id=case_id, repeat=0, status="failed", error_type="E", message="x")
            )
        else:
            writer.write(
                CaseRecord(
                    case_id=case_id,
                    repeat=0,
                    status="ok",
                    metrics={"similarity": score, "grounding": 1.0},
                    checks={"question_mark": score >= 0.5},
                )
            )
    writer.close()
    return directory


def test_deltas_are_b_minus_a_paired_over_shared_cases(tmp_path: Path) -> None:
    a = _write_run(tmp_path / "a", "baseline", {"c1": 0.2, "c2": 0.4, "c3": 0.6, "only-a": 0.1})
    b = _write_run(tmp_path / "b", "oracle", {"c1": 0.5, "c2": 0.7, "c3": 0.9, "only-b": 0.9})
    comparison = compare_runs(a, b)
    assert comparison.paired_cases == 3
    assert comparison.only_in_a == ["only-a"]
    assert comparison.only_in_b == ["only-b"]
    by_name = {m.metric: m for m in comparison.metrics}
    similarity = by_name["similarity"]
    assert similarity.mean_a == pytest.approx(0.4)
    assert similarity.mean_b == pytest.approx(0.7)
    assert similarity.delta.mean == pytest.approx(0.3)
    # The same +0.3 in every case: a paired interval has no width at all.
    assert similarity.delta.low == pytest.approx(0.3)
    assert similarity.delta.high == pytest.approx(0.3)
    assert by_name["grounding"].delta.mean == pytest.approx(0.0)
    # question_mark passes from 0.5 up: one of three cases in A, all three in B.
    assert by_name["pass_rate"].delta.mean == pytest.approx(2 / 3)


def test_cases_that_got_worse_come_first(tmp_path: Path) -> None:
    a = _write_run(tmp_path / "a", "x", {"better": 0.2, "worse": 0.9, "broke": 0.5, "same": 0.5})
    b = _write_run(tmp_path / "b", "y", {"better": 0.8, "worse": 0.3, "broke": None, "same": 0.5})
    comparison = compare_runs(a, b)
    assert [c.case_id for c in comparison.cases] == ["broke", "worse", "same", "better"]
    broke = comparison.cases[0]
    assert (broke.status_a, broke.status_b, broke.change) == ("ok", "failed", "regressed")
    assert broke.deltas["similarity"] == pytest.approx(-0.5)  # the lost answer scores 0
    assert broke.deltas["pass_rate"] == pytest.approx(-1.0)
    assert comparison.cases[1].deltas["similarity"] == pytest.approx(-0.6)


def test_format_prints_a_metric_table_and_cases_worst_first(tmp_path: Path) -> None:
    a = _write_run(tmp_path / "a", "baseline", {"c1": 0.2, "c2": 0.9})
    b = _write_run(tmp_path / "b", "oracle", {"c1": 0.5, "c2": 0.6})
    text = format_comparison(compare_runs(a, b))
    lines = text.splitlines()
    assert lines[0] == f"A: {tmp_path / 'a'} (summary@1 baseline)"
    header = next(line for line in lines if line.startswith("metric"))
    assert header.split() == ["metric", "A", "B", "B", "−", "A", "95", "%", "CI", "n"]
    similarity = next(line for line in lines if line.startswith("similarity"))
    assert similarity.split()[:4] == ["similarity", "0.550", "0.550", "+0.000"]
    case_lines = lines[lines.index("cases, worst first (B − A):") + 3 :]
    assert [line.split()[0] for line in case_lines] == ["c2", "c1"]


def test_a_missing_run_directory_is_an_invalid_run_directory(tmp_path: Path) -> None:
    a = _write_run(tmp_path / "a", "baseline", {"c1": 0.2})
    with pytest.raises(InvalidRunDirectory, match="not a directory"):
        compare_runs(a, tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidRunDirectory, match="not an eval run directory"):
        compare_runs(tmp_path / "empty", a)


def test_a_case_that_broke_is_a_regression_not_a_zero(tmp_path: Path) -> None:
    """ok → failed: the case lost its answer, so it ranks first and its delta is negative even
    when its checks were already failing in A (pass rate 0 in both)."""
    a = _write_run(tmp_path / "a", "x", {"broke": 0.4, "worse": 0.9, "fixed": None})
    b = _write_run(tmp_path / "b", "y", {"broke": None, "worse": 0.8, "fixed": 0.4})
    comparison = compare_runs(a, b)
    assert [c.case_id for c in comparison.cases] == ["broke", "worse", "fixed"]
    broke, worse, fixed = comparison.cases
    assert broke.change == "regressed"
    assert fixed.change == "fixed"
    assert worse.change is None
    assert broke.deltas["pass_rate"] == 0.0  # nothing passed before either
    assert broke.deltas["similarity"] == pytest.approx(-0.4)
    assert broke.score < 0
    assert fixed.score > 0

    text = format_comparison(comparison)
    row = next(line for line in text.splitlines() if line.startswith("broke"))
    assert "ok → failed (regressed)" in row
    assert "+0.000" not in row.split("(regressed)")[1].split()[0]
    assert "status: 1 case regressed (ok → failed), 1 fixed (failed → ok)" in text
