"""OpenAIBackend against a real HTTP server on 127.0.0.1: modes, fallback, retries, errors, secrets.

Every test counts the requests the server saw, so a silent extra retry or a missing fallback
shows up as a wrong count.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

import pytest
from tenacity import AsyncRetrying, Retrying, stop_after_attempt, wait_none

from casesummary.backends.base import Backend, BackendRequest
from casesummary.backends.openai import (
    OpenAIBackend,
    extract_json_text,
)
from casesummary.backends.registry import get_backend
from casesummary.exceptions import (
    BackendConnectionError,
    BackendHTTPError,
    ContentFilterError,
    InvalidBackendSpec,
    RefusalError,
    RetriesExhausted,
    TruncatedOutputError,
)
from casesummary.result import Usage
from casesummary.testing.server import (
    DEFAULT_ANSWER,
    OpenAIStubServer,
    StubAnswer,
    StubError,
    StubFault,
)

MakeBackend = Callable[..., OpenAIBackend]

ANSWER_TEXT = json.dumps(DEFAULT_ANSWER, ensure_ascii=False)


def response_format_type(body: dict[str, object]) -> object:
    rf = body.get("response_format")
    return rf.get("type") if isinstance(rf, dict) else None


# -- structured-output modes -----------------------------------------------------------------


def test_json_schema_mode_sends_strict_schema_and_returns_the_json(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    backend = make_backend(stub)
    assert isinstance(backend, Backend)

    response = backend.complete(backend_request)

    assert stub.request_count == 1
    body = stub.requests[0].body
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {
            "name": "prompt_result",
            "schema": backend_request.json_schema,
            "strict": True,
        },
    }
    assert body["model"] == "stub-model"
    assert body["messages"] == [m.model_dump() for m in backend_request.messages]
    assert json.loads(response.content) == DEFAULT_ANSWER
    assert response.structured_mode == "json_schema"
    assert response.attempts == 1
    assert response.model == "stub-model"
    assert response.finish_reason == "stop"


def test_llamacpp_dialect_falls_back_to_json_object_once_and_remembers(
    llamacpp_stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    backend = make_backend(llamacpp_stub)

    first = backend.complete(backend_request)

    assert llamacpp_stub.request_count == 2
    sent = [response_format_type(r.body) for r in llamacpp_stub.requests]
    assert sent == ["json_schema", "json_object"]
    assert [r.outcome for r in llamacpp_stub.requests] == ["error 500", "answer"]
    assert llamacpp_stub.requests[1].body["response_format"]["schema"] == (
        backend_request.json_schema
    )
    assert first.structured_mode == "json_object"
    assert first.attempts == 2
    assert json.loads(first.content) == DEFAULT_ANSWER

    second = backend.complete(backend_request)

    assert llamacpp_stub.request_count == 3
    assert response_format_type(llamacpp_stub.requests[2].body) == "json_object"
    assert second.structured_mode == "json_object"
    assert second.attempts == 1


@pytest.mark.parametrize("mode", ["json_object", "tool_call", "prompted_json", "none"])
def test_each_pinned_mode_returns_the_json_and_records_the_mode(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest, mode: str
) -> None:
    backend = make_backend(stub, mode=mode)

    response = backend.complete(backend_request)

    assert stub.request_count == 1
    body = stub.requests[0].body
    assert json.loads(response.content) == DEFAULT_ANSWER
    assert response.structured_mode == mode
    system = body["messages"][0]["content"]
    if mode == "json_object":
        assert body["response_format"] == {
            "type": "json_object",
            "schema": backend_request.json_schema,
        }
    if mode == "tool_call":
        assert "response_format" not in body
        assert body["tools"][0]["function"]["parameters"] == backend_request.json_schema
        assert body["tool_choice"] == {"type": "function", "function": {"name": "prompt_result"}}
        assert response.finish_reason == "tool_calls"
    if mode in ("json_object", "prompted_json"):
        # The schema joins the one system message; templates often allow only one.
        assert [m["role"] for m in body["messages"]] == ["system", "user"]
        assert system.startswith("Du opsummerer dagsordenspunkter på dansk.")
        assert '"pros"' in system
    if mode in ("prompted_json", "none"):
        assert "response_format" not in body
        assert "tools" not in body
    if mode == "none":
        assert body["messages"] == [m.model_dump() for m in backend_request.messages]


def test_prompted_json_takes_the_json_out_of_a_fenced_reply(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    stub.queue(StubAnswer(content=f"Her er svaret:\n```json\n{ANSWER_TEXT}\n```\nHilsen"))
    backend = make_backend(stub, mode="prompted_json")

    response = backend.complete(backend_request)

    assert stub.request_count == 1
    assert response.content == ANSWER_TEXT
    assert response.structured_mode == "prompted_json"


def test_tool_call_mode_reads_the_arguments_or_falls_back_to_the_text(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    arguments = json.dumps({**DEFAULT_ANSWER, "keywords": ["Trafik"]}, ensure_ascii=False)
    stub.queue(StubAnswer(tool_arguments=arguments), StubAnswer(content=f"```\n{ANSWER_TEXT}\n```"))
    backend = make_backend(stub, mode="tool_call")

    with_tool = backend.complete(backend_request)
    without_tool = backend.complete(backend_request)

    assert stub.request_count == 2
    assert with_tool.content == arguments
    assert without_tool.content == ANSWER_TEXT
    assert {with_tool.structured_mode, without_tool.structured_mode} == {"tool_call"}


def test_falls_back_through_every_mode_to_prompted_json(
    make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    def no_structure(body: dict[str, object]) -> StubError | None:
        if "response_format" in body:
            return StubError(400, "Invalid parameter: 'response_format' is not supported")
        if "tools" in body:
            return StubError(422, "tools are not supported by this model")
        return None

    with OpenAIStubServer(handler=no_structure) as server:
        backend = make_backend(server)
        response = backend.complete(backend_request)

        assert server.request_count == 4
        assert [r.outcome for r in server.requests] == [
            "error 400",
            "error 400",
            "error 422",
            "answer",
        ]
        assert response.structured_mode == "prompted_json"
        assert backend.mode == "prompted_json"
        assert json.loads(response.content) == DEFAULT_ANSWER


def test_after_a_mode_worked_an_ordinary_400_is_raised_not_a_fallback(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    backend = make_backend(stub)
    backend.complete(backend_request)
    stub.queue(StubError(400, "temperature must be at most 2"))

    with pytest.raises(BackendHTTPError) as caught:
        backend.complete(backend_request)

    assert stub.request_count == 2
    assert caught.value.status_code == 400
    assert backend.mode == "json_schema"


def test_after_a_mode_worked_a_400_naming_the_feature_still_falls_back(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    backend = make_backend(stub)
    backend.complete(backend_request)
    stub.queue(StubError(400, "response_format json_schema is not supported for this model"))

    response = backend.complete(backend_request)

    assert stub.request_count == 3
    assert response_format_type(stub.requests[2].body) == "json_object"
    assert response.structured_mode == "json_object"


def test_a_pinned_mode_never_falls_back(
    llamacpp_stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    backend = make_backend(llamacpp_stub, mode="json_schema", max_retries=1)

    with pytest.raises(RetriesExhausted) as caught:
        backend.complete(backend_request)

    assert llamacpp_stub.request_count == 2
    assert {response_format_type(r.body) for r in llamacpp_stub.requests} == {"json_schema"}
    assert caught.value.attempts == 2
    assert isinstance(caught.value.last_error, BackendHTTPError)
    assert caught.value.last_error.status_code == 500


# -- retries -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "floor"),
    [
        (StubFault("rate_limit", retry_after=0.3), 0.3),
        (StubError(429, "slow down", headers={"retry-after-ms": "250"}), 0.25),
    ],
    ids=["retry-after-seconds", "retry-after-ms"],
)
def test_429_is_retried_no_sooner_than_retry_after(
    stub: OpenAIStubServer,
    make_backend: MakeBackend,
    backend_request: BackendRequest,
    reply: StubFault | StubError,
    floor: float,
) -> None:
    stub.queue(reply)
    backend = make_backend(stub, mode="json_schema")

    response = backend.complete(backend_request)

    assert stub.request_count == 2
    first, second = stub.requests
    assert first.outcome in ("fault rate_limit", "error 429")
    assert second.timestamp - first.timestamp >= floor
    assert response.attempts == 2
    assert json.loads(response.content) == DEFAULT_ANSWER


@pytest.mark.parametrize(
    "fault", ["server_error", "bad_gateway", "unavailable", "reset", "truncated", "no_choices"]
)
def test_transient_faults_are_retried(
    stub: OpenAIStubServer,
    make_backend: MakeBackend,
    backend_request: BackendRequest,
    fault: str,
) -> None:
    stub.queue(StubFault(fault))  # type: ignore[arg-type]
    backend = make_backend(stub, mode="json_schema")

    response = backend.complete(backend_request)

    assert stub.request_count == 2
    assert [r.outcome for r in stub.requests] == [f"fault {fault}", "answer"]
    assert response.attempts == 2
    assert json.loads(response.content) == DEFAULT_ANSWER


def test_a_hang_past_the_client_timeout_is_retried(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    stub.queue(StubFault("hang"))
    backend = make_backend(stub, mode="json_schema", timeout=0.2)

    response = backend.complete(backend_request)

    assert stub.request_count == 2
    assert [r.outcome for r in stub.requests] == ["fault hang", "answer"]
    assert response.attempts == 2


def test_a_timeout_on_every_attempt_ends_in_retries_exhausted(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    stub.queue(StubFault("hang"), StubFault("hang"))
    backend = make_backend(stub, mode="json_schema", timeout=0.15, max_retries=1)

    with pytest.raises(RetriesExhausted) as caught:
        backend.complete(backend_request)

    assert stub.request_count == 2
    assert caught.value.attempts == 2
    assert isinstance(caught.value.last_error, BackendConnectionError)
    assert "timeout" in str(caught.value.last_error)
    # A user waiting on a hanging server is told the bound that ended the wait, and where.
    message = str(caught.value)
    assert f"request to {stub.base_url} failed after 2 attempts" in message
    assert "max_retries=1: up to 2 tries per structured mode" in message
    assert "each waiting at most 0.15 s" in message
    assert f"no answer from {stub.base_url} within 0.15 s" in message


def test_a_connection_error_names_the_url_without_credentials(
    backend_request: BackendRequest,
) -> None:
    with OpenAIStubServer() as server:
        port = server.base_url.split(":")[2].split("/")[0]
    # The server is closed now: nothing listens on its port.
    url = f"http://casesummary:hunter2@127.0.0.1:{port}/v1?api_key=hunter3"
    backend = OpenAIBackend(
        "m", kind="openai-compatible", base_url=url, mode="json_schema", max_retries=0
    )

    with pytest.raises(RetriesExhausted) as caught:
        backend.complete(backend_request)
    backend.close()

    message = str(caught.value)
    assert f"connection to http://***@127.0.0.1:{port}/v1?api_key=*** failed" in message
    assert "after 1 attempt (" in message
    assert "hunter" not in message


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_caller_errors_are_never_retried(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest, status: int
) -> None:
    stub.queue(StubError(status, "no"))
    backend = make_backend(stub, mode="json_schema")

    with pytest.raises(BackendHTTPError) as caught:
        backend.complete(backend_request)

    assert stub.request_count == 1
    assert caught.value.status_code == status


def test_auth_errors_do_not_trigger_a_mode_fallback(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    stub.queue(StubError(401, "Incorrect API key provided"))
    backend = make_backend(stub)

    with pytest.raises(BackendHTTPError) as caught:
        backend.complete(backend_request)

    assert stub.request_count == 1
    assert caught.value.status_code == 401


def test_retries_exhausted_carries_attempts_and_the_typed_last_error(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    stub.queue(*[StubFault("unavailable")] * 3)
    backend = make_backend(stub, mode="json_schema", max_retries=2)

    with pytest.raises(RetriesExhausted) as caught:
        backend.complete(backend_request)

    assert stub.request_count == 3
    assert caught.value.attempts == 3
    assert isinstance(caught.value.last_error, BackendHTTPError)
    assert caught.value.last_error.status_code == 503


def test_max_retries_takes_a_tenacity_retrying(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    stub.queue(*[StubFault("bad_gateway")] * 5)
    backend = make_backend(
        stub, mode="json_schema", max_retries=Retrying(stop=stop_after_attempt(4), wait=wait_none())
    )

    with pytest.raises(RetriesExhausted) as caught:
        backend.complete(backend_request)

    assert stub.request_count == 4
    assert caught.value.attempts == 4
    assert stub.pending == 1


def test_connection_refused_is_a_connection_error(
    make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    with OpenAIStubServer() as server:
        backend = make_backend(server, mode="json_schema", max_retries=1)
    # The server is closed now: nothing listens on its port.

    with pytest.raises(RetriesExhausted) as caught:
        backend.complete(backend_request)

    assert server.request_count == 0
    assert caught.value.attempts == 2
    assert isinstance(caught.value.last_error, BackendConnectionError)


# -- typed answer errors, usage, parameters --------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("refusal", RefusalError),
        ("content_filter", ContentFilterError),
        ("length", TruncatedOutputError),
    ],
)
def test_bad_endings_raise_typed_errors_without_retrying(
    stub: OpenAIStubServer,
    make_backend: MakeBackend,
    backend_request: BackendRequest,
    fault: str,
    error: type[Exception],
) -> None:
    stub.queue(StubFault(fault))  # type: ignore[arg-type]
    backend = make_backend(stub)

    with pytest.raises(error):
        backend.complete(backend_request)

    assert stub.request_count == 1


def test_refusal_carries_the_refusal_text(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    stub.queue(StubAnswer(refusal="Det kan jeg ikke hjælpe med."))
    backend = make_backend(stub)

    with pytest.raises(RefusalError) as caught:
        backend.complete(backend_request)

    assert caught.value.refusal == "Det kan jeg ikke hjælpe med."
    assert stub.request_count == 1


@pytest.mark.parametrize("fault", ["not_json", "schema_break"])
def test_invalid_content_is_returned_as_is_for_the_caller_to_reask(
    stub: OpenAIStubServer,
    make_backend: MakeBackend,
    backend_request: BackendRequest,
    fault: str,
) -> None:
    stub.queue(StubFault(fault))  # type: ignore[arg-type]
    backend = make_backend(stub)

    response = backend.complete(backend_request)

    assert stub.request_count == 1
    assert response.content != ANSWER_TEXT
    assert response.content  # the caller sees exactly what the model said
    assert response.structured_mode == "json_schema"


def test_usage_is_summed_over_every_attempt_that_reported_it(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    stub.queue(StubAnswer(empty=True, usage=(100, 0)), StubAnswer(usage=(120, 40)))
    backend = make_backend(stub)

    response = backend.complete(backend_request)

    assert stub.request_count == 2
    assert response.usage == Usage(input_tokens=220, output_tokens=40)
    assert response.attempts == 2


def test_parameters_pass_through_and_unknown_ones_go_in_the_body(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    parameters = {"temperature": 0.2, "max_tokens": 800, "seed": 7, "top_p": 0.9, "top_k": 40}
    backend = make_backend(stub)

    backend.complete(backend_request.model_copy(update={"parameters": parameters}))

    assert stub.request_count == 1
    body = stub.requests[0].body
    assert {key: body[key] for key in parameters} == parameters


# -- secrets -------------------------------------------------------------------------------------


def test_the_key_is_sent_but_never_logged_nor_in_error_messages(
    stub: OpenAIStubServer,
    make_backend: MakeBackend,
    backend_request: BackendRequest,
    secret: str,
) -> None:
    stub.queue(
        StubError(401, f"Incorrect API key provided: {secret}. Header: Bearer {secret}"),
        *[StubFault("reset")] * 2,
    )
    backend = make_backend(stub, mode="json_schema", max_retries=1)

    with pytest.raises(BackendHTTPError) as auth_error:
        backend.complete(backend_request)
    with pytest.raises(RetriesExhausted) as exhausted:
        backend.complete(backend_request)

    assert stub.request_count == 3
    assert all(r.had_auth for r in stub.requests)
    assert "Incorrect API key provided" in str(auth_error.value)
    for message in (str(auth_error.value), str(exhausted.value), repr(backend)):
        assert secret not in message
        assert secret[:12] not in message
    stored = json.dumps([r.__dict__ for r in stub.requests], default=str)
    assert secret not in stored
    assert "authorization" not in stored.lower()


# -- async ---------------------------------------------------------------------------------------


async def test_async_path_falls_back_retries_and_counts(
    llamacpp_stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    llamacpp_stub.queue(StubFault("rate_limit", retry_after=0.2), StubFault("reset"))
    backend = make_backend(llamacpp_stub)

    response = await backend.acomplete(backend_request)
    again = await backend.acomplete(backend_request)
    await backend.aclose()

    assert llamacpp_stub.request_count == 5
    outcomes = [r.outcome for r in llamacpp_stub.requests]
    assert outcomes == ["error 500", "fault rate_limit", "fault reset", "answer", "answer"]
    requests = llamacpp_stub.requests
    assert requests[2].timestamp - requests[1].timestamp >= 0.2
    assert response.structured_mode == again.structured_mode == "json_object"
    assert response.attempts == 4
    assert again.attempts == 1
    assert json.loads(response.content) == DEFAULT_ANSWER


async def test_async_retries_exhausted_and_async_retrying(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    stub.queue(*[StubFault("server_error")] * 3)
    retrying = AsyncRetrying(stop=stop_after_attempt(3), wait=wait_none())
    backend = make_backend(stub, mode="json_schema", max_retries=retrying)

    with pytest.raises(RetriesExhausted) as caught:
        await backend.acomplete(backend_request)
    await backend.aclose()

    assert stub.request_count == 3
    assert caught.value.attempts == 3


async def test_async_caller_errors_are_not_retried(
    stub: OpenAIStubServer, make_backend: MakeBackend, backend_request: BackendRequest
) -> None:
    stub.queue(StubError(403, "forbidden"))
    backend = make_backend(stub, mode="tool_call")

    with pytest.raises(BackendHTTPError) as caught:
        await backend.acomplete(backend_request)
    await backend.aclose()

    assert stub.request_count == 1
    assert caught.value.status_code == 403


# -- spec factories --------------------------------------------------------------------------


def test_compatible_spec_builds_the_openai_backend_with_a_base_url(
    stub: OpenAIStubServer, backend_request: BackendRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    spec = f"openai-compatible:qwen2.5:7b@{stub.base_url}?mode=json_object&max_retries=0"
    backend = get_backend(spec)
    try:
        response = backend.complete(backend_request)
    finally:
        backend.close()

    assert type(backend) is OpenAIBackend
    assert (backend.name, backend.model, backend.base_url) == (
        "openai-compatible",
        "qwen2.5:7b",
        stub.base_url,
    )
    assert stub.request_count == 1
    assert stub.requests[0].body["model"] == "qwen2.5:7b"
    assert stub.requests[0].had_auth  # the placeholder key "not-needed"
    assert response.structured_mode == "json_object"


def test_openai_spec_uses_the_sdk_environment(
    stub: OpenAIStubServer,
    backend_request: BackendRequest,
    monkeypatch: pytest.MonkeyPatch,
    secret: str,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    monkeypatch.setenv("OPENAI_BASE_URL", stub.base_url)
    backend = get_backend("openai:gpt-4o-mini?timeout=5")
    try:
        response = backend.complete(backend_request)
    finally:
        backend.close()

    assert (backend.name, backend.model, backend.timeout) == ("openai", "gpt-4o-mini", 5.0)
    assert stub.request_count == 1
    assert stub.requests[0].had_auth
    assert response.structured_mode == "json_schema"


def test_azure_spec_calls_the_deployment_url_with_the_api_version(
    stub: OpenAIStubServer,
    backend_request: BackendRequest,
    monkeypatch: pytest.MonkeyPatch,
    secret: str,
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", stub.root_url)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", secret)
    monkeypatch.setenv("OPENAI_API_VERSION", "2024-10-21")
    monkeypatch.delenv("AZURE_OPENAI_AD_TOKEN", raising=False)
    backend = get_backend("azure:summaries-gpt4o")
    try:
        response = backend.complete(backend_request)
    finally:
        backend.close()

    assert (backend.name, backend.model) == ("azure", "summaries-gpt4o")
    assert stub.request_count == 1
    recorded = stub.requests[0]
    assert recorded.path == (
        "/openai/deployments/summaries-gpt4o/chat/completions?api-version=2024-10-21"
    )
    assert recorded.had_auth
    assert "api-key" not in recorded.headers
    assert response.structured_mode == "json_schema"


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "modelonly",
        "model@",
        "@http://127.0.0.1:1/v1",
        "model@ftp://example/v1",
        "model@http://127.0.0.1:1/v1?mode=yaml",
        "model@http://127.0.0.1:1/v1?colour=blue",
        "model@http://127.0.0.1:1/v1?timeout=soon",
        "model@http://127.0.0.1:1/v1?timeout=0",
        "model@http://127.0.0.1:1/v1?max_retries=-1",
    ],
)
def test_bad_compatible_specs_are_user_errors(spec: str) -> None:
    with pytest.raises(InvalidBackendSpec) as caught:
        get_backend(f"openai-compatible:{spec}")
    assert caught.value.spec == f"openai-compatible:{spec}"


def test_openai_spec_without_a_key_says_which_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(InvalidBackendSpec, match="OPENAI_API_KEY"):
        get_backend("openai:gpt-4o-mini")


def test_azure_spec_without_environment_names_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENAI_API_VERSION", "2024-10-21")
    with pytest.raises(InvalidBackendSpec) as caught:
        get_backend("azure:deployment")
    assert "AZURE_OPENAI_ENDPOINT" in str(caught.value)
    assert "AZURE_OPENAI_API_KEY" in str(caught.value)
    assert "OPENAI_API_VERSION" not in str(caught.value)


def test_constructor_rejects_bad_settings() -> None:
    with pytest.raises(InvalidBackendSpec):
        OpenAIBackend("m", mode="yaml")  # type: ignore[arg-type]
    with pytest.raises(InvalidBackendSpec):
        OpenAIBackend("m", max_retries="3")  # type: ignore[arg-type]
    with pytest.raises(InvalidBackendSpec):
        OpenAIBackend("")


# -- helpers and import cost -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', '{"a": 1}'),
        ('  {"a": 1}\n', '{"a": 1}'),
        ('```json\n{"a": 1}\n```', '{"a": 1}'),
        ('Svar:\n```\n{"a": [1, 2]}\n```', '{"a": [1, 2]}'),
        ('Her er JSON: {"a": {"b": 2}} - tak.', '{"a": {"b": 2}}'),
        ("ikke JSON overhovedet", "ikke JSON overhovedet"),
        ("{broken", "{broken"),
    ],
)
def test_extract_json_text(text: str, expected: str) -> None:
    assert extract_json_text(text) == expected


def test_importing_the_backend_does_not_import_openai() -> None:
    code = (
        "import sys, casesummary.backends.openai, casesummary.backends.retry; "
        "print(sorted(m for m in ('openai', 'tenacity', 'httpx2') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
