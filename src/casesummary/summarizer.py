"""Summarise agenda items: build the request, ask the backend, validate, re-ask, add provenance.

A `Summarizer` holds one backend, prompt and taxonomy; `summarize`, `asummarize`,
`summarize_many` and `asummarize_many` are thin wrappers that make one, use it and close what
it opened. Web apps and the eval runner keep one `Summarizer` for many items.

Re-asks: an answer that fails validation is sent back once more with the assistant's answer and
a user message listing only the validation errors (never any API error text), at most
`max_reasks` times. After that, `OutputValidationError` is raised with the last answer's errors
and output. Transport failures are the backend's business and propagate unchanged.

Validation reads the item too: a prompt that asks for evidence has each quote checked against
it, and the prompt's grounding level (or the Summarizer's `grounding`) holds the answer's
numbers, dates and names to it; where each quote was found goes into the result (`citations`).

Backend choice: the `backend` argument (a spec string, a `BackendSpec` or a Backend), else
$CASESUMMARY_BACKEND, else the offline ``baseline`` (`backends.spec.resolve_spec`). A backend
made from a spec belongs to the Summarizer, which closes it; a Backend object passed in belongs
to the caller.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from casesummary.backends.base import (
    Backend,
    BackendRequest,
    BackendResponse,
    Closing,
    as_backend,
)
from casesummary.backends.registry import get_backend
from casesummary.backends.replay import RecordingBackend
from casesummary.backends.spec import BackendSpec, resolve_spec
from casesummary.exceptions import (
    ContextWindowExceeded,
    NothingToSummarize,
    OutputValidationError,
    RetriesExhausted,
    UserError,
    one_line,
)
from casesummary.grounding import GROUNDING_LEVELS, GroundingLevel
from casesummary.input_fit import check_usage, fit_request, refit_request
from casesummary.messages import Message
from casesummary.prompt import PromptTemplate, load_prompt
from casesummary.result import CaseSummary, Provenance, SummaryFailure, Usage, failure_reason
from casesummary.taxonomy import Taxonomy, load_taxonomy
from casesummary.validation import answer_schema, check_answer

if TYPE_CHECKING:
    from collections.abc import Coroutine
    from typing import Any

    from casesummary.item import AgendaItem

Progress = Callable[[int, int], None]
#: Called with an item's position in the input and its outcome, as soon as it finishes.
OnResult = Callable[[int, "CaseSummary | SummaryFailure"], None]
BackendArg = str | BackendSpec | Backend | None
_T = TypeVar("_T")


@dataclass
class Trace:
    """What summarising one item took, filled in as it runs: pass one to `summarize` or
    `asummarize` to read it afterwards, also when the item failed (the eval scores the first
    answer from it).

    `responses` are the backend's raw answers in order (the first, then each re-ask's);
    `asked` counts the answers asked for, the failing one included; `attempts` counts requests
    as `Provenance.attempts` does.
    """

    responses: list[BackendResponse] = field(default_factory=list)
    asked: int = 0
    attempts: int = 0

    @property
    def reasks(self) -> int:
        """Answers sent back to the model to be fixed."""
        return max(0, self.asked - 1)


def build_request(
    item: AgendaItem,
    *,
    prompt: PromptTemplate,
    taxonomy: Taxonomy,
    repeat: int = 0,
    max_input_tokens: int | None = None,
) -> BackendRequest:
    """The first request for `item`: rendered messages, answer schema, parameters, fingerprints.

    `max_input_tokens` replaces the prompt's own budget for the item text.
    """
    return BackendRequest(
        messages=prompt.render(item, taxonomy, max_input_tokens=max_input_tokens),
        max_input_tokens=max_input_tokens,
        json_schema=answer_schema(taxonomy, evidence=prompt.evidence),
        schema_name=prompt.schema_name,
        parameters=dict(prompt.parameters),
        item=item,
        taxonomy=taxonomy,
        prompt_id=prompt.id,
        prompt_version=prompt.version,
        prompt_fingerprint=prompt.fingerprint(taxonomy),
        repeat=repeat,
    )


def check_summarizable(item: AgendaItem) -> None:
    """NothingToSummarize (reason "closed" or "empty") unless the item is open and has text."""
    if not item.is_open:
        raise NothingToSummarize(f"item {item.title!r} is closed", reason="closed")
    if not item.has_text:
        raise NothingToSummarize(f"item {item.title!r} has no text", reason="empty")


class Summarizer(Closing):
    """One backend, prompt and taxonomy, ready to summarise items into CaseSummary results.

        with Summarizer("openai:gpt-4o-mini") as summarizer:
            results = summarizer.summarize_many(items)

    Every argument is checked when the Summarizer is made, before any item runs. With
    `cache_dir`, an answer recorded there for the same request is reused instead of asking the
    backend (backends/replay.py); new answers are recorded. `grounding` ("off", "numbers",
    "all") overrides how strictly the prompt holds answers to the item's facts.
    `max_input_tokens` replaces the prompt's token budget for the item text; a backend's context
    window (`context=` in its spec, or learnt from an overflow) caps it.
    """

    def __init__(
        self,
        backend: BackendArg = None,
        *,
        prompt: str | Path | PromptTemplate | None = None,
        taxonomy: str | Path | Taxonomy | None = None,
        max_reasks: int = 2,
        cache_dir: str | Path | None = None,
        grounding: GroundingLevel | None = None,
        max_input_tokens: int | None = None,
    ) -> None:
        _check_reasks(max_reasks)
        if max_input_tokens is not None and max_input_tokens < 1:
            raise UserError(f"max_input_tokens must be at least 1, not {max_input_tokens}")
        self.max_input_tokens = max_input_tokens
        if grounding is not None and grounding not in GROUNDING_LEVELS:
            raise UserError(
                f"grounding must be one of {', '.join(GROUNDING_LEVELS)}, not {grounding!r}"
            )
        self.prompt: PromptTemplate = (
            prompt if isinstance(prompt, PromptTemplate) else load_prompt(prompt)
        )
        #: How strictly answers are held to the item's facts: this argument, else the prompt's.
        self.grounding: GroundingLevel = grounding or self.prompt.grounding
        self.taxonomy: Taxonomy = load_taxonomy(taxonomy)
        self.max_reasks = max_reasks
        self.spec: BackendSpec | None = None
        #: True when no backend was chosen and the offline baseline stands in.
        self.fell_back = False
        if backend is None or isinstance(backend, str | BackendSpec):
            self.spec, self.fell_back = resolve_spec(backend)
            self.backend: Backend = get_backend(self.spec)
            self.owns_backend = True
        else:
            chosen = as_backend(backend)
            if chosen is None:
                raise UserError(
                    "backend must be a spec string such as 'baseline' or a Backend "
                    f"(with name, model, complete and acomplete), not {type(backend).__name__}"
                )
            self.backend = chosen
            self.owns_backend = False
        if cache_dir is not None:
            # Answers come from and go to a content-addressed cache; closing reaches the inner.
            self.backend = RecordingBackend(self.backend, cache_dir, reuse=True)

    @property
    def label(self) -> str:
        """The backend as a spec string, without credentials (for run files and logs)."""
        if self.spec is not None:
            return self.spec.redacted()
        backend = self.backend
        return f"{backend.name}:{backend.model}" if backend.model else backend.name

    # -- one item ---------------------------------------------------------------------------

    def summarize(
        self, item: AgendaItem, *, repeat: int = 0, trace: Trace | None = None
    ) -> CaseSummary:
        """Summarise one item: NothingToSummarize for a closed or empty item (before any call),
        OutputValidationError when the answer stays invalid, the backend's errors otherwise.
        A `trace` given is filled in with the raw answers and the counts."""
        check_summarizable(item)
        run = _Run(self, item, repeat, trace)
        while True:
            try:
                response = run.ask(self.backend)
            except ContextWindowExceeded as exc:
                run.refit(exc)  # once, with the budget the server's numbers allow
                continue
            result = run.accept(response)
            if result is not None:
                return result

    async def asummarize(
        self, item: AgendaItem, *, repeat: int = 0, trace: Trace | None = None
    ) -> CaseSummary:
        """`summarize` for async callers: uses the backend's `acomplete`."""
        check_summarizable(item)
        return await _finish(self.backend, _Run(self, item, repeat, trace))

    # -- many items -------------------------------------------------------------------------

    async def asummarize_many(
        self,
        items: Iterable[AgendaItem],
        *,
        concurrency: int = 4,
        progress: Progress | None = None,
        repeat: int = 0,
        on_result: OnResult | None = None,
    ) -> list[CaseSummary | SummaryFailure]:
        """Summarise many items concurrently, in input order; a failing item becomes a
        SummaryFailure. `progress(done, total)` is called as each item finishes, and
        `on_result(position, outcome)` with its outcome (to stream results as they come)."""
        _check_concurrency(concurrency)
        batch: Sequence[AgendaItem] = list(items)
        semaphore = asyncio.Semaphore(concurrency)
        done = 0

        async def one(position: int, item: AgendaItem) -> CaseSummary | SummaryFailure:
            nonlocal done
            trace = Trace()
            try:
                async with semaphore:
                    check_summarizable(item)
                    run = _Run(self, item, repeat, trace)
                    outcome: CaseSummary | SummaryFailure = await _finish(self.backend, run)
            except Exception as exc:  # one item's failure must never lose the others
                outcome = failure(item, exc, attempts=trace.attempts)
            done += 1
            if on_result is not None:
                on_result(position, outcome)
            if progress is not None:
                progress(done, len(batch))
            return outcome

        return list(await asyncio.gather(*(one(n, i) for n, i in enumerate(batch))))

    def summarize_many(
        self,
        items: Iterable[AgendaItem],
        *,
        concurrency: int = 4,
        progress: Progress | None = None,
        repeat: int = 0,
        on_result: OnResult | None = None,
    ) -> list[CaseSummary | SummaryFailure]:
        """`asummarize_many` on an event loop of its own (in a worker thread when called inside
        a running loop); the backend's connections to that loop are closed when it ends."""
        _check_concurrency(concurrency)
        return run_in_new_loop(
            self.asummarize_many(
                items,
                concurrency=concurrency,
                progress=progress,
                repeat=repeat,
                on_result=on_result,
            ),
            self.backend,
        )

    # -- closing ----------------------------------------------------------------------------

    def close(self) -> None:
        """Close the backend if this Summarizer made it from a spec."""
        if self.owns_backend:
            self.backend.close()

    async def aclose(self) -> None:
        """Close the backend (async clients included) if this Summarizer made it from a spec."""
        if self.owns_backend:
            await self.backend.aclose()


