"""The words of a neutral yes/no question, and that validation and the metrics read them alike."""

from __future__ import annotations

import pytest

from casesummary import danish
from casesummary.eval.metrics import question_form
from casesummary.validation import question_errors

# The two lists the verbs were merged from: validation's and the question_form metric's.
_VALIDATION_ONLY = {"fik", "gælder", "måtte", "sker", "tiltrædes"}
_METRIC_ONLY = {"finder", "forventer", "gives", "mener", "skønner", "synes", "vælger", "ønskes"}
_NEGATIONS_ADDED_TO_VALIDATION = {"hverken", "ej", "undlade", "undlader", "undlades"}


def _yes_no(question: str) -> tuple[bool, bool]:
    """(validation accepts the question's form, the metric's question_yes_no check)."""
    validated = not any("yes/no question" in e for e in question_errors(question))
    checks, _ = question_form(question, "Odense")
    return validated, checks["question_yes_no"]


def _neutral(question: str) -> tuple[bool, bool]:
    """(validation finds no negation, the metric's question_no_negation check)."""
    validated = not any("neutral" in e for e in question_errors(question))
    checks, _ = question_form(question, "Odense")
    return validated, checks["question_no_negation"]


@pytest.mark.parametrize("verb", sorted(danish.QUESTION_VERBS))
def test_validation_and_metric_accept_every_question_verb(verb: str) -> None:
    assert _yes_no(f"{verb.capitalize()} Odense Kommune godkende planen?") == (True, True)


def test_the_verb_list_is_the_union_of_the_two_old_lists() -> None:
    assert _VALIDATION_ONLY | _METRIC_ONLY <= danish.QUESTION_VERBS
    assert {"bør", "skal", "vil", "kan", "godkender", "vedtages"} <= danish.QUESTION_VERBS


@pytest.mark.parametrize(
    "question",
    [
        "Hvad skal Odense Kommune gøre?",
        "Hvorfor bør Odense Kommune godkende planen?",
        "Odense Kommune bør godkende planen?",
        "Planen godkendes af Odense Kommune?",
    ],
)
def test_validation_and_metric_reject_a_question_that_is_not_yes_no(question: str) -> None:
    assert _yes_no(question) == (False, False)


def test_the_metric_also_takes_a_verb_the_list_lacks() -> None:
    # A present or passive form ("Etablerer", "Igangsættes") counts for the metric only:
    # validation keeps to the list, so an answer is never rejected on a guess.
    assert danish.may_be_finite_verb("Etablerer")
    assert danish.may_be_finite_verb("igangsættes")
    assert not danish.may_be_finite_verb("hvorfor")
    assert not danish.may_be_finite_verb("under")  # a stopword
    assert _yes_no("Etablerer Odense Kommune en ny skole?") == (False, True)


@pytest.mark.parametrize("negation", sorted(danish.NEGATIONS))
def test_validation_and_metric_reject_every_negation(negation: str) -> None:
    assert _neutral(f"Bør Odense Kommune {negation} godkende planen?") == (False, False)


def test_the_negations_include_what_only_the_metric_had() -> None:
    assert _NEGATIONS_ADDED_TO_VALIDATION | {"ikke", "ingen", "intet", "aldrig"} == (
        danish.NEGATIONS
    )
    errors = question_errors("Bør Odense Kommune undlade at bygge skolen?")
    assert "question: must be neutral, without the negation 'undlade'" in errors


def test_uden_at_negates_for_validation_and_metric() -> None:
    assert _neutral("Bør Odense Kommune bygge skolen uden at hæve skatten?") == (False, False)
    assert _neutral("Bør Odense Kommune bygge skolen uden tilskud?") == (True, True)


def test_negations_in_reading_order_and_not_inside_compounds() -> None:
    assert danish.negations("Bør X undlade at bygge, uden at det koster, og ikke mere?") == [
        "undlade",
        "uden at",
        "ikke",
    ]
    assert danish.negations("Bør X tilbyde kurser til ikke-medlemmer?") == []
    assert _neutral("Bør Odense Kommune tilbyde kurser til ikke-medlemmer?") == (True, True)
    assert danish.is_negated("Ingen udgifter.")
    assert not danish.is_negated("Ikkevoldelig")


def test_hedges() -> None:
    assert danish.is_hedged("Risiko for at udgifterne stiger")
    assert danish.is_hedged("Det kan føre til ventetid")
    assert not danish.is_hedged("Udgifterne stiger")
    assert danish.stem("risikoen") in danish.hedge_stems()


@pytest.mark.parametrize(
    ("question", "defect"),
    [
        ("Bør Aarhus Kommune bilag 1?", "not an infinitive"),
        ("Bør kommunen tillæg 1 til Lokalplan 145 vedtages?", "not an infinitive"),
        ("Bør kommunen godkende dagsordenen bliver?", "ends in the verb form"),
        ("Bør Aalborg Kommune godkende?", "no object"),
        ("Bør kommunen godkende testkommune for?", "ends in 'for'"),
        ("Bør kommunen godkende godkende planen?", "repeats"),
        ("Bør kommunen godkende planen jf. bilag 2?", "points to a document"),
        ("Bør kommunen ikke godkende planen?", "negated"),
        ("Bør kommunen godkende an- lægsbudgettet?", "broken at a line end"),
        ("Bør Odense Kommune godkende Odense Kommune budget?", "names the municipality twice"),
        ("Bør kommunen godkende <b>planen</b>?", "markup"),
    ],
)
def test_question_defects(question: str, defect: str) -> None:
    who = (
        question.split(" ")[1]
        if question.startswith("Bør kommunen")
        else " ".join(question.split(" ")[1:3])
    )
    found = danish.question_defects(question, who)
    assert any(defect in d for d in found), found


@pytest.mark.parametrize(
    "question",
    [
        "Bør Odense Kommune godkende Beskæftigelsesplan 2017?",
        "Bør Aarhus Kommune vedtage forslaget til lokalplan 1246 endeligt?",
        "Bør kommunen tage orienteringen til efterretning?",
        "Bør Ishøj Kommune give en supplerende anlægsbevilling til ombygning af SFO'en?",
        "Bør Stevns Kommune godkende forslaget til Stevns Kommuneplan 2021?",
    ],
)
def test_good_questions_have_no_defect(question: str) -> None:
    who = "kommunen" if question.startswith("Bør kommunen") else " ".join(question.split()[1:3])
    assert danish.question_defects(question, who) == []


def test_opening_hedges() -> None:
    assert danish.opens_with_hedge("Risiko for at udgifterne stiger")
    assert danish.opens_with_hedge("Mulighed for at nogle ledige føler sig overvældede")
    assert danish.opens_with_hedge("Kan give længere ventetid")
    assert danish.opens_with_hedge("Der kan komme flere klager")
    assert not danish.opens_with_hedge("Giver mulighed for input før beslutningen")
    assert not danish.opens_with_hedge("Følger op på mødet, så udvalget kan følge fremdriften")
    assert not danish.opens_with_hedge("")
