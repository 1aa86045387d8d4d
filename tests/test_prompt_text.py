"""The compact prompt text: order, markup cost, and what a token budget keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from casesummary import danish, load_item, load_items
from casesummary.item import AgendaItem, Section, SectionKind, SourceFormat
from casesummary.prompt_text import CUT, render_item, shorten
from casesummary.tokens import count_tokens

ODENSE = "odense-beu-2025-pejlemaerker.item.json"
HVIDOVRE = "hvidovre-oekonomiudvalget-2026-05-18.meeting.json"


def _visible(item: AgendaItem) -> str:
    return "\n".join([item.title, *(f"{s.heading}\n{s.text}" for s in item.sections)])


def _item(*sections: tuple[str, SectionKind, str]) -> AgendaItem:
    return AgendaItem(
        source_format=SourceFormat.ITEM_TEXT,
        title="Nyt flagregulativ",
        case_number="25/25902",
        case_type="Beslutning",
        sections=tuple(Section(heading=h, kind=k, text=t) for h, k, t in sections),
    )


def test_full_text_layout(fixtures_dir: Path) -> None:
    item = load_item(fixtures_dir / ODENSE)
    text = item.to_prompt_text()
    assert text.startswith(
        "# Pejlemærker for implementering af beskæftigelsesreformen\n"
        "C-sag · Sagsnr. 00.01.00-A00-25-25\n\n## Sagsresumé\nMed denne sag"
    )
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Sagsresumé",
        "## Indstilling",
        "## Sagsfremstilling",
        "## Økonomi",
    ]
    for section in item.sections:
        assert section.text in text
    assert render_item(item) == text


def test_canonical_order() -> None:
    item = _item(
        ("Høring", SectionKind.OTHER, "Ingen."),
        ("Beslutning", SectionKind.DECISION, "Godkendt."),
        ("Økonomi", SectionKind.ECONOMY, "Ingen udgifter."),
        ("Retsgrundlag", SectionKind.LEGAL, "Loven."),
        ("Baggrund", SectionKind.BACKGROUND, "Historik."),
        ("Sagsfremstilling", SectionKind.PRESENTATION, "Sagen."),
        ("Indstilling", SectionKind.RECOMMENDATION, "At godkende."),
        ("Beslutningstema", SectionKind.SUMMARY, "Tema."),
    )
    headings = [line[3:] for line in item.to_prompt_text().splitlines() if line.startswith("## ")]
    assert headings == [
        "Beslutningstema",
        "Indstilling",
        "Sagsfremstilling",
        "Baggrund",
        "Retsgrundlag",
        "Økonomi",
        "Beslutning",
        "Høring",
    ]


def test_markup_costs_at_most_five_percent(fixtures_dir: Path) -> None:
    items = [load_item(fixtures_dir / ODENSE), *load_items(fixtures_dir / HVIDOVRE)]
    for item in items:
        if not item.has_text:
            continue
        ratio = count_tokens(item.to_prompt_text()) / count_tokens(_visible(item))
        assert ratio <= 1.05, (item.number, ratio)


@pytest.mark.parametrize("budget", [1200, 800, 400, 200, 120])
def test_budget_is_kept(fixtures_dir: Path, budget: int) -> None:
    item = load_items(fixtures_dir / HVIDOVRE)[2]  # Grenhusene: ~6,000 tokens
    assert count_tokens(item.to_prompt_text()) > 4 * budget
    text = item.to_prompt_text(max_tokens=budget)
    assert count_tokens(text) <= budget
    assert text.startswith("# Skema A godkendelse ved Grenhusene\n")
    assert "## Beslutningstema\n" in text
    assert "## Indstilling\n" in text


def test_least_important_sections_go_first() -> None:
    long = "Denne sætning fylder en del i teksten. " * 60
    item = _item(
        ("Beslutningstema", SectionKind.SUMMARY, "Kort tema."),
        ("Indstilling", SectionKind.RECOMMENDATION, "At godkende regulativet."),
        ("Sagsfremstilling", SectionKind.PRESENTATION, long.strip()),
        ("Høring", SectionKind.OTHER, long.strip()),
    )
    full = count_tokens(item.to_prompt_text())
    text = item.to_prompt_text(max_tokens=full - 300)
    assert count_tokens(text) <= full - 300
    assert text.endswith(CUT)  # "other" comes last and was cut first
    assert long.strip() in text  # the presentation is untouched
    text = item.to_prompt_text(max_tokens=full // 3)
    assert "## Høring" not in text  # dropped: too little of it would remain
    assert f"i teksten. {CUT}" in text  # presentation cut at a sentence boundary
    assert "Kort tema." in text
    assert "At godkende regulativet." in text


def test_protected_sections_shrink_but_stay() -> None:
    long = "Kommunalbestyrelsen skal tage stilling til flagning. " * 40
    item = _item(
        ("Beslutningstema", SectionKind.SUMMARY, long.strip()),
        ("Indstilling", SectionKind.RECOMMENDATION, long.strip()),
        ("Beslutning", SectionKind.DECISION, "Godkendt."),
    )
    text = item.to_prompt_text(max_tokens=120)
    assert count_tokens(text) <= 120
    assert "## Beslutning\n" not in text
    assert text.count(CUT) == 2
    assert "## Beslutningstema\nKommunalbestyrelsen skal tage stilling til flagning." in text
    assert "## Indstilling\nKommunalbestyrelsen skal tage stilling til flagning." in text


def test_tiny_budget_keeps_title_and_protected_headings() -> None:
    item = _item(("Indstilling", SectionKind.RECOMMENDATION, "At godkende. " * 50))
    text = item.to_prompt_text(max_tokens=3)
    assert text.startswith("# Nyt flagregulativ")
    assert f"## Indstilling\n{CUT}" in text


def test_item_without_sections() -> None:
    item = AgendaItem(source_format=SourceFormat.FIRSTAGENDA_MEETING, title="Eventuelt")
    assert item.to_prompt_text() == "# Eventuelt"
    assert item.to_prompt_text(max_tokens=1) == "# Eventuelt"


def test_shorten_keeps_list_numbers_with_their_item() -> None:
    text = "Pejlemærker:\n1. Første punkt her.\n2. Andet punkt her.\n3. Tredje punkt her."
    short = shorten(text, count_tokens("Pejlemærker:\n1. Første punkt her.") + 4)
    assert short == f"Pejlemærker:\n1. Første punkt her. {CUT}"
    assert shorten(text, 1000) == text


# -- the byte bound: a text short enough in bytes is not counted ---------------------------


def _corpus(fixtures_dir: Path) -> list[AgendaItem]:
    golden = Path(__file__).resolve().parent.parent / "golden"
    paths = [
        *sorted(golden.glob("*/input.*")),
        fixtures_dir / ODENSE,
        fixtures_dir / HVIDOVRE,
    ]
    long = "Denne sætning fylder en del i teksten. " * 60
    made = [
        _item(
            ("Beslutningstema", SectionKind.SUMMARY, long.strip()),
            ("Indstilling", SectionKind.RECOMMENDATION, long.strip()),
            ("Beslutning", SectionKind.DECISION, "Godkendt."),
        ),
        _item(
            ("Sagsfremstilling", SectionKind.PRESENTATION, long.strip()),
            ("Høring", SectionKind.OTHER, "Ingen bemærkninger. " * 30),
            ("Retsgrundlag", SectionKind.LEGAL, "Loven."),
        ),
    ]
    return [item for path in paths for item in load_items(path) if item.has_text] + made


def test_shortcuts_give_what_full_counting_gives(
    fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The byte bound changes no output: compare with counting every text."""
    import casesummary.prompt_text as module

    items = _corpus(fixtures_dir)
    budgets = (1, 40, 120, 400, 1000, 2000, 4000, 6000)

    def renders() -> list[str]:
        out = []
        for item in items:
            full = render_item(item)
            tokens, size = count_tokens(full), len(full.encode())
            sizes = {tokens - 1, tokens, tokens + 1, size - 1, size, size + 1}
            for budget in sorted({*budgets, *(b for b in sizes if b > 0)}):
                out.append(render_item(item, budget))
        return out

    fast = renders()

    monkeypatch.setattr(module, "fits_by_bytes", lambda text, limit: False)
    monkeypatch.setattr(module, "fits", lambda text, limit: count_tokens(text) <= limit)
    slow = renders()
    assert len(fast) > 500
    assert fast == slow


