"""OpenAIBackend against a real llama-cpp-python server (optional; skipped unless configured).

The loopback stub imitates llama-cpp-python; this checks the imitation against the real thing:
json_schema is refused with HTTP 500, the backend falls back to json_object with the schema, the
server's grammar makes the answer schema-valid JSON, and at `n_ctx` 2048 a long item is refused
with the context-length error, read, learnt and fitted (or fitted up front with `context=`).

How to run it (10-15 minutes the first time on two cores, mostly the build; CI runs it):

    export CASESUMMARY_TEST_GGUF="$(./scripts/llama-cpp install | tail -n 1)"
    .venv/bin/pytest tests/backends/test_llamacpp_integration.py
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest

from casesummary.backends.base import BackendRequest, Message
from casesummary.backends.openai import OpenAIBackend
from casesummary.exceptions import OutputValidationError, TruncatedOutputError
from casesummary.prompt import load_prompt
from casesummary.result import CaseSummary, PromptResult
from casesummary.sources import load_item
from casesummary.summarizer import summarize
from casesummary.taxonomy import Taxonomy, Topic

GGUF = os.environ.get("CASESUMMARY_TEST_GGUF", "")
if os.environ.get("CASESUMMARY_LLAMA_BUILD") == "failed":
    SKIP_REASON = "llama-cpp-python could not be built in CI (see the ci: WARNING in the log)"
else:
    SKIP_REASON = (
        "needs a real model: CASESUMMARY_TEST_GGUF=$(./scripts/llama-cpp install | tail -n 1)"
    )

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.skipif(not GGUF, reason=SKIP_REASON),
]

#: Small enough that a 135M model finishes well inside max_tokens.
SMALL_SCHEMA = {
    "type": "object",
    "properties": {
        "answer": {"type": "string", "enum": ["ja", "nej"]},
        "confidence": {"type": "integer", "minimum": 0, "maximum": 10},
    },
    "required": ["answer", "confidence"],
    "additionalProperties": False,
}
STARTUP_S = 120.0
N_CTX = 2048
ODENSE = (
    Path(__file__).resolve().parents[1] / "data/fixtures/odense-beu-2025-pejlemaerker.item.json"
)
#: A short prompt, so that at n_ctx 2048 the item text is what has to give way.
SHORT_PROMPT = """---
id: ctxtest
version: 1.0.0
description: a short prompt for the context-window test
max_input_tokens: 6000
parameters: {temperature: 0.0, seed: 1, max_tokens: 96}
---
=== system ===
Du opsummerer et dansk dagsordenspunkt for borgere. Svar kun med JSON.
=== user ===
Opsummer dette punkt fra {municipality}:

