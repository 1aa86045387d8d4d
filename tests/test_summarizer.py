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
from casesummary.testing import FunctionBackend, QueueBackend, good_answer
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


def bad_answer() -> dict[str, Any]:
    return {**good_answer(), "pros": ["Kun en fordel"]}


# -- build_request ---------------------------------------------------------------------------


def test_build_request_carries_everything_a_backend_needs() -> None:
    prompt, taxonomy, item = load_prompt(), load_taxonomy(), make_item()
    request = build_request(item, prompt=prompt, taxonomy=taxonomy, repeat=2)
    assert [m.role for m in request.messages] == ["system", "user"]
    assert request.json_schema == answer_schema(taxonomy)
    assert request.parameters == prompt.parameters
    assert request.schema_name == "prompt_result"
    assert (request.prompt_id, request.prompt_version) == ("summary", prompt.version)
    assert request.prompt_fingerprint == prompt.fingerprint(taxonomy)
    assert (request.item, request.taxonomy, request.repeat) == (item, taxonomy, 2)


# -- one item --------------------------------------------------------------------------------


def test_valid_first_answer_with_complete_provenance() -> None:
    backend = QueueBackend(
        [response(good_answer(), structured_mode="json_schema")], name="fake", model="fake-model"
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
    backend = QueueBackend([response(bad_answer()), response(good_answer(), tokens=(300, 70))])
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
    backend = QueueBackend([response(bad_answer())] * 3 + [response(good_answer())])
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
    backend = QueueBackend([response(bad_answer()), response(good_answer())])
    result = await asummarize(make_item(), backend=backend)
    assert result.provenance.attempts == 2
    assert result.provenance.usage.input_tokens == 200


def test_repeat_and_custom_taxonomy_reach_the_request() -> None:
    taxonomy = Taxonomy(topics=(Topic(name="Skat"),))
    backend = FunctionBackend(lambda r: good_answer(r.taxonomy))
    result = summarize(make_item(), backend=backend, taxonomy=taxonomy, repeat=3)
    assert result.keywords == ["Skat"]
    assert backend.calls[0].repeat == 3
    assert backend.calls[0].json_schema["properties"]["keywords"]["items"]["enum"] == ["Skat"]


def test_prompt_by_spec_and_by_template() -> None:
    template = load_prompt("summary@1.0.0")
    for prompt in ("summary@1", template):
        result = summarize(make_item(), backend=QueueBackend([good_answer()]), prompt=prompt)
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
    answers: dict[str, Any] = {i.title: good_answer() for i in items}
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
    backend = QueueBackend([good_answer()])
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
    summarizer = Summarizer(QueueBackend([response(bad_answer()), response(good_answer())]))
    trace = Trace()
    result = summarizer.summarize(make_item(), trace=trace)
    assert [json.loads(r.content) for r in trace.responses] == [bad_answer(), good_answer()]
    assert (trace.asked, trace.attempts, trace.reasks) == (2, 2, 1)
    assert (result.provenance.attempts, result.provenance.reasks) == (2, 1)

    failing = Summarizer(
        QueueBackend([response(bad_answer()), BackendHTTPError("x", status_code=500)])
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
    valid = FunctionBackend(lambda r: good_answer())
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
        backend=FunctionBackend(lambda r: good_answer()),
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
            return response(good_answer())

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
    results = summarize_many([make_item()], backend=QueueBackend([good_answer()]))
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
        super().__init__(lambda r: good_answer())
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
    backend = FunctionBackend(lambda r: good_answer())
    item = make_item()
    first = Summarizer(backend, cache_dir=tmp_path).summarize(item)
    again = Summarizer(backend, cache_dir=tmp_path).summarize(item)
    assert len(backend.calls) == 1
    assert again.question == first.question


def test_a_backend_made_for_0_1_without_close_still_summarises() -> None:
    class Old:
        name, model = "old", "m"

        def complete(self, request: BackendRequest) -> BackendResponse:
            return BackendResponse(content=json.dumps(good_answer()), model="m")

        async def acomplete(self, request: BackendRequest) -> BackendResponse:
            return self.complete(request)

    assert summarize(make_item(), backend=Old()).provenance.backend == "old"  # type: ignore[arg-type]
    assert summarize_many([make_item()], backend=Old())[0].provenance.model == "m"  # type: ignore[arg-type,union-attr]
