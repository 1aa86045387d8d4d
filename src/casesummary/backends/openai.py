"""OpenAI, Azure OpenAI and any OpenAI-compatible server (vLLM, Ollama, llama.cpp) as one backend.

Structured output is asked for in the strongest form the server takes, in this order:

1. `json_schema`   response_format json_schema with `strict: true`
2. `json_object`   response_format json_object carrying the schema (llama-cpp-python's grammar)
3. `tool_call`     one function tool whose parameters are the schema, forced by tool_choice
4. `prompted_json` the schema described in the system message; JSON taken from the text

Falling back: until a mode has worked once on this backend instance, an HTTP 400, 422 or 500
answered to a mode's request is taken as "this server does not take that mode" and the next mode
is tried at once, without retrying (llama-cpp-python answers 500 to json_schema). Once a mode has
worked, later calls start there, and only a 400/422/500 whose message names the feature
(response_format, json_schema, tool, "not supported"...) moves further down; any other error is
handled by the retry policy as usual. `prompted_json` is the last mode and never falls back.
A pinned `mode` (constructor, or `?mode=...` in a spec) disables falling back altogether.

The backend returns the answer's JSON text; casesummary validates it and re-asks if needed.
Transport retries are ours (`retry.RetryPolicy`); the SDK's own are switched off.

Context windows: `context=N` (spec) or `context_window=N` gives the model's window, which
`summarize` fits the item text into (`backends/context.py`). A server's "does not fit" answer
(OpenAI's, vLLM's, llama.cpp's and llama-cpp-python's wordings) becomes
`ContextWindowExceeded` with the server's numbers, before any mode fallback, and teaches the
backend's window; `summarize` then re-renders once with a smaller budget.

`chat_completion_body` builds the JSON body of a request in a mode and `completion_text` reads
the answer out of a completion; the Batch API (`casesummary.batch`) uses the same two.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast, get_args

from casesummary._http import parse_retry_after
from casesummary.backends.base import BackendRequest, BackendResponse, BaseBackend
from casesummary.backends.context import (
    DEFAULT_RATIO,
    ContextWindow,
    message_tokens,
    parse_context_overflow,
)
from casesummary.backends.retry import (
    DEFAULT_INITIAL_WAIT,
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_WAIT,
    RetryPolicy,
)
from casesummary.backends.spec import redact
from casesummary.exceptions import (
    BackendConnectionError,
    BackendError,
    BackendHTTPError,
    ContentFilterError,
    ContextWindowExceeded,
    InvalidBackendSpec,
    RefusalError,
    RetriesExhausted,
    TruncatedOutputError,
)
from casesummary.result import StructuredMode, Usage

if TYPE_CHECKING:
    import openai
    from tenacity import BaseRetrying

    from casesummary.backends.spec import BackendSpec

log = logging.getLogger(__name__)

Kind = Literal["openai", "azure", "openai-compatible"]

#: The fallback chain, strongest first.
MODES: tuple[StructuredMode, ...] = ("json_schema", "json_object", "tool_call", "prompted_json")
DEFAULT_TIMEOUT = 60.0

#: Request parameters the SDK takes as keywords; any other parameter goes in the body as is.
_SDK_PARAMETERS = frozenset(
    {
        "temperature",
        "top_p",
        "seed",
        "max_tokens",
        "max_completion_tokens",
        "stop",
        "presence_penalty",
        "frequency_penalty",
    }
)
#: Body keys `chat.completions.create` takes as keywords, besides the parameters above.
_BODY_KEYS = frozenset({"model", "messages", "response_format", "tools", "tool_choice"})
_MODE_REJECTION_STATUSES = frozenset({400, 422, 500})
#: Statuses a context-window overflow comes with (400 everywhere seen; 413 from some proxies).
_OVERFLOW_STATUSES = frozenset({400, 413, 422})
_MODE_WORDS = (
    "response_format",
    "json_schema",
    "json_object",
    "tool",
    "not supported",
    "unsupported",
)
_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n?(.*?)\n?[ \t]*```", re.DOTALL)
_BEARER = re.compile(r"(?i)bearer\s+[^\s'\",]+")
_MESSAGE_LIMIT = 300


class _ModeRejected(Exception):
    """Internal: the server turned down a structured-output mode; try the next one."""

    def __init__(self, error: BackendHTTPError) -> None:
        self.error = error
        super().__init__(str(error))


@dataclass
class _Call:
    """Book-keeping for one `complete` call across modes and retries."""

    attempts: int = 0
    usage: Usage = field(default_factory=Usage)
    #: Structured-output modes the server turned down during this call, in order.
    refused: list[str] = field(default_factory=list)


class OpenAIBackend(BaseBackend):
    """A chat-completions backend for OpenAI, Azure OpenAI or an OpenAI-compatible server.

    `kind` chooses the client: "openai" (key from OPENAI_API_KEY), "azure" (openai.AzureOpenAI
    with AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY, OPENAI_API_VERSION) or "openai-compatible"
    (the OpenAI client pointed at `base_url`). `max_retries` is an int (retries after the first
    attempt) or a tenacity Retrying/AsyncRetrying; `timeout` is seconds per HTTP request.
    """

    def __init__(
        self,
        model: str,
        *,
        kind: Kind = "openai",
        base_url: str | None = None,
        api_key: str | None = None,
        mode: StructuredMode | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int | BaseRetrying = DEFAULT_MAX_RETRIES,
        initial_wait: float = DEFAULT_INITIAL_WAIT,
        max_wait: float = DEFAULT_MAX_WAIT,
        default_headers: Mapping[str, str] | None = None,
        context_window: int | None = None,
    ) -> None:
        spec = f"{kind}:{model}"
        if not model:
            raise InvalidBackendSpec(spec, "the model name is empty")
        if mode is not None and mode not in get_args(StructuredMode):
            raise InvalidBackendSpec(spec, f"unknown mode {mode!r}", suggestions=MODES)
        if timeout <= 0:
            raise InvalidBackendSpec(spec, "timeout must be more than 0 seconds")
        if context_window is not None and context_window <= 0:
            raise InvalidBackendSpec(spec, "context must be a number of tokens above 0")
        try:
            self._policy = RetryPolicy(max_retries, initial_wait=initial_wait, max_wait=max_wait)
        except (TypeError, ValueError) as exc:
            raise InvalidBackendSpec(spec, str(exc)) from None
        self.name: str = kind
        self.model: str = model
        self.kind: Kind = kind
        self.base_url = base_url
        self.timeout = timeout
        self.pinned_mode: StructuredMode | None = mode
        self._api_key = api_key
        self._default_headers = dict(default_headers or {})
        self._mode: StructuredMode = mode or MODES[0]
        self._confirmed = False
        #: The model's context window, from `context_window` or learnt from an overflow error.
        self.context: ContextWindow | None = (
            ContextWindow(context_window, ratio=DEFAULT_RATIO[kind]) if context_window else None
        )
        self._client: openai.OpenAI | None = None
        self._client_lock = threading.Lock()
        self._aclient: openai.AsyncOpenAI | None = None
        self._aclient_loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        where = f", base_url={self.base_url!r}" if self.base_url else ""
        return f"OpenAIBackend(kind={self.kind!r}, model={self.model!r}{where})"

    @property
    def mode(self) -> StructuredMode:
        """The mode the next call starts with (pinned, or the last one that worked)."""
        return self._mode

    # -- public protocol ---------------------------------------------------------------------

    def complete(self, request: BackendRequest) -> BackendResponse:
        """Ask once for a structured answer; retries transient failures, falls back on modes."""
        call = _Call()
        for mode in self._modes():
            kwargs = self._request_kwargs(mode, request)

            def attempt(mode: StructuredMode = mode, kwargs: dict[str, Any] = kwargs) -> Any:
                call.attempts += 1
                try:
                    completion = self._sync_client().chat.completions.create(**kwargs)
                except Exception as exc:
                    raise self._translate(exc, mode, kwargs) from None
                return self._read(completion, mode, call)

            try:
                content, finish = self._policy.call(attempt)
            except _ModeRejected as rejected:
                self._log_fallback(mode, rejected.error)
                call.refused.append(mode)
                continue
            except RetriesExhausted as exc:
                raise self._exhausted(exc, call) from exc.last_error
            return self._success(mode, content, finish, call)
        raise AssertionError("unreachable: prompted_json never falls back")  # pragma: no cover

    async def acomplete(self, request: BackendRequest) -> BackendResponse:
        """The async twin of `complete`, on the AsyncOpenAI client."""
        call = _Call()
        for mode in self._modes():
            kwargs = self._request_kwargs(mode, request)

            async def attempt(mode: StructuredMode = mode, kwargs: dict[str, Any] = kwargs) -> Any:
                call.attempts += 1
                try:
                    completion = await self._async_client().chat.completions.create(**kwargs)
                except Exception as exc:
                    raise self._translate(exc, mode, kwargs) from None
                return self._read(completion, mode, call)

            try:
                content, finish = await self._policy.acall(attempt)
            except _ModeRejected as rejected:
                self._log_fallback(mode, rejected.error)
                call.refused.append(mode)
                continue
            except RetriesExhausted as exc:
                raise self._exhausted(exc, call) from exc.last_error
            return self._success(mode, content, finish, call)
        raise AssertionError("unreachable: prompted_json never falls back")  # pragma: no cover

    def close(self) -> None:
        """Close the HTTP connections of the synchronous client."""
        if self._client is not None:
            self._client.close()
            self._client = None

    async def aclose(self) -> None:
        """Close both clients' HTTP connections."""
        self.close()
        if self._aclient is not None:
            await self._aclient.close()
            self._aclient = None

    # -- for the Batch API (casesummary.batch) ----------------------------------------------

    def sdk_client(self) -> openai.OpenAI:
        """The synchronous SDK client (shared, with the SDK's own retries off)."""
        return self._sync_client()

    @property
    def retry_policy(self) -> RetryPolicy:
        """The backend's one retry policy."""
        return self._policy

    def translate_error(self, exc: Exception) -> Exception:
        """An SDK exception as casesummary's typed error, without any secret in it."""
        return self._translate(exc, MODES[-1], {})

    # -- modes -------------------------------------------------------------------------------

    def _modes(self) -> tuple[StructuredMode, ...]:
        if self.pinned_mode is not None:
            return (self.pinned_mode,)
        return MODES[MODES.index(self._mode) :]

    def _may_fall_back(self, mode: StructuredMode, error: BackendHTTPError) -> bool:
        if self.pinned_mode is not None or mode not in MODES[:-1]:
            return False
        if error.status_code not in _MODE_REJECTION_STATUSES:
            return False
        if not self._confirmed:
            return True
        text = str(error).lower()
        return any(word in text for word in _MODE_WORDS)

    def _log_fallback(self, mode: StructuredMode, error: BackendHTTPError) -> None:
        following = MODES[MODES.index(mode) + 1]
        log.info("%s rejected structured mode %s (%s); trying %s", self, mode, error, following)
        self._mode = following

    def _success(
        self, mode: StructuredMode, content: str, finish: str | None, call: _Call
    ) -> BackendResponse:
        self._mode = mode
        self._confirmed = True
        return BackendResponse(
            content=content,
            model=self.model,
            structured_mode=mode,
            usage=call.usage,
            attempts=call.attempts,
            finish_reason=finish,
        )

    def _exhausted(self, exc: RetriesExhausted, call: _Call) -> RetriesExhausted:
        """Every request of this call counted (refused modes too), with the bound that stopped
        it: the retry setting and the timeout of each request."""
        retries = self._policy.max_retries
        if isinstance(retries, int):
            setting = f"max_retries={retries}: up to {retries + 1} tries per structured mode"
        else:
            setting = f"max_retries={type(retries).__name__}"
        bound = f"{setting}, each waiting at most {self.timeout:g} s"
        if call.refused:
            bound += f"; {', '.join(call.refused)} refused first"
        return RetriesExhausted(
            f"request to {self.where} failed",
            attempts=call.attempts,
            last_error=exc.last_error,
            bound=bound,
        )

    @property
    def where(self) -> str:
        """The server's address, without credentials, for messages."""
        if self.base_url:
            return redact(self.base_url)
        if self.kind == "azure":
            return redact(os.environ.get("AZURE_OPENAI_ENDPOINT", "") or "Azure OpenAI")
        return redact(os.environ.get("OPENAI_BASE_URL", "") or "https://api.openai.com/v1")

    # -- request -----------------------------------------------------------------------------

    def _request_kwargs(self, mode: StructuredMode, request: BackendRequest) -> dict[str, Any]:
        return sdk_kwargs(chat_completion_body(self.model, mode, request))

    # -- response ----------------------------------------------------------------------------

    def _read(self, completion: Any, mode: StructuredMode, call: _Call) -> tuple[str, str | None]:
        """Take the answer text out of a completion, raising typed errors for bad endings."""
        call.usage = call.usage + completion_usage(completion)
        return completion_text(completion, mode, model=self.model, kind=self.kind)

    def _translate(
        self, exc: Exception, mode: StructuredMode, kwargs: Mapping[str, Any]
    ) -> Exception:
        """An SDK exception as one of ours (or `_ModeRejected`), never carrying a secret."""
        import openai

        error: Exception
        if isinstance(exc, openai.APIStatusError):
            overflow = self._overflow(exc, kwargs)
            if overflow is not None:
                return overflow
            http_error = BackendHTTPError(
                self._redact(_status_message(exc)),
                status_code=exc.status_code,
                retry_after=parse_retry_after(dict(exc.response.headers)),
            )
            if self._may_fall_back(mode, http_error):
                return _ModeRejected(http_error)
            return http_error
        if isinstance(exc, openai.APITimeoutError):
            error = BackendConnectionError(
                f"no answer from {self.where} within {self.timeout:g} s "
                "(timeout; a spec's ?timeout=SECONDS waits longer)"
            )
        elif isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__ or exc
            detail = str(cause) or type(cause).__name__
            error = BackendConnectionError(
                self._redact(f"connection to {self.where} failed: {detail}")
            )
        elif isinstance(exc, openai.APIResponseValidationError):
            error = BackendConnectionError(f"broken response body: {self._redact(exc.message)}")
        elif isinstance(exc, openai.OpenAIError):
            error = BackendError(self._redact(f"{type(exc).__name__}: {exc}"))
        else:
            raise exc  # a bug, not a transport failure: let it surface as it is
        return error

    def _overflow(
        self, exc: openai.APIStatusError, kwargs: Mapping[str, Any]
    ) -> ContextWindowExceeded | None:
        """A "does not fit the window" answer as ContextWindowExceeded; the window learns it."""
        if exc.status_code not in _OVERFLOW_STATUSES:
            return None
        message = _status_message(exc)
        overflow = parse_context_overflow(message, exc.body)
        if overflow is None:
            return None
        sent = sent_tokens(kwargs)
        if self.context is None:
            self.context = ContextWindow(overflow.context_window, ratio=DEFAULT_RATIO[self.kind])
        self.context.learn(overflow, sent)
        return ContextWindowExceeded(
            self._redact(message),
            status_code=exc.status_code,
            context_window=overflow.context_window,
            prompt_tokens=overflow.prompt_tokens,
            completion_tokens=overflow.completion_tokens,
            sent_tokens=sent,
        )

    def _redact(self, text: str) -> str:
        for secret in self._secrets():
            if secret:
                text = text.replace(secret, "[REDACTED]")
        return _shorten(_BEARER.sub("Bearer [REDACTED]", text))

    def _secrets(self) -> tuple[str, ...]:
        names = ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN")
        found = [self._api_key or ""] + [os.environ.get(name, "") for name in names]
        return tuple(s for s in found if len(s) >= 4)

    # -- clients -----------------------------------------------------------------------------

    def _client_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"timeout": self.timeout, "max_retries": 0}
        if self._default_headers:
            kwargs["default_headers"] = self._default_headers
        if self.kind == "azure":
            kwargs["azure_deployment"] = self.model
            if self.base_url:
                kwargs["azure_endpoint"] = self.base_url
        elif self.base_url:
            kwargs["base_url"] = self.base_url
        if self._api_key is not None:
            kwargs["api_key"] = self._api_key
        elif self.kind == "openai-compatible":
            kwargs["api_key"] = os.environ.get("OPENAI_API_KEY") or "not-needed"
        return kwargs

    def _make_client(self, factory: Callable[..., Any]) -> Any:
        import openai

        try:
            return factory(**self._client_kwargs())
        except (openai.OpenAIError, ValueError) as exc:
            raise InvalidBackendSpec(f"{self.kind}:{self.model}", self._redact(str(exc))) from None

    def _sync_client(self) -> openai.OpenAI:
        with self._client_lock:  # one client (and connection pool) shared by every thread
            if self._client is None:
                import openai

                factory = openai.AzureOpenAI if self.kind == "azure" else openai.OpenAI
                self._client = cast("openai.OpenAI", self._make_client(factory))
            return self._client

    def _async_client(self) -> openai.AsyncOpenAI:
        # An async client's connections belong to one event loop: make one per running loop.
        loop = asyncio.get_running_loop()
        if self._aclient is None or self._aclient_loop is not loop:
            import openai

            factory = openai.AsyncAzureOpenAI if self.kind == "azure" else openai.AsyncOpenAI
            self._aclient = cast("openai.AsyncOpenAI", self._make_client(factory))
            self._aclient_loop = loop
        return self._aclient


