"""Fake backends for tests, shipped as public API: answer from a function or from a queue.

    >>> backend = QueueBackend([good_answer()])
    >>> summarize(item, backend=backend)
    >>> backend.calls[0].messages[-1].content

An answer may be a JSON string, a dict (dumped to JSON), a full `BackendResponse`, or an
exception instance, which is raised instead (to test error handling).

`good_answer()` is a valid answer with evidence (quotes) for the default prompt; its quotes come
from the published Odense item unless `item=` names the item to quote, and `evidence=False` gives
the answer a prompt without evidence (summary@1) expects. `answer_for(request)` fits a request.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeAlias

from casesummary.backends.base import BackendRequest, BackendResponse, BaseBackend
from casesummary.item import AgendaItem
from casesummary.taxonomy import Taxonomy, load_taxonomy
from casesummary.testing.server import sample_quotes

FakeAnswer: TypeAlias = str | dict[str, Any] | BackendResponse | BaseException


class QueueExhausted(AssertionError):
    """A QueueBackend was asked for more answers than the test gave it."""


def _to_response(answer: FakeAnswer, model: str) -> BackendResponse:
    if isinstance(answer, BaseException):
        raise answer
    if isinstance(answer, BackendResponse):
        return answer
    if isinstance(answer, dict):
        answer = json.dumps(answer, ensure_ascii=False)
    return BackendResponse(content=answer, model=model, structured_mode="none")


class FunctionBackend(BaseBackend):
    """Answers every request with `fn(request)`; `calls` keeps each request it received."""

    def __init__(
        self,
        fn: Callable[[BackendRequest], FakeAnswer],
        *,
        name: str = "function",
        model: str = "fake",
    ) -> None:
        self.fn = fn
        self.name = name
        self.model = model
        self.calls: list[BackendRequest] = []

    def complete(self, request: BackendRequest) -> BackendResponse:
        self.calls.append(request)
        return _to_response(self.fn(request), self.model)

    async def acomplete(self, request: BackendRequest) -> BackendResponse:
        return self.complete(request)


class QueueBackend(BaseBackend):
    """Answers requests with `responses` in order; `calls` keeps each request it received."""

    def __init__(
        self, responses: Iterable[FakeAnswer], *, name: str = "queue", model: str = "fake"
    ) -> None:
        self.responses: list[FakeAnswer] = list(responses)
        self.name = name
        self.model = model
        self.calls: list[BackendRequest] = []
        self._lock = threading.Lock()

    def complete(self, request: BackendRequest) -> BackendResponse:
        with self._lock:
            self.calls.append(request)
            if not self.responses:
                raise QueueExhausted(
                    f"QueueBackend has no answer left for call {len(self.calls)} "
                    f"(item {request.item.title!r})"
                )
            answer = self.responses.pop(0)
        return _to_response(answer, self.model)

    async def acomplete(self, request: BackendRequest) -> BackendResponse:
        return self.complete(request)


#: Verbatim passages of the published Odense item (tests/data/fixtures, golden/odense-2025-…).
ODENSE_EVIDENCE: dict[str, Any] = {
    "summary": (
        "Med denne sag skal udvalget drøfte den politiske retning for implementering af "
        "beskæftigelsesreformen med udgangspunkt i syv pejlemærker."
    ),
    "pros": [
        "Frisættelsen skal bruges til at tilrettelægge en individuel indsats til borgerne",
        "Alle ledige skal have kontakt - ingen efterlades alene",
        "Job First skal være udgangspunktet for den individuelle indsats",
    ],
    "cons": [
        "hvor intensiteten og hyppigheden af kontakten beror på en faglig vurdering",
        "Ledige borgere skal også have mulighed for at kontakte forvaltningen",
        "Et professionelt virksomhedssamarbejde der tager afsæt i virksomhedernes behov",
    ],
}


def good_answer(
    taxonomy: Taxonomy | None = None,
    *,
    item: AgendaItem | None = None,
    evidence: bool = True,
) -> dict[str, Any]:
    """A valid answer (the published Odense example) whose keywords fit `taxonomy`.

    With `evidence` (the default prompt asks for it) it carries quotes: from `item` when given
    (passages of its text, so they are found there), else from the published Odense item.
    """
    if taxonomy is None:
        taxonomy = load_taxonomy()
    answer = _odense_answer(taxonomy)
    if evidence:
        answer["evidence"] = _evidence(item) if item is not None else copy.deepcopy(ODENSE_EVIDENCE)
    return answer


def answer_for(request: BackendRequest) -> dict[str, Any]:
    """`good_answer` fitted to a request: its taxonomy, its item, evidence if it asks."""
    return good_answer(request.taxonomy, item=request.item, evidence=request.wants_evidence)


def _evidence(item: AgendaItem) -> dict[str, Any]:
    quotes = sample_quotes(item.to_prompt_text(), 7)
    return {"summary": quotes[0], "pros": quotes[1:4], "cons": quotes[4:7]}


def _odense_answer(taxonomy: Taxonomy) -> dict[str, Any]:
    preferred = [n for n in ("Beskæftigelse", "Social", "Økonomi") if n in taxonomy.names]
    return {
        "question": (
            "Bør Odense Kommune vedtage de syv pejlemærker for implementering af "
            "beskæftigelsesreformen?"
        ),
        "summary": (
            "Dagsordenspunktet handler om at drøfte og vedtage syv pejlemærker for implementering "
            "af beskæftigelsesreformen i Odense Kommune. Pejlemærkerne fokuserer på individuel "
            "indsats, kontakt til alle ledige, Job First-tilgang, tværfaglige planer, "
            "beskæftigelsesfaglighed, effektmål og virksomhedssamarbejde."
        ),
        "pros": [
            "Individuel indsats til borgerne for at tilrettelægge bedst mulige vej til job",
            "Sikring af kontakt til alle ledige for at undgå at nogen efterlades alene",
            "Fokus på Job First-tilgang for at styrke vejen til varig beskæftigelse",
        ],
        "cons": [
            "Mulighed for at nogle ledige kan føle sig overvældede af hyppige kontakter",
            "Risiko for at nogle ledige ikke får den nødvendige hjælp uden egen henvendelse",
            "Mulighed for at fokus på virksomhedernes behov fylder mere end borgernes ønsker",
        ],
        "keywords": preferred or list(taxonomy.names[:1]),
    }
