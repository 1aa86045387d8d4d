"""The FILE arguments of `parse` and `summarize`: files, directories (every file in them) and `-`.

A directory stands for the files under it, sorted, hidden ones (".…") left out; an empty
directory is a mistake, not nothing. `-` is stdin, read once. Every other argument goes to
`load_items` as written (a portal address too), so its errors name it exactly as typed.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from casesummary.item import AgendaItem
from casesummary.sources import parse_source

STDIN = "-"


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


def load_inputs(
    arguments: Sequence[str], *, municipality: str | None = None, format: str | None = None
) -> list[Input]:
    """Every input's items, in the order given (InvalidAgendaItem names a bad one); `format`
    forces one format for all of them."""
    loaded: list[Input] = []
    for name in expand(arguments):
        source: str | bytes = sys.stdin.buffer.read() if name == STDIN else name
        parsed = parse_source(source, municipality=municipality, format=format)
        loaded.append(Input(name, parsed.items, parsed.format))
    return loaded