def test_a_text_within_the_budget_in_bytes_is_not_counted(
    fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import casesummary.prompt_text as module

    item = load_item(fixtures_dir / ODENSE)
    full = render_item(item)

    def no_counting(*args: object) -> int:
        raise AssertionError("counted a text the byte bound settles")

    monkeypatch.setattr(module, "count_tokens", no_counting)
    assert render_item(item, len(full.encode())) == full
    with pytest.raises(AssertionError, match="byte bound"):
        render_item(item, len(full.encode()) - 1)  # no longer settled by bytes: must count


def test_shorten_cuts_only_where_a_danish_sentence_ends() -> None:
    """The cut follows `danish.sentence_gaps`: never after "ca.", "kl.", "nr." or "26."."""
    first = "Huslejen stiger fra ca. 8.000 kr. til ca. 12.000 kr. om måneden."
    text = f"{first} Mødet er den 27. august kl. 19 i salen. Se bilag nr. 3. Det er alt."
    for budget in range(count_tokens(first) + 2, count_tokens(text)):
        cut = shorten(text, budget).removesuffix(f" {CUT}")
        assert cut in (first, *(text[:b] for b, _ in danish.sentence_gaps(text))), cut
    assert shorten(text, count_tokens(first) + 4) == f"{first} {CUT}"
