"""Versioned prompt templates: front matter, safe rendering, the data fence and the fingerprint.

A template is a Markdown file, ``prompts/<id>/v<N>.md``::

    ---
    id: summary
    version: 1.0.0
    description: what it is for
    schema: prompt_result          # name of the output schema sent to the backend
    max_input_tokens: 6000         # optional: default budget for the item text
    evidence: true                 # optional: ask for a verbatim quote behind each claim
    grounding: numbers             # optional: off | numbers | all (facts must be in the item)
    parameters: {temperature: 0.2, max_tokens: 1200, seed: 7}
    ---
    === system ===
    ...the system message...
    === user ===
    ...the user message...
    === reask ===                  # optional: sent after an invalid answer
    ...{errors}...

Rendering only replaces the placeholders below, in one pass, so text substituted in (the agenda
item above all) is never read as template syntax. Released versions are never edited: a change
is a new file with a new version. A version with a semver pre-release part (``2.0.0-rc.1``) is a
draft: it may still change, and it loads only when asked for by its full id, so adding one never
moves the default.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from casesummary._resources import prompts_dir, read_once
from casesummary._yaml import safe_load
from casesummary.danish import municipality_name
from casesummary.exceptions import InvalidPrompt
from casesummary.grounding import GroundingLevel
from casesummary.messages import Message

if TYPE_CHECKING:
    from casesummary.item import AgendaItem
    from casesummary.taxonomy import Taxonomy

DEFAULT_PROMPT = "summary"

#: Placeholders each part may use; anything else in braces is an error at load time.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "system": frozenset({"municipality", "committee", "taxonomy", "fence_open", "fence_close"}),
    "user": frozenset(
        {"municipality", "committee", "taxonomy", "item", "title", "fence_open", "fence_close"}
    ),
    "reask": frozenset({"errors"}),
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_PART_MARKER = re.compile(r"^=== (system|user|reask) ===[ \t]*$", re.MULTILINE)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
#: A release (1, 1.2, 1.2.3) or a semver pre-release, a draft (2.0.0-rc.1, 2.0.0-beta).
_VERSION = re.compile(r"^\d+(\.\d+){0,2}(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$")

DEFAULT_REASK = (
    "Dit svar overholdt ikke kravene:\n\n{errors}\n\n"
    "Svar igen med hele det rettede JSON-objekt og intet andet."
)


# --- the data fence -----------------------------------------------------------------------------


def _nonce(text: str, attempt: int) -> str:
    return hashlib.sha256(f"{attempt}\n{text}".encode()).hexdigest()[:8]


def fence_delimiters(text: str) -> tuple[str, str]:
    """Opening and closing lines for `text`: derived from its hash, never occurring inside it."""
    attempt = 0
    while True:
        nonce = _nonce(text, attempt)
        opening, closing = f"<<<DAGSORDEN-{nonce}>>>", f"<<<SLUT-{nonce}>>>"
        if opening not in text and closing not in text:
            return opening, closing
        attempt += 1


def fence(text: str) -> str:
    """`text` between an opening and a closing delimiter line, so a model can tell data apart."""
    opening, closing = fence_delimiters(text)
    return f"{opening}\n{text}\n{closing}"


# --- templates ----------------------------------------------------------------------------------


class _FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    version: str = Field(pattern=_VERSION.pattern)
    description: str = Field(min_length=1)
    schema_name: str = Field(default="prompt_result", alias="schema", pattern=r"^[a-zA-Z0-9_-]+$")
    max_input_tokens: int | None = Field(default=None, gt=0)
    evidence: bool = False
    grounding: GroundingLevel = "off"
    parameters: dict[str, Any] = Field(default_factory=dict)


class PromptTemplate(BaseModel):
    """One released version of a prompt: its front matter, its parts and its source text.

    `evidence`: the answer carries a verbatim quote from the item for each claim, checked against
    the item. `grounding`: how strictly the answer's numbers, dates and names are held to the
    item ("off", "numbers", "all"; casesummary/grounding.py).
    """

    model_config = ConfigDict(frozen=True)

    id: str
    version: str
    description: str
    schema_name: str = "prompt_result"
    max_input_tokens: int | None = None
    evidence: bool = False
    grounding: GroundingLevel = "off"
    parameters: dict[str, Any] = Field(default_factory=dict)
    path: Path
    text: str
    system: str
    user: str
    reask: str = DEFAULT_REASK

    @property
    def version_tuple(self) -> tuple[int, ...]:
        """The release numbers (major, minor, patch), without any pre-release part."""
        return _release(self.version)

    @property
    def is_draft(self) -> bool:
        """A semver pre-release (``2.0.0-rc.1``): loaded by its full id only, never the default."""
        return "-" in self.version

    @property
    def spec(self) -> str:
        """`id@version`, the form `load_prompt` accepts and provenance shows."""
        return f"{self.id}@{self.version}"

    def fingerprint(self, taxonomy: Taxonomy) -> str:
        """sha256 of the template text and the taxonomy: changes whenever the prompt would."""
        digest = hashlib.sha256(self.text.encode("utf-8"))
        digest.update(b"\0")
        digest.update(taxonomy.fingerprint.encode("ascii"))
        return digest.hexdigest()

    def render(
        self, item: AgendaItem, taxonomy: Taxonomy, *, max_input_tokens: int | None = None
    ) -> tuple[Message, ...]:
        """The system and user messages for `item`, the item text fenced as data."""
        budget = max_input_tokens if max_input_tokens is not None else self.max_input_tokens
        item_text = item.to_prompt_text(budget)
        opening, closing = fence_delimiters(item_text)
        values = {
            "municipality": municipality_name(item.municipality),
            "committee": item.committee or "udvalget",
            "taxonomy": taxonomy_text(taxonomy),
            "title": item.title,
            "item": f"{opening}\n{item_text}\n{closing}",
            "fence_open": opening,
            "fence_close": closing,
        }
        return (
            Message(role="system", content=substitute(self.system, values)),
            Message(role="user", content=substitute(self.user, values)),
        )

    def render_reask(self, errors: list[str]) -> str:
        """The user message that asks the model to fix its answer, listing only `errors`."""
        return substitute(self.reask, {"errors": "\n".join(f"- {e}" for e in errors)})


def taxonomy_text(taxonomy: Taxonomy) -> str:
    """The allowed keywords as a bullet list, with their descriptions."""
    return "\n".join(
        f"- {t.name}: {t.description}" if t.description else f"- {t.name}" for t in taxonomy.topics
    )


def substitute(template: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` placeholders in one pass; substituted text is never scanned again."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def parse_prompt(text: str, path: Path) -> PromptTemplate:
    """Parse a template file's text; any problem is an InvalidPrompt naming `path`."""
    import yaml

    match = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if match is None:
        raise InvalidPrompt("no front matter (a YAML block between '---' lines)", path=path)
    try:
        raw = safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise InvalidPrompt(
            f"front matter is not valid YAML: {' '.join(str(exc).split())}", path=path
        ) from None
    if not isinstance(raw, dict):
        raise InvalidPrompt("front matter must be a mapping", path=path)
    try:
        front = _FrontMatter.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "front matter"
        quoted = f'{where}: "{first["input"]}"'
        hint = f" (write it in quotes: {quoted})" if first["type"] == "string_type" else ""
        raise InvalidPrompt(
            f"front matter field {where!r}: {first['msg']}{hint}", path=path
        ) from None
    parts = _split_parts(text.replace("\r\n", "\n")[match.end() :], path)
    return PromptTemplate(
        id=front.id,
        version=front.version,
        description=front.description,
        schema_name=front.schema_name,
        max_input_tokens=front.max_input_tokens,
        evidence=front.evidence,
        grounding=front.grounding,
        parameters=front.parameters,
        path=path,
        text=text,
        system=parts["system"],
        user=parts["user"],
        reask=parts.get("reask", DEFAULT_REASK),
    )


