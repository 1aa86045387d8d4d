"""Checks of a baseline answer on any agenda item, written independently of the backend's code
(from the grammar in tests/data/grammar/RULES.md §8), the corpus of real Indstilling clauses and
the whole items found on other municipalities' pages (tests/data/found).

`question_defects(question, municipality, source)` checks the question: the invariants of §8, and
its clause grammar: no list marker inside ("At)", "2)", "•"), no finite verb outside a clause of
its own (two clauses run together, a subject left behind: "… Vejnavneudvalg finder?"), no
relative or "at"-clause that lost its verb, no cut inside a phrase (an article, a determiner or an
adjective without its noun at the end, or, checked against `source`, a length cut where the item's
text goes on inside a noun phrase or a date), and no procedure as the object ("bede sagen
tilbagesendt …"). `answer_defects(item, result)` lists what is wrong with one answer;
`check_items(items)` runs the baseline over any list of AgendaItems and returns the defects per
item. Point it at any parsed documents to check them too.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml

from casesummary.backends.baseline import extract
from casesummary.danish import MONTHS, municipality_name
from casesummary.item import AgendaItem, Section, SectionKind, SourceFormat
from casesummary.result import PromptResult
from casesummary.sources._build import make_item, make_sections
from casesummary.taxonomy import load_taxonomy

DATA = Path(__file__).resolve().parents[2] / "data"
CORPUS = DATA / "grammar" / "indstillinger.yaml"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# RULES.md §8.3: the word before "?" is never one of these.
DANGLING = _words(
    """
    til for med om på af i fra ved hos mod efter under over og samt eller at som der den det de
    en et dels enten hverken
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

# --- the clause grammar of a question body (RULES.md §8: one main clause, every finite verb in a
# subordinate clause of its own, nothing cut inside a phrase) ----------------------------------

