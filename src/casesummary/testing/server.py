"""A real OpenAI-protocol HTTP server on 127.0.0.1 for tests: scripted answers and faults.

    with OpenAIStubServer(dialect="llamacpp") as server:
        server.queue(StubFault("rate_limit", retry_after=0.2), StubAnswer())
        backend = OpenAIBackend("stub", kind="openai-compatible", base_url=server.base_url)
        ...
        assert server.request_count == 3

It speaks `POST /v1/chat/completions` (any path ending in `/chat/completions`, so Azure's
`/openai/deployments/<name>/chat/completions` works too) and `GET /v1/models`. Each chat request
is answered by, in order: the dialect's own rejection, the dialect's context-window check (when
`context_window` is set), a seeded random fault (`fault_rate`), the queue, the `handler`, and
finally a valid default answer (`DEFAULT_ANSWER`), sent as a tool call when the request forces
one and the dialect honours that. The request log never stores credentials: `had_auth` says
whether one was sent. `batches=True` adds the Files and Batches endpoints
(`casesummary.testing.batches`).

Dialects, as read from each server's source (see `DIALECTS`):

- ``openai``: json_schema, json_object, forced tools; errors `{"error": {message, type, param,
  code}}`; too long an input is 400 `context_length_exceeded`.
- ``llamacpp`` (llama-cpp-python 0.3): its request model knows only response_format "text" and
  "json_object" (with a `schema`, enforced by a grammar); anything else fails validation inside
  its error handler and comes back as HTTP 500 `internal_server_error`. A prompt of `n_ctx`
  tokens or more is 400 with OpenAI's wording and code `context_length_exceeded`.
- ``llama-server`` (llama.cpp): json_schema and json_object+schema; another response_format
  type is 400; a named tool_choice is not forced (read as "auto"); a prompt that fills the
  window is 400 `exceed_context_size_error` with `n_prompt_tokens` and `n_ctx`.
- ``vllm`` (0.12+): json_schema enforced; json_object gives any JSON (a `schema` beside it is
  ignored); `structured_outputs` is honoured; the removed `guided_*` fields are ignored;
  errors `{"error": {message, type: "BadRequestError", param, code: 400}}`; overflow wording
  "your request has P input tokens" / "'max_tokens' ... is too large".
- ``ollama``: json_schema's schema becomes its `format`; json_object becomes "json" (schema
  ignored); tool_choice is ignored (tools are offered, nothing is forced); too long a prompt is
  cut silently to the window, and usage.prompt_tokens says so.

`RecordedRequest.ignored` lists the request fields the dialect's server would ignore.

When the request's schema asks for evidence (prompts/summary/v2.md), the default answer is
`EVIDENCE_ANSWER` with quotes taken from the item text fenced in the request (`sample_quotes`),
so they are found in the item. To script a re-ask about evidence, queue an answer with a
fabricated quote (`evidence_answer(body, fabricate=1)`, or any JSON) before the default:

    server.queue(StubAnswer(content=json.dumps(answer_with_a_made_up_quote)))
    result = summarize(item, backend=...)        # re-asked once: two attempts
"""

from __future__ import annotations

import contextlib
import json
import random
import re
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, Literal, TypeAlias

from casesummary.testing._loopback import LoopbackHTTPServer, LoopbackServer, QuietHandler
from casesummary.testing.batches import BatchAPI
from casesummary.tokens import count_tokens

Dialect = Literal["openai", "llamacpp", "llama-server", "vllm", "ollama"]
DIALECTS: tuple[Dialect, ...] = ("openai", "llamacpp", "llama-server", "vllm", "ollama")
FaultKind = Literal[
    "rate_limit",  # 429 with Retry-After
    "server_error",  # 500
    "bad_gateway",  # 502
    "unavailable",  # 503
    "hang",  # no answer until `hang_s` passes (longer than any sane client timeout)
    "reset",  # headers and half the body, then a TCP reset
    "truncated",  # Content-Length larger than the body, then the connection closes
    "not_json",  # 200, content that is not JSON
    "schema_break",  # 200, JSON that breaks the Prompt resultater schema
    "refusal",  # 200, message.refusal set
    "length",  # 200, finish_reason "length" with cut-off content
    "content_filter",  # 200, finish_reason "content_filter"
    "no_choices",  # 200 with usage but an empty choices list (some proxies do this)
]

