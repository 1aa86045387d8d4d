"""The Files and Batches endpoints of the loopback server, as the openai SDK 3.x calls them.

    with OpenAIStubServer(batches=True) as server:
        server.batch_api.script(BatchScript(final="expired", processed=0.5))
        ...

Endpoints (any prefix, so Azure's ``/openai/files?api-version=...`` works too):
``POST /files`` (multipart: file, purpose), ``GET /files``, ``GET /files/{id}``,
``GET /files/{id}/content``, ``DELETE /files/{id}``, ``POST /batches``, ``GET /batches``
(newest first, ``limit``/``after``), ``GET /batches/{id}``, ``POST /batches/{id}/cancel``.

A batch moves one status per retrieve: validating → in_progress → finalizing → its final
status (by default completed). Each request line is answered by the server's chat logic
(queue, handler, faults, default answer), so a test scripts batch answers the way it scripts
chat answers. Output and error files hold their lines in a seeded random order, as the real
ones may. An expired or cancelled batch has answered only the `processed` share of its lines;
the rest are in the error file as ``batch_expired``/``batch_cancelled``. An input file that
breaks the rules (not JSON, a missing or repeated custom_id, another method, url or model,
over `max_requests` lines or `max_bytes` bytes) makes the batch "failed" with its errors.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol
from urllib.parse import parse_qs, urlsplit


class ChatServer(Protocol):
    """What the Batch API needs of the server it extends: a chat request's answer."""

    def _answer_chat(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]: ...


FinalStatus = Literal["completed", "expired", "cancelled", "failed"]
STEPS = ("validating", "in_progress", "finalizing")


@dataclass(frozen=True)
class BatchScript:
    """How the next batch created goes: its final status and how much of it gets done."""

    final: FinalStatus = "completed"
    processed: float = 1.0  # share of lines answered before an expiry or cancellation
    steps: tuple[str, ...] = STEPS


@dataclass
class _File:
    id: str
    filename: str
    purpose: str
    data: bytes
    created_at: int

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.data),
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
        }


@dataclass
class _Batch:
    id: str
    input_file_id: str
    endpoint: str
    metadata: dict[str, str]
    script: BatchScript
    created_at: int
    status: str = "validating"
    step: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    counts: dict[str, int] = field(
        default_factory=lambda: {"total": 0, "completed": 0, "failed": 0}
    )
    errors: list[dict[str, Any]] = field(default_factory=list)
    finished: dict[str, int] = field(default_factory=dict)

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "batch",
            "endpoint": self.endpoint,
            "input_file_id": self.input_file_id,
            "completion_window": "24h",
            "status": self.status,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "created_at": self.created_at,
            "request_counts": dict(self.counts),
            "metadata": self.metadata,
            "errors": {"object": "list", "data": self.errors} if self.errors else None,
            **self.finished,
        }


