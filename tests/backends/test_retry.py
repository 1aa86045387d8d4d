"""The retry policy on its own: what is retried, how long it waits, what it raises at the end.

Sleeping is replaced by a recorder, so these tests check the waits tenacity asks for without
sleeping through them.
"""

from __future__ import annotations

import pytest
from tenacity import AsyncRetrying, Retrying, stop_after_attempt, wait_fixed

from casesummary.backends.retry import RetryPolicy, is_retryable
from casesummary.exceptions import (
    BackendConnectionError,
    BackendHTTPError,
    OutputValidationError,
    RefusalError,
    RetriesExhausted,
)


class Script:
    """A function that raises the scripted errors in turn, then returns "ok"; counts its calls."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"

    async def async_call(self) -> str:
        return self()


def http(status: int, retry_after: float | None = None) -> BackendHTTPError:
    return BackendHTTPError("boom", status_code=status, retry_after=retry_after)


def policy(
    waits: list[float],
    max_retries: int | Retrying = 3,
    *,
    initial_wait: float = 0.01,
    max_wait: float = 30.0,
) -> RetryPolicy:
    """A policy whose sleeps are recorded in `waits` instead of slept."""
    return RetryPolicy(
        max_retries, initial_wait=initial_wait, max_wait=max_wait, sleep=waits.append
    )


# -- what is retried -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "retryable"),
    [
        (http(408), True),
        (http(409), True),
        (http(429), True),
        (http(500), True),
        (http(502), True),
        (http(503), True),
        (http(504), True),
        (BackendConnectionError("reset"), True),
        (http(400), False),
        (http(401), False),
        (http(403), False),
        (http(404), False),
        (http(422), False),
        (RefusalError("no"), False),
        (OutputValidationError("bad", errors=["x"], output="{}"), False),
        (ValueError("bug"), False),
    ],
)
def test_is_retryable(error: Exception, retryable: bool) -> None:
    assert is_retryable(error) is retryable


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_caller_errors_are_raised_at_once_unchanged(status: int) -> None:
    waits: list[float] = []
    error = http(status)
    fn = Script(error)

    with pytest.raises(BackendHTTPError) as caught:
        policy(waits).call(fn)

    assert caught.value is error
    assert fn.calls == 1
    assert waits == []


def test_transient_errors_are_retried_until_success() -> None:
    waits: list[float] = []
    fn = Script(http(503), BackendConnectionError("reset"), http(429))

    assert policy(waits, initial_wait=0.01).call(fn) == "ok"

    assert fn.calls == 4
    assert len(waits) == 3


def test_exhaustion_raises_retries_exhausted_with_attempts_and_last_error() -> None:
    waits: list[float] = []
    last = http(502)
    fn = Script(http(500), http(503), last)

    with pytest.raises(RetriesExhausted) as caught:
        policy(waits, max_retries=2, initial_wait=0.01).call(fn)

    assert fn.calls == 3
    assert caught.value.attempts == 3
    assert caught.value.last_error is last
    assert caught.value.__cause__ is last
    assert "3 attempts" in str(caught.value)


def test_zero_retries_means_one_attempt() -> None:
    waits: list[float] = []
    fn = Script(http(503))

    with pytest.raises(RetriesExhausted) as caught:
        policy(waits, max_retries=0).call(fn)

    assert fn.calls == 1
    assert caught.value.attempts == 1
    assert waits == []


# -- how long it waits ---------------------------------------------------------------------------


def test_backoff_grows_exponentially_with_bounded_jitter() -> None:
    waits: list[float] = []
    fn = Script(*[http(503)] * 4)

    policy(waits, max_retries=4, initial_wait=0.1, max_wait=10).call(fn)

    assert fn.calls == 5
    for n, wait in enumerate(waits):
        assert 0.1 * 2**n <= wait <= 0.1 * 2**n + 0.1


def test_retry_after_is_the_floor_of_the_wait() -> None:
    waits: list[float] = []
    fn = Script(http(429, retry_after=2.5), http(503, retry_after=0.0))

    policy(waits, initial_wait=0.01, max_wait=10).call(fn)

    assert fn.calls == 3
    assert waits[0] >= 2.5
    assert waits[1] < 1  # a zero Retry-After leaves the short backoff alone


def test_max_wait_caps_backoff_and_retry_after() -> None:
    waits: list[float] = []
    fn = Script(http(429, retry_after=120), http(503), http(503), http(503))

    policy(waits, max_retries=4, initial_wait=1, max_wait=1.5).call(fn)

    assert fn.calls == 5
    assert waits[0] == 1.5
    assert max(waits) <= 1.5


# -- tenacity objects as max_retries ----------------------------------------------------------


def test_a_retrying_keeps_its_stop_and_wait_but_not_its_retry_predicate() -> None:
    waits: list[float] = []
    retrying = Retrying(stop=stop_after_attempt(2), wait=wait_fixed(0.25), retry=lambda _: True)

    transient = Script(http(503), http(503), http(503))
    with pytest.raises(RetriesExhausted) as caught:
        policy(waits, max_retries=retrying).call(transient)
    assert transient.calls == 2
    assert caught.value.attempts == 2
    assert waits == [0.25]

    caller_error = Script(http(404))
    with pytest.raises(BackendHTTPError):
        policy(waits, max_retries=retrying).call(caller_error)
    assert caller_error.calls == 1


def test_a_retrying_wait_is_still_raised_to_retry_after() -> None:
    waits: list[float] = []
    retrying = Retrying(stop=stop_after_attempt(3), wait=wait_fixed(0.01))
    fn = Script(http(429, retry_after=0.75))

    policy(waits, max_retries=retrying).call(fn)

    assert fn.calls == 2
    assert waits == [0.75]


def test_policy_state_is_fresh_per_call() -> None:
    waits: list[float] = []
    shared = policy(waits, max_retries=1, initial_wait=0.01)

    for _ in range(3):
        fn = Script(http(503))
        assert shared.call(fn) == "ok"
        assert fn.calls == 2

    assert len(waits) == 3


@pytest.mark.parametrize("bad", [-1, True, "3", 2.5])
def test_bad_max_retries_is_rejected(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        RetryPolicy(bad)  # type: ignore[arg-type]


# -- async ---------------------------------------------------------------------------------------


async def test_async_call_retries_and_exhausts() -> None:
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    ok = Script(http(429, retry_after=0.5), BackendConnectionError("timeout"))
    async_policy = RetryPolicy(2, initial_wait=0.01, asleep=record)
    assert await async_policy.acall(ok.async_call) == "ok"
    assert ok.calls == 3
    assert waits[0] >= 0.5

    failing = Script(*[http(500)] * 3)
    with pytest.raises(RetriesExhausted) as caught:
        await async_policy.acall(failing.async_call)
    assert failing.calls == 3
    assert caught.value.attempts == 3


async def test_async_call_takes_async_or_sync_tenacity_objects() -> None:
    async def no_sleep(seconds: float) -> None:
        return None

    for retrying in (
        AsyncRetrying(stop=stop_after_attempt(2)),
        Retrying(stop=stop_after_attempt(2)),
    ):
        fn = Script(http(503), http(503))
        with pytest.raises(RetriesExhausted) as caught:
            await RetryPolicy(retrying, asleep=no_sleep).acall(fn.async_call)
        assert fn.calls == 2
        assert caught.value.attempts == 2

    caller_error = Script(http(401))
    with pytest.raises(BackendHTTPError):
        await RetryPolicy(3, asleep=no_sleep).acall(caller_error.async_call)
    assert caller_error.calls == 1


# -- Retry-After parsing -------------------------------------------------------------------------
