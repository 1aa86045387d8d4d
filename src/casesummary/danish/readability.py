"""LIX, the Scandinavian readability index: how hard a Danish text is to read.

LIX = words per sentence + 100 × long words ÷ words, where a long word has more than six
letters. Rough bands for Danish: under 25 very easy (children's books), 25–34 easy, 35–44
medium (newspapers, fiction), 45–54 hard (factual prose, most public information), 55 and over
very hard (legal and academic text).
"""

from __future__ import annotations

from collections.abc import Iterable

from casesummary.danish.text import WORD_RE, sentences

#: A long word has more than this many letters.
LONG_WORD = 6


def lix(texts: str | Iterable[str]) -> float:
    """The LIX of a text, or of several texts read as one (each at least one sentence long,
    so a list of points without full stops counts one sentence a point); 0.0 without words."""
    parts = [texts] if isinstance(texts, str) else list(texts)
    words = 0
    long_words = 0
    count = 0
    for part in parts:
        found = [w.group() for w in WORD_RE.finditer(part)]
        if not found:
            continue
        words += len(found)
        long_words += sum(len(w.replace("-", "").replace("'", "")) > LONG_WORD for w in found)
        count += max(1, len(sentences(part)))
    if not words:
        return 0.0
    return words / count + 100 * long_words / words
