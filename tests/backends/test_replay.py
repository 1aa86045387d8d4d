"""Recordings: content-addressed keys, readable files without secrets, replay, CPR masking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casesummary.backends.base import BackendRequest, BackendResponse, Message
from casesummary.backends.replay import (
    RecordingBackend,
    ReplayBackend,
    key_parts,
    request_key,
)
from casesummary.exceptions import InvalidRunDirectory, ReplayMissError
from casesummary.item import AgendaItem, Section, SectionKind, SourceFormat
from casesummary.redact import CPR_MASK, mask_cpr
from casesummary.result import Usage
from casesummary.taxonomy import load_taxonomy
from casesummary.testing import FunctionBackend, QueueBackend, QueueExhausted, good_answer

SECRET = "sk-live-DO-NOT-STORE-1234567890"


def make_request(
    text: str = "Sagen handler om budgettet.", *, repeat: int = 0, **changes: object
) -> BackendRequest:
    item = AgendaItem(
        source_format=SourceFormat.ITEM_TEXT,
        municipality="Odense",
        title="Budget 2026",
        sections=(Section(heading="Resumé", kind=SectionKind.SUMMARY, text=text),),
    )
    values: dict[str, object] = {
        "messages": (
            Message(role="system", content="system"),
            Message(role="user", content=f"Authorization: Bearer {SECRET}\n{text}"),
        ),
        "json_schema": {"type": "object"},
        "parameters": {"temperature": 0.2, "seed": 7},
        "item": item,
        "taxonomy": load_taxonomy(),
        "prompt_id": "summary",
        "prompt_version": "1.0.0",
        "prompt_fingerprint": "a" * 64,
        "repeat": repeat,
    }
    values.update(changes)
    return BackendRequest.model_validate(values)


def answer_response(content: str | None = None) -> BackendResponse:
    return BackendResponse(
        content=content or json.dumps(good_answer(), ensure_ascii=False),
        model="gpt-test-2026",
        structured_mode="json_schema",
        usage=Usage(input_tokens=120, output_tokens=80),
        finish_reason="stop",
    )


# -- keys ------------------------------------------------------------------------------------


def test_key_is_stable_and_depends_on_every_part() -> None:
    base = make_request()
    key = request_key("openai", "gpt-4o", base)
    assert key == request_key("openai", "gpt-4o", make_request())
    assert len(key) == 64
    different = {
        request_key("azure", "gpt-4o", base),
        request_key("openai", "gpt-4o-mini", base),
        request_key("openai", "gpt-4o", make_request(prompt_fingerprint="b" * 64)),
        request_key("openai", "gpt-4o", make_request("Anden tekst.")),
        request_key("openai", "gpt-4o", make_request(parameters={"temperature": 0.0})),
        request_key("openai", "gpt-4o", make_request(repeat=1)),
    }
    assert key not in different
    assert len(different) == 6


def test_key_ignores_what_it_is_not_about() -> None:
    base = make_request()
    other_schema = make_request(json_schema={"type": "object", "title": "x"})
    assert request_key("b", "m", base) == request_key("b", "m", other_schema)


def test_a_reask_has_its_own_key() -> None:
    base = make_request()
    reask = base.model_copy(
        update={
            "messages": (
                *base.messages,
                Message(role="assistant", content="{}"),
                Message(role="user", content="- pros: must hold exactly 3 items"),
            )
        }
    )
    assert request_key("b", "m", reask) != request_key("b", "m", base)
    assert "followup" in key_parts("b", "m", reask)
    assert "followup" not in key_parts("b", "m", base)


# -- recording -------------------------------------------------------------------------------


def test_recording_is_readable_json_without_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    inner = QueueBackend([answer_response()], name="openai", model="gpt-4o")
    backend = RecordingBackend(inner, tmp_path)
    request = make_request()
    response = backend.complete(request)
    assert response.content == answer_response().content

    files = list(tmp_path.iterdir())
    assert [f.name for f in files] == [f"{request_key('openai', 'gpt-4o', request)}.json"]
    text = files[0].read_text(encoding="utf-8")
    assert SECRET not in text
    assert "Authorization" not in text
    assert "Økonomi" in text or "Beskæftigelse" in text  # ensure_ascii=False
    assert text.startswith("{\n  ")  # pretty
    record = json.loads(text)
    assert record["item_title"] == "Budget 2026"
    assert record["key_parts"]["backend"] == "openai"
    assert record["key_parts"]["model"] == "gpt-4o"
    assert record["response"] == {
        "content": answer_response().content,
        "model": "gpt-test-2026",
        "structured_mode": "json_schema",
        "usage": {"input_tokens": 120, "output_tokens": 80},
        "finish_reason": "stop",
        "extractive": False,
    }
    assert not list(tmp_path.glob("*.tmp"))


def test_recording_reports_the_inner_name_and_model(tmp_path: Path) -> None:
    backend = RecordingBackend(QueueBackend([], name="openai", model="gpt-4o"), tmp_path)
    assert (backend.name, backend.model) == ("openai", "gpt-4o")


def test_without_reuse_the_inner_backend_is_always_called(tmp_path: Path) -> None:
    inner = QueueBackend([answer_response(), answer_response()])
    backend = RecordingBackend(inner, tmp_path)
    backend.complete(make_request())
    backend.complete(make_request())
    assert len(inner.calls) == 2


async def test_reuse_answers_from_the_recording(tmp_path: Path) -> None:
    inner = QueueBackend([answer_response()])
    backend = RecordingBackend(inner, tmp_path, reuse=True)
    first = await backend.acomplete(make_request())
    second = await backend.acomplete(make_request())
    third = backend.complete(make_request())
    assert len(inner.calls) == 1
    assert first.content == second.content == third.content
    assert second.usage == Usage(input_tokens=120, output_tokens=80)
    with pytest.raises(QueueExhausted):  # a new key calls the (now empty) inner backend
        backend.complete(make_request(repeat=1))


def test_failed_inner_call_records_nothing(tmp_path: Path) -> None:
    def fail(request: BackendRequest) -> str:
        raise ReplayMissError("inner failed", key="k")

    with pytest.raises(ReplayMissError):
        RecordingBackend(FunctionBackend(fail), tmp_path).complete(make_request())
    assert list(tmp_path.iterdir()) == []


def test_cpr_numbers_are_masked_in_recordings(tmp_path: Path) -> None:
    answer = good_answer()
    answer["summary"] = (
        "Dagsordenspunktet handler om borgeren med CPR 010190-1234. Sagen gælder også 0203851234."
    )
    inner = QueueBackend([answer_response(json.dumps(answer, ensure_ascii=False))])
    backend = RecordingBackend(inner, tmp_path)
    request = make_request(
        item=make_request().item.model_copy(update={"title": "Klage fra 241270-4321"})
    )
    returned = backend.complete(request)
    text = next(tmp_path.iterdir()).read_text(encoding="utf-8")
    for cpr in ("010190-1234", "0203851234", "241270-4321"):
        assert cpr not in text
        assert cpr not in returned.content
    assert text.count(CPR_MASK) == 3
    # what replay later returns equals what the live run returned
    assert ReplayBackend(tmp_path).complete(request).content == returned.content


# -- replay ----------------------------------------------------------------------------------


def test_replay_answers_with_the_recorded_response(tmp_path: Path) -> None:
    RecordingBackend(
        QueueBackend([answer_response()], name="openai", model="gpt-4o"), tmp_path
    ).complete(make_request())
    replay = ReplayBackend(tmp_path)
    assert (replay.name, replay.model) == ("openai", "gpt-4o")
    response = replay.complete(make_request())
    assert response == answer_response().model_copy(update={"attempts": 1})


async def test_replay_miss_names_the_key_and_item_and_calls_nothing(tmp_path: Path) -> None:
    RecordingBackend(
        QueueBackend([answer_response()], name="openai", model="gpt-4o"), tmp_path
    ).complete(make_request())
    replay = ReplayBackend(tmp_path)
    missing = make_request("Noget helt andet.")
    with pytest.raises(ReplayMissError) as info:
        await replay.acomplete(missing)
    key = request_key("openai", "gpt-4o", missing)
    assert info.value.key == key
    assert key in str(info.value)
    assert "Budget 2026" in str(info.value)


def test_replay_of_an_empty_directory_misses(tmp_path: Path) -> None:
    with pytest.raises(ReplayMissError):
        ReplayBackend(tmp_path).complete(make_request())


def test_replay_with_several_recorded_models(tmp_path: Path) -> None:
    for model in ("gpt-4o", "gpt-4o-mini"):
        inner = QueueBackend(
            [answer_response(f'{{"model": "{model}"}}')], name="openai", model=model
        )
        RecordingBackend(inner, tmp_path).complete(make_request())
    mixed = ReplayBackend(tmp_path)
    assert mixed.name == "replay"
    mixed.complete(make_request())
    chosen = ReplayBackend(tmp_path, backend="openai", model="gpt-4o-mini")
    assert (chosen.name, chosen.model) == ("openai", "gpt-4o-mini")
    assert chosen.complete(make_request()).content == '{"model": "gpt-4o-mini"}'


def test_corrupt_recording_is_a_typed_error(tmp_path: Path) -> None:
    key = request_key("openai", "gpt-4o", make_request())
    (tmp_path / f"{key}.json").write_text("{not json", encoding="utf-8")
    replay = ReplayBackend(tmp_path, backend="openai", model="gpt-4o")
    with pytest.raises(InvalidRunDirectory, match="unreadable recording"):
        replay.complete(make_request())


# -- CPR masking -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CPR 010190-1234.", f"CPR {CPR_MASK}."),
        ("cpr: 3112851234", f"cpr: {CPR_MASK}"),
        ("to: 290200-1111 og 150677-2222", f"to: {CPR_MASK} og {CPR_MASK}"),
    ],
)
def test_mask_cpr(text: str, expected: str) -> None:
    assert mask_cpr(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Sagsnummer 00.01.00-A00-25-25",
        "Telefon 12345678",
        "Beløb 1.234.567 kr.",
        "Dato 320190-1234 findes ikke",  # day 32
        "Dato 311190-1234 findes ikke",  # 31 November
        "Dato 011390-1234 findes ikke",  # month 13
        "Langt tal 12019012345678",
        "Journal 2025-010190-1234",
    ],
)
def test_mask_cpr_leaves_other_numbers_alone(text: str) -> None:
    assert mask_cpr(text) == text
