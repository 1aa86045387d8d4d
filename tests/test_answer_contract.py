"""The answer contract is declared once, on the model; every other place derives from it.

The demonstration: an answer model with one more part (`WithRisk`) reaches the JSON Schema sent
to models, validation and its error messages, the CLI's text block, the eval report's rows and
the texts the metrics read — with no change anywhere but the model.
"""

from __future__ import annotations

from typing import Annotated, Any, get_origin

import pytest
from pydantic import Field

from casesummary.cli.summarize import format_text
from casesummary.eval import metrics, report
from casesummary.exceptions import OutputValidationError
from casesummary.result import (
    LABELS,
    AnswerField,
    AnswerPart,
    CaseSummary,
    Evidence,
    PromptResult,
    Provenance,
    answer_fields,
    answer_values,
)
from casesummary.taxonomy import load_taxonomy
from casesummary.testing import good_answer
from casesummary.validation import answer_schema, validate_answer


class WithRisk(PromptResult):
    """An answer with one more part, declared the one way the contract allows."""

    risk: Annotated[str, AnswerPart()] = Field(title="Risikovurdering", min_length=1)


class RiskSummary(CaseSummary, WithRisk):
    """The published result of such an answer."""


RISK = "Lav risiko for at tidsplanen skrider"


def provenance() -> Provenance:
    return Provenance(
        prompt_id="summary",
        prompt_version="9.9.9",
        prompt_fingerprint="f" * 64,
        backend="fake",
        model="fake",
        item_fingerprint="0" * 64,
    )


def test_the_contract_is_the_models_parts_in_display_order() -> None:
    assert answer_fields() == (
        AnswerField("question", "Spørgsmål", is_list=False),
        AnswerField("summary", "Opsummering", is_list=False, evidence=True),
        AnswerField("pros", "Fordele", is_list=True, min_items=3, max_items=3, evidence=True),
        AnswerField("cons", "Ulemper", is_list=True, min_items=3, max_items=3, evidence=True),
        AnswerField("keywords", "Emneord", is_list=True, min_items=1, max_items=3, taxonomy=True),
    )
    assert {f.name: f.label for f in answer_fields()} == LABELS
    # The published result adds disclosure, review and provenance, which are not answer parts;
    # nor are the evidence and its citations, which travel beside the block.
    assert answer_fields(CaseSummary) == answer_fields()
    assert "evidence" not in LABELS


def test_the_evidence_has_one_quote_per_evidence_part_shaped_like_the_part() -> None:
    parts = [f for f in answer_fields() if f.evidence]
    assert list(Evidence.model_fields) == [f.name for f in parts]
    for spec in parts:
        info = Evidence.model_fields[spec.name]
        bounds = (
            next((m.min_length for m in info.metadata if hasattr(m, "min_length")), None),
            next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None),
        )
        assert (get_origin(info.annotation) is list) == spec.is_list
        if spec.is_list:
            assert bounds == (spec.min_items, spec.max_items)
    schema = answer_schema(load_taxonomy(), evidence=True)["properties"]["evidence"]
    assert list(schema["properties"]) == [f.name for f in parts]
    assert schema["required"] == [f.name for f in parts]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["pros"]["minItems"] == schema["properties"]["pros"]["maxItems"] == 3


def test_the_block_is_derived_exactly_as_before_with_or_without_evidence() -> None:
    plain = PromptResult.model_validate(good_answer(evidence=False))
    quoted = PromptResult.model_validate(good_answer())
    assert quoted.evidence is not None
    assert plain.evidence is None
    assert answer_values(quoted) == answer_values(plain)
    assert quoted.without_evidence() == plain
    # An answer without evidence serialises exactly as before evidence existed.
    assert "evidence" not in plain.model_dump()
    assert "evidence" not in plain.model_dump_json()
    result = CaseSummary.from_answer(plain, provenance())
    assert "citations" not in result.model_dump()
    assert "evidence" not in result.model_dump()
    assert format_text(CaseSummary.from_answer(quoted, provenance())) == format_text(result)


def test_the_schema_sent_to_models_derives_from_the_contract() -> None:
    taxonomy = load_taxonomy()
    schema = answer_schema(taxonomy)
    assert list(schema["properties"]) == [f.name for f in answer_fields()]
    assert schema["required"] == [f.name for f in answer_fields()]
    assert schema["properties"]["pros"]["minItems"] == 3
    assert schema["properties"]["keywords"]["items"]["enum"] == list(taxonomy.names)


def test_a_new_part_reaches_every_derived_place() -> None:
    taxonomy = load_taxonomy()
    answer: dict[str, Any] = {**good_answer(taxonomy), "risk": RISK}

    # 1. the JSON Schema sent to models
    schema = answer_schema(taxonomy, WithRisk)
    assert schema["properties"]["risk"] == {"type": "string", "title": "Risikovurdering"}
    assert "risk" in schema["required"]

    # 2. validation, and its messages for the re-ask
    assert validate_answer(answer, taxonomy, WithRisk) == WithRisk.model_validate(answer)
    with pytest.raises(OutputValidationError) as missing:
        validate_answer(good_answer(taxonomy), taxonomy, WithRisk)
    assert "risk: the field is missing" in missing.value.errors
    with pytest.raises(OutputValidationError) as extra:
        validate_answer(answer, taxonomy)  # the released contract does not allow it
    assert any("risk: not an allowed field" in e for e in extra.value.errors)

    # 3. the CLI's text block
    result = RiskSummary.model_validate({**answer, "provenance": provenance()})
    text = format_text(result)
    assert "Risikovurdering\n\n" + RISK in text
    assert [spec.name for spec, _ in answer_values(result)][-1] == "risk"

    # 4. the eval report's rows, expected beside actual
    rows = report._field_rows(None, WithRisk.model_validate(answer))
    assert [r["field"] for r in rows][-1] == "risk"
    assert rows[-1]["label"] == "Risikovurdering"
    assert rows[-1]["output"] == [RISK]

    # 5. the texts the metrics read (grounding, language)
    assert RISK in metrics._fields(WithRisk.model_validate(answer))
    assert not set(answer["keywords"]) & set(metrics._fields(WithRisk.model_validate(answer)))