{item}
"""
_ACCESS = re.compile(r'"POST /v1/chat/completions HTTP/1\.[01]" (\d{3})')


@dataclass(frozen=True)
class LlamaServer:
    base_url: str
    log_path: Path

    def chat_statuses(self) -> list[int]:
        """The HTTP status of every chat request so far, from uvicorn's access log."""
        return [int(m) for m in _ACCESS.findall(self.log_path.read_text(errors="replace"))]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    """Start `python -m llama_cpp.server` on a free loopback port; stop it afterwards."""
    if importlib.util.find_spec("llama_cpp") is None:  # not imported here: the server imports it
        pytest.skip("llama-cpp-python[server] is not installed (./scripts/llama-cpp install)")
    if not Path(GGUF).is_file():
        pytest.fail(f"CASESUMMARY_TEST_GGUF={GGUF!r} is not a file")
    port = _free_port()
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                GGUF,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                str(N_CTX),
                "--n_threads",  # its default is half the cores: one, on a two-core machine
                str(os.cpu_count() or 1),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}/v1"
        try:
            _wait_until_ready(base_url, process, log_path)
            yield LlamaServer(base_url, log_path)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_until_ready(base_url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log_path.read_text(errors="replace")[-2000:]
            pytest.fail(f"llama_cpp.server exited with {process.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    pytest.fail(f"llama_cpp.server did not answer within {STARTUP_S:g} s")


@pytest.fixture
def llama_base_url(llama_server: LlamaServer) -> str:
    return llama_server.base_url


def _request(
    backend_request: BackendRequest, schema: dict[str, object], tokens: int
) -> BackendRequest:
    return backend_request.model_copy(
        update={
            "json_schema": schema,
            "messages": (
                Message(role="system", content="Du svarer kort på dansk i JSON."),
                Message(
                    role="user", content="Koster planen for cykelstier 12 mio. kr.? Svar ja/nej."
                ),
            ),
            "parameters": {"temperature": 0.0, "seed": 1, "max_tokens": tokens},
        }
    )


def test_real_server_refuses_json_schema_and_the_backend_falls_back(
    llama_base_url: str, backend_request: BackendRequest
) -> None:
    backend = OpenAIBackend(
        "local", kind="openai-compatible", base_url=llama_base_url, timeout=120, max_retries=0
    )
    try:
        response = backend.complete(_request(backend_request, SMALL_SCHEMA, 64))
    finally:
        backend.close()

    assert response.structured_mode == "json_object"
    assert response.attempts == 2  # one refused json_schema request, one json_object request
    jsonschema.validate(json.loads(response.content), SMALL_SCHEMA)
    assert response.usage.input_tokens > 0
    assert response.usage.output_tokens > 0


async def test_real_server_async_path(llama_base_url: str, backend_request: BackendRequest) -> None:
    backend = OpenAIBackend(
        "local",
        kind="openai-compatible",
        base_url=llama_base_url,
        mode="json_object",
        timeout=120,
        max_retries=0,
    )
    try:
        response = await backend.acomplete(_request(backend_request, SMALL_SCHEMA, 64))
    finally:
        await backend.aclose()

    assert response.structured_mode == "json_object"
    assert response.attempts == 1
    jsonschema.validate(json.loads(response.content), SMALL_SCHEMA)


def test_real_server_with_the_prompt_result_schema(
    llama_base_url: str, backend_request: BackendRequest
) -> None:
    """The full answer schema through the grammar: valid JSON with every field, or a clean cut."""
    schema = PromptResult.model_json_schema()
    backend = OpenAIBackend(
        "local",
        kind="openai-compatible",
        base_url=llama_base_url,
        mode="json_object",
        timeout=300,
        max_retries=0,
    )
    try:
        response = backend.complete(_request(backend_request, schema, 1024))
    except TruncatedOutputError:
        return  # a 135M model may ramble to the token limit; the error is the typed one
    finally:
        backend.close()

    answer = json.loads(response.content)
    assert set(answer) == {"question", "summary", "pros", "cons", "keywords"}
    assert len(answer["pros"]) == len(answer["cons"]) == 3


def _short_prompt(tmp_path: Path) -> object:
    path = tmp_path / "ctxtest.md"
    path.write_text(SHORT_PROMPT, encoding="utf-8")
    return load_prompt(path)


SMALL_TAXONOMY = Taxonomy(topics=(Topic(name="Beskæftigelse"), Topic(name="Økonomi")))


def _summarize_long_item(backend: OpenAIBackend, tmp_path: Path) -> CaseSummary | None:
    """Summarise the long Odense item; None when the model's answer was not a valid one
    (a 135M model may break the rules or ramble to max_tokens: the server still answered)."""
    try:
        return summarize(
            load_item(ODENSE),
            backend=backend,
            prompt=_short_prompt(tmp_path),  # type: ignore[arg-type]
            taxonomy=SMALL_TAXONOMY,
            max_reasks=0,
        )
    except (OutputValidationError, TruncatedOutputError):
        return None


def test_real_server_context_error_is_read_and_the_item_refitted(
    llama_server: LlamaServer, tmp_path: Path
) -> None:
    """Without context=: the server refuses the long prompt (400), the numbers in its error
    teach the window, and the one re-rendered request is answered."""
    backend = OpenAIBackend(
        "local",
        kind="openai-compatible",
        base_url=llama_server.base_url,
        mode="json_object",
        timeout=300,
        max_retries=0,
    )
    before = len(llama_server.chat_statuses())
    try:
        result = _summarize_long_item(backend, tmp_path)
    finally:
        backend.close()

    assert llama_server.chat_statuses()[before:] == [400, 200]
    assert backend.context is not None
    assert backend.context.tokens == N_CTX
    assert 1.0 < backend.context.ratio < 2.5  # SmolLM2's tokens per o200k token, measured
    if result is not None:
        fit = result.provenance.input_fit
        assert fit is not None
        assert fit.source == "context_error"
        assert fit.context_window == N_CTX
        assert fit.max_input_tokens is not None
        assert fit.max_input_tokens < 1642  # the item's tokens at the prompt's own budget


def test_real_server_with_context_option_fits_the_first_time(
    llama_server: LlamaServer, tmp_path: Path
) -> None:
    """With context=2048 on the spec the item is cut before sending: one request, answered."""
    from casesummary.backends.registry import get_backend

    backend = get_backend(
        f"openai-compatible:local@{llama_server.base_url}"
        f"?mode=json_object&context={N_CTX}&timeout=300&max_retries=0"
    )
    assert isinstance(backend, OpenAIBackend)
    before = len(llama_server.chat_statuses())
    try:
        result = _summarize_long_item(backend, tmp_path)
    finally:
        backend.close()

    assert llama_server.chat_statuses()[before:] == [200]
    if result is not None:
        fit = result.provenance.input_fit
        assert fit is not None
        assert (fit.source, fit.context_window) == ("context", N_CTX)
