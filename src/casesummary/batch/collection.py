"""`batch collect` and `batch status`: follow the batches, validate every answer, finish.

For each part, its latest round is taken as far as it will go: refreshed from the provider
until its batch is terminal, its output and error files downloaded (their lines come in any
order), every request evaluated exactly as `summarize` would (`check_answer` against the
item the part's manifest keeps: the schema, the quotes, the facts at the prompt's grounding
level; a refusal, a cut-off or a filtered answer is that typed failure), and the rest sent on:

- an invalid answer is re-asked in a follow-up batch: the request's messages, the answer and
  the prompt's re-ask message listing the validation errors (`PromptTemplate.render_reask`);
- a request the provider did not finish (expired or cancelled batches, 408/409/429/5xx
  lines, lines missing from both files) is sent again as it was;
- with `finish_direct`, those items are summarised through the normal API instead.

Follow-ups are bounded by the state's `max_rounds`; after that an item is a failure. When
every part is finished, `results.jsonl` gets one line per item in input order: a
CaseSummary, or a SummaryFailure (closed and empty items included, as `NothingToSummarize`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from casesummary.backends.openai import completion_text, completion_usage
from casesummary.batch.files import AtomicWriter, read_jsonl, request_line, write_jsonl
from casesummary.batch.provider import BatchClient, batch_backend
from casesummary.batch.state import (
    RESULTS_FILE,
    BatchState,
    Counts,
    Part,
    Round,
    load_state,
    now,
    save_state,
)
from casesummary.batch.submission import ensure_submitted, iter_items
from casesummary.exceptions import (
    BackendConnectionError,
    ContentFilterError,
    InvalidBatchState,
    OutputValidationError,
    RefusalError,
    TruncatedOutputError,
    UserError,
    first_error,
)
from casesummary.item import AgendaItem
from casesummary.prompt import load_prompt
from casesummary.result import CaseSummary, Provenance, SummaryFailure, Usage
from casesummary.sources import load_items
from casesummary.summarizer import summarize_many
from casesummary.taxonomy import load_taxonomy
from casesummary.validation import CheckedAnswer, check_answer

if TYPE_CHECKING:
    from casesummary.backends.openai import OpenAIBackend
    from casesummary.prompt import PromptTemplate
    from casesummary.taxonomy import Taxonomy

#: Error codes of requests a batch did not get to (its window ran out, or it was cancelled).
UNFINISHED_CODES = frozenset({"batch_expired", "batch_cancelled"})
RETRYABLE_STATUSES = frozenset({408, 409, 429})
DEFAULT_POLL_INTERVAL = 60.0


@dataclass(frozen=True)
class CollectResult:
    """Where a collect got to: done (results.jsonl written) or still waiting on batches."""

    state: BatchState
    done: bool
    results: Path | None
    ok: int = 0
    failed: int = 0


def collect(
    state_dir: str | Path,
    *,
    wait: bool = False,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    finish_direct: bool = False,
    prompt: PromptTemplate | None = None,
    taxonomy: Taxonomy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[str], None] | None = None,
) -> CollectResult:
    """Take every batch of a state directory as far as it goes; with `wait`, until all are done.

    `prompt` and `taxonomy` default to the ones the submit used (their fingerprints must
    match). Returns whether results.jsonl is written and how many items ended ok or failed.
    """
    if poll_interval < 0:
        raise UserError(f"poll interval must be 0 or more seconds, not {poll_interval:g}")
    directory = Path(state_dir)
    state = load_state(directory)
    if state.phase in ("preparing", "prepared"):
        raise InvalidBatchState(
            "nothing is submitted yet: run `casesummary batch submit` (with --yes) first",
            path=directory,
        )
    job = _Job(directory, state, *_templates(directory, state, prompt, taxonomy), finish_direct)
    say = progress or (lambda _: None)
    while True:
        moved = True
        while moved:
            moved = False
            for part in state.parts:
                moved = job.advance(part, say) or moved
        if all(part.finished for part in state.parts):
            ok, failed = job.write_results()
            state.phase, state.finished = "collected", now()
            save_state(directory, state)
            return CollectResult(state, True, directory / RESULTS_FILE, ok, failed)
        if not wait:
            return CollectResult(state, False, None)
        sleep(poll_interval)


def status(state_dir: str | Path, *, refresh: bool = True) -> BatchState:
    """The state of a state directory; with `refresh`, each unfinished batch asked anew."""
    directory = Path(state_dir)
    state = load_state(directory)
    if not refresh or state.phase in ("preparing", "prepared", "collected"):
        return state
    client = BatchClient(batch_backend(state.backend))
    for part in state.parts:
        latest = part.latest
        if latest.via == "batch" and latest.batch.id and not latest.terminal:
            _update(latest, client.retrieve(latest.batch.id))
    save_state(directory, state)
    return state


def read_results(state_dir: str | Path) -> Iterator[CaseSummary | SummaryFailure]:
    """The results of a collected state directory, one per item, in input order."""
    path = Path(state_dir) / RESULTS_FILE
    if not path.is_file():
        raise InvalidBatchState("no results.jsonl yet: run `casesummary batch collect`", path=path)
    for row in read_jsonl(path):
        if "error_type" in row:
            yield SummaryFailure.model_validate(row)
        else:
            yield CaseSummary.model_validate(row)


def _templates(
    directory: Path, state: BatchState, prompt: PromptTemplate | None, taxonomy: Taxonomy | None
) -> tuple[PromptTemplate, Taxonomy]:
    tax = taxonomy or load_taxonomy(state.taxonomy_path)
    template = prompt or load_prompt(Path(state.prompt_path))
    if tax.fingerprint != state.taxonomy_fingerprint:
        raise InvalidBatchState(
            "the taxonomy differs from the one the batches were submitted with", path=directory
        )
    if template.fingerprint(tax) != state.prompt_fingerprint:
        raise InvalidBatchState(
            f"the prompt {template.spec} differs from the one the batches were submitted with "
            f"({state.prompt_id}@{state.prompt_version})",
            path=directory,
        )
    return template, tax


def _update(rnd: Round, info: Any) -> None:
    rnd.status = info.status
    rnd.counts = Counts(total=info.total, completed=info.completed, failed=info.failed)
    rnd.output_file_id = info.output_file_id
    rnd.error_file_id = info.error_file_id
    rnd.errors = list(info.errors)
    rnd.created_at = info.created_at or rnd.created_at
    rnd.finished_at = info.finished_at


class _Job:
    """One collect over a state directory: the provider client, prompt, taxonomy and backend."""

    def __init__(
        self,
        directory: Path,
        state: BatchState,
        prompt: PromptTemplate,
        taxonomy: Taxonomy,
        finish_direct: bool,
    ) -> None:
        self.directory = directory
        self.state = state
        self.prompt = prompt
        self.taxonomy = taxonomy
        self.finish_direct = finish_direct
        self.backend: OpenAIBackend = batch_backend(state.backend)
        self.client = BatchClient(self.backend)

    def save(self) -> None:
        save_state(self.directory, self.state)

    def path(self, part: Part, name: str) -> Path:
        return self.directory / part.directory / name

    # -- one step further for a part ---------------------------------------------------------

    def advance(self, part: Part, say: Callable[[str], None]) -> bool:
        """Take the part's latest round one step; whether anything changed."""
        rnd = part.latest
        label = f"part {part.index} round {rnd.round}"
        if rnd.via == "batch" and rnd.batch.status != "done":
            ensure_submitted(self.client, self.directory, self.state, part, rnd)
            say(f"{label}: submitted {rnd.batch.id}")
            return True
        if rnd.via == "batch" and not rnd.terminal:
            assert rnd.batch.id is not None
            before = rnd.status
            _update(rnd, self.client.retrieve(rnd.batch.id))
            self.save()
            if rnd.status != before:
                say(f"{label}: {rnd.status}")
            return rnd.terminal
        if rnd.via == "batch" and not rnd.downloaded:
            for file_id, name in ((rnd.output_file_id, "output"), (rnd.error_file_id, "errors")):
                if file_id:
                    dest = self.path(part, f"round-{rnd.round}.{name}.jsonl")
                    self.client.download(file_id, dest)
            rnd.downloaded = True
            self.save()
            return True
        if not rnd.evaluated:
            rnd.followups = self.evaluate(part, rnd)
            rnd.evaluated = True
            self.save()
            say(f"{label}: evaluated, {rnd.followups} to follow up")
            return True
        if rnd.followups:
            if self.finish_direct:
                self.finish(part, rnd)
            else:
                self.follow_up(part, rnd)
            return True
        return False

    # -- evaluating one round ----------------------------------------------------------------

    def evaluate(self, part: Part, rnd: Round) -> int:
        """Write the round's outcomes file; how many requests go on to a follow-up."""
        outputs = self._lines(part, rnd, "output")
        errors = self._lines(part, rnd, "errors")
        manifest = _LineIndex(self.path(part, "items.jsonl"))
        try:
            return self._evaluate(part, rnd, outputs, errors, manifest)
        finally:
            outputs.close()
            errors.close()
            manifest.close()

    def _evaluate(
        self, part: Part, rnd: Round, outputs: _LineIndex, errors: _LineIndex, manifest: _LineIndex
    ) -> int:
        carried = self._carried(part, rnd)
        last_round = rnd.round >= self.state.max_rounds
        latency = float(max(0, (rnd.finished_at or 0) - (rnd.created_at or 0)))
        followups = 0

        def outcomes() -> Iterator[dict[str, Any]]:
            nonlocal followups
            for row in read_jsonl(self.directory / rnd.file):
                request_id = str(row.get("custom_id"))
                usage, attempts = carried.get(request_id, (Usage(), 0))
                entry = manifest.get(request_id) or {}
                fingerprint = str(entry.get("fingerprint", ""))
                title = str(entry.get("title", request_id))
                item = _stored_item(entry, request_id, manifest.path)
                outcome = self._outcome(rnd, outputs.get(request_id), errors.get(request_id), item)
                outcome["custom_id"] = request_id
                used = usage + outcome.pop("usage", Usage())
                outcome["usage"] = used.model_dump()
                outcome["attempts"] = attempts + 1
                kind = outcome["status"]
                if kind in ("reask", "retry") and last_round:
                    outcome = self._exhausted(outcome, fingerprint, title)
                elif kind == "ok":
                    checked: CheckedAnswer = outcome.pop("answer")
                    outcome["result"] = self._summary(
                        checked, used, attempts + 1, fingerprint, latency
                    ).model_dump(mode="json")
                elif kind == "failed":
                    outcome["failure"] = SummaryFailure(
                        item_fingerprint=fingerprint,
                        item_title=title,
                        error_type=outcome.pop("error_type"),
                        message=outcome.pop("message"),
                        attempts=attempts + 1,
                    ).model_dump(mode="json")
                if outcome["status"] in ("reask", "retry"):
                    followups += 1
                yield outcome

        write_jsonl(self.path(part, f"round-{rnd.round}.outcomes.jsonl"), outcomes())
        return followups

    def _outcome(
        self,
        rnd: Round,
        output: Mapping[str, Any] | None,
        error: Mapping[str, Any] | None,
        item: AgendaItem | None,
    ) -> dict[str, Any]:
        """What one request came to: ok (with the checked answer), failed, reask or retry.

        The answer is checked as `summarize` checks it: against the item the manifest keeps
        (its quotes and, at the prompt's grounding level, its facts); None, in a manifest
        written before manifests kept items, checks the answer without it.
        """
        if rnd.status == "failed":
            reasons = "; ".join(rnd.errors) or "the provider refused the batch file"
            return _failed("BatchFailed", f"the batch failed validation: {reasons}")
        line = output or error
        if line is None:
            return {"status": "retry", "reason": f"not answered by the {rnd.status} batch"}
        response = line.get("response")
        if not isinstance(response, Mapping):
            found = line.get("error")
            problem: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
            error_code = str(problem.get("code") or "")
            message = str(problem.get("message") or error_code or "no response")
            if error_code in UNFINISHED_CODES:
                return {"status": "retry", "reason": message}
            return _failed("BackendError", message)
        status_code = response.get("status_code")
        body = response.get("body")
        if status_code != 200:
            message = _error_message(body) or f"HTTP {status_code}"
            code = status_code if isinstance(status_code, int) else 0
            if code in RETRYABLE_STATUSES or code >= 500:
                return {"status": "retry", "reason": f"HTTP {code}: {message}"}
            return _failed("BackendHTTPError", f"HTTP {code}: {message}")
        model = str((body or {}).get("model") or self.state.model)
        usage = completion_usage(body)
        try:
            text, _ = completion_text(body, "json_schema", model=model, kind=self.state.kind)
        except (RefusalError, ContentFilterError, TruncatedOutputError) as exc:
            return {**_failed(type(exc).__name__, str(exc)), "usage": usage}
        except BackendConnectionError as exc:
            return {"status": "retry", "reason": str(exc), "usage": usage}
        try:
            answer = check_answer(
                text,
                self.taxonomy,
                item=item,
                evidence=self.prompt.evidence,
                grounding=self.prompt.grounding if item is not None else "off",
            )
        except OutputValidationError as exc:
            return {"status": "reask", "content": text, "errors": exc.errors, "usage": usage}
        return {"status": "ok", "answer": answer, "usage": usage, "model": model}

    def _exhausted(self, outcome: dict[str, Any], fingerprint: str, title: str) -> dict[str, Any]:
        attempts = int(outcome["attempts"])
        if outcome["status"] == "reask":
            error_type = "OutputValidationError"
            message = f"the answer was still invalid after {attempts} attempt(s): " + "; ".join(
                outcome.get("errors") or []
            )
        else:
            error_type = "RetriesExhausted"
            message = f"no answer after {attempts} batch round(s): {outcome.get('reason')}"
        failure = SummaryFailure(
            item_fingerprint=fingerprint,
            item_title=title,
            error_type=error_type,
            message=" ".join(message.split()),
            attempts=attempts,
        )
        return {
            "custom_id": outcome["custom_id"],
            "status": "failed",
            "usage": outcome["usage"],
            "attempts": attempts,
            "failure": failure.model_dump(mode="json"),
        }

    def _summary(
        self, checked: CheckedAnswer, usage: Usage, attempts: int, fingerprint: str, latency: float
    ) -> CaseSummary:
        provenance = Provenance(
            prompt_id=self.prompt.id,
            prompt_version=self.prompt.version,
            prompt_fingerprint=self.state.prompt_fingerprint,
            backend=self.state.kind,
            model=self.state.model,
            parameters=dict(self.prompt.parameters),
            structured_mode="json_schema",
            usage=usage,
            attempts=attempts,
            latency_s=latency,
            item_fingerprint=fingerprint,
        )
        return CaseSummary.from_answer(checked.answer, provenance, checked.citations)

    def _lines(self, part: Part, rnd: Round, name: str) -> _LineIndex:
        return _LineIndex(self.path(part, f"round-{rnd.round}.{name}.jsonl"))

    def _carried(self, part: Part, rnd: Round) -> dict[str, tuple[Usage, int]]:
        """Usage and attempts so far of the requests this round follows up."""
        if rnd.round == 0:
            return {}
        path = self.path(part, f"round-{rnd.round - 1}.outcomes.jsonl")
        return {
            str(o["custom_id"]): (Usage.model_validate(o["usage"]), int(o["attempts"]))
            for o in read_jsonl(path)
            if o.get("status") in ("reask", "retry")
        }

    def _items(self, part: Part) -> dict[str, tuple[str, str]]:
        return {
            str(row["custom_id"]): (str(row["fingerprint"]), str(row["title"]))
            for row in read_jsonl(self.path(part, "items.jsonl"))
        }

    # -- what comes after a round ------------------------------------------------------------

    def follow_up(self, part: Part, rnd: Round) -> None:
        """Write and submit the next round: re-asks and resubmissions of this round's rest."""
        pending = {
            str(o["custom_id"]): o
            for o in read_jsonl(self.path(part, f"round-{rnd.round}.outcomes.jsonl"))
            if o.get("status") in ("reask", "retry")
        }
        name = f"round-{rnd.round + 1}.input.jsonl"
        writer = AtomicWriter(self.path(part, name))
        count = 0
        try:
            for row in read_jsonl(self.directory / rnd.file):
                outcome = pending.get(str(row.get("custom_id")))
                if outcome is None:
                    continue
                body = dict(row["body"])
                if outcome["status"] == "reask":
                    body["messages"] = [
                        *body["messages"],
                        {"role": "assistant", "content": outcome["content"]},
                        {"role": "user", "content": self.prompt.render_reask(outcome["errors"])},
                    ]
                writer.write(request_line(str(row["custom_id"]), self.state.url, body))
                count += 1
            writer.commit()
        except BaseException:
            writer.discard()
            raise
        follow = Round(
            round=rnd.round + 1,
            file=f"{part.directory}/{name}",
            requests=count,
            bytes=writer.bytes,
            sha256=writer.sha256,
        )
        part.rounds.append(follow)
        self.save()
        ensure_submitted(self.client, self.directory, self.state, part, follow)

    def finish(self, part: Part, rnd: Round) -> None:
        """Summarise this round's rest through the normal API, as a "direct" round."""
        pending = {
            str(o["custom_id"]): o
            for o in read_jsonl(self.path(part, f"round-{rnd.round}.outcomes.jsonl"))
            if o.get("status") in ("reask", "retry")
        }
        wanted = {fp: cid for cid, (fp, _) in self._items(part).items() if cid in pending}
        found: dict[str, Any] = {}
        for source in self.state.inputs:
            for item in load_items(Path(source)):
                if item.fingerprint in wanted and item.fingerprint not in found:
                    found[item.fingerprint] = item
        results = summarize_many(
            list(found.values()), backend=self.backend, prompt=self.prompt, taxonomy=self.taxonomy
        )
        by_id: dict[str, CaseSummary | SummaryFailure] = {
            wanted[item.fingerprint]: result
            for item, result in zip(found.values(), results, strict=True)
        }
        name = f"round-{rnd.round + 1}.outcomes.jsonl"
        rows = [self._direct(cid, pending[cid], by_id.get(cid)) for cid in pending]
        write_jsonl(self.path(part, name), rows)
        part.rounds.append(
            Round(
                round=rnd.round + 1,
                file=f"{part.directory}/{name}",
                requests=len(rows),
                bytes=0,
                sha256="",
                via="direct",
                evaluated=True,
            )
        )
        self.save()

    def _direct(
        self,
        request_id: str,
        before: Mapping[str, Any],
        result: CaseSummary | SummaryFailure | None,
    ) -> dict[str, Any]:
        usage = Usage.model_validate(before["usage"])
        attempts = int(before["attempts"])
        if isinstance(result, CaseSummary):
            provenance = result.provenance.model_copy(
                update={
                    "usage": usage + result.provenance.usage,
                    "attempts": attempts + result.provenance.attempts,
                }
            )
            merged = result.model_copy(update={"provenance": provenance})
            result_json = merged.model_dump(mode="json")
            return {"custom_id": request_id, "status": "ok", "result": result_json}
        if result is None:  # the input files no longer hold the item
            result = SummaryFailure(
                item_fingerprint="",
                item_title=request_id,
                error_type="InvalidBatchState",
                message="the item is no longer in the input files",
                attempts=attempts,
            )
        failure = result.model_copy(update={"attempts": attempts + result.attempts})
        return {"custom_id": request_id, "status": "failed", "failure": failure.model_dump()}

    # -- the results file --------------------------------------------------------------------

    def write_results(self) -> tuple[int, int]:
        """results.jsonl: one line per input item, in input order; (ok, failed)."""
        counts = {"ok": 0, "failed": 0}
        finals: dict[str, Mapping[str, Any]] = {}
        loaded: int | None = None

        def rows() -> Iterator[dict[str, Any]]:
            nonlocal finals, loaded
            for item in iter_items(self.directory):
                part = item.get("part")
                if not isinstance(part, int):
                    counts["failed"] += 1
                    why = "is closed" if item.get("skip") == "closed" else "has no text"
                    yield SummaryFailure(
                        item_fingerprint=str(item["fingerprint"]),
                        item_title=str(item["title"]),
                        error_type="NothingToSummarize",
                        message=f"item {item['title']!r} {why}",
                    ).model_dump(mode="json")
                    continue
                if part != loaded:
                    finals, loaded = self._finals(self.state.parts[part]), part
                outcome = finals.get(str(item["custom_id"]))
                if outcome is not None and outcome.get("status") == "ok":
                    counts["ok"] += 1
                    yield dict(outcome["result"])
                    continue
                counts["failed"] += 1
                if outcome is not None:
                    yield dict(outcome["failure"])
                else:
                    yield SummaryFailure(
                        item_fingerprint=str(item["fingerprint"]),
                        item_title=str(item["title"]),
                        error_type="InvalidBatchState",
                        message="no outcome was recorded for this item",
                    ).model_dump(mode="json")

        write_jsonl(self.directory / RESULTS_FILE, rows())
        return counts["ok"], counts["failed"]

    def _finals(self, part: Part) -> dict[str, Mapping[str, Any]]:
        """Each request's final outcome: the last ok or failed one over the part's rounds."""
        finals: dict[str, Mapping[str, Any]] = {}
        for rnd in part.rounds:
            path = self.path(part, f"round-{rnd.round}.outcomes.jsonl")
            for outcome in read_jsonl(path):
                if outcome.get("status") in ("ok", "failed"):
                    finals[str(outcome["custom_id"])] = outcome
        return finals


