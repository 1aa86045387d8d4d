"""`batch submit`: write the request files, estimate the cost, upload, create the batches.

Submitting is resumable and never submits twice. state.json is saved before each provider
call (the step "started", with what the call needs) and after it (the step "done", with the
id it returned). A run killed between the two finds, on the next run, the file it may have
uploaded (by its unique file name) or the batch it may have created (by its input file id)
before doing it again; a run killed while the files are written writes them again.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casesummary.backends.context import message_tokens
from casesummary.backends.openai import chat_completion_body
from casesummary.batch.files import (
    MAX_BYTES,
    MAX_REQUESTS,
    AtomicWriter,
    custom_id,
    json_line,
    read_jsonl,
    request_line,
)
from casesummary.batch.provider import BatchClient, batch_backend
from casesummary.batch.state import (
    ITEMS_FILE,
    BatchState,
    Estimate,
    Part,
    Round,
    Step,
    load_state,
    now,
    save_state,
    state_path,
)
from casesummary.eval.pricing import load_prices
from casesummary.exceptions import (
    InvalidAgendaItem,
    InvalidBatchState,
    NothingToSummarize,
    UserError,
)
from casesummary.prompt import PromptTemplate, load_prompt
from casesummary.result import Usage
from casesummary.sources import load_items
from casesummary.summarizer import build_request, check_summarizable
from casesummary.taxonomy import load_taxonomy

if TYPE_CHECKING:
    from casesummary.backends.openai import OpenAIBackend
    from casesummary.item import AgendaItem
    from casesummary.prompt import PromptTemplate
    from casesummary.taxonomy import Taxonomy

#: Asked with the estimate before anything is uploaded; False stops (nothing is submitted).
Confirm = Callable[[BatchState], bool]

#: Requests whose tokens are counted exactly for the estimate: the first ones, then one in
#: SAMPLE_EVERY (the rest are estimated from their length; counting all would cost more than
#: building the file).
SAMPLE_FIRST = 32
SAMPLE_EVERY = 97


def submit(
    inputs: Sequence[str | Path],
    *,
    backend: str,
    state_dir: str | Path,
    prompt: str | PromptTemplate | None = None,
    taxonomy: str | Path | Taxonomy | None = None,
    confirm: Confirm | None = None,
    max_rounds: int = 2,
    max_requests: int = MAX_REQUESTS,
    max_bytes: int = MAX_BYTES,
) -> BatchState:
    """Prepare and submit batches for every item in `inputs` (files or directories).

    `backend` is `openai:MODEL` or `azure:DEPLOYMENT`. `confirm(state)` sees the estimate
    (`state.estimate`) and returns whether to submit; without it, submit goes ahead. A state
    directory that already holds this work is continued; one made with another prompt,
    taxonomy, backend or inputs is refused. `max_rounds` bounds the follow-up batches that
    `collect` sends for invalid answers and failed requests.
    """
    directory = Path(state_dir)
    model_backend = batch_backend(backend)
    template = prompt if isinstance(prompt, PromptTemplate) else load_prompt(prompt)
    tax = load_taxonomy(taxonomy)
    files = input_files(inputs)
    fresh = new_state(backend, model_backend, template, tax, files, max_rounds)
    if isinstance(taxonomy, str | Path):
        fresh.taxonomy_path = str(Path(taxonomy).resolve())
    if state_path(directory).exists():
        state = load_state(directory)
        check_same_work(directory, state, fresh)
    else:
        _create_directory(directory)
        state = fresh
    if state.phase == "preparing":
        save_state(directory, state)
        items = (item for path in files for item in _load(path))
        prepare(
            directory,
            state,
            items,
            backend=model_backend,
            prompt=template,
            taxonomy=tax,
            max_requests=max_requests,
            max_bytes=max_bytes,
        )
        state.phase = "prepared"
        save_state(directory, state)
    if state.phase == "prepared":
        if confirm is not None and not confirm(state):
            return state
        client = BatchClient(model_backend)
        for part in state.parts:
            ensure_submitted(client, directory, state, part, part.rounds[0])
        state.phase = "submitted"
        save_state(directory, state)
    return state


def new_state(
    spec: str,
    backend: OpenAIBackend,
    prompt: PromptTemplate,
    taxonomy: Taxonomy,
    files: Sequence[Path],
    max_rounds: int,
) -> BatchState:
    """A state for this work, before anything is written.

    The spec is kept as given: an `openai:`/`azure:` spec names a model and options, never a
    credential (those come from the environment).
    """
    if max_rounds < 0:
        raise UserError(f"max_rounds must be 0 or more, not {max_rounds}")
    kind = "azure" if backend.kind == "azure" else "openai"
    return BatchState(
        id=uuid.uuid4().hex,
        created=now(),
        backend=spec.strip(),
        kind=kind,
        model=backend.model,
        prompt_id=prompt.id,
        prompt_version=prompt.version,
        prompt_fingerprint=prompt.fingerprint(taxonomy),
        prompt_path=str(prompt.path.resolve()),
        taxonomy_name=taxonomy.name,
        taxonomy_version=str(taxonomy.version),
        taxonomy_fingerprint=taxonomy.fingerprint,
        inputs=[str(p) for p in files],
        max_rounds=max_rounds,
    )


def check_same_work(directory: Path, state: BatchState, wanted: BatchState) -> None:
    """Refuse a state directory made for other work (prompt, taxonomy, backend or inputs)."""
    for label, old, new in (  # the taxonomy first: the prompt's fingerprint includes it
        ("taxonomy", state.taxonomy_fingerprint, wanted.taxonomy_fingerprint),
        ("prompt", state.prompt_fingerprint, wanted.prompt_fingerprint),
        ("backend", (state.backend, state.model), (wanted.backend, wanted.model)),
        ("inputs", state.inputs, wanted.inputs),
    ):
        if old != new:
            shown = {
                "prompt": f"{state.prompt_id}@{state.prompt_version} ({old!s:.12})",
                "taxonomy": f"{state.taxonomy_name} ({old!s:.12})",
                "backend": state.backend,
                "inputs": f"{len(state.inputs)} other input file(s)",
            }[label]
            raise InvalidBatchState(
                f"was made with another {label} ({shown}); use another --state directory",
                path=directory,
            )


def input_files(inputs: Sequence[str | Path]) -> list[Path]:
    """The files to read: each file as given, each directory's files (recursively, sorted)."""
    if not inputs:
        raise UserError("no input files given")
    files: list[Path] = []
    for entry in inputs:
        path = Path(entry)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.parts)
            )
            if not found:
                raise InvalidAgendaItem("the directory holds no files", source=path)
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise InvalidAgendaItem("no such file or directory", source=path)
    return [p.resolve() for p in files]


