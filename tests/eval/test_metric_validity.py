"""Each metric catches what it is meant to: a perturbed golden answer scores strictly lower.

Runs over every golden case with an expected answer (golden/<id>/) and always over the real
Odense fixture, so it never runs on zero cases.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from casesummary.eval.metrics import (
    Scores,
    balance,
    hedge_style,
    score_output,
    ungrounded_mentions,
    validity_checks,
    validity_score,
)
from casesummary.exceptions import CaseSummaryError
from casesummary.result import PromptResult
from casesummary.taxonomy import Taxonomy, Topic, load_taxonomy

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "fixtures"
GOLDEN = ROOT / "golden"

#: A summary from "another case": facts no golden item here contains.
OTHER_SUMMARY = (
    "Dagsordenspunktet handler om en anlægsbevilling på 987,6 mio. kr. til en ny svømmehal i "
    "Tønder Kommune. Byggeriet skal efter planen stå færdigt den 17. marts 2031."
)
WRONG_FACT = " Udgiften er anslået til 987.654.321 kr."
ENGLISH_SUMMARY = (
    "The committee is asked to approve the plan, which will set the direction for the coming "
    "years. It is expected that the decision will have an effect on the budget and on the "
    "services that are offered to the citizens."
)


@dataclass(frozen=True)
class Case:
    id: str
    municipality: str | None
    source_text: str
    expected: PromptResult


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _raw_text(path: Path) -> str:
    """The visible text of an input file, without the parser: JSON strings, tags stripped."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        text = "\n\n".join(_strings(json.loads(text)))
    text = re.sub(r"<(?:br|/p|/li|/h\d|/div)[^>]*>", "\n", text, flags=re.IGNORECASE)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def _golden_source_text(directory: Path) -> str:
    """The item's text through the real golden loader and parser, or the raw text without."""
    try:
        from casesummary.eval.golden import load_case

        item = load_case(directory).load_item()
    except (ImportError, CaseSummaryError):
        return _raw_text(next(directory.glob("input.*")))
    parts = [item.title, *(f"{s.heading}\n{s.text}" for s in item.sections)]
    parts += [item.recommendation or "", item.decision or ""]
    return "\n\n".join(p for p in parts if p)


def _cases() -> list[Case]:
    cases = [
        Case(
            id="fixture-odense-pejlemaerker",
            municipality="Odense",
            source_text=_raw_text(FIXTURES / "odense-beu-2025-pejlemaerker.item.json"),
            expected=PromptResult.model_validate_json(
                (FIXTURES / "odense-beu-2025-pejlemaerker.prompt-result.json").read_bytes()
            ),
        )
    ]
    for expected_path in sorted(GOLDEN.glob("*/expected.json")):
        directory = expected_path.parent
        meta = yaml.safe_load((directory / "case.yaml").read_text(encoding="utf-8")) or {}
        cases.append(
            Case(
                id=directory.name,
                municipality=meta.get("municipality"),
                source_text=_golden_source_text(directory),
                expected=PromptResult.model_validate_json(expected_path.read_bytes()),
            )
        )
    return cases


CASES = _cases()


def _taxonomy() -> Taxonomy:
    names: list[str] = []
    with contextlib.suppress(CaseSummaryError):  # no shipped taxonomy: the golden keywords
        names += load_taxonomy().names
    names += [k for c in CASES for k in c.expected.keywords]
    return Taxonomy(topics=tuple(Topic(name=n) for n in dict.fromkeys(names)))


TAXONOMY = _taxonomy()


def _score(case: Case, output: PromptResult) -> Scores:
    return score_output(
        output,
        source_text=case.source_text,
        expected=case.expected,
        taxonomy=TAXONOMY,
        municipality=case.municipality,
    )


def _change(result: PromptResult, **update: Any) -> PromptResult:
    return PromptResult.model_validate({**result.model_dump(), **update})


def _partner(case: Case) -> PromptResult:
    """Another case's answer with a different summary; the invented one if there is none."""
    for other in CASES:
        if other.expected.summary != case.expected.summary:
            return other.expected
    return _change(case.expected, summary=OTHER_SUMMARY)


cases = pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])


