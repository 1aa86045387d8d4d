"""The oracle backend: answers with the golden expected output, so an eval can show its ceiling."""

from __future__ import annotations

import threading
from pathlib import Path

from casesummary.backends.base import BackendRequest, BackendResponse, SyncBackend
from casesummary.exceptions import InvalidGoldenCase, ReplayMissError
from casesummary.result import PromptResult


class OracleMissError(ReplayMissError):
    """The oracle holds no golden case for this item; `key` is the item's fingerprint."""


class OracleBackend(SyncBackend):
    """Answers each request with the expected answer of the golden case holding the same item."""

    name = "oracle"
    model = "golden"

    def __init__(self, golden_dir: str | Path | None = None) -> None:
        self.golden_dir = Path(golden_dir) if golden_dir is not None else None
        self._answers: dict[str, PromptResult] | None = None
        self._lock = threading.Lock()

    def complete(self, request: BackendRequest) -> BackendResponse:
        fingerprint = request.item.fingerprint
        answer = self.answers().get(fingerprint)
        if answer is None:
            raise OracleMissError(
                f"no golden case holds the item {request.item.title!r}", key=fingerprint
            )
        return BackendResponse(content=answer.model_dump_json(), model=self.model)

    def answers(self) -> dict[str, PromptResult]:
        """Expected answers keyed by item fingerprint; the golden set is read on first use."""
        with self._lock:
            if self._answers is None:
                self._answers = _load_answers(self.golden_dir)
            return self._answers


def _load_answers(golden_dir: Path | None) -> dict[str, PromptResult]:
    from casesummary.eval.golden import load_golden

    answers: dict[str, PromptResult] = {}
    owners: dict[str, str] = {}
    for case in load_golden(golden_dir):
        if case.expected is None:
            continue
        fingerprint = case.load_item().fingerprint
        if fingerprint in answers and answers[fingerprint] != case.expected:
            raise InvalidGoldenCase(
                f"holds the same item as case {owners[fingerprint]!r} "
                "with a different expected answer",
                path=case.directory,
            )
        answers[fingerprint] = case.expected
        owners[fingerprint] = case.id
    return answers


def from_spec(rest: str) -> OracleBackend:
    """`oracle` or `oracle:<golden dir>`."""
    return OracleBackend(rest or None)
