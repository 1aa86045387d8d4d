"""Checks of a baseline answer on any agenda item, written independently of the backend's code
(from the grammar in tests/data/grammar/RULES.md §8), and the corpus of real Indstilling clauses.

`answer_defects(item, result)` lists what is wrong with one answer; `check_items(items)` runs the
baseline over any list of AgendaItems and returns the defects per item. Point it at any parsed
documents (the shared real samples, once their parsers land) to check them too.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml

from casesummary.backends.baseline import extract
from casesummary.danish import municipality_name
from casesummary.item import AgendaItem, Section, SectionKind, SourceFormat
from casesummary.result import PromptResult
from casesummary.taxonomy import load_taxonomy

DATA = Path(__file__).resolve().parents[2] / "data"
CORPUS = DATA / "grammar" / "indstillinger.yaml"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# RULES.md §8.3: the word before "?" is never one of these.
DANGLING = _words(
    """
    til for med om på af i fra ved hos mod efter under over og samt eller at som der den det de
    en et
    """
)
# Finite and passive forms and participles seen in the corpus clauses: never the question's last
# word, never its verb.
FINITE = _words(
    """
    godkendes vedtages tages gives sendes frigives igangsættes tiltrædes bevilges afsættes
    drøftes afvises vælges udpeges ydes meddeles foretages behandles bemyndiges tildeles
    indkaldes renoveres etableres gennemføres finansieres ophæves foreslås besvares indgår
    fortsætter bortfalder ophører indtræder godkender vedtager tager drøfter beslutter giver
    bliver blev er skal kan vil godkendt vedtaget taget givet sendt orienteret
    """
)
POINTERS = re.compile(r"\bbilag\w*\b|\bjf\.|\bindstilling(?:en|ens)?\b|\btabel \d", re.IGNORECASE)
MARKUP = re.compile(r"<[a-zA-Z/!][^>]*>|&[a-z]+;|&#\d+;|\{\s*\"")
FURNITURE = re.compile(
    r"cookie|til toppen|udskriv hele|hent som pdf|kopier link|translate this website"
    r"|sagsinitialer|side \d+ af \d+|offentlig beslutning der skal udfyldes",
    re.IGNORECASE,
)
BROKEN_HYPHEN = re.compile(r"[a-zæøå]- (?!(?:og|eller|samt|til|&)\b)[a-zæøå]")
EMPTY_CLAIM = "indeholder ikke yderligere tekst"
INFINITIVE = re.compile(r"[a-zæøå]+[aeiouyæøå]")


_ANY_MUNICIPALITY = re.compile(
    r"^Bør (kommunen|[A-ZÆØÅ][\wæøå-]+ (?:Kommune|Regionskommune)|Region [A-ZÆØÅ]\w+) "
)


def question_defects(question: str, municipality: str | None) -> list[str]:
    """What is wrong with a question by the invariants of RULES.md §8. Without a municipality,
    any "Bør <Navn> Kommune" or "Bør kommunen" opening is accepted (the text may name one)."""
    defects: list[str] = []
    if municipality:
        who = municipality_name(municipality)
    else:
        opening = _ANY_MUNICIPALITY.match(question)
        who = opening.group(1) if opening else "kommunen"
    prefix = f"Bør {who} "
    if not question.startswith(prefix):
        return [f"does not start with {prefix!r}"]
    if question.count("?") != 1 or not question.endswith("?"):
        defects.append("not exactly one '?', at the end")
    body = question[len(prefix) : -1]
    words = re.findall(r"[\wæøåÆØÅ.'’-]+", body)
    if not words:
        return [*defects, "nothing after the municipality"]
    verb = words[0]
    if not INFINITIVE.fullmatch(verb) or verb in FINITE:
        defects.append(f"{verb!r} is not an active infinitive")
    last = words[-1].rstrip(".").casefold()
    if last in DANGLING:
        defects.append(f"ends in {last!r}")
    if last in FINITE:
        defects.append(f"ends in the finite or passive verb {last!r}")
    if re.search(r"\bikke\b(?!-)", body, re.IGNORECASE):
        defects.append("negated")
    lowered = [w.casefold() for w in words]
    if any(a == b for a, b in itertools.pairwise(lowered)):
        defects.append("a word repeated")
    if who != "kommunen" and re.search(rf"\b{re.escape(who)}\b", body):
        defects.append("names the municipality twice")
    if POINTERS.search(body):
        defects.append("points to an attachment or the Indstilling")
    obj = body.split(" ", 1)[-1]
    if re.fullmatch(r"(?:den )?\d{1,2}\. \w+ \d{4}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}", obj):
        defects.append("a date as the object")
    return defects


def text_defects(text: str) -> list[str]:
    defects: list[str] = []
    if MARKUP.search(text):
        defects.append("markup")
    if FURNITURE.search(text):
        defects.append("page furniture")
    if BROKEN_HYPHEN.search(text):
        defects.append("a word broken at a line end")
    return defects


def answer_defects(item: AgendaItem, result: PromptResult) -> list[str]:
    """Every defect of one baseline answer: the question's grammar, and no markup, furniture or
    broken hyphenation in any field; no claim that an item with text is empty; amounts quoted
    as a budget only where the item gives them as one."""
    municipality = item.municipality
    defects = [f"question: {d}" for d in question_defects(result.question, municipality)]
    for name, text in [
        ("question", result.question),
        ("summary", result.summary),
        *(("pros", p) for p in result.pros),
        *(("cons", c) for c in result.cons),
    ]:
        defects += [f"{name}: {d}" for d in text_defects(text)]
    has_text = item.has_text or bool((item.recommendation or "").strip() or item.decision)
    if has_text and EMPTY_CLAIM in result.summary:
        defects.append("summary: says the item is empty")
    source = " ".join([item.recommendation or "", *(s.text for s in item.sections)])
    for con in result.cons:
        quoted = re.search(r"end de (.+?), sagen regner med", con)
        if quoted:
            amount = quoted.group(1)
            at = source.find(amount)
            if at < 0 or re.match(r"\s*(?:pr\.|per|/|om året|årligt)", source[at + len(amount) :]):
                defects.append(f"cons: {amount!r} quoted as a budget")
    return defects


def check_items(items: Iterable[AgendaItem]) -> dict[str, list[str]]:
    """The baseline's answer on every open item with text, and what is wrong with each."""
    taxonomy = load_taxonomy()
    found: dict[str, list[str]] = {}
    for index, item in enumerate(items):
        if not item.is_open or not item.has_text:
            continue
        result = extract(item, taxonomy)
        defects = answer_defects(item, result)
        if defects:
            found[f"{index}: {item.title[:60]} -> {result.question}"] = defects
    return found


# --- the grammar corpus ---------------------------------------------------------------------


def corpus() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    return entries


def corpus_item(entry: dict[str, Any]) -> AgendaItem:
    """The entry as an item: its clause as the Indstilling (or as the decision, for the entries
    whose only text is a decision line), its title (a neutral one where the page had none)."""
    text = entry["indstilling"] or ""
    decision = entry["pattern"] == "decision-only"
    kind = SectionKind.DECISION if decision else SectionKind.RECOMMENDATION
    sections = (Section(heading="Beslutning" if decision else "Indstilling", kind=kind, text=text),)
    return AgendaItem(
        source_format=SourceFormat.ITEM_TEXT,
        municipality=entry["municipality"],
        title=entry.get("title") or "Dagsordenspunkt",
        sections=sections if text else (),
        recommendation=text if text and not decision else None,
    )


@pytest.fixture(scope="session")
def items_checker() -> Callable[[Iterable[AgendaItem]], dict[str, list[str]]]:
    return check_items
