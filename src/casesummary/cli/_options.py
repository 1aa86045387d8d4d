"""Options several commands share, declared once so their names, help and types agree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

_F = TypeVar("_F", bound=Callable[..., object])


def prompt_and_taxonomy(command: _F) -> _F:
    """`--prompt ID` (as `prompt_spec`) and `--taxonomy FILE` (as `taxonomy_file`)."""
    command = click.option(
        "--taxonomy",
        "taxonomy_file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Keyword taxonomy file (default: the shipped one).",
    )(command)
    return click.option(
        "--prompt", "prompt_spec", metavar="ID", help="summary, summary@1.0.0 or a .md file"
    )(command)
