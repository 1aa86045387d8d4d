"""Progress of long work on stderr: a bar on a terminal, a plain line every few seconds elsewhere.

A CI log or a pipe gets one line each `PROGRESS_SECONDS` ("summarize: 3/18 items done, 1
failed, 12 s") and a last line when the work ends, if it took long enough to print any; a
terminal gets a tqdm bar whose clock keeps running while the work waits on a slow server. So
nobody is left waiting in silence, and short runs print nothing at all off a terminal.

`StepLog` is the other form, for work whose every step is news (`fetch` and `sync` name each
meeting as it is written): one line per step off a terminal, the same kind of bar on one.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from types import TracebackType
from typing import IO, Any

#: Seconds between plain progress lines; $CASESUMMARY_PROGRESS_SECONDS overrides it.
PROGRESS_SECONDS = 5.0
PROGRESS_ENV = "CASESUMMARY_PROGRESS_SECONDS"
#: How often a terminal bar is redrawn while nothing finishes (its clock keeps moving).
_BAR_REFRESH_SECONDS = 1.0


def progress_interval() -> float:
    """Seconds between plain lines: $CASESUMMARY_PROGRESS_SECONDS if it is a number >= 0."""
    raw = os.environ.get(PROGRESS_ENV, "").strip()
    try:
        value = float(raw) if raw else PROGRESS_SECONDS
    except ValueError:
        return PROGRESS_SECONDS
    return value if value >= 0 else PROGRESS_SECONDS


class Progress:
    """Counts finished units of work and shows it: `update()` as each finishes, then `close()`.

    `enabled=False` shows nothing. `stream` defaults to stderr; whether it is a terminal picks
    the form. Safe to update from one thread while the clock runs in another.
    """

    def __init__(
        self,
        total: int,
        *,
        desc: str,
        unit: str,
        enabled: bool = True,
        stream: IO[str] | None = None,
    ) -> None:
        self.total = total
        self.desc = desc
        self.unit = unit
        self.done = 0
        self.failed = 0
        self._stream = stream if stream is not None else sys.stderr
        self._enabled = enabled and total > 0
        self._started = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._printed = False
        self._shown: tuple[int, int] = (-1, -1)
        self._bar: Any = None
        self._ticker: threading.Thread | None = None
        if not self._enabled:
            return
        if _is_terminal(self._stream):
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=desc, unit=unit, file=self._stream)
            period = _BAR_REFRESH_SECONDS
        else:
            period = progress_interval()
        self._period = period
        self._ticker = threading.Thread(target=self._tick, name="casesummary-progress", daemon=True)
        self._ticker.start()

    def update(self, n: int = 1, *, failed: bool = False) -> None:
        """`n` more units are done (`failed`: they ended in failure)."""
        with self._lock:
            self.done += n
            self.failed += n if failed else 0
            if self._bar is not None:
                self._bar.update(n)
                if failed:
                    self._bar.set_postfix_str(f"{self.failed} failed", refresh=False)
            elif self._enabled and self._period == 0:
                self._line()

    def close(self) -> None:
        """Stop the clock; a plain log gets its last line when it got any line before."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
            self._ticker = None
        with self._lock:
            if self._bar is not None:
                self._bar.close()
                self._bar = None
            elif self._printed and self._enabled and self._shown != (self.done, self.failed):
                self._line()
            self._enabled = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _tick(self) -> None:
        if self._period <= 0:
            return  # every update prints its own line
        while not self._stop.wait(self._period):
            with self._lock:
                if self._bar is not None:
                    self._bar.refresh()
                elif self._enabled:
                    self._line()

    def _line(self) -> None:
        elapsed = time.monotonic() - self._started
        failed = f", {self.failed} failed" if self.failed else ""
        units = self.unit if self.total == 1 else f"{self.unit}s"
        self._stream.write(
            f"{self.desc}: {self.done}/{self.total} {units} done{failed}, {elapsed:.0f} s\n"
        )
        self._stream.flush()
        self._printed = True
        self._shown = (self.done, self.failed)


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class StepLog:
    """`step(done, total, text)` per finished unit: off a terminal one line each ("fetch 3/10:
    TEXT"), on one a bar that learns `total` when it is first told."""

    def __init__(self, what: str, unit: str, *, stream: IO[str] | None = None) -> None:
        self.what = what
        self.unit = unit
        self._stream = stream if stream is not None else sys.stderr
        self._terminal = _is_terminal(self._stream)
        self._bar: Any = None

    def step(self, done: int, total: int, text: str) -> None:
        if not self._terminal:
            self._stream.write(f"{self.what} {done}/{total}: {text}\n")
            self._stream.flush()
            return
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=self.what, unit=self.unit, file=self._stream)
        self._bar.total = total
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> StepLog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
