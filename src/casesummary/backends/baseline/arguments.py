"""Pros and cons: the item's own sentences with benefit or cost/risk cues, filled up with
cautious, item-specific statements."""

from __future__ import annotations

import re

from casesummary.backends.baseline._text import (
    cue_pattern,
    lines,
    lower_first,
    reads_as_prose,
    shorten,
    strip_end,
    title_kind,
    upper_first,
    usable,
)
from casesummary.danish import is_negated, known_municipality, sentences
from casesummary.item import AgendaItem, SectionKind

_MAX_POINT = 250

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


def _cue_score(text: str, cues: dict[str, float]) -> float:
    low = text.casefold()
    # The substring test is a cheap filter; the pattern then checks the word boundary.
    return sum(w for cue, w in cues.items() if cue in low and cue_pattern(cue).search(low))


def _candidates(item: AgendaItem, summary: str) -> list[tuple[str, bool]]:
    """The item's own statements not already quoted in the summary, with whether each is a
    list item of the Sagsresumé (what is being proposed, e.g. the seven pejlemærker)."""
    found: list[tuple[str, bool]] = []
    for section in item.sections:
        if section.kind in _NOT_ARGUMENTS:
            continue
        for line in lines(section.text):
            listed_in_summary = line.marked and section.kind == SectionKind.SUMMARY
            if line.listed and not listed_in_summary:
                continue
            for sentence in [line.text] if line.listed else sentences(line.text):
                listed_point = (
                    listed_in_summary and len(sentence.split()) >= 5 and reads_as_prose(sentence)
                )
                if sentence in summary or not (usable(sentence) or listed_point):
                    continue
                found.append((sentence, listed_in_summary))
    return found


def _as_point(sentence: str) -> str:
    return upper_first(strip_end(shorten(sentence, _MAX_POINT)))


def _as_con(sentence: str) -> str:
    """A con in the item's words, labelled so it reads as a possible drawback, not a verdict."""
    body = upper_first(strip_end(shorten(sentence, _MAX_POINT - 16)))
    if body.casefold().startswith(("risiko", "der er risiko", "usikker")):
        return body
    if _AMOUNT.search(body) or _COST.search(body):
        return f"Udgift: {body}"
    return f"Mulig ulempe: {body}"


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def pros_and_cons(item: AgendaItem, question: str, summary: str) -> tuple[list[str], list[str]]:
    scored_pros: list[tuple[float, int, str]] = []
    scored_cons: list[tuple[float, int, str]] = []
    for index, (sentence, listed) in enumerate(_candidates(item, summary)):
        negated = is_negated(sentence)
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


def _subject(item: AgendaItem) -> str:
    """What the title is about, in lower case where the title shouts ("KULTURKOMMUNE 2017"),
    or "sagen" when the title names nothing ("UDVALG", "Punkt 3")."""
    title, _ = title_kind(item)
    if title.isupper():
        title = title.lower()
    words = title.split()
    if len(words) == 1 and known_municipality(words[0]):
        return "sagen"  # a parser took the municipality's name for the title
    if len(words) < 2 and (not words or words[0].casefold() in _EMPTY_TITLES or title.islower()):
        return "sagen"
    return lower_first(title)


_EMPTY_TITLES = frozenset({"udvalg", "punkt", "dagsordenspunkt", "sag", "eventuelt"})


def _generic_pros(item: AgendaItem, question: str) -> list[str]:
    subject = _subject(item)
    action = re.sub(r"^Bør (?:\S+ )*?(?:Kommune|Regionskommune|kommunen|Region \S+) ", "", question)
    action = action.rstrip("?")
    return [
        f"Giver et klart politisk grundlag for arbejdet med {subject}",
        f"Giver mulighed for at {action}"
        if action and not action.startswith(("godkende sagen", "gennemføre forslaget om"))
        else f"Skaber gennemsigtighed for borgerne om {subject}",
        "Sagen beskriver forslaget, så beslutningen kan træffes på et oplyst grundlag",
        f"Skaber gennemsigtighed for borgerne om {subject}",
    ]


def _budget_amount(text: str, *, economy: bool = False) -> str | None:
    """An amount the item budgets with ("en anlægsbevilling på 18,8 mio. kr."), never a rate
    ("895 kr. pr. m2", "300.000 kr. årligt") nor a saving or an income."""
    for match in _AMOUNT.finditer(text):
        before = text[max(0, match.start() - 60) : match.start()].casefold()
        after = text[match.end() : match.end() + 25].casefold()
        if _RATE.match(after) or _NOT_COST.search(before) or _INCOME.match(after):
            continue
        if economy or _COST_NOUN.search(before):
            return match.group(0)
    return None


_RATE = re.compile(r"\s*(?:pr\.?|per|om året|om måneden|årligt|månedligt|/|i timen|i husleje)")
_COST_NOUN = re.compile(
    r"(?:udgift|bevilling|budget|anlægssum|koste|ramme|pulje|samlet|i alt|finansier|beløb"
    r"|stilling|lønsum|tilskud|forhøje)"
)
_INCOME = re.compile(r"[\s\w.,]{0,25}?\bfra\s+(?:EU|staten|puljen|fonden|[A-ZÆØÅ])")
_NOT_COST = re.compile(
    r"(?:indtægt|besparelse|mindreudgift|tilskud|egenbetaling|husleje|leje)[\wæøå]*"
    r"\s+(?:på\s+|af\s+)?(?:ca\.\s+)?$"
)


def _generic_cons(item: AgendaItem) -> list[str]:
    subject = _subject(item)
    economy = item.section(SectionKind.ECONOMY)
    text = " ".join(s.text for s in item.sections)
    amount = _budget_amount(economy.text if economy else "", economy=True) or _budget_amount(text)
    if amount:
        money = f"Risiko for at udgifterne bliver højere end de {amount}, sagen regner med"
    elif economy and _NO_ECONOMY.search(economy.text):
        money = "Mulighed for at arbejdet alligevel lægger beslag på ressourcer i forvaltningen"
    else:
        money = "Risiko for at gennemførelsen kræver flere ressourcer end forudsat"
    effect = (
        "Risiko for at sagen ikke opnår den ønskede effekt"
        if subject == "sagen"
        else f"Risiko for at tiltaget om {subject} ikke opnår den ønskede effekt"
    )
    return [
        effect,
        money,
        "Mulighed for at berørte borgere og parter oplever ændringerne som uklare",
        "Risiko for at andre opgaver må vente, mens forslaget gennemføres",
    ]
