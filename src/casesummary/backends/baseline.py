"""Offline extractive backend: the default with no model, and the floor every prompt must beat.

It answers from the item's own text, deterministically and without a network:

- question: the first decision in the Indstilling turned into "Bør <kommune> <verb> …?";
  the title is the fallback. Clauses with negation words are skipped, never edited.
- summary: the first two or three sentences of the Sagsresumé/Beslutningstema (else the
  Sagsfremstilling), always starting with "Uddrag af dagsordenspunktet: " so a reader can see
  the text is quoted, not written.
- pros/cons: the item's own sentences with benefit or cost/risk cue words (the numbered points
  of a Sagsresumé count as pros: they are what is proposed). Cons quoted from the item are
  labelled "Udgift: …" or "Mulig ulempe: …"; missing points are filled with cautious,
  item-specific statements ("Risiko for at …", "Mulighed for at …") built from title and economy.
- keywords: taxonomy topics scored by cue-stem occurrences (title weighted higher).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from casesummary.backends.base import BackendRequest, BackendResponse
from casesummary.danish import NON_TERMINAL_ABBREVIATIONS, sentences
from casesummary.exceptions import InvalidBackendSpec
from casesummary.item import AgendaItem, SectionKind
from casesummary.result import PromptResult, Usage
from casesummary.taxonomy import Taxonomy, Topic
from casesummary.validation import question_errors

NAME = "baseline"
MODEL = "extractive-v1"
#: Opens every baseline summary, so nobody mistakes quoted text for a written summary.
EXTRACT_MARKER = "Uddrag af dagsordenspunktet: "

_MAX_QUESTION = 200
_MAX_SENTENCE = 260
_MAX_POINT = 250
_NEGATION = re.compile(r"\b(ikke|ingen|intet|aldrig)\b", re.IGNORECASE)


class BaselineBackend:
    """Answers with an extractive Prompt resultater block built from the item itself."""

    name: str = NAME
    model: str = MODEL

    def complete(self, request: BackendRequest) -> BackendResponse:
        result = extract(request.item, request.taxonomy)
        return BackendResponse(
            content=result.model_dump_json(),
            model=MODEL,
            structured_mode="none",
            usage=Usage(),
            extractive=True,
        )

    async def acomplete(self, request: BackendRequest) -> BackendResponse:
        # CPU-only and a few milliseconds: a thread would cost more than it saves.
        return self.complete(request)


def from_spec(rest: str) -> BaselineBackend:
    """Registry factory: `baseline` takes no options."""
    if rest.strip():
        raise InvalidBackendSpec(f"baseline:{rest}", "the baseline backend takes no options")
    return BaselineBackend()


def extract(item: AgendaItem, taxonomy: Taxonomy) -> PromptResult:
    """The baseline answer for one item: same item and taxonomy, byte-identical result."""
    municipality = _municipality(item)
    question = _question(item, municipality)
    summary = _summary(item)
    pros, cons = _pros_and_cons(item, question, summary)
    return PromptResult(
        question=question,
        summary=summary,
        pros=pros,
        cons=cons,
        keywords=_keywords(item, taxonomy),
    )


# --- text preparation --------------------------------------------------------------------

_LIST_MARKER = re.compile(r"^(?:[-•*–·▪]|\d{1,2}[.)]|[a-zæøå][.)])\s+")
_TERMINAL = (".", "!", "?", ":")


@dataclass(frozen=True)
class _Line:
    text: str
    listed: bool  # a list item or a fragment without closing punctuation
    marked: bool = False  # a list item with a marker ("-", "1.")


def _lines(text: str) -> list[_Line]:
    """Section text as logical lines: hard wraps joined, list markers removed, labels dropped."""
    raw = [" ".join(part.split()) for part in text.splitlines()]
    joined: list[str] = []
    for line in raw:
        if not line:
            continue
        if joined and not joined[-1].endswith(_TERMINAL) and line[0].islower():
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    out: list[_Line] = []
    for line in joined:
        marker = _LIST_MARKER.match(line)
        body = line[marker.end() :].strip() if marker else line
        if len(body.split()) < 3 and not body.endswith((".", "!", "?")):
            continue  # headings and labels such as "Dagsordenspunkt"
        listed = bool(marker) or not body.endswith(_TERMINAL)
        out.append(_Line(body, listed=listed, marked=bool(marker)))
    return out


def _ends_in_abbreviation(text: str) -> bool:
    if not text.endswith("."):
        return False
    last = text.rsplit(" ", 1)[-1].rstrip(".").casefold()
    return last in NON_TERMINAL_ABBREVIATIONS or (last.isdigit() and len(last) <= 2)


def _prose(kinds: Iterable[SectionKind], item: AgendaItem) -> list[str]:
    """The complete prose sentences of the item's sections of these kinds, in order."""
    found: list[str] = []
    for kind in kinds:
        for section in item.sections:
            if section.kind != kind:
                continue
            for line in _lines(section.text):
                if line.listed:
                    continue
                found.extend(s for s in sentences(line.text) if _usable(s))
    return found


