"""`casesummary.batch.collect`: statuses, shuffled files, re-asks, retries, expiry, results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import casesummary.batch as batch
from casesummary.batch.state import load_state
from casesummary.exceptions import InvalidBatchState
from casesummary.result import CaseSummary, SummaryFailure
from casesummary.sources import load_items
from casesummary.testing.batches import BatchScript
from casesummary.testing.server import (
    DEFAULT_ANSWER,
    OpenAIStubServer,
    StubAnswer,
    StubError,
    evidence_answer,
)

from .conftest import MEETING, ODENSE

SPEC = "openai:gpt-4o-mini"
BROKEN = json.dumps({**DEFAULT_ANSWER, "pros": DEFAULT_ANSWER["pros"][:2]}, ensure_ascii=False)


def item_titles() -> list[str]:
    return [i.title for p in (MEETING, ODENSE) for i in load_items(p)]


def title_of(body: dict[str, Any]) -> str:
    """The item title in a request's user message (`# <title>` opens the item text)."""
    user = body["messages"][1]["content"]
    return user.split("\n# ", 1)[1].split("\n", 1)[0]


def answer_naming(body: dict[str, Any]) -> StubAnswer:
    """A valid answer (quotes from the item included) whose summary names the item, so results
    can be matched to items."""
    summary = f"Punktet hedder {title_of(body)}. Udvalget skal tage stilling til det."
    return StubAnswer(content=json.dumps({**evidence_answer(body), "summary": summary}))


def run_to_end(state_dir: Path, **kwargs: Any) -> batch.CollectResult:
    result = batch.collect(state_dir, wait=True, poll_interval=0, sleep=lambda _: None, **kwargs)
    assert result.done
    return result


def results(state_dir: Path) -> list[CaseSummary | SummaryFailure]:
    return list(batch.read_results(state_dir))


def test_a_completed_batch_gives_one_result_per_item_in_input_order(
    batch_server: OpenAIStubServer, inputs: Path, tmp_path: Path
) -> None:
    batch_server.handler = lambda body: answer_naming(body)
    state_dir = tmp_path / "s"
    batch.submit([inputs], backend=SPEC, state_dir=state_dir)

    steps = [batch.collect(state_dir).state.parts[0].latest.status for _ in range(3)]
    assert steps == ["in_progress", "finalizing", "completed"]  # one status per retrieve
    result = run_to_end(state_dir)

    assert (result.ok, result.failed) == (19, 6)
    titles = item_titles()
    found = results(state_dir)
    assert len(found) == len(titles) == 25
    for title, outcome in zip(titles, found, strict=True):
        if isinstance(outcome, CaseSummary):
            assert outcome.summary.startswith(f"Punktet hedder {title}.")
            assert outcome.provenance.backend == "openai"
            assert outcome.provenance.model == "gpt-4o-mini"
            assert outcome.provenance.structured_mode == "json_schema"
            assert outcome.provenance.attempts == 1
            assert outcome.provenance.usage.input_tokens > 0
        else:
            assert outcome.error_type == "NothingToSummarize"
            assert outcome.item_title == title
    # the output file really came back shuffled
    api = batch_server.batch_api
    assert api is not None
    (job,) = api.batches.values()
    assert job.output_file_id is not None
    returned = [json.loads(x)["custom_id"] for x in api.files[job.output_file_id].data.split(b"\n")
                if x]  # fmt: skip
    sent = [line["custom_id"] for line in api.file_lines(job.input_file_id)]
    assert sorted(returned) == sorted(sent)
    assert returned != sent
    assert load_state(state_dir).phase == "collected"


def test_invalid_answers_are_re_asked_in_a_follow_up_batch(
    batch_server: OpenAIStubServer, tmp_path: Path
) -> None:
    def handler(body: dict[str, Any]) -> StubAnswer:
        first = len(body["messages"]) == 2
        return StubAnswer(content=BROKEN) if first else answer_naming(body)

    batch_server.handler = handler
    state_dir = tmp_path / "s"
    batch.submit([MEETING], backend=SPEC, state_dir=state_dir)
    result = run_to_end(state_dir)

    assert (result.ok, result.failed) == (18, 6)
    part = load_state(state_dir).parts[0]
    assert [r.requests for r in part.rounds] == [18, 18]
    follow_up = [json.loads(x) for x in (state_dir / part.rounds[1].file).read_text().splitlines()]
    messages = follow_up[0]["body"]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[2]["content"] == BROKEN
    assert "pros" in messages[3]["content"]  # the validation error, in the re-ask message
    assert "Dit svar overholdt ikke kravene" in messages[3]["content"]
    ok = [r for r in results(state_dir) if isinstance(r, CaseSummary)]
    assert {r.provenance.attempts for r in ok} == {2}


