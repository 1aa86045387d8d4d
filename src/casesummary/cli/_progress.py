"""Progress of a long command on stderr: a tqdm bar on a terminal, one plain line a step if not."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TYPE_CHECKING, Never

import click

if TYPE_CHECKING:
    from tqdm import tqdm


class Progress:
    """`step(done, total, text)` per finished unit; a bar that knows `total` once it is told."""

    def __init__(self, what: str, unit: str) -> None:
        self.what = what
        self.unit = unit
        self.terminal = sys.stderr.isatty()
        self._bar: tqdm[Never] | None = None

    def step(self, done: int, total: int, text: str) -> None:
        if not self.terminal:
            click.echo(f"{self.what} {done}/{total}: {text}", err=True)
            return
        bar = self._bar
        if bar is None:
            from tqdm import tqdm

            bar = self._bar = tqdm(total=total, desc=self.what, unit=self.unit, file=sys.stderr)
        bar.update(done - bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
