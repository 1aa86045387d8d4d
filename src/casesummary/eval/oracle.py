"""The oracle backend: answers with the golden expected output, so an eval can show its ceiling.

Its answers are the golden set's, so they are part of its identity: `model` is
``golden-<digest of every expected answer>``, and a cached or recorded oracle answer is never
served after an expected.json changed. The eval runner hands it the cases it has already
loaded (`adopt`); on its own it reads a golden directory on first use. The golden answers carry
hand-checked quotes: they are sent when the prompt asks for evidence, left out when it does not.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from casesummary.backends.base import BackendRequest, BackendResponse, SyncBackend
from casesummary.eval.golden import GoldenCase, load_golden
from casesummary.exceptions import InvalidGoldenCase, ReplayMissError
from casesummary.result import PromptResult

if TYPE_CHECKING:
    from casesummary.backends.spec import BackendSpec
    from casesummary.item import AgendaItem

NAME = "oracle"


class OracleMissError(ReplayMissError):
    """The oracle holds no golden case for this item; `key` is the item's fingerprint."""


class OracleBackend(SyncBackend):
    """Answers each request with the expected answer of the golden case holding the same item."""

    name = NAME

    def __init__(self, golden_dir: str | Path | None = None) -> None:
        self.golden_dir = Path(golden_dir) if golden_dir is not None else None
        self._answers: dict[str, PromptResult] | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> str:  # type: ignore[override]  # derived from the answers it gives
        digest = hashlib.sha256()
        for fingerprint, answer in sorted(self.answers().items()):
            digest.update(f"{fingerprint}\n{answer.model_dump_json()}\n".encode())
        return f"golden-{digest.hexdigest()[:12]}"

    def complete(self, request: BackendRequest) -> BackendResponse:
        fingerprint = request.item.fingerprint
        answer = self.answers().get(fingerprint)
        if answer is None:
            raise OracleMissError(
                f"no golden case holds the item {request.item.title!r}", key=fingerprint
            )
        if not request.wants_evidence:
            answer = answer.without_evidence()
        return BackendResponse(content=answer.model_dump_json(), model=self.model)

    def adopt(self, cases: Iterable[tuple[GoldenCase, AgendaItem]]) -> None:
        """Answer from these cases and their parsed items, unless a golden directory was given."""
        if self.golden_dir is not None:
            return
        with self._lock:
            self._answers = _answers(cases)

    def answers(self) -> dict[str, PromptResult]:
        """Expected answers keyed by item fingerprint; a golden directory is read on first use."""
        with self._lock:
            if self._answers is None:
                self._answers = _answers((c, c.load_item()) for c in load_golden(self.golden_dir))
            return self._answers


def _answers(cases: Iterable[tuple[GoldenCase, AgendaItem]]) -> dict[str, PromptResult]:
    answers: dict[str, PromptResult] = {}
    owners: dict[str, str] = {}
    for case, item in cases:
        if case.expected is None:
            continue
        fingerprint = item.fingerprint
        if fingerprint in answers and answers[fingerprint] != case.expected:
            raise InvalidGoldenCase(
                f"holds the same item as case {owners[fingerprint]!r} "
                "with a different expected answer",
                path=case.directory,
            )
        answers[fingerprint] = case.expected
        owners[fingerprint] = case.id
    return answers


def from_spec(spec: BackendSpec) -> OracleBackend:
    """`oracle` or `oracle:<golden dir>`."""
    return OracleBackend(spec.target or None)