# -- spec factories (called by backends/registry.py) --------------------------------------------

#: The options OpenAI-family specs take after "?".
SPEC_OPTIONS = ("mode", "timeout", "max_retries", "context")


def from_spec_openai(spec: BackendSpec) -> OpenAIBackend:
    """`openai:<model>[?mode=...&timeout=...&max_retries=...&context=...]`; key OPENAI_API_KEY."""
    options = _options(spec)
    if not os.environ.get("OPENAI_API_KEY"):
        raise InvalidBackendSpec(spec.text, "set OPENAI_API_KEY to use OpenAI")
    return OpenAIBackend(spec.target, kind="openai", **options)


def from_spec_azure(spec: BackendSpec) -> OpenAIBackend:
    """`azure:<deployment>[?...]`: an Azure OpenAI deployment, configured by the environment.

    AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY (or AZURE_OPENAI_AD_TOKEN), OPENAI_API_VERSION:
    the SDK reads them; they are checked here so a missing one fails early.
    """
    options = _options(spec)
    missing = [n for n in ("AZURE_OPENAI_ENDPOINT", "OPENAI_API_VERSION") if not os.environ.get(n)]
    if not (os.environ.get("AZURE_OPENAI_API_KEY") or os.environ.get("AZURE_OPENAI_AD_TOKEN")):
        missing.append("AZURE_OPENAI_API_KEY")
    if missing:
        raise InvalidBackendSpec(spec.text, f"set {', '.join(missing)} to use Azure OpenAI")
    return OpenAIBackend(spec.target, kind="azure", **options)


