"""The eval run: every golden case × repeat through a backend, scored, written as it finishes.

Answers can come from a content-addressed cache (re-running an unchanged prompt calls no
backend), and `resume` carries on an interrupted run without asking the backend again for
anything already recorded in results.jsonl. The directory layout is in `eval.rundir`.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from casesummary.backends.base import aclose_backend
from casesummary.eval.rundir import (
    CASES_FILE,
    METRICS_FILE,
    RESULTS_FILE,
    RUN_FILE,
    Aggregate,
    CaseInfo,
    CaseRecord,
    ResultsWriter,
    RunData,
    RunInfo,
    aggregate,
    dump_list,
    load_run,
    read_model,
    read_records,
    write_text,
)
from casesummary.exceptions import InvalidRunDirectory, NothingToSummarize
from casesummary.redact import mask_cpr
from casesummary.result import PromptResult

if TYPE_CHECKING:
    from casesummary.backends.base import Backend
    from casesummary.eval.golden import GoldenCase
    from casesummary.item import AgendaItem
    from casesummary.prompt import PromptTemplate
    from casesummary.taxonomy import Taxonomy

#: Characters of the item text kept in cases.json for the report.
EXCERPT_CHARS = 1500


class RunSummary(BaseModel):
    """What `run_eval` returns: where the run is, what it was and how it went."""

    model_config = ConfigDict(frozen=True)

    out_dir: Path
    run: RunInfo
    aggregate: Aggregate
    new_records: int


def run_eval(
    cases: Sequence[GoldenCase],
    *,
    backend: Backend | str,
    prompt: PromptTemplate | str,
    taxonomy: Taxonomy | str | Path | None,
    out_dir: str | Path,
    concurrency: int = 4,
    repeat: int = 1,
    cache_dir: str | Path | None = None,
    resume: bool = False,
    progress: bool = True,
    max_input_tokens: int | None = None,
) -> RunSummary:
    """Run every case `repeat` times, write the run directory and return its summary.

    A case that fails becomes a `failed` line; a case the golden set marks closed/empty is a
    `skipped` line and is never scored. With `cache_dir`, answers come from and go to a
    content-addressed cache (re-running an unchanged prompt calls no backend). With `resume`,
    pairs already in results.jsonl are kept and only the rest are run.
    """

    async def run_and_release() -> RunSummary:
        try:
            return await arun_eval(
                cases,
                backend=backend,
                prompt=prompt,
                taxonomy=taxonomy,
                out_dir=out_dir,
                concurrency=concurrency,
                repeat=repeat,
                cache_dir=cache_dir,
                resume=resume,
                progress=progress,
                max_input_tokens=max_input_tokens,
            )
        finally:
            # The loop made here dies on return: close the caller's backend's connections to it
            # (arun_eval closes a backend it made from a spec itself).
            if not isinstance(backend, str):
                await aclose_backend(backend)

    return asyncio.run(run_and_release())


async def arun_eval(
    cases: Sequence[GoldenCase],
    *,
    backend: Backend | str,
    prompt: PromptTemplate | str,
    taxonomy: Taxonomy | str | Path | None,
    out_dir: str | Path,
    concurrency: int = 4,
    repeat: int = 1,
    cache_dir: str | Path | None = None,
    resume: bool = False,
    progress: bool = True,
    max_input_tokens: int | None = None,
) -> RunSummary:
    """`run_eval` for callers already inside an event loop; closes a backend made from a spec."""
    from casesummary.backends.registry import get_backend
    from casesummary.prompt import load_prompt
    from casesummary.taxonomy import load_taxonomy

    concurrency = max(1, concurrency)
    repeat = max(1, repeat)
    out = Path(out_dir)
    tax = load_taxonomy(taxonomy)
    template = load_prompt(prompt) if isinstance(prompt, str) else prompt
    spec = backend if isinstance(backend, str) else _spec_of(backend)
    model_backend = get_backend(backend) if isinstance(backend, str) else backend
    info = RunInfo(
        prompt_id=template.id,
        prompt_version=str(template.version),
        prompt_fingerprint=template.fingerprint(tax),
        backend=redact(spec),
        backend_name=model_backend.name,
        model=model_backend.model,
        taxonomy_name=tax.name,
        taxonomy_version=tax.version,
        taxonomy_fingerprint=tax.fingerprint,
        golden_dir=_golden_dir(cases),
        repeat=repeat,
        concurrency=concurrency,
        cache=cache_dir is not None,
        started=_now(),
        casesummary_version=_version(),
    )
    # Read what a resumed run holds before writing anything, so a refused resume changes nothing.
    previous = {c.id: c for c in _previous_cases(out)} if resume else {}
    info, done = _prepare(out, info, resume=resume)
    if cache_dir is not None:
        from casesummary.backends.replay import RecordingBackend

        model_backend = RecordingBackend(model_backend, Path(cache_dir), reuse=True)

    items: dict[str, AgendaItem | Exception] = {}
    infos: list[CaseInfo] = []
    for case in cases:
        try:
            items[case.id] = case.load_item()
        except Exception as exc:  # an unreadable case is a failed line for each repeat
            items[case.id] = exc
        infos.append(_case_info(case, items[case.id]))
    merged = {**previous, **{c.id: c for c in infos}}
    write_text(out / CASES_FILE, dump_list(list(merged.values())))

    pending = [(c, r) for c in cases for r in range(repeat) if (c.id, r) not in done]
    writer = ResultsWriter(out / RESULTS_FILE)
    semaphore = asyncio.Semaphore(concurrency)
    from tqdm import tqdm

    bar = tqdm(total=len(pending), desc="eval", unit="case", file=sys.stderr, disable=not progress)

    async def one(case: GoldenCase, rep: int) -> None:
        async with semaphore:
            record = await _evaluate(
                case,
                rep,
                items[case.id],
                backend=model_backend,
                prompt=template,
                taxonomy=tax,
                max_input_tokens=max_input_tokens,
            )
        writer.write(_masked(record))
        bar.update(1)

    try:
        await asyncio.gather(*(one(c, r) for c, r in pending))
    finally:
        writer.close()
        bar.close()
        if isinstance(backend, str):
            await aclose_backend(model_backend)

    records = read_records(out / RESULTS_FILE)
    agg = aggregate(records, merged)
    write_text(out / METRICS_FILE, agg.model_dump_json(indent=2) + "\n")
    info = info.model_copy(update={"finished": _now()})
    write_text(out / RUN_FILE, info.model_dump_json(indent=2) + "\n")
    from casesummary.eval.report import write_reports

    write_reports(RunData(directory=out, run=info, cases=merged, records=records), agg)
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
    case: GoldenCase,
    rep: int,
    item: AgendaItem | Exception,
    *,
    backend: Backend,
    prompt: PromptTemplate,
    taxonomy: Taxonomy,
    max_input_tokens: int | None = None,
) -> CaseRecord:
    """One (case, repeat): summarise, score, and describe the outcome as a record."""
    from casesummary.summarizer import asummarize

    base: dict[str, Any] = {"case_id": case.id, "repeat": rep}
    if isinstance(item, Exception):
        return CaseRecord(**base, **_failure(item))
    started = time.perf_counter()
    try:
        summary = await asummarize(
            item,
            backend=backend,
            prompt=prompt,
            taxonomy=taxonomy,
            repeat=rep,
            max_input_tokens=max_input_tokens,
        )
    except NothingToSummarize as exc:
        if case.expect_skip is None:
            return CaseRecord(**base, **_failure(exc), reason=exc.reason)
        note = None if exc.reason == case.expect_skip else f"golden expects {case.expect_skip!r}"
        return CaseRecord(**base, status="skipped", reason=exc.reason, message=note)
    except Exception as exc:  # one case's failure is a line, never the end of the run
        return CaseRecord(**base, **_failure(exc), latency_s=time.perf_counter() - started)
    latency = time.perf_counter() - started
    provenance = summary.provenance.model_dump(mode="json")
    if case.expect_skip is not None:
        return CaseRecord(
            **base,
            status="failed",
            provenance=provenance,
            latency_s=latency,
            error_type="UnexpectedSummary",
            message=f"the golden case is {case.expect_skip}, but a summary was produced",
        )
    output = PromptResult.model_validate(summary.model_dump(include=set(PromptResult.model_fields)))
    try:
        from casesummary.eval.metrics import score_output
        from casesummary.eval.pricing import cost_usd

        scores = score_output(
            output,
            source_text=item.to_prompt_text(),
            expected=case.expected,
            taxonomy=taxonomy,
            municipality=case.municipality,
        )
        cost = cost_usd(summary.provenance.model, summary.provenance.usage)
    except Exception as exc:  # a scoring bug must not lose the answer
        return CaseRecord(
            **base,
            **_failure(exc),
            output=output.model_dump(mode="json"),
            provenance=provenance,
            latency_s=latency,
        )
    return CaseRecord(
        **base,
        status="ok",
        output=output.model_dump(mode="json"),
        provenance=provenance,
        metrics=dict(scores.metrics),
        checks=dict(scores.checks),
        cost_usd=cost,
        latency_s=latency,
    )


def _failure(exc: BaseException) -> dict[str, Any]:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return {"status": "failed", "error_type": type(exc).__name__, "message": message}


def _case_info(case: GoldenCase, item: AgendaItem | Exception) -> CaseInfo:
    excerpt, title = "", None
    if not isinstance(item, Exception):
        title = item.title
        try:
            excerpt = item.to_prompt_text()[:EXCERPT_CHARS]
        except Exception:  # the excerpt only decorates the report; the run must go on
            excerpt = ""
    return CaseInfo(
        id=case.id,
        municipality=case.municipality,
        committee=case.committee,
        meeting_date=case.meeting_date.isoformat() if case.meeting_date else None,
        source_format=str(case.source_format.value),
        item_number=case.item_number,
        hard=case.hard,
        expect_skip=case.expect_skip,
        title=mask_cpr(title) if title is not None else None,
        source_excerpt=mask_cpr(excerpt),
        expected=_mask_texts(case.expected.model_dump(mode="json")) if case.expected else None,
    )


def _masked(record: CaseRecord) -> CaseRecord:
    """The record with CPR numbers masked in every text it carries (answer, message, reason)."""
    return record.model_copy(
        update={
            "output": _mask_texts(record.output),
            "message": _mask_texts(record.message),
            "reason": _mask_texts(record.reason),
        }
    )


def _mask_texts(value: Any) -> Any:
    if isinstance(value, str):
        return mask_cpr(value)
    if isinstance(value, list):
        return [_mask_texts(v) for v in value]
    if isinstance(value, dict):
        return {k: _mask_texts(v) for k, v in value.items()}
    return value


def _golden_dir(cases: Sequence[GoldenCase]) -> str | None:
    parents = {str(c.directory.resolve().parent) for c in cases}
    return parents.pop() if len(parents) == 1 else None


def _spec_of(backend: Backend) -> str:
    return f"{backend.name}:{backend.model}" if backend.model else backend.name


_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")
_SECRET_QUERY = re.compile(r"(?i)([?&](?:api[-_]?key|key|token|access_token|sig)=)[^&\s]+")


def redact(spec: str) -> str:
    """A backend spec without credentials a URL may carry (user:password@, ?api_key=...)."""
    return _SECRET_QUERY.sub(r"\1***", _USERINFO.sub("***@", spec))


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("casesummary")
    except PackageNotFoundError:
        return "unknown"
