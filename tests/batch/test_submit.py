"""`casesummary.batch.submit` against the loopback Files and Batches endpoints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import casesummary.batch as batch
from casesummary.backends.openai import chat_completion_body
from casesummary.batch.provider import BatchClient
from casesummary.batch.state import load_state
from casesummary.exceptions import (
    BatchNotSupported,
    InvalidAgendaItem,
    InvalidBatchState,
)
from casesummary.prompt import load_prompt
from casesummary.sources import load_items
from casesummary.summarizer import build_request
from casesummary.taxonomy import Taxonomy, Topic, load_taxonomy
from casesummary.testing.server import OpenAIStubServer

from .conftest import MEETING, ODENSE

SPEC = "openai:gpt-4o-mini"


def batch_posts(server: OpenAIStubServer) -> list[Any]:
    return [r for r in server.requests if r.method == "POST" and r.path.endswith("/batches")]


def uploads(server: OpenAIStubServer) -> list[Any]:
    return [r for r in server.requests if r.method == "POST" and r.path.endswith("/files")]


def test_submit_writes_the_backends_own_request_bodies_and_submits(
    batch_server: OpenAIStubServer, inputs: Path, tmp_path: Path
) -> None:
    state = batch.submit([inputs], backend=SPEC, state_dir=tmp_path / "state")

    assert state.phase == "submitted"
    assert (state.items, state.skipped) == (25, 6)
    assert len(state.parts) == 1
    api = batch_server.batch_api
    assert api is not None
    (job,) = api.batches.values()
    assert job.endpoint == "/v1/chat/completions"
    assert job.metadata["casesummary_state"] == state.id[:16]
    lines = api.file_lines(job.input_file_id)
    items = [i for p in (MEETING, ODENSE) for i in load_items(p) if i.is_open and i.has_text]
    assert len(lines) == len(items) == 19
    prompt, taxonomy = load_prompt(), load_taxonomy()
    for line, item in zip(lines, items, strict=True):
        request = build_request(item, prompt=prompt, taxonomy=taxonomy)
        assert line["method"] == "POST"
        assert line["url"] == "/v1/chat/completions"
        assert line["custom_id"] == batch.custom_id(item.fingerprint, request.prompt_fingerprint)
        assert line["body"] == chat_completion_body("gpt-4o-mini", "json_schema", request)
    # the estimate: counted tokens near the real count, output bounded by max_tokens
    assert state.estimate.requests == 19
    assert state.estimate.max_output_tokens == 19 * load_prompt().parameters["max_tokens"]
    assert 40_000 < state.estimate.input_tokens < 120_000
    assert state.estimate.cost_usd is not None
    assert state.estimate.cost_usd > 0
    assert load_state(tmp_path / "state") == state


def test_inputs_beyond_the_limits_are_split_into_batches(
    batch_server: OpenAIStubServer, inputs: Path, tmp_path: Path
) -> None:
    state = batch.submit([inputs], backend=SPEC, state_dir=tmp_path / "s", max_requests=5)
    assert [p.items for p in state.parts] == [5, 5, 5, 4]
    assert len(batch_posts(batch_server)) == 4
    by_bytes = batch.submit([inputs], backend=SPEC, state_dir=tmp_path / "b", max_bytes=60_000)
    sizes = [p.rounds[0].bytes for p in by_bytes.parts]
    assert len(sizes) > 1
    assert max(sizes) <= 60_000
    assert sum(p.items for p in by_bytes.parts) == 19
    manifest = [json.loads(x) for x in (tmp_path / "s" / "items.jsonl").read_text().splitlines()]
    assert [m["index"] for m in manifest] == list(range(25))


def test_a_repeated_item_is_asked_once(batch_server: OpenAIStubServer, tmp_path: Path) -> None:
    state = batch.submit([ODENSE, ODENSE], backend=SPEC, state_dir=tmp_path / "s")
    assert state.items == 2
    assert state.parts[0].rounds[0].requests == 1


def test_declining_the_estimate_submits_nothing_and_a_rerun_submits(
    batch_server: OpenAIStubServer, inputs: Path, tmp_path: Path
) -> None:
    seen = []

    def no(state: Any) -> bool:
        seen.append(state.estimate)
        return False

    state = batch.submit([inputs], backend=SPEC, state_dir=tmp_path / "s", confirm=no)
    assert state.phase == "prepared"
    assert seen[0].requests == 19
    assert batch_server.request_count == 0
    state = batch.submit([inputs], backend=SPEC, state_dir=tmp_path / "s", confirm=lambda s: True)
    assert state.phase == "submitted"
    assert len(batch_posts(batch_server)) == 1


class Killed(BaseException):
    """Stands in for the process dying right after a call went through."""


@pytest.mark.parametrize("call", ["upload", "create"])
def test_a_submit_killed_right_after_a_call_never_does_it_twice(
    call: str,
    batch_server: OpenAIStubServer,
    inputs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = getattr(BatchClient, call)

    def then_die(self: BatchClient, *args: Any, **kwargs: Any) -> Any:
        real(self, *args, **kwargs)
        raise Killed

    monkeypatch.setattr(BatchClient, call, then_die)
    with pytest.raises(Killed):
        batch.submit([inputs], backend=SPEC, state_dir=tmp_path / "s")
    assert load_state(tmp_path / "s").phase == "prepared"
    monkeypatch.setattr(BatchClient, call, real)
    state = batch.submit([inputs], backend=SPEC, state_dir=tmp_path / "s")

    assert state.phase == "submitted"
    assert len(uploads(batch_server)) == 1
    assert len(batch_posts(batch_server)) == 1
    assert state.parts[0].rounds[0].batch.id in batch_server.batch_api.batches  # type: ignore[union-attr]


def test_a_submit_killed_while_writing_the_files_writes_them_again(
    batch_server: OpenAIStubServer, inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import casesummary.batch.submission as submit_module

    real = submit_module.request_line
    calls = 0

    def dying(*args: Any) -> bytes:
        nonlocal calls
        calls += 1
        if calls == 7:
            raise Killed
        return real(*args)

    monkeypatch.setattr(submit_module, "request_line", dying)
    with pytest.raises(Killed):
        batch.submit([inputs], backend=SPEC, state_dir=tmp_path / "s")
    assert load_state(tmp_path / "s").phase == "preparing"
    assert not list((tmp_path / "s").rglob("*.input.jsonl"))  # no half file left in place
    monkeypatch.setattr(submit_module, "request_line", real)
    state = batch.submit([inputs], backend=SPEC, state_dir=tmp_path / "s")
    assert state.parts[0].rounds[0].requests == 19
    assert len(batch_posts(batch_server)) == 1


@pytest.mark.parametrize(
    "spec",
    ["baseline", "oracle", "openai-compatible:llama@http://127.0.0.1:9/v1", "replay:{tmp}"],
)
def test_a_backend_without_a_batch_api_is_a_typed_error(
    spec: str, tmp_path: Path, batch_server: OpenAIStubServer
) -> None:
    with pytest.raises(BatchNotSupported, match="no batch API"):
        batch.submit([ODENSE], backend=spec.format(tmp=tmp_path), state_dir=tmp_path / "s")
    assert not (tmp_path / "s").exists()
    assert batch_server.request_count == 0


def test_a_state_directory_of_other_work_is_refused(
    batch_server: OpenAIStubServer, tmp_path: Path
) -> None:
    batch.submit([ODENSE], backend=SPEC, state_dir=tmp_path / "s")
    requests = batch_server.request_count
    other_taxonomy = Taxonomy(name="egen", topics=(Topic(name="Økonomi"),))
    for kwargs, what in (
        ({"backend": "openai:gpt-4o"}, "backend"),
        ({"prompt": "prompts/judge/v1.md"}, "prompt"),
        ({"taxonomy": other_taxonomy}, "taxonomy"),
    ):
        arguments: dict[str, Any] = {"backend": SPEC, **kwargs}
        with pytest.raises(InvalidBatchState, match=f"another {what}"):
            batch.submit([ODENSE], state_dir=tmp_path / "s", **arguments)
    with pytest.raises(InvalidBatchState, match="another inputs"):
        batch.submit([MEETING], backend=SPEC, state_dir=tmp_path / "s")
    assert batch_server.request_count == requests


@pytest.mark.parametrize(
    "content",
    ["{not json", "[]", '{"format": 1}', '{"format": 99}', ""],
)
def test_a_corrupt_state_is_a_typed_error_and_nothing_is_submitted(
    content: str, batch_server: OpenAIStubServer, tmp_path: Path
) -> None:
    state = tmp_path / "s"
    state.mkdir()
    (state / "state.json").write_text(content, encoding="utf-8")
    with pytest.raises(InvalidBatchState, match=r"state\.json"):
        batch.submit([ODENSE], backend=SPEC, state_dir=state)
    with pytest.raises(InvalidBatchState, match=r"state\.json"):
        batch.collect(state)
    assert batch_server.request_count == 0


def test_bad_inputs_are_typed_errors_naming_the_file(
    batch_server: OpenAIStubServer, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"no": "item"}', encoding="utf-8")
    with pytest.raises(InvalidAgendaItem, match=r"broken\.json"):
        batch.submit([broken], backend=SPEC, state_dir=tmp_path / "a")
    with pytest.raises(InvalidAgendaItem, match="no such file"):
        batch.submit([tmp_path / "missing.json"], backend=SPEC, state_dir=tmp_path / "b")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x")
    with pytest.raises(InvalidBatchState, match="not empty"):
        batch.submit([ODENSE], backend=SPEC, state_dir=tmp_path / "full")
    assert batch_server.request_count == 0