def from_spec_compatible(spec: BackendSpec) -> OpenAIBackend:
    """`openai-compatible:<model>@<base_url>[?...]`; key from OPENAI_API_KEY, else none needed."""
    model, _, base_url = spec.target.partition("@")
    return OpenAIBackend(model, kind="openai-compatible", base_url=base_url, **_options(spec))


def _options(spec: BackendSpec) -> dict[str, Any]:
    """The spec's options as OpenAIBackend keyword arguments, each checked."""
    options: dict[str, Any] = {}
    for key, value in spec.options.items():
        if key == "mode":
            if value not in get_args(StructuredMode):
                raise InvalidBackendSpec(spec.text, f"unknown mode {value!r}", suggestions=MODES)
            options["mode"] = value
        elif key in ("timeout", "max_retries"):
            try:
                number: float = float(value) if key == "timeout" else int(value)
            except ValueError:
                raise InvalidBackendSpec(
                    spec.text, f"{key} must be a number, not {value!r}"
                ) from None
            if number < 0 or (key == "timeout" and number == 0):
                least = "more than 0" if key == "timeout" else "0 or more"
                raise InvalidBackendSpec(spec.text, f"{key} must be {least}, not {value!r}")
            options[key] = number
        elif key == "context":
            if not value.isdigit() or int(value) <= 0:
                raise InvalidBackendSpec(
                    spec.text, f"context must be a number of tokens, not {value!r}"
                )
            options["context_window"] = int(value)
        else:
            raise InvalidBackendSpec(spec.text, f"unknown option {key!r}", suggestions=SPEC_OPTIONS)
    return options