# Infinitives of the verbs recommendations, proposals and their relative clauses use; their
# present ("-r") and s-passive ("-s") are finite forms. Kept here, apart from the backend's
# lexicon, so the check does not inherit the backend's gaps.
_VERB_STEMS = _words(
    """
    afgive afholde afslutte afsætte afvikle afvise anbefale anmode ansætte anvende arbejde
    behandle beskrive beslutte besvare betale bevilge bidrage blive bortfalde bruge byde drøfte
    dække etablere evaluere fastlægge fastsætte finansiere finde fokusere forbedre forelægge
    foreslå foretage forhøje fortsætte fremlægge fremsende frigive fungere føre gennemføre give
    godkende gælde håndtere igangsætte indeholde indføre indgå indkalde indstille indtræde
    inkludere iværksætte justere komme kræve lade lægge medføre modtage nedlægge nedsætte
    opfordre ophæve ophøre opkræve oprette opstå orientere overgå overtage præsentere påbegynde
    pålægge realisere reducere renovere repræsentere sende sikre skabe skifte stille stoppe
    styrke sætte søge tage tilbagesende tildele tilføje tilslutte tiltræde træde udarbejde
    udgøre udpege udsætte udtræde udvide understøtte undersøge vedtage vurdere vælge yde åbne
    ændre øge
    """
)
_IRREGULAR_FINITE = _words(
    "er har gør går får ser står siger kan skal vil må bør blev var havde fik gik tog gav"
)
# Present forms that are far more often plural nouns ("aftaler", "arbejder", "møder").
_NOUN_PLURALS = _words("aftaler arbejder bruger møder styrker planer sager ønsker lægger stiller")
_MODALS = _words("kan skal vil må bør kunne skulle ville måtte")
_DETERMINERS = _words(
    """
    en et den det de denne dette disse sin sit sine min mit mine vores jeres deres hans hendes
    alle nogle flere begge hver hvert samtlige mange få ny nye nyt
    """
)
_SUBORDINATORS = _words(
    """
    at der som hvor hvis når da idet fordi om så mens indtil inden før end selvom hvorefter
    hvilke hvilken hvilket hvornår hvordan hvorvidt hvad hvem hvorfor hvorved
    """
)
_COORDINATORS = _words("og eller samt men")
_PAST_FORMS = frozenset(
    {f"{v}de" for v in _VERB_STEMS if v.endswith("ere")}
    | {f"{v[:-1]}te" for v in _VERB_STEMS if v.endswith(("nde", "le", "re", "se"))}
    | _words("vedtog gav tog fik gik blev var havde")
)
_FINITE_FORMS = (
    _IRREGULAR_FINITE
    | {f"{v}r" for v in _VERB_STEMS if not v.endswith("r")} - _NOUN_PLURALS
    | {f"{v}s" for v in _VERB_STEMS}
)
# Adjectives that never end a phrase: the noun they belong to was cut off ("en særskilt?").
_ADJECTIVES = _words(
    """
    særskilt særskilte samlet samlede særlig særlige øvrig øvrige kommende eventuel eventuelle
    mulig mulige muligt fremtidig fremtidige nuværende foreløbig foreløbige konkret konkrete
    offentlig offentlige offentligt politisk politiske kommunal kommunale kommunalt økonomisk
    økonomiske midlertidig midlertidige permanent permanente nødvendig nødvendige relevant
    relevante egnet egnede årlig årlige løbende lokal lokale frivillig frivillige selvstændig
    tværgående supplerende yderligere ekstra stor store større mindre bedre
    """
)
_ADJECTIVE_END = re.compile(r"(?:ig|ige|igt|lig|lige|ligt|isk|iske|bar|bare|somme)$")
# A list marker inside the question: "At)", "At 2)", "2)", "b)", "•" (RULES.md §1, §9).
_LIST_MARKER = re.compile(
    r"(?<![\w(])(?:At\s*\d{0,2}\)|\d{1,2}\)|[a-zæøå]\))(?=\s)|[•▪]|(?<=\s)\d{1,2}\.\s+at\s", re.I
)
# The procedure instead of the substance: forwarding and returning a case (RULES.md §4).
_PROCEDURAL_OBJECT = re.compile(
    r"\b(?:tilbagesend\w*|fremsend\w*|oversend\w*|videresend\w*|sagen\s+bedes|bede\s+sagen"
    r"|sende\s+sagen|henvise\s+sagen|udsætte\s+(?:sagen|punktet)|sagen\s+tilbage)\b",
    re.IGNORECASE,
)
_GENERIC_OBJECTS = _words("sagen punktet emnet det dette sag punkt")
# Where a shortened question may end in its source: before punctuation, a conjunction or a
# preposition (a whole phrase left out), never inside a noun phrase or a date.
_BOUNDARY_WORDS = _words(
    """
    og samt eller men der som hvor hvis når da idet så fordi herunder jf til for med om på af i
    fra ved hos mod efter under over inden mellem via uden pr blandt vedr vedrørende angående
    omkring gennem ifølge inkl ekskl bl.a
    """
)
_PREPOSITIONS = _words("til for med om på af i fra ved hos mod efter under over mellem via uden")
_TOKEN = re.compile(r"[\wæøåÆØÅ§]+(?:[-.'’][\wæøåÆØÅ]+)*\.?|[,;:()”“\"]|(?<=\s)[-–](?=\s)")


def _tokens(text: str, *, keep_case: bool = False) -> list[str]:
    """Lower-cased words and punctuation; a line end is a ";" (list items, headings)."""
    found: list[str] = []
    for line in text.replace("?", " ").splitlines():
        found += [t if keep_case else t.casefold() for t in _TOKEN.findall(line)]
        found.append(";")
    return found[:-1]


def _is_finite(word: str, previous: str) -> bool:
    """A present or s-passive verb form, not read as a noun after a determiner; a past form in
    -ede/-te only right after a definite noun ("borgmesteren orienterede"), where it cannot be
    an adjective ("den justerede ramme", "de foreslåede arbejder")."""
    bare = word.rstrip(".")
    if bare in _FINITE_FORMS:
        return previous not in _DETERMINERS
    past = bare in _PAST_FORMS or re.fullmatch(r"[a-zæøå]{4,}ede", bare) is not None
    return (
        past
        and re.search(r"(?:[^e]en|et|ne)$", previous) is not None
        and previous not in _DETERMINERS
    )


# Liberal: any word that may be a finite verb, for "does this clause have a verb at all".
_MAYBE_FINITE = re.compile(r"[a-zæøå]{2,}(?:er|es|ede|te|år|ør)$")
_NOT_VERBS = _words("for der over under efter eller hver her nær mer ifølge vedr")
_PARTICIPLES = _words(
    "godkendt vedtaget taget givet sendt orienteret besluttet drøftet behandlet valgt udpeget"
)


def _infinitive_marker(previous: str, nxt: str) -> bool:
    """Whether "at" marks an infinitive ("til at ansøge", "at skifte"), not a clause."""
    if nxt in _VERB_STEMS or nxt in _MODALS or nxt == "være" or previous in _PREPOSITIONS:
        return True
    return nxt.isalpha() and nxt.endswith(("e", "å")) and nxt not in _DETERMINERS


