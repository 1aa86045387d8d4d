"""Danish verb forms: infinitive, present, s-passive and past participle, and the verbs that
take their object inside ("tage X til efterretning").

A recommendation says "lokalplanen vedtages", "byrådet godkender X", "Godkendt."; a question
after "Bør" needs the infinitive ("vedtage", "godkende"). The s-passive is the infinitive plus
"-s" and the present the infinitive plus "-r", so the rules are regular; the lexicon below says
which words are verbs at all ("proces", "status" and "medlemmer" are not), and the irregular
forms are listed.
"""

from __future__ import annotations

import re

from casesummary.danish.text import stopwords


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Infinitives of the verbs that agenda recommendations and decisions use. A word not listed
#: may still be read as a verb by its position (`passive_infinitive(..., lexicon_only=False)`).
VERBS = _wordset(
    """
    afgive afgøre anmode opfordre blive afholde afhænde aflyse afløse afsætte afskaffe afskrive
    afslutte afvente
    afvikle afvise aftale analysere kræve anbefale anerkende anke ansætte anskaffe anvende anvise
    arbejde bede beslutte besvare betale bevare bevilge bidrage bortfalde bruge bygge byggemodne
    bemyndige behandle bringe delegere deltage drøfte dække efterleve erhverve etablere
    evaluere fastholde fastlægge fastsætte finansiere finde flytte fordele forelægge forespørge
    forhandle forhøje forlænge forpligte fortsætte foreslå foretage forny fremlægge
    fremme fremsende frigive frigøre fusionere fælde færdiggøre følge gennemføre genoptage
    genvælge give godkende gøre hejse henlægge henvise hjemtage håndtere igangsætte implementere
    indarbejde indbyde indfri indføre indgå indhente indkalde indkøbe indlede indregne
    indskrænke indstille indtræde inddrage inkludere invitere iværksætte justere kortlægge
    kvalificere købe lade lukke lægge låne modtage nedlægge nedrive nedsætte nedskrive
    offentliggøre omdanne omfordele omlægge omprioritere opdatere opføre opgradere opgøre
    ophæve ophøre opkræve oplyse opretholde oprette opsige optage ordne orientere overdrage
    overføre overgå overlade overtage planlægge prioritere projektere præsentere pålægge
    påbegynde reducere refinansiere regulere renovere repræsentere revidere sammenlægge samle
    sende sikre skrive styrke stille stoppe stemme supplere sælge sænke søge sætte tage
    tilbagebetale tilbagekalde tilbyde tildele tilføje tillade tilpasse tilrettelægge
    tilslutte tiltræde træde udarbejde udbetale udbyde udbygge udføre udgå udlåne udleje
    udmønte udnævne udpege udsende udskifte udskyde udsætte udstede udtale udtræde udvide
    udvikle undersøge understøtte undlade vedtage vedligeholde videreføre vurdere vælge yde
    ændre øge
    """
)

#: Present and infinitive that do not follow "infinitive + r".
IRREGULAR_PRESENT: dict[str, str] = {
    "er": "være",
    "har": "have",
    "gør": "gøre",
    "går": "gå",
    "får": "få",
    "ser": "se",
    "står": "stå",
    "siger": "sige",
    "bør": "burde",
    "kan": "kunne",
    "skal": "skulle",
    "vil": "ville",
    "må": "måtte",
}
#: Modal verbs: "udvalget kan godkende X" asks about "godkende X".
MODALS = _wordset("kan skal vil bør må kunne skulle ville burde måtte")

#: Past participles, as decision lines write them ("Godkendt.", "Taget til efterretning.").
PARTICIPLES: dict[str, str] = {
    "godkendt": "godkende",
    "godkendte": "godkende",
    "vedtaget": "vedtage",
    "taget": "tage",
    "givet": "give",
    "sendt": "sende",
    "udsendt": "udsende",
    "tiltrådt": "tiltræde",
    "anbefalet": "anbefale",
    "drøftet": "drøfte",
    "besluttet": "beslutte",
    "bevilget": "bevilge",
    "valgt": "vælge",
    "udpeget": "udpege",
    "orienteret": "orientere",
    "behandlet": "behandle",
    "afvist": "afvise",
    "frigivet": "frigive",
    "etableret": "etablere",
    "gennemført": "gennemføre",
    "igangsat": "igangsætte",
    "iværksat": "iværksætte",
    "udsat": "udsætte",
    "optaget": "optage",
    "afsat": "afsætte",
    "fastsat": "fastsætte",
}

#: Words in "-s" that are not passives: deponent verbs (active in meaning) and nouns.
NOT_PASSIVE = _wordset(
    """
    findes synes lykkes mødes trives færdes mindes længes omgås enes skændes slås ses
    proces status fokus bonus campus kursus modus konsensus virus corpus census
    eventuelles fælles indbyrdes ligeledes anderledes tilfældes hvorledes således ellers dels
    """
)

#: Verbs with no object that a council cannot do itself: "X bortfalder" becomes
#: "lade X bortfalde".
INTRANSITIVE = _wordset(
    """
    bortfalde fortsætte indgå indtræde ophøre overgå træde udgå udtræde arbejde
    gælde forblive bestå
    """
)