_BOILERPLATE = re.compile(
    r"udarbejdet (?:dette|denne) (?:dagsordenspunkt|sag|mødesag)|"
    r"(?:dagsordenspunkt(?:et)?|mødesagen|sagen) er udarbejdet|se bilag|fremgår af bilag",
    re.IGNORECASE,
)


_INLINE_LIST = re.compile(r":\s*(?:1\)|1\.|a\))\s")


def _usable(sentence: str) -> bool:
    return (
        _BOILERPLATE.search(sentence) is None
        and len(sentence.split()) >= 5
        and sentence[0].isupper()
        and not sentence.endswith(("?", ":"))
        and _INLINE_LIST.search(sentence) is None
        and len(sentence) <= 600
    )


_CLAUSE_BREAK = re.compile(
    r",\s+(?=(?:der|som|hvor|og|men|så|hvilket|når|fordi|idet|da|herunder|samt|mens|hvis"
    r"|selvom|eller)\b)|\s+[–-]\s+|;\s+"
)
_DANGLING = re.compile(
    r"(?:\s+(?:og|om|til|for|af|i|på|med|at|eller|samt|der|som|en|et|den|det|de|fra|ved"
    r"|\d{1,2}\.?))+$"
)


def _shorten(text: str, limit: int) -> str:
    """Cut a long sentence at its last clause break (else word) before the limit."""
    text = text.strip()
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(head) if m.start() >= limit // 2]
    cut = breaks[-1] if breaks else head.rfind(" ")
    shortened = _DANGLING.sub("", head[:cut].rstrip(" ,;:–-")).rstrip(" ,;:–-")
    return _strip_end(shortened) + ("." if text.endswith(".") else "")


def _strip_end(text: str) -> str:
    """Drop closing punctuation, but keep the period of a final "kr." or "bl.a."."""
    text = text.rstrip(" ,;:–-")
    while text.endswith("."):
        last = text.rsplit(" ", 1)[-1].rstrip(".").casefold()
        if last in NON_TERMINAL_ABBREVIATIONS or last in {"kr", "mio", "mia"}:
            break
        text = text[:-1].rstrip(" ,;:–-")
    return text


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    """Lower-case the first letter, unless the first word looks like a name or an acronym
    ("EU", "Hvidovre Kommune", "Job First", "CO2")."""
    words = text.split(" ", 2)
    first = words[0]
    if any(c.isupper() or c.isdigit() for c in first[1:]):
        return text
    if len(words) > 1 and words[1][:1].isupper():
        return text
    return text[:1].lower() + text[1:]


# --- municipality and title --------------------------------------------------------------

_KOMMUNE = re.compile(r"\b([A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?) Kommunes?\b")
_TITLE_PREFIX = re.compile(
    r"^(?:(?:lukket|åben|åbent|beslutning|orientering|drøftelse|temadrøftelse|godkendelse"
    r"|meddelelse|[a-z]-sag)\s*[:\-–]\s*)+",
    re.IGNORECASE,
)


def _municipality(item: AgendaItem) -> str | None:
    """ "Odense Kommune": from the item's field, else the most named "<X> Kommune" in its text."""
    name = (item.municipality or "").strip()
    if not name:
        counts: dict[str, int] = {}
        for text in [item.title, *(s.text for s in item.sections)]:
            for match in _KOMMUNE.finditer(text):
                counts[match.group(1)] = counts.get(match.group(1), 0) + 1
        if not counts:
            return None
        name = min(counts, key=lambda n: (-counts[n], n))
    if not name.casefold().endswith("kommune"):
        name = f"{name} Kommune"
    return name


