"""One recommendation clause as an active infinitive phrase, the part after "Bør <kommune>":
"at lokalplanen vedtages endeligt" -> "vedtage lokalplanen endeligt", "at udvalget godkender X"
-> "godkende X", "der gives en bevilling" -> "give en bevilling", "X bortfalder" -> "lade X
bortfalde". The verb forms come from `casesummary.danish` (verbs, nouns); this module only
knows the shapes a recommendation clause takes.
"""

from __future__ import annotations

import re

from casesummary.danish import (
    DOCUMENT_NOUNS,
    definite,
    infinitive_of_participle,
    infinitive_of_passive,
    infinitive_of_present,
    is_definite,
    is_infinitive,
    is_negated,
    known_municipality,
    reflexive_possessive,
    sentences,
    stopwords,
)
from casesummary.danish.verbs import AUXILIARIES, MODALS, NOMINALISATIONS

_ADVERBS = frozenset(
    ["herefter", "hermed", "dermed", "således", "derefter", "endeligt", "enstemmigt"]
)

_PUNCT = ",.;:!?()\"'”“»«"

# --- cleaning ---------------------------------------------------------------------------------

_POINTER_PARENS = re.compile(
    r"\s*\((?:[^()]*\b(?:bilag\w*|jf|konto|drift|serviceudgift|indstilling\w*|afsnit|punkt|tabel)"
    r"\b[^()]*|[A-Z]{1,3}-[\d-]+|…|\.\.\.|[^()]*\d{3,}[^()]*|(?:[^()\s]+\s+){3,}[^()]*)\)",
    re.I,
)
_POINTERS = re.compile(
    r",?\s*\b(?:jf|jvf)\.\s+(?:At\s+\d\)(?:\s+og\s+At\s+\d\))?|[^,;]*)"
    r"|,?\s*(?:som\s+|der\s+er\s+)?(?:beskrevet|oplistet|anført|angivet|nævnt|vist)\s+i\s+"
    r"(?:bilag\w*(?:\s+(?:nr\.\s*)?\d+)?|nærværende\s+indstilling|indstillingen|sagsfremstillingen"
    r"|afsnit\s+[\d.]+|notatet)(?=[\s,.;]|$),?"
    r"|,?\s*der\s+ses\s+i\s+bilaget|,?\s*som\s+det\s+fremgår\s+af\s+[^,;]*"
    r"|,?\s*med\s+de\s+ændringer,?\s+der\s+fremgår\s+af\s+[^,;]*"
    r"|\s*i\s+henhold\s+til\s+beslutningspunkt[^,;]*|,?\s*som\s+angivet\s+i\s+afsnit\s+[\d.]+",
    re.I,
)
# "de i bilag nr. 2 foreslåede omplaceringer" -> "de foreslåede omplaceringer"
_INNER_POINTER = re.compile(
    r"\s+i\s+(?:bilag(?:et)?(?:\s+nr\.)?(?:\s+\d+)?|sagsbeskrivelsen|sagsfremstillingen"
    r"|indstillingen)(?=\s+\w+(?:ede|ete|te|ne)\b)",
    re.I,
)
_TAIL = re.compile(
    r"(?:,\s*|\s+)(?:da|idet|således at|fordi|hvoraf|herunder"
    r"|med henblik på at|med det formål at|i det omfang)\b.*$|,\s+så\b.*$"
    # "…, dels som følge af X, dels fordi Y": the reasons, both parts
    r"|,?\s+dels\s.*$",
    re.I,
)
_DANGLING_END = re.compile(
    r"(?:[\s,]+(?:og|samt|eller|herunder|men|at|enten|dels|til|for|med|om|på|af|i|fra|ved|der|som"
    r"|den|det|de|en|et|hos|mod|efter|under|over|inden|mellem|via|vedr\.?|jf\.?))+[\s,.:;]*$",
    re.I,
)


_DASHED = re.compile(r"\s+[–-]\s+(?=[a-zæøå])[^–]{3,80}?\s+[–-]\s+")
_CODES = re.compile(
    r",?\s+(?:på|over|under)\s+(?:konto|funktion|serviceområde|projekt\s+nr\.?|sektor)\s+[\d.]+"
    r"(?:,?\s+[^,]*?)??(?=,|\s+(?:til|i|på)\s|$)|,?\s*(?:nyt\s+)?stednr\.(?:\s*[\d ]+)?,?",
    re.I,
)


