"""The FILE arguments of `parse` and `summarize`: files, directories (every file in them) and `-`.

A directory stands for the files under it, sorted, hidden ones (".…") left out; an empty
directory is a mistake, not nothing. `-` is stdin, read once. Every other argument goes to
`load_items` as written (a portal address too), so its errors name it exactly as typed.

Of several inputs, one that cannot be read (a file of another kind in a directory, say) does not
stop the others: `reading` says so in one line per input on stderr, the command goes on with the
rest, and the exit code is 2 at the end. A single input, or none readable, is an error at once.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import click

from casesummary.exceptions import UserError, one_line
from casesummary.item import AgendaItem
from casesummary.sources import parse_source

STDIN = "-"
#: What messages call standard input.
STDIN_NAME = "<stdin>"


@dataclass(frozen=True)
class Input:
    """One input as the user named it, and the items it holds."""

    name: str
    items: list[AgendaItem]
    format: str  # the format that read it (detected, or forced with format=)


def expand(arguments: Sequence[str]) -> list[str]:
    """The inputs the arguments name: a directory's files in its place, others as given."""
    names: list[str] = []
    for argument in arguments:
        path = Path(argument)
        if argument != STDIN and path.is_dir():
            files = sorted(
                f
                for f in path.rglob("*")
                if f.is_file() and not any(p.startswith(".") for p in f.relative_to(path).parts)
            )
            if not files:
                raise click.UsageError(f"{argument}: no files in this directory")
            names += [str(f) for f in files]
        else:
            names.append(argument)
    if names.count(STDIN) > 1:
        raise click.UsageError("'-' (stdin) can be read only once")
    return names


@dataclass(frozen=True)
class Loaded:
    """The inputs that were read, in the order given, and the problems of those that were not."""

    inputs: list[Input]
    problems: list[UserError] = field(default_factory=list)

    @property
    def several(self) -> bool:
        """Whether more than one input was named (then output names the input of each item)."""
        return len(self.inputs) + len(self.problems) > 1


def load_inputs(
    arguments: Sequence[str], *, municipality: str | None = None, format: str | None = None
) -> Loaded:
    """Every input's items, in the order given; `format` forces one format for all of them.

    A single input that cannot be read raises its error (InvalidAgendaItem names it); of several,
    each unreadable one is kept as a problem, unless none could be read.
    """
    names = expand(arguments)
    loaded: list[Input] = []
    problems: list[UserError] = []
    for name in names:
        stdin = name == STDIN
        source: str | bytes = sys.stdin.buffer.read() if stdin else name
        try:
            parsed = parse_source(
                source, municipality=municipality, format=format, name=STDIN_NAME if stdin else None
            )
        except UserError as exc:
            if len(names) == 1:
                raise
            problems.append(exc)
            continue
        loaded.append(Input(name, parsed.items, parsed.format))
    if not loaded and problems:
        _say(problems[:-1])
        raise problems[-1]
    return Loaded(loaded, problems)


@contextmanager
def reading(
    arguments: Sequence[str], *, municipality: str | None = None, format: str | None = None
) -> Iterator[Loaded]:
    """`load_inputs` for a command: each unreadable input named on stderr first, the readable
    ones to work on, and exit code 2 once the command is done if any input was unreadable."""
    loaded = load_inputs(arguments, municipality=municipality, format=format)
    _say(loaded.problems)
    yield loaded
    if loaded.problems:
        count = len(loaded.problems)
        click.echo(
            f"casesummary: error: {count} of {count + len(loaded.inputs)} inputs could not be read",
            err=True,
        )
        raise click.exceptions.Exit(2)


def _say(problems: Sequence[UserError]) -> None:
    for problem in problems:
        click.echo(f"casesummary: error: {one_line(problem)}", err=True)
