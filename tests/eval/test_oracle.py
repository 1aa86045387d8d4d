"""The oracle answers each golden item with its expected answer, and nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from casesummary.backends.base import Backend, BackendRequest, Message
from casesummary.backends.spec import parse_spec
from casesummary.eval.golden import load_golden
from casesummary.eval.oracle import OracleBackend, OracleMissError, from_spec
from casesummary.exceptions import InvalidGoldenCase, ReplayMissError
from casesummary.item import AgendaItem, Section, SectionKind, SourceFormat
from casesummary.result import PromptResult
from casesummary.taxonomy import load_taxonomy

GOLDEN = Path(__file__).resolve().parents[2] / "golden"


@pytest.fixture
def sources() -> None:
    try:
        from casesummary.sources import load_items  # noqa: F401
    except ImportError:
        pytest.skip("casesummary.sources.load_items is not written yet")


def request_for(item: AgendaItem, *, evidence: bool = True) -> BackendRequest:
    """A request for `item` whose schema asks for evidence (as summary@2's does) or not."""
    schema: dict[str, object] = {"type": "object", "required": ["evidence"] if evidence else []}
    return BackendRequest(
        messages=(Message(role="user", content=item.title),),
        json_schema=schema,
        item=item,
        taxonomy=load_taxonomy(),
        prompt_id="summary",
        prompt_version="1",
        prompt_fingerprint="0" * 64,
    )


def stranger() -> AgendaItem:
    return AgendaItem(
        source_format=SourceFormat.ITEM_TEXT,
        municipality="Hvidovre",
        title="Et punkt, der ikke er i det gyldne sæt",
        sections=(
            Section(heading="Sagsfremstilling", kind=SectionKind.PRESENTATION, text="Tekst."),
        ),
    )


def test_it_is_a_backend_named_oracle() -> None:
    backend = OracleBackend(GOLDEN)
    assert isinstance(backend, Backend)
    assert backend.name == "oracle"
    assert backend.model.startswith("golden-")


def test_from_spec_takes_an_optional_golden_directory(tmp_path: Path) -> None:
    assert from_spec(parse_spec("oracle")).golden_dir is None
    assert from_spec(parse_spec(f"oracle:{tmp_path}")).golden_dir == tmp_path


def test_its_model_names_the_answers_so_an_edited_answer_is_a_new_key(tmp_path: Path) -> None:
    case = next(c for c in load_golden(GOLDEN) if c.expected is not None)
    shutil.copytree(case.directory, tmp_path / case.id)
    before = OracleBackend(tmp_path).model
    assert case.expected is not None
    edited = case.expected.model_copy(update={"question": "Bør kommunen noget andet?"})
    (tmp_path / case.id / "expected.json").write_text(edited.model_dump_json(), encoding="utf-8")
    after = OracleBackend(tmp_path)
    assert after.model != before
    response = after.complete(request_for(case.load_item()))
    assert PromptResult.model_validate_json(response.content).question == edited.question


def test_it_answers_from_the_cases_it_is_given_without_reading_a_directory() -> None:
    case = next(c for c in load_golden(GOLDEN) if c.expected is not None)
    item = case.load_item()
    backend = OracleBackend()
    backend.adopt([(case, item)])
    assert len(backend.answers()) == 1
    assert PromptResult.model_validate_json(backend.complete(request_for(item)).content) == (
        case.expected
    )


def test_the_golden_set_is_read_only_when_first_asked(tmp_path: Path) -> None:
    backend = OracleBackend(tmp_path / "absent")  # no error yet: nothing is read
    with pytest.raises(InvalidGoldenCase, match="no golden directory"):
        backend.complete(request_for(stranger()))


@pytest.mark.usefixtures("sources")
def test_every_answered_golden_case_gets_its_expected_answer() -> None:
    backend = OracleBackend(GOLDEN)
    answered = [c for c in load_golden(GOLDEN) if c.expected is not None]
    for case in answered:
        response = backend.complete(request_for(case.load_item()))
        assert PromptResult.model_validate_json(response.content) == case.expected, case.id
        assert response.model == backend.model
    assert len(backend.answers()) == len(answered)


@pytest.mark.usefixtures("sources")
def test_the_quotes_are_sent_only_to_a_prompt_that_asks_for_them() -> None:
    backend = OracleBackend(GOLDEN)
    case = next(c for c in load_golden(GOLDEN) if c.expected is not None)
    assert case.expected is not None
    assert case.expected.evidence is not None
    plain = backend.complete(request_for(case.load_item(), evidence=False)).content
    assert "evidence" not in plain
    assert PromptResult.model_validate_json(plain) == case.expected.without_evidence()


@pytest.mark.usefixtures("sources")
async def test_acomplete_answers_like_complete() -> None:
    backend = OracleBackend(GOLDEN)
    case = next(c for c in load_golden(GOLDEN) if c.expected is not None)
    response = await backend.acomplete(request_for(case.load_item()))
    assert PromptResult.model_validate_json(response.content) == case.expected


@pytest.mark.usefixtures("sources")
def test_an_item_outside_the_golden_set_is_a_typed_miss() -> None:
    item = stranger()
    with pytest.raises(OracleMissError) as caught:
        OracleBackend(GOLDEN).complete(request_for(item))
    assert isinstance(caught.value, ReplayMissError)
    assert caught.value.key == item.fingerprint


@pytest.mark.usefixtures("sources")
def test_two_cases_with_one_item_and_different_answers_are_an_error(tmp_path: Path) -> None:
    case = next(c for c in load_golden(GOLDEN) if c.expected is not None)
    shutil.copytree(case.directory, tmp_path / case.id)
    twin = tmp_path / "zz-twin"
    shutil.copytree(case.directory, twin)
    yaml_path = twin / "case.yaml"
    yaml_path.write_text(
        yaml_path.read_text(encoding="utf-8").replace(f"id: {case.id}", "id: zz-twin"),
        encoding="utf-8",
    )
    assert case.expected is not None
    changed = case.expected.model_copy(update={"question": "Bør kommunen noget andet?"})
    (twin / "expected.json").write_text(changed.model_dump_json(), encoding="utf-8")
    with pytest.raises(InvalidGoldenCase, match=case.id):
        OracleBackend(tmp_path).answers()
