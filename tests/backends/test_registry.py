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
from casesummary.backends.registry import BUILTIN, get_backend
from casesummary.backends.replay import RecordingBackend, ReplayBackend
from casesummary.backends.spec import BUILTIN_FORMS
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


def test_every_builtin_name_has_a_form_and_a_factory() -> None:
    assert set(BUILTIN) == set(BUILTIN_FORMS)


def test_a_legacy_plugin_without_close_is_wrapped_and_still_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Old:  # a 0.1-era backend: complete and acomplete only
        name, model = "old", "m1"

        def complete(self, request: Any) -> Any:
            return "answer"

        async def acomplete(self, request: Any) -> Any:
            return "answer"

    point = metadata.EntryPoint("old", f"{__name__}:_old_factory", registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(metadata, "entry_points", lambda **params: [point])
    monkeypatch.setattr(sys.modules[__name__], "_old_factory", lambda rest: Old(), raising=False)
    backend = get_backend("old")
    assert isinstance(backend, Backend)
    assert (backend.name, backend.model) == ("old", "m1")
    assert backend.complete(None) == "answer"  # type: ignore[arg-type]
    backend.close()


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
