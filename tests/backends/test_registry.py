"""Backend specs: one parser, lazy imports, did-you-mean errors, entry-point plugins."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from casesummary.backends import registry
from casesummary.backends.base import Backend
from casesummary.backends.registry import get_backend, resolve_backend_spec
from casesummary.backends.replay import RecordingBackend, ReplayBackend
from casesummary.exceptions import InvalidBackendSpec
from casesummary.testing import FunctionBackend


def test_baseline() -> None:
    backend = get_backend("baseline")
    assert isinstance(backend, Backend)
    assert backend.name == "baseline"
    assert get_backend("  Baseline ").name == "baseline"


def test_oracle_with_and_without_directory(tmp_path: Path) -> None:
    assert get_backend("oracle").name == "oracle"
    assert get_backend(f"oracle:{tmp_path}").golden_dir == tmp_path  # type: ignore[attr-defined]


def test_openai_compatible_reaches_the_openai_module() -> None:
    backend = get_backend("openai-compatible:llama@http://127.0.0.1:9/v1")
    assert (backend.name, backend.model) == ("openai-compatible", "llama")


def test_replay_record_and_cache(tmp_path: Path) -> None:
    replay = get_backend(f"replay:{tmp_path}")
    assert isinstance(replay, ReplayBackend)
    record = get_backend(f"record:{tmp_path / 'rec'}=baseline")
    assert isinstance(record, RecordingBackend)
    assert (record.name, record.reuse, record.directory) == ("baseline", False, tmp_path / "rec")
    cache = get_backend(f"cache:{tmp_path / 'c'}=baseline")
    assert isinstance(cache, RecordingBackend)
    assert cache.reuse


@pytest.mark.parametrize(
    ("spec", "suggestion"),
    [("basline", "baseline"), ("opena:gpt-4o", "openai"), ("replai:x", "replay")],
)
def test_unknown_name_suggests_close_matches(spec: str, suggestion: str) -> None:
    with pytest.raises(InvalidBackendSpec) as info:
        get_backend(spec)
    assert suggestion in info.value.suggestions
    assert "Did you mean" in str(info.value)


def test_bare_model_name_suggests_the_openai_spec() -> None:
    with pytest.raises(InvalidBackendSpec) as info:
        get_backend("gpt-4o-mini")
    assert info.value.suggestions == ["openai:gpt-4o-mini"]


def test_unknown_name_without_any_match() -> None:
    with pytest.raises(InvalidBackendSpec, match="unknown backend 'zzz'") as info:
        get_backend("zzz")
    assert info.value.suggestions == []


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
        get_backend(spec)
    assert words in str(info.value)


def test_inner_spec_errors_surface_through_record(tmp_path: Path) -> None:
    with pytest.raises(InvalidBackendSpec, match="basline"):
        get_backend(f"record:{tmp_path}=basline")


# -- entry points ----------------------------------------------------------------------------


def fake_factory(rest: str) -> FunctionBackend:
    return FunctionBackend(lambda r: "{}", name="plugin", model=rest or "default")


def broken_factory(rest: str) -> Any:
    raise RuntimeError("the plugin exploded")


def not_a_backend(rest: str) -> object:
    return object()


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    module = __name__
    points = [
        metadata.EntryPoint("myplug", f"{module}:fake_factory", registry.ENTRY_POINT_GROUP),
        metadata.EntryPoint("broken", f"{module}:broken_factory", registry.ENTRY_POINT_GROUP),
        metadata.EntryPoint("notone", f"{module}:not_a_backend", registry.ENTRY_POINT_GROUP),
        metadata.EntryPoint("missing", "no_such_module_xyz:factory", registry.ENTRY_POINT_GROUP),
        metadata.EntryPoint("baseline", f"{module}:fake_factory", registry.ENTRY_POINT_GROUP),
    ]

    def entry_points(**params: Any) -> list[metadata.EntryPoint]:
        assert params == {"group": registry.ENTRY_POINT_GROUP}
        return points

    monkeypatch.setattr(metadata, "entry_points", entry_points)


@pytest.mark.usefixtures("plugins")
def test_entry_point_backend_is_loaded_with_the_rest_of_the_spec() -> None:
    backend = get_backend("myplug:tiny-model")
    assert (backend.name, backend.model) == ("plugin", "tiny-model")
    assert "myplug" in registry.available_backends()


@pytest.mark.usefixtures("plugins")
def test_entry_point_names_are_suggested() -> None:
    with pytest.raises(InvalidBackendSpec) as info:
        get_backend("myplg:x")
    assert "myplug" in info.value.suggestions


@pytest.mark.usefixtures("plugins")
def test_builtin_names_win_over_plugins() -> None:
    assert get_backend("baseline").name == "baseline"


@pytest.mark.usefixtures("plugins")
@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("broken", "factory failed: the plugin exploded"),
        ("notone", "did not return a Backend"),
        ("missing", "cannot be loaded"),
    ],
)
def test_plugin_failures_are_typed(spec: str, words: str) -> None:
    with pytest.raises(InvalidBackendSpec, match=words):
        get_backend(spec)


# -- resolution for the CLI ------------------------------------------------------------------


def test_resolve_prefers_the_cli_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASESUMMARY_BACKEND", "oracle")
    assert resolve_backend_spec("openai:gpt-4o") == ("openai:gpt-4o", None)
    assert resolve_backend_spec(None) == ("oracle", None)


def test_resolve_falls_back_to_baseline_with_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASESUMMARY_BACKEND", raising=False)
    spec, notice = resolve_backend_spec(None)
    assert spec == "baseline"
    assert notice is not None
    assert "\n" not in notice
    for words in ("--backend", "CASESUMMARY_BACKEND", "openai:gpt-4o-mini"):
        assert words in notice


def test_offline_backends_do_not_import_the_openai_sdk() -> None:
    code = (
        "import sys\n"
        "from casesummary.backends.registry import get_backend\n"
        "import tempfile\n"
        "get_backend('baseline'); get_backend('oracle')\n"
        "get_backend('replay:' + tempfile.mkdtemp())\n"
        "print('openai' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