class _LineIndex:
    """A downloaded output or error file, by custom_id: only each line's offset is held, so
    memory stays small whatever the completions weigh; a line is read when it is asked for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offsets: dict[str, int] = {}
        self._handle = path.open("rb") if path.is_file() else None
        if self._handle is None:
            return
        offset = 0
        for number, raw in enumerate(self._handle, start=1):
            if raw.strip():
                try:
                    line = json.loads(raw)
                except ValueError:
                    raise InvalidBatchState(f"line {number} is not JSON", path=path) from None
                if isinstance(line, dict):
                    self._offsets[str(line.get("custom_id"))] = offset
            offset += len(raw)

    def get(self, request_id: str) -> Mapping[str, Any] | None:
        offset = self._offsets.get(request_id)
        if offset is None or self._handle is None:
            return None
        self._handle.seek(offset)
        line = json.loads(self._handle.readline())
        return line if isinstance(line, dict) else None

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


def _stored_item(entry: Mapping[str, Any], request_id: str, path: Path) -> AgendaItem | None:
    """The item a part's manifest entry keeps (None in a manifest written without items)."""
    stored = entry.get("item")
    if stored is None:
        return None
    try:
        return AgendaItem.model_validate(stored)
    except ValidationError as exc:
        raise InvalidBatchState(
            f"the item of request {request_id} is damaged: {first_error(exc)}", path=path
        ) from None


def _failed(error_type: str, message: str) -> dict[str, Any]:
    return {"status": "failed", "error_type": error_type, "message": " ".join(message.split())}


def _error_message(body: Any) -> str:
    if isinstance(body, Mapping):
        inner = body.get("error", body)
        if isinstance(inner, Mapping) and isinstance(inner.get("message"), str):
            return str(inner["message"])
    return ""
