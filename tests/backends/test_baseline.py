"""The offline extractive baseline: every answer it gives passes the answer rules, on real items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from casesummary.backends.base import Backend, BackendRequest, Message
from casesummary.backends.baseline import (
    EXTRACT_MARKER,
    MODEL,
    BaselineBackend,
    extract,
)
from casesummary.backends.registry import get_backend
from casesummary.danish import negations, sentences
from casesummary.exceptions import InvalidBackendSpec
from casesummary.item import AgendaItem, Section, SectionKind, SourceFormat
from casesummary.result import PromptResult, Usage
from casesummary.taxonomy import Taxonomy, Topic, load_taxonomy
from casesummary.validation import validate_answer

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
FIXTURES = Path(__file__).resolve().parents[1] / "data" / "fixtures"
CON_OPENINGS = ("Risiko", "Mulighed for", "Mulig ulempe: ", "Udgift: ", "Usikker", "Der er risiko")

SMALL_TAXONOMY = Taxonomy(
    topics=(
        Topic(name="Økonomi", cues=("budget", "bevilling", "udgift", "kr.")),
        Topic(name="Beskæftigelse", cues=("beskæftigelse", "ledig", "job")),
        Topic(name="Beredskab", cues=("beredskab", "krise")),
        Topic(name="Kultur og fritid"),  # no cues: its name's words are the cues
    )
)


# --- real items, taken from the seed documents and the Hvidovre portal fixture -------------


def _seed_item(
    path: Path, start: str, stop: str, headings: dict[str, SectionKind], **fields: object
) -> AgendaItem:
    """An item cut from a seed document: the lines from `start` to `stop`, split at headings."""
    lines = path.read_text(encoding="utf-8").splitlines()
    first = lines.index(start)
    last = lines.index(stop, first + 1)
    sections: list[Section] = []
    heading, body = "", []
    for line in [*lines[first:last], "<end>"]:
        if line.strip() in headings or line == "<end>":
            if heading:
                text = "\n".join(body).strip()
                sections.append(Section(heading=heading, kind=headings[heading], text=text))
            heading, body = line.strip(), []
        else:
            body.append(line)
    recommendation = next((s.text for s in sections if s.kind == SectionKind.RECOMMENDATION), None)
    return AgendaItem.model_validate(
        {
            "source_format": SourceFormat.ITEM_TEXT,
            "sections": tuple(sections),
            "recommendation": recommendation,
            **fields,
        }
    )


def odense_pejlemaerker() -> AgendaItem:
    return _seed_item(
        SEEDS / "000_a973e8040e9f67f3.txt",
        "Sagsresumé",
        "Er du enig eller uenig?",
        {
            "Sagsresumé": SectionKind.SUMMARY,
            "Indstilling": SectionKind.RECOMMENDATION,
            "Sagsfremstilling": SectionKind.PRESENTATION,
            "Økonomi": SectionKind.ECONOMY,
        },
        municipality="Odense",
        title="Pejlemærker for implementering af beskæftigelsesreformen",
        case_type="C-sag",
        case_number="00.01.00-A00-25-25",
        number="5",
    )


def odense_beskaeftigelsesplan() -> AgendaItem:
    return _seed_item(
        SEEDS / "004_ec700c404d257eec.txt",
        "Resume",
        "Punkt 2: Udkast til Uddannelsesstrategi",
        {
            "Resume": SectionKind.SUMMARY,
            "INDSTILLING": SectionKind.RECOMMENDATION,
            "Beslutning": SectionKind.DECISION,
            "Sagsfremstilling": SectionKind.PRESENTATION,
            "Økonomi": SectionKind.ECONOMY,
            "Bilag": SectionKind.OTHER,
        },
        municipality="Odense",
        title="Beskæftigelsesplan 2017",
        number="1",
    )


def slagelse_jobfokus() -> AgendaItem:
    # No municipality given: the backend must find "Slagelse Kommune" in the text.
    return _seed_item(
        SEEDS / "003_427661368110dddd.txt",
        "Beslutningstema",
        "Bilag",
        {
            "Beslutningstema": SectionKind.SUMMARY,
            "Baggrund": SectionKind.BACKGROUND,
            "Retligt grundlag": SectionKind.LEGAL,
            "Handlemuligheder": SectionKind.OTHER,
            "Vurdering": SectionKind.OTHER,
            "Økonomiske og personalemæssige konsekvenser": SectionKind.ECONOMY,
            "Konsekvenser for andre udvalg": SectionKind.OTHER,
            "Indstilling": SectionKind.RECOMMENDATION,
        },
        title="JobFokus - fremtidig indsats på beskæftigelsesområdet",
        case_type="B",
        number="7",
    )


def hvidovre_beredskabskoordinator() -> AgendaItem:
    """Hvidovre Økonomiudvalget 18 May 2026, item 8 (sections abridged from the fixture)."""
    return AgendaItem(
        source_format=SourceFormat.FIRSTAGENDA_MEETING,
        municipality="Hvidovre",
        committee="Økonomiudvalget",
        number="8",
        title="Ansættelse af beredskabskoordinator i Hvidovre Kommune",
        case_type="Beslutning",
        recommendation=(
            "Direktionen indstiller til Økonomiudvalget\n"
            "at godkende at der oprettes en stilling som beredskabskoordinator i Hvidovre Kommune"
            " finansieret inden for udvalgets driftsbudget.\n"
            "at godkende at beredskabskoordinatoren får organisatorisk placering i Staben for"
            " Politik, Ledelse og Jura\n"
            "at godkende at ansættelsesforløbet sættes i gang hurtigst muligt med ansættelse i"
            " august-september 2026"
        ),
        sections=(
            Section(
                heading="Beslutningstema",
                kind=SectionKind.SUMMARY,
                text=(
                    "Økonomiudvalget skal beslutte, om Hvidovre Kommune skal ansætte en"
                    " beredskabskoordinator.\n"
                    "Kommunalbestyrelsen traf den 25. marts 2026 beslutning om at styrke Hvidovre"
                    " Kommunes kriseberedskab og at iværksætte en række beredskabstiltag i 2026."
                    " Det gælder bl.a. revidering af kommunens Plan for fortsat Drift,"
                    " 3-døgnsberedskab for sårbare borgere, øvelser for kommunens krisestab,"
                    " styrket kommunikation med borgerne om beredskab, herunder borgermødet"
                    " ”Klar til kriser”.\n"
                    "På den baggrund vurderer administrationen, at Hvidovre Kommune har brug at"
                    " ansætte en beredskabskoordinator, der kan drive, samle og koordinere"
                    " kommunens beredskabsopgaver og være indgangen for kommunens samarbejde med"
                    " andre myndigheder – og på sigt også civilsamfundet - i forhold til"
                    " beredskab og krisehåndtering."
                ),
            ),
            Section(
                heading="Indstilling",
                kind=SectionKind.RECOMMENDATION,
                text="Direktionen indstiller til Økonomiudvalget …",
            ),
            Section(
                heading="Sagsfremstilling",
                kind=SectionKind.PRESENTATION,
                text=(
                    "Dette dagsordenspunkt er udarbejdet af Staben for Politik, Ledelse og Jura.\n"
                    "Med det nuværende trusselsbillede og igangværende hybridkrig er kravene til"
                    " kommunernes evne til at planlægge for og håndtere krisesituationer"
                    " stigende. Kommunerne skal kunne opretholde deres drift i videst muligt"
                    " omfang, også ved fx omfattende strøm- eller IT-nedbrud, eller hvis vand- og"
                    " varmeforsyningen svigter.\n"
                    "Der er derudover et behov for, at både kommunens krisestab, ledere og"
                    " medarbejdere på de forskellige fagområder får trænet krisehåndtering, så"
                    " kommunen får styrket sin robusthed i forhold til at kunne varetage sine"
                    " opgaver og tage hånd om de mest sårbare borgere i en krisesituation.\n"
                    "For at styrke kommunens beredskab, skabe overblik og sammenhæng i"
                    " beredskabsplanlægningen både internt i kommunen og i samarbejdet med andre"
                    " myndigheder og civilsamfund, vurderer administrationen, at der er behov for"
                    " at ansætte en beredskabskoordinator i kommunen."
                ),
            ),
            Section(
                heading="Økonomiske konsekvenser",
                kind=SectionKind.ECONOMY,
                text=(
                    "Der er ikke afsat budget til stillingen som beredskabskoordinator.\n"
                    "Beredskabskoordinatorstillingen vil svare til ca. 0,35 mio. kr. i knap et"
                    " halvt år (august-december 2026), som foreslås finansieret af Grøn By- og"
                    " Erhvervspulje, hvor der er udisponerede midler i 2026 på ca. 1,2 mio. kr.\n"
                    "Administrationen foreslår, at stillingen – fra 2027 - indtænkes i"
                    " Direktionens budgetforslag 2027-2030."
                ),
            ),
        ),
    )


def hvidovre_ukrainere() -> AgendaItem:
    """Hvidovre Økonomiudvalget 18 May 2026, item 16 (sections abridged from the fixture)."""
    return AgendaItem(
        source_format=SourceFormat.FIRSTAGENDA_MEETING,
        municipality="Hvidovre",
        committee="Økonomiudvalget",
        number="16",
        title="Midlertidig boligplacering af ukrainere i 2026",
        case_type="Beslutning",
        sections=(
            Section(
                heading="Beslutningstema",
                kind=SectionKind.SUMMARY,
                text=(
                    "Siden marts 2022 har fordrevne ukrainere fået midlertidig opholdstilladelse"
                    " i Hvidovre Kommune, ret til en midlertidig bolig samt en integrationsindsats"
                    " fra kommunen.\n"
                    "Aktuelt bor 418 ukrainere i Hvidovre, heraf knap 300 personer i boliger, som"
                    " kommunen midlertidigt stiller til rådighed for persongruppen. Dertil kommer"
                    " flygtningeboliger på to nye lokationer, som ventes klar til at modtage ca."
                    " 40 fordrevne ukrainere fra maj 2026.\n"
                    "Kommunalbestyrelsen skal godkende, at der gives udgiftsbevillinger i 2026 til"
                    " disse lejemål samt indtægtsbevilling på egenbetaling."
                ),
            ),
            Section(
                heading="Indstilling",
                kind=SectionKind.RECOMMENDATION,
                text=(
                    "Direktøren indstiller til Erhvervs- og Beskæftigelsesudvalget at anbefale"
                    " over for Økonomiudvalget og Kommunalbestyrelsen\n"
                    "- at godkende udgiftsbevilling i 2026 til leje og drift af i alt 193 boliger"
                    " på flere forskellige adresser på 12,123 mio. kr.\n"
                    "- at godkende udgiftsbevilling i 2026 til leje af beboerlokalet ”Mødestedet”"
                    " til 0,195 mio. kr.\n"
                    "- at godkende indtægtsbevilling på egenbetaling på 7,743 mio. kr. i 2026.\n"
                    "- Nettoudgiften på 4,575 mio. kr. foreslås finansieret af kassebeholdningen."
                ),
            ),
            Section(
                heading="Beslutning i Erhvervs- og Beskæftigelsesudvalget den 04-05-2026",
                kind=SectionKind.DECISION,
                text="Ad 1. Anbefales godkendt.\nAd 2. Anbefales godkendt.",
            ),
            Section(
                heading="Sagsfremstilling",
                kind=SectionKind.PRESENTATION,
                text=(
                    "Center for Beskæftigelse og Borgerservice har udarbejdet dette"
                    " dagsordenspunkt.\n"
                    "Hertil kommer udgifter til beboerlokalet ”Mødestedet” på 194.580 kr.\n"
                    "Der er foregået en ombygning i løbet af vinteren 2025/26, hvor antallet af"
                    " værelser er øget for at skabe plads til flere beboere.\n"
                    "Baggrunden var en øget tilstrømning af fordrevne fra Ukraine, at den"
                    " eksisterende kommunale kapacitet var fuldt udnyttet og et ønske om at"
                    " begrænse indkvartering på hotel, som er en dyr løsning."
                ),
            ),
        ),
    )


def title_only() -> AgendaItem:
    return AgendaItem(
        source_format=SourceFormat.FIRSTAGENDA_MEETING,
        municipality="Hvidovre",
        title="Godkendelse af dagsorden",
    )


def closed_item() -> AgendaItem:
    return AgendaItem(
        source_format=SourceFormat.FIRSTAGENDA_MEETING,
        municipality="Hvidovre Kommune",
        title="Revideret projekt vedr. etablering af padelhal på Bødkerporten 2A",
        case_type="Beslutning",
        is_open=False,
    )


ITEMS = {
    "odense-pejlemaerker": odense_pejlemaerker,
    "odense-beskaeftigelsesplan": odense_beskaeftigelsesplan,
    "slagelse-jobfokus": slagelse_jobfokus,
    "hvidovre-beredskabskoordinator": hvidovre_beredskabskoordinator,
    "hvidovre-ukrainere": hvidovre_ukrainere,
    "title-only": title_only,
    "closed": closed_item,
}


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def _request(item: AgendaItem, taxonomy: Taxonomy) -> BackendRequest:
    return BackendRequest(
        messages=(Message(role="user", content=item.title),),
        json_schema={},
        item=item,
        taxonomy=taxonomy,
        prompt_id="summary",
        prompt_version="1",
        prompt_fingerprint="0" * 64,
    )


def assert_follows_rules(content: str, taxonomy: Taxonomy) -> dict[str, list[str] | str]:
    """Every rule a baseline answer must meet, checked independently of the backend's code."""
    data = json.loads(content)
    assert list(data) == ["question", "summary", "pros", "cons", "keywords"]
    question, summary = data["question"], data["summary"]
    assert question.startswith("Bør ")
    assert question.endswith("?")
    assert question.count("?") == 1
    assert len(question) <= 200
    assert not negations(question), question
    assert summary.startswith(EXTRACT_MARKER)
    assert 2 <= len(sentences(summary)) <= 3, summary
    for field in ("pros", "cons"):
        points = data[field]
        assert len(points) == 3
        assert all(p.strip() and len(p) <= 250 for p in points), points
        assert len({p.casefold() for p in points}) == 3, points
    assert not {p.casefold() for p in data["pros"]} & {c.casefold() for c in data["cons"]}
    assert all(c.startswith(CON_OPENINGS) for c in data["cons"]), data["cons"]
    keywords = data["keywords"]
    assert 1 <= len(keywords) <= 3
    assert len(set(keywords)) == len(keywords)
    assert set(keywords) <= set(taxonomy.names)
    validate_answer(content, taxonomy)
    return data  # type: ignore[no-any-return]