def _clean(clause: str) -> str:
    text = " ".join(clause.split())
    # "en model for X, der skal fokusere på:" + a list: the relative clause leads into the list
    # (not "drøfte, hvilke handlemuligheder …, som administrationen skal …:", a whole question)
    if not re.search(r"\bhv(?:ilke|ilken|ilket|ad|ordan|ornår)\b", text, re.I):
        text = re.sub(r",\s+(?:der|som)\s+[^,]*\b(?:på|om|til|for|med|af|i|følgende):$", "", text)
    text = _DASHED.sub(" ", text)
    text = _CODES.sub("", text)
    text = re.sub(r"^(?:at\s+){1,2}", "", text, flags=re.I)
    text = _POINTER_PARENS.sub("", text)
    text = _POINTERS.sub("", text)
    text = _INNER_POINTER.sub("", text)
    first = sentences(text)
    text = first[0] if first else text
    # "vedtager følgende anbefalinger fra X: …": the list after the colon is not the question
    listed = re.search(r"\bfølgende\s+(?P<noun>[a-zæøå]+)", text)
    if listed and ":" in text[listed.end() :]:
        noun = listed.group("noun")
        noun = definite(noun) if noun.endswith("er") else noun
        text = f"{text[: listed.start()]}{noun}{text[listed.end() : text.index(':', listed.end())]}"
    text = re.sub(r",?\s+fordelt\s+(?:med|på)\s+.*?(?=\s+til\s+|$)", "", text, flags=re.I)
    text = _TAIL.sub("", text)
    text = re.sub(r"\bml\.\s", "mellem ", text)
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    return text.strip(" ,;:.") if not text.endswith(("kr.", "mio.", "pct.")) else text.strip()


# --- subjects -------------------------------------------------------------------------------

# The council, its committees and the administration: their acts are the municipality's.
_UNIT = re.compile(
    r"^(?:byrådet|udvalget|kommunalbestyrelsen|borgerrepræsentationen|lokaludvalget|magistraten"
    r"|forvaltningen|administrationen|direktionen|borgmesteren|staben|regionen|regionsrådet"
    r"|kb(?:\s+og\s+aet)?|teknik\s+og\s+miljø|borgmesterens\s+afdeling|kommunen"
    r"|center\s+for\s+[\wæøå-]+(?:\s+(?:og|&)\s+[\wæøå-]+)?"
    r"|(?:[\wæøå]+-,?\s+(?:og\s+)?)*[\wæøå-]*(?:udvalg(?:et)?(?:\s+for\s+[\wæøå, -]+?)?"
    r"|forvaltning(?:en)?))"
    r"(?:\s+og\s+[\wæøå-]+(?:udvalget|rådet|en|et))?(?=\s)",
    re.I,
)
_NAMED_UNIT = re.compile(
    r"^(?:[A-ZÆØÅ][\w-]*\s+){1,3}(?:Kommune|Byråd|Lokaludvalg|Kommunalbestyrelse|Regionsråd)(?=\s)"
    r"|^(?:[A-ZÆØÅ][\w-]*\s+){1,3}Kommunes\s+[\wæøå-]*(?:udvalg|forvaltning|råd|afdeling)\w*(?=\s)"
    r"|^Region\s+[A-ZÆØÅ]\w+(?=\s)"
)


_COUNCIL_ITSELF = re.compile(
    r"^(?:byrådet|kommunalbestyrelsen|borgerrepræsentationen|[A-ZÆØÅ]\w+\s+(?:Byråd|Kommune))$",
    re.I,
)


def _council_subject(text: str) -> int:
    """Where the clause's subject ends, when the subject is the council or the administration."""
    match = _NAMED_UNIT.match(text) or _UNIT.match(text)
    if match:
        return match.end()
    first = text.split(" ", 1)[0]
    if known_municipality(first) and " " in text:
        return len(first)
    return 0


# --- verbs in a clause ----------------------------------------------------------------------


def _bare(token: str) -> str:
    return token.strip(_PUNCT)


