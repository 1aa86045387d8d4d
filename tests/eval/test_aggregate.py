"""metrics.json: per-case means over repeats, pass rates, groups, usage."""

from __future__ import annotations

import json
import math

import pytest

from casesummary.eval.aggregate import aggregate, case_aggregates
from casesummary.eval.rundir import CaseInfo, CaseRecord
from casesummary.result import Provenance, Usage


def _ok(case_id: str, repeat: int, similarity: float, *, passed: bool = True) -> CaseRecord:
    return CaseRecord(
        case_id=case_id,
        repeat=repeat,
        status="ok",
        metrics={"similarity": similarity, "keywords_f1": math.nan},
        checks={"schema_valid": True, "question_mark": passed},
        provenance=Provenance(
            prompt_id="summary",
            prompt_version="1.0.0",
            prompt_fingerprint="f" * 64,
            backend="fake",
            model="fake-model",
            usage=Usage(input_tokens=100, output_tokens=20),
            item_fingerprint="0" * 64,
        ),
        cost_usd=0.001,
        latency_s=0.5,
    )


def test_case_aggregates_average_repeats_and_count_failures_as_not_passing() -> None:
    records = [
        _ok("a", 0, 0.4),
        _ok("a", 1, 0.8, passed=False),
        CaseRecord(case_id="a", repeat=2, status="failed", error_type="X", message="m"),
        CaseRecord(case_id="b", repeat=0, status="skipped", reason="empty"),
    ]
    per_case = case_aggregates(records)
    assert per_case["a"].metrics["similarity"] == pytest.approx(0.6)
    assert per_case["a"].pass_rate == pytest.approx(1 / 3)
    assert per_case["a"].status == {"ok": 2, "failed": 1, "skipped": 0}
    assert math.isnan(per_case["b"].pass_rate)
    assert per_case["b"].metrics == {}


def test_aggregate_groups_counts_and_usage() -> None:
    cases = {
        "a": CaseInfo(id="a", municipality="odense", source_format="firstagenda-item"),
        "b": CaseInfo(id="b", municipality="odense", source_format="item-text"),
        "c": CaseInfo(id="c", municipality="slagelse", source_format="item-text"),
        "d": CaseInfo(id="d", municipality="slagelse", source_format="item-text"),
    }
    records = [
        _ok("a", 0, 1.0),
        _ok("b", 0, 0.5, passed=False),
        _ok("c", 0, 0.0),
        CaseRecord(case_id="d", repeat=0, status="skipped", reason="closed"),
    ]
    agg = aggregate(records, cases)
    assert agg.counts.model_dump() == {
        "cases": 4,
        "records": 4,
        "ok": 3,
        "failed": 0,
        "skipped": 1,
    }
    assert agg.metrics["similarity"].mean == pytest.approx(0.5)
    assert agg.metrics["similarity"].n == 3
    assert agg.metrics["keywords_f1"].n == 0
    assert agg.pass_rate.mean == pytest.approx(2 / 3)
    assert agg.checks == {"schema_valid": 1.0, "question_mark": pytest.approx(2 / 3)}
    assert set(agg.by_municipality) == {"odense", "slagelse"}
    assert agg.by_municipality["odense"].metrics["similarity"].mean == pytest.approx(0.75)
    assert agg.by_municipality["slagelse"].counts.skipped == 1
    assert agg.by_source_format["item-text"].counts.cases == 3
    assert agg.usage.input_tokens == 300
    assert agg.usage.output_tokens == 60
    assert agg.usage.cost_usd == pytest.approx(0.003)
    data = json.loads(agg.model_dump_json())
    assert data["metrics"]["keywords_f1"]["mean"] is None
