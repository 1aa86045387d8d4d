"""report.md and report.html of an eval run: the numbers, then every case side by side.

The HTML is one self-contained file (inline CSS, no script, no external resource) rendered by
jinja2 with autoescaping on: agenda items and model answers are untrusted text, so every value
reaches the page escaped.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casesummary.eval.aggregate import Aggregate, aggregate
from casesummary.eval.rundir import CaseRecord, RunData, RunInfo
from casesummary.result import Citation, PromptResult, answer_fields

if TYPE_CHECKING:
    from jinja2 import Template

HTML_FILE = "report.html"
MARKDOWN_FILE = "report.md"
TEMPLATE = "report.html.j2"
#: The metrics the overview tables (groups, case index) show; every metric is in the summary
#: table and in each case's section. Runs without these fall back to their first metrics.
OVERVIEW_METRICS = ("similarity", "keywords_f1", "grounding", "validity", "balance")


def write_reports(run: RunData, agg: Aggregate | None = None) -> tuple[Path, Path]:
    """Write report.md and report.html into the run directory; returns their paths."""
    agg = agg if agg is not None else aggregate(run.records, run.cases)
    view = _view(run, agg)  # once, for both reports
    markdown = run.directory / MARKDOWN_FILE
    html = run.directory / HTML_FILE
    markdown.write_text(_markdown(view), encoding="utf-8")
    html.write_text(_template().render(**view), encoding="utf-8")
    return markdown, html


def fmt(value: float | None, digits: int = 3) -> str:
    """A metric for people: three decimals, or n/a when it does not apply."""
    if value is None or math.isnan(value):
        return "n/a"
    return f"{value:.{digits}f}"


def render_html(run: RunData, agg: Aggregate) -> str:
    """The self-contained, escaped HTML report."""
    return _template().render(**_view(run, agg))


@cache
def _template() -> Template:
    """The report template, compiled once per process (compiling costs more than rendering)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = fmt
    return env.get_template(TEMPLATE)


def render_markdown(run: RunData, agg: Aggregate) -> str:
    """A short Markdown report: run, metric means with CIs, per-case table, skips and failures."""
    return _markdown(_view(run, agg))


def _markdown(view: dict[str, Any]) -> str:
    info: RunInfo = view["run"]
    agg: Aggregate = view["aggregate"]
    lines = [
        f"# Eval: {_md(info.prompt_id)}@{_md(info.prompt_version)} on {_md(info.backend)}",
        "",
        f"- prompt fingerprint: `{info.prompt_fingerprint[:16]}`",
        f"- model: {_md(info.model)}; taxonomy: {_md(info.taxonomy_name)}@"
        f"{_md(info.taxonomy_version)}",
        f"- repeat: {info.repeat}; started {info.started.isoformat()}"
        + (f"; finished {info.finished.isoformat()}" if info.finished else ""),
        f"- records: {agg.counts.records} ({agg.counts.ok} ok, {agg.counts.failed} failed, "
        f"{agg.counts.skipped} skipped) over {agg.counts.cases} cases",
        f"- tokens: {agg.usage.input_tokens} in, {agg.usage.output_tokens} out; cost: "
        + (f"${agg.usage.cost_usd:.4f}" if agg.usage.cost_usd is not None else "n/a"),
        "",
        "## Metrics",
        "",
        "| metric | mean | 95 % CI | cases |",
        "|---|---:|---|---:|",
    ]
    for row in view["metric_rows"]:
        lines.append(f"| {_md(row['name'])} | {row['mean']} | {row['ci']} | {row['n']} |")
    if view["check_rows"]:
        lines += ["", "## Checks (share of answers passing)", "", "| check | share |", "|---|---:|"]
        lines += [f"| {_md(r['name'])} | {r['share']} |" for r in view["check_rows"]]
    names = view["metric_names"]
    lines += [
        "",
        "## Cases",
        "",
        _md_row(["case", "status", "pass rate", *(_md(n) for n in names)]),
        "|---|---|---:|" + "---:|" * len(names),
    ]
    for case in view["cases"]:
        values = [case["metric_values"][n] for n in names]
        lines.append(_md_row([_md(case["id"]), case["status"], case["pass_rate"], *values]))
    if view["skipped"]:
        lines += ["", "## Skipped", ""]
        lines += [f"- {_md(c['id'])}: {_md(c['reason'])}" for c in view["skipped"]]
    failures = [(c["id"], e) for c in view["cases"] for e in c["errors"]]
    if failures:
        lines += ["", "## Failures", ""]
        lines += [f"- {_md(case_id)}: {_md(error)}" for case_id, error in failures]
    lines += _markdown_evidence(view)
    return "\n".join(lines) + "\n"