def _in_relative(tokens: list[str], index: int) -> bool:
    """Whether tokens[index] is inside ", der …" / ", som …" / parentheses."""
    depth = 0
    for i in range(index):
        depth += tokens[i].count("(") - tokens[i].count(")")
    if depth > 0:
        return True
    for i in range(index - 1, max(-1, index - 12), -1):
        word = tokens[i].casefold()
        if word in {"der", "som", "hvor", "hvis", "når"} and i > 0 and tokens[i - 1].endswith(","):
            # a relative clause runs to the next comma
            return not any(t.endswith(",") for t in tokens[i:index])
    return False


def _find(tokens: list[str], start: int, kind: str, *, lexicon_only: bool) -> int:
    for i in range(start, len(tokens)):
        word = _bare(tokens[i])
        if not word or _in_relative(tokens, i):
            continue
        if kind == "passive":
            found = infinitive_of_passive(word, lexicon_only=lexicon_only)
        elif kind == "present":
            previous = _bare(tokens[i - 1]).casefold() if i else ""
            nounish = previous in _DETERMINERS or previous.endswith(("ede", "ige", "ske"))
            nounish = nounish or word.casefold() in MODALS or word.casefold() in AUXILIARIES
            found = None if nounish else infinitive_of_present(word, lexicon_only=lexicon_only)
        else:
            found = infinitive_of_participle(word)
        if found:
            return i
    return -1


def _verb(tokens: list[str], start: int, kind: str) -> int:
    found = _find(tokens, start, kind, lexicon_only=True)
    return found if found >= 0 else _find(tokens, start, kind, lexicon_only=False)


def _inf(word: str) -> str:
    bare = _bare(word)
    found = (
        infinitive_of_passive(bare, lexicon_only=False)
        or infinitive_of_present(bare, lexicon_only=False)
        or infinitive_of_participle(bare)
        or bare.casefold()
    )
    return found + ("," if word.endswith(",") else "")


# --- noun phrases ---------------------------------------------------------------------------

_COMMON_CAPS = frozenset(
    [
        "borgmesteren",
        "byrådet",
        "udvalget",
        "kommunalbestyrelsen",
        "forvaltningen",
        "administrationen",
        "regnskabet",
        "forslaget",
        "projektet",
        "orienteringen",
    ]
)
_ADJECTIVE_ENDINGS = ("ige", "ede", "ske", "nde", "ne", "te", "le")
_NAME_HEADS = frozenset({"center", "centret", "styrelsen", "afdelingen"})
_PREPOSITIONS = frozenset(
    [
        "på",
        "i",
        "til",
        "for",
        "af",
        "med",
        "om",
        "fra",
        "ved",
        "hos",
        "under",
        "over",
        "efter",
        "mod",
    ]
)
_DETERMINERS = frozenset(
    [
        "den",
        "det",
        "de",
        "en",
        "et",
        "denne",
        "dette",
        "disse",
        "alle",
        "samtlige",
        "hele",
        "nye",
        "ny",
        "nyt",
        "to",
        "tre",
        "fire",
        "fem",
        "sin",
        "sit",
        "sine",
        "følgende",
        "begge",
        "flere",
    ]
)


def _object(noun_phrase: str, *, after_at: bool = False) -> str:
    """The subject of a passive as the object of the question: lower case unless a name, and
    definite when it is a bare common noun ("dagsorden" -> "dagsordenen", "forslag til X" ->
    "forslaget til X"); numbered names and labels stay bare ("Tillæg 1", "skema B")."""
    words = noun_phrase.split()
    if not words:
        return noun_phrase
    head = words[0]
    nxt = words[1] if len(words) > 1 else ""
    name_like = (
        any(c.isupper() or c.isdigit() for c in head[1:])
        or nxt[:1].isupper()
        or head.casefold() in _NAME_HEADS
    )
    common = head.casefold() in DOCUMENT_NOUNS or head.casefold() in _COMMON_CAPS
    if head[:1].isupper() and not name_like and (not after_at or common):
        head = head[:1].lower() + head[1:]
    low = head.casefold()
    numbered = bool(re.match(r"^(?:\d|[A-ZÆØÅ]\b|nr\.)", nxt))
    if (
        head[:1].islower()
        and low not in _DETERMINERS
        and low not in _PREPOSITIONS
        and low.isalpha()
        and not numbered
        and not is_definite(low)
        and not low.endswith(("s",))
        and nxt.casefold() != "og"
        and not (low.endswith(_ADJECTIVE_ENDINGS) and nxt and nxt.casefold() not in _PREPOSITIONS)
    ):
        head = definite(head)
    return " ".join([head, *words[1:]])