# -- request bodies and answers (shared with the Batch API) --------------------------------------


def chat_completion_body(
    model: str, mode: StructuredMode, request: BackendRequest
) -> dict[str, Any]:
    """The JSON body of a chat completion asking for `request` in structured mode `mode`."""
    messages: list[dict[str, Any]] = [
        {"role": m.role, "content": m.content} for m in request.messages
    ]
    name = re.sub(r"[^A-Za-z0-9_-]", "_", request.schema_name)[:64] or "answer"
    body: dict[str, Any] = {"model": model}
    if mode == "json_schema":
        body["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": name, "schema": request.json_schema, "strict": True},
        }
    elif mode == "json_object":
        messages = _with_schema_instruction(messages, request.json_schema)
        body["response_format"] = {"type": "json_object", "schema": request.json_schema}
    elif mode == "tool_call":
        body["tools"] = [
            {
                "type": "function",
                "function": {
                    "name": name,
                    "description": "Record the answer.",
                    "parameters": request.json_schema,
                },
            }
        ]
        body["tool_choice"] = {"type": "function", "function": {"name": name}}
    elif mode == "prompted_json":
        messages = _with_schema_instruction(messages, request.json_schema)
    body["messages"] = messages
    for key, value in request.parameters.items():
        body.setdefault(key, value)
    return body