def _title_kind(item: AgendaItem) -> tuple[str, str]:
    """The title without portal prefixes, and what kind of case it is ("orientering"…)."""
    raw = " ".join(item.title.split())
    match = _TITLE_PREFIX.match(raw)
    prefix = f"{match.group(0) if match else ''} {item.case_type or ''}".casefold()
    title = (raw[match.end() :] if match else raw).strip().rstrip(".") or raw
    kind = next((k for k in ("orientering", "drøftelse") if k in prefix), "")
    return _shorten(title, 120), kind


# --- question ----------------------------------------------------------------------------

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


def _question(item: AgendaItem, municipality: str | None) -> str:
    """A neutral yes/no question naming the municipality: "Bør Odense Kommune godkende …?"."""
    who = municipality or "kommunen"
    title, _ = _title_kind(item)
    phrases = [_verb_phrase(point, title) for point in _recommendation_points(item)]
    usable = [p for p in phrases if p and not _NEGATION.search(p)]
    decisive = [p for p in usable if _DECISION_VERBS.match(p)]
    for phrase in [*decisive, *usable]:
        if municipality:
            phrase = re.sub(rf"\s+i\s+{re.escape(municipality)}\b", "", phrase)
        candidate = _fit_question(f"Bør {who} {phrase}")
        if len(candidate) > len(who) + 8 and not question_errors(candidate):
            return candidate
    return _title_question(item, who)


def _recommendation_text(item: AgendaItem) -> str:
    if item.recommendation and item.recommendation.strip():
        return item.recommendation
    section = item.section(SectionKind.RECOMMENDATION)
    return section.text if section else ""


def _recommendation_points(item: AgendaItem) -> list[str]:
    """The Indstilling's "at …" points, without the "X indstiller til Y at anbefale Z" preamble."""
    text = _recommendation_text(item).replace("\r", "")
    match = _PREAMBLE.search(text)
    rest = text[match.end() :] if match else text
    rest = _ADDRESSEE.sub("", rest, count=1)
    rest = _PASS_ON.sub("", rest, count=1)
    lines: list[str] = []
    for raw in _INLINE_POINT.sub("\n", rest).split("\n"):
        line = " ".join(raw.split()).strip(" ,")
        if not line or _MARKER_ONLY.match(line):
            continue
        marker = _LIST_MARKER.match(line)
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
        point = _strip_end(re.sub(r"\s*\([^)]*\)", "", point).strip())
        if len(point.split()) >= 2:
            points.append(point)
    return points


def _open_end(line: str) -> bool:
    """Whether a line runs on ("… beskrevet i notatet vedr." + "den fremtidige indsats.")."""
    return not line.endswith((".", ":", ";")) or _ends_in_abbreviation(line)


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
    phrase = _strip_end(_DANGLING_CLAUSE.sub("", " ".join(phrase.split())))
    return _with_title(_lower_first(phrase), title) if phrase else ""


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
    text = _strip_end(text.rstrip(" ?!"))
    if len(text) + 1 > _MAX_QUESTION:
        text = _strip_end(_shorten(text, _MAX_QUESTION - 1))
    return f"{text}?"


def _title_question(item: AgendaItem, who: str) -> str:
    title, kind = _title_kind(item)
    subject = _lower_first(title)
    if _NEGATION.search(subject):
        return f"Bør {who} følge indstillingen i dagsordenspunktet?"
    if kind == "orientering":
        return _fit_question(f"Bør {who} tage orienteringen om {subject} til efterretning")
    if kind == "drøftelse":
        return _fit_question(f"Bør {who} drøfte {subject}")
    return _fit_question(f"Bør {who} gennemføre forslaget om {subject}")


# --- summary -----------------------------------------------------------------------------

_SUMMARY_ORDER = (
    SectionKind.SUMMARY,
    SectionKind.PRESENTATION,
    SectionKind.BACKGROUND,
    SectionKind.OTHER,
    SectionKind.ECONOMY,
)


