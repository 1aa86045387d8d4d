"""Turns every failure into one line on stderr and an exit code: 2 for bad input, 1 otherwise."""

from __future__ import annotations

import click

from casesummary.exceptions import CaseSummaryError, UserError, one_line


def run_guarded(cli: click.Group, argv: list[str], *, debug: bool = False) -> int:
    try:
        # Without standalone mode, click returns ctx.exit()'s code instead of raising Exit.
        code = cli.main(args=argv, prog_name="casesummary", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.Abort as exc:
        hint = one_line(exc) if str(exc) else ""  # a command may say how to carry on
        click.echo(f"casesummary: aborted{f': {hint}' if hint else ''}", err=True)
        return 130
    except click.ClickException as exc:
        click.echo(f"casesummary: error: {exc.format_message()}", err=True)
        return exc.exit_code
    except UserError as exc:
        click.echo(f"casesummary: error: {one_line(exc)}", err=True)
        return 2
    except CaseSummaryError as exc:
        click.echo(f"casesummary: error: {type(exc).__name__}: {one_line(exc)}", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("casesummary: interrupted", err=True)
        return 130
    except Exception as exc:
        if debug:
            raise
        click.echo(
            f"casesummary: internal error: {type(exc).__name__}: {one_line(exc)} "
            "(set CASESUMMARY_DEBUG=1 for a traceback, and please report it)",
            err=True,
        )
        return 1
    return code if isinstance(code, int) else 0


def fail(message: str) -> None:
    """Stop a command with a one-line user error (exit 2)."""
    raise click.UsageError(message)


__all__ = ["fail", "run_guarded"]