def sdk_kwargs(body: Mapping[str, Any]) -> dict[str, Any]:
    """A chat completion body as `chat.completions.create` keywords: unknown keys in extra_body."""
    kwargs: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in body.items():
        if key in _SDK_PARAMETERS or key in _BODY_KEYS:
            kwargs[key] = value
        else:
            extra[key] = value
    if extra:
        kwargs["extra_body"] = extra
    return kwargs


def sent_tokens(body: Mapping[str, Any]) -> int:
    """Our o200k count of what a request body sends: its messages and tool definitions."""
    contents = [str(m.get("content") or "") for m in body.get("messages") or ()]
    tools = body.get("tools")
    if tools:
        contents.append(json.dumps(tools, ensure_ascii=False))
    return message_tokens(contents)


def completion_usage(completion: Any) -> Usage:
    """The tokens a completion (an SDK object or its JSON) reports; zero when it reports none."""
    usage = _field(completion, "usage")
    if usage is None:
        return Usage()
    return Usage(
        input_tokens=_field(usage, "prompt_tokens") or 0,
        output_tokens=_field(usage, "completion_tokens") or 0,
    )


def completion_text(
    completion: Any, mode: StructuredMode, *, model: str, kind: str = "openai"
) -> tuple[str, str | None]:
    """The answer's JSON text and finish reason from a completion (SDK object or its JSON).

    Raises RefusalError, TruncatedOutputError or ContentFilterError for those endings and
    BackendConnectionError when there is no choice at all.
    """
    choices = _field(completion, "choices")
    if not choices:
        raise BackendConnectionError(f"{kind} answered without a completion (no choices)")
    choice = choices[0]
    message = _field(choice, "message")
    finish = _field(choice, "finish_reason")
    refusal = _field(message, "refusal")
    if refusal:
        raise RefusalError(f"{model} refused: {_shorten(refusal)}", refusal=refusal)
    if finish == "length":
        raise TruncatedOutputError(f"{model} stopped at the token limit (finish_reason length)")
    if finish == "content_filter":
        raise ContentFilterError(f"{model}: the provider's content filter stopped the answer")
    tool_calls = _field(message, "tool_calls") or []
    if mode == "tool_call" and tool_calls:
        arguments = _field(_field(tool_calls[0], "function"), "arguments")
        if isinstance(arguments, str):
            return arguments, finish
    text = _field(message, "content") or ""
    if mode in ("tool_call", "prompted_json", "none"):
        text = extract_json_text(text)
    return text, finish


