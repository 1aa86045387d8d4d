"""Reading the servers' context-overflow errors, and the budget arithmetic built on them."""

from __future__ import annotations

import pytest

from casesummary.backends.context import (
    MIN_ITEM_TOKENS,
    ContextOverflow,
    ContextWindow,
    context_window_of,
    item_budget,
    parse_context_overflow,
    shrunk_item_budget,
    truncation_suspected,
)

# Each wording as its server writes it (see backends/context.py for where each comes from).
WORDINGS = {
    "openai, with completion": (
        "This model's maximum context length is 128000 tokens. However, you requested 130500 "
        "tokens (129500 in the messages, 1000 in the completion). Please reduce the length of "
        "the messages or completion.",
        None,
        ContextOverflow(128000, 129500, 1000),
    ),
    "openai, messages only": (
        "This model's maximum context length is 8192 tokens. However, your messages resulted in "
        "9000 tokens. Please reduce the length of the messages.",
        None,
        ContextOverflow(8192, 9000, None),
    ),
    "openai, with functions": (
        "This model's maximum context length is 8192 tokens. However, you requested 9300 tokens "
        "(8000 in the messages, 300 in the functions, 1000 in the completion).",
        None,
        ContextOverflow(8192, 8300, 1000),
    ),
    "openai, configured limit": (
        "Input tokens exceed the configured limit of 272000 tokens. Your messages resulted in "
        "279000 tokens. Please reduce the length of the messages.",
        None,
        ContextOverflow(272000, 279000, None),
    ),
    "llama-cpp-python (the issue's)": (
        "This model's maximum context length is 4096 tokens. However, you requested 5756 tokens "
        "(4556 in the messages, 1200 in the completion). Please reduce the length of the "
        "messages or completion.",
        {"error": {"type": "invalid_request_error", "code": "context_length_exceeded"}},
        ContextOverflow(4096, 4556, 1200),
    ),
    "vllm <= 0.17, input": (
        "This model's maximum context length is 4096 tokens. However, your request has 4645 "
        "input tokens. Please reduce the length of the input messages.",
        None,
        ContextOverflow(4096, 4645, None),
    ),
    "vllm <= 0.17, max_tokens": (
        "'max_tokens' or 'max_completion_tokens' is too large: 8000. This model's maximum "
        "context length is 4096 tokens and your request has 2778 input tokens "
        "(8000 > 4096 - 2778). None",
        None,
        ContextOverflow(4096, 2778, 8000),
    ),
    "vllm 0.18+, total": (
        "This model's maximum context length is 131072 tokens. However, you requested 4096 "
        "output tokens and your prompt contains at least 126977 input tokens, for a total of "
        "at least 131073 tokens. Please reduce the length of the input prompt or the number of "
        "requested output tokens. (parameter=input_tokens, value=126977)",
        None,
        ContextOverflow(131072, 126977, 4096),
    ),
    "vllm renderer, tokens": (
        "You passed 5000 input tokens and requested 1200 output tokens. However, the model's "
        "context length is only 4096 tokens, resulting in a maximum input length of 2896 "
        "tokens. Please reduce the length of the input prompt. (parameter=input_tokens, "
        "value=5000)",
        None,
        ContextOverflow(4096, 5000, 1200),
    ),
    "vllm renderer, characters": (
        "You passed 90000 input characters and requested 1200 output tokens. However, the "
        "model's context length is only 4096 tokens, resulting in a maximum input length of "
        "2896 tokens (at most 40000 characters). Please reduce the length of the input prompt.",
        None,
        ContextOverflow(4096, None, 1200),
    ),
    "vllm, max_tokens alone too large": (
        "max_tokens=5000cannot be greater than max_total_tokens=max_total_tokens=4096. Please "
        "request fewer output tokens. (parameter=max_tokens, value=5000)",
        None,
        ContextOverflow(4096, None, 5000),
    ),
    "llama-server": (
        "request (9412 tokens) exceeds the available context size (8192 tokens), try increasing it",
        {
            "error": {
                "code": 400,
                "type": "exceed_context_size_error",
                "n_prompt_tokens": 9412,
                "n_ctx": 8192,
            }
        },
        ContextOverflow(8192, 9412, None),
    ),
    "llama-server, older: numbers only in the fields": (
        "the request exceeds the available context size, try increasing it",
        {"error": {"type": "exceed_context_size_error", "n_prompt_tokens": 9000, "n_ctx": 8192}},
        ContextOverflow(8192, 9000, None),
    ),
}


@pytest.mark.parametrize("name", sorted(WORDINGS))
def test_every_servers_wording_is_read(name: str) -> None:
    message, body, expected = WORDINGS[name]
    assert parse_context_overflow(message, body) == expected


