"""Danish nouns in the definite form: "dagsorden" -> "dagsordenen", "forslag" -> "forslaget",
"regler" -> "reglerne", and the noun phrases that stay bare ("Tillæg 1", "skema B").

The bare subject of a passive recommendation ("at dagsorden godkendes") reads as the definite
object of the question ("godkende dagsordenen"). Gender decides -en/-et; compounds take the
gender of their last part, so the neuter list holds final parts.
"""

from __future__ import annotations

import re

_IRREGULAR = {
    "program": "programmet",
    "budget": "budgettet",
    "kommissorium": "kommissoriet",
    "museum": "museet",
    "center": "centret",
    "nummer": "nummeret",
    "teater": "teatret",
    "register": "registret",
    "status": "status",
    "skema": "skemaet",
    "tema": "temaet",
    "overblik": "overblikket",
}
#: Final parts of neuter nouns ("regnskab" -> "regnskabet", "anlægsforslag" -> "-forslaget").
_NEUTER_ENDINGS = (
    "forslag",
    "udkast",
    "regnskab",
    "skab",
    "projekt",
    "tillæg",
    "tilbud",
    "område",
    "anlæg",
    "regulativ",
    "initiativ",
    "notat",
    "referat",
    "katalog",
    "oplæg",
    "materiale",
    "møde",
    "arbejde",
    "råd",
    "udvalg",
    "hus",
    "sted",
    "tal",
    "lag",
    "værk",
    "kort",
    "brev",
    "svar",
    "bidrag",
    "beløb",
    "lån",
    "salg",
    "køb",
    "valg",
    "ønske",
    "kommissorium",
    "grundlag",
    "overblik",
    "indhold",
    "forløb",
    "niveau",
    "princip",
    "mål",
    "ejendom",
    "vederlag",
    "tilskud",
    "gebyr",
    "forbud",
    "krav",
    "bevis",
    "certifikat",
    "system",
    "net",
    "papir",
    "årsregnskab",
    "overslag",
    "ophold",
    "samarbejde",
    "partnerskab",
    "byggeri",
    "eri",
    "ment",
    "um",
)
_PLURAL = re.compile(r"(?:er|ere)$")
_SINGULAR_ER = frozenset(
    [
        "leder",
        "center",
        "nummer",
        "teater",
        "register",
        "fiber",
        "meter",
        "borger",
        "ejer",
        "køber",
        "sælger",
        "bruger",
        "deltager",
        "modtager",
        "ansøger",
        "lejer",
        "medarbejder",
        "stedfortræder",
        "indbygger",
        "repræsentant",
    ]
)
#: Document nouns that read definite as the object of a decision ("godkende dagsorden" ->
#: "godkende dagsordenen"), unless a number or label follows ("forslag 3").
DOCUMENT_NOUNS = frozenset(
    [
        "dagsorden",
        "dagsordnen",
        "tillægsdagsorden",
        "forslag",
        "udkast",
        "referat",
        "regnskab",
        "regnskabet",
        "årsberetning",
        "beretning",
        "oversigt",
        "evaluering",
        "orientering",
    ]
)


def definite(noun: str) -> str:
    """The definite singular (or plural) of a bare noun: 'dagsorden' -> 'dagsordenen',
    'udkast' -> 'udkastet', 'aftale' -> 'aftalen', 'regler' -> 'reglerne'."""
    low = noun.casefold()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if is_definite(low):
        return noun
    if _PLURAL.search(low) and low not in _SINGULAR_ER and not low.endswith("eder"):
        return noun + "ne"
    neuter = low.endswith(_NEUTER_ENDINGS)
    if low.endswith("e"):
        return noun + ("t" if neuter else "n")
    if low.endswith("ium"):
        return noun[:-2] + "et"
    return noun + ("et" if neuter else "en")


_DEFINITE = re.compile(r"(?:[^e]en|ene|erne|et|ernes|ens|ets)$")


def is_definite(word: str) -> bool:
    """Whether a noun already has its definite ending ("dagsordenen", "forslaget",
    "reglerne"). A guess from the ending: "orden" and "budget" count as bare (listed)."""
    low = word.casefold()
    if low in {"dagsorden", "orden", "budget", "projekt", "tillæg", "regnskab", "net", "udkast"}:
        return False
    if low.endswith(("ningen", "elsen", "tionen", "heden", "ingen", "aftalen", "planen")):
        return True
    return bool(_DEFINITE.search(low)) and not low.endswith(("sted", "råd"))


#: Endings of common-gender nouns, safe to read the gender from ("-ning" -> "sin planlægning").
_COMMON_ENDINGS = (
    "ning", "else", "hed", "tion", "sion", "politik", "plan", "strategi", "aftale", "ordning",
    "indsats", "vedtægt", "pulje", "bevilling", "model", "proces", "service", "økonomi",
)  # fmt: skip


def reflexive_possessive(noun: str) -> str | None:
    """The reflexive possessive for what the subject owns, by the noun's gender and number:
    'sit engagement', 'sin fritidspolitik', 'sine opgaver'; None where the ending does not tell
    ("ejendomme": a plural in -e, or a singular)."""
    low = noun.casefold()
    if not low.isalpha() or is_definite(low):
        return None
    if _PLURAL.search(low) and low not in _SINGULAR_ER and not low.endswith("eder"):
        return "sine"
    if low.endswith(_COMMON_ENDINGS):
        return "sin"
    if low.endswith(_NEUTER_ENDINGS) and not low.endswith("e"):
        return "sit"
    return None


__all__ = ["DOCUMENT_NOUNS", "definite", "is_definite", "reflexive_possessive"]
