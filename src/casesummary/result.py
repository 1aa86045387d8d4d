"""What a summary is: the model's answer (`PromptResult`) and the published `CaseSummary`.

The answer's contract is declared once, here, on `PromptResult`: each part of the Prompt
resultater block is a field marked `AnswerPart()`, with its Danish label as the field's title and
its bounds as the field's constraints, in display order. `answer_fields()` reads them back; the
JSON Schema sent to models, validation, the CLI's text block, the eval report and the metrics
all derive from it, so a new part of the answer is one new field here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Annotated, Any, Literal, get_origin

from annotated_types import MaxLen, MinLen
from pydantic import BaseModel, ConfigDict, Field

from casesummary.exceptions import (
    BackendError,
    NothingToSummarize,
    OutputValidationError,
    UserError,
)


@dataclass(frozen=True)
class AnswerPart:
    """Marks a field of an answer model as a part of the published block.

    `taxonomy`: its items must be names from the taxonomy (the keywords).
    """

    taxonomy: bool = False


@dataclass(frozen=True)
class AnswerField:
    """One part of the answer as the rest of casesummary sees it."""

    name: str
    label: str
    is_list: bool
    min_items: int | None = None
    max_items: int | None = None
    taxonomy: bool = False


@cache
def answer_fields(model: type[BaseModel] | None = None) -> tuple[AnswerField, ...]:
    """The parts of an answer model (default `PromptResult`), in display order."""
    model = model if model is not None else PromptResult
    found: list[AnswerField] = []
    for name, info in model.model_fields.items():
        part = next((m for m in info.metadata if isinstance(m, AnswerPart)), None)
        if part is None:
            continue
        low = next((m.min_length for m in info.metadata if isinstance(m, MinLen)), None)
        high = next((m.max_length for m in info.metadata if isinstance(m, MaxLen)), None)
        is_list = get_origin(info.annotation) is list
        found.append(
            AnswerField(
                name=name,
                label=info.title or name,
                is_list=is_list,
                min_items=low if is_list else None,
                max_items=high if is_list else None,
                taxonomy=part.taxonomy,
            )
        )
    return tuple(found)


def answer_values(result: BaseModel) -> list[tuple[AnswerField, list[str]]]:
    """Each part of an answer with its text(s): a text part as a one-item list."""
    out: list[tuple[AnswerField, list[str]]] = []
    for spec in answer_fields(type(result)):
        value: Any = getattr(result, spec.name)
        out.append((spec, [str(v) for v in value] if spec.is_list else [str(value)]))
    return out


#: Shown with every unreviewed result (EU AI Act art. 50(4)).
AI_DISCLOSURE = (
    "Denne tekst er genereret automatisk med kunstig intelligens ud fra dagsordenspunktet "
    "og er ikke gennemgået af en redaktør."
)
#: Shown instead when the text is extracted from the item by the offline baseline (no model).
EXTRACTIVE_DISCLOSURE = (
    "Denne tekst er sammensat automatisk af uddrag fra dagsordenspunktet uden brug af en "
    "sprogmodel og er ikke gennemgået af en redaktør."
)
REVIEWED_DISCLOSURE = (
    "Denne tekst er genereret med kunstig intelligens ud fra dagsordenspunktet og er "
    "gennemgået af en redaktør, der har det redaktionelle ansvar."
)
#: An approved extract (offline baseline): still no language model, now with a responsible editor.
REVIEWED_EXTRACTIVE_DISCLOSURE = (
    "Denne tekst er sammensat automatisk af uddrag fra dagsordenspunktet uden brug af en "
    "sprogmodel og er gennemgået af en redaktør, der har det redaktionelle ansvar."
)


class PromptResult(BaseModel):
    """The five fields a model answers with; the shape of 'Prompt resultater'."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    question: Annotated[str, AnswerPart()] = Field(title="Spørgsmål", min_length=1)
    summary: Annotated[str, AnswerPart()] = Field(title="Opsummering", min_length=1)
    pros: Annotated[list[str], AnswerPart()] = Field(title="Fordele", min_length=3, max_length=3)
    cons: Annotated[list[str], AnswerPart()] = Field(title="Ulemper", min_length=3, max_length=3)
    keywords: Annotated[list[str], AnswerPart(taxonomy=True)] = Field(
        title="Emneord", min_length=1, max_length=3
    )


#: Display labels the web app shows, keyed by attribute name (derived from `PromptResult`).
LABELS: dict[str, str] = {f.name: f.label for f in answer_fields(PromptResult)}

StructuredMode = Literal["json_schema", "json_object", "tool_call", "prompted_json", "none"]