def test_the_odense_fixture_is_always_included() -> None:
    assert CASES[0].id == "fixture-odense-pejlemaerker"
    assert "474.501.000" not in CASES[0].source_text  # the raw text is the item, not a seed
    assert "Job First" in CASES[0].source_text


@cases
def test_golden_scores_perfectly_against_itself(case: Case) -> None:
    scores = _score(case, case.expected)
    for name in ("sim_question", "sim_summary", "sim_pros", "sim_cons", "similarity"):
        assert scores.metrics[name] == pytest.approx(1.0), name
    for name in ("keywords_precision", "keywords_recall", "keywords_f1", "validity"):
        assert scores.metrics[name] == pytest.approx(1.0), name


@cases
def test_summary_from_another_case_lowers_similarity(case: Case) -> None:
    golden = _score(case, case.expected)
    swapped = _score(case, _change(case.expected, summary=_partner(case).summary))
    assert swapped.metrics["sim_summary"] < golden.metrics["sim_summary"]
    assert swapped.metrics["similarity"] < golden.metrics["similarity"]


@cases
def test_summary_with_another_items_facts_lowers_grounding(case: Case) -> None:
    assert ungrounded_mentions(OTHER_SUMMARY, case.source_text, municipality=case.municipality)
    golden = _score(case, case.expected)
    swapped = _score(case, _change(case.expected, summary=OTHER_SUMMARY))
    assert swapped.metrics["grounding"] < golden.metrics["grounding"]
    assert swapped.metrics["sim_summary"] < golden.metrics["sim_summary"]
    assert not swapped.checks["numbers_grounded"]


@cases
def test_golden_answers_are_mostly_grounded(case: Case) -> None:
    scores = _score(case, case.expected)
    assert scores.metrics["grounding"] >= 0.5, ungrounded_mentions(
        case.expected.summary, case.source_text, municipality=case.municipality
    )


@cases
def test_dropped_pro_fails_validity(case: Case) -> None:
    golden = validity_checks(case.expected, TAXONOMY)
    raw = case.expected.model_dump()
    raw["pros"] = raw["pros"][:2]
    dropped = validity_checks(raw, TAXONOMY)
    assert validity_score(golden) == 1.0
    assert validity_score(dropped) < validity_score(golden)
    assert not dropped["three_pros"]
    assert not dropped["schema_valid"]
    assert validity_score(validity_checks(json.dumps(raw), TAXONOMY)) < 1.0


@cases
def test_duplicated_pro_fails_balance(case: Case) -> None:
    pros = case.expected.pros
    golden = _score(case, case.expected)
    duplicated = _score(case, _change(case.expected, pros=[pros[0], pros[0], pros[2]]))
    assert golden.checks["no_duplicates"]
    assert not duplicated.checks["no_duplicates"]
    assert duplicated.metrics["balance"] < golden.metrics["balance"]


@cases
def test_wrong_number_lowers_grounding(case: Case) -> None:
    assert "987.654.321" not in case.source_text
    golden = _score(case, case.expected)
    wrong = _score(case, _change(case.expected, summary=case.expected.summary + WRONG_FACT))
    assert wrong.metrics["grounding"] < golden.metrics["grounding"]
    assert not wrong.checks["numbers_grounded"]


@cases
def test_changed_number_lowers_grounding(case: Case) -> None:
    """Where the golden answer states a number, changing it is caught too."""
    fields = {"summary": case.expected.summary, "question": case.expected.question}
    found = [(k, m) for k, v in fields.items() for m in re.finditer(r"\d[\d.,]*\d|\d", v)]
    if not found:
        pytest.skip("this golden answer states no number in question or summary")
    key, match = found[0]
    changed = fields[key][: match.start()] + "98.765.432" + fields[key][match.end() :]
    golden = _score(case, case.expected)
    wrong = _score(case, _change(case.expected, **{key: changed}))
    assert wrong.metrics["grounding"] < golden.metrics["grounding"]


@cases
def test_off_taxonomy_keyword_lowers_validity_and_precision(case: Case) -> None:
    keywords = ["Rumfart og astronomi", *case.expected.keywords[1:]]
    golden = _score(case, case.expected)
    off = _score(case, _change(case.expected, keywords=keywords))
    assert golden.checks["keywords_in_taxonomy"]
    assert not off.checks["keywords_in_taxonomy"]
    assert off.metrics["validity"] < golden.metrics["validity"]
    assert off.metrics["keywords_precision"] < golden.metrics["keywords_precision"]


