"""Text preparation the answer parts share: logical lines, usable sentences, shortening and
casing, the item's title and Indstilling, cue patterns."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from casesummary.danish import (
    is_abbreviation,
    is_furniture,
    join_hyphenated,
    sentences,
    stopwords,
)
from casesummary.item import AgendaItem, SectionKind

# --- cleaning --------------------------------------------------------------------------------

_TAG = re.compile(r"<[^<>\n]{0,400}>")
_BLANKS = re.compile(r"[ \t\u00a0\u200b]+")


def clean_text(text: str) -> str:
    """Section text without markup, entities, page furniture lines or words broken at line ends;
    line breaks are kept (they separate list items)."""
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    text = join_hyphenated(text.replace("\r", ""))
    out = []
    for line in text.split("\n"):
        line = _BLANKS.sub(" ", line).strip()
        if line and not is_furniture(line):
            out.append(line)
    return "\n".join(out)


# --- lines and sentences ---------------------------------------------------------------------

LIST_MARKER = re.compile(r"^(?:[-•*–·▪]|\d{1,2}[.)]|[a-zæøå][.)])\s+")
_TERMINAL = (".", "!", "?", ":")


@dataclass(frozen=True)
class Line:
    text: str
    listed: bool  # a list item or a fragment without closing punctuation
    marked: bool = False  # a list item with a marker ("-", "1.")


def join_wrapped(text: str, terminal: tuple[str, ...] = _TERMINAL) -> list[str]:
    """The text's non-empty lines, white space collapsed, with a hard wrap joined back: a line
    that starts in lower case continues the one before unless that ends in `terminal`."""
    joined: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if joined and not joined[-1].endswith(terminal) and line[0].islower():
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def lines(text: str) -> list[Line]:
    """Section text as logical lines: hard wraps joined, list markers removed, labels dropped."""
    joined = join_wrapped(clean_text(text))
    out: list[Line] = []
    for line in joined:
        marker = LIST_MARKER.match(line)
        body = line[marker.end() :].strip() if marker else line
        if len(body.split()) < 3 and not body.endswith((".", "!", "?")):
            continue  # headings and labels such as "Dagsordenspunkt"
        listed = bool(marker) or not body.endswith(_TERMINAL)
        out.append(Line(body, listed=listed, marked=bool(marker)))
    return out


def prose(kinds: Iterable[SectionKind], item: AgendaItem) -> list[str]:
    """The complete prose sentences of the item's sections of these kinds, in order."""
    found: list[str] = []
    for kind in kinds:
        for section in item.sections:
            if section.kind != kind:
                continue
            for line in lines(section.text):
                if line.listed:
                    continue
                found.extend(s for s in sentences(line.text) if usable(s))
    return found


_BOILERPLATE = re.compile(
    r"udarbejdet (?:dette|denne) (?:dagsordenspunkt|sag|mødesag)|"
    r"(?:dagsordenspunkt(?:et)?|mødesagen|sagen) er udarbejdet|se bilag|fremgår af bilag",
    re.IGNORECASE,
)


_INLINE_LIST = re.compile(r":\s*(?:1\)|1\.|a\))\s")


_POINTER_LINE = re.compile(
    r"^(?:bilag\b|indstilling\b\s*$|sagsforløb\b|udvalg:|dato:|punktnummer:)|\.(?:pdf|docx?)\b",
    re.IGNORECASE,
)


def usable(sentence: str) -> bool:
    """Whether a sentence can be quoted: prose of the item, not boilerplate, furniture, an
    attachment line or text run together from PDF columns and tables."""
    return (
        _BOILERPLATE.search(sentence) is None
        and len(sentence.split()) >= 5
        and sentence[0].isupper()
        and not sentence.endswith(("?", ":"))
        and _INLINE_LIST.search(sentence) is None
        and len(sentence) <= 600
        and not is_furniture(sentence)
        and _POINTER_LINE.search(sentence) is None
        and reads_as_prose(sentence)
    )


_LABEL = re.compile(r"(?<![\w.])[A-ZÆØÅ][\wæøå.]*:\s+\S")


