"""The eval run: every golden case × repeat through a backend, scored, written as it finishes.

Answers can come from a content-addressed cache (re-running an unchanged prompt calls no
backend), and `resume` carries on an interrupted run without asking the backend again for
anything already recorded in results.jsonl. The directory layout is in `eval.rundir`.

Each case's item is parsed once and rendered once (the same text is the model's input, the
report's excerpt and the scores' source); an `oracle` backend answers from these same cases.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from casesummary._progress import Progress
from casesummary.backends.replay import RecordingBackend
from casesummary.eval.aggregate import Aggregate, aggregate
from casesummary.eval.evidence_judge import ajudge_evidence
from casesummary.eval.golden import GoldenCase
from casesummary.eval.judge import ajudge, judge_metrics
from casesummary.eval.metrics import score_output, validity_checks, validity_score
from casesummary.eval.oracle import OracleBackend
from casesummary.eval.pricing import cost_usd
from casesummary.eval.report import write_reports
from casesummary.eval.rundir import (
    CASES_FILE,
    METRICS_FILE,
    RESULTS_FILE,
    RUN_FILE,
    CaseInfo,
    CaseRecord,
    ResultsWriter,
    RunInfo,
    dump_list,
    load_run,
    read_model,
    read_records,
    write_text,
)
from casesummary.exceptions import InvalidRunDirectory, NothingToSummarize, one_line
from casesummary.result import PromptResult, failure_reason
from casesummary.summarizer import BackendArg, Summarizer, Trace, run_in_new_loop

if TYPE_CHECKING:
    from casesummary.backends.base import Backend
    from casesummary.item import AgendaItem
    from casesummary.prompt import PromptTemplate
    from casesummary.taxonomy import Taxonomy

__all__ = ["EXCERPT_CHARS", "RunSummary", "arun_eval", "run_eval"]

#: Characters of the item text kept in cases.json for the report.
EXCERPT_CHARS = 1500


class RunSummary(BaseModel):
    """What `run_eval` returns: where the run is, what it was and how it went."""

    model_config = ConfigDict(frozen=True)

    out_dir: Path
    run: RunInfo
    aggregate: Aggregate
    new_records: int


class _Case:
    """A golden case as this run holds it: parsed and rendered once, or why it could not be."""

    def __init__(self, case: GoldenCase) -> None:
        self.case = case
        self.item: AgendaItem | Exception
        self.text = ""
        try:
            self.item = case.load_item()
        except Exception as exc:  # an unreadable case is a failed line for each repeat
            self.item = exc
            return
        try:
            self.text = self.item.to_prompt_text()
        except Exception:  # the text only decorates the report and feeds the scores
            self.text = ""


def run_eval(
    cases: Sequence[GoldenCase],
    *,
    backend: BackendArg,
    prompt: PromptTemplate | str,
    taxonomy: Taxonomy | str | Path | None,
    out_dir: str | Path,
    concurrency: int = 4,
    repeat: int = 1,
    cache_dir: str | Path | None = None,
    resume: bool = False,
    progress: bool = True,
    max_input_tokens: int | None = None,
    judge: BackendArg = None,
) -> RunSummary:
    """Run every case `repeat` times, write the run directory and return its summary.

    A case that fails becomes a `failed` line; a case the golden set marks closed/empty is a
    `skipped` line and is never scored. With `cache_dir`, answers come from and go to a
    content-addressed cache (re-running an unchanged prompt calls no backend). With `resume`,
    pairs already in results.jsonl are kept and only the rest are run. `max_input_tokens`
    replaces the prompt's token budget for the item text (a backend's context window caps it).
    With `judge` (a spec or a Backend), each answer is also rated by the LLM judge
    (`eval/judge.py`), cached alike.
    """
    summarizer = Summarizer(
        backend,
        prompt=prompt,
        taxonomy=taxonomy,
        cache_dir=cache_dir,
        max_input_tokens=max_input_tokens,
    )
    judging = _judging(judge, cache_dir)
    run = _run(
        summarizer,
        cases,
        out=Path(out_dir),
        concurrency=concurrency,
        repeat=repeat,
        resume=resume,
        progress=progress,
        judging=judging,
    )
    # The loop made here dies on return: every connection the backend opened on it is closed.
    try:
        return run_in_new_loop(run, summarizer.backend)
    finally:
        if judging is not None:
            judging.close()


async def arun_eval(
    cases: Sequence[GoldenCase],
    *,
    backend: BackendArg,
    prompt: PromptTemplate | str,
    taxonomy: Taxonomy | str | Path | None,
    out_dir: str | Path,
    concurrency: int = 4,
    repeat: int = 1,
    cache_dir: str | Path | None = None,
    resume: bool = False,
    progress: bool = True,
    max_input_tokens: int | None = None,
    judge: BackendArg = None,
) -> RunSummary:
    """`run_eval` for callers already inside an event loop; closes a backend made from a spec."""
    judging = _judging(judge, cache_dir)
    try:
        async with Summarizer(
            backend,
            prompt=prompt,
            taxonomy=taxonomy,
            cache_dir=cache_dir,
            max_input_tokens=max_input_tokens,
        ) as summarizer:
            return await _run(
                summarizer,
                cases,
                out=Path(out_dir),
                concurrency=concurrency,
                repeat=repeat,
                resume=resume,
                progress=progress,
                judging=judging,
            )
    finally:
        if judging is not None:
            await judging.aclose()


def _judging(judge: BackendArg, cache_dir: str | Path | None) -> Summarizer | None:
    """The judge's backend, resolved, cached and closed like the answering one (or None)."""
    if judge is None:
        return None
    return Summarizer(judge, cache_dir=cache_dir)