def _summary(item: AgendaItem) -> str:
    """Two or three of the item's first sentences, marked as an extract.

    Sentences are counted by `danish.sentences`, the same rule the answer is checked
    with, so an odd abbreviation in the source cannot push the count outside two or three.
    """
    chosen: list[str] = []
    for sentence in _prose(_SUMMARY_ORDER, item):
        shortened = _shorten(sentence, _MAX_SENTENCE)
        if not shortened.endswith((".", "!")):
            shortened += "."
        if shortened in chosen or len(sentences(shortened)) != 1:
            continue
        chosen.append(shortened)
        if len(chosen) == 3 or (len(chosen) == 2 and len(" ".join(chosen)) >= 220):
            break
    title, _ = _title_kind(item)
    for filler in (
        f"Punktet har overskriften „{title}“.",
        "Dagsordenspunktet indeholder ikke yderligere tekst ud over overskriften.",
    ):
        if len(chosen) < 2 and len(sentences(filler)) == 1:
            chosen.append(filler)
    return EXTRACT_MARKER + " ".join(chosen[:3])


# --- pros and cons -----------------------------------------------------------------------

_PRO_CUES = {
    "skal sikre": 2.0,
    "sikre": 1.0,
    "styrke": 1.0,
    "forbedre": 1.0,
    "formålet": 1.0,
    "til formål": 1.0,
    "mulighed for": 1.0,
    "bedre": 1.0,
    "øge": 1.0,
    "effekt": 1.0,
    "gevinst": 1.0,
    "understøtte": 1.0,
    "fremme": 1.0,
    "nemmere": 1.0,
    "robust": 1.0,
    "tryghed": 1.0,
    "trivsel": 1.0,
    "kvalitet": 1.0,
    "målet er": 1.0,
    "bidrage": 1.0,
    "hurtig": 0.5,
}
_CON_CUES = {
    "udgift": 1.0,
    "koste": 1.0,
    "risiko for": 1.5,
    "risikerer": 1.5,
    "usikker": 1.5,
    "merudgift": 1.5,
    "besparelse": 1.0,
    "reduktion": 1.0,
    "reducere": 1.0,
    "ulempe": 1.5,
    "kræver": 1.0,
    "belastning": 1.0,
    "forsinke": 1.0,
    "mangel": 1.0,
    "underskud": 1.0,
    "kassebeholdningen": 1.0,
}
# A negated sentence is usually a reassurance ("ændringen vil ikke betyde, at der reduceres …",
# "ingen merudgifter"), not a drawback, unless it names a risk itself.
_RISK = re.compile(r"risiko|risikere|usikker", re.IGNORECASE)
_AMOUNT = re.compile(r"\d[\d.,]*\s*(?:mio\.|mia\.|millioner|milliarder)?\s*(?:kr\.|kroner)")
_COST = re.compile(r"udgift|koste|merudgift|kassebeholdning|finansier", re.IGNORECASE)
_NO_ECONOMY = re.compile(
    r"ingen (?:økonomiske )?(?:konsekvenser|bemærkninger)|ikke (?:nogen )?økonomiske konsekvenser",
    re.IGNORECASE,
)
# Sections that never hold the item's own pros and cons.
_NOT_ARGUMENTS = (SectionKind.DECISION, SectionKind.RECOMMENDATION, SectionKind.LEGAL)
_CUE_CACHE: dict[str, re.Pattern[str]] = {}


def _cue_pattern(cue: str, *, inside_words: bool = True) -> re.Pattern[str]:
    """A cue as a pattern on casefolded text. Taxonomy cues match at the start of a word (as the
    taxonomy file documents); our own long pro/con stems also match inside compounds."""
    key = f"{inside_words}:{cue}"
    pattern = _CUE_CACHE.get(key)
    if pattern is None:
        words = r"\s+".join(re.escape(w) for w in cue.casefold().split())
        boundary = "" if inside_words and len(cue) >= 6 else r"(?<!\w)"
        pattern = _CUE_CACHE[key] = re.compile(boundary + words)
    return pattern


def _cue_score(text: str, cues: dict[str, float]) -> float:
    low = text.casefold()
    # The substring test is a cheap filter; the pattern then checks the word boundary.
    return sum(w for cue, w in cues.items() if cue in low and _cue_pattern(cue).search(low))


