"""The loopback Files and Batches endpoints, spoken to through the openai SDK as users do."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from casesummary.testing.batches import BatchScript
from casesummary.testing.server import OpenAIStubServer, StubError


@pytest.fixture
def server() -> Iterator[OpenAIStubServer]:
    with OpenAIStubServer(batches=True, seed=3) as stub:
        yield stub


@pytest.fixture
def client(server: OpenAIStubServer) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=server.base_url, api_key="sk-test", max_retries=0) as made:
        yield made


def jsonl(n: int, *, url: str = "/v1/chat/completions", model: str = "m") -> bytes:
    lines = [
        {
            "custom_id": f"r{k}",
            "method": "POST",
            "url": url,
            "body": {"model": model, "messages": [{"role": "user", "content": f"punkt {k}"}]},
        }
        for k in range(n)
    ]
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def upload(client: openai.OpenAI, data: bytes) -> str:
    return client.files.create(file=("in.jsonl", io.BytesIO(data)), purpose="batch").id


def lines(client: openai.OpenAI, file_id: str | None) -> list[dict[str, Any]]:
    assert file_id is not None
    return [json.loads(x) for x in client.files.content(file_id).content.splitlines() if x]


def test_upload_create_and_the_status_sequence(client: openai.OpenAI) -> None:
    file_id = upload(client, jsonl(12))
    assert client.files.retrieve(file_id).filename == "in.jsonl"
    assert [f.id for f in client.files.list(purpose="batch")] == [file_id]
    made = client.batches.create(
        input_file_id=file_id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    assert made.status == "validating"
    seen = [client.batches.retrieve(made.id).status for _ in range(4)]
    assert seen == ["in_progress", "finalizing", "completed", "completed"]
    done = client.batches.retrieve(made.id)
    assert done.request_counts is not None
    assert (done.request_counts.total, done.request_counts.completed) == (12, 12)
    output = lines(client, done.output_file_id)
    ids = [o["custom_id"] for o in output]
    assert sorted(ids) == sorted(f"r{k}" for k in range(12))
    assert ids != [f"r{k}" for k in range(12)]  # shuffled, as real output files may be
    assert {o["response"]["status_code"] for o in output} == {200}
    assert output[0]["response"]["body"]["object"] == "chat.completion"
    assert [b.id for b in client.batches.list()] == [made.id]


def test_error_lines_and_an_expired_batch(server: OpenAIStubServer, client: openai.OpenAI) -> None:
    api = server.batch_api
    assert api is not None
    api.script(BatchScript(final="expired", processed=0.5))
    server.queue(StubError(429, "Rate limit reached"))
    made = client.batches.create(
        input_file_id=upload(client, jsonl(8)),
        endpoint="/v1/chat/completions",
        completion_window="24h",
    )
    while client.batches.retrieve(made.id).status != "expired":
        pass
    done = client.batches.retrieve(made.id)
    assert len(lines(client, done.output_file_id)) == 3  # 4 answered, one of them a 429
    errors = lines(client, done.error_file_id)
    codes = sorted(
        str(e["error"]["code"] if e["response"] is None else e["response"]["status_code"])
        for e in errors
    )
    assert codes == ["429", "batch_expired", "batch_expired", "batch_expired", "batch_expired"]


def test_cancel(client: openai.OpenAI) -> None:
    made = client.batches.create(
        input_file_id=upload(client, jsonl(2)),
        endpoint="/v1/chat/completions",
        completion_window="24h",
    )
    assert client.batches.cancel(made.id).status == "cancelling"
    assert client.batches.retrieve(made.id).status == "cancelled"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"not json\n", "invalid_json_line"),
        (jsonl(2) + jsonl(1), "duplicate_custom_id"),
        (jsonl(2, url="/v1/embeddings"), "invalid_url"),
        (jsonl(1) + jsonl(1, model="other").replace(b'"r0"', b'"x0"'), "model_mismatch"),
        (b"", "empty_file"),
    ],
)
def test_a_broken_input_file_fails_the_batch(client: openai.OpenAI, data: bytes, code: str) -> None:
    made = client.batches.create(
        input_file_id=upload(client, data), endpoint="/v1/chat/completions", completion_window="24h"
    )
    failed = client.batches.retrieve(made.id)
    assert failed.status == "failed"
    assert failed.errors is not None
    assert code in {e.code for e in failed.errors.data or []}


def test_unknown_ids_are_404(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError):
        client.batches.retrieve("batch-nope")
    with pytest.raises(openai.NotFoundError):
        client.files.content("file-nope")
    with pytest.raises(openai.BadRequestError):
        client.batches.create(
            input_file_id="file-nope", endpoint="/v1/chat/completions", completion_window="24h"
        )


def test_azure_paths(server: OpenAIStubServer) -> None:
    azure = openai.AzureOpenAI(
        azure_endpoint=server.root_url, api_key="k", api_version="2025-04-01-preview"
    )
    with azure:
        file_id = azure.files.create(
            file=("in.jsonl", io.BytesIO(jsonl(1, url="/chat/completions"))), purpose="batch"
        ).id
        made = azure.batches.create(
            input_file_id=file_id,
            endpoint="/chat/completions",  # type: ignore[arg-type]
            completion_window="24h",
        )
        for _ in range(3):
            azure.batches.retrieve(made.id)
        assert azure.batches.retrieve(made.id).status == "completed"
    assert {r.path.split("?")[0] for r in server.requests} == {
        "/openai/files",
        "/openai/batches",
        f"/openai/batches/{made.id}",
    }