def clause_defects(body: str) -> list[str]:
    """Run-on clauses and lost verbs in the part after "Bør <kommune>": a finite verb needs a
    subordinator of its own ("at", "der", "når", "hvilke" …) or "og" after another finite verb;
    a relative "der"/"som" after a comma needs its verb before the next comma."""
    defects: list[str] = []
    tokens = _tokens(body)
    pending: list[str] = []  # subordinators still waiting for their finite verb
    last_finite = -10
    for i, token in enumerate(tokens):
        previous = tokens[i - 1] if i else ""
        if token in _SUBORDINATORS:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if token == "at" and _infinitive_marker(previous, nxt):
                continue  # the infinitive marker ("mulighed for at skifte")
            if token in {"som", "der"} and pending and pending[-1].startswith("hv"):
                continue  # "hvilke handlemuligheder som administrationen skal …": one clause
            pending.append(token)
            continue
        if not _is_finite(token, previous):
            continue
        if previous in _MODALS or (token.endswith("s") and previous in {"blive", "bliver"}):
            continue  # "skal ændres": the modal was the finite verb
        if pending:
            pending.pop()
        elif not (set(tokens[max(0, i - 3) : i]) & _COORDINATORS and i - last_finite <= 8):
            defects.append(f"the finite verb {token!r} has no clause of its own (run-on clause)")
        last_finite = i
    if any(p.startswith("hv") for p in pending):
        defects.append("an indirect question ('hvilke …', 'hvordan …') without its verb")
    for i, token in enumerate(tokens):
        if token not in {"at", "når", "hvis", "fordi", "idet", "mens", "indtil", "selvom"}:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token == "at" and _infinitive_marker(tokens[i - 1] if i else "", nxt):
            continue
        rest = []
        for t in tokens[i + 1 :]:
            if t in {",", ";", ":"}:
                break
            rest.append(t.rstrip("."))
        has_verb = any(
            t in _FINITE_FORMS
            or t in _IRREGULAR_FINITE
            or t in _PAST_FORMS
            or (_MAYBE_FINITE.fullmatch(t) and t not in _NOT_VERBS)
            for t in rest
        )
        if rest and not has_verb:
            defects.append(f"the clause after {token!r} has lost its verb")
    for i, token in enumerate(tokens):
        if token in {"der", "som"} and i and tokens[i - 1] == ",":
            rest = []
            for t in tokens[i + 1 :]:
                if t in {",", ";", ":"}:
                    break
                rest.append(t)
            if not any(re.search(r"(?:er|es|r|ede|te)$", t) or t in _FINITE_FORMS for t in rest):
                defects.append(f"the relative clause after ', {token}' has no verb")
    return defects


def cut_defects(body: str, source: str) -> list[str]:
    """A question cut inside a phrase: its last word an article, a determiner or an adjective
    without its noun, or (where the question ends as its source text goes on) a cut before the
    rest of a noun phrase or a date."""
    defects: list[str] = []
    words = [t for t in _tokens(body) if t[0].isalnum() or t[0] == "§"]
    if len(words) < 2:
        return defects
    last, before = words[-1].rstrip("."), words[-2].rstrip(".")
    if last in _DETERMINERS:
        defects.append(f"cut after the determiner {last!r}")
    elif (last in _ADJECTIVES or _ADJECTIVE_END.search(last)) and (
        before in _DETERMINERS or before in _BOUNDARY_WORDS
    ):
        defects.append(f"cut after the adjective {last!r}: its noun is missing")
    if source:
        defects += _cut_in_source(words, _tokens(source, keep_case=True))
    return defects


_ABBREVIATIONS = _words(
    "pr nr ca jf jvf evt inkl ekskl bl.a vedr stk pkt f.eks d ml mv m.v kl mio mia kr pct o.l m.fl"
)


def _ends_sentence(token: str) -> bool:
    """A source token with the full stop that ends its sentence ("2026.", not "pr." or "6.")."""
    bare = token.rstrip(".")
    return token.endswith(".") and bare not in _ABBREVIATIONS and not re.fullmatch(r"\d{1,2}", bare)