def _candidates(item: AgendaItem, summary: str) -> list[tuple[str, bool]]:
    """The item's own statements not already quoted in the summary, with whether each is a
    list item of the Sagsresumé (what is being proposed, e.g. the seven pejlemærker)."""
    found: list[tuple[str, bool]] = []
    for section in item.sections:
        if section.kind in _NOT_ARGUMENTS:
            continue
        for line in _lines(section.text):
            listed_in_summary = line.marked and section.kind == SectionKind.SUMMARY
            if line.listed and not listed_in_summary:
                continue
            for sentence in [line.text] if line.listed else sentences(line.text):
                if sentence in summary or not (
                    _usable(sentence) or (listed_in_summary and len(sentence.split()) >= 5)
                ):
                    continue
                found.append((sentence, listed_in_summary))
    return found


def _as_point(sentence: str) -> str:
    return _upper_first(_strip_end(_shorten(sentence, _MAX_POINT)))


def _as_con(sentence: str) -> str:
    """A con in the item's words, labelled so it reads as a possible drawback, not a verdict."""
    body = _upper_first(_strip_end(_shorten(sentence, _MAX_POINT - 16)))
    if body.casefold().startswith(("risiko", "der er risiko", "usikker")):
        return body
    if _AMOUNT.search(body) or _COST.search(body):
        return f"Udgift: {body}"
    return f"Mulig ulempe: {body}"


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def _pros_and_cons(item: AgendaItem, question: str, summary: str) -> tuple[list[str], list[str]]:
    scored_pros: list[tuple[float, int, str]] = []
    scored_cons: list[tuple[float, int, str]] = []
    for index, (sentence, listed) in enumerate(_candidates(item, summary)):
        negated = _NEGATION.search(sentence) is not None
        if _NO_ECONOMY.search(sentence):
            continue
        pro = _cue_score(sentence, _PRO_CUES) + (1.0 if listed else 0.0)
        costly = _AMOUNT.search(sentence) is not None and _COST.search(sentence) is not None
        con = _cue_score(sentence, _CON_CUES) + (1.0 if costly else 0.0)
        brevity = 0.5 if len(sentence) > 200 else 0.0
        if con >= 1.0 and con > pro and (not negated or _RISK.search(sentence)):
            scored_cons.append((con - brevity, index, _as_con(sentence)))
        elif listed or (pro >= 1.0 and not negated):
            scored_pros.append((pro - brevity, index, _as_point(sentence)))
    pros = _pick(scored_pros, set())
    cons = _pick(scored_cons, {_key(p) for p in pros}, max_costs=2)
    pros = _fill(pros, _generic_pros(item, question), {_key(c) for c in cons})
    cons = _fill(cons, _generic_cons(item), {_key(p) for p in pros})
    return pros, cons


def _pick(scored: list[tuple[float, int, str]], taken: set[str], max_costs: int = 3) -> list[str]:
    """The three best by score (earliest first on ties), shown in the item's own order; at most
    `max_costs` of them about money, so a budget-heavy item still shows other drawbacks."""
    best: list[tuple[float, int, str]] = []
    seen = set(taken)
    costs = 0
    for entry in sorted(scored, key=lambda e: (-e[0], e[1])):
        is_cost = entry[2].startswith("Udgift: ")
        if _key(entry[2]) in seen or len(best) == 3 or (is_cost and costs >= max_costs):
            continue
        best.append(entry)
        seen.add(_key(entry[2]))
        costs += is_cost
    return [text for _, _, text in sorted(best, key=lambda e: e[1])]


def _fill(chosen: list[str], generic: list[str], taken: set[str]) -> list[str]:
    out = list(chosen)
    seen = taken | {_key(c) for c in out}
    for text in generic:
        if len(out) == 3:
            break
        if _key(text) not in seen:
            out.append(text)
            seen.add(_key(text))
    return out


def _generic_pros(item: AgendaItem, question: str) -> list[str]:
    title, _ = _title_kind(item)
    subject = _lower_first(title)
    action = re.sub(r"^Bør \S+(?: Kommune)? ", "", question).rstrip("?")
    return [
        f"Giver et klart politisk grundlag for arbejdet med {subject}",
        f"Giver mulighed for at {action}"
        if action and not action.startswith("gennemføre forslaget om")
        else f"Skaber gennemsigtighed for borgerne om {subject}",
        "Sagen beskriver forslaget, så beslutningen kan træffes på et oplyst grundlag",
        f"Skaber gennemsigtighed for borgerne om {subject}",
    ]


