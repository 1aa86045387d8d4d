"""Whole items from eight municipalities the baseline was not written against (Horsens, Hedensted,
Glostrup, Køge, Svendborg, Næstved, Ringkøbing-Skjern, Skive), rebuilt from stored copies of their
agenda pages (tests/data/found, SOURCES.md there). Each gets an answer without a defect; each
reference question passes the checks; the first verb agrees with the reference loosely."""

from __future__ import annotations

from typing import Any

import pytest

from casesummary.backends.baseline import extract
from casesummary.taxonomy import load_taxonomy

from .conftest import answer_defects, corpus, found, found_item, item_source, question_defects
from .test_corpus import _verb

ENTRIES = found()
TAXONOMY = load_taxonomy()


def test_the_items_come_from_municipalities_the_corpus_does_not_have() -> None:
    municipalities = {e["municipality"] for e in ENTRIES}
    assert len(ENTRIES) >= 25
    assert len({e["id"] for e in ENTRIES}) == len(ENTRIES)
    assert len(municipalities) >= 8
    assert not municipalities & {e["municipality"] for e in corpus()}


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_every_found_item_gets_an_answer_without_a_defect(entry: dict[str, Any]) -> None:
    item = found_item(entry)
    assert item.is_open
    assert item.has_text
    result = extract(item, TAXONOMY)
    assert answer_defects(item, result) == [], result.question


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_every_reference_question_passes_the_checks(entry: dict[str, Any]) -> None:
    item = found_item(entry)
    reference = " ".join(entry["question"].split())
    assert question_defects(reference, item.municipality, item_source(item)) == []


def test_the_first_verb_agrees_with_the_reference() -> None:
    agree = [
        e["id"]
        for e in ENTRIES
        if _verb(extract(found_item(e), TAXONOMY).question, e["municipality"])
        == _verb(e["question"], e["municipality"])
    ]
    assert len(agree) / len(ENTRIES) >= 0.8, sorted({e["id"] for e in ENTRIES} - set(agree))