def _pronoun(noun_phrase: str) -> str:
    head = noun_phrase.split()[0].casefold() if noun_phrase.split() else ""
    if head.endswith("ne"):
        return "dem"
    return "den" if head.endswith("en") else "det"


# --- the transformation -----------------------------------------------------------------------

_HEADS = (
    re.compile(
        r"^(?:det\s+)?(?:godkendes|tiltrædes|besluttes|indstilles|foreslås|anbefales)(?:\s+det)?"
        r"\s*,?\s*at\s*[:,;]?\s+",
        re.I,
    ),
    re.compile(
        r"^(?:godkender?|beslutter?|tiltræder?|anbefaler?)\s*,?\s*at\s*[:,;]?\s+(?=\S)", re.I
    ),
    re.compile(r"^anbefaling\s+om,?\s+at\s+", re.I),
    re.compile(r"^forudsat\b.*?,\s*(?=[\wæøå]+es\b)", re.I),
    re.compile(r"^(?:der\s+)?(?:tages|tage)\s+stilling\s+til\s*,?\s*om\s+", re.I),
    re.compile(r"^(?:beslutte|afgøre)\s*,?\s*om\s+", re.I),
)
_COUNCIL_HEAD = re.compile(
    r"^(?:[^\s,]+\s+){0,3}?(?:godkender|beslutter|tiltræder|vedtager|anbefaler|skal\s+beslutte"
    r"|skal\s+tage\s+stilling\s+til)\s*,?\s*(?:at|om)\s*[:,;]?\s+",
    re.I,
)
_ORIENTATION_FORMS = (
    (re.compile(r"\b(?:orienteres|orienteret)(?:\s+der)?\s+om\s+(?P<x>.+)$", re.I), "orientation"),
    (
        re.compile(r"\bfremsender\s+til\s+\S+\s+orientering,?\s+(?:en\s+|et\s+)?(?P<x>.+)$", re.I),
        "note",
    ),
)
_PRESENTED = re.compile(
    r"^(?P<np>.*?)\s*\b(?:fremlægges|forelægges)\s+(?:hermed\s+|nu\s+|herved\s+)?(?P<mid>.*?)\s*"
    r"\btil\s+(?P<what>godkendelse|drøftelse|orientering)\b",
    re.I,
)
_ADVERBIAL_LEAD = re.compile(
    r"^(?:pga\.|på baggrund\b|som opfølgning\b|i forlængelse\b|efter\b)", re.I
)
_WHAT = {"godkendelse": "godkende", "drøftelse": "drøfte", "orientering": "tage"}
_GENERIC_NOTE = frozenset({"sagen", "punktet", "orienteringen", "orientering"})


def to_phrase(clause: str) -> str | None:
    """The clause as "<infinitiv> <objekt og adverbialer>", or None when no verb can be read."""
    after_at = bool(re.match(r"^\s*at\s", clause, re.I))
    text = _clean(clause)
    if not text or is_negated(text):
        return None
    for _ in range(4):
        before = text
        for head in _HEADS:
            text = head.sub("", text, count=1)
        end = _council_subject(text)
        if end:
            inner = _COUNCIL_HEAD.match(text[end:].strip())
            if inner:
                text = text[end:].strip()[inner.end() :]
        text = re.sub(r"^godkende\s*,\s+(?!at\b)", "godkende ", text, flags=re.I)
        text = re.sub(r"^godkende\s+at\s+(?=\w+e\b)", "", text, flags=re.I)
        if text == before:
            break
    text = text.strip(" ,")
    if not text or is_negated(text):
        return None
    return _shape(text, after_at=after_at)


