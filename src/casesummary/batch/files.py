"""The Batch API's JSONL files: request lines written in parts within the provider's limits,
and the output and error lines read back.

One request line is ``{"custom_id", "method": "POST", "url", "body"}``; the body is exactly
what the OpenAI backend sends for a chat completion (`backends.openai.chat_completion_body`).
A part holds at most `MAX_REQUESTS` lines and `MAX_BYTES` bytes (OpenAI's limits per file,
which are within Azure's); a custom_id is unique within its part. Files are written to a
temporary name and renamed when complete, so a file that exists is whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from casesummary.exceptions import InvalidBatchState

#: Requests per input file (OpenAI: 50,000; Azure: 100,000).
MAX_REQUESTS = 50_000
#: Bytes per input file (OpenAI and Azure: 200 MB).
MAX_BYTES = 200_000_000


def custom_id(item_fingerprint: str, prompt_fingerprint: str, repeat: int = 0) -> str:
    """The request's id: the item's and the prompt's fingerprints and the repeat."""
    return f"cs-{item_fingerprint[:32]}-{prompt_fingerprint[:16]}-{repeat}"


def request_line(request_id: str, url: str, body: dict[str, Any]) -> bytes:
    """One JSONL line of a batch input file."""
    line = {"custom_id": request_id, "method": "POST", "url": url, "body": body}
    return (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class AtomicWriter:
    """A file written under a temporary name and renamed into place by `commit`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self._tmp = Path(tmp)
        self._handle: IO[bytes] = os.fdopen(fd, "wb")
        self._digest = hashlib.sha256()
        self.bytes = 0

    def write(self, data: bytes) -> None:
        self._handle.write(data)
        self._digest.update(data)
        self.bytes += len(data)

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def commit(self) -> None:
        """Flush to disk and move the file into place."""
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        os.replace(self._tmp, self.path)

    def discard(self) -> None:
        if not self._handle.closed:
            self._handle.close()
        self._tmp.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that the file is either the old one or the whole new one."""
    writer = AtomicWriter(path)
    try:
        writer.write(data)
        writer.commit()
    except BaseException:
        writer.discard()
        raise


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSONL file, one per non-blank line; a broken line is a typed error."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InvalidBatchState(f"cannot read ({exc.strerror})", path=path) from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                value = json.loads(raw)
            except ValueError:
                raise InvalidBatchState(f"line {number} is not JSON", path=path) from None
            if not isinstance(value, dict):
                raise InvalidBatchState(f"line {number} is not a JSON object", path=path)
            yield value


def write_jsonl(path: Path, rows: Iterator[dict[str, Any]] | list[dict[str, Any]]) -> int:
    """Write rows as a JSONL file atomically; returns how many were written."""
    writer = AtomicWriter(path)
    count = 0
    try:
        for row in rows:
            writer.write(json_line(row))
            count += 1
        writer.commit()
    except BaseException:
        writer.discard()
        raise
    return count


def json_line(row: dict[str, Any]) -> bytes:
    return (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