def _split_parts(body: str, path: Path) -> dict[str, str]:
    markers = list(_PART_MARKER.finditer(body))
    if not markers or body[: markers[0].start()].strip():
        raise InvalidPrompt(
            "the body must start with '=== system ===' and hold an '=== user ===' part", path=path
        )
    parts: dict[str, str] = {}
    for marker, following in zip(markers, [*markers[1:], None], strict=True):
        name = marker.group(1)
        if name in parts:
            raise InvalidPrompt(f"the part '=== {name} ===' appears twice", path=path)
        end = following.start() if following is not None else len(body)
        parts[name] = body[marker.end() : end].strip("\n")
    for required in ("system", "user"):
        if not parts.get(required, "").strip():
            raise InvalidPrompt(f"the '=== {required} ===' part is missing or empty", path=path)
    if "{item}" not in parts["user"]:
        raise InvalidPrompt("the user part must contain the {item} placeholder", path=path)
    for name, part in parts.items():
        unknown = sorted(set(_PLACEHOLDER.findall(part)) - PLACEHOLDERS[name])
        if unknown:
            allowed = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS[name]))
            raise InvalidPrompt(
                f"unknown placeholder {{{unknown[0]}}} in the {name} part (allowed: {allowed})",
                path=path,
            )
    return parts


