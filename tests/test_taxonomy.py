"""The keyword taxonomy: the shipped default, replacement files, and broken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from casesummary.exceptions import InvalidTaxonomy
from casesummary.taxonomy import Taxonomy, default_taxonomy_path, load_taxonomy


def test_default_taxonomy_holds_the_seed_keywords(fixtures_dir: Path) -> None:
    import json

    taxonomy = load_taxonomy()
    published = json.loads(
        (fixtures_dir / "odense-beu-2025-pejlemaerker.prompt-result.json").read_text("utf-8")
    )
    assert set(published["keywords"]) <= set(taxonomy.names)
    assert len(taxonomy.topics) >= 15
    assert default_taxonomy_path().name == "taxonomy.yaml"


def test_every_default_topic_is_described_with_lowercase_cues() -> None:
    for topic in load_taxonomy().topics:
        assert topic.description.strip(), topic.name
        assert len(topic.cues) >= 5, topic.name
        for cue in topic.cues:
            assert cue == cue.lower().strip(), (topic.name, cue)
            assert len(cue) >= 2, (topic.name, cue)


def test_cues_are_not_shared_between_topics() -> None:
    owner: dict[str, str] = {}
    for topic in load_taxonomy().topics:
        for cue in topic.cues:
            assert cue not in owner, f"cue {cue!r} in both {owner.get(cue)} and {topic.name}"
            owner[cue] = topic.name


def test_replacement_taxonomy_file(tmp_path: Path) -> None:
    path = tmp_path / "emner.yaml"
    path.write_text(
        "name: lille\nversion: '2'\ntopics: [Skat, {name: Vej, cues: [vej]}]\n", "utf-8"
    )
    taxonomy = load_taxonomy(path)
    assert taxonomy.names == ("Skat", "Vej")
    assert taxonomy.fingerprint != load_taxonomy().fingerprint
    assert load_taxonomy(str(path)) == taxonomy
    assert load_taxonomy(taxonomy) is taxonomy


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("topics: [", "not valid YAML"),
        ("- a\n- b\n", "expected a mapping"),
        ("topics: []\n", "topics"),
        ("topics: [Skat, skat]\n", "listed twice"),
        ("topics: [{name: Skat, colour: red}]\n", "colour"),
    ],
)
def test_broken_taxonomy_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "emner.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidTaxonomy) as info:
        load_taxonomy(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_missing_taxonomy_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidTaxonomy, match="cannot read"):
        load_taxonomy(tmp_path / "none.yaml")


def test_fingerprint_and_names_are_computed_once_per_taxonomy() -> None:
    """Every request's prompt fingerprint reads them: hashing all topics each time was wasted."""
    taxonomy = load_taxonomy()
    assert taxonomy.fingerprint is taxonomy.fingerprint
    assert taxonomy.names is taxonomy.names
    again = Taxonomy.model_validate(taxonomy.model_dump())
    assert again == taxonomy  # cached values take no part in equality
    assert again.fingerprint == taxonomy.fingerprint
