"""Bulk summaries through the OpenAI Batch API and Azure OpenAI Global Batch (half price, 24 h).

    import casesummary.batch as batch

    state = batch.submit(["agendas/2025"], backend="openai:gpt-4o-mini", state_dir="runs/b1")
    print(state.estimate.input_tokens, state.estimate.cost_usd)
    done = batch.collect("runs/b1", wait=True, poll_interval=300)
    for result in batch.read_results("runs/b1"):   # CaseSummary or SummaryFailure, input order
        ...

`submit` writes the request files (split within the provider's limits), uploads them and
creates the batches, recording every step in the state directory so that a killed submit
never submits twice; `status` shows where each batch is; `collect` downloads, validates, sends
invalid answers and unfinished requests to bounded follow-up batches (or, with
`finish_direct`, through the normal API) and writes `results.jsonl`. The layout of a state
directory is described in `casesummary.batch.state`. (The modules are `submission` and
`collection`, so that the functions `submit` and `collect` never shadow a module.)
"""

from __future__ import annotations

from casesummary.batch.collection import CollectResult, collect, read_results, status
from casesummary.batch.files import MAX_BYTES, MAX_REQUESTS, custom_id
from casesummary.batch.state import BatchState, Estimate
from casesummary.batch.submission import submit

__all__ = [
    "MAX_BYTES",
    "MAX_REQUESTS",
    "BatchState",
    "CollectResult",
    "Estimate",
    "collect",
    "custom_id",
    "read_results",
    "status",
    "submit",
]