def reads_as_prose(sentence: str) -> bool:
    """Danish prose is about a third function words and mostly lower case; text interleaved from
    PDF columns, tables and header rows is neither."""
    tokens = sentence.split()
    words_only = [t for t in tokens if any(c.isalpha() for c in t)]
    if len(words_only) < 4:
        return False
    stop = stopwords()
    function = sum(t.strip(",.;:()").casefold() in stop for t in words_only)
    capitals = sum(t[:1].isupper() for t in words_only[1:])
    numbers = sum(any(c.isdigit() for c in t) for t in tokens)
    labels = len(_LABEL.findall(sentence))  # "Udvalg: Byrådet Dato: 26-03-2025 …"
    return (
        function >= 1
        and capitals / len(words_only) <= 0.5
        and numbers / len(tokens) <= 0.35
        and labels < 2
    )


_CLAUSE_BREAK = re.compile(
    r",\s+(?=(?:der|som|hvor|og|men|så|hvilket|når|fordi|idet|da|herunder|samt|mens|hvis"
    r"|selvom|eller)\b)|\s+[–-]\s+|;\s+"
)
_DANGLING = re.compile(
    r"(?:\s+(?:og|om|til|for|af|i|på|med|at|eller|samt|der|som|en|et|den|det|de|fra|ved"
    r"|\d{1,2}\.?))+$"
)


def shorten(text: str, limit: int) -> str:
    """Cut a long sentence at its last clause break (else word) before the limit."""
    text = text.strip()
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(head) if m.start() >= limit // 2]
    cut = breaks[-1] if breaks else head.rfind(" ")
    shortened = _DANGLING.sub("", head[:cut].rstrip(" ,;:–-")).rstrip(" ,;:–-")
    return strip_end(shortened) + ("." if text.endswith(".") else "")


def strip_end(text: str) -> str:
    """Drop closing punctuation, but keep the period of a final "kr." or "bl.a."."""
    text = text.rstrip(" ,;:–-")
    while text.endswith("."):
        if is_abbreviation(text.rsplit(" ", 1)[-1]):
            break
        text = text[:-1].rstrip(" ,;:–-")
    return text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """Lower-case the first letter, unless the first word looks like a name or an acronym
    ("EU", "Hvidovre Kommune", "Job First", "CO2")."""
    words = text.split(" ", 2)
    first = words[0]
    if any(c.isupper() or c.isdigit() for c in first[1:]):
        return text
    if len(words) > 1 and words[1][:1].isupper():
        return text
    return text[:1].lower() + text[1:]


# --- title and Indstilling -------------------------------------------------------------------

_TITLE_PREFIX = re.compile(
    r"^(?:(?:lukket|åben|åbent|beslutning|orientering|drøftelse|temadrøftelse|godkendelse"
    r"|meddelelse|[a-z]-sag)\s*[:\-–]\s*)+",
    re.IGNORECASE,
)


def title_kind(item: AgendaItem) -> tuple[str, str]:
    """The title without portal prefixes, and what kind of case it is ("orientering"…)."""
    raw = " ".join(item.title.split())
    match = _TITLE_PREFIX.match(raw)
    prefix = f"{match.group(0) if match else ''} {item.case_type or ''}".casefold()
    title = (raw[match.end() :] if match else raw).strip().rstrip(".") or raw
    kind = next((k for k in ("orientering", "drøftelse") if k in prefix), "")
    return shorten(title, 120), kind


def recommendation_text(item: AgendaItem) -> str:
    if item.recommendation and item.recommendation.strip():
        return item.recommendation
    section = item.section(SectionKind.RECOMMENDATION)
    return section.text if section else ""


# --- cues ------------------------------------------------------------------------------------

_CUE_CACHE: dict[str, re.Pattern[str]] = {}


def cue_pattern(cue: str, *, inside_words: bool = True) -> re.Pattern[str]:
    """A cue as a pattern on casefolded text. Taxonomy cues match at the start of a word (as the
    taxonomy file documents); our own long pro/con stems also match inside compounds."""
    key = f"{inside_words}:{cue}"
    pattern = _CUE_CACHE.get(key)
    if pattern is None:
        words = r"\s+".join(re.escape(w) for w in cue.casefold().split())
        boundary = "" if inside_words and len(cue) >= 6 else r"(?<!\w)"
        pattern = _CUE_CACHE[key] = re.compile(boundary + words)
    return pattern
