"""The recommendation's clauses: where the decision text is, its lead-in stripped, split at list
markers and "…, og at …", and each classified (decision, discussion, orientation, …).

Where: the Indstilling (unless it is an attachment list or a heading), a section that reads as
one ("Det indstilles: …", Aarhus' Beslutningspunkter), a proposal sentence in the Resumé or
Sagsfremstilling ("Staben foreslår, at …", "… fremlægges til godkendelse"), what a member
proposal proposes ("SF foreslår, at …", "Byrådet anmoder Magistraten om at …"), else the
decision ("Godkendt.", "Det tiltrædes, at …"). Routing ("Sagen bedes tilbagesendt …",
"fremsendes til …") and committee history ("Økonomiudvalget 12-01-2021 / Anbefales.") are never
the decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from casesummary.backends.baseline._text import clean_text, lines, recommendation_text
from casesummary.danish import infinitive_of_passive, infinitive_of_present, is_negated, sentences
from casesummary.danish.furniture import is_furniture
from casesummary.item import AgendaItem, SectionKind


class ClauseKind(StrEnum):
    DECISION = "decision"
    DISCUSSION = "discussion"
    ORIENTATION = "orientation"
    PROCEDURAL = "procedural"
    CONDITION = "condition"
    HISTORY = "history"
    NEGATED = "negated"


@dataclass(frozen=True)
class Clause:
    text: str
    kind: ClauseKind
    head: str = ""  # the verb of a head line above a verbless list item ("at byrådet godkender")


# --- lead-in --------------------------------------------------------------------------------

_LEAD_VERB = re.compile(
    r"\b(?:indstiller|indstilles|foreslår|foreslås|anbefaler|anbefales|beslutter|Indstilling om"
    r"|anmodes\s+om\s+at\s+godkende|anmodes\s+om\s+at)\b",
    re.IGNORECASE,
)
_ADDRESSEE = re.compile(
    r"^\s*,?\s*(?:endvidere\s+)?(?:til|over\s*for|overfor)\s+[^\n:]*?(?=,?\s+at\b|:|\n|$)", re.I
)
_PASS_ON = re.compile(
    r"^\s*,?\s*at\s+anbefale\s+(?:(?:over\s*for|overfor|til)\s+)?[^\n:]*?(?=,?\s+at\b|:|\n|$)",
    re.I,
)
_JOINER = re.compile(r"^\s*(?:,\s*)?(?:at\s*[:;,]?|[:;,])\s*(?=\S|$)", re.I)
_ITEM_MARKER = re.compile(
    r"^(?:[-•*–·▪]|(?:At\s+)?\(?\d{1,2}(?:\.\d{1,2})?\s*[.):]|At\s*\d*\)|\(?[a-zA-Z][.)]"
    r"|\d{1,2}\.\d?[a-z]?\.?)\s*",
)
_MARKER_ONLY = re.compile(r"^(?:enten|eller|samt|og|herunder:?)$", re.I)
_INLINE_SPLIT = re.compile(
    r"(?<!efterretning)(?<!orientering)(?<!godkender)(?<!godkendes)(?<!beslutter)(?<!tiltrædes)"
    r"(?<!supplement)(?<!indstilles)(?<!foreslår)(?<!\bdet)(?<!\bom)"
    r"(?:[;,]\s*(?:samt|og)?\s*|\s+samt\s+)(?=at\s+(?!anbefale\b))"
    r"|(?<!At)\s(?=(?:At\s+)?\d{1,2}\)\s+(?:at\s|(?-i:[A-ZÆØÅ])))|\s(?=\d{1,2}\.\s+at\s)|\s(?=•\s)"
    r"|\s(?=(?-i:At)\)\s)",
    re.I,
)
# A proposal made in so many words, stronger than a sentence on what the council must decide.
_PROPOSED = re.compile(r"(?:foreslår|indstiller|anbefaler),?\s+at\b", re.I)
# A proposal inside the Resumé or Sagsfremstilling.
_PROPOSAL = re.compile(
    r"(?:foreslår|indstiller|anbefaler),?\s+at\b|anmodes om at\b|skal\s+(?:[\wæøå]+\s+){0,6}?"
    r"(?:tage stilling til|beslutte|godkende|drøfte|vedtage|behandle)\b"
    r"|(?:fremlægges|forelægges)\b[^.]*\btil\s+(?:godkendelse|drøftelse|orientering)\b"
    r"|orienteres(?: der)? om\b|blev orienteret om\b|^Stillingtagen til\b"
    r"|^(?:byrådet|kommunalbestyrelsen|udvalget)\s+(?:anmoder|opfordrer|pålægger|beder)\b",
    re.IGNORECASE,
)


def _strip_lead_in(text: str) -> str:
    """'X indstiller til Y at anbefale over for Z, at …' -> '…' (the first lead-in only)."""
    match = _LEAD_VERB.search(text)
    if not match or match.start() > 400:
        return text
    head = text[: match.start()]
    if "\n" in head.strip() and not head.strip().endswith(("\n",)) and len(head) > 200:
        return text
    rest = text[match.end() :]
    for _ in range(2):
        rest = _ADDRESSEE.sub("", rest, count=1)
        rest = _PASS_ON.sub("", rest, count=1)
    joined = _JOINER.match(rest)
    if joined:
        rest = rest[joined.end() :]
        joiner = joined.group(0)
        inline = "at" in joiner.casefold() and not re.search(r"[\n:;]", joiner + rest[:4])
        if inline and re.match(r"\d{1,2}\.\s+[a-zæøå]", rest):
            rest = "at " + rest  # "at 1. stedfortræder …": an ordinal, not a list marker
        elif re.search(r"\bat\b[ \t,:;]*\Z", joiner, re.I) and not _ITEM_MARKER.match(rest):
            rest = "at " + rest  # keep "at": a capital after it marks a name ("at Børsbroen …")
    return rest


# --- split ----------------------------------------------------------------------------------


def _split(text: str) -> list[str]:
    """Logical clauses: one per list item or line, continuation lines joined."""
    parts: list[str] = []
    for raw in text.replace("\r", "").split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        pieces = [p for p in _INLINE_SPLIT.split(line) if p and p.strip()]
        for piece in pieces:
            piece = piece.strip(" ,")
            marker = _ITEM_MARKER.match(piece)
            body = piece[marker.end() :].strip() if marker else piece
            if not body or _MARKER_ONLY.match(body):
                parts.append("")  # a marker line: what follows starts a new clause
                continue
            starts = bool(marker) or body[:3].casefold() == "at "
            if parts and parts[-1] and not starts and _runs_on(parts[-1], body):
                parts[-1] = f"{parts[-1]} {body}"
            else:
                parts.append(body)
    return [p for p in parts if p]


def _runs_on(previous: str, line: str) -> bool:
    """Whether a line continues the previous one ("… aktivitetscenter på Solvej 6" + "tages til
    efterretning.")."""
    if previous.endswith((".", ":", ";", "?", "!")):
        return previous.endswith(("vedr.", "jf.", "bl.a.", "m.v.", "mv.", "evt.", "inkl.", "ca."))
    return line[:1].islower() or not previous.endswith((",",))


# --- classify -------------------------------------------------------------------------------

_ORIENTATION = re.compile(
    r"til\s+(?:efterretning|orientering)|\btager? orienteringen\b|\borienteres\b"
    r"|\bblev orienteret\b|fremsender til\b.*\borientering|forelægges til orientering"
    r"|^mundtlig orientering",
    re.I,
)
_DISCUSSION = re.compile(r"\bdrøft|til drøftelse|\bbehandles\b|\bbehandler\b", re.I)
_PROCEDURAL = re.compile(
    r"\bbesvares\b|redaktionelle ændringer|\bfinansieres\b|foreslås finansieret|\bvil indgå\b"
    r"|indgår i den (?:videre|samlede)|\bgennemføres fra\b|foretages en gennemgang"
    r"|henvises til dagsordenpunkt|^for afholdelse af"
    r"|kan tildeles|\bdelegeres\b|\bforpligtes\b|styrelsesvedtægt ændres i henhold"
    r"|forslag(?:et)? til (?:bemærkninger|besvarelse)"
    r"|bemærkninger til (?:de indkomne )?høringssvar",
    re.I,
)
_CONDITION = re.compile(r"^(?:hvis|såfremt|forudsat at)\b|betragtes\b.*\bsom vedtaget", re.I)
_HISTORY = re.compile(
    r"^\(.*\)$|^anbefales\b|^indstilles godkendt|anbefaler indstillingen|har haft sagen"
    r"|har behandlet|^sagsforløb|^fremsendes\b|^tilbagesendes\b|^bilag\b|sendes via mail"
    r"|^(?:[\w-]+\s+){0,4}(?:indstiller|foreslår)\s*[,:]?$|^beslutning\b|kunne tiltræde|\bblev\b"
    r"|\bbedes\s+(?:tilbage)?sendt\b|\btilbagesendt\b|\b(?:over|videre|til)sendes\b"
    r"|\bfremsendes\s+til\b|^henvis(?:es|t)\s+til\s+budget"
    # a committee's line in the history: "Økonomiudvalget 12-01-2021", "Ad 2-3: Anbefales.",
    # "1) Godkendt.", "Drøftet og taget til efterretning."
    r"|^[\wæøå ,.&-]{0,60}?(?:udvalget|byrådet|byråd|kommunalbestyrelsen|magistraten|rådet)"
    r"\s*,?\s*\d{1,2}[-.]\d{1,2}[-.]\d{2,4}\b|^ad\s+\d"
    r"|^(?:\d[\d\s,-]*\)\s*)?(?:godkendt|drøftet|taget|anbefales|afventes|tiltrådt)\b",
    re.I,
)
_ATTACHMENT = re.compile(
    r"^(?:bilag\s*(?:nr\.?\s*)?\d+\b|indstilling$|.*\.(?:pdf|docx?|xlsx?)$)|^referat fra møde den",
    re.I,
)
# A head that carries no content: "at byrådet godkender," before its own list of clauses.
_HEAD_ONLY = re.compile(
    r"^(?:at\s+)?(?:[\w-]+\s+){0,4}(?P<verb>godkender|beslutter|vedtager|tiltræder|anbefaler)"
    r"(?:\s+følgende)?\s*[,:;]?\s*(?:at\s*[,:;]?)?$",
    re.I,
)
_OPEN_END = re.compile(r"\b(?:om|til|for|med|at|af)\s*[,:]?$", re.I)
_NEGATED_METHOD = re.compile(r"\bikke\b.*(?:miljøvurder|borgermøde)", re.I)


def classify(clause: str) -> ClauseKind:
    """What a clause does: decide, discuss, take note, or only steer the procedure."""
    text = clause.strip()
    low = re.sub(r"^at\s+", "", text, flags=re.I)
    if _HISTORY.search(low) or _ATTACHMENT.search(low):
        return ClauseKind.HISTORY
    if _CONDITION.search(low):
        return ClauseKind.CONDITION
    if _NEGATED_METHOD.search(low) or _PROCEDURAL.search(low) or _OPEN_END.search(low):
        return ClauseKind.PROCEDURAL
    if is_negated(_main_part(low)):
        return ClauseKind.NEGATED
    if _ORIENTATION.search(low):
        return ClauseKind.ORIENTATION
    if _DISCUSSION.search(low):
        return ClauseKind.DISCUSSION
    return ClauseKind.DECISION


_REASON = re.compile(r",?\s+(?:da|idet|så|således at|fordi|hvorfor)\s+.*$", re.I)


def _main_part(text: str) -> str:
    """The clause without a reason or purpose tail, whose negations do not count."""
    return _REASON.sub("", text)


# --- where the decision text is ---------------------------------------------------------------

_RECOMMENDATION_START = re.compile(
    r"^\s*(?:det\s+(?:indstilles|foreslås)\b|indstilling\s+om\b|[\w ,.&-]{0,120}?\b(?:indstiller"
    r"|foreslår)\b)",
    re.I,
)


def _is_attachment_list(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return True
    pointers = sum(
        bool(_ATTACHMENT.search(re.sub(r"^[-•*\d.)\s]+", "", line))) or len(line.split()) <= 2
        for line in lines
    )
    return pointers == len(lines)


def recommendation_sources(item: AgendaItem) -> list[str]:
    """The texts the question may be read from, best first: the Indstilling (unless it is an
    attachment list), sections that read as one ("Det indstilles: …", Beslutningspunkter), then
    proposal sentences of the Resumé and Sagsfremstilling."""
    found: list[str] = []
    text = clean_text(recommendation_text(item))
    if text.strip() and not _is_attachment_list(text):
        found.append(text)
    for section in item.sections:
        if section.kind in (SectionKind.RECOMMENDATION, SectionKind.DECISION):
            continue
        body = clean_text(section.text)
        heading = section.heading.casefold()
        reads_as_one = _RECOMMENDATION_START.match(body) or heading.startswith(
            ("beslutningspunkt", "indstilling", "administrativ indstilling")
        )
        if reads_as_one and not _is_attachment_list(body):
            found.append(body)
    for kind in (SectionKind.SUMMARY, SectionKind.PRESENTATION):
        proposed: list[str] = []  # "… indstiller, at …" before "… skal tage stilling til …"
        asked: list[str] = []
        for section in item.sections:
            if section.kind != kind:
                continue
            # line by line: a heading line ("Baggrund for ny forretningsorden") is no subject
            for line in lines(section.text):
                for sentence in sentences(line.text):
                    if _PROPOSAL.search(sentence) and not is_furniture(sentence):
                        strong = _PROPOSED.search(sentence)
                        (proposed if strong else asked).append(sentence)
        found += proposed + asked
    for section in item.sections:
        body = clean_text(section.text)
        if _MEMBER_PROPOSAL.match(section.heading) or _MEMBER_PROPOSAL.match(body):
            found += [p for p in member_proposal(body) if p not in found]
    return found


# A member's or a party's proposal ("BESLUTNINGSFORSLAG FRA SF", "Forslag fra M om …").
_MEMBER_PROPOSAL = re.compile(r"^\s*(?:beslutnings)?forslag\b", re.I)
# The line that opens the proposal itself: "SF foreslår derfor:", "Forslag", "C foreslår:".
_PROPOSAL_OPENS = re.compile(
    r"^(?:forslag:?|.{0,120}\b(?:foreslår|indstiller|foreslås|indstilles)(?:\s+derfor)?"
    r"(?:\s*,?\s*at)?\s*[:,]?)$",
    re.I,
)
# Lines after the proposal: its reasons and its signatures.
_PROPOSAL_ENDS = re.compile(
    r"^(?:motivering|begrundelse|baggrund|hvorfor|formål|forslagsstiller|på vegne af)\b", re.I
)
_PROPOSAL_ITEM = re.compile(r"^\s*(?:[-•*–]|\d{1,2}[.)]|at\b)", re.I)
_IMPERSONAL_PASSIVE = re.compile(r"^Der\s+(?P<verb>[a-zæøå]+es)\s")


def member_proposal(text: str) -> list[str]:
    """What a member proposal proposes, best first: the lines after its "… foreslår:" or
    "Forslag" line, its "Byrådet anmoder/opfordrer/pålægger …" sentences, else a main clause
    in the impersonal passive ("Der etableres særskilt budgettering af …")."""
    found: list[str] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if not _PROPOSAL_OPENS.match(line.strip()):
            continue
        block = [line] if not line.strip().casefold().startswith("forslag") else []
        content: list[str] = []
        for following in lines[index + 1 : index + 9]:
            if _PROPOSAL_ENDS.match(following.strip()):
                break
            listed = _PROPOSAL_ITEM.match(following) or following[:1].islower()
            if content and not (listed and _PROPOSAL_ITEM.match(content[0])):
                break  # prose after the proposal explains it: not another proposal
            content.append(following)
        block += content
        if any(b.strip() for b in block):
            found.append("\n".join(block))
    for sentence in sentences(text):
        if _PROPOSAL.search(sentence) and not is_furniture(sentence):
            found.append(sentence)
    for sentence in (s for line in lines for s in sentences(line)):
        passive = _IMPERSONAL_PASSIVE.match(sentence)
        if passive and infinitive_of_passive(passive.group("verb")):
            found.append(sentence)
            break
    return found


def decision_text(item: AgendaItem) -> str:
    """The decision as published ("Godkendt.", "Det tiltrædes, at …"), cleaned."""
    parts = [item.decision or ""]
    parts += [s.text for s in item.sections if s.kind == SectionKind.DECISION]
    return clean_text("\n".join(p for p in parts if p and p.strip()))


_PROPOSER = re.compile(r"\b(?:indstiller|indstilles|foreslår|foreslås|anbefaler)\b", re.I)
_ADDRESSEE_ONLY = re.compile(
    r"^(?:at\s+)?(?:de|I|udvalget|byrådet|kommunalbestyrelsen|økonomiudvalget)\s*[,:]?$", re.I
)


def _has_verb(text: str) -> bool:
    """Whether a list item has a finite or passive verb of its own ("… anbefalinger indgår …")."""
    first = sentences(text)
    return any(
        infinitive_of_present(w) or infinitive_of_passive(w)
        for w in re.findall(r"[\wæøå]+", (first[0] if first else text).casefold())
    )


def clauses(text: str) -> list[Clause]:
    """The clauses of a recommendation text, lead-in stripped, in order, each classified."""
    body = _strip_lead_in(clean_text(text))
    found: list[Clause] = []
    head = ""
    parts = _split(body)
    for index, part in enumerate(parts):
        if is_furniture(part):
            continue
        only = _HEAD_ONLY.match(part)
        if only:
            head = infinitive_of_present(only.group("verb")) or ""
            continue
        # "… hos køber opkræves" + "• et skødegebyr …": the verb's object is the next item
        last = part.rstrip(" .:").rsplit(" ", 1)[-1]
        nxt = parts[index + 1] if index + 1 < len(parts) else ""
        if (
            nxt
            and not part.rstrip().endswith(".")
            and infinitive_of_passive(last)
            and not re.match(r"^(?:at\s|[a-zæøå]+e\s)", nxt, re.I)
            and not _has_verb(nxt)
        ):
            part = f"{part.rstrip(' .:')} {parts[index + 1]}"
        # A second proposer line inside the list ("… foreslår kommunaldirektøren endvidere, at
        # Økonomiudvalget indstiller til byrådet,") is a head as well.
        if _PROPOSER.search(part) and part.rstrip().endswith((",", ":")):
            continue
        if _ADDRESSEE_ONLY.match(part):
            continue  # "at de" + a list of bare verbs: the subject of every item
        found.append(Clause(part, classify(part), head))
    return found


__all__ = [
    "Clause",
    "ClauseKind",
    "classify",
    "clauses",
    "decision_text",
    "recommendation_sources",
]