#: Faults the random mode picks from by default: the transient ones a client should retry.
TRANSIENT_FAULTS: tuple[FaultKind, ...] = (
    "rate_limit",
    "server_error",
    "bad_gateway",
    "unavailable",
    "reset",
    "truncated",
)

#: A valid Prompt resultater answer (three pros, three cons, one keyword).
DEFAULT_ANSWER: dict[str, Any] = {
    "question": "Skal udvalget godkende den nye plan for cykelstier i kommunen?",
    "summary": (
        "Forvaltningen foreslår en plan for nye cykelstier frem mod 2030. "
        "Planen koster 12 mio. kr. og finansieres over anlægsbudgettet."
    ),
    "pros": [
        "Flere borgere kan cykle sikkert til skole og arbejde",
        "Planen samler projekterne i en klar rækkefølge",
        "Udgiften er afsat i det vedtagne anlægsbudget",
    ],
    "cons": [
        "Anlægsarbejdet giver gener for trafikken i en periode",
        "Pengene kan ikke bruges til andre anlægsprojekter",
        "Nogle strækninger afventer aftaler med grundejere",
    ],
    "keywords": ["Økonomi"],
}


#: The default answer when the request asks for evidence: `DEFAULT_ANSWER` without its numbers
#: (they would not be found in another item), to which `evidence_answer` adds quotes.
EVIDENCE_ANSWER: dict[str, Any] = {
    **DEFAULT_ANSWER,
    "summary": (
        "Forvaltningen foreslår en plan for nye cykelstier i kommunen. "
        "Planen finansieres over anlægsbudgettet."
    ),
}
#: A quote no agenda item holds: what a model that invents its evidence might send.
FABRICATED_QUOTE = "Byrådet har enstemmigt vedtaget at bygge en svævebane over havnen i 2031"

_FENCED = re.compile(
    r"<<<DAGSORDEN-(?P<nonce>[0-9a-f]+)>>>\n(?P<text>.*?)\n<<<SLUT-(?P=nonce)>>>", re.S
)
_LIST_MARKER = re.compile(r"^(?:[-•*–·▪]|\d{1,2}[.)]|[a-zæøå][.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])")
_QUOTE_WORDS = (5, 25)
# How backends/openai.py introduces the schema in the prompted modes.
_SCHEMA_INSTRUCTION = "It must match this JSON Schema:\n"


def sample_quotes(item_text: str, count: int = 7) -> list[str]:
    """`count` passages to quote from an item's prompt text (casesummary's "# title",
    "## heading" layout): sentences of its sections, 5 to 25 words, in order, repeated when
    there are too few; the title when there are none."""
    lines = item_text.splitlines()
    title = next((line[2:].strip() for line in lines if line.startswith("# ")), "")
    passages: list[str] = []
    in_section = False
    for line in lines:
        if line.startswith("## "):
            in_section = True
            continue
        if not in_section or not line.strip():
            continue
        body = _LIST_MARKER.sub("", " ".join(line.split())).split("[…]")[0]
        for sentence in _SENTENCE_END.split(body):
            words = sentence.split()
            if len(words) >= _QUOTE_WORDS[0]:
                passages.append(" ".join(words[: _QUOTE_WORDS[1]]))
    if not passages:
        passages = [title or item_text.strip()]
    return [passages[i % len(passages)] for i in range(count)]


def asks_for_evidence(body: dict[str, Any]) -> bool:
    """Whether a chat request's answer schema (in any structured-output mode) requires
    `evidence`: the schema in response_format or in a tool, or described in the system message."""
    response_format = body.get("response_format")
    schemas: list[Any] = []
    if isinstance(response_format, dict):
        spec = response_format.get("json_schema")
        schemas += [spec.get("schema") if isinstance(spec, dict) else None]
        schemas += [response_format.get("schema")]
    for tool in body.get("tools") or []:
        if isinstance(tool, dict):
            schemas.append((tool.get("function") or {}).get("parameters"))
    system = next(
        (m.get("content") for m in body.get("messages") or [] if isinstance(m, dict)), None
    )
    if isinstance(system, str) and _SCHEMA_INSTRUCTION in system:
        described = system[system.index(_SCHEMA_INSTRUCTION) + len(_SCHEMA_INSTRUCTION) :]
        with contextlib.suppress(ValueError):
            schemas.append(json.loads(described))
    return any(
        isinstance(schema, dict) and "evidence" in (schema.get("required") or [])
        for schema in schemas
    )


