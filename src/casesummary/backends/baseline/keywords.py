"""Keywords: taxonomy topics scored by cue-stem occurrences, the title weighted highest."""

from __future__ import annotations

import re
from bisect import bisect_left

from casesummary.backends.baseline._text import cue_pattern, recommendation_text
from casesummary.item import AgendaItem, SectionKind
from casesummary.taxonomy import Taxonomy, Topic

_TITLE_WEIGHT = 4.0
_LEAD_WEIGHT = 2.0
_MIN_SCORE = 3.0
_RELATIVE = 0.4


_BODY_CAP = 10  # one long Sagsfremstilling must not outvote the title and the Indstilling
_WORD_CUE = re.compile(r"\w+")


class _WordIndex:
    """Counts of the words of a text, sorted, so "words starting with cue" is two bisections."""

    def __init__(self, text: str) -> None:
        self.text = text
        counts: dict[str, int] = {}
        for word in _WORD_CUE.findall(text):
            counts[word] = counts.get(word, 0) + 1
        self.words = sorted(counts)
        self.cumulative = [0]
        for word in self.words:
            self.cumulative.append(self.cumulative[-1] + counts[word])

    def count(self, cue: str) -> int:
        """Occurrences of words starting with `cue` (casefolded); phrases such as "skema a" and
        cues with punctuation ("kr.") are counted with a pattern instead."""
        if not _WORD_CUE.fullmatch(cue):
            if cue not in self.text:
                return 0
            return len(cue_pattern(cue, inside_words=False).findall(self.text))
        low = bisect_left(self.words, cue)
        high = bisect_left(self.words, cue + "\U0010ffff")
        return self.cumulative[high] - self.cumulative[low]


def _topic_cues(topic: Topic) -> tuple[str, ...]:
    if topic.cues:
        return tuple(c.casefold() for c in topic.cues if c.strip())
    words = re.findall(r"\w+", topic.name.casefold())
    return tuple(w for w in words if len(w) >= 4) or (topic.name.casefold(),)


def keywords_for(item: AgendaItem, taxonomy: Taxonomy) -> list[str]:
    """1–3 topic names: the best always, others if they score near it."""
    title = item.title.casefold()
    lead_parts = [recommendation_text(item)]
    body_parts: list[str] = []
    for section in item.sections:
        if section.kind == SectionKind.SUMMARY:
            lead_parts.append(section.text)
        elif section.kind != SectionKind.RECOMMENDATION:
            body_parts.append(section.text)
    texts = [
        (_WordIndex(title), _TITLE_WEIGHT, None),
        (_WordIndex(" ".join(lead_parts).casefold()), _LEAD_WEIGHT, None),
        (_WordIndex(" ".join(body_parts).casefold()), 1.0, _BODY_CAP),
    ]
    scores: list[tuple[float, int, str]] = []
    for index, topic in enumerate(taxonomy.topics):
        score = 0.0
        for cue in _topic_cues(topic):
            for words, weight, cap in texts:
                hits = words.count(cue)
                score += weight * (min(hits, cap) if cap is not None else hits)
        scores.append((score, index, topic.name))
    ranked = sorted(scores, key=lambda s: (-s[0], s[1]))
    best = ranked[0][0]
    if best <= 0:
        return [_fallback_topic(taxonomy)]
    floor = max(_MIN_SCORE, _RELATIVE * best)
    chosen = [ranked[0][2]] + [name for score, _, name in ranked[1:3] if score >= floor]
    return chosen


def _fallback_topic(taxonomy: Taxonomy) -> str:
    """With no cue found anywhere: a catch-all topic if the taxonomy has one, else the first."""
    for topic in taxonomy.topics:
        if topic.name.casefold() in {"andet", "øvrige", "administration", "politik", "generelt"}:
            return topic.name
    return taxonomy.topics[0].name
