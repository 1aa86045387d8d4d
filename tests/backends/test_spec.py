"""Backend spec strings: one parser, the form of each built-in, one resolution rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from casesummary.backends.spec import (
    FALLBACK_NOTICE,
    BackendSpec,
    parse_spec,
    redact,
    resolve_spec,
)
from casesummary.exceptions import InvalidBackendSpec


def test_a_spec_is_parsed_into_name_target_and_options() -> None:
    spec = parse_spec(" openai-compatible:llama@http://127.0.0.1:8080/v1?mode=json_object ")
    assert spec.name == "openai-compatible"
    assert spec.target == "llama@http://127.0.0.1:8080/v1"
    assert spec.options == {"mode": "json_object"}
    assert str(spec) == "openai-compatible:llama@http://127.0.0.1:8080/v1?mode=json_object"
    assert BackendSpec.parse(str(spec)) == spec


def test_a_wrapper_holds_its_inner_spec_whole(tmp_path: Path) -> None:
    spec = parse_spec(f"cache:{tmp_path}=openai:gpt-4o-mini?timeout=5")
    assert (spec.name, spec.target) == ("cache", str(tmp_path))
    assert spec.inner is not None
    assert (spec.inner.name, spec.inner.target, spec.inner.options) == (
        "openai",
        "gpt-4o-mini",
        {"timeout": "5"},
    )


def test_a_plugin_spec_keeps_its_text_for_the_plugin() -> None:
    spec = parse_spec("myplug:tiny?x=1")
    assert (spec.name, spec.rest) == ("myplug", "tiny?x=1")
    assert not spec.builtin


def test_an_option_given_twice_is_an_error() -> None:
    with pytest.raises(InvalidBackendSpec, match="'mode' is given twice"):
        parse_spec("openai:gpt-4o?mode=json_object&mode=tool_call")


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("", "empty backend spec"),
        ("openai:", "model name is missing; expected openai:<model>"),
        ("openai:  ?mode=json_object", "model name is missing"),
        ("azure:", "deployment name is missing"),
        ("openai-compatible:llama", "'@<base_url>' is missing"),
        ("openai-compatible:@http://127.0.0.1:8080", "'@<base_url>' is missing"),
        ("openai-compatible:llama@localhost:8080", "not an http:// or https:// URL"),
        ("openai-compatible:llama@http://", "not an http:// or https:// URL"),
        ("replay:", "recordings directory is missing"),
        ("replay:/no/such/dir", "does not exist"),
        ("record:/tmp/x", "inner backend spec is missing"),
        ("record:=baseline", "directory or the inner backend spec is missing"),
        ("baseline:fast", "takes no options"),
    ],
)
def test_malformed_specs_explain_the_form(spec: str, words: str) -> None:
    with pytest.raises(InvalidBackendSpec) as info:
        parse_spec(spec)
    assert words in str(info.value)


def test_credentials_are_redacted() -> None:
    spec = parse_spec("openai-compatible:m@https://user:pw@host.example/v1?api_key=sk-1")
    assert "pw" not in spec.redacted()
    assert "sk-1" not in spec.redacted()
    assert redact("https://a:b@h/x?token=t&y=1") == "https://***@h/x?token=***&y=1"


def test_resolve_prefers_the_argument_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CASESUMMARY_BACKEND", "oracle")
    assert resolve_spec("openai:gpt-4o") == (parse_spec("openai:gpt-4o"), False)
    assert resolve_spec(None) == (parse_spec("oracle"), False)
    with pytest.raises(InvalidBackendSpec, match="empty backend spec"):
        resolve_spec("  ")


def test_resolve_falls_back_to_baseline_with_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASESUMMARY_BACKEND", raising=False)
    spec, fell_back = resolve_spec(None)
    assert (spec.name, fell_back) == ("baseline", True)
    assert "\n" not in FALLBACK_NOTICE
    for words in ("--backend", "CASESUMMARY_BACKEND", "openai:gpt-4o-mini"):
        assert words in FALLBACK_NOTICE
