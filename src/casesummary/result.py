"""What a summary is: the model's answer (`PromptResult`) and the published `CaseSummary`.

The answer's contract is declared once, here, on `PromptResult`: each part of the Prompt
resultater block is a field marked `AnswerPart()`, with its Danish label as the field's title and
its bounds as the field's constraints, in display order. `answer_fields()` reads them back; the
JSON Schema sent to models, validation, the CLI's text block, the eval report and the metrics
all derive from it, so a new part of the answer is one new field here.

Evidence: a part marked `AnswerPart(evidence=True)` carries one verbatim quote from the item when
the prompt asks for evidence (prompts/summary/v2.md). The quotes travel beside the block, in the
optional `evidence` field (`Evidence`), never inside it, so the published block reads exactly
as before; a `CaseSummary` adds where each quote stands in the item (`citations`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Annotated, Any, Literal, get_origin

from annotated_types import MaxLen, MinLen
from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

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
    `evidence`: it carries a verbatim quote from the item (one per item of a list part) when
    the prompt asks for evidence.
    """

    taxonomy: bool = False
    evidence: bool = False


@dataclass(frozen=True)
class AnswerField:
    """One part of the answer as the rest of casesummary sees it."""

    name: str
    label: str
    is_list: bool
    min_items: int | None = None
    max_items: int | None = None
    taxonomy: bool = False
    evidence: bool = False


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
                evidence=part.evidence,
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


#: The answer's field holding the quotes; a request asks for evidence when its schema has it.
EVIDENCE_FIELD = "evidence"


class Evidence(BaseModel):
    """One short verbatim quote from the item for each part marked `AnswerPart(evidence=True)`.

    The quotes stand in the order of the claims they back: `pros[1]` is the quote for the second
    pro. Validation checks each one against the item (casesummary/evidence.py).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    summary: str = Field(title="Citat for opsummeringen", min_length=1)
    pros: list[str] = Field(title="Citater for fordelene", min_length=3, max_length=3)
    cons: list[str] = Field(title="Citater for ulemperne", min_length=3, max_length=3)

    def quotes(self) -> list[tuple[str, int, str]]:
        """(part, index, quote) for every quote, in display order."""
        out: list[tuple[str, int, str]] = []
        for name in type(self).model_fields:
            value: Any = getattr(self, name)
            values = value if isinstance(value, list) else [value]
            out += [(name, index, str(quote)) for index, quote in enumerate(values)]
        return out

    def quote(self, part: str, index: int = 0) -> str | None:
        """The quote backing item `index` of `part`, or None if it has none."""
        value: Any = getattr(self, part, None)
        if isinstance(value, list):
            return str(value[index]) if 0 <= index < len(value) else None
        return str(value) if value is not None and index == 0 else None


#: Fields left out of a dump while empty, so answers and results without evidence serialise
#: exactly as before evidence existed.
_OMITTED_WHEN_EMPTY = ("evidence", "citations")


class PromptResult(BaseModel):
    """The five fields a model answers with; the shape of 'Prompt resultater'.

    `evidence` is not a part of the block: it holds the quotes behind it when the prompt asks for
    them, and is left out of the JSON when absent.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    question: Annotated[str, AnswerPart()] = Field(title="Spørgsmål", min_length=1)
    summary: Annotated[str, AnswerPart(evidence=True)] = Field(title="Opsummering", min_length=1)
    pros: Annotated[list[str], AnswerPart(evidence=True)] = Field(
        title="Fordele", min_length=3, max_length=3
    )
    cons: Annotated[list[str], AnswerPart(evidence=True)] = Field(
        title="Ulemper", min_length=3, max_length=3
    )
    keywords: Annotated[list[str], AnswerPart(taxonomy=True)] = Field(
        title="Emneord", min_length=1, max_length=3
    )
    evidence: Evidence | None = Field(default=None, title="Citater")

    # No return annotation: pydantic would take it for the serialised shape and lose the schema.
    @model_serializer(mode="wrap")
    def _omit_empty(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        data = handler(self)
        if isinstance(data, dict):
            for name in _OMITTED_WHEN_EMPTY:
                if name in data and not data[name]:
                    del data[name]
        return data

    def without_evidence(self) -> PromptResult:
        """The block alone: this answer as a `PromptResult` with no quotes."""
        return PromptResult.model_validate(
            self.model_dump(include=set(PromptResult.model_fields) - {EVIDENCE_FIELD})
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


class InputFit(BaseModel):
    """How the item text was fitted to the model's input, when more than the prompt's own
    budget was at work: a `--max-input-tokens`/`context=` budget, a re-render after the server
    said the input did not fit, or a server that reported far fewer input tokens than sent.

    Token counts are o200k_base (ours) unless named as the server's.
    """

    model_config = ConfigDict(frozen=True)

    #: The item-text budget the prompt was rendered with.
    max_input_tokens: int | None = None
    #: Where that budget came from.
    source: Literal["prompt", "max_input_tokens", "context", "context_error"] = "prompt"
    #: The model's context window (server tokens), from `context=` or an overflow error.
    context_window: int | None = None
    #: Our count of the messages of the answered request.
    sent_tokens: int | None = None
    #: The server's usage.prompt_tokens for that request.
    reported_tokens: int | None = None
    #: The server reported far fewer tokens than were sent: it probably cut the input.
    truncated: bool = False


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
    #: Set when the input was fitted to a context window or looked truncated (see InputFit).
    input_fit: InputFit | None = None


class Review(BaseModel):
    """Whether a person has approved the text; the web app sets reviewer and time."""

    model_config = ConfigDict(frozen=True)

    status: Literal["unreviewed", "approved", "rejected"] = "unreviewed"
    reviewer: str | None = None
    reviewed_at: datetime | None = None


class Citation(BaseModel):
    """Where one quote of the evidence stands in the item, so the web app can highlight it.

    `section` indexes `AgendaItem.sections` (None: the item's title) and `start`/`end` are
    character offsets into that section's `text` (or the title); `passage` is the item's own text
    there, which may differ from the quote in white space, quote marks, dashes and case.
    """

    model_config = ConfigDict(frozen=True)

    part: str = Field(description="the answer part the quote backs: summary, pros or cons")
    index: int = Field(ge=0, description="the position in that part (0 for the summary)")
    section: int | None = Field(ge=0, description="index into the item's sections; null: title")
    heading: str = Field(description="the section's heading as written, or 'Titel'")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    passage: str


class CaseSummary(PromptResult):
    """A validated Prompt resultater block with its AI disclosure, review status and provenance.

    With evidence, `citations` says where each quote was found in the item (left out of the
    JSON when there is no evidence).
    """

    disclosure: str = AI_DISCLOSURE
    review: Review = Field(default_factory=Review)
    provenance: Provenance
    citations: tuple[Citation, ...] = ()

    @classmethod
    def from_answer(
        cls,
        answer: PromptResult,
        provenance: Provenance,
        citations: tuple[Citation, ...] = (),
    ) -> CaseSummary:
        """A fresh, unreviewed result, disclosed as AI-generated or as extracted."""
        disclosure = EXTRACTIVE_DISCLOSURE if provenance.extractive else AI_DISCLOSURE
        return cls(
            **answer.model_dump(),
            provenance=provenance,
            disclosure=disclosure,
            citations=citations,
        )

    def citation(self, part: str, index: int = 0) -> Citation | None:
        """Where the quote backing item `index` of `part` was found, or None."""
        return next((c for c in self.citations if (c.part, c.index) == (part, index)), None)

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
