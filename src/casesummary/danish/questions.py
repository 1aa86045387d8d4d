"""What makes a Danish yes/no question neutral: the verbs it starts with, negations, hedges.

Validation (an answer's question must be one), the baseline (it builds one) and the metrics
(they score one) all read these lists, so they agree on what a neutral question is.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from casesummary.danish.text import has_broken_hyphen, stem, stopwords, tokenize, words
from casesummary.danish.verbs import IRREGULAR_PRESENT, infinitive, is_finite_or_passive


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


#: Words a question never ends in: prepositions, conjunctions, "at", articles, relatives.
DANGLING_WORDS = _wordset(
    """
    til for med om på af i fra ved hos mod efter under over inden mellem via uden
    og samt eller men at som der den det de en et sin sit sine vedr jf
    """
)
#: Pointers to documents that never belong in a question.
_POINTER_WORDS = _wordset("bilag bilaget bilagene jf indstillingen indstillingens indstilling")
_INFINITIVE_ENDINGS = ("e", "å", "ø", "y")
_SHORT_INFINITIVES = frozenset({*IRREGULAR_PRESENT.values(), "tro", "bo", "nå", "forny"})


def question_defects(question: str, subject: str) -> list[str]:
    """What keeps `question` from being one grammatical "Bør <subject> <infinitiv> …?".

    A yes/no question after "Bør" needs an infinitive right after the subject, one "?" at the
    end, no negation, no word repeated twice in a row, no preposition or conjunction and no
    finite or passive verb before the "?", no pointer to an attachment ("bilag", "jf."), no
    markup and no word broken at a line end.
    """
    defects: list[str] = []
    text = question.strip()
    prefix = f"Bør {subject} "
    if not text.startswith(prefix):
        defects.append(f"does not start with {prefix!r}")
    if not text.endswith("?") or text.count("?") != 1:
        defects.append("not one question mark, at the end")
    body = text[len(prefix) :].rstrip("?").strip() if text.startswith(prefix) else text
    tokens = [t.casefold() for t in tokenize(body.replace("%", " pct"))]
    if not tokens:
        return [*defects, "no verb after the subject"]
    first = tokens[0]
    known = infinitive(first)
    if not (
        (known == first and not is_finite_or_passive(first))
        or (known is None and first.endswith(_INFINITIVE_ENDINGS))
        or first in _SHORT_INFINITIVES
    ):
        defects.append(f"{first!r} after the subject is not an infinitive")
    if len(tokens) == 1:
        defects.append(f"no object after {first!r}")
    last = tokens[-1]
    if last in DANGLING_WORDS:
        defects.append(f"ends in {last!r}")
    if is_finite_or_passive(last) and len(tokens) > 1:
        defects.append(f"ends in the verb form {last!r}")
    if negations(body):
        defects.append(f"negated ({negations(body)[0]!r})")
    repeated = [a for a, b in pairwise(tokens) if a == b]
    if repeated:
        defects.append(f"repeats {repeated[0]!r}")
    pointers = [t for t in tokens if t in _POINTER_WORDS]
    if pointers:
        defects.append(f"points to a document ({pointers[0]!r})")
    if "<" in text or ">" in text or ("&" in text and ";" in text):
        defects.append("holds markup")
    if has_broken_hyphen(text):
        defects.append("holds a word broken at a line end")
    if subject != "kommunen" and re.search(rf"\b{re.escape(subject)}\b", body):
        defects.append("names the municipality twice")
    return defects
