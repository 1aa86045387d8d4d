"""Backend spec strings, parsed once into a `BackendSpec` that the backend factories receive.

    baseline                              offline extractive backend (the default)
    openai:<model>[?options]              OpenAI (OPENAI_API_KEY)
    azure:<deployment>[?options]          Azure OpenAI (AZURE_OPENAI_* environment)
    openai-compatible:<model>@<url>[?…]   any server speaking the OpenAI protocol
    replay:<dir>                          answers only from recordings in <dir>
    record:<dir>=<inner spec>             calls <inner spec> and records every answer in <dir>
    cache:<dir>=<inner spec>              like record, but answers from a recording when it exists
    oracle[:<golden dir>]                 the golden expected answers (the eval's ceiling)

Options follow a `?` as a query string (`?mode=json_object&timeout=30`); which options exist is
the backend's business, their syntax is checked here. A name that is not built in is a plugin's
(entry-point group ``casesummary.backends``): its text after ``name:`` is passed on as written.
The choice of spec has one rule, `resolve_spec`: the argument, else $CASESUMMARY_BACKEND, else
``baseline``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

from pydantic import BaseModel, ConfigDict, Field

from casesummary.exceptions import InvalidBackendSpec

ENV_VAR = "CASESUMMARY_BACKEND"
DEFAULT_SPEC = "baseline"
EXAMPLE_MODEL_SPEC = "openai:gpt-4o-mini"

Shape = Literal["bare", "model", "model@url", "dir", "optional-dir", "wrapper"]


@dataclass(frozen=True)
class Form:
    """How a built-in spec is written: its shape, and the form shown when one is malformed."""

    shape: Shape
    usage: str


#: The built-in backends' forms; backends/registry.py holds their factories.
BUILTIN_FORMS: dict[str, Form] = {
    "azure": Form("model", "azure:<deployment>"),
    "baseline": Form("bare", "baseline"),
    "cache": Form("wrapper", "cache:<dir>=<backend spec>"),
    "openai": Form("model", "openai:<model>, e.g. openai:gpt-4o-mini"),
    "openai-compatible": Form(
        "model@url",
        "openai-compatible:<model>@<base_url>, e.g. openai-compatible:llama@http://127.0.0.1:8080/v1",
    ),
    "oracle": Form("optional-dir", "oracle or oracle:<golden dir>"),
    "record": Form("wrapper", "record:<dir>=<backend spec>"),
    "replay": Form("dir", "replay:<dir>"),
}

_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")
_SECRET_QUERY = re.compile(r"(?i)([?&](?:api[-_]?key|key|token|access_token|sig)=)[^&\s]+")


class BackendSpec(BaseModel):
    """A parsed backend spec: `name`, `target` (model, directory…), `options`, a wrapped spec.

    `str(spec)` is the spec as written; `redacted()` the same without credentials.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    target: str = ""
    options: dict[str, str] = Field(default_factory=dict)
    inner: BackendSpec | None = None
    text: str

    @classmethod
    def parse(cls, text: str) -> BackendSpec:
        """Parse a spec string; InvalidBackendSpec says what is wrong and the expected form."""
        return parse_spec(text)

    @property
    def rest(self) -> str:
        """The text after ``name:``, as written: what an entry-point factory receives."""
        return self.text.partition(":")[2]

    @property
    def builtin(self) -> bool:
        return self.name in BUILTIN_FORMS

    def redacted(self) -> str:
        """The spec without credentials a URL may carry (user:password@, ?api_key=...)."""
        return redact(self.text)

    def __str__(self) -> str:
        return self.text


def redact(text: str) -> str:
    """`text` without the credentials a URL in it may carry."""
    return _SECRET_QUERY.sub(r"\1***", _USERINFO.sub("***@", text))


def parse_spec(text: str) -> BackendSpec:
    """`text` as a BackendSpec (see the module docstring for the forms)."""
    stripped = text.strip() if isinstance(text, str) else ""
    if not stripped:
        raise InvalidBackendSpec(str(text), f"empty backend spec; use one of {known_forms()}")
    head, _, rest = stripped.partition(":")
    name = head.strip().lower()
    form = BUILTIN_FORMS.get(name)
    if form is None:  # a plugin's spec, or an unknown name the registry reports
        return BackendSpec(name=name, target=rest.strip(), text=stripped)

    def bad(why: str) -> InvalidBackendSpec:
        return InvalidBackendSpec(stripped, f"{why}; expected {form.usage}")

    rest = rest.strip()
    if form.shape == "bare":
        if rest:
            raise bad(f"{name} takes no options")
        return BackendSpec(name=name, text=stripped)
    if form.shape == "wrapper":
        directory, eq, inner = rest.partition("=")
        if not eq or not directory.strip() or not inner.strip():
            raise bad("the directory or the inner backend spec is missing")
        return BackendSpec(
            name=name, target=directory.strip(), inner=parse_spec(inner), text=stripped
        )
    if form.shape in ("dir", "optional-dir"):
        if not rest and form.shape == "dir":
            raise bad("the recordings directory is missing")
        if rest and not Path(rest).is_dir():
            what = "recordings" if form.shape == "dir" else "golden"
            raise bad(f"the {what} directory {rest!r} does not exist")
        return BackendSpec(name=name, target=rest, text=stripped)
    target, _, query = rest.partition("?")
    target = target.strip()
    if not target:
        what = "deployment" if name == "azure" else "model"
        raise bad(f"the {what} name is missing")
    if form.shape == "model@url":
        model, at, base_url = target.partition("@")
        if not at or not model.strip():
            raise bad("the model name or '@<base_url>' is missing")
        url = urlsplit(base_url.strip())
        if url.scheme not in ("http", "https") or not url.netloc:
            raise bad(f"{base_url!r} is not an http:// or https:// URL")
    return BackendSpec(name=name, target=target, options=_options(stripped, query), text=stripped)


def _options(spec: str, query: str) -> dict[str, str]:
    """`mode=json_object&timeout=30` as a dict; each option once."""
    if not query:
        return {}
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InvalidBackendSpec(spec, f"cannot read options {query!r}") from None
    options: dict[str, str] = {}
    for key, value in pairs:
        if key in options:
            raise InvalidBackendSpec(spec, f"option {key!r} is given twice")
        options[key] = value
    return options


def resolve_spec(value: str | BackendSpec | None = None) -> tuple[BackendSpec, bool]:
    """The spec to use: `value`, else $CASESUMMARY_BACKEND, else baseline.

    The flag is True when it fell back to the baseline, so a CLI can say so (`FALLBACK_NOTICE`).
    """
    if isinstance(value, BackendSpec):
        return value, False
    if value is not None:  # given, even if empty: an empty spec is a mistake to report
        return parse_spec(value), False
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return parse_spec(env), False
    return parse_spec(DEFAULT_SPEC), True


FALLBACK_NOTICE = (
    "casesummary: no model chosen, using the offline extractive baseline; pick a model with "
    f"--backend or {ENV_VAR}, e.g. --backend {EXAMPLE_MODEL_SPEC}"
)


def known_forms() -> str:
    """The common forms, for messages."""
    return ", ".join(
        BUILTIN_FORMS[n].usage for n in ("baseline", "openai", "azure", "replay", "oracle")
    )