def _shape(text: str, *, after_at: bool) -> str | None:
    """The phrase for one cleaned clause; `after_at`: the clause followed "at", so a capital
    at its start marks a name ("at Børsbroen renoveres")."""
    for pattern, form in _ORIENTATION_FORMS:
        match = pattern.search(text)
        if match:
            subject = _object(match.group("x").strip(" ,."))
            if form == "orientation":
                return f"tage orienteringen om {subject} til efterretning"
            return f"tage {subject} til efterretning"
    presented = _PRESENTED.search(text)
    if presented:
        np = presented.group("np").strip(" ,")
        if not np or _ADVERBIAL_LEAD.match(np):
            np = presented.group("mid").strip(" ,")
        verb = _WHAT[presented.group("what").casefold()]
        np = _object(np) if np else "sagen"
        if verb == "tage":
            np = "orienteringen" if np.casefold() in _GENERIC_NOTE else np
            return f"tage {np} til efterretning"
        return f"{verb} {np}"
    stilling = re.match(r"^Stillingtagen\s+til\s+(?P<x>.+)$", text, re.I)
    if stilling:
        return f"imødekomme {_object(stilling.group('x'))}"

    tokens = _drop_modals(text.split())
    first = _bare(tokens[0])
    if is_infinitive(first) and first[:1].islower():
        return " ".join([first, *_document_object(tokens[1:])])
    if first.casefold() == "der":
        return _impersonal(tokens)
    if first[:1].islower() and infinitive_of_present(first):
        return _council(tokens)  # "tager X til efterretning": the subject stood in the lead-in
    end = _council_subject(text)
    if end:
        phrase = _council(text[end:].split())
        if phrase:
            return phrase
    return _passive_or_agent(tokens, after_at=after_at)


def _drop_modals(tokens: list[str]) -> list[str]:
    """'skema A kan godkendes' -> 'skema A godkendes': a modal before a passive asks the same."""
    kept = []
    for i, token in enumerate(tokens):
        nxt = _bare(tokens[i + 1]) if i + 1 < len(tokens) else ""
        if _bare(token).casefold() in MODALS and infinitive_of_passive(nxt, lexicon_only=False):
            continue
        kept.append(token)
    return kept


def _document_object(tokens: list[str]) -> list[str]:
    """'godkende dagsorden' -> 'godkende dagsordenen': a bare document noun as object."""
    if not tokens:
        return tokens
    head = _bare(tokens[0])
    nxt = _bare(tokens[1]) if len(tokens) > 1 else ""
    if head in DOCUMENT_NOUNS and not re.match(r"^(?:\d|[A-ZÆØÅ]\b|nr\.)", nxt):
        return [
            tokens[0].replace(head, "dagsordenen" if head == "dagsordnen" else definite(head)),
            *tokens[1:],
        ]
    return tokens


def _impersonal(tokens: list[str]) -> str | None:
    """'der i 2026 gives en bevilling' -> 'give en bevilling i 2026'."""
    index = _verb(tokens, 1, "passive")
    if index < 0:
        return None
    verbs = [_inf(tokens[index])]
    after = tokens[index + 1 :]
    if after and infinitive_of_participle(_bare(after[0])):
        verbs = [infinitive_of_participle(_bare(after[0])) or verbs[0]]
        after = after[1:]
    if len(after) >= 2 and after[0] == "og" and infinitive_of_passive(_bare(after[1])):
        verbs.append(_inf(after[1]))
        after = after[2:]
    middle = tokens[1:index]
    return _join(" og ".join(verbs), after, middle)


def _council(tokens: list[str]) -> str | None:
    """'[adverbials] godkender X' (the subject already gone) -> 'godkende X [adverbials]'."""
    for i, token in enumerate(tokens[:16]):
        word = _bare(token)
        low = word.casefold()
        if low in MODALS and i + 1 < len(tokens):
            rest = tokens[i + 1 :]
            # "skal [mindst en gang i hver valgperiode] vedtage X": adverbials before the verb
            at = next((j for j, t in enumerate(rest[:8]) if is_infinitive(_bare(t))), -1)
            if at >= 0 and not any(t.endswith(",") for t in rest[:at]):
                verb = _bare(rest[at]).casefold()
                return _join(verb, rest[at + 1 :], [*tokens[:i], *rest[:at]])
            continue
        infinitive = infinitive_of_present(word, lexicon_only=i > 0)
        if infinitive is None and i == 0:
            infinitive = infinitive_of_present(word, lexicon_only=False)
        if infinitive is None:
            continue
        middle, after = tokens[:i], _document_object(tokens[i + 1 :])
        if middle and middle[0].casefold() == "for":
            middle = []  # "Udvalget for Plan, udvikling og kultur påbegynder …": part of the name
        verbs = [infinitive]
        if len(after) >= 2 and after[0] == "og" and infinitive_of_present(_bare(after[1])):
            verbs.append(infinitive_of_present(_bare(after[1])) or "")
            after = after[2:]
        if infinitive in _REQUESTS:
            at = next((j for j, t in enumerate(after) if t == "at"), -1)
            asked = " ".join(after[:at]) + " "
            ours = infinitive in {"pålægge", "anmode"} or bool(_UNIT.match(asked))
            if ours and 0 <= at < len(after) - 1 and _reads_infinitive(after[at + 1]):
                return _join(_bare(after[at + 1]), after[at + 2 :], middle)
        joined = " ".join(after)
        if (after and after[0].rstrip(",") in {"at", "om"}) or re.match(
            r"^til\s+(?:efterretning|orientering),?\s+at\b", joined
        ):
            return None  # "tager til efterretning, at …": a clause as object
        return _join(" og ".join(verbs), after, middle)
    return None