def _generic_cons(item: AgendaItem) -> list[str]:
    title, _ = _title_kind(item)
    subject = _lower_first(title)
    economy = item.section(SectionKind.ECONOMY)
    text = " ".join(s.text for s in item.sections)
    amount = _AMOUNT.search(economy.text if economy else "") or _AMOUNT.search(text)
    if amount:
        money = f"Risiko for at udgifterne bliver højere end de {amount.group(0)}, sagen regner med"
    elif economy and _NO_ECONOMY.search(economy.text):
        money = "Mulighed for at arbejdet alligevel lægger beslag på ressourcer i forvaltningen"
    else:
        money = "Risiko for at gennemførelsen kræver flere ressourcer end forudsat"
    return [
        f"Risiko for at tiltaget om {subject} ikke opnår den ønskede effekt",
        money,
        "Mulighed for at berørte borgere og parter oplever ændringerne som uklare",
        "Risiko for at andre opgaver må vente, mens forslaget gennemføres",
    ]


# --- keywords ----------------------------------------------------------------------------

_TITLE_WEIGHT = 4.0
_LEAD_WEIGHT = 2.0
_MIN_SCORE = 3.0
_RELATIVE = 0.4


_BODY_CAP = 10  # one long Sagsfremstilling must not outvote the title and the Indstilling
_WORD_CUE = re.compile(r"\w+")


class _WordIndex:
    """Counts of the words of a text, sorted, so "words starting with cue" is two bisections."""

    def __init__(self, text: str) -> None:
        self.text = text
        counts: dict[str, int] = {}
        for word in _WORD_CUE.findall(text):
            counts[word] = counts.get(word, 0) + 1
        self.words = sorted(counts)
        self.cumulative = [0]
        for word in self.words:
            self.cumulative.append(self.cumulative[-1] + counts[word])

    def count(self, cue: str) -> int:
        """Occurrences of words starting with `cue` (casefolded); phrases such as "skema a" and
        cues with punctuation ("kr.") are counted with a pattern instead."""
        if not _WORD_CUE.fullmatch(cue):
            if cue not in self.text:
                return 0
            return len(_cue_pattern(cue, inside_words=False).findall(self.text))
        low = bisect_left(self.words, cue)
        high = bisect_left(self.words, cue + "\U0010ffff")
        return self.cumulative[high] - self.cumulative[low]


def _topic_cues(topic: Topic) -> tuple[str, ...]:
    if topic.cues:
        return tuple(c.casefold() for c in topic.cues if c.strip())
    words = re.findall(r"\w+", topic.name.casefold())
    return tuple(w for w in words if len(w) >= 4) or (topic.name.casefold(),)


def _keywords(item: AgendaItem, taxonomy: Taxonomy) -> list[str]:
    """1–3 topic names: the best always, others if they score near it."""
    title = item.title.casefold()
    lead_parts = [_recommendation_text(item)]
    body_parts: list[str] = []
    for section in item.sections:
        if section.kind == SectionKind.SUMMARY:
            lead_parts.append(section.text)
        elif section.kind != SectionKind.RECOMMENDATION:
            body_parts.append(section.text)
    texts = [
        (_WordIndex(title), _TITLE_WEIGHT, None),
        (_WordIndex(" ".join(lead_parts).casefold()), _LEAD_WEIGHT, None),
        (_WordIndex(" ".join(body_parts).casefold()), 1.0, _BODY_CAP),
    ]
    scores: list[tuple[float, int, str]] = []
    for index, topic in enumerate(taxonomy.topics):
        score = 0.0
        for cue in _topic_cues(topic):
            for words, weight, cap in texts:
                hits = words.count(cue)
                score += weight * (min(hits, cap) if cap is not None else hits)
        scores.append((score, index, topic.name))
    ranked = sorted(scores, key=lambda s: (-s[0], s[1]))
    best = ranked[0][0]
    if best <= 0:
        return [_fallback_topic(taxonomy)]
    floor = max(_MIN_SCORE, _RELATIVE * best)
    chosen = [ranked[0][2]] + [name for score, _, name in ranked[1:3] if score >= floor]
    return chosen


def _fallback_topic(taxonomy: Taxonomy) -> str:
    """With no cue found anywhere: a catch-all topic if the taxonomy has one, else the first."""
    for topic in taxonomy.topics:
        if topic.name.casefold() in {"andet", "øvrige", "administration", "politik", "generelt"}:
            return topic.name
    return taxonomy.topics[0].name
