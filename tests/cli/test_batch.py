"""`casesummary batch` and `--max-input-tokens`, run as a user runs them (loopback servers)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.reliability.conftest import assert_one_line_error, run_cli

from casesummary.prompt import load_prompt
from casesummary.testing.server import OpenAIStubServer

ROOT = Path(__file__).resolve().parents[2]
MEETING = ROOT / "tests" / "data" / "fixtures" / "hvidovre-oekonomiudvalget-2026-05-18.meeting.json"
ODENSE = ROOT / "tests" / "data" / "fixtures" / "odense-beu-2025-pejlemaerker.item.json"


@pytest.fixture
def server() -> Iterator[OpenAIStubServer]:
    with OpenAIStubServer(batches=True) as stub:
        yield stub


def env(server: OpenAIStubServer) -> dict[str, str]:
    return {"OPENAI_API_KEY": "sk-cli-test-1234", "OPENAI_BASE_URL": server.base_url}


def test_submit_status_collect(server: OpenAIStubServer, tmp_path: Path) -> None:
    state = tmp_path / "state"
    submitted = run_cli(
        "batch", "submit", MEETING, "--backend", "openai:gpt-4o-mini", "--state", state, "--yes",
        cwd=tmp_path, env=env(server),
    )  # fmt: skip
    assert submitted.returncode == 0, submitted.stderr
    out = submitted.stdout
    assert "24 items: 18 requests in 1 file(s), 6 skipped (closed or empty)" in out
    assert "input tokens:  about" in out
    most = 18 * load_prompt().parameters["max_tokens"]  # the default prompt's, per request
    assert f"output tokens: at most {most:,} (max_tokens per request)" in out
    assert "at batch prices" in out
    assert "part 0 round 0: batch-" in out

    status = run_cli("batch", "status", state, cwd=tmp_path, env=env(server))
    assert status.returncode == 0, status.stderr
    assert "in_progress" in status.stdout

    collected = run_cli(
        "batch", "collect", state, "--wait", "--poll-interval", "0", cwd=tmp_path, env=env(server)
    )
    assert collected.returncode == 0, collected.stderr
    assert "(18 ok, 6 failed)" in collected.stdout
    lines = (state / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 24
    kinds = ["error_type" in json.loads(line) for line in lines]
    assert kinds.count(False) == 18


def test_submit_without_yes_and_no_terminal_submits_nothing(
    server: OpenAIStubServer, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    result = run_cli(
        "batch", "submit", ODENSE, "--backend", "openai:gpt-4o-mini", "--state", state,
        cwd=tmp_path, env=env(server),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "not submitted" in result.stdout
    assert "pass --yes" in result.stderr
    assert server.request_count == 0
    collect = run_cli("batch", "collect", state, cwd=tmp_path, env=env(server))
    assert_one_line_error(collect, "nothing is submitted yet")
    assert collect.returncode == 2


@pytest.mark.parametrize(
    "backend", ["baseline", "openai-compatible:llama@http://127.0.0.1:9/v1", "oracle"]
)
def test_a_backend_without_batches_is_one_line_and_exit_2(backend: str, tmp_path: Path) -> None:
    result = run_cli(
        "batch", "submit", ODENSE, "--backend", backend, "--state", tmp_path / "s", "--yes",
        cwd=tmp_path,
    )  # fmt: skip
    assert_one_line_error(result, "has no batch API", "openai:MODEL or azure:DEPLOYMENT")
    assert result.returncode == 2


def test_a_corrupt_state_is_one_line_and_exit_2(server: OpenAIStubServer, tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "state.json").write_text('{"format": 1, "id": ', encoding="utf-8")
    for args in (["status", state], ["collect", state, "--wait"]):
        result = run_cli("batch", *args, cwd=tmp_path, env=env(server))
        assert_one_line_error(result, "state.json", "corrupt")
        assert result.returncode == 2
    assert server.request_count == 0


def test_a_damaged_item_in_a_manifest_is_one_line_and_exit_2(
    server: OpenAIStubServer, tmp_path: Path
) -> None:
    """collect checks answers against the items the manifest keeps; a damaged one is named."""
    state = tmp_path / "state"
    submitted = run_cli(
        "batch", "submit", ODENSE, "--backend", "openai:gpt-4o-mini", "--state", state, "--yes",
        cwd=tmp_path, env=env(server),
    )  # fmt: skip
    assert submitted.returncode == 0, submitted.stderr
    manifest = state / "parts" / "000" / "items.jsonl"
    (row,) = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    row["item"]["sections"] = "not a list"
    manifest.write_text(json.dumps(row) + "\n", encoding="utf-8")
    collected = run_cli(
        "batch", "collect", state, "--wait", "--poll-interval", "0", cwd=tmp_path, env=env(server)
    )
    assert collected.returncode == 2
    assert "Traceback" not in collected.stderr
    error = collected.stderr.splitlines()[-1]  # after the progress lines
    assert error.startswith("casesummary: error: ")
    assert "items.jsonl" in error
    assert f"the item of request {row['custom_id']} is damaged: sections:" in error
    assert not (state / "results.jsonl").exists()


def test_summarize_max_input_tokens(tmp_path: Path) -> None:
    with OpenAIStubServer() as stub:
        result = run_cli(
            "summarize", ODENSE, "--backend", f"openai-compatible:m@{stub.base_url}",
            "--max-input-tokens", "250", "--json", cwd=tmp_path,
        )  # fmt: skip
        sent = stub.chat_requests[0].body["messages"][1]["content"]
    assert result.returncode == 0, result.stderr
    fit = json.loads(result.stdout)["provenance"]["input_fit"]
    assert fit["max_input_tokens"] == 250
    assert fit["source"] == "max_input_tokens"
    assert "[…]" in sent  # the item was cut to the budget
    bad = run_cli("summarize", ODENSE, "--max-input-tokens", "0", cwd=tmp_path)
    assert bad.returncode == 2
    assert "--max-input-tokens" in bad.stderr


def test_eval_max_input_tokens(tmp_path: Path) -> None:
    golden = ROOT / "golden"
    case = "odense-2016-bsu-p1-beskaeftigelsesplan-2017"
    with OpenAIStubServer() as stub:
        result = run_cli(
            "eval", "--backend", f"openai-compatible:m@{stub.base_url}", "--golden", golden,
            "--case", case, "--out", tmp_path / "run", "--no-cache", "--max-input-tokens", "300",
            "--quiet", cwd=tmp_path,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (record,) = [
        json.loads(x) for x in (tmp_path / "run" / "results.jsonl").read_text().splitlines()
    ]
    assert record["provenance"]["input_fit"]["max_input_tokens"] == 300