def _field(obj: Any, name: str) -> Any:
    """An attribute of an SDK object, or a key of its decoded JSON."""
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


# -- helpers -------------------------------------------------------------------------------------


def extract_json_text(text: str) -> str:
    """The JSON inside a model's text: a ``` fenced block, or the outermost {...}; else as is."""
    stripped = text.strip()
    fenced = _FENCE.search(stripped)
    if fenced:
        return fenced.group(1).strip()
    if _is_json(stripped):
        return stripped
    start, end = stripped.find("{"), stripped.rfind("}")
    if 0 <= start < end and _is_json(stripped[start : end + 1]):
        return stripped[start : end + 1]
    return text


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _with_schema_instruction(
    messages: list[dict[str, Any]], schema: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Describe the schema in the (first) system message; many chat templates allow only one."""
    instruction = (
        "Answer with one JSON object and nothing else (no prose, no code fence). "
        "It must match this JSON Schema:\n" + json.dumps(schema, ensure_ascii=False)
    )
    if messages and messages[0]["role"] == "system":
        first = {**messages[0], "content": f"{messages[0]['content']}\n\n{instruction}"}
        return [first, *messages[1:]]
    return [{"role": "system", "content": instruction}, *messages]


def _status_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return str(inner["message"])
        if isinstance(inner, str):
            return inner
    return exc.message


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 1] + "…"
