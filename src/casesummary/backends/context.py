"""A model's context window: read the servers' overflow errors, and the token arithmetic.

Budgets are counted offline in o200k_base tokens (`casesummary.tokens`); a server counts with
its own tokenizer. `ContextWindow.ratio` is the server's tokens per o200k token: 1.0 for OpenAI
and Azure (o200k_base is their tokenizer), an assumed 1.4 for other servers (SmolLM2-135M's
tokenizer counts the Danish fixture items at 1.40 times o200k), and learnt from the numbers in
the first overflow error a server answers. A margin of `SAFETY_FRACTION` of the window plus
`SAFETY_TOKENS` is kept free for chat-template tokens and the rest of the estimate's error.

The overflow wordings read here (all HTTP 400):

- OpenAI and llama-cpp-python: "This model's maximum context length is W tokens. However, you
  requested T tokens (P in the messages, M in the completion)..." or "...However, your
  messages resulted in P tokens..."; newer OpenAI models: "Input tokens exceed the configured
  limit of W tokens. Your messages resulted in P tokens...".
- vLLM up to 0.17: "This model's maximum context length is W tokens. However, your request has
  P input tokens..." and "'max_tokens' or 'max_completion_tokens' is too large: M. This
  model's maximum context length is W tokens and your request has P input tokens (M > W - P)";
  0.18 and later: "...you requested M output tokens and your prompt contains at least P input
  tokens...", "You passed P input tokens and requested M output tokens. However, the model's
  context length is only W tokens...", the same with "input characters", and
  "max_tokens=M cannot be greater than max_total_tokens=W" (nothing to shrink then).
- llama.cpp's llama-server: "request (P tokens) exceeds the available context size (W tokens),
  try increasing it", type "exceed_context_size_error", with `n_prompt_tokens` and `n_ctx` in
  the error object (older builds: "the request exceeds the available context size, try
  increasing it", the numbers only in those fields).
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from casesummary.tokens import count_tokens

#: Kept free in every window: chat-template tokens and the estimate's error.
SAFETY_FRACTION = 0.03
SAFETY_TOKENS = 32
#: Chat-template tokens per message (role markers, separators) added to our own count.
PER_MESSAGE_TOKENS = 8
#: Server tokens per o200k token assumed before a server has told us its count.
DEFAULT_RATIO: dict[str, float] = {"openai": 1.0, "azure": 1.0, "openai-compatible": 1.4}
#: A ratio learnt from an error is kept within these bounds (a garbled number must not rule).
RATIO_BOUNDS = (0.5, 4.0)
#: Below this many tokens for the item text, a re-render is not worth sending.
MIN_ITEM_TOKENS = 64
#: A server reporting fewer than this share of the tokens we sent has cut the input (other
#: tokenizers count Danish text in more tokens than o200k_base, hardly ever in fewer).
TRUNCATION_SHARE = 0.75
#: Inputs shorter than this are not checked for truncation (template overheads dominate).
MIN_CHECKED_TOKENS = 256

_FLAGS = re.IGNORECASE | re.DOTALL
_WINDOW = (
    re.compile(r"maximum context length is (\d+)", _FLAGS),
    re.compile(r"configured limit of (\d+) tokens", _FLAGS),
    re.compile(r"context length is only (\d+)", _FLAGS),
    re.compile(r"available context size \((\d+) tokens?\)", _FLAGS),
    re.compile(r"max context size \((\d+) tokens?\)", _FLAGS),
    re.compile(r"max_(?:total_tokens|model_len)=(?:max_total_tokens=)?(\d+)", _FLAGS),
)
_PROMPT = (
    re.compile(r"(\d+) in the messages", _FLAGS),
    re.compile(r"messages resulted in (\d+) tokens", _FLAGS),
    re.compile(r"request has (\d+) input tokens", _FLAGS),
    re.compile(r"prompt contains (?:at least )?(\d+) input tokens", _FLAGS),
    re.compile(r"you passed (\d+) input tokens", _FLAGS),
    re.compile(r"request \((\d+) tokens?\) exceeds", _FLAGS),
    re.compile(r"input \((\d+) tokens?\) is (?:larger|longer)", _FLAGS),
)
_FUNCTIONS = re.compile(r"(\d+) in the functions", _FLAGS)
_COMPLETION = (
    re.compile(r"(\d+) in the completion", _FLAGS),
    re.compile(r"requested (\d+) output tokens", _FLAGS),
    re.compile(r"is too large: (\d+)", _FLAGS),
    re.compile(r"max_(?:tokens|completion_tokens)=(\d+)", _FLAGS),
)
_OVERFLOW_CODES = frozenset({"context_length_exceeded", "exceed_context_size_error"})


@dataclass(frozen=True)
class ContextOverflow:
    """What a server said when the request did not fit: its window and its counts."""

    context_window: int
    prompt_tokens: int | None = None  # the server's count of the input
    completion_tokens: int | None = None  # the completion budget it counted against the window


def parse_context_overflow(message: str, body: object = None) -> ContextOverflow | None:
    """The overflow an error message (and its JSON error object) describes, else None.

    `body` is the decoded error response (`{"error": {...}}` or the inner object); its
    llama-server fields `n_ctx` and `n_prompt_tokens` count when the text has no numbers.
    """
    fields = _error_fields(body)
    window = _first(_WINDOW, message)
    if window is None and any(str(fields.get(k)) in _OVERFLOW_CODES for k in ("type", "code")):
        window = _int(fields.get("n_ctx"))
    if window is None or window <= 0:
        return None
    prompt = _first(_PROMPT, message) or _int(fields.get("n_prompt_tokens"))
    functions = _first((_FUNCTIONS,), message)
    if prompt is not None and functions is not None:
        prompt += functions
    completion = _first(_COMPLETION, message)
    return ContextOverflow(window, prompt, completion)


class ContextWindow:
    """A model's window in tokens and its tokenizer's ratio to ours; shared by all requests.

    Made from a spec's `context=` option, or from the first overflow error a server answers;
    each later error updates it, so one error teaches every following request.
    """

    def __init__(self, tokens: int, *, ratio: float = 1.0) -> None:
        if tokens <= 0:
            raise ValueError("a context window is at least 1 token")
        self.tokens = tokens
        self.ratio = _bounded(ratio)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ContextWindow({self.tokens}, ratio={self.ratio:.2f})"

    def learn(self, overflow: ContextOverflow, sent_tokens: int | None) -> None:
        """Take the server's window, and its tokens-per-ours ratio when it counted the input."""
        with self._lock:
            self.tokens = overflow.context_window
            if overflow.prompt_tokens and sent_tokens:
                self.ratio = _bounded(overflow.prompt_tokens / sent_tokens)

    def safety(self) -> int:
        """Tokens (the server's) kept free for template tokens and estimation error."""
        return SAFETY_TOKENS + math.ceil(SAFETY_FRACTION * self.tokens)

    def input_budget(self, max_tokens: int) -> int:
        """How many of our tokens the messages may take so that `max_tokens` still fit."""
        free = self.tokens - max_tokens - self.safety()
        return max(0, math.floor(free / self.ratio))


