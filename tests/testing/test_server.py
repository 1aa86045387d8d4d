"""The loopback OpenAI-protocol server, spoken to over raw HTTP: dialects, scripts, faults, log."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from casesummary.result import PromptResult
from casesummary.testing.server import (
    DEFAULT_ANSWER,
    OpenAIStubServer,
    StubAnswer,
    StubError,
    StubFault,
)

KEY = "sk-stub-test-0123456789abcdef"


def chat_body(**extra: Any) -> dict[str, Any]:
    return {"model": "stub-model", "messages": [{"role": "user", "content": "Hej"}], **extra}


def post(
    server: OpenAIStubServer,
    body: Any,
    *,
    path: str = "/v1/chat/completions",
    headers: dict[str, str] | None = None,
    timeout: float = 5.0,
) -> tuple[int, dict[str, str], Any]:
    """POST JSON; returns status, lower-cased headers and the decoded JSON body."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent = {"Content-Type": "application/json", **(headers or {})}
        connection.request("POST", path, body=data, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, json.loads(raw)
    finally:
        connection.close()


@pytest.fixture
def server() -> Iterator[OpenAIStubServer]:
    with OpenAIStubServer() as stub:
        yield stub


def test_default_answer_is_a_valid_prompt_result(server: OpenAIStubServer) -> None:
    PromptResult.model_validate(DEFAULT_ANSWER)

    status, _, body = post(server, chat_body())

    assert status == 200
    assert server.request_count == 1
    choice = body["choices"][0]
    assert json.loads(choice["message"]["content"]) == DEFAULT_ANSWER
    assert choice["finish_reason"] == "stop"
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0


def test_forced_tool_gets_the_default_answer_as_a_tool_call(server: OpenAIStubServer) -> None:
    tools = [{"type": "function", "function": {"name": "prompt_result", "parameters": {}}}]
    choice = {"type": "function", "function": {"name": "prompt_result"}}

    status, _, body = post(server, chat_body(tools=tools, tool_choice=choice))

    assert status == 200
    assert server.request_count == 1
    message = body["choices"][0]["message"]
    call = message["tool_calls"][0]["function"]
    assert call["name"] == "prompt_result"
    assert json.loads(call["arguments"]) == DEFAULT_ANSWER
    assert message["content"] is None
    assert body["choices"][0]["finish_reason"] == "tool_calls"


def test_models_endpoint_and_unknown_paths(server: OpenAIStubServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("GET", "/v1/models")
    models = json.loads(connection.getresponse().read())
    connection.close()

    status, _, body = post(server, chat_body(), path="/v1/embeddings")

    assert [m["id"] for m in models["data"]] == ["stub-model"]
    assert status == 404
    assert "error" in body
    assert server.request_count == 2
    assert [r.outcome for r in server.requests] == ["answer", "error 404"]
    assert server.chat_requests == []


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        {"model": "stub-model", "messages": []},
        {"messages": [{"role": "user", "content": "Hej"}]},
        chat_body(response_format={"type": "json_schema", "json_schema": {"schema": {}}}),
        chat_body(
            tools=[{"type": "function", "function": {"name": "a"}}],
            tool_choice={"type": "function", "function": {"name": "b"}},
        ),
    ],
    ids=["not-json", "no-messages", "no-model", "schema-without-name", "unknown-tool"],
)
def test_malformed_requests_get_400(server: OpenAIStubServer, body: Any) -> None:
    status, _, answer = post(server, body)

    assert status == 400
    assert answer["error"]["type"] == "invalid_request_error"
    assert server.request_count == 1


def test_llamacpp_dialect_rejects_json_schema_and_takes_json_object() -> None:
    schema = {"type": "object"}
    with OpenAIStubServer(dialect="llamacpp", replies=[StubAnswer(content="{}")]) as server:
        rejected, _, _ = post(
            server,
            chat_body(
                response_format={"type": "json_schema", "json_schema": {"name": "x", "schema": {}}}
            ),
        )
        accepted, _, body = post(
            server, chat_body(response_format={"type": "json_object", "schema": schema})
        )

        assert (rejected, accepted) == (500, 200)
        assert body["choices"][0]["message"]["content"] == "{}"  # the queue was not consumed early
        assert server.request_count == 2
        assert server.pending == 0


def test_queue_then_handler_then_default() -> None:
    seen: list[dict[str, Any]] = []

    def handler(request: dict[str, Any]) -> StubAnswer | None:
        seen.append(request)
        return StubAnswer(content="from handler") if len(seen) == 1 else None

    with OpenAIStubServer(handler=handler) as server:
        server.queue(StubAnswer(content="queued"))
        contents = [
            post(server, chat_body())[2]["choices"][0]["message"]["content"] for _ in range(3)
        ]

        assert contents == [
            "queued",
            "from handler",
            json.dumps(DEFAULT_ANSWER, ensure_ascii=False),
        ]
        assert len(seen) == 2
        assert server.request_count == 3


