"""Answer validation: JSON Schema, pydantic and semantic rules; each error names its field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from casesummary.danish import sentences
from casesummary.exceptions import OutputValidationError
from casesummary.result import PromptResult
from casesummary.taxonomy import Taxonomy, Topic, load_taxonomy
from casesummary.testing import good_answer
from casesummary.validation import answer_schema, validate_answer

TAXONOMY = load_taxonomy()


def errors_for(answer: Any, taxonomy: Taxonomy = TAXONOMY) -> list[str]:
    with pytest.raises(OutputValidationError) as info:
        validate_answer(answer, taxonomy)
    assert info.value.errors, "an OutputValidationError must list its errors"
    return info.value.errors


def with_(**changes: Any) -> dict[str, Any]:
    return {**good_answer(), **changes}


# -- the schema ------------------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12_and_strict_mode_shaped() -> None:
    schema = answer_schema(TAXONOMY)
    Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["question", "summary", "pros", "cons", "keywords"]
    assert set(schema["properties"]) == set(schema["required"])
    assert schema["properties"]["keywords"]["items"]["enum"] == list(TAXONOMY.names)
    assert (schema["properties"]["pros"]["minItems"], schema["properties"]["pros"]["maxItems"]) == (
        3,
        3,
    )
    assert schema["properties"]["keywords"]["minItems"] == 1
    assert schema["properties"]["keywords"]["maxItems"] == 3
    # keywords strict modes refuse must not appear anywhere
    text = json.dumps(schema)
    for refused in ("minLength", "maxLength", "$schema", "uniqueItems"):
        assert refused not in text


def test_schema_follows_the_taxonomy() -> None:
    small = Taxonomy(topics=(Topic(name="Skat"),))
    assert answer_schema(small)["properties"]["keywords"]["items"]["enum"] == ["Skat"]


def test_schema_fields_match_the_pydantic_model() -> None:
    assert set(answer_schema(TAXONOMY)["properties"]) == set(PromptResult.model_fields) - {
        "evidence"
    }
    assert set(answer_schema(TAXONOMY, evidence=True)["properties"]) == set(
        PromptResult.model_fields
    )


# -- the cached validator ---------------------------------------------------------------------


def test_the_validator_is_built_once_per_taxonomy(monkeypatch: pytest.MonkeyPatch) -> None:
    import jsonschema

    built: list[object] = []
    real = jsonschema.Draft202012Validator

    def counting(schema: dict[str, Any]) -> Any:
        built.append(schema)
        return real(schema)

    monkeypatch.setattr(jsonschema, "Draft202012Validator", counting)
    taxonomy = Taxonomy(topics=(Topic(name="Kun her"),))
    answer = {**good_answer(), "keywords": ["Kun her"]}
    for _ in range(3):
        validate_answer(answer, taxonomy)
        validate_answer(answer, Taxonomy(topics=(Topic(name="Kun her"),)))  # equal names
        errors_for({**answer, "keywords": ["Skat"]}, taxonomy)  # an invalid one, same validator
    assert len(built) == 1


# -- valid answers ---------------------------------------------------------------------------


def test_published_odense_answer_is_valid(fixtures_dir: Path) -> None:
    path = fixtures_dir / "odense-beu-2025-pejlemaerker.prompt-result.json"
    result = validate_answer(path.read_text(encoding="utf-8"), TAXONOMY)
    assert result.keywords == ["Økonomi", "Erhverv", "Social"]


def test_dict_and_string_give_the_same_result() -> None:
    answer = good_answer()
    assert validate_answer(answer, TAXONOMY) == validate_answer(json.dumps(answer), TAXONOMY)


def test_markdown_code_fence_around_json_is_accepted() -> None:
    text = "```json\n" + json.dumps(good_answer(), ensure_ascii=False) + "\n```"
    assert validate_answer(text, TAXONOMY).question.startswith("Bør")


@pytest.mark.parametrize(
    "question",
    [
        "Skal Hvidovre Kommune godkende regnskabet for 2025?",
        "Vil byrådet vedtage lokalplan nr. 123?",
        "Er udvalget enig i forslaget om nye cykelstier?",
        "Kan Økonomiudvalget anbefale budgettet?",
        "Må kommunen sælge grunden på Vestergade 4?",
    ],
)
def test_neutral_yes_no_questions_pass(question: str) -> None:
    validate_answer(with_(question=question), TAXONOMY)


# -- each rule fails, naming its field -------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"question": "Bør Odense Kommune vedtage pejlemærkerne."}, "question", "question mark"),
        ({"question": "Bør kommunen spare? Eller bruge?"}, "question", "single question"),
        ({"question": "Hvad mener udvalget om sagen?"}, "question", "yes/no"),
        ({"question": "Bør kommunen ikke vedtage planen?"}, "question", "'ikke'"),
        ({"question": "Bør ingen flytte?"}, "question", "'ingen'"),
        ({"question": "Skal byen aldrig vokse?"}, "question", "'aldrig'"),
        ({"summary": "Dagsordenspunktet handler om budgettet."}, "summary", "not 1"),
        ({"summary": "Én. To er her. Tre er her. Fire er her."}, "summary", "not 4"),
        ({"pros": ["a", "b"]}, "pros", "exactly 3 items, not 2"),
        ({"cons": ["a", "b", "c", "d"]}, "cons", "exactly 3 items, not 4"),
        ({"pros": ["Et punkt", "et  PUNKT", "Andet"]}, "pros", "appears twice"),
        ({"cons": ["Et punkt", " ", "Andet"]}, "cons", "must have text"),
        ({"keywords": []}, "keywords", "1 to 3 items, not 0"),
        ({"keywords": ["Økonomi", "Social", "Ældre", "Bolig"]}, "keywords", "not 4"),
        ({"keywords": ["Skat"]}, "keywords", "not in the taxonomy"),
        ({"keywords": ["økonomi"]}, "keywords", "not in the taxonomy"),
        ({"keywords": ["Økonomi", "Økonomi"]}, "keywords", "appears twice"),
        ({"question": 42}, "question", "must be a string"),
        ({"pros": "a, b, c"}, "pros", "list of strings"),
        ({"extra": "x"}, "extra", "not an allowed field"),
    ],
)
def test_broken_rule_is_reported_by_field(changes: dict[str, Any], field: str, words: str) -> None:
    errors = errors_for(with_(**changes))
    assert any(e.startswith(f"{field}:") and words in e for e in errors), errors


def test_con_repeating_a_pro_is_rejected() -> None:
    answer = good_answer()
    answer["cons"] = [answer["pros"][0].upper(), *answer["cons"][1:]]
    assert any(e.startswith("cons:") and "repeats a pro" in e for e in errors_for(answer))


def test_missing_field_is_named() -> None:
    answer = good_answer()
    del answer["summary"]
    assert "summary: the field is missing" in errors_for(answer)


def test_every_problem_is_reported_at_once() -> None:
    errors = errors_for(with_(question="Hvad nu", pros=["a"], keywords=["Skat", "Skat"]))
    fields = {e.split(":", 1)[0] for e in errors}
    assert {"question", "pros", "keywords"} <= fields


def test_not_json_is_one_clear_error() -> None:
    with pytest.raises(OutputValidationError) as info:
        validate_answer("Her er mit svar: ja", TAXONOMY)
    assert info.value.errors[0].startswith("the answer is not valid JSON")
    assert info.value.output == "Her er mit svar: ja"


@pytest.mark.parametrize("content", ["[1, 2]", '"tekst"', "null"])
def test_non_object_json_is_rejected(content: str) -> None:
    assert errors_for(content) == [
        "the answer must be a JSON object with the fields question, summary, pros, cons, keywords"
    ]


def test_error_keeps_the_output_text() -> None:
    answer = with_(pros=["a"])
    with pytest.raises(OutputValidationError) as info:
        validate_answer(answer, TAXONOMY)
    assert json.loads(info.value.output) == answer


def test_custom_taxonomy_is_enforced() -> None:
    small = Taxonomy(topics=(Topic(name="Skat"), Topic(name="Vej")))
    assert validate_answer(with_(keywords=["Skat"]), small).keywords == ["Skat"]
    errors = errors_for(with_(keywords=["Økonomi"]), small)
    assert any("choose from: Skat, Vej" in e for e in errors)


# -- sentences -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Udvalget skal drøfte sagen den 26. august 2025. Det er godt.", 2),
        ("Det koster 5 mio. kr. Udvalget skal bl.a. tage stilling jf. § 17, stk. 4.", 2),
        ("Punktet handler om f.eks. skoler. Og ca. 40 elever. Samt nr. 3 i planen.", 3),
        ("Én sætning uden punktum til sidst", 1),
        ("Hvad sker der? Det ved ingen! Men vi prøver.", 3),
    ],
)
def test_summary_sentences_are_counted_the_danish_way(text: str, count: int) -> None:
    assert len(sentences(text)) == count
