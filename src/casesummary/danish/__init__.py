"""Danish language rules, in one place: every part of casesummary that reads or writes Danish
takes them from here, so validation, the baseline, the sources and the metrics agree.

One module per concept:

- `text`          words, tokens, stems, stopwords, abbreviations, and where a sentence ends
- `numbers`       numbers as Danes write them ("474.501.000 kr.", "49,08 %", "12 mio. kr.")
- `dates`         month names, date mentions, a meeting's date ("26. august 2025", "1/1 2016")
- `questions`     the verbs a yes/no question starts with, negations, hedges
- `names`         proper names and the stem keys that match their inflected forms
- `municipality`  "Odense Kommune" / "kommunen", the bare name, and the guess from the texts

The package is the lowest layer: it imports nothing else of casesummary, and its two heavy
dependencies (snowballstemmer, stopwordsiso) load on first use.
"""

from __future__ import annotations

from casesummary.danish.dates import MONTHS, DateMention, dates, parse_danish_date
from casesummary.danish.municipality import bare_name, guess_municipality, municipality_name
from casesummary.danish.names import name_key, proper_names
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
)
from casesummary.danish.text import (
    NON_TERMINAL_ABBREVIATIONS,
    TERMINAL_ABBREVIATIONS,
    WORD_RE,
    ends_in_abbreviation,
    is_abbreviation,
    sentence_gaps,
    sentences,
    stem,
    stems,
    stopwords,
    tokenize,
    words,
)

__all__ = [
    "HEDGE_WORDS",
    "MONTHS",
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
    "ends_in_abbreviation",
    "guess_municipality",
    "hedge_stems",
    "is_abbreviation",
    "is_hedged",
    "is_negated",
    "is_question_verb",
    "may_be_finite_verb",
    "municipality_name",
    "name_key",
    "negations",
    "opens_with_hedge",
    "parse_danish_date",
    "parse_number",
    "proper_names",
    "quantities",
    "sentence_gaps",
    "sentences",
    "stem",
    "stems",
    "stopwords",
    "tokenize",
    "words",
]
