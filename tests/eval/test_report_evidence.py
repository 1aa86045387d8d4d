"""The reports show each claim with its quote and whether the quote was found in the item."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from casesummary.eval.aggregate import aggregate
from casesummary.eval.report import render_html, render_markdown
from casesummary.eval.rundir import CaseInfo, CaseRecord, RunData, RunInfo
from casesummary.result import Citation

XSS = "<script>document.title='PWNED'</script>"
ANSWER: dict[str, Any] = {
    "question": "Skal udvalget godkende planen?",
    "summary": "Dagsordenspunktet handler om planen. Den gælder i to år.",
    "pros": ["Giver et klart grundlag", "Samler indsatsen", "Følger loven"],
    "cons": ["Risiko for forsinkelse", "Mulighed for uklarhed", "Risiko for merudgift"],
    "keywords": ["Beskæftigelse"],
    "evidence": {
        "summary": "Udvalget skal godkende planen for de næste to år.",
        "pros": [
            "planen giver et klart grundlag",
            "indsatsen samles i ét sted",
            "loven kræver en plan",
        ],
        "cons": ["tidsplanen er stram", f"citatet {XSS} findes ikke", "udgiften kan stige"],
    },
}


def _citation(part: str, index: int, heading: str = "Sagsfremstilling") -> Citation:
    return Citation(
        part=part, index=index, section=0, heading=heading, start=0, end=4, passage="Plan"
    )


def _run(directory: Path) -> RunData:
    info = RunInfo(
        prompt_id="summary",
        prompt_version="2.0.0",
        prompt_fingerprint="f" * 64,
        backend="fake",
        backend_name="fake",
        model="m",
        taxonomy_name="default",
        taxonomy_version="1",
        taxonomy_fingerprint="t" * 64,
        repeat=1,
        concurrency=1,
        cache=False,
        started=datetime(2026, 12, 1, tzinfo=UTC),
        casesummary_version="0",
    )
    citations = [_citation("summary", 0, "Sagsresumé")]
    citations += [_citation("pros", i) for i in range(3)]
    citations += [_citation("cons", 0), _citation("cons", 2, "Økonomi")]  # cons[1]: not found
    record = CaseRecord(
        case_id="case-a",
        repeat=0,
        status="ok",
        output=ANSWER,
        citations=tuple(citations),
        metrics={"evidence_found": 6 / 7},
    )
    case = CaseInfo(id="case-a", source_format="item-text", expected=ANSWER)
    return RunData(directory=directory, run=info, cases={"case-a": case}, records=[record])


def test_markdown_lists_each_claim_with_its_quote_and_a_mark(tmp_path: Path) -> None:
    run = _run(tmp_path)
    text = render_markdown(run, aggregate(run.records, run.cases))
    evidence = text[text.index("## Evidence") :]
    assert (
        "- Fordele 2: Samler indsatsen  \n  ✓ „indsatsen samles i ét sted“ (Sagsfremstilling)"
        in (evidence)
    )
    assert "- Opsummering: " in evidence
    assert "✓ „tidsplanen er stram“ (Sagsfremstilling)" in evidence
    assert "- Ulemper 2: Mulighed for uklarhed  \n  ✗ „citatet &lt;script&gt;" in evidence
    assert "✓ „udgiften kan stige“ (Økonomi)" in evidence
    assert XSS not in text


def test_html_marks_found_and_missing_quotes_and_escapes_them(tmp_path: Path) -> None:
    run = _run(tmp_path)
    page = render_html(run, aggregate(run.records, run.cases))
    assert page.count('class="quote found"') == 6
    assert page.count('class="quote missing"') == 1
    assert "✗ not found in the item" in page
    assert "✓ Økonomi" in page
    assert page.count('<blockquote class="quote">') == 7  # the golden answer's quotes, unmarked
    assert XSS not in page
    assert "&lt;script&gt;" in page


def test_an_answer_without_evidence_shows_no_quotes(tmp_path: Path) -> None:
    run = _run(tmp_path)
    plain = {k: v for k, v in ANSWER.items() if k != "evidence"}
    record = run.records[0].model_copy(update={"citations": ()})
    record = CaseRecord.model_validate({**record.model_dump(), "output": plain})
    case = CaseInfo(id="case-a", source_format="item-text", expected=plain)
    run = run.model_copy(update={"records": [record], "cases": {"case-a": case}})
    agg = aggregate(run.records, run.cases)
    assert "## Evidence" not in render_markdown(run, agg)
    assert "<blockquote" not in render_html(run, agg)
