"""The loopback server answers with evidence when the prompt asks for it, and can be scripted to
invent a quote first: the summarizer re-asks and the result records two attempts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casesummary.backends.openai import MODES
from casesummary.item import AgendaItem
from casesummary.prompt import load_prompt
from casesummary.sources import load_item
from casesummary.summarizer import Summarizer, build_request, summarize
from casesummary.taxonomy import load_taxonomy
from casesummary.testing import (
    DEFAULT_ANSWER,
    EVIDENCE_ANSWER,
    FABRICATED_QUOTE,
    OpenAIStubServer,
    StubAnswer,
    asks_for_evidence,
    evidence_answer,
    sample_quotes,
)
from casesummary.validation import check_answer

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "fixtures"


@pytest.fixture(scope="module")
def item() -> AgendaItem:
    return load_item(FIXTURE / "odense-beu-2025-pejlemaerker.item.json")


def test_sampled_quotes_are_passages_of_the_item(item: AgendaItem) -> None:
    quotes = sample_quotes(item.to_prompt_text(), 7)
    assert len(quotes) == 7
    assert len(set(quotes)) == 7
    assert all(5 <= len(q.split()) <= 25 for q in quotes)
    answer = {**DEFAULT_ANSWER, "summary": EVIDENCE_ANSWER["summary"]}
    answer["evidence"] = {"summary": quotes[0], "pros": quotes[1:4], "cons": quotes[4:]}
    assert len(check_answer(answer, load_taxonomy(), item=item, evidence=True).citations) == 7
    assert sample_quotes("# Kort titel\n\n## Resumé\nJa.", 2) == ["Kort titel", "Kort titel"]


@pytest.mark.parametrize("mode", MODES)
def test_every_structured_mode_of_an_evidence_prompt_is_recognised(
    item: AgendaItem, mode: str
) -> None:
    with OpenAIStubServer() as server:
        result = summarize(item, backend=f"openai-compatible:stub@{server.base_url}?mode={mode}")
        body = server.chat_requests[0].body
    assert asks_for_evidence(body)
    assert result.provenance.attempts == 1
    assert len(result.citations) == 7
    assert result.summary == EVIDENCE_ANSWER["summary"]


def test_a_prompt_without_evidence_gets_the_plain_default_answer(item: AgendaItem) -> None:
    with OpenAIStubServer() as server:
        spec = f"openai-compatible:stub@{server.base_url}"
        result = summarize(item, backend=spec, prompt="summary@1")
        assert not asks_for_evidence(server.chat_requests[0].body)
    assert result.summary == DEFAULT_ANSWER["summary"]
    assert result.evidence is None


def test_a_fabricated_quote_first_and_a_correct_one_after_the_reask(item: AgendaItem) -> None:
    request = build_request(item, prompt=load_prompt(), taxonomy=load_taxonomy())
    body = {"messages": [m.model_dump() for m in request.messages]}
    fabricated = evidence_answer(body, fabricate=2)
    assert fabricated["evidence"]["pros"][1] == FABRICATED_QUOTE
    with OpenAIStubServer() as server:
        server.queue(StubAnswer(content=json.dumps(fabricated, ensure_ascii=False)))
        with Summarizer(f"openai-compatible:stub@{server.base_url}") as summarizer:
            result = summarizer.summarize(item)
        requests = server.chat_requests
    assert result.provenance.attempts == 2
    assert len(requests) == 2
    reask = requests[1].body["messages"][-1]["content"]
    assert "evidence.pros[1]: the quote for pro 2 is not in the item" in reask
    assert result.evidence is not None
    assert FABRICATED_QUOTE not in result.evidence.pros
    assert result.citation("pros", 1) is not None