# "anmoder Magistraten om at V", "opfordrer forvaltningen til at V": the municipality's own
# units asked to act is the municipality acting (RULES.md §3.5).
_REQUESTS = frozenset({"pålægge", "anmode", "opfordre", "bede"})


def _reads_infinitive(token: str) -> bool:
    """A lexicon infinitive, or an unknown lower-case word in -e after "at" ("gentænke")."""
    word = _bare(token)
    return is_infinitive(word) or (word.isalpha() and word.islower() and word.endswith("e"))


def _passive_or_agent(tokens: list[str], *, after_at: bool) -> str | None:
    """'X godkendes endeligt' -> 'godkende X endeligt'; 'X bortfalder' -> 'lade X bortfalde'."""
    passive = _verb(tokens, 0, "passive")
    present = _find(tokens, 1, "present", lexicon_only=True)
    participle = _find(tokens, 1, "participle", lexicon_only=True)
    if passive >= 0 and (present < 0 or passive <= present):
        subject, after = tokens[:passive], tokens[passive + 1 :]
        verb = _inf(tokens[passive]).rstrip(",")
        if tokens[passive].endswith(",") and subject:
            subject = [*subject[:-1], subject[-1].rstrip(",") + ","]
        if subject and _COUNCIL_ITSELF.match(" ".join(subject)):
            return _join(f"lade sig {verb}", after, [])  # "Aarhus Byråd repræsenteres i …"
        if after and infinitive_of_participle(_bare(after[0])):
            if verb in {"foreslå", "søge", "ønske"}:
                verb = infinitive_of_participle(_bare(after[0])) or verb
            after = after[1:]
        noun = _object(" ".join(subject), after_at=after_at)
        if len(after) >= 2 and after[0] == "og" and infinitive_of_passive(_bare(after[1])):
            return _join(f"{verb} og {_inf(after[1])}", [*noun.split(), *after[2:]], [])
        for j in range(1, len(after) - 1):
            if after[j] == "og" and infinitive_of_passive(_bare(after[j + 1])):
                second = [_inf(after[j + 1]), _pronoun(noun), *after[j + 2 :]]
                return _join(verb, [*noun.split(), *after[:j], "og", *second], [])
        return _join(verb, [*noun.split(), *after], [])
    if _narrative(tokens[: max(present, participle, 0)]):
        return None  # "Godkendt, i det at …", "Borgmesteren orienterede om at han …"
    if present > 0:
        subject, after = tokens[:present], tokens[present + 1 :]
        verb = infinitive_of_present(_bare(tokens[present])) or ""
        verb += "," if tokens[present].endswith(",") else ""
        noun = _object(" ".join(subject), after_at=after_at)
        if verb == "få":
            return _join("give", [*noun.split(), *after], [])
        if verb:
            return _join("lade", [*noun.split(), verb, *after], [])
    if participle > 0:
        subject, after = tokens[:participle], tokens[participle + 1 :]
        while subject and _bare(subject[-1]).casefold() in AUXILIARIES:
            subject = subject[:-1]  # "dagsordenen … bliver godkendt"
        if not subject or _bare(subject[0]).casefold() in _ADVERBS:
            return None  # "Herefter godkendt.": no object in the line
        verb = infinitive_of_participle(_bare(tokens[participle])) or ""
        return _join(verb, [*_object(" ".join(subject)).split(), *after], [])
    return None


_PAST = re.compile(r"^[a-zæøå]{4,}ede$")
_CLAUSE_WORDS = frozenset({"at", "han", "hun", "vi", "jeg", "man"})