# --- the backend contract ----------------------------------------------------------------


def test_is_a_backend_named_baseline() -> None:
    backend = get_backend("baseline")
    assert isinstance(backend, BaselineBackend)
    assert isinstance(backend, Backend)
    assert (backend.name, backend.model) == ("baseline", "extractive-v3")


def test_spec_with_options_is_rejected() -> None:
    with pytest.raises(InvalidBackendSpec, match="takes no options"):
        get_backend("baseline:fast")


def test_response_is_marked_extractive_and_free(taxonomy: Taxonomy) -> None:
    response = BaselineBackend().complete(_request(odense_pejlemaerker(), taxonomy))
    assert response.model == MODEL
    assert response.structured_mode == "none"
    assert response.usage == Usage()
    assert response.extractive is True
    assert response.finish_reason == "stop"
    PromptResult.model_validate_json(response.content)


@pytest.mark.parametrize("name", sorted(ITEMS))
def test_every_answer_follows_the_rules(name: str, taxonomy: Taxonomy) -> None:
    response = BaselineBackend().complete(_request(ITEMS[name](), taxonomy))
    assert_follows_rules(response.content, taxonomy)


@pytest.mark.parametrize("name", sorted(ITEMS))
def test_rules_hold_with_a_small_custom_taxonomy(name: str) -> None:
    response = BaselineBackend().complete(_request(ITEMS[name](), SMALL_TAXONOMY))
    assert_follows_rules(response.content, SMALL_TAXONOMY)


