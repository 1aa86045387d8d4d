"""The question: "Bør <kommune> <infinitiv> <objekt>?", from the recommendation's first decision
(else its first discussion, else its first orientation), else the decision line, else the title.

Every candidate is checked with `danish.question_defects` (an infinitive after the subject, no
dangling preposition, no finite or passive verb before "?", no attachment pointer, no negation)
and the next one is tried when it fails; one too long, or whose tail breaks a rule, is shortened
only at a clause boundary (`phrase.clause_cuts`). A candidate that names nothing ("drøfte
punktet") gives way to a later source that does. The title fallback is grammatical by
construction.
"""

from __future__ import annotations

import re

from casesummary.backends.baseline._text import lower_first, strip_end, title_kind
from casesummary.backends.baseline.clauses import (
    Clause,
    ClauseKind,
    clauses,
    decision_text,
    recommendation_sources,
)
from casesummary.backends.baseline.phrase import clause_cuts, tidy, to_phrase
from casesummary.danish import (
    definite,
    infinitive_of_participle,
    is_definite,
    is_negated,
    question_defects,
)
from casesummary.danish.verbs import NOMINALISATIONS
from casesummary.item import AgendaItem
from casesummary.validation import question_errors

_MAX_QUESTION = 200
_ORDER = (ClauseKind.DECISION, ClauseKind.DISCUSSION, ClauseKind.ORIENTATION)
_NOTE_HEADS = frozenset({"orienteringen", "sagen", "status", "orientering"})


def question_for(item: AgendaItem, municipality: str | None) -> str:
    """A neutral yes/no question naming the municipality: "Bør Odense Kommune godkende …?"."""
    who = municipality or "kommunen"
    title, _ = title_kind(item)
    generic = ""  # "drøfte punktet": kept only when no later source names the subject
    for source in recommendation_sources(item):
        found = clauses(source)
        question = _first_question(who, found, title, municipality)
        if question and _is_generic(who, question):
            generic = generic or question
        elif question:
            return question
    if generic:
        return generic
    for clause in clauses(decision_text(item)):
        if clause.kind in _ORDER:
            question = _ask(who, clause, title, municipality)
            if question:
                return question
    return _title_question(item, who, municipality)


def _first_question(
    who: str, found: list[Clause], title: str, municipality: str | None
) -> str | None:
    """The question of the first decision clause, else discussion, else orientation."""
    for wanted in _ORDER:
        for index, clause in enumerate(found):
            if clause.kind != wanted:
                continue
            question = _ask(who, clause, title, municipality)
            if question:
                return _summarised(who, question, found[index + 1 :], title, municipality)
    return None


def _is_generic(who: str, question: str) -> bool:
    """'Bør X drøfte punktet?': a verb and an object that names nothing ("punktet", "sagen")."""
    words = question[len(f"Bør {who} ") : -1].split()
    return len(words) == 2 and words[1].casefold() in _GENERIC_OBJECTS


_GENERIC_OBJECTS = frozenset({"punktet", "sagen", "emnet", "sag", "punkt"})


def _summarised(
    who: str, question: str, following: list[Clause], title: str, municipality: str | None
) -> str:
    """Parallel decisions in one question: "vedtage forslaget til X endeligt" + "vedtage
    forslaget til Y endeligt" -> "vedtage forslaget til X og forslaget til Y endeligt". Only
    clauses right after the first, with its verb, its object's head and its last word."""
    first = question[len(f"Bør {who} ") : -1].split(" ")
    objects = [first[1:]]
    for clause in following[:3]:
        if clause.kind != ClauseKind.DECISION:
            break
        phrase = to_phrase(clause.text)
        other = tidy(phrase, municipality).split(" ") if phrase else []
        if len(other) < 3 or len(first) < 3:
            break
        shared_end = other[-1] == first[-1] and first[-1] in _SHARED_ENDINGS
        short = len(other) <= 9 and len(first) <= 9 and first[-1] not in _SHARED_ENDINGS
        same = (
            len(other) >= 3
            and other[0] == first[0]
            and other[1] == first[1]
            and other[1] not in _DETERMINERS
            and (shared_end or short)
        )
        if not same:
            break
        objects.append(other[1:])
    if len(objects) == 1:
        return question
    tail = first[-1] if first[-1] in _SHARED_ENDINGS else ""
    parts = [" ".join(o[:-1] if tail else o) for o in objects]
    joined = ", ".join(parts[:-1]) + f" og {parts[-1]}"
    phrase = " ".join(p for p in (first[0], joined, tail) if p)
    if len(f"Bør {who} {phrase}?") > _MAX_QUESTION:
        return question
    return _fit(who, phrase) or question


_DETERMINERS = frozenset({"en", "et", "den", "det", "de", "denne", "dette", "disse"})
_SHARED_ENDINGS = frozenset({"endeligt", "foreløbigt"})


