"""What makes a Danish yes/no question neutral: the verbs it starts with, negations, hedges.

Validation (an answer's question must be one), the baseline (it builds one) and the metrics
(they score one) all read these lists, so they agree on what a neutral question is.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

from casesummary.danish.text import stem, stopwords, words


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Finite verbs a Danish yes/no question starts with ("Bør Odense Kommune …?"): modal verbs,
#: the verbs of a decision and of an opinion, active and passive.
QUESTION_VERBS = _wordset(
    """
    bør burde skal skulle vil ville er var kan kunne må måtte har havde bliver blev får fik
    ønsker ønskes godkender godkendes vedtager vedtages tiltræder tiltrædes bevilger bevilges
    giver gives støtter accepterer beslutter anbefaler mener forventer skønner finder synes
    vælger sker gælder
    """
)
#: Words that negate a question ("Bør kommunen ikke …?"): "yes" to it is ambiguous.
NEGATIONS = _wordset("ikke ingen intet aldrig hverken ej undlade undlader undlades")
#: Word pairs that negate as well ("… uden at hæve skatten?").
NEGATING_PAIRS: frozenset[tuple[str, str]] = frozenset({("uden", "at")})
#: Words that make a statement tentative. A con that hedges beside a pro that asserts reads as
#: weaker: the answer leans towards the proposal.
HEDGE_WORDS = _wordset(
    """
    kan kunne muligvis eventuelt evt måske potentielt potentiel potentielle risiko risikoen
    risici risikerer mulighed muligheden muligt formentlig sandsynligvis tænkes
    """
)


def is_question_verb(word: str) -> bool:
    """Whether a yes/no question may start with this word ("Bør", "godkender")."""
    return word.casefold() in QUESTION_VERBS


def may_be_finite_verb(word: str) -> bool:
    """Whether a word not in `QUESTION_VERBS` still looks like a present or passive verb
    ("Etablerer", "Igangsættes"): five letters or more ending in -er/-es, not a hv-word
    ("Hvorfor") and not a stopword."""
    low = word.casefold()
    return (
        len(low) >= 5
        and low.endswith(("er", "es"))
        and not low.startswith("hv")
        and low not in stopwords()
    )


def negations(text: str) -> list[str]:
    """The negations in the text, in reading order: words ("ikke", "undlade") and word pairs
    ("uden at"). A hyphenated compound ("ikke-medlemmer") negates nothing."""
    tokens = words(text)
    found = [(i, t) for i, t in enumerate(tokens) if t in NEGATIONS]
    found += [
        (i, f"{a} {b}") for i, (a, b) in enumerate(pairwise(tokens)) if (a, b) in NEGATING_PAIRS
    ]
    return [word for _, word in sorted(found)]


def is_negated(text: str) -> bool:
    """Whether the text holds a negation (see `negations`)."""
    return bool(negations(text))


def is_hedged(text: str) -> bool:
    """True when the statement is tentative ("Risiko for at ...", "kan føre til ...")."""
    return any(w in HEDGE_WORDS for w in words(text))


#: Words after which a statement's next word still opens it ("Der kan …", "Det kan …").
_EMPTY_OPENERS = _wordset("der det")


def opens_with_hedge(text: str) -> bool:
    """True when the statement opens tentatively ("Risiko for at …", "Kan …", "Der kan …").

    A hedge word later on ("Giver mulighed for …", "… så udvalget kan følge …") does not make
    an asserting statement tentative.
    """
    tokens = words(text)
    if not tokens:
        return False
    if tokens[0] in HEDGE_WORDS:
        return True
    return tokens[0] in _EMPTY_OPENERS and len(tokens) > 1 and tokens[1] in HEDGE_WORDS


@lru_cache(maxsize=1)
def hedge_stems() -> frozenset[str]:
    """The stems of `HEDGE_WORDS`, for leaving hedges out of a comparison of content."""
    return frozenset(stem(w) for w in HEDGE_WORDS)
