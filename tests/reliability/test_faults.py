"""200 items through a server that faults 30 % of requests at random: nothing lost, all typed.

Both entry points are driven against the loopback OpenAI-protocol server: `summarize_many`
in-process, and `casesummary eval` as a subprocess. For each, every item ends as exactly one
result (a CaseSummary or a typed failure), no item costs more requests than the retry bound, and
every 429's Retry-After is honoured, judged by the server's own arrival timestamps.
"""

from __future__ import annotations

import dataclasses
import gc
import inspect
import itertools
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, get_args

import pytest

import casesummary.exceptions as exceptions_module
from casesummary.backends.openai import MODES, OpenAIBackend
from casesummary.eval.golden import load_golden
from casesummary.exceptions import CaseSummaryError
from casesummary.item import AgendaItem
from casesummary.result import CaseSummary, SummaryFailure
from casesummary.summarizer import asummarize, summarize_many
from casesummary.testing.server import (
    FaultKind,
    OpenAIStubServer,
    RecordedRequest,
    Reply,
    StubFault,
)

from .conftest import COPY_MARK, build_golden_copies, run_cli

ITEMS = 200
FAULT_RATE = 0.3
SEED = 20261123
#: What the eval CLI test puts in its backend spec (`?max_retries=3`).
MAX_RETRIES = 3
#: Every misbehaviour the server knows, transport and content alike.
FAULT_KINDS: tuple[FaultKind, ...] = get_args(FaultKind)
#: The Retry-After every 429 carries: far above the backoff the in-process backend would use.
RETRY_AFTER_S = 0.4
#: Every typed error casesummary raises; a failure must be one of these, never a KeyError.
TYPED_ERRORS = frozenset(
    name
    for name, value in vars(exceptions_module).items()
    if isinstance(value, type) and issubclass(value, CaseSummaryError)
)
#: The error a request's fault must end in when it is the item's last request.
FINAL_ERROR = {
    "fault refusal": "RefusalError",
    "fault length": "TruncatedOutputError",
    "fault content_filter": "ContentFilterError",
}


class FaultyServer(OpenAIStubServer):
    """The stub's seeded random faults, with a longer Retry-After on every 429."""

    def __init__(self) -> None:
        super().__init__(fault_rate=FAULT_RATE, fault_kinds=FAULT_KINDS, seed=SEED)

    def _choose(self, body: dict[str, Any]) -> Reply:
        reply = super()._choose(body)
        if isinstance(reply, StubFault) and reply.kind == "rate_limit":
            return dataclasses.replace(reply, retry_after=RETRY_AFTER_S)
        return reply


def request_bound(max_reasks: int, max_retries: int) -> int:
    """Requests one item may cost: each of the max_reasks + 1 answers may walk every structured
    mode (falling back on a rejection), each mode trying max_retries + 1 times."""
    return (max_reasks + 1) * len(MODES) * (max_retries + 1)


def longest_resend(requests: list[RecordedRequest]) -> int:
    """The most times in a row one item sent the very same request (a retry resends it as is;
    a re-ask adds messages and a mode fallback changes the request)."""
    longest = run = 0
    previous = None
    for request in requests:
        body = json.dumps(request.body, sort_keys=True)
        run = run + 1 if body == previous else 1
        longest, previous = max(longest, run), body
    return longest