class BatchAPI:
    """The server's Files and Batches state; `script` queues how the next batches go."""

    def __init__(
        self,
        server: ChatServer,
        *,
        max_requests: int = 50_000,
        max_bytes: int = 200_000_000,
        seed: int = 0,
    ) -> None:
        self.server = server
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self.files: dict[str, _File] = {}
        self.batches: dict[str, _Batch] = {}
        self._scripts: list[BatchScript] = []
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._counter = 0

    def script(self, *scripts: BatchScript) -> None:
        """The next batches created go these ways, in order (then: completed)."""
        with self._lock:
            self._scripts.extend(scripts)

    def handles(self, path: str) -> bool:
        parts = _parts(path)
        return bool(parts) and parts[0] in ("files", "batches")

    def file_lines(self, file_id: str) -> list[dict[str, Any]]:
        """A stored file's JSON lines (for tests that inspect what was uploaded)."""
        return [json.loads(x) for x in self.files[file_id].data.splitlines() if x.strip()]

    # -- dispatch ----------------------------------------------------------------------------

    def handle(
        self, method: str, path: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, Any]:
        """(status, JSON payload or bytes) for one request."""
        parts = _parts(path)
        query = parse_qs(urlsplit(path).query)
        with self._lock:
            if parts[0] == "files":
                return self._files(method, parts[1:], headers, raw, query)
            return self._batches(method, parts[1:], raw, query)

    def _new_id(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}-stub{self._counter:05d}"

    def _files(
        self,
        method: str,
        rest: list[str],
        headers: dict[str, str],
        raw: bytes,
        query: dict[str, list[str]],
    ) -> tuple[int, Any]:
        if method == "POST" and not rest:
            fields = _multipart(headers.get("content-type", ""), raw)
            if "file" not in fields or "purpose" not in fields:
                return 400, _error("'file' and 'purpose' are required")
            filename, data = fields["file"]
            purpose = fields["purpose"][1].decode()
            name = filename or "upload.jsonl"
            stored = _File(self._new_id("file"), name, purpose, data, int(time.time()))
            self.files[stored.id] = stored
            return 200, stored.view()
        if method == "GET" and not rest:
            wanted = query.get("purpose")
            listed = [
                f.view() for f in reversed(self.files.values()) if not wanted or f.purpose in wanted
            ]
            return 200, {"object": "list", "data": listed, "has_more": False}
        stored_file = self.files.get(rest[0]) if rest else None
        if stored_file is None:
            return 404, _error(f"No such File object: {rest[0] if rest else ''}")
        if method == "GET" and rest[1:] == ["content"]:
            return 200, stored_file.data
        if method == "GET" and len(rest) == 1:
            return 200, stored_file.view()
        if method == "DELETE" and len(rest) == 1:
            del self.files[stored_file.id]
            return 200, {"id": stored_file.id, "object": "file", "deleted": True}
        return 404, _error("no such route")

    def _batches(
        self, method: str, rest: list[str], raw: bytes, query: dict[str, list[str]]
    ) -> tuple[int, Any]:
        if method == "POST" and not rest:
            try:
                body = json.loads(raw)
            except ValueError:
                return 400, _error("the body is not JSON")
            input_id = body.get("input_file_id")
            if input_id not in self.files:
                return 400, _error(f"No such File object: {input_id}")
            if body.get("completion_window") != "24h":
                return 400, _error("completion_window must be '24h'")
            script = self._scripts.pop(0) if self._scripts else BatchScript()
            metadata = dict(body.get("metadata") or {})
            endpoint = str(body.get("endpoint"))
            made = int(time.time())
            batch = _Batch(self._new_id("batch"), input_id, endpoint, metadata, script, made)
            batch.status = script.steps[0] if script.steps else "validating"
            self.batches[batch.id] = batch
            return 200, batch.view()
        if method == "GET" and not rest:
            listed = list(reversed(self.batches.values()))
            after = query["after"][0] if query.get("after") else None
            if after is not None:
                ids = [b.id for b in listed]
                listed = listed[ids.index(after) + 1 :] if after in ids else []
            limit = int((query.get("limit") or ["20"])[0])
            page = listed[:limit]
            return 200, {
                "object": "list",
                "data": [b.view() for b in page],
                "first_id": page[0].id if page else None,
                "last_id": page[-1].id if page else None,
                "has_more": len(listed) > limit,
            }
        found = self.batches.get(rest[0]) if rest else None
        if found is None:
            return 404, _error(f"No such Batch object: {rest[0] if rest else ''}")
        batch = found
        if method == "GET" and len(rest) == 1:
            self._advance(batch)
            return 200, batch.view()
        if method == "POST" and rest[1:] == ["cancel"]:
            if batch.status not in ("completed", "expired", "cancelled", "failed"):
                batch.status = "cancelling"
                batch.finished["cancelling_at"] = int(time.time())
                batch.script = BatchScript("cancelled", batch.script.processed, batch.script.steps)
            return 200, batch.view()
        return 404, _error("no such route")

    # -- running a batch ---------------------------------------------------------------------

    def _advance(self, batch: _Batch) -> None:
        """One status further per retrieve; the answers are made on reaching the end."""
        if batch.status in ("completed", "expired", "cancelled", "failed"):
            return
        if batch.status == "cancelling":
            self._finish(batch, "cancelled")
            return
        lines, problems = self._read_input(batch)
        if problems:
            batch.errors = problems
            batch.status = "failed"
            batch.finished["failed_at"] = int(time.time())
            return
        batch.counts["total"] = len(lines)
        if batch.step + 1 < len(batch.script.steps):
            batch.step += 1
            batch.status = batch.script.steps[batch.step]
            return
        self._finish(batch, batch.script.final)

    def _read_input(self, batch: _Batch) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        data = self.files[batch.input_file_id].data
        problems: list[dict[str, Any]] = []
        lines: list[dict[str, Any]] = []
        if len(data) > self.max_bytes:
            problems.append(_problem("file_too_large", f"over {self.max_bytes} bytes", None))
        seen: set[str] = set()
        models: set[str] = set()
        for number, raw in enumerate(data.splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                line = json.loads(raw)
            except ValueError:
                problems.append(_problem("invalid_json_line", "not JSON", number))
                continue
            cid = line.get("custom_id")
            if not isinstance(cid, str) or cid in seen:
                problems.append(
                    _problem("duplicate_custom_id", "custom_id missing or repeated", number)
                )
            seen.add(str(cid))
            if line.get("method") != "POST" or line.get("url") != batch.endpoint:
                problems.append(
                    _problem("invalid_url", "method must be POST to the endpoint", number)
                )
            body = line.get("body")
            if not isinstance(body, dict) or not isinstance(body.get("model"), str):
                problems.append(_problem("missing_model", "body.model is required", number))
            else:
                models.add(body["model"])
            lines.append(line)
        if len(lines) > self.max_requests:
            problems.append(_problem("too_many_requests", f"over {self.max_requests}", None))
        if len(models) > 1:
            problems.append(_problem("model_mismatch", "every request must use one model", None))
        if not lines and not problems:
            problems.append(_problem("empty_file", "the file holds no requests", None))
        return lines, problems

    def _finish(self, batch: _Batch, final: str) -> None:
        lines, _ = self._read_input(batch)
        answered = len(lines) if final == "completed" else int(len(lines) * batch.script.processed)
        outputs: list[dict[str, Any]] = []
        failures: list[dict[str, Any]] = []
        for position, line in enumerate(lines):
            cid = line.get("custom_id")
            if position >= answered:
                code = "batch_expired" if final == "expired" else "batch_cancelled"
                failures.append(
                    {
                        "id": self._new_id("batch_req"),
                        "custom_id": cid,
                        "response": None,
                        "error": {"code": code, "message": _UNFINISHED[code]},
                    }
                )
                continue
            status, body = self.server._answer_chat(line.get("body") or {})
            entry = {
                "id": self._new_id("batch_req"),
                "custom_id": cid,
                "response": {
                    "status_code": status,
                    "request_id": self._new_id("req"),
                    "body": body,
                },
                "error": None,
            }
            (outputs if status == 200 else failures).append(entry)
        self._random.shuffle(outputs)
        self._random.shuffle(failures)
        now = int(time.time())
        if outputs:
            batch.output_file_id = self._store(batch, "output", outputs)
        if failures:
            batch.error_file_id = self._store(batch, "error", failures)
        batch.counts = {
            "total": len(lines),
            "completed": sum(1 for o in outputs),
            "failed": sum(1 for f in failures if f["response"] is not None),
        }
        batch.status = final
        batch.finished[f"{'completed' if final == 'completed' else final}_at"] = now

    def _store(self, batch: _Batch, kind: str, rows: list[dict[str, Any]]) -> str:
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
        stored = _File(
            self._new_id("file"), f"{batch.id}_{kind}.jsonl", "batch_output", data, int(time.time())
        )
        self.files[stored.id] = stored
        return stored.id


_UNFINISHED = {
    "batch_expired": "This request could not be executed before the completion window expired.",
    "batch_cancelled": "This request was not executed because the batch was cancelled.",
}


def _parts(path: str) -> list[str]:
    """The path after its API prefix (/v1, /openai), split: ["batches", "id", "cancel"]."""
    segments = [s for s in urlsplit(path).path.split("/") if s]
    for index, segment in enumerate(segments):
        if segment in ("files", "batches"):
            return segments[index:]
    return []


def _multipart(content_type: str, raw: bytes) -> dict[str, tuple[str | None, bytes]]:
    """The fields of a multipart/form-data body: name -> (filename, bytes)."""
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
    fields: dict[str, tuple[str | None, bytes]] = {}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            fields[name] = (part.get_filename(), payload)
    return fields


def _error(message: str) -> dict[str, Any]:
    return {
        "error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}
    }


def _problem(code: str, message: str, line: int | None) -> dict[str, Any]:
    return {"code": code, "message": message, "line": line, "param": None}