@pytest.mark.parametrize(
    ("message", "body"),
    [
        ("Rate limit reached for gpt-4o-mini", None),
        ("'messages' must contain the word 'json'", None),
        ("tool_choice is weird", {"error": {"code": 400}}),
        # an overflow type, but no window anywhere: nothing to size a budget by
        ("the request exceeds the available context size", {"error": {"type": "x"}}),
        ("the request exceeds the available context size", {"error": {"n_ctx": 2048}}),
        ("maximum context length is 0 tokens", None),
    ],
)
def test_other_errors_are_not_overflows(message: str, body: object) -> None:
    assert parse_context_overflow(message, body) is None


def test_window_budget_keeps_the_completion_and_a_margin() -> None:
    window = ContextWindow(4096)
    assert window.safety() == 32 + 123
    assert window.input_budget(1200) == 4096 - 1200 - window.safety()
    assert item_budget(window, max_tokens=1200, overhead_tokens=1500) == 4096 - 1200 - 155 - 1500
    # a tokenizer that counts 1.4 times ours leaves fewer of our tokens
    assert ContextWindow(4096, ratio=1.4).input_budget(1200) == int((4096 - 1200 - 155) / 1.4)
    assert ContextWindow(100).input_budget(1200) == 0


def test_ratio_is_learnt_within_bounds() -> None:
    window = ContextWindow(8192)
    window.learn(ContextOverflow(4096, 5600, 1200), sent_tokens=4000)
    assert (window.tokens, window.ratio) == (4096, 1.4)
    window.learn(ContextOverflow(4096, 10**6, None), sent_tokens=10)  # a garbled count
    assert window.ratio == 4.0
    window.learn(ContextOverflow(2048, None, None), sent_tokens=None)  # no count: ratio stays
    assert (window.tokens, window.ratio) == (2048, 4.0)
    with pytest.raises(ValueError, match="at least 1"):
        ContextWindow(0)


def test_shrunk_budget_takes_the_excess_off_the_item() -> None:
    # The numbers: 4556 in the messages + 1200 completion into 4096.
    overflow = ContextOverflow(4096, 4556, 1200)
    budget = shrunk_item_budget(
        overflow, window=ContextWindow(4096), sent_tokens=4556, item_tokens=3000, max_tokens=1200
    )
    assert budget is not None
    excess = 4556 + 1200 + ContextWindow(4096).safety() - 4096
    assert budget == 3000 - excess
    # the shrunk request fits: what was sent less the cut, plus the completion, within the window
    assert 4556 - (3000 - budget) + 1200 <= 4096


def test_shrunk_budget_converts_through_the_servers_ratio() -> None:
    overflow = ContextOverflow(2048, 2800, 200)  # the server counted 1.4 per our token
    budget = shrunk_item_budget(
        overflow, window=ContextWindow(2048), sent_tokens=2000, item_tokens=1600, max_tokens=200
    )
    assert budget is not None
    cut_ours = 1600 - budget
    assert (2000 - cut_ours) * 1.4 + 200 <= 2048


def test_shrunk_budget_without_a_prompt_count_still_cuts() -> None:
    overflow = ContextOverflow(4096, None, 1200)  # vLLM's characters check
    budget = shrunk_item_budget(
        overflow, window=ContextWindow(4096), sent_tokens=2500, item_tokens=2000, max_tokens=1200
    )
    assert budget is not None
    assert budget < 2000


def test_nothing_fits_when_the_completion_fills_the_window_or_the_item_would_vanish() -> None:
    window = ContextWindow(4096)
    assert (
        shrunk_item_budget(
            ContextOverflow(4096, None, 5000),
            window=window,
            sent_tokens=100,
            item_tokens=50,
            max_tokens=5000,
        )
        is None
    )
    assert (
        shrunk_item_budget(
            ContextOverflow(4096, 9000, 1200),
            window=window,
            sent_tokens=9000,
            item_tokens=MIN_ITEM_TOKENS,
            max_tokens=1200,
        )
        is None
    )


def test_truncation_is_suspected_only_far_below_what_was_sent() -> None:
    assert truncation_suspected(6000, 2048)
    assert not truncation_suspected(6000, 5400)  # another tokenizer, not a cut
    assert not truncation_suspected(6000, 0)  # no usage reported
    assert not truncation_suspected(100, 10)  # too short to tell


def test_window_is_found_through_wrappers() -> None:
    class Inner:
        context = ContextWindow(2048)

    class Wrapper:
        def __init__(self, inner: object) -> None:
            self.inner = inner

    assert context_window_of(Wrapper(Wrapper(Inner()))) is Inner.context
    assert context_window_of(Wrapper(object())) is None