def test_follow_ups_are_bounded(batch_server: OpenAIStubServer, tmp_path: Path) -> None:
    batch_server.handler = lambda body: StubAnswer(content=BROKEN)
    state_dir = tmp_path / "s"
    batch.submit([ODENSE], backend=SPEC, state_dir=state_dir, max_rounds=1)
    run_to_end(state_dir)

    (failure,) = results(state_dir)
    assert isinstance(failure, SummaryFailure)
    assert failure.error_type == "OutputValidationError"
    assert failure.attempts == 2
    assert "still invalid after 2 attempt(s)" in failure.message
    assert len(load_state(state_dir).parts[0].rounds) == 2


def test_failed_requests_are_retried_but_caller_errors_are_not(
    batch_server: OpenAIStubServer, tmp_path: Path
) -> None:
    tries: dict[str, int] = {}

    def handler(body: dict[str, Any]) -> StubAnswer | StubError:
        title = title_of(body)
        tries[title] = tries.get(title, 0) + 1
        if title == "Nyt flagregulativ":
            return StubError(400, "Invalid 'messages[1].content': string too long")
        if tries[title] == 1:
            return StubError(500, "The server had an error")
        return answer_naming(body)

    batch_server.handler = handler
    state_dir = tmp_path / "s"
    batch.submit([MEETING], backend=SPEC, state_dir=state_dir)
    run_to_end(state_dir)

    found = results(state_dir)
    http = [
        r for r in found if isinstance(r, SummaryFailure) and r.error_type == "BackendHTTPError"
    ]
    assert [r.message for r in http] == ["HTTP 400: Invalid 'messages[1].content': string too long"]
    assert sum(isinstance(r, CaseSummary) for r in found) == 17
    assert tries["Nyt flagregulativ"] == 1  # a 400 is never sent again


@pytest.mark.parametrize("final", ["expired", "cancelled"])
def test_an_expired_or_cancelled_batch_keeps_its_answers_and_resubmits_the_rest(
    final: str, batch_server: OpenAIStubServer, tmp_path: Path
) -> None:
    api = batch_server.batch_api
    assert api is not None
    api.script(BatchScript(final=final, processed=0.5))  # type: ignore[arg-type]
    batch_server.handler = lambda body: answer_naming(body)
    state_dir = tmp_path / "s"
    batch.submit([MEETING], backend=SPEC, state_dir=state_dir)
    result = run_to_end(state_dir)

    assert (result.ok, result.failed) == (18, 6)
    rounds = load_state(state_dir).parts[0].rounds
    assert [(r.status, r.requests) for r in rounds] == [(final, 18), ("completed", 9)]
    attempts = sorted(
        r.provenance.attempts for r in results(state_dir) if isinstance(r, CaseSummary)
    )
    assert attempts == [1] * 9 + [2] * 9


def test_a_cancel_on_the_provider_side_is_followed(
    batch_server: OpenAIStubServer, tmp_path: Path
) -> None:
    api = batch_server.batch_api
    assert api is not None
    api.script(BatchScript(processed=0.0))  # cancelled before it got to the item
    state_dir = tmp_path / "s"
    state = batch.submit([ODENSE], backend=SPEC, state_dir=state_dir)
    from casesummary.batch.provider import BatchClient, batch_backend

    client = BatchClient(batch_backend(SPEC))
    batch_id = state.parts[0].rounds[0].batch.id
    assert batch_id is not None
    assert client.cancel(batch_id).status == "cancelling"
    result = run_to_end(state_dir)
    assert result.ok == 1
    assert [r.status for r in load_state(state_dir).parts[0].rounds] == ["cancelled", "completed"]