@pytest.fixture(scope="module")
def golden_200(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("golden200")
    build_golden_copies(root, ITEMS)
    return root


def copy_number(request: RecordedRequest) -> int:
    """The "(kopi N)" mark of the item a chat request is about (it is in the item's title)."""
    text = "\n".join(str(m.get("content")) for m in request.body["messages"])
    numbers = {int(n) for n in COPY_MARK.findall(text)}
    assert len(numbers) == 1, numbers
    return numbers.pop()


def requests_per_item(server: OpenAIStubServer) -> dict[int, list[RecordedRequest]]:
    grouped: dict[int, list[RecordedRequest]] = defaultdict(list)
    for request in server.chat_requests:
        grouped[copy_number(request)].append(request)
    for requests in grouped.values():
        requests.sort(key=lambda r: r.timestamp)
    return grouped


def check_server_log(
    server: OpenAIStubServer, *, max_reasks: int, max_retries: int
) -> dict[int, list[RecordedRequest]]:
    """Retry bound per item and in total, Retry-After by the server's clock, fault coverage."""
    grouped = requests_per_item(server)
    assert sorted(grouped) == list(range(1, ITEMS + 1)), "every item reached the server"
    bound = request_bound(max_reasks, max_retries)
    worst = max(len(r) for r in grouped.values())
    assert worst <= bound, f"an item cost {worst} requests, the bound is {bound}"
    assert server.request_count <= ITEMS * bound
    resent = max(longest_resend(r) for r in grouped.values())
    assert resent <= max_retries + 1, f"one request was sent {resent} times in a row"

    outcomes = Counter(r.outcome for r in server.chat_requests)
    for kind in FAULT_KINDS:
        assert outcomes[f"fault {kind}"] > 0, f"the run never exercised {kind}: {outcomes}"
    faulted = sum(n for outcome, n in outcomes.items() if outcome.startswith("fault"))
    assert 0.2 < faulted / server.request_count < 0.4, outcomes

    gaps = [
        later.timestamp - earlier.timestamp
        for requests in grouped.values()
        for earlier, later in itertools.pairwise(requests)
        if earlier.outcome == "fault rate_limit"
    ]
    assert len(gaps) >= 3, "too few retried 429s to judge Retry-After"
    assert min(gaps) >= RETRY_AFTER_S, f"a retry came {min(gaps):.3f} s after a 429"
    return grouped


def check_outcome_matches_log(error_type: str | None, requests: list[RecordedRequest]) -> None:
    """An answered item's last request was answered; a failed one failed for that fault."""
    last = requests[-1].outcome
    if error_type is None:
        assert last == "answer", last
    elif last in FINAL_ERROR:
        assert error_type == FINAL_ERROR[last], (error_type, last)


def test_summarize_many_under_random_faults(golden_200: Path) -> None:
    items: list[AgendaItem] = [case.load_item() for case in load_golden(golden_200)]
    max_reasks, max_retries = 2, 1  # few retries: many items exhaust them
    with FaultyServer() as server:
        backend = OpenAIBackend(
            "stub-model",
            kind="openai-compatible",
            base_url=server.base_url,
            api_key="sk-reliability-test",
            timeout=0.5,
            max_retries=max_retries,
            initial_wait=0.001,  # far below Retry-After, so only honouring it explains the gaps
            max_wait=2.0,
        )
        results = summarize_many(items, backend=backend, concurrency=16, max_reasks=max_reasks)
        grouped = check_server_log(server, max_reasks=max_reasks, max_retries=max_retries)

    assert len(results) == ITEMS
    kinds = Counter(type(r).__name__ for r in results)
    assert kinds["CaseSummary"] > 0, kinds
    assert kinds["SummaryFailure"] > 0, kinds
    assert kinds["CaseSummary"] + kinds["SummaryFailure"] == ITEMS
    errors = Counter(r.error_type for r in results if isinstance(r, SummaryFailure))
    assert errors["RetriesExhausted"] > 0, errors
    for item, result in zip(items, results, strict=True):
        number = int(item.number or 0)
        if isinstance(result, CaseSummary):
            assert result.provenance.item_fingerprint == item.fingerprint
            check_outcome_matches_log(None, grouped[number])
        else:
            assert isinstance(result, SummaryFailure)
            assert result.item_fingerprint == item.fingerprint
            assert result.error_type in TYPED_ERRORS, result
            assert result.message
            assert "\n" not in result.message
            check_outcome_matches_log(result.error_type, grouped[number])


def test_eval_cli_under_random_faults(golden_200: Path, tmp_path: Path) -> None:
    max_reasks = inspect.signature(asummarize).parameters["max_reasks"].default
    with FaultyServer() as server:
        spec = (
            f"openai-compatible:stub-model@{server.base_url}?timeout=0.5&max_retries={MAX_RETRIES}"
        )
        result = run_cli(
            "eval", "--backend", spec, "--golden", golden_200, "--out", tmp_path / "run",
            "--cache", tmp_path / "cache", "--concurrency", "32", "--quiet",
            cwd=tmp_path, env={"OPENAI_API_KEY": "sk-reliability-test"},
        )  # fmt: skip
        assert result.returncode == 1, result.stderr  # some cases failed: not a success
        assert "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1
        assert "records failed" in result.stderr
        grouped = check_server_log(server, max_reasks=max_reasks, max_retries=MAX_RETRIES)

    lines: list[dict[str, Any]] = [
        json.loads(line)
        for line in (tmp_path / "run" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    case_ids = [case.id for case in load_golden(golden_200)]
    assert sorted(line["case_id"] for line in lines) == sorted(case_ids), "none lost or repeated"
    statuses = Counter(line["status"] for line in lines)
    assert statuses["ok"] > 0, statuses
    assert statuses["failed"] > 0, statuses
    assert statuses["skipped"] == 0, statuses
    for line in lines:
        number = int(line["case_id"].split("-")[1])  # copy-NNN-<source case>
        assert line["repeat"] == 0
        if line["status"] == "ok":
            assert line["output"] is not None
            assert line["error_type"] is None
            check_outcome_matches_log(None, grouped[number])
        else:
            assert line["error_type"] in TYPED_ERRORS, line
            assert line["message"]
            check_outcome_matches_log(line["error_type"], grouped[number])
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["counts"]["records"] == ITEMS
    assert metrics["counts"]["ok"] == statuses["ok"]
    assert f"{statuses['ok']} ok, {statuses['failed']} failed" in result.stdout


def test_summarize_many_closes_the_connections_of_the_loop_it_made(
    golden_200: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """summarize_many runs its own event loop; sockets bound to it must not outlive it."""
    leaked: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: leaked.append(repr(u.exc_value)))
    items = [case.load_item() for case in load_golden(golden_200)[:3]]
    with OpenAIStubServer() as server:
        for spec in (
            f"openai-compatible:stub-model@{server.base_url}",
            f"record:{golden_200.parent / 'recordings'}=openai-compatible:m@{server.base_url}",
        ):
            results = summarize_many(items, backend=spec, concurrency=3)
            assert all(isinstance(r, CaseSummary) for r in results)
            gc.collect()
    assert not [w for w in leaked if "ResourceWarning" in w or "unclosed" in w], leaked


@pytest.mark.parametrize("given", ["spec", "instance", "cached instance"])
def test_run_eval_closes_the_connections_of_the_loop_it_made(
    golden_200: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    """run_eval, like summarize_many, runs its own loop: a backend's sockets must not outlive it."""
    from casesummary.backends.registry import get_backend
    from casesummary.eval.runner import run_eval

    leaked: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: leaked.append(repr(u.exc_value)))
    cases = load_golden(golden_200)[:3]
    with OpenAIStubServer() as server:
        spec = f"openai-compatible:stub-model@{server.base_url}"
        backend = spec if given == "spec" else get_backend(spec)
        for run in ("first", "second"):  # a second run reuses the instance on a new loop
            summary = run_eval(
                cases,
                backend=backend,
                prompt="summary",
                taxonomy=None,
                out_dir=tmp_path / run,
                cache_dir=tmp_path / "cache" if given == "cached instance" else None,
                progress=False,
            )
            assert summary.new_records == 3
            gc.collect()
    assert not [w for w in leaked if "ResourceWarning" in w or "unclosed" in w], leaked
