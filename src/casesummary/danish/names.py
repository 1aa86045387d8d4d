"""Proper names in Danish text ("Odense Kommune", "Job First-tilgang", "BDO") and name keys."""

from __future__ import annotations

from casesummary.danish.text import WORD_RE, sentences, stems, stopwords


def proper_names(text: str) -> list[str]:
    """Capitalised word runs that are not at a sentence start and not common Danish words.

    Danish writes common nouns in lower case, so "Odense Kommune", "Job First-tilgang" or
    "BDO" in mid-sentence are names. Each sentence's first word, and a word right after a
    colon, are left out: their capital says nothing.
    """
    stop = stopwords()
    names: list[str] = []
    for sentence in sentences(text):
        run: list[str] = []
        previous_end = -1
        first = True
        for m in WORD_RE.finditer(sentence):
            word = m.group()
            between = sentence[previous_end : m.start()] if previous_end >= 0 else ""
            after_colon = ":" in between
            is_name = (
                not first and not after_colon and word[0].isupper() and word.casefold() not in stop
            )
            initial = bool(run) and len(run[-1]) == 1  # "Thomas B. Thriges Gade"
            adjacent = previous_end >= 0 and between.strip() in ("", "." if initial else "")
            if is_name and run and adjacent:
                run.append(word)
            else:
                if run:
                    names.append(" ".join(run))
                run = [word] if is_name else []
            previous_end = m.end()
            first = False
        if run:
            names.append(" ".join(run))
    return names


def name_key(name: str) -> str:
    """A name as a space-joined stem sequence, for matching inflected forms ("Odense Kommunes")."""
    return " ".join(stems(name, drop_stopwords=False))
