"""summarize / asummarize / summarize_many: re-asks, provenance, skipping, bulk failures."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from casesummary.backends.base import BackendRequest, BackendResponse
from casesummary.exceptions import (
    BackendHTTPError,
    InvalidBackendSpec,
    NothingToSummarize,
    OutputValidationError,
    UserError,
)
from casesummary.item import AgendaItem, Section, SectionKind, SourceFormat
from casesummary.prompt import load_prompt
from casesummary.result import CaseSummary, SummaryFailure, Usage
from casesummary.summarizer import (
    Summarizer,
    Trace,
    asummarize,
    build_request,
    summarize,
    summarize_many,
)
from casesummary.taxonomy import Taxonomy, Topic, load_taxonomy
from casesummary.testing import FunctionBackend, QueueBackend, answer_for, good_answer
from casesummary.validation import answer_schema


def make_item(title: str = "Pejlemærker for beskæftigelsesreformen", **fields: Any) -> AgendaItem:
    values: dict[str, Any] = {
        "source_format": SourceFormat.ITEM_TEXT,
        "municipality": "Odense",
        "title": title,
        "sections": (
            Section(
                heading="Sagsresumé",
                kind=SectionKind.SUMMARY,
                text=f"Udvalget skal drøfte {title.lower()}.",
            ),
        ),
    }
    values.update(fields)
    return AgendaItem.model_validate(values)


def response(
    answer: dict[str, Any] | str, *, tokens: tuple[int, int] = (100, 50), **extra: Any
) -> BackendResponse:
    content = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
    return BackendResponse(
        content=content,
        model="fake-model-2026",
        usage=Usage(input_tokens=tokens[0], output_tokens=tokens[1]),
        **extra,
    )


def good(item: AgendaItem | None = None) -> dict[str, Any]:
    """A valid answer whose quotes come from `item` (default: `make_item()`)."""
    return good_answer(item=item if item is not None else make_item())


def bad_answer() -> dict[str, Any]:
    return {**good(), "pros": ["Kun en fordel"]}


# -- build_request ---------------------------------------------------------------------------


def test_build_request_carries_everything_a_backend_needs() -> None:
    prompt, taxonomy, item = load_prompt(), load_taxonomy(), make_item()
    request = build_request(item, prompt=prompt, taxonomy=taxonomy, repeat=2)
    assert [m.role for m in request.messages] == ["system", "user"]
    assert request.json_schema == answer_schema(taxonomy, evidence=True)
    assert request.wants_evidence
    assert request.parameters == prompt.parameters
    assert request.schema_name == "prompt_result"
    assert (request.prompt_id, request.prompt_version) == ("summary", prompt.version)
    assert request.prompt_fingerprint == prompt.fingerprint(taxonomy)
    assert (request.item, request.taxonomy, request.repeat) == (item, taxonomy, 2)


# -- one item --------------------------------------------------------------------------------


def test_valid_first_answer_with_complete_provenance() -> None:
    backend = QueueBackend(
        [response(good(), structured_mode="json_schema")], name="fake", model="fake-model"
    )
    item = make_item()
    result = summarize(item, backend=backend)
    assert isinstance(result, CaseSummary)
    assert result.pros == good_answer()["pros"]
    assert result.review.status == "unreviewed"
    assert "kunstig intelligens" in result.disclosure
    p = result.provenance
    prompt = load_prompt()
    assert (p.prompt_id, p.prompt_version) == ("summary", prompt.version)
    assert p.prompt_fingerprint == prompt.fingerprint(load_taxonomy())
    assert (p.backend, p.model) == ("fake", "fake-model-2026")
    assert p.parameters == prompt.parameters
    assert p.structured_mode == "json_schema"
    assert p.usage == Usage(input_tokens=100, output_tokens=50)
    assert p.attempts == 1
    assert p.latency_s >= 0
    assert p.item_fingerprint == item.fingerprint
    assert p.extractive is False
    assert len(backend.calls) == 1


def test_invalid_answer_is_reasked_with_only_the_validation_errors() -> None:
    backend = QueueBackend([response(bad_answer()), response(good(), tokens=(300, 70))])
    result = summarize(make_item(), backend=backend)
    assert result.provenance.attempts == 2
    assert result.provenance.usage == Usage(input_tokens=400, output_tokens=120)

    first, second = backend.calls
    assert len(second.messages) == len(first.messages) + 2
    assert second.messages[: len(first.messages)] == first.messages
    assistant, reask = second.messages[-2:]
    assert assistant.role == "assistant"
    assert json.loads(assistant.content) == bad_answer()
    assert reask.role == "user"
    assert "pros: must hold exactly 3 items, not 1" in reask.content
    assert "HTTP" not in reask.content


def test_api_errors_are_never_sent_back_to_the_model() -> None:
    backend = QueueBackend(
        [BackendHTTPError("upstream said: secret internal trace", status_code=500)]
    )
    with pytest.raises(BackendHTTPError):
        summarize(make_item(), backend=backend)
    assert len(backend.calls) == 1


def test_reasks_are_bounded_and_then_raise_with_the_last_errors() -> None:
    backend = QueueBackend([response(bad_answer())] * 3 + [response(good())])
    with pytest.raises(OutputValidationError) as info:
        summarize(make_item(), backend=backend)
    assert len(backend.calls) == 3  # the first answer and two re-asks
    assert "still invalid after 3 answers:" in str(info.value)
    assert info.value.errors == ["pros: must hold exactly 3 items, not 1"]
    assert json.loads(info.value.output) == bad_answer()


@pytest.mark.parametrize("max_reasks", [0, 1, 4])
def test_max_reasks_sets_the_bound(max_reasks: int) -> None:
    backend = FunctionBackend(lambda r: bad_answer())
    with pytest.raises(OutputValidationError):
        summarize(make_item(), backend=backend, max_reasks=max_reasks)
    assert len(backend.calls) == max_reasks + 1


def test_negative_max_reasks_is_a_user_error() -> None:
    with pytest.raises(UserError):
        summarize(make_item(), backend=QueueBackend([]), max_reasks=-1)


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        (make_item(is_open=False), "closed"),
        (make_item(sections=()), "empty"),
        (
            make_item(sections=(Section(heading="Resumé", kind=SectionKind.SUMMARY, text=" "),)),
            "empty",
        ),
    ],
)
async def test_nothing_to_summarize_before_any_backend_call(item: AgendaItem, reason: str) -> None:
    backend = QueueBackend([good_answer()])
    with pytest.raises(NothingToSummarize) as info:
        summarize(item, backend=backend)
    assert info.value.reason == reason
    with pytest.raises(NothingToSummarize):
        await asummarize(item, backend=backend)
    assert backend.calls == []


async def test_asummarize_reasks_too() -> None:
    backend = QueueBackend([response(bad_answer()), response(good())])
    result = await asummarize(make_item(), backend=backend)
    assert result.provenance.attempts == 2
    assert result.provenance.usage.input_tokens == 200


def test_repeat_and_custom_taxonomy_reach_the_request() -> None:
    taxonomy = Taxonomy(topics=(Topic(name="Skat"),))
    backend = FunctionBackend(answer_for)
    result = summarize(make_item(), backend=backend, taxonomy=taxonomy, repeat=3)
    assert result.keywords == ["Skat"]
    assert backend.calls[0].repeat == 3
    assert backend.calls[0].json_schema["properties"]["keywords"]["items"]["enum"] == ["Skat"]


def test_prompt_by_spec_and_by_template() -> None:
    template = load_prompt("summary@1.0.0")
    for prompt in ("summary@1", template):
        answer = good_answer(evidence=False)
        result = summarize(make_item(), backend=QueueBackend([answer]), prompt=prompt)
        assert result.provenance.prompt_version == "1.0.0"


def test_backend_from_spec_string_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASESUMMARY_BACKEND", "basline")
    with pytest.raises(InvalidBackendSpec, match="Did you mean 'baseline'"):
        summarize(make_item())
    with pytest.raises(InvalidBackendSpec, match="nosuch"):
        summarize(make_item(), backend="nosuch")


def test_default_backend_is_the_baseline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASESUMMARY_BACKEND", raising=False)
    item = make_item(
        sections=(
            Section(
                heading="Sagsresumé",
                kind=SectionKind.SUMMARY,
                text=(
                    "Udvalget skal vedtage et budget på 5 mio. kr. til nye cykelstier. "
                    "Cykelstierne skal øge trafiksikkerheden for skolebørn. "
                    "Anlægsudgiften afholdes af kassebeholdningen."
                ),
            ),
            Section(
                heading="Indstilling",
                kind=SectionKind.RECOMMENDATION,
                text="Forvaltningen indstiller, at udvalget godkender anlægsbevillingen.",
            ),
        )
    )
    result = summarize(item)
    assert result.provenance.backend == "baseline"
    assert result.provenance.extractive is True


# -- many items ------------------------------------------------------------------------------


def by_title(answers: dict[str, Any]) -> FunctionBackend:
    def answer(request: BackendRequest) -> Any:
        value = answers[request.item.title]
        return value(request) if callable(value) else value

    return FunctionBackend(answer)


def test_summarize_many_keeps_order_and_isolates_failures() -> None:
    items = [make_item(f"Punkt {n}") for n in range(6)]
    failing = BackendHTTPError("boom", status_code=503)
    answers: dict[str, Any] = {i.title: good(i) for i in items}
    answers["Punkt 2"] = failing
    answers["Punkt 4"] = bad_answer()
    backend = by_title(answers)
    results = summarize_many(items, backend=backend, concurrency=3, max_reasks=1)

    assert len(results) == 6
    ok = [r for r in results if isinstance(r, CaseSummary)]
    assert [r.provenance.item_fingerprint for r in ok] == [
        items[n].fingerprint for n in (0, 1, 3, 5)
    ]
    http, invalid = results[2], results[4]
    assert isinstance(http, SummaryFailure)
    assert (http.item_title, http.error_type, http.attempts) == ("Punkt 2", "BackendHTTPError", 1)
    assert http.reason == "backend"
    assert http.item_fingerprint == items[2].fingerprint
    assert "503" in http.message
    assert isinstance(invalid, SummaryFailure)
    assert (invalid.error_type, invalid.attempts) == ("OutputValidationError", 2)
    assert invalid.reason == "invalid_answer"


def test_summarize_many_reports_skipped_items_as_failures() -> None:
    items = [make_item("Åben"), make_item("Lukket", is_open=False), make_item("Tom", sections=())]
    backend = QueueBackend([good(items[0])])
    results = summarize_many(items, backend=backend)
    assert isinstance(results[0], CaseSummary)
    assert [(r.error_type, r.item_title) for r in results[1:]] == [  # type: ignore[union-attr]
        ("NothingToSummarize", "Lukket"),
        ("NothingToSummarize", "Tom"),
    ]
    assert "closed" in results[1].message  # type: ignore[union-attr]
    assert [(r.reason, r.attempts) for r in results[1:]] == [  # type: ignore[union-attr]
        ("closed", 0),
        ("empty", 0),
    ]
    assert len(backend.calls) == 1


def test_a_failure_carries_the_items_number_title_and_a_reason_for_machines() -> None:
    """The web app reads `reason` (closed, empty, invalid_answer, backend, error), not text."""
    items = [
        make_item("Lukket", number="1", is_open=False),
        make_item("Tom", number="2", sections=()),
        make_item("Ugyldig", number="3"),
        make_item("Nede", number="4"),
        make_item("Fejl", number="5"),
        make_item("Uden nummer"),
    ]
    answers: dict[str, Any] = {
        "Ugyldig": bad_answer(),
        "Nede": BackendHTTPError("down", status_code=503),
        "Fejl": ZeroDivisionError("a bug in a third-party backend"),
        "Uden nummer": bad_answer(),
    }
    results = summarize_many(items, backend=by_title(answers), max_reasks=0)
    assert all(isinstance(r, SummaryFailure) for r in results)
    rows = [(r.item_number, r.item_title, r.reason) for r in results]  # type: ignore[union-attr]
    assert rows == [
        ("1", "Lukket", "closed"),
        ("2", "Tom", "empty"),
        ("3", "Ugyldig", "invalid_answer"),
        ("4", "Nede", "backend"),
        ("5", "Fejl", "error"),
        (None, "Uden nummer", "invalid_answer"),
    ]
    SummaryFailure.model_validate_json(results[0].model_dump_json())


def test_on_result_streams_each_outcome_as_it_finishes() -> None:
    items = [make_item(f"Punkt {n}") for n in range(5)]
    answers: dict[str, Any] = {i.title: good_answer() for i in items}
    answers["Punkt 3"] = BackendHTTPError("boom", status_code=500)
    seen: list[tuple[int, CaseSummary | SummaryFailure]] = []
    progress: list[int] = []
    results = summarize_many(
        items,
        backend=by_title(answers),
        on_result=lambda position, outcome: seen.append((position, outcome)),
        progress=lambda done, total: progress.append(len(seen)),
    )
    assert sorted(p for p, _ in seen) == list(range(5))
    assert dict(seen) == dict(enumerate(results))
    assert progress == [1, 2, 3, 4, 5]  # each outcome is out before its progress tick


def test_a_trace_holds_the_raw_answers_and_the_counts() -> None:
    # v1: these fixed answers carry no quotes (the re-ask mechanics are the same for every prompt)
    plain = good_answer(evidence=False)
    summarizer = Summarizer(
        QueueBackend([response(bad_answer()), response(plain)]), prompt="summary@1.0.0"
    )
    trace = Trace()
    result = summarizer.summarize(make_item(), trace=trace)
    assert [json.loads(r.content) for r in trace.responses] == [bad_answer(), plain]
    assert (trace.asked, trace.attempts, trace.reasks) == (2, 2, 1)
    assert (result.provenance.attempts, result.provenance.reasks) == (2, 1)

    failing = Summarizer(
        QueueBackend([response(bad_answer()), BackendHTTPError("x", status_code=500)]),
        prompt="summary@1.0.0",
    )
    trace = Trace()
    with pytest.raises(BackendHTTPError):
        failing.summarize(make_item(), trace=trace)
    assert (len(trace.responses), trace.asked, trace.attempts, trace.reasks) == (1, 2, 2, 1)


@pytest.mark.parametrize("max_retries", [0, 3])
def test_attempts_are_one_count_per_item_against_a_failing_server(max_retries: int) -> None:
    """Against a server that always answers 500, every item says how many requests it cost, the
    same number in its message and its `attempts`, with the right grammar and the bound."""
    from casesummary.backends.openai import OpenAIBackend
    from casesummary.testing.server import OpenAIStubServer, StubError

    items = [make_item(f"Punkt {n}") for n in range(3)]
    with OpenAIStubServer(handler=lambda body: StubError(500, "always down")) as server:
        url = server.base_url
        backend = OpenAIBackend(
            "m", kind="openai-compatible", base_url=url, max_retries=max_retries, initial_wait=0.001
        )
        results = summarize_many(items, backend=backend, concurrency=1, max_reasks=0)
        backend.close()
        sent = server.request_count
    assert all(isinstance(r, SummaryFailure) for r in results)
    failures = [r for r in results if isinstance(r, SummaryFailure)]
    assert sum(f.attempts for f in failures) == sent
    for failure in failures:
        assert failure.error_type == "RetriesExhausted"
        assert failure.reason == "backend"
        counted = "1 attempt " if failure.attempts == 1 else f"{failure.attempts} attempts "
        assert f"failed after {counted}(" in failure.message, failure.message
        assert "1 attempts" not in failure.message
        assert f"max_retries={max_retries}" in failure.message
        assert url in failure.message
    # Only the first item tries the structured-output modes the server refuses; later items
    # start in the last mode, so each of them costs exactly the retry bound.
    assert {f.attempts for f in failures[1:]} == {max_retries + 1}
    assert "refused" in failures[0].message


def test_a_large_item_is_summarised_and_every_failure_is_typed() -> None:
    """Over 1,000,000 characters (more than the tokenizer takes at once): budgeted, not a crash."""
    text = " ".join(f"Udgiften til aktivitet {n} er {n * 1000} kr. i 2026." for n in range(25_000))
    assert len(text) > 1_000_000
    big = make_item(
        "Budget 2026", sections=(Section(heading="Bilag", kind=SectionKind.OTHER, text=text),)
    )
    valid = FunctionBackend(answer_for)
    invalid = FunctionBackend(lambda r: bad_answer())
    ok, failed = [summarize_many([big], backend=b, max_reasks=0)[0] for b in (valid, invalid)]
    assert isinstance(ok, CaseSummary)
    prompt_text = valid.calls[0].messages[-1].content
    assert len(prompt_text) < 60_000  # within the prompt's token budget
    assert isinstance(failed, SummaryFailure)
    assert failed.error_type == "OutputValidationError"


def test_progress_is_called_as_each_item_finishes() -> None:
    items = [make_item(f"Punkt {n}") for n in range(5)]
    calls: list[tuple[int, int]] = []
    summarize_many(
        items,
        backend=FunctionBackend(answer_for),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(n, 5) for n in range(1, 6)]


def test_concurrency_is_bounded() -> None:
    items = [make_item(f"Punkt {n}") for n in range(8)]
    active = 0
    peak = 0
    lock = threading.Lock()

    class Slow:
        name, model = "slow", "m"

        def complete(self, request: BackendRequest) -> BackendResponse:
            raise AssertionError("sync path not used")

        async def acomplete(self, request: BackendRequest) -> BackendResponse:
            nonlocal active, peak
            with lock:
                active += 1
                peak = max(peak, active)
            await asyncio.sleep(0.01)
            with lock:
                active -= 1
            return response(answer_for(request))

    results = summarize_many(items, backend=Slow(), concurrency=2)
    assert all(isinstance(r, CaseSummary) for r in results)
    assert peak == 2


def test_caller_mistakes_raise_before_any_item_runs() -> None:
    backend = QueueBackend([])
    with pytest.raises(InvalidBackendSpec):
        summarize_many([make_item()], backend="nosuch")
    with pytest.raises(UserError, match="concurrency"):
        summarize_many([make_item()], backend=backend, concurrency=0)
    assert backend.calls == []


async def test_summarize_many_inside_a_running_loop() -> None:
    results = summarize_many([make_item()], backend=QueueBackend([good()]))
    assert isinstance(results[0], CaseSummary)


def test_summarize_many_of_nothing() -> None:
    assert summarize_many([], backend=QueueBackend([])) == []


# -- end to end over the OpenAI protocol (a real HTTP server on 127.0.0.1) -------------------


def test_openai_compatible_end_to_end() -> None:
    from casesummary.testing.server import DEFAULT_ANSWER, OpenAIStubServer

    with OpenAIStubServer(dialect="openai") as server:
        result = summarize(make_item(), backend=f"openai-compatible:test@{server.base_url}")
        sent = server.chat_requests[0].body
    assert isinstance(result, CaseSummary)
    assert result.question == DEFAULT_ANSWER["question"]
    assert (result.provenance.backend, result.provenance.model) == ("openai-compatible", "test")
    assert result.provenance.structured_mode != "none"
    assert result.provenance.usage.input_tokens > 0
    assert [m["role"] for m in sent["messages"]] == ["system", "user"]
    assert sent["temperature"] == 0.2


def test_openai_compatible_reask_and_record_then_replay(tmp_path: Path) -> None:
    from casesummary.testing.server import OpenAIStubServer, StubAnswer, StubFault

    item = make_item()
    with OpenAIStubServer(dialect="openai") as server:
        server.queue(StubFault("schema_break"), StubAnswer())
        spec = f"record:{tmp_path}=openai-compatible:test@{server.base_url}"
        live = summarize(item, backend=spec)
        requests = server.chat_requests
    assert live.provenance.attempts == 2
    assert len(requests) == 2
    reask = requests[1].body["messages"][-1]
    assert reask["role"] == "user"
    assert "must" in reask["content"]
    assert len(list(tmp_path.glob("*.json"))) == 2  # the first answer and the re-ask
    # the server is gone: replay answers from the recordings alone
    replayed = summarize(item, backend=f"replay:{tmp_path}")
    assert replayed.model_dump(exclude={"provenance"}) == live.model_dump(exclude={"provenance"})
    assert replayed.provenance.attempts == 2
    assert (replayed.provenance.backend, replayed.provenance.model) == ("openai-compatible", "test")


def test_disclosure_says_extractive_for_the_baseline_and_ai_for_models() -> None:
    """Art. 50(4): citizens are told how the text was made; the baseline uses no model."""
    from casesummary import load_item
    from casesummary.result import AI_DISCLOSURE, EXTRACTIVE_DISCLOSURE

    item = load_item(Path(__file__).parent / "data/fixtures/odense-beu-2025-pejlemaerker.item.json")
    assert summarize(item, backend="baseline").disclosure == EXTRACTIVE_DISCLOSURE
    model = FunctionBackend(lambda request: good_answer())
    assert summarize(item, backend=model).disclosure == AI_DISCLOSURE


# -- the Summarizer ---------------------------------------------------------------------------


class _Closable(FunctionBackend):
    """A fake that counts how often it was closed."""

    def __init__(self) -> None:
        super().__init__(answer_for)
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


def test_a_summarizer_closes_a_backend_it_made_from_a_spec(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[_Closable] = []

    def fake_get_backend(spec: object) -> _Closable:
        made.append(_Closable())
        return made[-1]

    monkeypatch.setattr("casesummary.summarizer.get_backend", fake_get_backend)
    result = summarize(make_item(), backend="openai:gpt-4o-mini")
    assert result.question
    assert [b.closed for b in made] == [1]  # summarize() closed what it opened
    with Summarizer("openai:gpt-4o-mini") as summarizer:
        summarizer.summarize(make_item())
        summarizer.summarize(make_item("Budget 2027"))
        assert made[-1].closed == 0  # one backend for many items, open while in use
        assert summarizer.owns_backend
        assert summarizer.label == "openai:gpt-4o-mini"
    assert made[-1].closed == 1


async def test_a_summarizer_never_closes_the_callers_backend() -> None:
    backend = _Closable()
    async with Summarizer(backend) as summarizer:
        await summarizer.asummarize(make_item())
        assert not summarizer.owns_backend
        assert summarizer.label == "function:fake"
    assert backend.closed == 0
    summarize(make_item(), backend=backend)
    assert backend.closed == 0


def test_a_summarizer_checks_every_argument_before_any_item(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CASESUMMARY_BACKEND", raising=False)
    with pytest.raises(InvalidBackendSpec):
        Summarizer("basline")
    with pytest.raises(UserError, match="no version 9"):
        Summarizer("baseline", prompt="summary@9")
    with pytest.raises(UserError, match="max_reasks"):
        Summarizer("baseline", max_reasks=-1)
    with pytest.raises(UserError, match="not object"):
        Summarizer(object())  # type: ignore[arg-type]
    assert Summarizer().fell_back
    assert not Summarizer("baseline").fell_back


def test_a_summarizer_with_a_cache_answers_a_repeated_request_from_it(tmp_path: Path) -> None:
    backend = FunctionBackend(answer_for)
    item = make_item()
    first = Summarizer(backend, cache_dir=tmp_path).summarize(item)
    again = Summarizer(backend, cache_dir=tmp_path).summarize(item)
    assert len(backend.calls) == 1
    assert again.question == first.question


def test_a_backend_made_for_0_1_without_close_still_summarises() -> None:
    class Old:
        name, model = "old", "m"

        def complete(self, request: BackendRequest) -> BackendResponse:
            return BackendResponse(content=json.dumps(answer_for(request)), model="m")

        async def acomplete(self, request: BackendRequest) -> BackendResponse:
            return self.complete(request)

    assert summarize(make_item(), backend=Old()).provenance.backend == "old"  # type: ignore[arg-type]
    assert summarize_many([make_item()], backend=Old())[0].provenance.model == "m"  # type: ignore[arg-type,union-attr]


# -- evidence and grounding -------------------------------------------------------------------

BUDGET_ITEM = make_item(
    "Budget for cykelstier",
    sections=(
        Section(
            heading="Sagsresumé",
            kind=SectionKind.SUMMARY,
            text=(
                "Udvalget skal vedtage et budget på 5 mio. kr. til nye cykelstier.\n"
                "Cykelstierne skal øge trafiksikkerheden for skolebørn."
            ),
        ),
        Section(
            heading="Økonomi",
            kind=SectionKind.ECONOMY,
            text="Anlægsudgiften afholdes af kassebeholdningen i 2027.",
        ),
    ),
)


def budget_answer(**changes: Any) -> dict[str, Any]:
    answer = good_answer(item=BUDGET_ITEM)
    answer["evidence"] = {
        "summary": "Udvalget skal vedtage et budget på 5 mio. kr. til nye cykelstier.",
        "pros": [
            "Cykelstierne skal øge trafiksikkerheden for skolebørn",
            "et budget på 5 mio. kr. til nye cykelstier",
            "Udvalget skal vedtage et budget",
        ],
        "cons": [
            "Anlægsudgiften afholdes af kassebeholdningen i 2027.",
            "afholdes af kassebeholdningen",
            "«Cykelstierne skal øge  trafiksikkerheden»",
        ],
    }
    answer.update(changes)
    return answer


def test_the_result_says_where_each_quote_stands_in_the_item() -> None:
    result = summarize(BUDGET_ITEM, backend=QueueBackend([budget_answer()]))
    assert result.evidence is not None
    assert len(result.citations) == 7
    first = result.citation("summary")
    assert first is not None
    assert (first.section, first.heading, first.start) == (0, "Sagsresumé", 0)
    text = BUDGET_ITEM.sections[0].text
    assert text[first.start : first.end] == first.passage == result.evidence.summary.rstrip(".")
    con = result.citation("cons", 2)  # other quote marks, a doubled space: still found
    assert con is not None
    assert con.passage == "Cykelstierne skal øge trafiksikkerheden"
    economy = result.citation("cons", 0)
    assert economy is not None
    assert economy.heading == "Økonomi"
    assert economy.section == 1
    dumped = result.model_dump(mode="json")
    assert dumped["citations"][0]["part"] == "summary"
    assert dumped["evidence"]["pros"][0] == "Cykelstierne skal øge trafiksikkerheden for skolebørn"


def test_a_quote_not_in_the_item_is_reasked_and_the_result_records_two_attempts() -> None:
    invented = budget_answer()
    invented["evidence"]["pros"][1] = "Byrådet har vedtaget en svævebane over havnen"
    backend = QueueBackend([invented, budget_answer()])
    result = summarize(BUDGET_ITEM, backend=backend)
    assert result.provenance.attempts == 2
    reask = backend.calls[1].messages[-1].content
    assert "evidence.pros[1]: the quote for pro 2 is not in the item" in reask
    assert result.evidence is not None
    assert "svævebane" not in result.evidence.pros[1]


@pytest.mark.parametrize(
    ("quote", "message"),
    [
        ("Udvalget skal", "the quote for the summary is too short"),
        (" ".join(["ord"] * 61), "the quote for the summary is too long"),
    ],
)
def test_a_quote_must_be_short_but_not_a_word_or_two(quote: str, message: str) -> None:
    answer = budget_answer()
    answer["evidence"]["summary"] = quote
    with pytest.raises(OutputValidationError) as info:
        summarize(BUDGET_ITEM, backend=QueueBackend([answer]), max_reasks=0)
    assert any(message in e for e in info.value.errors)


def test_missing_evidence_is_reasked_under_a_prompt_that_asks_for_it() -> None:
    backend = QueueBackend([good_answer(evidence=False), budget_answer()])
    result = summarize(BUDGET_ITEM, backend=backend)
    assert result.provenance.attempts == 2
    assert "evidence: the field is missing" in backend.calls[1].messages[-1].content


def test_a_prompt_without_evidence_neither_asks_for_nor_accepts_it() -> None:
    plain = summarize(
        BUDGET_ITEM, backend=QueueBackend([good_answer(evidence=False)]), prompt="summary@1"
    )
    assert plain.evidence is None
    assert plain.citations == ()
    assert "evidence" not in plain.model_dump()
    backend = QueueBackend([budget_answer()])
    with pytest.raises(OutputValidationError, match="evidence: not an allowed field"):
        summarize(BUDGET_ITEM, backend=backend, prompt="summary@1", max_reasks=0)
    assert not backend.calls[0].wants_evidence
    assert "evidence" not in backend.calls[0].json_schema["properties"]


def test_a_number_the_item_does_not_state_is_reasked() -> None:
    invented = budget_answer(
        summary=(
            "Dagsordenspunktet handler om et budget på 7 mio. kr. til cykelstier. "
            "Anlægget står færdigt den 1. juni 2031."
        )
    )
    backend = QueueBackend([invented, budget_answer()])
    result = summarize(BUDGET_ITEM, backend=backend)
    assert result.provenance.attempts == 2
    reask = backend.calls[1].messages[-1].content
    assert "summary: '7 mio.', '1. juni 2031' does not occur in the item" in reask
    grounded = budget_answer(summary="Dagsordenspunktet handler om 5 mio. kr. Det er i 2027.")
    assert summarize(BUDGET_ITEM, backend=QueueBackend([grounded])).provenance.attempts == 1


def test_grounding_strictness_is_the_prompts_unless_the_summarizer_says_otherwise() -> None:
    invented = budget_answer(pros=["Giver 12 nye cykelstier", "Øger sikkerheden", "Hjælper børn"])
    with Summarizer(QueueBackend([invented]), max_reasks=0) as strict:
        assert strict.grounding == "numbers"
        with pytest.raises(OutputValidationError, match=r"pros\[0\]: '12' does not occur"):
            strict.summarize(BUDGET_ITEM)
    with Summarizer(QueueBackend([invented]), grounding="off") as lenient:
        assert lenient.summarize(BUDGET_ITEM).pros[0] == "Giver 12 nye cykelstier"
    named = budget_answer(cons=["Risiko for at Vejdirektoratet siger nej", "Mulighed for x", "y"])
    assert summarize(BUDGET_ITEM, backend=QueueBackend([named])).cons[0].endswith("nej")
    with (
        Summarizer(QueueBackend([named]), grounding="all", max_reasks=0) as names,
        pytest.raises(OutputValidationError, match="the name 'Vejdirektoratet'"),
    ):
        names.summarize(BUDGET_ITEM)
    with pytest.raises(UserError, match="grounding must be one of off, numbers, all"):
        Summarizer(QueueBackend([]), grounding="strict")  # type: ignore[arg-type]
