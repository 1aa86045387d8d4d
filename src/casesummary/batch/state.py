"""A batch job's state directory: `state.json`, written atomically before and after each step.

Layout of a state directory::

    state.json                        this model (BatchState)
    items.jsonl                       one line per input item, in input order
    parts/000/items.jsonl             the items of part 0 (custom_id, fingerprint, title)
    parts/000/round-0.input.jsonl     the request lines uploaded for part 0's first batch
    parts/000/round-0.output.jsonl    its output file, as downloaded (lines in any order)
    parts/000/round-0.errors.jsonl    its error file, as downloaded
    parts/000/round-0.outcomes.jsonl  what each request came to: ok, failed or a follow-up
    parts/000/round-1.input.jsonl     the follow-up batch: re-asks and resubmissions
    results.jsonl                     one CaseSummary or SummaryFailure per item, input order

Every provider call is recorded as a `Step`: "started" (with what it needs) is saved before
the call and "done" (with the id it returned) after it, so a run killed in between knows it
may have happened and looks for it before doing it again (see `submission.py`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from casesummary.batch.files import write_atomic
from casesummary.exceptions import InvalidBatchState, first_error

STATE_FILE = "state.json"
ITEMS_FILE = "items.jsonl"
RESULTS_FILE = "results.jsonl"
PARTS_DIR = "parts"
#: Bumped if the layout ever changes incompatibly.
STATE_FORMAT = 1

#: Batch statuses after which nothing changes any more.
TERMINAL = frozenset({"completed", "expired", "cancelled", "failed"})

Phase = Literal["preparing", "prepared", "submitted", "collected"]


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Step(BaseModel):
    """One provider call: pending, started (the call may have happened) or done (its id)."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["pending", "started", "done"] = "pending"
    id: str | None = None
    at: datetime | None = None


class Counts(BaseModel):
    """The provider's request counts for one batch."""

    model_config = ConfigDict(extra="forbid")

    total: int = 0
    completed: int = 0
    failed: int = 0


class Round(BaseModel):
    """One batch of one part: its input file, its upload and batch, and what came back."""

    model_config = ConfigDict(extra="forbid")

    round: int = Field(ge=0)
    file: str  # relative to the state directory
    requests: int = Field(ge=0)
    bytes: int = Field(ge=0)
    sha256: str
    #: "batch" for a provider batch; "direct" when finished through the normal API.
    via: Literal["batch", "direct"] = "batch"
    upload: Step = Field(default_factory=Step)
    batch: Step = Field(default_factory=Step)
    status: str | None = None  # the provider's batch status, last seen
    counts: Counts | None = None
    errors: list[str] = Field(default_factory=list)  # a failed batch's reasons
    output_file_id: str | None = None
    error_file_id: str | None = None
    created_at: int | None = None  # the provider's timestamps (Unix seconds)
    finished_at: int | None = None
    downloaded: bool = False
    evaluated: bool = False
    followups: int = 0  # requests that go on to the next round

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL


class Part(BaseModel):
    """A slice of the items that fits one input file, and its rounds, first to latest."""

    model_config = ConfigDict(extra="forbid")

    index: int = Field(ge=0)
    items: int = Field(ge=0)
    rounds: list[Round] = Field(default_factory=list)

    @property
    def directory(self) -> str:
        return f"{PARTS_DIR}/{self.index:03d}"

    @property
    def latest(self) -> Round:
        return self.rounds[-1]

    @property
    def finished(self) -> bool:
        """Every request of this part has a final outcome."""
        last = self.latest
        return last.evaluated and last.followups == 0


class Estimate(BaseModel):
    """What a submit is expected to cost, at batch prices."""

    model_config = ConfigDict(extra="forbid")

    requests: int = 0
    input_tokens: int = 0  # estimated (o200k_base)
    max_output_tokens: int = 0  # an upper bound: max_tokens per request
    cost_usd: float | None = None  # input + at most the output, at batch prices; None: unknown


class BatchState(BaseModel):
    """Everything a state directory knows: what was asked, of whom, and where each batch is."""

    model_config = ConfigDict(extra="forbid")

    format: int = STATE_FORMAT
    id: str
    created: datetime
    phase: Phase = "preparing"
    backend: str  # the spec, without credentials
    kind: Literal["openai", "azure"]
    model: str
    prompt_id: str
    prompt_version: str
    prompt_fingerprint: str
    prompt_path: str  # the template file, read again by collect (its fingerprint is checked)
    taxonomy_path: str | None = None  # None: the shipped one, or an object given to submit()
    taxonomy_name: str
    taxonomy_version: str
    taxonomy_fingerprint: str
    inputs: list[str]
    items: int = 0
    skipped: int = 0
    max_rounds: int = Field(default=2, ge=0)
    estimate: Estimate = Field(default_factory=Estimate)
    parts: list[Part] = Field(default_factory=list)
    finished: datetime | None = None

    @property
    def url(self) -> str:
        """The endpoint of every request line and of the batch itself."""
        return "/chat/completions" if self.kind == "azure" else "/v1/chat/completions"


def state_path(directory: Path) -> Path:
    return directory / STATE_FILE


def load_state(directory: Path) -> BatchState:
    """The state in `directory`; InvalidBatchState when it is missing, unreadable or corrupt."""
    path = state_path(directory)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InvalidBatchState(
            "no state.json: not a batch state directory (run `casesummary batch submit`)",
            path=directory,
        ) from None
    except OSError as exc:
        raise InvalidBatchState(f"cannot read ({exc.strerror})", path=path) from None
    try:
        data = json.loads(raw)
    except ValueError:
        raise InvalidBatchState("state.json is not valid JSON (corrupt)", path=path) from None
    if not isinstance(data, dict):
        raise InvalidBatchState("state.json is not a JSON object (corrupt)", path=path)
    if data.get("format") != STATE_FORMAT:
        raise InvalidBatchState(
            f"state.json has format {data.get('format')!r}; this casesummary reads "
            f"format {STATE_FORMAT}",
            path=path,
        )
    try:
        return BatchState.model_validate(data)
    except ValidationError as exc:
        raise InvalidBatchState(f"state.json is corrupt: {first_error(exc)}", path=path) from None


def save_state(directory: Path, state: BatchState) -> None:
    """Write state.json atomically (a temporary file, fsync, rename)."""
    write_atomic(state_path(directory), (state.model_dump_json(indent=2) + "\n").encode("utf-8"))
