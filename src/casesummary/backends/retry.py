"""The one retry policy for model backends: tenacity, exponential backoff with jitter, Retry-After.

Only transient failures are retried: HTTP 408, 409, 429 and 5xx (`BackendHTTPError.retryable`)
and `BackendConnectionError` (refused or reset connection, timeout, broken body). Everything else,
including 400/401/403/404/422, is raised at once, unchanged. When the last allowed attempt fails
the caller gets `RetriesExhausted(attempts=..., last_error=...)`.

`max_retries` is an int (retries after the first attempt, so 0 means one attempt, as in the
openai SDK) or a tenacity `Retrying`/`AsyncRetrying` (as in instructor). A tenacity object keeps
its own `stop` and `wait`; the retry predicate is always ours, so a caller mistake is never
retried, and a server's Retry-After still sets the floor of every wait.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from casesummary.exceptions import BackendConnectionError, BackendHTTPError, RetriesExhausted

if TYPE_CHECKING:
    from tenacity import AsyncRetrying, RetryCallState, Retrying
    from tenacity import BaseRetrying as BaseRetrying

T = TypeVar("T")

#: Defaults for the backoff; tests shrink `initial_wait` so they run fast.
DEFAULT_MAX_RETRIES = 3
DEFAULT_INITIAL_WAIT = 0.5
DEFAULT_MAX_WAIT = 30.0


def is_retryable(error: BaseException) -> bool:
    """True for failures that may succeed if sent again: 408/409/429/5xx and connection errors."""
    if isinstance(error, BackendHTTPError):
        return error.retryable
    return isinstance(error, BackendConnectionError)


class RetryPolicy:
    """How a backend retries one request: build fresh tenacity controllers and run calls.

    `initial_wait` is the first backoff (doubled per retry, plus up to `initial_wait` of jitter);
    `max_wait` caps every wait, including one a server asks for with Retry-After.
    `sleep`/`asleep` replace the real sleep (tests record waits instead of sleeping).
    """

    def __init__(
        self,
        max_retries: int | BaseRetrying = DEFAULT_MAX_RETRIES,
        *,
        initial_wait: float = DEFAULT_INITIAL_WAIT,
        max_wait: float = DEFAULT_MAX_WAIT,
        sleep: Callable[[float], None] | None = None,
        asleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        from tenacity import BaseRetrying as _BaseRetrying

        if isinstance(max_retries, bool) or not isinstance(max_retries, int | _BaseRetrying):
            raise TypeError("max_retries must be an int or a tenacity Retrying/AsyncRetrying")
        if isinstance(max_retries, int) and max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        if initial_wait < 0 or max_wait < 0:
            raise ValueError("waits must be 0 or more")
        self.max_retries = max_retries
        self.initial_wait = initial_wait
        self.max_wait = max_wait
        self._sleep = sleep
        self._asleep = asleep

    def wait_seconds(self, retry_state: RetryCallState) -> float:
        """The wait before the next attempt: backoff, at least Retry-After, at most `max_wait`."""
        from tenacity import BaseRetrying as _BaseRetrying
        from tenacity import wait_exponential_jitter

        if isinstance(self.max_retries, _BaseRetrying):
            base = float(self.max_retries.wait(retry_state))
        else:
            base = wait_exponential_jitter(
                multiplier=self.initial_wait, max=self.max_wait, jitter=self.initial_wait
            )(retry_state)
        error = retry_state.outcome.exception() if retry_state.outcome is not None else None
        if isinstance(error, BackendHTTPError) and error.retry_after is not None:
            base = max(base, error.retry_after)
        return min(base, self.max_wait)

    def _common(self) -> dict[str, Any]:
        from tenacity import retry_if_exception, stop_after_attempt

        kwargs: dict[str, Any] = {
            "retry": retry_if_exception(is_retryable),
            "wait": self.wait_seconds,
            "reraise": False,
            "retry_error_callback": None,
        }
        if isinstance(self.max_retries, int):
            kwargs["stop"] = stop_after_attempt(self.max_retries + 1)
        return kwargs

    def retrying(self) -> Retrying:
        """A fresh synchronous controller (tenacity state is per call, never shared)."""
        from tenacity import Retrying

        kwargs = self._common()
        if self._sleep is not None:
            kwargs["sleep"] = self._sleep
        if isinstance(self.max_retries, Retrying):
            return self.max_retries.copy(**kwargs)
        if not isinstance(self.max_retries, int):
            kwargs["stop"] = self.max_retries.stop
        return Retrying(**kwargs)

    def aretrying(self) -> AsyncRetrying:
        """A fresh asynchronous controller."""
        from tenacity import AsyncRetrying

        kwargs = self._common()
        if self._asleep is not None:
            kwargs["sleep"] = self._asleep
        if isinstance(self.max_retries, AsyncRetrying):
            return self.max_retries.copy(**kwargs)
        if not isinstance(self.max_retries, int):
            kwargs["stop"] = self.max_retries.stop
        return AsyncRetrying(**kwargs)

    def call(self, fn: Callable[[], T]) -> T:
        """Run `fn` until it succeeds, fails for good, or the attempts run out."""
        from tenacity import RetryError

        try:
            for attempt in self.retrying():
                with attempt:
                    result = fn()
        except RetryError as exc:
            raise _exhausted(exc) from exc.last_attempt.exception()
        return result

    async def acall(self, fn: Callable[[], Awaitable[T]]) -> T:
        """The async twin of `call`."""
        from tenacity import RetryError

        try:
            async for attempt in self.aretrying():
                with attempt:
                    result = await fn()
        except RetryError as exc:
            raise _exhausted(exc) from exc.last_attempt.exception()
        return result


def _exhausted(exc: Any) -> RetriesExhausted:
    last = exc.last_attempt
    error = last.exception()
    if error is None:  # tenacity only stops on a failed attempt, given our retry predicate
        error = RuntimeError("no error recorded")
    return RetriesExhausted("request failed", attempts=last.attempt_number, last_error=error)
