"""The checks themselves (conftest.question_defects): each defect kind found in the baseline's
questions on real items is caught, in general and not only in the sentence it was seen in, and
good questions of the same shapes pass. The reference questions of the corpus and of the found
items pass every check too (test_corpus.py, test_found.py)."""

from __future__ import annotations

import pytest

from .conftest import question_defects

# (question, municipality, source text or "", a word of the defect it must be reported as)
DEFECTIVE = [
    # a list marker inside, two clauses run together (Aarhus minutes PDF, punkt 13)
    (
        "Bør Aarhus Kommune lade byrådet tage til efterretning, at den fælles ledelse af Hårup"
        " Skole og Elev Skole ophører pr. 1. januar 2026 At) byrådet godkender, at alle elever på"
        " 6. til 8. klassetrin?",
        "Aarhus",
        "",
        "list marker",
    ),
    ("Bør kommunen godkende budgettet 2) udvalget drøfter rammen?", None, "", "list marker"),
    ("Bør kommunen godkende budgettet • sende planen i høring?", None, "", "list marker"),
    (
        "Bør kommunen godkende budgettet, byrådet vedtager lokalplanen?",
        None,
        "",
        "run-on",
    ),
    # a finite verb left over from a subject moved behind the object (Aarhus page, punkt 29)
    (
        "Bør Aarhus Kommune indstille en egnet placering til Børnenes Plads i kommunens"
        " Vejnavneudvalg finder?",
        "Aarhus",
        "",
        "run-on",
    ),
    # a report of the meeting read as a clause (a past-tense verb, a clause without its verb)
    (
        "Bør Glostrup Kommune vælge borgmesteren orienterede om at han til Movias bestyrelse?",
        "Glostrup",
        "",
        "run-on",
    ),
    (
        "Bør Ringkøbing-Skjern Kommune lade godkendt, i det at punkt 16 udgå?",
        "Ringkøbing-Skjern",
        "",
        "lost its verb",
    ),
    (
        "Bør kommunen drøfte hvilke handlemuligheder?",
        None,
        "",
        "indirect question",
    ),
    (
        "Bør kommunen godkende udbuddet af vejene, der i forbindelse med budgettet?",
        None,
        "",
        "relative clause",
    ),
    # cut inside a phrase: an adjective without its noun (Aarhus page, punkt 11) …
    (
        "Bør Aarhus Kommune henvise det videre arbejde til et kommende kommuneplantillæg, med det"
        " supplement, at der gennemføres en særskilt?",
        "Aarhus",
        "",
        "adjective",
    ),
    ("Bør kommunen vedtage planen for den nye?", None, "", "determiner"),
    ("Bør kommunen give tilskud til de?", None, "", "ends in"),
    # … or a length cut that leaves the rest of a noun phrase or a date in the source
    (
        "Bør kommunen lade den fælles ledelse ophøre pr. 1. januar?",
        None,
        "Det indstilles, at den fælles ledelse ophører pr. 1. januar 2026.",
        "cut inside a phrase",
    ),
    (
        "Bør kommunen udarbejde en model for ”International Aarhus 2.0”, der skal fokusere?",
        None,
        "Byrådet anmoder Magistraten om at udarbejde en model for ”International Aarhus 2.0”, der"
        " skal fokusere på:",
        "cut inside a phrase",
    ),
    (
        "Bør kommunen gennemføre en særskilt borgerinddragelsesproces for de mulige?",
        None,
        "at der gennemføres en særskilt borgerinddragelsesproces for de mulige vindmøller.",
        "cut",
    ),
    ("Bør kommunen vedtage en ny forretningsorden, dels?", None, "", "ends in 'dels'"),
    # the procedure instead of the substance (Aarhus minutes PDF, punkt 16-20)
    (
        "Bør Aarhus Kommune bede sagen tilbagesendt byrådet via Magistraten?",
        "Aarhus",
        "",
        "procedure",
    ),
    ("Bør kommunen fremsende sagen til Økonomiudvalget?", None, "", "procedure"),
    ("Bør kommunen oversende budgettet til 2. behandling?", None, "", "procedure"),
]

GOOD = [
    (
        "Bør Aarhus Kommune give alle elever på 6. til 8. klassetrin på Hårup Skole mulighed for"
        " at skifte til Ravnbakkeskolen, når skolen åbner den 1. august 2026?",
        "Aarhus",
        "",
    ),
    (
        "Bør Hvidovre Kommune drøfte, hvilke handlemuligheder administrationen skal arbejde videre"
        " med i budgetprocessen 2027-2030?",
        "Hvidovre",
        "",
    ),
    (
        "Bør Aarhus Kommune henvise det videre arbejde til et kommende kommuneplantillæg for sol og"
        " vind i forlængelse af Kommuneplan 2025?",
        "Aarhus",
        "Det videre arbejde henvises til et kommende kommuneplantillæg for sol og vind i"
        " forlængelse af Kommuneplan 2025, med det supplement, at der gennemføres en særskilt"
        " borgerinddragelsesproces.",
    ),
    (
        "Bør Køge Kommune stille krav til byggepladser, der ønsker at arbejde med ikke-støjende"
        " aktiviteter udenfor forskriftens tidsrammer?",
        "Køge",
        "",
    ),
    (
        "Bør Aarhus Kommune godkende de justerede rammer for kvalitetsopfølgning?",
        "Aarhus",
        "",
    ),
    (
        "Bør Rødovre Kommune fortsætte forsøgsindsamlingen af farligt affald, indtil der er"
        " udarbejdet en samlet plan?",
        "Rødovre",
        "",
    ),
    (
        "Bør Horsens Kommune hjemtage et serielån på 60 mio. kr.?",
        "Horsens",
        "Byrådet hjemtager et serielån på 60 mio. kr. med løbetid på 25 år.",
    ),
]


@pytest.mark.parametrize(
    ("question", "municipality", "source", "kind"), DEFECTIVE, ids=[d[3] for d in DEFECTIVE]
)
def test_each_defect_kind_is_caught(
    question: str, municipality: str | None, source: str, kind: str
) -> None:
    defects = question_defects(question, municipality, source)
    assert any(kind in d for d in defects), defects


@pytest.mark.parametrize(("question", "municipality", "source"), GOOD)
def test_good_questions_of_the_same_shapes_pass(
    question: str, municipality: str | None, source: str
) -> None:
    assert question_defects(question, municipality, source) == []
