"""The question: the Indstilling's first decision as "Bør <kommune> <verb> …?", else the title."""

from __future__ import annotations

import re

from casesummary.backends.baseline._text import (
    LIST_MARKER,
    lower_first,
    recommendation_text,
    shorten,
    strip_end,
    title_kind,
)
from casesummary.danish import ends_in_abbreviation, is_negated, sentences
from casesummary.item import AgendaItem
from casesummary.validation import question_errors

_MAX_QUESTION = 200

_PREAMBLE = re.compile(r"\b(?:indstiller|anbefaler|foreslår|indstilles|anbefales)\b", re.I)
_ADDRESSEE = re.compile(r"^\s*,?\s*(?:til|over\s*for)\s+[^\n]*?(?=,?\s+at\s|\n|$)", re.I)
_PASS_ON = re.compile(
    r"^\s*,?\s*at\s+anbefale\s+(?:over\s*for|til)\s+[^\n]*?(?=,?\s+at\s|\n|$)", re.I
)
_POINT_START = re.compile(r"^at\s+", re.I)
_MARKER_ONLY = re.compile(
    r"^(?:[-•*–·▪]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\d{1,2}\.\d?[a-z]?\.?|enten|eller|samt|og)$", re.I
)
_INLINE_POINT = re.compile(r"\s(?=(?:\d{1,2}[.)]|[-•])\s+at\s)")
_BODY = (
    r"(?:[\w-]+,?\s+(?:og\s+)?)*?[\w-]*(?:udvalg(?:et)?|rådet|bestyrelsen|kommunen?|direktionen"
    r"|forvaltningen|borgmesteren)"
)
_SUBJECT = re.compile(rf"^{_BODY}\b\s*", re.I)
_FINITE = re.compile(
    r"\b(?P<verb>skal|vil|kan|bør|godkender|tager|vedtager|drøfter|beslutter|bevilger|anbefaler"
    r"|giver|meddeler|udpeger|tiltræder|bemyndiger|stemmer|afgiver|frigiver|igangsætter"
    r"|opretter|ansætter|afsætter|indgår|fastsætter|ændrer|sender|forlænger|udtaler)\b,?\s*",
    re.I,
)
_PASSIVE = re.compile(r"^godkende,?\s+at\s+der\s+(?P<verb>[a-zæøå]+e)s\b\s+(?P<rest>.+)$", re.I)
_MODALS = frozenset({"skal", "vil", "kan", "bør", "må"})
_IRREGULAR = {"er": "være", "har": "have", "gør": "gøre", "vil": "ville", "ved": "vide"}
_DECISION_VERBS = re.compile(
    r"^(?:godkend|vedtag|beslut|bevilg|opret|etabler|ansæt|afsæt|igangsæt|gennemfør|ændr"
    r"|fastsæt|indgå|frigiv|giv|tiltræd|udpeg|sælg|køb|anlæg|oprette|revider|forlæng|søg)",
    re.I,
)


def question_for(item: AgendaItem, municipality: str | None) -> str:
    """A neutral yes/no question naming the municipality: "Bør Odense Kommune godkende …?"."""
    who = municipality or "kommunen"
    title, _ = title_kind(item)
    phrases = [_verb_phrase(point, title) for point in _recommendation_points(item)]
    usable = [p for p in phrases if p and not is_negated(p)]
    decisive = [p for p in usable if _DECISION_VERBS.match(p)]
    for phrase in [*decisive, *usable]:
        if municipality:
            phrase = re.sub(rf"\s+i\s+{re.escape(municipality)}\b", "", phrase)
        candidate = _fit_question(f"Bør {who} {phrase}")
        if len(candidate) > len(who) + 8 and not question_errors(candidate):
            return candidate
    return _title_question(item, who)


