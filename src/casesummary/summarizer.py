"""Summarise agenda items: build the request, ask the backend, validate, re-ask, add provenance.

Re-asks: an answer that fails validation is sent back once more with the assistant's answer and
a user message listing only the validation errors (never any API error text), at most
`max_reasks` times. After that, `OutputValidationError` is raised with the last answer's errors
and output. Transport failures are the backend's business and propagate unchanged.

Backend choice: the `backend` argument (a spec string or a Backend), else $CASESUMMARY_BACKEND,
else the offline ``baseline``.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from casesummary.backends.base import aclose_backend
from casesummary.exceptions import (
    ContextWindowExceeded,
    NothingToSummarize,
    OutputValidationError,
    UserError,
)
from casesummary.result import CaseSummary, Provenance, SummaryFailure, Usage

if TYPE_CHECKING:
    from casesummary.backends.base import Backend, BackendRequest, BackendResponse
    from casesummary.item import AgendaItem
    from casesummary.prompt import PromptTemplate
    from casesummary.taxonomy import Taxonomy

Progress = Callable[[int, int], None]


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
    from casesummary.backends.base import BackendRequest
    from casesummary.validation import answer_schema

    return BackendRequest(
        messages=prompt.render(item, taxonomy, max_input_tokens=max_input_tokens),
        max_input_tokens=max_input_tokens,
        json_schema=answer_schema(taxonomy),
        schema_name=prompt.schema_name,
        parameters=dict(prompt.parameters),
        item=item,
        taxonomy=taxonomy,
        prompt_id=prompt.id,
        prompt_version=prompt.version,
        prompt_fingerprint=prompt.fingerprint(taxonomy),
        repeat=repeat,
    )


def summarize(
    item: AgendaItem,
    *,
    backend: str | Backend | None = None,
    prompt: str | PromptTemplate | None = None,
    taxonomy: str | Path | Taxonomy | None = None,
    max_reasks: int = 2,
    repeat: int = 0,
    max_input_tokens: int | None = None,
) -> CaseSummary:
    """Summarise one item into a validated CaseSummary.

    Raises NothingToSummarize for a closed item or one without text (before any backend call),
    OutputValidationError when the answer is still invalid after `max_reasks` re-asks, and the
    backend's own BackendError subclasses for transport failures. `max_input_tokens` replaces
    the prompt's token budget for the item text; a backend's context window caps it.
    """
    check_summarizable(item)
    run = _Run(
        item,
        _backend(backend),
        _prompt(prompt),
        _taxonomy(taxonomy),
        max_reasks,
        repeat,
        max_input_tokens,
    )
    while True:
        try:
            response = run.backend.complete(run.request)
        except ContextWindowExceeded as exc:
            run.refit(exc)
            continue
        result = run.accept(response)
        if result is not None:
            return result


async def asummarize(
    item: AgendaItem,
    *,
    backend: str | Backend | None = None,
    prompt: str | PromptTemplate | None = None,
    taxonomy: str | Path | Taxonomy | None = None,
    max_reasks: int = 2,
    repeat: int = 0,
    max_input_tokens: int | None = None,
) -> CaseSummary:
    """`summarize` for async callers: uses the backend's `acomplete`."""
    check_summarizable(item)
    run = _Run(
        item,
        _backend(backend),
        _prompt(prompt),
        _taxonomy(taxonomy),
        max_reasks,
        repeat,
        max_input_tokens,
    )
    return await _arun(run)


def summarize_many(
    items: Iterable[AgendaItem],
    *,
    backend: str | Backend | None = None,
    prompt: str | PromptTemplate | None = None,
    taxonomy: str | Path | Taxonomy | None = None,
    concurrency: int = 4,
    progress: Progress | None = None,
    max_reasks: int = 2,
    repeat: int = 0,
    max_input_tokens: int | None = None,
) -> list[CaseSummary | SummaryFailure]:
    """Summarise many items concurrently, in input order; a failing item becomes a SummaryFailure.

    `progress(done, total)` is called as each item finishes. Caller mistakes (an unknown backend,
    a broken prompt or taxonomy) are raised at once, before any item runs. Inside a running event
    loop this runs in a worker thread; async code can await `asummarize_many` instead.
    """
    chosen = _backend(backend)

    async def run_and_release() -> list[CaseSummary | SummaryFailure]:
        try:
            return await asummarize_many(
                items,
                backend=chosen,
                prompt=prompt,
                taxonomy=taxonomy,
                concurrency=concurrency,
                progress=progress,
                max_reasks=max_reasks,
                repeat=repeat,
                max_input_tokens=max_input_tokens,
            )
        finally:
            # The loop made here dies on return: close connections bound to it (no socket leak).
            await aclose_backend(chosen)

    coro = run_and_release()
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def asummarize_many(
    items: Iterable[AgendaItem],
    *,
    backend: str | Backend | None = None,
    prompt: str | PromptTemplate | None = None,
    taxonomy: str | Path | Taxonomy | None = None,
    concurrency: int = 4,
    progress: Progress | None = None,
    max_reasks: int = 2,
    repeat: int = 0,
    max_input_tokens: int | None = None,
) -> list[CaseSummary | SummaryFailure]:
    """`summarize_many` for async callers."""
    if concurrency < 1:
        raise UserError(f"concurrency must be at least 1, not {concurrency}")
    _check_reasks(max_reasks)
    batch: Sequence[AgendaItem] = list(items)
    chosen, template, topics = _backend(backend), _prompt(prompt), _taxonomy(taxonomy)
    semaphore = asyncio.Semaphore(concurrency)
    done = 0

    async def one(item: AgendaItem) -> CaseSummary | SummaryFailure:
        nonlocal done
        run: _Run | None = None
        try:
            async with semaphore:
                check_summarizable(item)
                run = _Run(item, chosen, template, topics, max_reasks, repeat, max_input_tokens)
                outcome: CaseSummary | SummaryFailure = await _arun(run)
        except Exception as exc:  # one item's failure must never lose the others
            outcome = SummaryFailure(
                item_fingerprint=item.fingerprint,
                item_title=item.title,
                error_type=type(exc).__name__,
                message=" ".join(str(exc).split()) or type(exc).__name__,
                attempts=run.attempts if run is not None else 0,
            )
        done += 1
        if progress is not None:
            progress(done, len(batch))
        return outcome

    return list(await asyncio.gather(*(one(i) for i in batch)))