def test_a_batch_the_provider_refuses_fails_its_items(
    batch_server: OpenAIStubServer, tmp_path: Path
) -> None:
    api = batch_server.batch_api
    assert api is not None
    api.max_requests = 3  # the provider's limit, lower than what was sent
    state_dir = tmp_path / "s"
    batch.submit([MEETING], backend=SPEC, state_dir=state_dir)
    result = run_to_end(state_dir)

    assert result.ok == 0
    failures = [
        r
        for r in results(state_dir)
        if isinstance(r, SummaryFailure) and r.error_type == "BatchFailed"
    ]
    assert len(failures) == 18
    assert "too_many_requests" not in failures[0].message  # the message, not the code
    assert "over 3" in failures[0].message


def test_finish_direct_finishes_through_the_normal_api(
    batch_server: OpenAIStubServer, tmp_path: Path
) -> None:
    def handler(body: dict[str, Any]) -> StubAnswer:
        title = title_of(body)
        return StubAnswer(content=BROKEN) if "Skema A" in title else answer_naming(body)

    batch_server.handler = handler
    state_dir = tmp_path / "s"
    batch.submit([MEETING], backend=SPEC, state_dir=state_dir)
    direct_before = len(batch_server.chat_requests)
    run_to_end(state_dir, finish_direct=True)

    direct = batch_server.chat_requests[direct_before:]
    assert direct  # the normal chat endpoint answered the rest
    assert {title_of(r.body) for r in direct} == {"Skema A godkendelse ved Grenhusene"}
    rounds = load_state(state_dir).parts[0].rounds
    assert [r.via for r in rounds] == ["batch", "direct"]
    found = results(state_dir)
    assert sum(isinstance(r, CaseSummary) for r in found) == 17
    (skema,) = [r for r in found if isinstance(r, SummaryFailure) and "Skema A" in r.item_title]
    # invalid in the batch and again directly: a typed failure, every attempt counted
    assert isinstance(skema, SummaryFailure)
    assert skema.error_type == "OutputValidationError"
    assert skema.attempts == 1 + 3  # one batch answer, then summarize's first try and 2 re-asks


def test_collect_waits_with_the_poll_interval(
    batch_server: OpenAIStubServer, tmp_path: Path
) -> None:
    state_dir = tmp_path / "s"
    batch.submit([ODENSE], backend=SPEC, state_dir=state_dir)
    waits: list[float] = []
    result = batch.collect(state_dir, wait=True, poll_interval=7.5, sleep=waits.append)
    assert result.done
    assert waits == [7.5, 7.5]  # validating -> in_progress -> finalizing -> completed
    assert batch.collect(state_dir).done  # collecting again changes nothing
    assert len(results(state_dir)) == 1


def test_status_refreshes_and_shows_counts(batch_server: OpenAIStubServer, tmp_path: Path) -> None:
    state_dir = tmp_path / "s"
    batch.submit([MEETING], backend=SPEC, state_dir=state_dir)
    statuses = [batch.status(state_dir).parts[0].latest.status for _ in range(4)]
    assert statuses == ["in_progress", "finalizing", "completed", "completed"]
    counts = batch.status(state_dir).parts[0].latest.counts
    assert counts is not None
    assert (counts.total, counts.completed, counts.failed) == (18, 18, 0)


def test_collect_refuses_what_is_not_submitted_and_a_changed_prompt(
    batch_server: OpenAIStubServer, tmp_path: Path
) -> None:
    with pytest.raises(InvalidBatchState, match=r"no state\.json"):
        batch.collect(tmp_path / "nothing")
    batch.submit([ODENSE], backend=SPEC, state_dir=tmp_path / "p", confirm=lambda s: False)
    with pytest.raises(InvalidBatchState, match="nothing is submitted yet"):
        batch.collect(tmp_path / "p")
    batch.submit([ODENSE], backend=SPEC, state_dir=tmp_path / "s")
    from casesummary.prompt import load_prompt

    judge = load_prompt("prompts/judge/v1.md")
    with pytest.raises(InvalidBatchState, match="differs"):
        batch.collect(tmp_path / "s", prompt=judge)
    with pytest.raises(InvalidBatchState, match=r"no results\.jsonl"):
        list(batch.read_results(tmp_path / "s"))