@pytest.mark.parametrize("name", sorted(ITEMS))
def test_same_item_gives_byte_identical_output(name: str, taxonomy: Taxonomy) -> None:
    first = BaselineBackend().complete(_request(ITEMS[name](), taxonomy))
    second = BaselineBackend().complete(_request(ITEMS[name](), taxonomy))
    assert first.content.encode() == second.content.encode()


async def test_acomplete_answers_like_complete(taxonomy: Taxonomy) -> None:
    request = _request(hvidovre_ukrainere(), taxonomy)
    backend = BaselineBackend()
    assert (await backend.acomplete(request)) == backend.complete(request)


# --- the question ------------------------------------------------------------------------


def test_question_from_an_inline_recommendation_names_the_municipality(
    taxonomy: Taxonomy,
) -> None:
    # "…indstiller, at udvalget drøfter pejlemærkerne." + the title's "for implementering af …"
    result = extract(odense_pejlemaerker(), taxonomy)
    assert result.question == (
        "Bør Odense Kommune drøfte pejlemærkerne for implementering af beskæftigelsesreformen?"
    )


def test_question_turns_the_council_verb_into_an_infinitive(taxonomy: Taxonomy) -> None:
    # "…indstiller til …udvalget, at byrådet godkender Beskæftigelsesplan 2017."
    result = extract(odense_beskaeftigelsesplan(), taxonomy)
    assert result.question == "Bør Odense Kommune godkende Beskæftigelsesplan 2017?"