def evidence_answer(body: dict[str, Any], *, fabricate: int | None = None) -> dict[str, Any]:
    """`EVIDENCE_ANSWER` with quotes from the item fenced in the request's user message; with
    `fabricate=N`, the quote for pro N (1-3) is `FABRICATED_QUOTE` instead."""
    quotes = sample_quotes(_item_text(body), 7)
    answer = {
        **EVIDENCE_ANSWER,
        "evidence": {"summary": quotes[0], "pros": quotes[1:4], "cons": quotes[4:7]},
    }
    if fabricate is not None:
        answer["evidence"]["pros"][fabricate - 1] = FABRICATED_QUOTE
    return answer


def _item_text(body: dict[str, Any]) -> str:
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            fenced = _FENCED.search(content)
            if fenced:
                return fenced.group("text")
    return ""


@dataclass(frozen=True)
class StubAnswer:
    """A 200 chat completion. `content=None` means the default answer (as a tool call if forced).

    `usage` is (prompt_tokens, completion_tokens); None estimates them from the text lengths.
    `empty=True` sends an empty `choices` list (with usage), as some proxies do.
    """

    content: str | None = None
    tool_arguments: str | None = None
    refusal: str | None = None
    finish_reason: str | None = None
    usage: tuple[int, int] | None = None
    empty: bool = False


@dataclass(frozen=True)
class StubError:
    """An HTTP error answer in the dialect's error shape, with optional extra headers.

    `type`, `code` and `param` override the dialect's defaults; `fields` are added to the
    error object as they are (llama-server's `n_prompt_tokens`, `n_ctx`).
    """

    status: int
    message: str = "stub error"
    headers: Mapping[str, str] = field(default_factory=dict)
    type: str | None = None
    code: str | int | None = None
    param: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StubFault:
    """A misbehaviour: see `FaultKind`. `retry_after` (seconds) goes with "rate_limit"."""

    kind: FaultKind
    retry_after: float | None = 0.05
    hang_s: float = 30.0


