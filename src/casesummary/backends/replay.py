"""Recordings: write a backend's answers to disk (`RecordingBackend`) and answer from them
(`ReplayBackend`), keyed by `request_key`.

A recording is one readable JSON file per request, ``<key>.json``, holding the key's parts, the
item title and the response. It holds no messages, headers, keys or environment, and Danish CPR
numbers are masked. With ``reuse=True`` a `RecordingBackend` answers from an existing recording
without calling its inner backend: the eval's content-addressed cache.

A cached answer must never outlive what it was made from. Model backends are keyed by what
they are sent; the oracle puts a digest of the golden answers in its `model`; a replay backend
answers from recordings, so a cache around one passes every request through to them.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casesummary.backends.base import Backend, BackendRequest, BackendResponse, BaseBackend
from casesummary.exceptions import InvalidRunDirectory, ReplayMissError, one_line
from casesummary.redact import mask_cpr
from casesummary.result import Usage

if TYPE_CHECKING:
    from casesummary.backends.spec import BackendSpec

#: Bumped if the recording layout ever changes incompatibly.
RECORDING_FORMAT = 1


def key_parts(backend_name: str, model: str, request: BackendRequest) -> dict[str, Any]:
    """What identifies an answer: backend, model, prompt, item, parameters and repeat.

    An item budget other than the prompt's own (`max_input_tokens`) is part of the key.

    A re-ask (messages appended after the rendered prompt) adds a digest of those messages, so
    the first answer and each re-ask have their own recording.
    """
    parts: dict[str, Any] = {
        "backend": backend_name,
        "model": model,
        "prompt_fingerprint": request.prompt_fingerprint,
        "item_fingerprint": request.item.fingerprint,
        "parameters": request.parameters,
        "repeat": request.repeat,
    }
    if request.max_input_tokens is not None:  # a re-rendered prompt is another request
        parts["max_input_tokens"] = request.max_input_tokens
    followup = _followup(request)
    if followup:
        text = json.dumps([[m.role, m.content] for m in followup], ensure_ascii=False)
        parts["followup"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return parts


def request_key(backend_name: str, model: str, request: BackendRequest) -> str:
    """sha256 of `key_parts`: the same request to the same model always has the same key."""
    canonical = json.dumps(
        key_parts(backend_name, model, request), sort_keys=True, ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _followup(request: BackendRequest) -> tuple[Any, ...]:
    """Messages after the first user message: the re-ask turns."""
    roles = [m.role for m in request.messages]
    if "user" not in roles:
        return ()
    return request.messages[roles.index("user") + 1 :]


def _recording_path(directory: Path, key: str) -> Path:
    return directory / f"{key}.json"


def _mask(response: BackendResponse) -> BackendResponse:
    return response.model_copy(update={"content": mask_cpr(response.content)})


def write_recording(
    directory: Path,
    backend_name: str,
    model: str,
    request: BackendRequest,
    response: BackendResponse,
) -> Path:
    """Write one recording atomically (temp file + os.replace); returns its path."""
    key = request_key(backend_name, model, request)
    record = {
        "format": RECORDING_FORMAT,
        "key": key,
        "key_parts": key_parts(backend_name, model, request),
        "item_title": mask_cpr(request.item.title),
        "prompt_id": request.prompt_id,
        "prompt_version": request.prompt_version,
        "response": {
            "content": mask_cpr(response.content),
            "model": response.model,
            "structured_mode": response.structured_mode,
            "usage": response.usage.model_dump(),
            "finish_reason": response.finish_reason,
            "extractive": response.extractive,
        },
    }
    directory.mkdir(parents=True, exist_ok=True)
    path = _recording_path(directory, key)
    fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle, ensure_ascii=False, indent=2, sort_keys=True)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_recording(path: Path) -> BackendResponse:
    """The response stored in a recording file."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        stored = record["response"]
        return BackendResponse(
            content=stored["content"],
            model=stored["model"],
            structured_mode=stored.get("structured_mode", "none"),
            usage=Usage.model_validate(stored.get("usage", {})),
            finish_reason=stored.get("finish_reason"),
            extractive=bool(stored.get("extractive", False)),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        reason = one_line(exc)
        raise InvalidRunDirectory(f"unreadable recording ({reason})", path=path) from None


class RecordingBackend(BaseBackend):
    """Wraps a backend and writes each answer to `directory`; reports the inner name and model.

    The response returned is the one recorded (CPR numbers masked), so a live run and a later
    replay give the same result. With `reuse=True` an existing recording answers instead of
    the inner backend.
    """

    def __init__(self, inner: Backend, directory: str | Path, *, reuse: bool = False) -> None:
        self.inner = inner
        self.directory = Path(directory)
        try:  # fail before any item runs, not as an untyped OSError on the first answer
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InvalidRunDirectory(
                f"cannot create the recordings directory ({exc.strerror})", path=self.directory
            ) from None
        try:  # an existing directory may still refuse new files (read-only, no permission)
            fd, probe = tempfile.mkstemp(prefix=".probe.", dir=self.directory)
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            raise InvalidRunDirectory(
                f"cannot write in the recordings directory ({exc.strerror})", path=self.directory
            ) from None
        self.reuse = reuse

    @property
    def name(self) -> str:  # type: ignore[override]  # the inner backend's, read when asked
        return self.inner.name

    @property
    def model(self) -> str:  # type: ignore[override]
        return self.inner.model

    @property
    def passes_through(self) -> bool:
        """True when the inner backend answers from recordings itself (replay): its answers
        are files on disk already, and a copy here would go stale when one is re-recorded."""
        return isinstance(self.inner, ReplayBackend)

    def _cached(self, request: BackendRequest) -> BackendResponse | None:
        if not self.reuse or self.passes_through:
            return None
        path = _recording_path(self.directory, request_key(self.name, self.model, request))
        return read_recording(path) if path.is_file() else None

    def _record(self, request: BackendRequest, response: BackendResponse) -> BackendResponse:
        if self.reuse and self.passes_through:
            return response  # a cache of replayed answers: nothing to keep
        write_recording(self.directory, self.name, self.model, request, response)
        return _mask(response)

    def complete(self, request: BackendRequest) -> BackendResponse:
        cached = self._cached(request)
        if cached is not None:
            return cached
        return self._record(request, self.inner.complete(request))

    async def acomplete(self, request: BackendRequest) -> BackendResponse:
        cached = self._cached(request)
        if cached is not None:
            return cached
        return self._record(request, await self.inner.acomplete(request))

    def close(self) -> None:
        """Close the wrapped backend's connections."""
        self.inner.close()

    async def aclose(self) -> None:
        """Close the wrapped backend's connections, async clients' included."""
        await self.inner.aclose()


class ReplayBackend(BaseBackend):
    """Answers only from recordings in `directory`; a missing one is a ReplayMissError.

    It reports the backend name and model the recordings were made with, so keys match. When
    the directory holds recordings of several backends or models, pass `backend` and `model`
    to choose, or leave them unset and every recorded pair is tried (the name is then "replay").
    """

    def __init__(
        self, directory: str | Path, *, backend: str | None = None, model: str | None = None
    ) -> None:
        self.directory = Path(directory)
        pairs = sorted(recorded_pairs(self.directory))
        if backend is not None:
            pairs = [p for p in pairs if p[0] == backend]
        if model is not None:
            pairs = [p for p in pairs if p[1] == model]
        if backend is not None and model is not None:
            pairs = [(backend, model)]
        self._pairs = pairs
        if len(pairs) == 1:
            self.name, self.model = pairs[0]
        else:
            self.name, self.model = "replay", ""

    def complete(self, request: BackendRequest) -> BackendResponse:
        keys = [request_key(name, model, request) for name, model in self._pairs]
        for key in keys:
            path = _recording_path(self.directory, key)
            if path.is_file():
                return read_recording(path)
        key = keys[0] if keys else request_key(self.name, self.model, request)
        raise ReplayMissError(
            f"no recording in {self.directory} for item {request.item.title!r} (key {key}); "
            f"record it first with --backend record:{self.directory}=<backend spec>",
            key=key,
        )

    async def acomplete(self, request: BackendRequest) -> BackendResponse:
        return self.complete(request)


def recorded_pairs(directory: Path) -> set[tuple[str, str]]:
    """The (backend, model) pairs the recordings in `directory` were made with."""
    pairs: set[tuple[str, str]] = set()
    for path in directory.glob("*.json"):
        try:
            parts = json.loads(path.read_text(encoding="utf-8"))["key_parts"]
            pairs.add((str(parts["backend"]), str(parts["model"])))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not a recording; a lookup that needs it reports the file
    return pairs


def replay_from_spec(spec: BackendSpec) -> ReplayBackend:
    """Registry factory for `replay:<dir>`."""
    return ReplayBackend(spec.target)
