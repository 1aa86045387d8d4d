"""Optional LLM judge of the evidence: does each quote support the claim it stands beside?

The deterministic `evidence_support` metric counts shared content words; a judge reads the claim
and its quote as a person would. It is the evidence part of `eval --judge`: wherever an answer
carries evidence, the runner asks `ajudge_evidence` beside `judge.ajudge` and adds the verdict's
`metrics()` (``judge_evidence_support``, the share of quotes judged to support their claim) to
the record's metrics. The rubric is the versioned prompt ``prompts/judge-evidence/v1.md``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from casesummary.backends.base import Backend, BackendRequest
from casesummary.eval.rubric import parse_reply, rubric_request
from casesummary.exceptions import UserError
from casesummary.item import AgendaItem
from casesummary.prompt import PromptTemplate
from casesummary.result import Evidence, PromptResult
from casesummary.taxonomy import Taxonomy

EVIDENCE_JUDGE_PROMPT = "judge-evidence"
#: The metric a verdict gives, beside the deterministic `evidence_support`.
METRIC = "judge_evidence_support"


class QuoteVerdict(BaseModel):
    """Whether one quote supports its claim, with a short reason in Danish."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    supported: bool
    reason: str = Field(min_length=1, max_length=400)


class EvidenceVerdict(BaseModel):
    """A judge's verdict on every quote of an answer, in the order of the claims."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    summary: QuoteVerdict
    pros: list[QuoteVerdict] = Field(min_length=3, max_length=3)
    cons: list[QuoteVerdict] = Field(min_length=3, max_length=3)

    def verdicts(self) -> list[QuoteVerdict]:
        return [self.summary, *self.pros, *self.cons]

    def metrics(self) -> dict[str, float]:
        """``judge_evidence_support``: the share of quotes judged to support their claim."""
        verdicts = self.verdicts()
        return {METRIC: sum(v.supported for v in verdicts) / len(verdicts)}


def evidence_verdict_schema() -> dict[str, Any]:
    """The JSON Schema a judging backend is asked to answer in."""
    return EvidenceVerdict.model_json_schema()


def claims(output: PromptResult) -> list[dict[str, Any]]:
    """Each claim of the answer with the quote that backs it, as the judge is shown them."""
    evidence = _evidence(output)
    shown: list[dict[str, Any]] = []
    for part, index, quote in evidence.quotes():
        value: Any = getattr(output, part)
        claim = value[index] if isinstance(value, list) else value
        shown.append({"part": part, "index": index, "claim": str(claim), "quote": quote})
    return shown


def evidence_judge_request(
    output: PromptResult,
    item: AgendaItem,
    *,
    prompt: str | Path | PromptTemplate = EVIDENCE_JUDGE_PROMPT,
    taxonomy: Taxonomy | None = None,
    repeat: int = 0,
) -> BackendRequest:
    """The request a backend answers to judge `output`'s evidence: the rubric and the item, then
    the claims with their quotes in a message of their own between delimiter lines."""
    pairs = json.dumps(claims(output), ensure_ascii=False, indent=2)
    schema = evidence_verdict_schema()
    return rubric_request(prompt, item, taxonomy, pairs, "BELÆG", schema, repeat)


def parse_evidence_verdict(content: str) -> EvidenceVerdict:
    """A backend's answer as an `EvidenceVerdict`; OutputValidationError listing what is wrong."""
    return parse_reply(EvidenceVerdict, content, "the evidence verdict")


def judge_evidence(
    output: PromptResult,
    item: AgendaItem,
    *,
    backend: Backend,
    prompt: str | Path | PromptTemplate = EVIDENCE_JUDGE_PROMPT,
    taxonomy: Taxonomy | None = None,
    repeat: int = 0,
) -> EvidenceVerdict:
    """Ask `backend` whether each quote of `output` supports its claim."""
    request = evidence_judge_request(output, item, prompt=prompt, taxonomy=taxonomy, repeat=repeat)
    return parse_evidence_verdict(backend.complete(request).content)


async def ajudge_evidence(
    output: PromptResult,
    item: AgendaItem,
    *,
    backend: Backend,
    prompt: str | Path | PromptTemplate = EVIDENCE_JUDGE_PROMPT,
    taxonomy: Taxonomy | None = None,
    repeat: int = 0,
) -> EvidenceVerdict:
    """`judge_evidence` for async callers."""
    request = evidence_judge_request(output, item, prompt=prompt, taxonomy=taxonomy, repeat=repeat)
    return parse_evidence_verdict((await backend.acomplete(request)).content)


def _evidence(output: PromptResult) -> Evidence:
    if output.evidence is None:
        raise UserError("the answer carries no evidence to judge (use a prompt that asks for it)")
    return output.evidence