def _load(path: Path) -> list[AgendaItem]:
    return load_items(path)


def _create_directory(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise InvalidBatchState("is not a directory", path=directory)
    if directory.is_dir() and any(directory.iterdir()):
        raise InvalidBatchState(
            "is not empty and holds no state.json; give a new or empty --state directory",
            path=directory,
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidBatchState(f"cannot create ({exc.strerror})", path=directory) from None


# -- writing the request files ------------------------------------------------------------------


@dataclass
class _Sample:
    """The exact token count of some requests, to estimate all of them from their length."""

    tokens: int = 0
    chars: int = 0
    total_chars: int = 0

    def add(self, position: int, texts: Sequence[str]) -> None:
        chars = sum(len(t) for t in texts)
        self.total_chars += chars
        if position < SAMPLE_FIRST or position % SAMPLE_EVERY == 0:
            self.tokens += message_tokens(texts)
            self.chars += chars

    def estimate(self) -> int:
        if not self.chars:
            return 0
        return math.ceil(self.total_chars * self.tokens / self.chars)


class _PartWriter:
    """Request lines into parts within the limits, and the item manifests beside them."""

    def __init__(self, directory: Path, max_requests: int, max_bytes: int) -> None:
        self.directory = directory
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self.parts: list[Part] = []
        self._input: AtomicWriter | None = None
        self._items: AtomicWriter | None = None
        self._ids: set[str] = set()
        self._count = 0

    def add(
        self, request_id: str, line: bytes, row: dict[str, object], item: AgendaItem
    ) -> tuple[int, bool]:
        """Write one request (unless its custom_id is already in the part); (part, new).

        The part's manifest keeps the whole item, so that collect checks each answer's quotes
        and facts against it as `summarize` does.
        """
        if request_id in self._ids and self._input is not None:
            return len(self.parts) - 1, False
        if len(line) > self.max_bytes:
            raise InvalidAgendaItem(
                f"the request for item {row.get('title')!r} alone is over the provider's "
                f"{self.max_bytes}-byte file limit",
                source=str(row.get("source")),
            )
        if (
            self._input is None
            or self._count >= self.max_requests
            or self._input.bytes + len(line) > self.max_bytes
        ):
            self._next_part()
        assert self._input is not None
        assert self._items is not None
        self._input.write(line)
        self._items.write(
            json_line({"custom_id": request_id, **row, "item": item.model_dump(mode="json")})
        )
        self._ids.add(request_id)
        self._count += 1
        return len(self.parts) - 1, True

    def _next_part(self) -> None:
        self._close_part()
        index = len(self.parts)
        folder = f"parts/{index:03d}"
        self._input = AtomicWriter(self.directory / folder / "round-0.input.jsonl")
        self._items = AtomicWriter(self.directory / folder / "items.jsonl")
        self._ids = set()
        self._count = 0
        first = Round(round=0, file=f"{folder}/round-0.input.jsonl", requests=0, bytes=0, sha256="")
        self.parts.append(Part(index=index, items=0, rounds=[first]))

    def _close_part(self) -> None:
        if self._input is None or self._items is None:
            return
        part = self.parts[-1]
        self._input.commit()
        self._items.commit()
        part.items = self._count
        first = part.rounds[0]
        first.requests = self._count
        first.bytes = self._input.bytes
        first.sha256 = self._input.sha256
        self._input = self._items = None

    def close(self) -> list[Part]:
        self._close_part()
        return self.parts

    def discard(self) -> None:
        for writer in (self._input, self._items):
            if writer is not None:
                writer.discard()


def prepare(
    directory: Path,
    state: BatchState,
    items: Iterable[AgendaItem],
    *,
    backend: OpenAIBackend,
    prompt: PromptTemplate,
    taxonomy: Taxonomy,
    max_requests: int = MAX_REQUESTS,
    max_bytes: int = MAX_BYTES,
) -> BatchState:
    """Write the request files and item manifests for `items`, streaming; fill in `state`.

    Memory does not grow with the number of items: lines go to disk as they are made, and
    only one part's custom_ids are held (a duplicate item within a part is asked once).
    """
    writer = _PartWriter(directory, max_requests, max_bytes)
    manifest = AtomicWriter(directory / ITEMS_FILE)
    sample = _Sample()
    count = skipped = requests = 0
    max_output = _max_tokens(prompt)
    try:
        for index, item in enumerate(items):
            count += 1
            row: dict[str, object] = {
                "index": index,
                "fingerprint": item.fingerprint,
                "title": item.title,
                "number": item.number,
            }
            try:
                check_summarizable(item)
            except NothingToSummarize as exc:
                skipped += 1
                manifest.write(json_line({**row, "part": None, "skip": exc.reason}))
                continue
            request = build_request(item, prompt=prompt, taxonomy=taxonomy)
            body = chat_completion_body(backend.model, "json_schema", request)
            request_id = custom_id(item.fingerprint, request.prompt_fingerprint, request.repeat)
            line = request_line(request_id, state.url, body)
            part, new = writer.add(request_id, line, row, item)
            if new:
                sample.add(requests, [m.content for m in request.messages])
                requests += 1
            manifest.write(json_line({**row, "part": part, "custom_id": request_id}))
        state.parts = writer.close()
        manifest.commit()
    except BaseException:
        writer.discard()
        manifest.discard()
        raise
    state.items, state.skipped = count, skipped
    state.estimate = _estimate(state, requests, sample.estimate(), requests * max_output)
    return state


def _max_tokens(prompt: PromptTemplate) -> int:
    for key in ("max_completion_tokens", "max_tokens"):
        value = prompt.parameters.get(key)
        if isinstance(value, int) and value > 0:
            return value
    return 0


def _estimate(state: BatchState, requests: int, input_tokens: int, output: int) -> Estimate:
    usage = Usage(input_tokens=input_tokens, output_tokens=output)
    cost = load_prices().batch_cost(state.model, usage)
    return Estimate(
        requests=requests, input_tokens=input_tokens, max_output_tokens=output, cost_usd=cost
    )


# -- provider steps (shared with collect) -------------------------------------------------------


def upload_name(state: BatchState, part: Part, rnd: Round) -> str:
    """The unique file name an input file is uploaded under (found again after a crash)."""
    return f"casesummary-{state.id[:16]}-p{part.index:03d}-r{rnd.round}.jsonl"


def ensure_submitted(
    client: BatchClient, directory: Path, state: BatchState, part: Part, rnd: Round
) -> None:
    """Upload `rnd`'s input file and create its batch, each at most once, saving each step."""
    if rnd.via != "batch":
        return
    name = upload_name(state, part, rnd)
    if rnd.upload.status != "done":
        file_id = client.find_upload(name) if rnd.upload.status == "started" else None
        if file_id is None:
            rnd.upload = Step(status="started", at=now())
            save_state(directory, state)
            file_id = client.upload(directory / rnd.file, name)
        rnd.upload = Step(status="done", id=file_id, at=now())
        save_state(directory, state)
    if rnd.batch.status != "done":
        assert rnd.upload.id is not None
        info = client.find_batch(rnd.upload.id) if rnd.batch.status == "started" else None
        if info is None:
            rnd.batch = Step(status="started", at=now())
            save_state(directory, state)
            metadata = {
                "casesummary_state": state.id[:16],
                "part": str(part.index),
                "round": str(rnd.round),
            }
            info = client.create(rnd.upload.id, state.url, metadata)
        rnd.batch = Step(status="done", id=info.id, at=now())
        rnd.status = info.status
        rnd.created_at = info.created_at
        save_state(directory, state)


def iter_items(directory: Path) -> Iterator[dict[str, object]]:
    """The item manifest's rows, in input order."""
    yield from read_jsonl(directory / ITEMS_FILE)