def test_question_turns_a_passive_approval_into_the_act_itself(taxonomy: Taxonomy) -> None:
    # "at godkende at der oprettes en stilling som beredskabskoordinator i Hvidovre Kommune …"
    result = extract(hvidovre_beredskabskoordinator(), taxonomy)
    assert result.question.startswith(
        "Bør Hvidovre Kommune oprette en stilling som beredskabskoordinator"
    )
    assert result.question.count("Hvidovre Kommune") == 1


def test_question_finds_the_municipality_in_the_text_when_not_given(taxonomy: Taxonomy) -> None:
    result = extract(slagelse_jobfokus(), taxonomy)
    # "…at Udvalget godkender, at Jobcentret arbejder videre …": the inner clause, with its own
    # agent, is what is decided ("lade Jobcentret arbejde videre", as the golden answer asks).
    assert result.question.startswith("Bør Slagelse Kommune lade Jobcentret arbejde videre")


def test_question_skips_a_negated_option(taxonomy: Taxonomy) -> None:
    item = hvidovre_ukrainere().model_copy(
        update={
            "recommendation": (
                "Direktøren indstiller til Økonomiudvalget\n"
                "at godkende, at der ikke arbejdes videre med forslaget.\n"
                "eller\n"
                "at godkende, at der etableres en bike-bane i Strandparken."
            )
        }
    )
    assert extract(item, taxonomy).question == (
        "Bør Hvidovre Kommune etablere en bike-bane i Strandparken?"
    )