class Usage(BaseModel):
    """Tokens spent, summed over every attempt."""

    model_config = ConfigDict(frozen=True)

    input_tokens: int = 0
    output_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
        )


class Provenance(BaseModel):
    """Where a result came from, so any published text can be traced and reproduced."""

    model_config = ConfigDict(frozen=True)

    prompt_id: str
    prompt_version: str
    prompt_fingerprint: str
    backend: str
    model: str
    parameters: dict[str, Any] = Field(default_factory=dict)
    structured_mode: StructuredMode = "none"
    usage: Usage = Field(default_factory=Usage)
    #: Requests the backend was sent for this item: every answer and re-ask, each retry and
    #: refused structured-output mode included (an answer from a cache or a replay counts one).
    attempts: int = 1
    #: Answers sent back to the model because they broke the contract (0 when the first was valid).
    reasks: int = 0
    latency_s: float = 0.0
    item_fingerprint: str
    extractive: bool = False


class Review(BaseModel):
    """Whether a person has approved the text; the web app sets reviewer and time."""

    model_config = ConfigDict(frozen=True)

    status: Literal["unreviewed", "approved", "rejected"] = "unreviewed"
    reviewer: str | None = None
    reviewed_at: datetime | None = None


class CaseSummary(PromptResult):
    """A validated Prompt resultater block with its AI disclosure, review status and provenance."""

    disclosure: str = AI_DISCLOSURE
    review: Review = Field(default_factory=Review)
    provenance: Provenance

    @classmethod
    def from_answer(cls, answer: PromptResult, provenance: Provenance) -> CaseSummary:
        """A fresh, unreviewed result, disclosed as AI-generated or as extracted."""
        disclosure = EXTRACTIVE_DISCLOSURE if provenance.extractive else AI_DISCLOSURE
        return cls(**answer.model_dump(), provenance=provenance, disclosure=disclosure)

    def approved(self, reviewer: str, at: datetime) -> CaseSummary:
        """A copy marked as approved by a person who holds editorial responsibility.

        The disclosure says so, and still says how the text was made (by a model, or extracted
        without one). `reviewer` must name someone; `at` must carry its time zone.
        """
        review = _review("approved", reviewer, at)
        extractive = self.provenance.extractive
        disclosure = REVIEWED_EXTRACTIVE_DISCLOSURE if extractive else REVIEWED_DISCLOSURE
        return self.model_copy(update={"review": review, "disclosure": disclosure})

    def rejected(self, reviewer: str, at: datetime) -> CaseSummary:
        """A copy marked as rejected by `reviewer` at `at`: nobody vouches for it, so its
        disclosure is the unreviewed one again."""
        review = _review("rejected", reviewer, at)
        disclosure = EXTRACTIVE_DISCLOSURE if self.provenance.extractive else AI_DISCLOSURE
        return self.model_copy(update={"review": review, "disclosure": disclosure})


def _review(status: Literal["approved", "rejected"], reviewer: str, at: datetime) -> Review:
    """A checked review: a named reviewer and a time that says its zone (UserError otherwise)."""
    if not isinstance(reviewer, str) or not reviewer.strip():
        raise UserError(f"a review needs a reviewer's name, not {reviewer!r}")
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise UserError(f"a review time needs a time zone (e.g. datetime.now(UTC)), not {at!r}")
    return Review(status=status, reviewer=reviewer.strip(), reviewed_at=at)


#: Why an item has no summary, for machines: closed or empty (nothing to summarise), an answer
#: that stayed invalid after every re-ask, a backend failure, or another error (a bug).
FailureReason = Literal["closed", "empty", "invalid_answer", "backend", "error"]


class SummaryFailure(BaseModel):
    """One item's failure in a bulk run: recorded, typed, never silently dropped.

    `reason` is the machine-readable why (`FailureReason`), `error_type` the exception's class
    name and `message` its one-line text; `attempts` counts requests as `Provenance.attempts`
    does (0 when the item never reached the backend).
    """

    model_config = ConfigDict(frozen=True)

    item_fingerprint: str
    item_title: str
    item_number: str | None = None
    reason: FailureReason = "error"
    error_type: str
    message: str
    attempts: int = 0


def failure_reason(error: BaseException) -> FailureReason:
    """The `FailureReason` an exception stands for."""
    if isinstance(error, NothingToSummarize) and error.reason in ("closed", "empty"):
        return "closed" if error.reason == "closed" else "empty"
    if isinstance(error, OutputValidationError):
        return "invalid_answer"
    if isinstance(error, BackendError):
        return "backend"
    return "error"
