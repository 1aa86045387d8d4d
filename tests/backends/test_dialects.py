"""The OpenAI backend against each server dialect of the loopback stub: structured-output
modes, the errors each server really returns, and the context-window path end to end."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from casesummary.backends.base import BackendRequest
from casesummary.backends.openai import OpenAIBackend
from casesummary.backends.registry import get_backend
from casesummary.backends.replay import RecordingBackend, key_parts
from casesummary.exceptions import ContextWindowExceeded, InvalidBackendSpec
from casesummary.item import AgendaItem
from casesummary.prompt import load_prompt
from casesummary.result import CaseSummary
from casesummary.sources import load_item
from casesummary.summarizer import build_request, summarize, summarize_many
from casesummary.taxonomy import load_taxonomy
from casesummary.testing.server import DIALECTS, OpenAIStubServer, StubError

from .conftest import MakeBackend

ODENSE = "tests/data/fixtures/odense-beu-2025-pejlemaerker.item.json"
#: Room for the shipped prompt (with the schema in the system message, as json_object sends
#: it), a 300-token completion and a few hundred tokens of the item, at 1.3 tokens per ours.
WINDOW = 3072

#: The prompt these windows were sized for (v2 asks for quotes and is longer).
V1 = "summary@1.0.0"


@pytest.fixture(scope="module")
def odense() -> AgendaItem:
    return load_item(ODENSE)


@pytest.fixture(scope="module", autouse=True)
def _tokenizer_loaded() -> None:
    """Load the o200k tables before any server counts with them: the first load takes seconds
    on a busy machine, and would eat into a client's timeout."""
    from casesummary.tokens import count_tokens

    count_tokens("varm op")