def test_question_falls_back_to_the_title(taxonomy: Taxonomy) -> None:
    item = hvidovre_ukrainere().model_copy(update={"recommendation": None, "sections": ()})
    assert extract(item, taxonomy).question == (
        "Bør Hvidovre Kommune godkende sagen om midlertidig boligplacering af ukrainere i 2026?"
    )
    briefing = item.model_copy(update={"case_type": "Orientering"})
    assert extract(briefing, taxonomy).question == (
        "Bør Hvidovre Kommune tage orienteringen om midlertidig boligplacering af ukrainere i"
        " 2026 til efterretning?"
    )


def test_question_without_a_known_municipality_asks_about_the_municipality(
    taxonomy: Taxonomy,
) -> None:
    item = AgendaItem(source_format=SourceFormat.ITEM_TEXT, title="Nyt flagregulativ")
    assert extract(item, taxonomy).question == "Bør kommunen godkende sagen om nyt flagregulativ?"


# --- summary, pros and cons --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Der er afsat 1 mio. kr. til en bane. Den åbner i 2026.", 2),
        ("Udvalget mødtes den 26. august 2025 om sagen. Næste møde er 1. januar.", 2),
        ("Det gælder bl.a. planer, jf. loven, f.eks. nr. 5 og ca. 40 boliger i alt.", 1),
        ("Udgiften er 300.000 kr. Beløbet findes i budgettet.", 2),
        ("Tilskud på 633.590 kr. (84.818 €) fra EU er givet. Det dækker projektet.", 2),
        ("Kommunalbestyrelsen skal tage status pr. 19. marts 2026 til efterretning. Godt.", 2),
    ],
)
def test_sentence_splitter_respects_danish_abbreviations(text: str, expected: int) -> None:
    assert len(sentences(text)) == expected, sentences(text)


def test_summary_quotes_the_first_sentences_of_the_resume(taxonomy: Taxonomy) -> None:
    summary = extract(odense_pejlemaerker(), taxonomy).summary
    assert summary == (
        EXTRACT_MARKER + "Med denne sag skal udvalget drøfte den politiske retning for"
        " implementering af beskæftigelsesreformen med udgangspunkt i syv pejlemærker."
        " Drøftelserne ligger i forlængelse af en temadrøftelse af pejlemærkerne på seneste"
        " udvalgsmøde den 26. august 2025."
    )


