"""The baseline's MODEL string is part of every cache and recording key: a change of its answers
must come with a new MODEL, or cached answers of the old code are served as new ones.

The digest below is of the baseline's answers on every golden case. When a change of the
baseline changes it, bump `MODEL` in backends/baseline/__init__.py and pin the new digest here
under the new MODEL (never under the old one)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from casesummary.backends.baseline import MODEL, extract
from casesummary.eval.golden import load_golden
from casesummary.sources import load_items
from casesummary.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[3]
PINNED = {
    "extractive-v2": "d3f01e354ec8f75174a9eb021101b95a25b80dffea70d2077a938acc131d4ea4",
    "extractive-v3": "a02445e71a39908eebecbff07b4d83f94a7a78370f68ac9ebbd74400b0aac4d2",
}


def _answers_digest() -> str:
    taxonomy = load_taxonomy()
    answers = []
    for case in sorted(load_golden(ROOT / "golden"), key=lambda c: c.id):
        for item in load_items(case.input_path, municipality=case.municipality):
            answers.append([case.id, extract(item, taxonomy).model_dump(mode="json")])
    text = json.dumps(answers, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_change_of_the_answers_comes_with_a_new_model() -> None:
    digest = _answers_digest()
    assert PINNED.get(MODEL) == digest, (
        f"the baseline's answers on the golden set changed (digest {digest}) but MODEL is still"
        f" {MODEL!r}: bump MODEL and pin the new digest under it"
    )


def test_each_model_pins_one_digest() -> None:
    assert len(set(PINNED.values())) == len(PINNED)
