"""metrics.json of an eval run: per-case means over repeats, bootstrap CIs, groups and usage."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from casesummary.eval.rundir import CaseInfo, CaseRecord
from casesummary.eval.stats import Estimate, NanFloat, bootstrap_ci, mean


class Counts(BaseModel):
    """How many cases and records, and how the records ended."""

    model_config = ConfigDict(frozen=True)

    cases: int = 0
    records: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0


class GroupSummary(BaseModel):
    """Metrics over the cases of one municipality or one source format."""

    model_config = ConfigDict(frozen=True)

    counts: Counts
    metrics: dict[str, Estimate]
    pass_rate: Estimate


class CaseAggregate(BaseModel):
    """One case over its repeats: metric means, the share of repeats passing every check, the
    share that needed a re-ask and the requests each cost on average."""

    model_config = ConfigDict(frozen=True)

    status: dict[str, int]
    metrics: dict[str, NanFloat]
    pass_rate: NanFloat
    reask_rate: NanFloat = math.nan
    attempts: NanFloat = math.nan


class UsageTotals(BaseModel):
    """Tokens and money spent over the run (cost is null when no price is known)."""

    model_config = ConfigDict(frozen=True)

    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = None
    latency_s_mean: NanFloat = math.nan


class Aggregate(BaseModel):
    """metrics.json.

    Metric means are over cases (each case first averaged over its answered repeats), so a
    case run five times does not weigh five times; failed records carry no metrics and show in
    `counts` and `pass_rate` instead. `checks` is the share of answered records passing each.
    """

    model_config = ConfigDict(frozen=True)

    counts: Counts
    metrics: dict[str, Estimate]
    checks: dict[str, NanFloat]
    pass_rate: Estimate
    per_case: dict[str, CaseAggregate]
    by_municipality: dict[str, GroupSummary]
    by_source_format: dict[str, GroupSummary]
    usage: UsageTotals
    #: Share of cases' records whose first answer had to be sent back (lower is better).
    reask_rate: Estimate = Field(default_factory=lambda: bootstrap_ci([]))
    #: Mean requests a record cost, retries and re-asks included.
    attempts_mean: NanFloat = math.nan


def case_aggregates(records: Iterable[CaseRecord]) -> dict[str, CaseAggregate]:
    """Per case: record statuses, metric means over the repeats that have each metric (answered
    ones; a failed one only has the validity of its first answer), pass rate over repeats."""
    by_case: dict[str, list[CaseRecord]] = {}
    for record in records:
        by_case.setdefault(record.case_id, []).append(record)
    result: dict[str, CaseAggregate] = {}
    for case_id, case_records in by_case.items():
        status = {s: sum(r.status == s for r in case_records) for s in ("ok", "failed", "skipped")}
        names = _metric_names(case_records)
        metrics = {n: mean(r.metrics[n] for r in case_records if n in r.metrics) for n in names}
        scored = [r for r in case_records if r.status != "skipped"]
        rate = sum(r.passed for r in scored) / len(scored) if scored else math.nan
        counted = [r for r in scored if r.reasks is not None]
        reask_rate = mean(float(bool(r.reasks)) for r in counted)
        attempts = mean(float(r.attempts) for r in scored if r.attempts is not None)
        result[case_id] = CaseAggregate(
            status=status,
            metrics=metrics,
            pass_rate=rate,
            reask_rate=reask_rate,
            attempts=attempts,
        )
    return result


def aggregate(records: Sequence[CaseRecord], cases: dict[str, CaseInfo]) -> Aggregate:
    """metrics.json from the records and the cases they belong to."""
    per_case = case_aggregates(records)
    names = _metric_names(records)
    answered = [r for r in records if r.status == "ok"]
    check_names = list(dict.fromkeys(c for r in answered for c in r.checks))
    checks = {c: mean(float(r.checks[c]) for r in answered if c in r.checks) for c in check_names}
    usage = _usage(records)

    def group(key: str) -> dict[str, GroupSummary]:
        members: dict[str, list[str]] = {}
        for case_id in per_case:
            info = cases.get(case_id)
            value = getattr(info, key, None) if info is not None else None
            members.setdefault(str(value) if value else "unknown", []).append(case_id)
        return {
            value: _summarise(ids, per_case, [r for r in records if r.case_id in set(ids)], names)
            for value, ids in sorted(members.items())
        }

    overall = _summarise(list(per_case), per_case, records, names)
    attempts = [float(r.attempts) for r in records if r.attempts is not None]
    return Aggregate(
        counts=overall.counts,
        metrics=overall.metrics,
        checks=checks,
        pass_rate=overall.pass_rate,
        per_case=per_case,
        by_municipality=group("municipality"),
        by_source_format=group("source_format"),
        usage=usage,
        reask_rate=bootstrap_ci(c.reask_rate for c in per_case.values()),
        attempts_mean=mean(attempts),
    )


def _summarise(
    case_ids: list[str],
    per_case: dict[str, CaseAggregate],
    records: Sequence[CaseRecord],
    names: list[str],
) -> GroupSummary:
    counts = Counts(
        cases=len(case_ids),
        records=len(records),
        ok=sum(r.status == "ok" for r in records),
        failed=sum(r.status == "failed" for r in records),
        skipped=sum(r.status == "skipped" for r in records),
    )
    metrics = {
        n: bootstrap_ci(per_case[c].metrics.get(n, math.nan) for c in case_ids) for n in names
    }
    pass_rate = bootstrap_ci(per_case[c].pass_rate for c in case_ids)
    return GroupSummary(counts=counts, metrics=metrics, pass_rate=pass_rate)


def _metric_names(records: Iterable[CaseRecord]) -> list[str]:
    return list(dict.fromkeys(name for r in records for name in r.metrics))


def _usage(records: Sequence[CaseRecord]) -> UsageTotals:
    input_tokens = output_tokens = 0
    for record in records:
        if record.provenance is not None:
            input_tokens += record.provenance.usage.input_tokens
            output_tokens += record.provenance.usage.output_tokens
    costs = [r.cost_usd for r in records if r.cost_usd is not None]
    latencies = [r.latency_s for r in records if r.latency_s is not None and r.status == "ok"]
    return UsageTotals(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cost_usd=math.fsum(costs) if costs else None,
        latency_s_mean=mean(latencies),
    )