#: Action nouns and their verbs, for a title such as "Ansættelse af X" -> "ansætte X".
NOMINALISATIONS: dict[str, str] = {
    "godkendelse": "godkende",
    "vedtagelse": "vedtage",
    "endelig vedtagelse": "vedtage",
    "ansættelse": "ansætte",
    "etablering": "etablere",
    "gennemførelse": "gennemføre",
    "indgåelse": "indgå",
    "renovering": "renovere",
    "omdannelse": "omdanne",
    "ændring": "ændre",
    "ændringer": "ændre",
    "håndtering": "håndtere",
    "justering": "justere",
    "udpegning": "udpege",
    "valg": "vælge",
    "frigivelse": "frigive",
    "oprettelse": "oprette",
    "revision": "revidere",
    "udvidelse": "udvide",
    "nedlæggelse": "nedlægge",
    "fornyelse": "forny",
    "forlængelse": "forlænge",
    "indførelse": "indføre",
    "afskaffelse": "afskaffe",
    "lukning": "lukke",
    "salg": "sælge",
    "køb": "købe",
    "udbud": "udbyde",
    "opførelse": "opføre",
    "nedrivning": "nedrive",
    "igangsættelse": "igangsætte",
    "iværksættelse": "iværksætte",
    "fastsættelse": "fastsætte",
    "fastlæggelse": "fastlægge",
    "tildeling": "tildele",
    "bevilling": "bevilge",
    "drøftelse": "drøfte",
    "behandling": "behandle",
    "evaluering": "evaluere",
    "implementering": "implementere",
    "udarbejdelse": "udarbejde",
    "sammenlægning": "sammenlægge",
    "flytning": "flytte",
    "nedsættelse": "nedsætte",
    "forhøjelse": "forhøje",
    "opkrævning": "opkræve",
    "prioritering": "prioritere",
    "optagelse": "optage",
    "hjemtagelse": "hjemtage",
    "overdragelse": "overdrage",
    "udskiftning": "udskifte",
    "indkaldelse": "indkalde",
    "opsigelse": "opsige",
    "tilpasning": "tilpasse",
    "tilpasninger": "tilpasse",
    "opdatering": "opdatere",
}

#: Present-tense forms that are far more often nouns: "aftaler", "arbejder", "køber".
NOUN_HOMOGRAPHS = _wordset(
    """
    aftaler arbejder køber sælger bruger deltager modtager leder lejer ejer ansøger udbyder
    forhandler ønsker fordeler planer sager vurderer prioriterer
    """
)
#: Auxiliaries: "bliver godkendt", "er vedtaget", "skal godkendes".
AUXILIARIES = _wordset("bliver blev er var har havde skal kan vil må bør blive")

_MARKED_PASSIVE = re.compile(r"^[a-zæøå]{3,}(?:e|å|ø|i|y|u)s$")
_MARKED_PRESENT = re.compile(r"^[a-zæøå]{3,}er$")


def infinitive_of_present(word: str, *, lexicon_only: bool = True) -> str | None:
    """'godkender' -> 'godkende', 'går' -> 'gå', 'er' -> 'være'; None for a word that is not
    a present-tense verb ("medlemmer"). With `lexicon_only=False` a word the lexicon does not
    know is read by its form alone (infinitive + "r")."""
    low = word.casefold()
    if low in IRREGULAR_PRESENT:
        return IRREGULAR_PRESENT[low]
    if not low.endswith("r") or len(low) < 3:
        return None
    stem = low[:-1]
    if stem in VERBS:
        return stem
    if not lexicon_only and _MARKED_PRESENT.match(low) and low not in stopwords():
        return stem
    return None


def infinitive_of_passive(word: str, *, lexicon_only: bool = True) -> str | None:
    """'godkendes' -> 'godkende', 'foreslås' -> 'foreslå'; None for "findes", "proces",
    "Aarhus". With `lexicon_only=False` an unknown word ending in vowel + "s" counts."""
    low = word.casefold()
    if low in NOT_PASSIVE or not low.endswith("s") or len(low) < 4:
        return None
    stem = low[:-1]
    if stem in VERBS:
        return stem
    genitive = low.endswith(("ernes", "enes"))
    if not lexicon_only and word[:1].islower() and _MARKED_PASSIVE.match(low) and not genitive:
        return stem
    return None


def infinitive_of_participle(word: str) -> str | None:
    """'godkendt' -> 'godkende', 'taget' -> 'tage'; None for other words."""
    return PARTICIPLES.get(word.casefold())


def is_infinitive(word: str) -> bool:
    """Whether the word is a verb's infinitive in the lexicon ("godkende", "tage")."""
    return word.casefold() in VERBS


def infinitive(word: str) -> str | None:
    """The infinitive of any form the lexicon knows (present, passive, participle, infinitive)."""
    low = word.casefold()
    if low in VERBS:
        return low
    return infinitive_of_present(low) or infinitive_of_passive(low) or infinitive_of_participle(low)


def is_finite_or_passive(word: str) -> bool:
    """Whether a word is a present, passive or participle form, or an auxiliary, that cannot end
    a question after "Bør …" ("godkendes", "fortsætter", "godkendt", "bliver"). Forms that are
    mostly nouns ("aftaler") do not count."""
    low = word.casefold()
    if low in AUXILIARIES:
        return True
    if low in VERBS or low in NOUN_HOMOGRAPHS:
        return False
    return bool(infinitive_of_present(low) or infinitive_of_passive(low) or low in PARTICIPLES)


__all__ = [
    "AUXILIARIES",
    "INTRANSITIVE",
    "IRREGULAR_PRESENT",
    "MODALS",
    "NOMINALISATIONS",
    "NOT_PASSIVE",
    "NOUN_HOMOGRAPHS",
    "PARTICIPLES",
    "VERBS",
    "infinitive",
    "infinitive_of_participle",
    "infinitive_of_passive",
    "infinitive_of_present",
    "is_finite_or_passive",
    "is_infinitive",
]