@cases
def test_english_summary_lowers_language(case: Case) -> None:
    golden = _score(case, case.expected)
    english = _score(case, _change(case.expected, summary=ENGLISH_SUMMARY))
    assert golden.checks["danish"]
    assert not english.checks["danish"]
    assert english.metrics["language"] < golden.metrics["language"]


@cases
@pytest.mark.parametrize(
    "restate",
    [
        lambda pro: pro,
        lambda pro: f"Risiko for at {pro[0].lower()}{pro[1:]} ikke lykkes",
        lambda pro: f"Manglende {pro[0].lower()}{pro[1:]}",
    ],
    ids=["copied", "hedged", "mirrored"],
)
def test_con_repeating_a_pro_lowers_balance(case: Case, restate: Any) -> None:
    """A con replaced by a restated pro; the golden answer may already mirror a pro once."""
    pro = case.expected.pros[1]
    index = next(
        (i for i, con in enumerate(case.expected.cons) if not _restates(con, case.expected.pros)),
        None,
    )
    if index is None:
        pytest.fail(f"every con of {case.id} restates a pro: fix the golden answer")
    cons = list(case.expected.cons)
    cons[index] = restate(pro)
    golden = _score(case, case.expected)
    repeated = _score(case, _change(case.expected, cons=cons))
    assert not repeated.checks["no_con_restates_pro"]
    assert repeated.metrics["balance"] < golden.metrics["balance"]


def _restates(con: str, pros: list[str]) -> bool:
    probe = PromptResult(
        question="Bør?", summary="-", pros=pros, cons=[con, "x" * 20, "y" * 20], keywords=["-"]
    )
    return not balance(probe)[0]["no_con_restates_pro"]


@cases
def test_negated_question_lowers_question_form(case: Case) -> None:
    first, _, rest = case.expected.question.partition(" ")
    negated = f"{first} ikke {rest}"
    golden = _score(case, case.expected)
    worse = _score(case, _change(case.expected, question=negated))
    assert golden.checks["question_no_negation"]
    assert not worse.checks["question_no_negation"]
    assert worse.metrics["question_form"] < golden.metrics["question_form"]


def test_the_golden_answers_score_the_top_of_hedge_style() -> None:
    """The metric measures the style the golden answers follow: they score (nearly) 1."""
    scores = [hedge_style(case.expected) for case in CASES]
    assert sum(scores) / len(scores) >= 0.95
    assert min(scores) >= 0.8


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_cons_stated_as_certainties_lower_hedge_style(case: Case) -> None:
    asserted = [
        re.sub(r"^(Risiko|Mulighed) for at ", "", c).capitalize() for c in case.expected.cons
    ]
    asserted = [c for c in asserted if not re.search(r"\b(kan|kunne|risiko|mulighed)\b", c, re.I)]
    if not asserted:
        pytest.skip("every con hedges inside as well")
    cons = [*asserted, *case.expected.cons][:3]
    assert hedge_style(_change(case.expected, cons=cons)) < hedge_style(case.expected)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_an_answer_valid_only_after_a_reask_scores_lower_validity(case: Case) -> None:
    """validity scores the first answer: one that needed a re-ask is visibly worse."""
    broken = {**case.expected.model_dump(), "pros": case.expected.pros[:2]}
    first_time = score_output(
        case.expected,
        source_text=case.source_text,
        expected=case.expected,
        taxonomy=TAXONOMY,
        municipality=case.municipality,
        first_answer=json.dumps(broken, ensure_ascii=False),
    )
    straight = _score(case, case.expected)
    assert straight.metrics["validity"] == 1.0
    assert first_time.metrics["validity"] < 1.0
    assert not first_time.checks["three_pros"]
    not_json = score_output(
        case.expected,
        source_text=case.source_text,
        expected=case.expected,
        taxonomy=TAXONOMY,
        municipality=case.municipality,
        first_answer="Beklager, jeg kan ikke svare.",
    )
    assert not_json.metrics["validity"] == 0.0