def run_in_new_loop(coro: Coroutine[Any, Any, _T], backend: Backend) -> _T:
    """Run `coro` on a new event loop, then close `backend`'s connections bound to that loop.

    Inside a running loop (a notebook, a web handler) the new loop runs in a worker thread.
    """

    async def run_and_release() -> _T:
        try:
            return await coro
        finally:
            await backend.aclose()  # the loop dies on return: no socket may outlive it

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(run_and_release())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run_and_release()).result()


# -- the module-level API --------------------------------------------------------------------


def summarize(
    item: AgendaItem,
    *,
    backend: BackendArg = None,
    prompt: str | PromptTemplate | None = None,
    taxonomy: str | Path | Taxonomy | None = None,
    max_reasks: int = 2,
    repeat: int = 0,
    max_input_tokens: int | None = None,
) -> CaseSummary:
    """Summarise one item into a validated CaseSummary (see `Summarizer.summarize`).

    Raises NothingToSummarize for a closed item or one without text (before any backend call),
    OutputValidationError when the answer is still invalid after `max_reasks` re-asks, and the
    backend's own BackendError subclasses for transport failures.
    """
    check_summarizable(item)
    with Summarizer(
        backend,
        prompt=prompt,
        taxonomy=taxonomy,
        max_reasks=max_reasks,
        max_input_tokens=max_input_tokens,
    ) as s:
        return s.summarize(item, repeat=repeat)


