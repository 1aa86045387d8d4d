"""Optional LLM judge: a model rates an answer's faithfulness, neutrality, balance and clarity.

The deterministic metrics are proxies; a judge reads the item and the answer as a person would.
It costs a model call per answer and is only as good as the judging model, so it is optional
and never part of the default eval: `casesummary eval --judge SPEC` (or `run_eval(judge=…)`)
adds its ratings as metrics, cached like answers. Any `Backend` can judge; the rubric is the
versioned prompt ``prompts/judge/v1.md``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from casesummary.backends.base import Backend, BackendRequest
from casesummary.eval.rubric import parse_reply, rubric_request
from casesummary.item import AgendaItem
from casesummary.prompt import PromptTemplate
from casesummary.result import PromptResult
from casesummary.taxonomy import Taxonomy

JUDGE_PROMPT = "judge"
#: The criteria a verdict rates, in report order.
CRITERIA: tuple[str, ...] = ("faithfulness", "neutrality", "balance", "clarity")
#: The metrics a judged eval run adds: each criterion, and their mean `judge`.
JUDGE_METRIC_NAMES: tuple[str, ...] = (*(f"judge_{c}" for c in CRITERIA), "judge")


class Rating(BaseModel):
    """One criterion's grade, 1 (poor) to 5 (good), with a short reason in Danish."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    score: int = Field(ge=1, le=5)
    reason: str = Field(min_length=1, max_length=600)


class JudgeVerdict(BaseModel):
    """A judge's ratings of one answer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    faithfulness: Rating
    neutrality: Rating
    balance: Rating
    clarity: Rating

    def metrics(self) -> dict[str, float]:
        """The ratings as metrics in [0, 1] (1 -> 0.0, 5 -> 1.0), named ``judge_<criterion>``."""
        return {f"judge_{c}": (getattr(self, c).score - 1) / 4 for c in CRITERIA}


def judge_metrics(verdict: JudgeVerdict) -> dict[str, float]:
    """A verdict as eval metrics in [0, 1]: ``judge_<criterion>`` and their mean ``judge``."""
    scores = verdict.metrics()
    return {**scores, "judge": sum(scores.values()) / len(scores)}


def verdict_schema() -> dict[str, Any]:
    """The JSON Schema a judging backend is asked to answer in (strict-mode compatible)."""
    return JudgeVerdict.model_json_schema()


def judge_request(
    output: PromptResult,
    item: AgendaItem,
    *,
    prompt: str | Path | PromptTemplate = JUDGE_PROMPT,
    taxonomy: Taxonomy | None = None,
    repeat: int = 0,
) -> BackendRequest:
    """The request a backend answers to judge `output`: the rubric, the item, then the answer.

    The answer goes in its own message between delimiter lines, so text inside it cannot pass
    for instructions.
    """
    answer = json.dumps(output.model_dump(mode="json"), ensure_ascii=False, indent=2)
    return rubric_request(prompt, item, taxonomy, answer, "SVAR", verdict_schema(), repeat)


def parse_verdict(content: str) -> JudgeVerdict:
    """A backend's answer as a `JudgeVerdict`; OutputValidationError listing what is wrong."""
    return parse_reply(JudgeVerdict, content, "the judge's verdict")


def judge(
    output: PromptResult,
    item: AgendaItem,
    *,
    backend: Backend,
    prompt: str | Path | PromptTemplate = JUDGE_PROMPT,
    taxonomy: Taxonomy | None = None,
    repeat: int = 0,
) -> JudgeVerdict:
    """Ask `backend` to rate `output` against `item`; OutputValidationError on a bad verdict."""
    request = judge_request(output, item, prompt=prompt, taxonomy=taxonomy, repeat=repeat)
    return parse_verdict(backend.complete(request).content)


async def ajudge(
    output: PromptResult,
    item: AgendaItem,
    *,
    backend: Backend,
    prompt: str | Path | PromptTemplate = JUDGE_PROMPT,
    taxonomy: Taxonomy | None = None,
    repeat: int = 0,
) -> JudgeVerdict:
    """`judge` for async callers."""
    request = judge_request(output, item, prompt=prompt, taxonomy=taxonomy, repeat=repeat)
    return parse_verdict((await backend.acomplete(request)).content)