def _narrative(subject: list[str]) -> bool:
    """Whether what stands before the verb is no subject but a report of the meeting: a
    participle decision ("Godkendt, …"), a past-tense verb ("… orienterede om …") or a clause."""
    words = [_bare(t).casefold() for t in subject]
    if not words:
        return False
    if infinitive_of_participle(words[0]):
        return True
    # a past form right after a definite noun ("borgmesteren orienterede"); after a determiner or
    # a preposition it is an adjective ("de foreslåede arbejder", "til udpegede områder")
    finite = [
        w
        for i, w in enumerate(words)
        if i and _PAST.match(w) and re.search(r"(?:[^e]en|et|ne)$", words[i - 1])
    ]
    return bool(finite) or any(w in _CLAUSE_WORDS for w in words[1:])


# Sentence adverbs that say nothing about the decision; moved last they would cling to the
# object's relative clause ("krav til byggepladser, der ønsker … fremover").
_LOOSE_ADVERBS = frozenset(
    {"fremover", "hermed", "herefter", "dermed", "derfor", "endvidere", "således", "nu", "samtidig"}
)


def _join(verb: str, after: list[str], middle: list[str]) -> str:
    """verb + object and adverbials, with the adverbials that stood before the verb moved last."""
    middle = [t for t in middle if _bare(t).casefold() not in _LOOSE_ADVERBS]
    parts = [verb, *after]
    moved = " ".join(middle).strip(" ,")
    phrase = " ".join(p for p in parts if p).strip(" ,")
    if moved:
        phrase = f"{phrase.rstrip(' ,')} {moved}"
    return phrase


# "godkende gennemførelsen af X" asks whether to carry X out: "gennemføre X" (RULES.md §3.7).
_CARRY_OUT = frozenset({"gennemførelse", "indførelse", "etablering", "igangsættelse"})
_CARRY_OUT_HEAD = re.compile(r"^(?:godkende|vedtage) (?P<noun>[a-zæøå]+?)e?n af (?P<x>\S.*)$")


def _plain_verb(phrase: str) -> str:
    """The verb a decision of this shape really asks about: 'godkende gennemførelsen af X' ->
    'gennemføre X', 'godkende tilsagn til X' -> 'give tilsagn til X' (a "tilsagn" is given)."""
    carried = _CARRY_OUT_HEAD.match(phrase)
    if carried:
        word = phrase.split(" ", 2)[1]
        noun = next((n for n in (word[:-1], word[:-2]) if n in _CARRY_OUT), "")
        # not when a second verb refers back to the noun ("… og sende den i høring")
        refers_back = re.search(r"\bog\s+[a-zæøå]+e\s+(?:den|det|dem)\b", carried["x"])
        if noun and not refers_back:
            return f"{NOMINALISATIONS[noun]} {carried.group('x')}"
    phrase = re.sub(r"^godkende (?=(?:et |en )?tilsagn\b)", "give ", phrase)
    # "tage stilling til en ansøgning om X": what is decided is whether to grant it
    return re.sub(
        r"^tage stilling til (?:en |et )?ansøgning(?:en)? (?=om |fra )",
        "imødekomme ansøgningen ",
        phrase,
    )


def tidy(phrase: str, municipality: str | None) -> str:
    """The finished phrase: the municipality not named twice, no doubled word, no dangling end."""
    text = _plain_verb(" ".join(phrase.split()))
    if municipality:
        official = re.escape(municipality)
        bare = re.escape(municipality.rsplit(" ", 1)[0].removesuffix("s"))
        text = re.sub(rf"\bmellem\s+{official}\s+og\s+", "med ", text)
        text = re.sub(rf"\b{official}s\s+(?:([a-zæøå]+e)\s+)?([a-zæøå]+)\b", _own, text)
        text = re.sub(rf"\b{official}s\b", "kommunens", text)
        text = re.sub(rf"\s+i\s+{official}\b(?!s)(?=\s+\S)", "", text)  # "… i X Kommune til …"
        text = re.sub(rf"\b(?:i|for|af|på|til)\s+{official}\b(?!s)", _in_kommunen, text)
        text = re.sub(rf"\b{official}\b", "kommunen", text)
        text = re.sub(rf"\b{bare}s?\s+Byråd\b", "byrådet", text)
    text = re.sub(r"\b(\w+)(\s+\1\b)+", r"\1", text, flags=re.I)
    if text.rstrip().endswith(":"):
        # a colon introduces a list that is not part of the question: drop what leads into it
        text = re.sub(r",\s+(?:der|som)\s+[^,]*$", "", text.rstrip().rstrip(":"))
    while True:
        stripped = _DANGLING_END.sub("", text).strip(" ,;:–-")
        if stripped == text:
            break
        text = stripped
    return text.strip(" ,;:")