def test_error_replies_carry_status_headers_and_openai_error_shape(
    server: OpenAIStubServer,
) -> None:
    server.queue(
        StubFault("rate_limit", retry_after=1.5),
        StubError(503, "overloaded", headers={"retry-after-ms": "200"}),
    )

    first = post(server, chat_body())
    second = post(server, chat_body())

    assert (first[0], first[1]["retry-after"]) == (429, "1.5")
    assert first[2]["error"]["type"] == "rate_limit_error"
    assert (second[0], second[1]["retry-after-ms"]) == (503, "200")
    assert second[2]["error"]["message"] == "overloaded"
    assert server.request_count == 2


@pytest.mark.parametrize(
    ("kind", "check"),
    [
        ("not_json", lambda c: c["message"]["content"].startswith("Beklager")),
        ("schema_break", lambda c: "keywords" not in json.loads(c["message"]["content"])),
        ("refusal", lambda c: c["message"]["refusal"] and c["message"]["content"] is None),
        ("length", lambda c: c["finish_reason"] == "length"),
        ("content_filter", lambda c: c["finish_reason"] == "content_filter"),
    ],
)
def test_content_faults_are_well_formed_200s(
    server: OpenAIStubServer, kind: Any, check: Any
) -> None:
    server.queue(StubFault(kind))

    status, _, body = post(server, chat_body())

    assert status == 200
    assert check(body["choices"][0])
    assert server.requests[0].outcome == f"fault {kind}"


def test_no_choices_fault_sends_usage_without_choices(server: OpenAIStubServer) -> None:
    server.queue(StubFault("no_choices"))

    status, _, body = post(server, chat_body())

    assert (status, body["choices"]) == (200, [])
    assert body["usage"]["prompt_tokens"] > 0


@pytest.mark.parametrize("kind", ["reset", "truncated"])
def test_broken_bodies_fail_on_the_client(server: OpenAIStubServer, kind: Any) -> None:
    server.queue(StubFault(kind))

    with pytest.raises((http.client.IncompleteRead, ConnectionResetError)):
        post(server, chat_body())

    assert server.request_count == 1
    status, _, _ = post(server, chat_body())  # the server itself is fine afterwards
    assert status == 200


def test_hang_outlasts_the_client_timeout_and_close_releases_it() -> None:
    server = OpenAIStubServer(replies=[StubFault("hang", hang_s=60)]).start()
    try:
        with pytest.raises(TimeoutError):
            post(server, chat_body(), timeout=0.2)
        assert server.request_count == 1
    finally:
        server.close()  # returns promptly: the hanging handler is woken, not waited for 60 s


def test_log_keeps_no_credentials(server: OpenAIStubServer) -> None:
    post(server, chat_body(), headers={"Authorization": f"Bearer {KEY}"})
    post(server, chat_body(), headers={"api-key": KEY})
    post(server, chat_body())

    assert [r.had_auth for r in server.requests] == [True, True, False]
    stored = json.dumps([r.__dict__ for r in server.requests], default=str)
    assert KEY not in stored
    assert "authorization" not in {h for r in server.requests for h in r.headers}
    assert server.requests[0].body == chat_body()
    assert server.requests[0].timestamp <= server.requests[1].timestamp


def test_seeded_random_faults_repeat_exactly() -> None:
    def outcomes(seed: int) -> list[str]:
        with OpenAIStubServer(fault_rate=0.3, seed=seed, fault_kinds=["server_error"]) as server:
            for _ in range(20):
                post(server, chat_body())
            assert server.request_count == 20
            return [r.outcome for r in server.requests]

    first, again, other = outcomes(7), outcomes(7), outcomes(8)

    assert first == again
    assert first != other
    assert 0 < first.count("fault server_error") < 20
    assert set(first) == {"answer", "fault server_error"}


def test_in_flight_counters_see_concurrent_requests() -> None:
    barrier = threading.Barrier(3, timeout=5)

    def wait_for_all(request: dict[str, Any]) -> None:
        barrier.wait()  # each handler holds until all three requests are in flight

    with OpenAIStubServer(handler=wait_for_all) as server:
        threads = [threading.Thread(target=post, args=(server, chat_body())) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=5)

        assert server.request_count == 3
        assert server.peak_in_flight == 3
        assert 1.0 <= server.mean_in_flight <= 3.0


def test_latency_option_and_counters_for_serial_requests() -> None:
    with OpenAIStubServer(latency_s=0.05) as server:
        for _ in range(2):
            post(server, chat_body())

        assert server.request_count == 2
        assert server.peak_in_flight == 1
        assert 0.0 < server.mean_in_flight <= 1.0


def test_server_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="dialect"):
        OpenAIStubServer(dialect="tgi")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="context_window"):
        OpenAIStubServer(context_window=0)
    with pytest.raises(ValueError, match="token_ratio"):
        OpenAIStubServer(token_ratio=0)
    with pytest.raises(ValueError, match="fault_rate"):
        OpenAIStubServer(fault_rate=2)
    with pytest.raises(RuntimeError):
        _ = OpenAIStubServer().base_url
