"""Danish language rules, in one place: every part of casesummary that reads or writes Danish
takes them from here, so validation, the baseline, the sources and the metrics agree.

One module per concept:

- `text`          words, tokens, stems, stopwords, abbreviations, and where a sentence ends
- `numbers`       numbers as Danes write them ("474.501.000 kr.", "49,08 %", "12 mio. kr.")
- `dates`         month names, date mentions, a meeting's date ("26. august 2025", "1/1 2016")
- `questions`     the verbs a yes/no question starts with, negations, hedges
- `names`         proper names and the stem keys that match their inflected forms
- `municipality`  "Odense Kommune" / "kommunen", the bare name, and the guess from the texts
- `verbs`         infinitive, present, s-passive and participle forms of the verbs of decisions
- `nouns`         nouns in the definite form ("dagsorden" -> "dagsordenen"), reflexive possessives
- `furniture`     page furniture: portal and PDF boilerplate that is no part of an item's text
- `readability`   LIX, the Scandinavian readability index

The package is the lowest layer: it imports nothing else of casesummary, and its two heavy
dependencies (snowballstemmer, stopwordsiso) load on first use.
"""

from __future__ import annotations

from casesummary.danish.dates import MONTHS, DateMention, dates, parse_danish_date
from casesummary.danish.furniture import is_furniture
from casesummary.danish.municipality import (
    MUNICIPALITIES,
    bare_name,
    find_municipality,
    guess_municipality,
    known_municipality,
    municipality_from_committee,
    municipality_name,
    municipality_of_host,
)
from casesummary.danish.names import name_key, proper_names
from casesummary.danish.nouns import DOCUMENT_NOUNS, definite, is_definite, reflexive_possessive
from casesummary.danish.numbers import (
    NUMBER_TEXT,
    Quantity,
    bare_numbers,
    parse_number,
    quantities,
)
from casesummary.danish.questions import (
    HEDGE_WORDS,
    NEGATIONS,
    QUESTION_VERBS,
    hedge_stems,
    is_hedged,
    is_negated,
    is_question_verb,
    may_be_finite_verb,
    negations,
    opens_with_hedge,
    question_defects,
)
from casesummary.danish.readability import lix
from casesummary.danish.text import (
    NON_TERMINAL_ABBREVIATIONS,
    TERMINAL_ABBREVIATIONS,
    WORD_RE,
    ends_in_abbreviation,
    has_broken_hyphen,
    is_abbreviation,
    join_hyphenated,
    sentence_gaps,
    sentences,
    stem,
    stems,
    stopwords,
    tokenize,
    words,
)
from casesummary.danish.verbs import (
    infinitive,
    infinitive_of_participle,
    infinitive_of_passive,
    infinitive_of_present,
    is_finite_or_passive,
    is_infinitive,
)

__all__ = [
    "DOCUMENT_NOUNS",
    "HEDGE_WORDS",
    "MONTHS",
    "MUNICIPALITIES",
    "NEGATIONS",
    "NON_TERMINAL_ABBREVIATIONS",
    "NUMBER_TEXT",
    "QUESTION_VERBS",
    "TERMINAL_ABBREVIATIONS",
    "WORD_RE",
    "DateMention",
    "Quantity",
    "bare_name",
    "bare_numbers",
    "dates",
    "definite",
    "ends_in_abbreviation",
    "find_municipality",
    "guess_municipality",
    "has_broken_hyphen",
    "hedge_stems",
    "infinitive",
    "infinitive_of_participle",
    "infinitive_of_passive",
    "infinitive_of_present",
    "is_abbreviation",
    "is_definite",
    "is_finite_or_passive",
    "is_furniture",
    "is_hedged",
    "is_infinitive",
    "is_negated",
    "is_question_verb",
    "join_hyphenated",
    "known_municipality",
    "lix",
    "may_be_finite_verb",
    "municipality_from_committee",
    "municipality_name",
    "municipality_of_host",
    "name_key",
    "negations",
    "opens_with_hedge",
    "parse_danish_date",
    "parse_number",
    "proper_names",
    "quantities",
    "question_defects",
    "reflexive_possessive",
    "sentence_gaps",
    "sentences",
    "stem",
    "stems",
    "stopwords",
    "tokenize",
    "words",
]