def _recommendation_points(item: AgendaItem) -> list[str]:
    """The Indstilling's "at …" points, without the "X indstiller til Y at anbefale Z" preamble."""
    text = recommendation_text(item).replace("\r", "")
    match = _PREAMBLE.search(text)
    rest = text[match.end() :] if match else text
    rest = _ADDRESSEE.sub("", rest, count=1)
    rest = _PASS_ON.sub("", rest, count=1)
    lines: list[str] = []
    for raw in _INLINE_POINT.sub("\n", rest).split("\n"):
        line = " ".join(raw.split()).strip(" ,")
        if not line or _MARKER_ONLY.match(line):
            continue
        marker = LIST_MARKER.match(line)
        line = line[marker.end() :] if marker else line
        starts = bool(marker) or bool(_POINT_START.match(line))
        if lines and not starts and (_open_end(lines[-1]) or line[:1].islower()):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    points = []
    for line in lines:
        point = _POINT_START.sub("", line, count=1)
        point = (sentences(re.split(r"[:;]", point, maxsplit=1)[0]) or [""])[0]
        point = strip_end(re.sub(r"\s*\([^)]*\)", "", point).strip())
        if len(point.split()) >= 2:
            points.append(point)
    return points


def _open_end(line: str) -> bool:
    """Whether a line runs on ("… beskrevet i notatet vedr." + "den fremtidige indsats.")."""
    return not line.endswith((".", ":", ";")) or ends_in_abbreviation(line)


def _infinitive(verb: str) -> str:
    """Present tense to infinitive: 'godkender' → 'godkende', 'går' → 'gå', 'er' → 'være'."""
    low = verb.casefold()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if low.endswith("r") and len(low) > 2:
        return low[:-1]
    return low


def _verb_phrase(point: str, title: str) -> str:
    """'udvalget drøfter X' → 'drøfte X'; 'godkende, at der oprettes X' → 'oprette X'."""
    phrase = point
    subject = _SUBJECT.match(phrase)
    if subject and subject.end() < len(phrase):
        after = phrase[subject.end() :]
        finite = _FINITE.search(after)
        # "Hvidovre Kommune på generalforsamlingerne tager X" → "på generalforsamlingerne tage X"
        if finite and len(after[: finite.start()].split()) <= 5:
            middle, verb, rest = (
                after[: finite.start()],
                finite.group("verb"),
                after[finite.end() :],
            )
            comma = "," if rest.casefold().startswith("at ") else ""
            infinitive = "" if verb.casefold() in _MODALS else _infinitive(verb) + comma
            phrase = " ".join(p for p in (middle.strip(), infinitive, rest) if p)
    passive = _PASSIVE.match(phrase)
    if passive:
        phrase = f"{passive.group('verb')} {passive.group('rest')}"
    phrase = strip_end(_DANGLING_CLAUSE.sub("", " ".join(phrase.split())))
    return _with_title(lower_first(phrase), title) if phrase else ""


_DANGLING_CLAUSE = re.compile(r"(?:[\s,]+(?:og|samt|eller|herunder|men|at|enten))+[\s,.]*$", re.I)


def _with_title(phrase: str, title: str) -> str:
    """'drøfte pejlemærkerne' + title 'Pejlemærker for X' → 'drøfte pejlemærkerne for X'."""
    words = phrase.split(" ")
    title_words = title.split(" ")
    if len(words) != 2 or len(title_words) < 3:
        return phrase
    stem = title_words[0].casefold()[:-1] if len(title_words[0]) > 5 else "\0"
    if words[1].casefold().startswith(stem):
        return f"{phrase} {' '.join(title_words[1:])}"
    return phrase


def _fit_question(text: str) -> str:
    """Close as a question under the length limit, cutting at a comma or word if needed."""
    text = strip_end(text.rstrip(" ?!"))
    if len(text) + 1 > _MAX_QUESTION:
        text = strip_end(shorten(text, _MAX_QUESTION - 1))
    return f"{text}?"


def _title_question(item: AgendaItem, who: str) -> str:
    title, kind = title_kind(item)
    subject = lower_first(title)
    if is_negated(subject):
        return f"Bør {who} følge indstillingen i dagsordenspunktet?"
    if kind == "orientering":
        return _fit_question(f"Bør {who} tage orienteringen om {subject} til efterretning")
    if kind == "drøftelse":
        return _fit_question(f"Bør {who} drøfte {subject}")
    return _fit_question(f"Bør {who} gennemføre forslaget om {subject}")
