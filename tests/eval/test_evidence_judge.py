"""The evidence part of the LLM judge: its request, its verdict and its metric."""

from __future__ import annotations

import json
from typing import Any

import pytest

from casesummary.eval.evidence_judge import (
    METRIC,
    EvidenceVerdict,
    ajudge_evidence,
    claims,
    evidence_judge_request,
    evidence_verdict_schema,
    judge_evidence,
    parse_evidence_verdict,
)
from casesummary.exceptions import OutputValidationError, UserError
from casesummary.item import AgendaItem, Section, SectionKind, SourceFormat
from casesummary.prompt import load_prompt
from casesummary.result import PromptResult
from casesummary.taxonomy import Taxonomy, Topic
from casesummary.testing import FunctionBackend, good_answer

TAXONOMY = Taxonomy(topics=(Topic(name="Beskæftigelse"), Topic(name="Social")))
ITEM = AgendaItem(
    source_format=SourceFormat.ITEM_TEXT,
    municipality="Odense",
    committee="Beskæftigelses- og Socialudvalget",
    title="Pejlemærker for implementering af beskæftigelsesreformen",
    sections=(
        Section(
            heading="Sagsresumé",
            kind=SectionKind.SUMMARY,
            text="Udvalget skal drøfte syv pejlemærker. Alle ledige skal have kontakt.",
        ),
    ),
)
ANSWER = PromptResult.model_validate(good_answer(TAXONOMY, item=ITEM))


def _verdict(supported: int = 7) -> dict[str, Any]:
    flags = [True] * supported + [False] * (7 - supported)
    quoted = [{"supported": f, "reason": "Citatet nævner det samme forhold."} for f in flags]
    return {"summary": quoted[0], "pros": quoted[1:4], "cons": quoted[4:7]}


def test_the_request_carries_rubric_item_and_fenced_claims_with_their_quotes() -> None:
    request = evidence_judge_request(ANSWER, ITEM, taxonomy=TAXONOMY)
    template = load_prompt("judge-evidence")
    assert (request.prompt_id, request.prompt_version) == ("judge-evidence", "1.0.0")
    assert request.schema_name == "evidence_verdict"
    assert request.json_schema == evidence_verdict_schema()
    system, user, pairs = request.messages
    assert "understøtter" in system.content
    assert ITEM.title in user.content
    opening, *body, closing = pairs.content.splitlines()
    assert opening.startswith("<<<BELÆG-")
    assert closing.startswith("<<<SLUT-BELÆG-")
    shown = json.loads("\n".join(body))
    assert shown == claims(ANSWER)
    assert shown[2] == {
        "part": "pros",
        "index": 1,
        "claim": ANSWER.pros[1],
        "quote": ANSWER.evidence.pros[1] if ANSWER.evidence else None,
    }
    assert request.prompt_fingerprint == template.fingerprint(TAXONOMY)


def test_the_metric_is_the_share_of_supported_quotes() -> None:
    backend = FunctionBackend(lambda r: _verdict(supported=5))
    verdict = judge_evidence(ANSWER, ITEM, backend=backend, taxonomy=TAXONOMY)
    assert isinstance(verdict, EvidenceVerdict)
    assert verdict.metrics() == {METRIC: pytest.approx(5 / 7)}
    assert len(backend.calls) == 1


async def test_the_async_judge_answers_like_the_sync_one() -> None:
    backend = FunctionBackend(lambda r: _verdict())
    verdict = await ajudge_evidence(ANSWER, ITEM, backend=backend, taxonomy=TAXONOMY)
    assert verdict.metrics()[METRIC] == 1.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (json.dumps({**_verdict(), "pros": _verdict()["pros"][:2]}), "pros"),
        (json.dumps({**_verdict(), "summary": {"supported": "kanske"}}), "summary"),
        ("ikke json", "verdict"),
    ],
)
def test_a_bad_verdict_names_what_is_wrong(content: str, message: str) -> None:
    with pytest.raises(OutputValidationError) as caught:
        parse_evidence_verdict(content)
    assert any(message in e for e in caught.value.errors)


def test_an_answer_without_evidence_cannot_be_judged_for_it() -> None:
    with pytest.raises(UserError, match="no evidence"):
        evidence_judge_request(ANSWER.without_evidence(), ITEM, taxonomy=TAXONOMY)
