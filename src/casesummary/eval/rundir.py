"""The eval run directory: its files, the record of each (case, repeat), and metrics.json.

    run.json        what was run: prompt, backend, taxonomy, golden dir, repeat, times, version
    cases.json      the golden cases as they were: metadata, source excerpt, expected answer
    results.jsonl   one line per (case, repeat), appended, flushed and fsync'd as each finishes
    metrics.json    means with bootstrap CIs, pass rates, groups, counts, tokens and cost
                    (eval/aggregate.py)
    report.md, report.html  (eval/report.py)

Each line of results.jsonl is written with a single write() of a complete line, so a killed
run leaves whole lines only; a torn last line is ignored when read (and cut on resume). Every
record and case is written through `redact.masked`, so no CPR number reaches the disk.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from casesummary.eval.stats import NanFloat
from casesummary.exceptions import InvalidRunDirectory, first_error
from casesummary.redact import masked
from casesummary.result import Citation, PromptResult, Provenance

RUN_FILE = "run.json"
CASES_FILE = "cases.json"
RESULTS_FILE = "results.jsonl"
METRICS_FILE = "metrics.json"
Status = Literal["ok", "failed", "skipped"]
_M = TypeVar("_M", bound=BaseModel)


class CaseRecord(BaseModel):
    """One line of results.jsonl: one case at one repeat."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    repeat: int
    status: Status
    reason: str | None = None
    output: PromptResult | None = None
    provenance: Provenance | None = None
    #: Where each quote of the output's evidence was found in the item (none without evidence).
    citations: tuple[Citation, ...] = ()
    metrics: dict[str, NanFloat] = Field(default_factory=dict)
    checks: dict[str, bool] = Field(default_factory=dict)
    cost_usd: float | None = None
    latency_s: float | None = None
    error_type: str | None = None
    message: str | None = None
    #: Requests sent to the backend for this record, retries included (Provenance.attempts).
    attempts: int | None = None
    #: Answers sent back to be fixed (0 when the first answer was valid).
    reasks: int | None = None

    @field_validator("metrics", "checks", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value

    @property
    def passed(self) -> bool:
        """Answered, and every check held."""
        return self.status == "ok" and all(self.checks.values())


class CaseInfo(BaseModel):
    """A golden case as the run saw it, kept so a run directory explains itself."""

    model_config = ConfigDict(frozen=True)

    id: str
    municipality: str | None = None
    committee: str | None = None
    meeting_date: str | None = None
    source_format: str
    item_number: str | None = None
    hard: str = ""
    expect_skip: str | None = None
    title: str | None = None
    source_excerpt: str = ""
    expected: PromptResult | None = None


class RunInfo(BaseModel):
    """run.json: enough to know what was run and to refuse resuming a different run."""

    model_config = ConfigDict(frozen=True)

    prompt_id: str
    prompt_version: str
    prompt_fingerprint: str
    backend: str
    backend_name: str
    model: str
    taxonomy_name: str
    taxonomy_version: str
    taxonomy_fingerprint: str
    golden_dir: str | None = None
    repeat: int
    concurrency: int
    cache: bool
    #: The judging backend (`eval --judge`), without credentials; None when not judged.
    judge: str | None = None
    started: datetime
    finished: datetime | None = None
    resumed: list[datetime] = Field(default_factory=list)
    casesummary_version: str


class RunData(BaseModel):
    """A run directory read back: for reports and `compare`."""

    model_config = ConfigDict(frozen=True)

    directory: Path
    run: RunInfo
    cases: dict[str, CaseInfo]
    records: list[CaseRecord]


def read_records(path: Path, *, repair: bool = False) -> list[CaseRecord]:
    """Every complete line of a results.jsonl; a torn last line is ignored (or cut, if repair)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise InvalidRunDirectory(f"cannot read ({exc.strerror})", path=path) from None
    end = data.rfind(b"\n") + 1
    if end < len(data) and repair:
        with path.open("r+b") as handle:
            handle.truncate(end)
    records = []
    for number, line in enumerate(data[:end].splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(CaseRecord.model_validate_json(line))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise InvalidRunDirectory(
                f"line {number} is not a result record ({first['msg']})", path=path
            ) from None
    return records


def load_run(directory: str | Path) -> RunData:
    """Read a run directory (run.json, cases.json, results.jsonl) for reporting or comparing."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InvalidRunDirectory("not a directory", path=directory)
    run = read_model(directory / RUN_FILE, RunInfo)
    cases_path = directory / CASES_FILE
    cases: dict[str, CaseInfo] = {}
    if cases_path.exists():
        try:
            raw = json.loads(cases_path.read_text(encoding="utf-8"))
            cases = {c["id"]: CaseInfo.model_validate(c) for c in raw}
        except (OSError, ValueError, TypeError, KeyError, ValidationError) as exc:
            reason = " ".join(str(exc).split())[:200]
            raise InvalidRunDirectory(f"unreadable case list: {reason}", path=cases_path) from None
    records = read_records(directory / RESULTS_FILE)
    return RunData(directory=directory, run=run, cases=cases, records=records)


def read_model(path: Path, model: type[_M]) -> _M:
    try:
        return model.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise InvalidRunDirectory("missing: not an eval run directory", path=path) from None
    except OSError as exc:
        raise InvalidRunDirectory(f"cannot read ({exc.strerror})", path=path) from None
    except ValidationError as exc:
        raise InvalidRunDirectory(first_error(exc), path=path) from None


def write_text(path: Path, text: str) -> None:
    """Write a whole file via a temporary sibling, so readers never see half of it.

    A directory that cannot be written (read-only, full) is an InvalidRunDirectory naming it.
    """
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):  # leave no half-written temporary file behind
            tmp.unlink(missing_ok=True)
        raise InvalidRunDirectory(
            f"cannot write {path.name} here ({exc.strerror or exc})", path=path.parent
        ) from None


class ResultsWriter:
    """Appends whole lines: one write() each, flushed to disk before the next case is counted."""

    def __init__(self, path: Path) -> None:
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise InvalidRunDirectory(
                f"cannot write {path.name} here ({exc.strerror or exc})", path=path.parent
            ) from None

    def write(self, record: CaseRecord) -> None:
        line = (masked(record).model_dump_json() + "\n").encode("utf-8")
        written = os.write(self._fd, line)
        while written < len(line):  # only on a full disk or a signal; finish the line
            written += os.write(self._fd, line[written:])
        os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)


def dump_list(models: Sequence[BaseModel]) -> str:
    """A JSON list of models, CPR numbers masked (how cases.json is written)."""
    items = [json.loads(masked(m).model_dump_json()) for m in models]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