async def _run(
    summarizer: Summarizer,
    cases: Sequence[GoldenCase],
    *,
    out: Path,
    concurrency: int,
    repeat: int,
    resume: bool,
    progress: bool,
    judging: Summarizer | None = None,
) -> RunSummary:
    concurrency = max(1, concurrency)
    repeat = max(1, repeat)
    loaded = {case.id: _Case(case) for case in cases}
    oracle = _unwrapped(summarizer.backend)
    if isinstance(oracle, OracleBackend):
        oracle.adopt((c.case, c.item) for c in loaded.values() if not isinstance(c.item, Exception))
    backend = summarizer.backend
    judge = judging.backend if judging is not None else None
    info = RunInfo(
        prompt_id=summarizer.prompt.id,
        prompt_version=str(summarizer.prompt.version),
        prompt_fingerprint=summarizer.prompt.fingerprint(summarizer.taxonomy),
        backend=summarizer.label,
        backend_name=backend.name,
        model=backend.model,
        taxonomy_name=summarizer.taxonomy.name,
        taxonomy_version=summarizer.taxonomy.version,
        taxonomy_fingerprint=summarizer.taxonomy.fingerprint,
        golden_dir=_golden_dir(cases),
        repeat=repeat,
        concurrency=concurrency,
        cache=isinstance(backend, RecordingBackend) and backend.reuse,
        judge=judging.label if judging is not None else None,
        started=_now(),
        casesummary_version=_version(),
    )
    # Read what a resumed run holds before writing anything, so a refused resume changes nothing.
    previous = {c.id: c for c in _previous_cases(out)} if resume else {}
    info, done = _prepare(out, info, resume=resume)
    merged = {**previous, **{c.case.id: _case_info(c) for c in loaded.values()}}
    write_text(out / CASES_FILE, dump_list(list(merged.values())))

    pending = [(c, r) for c in loaded.values() for r in range(repeat) if (c.case.id, r) not in done]
    writer = ResultsWriter(out / RESULTS_FILE)
    semaphore = asyncio.Semaphore(concurrency)
    bar = Progress(len(pending), desc="eval", unit="case", enabled=progress)

    async def one(case: _Case, rep: int) -> None:
        async with semaphore:
            record = await _evaluate(case, rep, summarizer, judge)
        writer.write(record)
        bar.update(failed=record.status == "failed")

    try:
        await asyncio.gather(*(one(c, r) for c, r in pending))
    finally:
        writer.close()
        bar.close()
        if judge is not None:
            await judge.aclose()  # its connections to this loop, as for the answering backend

    records = read_records(out / RESULTS_FILE)
    agg = aggregate(records, merged)
    write_text(out / METRICS_FILE, agg.model_dump_json(indent=2) + "\n")
    info = info.model_copy(update={"finished": _now()})
    write_text(out / RUN_FILE, info.model_dump_json(indent=2) + "\n")
    write_reports(load_run(out), agg)  # from what is on disk: masked, as every reader sees it
    return RunSummary(out_dir=out, run=info, aggregate=agg, new_records=len(pending))