async def asummarize(
    item: AgendaItem,
    *,
    backend: BackendArg = None,
    prompt: str | PromptTemplate | None = None,
    taxonomy: str | Path | Taxonomy | None = None,
    max_reasks: int = 2,
    repeat: int = 0,
    max_input_tokens: int | None = None,
) -> CaseSummary:
    """`summarize` for async callers: uses the backend's `acomplete`."""
    check_summarizable(item)
    async with Summarizer(
        backend,
        prompt=prompt,
        taxonomy=taxonomy,
        max_reasks=max_reasks,
        max_input_tokens=max_input_tokens,
    ) as s:
        return await s.asummarize(item, repeat=repeat)


def summarize_many(
    items: Iterable[AgendaItem],
    *,
    backend: BackendArg = None,
    prompt: str | PromptTemplate | None = None,
    taxonomy: str | Path | Taxonomy | None = None,
    concurrency: int = 4,
    progress: Progress | None = None,
    max_reasks: int = 2,
    repeat: int = 0,
    max_input_tokens: int | None = None,
    on_result: OnResult | None = None,
) -> list[CaseSummary | SummaryFailure]:
    """Summarise many items concurrently, in input order; a failing item becomes a SummaryFailure.

    `progress(done, total)` is called as each item finishes, `on_result(position, outcome)` with
    each outcome as it comes. Caller mistakes (an unknown backend, a broken prompt or taxonomy)
    are raised at once, before any item runs. Inside a running event loop this runs in a worker
    thread; async code can await `asummarize_many` instead.
    """
    _check_concurrency(concurrency)
    with Summarizer(
        backend,
        prompt=prompt,
        taxonomy=taxonomy,
        max_reasks=max_reasks,
        max_input_tokens=max_input_tokens,
    ) as s:
        return s.summarize_many(
            items, concurrency=concurrency, progress=progress, repeat=repeat, on_result=on_result
        )