def _markdown_evidence(view: dict[str, Any]) -> list[str]:
    """Each output's claims with their quotes, marked found (✓, with the section) or not (✗)."""
    cases = [c for c in view["cases"] if any(q for r in c["rows"] for q in r["quotes"])]
    if not cases:
        return []
    lines = ["", "## Evidence", "", "✓ the quote was found in the item (section), ✗ it was not."]
    for case in cases:
        lines += ["", f"### {_md(case['id'])}", ""]
        for row in case["rows"]:
            for number, (value, quote) in enumerate(
                zip(row["output"], row["quotes"], strict=False), start=1
            ):
                if quote is None:
                    continue
                label = f"{row['label']} {number}" if row["is_list"] else row["label"]
                lines.append(
                    f"- {_md(label)}: {_md(value)}  \n"
                    f"  {quote['mark']} „{_md(quote['quote'])}“"
                    + (f" ({_md(quote['where'])})" if quote["where"] else "")
                )
    return lines


def _md_row(cells: list[str]) -> str:
    """One Markdown table row: as many cells as given, even when a run has no metric columns."""
    return "| " + " | ".join(cells) + " |"


def _md(text: object) -> str:
    """Text made safe for a Markdown table cell (no pipes, line breaks or raw HTML)."""
    value = " ".join(str(text).split())
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def _view(run: RunData, agg: Aggregate) -> dict[str, Any]:
    """Plain values for the templates, computed once so the templates only lay them out."""
    metric_names = list(agg.metrics)
    overview = [n for n in OVERVIEW_METRICS if n in agg.metrics] or metric_names[
        : len(OVERVIEW_METRICS)
    ]
    metric_rows = [
        {"name": n, "mean": fmt(e.mean), "ci": _ci(e.low, e.high), "n": e.n}
        for n, e in agg.metrics.items()
    ]
    pr = agg.pass_rate
    metric_rows.append(
        {"name": "pass_rate", "mean": fmt(pr.mean), "ci": _ci(pr.low, pr.high), "n": pr.n}
    )
    rr = agg.reask_rate  # lower is better: the share of answers that had to be sent back
    metric_rows.append(
        {"name": "reask_rate", "mean": fmt(rr.mean), "ci": _ci(rr.low, rr.high), "n": rr.n}
    )
    metric_rows.append(
        {
            "name": "attempts",
            "mean": fmt(agg.attempts_mean, 2),
            "ci": "n/a",
            "n": agg.counts.records,
        }
    )
    check_rows = [{"name": n, "share": fmt(v)} for n, v in agg.checks.items()]
    groups = [
        ("By municipality", _group_rows(agg.by_municipality, overview)),
        ("By source format", _group_rows(agg.by_source_format, overview)),
    ]
    by_case: dict[str, list[CaseRecord]] = {}
    for record in sorted(run.records, key=lambda r: (r.case_id, r.repeat)):
        by_case.setdefault(record.case_id, []).append(record)
    case_ids = list(dict.fromkeys([*run.cases, *by_case]))
    cases = [_case_view(cid, run, agg, by_case.get(cid, []), metric_names) for cid in case_ids]
    return {
        "run": run.run,
        "aggregate": agg,
        "counts": agg.counts,
        "usage": agg.usage,
        "cost": f"${agg.usage.cost_usd:.4f}" if agg.usage.cost_usd is not None else "n/a",
        "metric_names": metric_names,
        "overview_names": overview,
        "metric_rows": metric_rows,
        "check_rows": check_rows,
        "groups": groups,
        "cases": cases,
        "skipped": [c for c in cases if c["status"] == "skipped"],
    }


def _ci(low: float, high: float) -> str:
    return "n/a" if math.isnan(low) else f"[{fmt(low)}, {fmt(high)}]"