def _own(match: re.Match[str]) -> str:
    """'Aarhus Kommunes engagement' -> 'sit engagement' in the municipality's own clause (the
    question's subject is the municipality); 'kommunens …' inside another subject's clause."""
    adjective, noun = match.group(1), match.group(2)
    if adjective and noun in stopwords():  # "Kommunes hjemmeside og …": no adjective
        adjective, noun = "", f"{adjective} {noun}"
    before = match.string[: match.start()]
    others = re.search(r"\blade\b|,\s+(?:der|som|hvor)\b|\bat\s+\w+\s+\w+r\b", before)
    own = None if others else reflexive_possessive(noun.split()[0])
    own = own or "kommunens"
    return " ".join(w for w in (own, adjective, noun) if w)


def _in_kommunen(match: re.Match[str]) -> str:
    return match.group(0).split()[0] + " kommunen"


# Where a phrase may be shortened without cutting a phrase in two: before a relative, adverbial
# or appended clause (", der …", ", hvor …", ", med det supplement, at …", ", herunder …"), a
# dash or semicolon, a parenthesis, or a second coordinated part (" samt …", ", og …").
_CLAUSE_BOUNDARY = re.compile(
    r",\s+(?=(?:der|som|hvor|hvorved|hvilket|hvis|når|fordi|idet|da|så|således|herunder"
    r"|heriblandt|bl\.a\.|med|og|samt|men|eller|jf\.?|inden|indtil|mens|selvom|efter)\b)"
    r"|\s+[–-]\s+|;\s+|\s+\((?=[^()]*\))|\s+samt\s+"
    r"|,?\s+(?=(?:på baggrund af|som følge af|med henblik på|i henhold til|i forbindelse med)\s)",
    re.I,
)
# Last resort: before a prepositional phrase that follows a noun, once the verb has its first
# complement ("afslutte forhandlingerne med X | omkring fastlæggelse af …").
_PREPOSITION = re.compile(
    r"\s+(?=(?:til|for|med|om|på|af|i|fra|ved|hos|mod|efter|under|over|omkring|vedrørende"
    r"|mellem|blandt)\s)"
)
# Particles and adverbs of the verb that close the phrase: kept when the middle is cut.
_CLOSING = re.compile(
    r"\s+(?:til\s+(?:efterretning|orientering)|i\s+(?:\d+\s+ugers\s+)?(?:offentlig\s+)?høring"
    r"(?:\s+i\s+\d+\s+uger)?|endeligt)$",
    re.I,
)


def clause_cuts(phrase: str) -> list[str]:
    """Shorter forms of a phrase, longest first, each ending at a clause boundary: the main
    verb and its object kept, the appended clauses dropped ("henvise X til Y, med det
    supplement, at …" -> "henvise X til Y"); a closing particle ("til efterretning") stays."""
    closing = _CLOSING.search(phrase)
    tail = closing.group(0) if closing else ""
    body = phrase[: closing.start()] if closing else phrase
    cuts: list[str] = []
    positions = [m.start() for m in _CLAUSE_BOUNDARY.finditer(body)]
    first_complement = min((m.start() for m in _PREPOSITION.finditer(body)), default=len(body))
    phrases = [
        m.start()
        for m in _PREPOSITION.finditer(body)
        if m.start() > first_complement and not is_infinitive(body[: m.start()].rsplit(" ", 1)[-1])
    ]
    for at in [*sorted(positions, reverse=True), *sorted(phrases, reverse=True)]:
        head = body[:at].rstrip(" ,;:–-")
        balanced = head.count("(") == head.count(")") and head.count("”") % 2 == 0
        # "ved A, B | samt C": dropping the last member of a list says the list is "A, B"
        removed = body[at:]
        open_list = re.search(r"\ssamt\s", removed) or (
            "," in head and re.match(r",?\s+og\s", removed)
        )
        if balanced and not open_list and len(head.split()) >= 2:
            cut = f"{head}{tail}"
            if cut not in cuts:
                cuts.append(cut)
    return cuts


__all__ = ["clause_cuts", "tidy", "to_phrase"]