def _cut_in_source(words: list[str], source: list[str]) -> list[str]:
    tail = [w.rstrip(".") for w in words[-3:]]
    at_word = [i for i, t in enumerate(source) if t[:1].isalnum() or t[:1] == "§"]
    bare = [source[i].rstrip(".").casefold() for i in at_word]
    continuations = []
    for start in range(len(bare) - len(tail) + 1):
        if bare[start : start + len(tail)] == tail:
            at = at_word[start + len(tail) - 1] + 1
            ended = at >= len(source) or _ends_sentence(source[at - 1])
            following = "" if ended else source[at]
            if following[:1].isupper() and not tail[-1][:1].isdigit():
                following = ""  # a name in apposition ("Færøernes flag Merkið") may go
            continuations.append(following.casefold())
    if not continuations or words[-1].rstrip(".") in _ABBREVIATIONS:
        return []  # not found as it stands, or ends in "kr.", "pct.": the amount is whole
    # after a verb, a preposition starts its complement ("fokusere | på"), not a new phrase
    verb_last = tail[-1] in _VERB_STEMS or tail[-1] in _FINITE_FORMS
    inside = [
        n
        for n in continuations
        if n[:1].isalnum()
        and (n.rstrip(".") not in _BOUNDARY_WORDS or (verb_last and n in _PREPOSITIONS))
        and n.rstrip(".") not in _FINITE_FORMS  # "X godkendes" -> "godkende X": X is whole
        and n.rstrip(".") not in _VERB_STEMS  # "skal [adverbial] vedtage X": the verb moved
    ]
    if tail[-1] not in MONTHS:  # a year after a name may go ("… Holding A/S 2026")
        inside = [n for n in inside if not re.fullmatch(r"(?:19|20)\d\d\.?", n)]
    if inside and len(inside) == len(continuations):
        return [f"cut inside a phrase: the source goes on with {inside[0]!r}"]
    return []


def question_defects(question: str, municipality: str | None, source: str = "") -> list[str]:
    """What is wrong with a question by the invariants of RULES.md §8. Without a municipality,
    any "Bør <Navn> Kommune" or "Bør kommunen" opening is accepted (the text may name one).
    `source`: the item's text, to tell a shortened question from one cut inside a phrase."""
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
    if last in FINITE or last in _FINITE_FORMS:
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
    if _LIST_MARKER.search(body):
        defects.append("a list marker inside the question")
    if _PROCEDURAL_OBJECT.search(body):
        defects.append("the procedure (forwarding, returning the case) instead of the substance")
    defects += clause_defects(body)
    defects += cut_defects(body, source)
    return defects


def generic_object(question: str) -> bool:
    """Whether the question asks about "sagen"/"punktet" and nothing else."""
    body = re.sub(r"^Bør .+? (?=\S+ \S+\?$)", "", question)
    parts = body.rstrip("?").split()
    return len(parts) == 2 and parts[1].casefold() in _GENERIC_OBJECTS


def item_source(item: AgendaItem) -> str:
    """The texts a question may be built from: title, Indstilling, sections, decision."""
    parts = [item.title, item.recommendation or "", item.decision or ""]
    parts += [s.text for s in item.sections]
    text = "\n".join(p for p in parts if p)
    return html.unescape(re.sub(r"<[^<>]*>", "\n", text))  # markup some formats pass on


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
    source = item_source(item)
    defects = [f"question: {d}" for d in question_defects(result.question, municipality, source)]
    substance = [
        s for s in item.sections if s.kind != SectionKind.DECISION and len(s.text.split()) >= 8
    ]
    if generic_object(result.question) and substance:
        defects.append("question: only 'sagen'/'punktet' as the object, though the item says more")
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


# --- whole items found on other municipalities' pages (tests/data/found) -------------------

FOUND = DATA / "found" / "items.yaml"


def found() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = yaml.safe_load(FOUND.read_text(encoding="utf-8"))
    return entries


def found_item(entry: dict[str, Any]) -> AgendaItem:
    """The entry as the sources build an item: each heading classified by its wording, the
    Indstilling and the decision filled from their sections."""
    blocks = [(s["heading"], s["text"], None) for s in entry["sections"]]
    fields: dict[str, Any] = {
        "source_format": SourceFormat.ITEM_TEXT,
        "municipality": entry["municipality"],
        "title": entry["title"] or "Dagsordenspunkt",
        "sections": make_sections(blocks),
    }
    return make_item(fields, origin=entry["source"])


@pytest.fixture(scope="session")
def items_checker() -> Callable[[Iterable[AgendaItem]], dict[str, list[str]]]:
    return check_items
