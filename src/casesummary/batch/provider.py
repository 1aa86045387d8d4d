"""The provider's Files and Batches endpoints, through the OpenAI backend's own SDK client.

Every call goes through the backend's retry policy (429/5xx/timeouts back off, 4xx do not)
and the backend's error translation, so a failure is a typed `BackendError` that never
carries a key. Only OpenAI (`openai:`) and Azure OpenAI (`azure:`) have a Batch API.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from casesummary.backends.openai import OpenAIBackend
from casesummary.backends.registry import get_backend
from casesummary.batch.files import AtomicWriter
from casesummary.exceptions import BatchNotSupported

#: Batch specs: the backends with a Batch API.
BATCH_BACKENDS = ("openai", "azure")
#: How many of the newest batches or files are searched for one a killed run may have made.
SEARCH_LIMIT = 500


def batch_backend(spec: str) -> OpenAIBackend:
    """The OpenAI or Azure backend a spec names; BatchNotSupported for any other backend."""
    name = spec.strip().partition(":")[0].strip().lower()
    if name not in BATCH_BACKENDS:
        raise BatchNotSupported(
            f"backend {spec!r} has no batch API; use openai:MODEL or azure:DEPLOYMENT "
            "(a compatible server, baseline, replay and oracle answer one request at a time)"
        )
    backend = get_backend(spec)
    if not isinstance(backend, OpenAIBackend) or backend.kind not in BATCH_BACKENDS:
        raise BatchNotSupported(f"backend {spec!r} has no batch API")
    return backend


@dataclass(frozen=True)
class BatchInfo:
    """What the provider says about one batch."""

    id: str
    status: str
    input_file_id: str
    output_file_id: str | None
    error_file_id: str | None
    total: int
    completed: int
    failed: int
    errors: tuple[str, ...]
    created_at: int | None
    finished_at: int | None
    metadata: Mapping[str, str]


class BatchClient:
    """Upload, create, find, retrieve, cancel and download, for one OpenAI-family backend."""

    def __init__(self, backend: OpenAIBackend) -> None:
        self.backend = backend

    def _call(self, fn: Any) -> Any:
        def attempt() -> Any:
            try:
                return fn(self.backend.sdk_client())
            except Exception as exc:
                raise self.backend.translate_error(exc) from None

        return self.backend.retry_policy.call(attempt)

    def upload(self, path: Path, filename: str) -> str:
        """Upload a batch input file; its file id."""

        def go(client: Any) -> Any:
            with path.open("rb") as handle:
                return client.files.create(file=(filename, handle), purpose="batch")

        return str(self._call(go).id)

    def find_upload(self, filename: str) -> str | None:
        """The id of an uploaded batch file named `filename` (a killed run's upload), if any."""

        def go(client: Any) -> Any:
            found = None
            for seen, entry in enumerate(client.files.list(purpose="batch")):
                if entry.filename == filename:
                    found = entry.id
                    break
                if seen >= SEARCH_LIMIT:
                    break
            return found

        found = self._call(go)
        return str(found) if found else None

    def create(self, input_file_id: str, url: str, metadata: Mapping[str, str]) -> BatchInfo:
        """Create a batch over an uploaded file; what the provider says about it."""

        def go(client: Any) -> Any:
            return client.batches.create(
                input_file_id=input_file_id,
                endpoint=cast(Any, url),
                completion_window="24h",
                metadata=dict(metadata),
            )

        return _info(self._call(go))

    def find_batch(self, input_file_id: str) -> BatchInfo | None:
        """The batch made over `input_file_id` (by a run killed before saving its id), if any."""

        def go(client: Any) -> Any:
            for seen, entry in enumerate(client.batches.list(limit=100)):
                if entry.input_file_id == input_file_id:
                    return entry
                if seen >= SEARCH_LIMIT:
                    break
            return None

        found = self._call(go)
        return _info(found) if found is not None else None

    def retrieve(self, batch_id: str) -> BatchInfo:
        return _info(self._call(lambda client: client.batches.retrieve(batch_id)))

    def cancel(self, batch_id: str) -> BatchInfo:
        return _info(self._call(lambda client: client.batches.cancel(batch_id)))

    def download(self, file_id: str, dest: Path) -> None:
        """Stream a file's content to `dest`, atomically."""

        def go(client: Any) -> None:
            writer = AtomicWriter(dest)
            try:
                with client.files.with_streaming_response.content(file_id) as response:
                    for chunk in _chunks(response):
                        writer.write(chunk)
                writer.commit()
            except BaseException:
                writer.discard()
                raise

        self._call(go)


def _chunks(response: Any) -> Iterator[bytes]:
    yield from response.iter_bytes()


def _info(batch: Any) -> BatchInfo:
    counts = getattr(batch, "request_counts", None)
    errors = getattr(getattr(batch, "errors", None), "data", None) or []
    finished = None
    for name in ("completed_at", "expired_at", "cancelled_at", "failed_at"):
        finished = finished or getattr(batch, name, None)
    return BatchInfo(
        id=str(batch.id),
        status=str(batch.status),
        input_file_id=str(batch.input_file_id),
        output_file_id=getattr(batch, "output_file_id", None),
        error_file_id=getattr(batch, "error_file_id", None),
        total=getattr(counts, "total", 0) or 0,
        completed=getattr(counts, "completed", 0) or 0,
        failed=getattr(counts, "failed", 0) or 0,
        errors=tuple(
            f"line {e.line}: {e.message or e.code}" if e.line else str(e.message or e.code)
            for e in errors
        ),
        created_at=getattr(batch, "created_at", None),
        finished_at=finished,
        metadata=dict(getattr(batch, "metadata", None) or {}),
    )