async def asummarize_many(
    items: Iterable[AgendaItem],
    *,
    backend: BackendArg = None,
    prompt: str | PromptTemplate | None = None,
    taxonomy: str | Path | Taxonomy | None = None,
    concurrency: int = 4,
    progress: Progress | None = None,
    max_reasks: int = 2,
    repeat: int = 0,
    max_input_tokens: int | None = None,
    on_result: OnResult | None = None,
) -> list[CaseSummary | SummaryFailure]:
    """`summarize_many` for async callers."""
    _check_concurrency(concurrency)
    async with Summarizer(
        backend,
        prompt=prompt,
        taxonomy=taxonomy,
        max_reasks=max_reasks,
        max_input_tokens=max_input_tokens,
    ) as s:
        return await s.asummarize_many(
            items, concurrency=concurrency, progress=progress, repeat=repeat, on_result=on_result
        )


# -- the re-ask loop -----------------------------------------------------------------------------


class _Run:
    """One item's conversation with a backend: the next request, and what it took (a Trace)."""

    def __init__(
        self, summarizer: Summarizer, item: AgendaItem, repeat: int, trace: Trace | None = None
    ) -> None:
        self.item = item
        self.prompt, self.taxonomy = summarizer.prompt, summarizer.taxonomy
        self.backend = summarizer.backend
        self.max_reasks = summarizer.max_reasks
        self.grounding = summarizer.grounding
        budget = summarizer.max_input_tokens
        request = build_request(
            item, prompt=self.prompt, taxonomy=self.taxonomy, repeat=repeat, max_input_tokens=budget
        )
        self.request, self.fit = fit_request(request, self.prompt, self.backend, budget)
        self.refitted = False
        self.trace = trace if trace is not None else Trace()
        self.usage = Usage()
        self.started = time.perf_counter()

    def refit(self, error: ContextWindowExceeded) -> None:
        """Re-render the request once with the budget the overflow allows; else raise it."""
        if self.refitted:
            raise error
        self.refitted = True
        self.request, self.fit = refit_request(self.request, self.prompt, error, self.backend)

    def ask(self, backend: Backend) -> BackendResponse:
        """The backend's answer to the current request, counted (a failed call too)."""
        self.trace.asked += 1
        try:
            return backend.complete(self.request)
        except Exception as exc:
            self.trace.attempts += _tries(exc)
            raise

    async def aask(self, backend: Backend) -> BackendResponse:
        """`ask` on the backend's `acomplete`."""
        self.trace.asked += 1
        try:
            return await backend.acomplete(self.request)
        except Exception as exc:
            self.trace.attempts += _tries(exc)
            raise

    def accept(self, response: BackendResponse) -> CaseSummary | None:
        """The result if `response` is valid; None after preparing a re-ask; raises at the bound."""
        self.fit = check_usage(self.request, response, self.fit)
        self.trace.responses.append(response)
        self.trace.attempts += max(1, response.attempts)
        self.usage = self.usage + response.usage
        answers = len(self.trace.responses)
        try:
            checked = check_answer(
                response.content,
                self.taxonomy,
                item=self.item,
                evidence=self.prompt.evidence,
                grounding=self.grounding,
            )
        except OutputValidationError as exc:
            if answers > self.max_reasks:
                counted = "1 answer" if answers == 1 else f"{answers} answers"
                raise OutputValidationError(
                    f"the answer was still invalid after {counted}: " + "; ".join(exc.errors),
                    errors=exc.errors,
                    output=exc.output,
                ) from None
            followup = (
                Message(role="assistant", content=response.content),
                Message(role="user", content=self.prompt.render_reask(exc.errors)),
            )
            self.request = self.request.model_copy(
                update={"messages": (*self.request.messages, *followup)}
            )
            return None
        provenance = Provenance(
            prompt_id=self.prompt.id,
            prompt_version=self.prompt.version,
            prompt_fingerprint=self.request.prompt_fingerprint,
            backend=self.backend.name,
            model=response.model or self.backend.model,
            parameters=self.request.parameters,
            structured_mode=response.structured_mode,
            usage=self.usage,
            attempts=self.trace.attempts,
            reasks=answers - 1,
            latency_s=round(time.perf_counter() - self.started, 3),
            item_fingerprint=self.item.fingerprint,
            extractive=response.extractive,
            input_fit=self.fit,
        )
        return CaseSummary.from_answer(checked.answer, provenance, checked.citations)


async def _finish(backend: Backend, run: _Run) -> CaseSummary:
    while True:
        try:
            response = await run.aask(backend)
        except ContextWindowExceeded as exc:
            run.refit(exc)
            continue
        result = run.accept(response)
        if result is not None:
            return result


def _tries(error: BaseException) -> int:
    """Requests a failed backend call made: RetriesExhausted counts them, anything else is one."""
    return error.attempts if isinstance(error, RetriesExhausted) else 1


def failure(item: AgendaItem, error: BaseException, *, attempts: int = 0) -> SummaryFailure:
    """An item's failure as a typed record: its number, title, why (`reason`) and the error."""
    return SummaryFailure(
        item_fingerprint=item.fingerprint,
        item_title=item.title,
        item_number=item.number,
        reason=failure_reason(error),
        error_type=type(error).__name__,
        message=one_line(error),
        attempts=attempts,
    )


def _check_reasks(max_reasks: int) -> None:
    if max_reasks < 0:
        raise UserError(f"max_reasks must be 0 or more, not {max_reasks}")


def _check_concurrency(concurrency: int) -> None:
    if concurrency < 1:
        raise UserError(f"concurrency must be at least 1, not {concurrency}")
