"""The `casesummary` command line: one module per command, errors as one line, never a traceback."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from casesummary.cli._errors import run_guarded

_COMMANDS = {
    "parse": "casesummary.cli.parse",
    "summarize": "casesummary.cli.summarize",
    "schema": "casesummary.cli.schema",
    "eval": "casesummary.cli.eval",
    "compare": "casesummary.cli.compare",
    "fetch": "casesummary.cli.fetch",
    "sync": "casesummary.cli.sync",
    "portals": "casesummary.cli.portals",
    "batch": "casesummary.cli.batch",
}


class _LazyGroup(click.Group):
    """Imports a command's module only when that command runs (keeps `--help` fast)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = _COMMANDS.get(cmd_name)
        if module is None:
            return None
        from importlib import import_module

        command = getattr(import_module(module), "command", None)
        return command if isinstance(command, click.Command) else None


@click.group(
    cls=_LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(
    None, "-V", "--version", package_name="casesummary", message="%(prog)s %(version)s"
)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Summarise Danish municipal agenda items into 'Prompt resultater', and evaluate prompts."""
    if ctx.invoked_subcommand is None:  # no command: the help, as asked for, not an error
        click.echo(ctx.get_help())


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    args = list(argv) if argv is not None else sys.argv[1:]
    return run_guarded(cli, args, debug=bool(os.environ.get("CASESUMMARY_DEBUG")))