def _group_rows(groups: dict[str, Any], metric_names: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "cases": g.counts.cases,
            "pass_rate": fmt(g.pass_rate.mean),
            "metrics": [fmt(g.metrics[n].mean) if n in g.metrics else "n/a" for n in metric_names],
        }
        for name, g in groups.items()
    ]


def _case_view(
    case_id: str,
    run: RunData,
    agg: Aggregate,
    records: list[CaseRecord],
    metric_names: list[str],
) -> dict[str, Any]:
    info = run.cases.get(case_id)
    case_agg = agg.per_case.get(case_id)
    statuses = {r.status for r in records}
    if not records:
        status = "missing"
    elif statuses == {"skipped"}:
        status = "skipped"
    elif statuses == {"ok"}:
        status = "ok"
    elif "ok" in statuses:
        status = "partly failed"
    else:
        status = "failed"
    shown = next((r for r in records if r.status == "ok"), None)
    if shown is None:
        shown = next((r for r in records if r.output is not None), None)
    failing = sorted({c for r in records for c, ok in r.checks.items() if not ok})
    passing = sorted({c for r in records for c in r.checks} - set(failing))
    expected = info.expected if info is not None else None
    output = shown.output if shown is not None else None
    return {
        "id": case_id,
        "info": info,
        "status": status,
        "meta": " · ".join(
            str(v)
            for v in (
                info.municipality,
                info.committee,
                info.meeting_date,
                info.source_format,
                info.expect_skip and f"expected skip: {info.expect_skip}",
            )
            if v
        )
        if info is not None
        else "",
        "reason": next((r.reason for r in records if r.reason), "") or "",
        "pass_rate": fmt(case_agg.pass_rate) if case_agg else "n/a",
        "metric_values": {
            n: fmt(case_agg.metrics.get(n)) if case_agg else "n/a" for n in metric_names
        },
        "failing": failing,
        "passing": passing,
        "errors": [
            f"repeat {r.repeat}: {r.error_type}: {r.message}" for r in records if r.error_type
        ],
        "notes": [
            f"repeat {r.repeat}: {r.message}" for r in records if r.message and not r.error_type
        ],
        "rows": _field_rows(expected, output, shown.citations if shown is not None else ()),
        "has_output": output is not None,
        "shown_repeat": shown.repeat if shown is not None else None,
        "repeats": [
            {
                "repeat": r.repeat,
                "status": r.status,
                "failing": [c for c, ok in r.checks.items() if not ok],
                "latency": fmt(r.latency_s, 2),
            }
            for r in records
        ],
    }


def _field_rows(
    expected: PromptResult | None,
    output: PromptResult | None,
    citations: tuple[Citation, ...] = (),
) -> list[dict[str, Any]]:
    """Expected beside actual for each part of the answer contract, each value with its quote
    when the answer carries evidence (the output's marked found or not, from its citations)."""

    def items(source: PromptResult | None, name: str, is_list: bool) -> list[str]:
        value: Any = getattr(source, name, None)  # an older answer may lack a newer part
        if value is None:
            return []
        return [str(v) for v in value] if is_list else [str(value)]

    found = {(c.part, c.index): c for c in citations}

    def quotes(source: PromptResult | None, name: str, count: int, mark: bool) -> list[Any]:
        evidence = getattr(source, "evidence", None)
        out: list[Any] = []
        for index in range(count):
            quote = evidence.quote(name, index) if evidence is not None else None
            if quote is None:
                out.append(None)
                continue
            citation = found.get((name, index))
            out.append(
                {
                    "quote": quote,
                    "found": citation is not None if mark else None,
                    "mark": ("✓" if citation is not None else "✗") if mark else "",
                    "where": citation.heading if citation is not None else "",
                }
            )
        return out

    model = type(output) if output is not None else type(expected) if expected else PromptResult
    rows = []
    for spec in answer_fields(model):
        wanted, given = (
            items(expected, spec.name, spec.is_list),
            items(output, spec.name, spec.is_list),
        )
        rows.append(
            {
                "field": spec.name,
                "label": spec.label,
                "is_list": spec.is_list,
                "expected": wanted,
                "output": given,
                "expected_quotes": quotes(expected, spec.name, len(wanted), mark=False),
                "quotes": quotes(output, spec.name, len(given), mark=True),
            }
        )
    return rows
