"""report.md and report.html: every case shown, failing checks marked, every value escaped."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from casesummary.eval.aggregate import aggregate
from casesummary.eval.report import render_html, render_markdown, write_reports
from casesummary.eval.rundir import CaseInfo, CaseRecord, RunData, RunInfo

XSS_SCRIPT = "<script>document.title='PWNED'</script>"
XSS_IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"

EXPECTED = {
    "question": "Skal udvalget godkende planen?",
    "summary": "Udvalget skal tage stilling til planen.",
    "pros": ["a", "b", "c"],
    "cons": ["d", "e", "f"],
    "keywords": ["Beskæftigelse"],
}


def _run_info() -> RunInfo:
    return RunInfo(
        prompt_id="summary",
        prompt_version="1",
        prompt_fingerprint="f" * 64,
        backend="baseline",
        backend_name="baseline",
        model="extractive",
        taxonomy_name="default",
        taxonomy_version="1",
        taxonomy_fingerprint="t" * 64,
        golden_dir="/golden",
        repeat=1,
        concurrency=2,
        cache=False,
        started=datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
        finished=datetime(2026, 11, 23, 10, 1, tzinfo=UTC),
        casesummary_version="0.1.0",
    )


def _output(**changes: Any) -> dict[str, Any]:
    return {**EXPECTED, **changes}


def _sample_run(directory: Path) -> RunData:
    cases = {
        "odense-ok": CaseInfo(
            id="odense-ok",
            municipality="odense",
            source_format="firstagenda-item",
            hard="long economy section",
            title="Beskæftigelsesplan 2017",
            source_excerpt="Sagsresumé\nByrådet skal godkende planen.",
            expected=EXPECTED,
        ),
        "hvidovre-xss": CaseInfo(
            id="hvidovre-xss",
            municipality="hvidovre",
            source_format="firstagenda-meeting",
            hard="hostile text",
            title=f"Punkt {XSS_SCRIPT}",
            source_excerpt=f"Indstilling {XSS_IMG} {XSS_SCRIPT}",
            expected=EXPECTED,
        ),
        "hvidovre-closed": CaseInfo(
            id="hvidovre-closed",
            municipality="hvidovre",
            source_format="firstagenda-meeting",
            expect_skip="closed",
        ),
        "slagelse-failed": CaseInfo(
            id="slagelse-failed", municipality="slagelse", source_format="item-text"
        ),
    }
    records = [
        CaseRecord(
            case_id="odense-ok",
            repeat=0,
            status="ok",
            output=_output(),
            metrics={"similarity": 0.9, "keyword_f1": 1.0},
            checks={"grounded": True, "neutral_question": True},
            latency_s=0.2,
        ),
        CaseRecord(
            case_id="hvidovre-xss",
            repeat=0,
            status="ok",
            output=_output(summary=f"Resumé {XSS_SCRIPT}", pros=[XSS_IMG, "b", "c"]),
            metrics={"similarity": 0.4, "keyword_f1": math.nan},
            checks={"grounded": False, "neutral_question": True},
            latency_s=0.3,
        ),
        CaseRecord(case_id="hvidovre-closed", repeat=0, status="skipped", reason="closed"),
        CaseRecord(
            case_id="slagelse-failed",
            repeat=0,
            status="failed",
            error_type="OutputValidationError",
            message=f"pros: expected 3 items {XSS_SCRIPT}",
        ),
    ]
    return RunData(directory=directory, run=_run_info(), cases=cases, records=records)


class _Elements(HTMLParser):
    """Collects (tag, attributes) of every start tag."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def _classes(attrs: dict[str, str | None]) -> set[str]:
    return set((attrs.get("class") or "").split())


@pytest.fixture
def run(tmp_path: Path) -> RunData:
    return _sample_run(tmp_path)


def test_html_has_one_section_per_case_with_its_status(run: RunData) -> None:
    html = render_html(run, aggregate(run.records, run.cases))
    sections = {
        attrs["id"]: _classes(attrs)
        for tag, attrs in _elements(html)
        if tag == "section" and "case" in _classes(attrs)
    }
    assert sections == {
        "case-odense-ok": {"case", "status-ok"},
        "case-hvidovre-xss": {"case", "status-ok"},
        "case-hvidovre-closed": {"case", "status-skipped"},
        "case-slagelse-failed": {"case", "status-failed"},
    }


def test_html_marks_failing_checks_with_a_css_class(run: RunData) -> None:
    html = render_html(run, aggregate(run.records, run.cases))
    xss_section = html.split('id="case-hvidovre-xss"')[1].split("</section>")[0]
    assert '<span class="check fail">✗ grounded</span>' in xss_section
    assert '<span class="check pass">✓ neutral_question</span>' in xss_section
    ok_section = html.split('id="case-odense-ok"')[1].split("</section>")[0]
    assert "check fail" not in ok_section