def test_azure_global_batch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with OpenAIStubServer(batches=True) as server:
        monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", server.root_url)
        monkeypatch.setenv("AZURE_OPENAI_API_KEY", "azure-test-key")
        monkeypatch.setenv("OPENAI_API_VERSION", "2025-04-01-preview")
        state_dir = tmp_path / "s"
        state = batch.submit([ODENSE], backend="azure:gpt-4o-mini-batch", state_dir=state_dir)
        result = run_to_end(state_dir)
        api = server.batch_api
        assert api is not None
        (job,) = api.batches.values()
        (line,) = api.file_lines(job.input_file_id)
        paths = {r.path.split("?")[0] for r in server.requests}
    assert state.kind == "azure"
    assert job.endpoint == "/chat/completions"
    assert line["url"] == "/chat/completions"
    assert line["body"]["model"] == "gpt-4o-mini-batch"
    assert "/openai/files" in paths
    assert "/openai/batches" in paths
    assert result.ok == 1
    (summary,) = results(state_dir)
    assert isinstance(summary, CaseSummary)
    assert summary.provenance.backend == "azure"


def test_the_api_key_reaches_no_file_of_the_state_directory(
    batch_server: OpenAIStubServer, tmp_path: Path
) -> None:
    from .conftest import KEY

    batch_server.handler = lambda body: StubAnswer(content=BROKEN)
    state_dir = tmp_path / "s"
    batch.submit([MEETING], backend=SPEC, state_dir=state_dir, max_rounds=1)
    run_to_end(state_dir)
    files = [p for p in state_dir.rglob("*") if p.is_file()]
    assert len(files) > 8
    for path in files:
        assert KEY not in path.read_text(encoding="utf-8"), path
    assert all(r.had_auth for r in batch_server.requests)


def test_batch_answers_are_held_to_the_item_as_summarize_holds_them(
    batch_server: OpenAIStubServer, tmp_path: Path
) -> None:
    """A quote the item does not hold is re-asked; a kept answer says where its quotes stand."""

    def handler(body: dict[str, Any]) -> StubAnswer:
        first = len(body["messages"]) == 2
        answer = evidence_answer(body, fabricate=2) if first else evidence_answer(body)
        return StubAnswer(content=json.dumps(answer, ensure_ascii=False))

    batch_server.handler = handler
    state_dir = tmp_path / "s"
    batch.submit([ODENSE], backend=SPEC, state_dir=state_dir)
    result = run_to_end(state_dir)

    assert (result.ok, result.failed) == (1, 0)
    part = load_state(state_dir).parts[0]
    assert [r.requests for r in part.rounds] == [1, 1]
    (follow_up,) = [
        json.loads(x) for x in (state_dir / part.rounds[1].file).read_text().splitlines()
    ]
    reask = follow_up["body"]["messages"][-1]["content"]
    assert "evidence.pros[1]: the quote for pro 2 is not in the item" in reask
    (summary,) = results(state_dir)
    assert isinstance(summary, CaseSummary)
    (item,) = load_items(ODENSE)
    assert len(summary.citations) == 7  # the summary's quote, three pros', three cons'
    for citation in summary.citations:
        source = item.title if citation.section is None else item.sections[citation.section].text
        assert source[citation.start : citation.end] == citation.passage


def test_a_state_directory_from_before_items_were_kept_is_still_collected(
    batch_server: OpenAIStubServer, tmp_path: Path
) -> None:
    """A manifest without items (written by a development version) is checked without them."""
    batch_server.handler = lambda body: answer_naming(body)
    state_dir = tmp_path / "s"
    batch.submit([ODENSE], backend=SPEC, state_dir=state_dir)
    manifest = state_dir / "parts" / "000" / "items.jsonl"
    rows = [json.loads(x) for x in manifest.read_text().splitlines()]
    assert all("item" in row for row in rows)
    manifest.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "item"}) + "\n"
                                for r in rows))  # fmt: skip
    result = run_to_end(state_dir)

    assert (result.ok, result.failed) == (1, 0)
    (summary,) = results(state_dir)
    assert isinstance(summary, CaseSummary)
    assert summary.citations == ()