def _ask(who: str, clause: Clause, title: str, municipality: str | None) -> str | None:
    phrase = to_phrase(clause.text)
    if not phrase and clause.head in {"godkende", "vedtage"}:
        phrase = to_phrase(f"{clause.head} {_object_text(clause.text)}")
    if not phrase and _BARE_NOTE.fullmatch(clause.text.strip()):
        phrase = "tage orienteringen til efterretning"  # "Til orientering.": the title says of what
    if not phrase:
        return None
    phrase = tidy(_enrich(phrase, title), municipality)
    return _fit(who, phrase)


def _object_text(text: str) -> str:
    body = re.sub(r"^at\s+", "", text.strip(), flags=re.I).rstrip(" .")
    return _definite_phrase(body)


def _fit(who: str, phrase: str) -> str | None:
    """'Bør <who> <phrase>?' under the length limit, or None when it is not a good question.
    A phrase too long, or whose tail breaks a rule, is shortened only at a clause boundary
    (`clause_cuts`), never inside a phrase."""
    if len(phrase.split()) < 2:
        return None
    for candidate in (phrase, *clause_cuts(phrase)):
        text = f"Bør {who} {candidate}"
        if len(candidate.split()) < 2 or len(text) + 1 > _MAX_QUESTION:
            continue
        question = f"{strip_end(text)}?"
        if not question_errors(question) and not question_defects(question, who):
            return question
    return None


def _enrich(phrase: str, title: str) -> str:
    """'tage orienteringen til efterretning' + title 'Orientering om X' -> '… orienteringen om X
    til efterretning'; 'drøfte pejlemærkerne' + title 'Pejlemærker for X' -> '… for X'."""
    match = re.match(r"^tage (\w+) til (efterretning|orientering)$", phrase)
    topic = _topic(title)
    if match and match.group(1) in _NOTE_HEADS and topic:
        head = "orienteringen" if match.group(1) in {"sagen", "orientering"} else match.group(1)
        joiner = "for" if head == "status" else "om"
        if topic.split(" ", 1)[0] in {"fra", "om", "for", "på", "vedrørende"}:
            joiner = ""
        return " ".join(f"tage {head} {joiner} {topic} til efterretning".split())
    proposal = re.match(r"^(?:svar på )?forslag (?:fra .+? )?om (?P<x>.+)$", title, re.I)
    if proposal and re.fullmatch(r"[a-zæøå]+ forslaget", phrase):
        return f"{phrase} om {proposal.group('x')}"  # "afvise forslaget om Aarhus City Metro"
    words = phrase.split(" ")
    title_words = title.split(" ")
    if len(words) == 2 and len(title_words) >= 3:
        stem = title_words[0].casefold()[:-1] if len(title_words[0]) > 5 else "\0"
        if words[1].casefold().startswith(stem):
            return f"{phrase} {' '.join(title_words[1:])}"
    return phrase


_BARE_NOTE = re.compile(r"(?:at\s+)?til\s+(?:orientering|efterretning)\.?", re.I)
_GENERIC_TITLES = frozenset(
    {"orientering", "meddelelser", "anden orientering", "dagsordenspunkt", "punkt", "sag"}
)
_TOPIC_LEAD = re.compile(
    r"^(?:orientering|status|meddelelse|opfølgning)\w*\s+(?:om|på|vedr\.?)\s+|^(?:siden sidst)"
    r"\s+|^orientering\w*\s+(?=fra\s)",
    re.I,
)


def _topic(title: str) -> str:
    """What a title is about, for "tage orienteringen om <topic> til efterretning"."""
    topic = _TOPIC_LEAD.sub("", _clean_title(title)).strip()
    if not topic or topic.casefold() in _GENERIC_TITLES:
        return ""
    topic = re.sub(r"\s+-\s+status$", "", topic, flags=re.I)
    return lower_first(topic) if len(topic) <= 90 else ""


# --- the title ------------------------------------------------------------------------------

_TITLE_TAIL = re.compile(
    r"\s*(?:\((?:[A-ZÆØÅ]|\s*|bevillingssag|fællesmøde[^)]*)\)"
    r"|[-–]\s*(?:endelig(?:\s+vedtagelse)?|udsat fra mødet.*|udsendelse.*))\s*$",
    re.I,
)
_ROUTINE = {
    "meddelelser": "tage meddelelserne til efterretning",
    "anden orientering": "tage orienteringen til efterretning",
    "orientering": "tage orienteringen til efterretning",
    "aktuelle sager": "tage orienteringen om aktuelle sager til efterretning",
    "siden sidst": "tage orienteringen til efterretning",
    "eventuelt": "tage orienteringen under eventuelt til efterretning",
    "dagsordenspunkt": "godkende sagen",
    "punkt": "godkende sagen",
}