def test_html_shows_golden_and_output_side_by_side(run: RunData) -> None:
    html = render_html(run, aggregate(run.records, run.cases))
    ok_section = html.split('id="case-odense-ok"')[1].split("</section>")[0]
    for label in ("Spørgsmål", "Opsummering", "Fordele", "Ulemper", "Emneord"):
        assert f"<th>{label}</th>" in ok_section
    assert ok_section.count("Skal udvalget godkende planen?") == 2
    assert "Byrådet skal godkende planen." in ok_section


def test_html_lists_skipped_cases_with_their_reason_and_failures_with_their_error(
    run: RunData,
) -> None:
    html = render_html(run, aggregate(run.records, run.cases))
    skipped = html.split('<ul class="skipped">')[1].split("</ul>")[0]
    assert "hvidovre-closed</a>: closed" in skipped
    assert "odense-ok" not in skipped
    failed = html.split('id="case-slagelse-failed"')[1].split("</section>")[0]
    assert "OutputValidationError: pros: expected 3 items" in failed


def test_html_escapes_every_untrusted_value(run: RunData) -> None:
    html = render_html(run, aggregate(run.records, run.cases))
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "onerror=" not in html.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
    assert "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html
    tags = {tag for tag, _ in _elements(html)}
    assert not tags & {"script", "img", "iframe", "object", "link"}


def test_html_is_self_contained(run: RunData) -> None:
    html = render_html(run, aggregate(run.records, run.cases))
    for _tag, attrs in _elements(html):
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (name, value)
    assert "@import" not in html
    assert "url(" not in html


def test_html_summary_shows_metric_means_and_intervals(run: RunData) -> None:
    html = render_html(run, aggregate(run.records, run.cases))
    summary = html.split('<table class="metrics">')[1].split("</table>")[0]
    # similarity over the two answered cases: (0.9 + 0.4) / 2.
    assert '<td>similarity</td><td class="num">0.650</td>' in summary
    assert "[0.400, 0.900]" in summary
    assert '<td>keyword_f1</td><td class="num">1.000</td>' in summary


def test_markdown_report_escapes_and_lists_everything(run: RunData) -> None:
    markdown = render_markdown(run, aggregate(run.records, run.cases))
    assert "| similarity | 0.650 | [0.400, 0.900] | 2 |" in markdown
    assert "- hvidovre-closed: closed" in markdown
    assert "slagelse-failed: repeat 0: OutputValidationError" in markdown
    assert "<script>" not in markdown
    assert "&lt;script&gt;" in markdown


def test_write_reports_writes_both_files(run: RunData) -> None:
    markdown, html = write_reports(run)
    assert markdown == run.directory / "report.md"
    assert html == run.directory / "report.html"
    assert markdown.read_text(encoding="utf-8").startswith("# Eval: summary@1 on baseline")
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_case_without_records_is_shown_as_missing(run: RunData) -> None:
    partial = run.model_copy(update={"records": run.records[:1]})
    html = render_html(partial, aggregate(partial.records, partial.cases))
    assert 'class="case status-missing" id="case-slagelse-failed"' in html


def test_markdown_tables_are_well_formed_when_every_case_failed(tmp_path: Path) -> None:
    cases = {
        f"case-{n}": CaseInfo(id=f"case-{n}", source_format="minutes-text", expected=EXPECTED)
        for n in range(3)
    }
    records = [
        CaseRecord(
            case_id=case_id,
            repeat=0,
            status="failed",
            error_type="RetriesExhausted",
            message="request failed after 4 attempts: HTTP 500: stub error",
        )
        for case_id in cases
    ]
    run = RunData(directory=tmp_path, run=_run_info(), cases=cases, records=records)
    markdown = render_markdown(run, aggregate(records, cases))
    tables: list[list[str]] = []
    previous = ""
    for line in markdown.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(line)
        previous = line
    assert len(tables) >= 2  # the metrics and the cases
    for table in tables:
        header, delimiter, *rows = table
        cells = _cells(header)
        assert len(_cells(delimiter)) == len(cells), table
        assert all(set(c) <= set("-:") and c for c in _cells(delimiter)), table
        assert all(len(_cells(row)) == len(cells) for row in rows), table
    case_table = next(t for t in tables if t[0].startswith("| case |"))
    assert len(case_table) == 2 + len(cases)


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row (escaped pipes stay inside their cell)."""
    inner = line.strip()[1:-1].replace("\\|", "\0")
    return [c.strip().replace("\0", "\\|") for c in inner.split("|")]
