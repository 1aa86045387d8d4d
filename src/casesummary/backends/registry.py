"""Backend specs -> backends: each built-in name's factory, imported lazily, and plugins.

Built-in factories take the parsed `BackendSpec` (backends/spec.py). Third-party packages add
names through the entry-point group ``casesummary.backends`` (``name = "module:factory"``,
``factory(rest: str) -> Backend``, `rest` being the text after ``name:``); built-in names win.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from importlib import import_module
from typing import Any

from casesummary.backends.base import Backend, as_backend
from casesummary.backends.replay import RecordingBackend
from casesummary.backends.spec import (
    DEFAULT_SPEC,
    ENV_VAR,
    EXAMPLE_MODEL_SPEC,
    BackendSpec,
    parse_spec,
)
from casesummary.exceptions import CaseSummaryError, InvalidBackendSpec, one_line

__all__ = [
    "BUILTIN",
    "DEFAULT_SPEC",
    "ENTRY_POINT_GROUP",
    "ENV_VAR",
    "EXAMPLE_MODEL_SPEC",
    "available_backends",
    "get_backend",
]

ENTRY_POINT_GROUP = "casesummary.backends"

#: Built-in names -> "module:factory"; each factory takes the parsed BackendSpec.
BUILTIN: dict[str, str] = {
    "azure": "casesummary.backends.openai:from_spec_azure",
    "baseline": "casesummary.backends.baseline:from_spec",
    "cache": "casesummary.backends.registry:_cache_from_spec",
    "openai": "casesummary.backends.openai:from_spec_openai",
    "openai-compatible": "casesummary.backends.openai:from_spec_compatible",
    "oracle": "casesummary.eval.oracle:from_spec",
    "record": "casesummary.backends.registry:_record_from_spec",
    "replay": "casesummary.backends.replay:replay_from_spec",
}


def get_backend(spec: str | BackendSpec) -> Backend:
    """The backend a spec names; InvalidBackendSpec says what is wrong and how to fix it."""
    parsed = spec if isinstance(spec, BackendSpec) else parse_spec(spec)
    made: Any
    if parsed.name in BUILTIN:
        factory = _load_builtin(parsed, BUILTIN[parsed.name])
        made = _call(parsed, factory, parsed)
    else:
        entry = _entry_points().get(parsed.name)
        if entry is None:
            raise InvalidBackendSpec(
                parsed.text, f"unknown backend {parsed.name!r}", _suggest(parsed)
            )
        made = _call(parsed, _load_entry_point(parsed, entry), parsed.rest)
    backend = as_backend(made)
    if backend is None:
        raise InvalidBackendSpec(parsed.text, "the factory did not return a Backend")
    return backend


def available_backends() -> list[str]:
    """Every backend name: built-ins and installed entry points."""
    return sorted({*BUILTIN, *_entry_points()})


def _call(spec: BackendSpec, factory: Callable[[Any], Any], argument: object) -> Any:
    try:
        return factory(argument)
    except CaseSummaryError:
        raise
    except Exception as exc:  # a third-party factory's bug must not escape untyped
        reason = one_line(exc)
        raise InvalidBackendSpec(spec.text, f"the backend factory failed: {reason}") from exc


def _record_from_spec(spec: BackendSpec) -> Backend:
    assert spec.inner is not None  # the "wrapper" form always has one
    return RecordingBackend(get_backend(spec.inner), spec.target)


def _cache_from_spec(spec: BackendSpec) -> Backend:
    assert spec.inner is not None
    return RecordingBackend(get_backend(spec.inner), spec.target, reuse=True)


def _load_builtin(spec: BackendSpec, target: str) -> Callable[[BackendSpec], Any]:
    module_name, _, attr = target.partition(":")
    try:
        module = import_module(module_name)
    except ImportError as exc:
        raise InvalidBackendSpec(
            spec.text, f"the backend module {module_name} cannot be imported ({exc})"
        ) from exc
    factory: Callable[[BackendSpec], Any] = getattr(module, attr)
    return factory


def _entry_points() -> dict[str, Any]:
    from importlib.metadata import entry_points

    return {ep.name.lower(): ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _load_entry_point(spec: BackendSpec, entry: Any) -> Callable[[str], Any]:
    try:
        factory = entry.load()
    except Exception as exc:  # any import failure in a plugin becomes a typed error
        reason = one_line(exc)
        raise InvalidBackendSpec(
            spec.text, f"the plugin {entry.value!r} cannot be loaded ({reason})"
        ) from exc
    if not callable(factory):
        raise InvalidBackendSpec(spec.text, f"the plugin {entry.value!r} is not a factory function")
    return factory  # type: ignore[no-any-return]


def _suggest(spec: BackendSpec) -> list[str]:
    suggestions = difflib.get_close_matches(spec.name, available_backends(), n=3, cutoff=0.5)
    if not suggestions and any(m in spec.text.lower() for m in ("gpt", "o1", "o3", "o4")):
        suggestions = [f"openai:{spec.text}"]
    return suggestions