@read_once
def _read(path: Path) -> PromptTemplate:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidPrompt(f"cannot read prompt file ({exc.strerror})", path=path) from None
    except UnicodeDecodeError:
        raise InvalidPrompt("prompt file is not UTF-8 text", path=path) from None
    return parse_prompt(text, path)


def available_prompts(prompt_id: str, directory: Path | None = None) -> list[PromptTemplate]:
    """Every version of a prompt id, drafts included, oldest first (semver precedence)."""
    folder = (directory or prompts_dir()) / prompt_id
    templates = [_read(p) for p in sorted(folder.glob("v*.md"))]
    claimed: dict[tuple[object, ...], PromptTemplate] = {}
    for template in templates:
        if template.id != prompt_id:
            raise InvalidPrompt(
                f"front matter id {template.id!r} does not match its folder {prompt_id!r}",
                path=template.path,
            )
        key = version_key(template.version)
        other = claimed.setdefault(key, template)
        if other is not template:
            raise InvalidPrompt(
                f"two files of {prompt_id!r} claim version {template.version}: "
                f"{other.path.name} ({other.version}) and {template.path.name} "
                f"({template.version}); give one of them a new version",
                path=folder,
            )
    return sorted(templates, key=lambda t: version_key(t.version))


def version_key(version: str) -> tuple[object, ...]:
    """A sort key in semver precedence: 1 = 1.0 = 1.0.0 < 2.0.0-rc.1 < 2.0.0-rc.10 < 2.0.0."""
    release, _, pre = version.partition("-")
    numbers = (*_release(release), 0, 0)[:3]
    if not pre:
        return (*numbers, 1, ())
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (*numbers, 0, parts)


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.partition("-")[0].split("."))


def load_prompt(spec: str | Path | None = None) -> PromptTemplate:
    """Load a prompt: ``"summary"`` (the latest release), ``"summary@1.0.0"``, ``"summary@1"``
    (the latest 1.x release), a draft by its full id (``"summary@2.0.0-rc.1"``) or a .md path.

    A draft (a semver pre-release) is never chosen unless its whole version is asked for, so
    adding one changes nothing for callers of the default.
    """
    spec = DEFAULT_PROMPT if spec is None else spec
    if isinstance(spec, Path) or spec.endswith(".md") or "/" in spec or "\\" in spec:
        return _read(Path(spec))
    prompt_id, _, wanted = spec.partition("@")
    root = prompts_dir()
    templates = (
        available_prompts(prompt_id, root) if re.fullmatch(r"[a-z0-9_-]+", prompt_id) else []
    )
    if not templates:
        known = sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("v*.md")))
        raise InvalidPrompt(
            f"no prompt named {prompt_id!r} (known: {', '.join(known) or 'none'})",
            path=root / prompt_id,
        )
    releases = [t for t in templates if not t.is_draft]
    drafts = [t for t in templates if t.is_draft]
    if not wanted:
        if not releases:
            raise InvalidPrompt(
                f"{prompt_id!r} has only drafts ({_versions(drafts)}): load one by its full id, "
                f"e.g. {drafts[-1].spec}",
                path=root / prompt_id,
            )
        return releases[-1]
    if not _VERSION.fullmatch(wanted):
        raise InvalidPrompt(
            f"{wanted!r} is not a version like 1.0.0, 1 or 2.0.0-rc.1", path=root / prompt_id
        )
    if "-" in wanted:  # a draft: exactly that one
        matches = [t for t in drafts if version_key(t.version) == version_key(wanted)]
    else:
        prefix = _release(wanted)
        matches = [t for t in releases if t.version_tuple[: len(prefix)] == prefix]
    if not matches:
        listed = f"released: {_versions(releases) or 'none'}"
        if drafts:
            listed += f"; drafts: {_versions(drafts)}, loaded by their full id"
        raise InvalidPrompt(
            f"{prompt_id!r} has no version {wanted} ({listed})", path=root / prompt_id
        )
    return matches[-1]


def _versions(templates: list[PromptTemplate]) -> str:
    return ", ".join(t.version for t in templates)