def _prepare(out: Path, info: RunInfo, *, resume: bool) -> tuple[RunInfo, set[tuple[str, int]]]:
    """Create the run directory, or check and reopen it for `resume`; the pairs already done."""
    run_path = out / RUN_FILE
    results_path = out / RESULTS_FILE
    if resume and run_path.exists():
        old = read_model(run_path, RunInfo)
        if old.prompt_fingerprint != info.prompt_fingerprint:
            raise InvalidRunDirectory(
                f"cannot resume: the run used prompt {old.prompt_id}@{old.prompt_version} "
                f"(fingerprint {old.prompt_fingerprint[:12]}), this is "
                f"{info.prompt_id}@{info.prompt_version} ({info.prompt_fingerprint[:12]})",
                path=out,
            )
        if (old.backend, old.model) != (info.backend, info.model):
            raise InvalidRunDirectory(
                f"cannot resume: the run used backend {old.backend!r} (model {old.model!r}), "
                f"this is {info.backend!r} (model {info.model!r})",
                path=out,
            )
        if old.judge != info.judge:
            raise InvalidRunDirectory(
                f"cannot resume: the run was judged by {old.judge or 'no judge'}, "
                f"this is judged by {info.judge or 'no judge'}",
                path=out,
            )
        done = {(r.case_id, r.repeat) for r in read_records(results_path, repair=True)}
        info = info.model_copy(
            update={
                "started": old.started,
                "resumed": [*old.resumed, info.started],
                "repeat": max(old.repeat, info.repeat),
            }
        )
    else:
        if results_path.exists() and results_path.stat().st_size > 0:
            raise InvalidRunDirectory(
                "already holds an eval run: pass --resume to continue it, or another --out",
                path=out,
            )
        done = set()
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InvalidRunDirectory(f"cannot create ({exc.strerror})", path=out) from None
    write_text(run_path, info.model_dump_json(indent=2) + "\n")
    return info, done


def _previous_cases(out: Path) -> list[CaseInfo]:
    path = out / CASES_FILE
    if not path.exists():
        return []
    return list(load_run(out).cases.values())


async def _evaluate(
    case: _Case, rep: int, summarizer: Summarizer, judge: Backend | None = None
) -> CaseRecord:
    """One (case, repeat): summarise, score (and judge), and describe the outcome as a record.

    Validity scores the first answer the backend gave, also for a case whose answer stayed
    invalid; `attempts` and `reasks` say what the case cost.
    """
    golden, item = case.case, case.item
    base: dict[str, Any] = {"case_id": golden.id, "repeat": rep}
    if isinstance(item, Exception):
        return CaseRecord(**base, **_failure(item))
    started = time.perf_counter()
    trace = Trace()
    try:
        summary = await summarizer.asummarize(item, repeat=rep, trace=trace)
    except NothingToSummarize as exc:
        if golden.expect_skip is None:
            return CaseRecord(**base, **_failure(exc))
        note = (
            None if exc.reason == golden.expect_skip else f"golden expects {golden.expect_skip!r}"
        )
        return CaseRecord(**base, status="skipped", reason=exc.reason, message=note)
    except Exception as exc:  # one case's failure is a line, never the end of the run
        first = _first_validity(trace, summarizer)
        return CaseRecord(
            **base,
            **_failure(exc),
            **_cost(trace),
            metrics=first,
            latency_s=time.perf_counter() - started,
        )
    latency = time.perf_counter() - started
    if golden.expect_skip is not None:
        return CaseRecord(
            **base,
            status="failed",
            provenance=summary.provenance,
            **_cost(trace),
            latency_s=latency,
            error_type="UnexpectedSummary",
            message=f"the golden case is {golden.expect_skip}, but a summary was produced",
        )
    output = PromptResult.model_validate(summary.model_dump(include=set(PromptResult.model_fields)))
    try:
        scores = score_output(
            output,
            source_text=case.text,
            expected=golden.expected,
            taxonomy=summarizer.taxonomy,
            municipality=golden.municipality,
            first_answer=trace.responses[0].content if trace.responses else None,
        )
        cost = cost_usd(summary.provenance.model, summary.provenance.usage)
    except Exception as exc:  # a scoring bug must not lose the answer
        return CaseRecord(
            **base,
            **_failure(exc),
            **_cost(trace),
            output=output,
            provenance=summary.provenance,
            latency_s=latency,
        )
    metrics = dict(scores.metrics)
    note = None
    if judge is not None:
        note = await _judged(output, item, judge, summarizer.taxonomy, rep, metrics)
    return CaseRecord(
        **base,
        status="ok",
        output=output,
        provenance=summary.provenance,
        citations=summary.citations,
        **_cost(trace),
        metrics=metrics,
        checks=dict(scores.checks),
        cost_usd=cost,
        latency_s=latency,
        message=note,
    )


