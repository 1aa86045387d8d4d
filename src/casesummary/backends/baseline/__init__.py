"""Offline extractive backend: the default with no model, and the floor every prompt must beat.

It answers from the item's own text, deterministically and without a network, one module per
part of the answer:

- `question`: the recommendation's first decision (`clauses` finds and classifies its
  clauses) turned into an active infinitive phrase (`phrase`: "at lokalplanen vedtages" ->
  "vedtage lokalplanen") after "Bør <kommune>"; every candidate is checked with
  `danish.question_defects`, and the title is the grammatical fallback. Negated clauses are
  skipped, never edited. The <kommune> comes from `municipality`.
- `summary`: the first two or three sentences of the Sagsresumé/Beslutningstema (else the
  Sagsfremstilling), always starting with "Uddrag af dagsordenspunktet: " so a reader can see
  the text is quoted, not written.
- `arguments`: pros/cons, the item's own sentences with benefit or cost/risk cue words (the
  numbered points of a Sagsresumé count as pros: they are what is proposed). Cons quoted from the
  item are labelled "Udgift: …" or "Mulig ulempe: …"; missing points are filled with cautious,
  item-specific statements ("Risiko for at …", "Mulighed for at …") built from title and economy.
- `keywords`: taxonomy topics scored by cue-stem occurrences (title weighted higher).
- `evidence`: when the prompt asks for it, the item sentence each text came from or rests on.

`_text` holds the text preparation they share (markup, page furniture and words broken at
line ends removed before anything is quoted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casesummary.backends.base import BackendRequest, BackendResponse, BaseBackend
from casesummary.backends.baseline.arguments import pros_and_cons
from casesummary.backends.baseline.evidence import evidence_for
from casesummary.backends.baseline.keywords import keywords_for
from casesummary.backends.baseline.municipality import municipality_of
from casesummary.backends.baseline.question import question_for
from casesummary.backends.baseline.summary import EXTRACT_MARKER, summary_for
from casesummary.item import AgendaItem
from casesummary.result import PromptResult, Usage
from casesummary.taxonomy import Taxonomy

if TYPE_CHECKING:
    from casesummary.backends.spec import BackendSpec

NAME = "baseline"
#: Part of every cache and recording key: bump it whenever the answers change
#: (tests/backends/baseline/test_model.py pins a digest of the answers on the golden set).
MODEL = "extractive-v3"


class BaselineBackend(BaseBackend):
    """Answers with an extractive Prompt resultater block built from the item itself."""

    name: str = NAME
    model: str = MODEL

    def complete(self, request: BackendRequest) -> BackendResponse:
        result = extract(request.item, request.taxonomy, evidence=request.wants_evidence)
        return BackendResponse(
            content=result.model_dump_json(),
            model=MODEL,
            structured_mode="none",
            usage=Usage(),
            extractive=True,
        )

    async def acomplete(self, request: BackendRequest) -> BackendResponse:
        # CPU-only and a few milliseconds: a thread would cost more than it saves.
        return self.complete(request)


def from_spec(spec: BackendSpec) -> BaselineBackend:
    """Registry factory: `baseline` (its spec takes no options: backends/spec.py checks)."""
    return BaselineBackend()


def extract(item: AgendaItem, taxonomy: Taxonomy, *, evidence: bool = False) -> PromptResult:
    """The baseline answer for one item: same item and taxonomy, byte-identical result.

    With `evidence`, the answer also carries the item sentence behind each text.
    """
    municipality = municipality_of(item)
    question = question_for(item, municipality)
    summary = summary_for(item)
    pros, cons = pros_and_cons(item, question, summary)
    result = PromptResult(
        question=question,
        summary=summary,
        pros=pros,
        cons=cons,
        keywords=keywords_for(item, taxonomy),
    )
    if evidence:
        result = result.model_copy(update={"evidence": evidence_for(item, result)})
    return result


__all__ = ["EXTRACT_MARKER", "MODEL", "NAME", "BaselineBackend", "extract", "from_spec"]