def server(dialect: str, **kwargs: Any) -> OpenAIStubServer:
    return OpenAIStubServer(dialect=dialect, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(params=[d for d in DIALECTS if d != "ollama"])
def refusing(request: pytest.FixtureRequest) -> Iterator[OpenAIStubServer]:
    """A server of each dialect that refuses an input over its window (WINDOW tokens)."""
    with server(request.param, context_window=WINDOW, token_ratio=1.3) as stub:
        yield stub


# -- the errors each server really returns --------------------------------------------------


@pytest.mark.parametrize(
    ("dialect", "status", "words"),
    [
        ("openai", 400, ["maximum context length is 2048", "in the messages", "in the completion"]),
        ("llamacpp", 400, ["maximum context length is 2048", "in the messages"]),
        ("llama-server", 400, ["exceeds the available context size (2048 tokens)"]),
        ("vllm", 400, ["maximum context length is 2048", "input tokens"]),
    ],
)
def test_overflow_becomes_context_window_exceeded_with_the_servers_numbers(
    dialect: str,
    status: int,
    words: list[str],
    make_backend: MakeBackend,
    backend_request: BackendRequest,
) -> None:
    long = backend_request.model_copy(
        update={
            "messages": (
                backend_request.messages[0],
                backend_request.messages[1].model_copy(update={"content": "Punkt. " * 2000}),
            ),
            "parameters": {"max_tokens": 300},
        }
    )
    with server(dialect, context_window=2048) as stub:
        backend = make_backend(stub, mode="json_object" if dialect == "llamacpp" else None)
        with pytest.raises(ContextWindowExceeded) as caught:
            backend.complete(long)
        error = caught.value
        assert error.status_code == status
        for word in words:
            assert word in str(error)
        assert error.context_window == 2048
        assert error.prompt_tokens is not None
        assert error.prompt_tokens > 2048
        assert error.sent_tokens is not None
        assert error.sent_tokens > 3000
        # an overflow is not a mode the server refuses: no fallback, no retry
        assert stub.request_count == 1
        assert backend.context is not None
        assert backend.context.tokens == 2048


def test_error_bodies_have_each_servers_shape() -> None:
    shapes = {}
    for dialect in DIALECTS:
        with server(dialect, replies=[StubError(400, "nope")]) as stub:
            request = urllib.request.Request(
                f"{stub.base_url}/chat/completions",
                data=json.dumps(
                    {"model": "m", "messages": [{"role": "user", "content": "x"}]}
                ).encode(),
                headers={"Content-Type": "application/json"},
            )
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(request, timeout=5)
            shapes[dialect] = json.loads(caught.value.read())["error"]
    openai_shape = {"message": "nope", "type": "invalid_request_error", "param": None, "code": None}
    assert shapes["openai"] == openai_shape
    vllm_shape = {"message": "nope", "type": "BadRequestError", "param": None, "code": 400}
    assert shapes["vllm"] == vllm_shape
    server_shape = {"code": 400, "message": "nope", "type": "invalid_request_error"}
    assert shapes["llama-server"] == server_shape
    assert shapes["ollama"]["type"] == "invalid_request_error"
    assert shapes["llamacpp"]["type"] == "invalid_request_error"


def test_llama_server_refuses_an_unknown_response_format_with_400(
    make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    with server("llama-server") as stub:
        backend = make_backend(stub)
        response = backend.complete(backend_request)
        assert response.structured_mode == "json_schema"  # it takes json_schema
        body = stub.chat_requests[0].body
        body["response_format"] = {"type": "grammar"}
        request = urllib.request.Request(
            f"{stub.base_url}/chat/completions",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=5)
        assert caught.value.code == 400
        message = json.loads(caught.value.read())["error"]["message"]
        assert message.startswith('response_format type must be one of "text" or "json_object"')


@pytest.mark.parametrize("dialect", ["ollama", "llama-server"])
def test_servers_that_do_not_force_tools_still_give_an_answer_in_tool_call_mode(
    dialect: str, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    with server(dialect) as stub:
        response = make_backend(stub, mode="tool_call").complete(backend_request)
        assert response.structured_mode == "tool_call"
        assert json.loads(response.content)["pros"]  # taken from the content, not a tool call
        assert "tool_choice" in stub.chat_requests[0].ignored


def test_vllm_takes_json_schema_and_nothing_we_send_is_ignored(
    make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    with server("vllm") as stub:
        response = make_backend(stub).complete(backend_request)
        assert response.structured_mode == "json_schema"
        assert stub.chat_requests[0].ignored == ()
        assert not any(k.startswith("guided_") for k in stub.chat_requests[0].body)


def test_vllm_and_ollama_ignore_the_schema_beside_json_object(
    make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    for dialect in ("vllm", "ollama"):
        with server(dialect) as stub:
            make_backend(stub, mode="json_object").complete(backend_request)
            assert stub.chat_requests[0].ignored == ("response_format.schema",)
    with server("vllm") as stub:  # vLLM 0.12 dropped guided_json: a request with it is ignored
        make_backend(stub, mode="json_object").complete(
            backend_request.model_copy(update={"parameters": {"guided_json": {"type": "object"}}})
        )
        assert "guided_json" in stub.chat_requests[0].ignored


# -- context windows: spec option --------------------------------------------------------


def test_context_option_on_specs(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = get_backend("openai-compatible:m@http://127.0.0.1:9/v1?context=4096")
    assert isinstance(backend, OpenAIBackend)
    assert backend.context is not None
    assert (backend.context.tokens, backend.context.ratio) == (4096, 1.4)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    openai_backend = get_backend("openai:gpt-4o-mini?context=128000&mode=json_schema")
    assert isinstance(openai_backend, OpenAIBackend)
    assert openai_backend.context is not None
    assert openai_backend.context.ratio == 1.0
    assert get_backend("openai:gpt-4o-mini").context is None  # type: ignore[attr-defined]
    for bad in ("0", "-5", "4k", ""):
        with pytest.raises(InvalidBackendSpec, match="context"):
            get_backend(f"openai-compatible:m@http://127.0.0.1:9/v1?context={bad}")


# -- context windows: summarize end to end ------------------------------------------------


def test_overflow_is_refitted_once_and_recorded_in_provenance(
    refusing: OpenAIStubServer, make_backend: MakeBackend, odense: AgendaItem
) -> None:
    backend = make_backend(refusing)
    prompt = load_prompt(V1)
    result = summarize(odense, backend=backend, prompt=_small(prompt))

    statuses = [r.outcome for r in refusing.chat_requests]
    rejected = {"llamacpp": ["error 500"]}.get(refusing.dialect, [])  # json_schema, first
    assert statuses == [*rejected, "error 400", "answer"]
    fit = result.provenance.input_fit
    assert fit is not None
    assert fit.source == "context_error"
    assert fit.context_window == WINDOW
    sent = refusing.prompt_tokens(refusing.chat_requests[-1].body)
    assert sent + 300 <= WINDOW  # the re-rendered request fits with its completion
    assert fit.max_input_tokens is not None
    assert fit.max_input_tokens < odense.to_prompt_text(6000).count(" ")


def test_the_learnt_window_fits_the_next_items_up_front(
    refusing: OpenAIStubServer, make_backend: MakeBackend, odense: AgendaItem
) -> None:
    backend = make_backend(refusing)
    prompt = _small(load_prompt(V1))
    other = odense.model_copy(update={"title": "Et andet punkt", "fingerprint": "b" * 64})
    results = [summarize(item, backend=backend, prompt=prompt) for item in (odense, other)]

    overflows = [r for r in refusing.chat_requests if r.outcome == "error 400"]
    assert len(overflows) == 1  # only the first item met the window
    assert all(isinstance(r, CaseSummary) for r in results)
    second = results[1].provenance.input_fit
    assert second is not None
    assert second.source == "context"


def test_context_option_fits_the_first_request(
    refusing: OpenAIStubServer, make_backend: MakeBackend, odense: AgendaItem
) -> None:
    backend = make_backend(refusing, context_window=WINDOW)
    result = summarize(odense, backend=backend, prompt=_small(load_prompt(V1)))

    assert not [r for r in refusing.chat_requests if r.outcome == "error 400"]
    fit = result.provenance.input_fit
    assert fit is not None
    assert (fit.source, fit.context_window) == ("context", WINDOW)


def test_a_window_too_small_for_anything_gives_the_typed_error(
    make_backend: MakeBackend, odense: AgendaItem
) -> None:
    with server("openai", context_window=400) as stub:
        with pytest.raises(ContextWindowExceeded, match="maximum context length is 400"):
            summarize(odense, backend=make_backend(stub), prompt=_small(load_prompt(V1)))
        assert [r.outcome for r in stub.chat_requests] == ["error 400"]  # no hopeless re-send


def test_bulk_runs_keep_every_item_under_overflows(
    refusing: OpenAIStubServer, make_backend: MakeBackend, odense: AgendaItem
) -> None:
    items = [
        odense.model_copy(update={"title": f"Punkt {k}", "fingerprint": f"{k:064d}"})
        for k in range(6)
    ]
    results = summarize_many(
        items,
        backend=make_backend(refusing),
        prompt=_small(load_prompt(V1)),
        concurrency=3,
    )
    assert len(results) == 6
    assert all(isinstance(r, CaseSummary) for r in results)


def test_silent_truncation_is_warned_and_recorded(
    make_backend: MakeBackend, odense: AgendaItem, caplog: pytest.LogCaptureFixture
) -> None:
    with server("ollama", context_window=1024) as stub:
        with caplog.at_level(logging.WARNING, logger="casesummary.input_fit"):
            result = summarize(odense, backend=make_backend(stub))
        assert stub.chat_requests[0].outcome == "answer"  # Ollama cuts, and answers
    fit = result.provenance.input_fit
    assert fit is not None
    assert fit.truncated
    assert fit.reported_tokens == 1024
    assert fit.sent_tokens is not None
    assert fit.sent_tokens > 2 * 1024
    assert "probably cut the input" in caplog.text


def test_no_truncation_warning_for_a_server_that_counts_differently(
    make_backend: MakeBackend, odense: AgendaItem, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        server("vllm", context_window=100_000, token_ratio=1.4) as stub,
        caplog.at_level(logging.WARNING),
    ):
        result = summarize(odense, backend=make_backend(stub))
    assert result.provenance.input_fit is None
    assert "cut the input" not in caplog.text


def test_max_input_tokens_replaces_the_prompts_budget_and_keys_the_cache(
    stub: OpenAIStubServer, make_backend: MakeBackend, odense: AgendaItem, tmp_path: Any
) -> None:
    prompt, taxonomy = load_prompt(V1), load_taxonomy()
    result = summarize(odense, backend=make_backend(stub), max_input_tokens=300)
    fit = result.provenance.input_fit
    assert fit is not None
    assert (fit.source, fit.max_input_tokens) == ("max_input_tokens", 300)
    assert odense.to_prompt_text(300) in stub.chat_requests[0].body["messages"][1]["content"]
    # a budget other than the prompt's is another request: another recording, another key
    plain = build_request(odense, prompt=prompt, taxonomy=taxonomy)
    small = build_request(odense, prompt=prompt, taxonomy=taxonomy, max_input_tokens=300)
    assert "max_input_tokens" not in key_parts("b", "m", plain)
    assert key_parts("b", "m", small)["max_input_tokens"] == 300
    cached = RecordingBackend(make_backend(stub), tmp_path, reuse=True)
    summarize(odense, backend=cached)
    summarize(odense, backend=cached, max_input_tokens=300)
    assert len(list(tmp_path.glob("*.json"))) == 2
    with pytest.raises(Exception, match="max_input_tokens must be at least 1"):
        summarize(odense, backend=make_backend(stub), max_input_tokens=0)


def test_the_window_is_seen_through_a_cache_wrapper(
    refusing: OpenAIStubServer, make_backend: MakeBackend, odense: AgendaItem, tmp_path: Any
) -> None:
    cached = RecordingBackend(make_backend(refusing, context_window=WINDOW), tmp_path, reuse=True)
    result = summarize(odense, backend=cached, prompt=_small(load_prompt(V1)))
    assert not [r for r in refusing.chat_requests if r.outcome == "error 400"]
    assert result.provenance.input_fit is not None


def _small(prompt: Any) -> Any:
    """The shipped prompt with a 300-token completion, so a small window has room for it."""
    return prompt.model_copy(update={"parameters": {**prompt.parameters, "max_tokens": 300}})
