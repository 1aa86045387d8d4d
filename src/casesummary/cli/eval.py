"""`casesummary eval`: run a prompt over the golden set, write a run directory and its reports."""

from __future__ import annotations

import math
import re
import shlex
from datetime import UTC, datetime
from pathlib import Path

import click

from casesummary.backends.spec import FALLBACK_NOTICE, BackendSpec, parse_spec, resolve_spec
from casesummary.eval.evidence_judge import METRIC as EVIDENCE_JUDGE_METRIC
from casesummary.eval.golden import load_golden
from casesummary.eval.judge import JUDGE_METRIC_NAMES
from casesummary.eval.metrics import METRIC_NAMES, OPTIONAL_METRIC_NAMES
from casesummary.eval.rundir import RESULTS_FILE
from casesummary.eval.runner import run_eval

#: Where answers are cached when neither --cache nor --no-cache is given.
DEFAULT_CACHE = Path(".casesummary-cache")
#: Where run directories go when --out is not given.
DEFAULT_RUNS = Path("runs")
#: --fail-under also accepts the share of cases passing every check.
PASS_RATE = "pass_rate"
#: The share of answers sent back to be fixed (lower is better), shown with the metrics.
REASK_RATE = "reask_rate"


@click.command(name="eval")
@click.option(
    "--prompt",
    "prompt_spec",
    default="summary",
    show_default=True,
    help="Prompt id (latest version), id@version, or a template file.",
)
@click.option(
    "--backend",
    "backend_spec",
    default=None,
    help="Backend spec (default: $CASESUMMARY_BACKEND, else baseline): baseline, oracle[:DIR], "
    "openai:MODEL, "
    "openai-compatible:MODEL@URL, replay:DIR, ...",
)
@click.option(
    "--golden",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Golden directory (default: $CASESUMMARY_GOLDEN, else golden/ of a source checkout; "
    "an installed package has none).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="Cases run at the same time.",
)
@click.option(
    "--repeat",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Samples per case (each repeat is a separate request).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Run directory (default: runs/<time>-<prompt>-<backend>).",
)
@click.option(
    "--taxonomy",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Keyword taxonomy file (default: the one shipped with the prompts).",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help=f"Answer cache directory (default: {DEFAULT_CACHE}/).",
)
@click.option("--no-cache", is_flag=True, help="Always ask the backend; record nothing.")
@click.option(
    "--resume",
    is_flag=True,
    help="Continue the run in --out: keep its results, run only what is missing.",
)
@click.option(
    "--fail-under",
    "fail_under",
    multiple=True,
    metavar="METRIC=VALUE",
    help="Exit 1 when a metric's mean is below VALUE (repeatable).",
)
@click.option(
    "--case",
    "case_ids",
    multiple=True,
    metavar="ID",
    help="Run only this golden case (repeatable).",
)
@click.option(
    "--max-input-tokens",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Token budget for each item's text, replacing the prompt's (context= caps it).",
)
@click.option(
    "--judge",
    "judge_spec",
    metavar="SPEC",
    default=None,
    help="Also rate every answer with this backend as an LLM judge (prompts/judge/v1.md): "
    "adds judge_* metrics, cached like the answers.",
)
@click.option(
    "--allow-failures",
    is_flag=True,
    help="Exit 0 even when cases failed (by default a failed case makes the exit code 1).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress and no summary table.")
def command(
    prompt_spec: str,
    backend_spec: str | None,
    golden: Path | None,
    concurrency: int,
    repeat: int,
    out: Path | None,
    taxonomy: Path | None,
    cache_dir: Path | None,
    no_cache: bool,
    resume: bool,
    fail_under: tuple[str, ...],
    case_ids: tuple[str, ...],
    max_input_tokens: int | None,
    judge_spec: str | None,
    allow_failures: bool,
    quiet: bool,
) -> None:
    """Evaluate a prompt and backend over the golden cases.

    Exit codes: 0 when every case ran (or was skipped as the golden set expects) and every
    --fail-under holds; 1 when a case failed (unless --allow-failures) or a threshold is not met;
    2 for bad input; 130 when interrupted (the run so far is kept: continue it with --resume).
    """
    if cache_dir is not None and no_cache:
        raise click.UsageError("--cache and --no-cache exclude each other")
    if resume and out is None:
        raise click.UsageError("--resume needs --out DIR, the run to continue")
    thresholds = parse_thresholds(fail_under, judged=judge_spec is not None)
    spec, fell_back = resolve_spec(backend_spec)
    if fell_back:
        click.echo(FALLBACK_NOTICE, err=True)
    judge = parse_spec(judge_spec) if judge_spec is not None else None

    cases = load_golden(golden)
    if case_ids:
        known = {c.id for c in cases}
        unknown = [c for c in case_ids if c not in known]
        if unknown:
            raise click.UsageError(f"no golden case named {', '.join(map(repr, unknown))}")
        cases = [c for c in cases if c.id in set(case_ids)]
    if out is None:
        out = default_out_dir(prompt_spec, spec.text)

    try:
        summary = run_eval(
            cases,
            backend=spec,
            prompt=prompt_spec,
            taxonomy=taxonomy,
            out_dir=out,
            concurrency=concurrency,
            repeat=repeat,
            cache_dir=None if no_cache else (cache_dir or DEFAULT_CACHE),
            resume=resume,
            progress=not quiet,
            judge=judge,
            max_input_tokens=max_input_tokens,
        )
    except KeyboardInterrupt:
        if not (out / RESULTS_FILE).exists():
            raise
        again = resume_command(
            out=out,
            prompt_spec=prompt_spec,
            backend=spec,
            golden=golden,
            taxonomy=taxonomy,
            repeat=repeat,
            cache_dir=cache_dir,
            no_cache=no_cache,
            case_ids=case_ids,
            judge=judge,
            max_input_tokens=max_input_tokens,
        )
        raise click.Abort(
            f"every finished case is kept in {out / RESULTS_FILE}; continue the run with: {again}"
        ) from None
    agg = summary.aggregate
    counts = agg.counts
    click.echo(f"run: {summary.out_dir}")
    click.echo(
        f"{counts.cases} cases, {counts.records} records: {counts.ok} ok, "
        f"{counts.failed} failed, {counts.skipped} skipped"
    )
    if not quiet:
        rows = [*agg.metrics.items(), (PASS_RATE, agg.pass_rate), (REASK_RATE, agg.reask_rate)]
        width = max(len(n) for n, _ in rows)
        for name, estimate in rows:
            click.echo(f"  {name.ljust(width)}  {estimate.format()}")
        attempts = "n/a" if math.isnan(agg.attempts_mean) else f"{agg.attempts_mean:.2f}"
        click.echo(f"  {'attempts'.ljust(width)}  {attempts} requests per record")
    click.echo(f"report: {summary.out_dir / 'report.html'}")

    failures = []
    for name, threshold in thresholds.items():
        found = agg.pass_rate if name == PASS_RATE else agg.metrics.get(name)
        value = found.mean if found is not None else math.nan
        if math.isnan(value) or value < threshold:
            shown = "n/a" if math.isnan(value) else f"{value:.3f}"
            failures.append(f"{name} = {shown} is below {threshold:g}")
    problems = ["--fail-under: " + "; ".join(failures)] if failures else []
    if counts.failed and not allow_failures:
        report = summary.out_dir / "report.md"
        problems.append(
            f"{counts.failed} of {counts.records} records failed (see {report}; "
            "--allow-failures exits 0 anyway)"
        )
    if problems:
        raise ThresholdFailed("; ".join(problems))


class ThresholdFailed(click.ClickException):
    """A threshold was not met or cases failed: exit 1 (the run itself is complete, written)."""

    exit_code = 1


def resume_command(
    *,
    out: Path,
    prompt_spec: str,
    backend: BackendSpec,
    golden: Path | None,
    taxonomy: Path | None,
    repeat: int,
    cache_dir: Path | None,
    no_cache: bool,
    case_ids: tuple[str, ...],
    judge: BackendSpec | None,
    max_input_tokens: int | None = None,
) -> str:
    """The command that continues this run (credentials in a spec shown as ***)."""
    words = ["casesummary", "eval", "--prompt", prompt_spec, "--backend", backend.redacted()]
    if judge is not None:
        words += ["--judge", judge.redacted()]
    if golden is not None:
        words += ["--golden", str(golden)]
    if taxonomy is not None:
        words += ["--taxonomy", str(taxonomy)]
    if repeat != 1:
        words += ["--repeat", str(repeat)]
    if no_cache:
        words.append("--no-cache")
    elif cache_dir is not None:
        words += ["--cache", str(cache_dir)]
    if max_input_tokens is not None:
        words += ["--max-input-tokens", str(max_input_tokens)]
    for case_id in case_ids:
        words += ["--case", case_id]
    words += ["--out", str(out), "--resume"]
    return shlex.join(words)


def parse_thresholds(values: tuple[str, ...], *, judged: bool = False) -> dict[str, float]:
    """`METRIC=VALUE` pairs; an unknown metric or a bad number is a usage error (exit 2).
    The judge's metrics are known when the run is judged."""
    known = [
        *METRIC_NAMES,
        *OPTIONAL_METRIC_NAMES,
        *((*JUDGE_METRIC_NAMES, EVIDENCE_JUDGE_METRIC) if judged else ()),
        PASS_RATE,
    ]
    thresholds: dict[str, float] = {}
    for value in values:
        name, sep, number = value.partition("=")
        name = name.strip()
        if not sep:
            raise click.UsageError(f"--fail-under {value!r}: expected METRIC=VALUE")
        if name not in known:
            raise click.UsageError(
                f"--fail-under: unknown metric {name!r} (known: {', '.join(known)})"
            )
        try:
            thresholds[name] = float(number)
        except ValueError:
            raise click.UsageError(f"--fail-under {value!r}: {number!r} is not a number") from None
        if math.isnan(thresholds[name]):
            raise click.UsageError(f"--fail-under {value!r}: {number!r} is not a number")
    return thresholds


def default_out_dir(prompt_spec: str, backend_spec: str) -> Path:
    """runs/<UTC time>-<prompt>-<backend slug>."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return DEFAULT_RUNS / f"{stamp}-{_slug(Path(prompt_spec).stem)}-{_slug(backend_spec)}"


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:40].rstrip("-") or "run"
