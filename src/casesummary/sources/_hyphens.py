"""Words a layout broke at a line end: "an-" + "lægsomkostninger" is one word again.

A text laid out in lines (a PDF, minutes text copied from one) hyphenates long words at line
ends, and copying often leaves "an- lægsomkostninger" inside a line. Danish also hyphenates on
purpose: "p-huse", "2030-fremskrivning", "EU-borgere", "Hasselager-Kolt" keep their hyphen, and a
suspended compound ("idræts- og outdoorfaciliteter") keeps hyphen and space. Where the document
itself spells the word elsewhere, that spelling decides. PDFium marks the hyphens it found at
line ends as U+0002 (U+FFFE in some calls) and has already joined those lines; they are decided
the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

SOFT = "\x02"
_CONJUNCTIONS = frozenset({"og", "eller", "samt", "til", "som", "and", "&", "el."})
_WORD_END = re.compile(r"(\w+)$")
_WORD_START = re.compile(r"^(\w+)")
# "an- lægsomkostninger" inside a line: a lowercase fragment of two letters or more, a hyphen
# and one space, then a lowercase word that is not itself the start of a suspended list.
_INLINE = re.compile(r"(?<![\w-])([a-zæøåé]{2,})- ([a-zæøåé]\w*)(?![\w-])(?!,)")


class Vocabulary:
    """How a document spells words elsewhere: whole, or with a hyphen (looked up on demand)."""

    __slots__ = ("_text",)

    def __init__(self, texts: Iterable[str]) -> None:
        self._text = "\n".join(texts).casefold()

    def has_word(self, word: str) -> bool:
        folded = word.casefold()
        if folded not in self._text:
            return False
        return re.search(rf"(?<![\w-]){re.escape(folded)}(?![\w-])", self._text) is not None


def join(fragment: str, continuation: str, vocabulary: Vocabulary | None) -> str:
    """`fragment` (ending where the hyphen was) and `continuation` as the author wrote them."""
    end = _WORD_END.search(fragment)
    start = _WORD_START.match(continuation)
    if end is None or start is None:
        return f"{fragment}-{continuation}"
    head, tail = end.group(1), start.group(1)
    if tail.casefold() in _CONJUNCTIONS:
        return f"{fragment}- {continuation}"
    named = any(c.isupper() for c in head[1:])  # "UngiAarhus-tilbud", "MTM-"
    if len(head) == 1 or head[-1].isdigit() or named or tail[0].isupper():
        return f"{fragment}-{continuation}"
    if tail[0].isdigit():
        return f"{fragment}-{continuation}"
    if (
        vocabulary is not None
        and vocabulary.has_word(f"{head}-{tail}")
        and not vocabulary.has_word(head + tail)
    ):
        return f"{fragment}-{continuation}"
    return fragment + continuation


def join_line_ends(lines: Sequence[str], vocabulary: Vocabulary | None = None) -> list[str]:
    """Lines with every line-end hyphen (and PDFium's U+0002) decided; joined lines merge."""
    out: list[str] = []
    pending: str | None = None
    for line in lines:
        if pending is not None:
            if not line:
                out.append(pending + "-")
                pending = None
                out.append(line)
                continue
            line = join(pending, line, vocabulary)
            pending = None
        if SOFT in line:
            line = _join_soft(line, vocabulary)
        if _ends_broken(line):
            pending = line[:-1]
            continue
        out.append(line)
    if pending is not None:
        out.append(pending + "-")
    return out


def join_inline(text: str, vocabulary: Vocabulary | None = None) -> str:
    """ "an- lægsomkostninger" inside a line joined; suspended compounds left alone."""
    if "- " not in text:
        return text

    return _INLINE.sub(lambda m: join(m.group(1), m.group(2), vocabulary), text)


def _join_soft(line: str, vocabulary: Vocabulary | None) -> str:
    parts = line.split(SOFT)
    text = parts[0]
    for part in parts[1:]:
        text = join(text, part, vocabulary) if part else text + "-"
    return text


def _ends_broken(line: str) -> bool:
    """A line ending in a hyphen right after a letter or digit: "an-", "2030-" (not " -")."""
    return len(line) >= 2 and line[-1] == "-" and line[-2].isalnum()