async def _judged(
    output: PromptResult,
    item: AgendaItem,
    judge: Backend,
    taxonomy: Taxonomy,
    rep: int,
    metrics: dict[str, float],
) -> str | None:
    """Add the judge's metrics to `metrics` (and, for an answer with evidence, the evidence
    judge's); what failed, as a note. A judge's failure leaves the answer and its scores."""
    notes: list[str] = []
    try:
        verdict = await ajudge(output, item, backend=judge, taxonomy=taxonomy, repeat=rep)
        metrics.update(judge_metrics(verdict))
    except Exception as exc:
        notes.append(_failed_note("judge", exc))
    if output.evidence is not None:
        try:
            support = await ajudge_evidence(
                output, item, backend=judge, taxonomy=taxonomy, repeat=rep
            )
            metrics.update(support.metrics())
        except Exception as exc:
            notes.append(_failed_note("evidence judge", exc))
    return "; ".join(notes) or None


def _failed_note(what: str, exc: Exception) -> str:
    return f"{what} failed: {type(exc).__name__}: {' '.join(str(exc).split())}"


def _first_validity(trace: Trace, summarizer: Summarizer) -> dict[str, float]:
    """validity of the first answer a failed case got (none when it got no answer)."""
    if not trace.responses:
        return {}
    checks = validity_checks(trace.responses[0].content, summarizer.taxonomy)
    return {"validity": validity_score(checks)}


def _cost(trace: Trace) -> dict[str, Any]:
    return {"attempts": trace.attempts, "reasks": trace.reasks}


def _failure(exc: BaseException) -> dict[str, Any]:
    message = one_line(exc)
    return {
        "status": "failed",
        "reason": failure_reason(exc),
        "error_type": type(exc).__name__,
        "message": message,
    }


def _case_info(case: _Case) -> CaseInfo:
    golden = case.case
    item = case.item
    return CaseInfo(
        id=golden.id,
        municipality=golden.municipality,
        committee=golden.committee,
        meeting_date=golden.meeting_date.isoformat() if golden.meeting_date else None,
        source_format=str(golden.source_format.value),
        item_number=golden.item_number,
        hard=golden.hard,
        expect_skip=golden.expect_skip,
        title=None if isinstance(item, Exception) else item.title,
        source_excerpt=case.text[:EXCERPT_CHARS],
        expected=golden.expected,
    )


def _unwrapped(backend: Backend) -> Backend:
    while isinstance(backend, RecordingBackend):
        backend = backend.inner
    return backend


def _golden_dir(cases: Sequence[GoldenCase]) -> str | None:
    parents = {str(c.directory.resolve().parent) for c in cases}
    return parents.pop() if len(parents) == 1 else None


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _version() -> str:
    try:
        return version("casesummary")
    except PackageNotFoundError:
        return "unknown"