def item_budget(window: ContextWindow, *, max_tokens: int, overhead_tokens: int) -> int:
    """Tokens left for the item text once the prompt's own text and the completion fit."""
    return window.input_budget(max_tokens) - overhead_tokens


def shrunk_item_budget(
    overflow: ContextOverflow,
    *,
    window: ContextWindow,
    sent_tokens: int,
    item_tokens: int,
    max_tokens: int,
) -> int | None:
    """The item budget that makes a rejected request fit, from the numbers in the error.

    The excess (the server's input plus completion plus the margin, minus its window) is
    converted into our tokens and taken off the item text. None when nothing can fit: the
    completion alone fills the window, or too little of the item would remain.
    """
    completion = overflow.completion_tokens
    if completion is None:
        completion = max_tokens
    if completion + window.safety() >= overflow.context_window:
        return None
    if overflow.prompt_tokens is not None and sent_tokens > 0:
        ratio = _bounded(overflow.prompt_tokens / sent_tokens)
        prompt = overflow.prompt_tokens
    else:  # the server gave no count (a characters check): estimate it, but over the line
        ratio = window.ratio
        prompt = max(math.ceil(sent_tokens * ratio), overflow.context_window - completion + 1)
    excess = prompt + completion + window.safety() - overflow.context_window
    budget = item_tokens - math.ceil(max(excess, 1) / ratio)
    return budget if budget >= MIN_ITEM_TOKENS else None


def message_tokens(contents: Iterable[str]) -> int:
    """Our count of chat messages: o200k tokens of each text plus the per-message overhead."""
    return sum(count_tokens(text) + PER_MESSAGE_TOKENS for text in contents)


def truncation_suspected(sent_tokens: int, reported_tokens: int) -> bool:
    """Whether a server's usage.prompt_tokens is far below what was sent (it cut the input)."""
    if sent_tokens < MIN_CHECKED_TOKENS or reported_tokens <= 0:
        return False
    return reported_tokens < TRUNCATION_SHARE * sent_tokens


def context_window_of(backend: object) -> ContextWindow | None:
    """The window a backend (or the backend a recording/cache wrapper holds) knows, if any."""
    seen = 0
    current: object | None = backend
    while current is not None and seen < 8:
        window = getattr(current, "context", None)
        if isinstance(window, ContextWindow):
            return window
        current = getattr(current, "inner", None)
        seen += 1
    return None


def _first(patterns: Iterable[re.Pattern[str]], text: str) -> int | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return int(match.group(1))
    return None


def _error_fields(body: object) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        inner = body.get("error", body)
        if isinstance(inner, Mapping):
            return inner
    return {}


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _bounded(ratio: float) -> float:
    low, high = RATIO_BOUNDS
    return min(high, max(low, ratio))
