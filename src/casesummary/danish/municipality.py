"""A municipality's name: as the question says it ("Odense Kommune", "Københavns Kommune",
else "kommunen"), bare ("Odense"), and found in the texts that name it.

Denmark has 98 municipalities; four of them carry a genitive in their official name
("Københavns Kommune", "Nordfyns Kommune", "Vesthimmerlands Kommune", "Bornholms
Regionskommune"), and the five regions are "Region <Navn>", never "… Kommune".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

#: What a question says when the municipality is unknown, so that it still reads well.
UNKNOWN = "kommunen"

#: The 98 municipalities (bare name -> official name), 2007 onwards.
MUNICIPALITIES: dict[str, str] = {
    name: f"{name} Kommune"
    for name in [
        "Albertslund",
        "Allerød",
        "Ballerup",
        "Brøndby",
        "Dragør",
        "Egedal",
        "Fredensborg",
        "Frederiksberg",
        "Frederikssund",
        "Furesø",
        "Gentofte",
        "Gladsaxe",
        "Glostrup",
        "Gribskov",
        "Halsnæs",
        "Helsingør",
        "Herlev",
        "Hillerød",
        "Hvidovre",
        "Høje-Taastrup",
        "Hørsholm",
        "Ishøj",
        "Lyngby-Taarbæk",
        "Rudersdal",
        "Rødovre",
        "Tårnby",
        "Vallensbæk",
        "Faxe",
        "Greve",
        "Guldborgsund",
        "Holbæk",
        "Kalundborg",
        "Køge",
        "Lejre",
        "Lolland",
        "Næstved",
        "Odsherred",
        "Ringsted",
        "Roskilde",
        "Slagelse",
        "Solrød",
        "Sorø",
        "Stevns",
        "Vordingborg",
        "Aabenraa",
        "Assens",
        "Billund",
        "Esbjerg",
        "Fanø",
        "Fredericia",
        "Faaborg-Midtfyn",
        "Haderslev",
        "Kerteminde",
        "Kolding",
        "Langeland",
        "Middelfart",
        "Nyborg",
        "Odense",
        "Svendborg",
        "Sønderborg",
        "Tønder",
        "Varde",
        "Vejen",
        "Vejle",
        "Ærø",
        "Favrskov",
        "Hedensted",
        "Herning",
        "Holstebro",
        "Horsens",
        "Ikast-Brande",
        "Lemvig",
        "Norddjurs",
        "Odder",
        "Randers",
        "Ringkøbing-Skjern",
        "Samsø",
        "Silkeborg",
        "Skanderborg",
        "Skive",
        "Struer",
        "Syddjurs",
        "Viborg",
        "Aarhus",
        "Brønderslev",
        "Frederikshavn",
        "Hjørring",
        "Jammerbugt",
        "Læsø",
        "Mariagerfjord",
        "Morsø",
        "Rebild",
        "Thisted",
        "Aalborg",
    ]
} | {
    "København": "Københavns Kommune",
    "Nordfyn": "Nordfyns Kommune",
    "Vesthimmerland": "Vesthimmerlands Kommune",
    "Bornholm": "Bornholms Regionskommune",
}
#: The five regions, as they name themselves.
REGIONS = frozenset(
    f"Region {n}" for n in ("Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland")
)
#: Web hosts that do not spell the name: Rødovre (rk.dk), København (kk.dk), …
_HOST_ALIASES = {
    "kk": "København",
    "rk": "Rødovre",
    "htk": "Høje-Taastrup",
    "ltk": "Lyngby-Taarbæk",
    "fmk": "Faaborg-Midtfyn",
    "rksk": "Ringkøbing-Skjern",
    "brk": "Bornholm",
    "egekom": "Egedal",
    "aarhuskommune": "Aarhus",
    "balk": "Ballerup",
    "vhk": "Vesthimmerland",
}
# The council's own name next to the municipality's: "Aarhus Byråd", "Ishøj Rådhus".
_COUNCIL = (
    r"(?:Byråd(?:et|s)?|Kommunalbestyrelse(?:n|ns)?|Rådhus(?:et)?|Borgerrepræsentation(?:en)?)"
)

_MUNICIPALITY = re.compile(r"(?:^|[^\w-])([A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?) $")
_KOMMUNE = re.compile(r"Kommunes?\b")
_NOT_A_NAME = frozenset(
    {
        *("Den", "Denne", "Det", "Hver", "Hele", "Samme", "Anden", "Andre", "Egen", "Enhver"),
        *("Hvis", "Når", "Og", "At", "Som", "Ny", "Nye", "En", "Til", "Fra", "For", "Med", "Ved"),
        *("Kommune", "Kommunen", "Kommunens", "Region", "Landets", "Danmarks"),
    }
)
_NAME = r"[A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?"
_BEFORE_COUNCIL = re.compile(rf"(?<![\w-])({_NAME}) {_COUNCIL}\b")
_COUNCIL_IN = re.compile(rf"\b(?:Byrådet|Kommunalbestyrelsen) i ({_NAME})\b")
_HOST = re.compile(r"(?<![\w.-])((?:[a-z0-9-]+\.)+)dk\b", re.IGNORECASE)
#: What a text must hold for `_BEFORE_COUNCIL`, `_COUNCIL_IN` or `_HOST` to match in it.
_COUNCIL_WORDS = ("Byråd", "Kommunalbestyrelse", "Rådhus", "Borgerrepræsentation")
_DK = re.compile(r"\.dk\b", re.IGNORECASE)
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
_FOLD_SHORT = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def _key(name: str) -> str:
    return name.casefold()


_BY_KEY: dict[str, str] = {}
for _bare, _official in MUNICIPALITIES.items():
    _BY_KEY[_key(_bare)] = _bare
    _BY_KEY[_key(_official)] = _bare
    _BY_KEY[_key(_official.rsplit(" ", 1)[0])] = _bare  # "Københavns", "Bornholms"
_BY_HOST: dict[str, str] = dict(_HOST_ALIASES)
for _bare in MUNICIPALITIES:
    for _table in (_FOLD, _FOLD_SHORT):
        _folded = _bare.casefold().translate(_table)
        _BY_HOST[_folded] = _bare
        _BY_HOST[f"{_folded}kommune"] = _bare
        _BY_HOST[_folded.replace("-", "")] = _bare


def known_municipality(name: str | None) -> str | None:
    """The bare name of a Danish municipality in any of its spellings ("Københavns Kommune",
    "københavn", "Nordfyns") or a region ("Region Midtjylland"); None if it is neither."""
    if not name or not name.strip():
        return None
    text = " ".join(name.split())
    for region in REGIONS:
        if text.casefold() == region.casefold():
            return region
    return _BY_KEY.get(_key(text))


def municipality_name(municipality: str | None) -> str:
    """'Odense' -> 'Odense Kommune', 'København' -> 'Københavns Kommune', 'Region Midtjylland'
    stays; unknown -> 'kommunen', so the question still reads well."""
    if not municipality or not municipality.strip():
        return UNKNOWN
    name = " ".join(municipality.split())
    known = known_municipality(name)
    if known in REGIONS:
        return known
    if known is not None:
        return MUNICIPALITIES[known]
    return name if name.casefold().endswith("kommune") else f"{name} Kommune"


def bare_name(municipality: str) -> str:
    """'Odense Kommune' -> 'Odense'; a bare name is returned stripped."""
    name = municipality.strip()
    return name[: -len(" kommune")] if name.casefold().endswith(" kommune") else name


def municipality_of_host(host: str) -> str | None:
    """The municipality a web host belongs to: 'dagsordner.holbaek.dk' -> 'Holbæk',
    'www.rk.dk' -> 'Rødovre'; None for hosts that name none ('trung.dk')."""
    labels = host.casefold().split("://")[-1].split("/")[0].rsplit("@", 1)[-1].split(".")
    if len(labels) < 2 or labels[-1] != "dk":
        return None
    return _BY_HOST.get(labels[-2])


def find_municipality(texts: Iterable[str], *, hosts: Iterable[str] = ()) -> str | None:
    """The municipality the texts name (bare), or None.

    Evidence, counted: "<Navn> Kommune" (a known name weighs double), the council's own name
    ("Aarhus Byråd", "Byrådet i Vejen", "Brønderslev Rådhus"), "Borgerrepræsentationen"
    (København), and web hosts in the texts or in `hosts` ("dagsordner.holbaek.dk"; each host
    once, three times the weight). Ties go to the one named first; "Den Kommune", "Hele
    Kommune" are no names, and "Rødovre Kommunale …" or "Stevns Kommuneplan" name nothing.
    """
    counts: Counter[str] = Counter()
    seen_hosts: set[str] = set()

    def add_host(host: str) -> None:
        found = municipality_of_host(host)
        if found and host.casefold() not in seen_hosts:
            seen_hosts.add(host.casefold())
            counts[found] += 3

    for text in texts:
        start = text.find(" Kommune")
        while start != -1:
            if _KOMMUNE.match(text, start + 1):
                match = _MUNICIPALITY.search(text, max(0, start - 40), start + 1)
                if match and match.group(1) not in _NOT_A_NAME:
                    name = match.group(1)
                    known = _BY_KEY.get(_key(name))
                    counts[known or name] += 2 if known else 1
            start = text.find(" Kommune", start + 8)
        if any(word in text for word in _COUNCIL_WORDS):  # the scans below are the costly part
            for pattern in (_BEFORE_COUNCIL, _COUNCIL_IN):
                for match in pattern.finditer(text):
                    known = _BY_KEY.get(_key(match.group(1)))
                    if known:
                        counts[known] += 2
        if "Borgerrepræsentation" in text:
            counts["København"] += 1
        if _DK.search(text):
            for match in _HOST.finditer(text):
                add_host(match.group(0))
    for host in hosts:
        add_host(host)
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def municipality_from_committee(committee: str | None) -> str | None:
    """The municipality a council's own name gives ("Aarhus Byråd" -> "Aarhus"), or None."""
    return find_municipality([committee]) if committee else None


def guess_municipality(texts: Iterable[str]) -> str | None:
    """The municipality most named in the texts (bare), or None: `find_municipality`."""
    return find_municipality(texts)
