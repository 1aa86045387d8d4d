"""The baseline's evidence: each text's quote is the item sentence it was taken from or rests on,
and every quote passes the evidence check on every golden item and real fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from casesummary.backends.baseline import EXTRACT_MARKER, BaselineBackend, extract
from casesummary.backends.baseline.evidence import QUOTE_WORDS, evidence_for
from casesummary.eval.golden import load_golden
from casesummary.evidence import find_quote, quote_words, trim_quote
from casesummary.item import AgendaItem, Section, SectionKind, SourceFormat
from casesummary.prompt import load_prompt
from casesummary.sources import load_item, load_items
from casesummary.summarizer import build_request, summarize
from casesummary.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "fixtures"
GOLDEN_ITEMS = [(c.id, c.load_item()) for c in load_golden(ROOT / "golden") if c.expected]


def _fixture_items() -> list[AgendaItem]:
    items = [load_item(FIXTURES / "odense-beu-2025-pejlemaerker.item.json")]
    items += load_items(FIXTURES / "hvidovre-oekonomiudvalget-2026-05-18.meeting.json")
    return [i for i in items if i.is_open and i.has_text]


@pytest.mark.parametrize(("case_id", "item"), GOLDEN_ITEMS, ids=[c for c, _ in GOLDEN_ITEMS])
def test_every_quote_is_found_on_the_golden_items(case_id: str, item: AgendaItem) -> None:
    result = summarize(item, backend="baseline")
    assert result.provenance.prompt_version == "2.0.0"
    assert result.provenance.attempts == 1
    assert result.evidence is not None
    assert len(result.citations) == 7


def test_every_quote_is_found_on_the_real_fixtures() -> None:
    items = _fixture_items()
    assert len(items) > 10
    for item in items:
        answer = extract(item, load_taxonomy(), evidence=True)
        assert answer.evidence is not None
        for part, index, quote in answer.evidence.quotes():
            assert find_quote(quote, item) is not None, (item.title, part, index, quote)
            assert quote_words(quote) <= QUOTE_WORDS


def test_an_extracted_text_is_quoted_from_the_sentence_it_was_taken_from() -> None:
    item = load_item(FIXTURES / "odense-beu-2025-pejlemaerker.item.json")
    answer = extract(item, load_taxonomy(), evidence=True)
    assert answer.evidence is not None
    first = answer.summary.removeprefix(EXTRACT_MARKER).split(". ")[0]
    assert trim_quote(first) in trim_quote(answer.evidence.summary)
    for pro, quote in zip(answer.pros, answer.evidence.pros, strict=True):
        assert trim_quote(pro.split(": ", 1)[-1]) in trim_quote(quote)


def test_a_built_text_rests_on_the_sentence_sharing_its_words() -> None:
    item = AgendaItem(
        source_format=SourceFormat.ITEM_TEXT,
        municipality="Hvidovre",
        title="Ny legeplads i Strandparken",
        sections=(
            Section(
                heading="Sagsfremstilling",
                kind=SectionKind.PRESENTATION,
                text=(
                    "Borgerne har ønsket en legeplads ved stranden.\n"
                    "Anlægget koster 400.000 kr. og finansieres af puljen til byrum."
                ),
            ),
        ),
    )
    answer = extract(item, load_taxonomy(), evidence=True)
    evidence = evidence_for(item, answer)
    assert evidence == answer.evidence
    money = next(c for c in answer.cons if "400.000 kr." in c)
    quote = evidence.quote("cons", answer.cons.index(money))
    assert quote == "Anlægget koster 400.000 kr. og finansieres af puljen til byrum."


def test_a_long_sentence_is_quoted_in_part_around_the_text_it_gave() -> None:
    words = [f"ord{n}" for n in range(80)]
    long_sentence = "Indledningen fortsætter " + " ".join(words) + " og målet er at sikre trivsel."
    item = AgendaItem(
        source_format=SourceFormat.ITEM_TEXT,
        title="Trivsel",
        sections=(Section(heading="Resumé", kind=SectionKind.SUMMARY, text=long_sentence),),
    )
    answer = extract(item, load_taxonomy(), evidence=True)
    assert answer.evidence is not None
    for _, _, quote in answer.evidence.quotes():
        assert quote_words(quote) <= QUOTE_WORDS
        assert find_quote(quote, item) is not None


def test_without_evidence_the_answer_is_as_before() -> None:
    item = load_item(FIXTURES / "odense-beu-2025-pejlemaerker.item.json")
    taxonomy = load_taxonomy()
    plain = extract(item, taxonomy)
    assert plain.evidence is None
    assert extract(item, taxonomy, evidence=True).without_evidence() == plain
    request = build_request(item, prompt=load_prompt("summary@1"), taxonomy=taxonomy)
    assert "evidence" not in BaselineBackend().complete(request).content
