"""The eval run directory: its files, the record of each (case, repeat), and metrics.json.

    run.json        what was run: prompt, backend, taxonomy, golden dir, repeat, times, version
    cases.json      the golden cases as they were: metadata, source excerpt, expected answer
    results.jsonl   one line per (case, repeat), appended, flushed and fsync'd as each finishes
    metrics.json    means with bootstrap CIs, pass rates, groups, counts, tokens and cost
    report.md, report.html

Each line of results.jsonl is written with a single write() of a complete line, so a killed
run leaves whole lines only; a torn last line is ignored when read (and cut on resume).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from casesummary.eval.stats import Estimate, NanFloat, bootstrap_ci, mean
from casesummary.exceptions import InvalidRunDirectory, first_error

RUN_FILE = "run.json"
CASES_FILE = "cases.json"
RESULTS_FILE = "results.jsonl"
METRICS_FILE = "metrics.json"
Status = Literal["ok", "failed", "skipped"]
_M = TypeVar("_M", bound=BaseModel)


class CaseRecord(BaseModel):
    """One line of results.jsonl: one case at one repeat."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    repeat: int
    status: Status
    reason: str | None = None
    output: dict[str, Any] | None = None
    provenance: dict[str, Any] | None = None
    metrics: dict[str, NanFloat] = Field(default_factory=dict)
    checks: dict[str, bool] = Field(default_factory=dict)
    cost_usd: float | None = None
    latency_s: float | None = None
    error_type: str | None = None
    message: str | None = None

    @field_validator("metrics", "checks", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value

    @property
    def passed(self) -> bool:
        """Answered, and every check held."""
        return self.status == "ok" and all(self.checks.values())


class CaseInfo(BaseModel):
    """A golden case as the run saw it, kept so a run directory explains itself."""

    model_config = ConfigDict(frozen=True)

    id: str
    municipality: str | None = None
    committee: str | None = None
    meeting_date: str | None = None
    source_format: str
    item_number: str | None = None
    hard: str = ""
    expect_skip: str | None = None
    title: str | None = None
    source_excerpt: str = ""
    expected: dict[str, Any] | None = None


class RunInfo(BaseModel):
    """run.json: enough to know what was run and to refuse resuming a different run."""

    model_config = ConfigDict(frozen=True)

    prompt_id: str
    prompt_version: str
    prompt_fingerprint: str
    backend: str
    backend_name: str
    model: str
    taxonomy_name: str
    taxonomy_version: str
    taxonomy_fingerprint: str
    golden_dir: str | None = None
    repeat: int
    concurrency: int
    cache: bool
    started: datetime
    finished: datetime | None = None
    resumed: list[datetime] = Field(default_factory=list)
    casesummary_version: str


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
    """One case over its repeats: metric means and the share of repeats passing every check."""

    model_config = ConfigDict(frozen=True)

    status: dict[str, int]
    metrics: dict[str, NanFloat]
    pass_rate: NanFloat


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


class RunData(BaseModel):
    """A run directory read back: for reports and `compare`."""

    model_config = ConfigDict(frozen=True)

    directory: Path
    run: RunInfo
    cases: dict[str, CaseInfo]
    records: list[CaseRecord]


# ---------------------------------------------------------------------------------------------
# Aggregation


def case_aggregates(records: Iterable[CaseRecord]) -> dict[str, CaseAggregate]:
    """Per case: record statuses, metric means over answered repeats, pass rate over repeats."""
    by_case: dict[str, list[CaseRecord]] = {}
    for record in records:
        by_case.setdefault(record.case_id, []).append(record)
    result: dict[str, CaseAggregate] = {}
    for case_id, case_records in by_case.items():
        status = {s: sum(r.status == s for r in case_records) for s in ("ok", "failed", "skipped")}
        names = _metric_names(case_records)
        answered = [r for r in case_records if r.status == "ok"]
        metrics = {n: mean(r.metrics.get(n, math.nan) for r in answered) for n in names}
        scored = [r for r in case_records if r.status != "skipped"]
        rate = sum(r.passed for r in scored) / len(scored) if scored else math.nan
        result[case_id] = CaseAggregate(status=status, metrics=metrics, pass_rate=rate)
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
    return Aggregate(
        counts=overall.counts,
        metrics=overall.metrics,
        checks=checks,
        pass_rate=overall.pass_rate,
        per_case=per_case,
        by_municipality=group("municipality"),
        by_source_format=group("source_format"),
        usage=usage,
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
        usage = (record.provenance or {}).get("usage") or {}
        input_tokens += int(usage.get("input_tokens") or 0)
        output_tokens += int(usage.get("output_tokens") or 0)
    costs = [r.cost_usd for r in records if r.cost_usd is not None]
    latencies = [r.latency_s for r in records if r.latency_s is not None and r.status == "ok"]
    return UsageTotals(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cost_usd=math.fsum(costs) if costs else None,
        latency_s_mean=mean(latencies),
    )


# ---------------------------------------------------------------------------------------------
# The run directory


def read_records(path: Path, *, repair: bool = False) -> list[CaseRecord]:
    """Every complete line of a results.jsonl; a torn last line is ignored (or cut, if repair)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise InvalidRunDirectory(f"cannot read ({exc.strerror})", path=path) from None
    end = data.rfind(b"\n") + 1
    if end < len(data) and repair:
        with path.open("r+b") as handle:
            handle.truncate(end)
    records = []
    for number, line in enumerate(data[:end].splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(CaseRecord.model_validate_json(line))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise InvalidRunDirectory(
                f"line {number} is not a result record ({first['msg']})", path=path
            ) from None
    return records


def load_run(directory: str | Path) -> RunData:
    """Read a run directory (run.json, cases.json, results.jsonl) for reporting or comparing."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InvalidRunDirectory("not a directory", path=directory)
    run = read_model(directory / RUN_FILE, RunInfo)
    cases_path = directory / CASES_FILE
    cases: dict[str, CaseInfo] = {}
    if cases_path.exists():
        try:
            raw = json.loads(cases_path.read_text(encoding="utf-8"))
            cases = {c["id"]: CaseInfo.model_validate(c) for c in raw}
        except (OSError, ValueError, TypeError, KeyError, ValidationError) as exc:
            reason = " ".join(str(exc).split())[:200]
            raise InvalidRunDirectory(f"unreadable case list: {reason}", path=cases_path) from None
    records = read_records(directory / RESULTS_FILE)
    return RunData(directory=directory, run=run, cases=cases, records=records)


def read_model(path: Path, model: type[_M]) -> _M:
    try:
        return model.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise InvalidRunDirectory("missing: not an eval run directory", path=path) from None
    except OSError as exc:
        raise InvalidRunDirectory(f"cannot read ({exc.strerror})", path=path) from None
    except ValidationError as exc:
        raise InvalidRunDirectory(first_error(exc), path=path) from None


def write_text(path: Path, text: str) -> None:
    """Write a whole file via a temporary sibling, so readers never see half of it."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class ResultsWriter:
    """Appends whole lines: one write() each, flushed to disk before the next case is counted."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(self, record: CaseRecord) -> None:
        line = (record.model_dump_json() + "\n").encode("utf-8")
        written = os.write(self._fd, line)
        while written < len(line):  # only on a full disk or a signal; finish the line
            written += os.write(self._fd, line[written:])
        os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)


def dump_list(models: Sequence[BaseModel]) -> str:
    items = [json.loads(m.model_dump_json()) for m in models]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