def _title_question(item: AgendaItem, who: str, municipality: str | None) -> str:
    """A neutral, grammatical question from the title when no decision can be read."""
    title, kind = title_kind(item)
    title = _clean_title(title)
    decided = _decided_verb(item)
    for phrase in _title_phrases(title, kind, decided):
        question = _fit(who, tidy(phrase, municipality))
        if question:
            return question
    return f"Bør {who} godkende sagen?"


def _clean_title(title: str) -> str:
    for _ in range(3):
        title = _TITLE_TAIL.sub("", title).strip(" -–,.")
    return title


def _decided_verb(item: AgendaItem) -> str:
    """The verb of a participle decision ("Godkendt." -> "godkende"), else ""."""
    text = decision_text(item)
    for word in re.findall(r"[\wæøå]+", text.casefold())[:6]:
        verb = infinitive_of_participle(word)
        if verb:
            return verb
    return ""


def _title_phrases(title: str, kind: str, decided: str) -> list[str]:
    low = title.casefold()
    phrases: list[str] = []
    routine = _ROUTINE.get(re.sub(r"\s*\(.*\)$", "", low).strip())
    if routine:
        phrases.append(routine)
    rules = (
        (r"^godkendelse af (?P<x>.+)$", "godkende {x}"),
        (r"^(?P<x>.+?) [-–] godkendelse$", "godkende {x}"),
        (r"^endelig vedtagelse af (?P<x>.+)$", "vedtage {x} endeligt"),
        (r"^forslag fra .+? om at (?P<x>.+)$", "{clause}"),
        (r"^(?:forslag|svar på forslag) fra .+? om (?P<x>.+)$", "behandle forslaget om {raw}"),
        (r"^forslag til (?P<x>.+)$", "vedtage forslaget til {raw}"),
        (r"^orientering (?:om|-) (?P<x>.+)$", "tage orienteringen om {raw} til efterretning"),
        (r"^drøftelse (?:af|-) (?P<x>.+)$", "drøfte {raw}"),
        (r"^status (?:på|for) (?P<x>.+)$", "tage status på {raw} til efterretning"),
        (r"^(?P<x>.+?) [-–] status$", "tage status for {raw} til efterretning"),
        (r"^valg af (?P<x>.+)$", "vælge {raw}"),
        (r"^\d\.\s+behandling af (?P<x>.+)$", "behandle {x}"),
        (r"^udpegning (?:af|til) (?P<x>.+)$", "udpege medlemmer til {x}"),
        (r"^ansøgning fra (?P<x>.+)$", "imødekomme ansøgningen fra {raw}"),
        (r"^referat (?P<x>.+)$", "godkende referatet {raw}"),
        (r"^beslutninger? om (?P<x>.+)$", "godkende {x}"),
        (r"^(?P<x>[\wæøå]+) orienterer$", "tage {x}s orientering til efterretning"),
    )
    for pattern, template in rules:
        match = re.match(pattern, title, re.I)
        if not match:
            continue
        raw = match.group("x")
        if title[: match.start("x")].rstrip().endswith(("-", "–", ":")):
            raw = lower_first(raw)  # "Orientering - Opsamling fra …": a title's own capital
        if template == "{clause}":
            phrase = to_phrase(raw)
            if phrase:
                phrases.append(phrase)
            continue
        phrases.append(template.format(x=_definite_phrase(raw), raw=raw))
    first, _, rest = title.partition(" ")
    verb = NOMINALISATIONS.get(first.casefold())
    if verb and rest.casefold().startswith("af "):
        phrases.append(f"{verb} {_definite_phrase(rest[3:])}")
    subject = lower_first(title)
    if decided and len(title.split()) <= 3 and title.split()[0].isalpha():
        phrases.append(f"{decided} {_definite_phrase(title)}")
    if kind == "orientering":
        phrases.append(f"tage orienteringen om {subject} til efterretning")
    if kind == "drøftelse":
        phrases.append(f"drøfte {subject}")
    if decided == "tage":
        phrases.append(f"tage orienteringen om {subject} til efterretning")
    if not is_negated(subject):
        phrases.append(f"{decided or 'godkende'} sagen om {subject}")
    return phrases


_JOINING_PREPOSITIONS = frozenset({"til", "for", "af", "om", "fra", "på", "med"})


def _definite_phrase(noun_phrase: str) -> str:
    """'dagsorden' -> 'dagsordenen', 'ny lokalplan for X' stays: only a bare head changes."""
    words = noun_phrase.split()
    if not words:
        return noun_phrase
    head = words[0]
    if head[:1].isupper() and not (len(words) > 1 and words[1][:1].isupper()):
        head = head[:1].lower() + head[1:]
    bare = head.isalpha() and head.islower() and not is_definite(head)
    if bare and (len(words) == 1 or words[1].casefold() in _JOINING_PREPOSITIONS):
        head = definite(head)
    return " ".join([head, *words[1:]])


__all__ = ["question_for"]
