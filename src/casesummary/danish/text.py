"""Danish words, stems, stopwords and sentences, and the one rule for where a sentence ends.

Everything here is offline and deterministic: snowballstemmer's Danish stemmer and the
stopwordsiso Danish list (both loaded on first use) and a few regular expressions.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from casesummary.danish.numbers import NUMBER_TEXT, number_key

#: A word: letters (æøå and other accented letters included), hyphen- or apostrophe-joined parts.
WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_TOKEN_RE = re.compile(rf"(?<!\d)(?:{NUMBER_TEXT})(?!\d)|{WORD_RE.pattern}")

#: Words ending in "." that never end a sentence: they always introduce what follows.
NON_TERMINAL_ABBREVIATIONS = frozenset(
    str.split(
        """
    bl.a jf jvf f.eks fx ca nr pkt stk kl d evt inkl incl ekskl vedr iflg hhv pga dvs mht vha
    ifm ift iht tlf att st afd ang alm adm sml ovf o.a m.fl mv m.v m.m osv etc el pr ml ex p.t
    pt s
    """
    )
)
#: Abbreviations that end a sentence when a capital follows ("Det koster 12 mio. kr. Det er …").
TERMINAL_ABBREVIATIONS = frozenset({"kr", "mio", "mia"})

# Where a sentence may end: closing punctuation (and quotes or brackets) before white space, or a
# blank line. `_is_boundary` then decides whether it does.
_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"'»”’)\]]*(?P<gap>\s+)|(?P<blank>\n\s*\n+)")
_OPENING_QUOTES = "\"'«»“”„"
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("danish")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Danish stopwords (stopwordsiso), lower case."""
    import stopwordsiso

    return frozenset(w.casefold() for w in stopwordsiso.stopwords("da"))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Danish snowball stem of one word, lower-cased first ("Kommunens" -> "kommun")."""
    return str(_stemmer().stemWord(word.casefold()))


def tokenize(text: str) -> list[str]:
    """Words and numbers in reading order, case kept ("474.501.000" stays one token)."""
    return _TOKEN_RE.findall(text)


def words(text: str) -> list[str]:
    """The words of a text, lower-cased; numbers left out."""
    return [w.casefold() for w in WORD_RE.findall(text)]


def stems(text: str, *, drop_stopwords: bool = True) -> list[str]:
    """Stems of the text's words (hyphenated words split into parts), in order.

    Numbers are kept, normalised ("1.000" -> "1000"), since they carry content.
    """
    stop = stopwords() if drop_stopwords else frozenset()
    out: list[str] = []
    for token in tokenize(text):
        if token[0].isdigit():
            out.append(number_key(token))
            continue
        for part in re.split(r"[-'’]", token):
            low = part.casefold()
            if part and low not in stop:
                out.append(stem(low))
    return out


# "an- lægsomkostninger", "budget- lægges": a word broken at a PDF line end. A hyphen before
# "og", "eller", "samt", "til" or a comma is a suspended compound ("Beskæftigelses- og
# Socialudvalget") and stays.
_BROKEN_HYPHEN = re.compile(
    r"(?<=[a-zæøå])-[ \t]*\n?[ \t]*(?!(?:og|eller|samt|til|som|end|men|el|&)\b)(?=[a-zæøå])"
)


def join_hyphenated(text: str) -> str:
    """Words broken at a line end joined again ("an- lægsomkostninger" -> "anlægsomkostninger");
    suspended compounds ("Beskæftigelses- og Socialudvalget") and in-word hyphens stay."""
    if "- " not in text and "-\n" not in text:
        return text
    return _BROKEN_HYPHEN.sub(lambda m: "" if m.group(0) != "-" else "-", text)


def has_broken_hyphen(text: str) -> bool:
    """Whether the text still holds a word broken at a line end ("budget- lægges")."""
    return any(m.group(0) != "-" for m in _BROKEN_HYPHEN.finditer(text))


def is_abbreviation(word: str) -> bool:
    """Whether a word written with a final "." is an abbreviation ("bl.a.", "jf.", "kr.")."""
    core = word.rstrip(".").casefold()
    return core in NON_TERMINAL_ABBREVIATIONS or core in TERMINAL_ABBREVIATIONS


def ends_in_abbreviation(text: str) -> bool:
    """Whether the text's final "." belongs to a word that leads into more text: an abbreviation
    such as "bl.a.", "jf.", "vedr." or an ordinal such as "26." ("den 26. august")."""
    if not text.endswith("."):
        return False
    last = text.split()[-1] if text.split() else ""
    core = last.lstrip("(" + _OPENING_QUOTES).rstrip(".").casefold()
    return core in NON_TERMINAL_ABBREVIATIONS or (core.isdigit() and len(core) <= 2)


def sentence_gaps(text: str) -> list[tuple[int, int]]:
    """Where the text's sentences end: the (start, end) of the white space between two sentences.

    A full stop (or "!", "?", "…") ends a sentence only when the next word starts with a capital
    letter (or a quote) and the word before it is neither an abbreviation that always leads into
    more text ("kr." and "mio." do not), an initial ("Thomas B. Thriges Gade") nor an ordinal
    ("den 26. August"). A blank line always ends a sentence.
    """
    gaps: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        end = match.end()
        if match.group("blank") is not None:
            gaps.append((match.start(), end))
        elif _BLANK_LINE.search(match.group("gap")) or _is_boundary(
            _last_word(text, start, match.start() + 1), text[end : end + 1]
        ):
            gaps.append((match.start("gap"), end))
        else:
            continue
        start = end
    return gaps


def sentences(text: str) -> list[str]:
    """Split text into sentences without breaking at "kr.", "bl.a.", "f.eks." or "26. august".

    The sentences end where `sentence_gaps` says; each is stripped, empty ones are left out.
    """
    out: list[str] = []
    start = 0
    for gap_start, gap_end in sentence_gaps(text):
        piece = text[start:gap_start].strip()
        if piece:
            out.append(piece)
        start = gap_end
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def _last_word(text: str, start: int, end: int) -> str:
    """The last white-space separated word of text[start:end], found without copying all of it."""
    window = max(start, end - 40)
    found = text[window:end].split()
    if window > start and len(found) < 2:
        found = text[start:end].split()  # the word may begin before the window
    return found[-1] if found else ""


def _is_boundary(last: str, after: str) -> bool:
    """Whether a sentence ends after the word `last` when the next character is `after`."""
    if not after or not (after.isupper() or after in _OPENING_QUOTES):
        return False
    if last.endswith("."):
        core = last.lstrip("(" + _OPENING_QUOTES).rstrip(".")
        if len(core) == 1 and core.isalpha():
            return False  # an initial: "Thomas B. Thriges Gade"
        if ends_in_abbreviation(last):
            return False  # "bl.a. Odense", an ordinal: "punkt 3. Scenarie", "den 26. August"
    return True
