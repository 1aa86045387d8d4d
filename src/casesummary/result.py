"""What a summary is: the model's answer (`PromptResult`) and the published `CaseSummary`."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: Display labels the web app shows, keyed by attribute name.
LABELS: dict[str, str] = {
    "question": "Spørgsmål",
    "summary": "Opsummering",
    "pros": "Fordele",
    "cons": "Ulemper",
    "keywords": "Emneord",
}

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


class PromptResult(BaseModel):
    """The five fields a model answers with; the shape of 'Prompt resultater'."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    question: str = Field(title=LABELS["question"], min_length=1)
    summary: str = Field(title=LABELS["summary"], min_length=1)
    pros: list[str] = Field(title=LABELS["pros"], min_length=3, max_length=3)
    cons: list[str] = Field(title=LABELS["cons"], min_length=3, max_length=3)
    keywords: list[str] = Field(title=LABELS["keywords"], min_length=1, max_length=3)


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
    attempts: int = 1
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
        """A copy marked as reviewed by a person who holds editorial responsibility."""
        return self.model_copy(
            update={
                "review": Review(status="approved", reviewer=reviewer, reviewed_at=at),
                "disclosure": REVIEWED_DISCLOSURE,
            }
        )


class SummaryFailure(BaseModel):
    """One item's failure in a bulk run: recorded, typed, never silently dropped."""

    model_config = ConfigDict(frozen=True)

    item_fingerprint: str
    item_title: str
    error_type: str
    message: str
    attempts: int = 0