def check_summarizable(item: AgendaItem) -> None:
    """NothingToSummarize (reason "closed" or "empty") unless the item is open and has text."""
    if not item.is_open:
        raise NothingToSummarize(f"item {item.title!r} is closed", reason="closed")
    if not item.has_text:
        raise NothingToSummarize(f"item {item.title!r} has no text", reason="empty")


# -- the re-ask loop -----------------------------------------------------------------------------


class _Run:
    """One item's conversation with a backend: the next request, the attempts, the usage."""

    def __init__(
        self,
        item: AgendaItem,
        backend: Backend,
        prompt: PromptTemplate,
        taxonomy: Taxonomy,
        max_reasks: int,
        repeat: int,
        max_input_tokens: int | None = None,
    ) -> None:
        from casesummary.input_fit import fit_request

        _check_reasks(max_reasks)
        if max_input_tokens is not None and max_input_tokens < 1:
            raise UserError(f"max_input_tokens must be at least 1, not {max_input_tokens}")
        self.item, self.backend, self.prompt, self.taxonomy = item, backend, prompt, taxonomy
        self.max_reasks = max_reasks
        request = build_request(
            item, prompt=prompt, taxonomy=taxonomy, repeat=repeat, max_input_tokens=max_input_tokens
        )
        self.request, self.fit = fit_request(request, prompt, backend, max_input_tokens)
        self.refitted = False
        self.attempts = 0
        self.usage = Usage()
        self.started = time.perf_counter()

    def refit(self, error: ContextWindowExceeded) -> None:
        """Re-render the request once with the budget the overflow allows; else raise it."""
        from casesummary.input_fit import refit_request

        if self.refitted:
            raise error
        self.refitted = True
        self.request, self.fit = refit_request(self.request, self.prompt, error, self.backend)

    def accept(self, response: BackendResponse) -> CaseSummary | None:
        """The result if `response` is valid; None after preparing a re-ask; raises at the bound."""
        from casesummary.backends.base import Message
        from casesummary.input_fit import check_usage
        from casesummary.validation import validate_answer

        self.fit = check_usage(self.request, response, self.fit)
        self.attempts += 1
        self.usage = self.usage + response.usage
        try:
            answer = validate_answer(response.content, self.taxonomy)
        except OutputValidationError as exc:
            if self.attempts > self.max_reasks:
                raise OutputValidationError(
                    f"the answer was still invalid after {self.attempts} attempt(s): "
                    + "; ".join(exc.errors),
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
            attempts=self.attempts,
            latency_s=round(time.perf_counter() - self.started, 3),
            item_fingerprint=self.item.fingerprint,
            extractive=response.extractive,
            input_fit=self.fit,
        )
        return CaseSummary.from_answer(answer, provenance)


async def _arun(run: _Run) -> CaseSummary:
    while True:
        try:
            response = await run.backend.acomplete(run.request)
        except ContextWindowExceeded as exc:
            run.refit(exc)
            continue
        result = run.accept(response)
        if result is not None:
            return result


# -- argument resolution -------------------------------------------------------------------------


def _check_reasks(max_reasks: int) -> None:
    if max_reasks < 0:
        raise UserError(f"max_reasks must be 0 or more, not {max_reasks}")


def _backend(backend: str | Backend | None) -> Backend:
    from casesummary.backends.registry import DEFAULT_SPEC, ENV_VAR, get_backend

    if backend is None:
        backend = os.environ.get(ENV_VAR, "").strip() or DEFAULT_SPEC
    return get_backend(backend) if isinstance(backend, str) else backend


def _prompt(prompt: str | PromptTemplate | None) -> PromptTemplate:
    from casesummary.prompt import PromptTemplate, load_prompt

    return prompt if isinstance(prompt, PromptTemplate) else load_prompt(prompt)


def _taxonomy(taxonomy: str | Path | Taxonomy | None) -> Taxonomy:
    from casesummary.taxonomy import load_taxonomy

    return load_taxonomy(taxonomy)
