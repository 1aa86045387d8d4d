"""Fitting the rendered prompt to the model's input: summarize's side of backends/context.py.

Three things, each recorded in `Provenance.input_fit`:

- an item budget given by the caller (`max_input_tokens`, the CLI's `--max-input-tokens`)
  replaces the prompt's own;
- a known context window (`context=` on the spec, or learnt from an earlier overflow error)
  caps the budget so that the messages, the schema and `max_tokens` fit;
- after a `ContextWindowExceeded`, the request is re-rendered once with the budget the error's
  numbers allow (`refit_request`); and a response whose usage.prompt_tokens is far below what
  was sent (a server that silently cuts the input, as Ollama does) is logged as a warning.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from casesummary.backends.context import (
    MIN_ITEM_TOKENS,
    ContextOverflow,
    ContextWindow,
    context_window_of,
    item_budget,
    message_tokens,
    shrunk_item_budget,
    truncation_suspected,
)
from casesummary.exceptions import ContextWindowExceeded
from casesummary.result import InputFit
from casesummary.tokens import count_tokens

if TYPE_CHECKING:
    from casesummary.backends.base import BackendRequest, BackendResponse
    from casesummary.prompt import PromptTemplate

log = logging.getLogger(__name__)

#: Characters per o200k token of Danish prose (about 3.3), rounded up: a cheap first look at
#: usage before counting the messages exactly.
_CHARS_PER_TOKEN = 3.5


def fit_request(
    request: BackendRequest,
    prompt: PromptTemplate,
    backend: object,
    max_input_tokens: int | None = None,
) -> tuple[BackendRequest, InputFit | None]:
    """`request` (rendered with `max_input_tokens` or the prompt's budget) fitted to the window.

    Returns the request, re-rendered only when the item text does not fit, and what was done
    (None when neither a caller's budget nor a window applied).
    """
    window = context_window_of(backend)
    budget = max_input_tokens if max_input_tokens is not None else prompt.max_input_tokens
    if window is None:
        if max_input_tokens is None:
            return request, None
        return request, InputFit(max_input_tokens=budget, source="max_input_tokens")
    item_tokens = count_tokens(request.item.to_prompt_text(budget))
    overhead = (
        message_tokens(m.content for m in request.messages)
        - item_tokens
        + _schema_tokens(json.dumps(request.json_schema, ensure_ascii=False, sort_keys=True))
    )
    room = max(
        MIN_ITEM_TOKENS,
        item_budget(window, max_tokens=max_output_tokens(request), overhead_tokens=overhead),
    )
    source = "max_input_tokens" if max_input_tokens is not None else "prompt"
    if budget is not None and budget <= room:
        fitted = budget
    else:
        fitted, source = room, "context"
    if item_tokens > fitted:
        request = rerender(request, prompt, fitted)
    elif fitted != prompt.max_input_tokens or max_input_tokens is not None:
        # the same messages, but asked for under another budget (the cache keeps them apart)
        request = request.model_copy(update={"max_input_tokens": fitted})
    return request, InputFit(max_input_tokens=fitted, source=source, context_window=window.tokens)


def refit_request(
    request: BackendRequest,
    prompt: PromptTemplate,
    error: ContextWindowExceeded,
    backend: object,
) -> tuple[BackendRequest, InputFit]:
    """The request re-rendered with the budget the overflow error allows; raises it if none."""
    window = context_window_of(backend) or ContextWindow(error.context_window)
    budget = request.max_input_tokens or prompt.max_input_tokens
    item_tokens = count_tokens(request.item.to_prompt_text(budget))
    sent = error.sent_tokens or message_tokens(m.content for m in request.messages)
    overflow = ContextOverflow(error.context_window, error.prompt_tokens, error.completion_tokens)
    smaller = shrunk_item_budget(
        overflow,
        window=window,
        sent_tokens=sent,
        item_tokens=item_tokens,
        max_tokens=max_output_tokens(request),
    )
    if smaller is None or smaller >= item_tokens:
        raise error
    log.info(
        "%s: the input did not fit a %d-token window; re-rendering the item at %d tokens",
        request.item.title,
        error.context_window,
        smaller,
    )
    fit = InputFit(
        max_input_tokens=smaller, source="context_error", context_window=error.context_window
    )
    return rerender(request, prompt, smaller), fit


def check_usage(
    request: BackendRequest, response: BackendResponse, fit: InputFit | None
) -> InputFit | None:
    """`fit`, marked (and a warning logged) when the server counted far fewer input tokens
    than were sent: it probably cut the item without saying so."""
    reported = response.usage.input_tokens
    if reported <= 0:
        return fit
    chars = sum(len(m.content) for m in request.messages)
    if not truncation_suspected(int(chars / _CHARS_PER_TOKEN), reported):
        return fit  # usage is in line with a cheap estimate: no need to count
    sent = message_tokens(m.content for m in request.messages)
    if not truncation_suspected(sent, reported):
        return fit
    log.warning(
        "%s: the server counted %d input tokens for %d sent; it probably cut the input "
        "(an Ollama num_ctx that is too small?). Give the window with context=N.",
        request.item.title,
        reported,
        sent,
    )
    update: dict[str, Any] = {"sent_tokens": sent, "reported_tokens": reported, "truncated": True}
    return fit.model_copy(update=update) if fit is not None else InputFit(**update)


def rerender(request: BackendRequest, prompt: PromptTemplate, budget: int) -> BackendRequest:
    """`request` with its system and user messages rendered at `budget`; re-asks kept."""
    fresh = prompt.render(request.item, request.taxonomy, max_input_tokens=budget)
    return request.model_copy(
        update={"messages": (*fresh, *request.messages[len(fresh) :]), "max_input_tokens": budget}
    )


def max_output_tokens(request: BackendRequest) -> int:
    """The completion budget the request asks for (max_tokens or max_completion_tokens)."""
    for key in ("max_completion_tokens", "max_tokens"):
        value = request.parameters.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return 0


@lru_cache(maxsize=16)
def _schema_tokens(schema_json: str) -> int:
    return count_tokens(schema_json)
