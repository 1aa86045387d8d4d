"""The evidence and readability metrics catch what they are meant to: a perturbed golden answer
scores strictly lower (the style of test_metric_validity.py).

Runs over every golden case whose expected answer carries evidence, so new cases join by
themselves; the set is never empty.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from casesummary.danish import lix
from casesummary.eval.golden import load_golden
from casesummary.eval.metrics import (
    EVIDENCE_METRIC_NAMES,
    LIX_TARGET,
    Scores,
    evidence_found,
    evidence_support,
    readability,
    score_output,
)
from casesummary.evidence import quote_in_text
from casesummary.result import Evidence, PromptResult
from casesummary.taxonomy import load_taxonomy
from casesummary.testing import FABRICATED_QUOTE

GOLDEN = Path(__file__).resolve().parents[2] / "golden"

#: One sentence of long compounds: what citizen text should not read like.
HEAVY_SUMMARY = (
    "Dagsordenspunktet omhandler implementeringsforanstaltninger vedrørende "
    "beskæftigelsesindsatsens organisationsudvikling, kompetenceudviklingsinitiativer, "
    "tværforvaltningsmæssige koordineringsmekanismer, ressourceprioriteringsmodeller, "
    "budgetopfølgningsprocedurer og efterfølgende evalueringsprocedurer inden for den "
    "eksisterende økonomiske ramme for beskæftigelsesområdets myndighedsudøvelse. "
    "Beslutningsgrundlaget indeholder ligeledes konsekvensberegninger vedrørende "
    "organisationsændringernes personalemæssige implikationer."
)


@dataclass(frozen=True)
class Case:
    id: str
    municipality: str
    source_text: str
    expected: PromptResult
    evidence: Evidence


def _cases() -> list[Case]:
    cases = []
    for golden in load_golden(GOLDEN):
        if golden.expected is None or golden.expected.evidence is None:
            continue
        item = golden.load_item()
        cases.append(
            Case(
                golden.id,
                golden.municipality,
                item.to_prompt_text(),  # the text the runner scores against
                golden.expected,
                golden.expected.evidence,
            )
        )
    return cases


CASES = _cases()
TAXONOMY = load_taxonomy()
cases = pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])


def _score(case: Case, output: PromptResult) -> Scores:
    return score_output(
        output,
        source_text=case.source_text,
        expected=case.expected,
        taxonomy=TAXONOMY,
        municipality=case.municipality,
    )


def _with_quotes(case: Case, **parts: Any) -> PromptResult:
    evidence = case.evidence.model_copy(update=parts)
    return case.expected.model_copy(update={"evidence": evidence})


def test_the_set_is_not_empty() -> None:
    assert len(CASES) >= 12


@cases
def test_golden_quotes_are_all_found_and_back_their_claims(case: Case) -> None:
    scores = _score(case, case.expected)
    assert scores.metrics["evidence_found"] == 1.0
    assert scores.metrics["evidence_support"] > 0.15
    assert 0.0 < scores.metrics["readability"] <= 1.0


@cases
def test_a_fabricated_quote_lowers_evidence_found(case: Case) -> None:
    assert not quote_in_text(FABRICATED_QUOTE, case.source_text)
    pros = [case.evidence.pros[0], FABRICATED_QUOTE, case.evidence.pros[2]]
    golden = _score(case, case.expected)
    fabricated = _score(case, _with_quotes(case, pros=pros))
    assert fabricated.metrics["evidence_found"] < golden.metrics["evidence_found"]
    assert fabricated.metrics["evidence_found"] == pytest.approx(6 / 7)


@cases
def test_a_quote_from_another_item_lowers_evidence_found(case: Case) -> None:
    foreign = next(
        (
            quote
            for other in CASES
            if other.id != case.id
            for _, _, quote in other.evidence.quotes()
            if not quote_in_text(quote, case.source_text)
        ),
        None,
    )
    assert foreign is not None, "every other item's quotes occur in this one"
    golden = _score(case, case.expected)
    borrowed = _score(case, _with_quotes(case, summary=foreign))
    assert borrowed.metrics["evidence_found"] < golden.metrics["evidence_found"]


@cases
def test_quotes_swapped_between_pros_lower_evidence_support(case: Case) -> None:
    first, second, third = case.evidence.pros
    golden = _score(case, case.expected)
    swapped = _score(case, _with_quotes(case, pros=[second, first, third]))
    assert swapped.metrics["evidence_found"] == golden.metrics["evidence_found"]  # still found
    assert swapped.metrics["evidence_support"] < golden.metrics["evidence_support"]


@cases
def test_a_heavy_summary_lowers_readability(case: Case) -> None:
    golden = _score(case, case.expected)
    heavy = _score(case, case.expected.model_copy(update={"summary": HEAVY_SUMMARY}))
    assert heavy.metrics["readability"] < golden.metrics["readability"]


def test_without_evidence_the_evidence_metrics_are_absent_or_nan() -> None:
    case = CASES[0]
    plain = case.expected.without_evidence()
    scores = _score(case, plain)
    assert not set(EVIDENCE_METRIC_NAMES) & set(scores.metrics)
    assert math.isnan(evidence_found(plain, case.source_text))
    assert math.isnan(evidence_support(plain))


def test_readability_is_one_inside_the_target_band_and_falls_outside_it() -> None:
    easy = CASES[0].expected.model_copy(
        update={
            "question": "Skal byen have en ny park?",
            "summary": "Byen vil lave en park ved havnen. Den skal stå klar til sommer.",
            "pros": ["Flere kan gå en tur i det grønne", "Børn får et sted at lege", "Mere liv"],
            "cons": ["Parken koster penge at passe", "Der bliver færre p-pladser", "Støj"],
        }
    )
    assert readability(easy) < 1.0  # very short sentences: under the band
    medium = easy.model_copy(
        update={
            "summary": (
                "Kommunen foreslår at anlægge en grøn park ved havnen, hvor der i dag ligger "
                "en parkeringsplads. Parken skal efter planen åbne til sommer."
            ),
            "pros": [
                "Borgerne får et grønt område tæt på byens centrum",
                "Børnefamilier får et sikkert sted at lege",
                "Havnen bliver et mere levende sted at opholde sig",
            ],
            "cons": [
                "Risiko for at driften af parken koster mere end ventet",
                "Mulighed for at bilisterne mangler parkeringspladser",
                "Risiko for at anlægget trækker ud",
            ],
        }
    )
    value = lix([medium.question, medium.summary, *medium.pros, *medium.cons])
    assert LIX_TARGET[0] <= value <= LIX_TARGET[1], value
    assert readability(medium) == 1.0
    heavy = medium.model_copy(update={"summary": HEAVY_SUMMARY})
    assert readability(heavy) < readability(medium)
