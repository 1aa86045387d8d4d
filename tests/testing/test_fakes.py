"""The public fake backends: answers from a function or a queue, with a call history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casesummary.backends.base import Backend, BackendRequest, BackendResponse, Message
from casesummary.exceptions import BackendConnectionError
from casesummary.item import AgendaItem, Section, SectionKind, SourceFormat
from casesummary.result import Usage
from casesummary.taxonomy import Taxonomy, Topic, load_taxonomy
from casesummary.testing import (
    FunctionBackend,
    QueueBackend,
    QueueExhausted,
    answer_for,
    good_answer,
)
from casesummary.validation import check_answer, validate_answer


def request(title: str = "Punkt") -> BackendRequest:
    item = AgendaItem(
        source_format=SourceFormat.ITEM_TEXT,
        title=title,
        sections=(Section(heading="Resumé", kind=SectionKind.SUMMARY, text="Tekst."),),
    )
    taxonomy = load_taxonomy()
    return BackendRequest(
        messages=(Message(role="user", content="hej"),),
        json_schema={},
        item=item,
        taxonomy=taxonomy,
        prompt_id="summary",
        prompt_version="1.0.0",
        prompt_fingerprint="f" * 64,
    )


def test_fakes_are_backends() -> None:
    assert isinstance(FunctionBackend(lambda r: "{}"), Backend)
    assert isinstance(QueueBackend([]), Backend)


def test_function_backend_turns_each_answer_kind_into_a_response() -> None:
    answers: list[object] = [
        '{"a": 1}',
        {"ø": "å"},
        BackendResponse(content="x", model="m", usage=Usage(input_tokens=3)),
    ]
    backend = FunctionBackend(lambda r: answers.pop(0), model="fake-1")  # type: ignore[arg-type, return-value]
    first, second, third = (backend.complete(request()) for _ in range(3))
    assert (first.content, first.model) == ('{"a": 1}', "fake-1")
    assert json.loads(second.content) == {"ø": "å"}
    assert "ø" in second.content  # not ASCII-escaped
    assert third.usage.input_tokens == 3
    assert len(backend.calls) == 3


async def test_function_backend_async_records_the_request() -> None:
    seen = request("Asynkron")
    backend = FunctionBackend(lambda r: r.item.title)
    response = await backend.acomplete(seen)
    assert response.content == "Asynkron"
    assert backend.calls == [seen]


def test_queue_backend_answers_in_order_and_keeps_history() -> None:
    backend = QueueBackend(["1", "2"])
    first, second = request("A"), request("B")
    assert backend.complete(first).content == "1"
    assert backend.complete(second).content == "2"
    assert [c.item.title for c in backend.calls] == ["A", "B"]
    with pytest.raises(QueueExhausted, match="call 3"):
        backend.complete(request("C"))


async def test_queue_backend_raises_queued_exceptions() -> None:
    backend = QueueBackend([BackendConnectionError("connection refused"), "ok"])
    with pytest.raises(BackendConnectionError):
        await backend.acomplete(request())
    assert (await backend.acomplete(request())).content == "ok"
    assert len(backend.calls) == 2


def test_good_answer_is_valid_for_default_and_custom_taxonomies() -> None:
    assert validate_answer(good_answer(), load_taxonomy()).keywords
    small = Taxonomy(topics=(Topic(name="Skat"), Topic(name="Vej")))
    answer = good_answer(small)
    assert answer["keywords"] == ["Skat"]
    validate_answer(answer, small)


FIXTURE = Path(__file__).resolve().parents[1] / "data" / "fixtures"


def test_good_answer_quotes_the_published_odense_item_by_default() -> None:
    from casesummary.sources import load_item

    item = load_item(FIXTURE / "odense-beu-2025-pejlemaerker.item.json")
    checked = check_answer(good_answer(), load_taxonomy(), item=item, evidence=True)
    assert len(checked.citations) == 7
    assert "evidence" not in good_answer(evidence=False)


def test_good_answer_for_an_item_quotes_that_item() -> None:
    item = AgendaItem(
        source_format=SourceFormat.ITEM_TEXT,
        title="Ny skolevej",
        sections=(
            Section(
                heading="Sagsfremstilling",
                kind=SectionKind.PRESENTATION,
                text=(
                    "Forvaltningen foreslår en ny skolevej ved Hømarken.\n"
                    "1. Stien belyses om natten."
                ),
            ),
        ),
    )
    checked = check_answer(good_answer(item=item), load_taxonomy(), item=item, evidence=True)
    assert {c.passage for c in checked.citations} == {
        "Forvaltningen foreslår en ny skolevej ved Hømarken"
    }
    tiny = item.model_copy(
        update={"sections": (Section(heading="Resumé", kind=SectionKind.SUMMARY, text="Ja."),)}
    )
    assert check_answer(good_answer(item=tiny), load_taxonomy(), item=tiny, evidence=True)


def test_answer_for_fits_the_request() -> None:
    from casesummary.prompt import load_prompt
    from casesummary.summarizer import build_request

    item = request().item
    for spec, wants in (("summary@1", False), ("summary@2", True)):
        built = build_request(item, prompt=load_prompt(spec), taxonomy=load_taxonomy())
        assert ("evidence" in answer_for(built)) is wants is built.wants_evidence
