"""The baseline's evidence: for each text it produced, the item sentence it came from.

The baseline is extractive, so most of its texts are an item sentence, shortened or labelled
("Udgift: …"): that sentence is the quote. A text it built (a cautious con from the title and
the economy) rests on the sentence that shares most of its content words, else on the title.
This reads only the item and the finished answer, not how the answer was made, so it holds
whatever the other baseline modules do. Every quote is checked to be found in the item.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from casesummary.backends.baseline._text import LIST_MARKER, join_wrapped
from casesummary.danish import sentences, stems
from casesummary.evidence import MIN_QUOTE_WORDS, find_quote, trim_quote
from casesummary.item import AgendaItem
from casesummary.result import Evidence, PromptResult

#: The baseline's quotes are kept to this many words (the check allows more).
QUOTE_WORDS = 40

_TERMINAL = (".", "!", "?", ":", ";")
# A short label before the text proper: "Uddrag af dagsordenspunktet: ", "Udgift: ".
_LABEL = re.compile(r"^(?:[^\s:]+\s){0,3}[^\s:]+:\s+(?=\S)")


@dataclass(frozen=True)
class _Candidate:
    text: str  # an item sentence, white space folded
    normal: str
    stems: frozenset[str]
    words: int


def evidence_for(item: AgendaItem, answer: PromptResult) -> Evidence:
    """One quote from the item for the summary, each pro and each con of `answer`."""
    candidates = _candidates(item)
    weights = _weights(candidates)
    summary_probe = (sentences(_unlabelled(answer.summary)) or [answer.summary])[0]
    return Evidence(
        summary=_quote(summary_probe, candidates, weights, item),
        pros=[_quote(p, candidates, weights, item) for p in answer.pros],
        cons=[_quote(c, candidates, weights, item) for c in answer.cons],
    )


def _candidates(item: AgendaItem) -> list[_Candidate]:
    """The title and every sentence of the item's sections, each found in the item as it is."""
    texts = [" ".join(item.title.split())]
    for section in item.sections:
        for line in _logical_lines(section.text):
            texts += sentences(line)
    found: list[_Candidate] = []
    seen: set[str] = set()
    for position, text in enumerate(texts):
        normal = trim_quote(text)
        short = len(normal.split()) < MIN_QUOTE_WORDS and position > 0  # the title is whole
        if not normal or short or normal in seen or find_quote(text, item) is None:
            continue
        seen.add(normal)
        found.append(_Candidate(text, normal, frozenset(stems(text)), len(text.split())))
    return found


def _logical_lines(text: str) -> list[str]:
    """Lines with hard wraps joined (a quote may end at a semicolon) and list markers dropped."""
    return [LIST_MARKER.sub("", line) for line in join_wrapped(text, _TERMINAL)]


def _unlabelled(text: str) -> str:
    label = _LABEL.match(text)
    return text[label.end() :] if label else text


def _quote(
    text: str, candidates: list[_Candidate], weight: dict[str, float], item: AgendaItem
) -> str:
    """The candidate `text` was taken from (it holds the text), else the one sharing the most
    content words with it (rarer words weigh more), else the title; cut to at most
    QUOTE_WORDS words around the text."""
    probe = trim_quote(_unlabelled(text))
    wanted = frozenset(stems(probe))
    total = sum(weight.get(s, 1.0) for s in wanted)
    best: _Candidate | None = None
    best_score = 0.0
    for candidate in candidates:
        if probe and probe in candidate.normal:
            score = 2.0 + len(probe) / (len(candidate.normal) + 1)
        elif total:
            score = sum(weight.get(s, 1.0) for s in wanted & candidate.stems) / total
        else:
            score = 0.0
        if score > best_score:
            best, best_score = candidate, score
    if best is None:
        if not candidates:
            return item.title
        best = next((c for c in candidates if c.words >= MIN_QUOTE_WORDS), candidates[0])
    return _window(best, probe)


def _weights(candidates: list[_Candidate]) -> dict[str, float]:
    """Each stem's weight: the fewer sentences of the item hold it, the more it says."""
    counts = Counter(s for c in candidates for s in c.stems)
    return {s: math.log(1 + len(candidates) / n) for s, n in counts.items()}


def _window(candidate: _Candidate, probe: str) -> str:
    """The candidate, or QUOTE_WORDS of its words starting near where the probe begins."""
    words = candidate.text.split()
    if len(words) <= QUOTE_WORDS:
        return candidate.text
    at = candidate.normal.find(probe) if probe else -1
    first = len(candidate.normal[:at].split()) if at > 0 else 0
    start = max(0, min(first, len(words) - QUOTE_WORDS))
    return " ".join(words[start : start + QUOTE_WORDS])


__all__ = ["QUOTE_WORDS", "evidence_for"]