Reply: TypeAlias = StubAnswer | StubError | StubFault
Handler: TypeAlias = Callable[[dict[str, Any]], Reply | None]


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it. Credentials are never stored, only `had_auth`."""

    timestamp: float  # time.monotonic() when the request had been read
    method: str
    path: str
    body: Any
    headers: dict[str, str]
    had_auth: bool
    outcome: str  # "answer", "error 429", "fault reset", ...
    ignored: tuple[str, ...] = ()  # request fields this dialect's server would ignore


_SECRET_HEADERS = frozenset({"authorization", "api-key", "x-api-key", "proxy-authorization"})


class OpenAIStubServer(LoopbackServer):
    """A threaded HTTP server on 127.0.0.1 (an ephemeral port unless `port` is given).

    Use it as a context manager, or `start()` and `close()`.
    """

    def __init__(
        self,
        *,
        dialect: Dialect = "openai",
        replies: Iterable[Reply] = (),
        handler: Handler | None = None,
        latency_s: float = 0.0,
        fault_rate: float = 0.0,
        fault_kinds: Iterable[FaultKind] = TRANSIENT_FAULTS,
        seed: int = 0,
        model_ids: Iterable[str] = ("stub-model",),
        port: int = 0,
        context_window: int | None = None,
        token_ratio: float = 1.0,
        batches: bool = False,
    ) -> None:
        if dialect not in DIALECTS:
            raise ValueError(f"unknown dialect {dialect!r} (known: {', '.join(DIALECTS)})")
        if not 0.0 <= fault_rate <= 1.0:
            raise ValueError("fault_rate must be between 0 and 1")
        if context_window is not None and context_window < 1:
            raise ValueError("context_window must be at least 1 token")
        if token_ratio <= 0:
            raise ValueError("token_ratio must be more than 0")
        super().__init__(port)
        self.dialect: Dialect = dialect
        #: The simulated model's window; None accepts any length.
        self.context_window = context_window
        #: This "model's" tokens per o200k token, for the window check and usage.
        self.token_ratio = token_ratio
        self.batch_api: BatchAPI | None = None
        if batches:
            self.batch_api = BatchAPI(self)
        self.handler = handler
        self.latency_s = latency_s
        self.fault_rate = fault_rate
        self.fault_kinds: tuple[FaultKind, ...] = tuple(fault_kinds)
        self.model_ids = tuple(model_ids)
        self._random = random.Random(seed)
        self._queue: deque[Reply] = deque(replies)
        self._log: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._in_flight = 0
        self._peak = 0
        self._busy_area = 0.0
        self._last_change = 0.0
        self._first_start: float | None = None
        self._last_end: float | None = None
        self._counter = 0

    def request_handler(self) -> type[BaseHTTPRequestHandler]:
        return _Handler

    @property
    def base_url(self) -> str:
        """The OpenAI base URL, e.g. http://127.0.0.1:PORT/v1."""
        return f"{self.root_url}/v1"

    # -- scripting and inspection ------------------------------------------------------------

    def queue(self, *replies: Reply) -> None:
        """Answer the next chat requests with these replies, in order."""
        with self._lock:
            self._queue.extend(replies)

    @property
    def pending(self) -> int:
        """Queued replies not yet used."""
        with self._lock:
            return len(self._queue)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first."""
        with self._lock:
            return list(self._log)

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self._log)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.split("?")[0].endswith("/chat/completions")]

    @property
    def peak_in_flight(self) -> int:
        """The most requests being handled at the same moment."""
        with self._lock:
            return self._peak

    @property
    def mean_in_flight(self) -> float:
        """Requests in flight averaged over time, from the first arrival to the last answer."""
        with self._lock:
            if self._first_start is None or self._last_end is None:
                return 0.0
            span = self._last_end - self._first_start
            return self._busy_area / span if span > 0 else float(self._peak)

    # -- internals used by the handler -------------------------------------------------------

    def _enter(self) -> None:
        with self._lock:
            now = time.monotonic()
            if self._first_start is None:
                self._first_start = now
                self._last_change = now
            self._busy_area += self._in_flight * (now - self._last_change)
            self._last_change = now
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)

    def _exit(self) -> None:
        with self._lock:
            now = time.monotonic()
            self._busy_area += self._in_flight * (now - self._last_change)
            self._last_change = now
            self._in_flight -= 1
            self._last_end = now

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._log.append(request)

    def _wait(self, seconds: float) -> None:
        """Sleep, but wake at once when the server closes."""
        if seconds > 0:
            self._stopping.wait(seconds)

    def _choose(self, body: dict[str, Any]) -> Reply:
        rejection = self._reject(body) or self._overflow(body)
        if rejection is not None:
            return rejection
        with self._lock:
            self._counter += 1
            if self.fault_rate and self._random.random() < self.fault_rate:
                return StubFault(self._random.choice(self.fault_kinds))
            if self._queue:
                return self._queue.popleft()
        if self.handler is not None:
            reply = self.handler(body)
            if reply is not None:
                return reply
        return StubAnswer()

    def _reject(self, body: dict[str, Any]) -> StubError | None:
        """What this dialect's real server says to a request it cannot serve, else None."""
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages or not isinstance(body.get("model"), str):
            return StubError(400, "'messages' (non-empty list) and 'model' are required")
        response_format = body.get("response_format")
        kind = response_format.get("type") if isinstance(response_format, dict) else None
        if self.dialect == "llamacpp" and kind not in (None, "text", "json_object"):
            # llama-cpp-python 0.3.x: its request model only knows "text" and "json_object";
            # the validation error is caught by its route handler and sent as a 500.
            return StubError(
                500,
                "[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
                "'msg': \"Input should be 'text' or 'json_object'\", "
                f"'input': {kind!r}, 'ctx': {{'expected': \"'text' or 'json_object'\"}}}}]",
                type="internal_server_error",
            )
        known = (None, "text", "json_object", "json_schema")
        if self.dialect == "llama-server" and kind not in known:
            return StubError(
                400,
                f'response_format type must be one of "text" or "json_object", but got: {kind}',
            )
        if kind == "json_schema":
            spec = response_format.get("json_schema") if isinstance(response_format, dict) else None
            if not isinstance(spec, dict) or "schema" not in spec:
                return StubError(400, "response_format.json_schema needs 'name' and 'schema'")
            if "name" not in spec and self.dialect in ("openai", "vllm"):
                return StubError(400, "response_format.json_schema needs 'name' and 'schema'")
        tool_choice = body.get("tool_choice")
        if isinstance(tool_choice, dict):
            names = {t.get("function", {}).get("name") for t in body.get("tools") or []}
            if tool_choice.get("function", {}).get("name") not in names:
                return StubError(400, "tool_choice names no tool in 'tools'")
        return None

    def _answer_chat(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """(status, body) the server would answer a chat request with: for batch lines.

        A transport fault (hang, reset, truncated) has no place in a batch file; it is
        answered as the provider would record it, a 500.
        """
        if not isinstance(body.get("messages"), list):
            return 400, error_body(self.dialect, StubError(400, "'messages' is required"))
        reply = self._choose(body)
        if isinstance(reply, StubFault):
            plain = _fault_answer(reply)
            reply = plain if plain is not None else StubError(500, "The server had an error")
        if isinstance(reply, StubError):
            return reply.status, error_body(self.dialect, reply)
        return 200, self._completion(body, reply)

    def _overflow(self, body: dict[str, Any]) -> StubError | None:
        """The dialect's answer to an input too long for `context_window` (None if it fits)."""
        window = self.context_window
        if window is None or self.dialect == "ollama":  # Ollama cuts the prompt instead
            return None
        prompt = self.prompt_tokens(body)
        completion = _completion_budget(body)
        if self.dialect == "openai":
            if prompt + (completion or 0) <= window:
                return None
            if completion is None:
                text = (
                    f"This model's maximum context length is {window} tokens. However, your "
                    f"messages resulted in {prompt} tokens. Please reduce the length of the "
                    "messages."
                )
            else:
                text = (
                    f"This model's maximum context length is {window} tokens. However, you "
                    f"requested {prompt + completion} tokens ({prompt} in the messages, "
                    f"{completion} in the completion). Please reduce the length of the "
                    "messages or completion."
                )
            return StubError(400, text, code="context_length_exceeded", param="messages")
        if self.dialect == "llamacpp":  # llama-cpp-python checks the prompt alone
            if prompt < window:
                return None
            text = (
                f"This model's maximum context length is {window} tokens. However, you "
                f"requested {prompt + (completion or 0)} tokens ({prompt} in the messages, "
                f"{completion} in the completion). Please reduce the length of the messages "
                "or completion."
            )
            return StubError(400, text, code="context_length_exceeded", param="messages")
        if self.dialect == "llama-server":  # llama.cpp checks the prompt alone
            if prompt < window:
                return None
            text = (
                f"request ({prompt} tokens) exceeds the available context size ({window} "
                "tokens), try increasing it"
            )
            return StubError(
                400,
                text,
                type="exceed_context_size_error",
                fields={"n_prompt_tokens": prompt, "n_ctx": window},
            )
        # vllm (0.10.2 to 0.17 wording)
        if prompt >= window:
            text = (
                f"This model's maximum context length is {window} tokens. However, your request "
                f"has {prompt} input tokens. Please reduce the length of the input messages."
            )
            return StubError(400, text)
        if completion is not None and prompt + completion > window:
            text = (
                f"'max_tokens' or 'max_completion_tokens' is too large: {completion}. This "
                f"model's maximum context length is {window} tokens and your request has "
                f"{prompt} input tokens ({completion} > {window} - {prompt})."
            )
            return StubError(400, text)
        return None

    def prompt_tokens(self, body: Mapping[str, Any]) -> int:
        """This simulated model's count of a request's input: o200k tokens times `token_ratio`,
        plus 4 per message and the tool definitions."""
        messages = body.get("messages") or []
        texts = [str(m.get("content") or "") for m in messages if isinstance(m, dict)]
        if body.get("tools"):
            texts.append(json.dumps(body["tools"], ensure_ascii=False))
        counted = sum(count_tokens(t) for t in texts)
        return int(counted * self.token_ratio) + 4 * len(messages)

    def ignored_fields(self, body: Mapping[str, Any]) -> tuple[str, ...]:
        """The request fields this dialect's real server would accept and not act on."""
        ignored: list[str] = []
        response_format = body.get("response_format")
        kind = response_format.get("type") if isinstance(response_format, dict) else None
        if self.dialect == "vllm":
            ignored += sorted(k for k in body if k.startswith("guided_"))
            if kind == "json_object" and "schema" in (response_format or {}):
                ignored.append("response_format.schema")
        if self.dialect == "ollama":
            if kind == "json_object" and "schema" in (response_format or {}):
                ignored.append("response_format.schema")
            if "tool_choice" in body:
                ignored.append("tool_choice")
        if self.dialect == "llama-server" and isinstance(body.get("tool_choice"), dict):
            ignored.append("tool_choice")
        return tuple(ignored)

    def _completion(self, body: dict[str, Any], answer: StubAnswer) -> dict[str, Any]:
        forced = _forced_tool(body) if self.dialect in ("openai", "llamacpp", "vllm") else None
        default = evidence_answer(body) if asks_for_evidence(body) else DEFAULT_ANSWER
        default_json = json.dumps(default, ensure_ascii=False)
        content = answer.content
        arguments = answer.tool_arguments
        if content is None and arguments is None and answer.refusal is None:
            if forced is not None:
                arguments = default_json
            else:
                content = default_json
        message: dict[str, Any] = {
            "role": "assistant",
            "content": content,
            "refusal": answer.refusal,
        }
        if arguments is not None:
            message["tool_calls"] = [
                {
                    "id": f"call_{self._counter}",
                    "type": "function",
                    "function": {"name": forced or "answer", "arguments": arguments},
                }
            ]
        finish = answer.finish_reason or ("tool_calls" if arguments is not None else "stop")
        if answer.usage is not None:
            prompt_tokens, completion_tokens = answer.usage
        elif self.context_window is not None:
            prompt_tokens = self.prompt_tokens(body)
            if self.dialect == "ollama":  # it kept only what fits, and counts that
                prompt_tokens = min(prompt_tokens, self.context_window)
            completion_tokens = max(1, len(content or arguments or answer.refusal or "") // 4)
        else:
            prompt_text = "".join(str(m.get("content", "")) for m in body.get("messages", []))
            prompt_tokens = max(1, len(prompt_text) // 4)
            completion_tokens = max(1, len(content or arguments or answer.refusal or "") // 4)
        return {
            "id": f"chatcmpl-stub-{self._counter}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "stub-model"),
            "choices": []
            if answer.empty
            else [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }


def error_body(dialect: Dialect, error: StubError) -> dict[str, Any]:
    """An error response body as the dialect's server shapes it."""
    if dialect == "vllm":  # HTTPStatus phrase + "Error", the status again as the code
        default_type = {400: "BadRequestError", 404: "NotFoundError"}.get(
            error.status, "InternalServerError" if error.status >= 500 else "BadRequestError"
        )
        inner: dict[str, Any] = {
            "message": error.message,
            "type": error.type or default_type,
            "param": error.param,
            "code": error.code if error.code is not None else error.status,
        }
    elif dialect == "llama-server":
        default_type = {401: "authentication_error", 404: "not_found_error"}.get(
            error.status, "server_error" if error.status >= 500 else "invalid_request_error"
        )
        inner = {
            "code": error.code if error.code is not None else error.status,
            "message": error.message,
            "type": error.type or default_type,
        }
    else:  # OpenAI's shape; llama-cpp-python and Ollama use it too
        if dialect == "ollama":
            default_type = {400: "invalid_request_error", 404: "not_found_error"}.get(
                error.status, "api_error"
            )
        else:
            default_type = "rate_limit_error" if error.status == 429 else "invalid_request_error"
            if error.status >= 500:
                default_type = "server_error"
        inner = {
            "message": error.message,
            "type": error.type or default_type,
            "param": error.param,
            "code": error.code,
        }
    inner.update(error.fields)
    return {"error": inner}


def _completion_budget(body: Mapping[str, Any]) -> int | None:
    for key in ("max_completion_tokens", "max_tokens"):
        value = body.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _forced_tool(body: dict[str, Any]) -> str | None:
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        name = choice.get("function", {}).get("name")
        return name if isinstance(name, str) else None
    if choice == "required" and body.get("tools"):
        name = body["tools"][0].get("function", {}).get("name")
        return name if isinstance(name, str) else None
    return None


def _fault_answer(fault: StubFault) -> StubAnswer | StubError | None:
    """The plain reply a content-level fault stands for; None for transport faults."""
    broken = {**DEFAULT_ANSWER, "pros": DEFAULT_ANSWER["pros"][:2]}
    broken.pop("keywords")
    table: dict[str, StubAnswer | StubError] = {
        "rate_limit": StubError(
            429,
            "Rate limit reached",
            {} if fault.retry_after is None else {"Retry-After": f"{fault.retry_after:g}"},
        ),
        "server_error": StubError(500, "The server had an error"),
        "bad_gateway": StubError(502, "Bad gateway"),
        "unavailable": StubError(503, "The engine is currently overloaded"),
        "not_json": StubAnswer(content="Beklager, her er et resumé i ren tekst uden JSON."),
        "schema_break": StubAnswer(content=json.dumps(broken, ensure_ascii=False)),
        "refusal": StubAnswer(refusal="I can't help with that."),
        "length": StubAnswer(content='{"question": "Skal udvalget', finish_reason="length"),
        "content_filter": StubAnswer(content="", finish_reason="content_filter"),
        "no_choices": StubAnswer(empty=True),
    }
    return table.get(fault.kind)


class _Handler(QuietHandler):
    server: LoopbackHTTPServer[OpenAIStubServer]
    _arrived: float | None = None

    @property
    def stub(self) -> OpenAIStubServer:
        return self.server.owner

    def do_GET(self) -> None:
        self._arrived = time.monotonic()
        path = self.path.split("?")[0]
        if self._batch_route(b""):
            return
        if path.endswith("/models"):
            data = [{"id": m, "object": "model", "owned_by": "stub"} for m in self.stub.model_ids]
            self._record(None, "answer")
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._record(None, "error 404")
            self._send_error_reply(StubError(404, f"no route for GET {path}"))

    def do_DELETE(self) -> None:
        self._arrived = time.monotonic()
        if not self._batch_route(b""):
            self._record(None, "error 404")
            self._send_error_reply(StubError(404, f"no route for DELETE {self.path}"))

    def do_POST(self) -> None:
        self.stub._enter()
        try:
            self._post()
        finally:
            self.stub._exit()

    def _batch_route(self, raw: bytes) -> bool:
        """Answer a Files or Batches request when the server has them; whether it was one."""
        api = self.stub.batch_api
        if api is None or not api.handles(self.path):
            return False
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, payload = api.handle(self.command, self.path, headers, raw)
        self._record(None, "answer" if status == 200 else f"error {status}")
        if isinstance(payload, bytes):
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        else:
            self._send_json(status, payload)
        return True

    def _post(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        self._arrived = time.monotonic()
        if self._batch_route(raw):
            return
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        path = self.path.split("?")[0]
        if not path.endswith("/chat/completions"):
            self._record(body, "error 404")
            self._send_error_reply(StubError(404, f"no route for POST {path}"))
            return
        if not isinstance(body, dict):
            self._record(raw.decode("utf-8", "replace"), "error 400")
            self._send_error_reply(StubError(400, "the body is not a JSON object"))
            return
        self.stub._wait(self.stub.latency_s)
        reply = self.stub._choose(body)
        if isinstance(reply, StubFault):
            plain = _fault_answer(reply)
            if plain is None:
                self._record(body, f"fault {reply.kind}")
                self._transport_fault(body, reply)
                return
            outcome = f"fault {reply.kind}"
            reply = plain
        elif isinstance(reply, StubError):
            outcome = f"error {reply.status}"
        else:
            outcome = "answer"
        self._record(body, outcome)
        if isinstance(reply, StubError):
            self._send_error_reply(reply)
        else:
            self._send_json(200, self.stub._completion(body, reply))

    def _transport_fault(self, body: dict[str, Any], fault: StubFault) -> None:
        self.close_connection = True
        if fault.kind == "hang":
            self.stub._wait(fault.hang_s)
            return
        payload = json.dumps(self.stub._completion(body, StubAnswer())).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload) + 100))
        self.end_headers()
        if fault.kind == "reset":
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.server.mark_reset(self.connection)
        else:  # truncated: the whole body, but 100 bytes fewer than announced, then close
            self.wfile.write(payload)
            self.wfile.flush()

    def _record(self, body: Any, outcome: str) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        had_auth = any(k in _SECRET_HEADERS for k in headers)
        safe = {k: v for k, v in headers.items() if k not in _SECRET_HEADERS}
        chat = isinstance(body, dict) and self.path.split("?")[0].endswith("/chat/completions")
        self.stub._record(
            RecordedRequest(
                timestamp=self._arrived or time.monotonic(),
                method=self.command,
                path=self.path,
                body=body,
                headers=safe,
                had_auth=had_auth,
                outcome=outcome,
                ignored=self.stub.ignored_fields(body) if chat else (),
            )
        )

    def _send_error_reply(self, error: StubError) -> None:
        self._send_json(error.status, error_body(self.stub.dialect, error), error.headers)

    def _send_json(
        self, status: int, payload: Any, headers: Mapping[str, str] | None = None
    ) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