def test_pros_come_from_the_proposed_points_and_cons_from_costs(taxonomy: Taxonomy) -> None:
    odense = extract(odense_pejlemaerker(), taxonomy)
    # The Sagsresumé's numbered pejlemærker are what is proposed: the baseline's pros.
    assert odense.pros[0] == (
        "Frisættelsen skal bruges til at tilrettelægge en individuel indsats til borgerne"
    )
    # "Denne sag har ikke økonomiske konsekvenser" must not become a drawback.
    assert not any("økonomiske konsekvenser" in c for c in odense.cons)
    hvidovre = extract(hvidovre_beredskabskoordinator(), taxonomy)
    assert any(c.startswith("Udgift: Beredskabskoordinatorstillingen") for c in hvidovre.cons)
    # "…ændringen vil dog ikke betyde, at der reduceres i antallet af medarbejdere" reassures.
    slagelse = extract(slagelse_jobfokus(), taxonomy)
    assert not any("reduceres" in c for c in slagelse.cons)


def test_boilerplate_and_decisions_are_never_quoted(taxonomy: Taxonomy) -> None:
    result = extract(hvidovre_ukrainere(), taxonomy)
    text = " ".join([result.summary, *result.pros, *result.cons])
    assert "udarbejdet dette dagsordenspunkt" not in text
    assert "Anbefales godkendt" not in text


def test_an_item_with_only_a_title_gets_honest_fillers(taxonomy: Taxonomy) -> None:
    result = extract(title_only(), taxonomy)
    assert result.summary == (
        EXTRACT_MARKER + "Punktet har overskriften „Godkendelse af dagsorden“."
        " Dagsordenspunktet indeholder ikke yderligere tekst ud over overskriften."
    )
    assert all("dagsorden" in p for p in result.pros[:1])


# --- keywords ----------------------------------------------------------------------------


def test_keywords_follow_the_item_topic(taxonomy: Taxonomy) -> None:
    assert extract(odense_pejlemaerker(), taxonomy).keywords[0] == "Beskæftigelse"
    assert extract(hvidovre_beredskabskoordinator(), taxonomy).keywords[0] == "Beredskab"
    assert "Økonomi" in extract(hvidovre_ukrainere(), taxonomy).keywords


def test_title_outweighs_a_passing_mention() -> None:
    item = AgendaItem(
        source_format=SourceFormat.ITEM_TEXT,
        title="Ny kulturstrategi",
        sections=(
            Section(
                heading="Sagsfremstilling",
                kind=SectionKind.PRESENTATION,
                text="Strategien koster intet ekstra og berører ikke beredskab eller job.",
            ),
        ),
    )
    assert extract(item, SMALL_TAXONOMY).keywords == ["Kultur og fritid"]


def test_no_cue_anywhere_still_gives_one_keyword() -> None:
    item = AgendaItem(source_format=SourceFormat.ITEM_TEXT, title="Eventuelt")
    assert extract(item, SMALL_TAXONOMY).keywords == ["Økonomi"]


# --- real parsed input, when the sources package is there --------------------------------


def _parsed_items() -> list[AgendaItem]:
    try:
        from casesummary.sources import load_item, load_items
    except ImportError:
        pytest.skip("casesummary.sources.load_items is not available")
    items = [load_item(FIXTURES / "odense-beu-2025-pejlemaerker.item.json")]
    items += load_items(FIXTURES / "hvidovre-oekonomiudvalget-2026-05-18.meeting.json")
    for seed in ("003_427661368110dddd.txt", "004_ec700c404d257eec.txt"):
        items += load_items(SEEDS / seed)
    return items


def test_rules_hold_for_every_parsed_item(taxonomy: Taxonomy) -> None:
    items = _parsed_items()
    backend = BaselineBackend()
    for item in items:
        assert_follows_rules(backend.complete(_request(item, taxonomy)).content, taxonomy)
    named = [i for i in items if i.municipality]
    assert named
    for item in named:
        question = extract(item, taxonomy).question
        assert item.municipality.removesuffix(" Kommune") in question  # type: ignore[union-attr]


# --- snapshots: read them; they are what a new user sees first ---------------------------


@pytest.mark.parametrize(
    "name",
    [
        "odense-pejlemaerker",
        "odense-beskaeftigelsesplan",
        "hvidovre-beredskabskoordinator",
        "hvidovre-ukrainere",
    ],
)
def test_snapshot(name: str, taxonomy: Taxonomy, snapshot_json: SnapshotAssertion) -> None:
    assert extract(ITEMS[name](), taxonomy).model_dump(mode="json") == snapshot_json
