"""Paired comparison of two eval runs: B − A per metric and per case, worst cases first.

Pairing over the cases both runs hold cancels out how hard each case is, so the interval on a
difference is far tighter than comparing two separate means would suggest.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from casesummary.eval.aggregate import CaseAggregate, case_aggregates
from casesummary.eval.rundir import load_run
from casesummary.eval.stats import Estimate, NanFloat, mean, paired_bootstrap_ci

#: The per-case pass rate is compared like a metric under this name.
PASS_RATE = "pass_rate"
#: Metrics the case table shows a column for by default.
DEFAULT_CASE_METRICS = ("similarity", PASS_RATE)


class MetricDelta(BaseModel):
    """One metric: means of A and B over the paired cases, and B − A with its paired CI."""

    model_config = ConfigDict(frozen=True)

    metric: str
    mean_a: NanFloat
    mean_b: NanFloat
    delta: Estimate


#: A case whose answer was lost (answered in A, failed in B) or won back.
Change = Literal["regressed", "fixed"]


class CaseDelta(BaseModel):
    """One case present in both runs: its status in each and B − A per metric.

    A case that `regressed` (answered in A, only failed in B) scores 0 in B on every metric A
    has: the web app has nothing to show for it. One that was `fixed` scores 0 in A alike.
    """

    model_config = ConfigDict(frozen=True)

    case_id: str
    status_a: str
    status_b: str
    deltas: dict[str, NanFloat]
    score: NanFloat
    change: Change | None = None


class Comparison(BaseModel):
    """`casesummary compare A B`."""

    model_config = ConfigDict(frozen=True)

    run_a: str
    run_b: str
    label_a: str
    label_b: str
    paired_cases: int
    only_in_a: list[str]
    only_in_b: list[str]
    metrics: list[MetricDelta]
    cases: list[CaseDelta]


def compare_runs(run_a: str | Path, run_b: str | Path) -> Comparison:
    """Compare two run directories: metric deltas with paired bootstrap CIs, cases worst first."""
    a, b = load_run(run_a), load_run(run_b)
    per_a, per_b = case_aggregates(a.records), case_aggregates(b.records)
    shared = [c for c in per_a if c in per_b]
    names = list(dict.fromkeys([*_names(per_a), *_names(per_b), PASS_RATE]))

    metrics = []
    for name in names:
        pairs = [(_value(per_a[c], name), _value(per_b[c], name)) for c in shared]
        both = [(x, y) for x, y in pairs if math.isfinite(x) and math.isfinite(y)]
        metrics.append(
            MetricDelta(
                metric=name,
                mean_a=mean(x for x, _ in both),
                mean_b=mean(y for _, y in both),
                delta=paired_bootstrap_ci(both),
            )
        )

    cases = []
    for case_id in shared:
        change = _change(per_a[case_id], per_b[case_id])
        deltas = {
            n: _value(per_b[case_id], n, lost=change == "regressed")
            - _value(per_a[case_id], n, lost=change == "fixed")
            for n in names
        }
        finite = [d for d in deltas.values() if math.isfinite(d)]
        cases.append(
            CaseDelta(
                case_id=case_id,
                status_a=_status(per_a[case_id]),
                status_b=_status(per_b[case_id]),
                deltas=deltas,
                score=math.fsum(finite) / len(finite) if finite else math.nan,
                change=change,
            )
        )
    cases.sort(key=_worst_first)
    return Comparison(
        run_a=str(a.directory),
        run_b=str(b.directory),
        label_a=f"{a.run.prompt_id}@{a.run.prompt_version} {a.run.backend}",
        label_b=f"{b.run.prompt_id}@{b.run.prompt_version} {b.run.backend}",
        paired_cases=len(shared),
        only_in_a=sorted(set(per_a) - set(per_b)),
        only_in_b=sorted(set(per_b) - set(per_a)),
        metrics=metrics,
        cases=cases,
    )


def format_comparison(
    comparison: Comparison, *, metrics: Sequence[str] = DEFAULT_CASE_METRICS
) -> str:
    """The comparison as plain-text tables for a terminal.

    The case table shows the mean delta, the metric that moved most each way, and a column per
    name in `metrics` (those the runs have); every metric of every case is in the JSON form.
    """
    lines = [
        f"A: {comparison.run_a} ({comparison.label_a})",
        f"B: {comparison.run_b} ({comparison.label_b})",
        f"cases in both: {comparison.paired_cases}",
        "",
    ]
    metric_rows = [
        [
            m.metric,
            _num(m.mean_a),
            _num(m.mean_b),
            _signed(m.delta.mean),
            "n/a"
            if math.isnan(m.delta.mean)
            else f"[{_signed(m.delta.low)}, {_signed(m.delta.high)}]",
            str(m.delta.n),
        ]
        for m in comparison.metrics
    ]
    lines += _table(["metric", "A", "B", "B − A", "95 % CI", "n"], metric_rows, left=1)
    known = {m.metric for m in comparison.metrics}
    shown = [n for n in metrics if n in known]
    if comparison.cases:
        regressed = sum(c.change == "regressed" for c in comparison.cases)
        fixed = sum(c.change == "fixed" for c in comparison.cases)
        if regressed or fixed:
            lines += [
                "",
                f"status: {regressed} {'case' if regressed == 1 else 'cases'} regressed "
                f"(ok → failed), {fixed} fixed (failed → ok)",
            ]
        lines += ["", "cases, worst first (B − A):"]
        case_rows = [
            [
                c.case_id,
                f"{c.status_a} → {c.status_b}" + (f" ({c.change})" if c.change else ""),
                _signed(c.score),
                _extreme(c.deltas, worst=True),
                _extreme(c.deltas, worst=False),
                *(_signed(c.deltas[n]) for n in shown),
            ]
            for c in comparison.cases
        ]
        header = ["case", "status", "mean", "fell most", "rose most", *shown]
        lines += _table(header, case_rows, left=5)
    if comparison.only_in_a:
        lines += ["", "only in A: " + ", ".join(comparison.only_in_a)]
    if comparison.only_in_b:
        lines += ["", "only in B: " + ", ".join(comparison.only_in_b)]
    return "\n".join(lines) + "\n"


def _extreme(deltas: dict[str, float], *, worst: bool) -> str:
    """`metric -0.333`: the metric that fell (or rose) most, or `-` when none moved that way."""
    moved = [(d, n) for n, d in deltas.items() if math.isfinite(d) and (d < 0 if worst else d > 0)]
    if not moved:
        return "-"
    delta, name = min(moved) if worst else max(moved)
    return f"{name} {_signed(delta)}"


def _names(per_case: dict[str, CaseAggregate]) -> list[str]:
    return list(dict.fromkeys(n for agg in per_case.values() for n in agg.metrics))


def _value(agg: CaseAggregate, name: str, *, lost: bool = False) -> float:
    """A case's value of a metric; 0 for a metric it has no value of when its answer is `lost`
    (the other run answered it)."""
    value = agg.pass_rate if name == PASS_RATE else agg.metrics.get(name, math.nan)
    return 0.0 if lost and not math.isfinite(value) else value


def _change(a: CaseAggregate, b: CaseAggregate) -> Change | None:
    """regressed: answered in A, failed (never answered) in B; fixed: the other way round."""
    answered_a, answered_b = a.status.get("ok", 0) > 0, b.status.get("ok", 0) > 0
    if answered_a and not answered_b and b.status.get("failed", 0):
        return "regressed"
    if answered_b and not answered_a and a.status.get("failed", 0):
        return "fixed"
    return None


def _status(agg: CaseAggregate) -> str:
    present = [s for s, count in agg.status.items() if count]
    return "/".join(present) if present else "none"


def _worst_first(case: CaseDelta) -> tuple[int, float, str]:
    """Newly failing cases first, then by mean delta ascending; cases without deltas last."""
    newly_failed = case.change == "regressed" or (
        "failed" in case.status_b and "failed" not in case.status_a
    )
    score = case.score if math.isfinite(case.score) else math.inf
    return (0 if newly_failed else 1, score, case.case_id)


def _num(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3f}"


def _signed(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    return f"{round(value, 3) or 0.0:+.3f}"  # `or` turns a rounded -0.0 into +0.0


def _table(header: list[str], rows: list[list[str]], *, left: int) -> list[str]:
    """Aligned columns: the first `left` columns flush left, the rest (numbers) flush right."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        parts = [
            c.ljust(w) if i < left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]
