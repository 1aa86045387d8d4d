"""Backend spec strings -> backends, parsed in one place; backend modules are imported lazily.

Specs (``name[:rest]``):

    baseline                              offline extractive backend (the default)
    openai:<model>                        OpenAI (OPENAI_API_KEY)
    azure:<deployment>                    Azure OpenAI (AZURE_OPENAI_* environment)
    openai-compatible:<model>@<base_url>  any server speaking the OpenAI protocol
    replay:<dir>                          answers only from recordings in <dir>
    record:<dir>=<inner spec>             calls <inner spec> and records every answer in <dir>
    cache:<dir>=<inner spec>              like record, but answers from a recording when it exists
    oracle[:<golden dir>]                 the golden expected answers (the eval's ceiling)

Third-party packages add names through the entry-point group ``casesummary.backends``
(``name = "module:factory"``, ``factory(rest: str) -> Backend``); built-in names win.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from casesummary.backends.base import Backend
from casesummary.exceptions import CaseSummaryError, InvalidBackendSpec

ENTRY_POINT_GROUP = "casesummary.backends"
ENV_VAR = "CASESUMMARY_BACKEND"
DEFAULT_SPEC = "baseline"
EXAMPLE_MODEL_SPEC = "openai:gpt-4o-mini"

#: Built-in names -> "module:factory"; each factory takes the text after "name:".
BUILTIN: dict[str, str] = {
    "azure": "casesummary.backends.openai:from_spec_azure",
    "baseline": "casesummary.backends.baseline:from_spec",
    "cache": "casesummary.backends.registry:_cache_from_spec",
    "openai": "casesummary.backends.openai:from_spec_openai",
    "openai-compatible": "casesummary.backends.openai:from_spec_compatible",
    "oracle": "casesummary.backends.oracle:from_spec",
    "record": "casesummary.backends.registry:_record_from_spec",
    "replay": "casesummary.backends.replay:replay_from_spec",
}

#: The form of each built-in spec, shown when one is malformed.
FORMS: dict[str, str] = {
    "azure": "azure:<deployment>",
    "baseline": "baseline",
    "cache": "cache:<dir>=<backend spec>",
    "openai": "openai:<model>, e.g. openai:gpt-4o-mini",
    "openai-compatible": "openai-compatible:<model>@<base_url>, "
    "e.g. openai-compatible:llama@http://127.0.0.1:8080/v1",
    "oracle": "oracle or oracle:<golden dir>",
    "record": "record:<dir>=<backend spec>",
    "replay": "replay:<dir>",
}


def get_backend(spec: str) -> Backend:
    """The backend a spec string names; InvalidBackendSpec says what is wrong and how to fix it."""
    text = spec.strip() if isinstance(spec, str) else ""
    if not text:
        raise InvalidBackendSpec(str(spec), f"empty backend spec; use one of {_known_forms()}")
    name, _, rest = text.partition(":")
    name = name.strip().lower()
    if name in BUILTIN:
        _check_form(text, name, rest)
        factory = _load_builtin(text, BUILTIN[name])
    else:
        entry = _entry_points().get(name)
        if entry is None:
            raise InvalidBackendSpec(text, f"unknown backend {name!r}", _suggest(name, text))
        factory = _load_entry_point(text, entry)
    try:
        backend = factory(rest)
    except CaseSummaryError:
        raise
    except Exception as exc:  # a third-party factory's bug must not escape untyped
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise InvalidBackendSpec(text, f"the backend factory failed: {reason}") from exc
    if not isinstance(backend, Backend):
        raise InvalidBackendSpec(text, "the factory did not return a Backend")
    return backend


def resolve_backend_spec(cli_value: str | None) -> tuple[str, str | None]:
    """The spec to use (CLI value, else $CASESUMMARY_BACKEND, else baseline) and a notice for
    stderr when falling back to the baseline."""
    if cli_value and cli_value.strip():
        return cli_value.strip(), None
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env, None
    notice = (
        "casesummary: no model chosen, using the offline extractive baseline; pick a model with "
        f"--backend or {ENV_VAR}, e.g. --backend {EXAMPLE_MODEL_SPEC}"
    )
    return DEFAULT_SPEC, notice


def available_backends() -> list[str]:
    """Every backend name: built-ins and installed entry points."""
    return sorted({*BUILTIN, *_entry_points()})


# -- parsing -------------------------------------------------------------------------------------


def _check_form(spec: str, name: str, rest: str) -> None:
    def bad(why: str) -> InvalidBackendSpec:
        return InvalidBackendSpec(spec, f"{why}; expected {FORMS[name]}")

    target = rest.partition("?")[0].strip()
    if name in ("openai", "azure") and not target:
        what = "deployment" if name == "azure" else "model"
        raise bad(f"the {what} name is missing")
    if name == "openai-compatible":
        model, at, base_url = target.partition("@")
        if not at or not model.strip():
            raise bad("the model name or '@<base_url>' is missing")
        url = urlsplit(base_url.strip())
        if url.scheme not in ("http", "https") or not url.netloc:
            raise bad(f"{base_url!r} is not an http:// or https:// URL")
    if name == "replay":
        if not rest.strip():
            raise bad("the recordings directory is missing")
        if not Path(rest.strip()).is_dir():
            raise bad(f"the recordings directory {rest.strip()!r} does not exist")
    if name == "oracle" and rest.strip() and not Path(rest.strip()).is_dir():
        raise bad(f"the golden directory {rest.strip()!r} does not exist")
    if name in ("record", "cache"):
        directory, eq, inner = rest.partition("=")
        if not eq or not directory.strip() or not inner.strip():
            raise bad("the directory or the inner backend spec is missing")
    if name == "baseline" and rest.strip():
        raise bad("baseline takes no options")


def _record_from_spec(rest: str) -> Backend:
    from casesummary.backends.replay import RecordingBackend

    directory, _, inner = rest.partition("=")
    return RecordingBackend(get_backend(inner), directory.strip())


def _cache_from_spec(rest: str) -> Backend:
    from casesummary.backends.replay import RecordingBackend

    directory, _, inner = rest.partition("=")
    return RecordingBackend(get_backend(inner), directory.strip(), reuse=True)


def _load_builtin(spec: str, target: str) -> Callable[[str], Any]:
    module_name, _, attr = target.partition(":")
    try:
        module = import_module(module_name)
    except ImportError as exc:
        raise InvalidBackendSpec(
            spec, f"the backend module {module_name} cannot be imported ({exc})"
        ) from exc
    factory: Callable[[str], Any] = getattr(module, attr)
    return factory


def _entry_points() -> dict[str, Any]:
    from importlib.metadata import entry_points

    return {ep.name.lower(): ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _load_entry_point(spec: str, entry: Any) -> Callable[[str], Any]:
    try:
        factory = entry.load()
    except Exception as exc:  # any import failure in a plugin becomes a typed error
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise InvalidBackendSpec(
            spec, f"the plugin {entry.value!r} cannot be loaded ({reason})"
        ) from exc
    if not callable(factory):
        raise InvalidBackendSpec(spec, f"the plugin {entry.value!r} is not a factory function")
    return factory  # type: ignore[no-any-return]


def _suggest(name: str, spec: str) -> list[str]:
    suggestions = difflib.get_close_matches(name, available_backends(), n=3, cutoff=0.5)
    if not suggestions and any(m in spec.lower() for m in ("gpt", "o1", "o3", "o4")):
        suggestions = [f"openai:{spec}"]
    return suggestions


def _known_forms() -> str:
    return ", ".join(FORMS[n] for n in ("baseline", "openai", "azure", "replay", "oracle"))
