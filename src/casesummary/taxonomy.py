"""The keyword taxonomy (Emneord): a data file shipped with the prompts, replaceable by callers."""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from casesummary._resources import prompts_dir, read_once
from casesummary._yaml import load_file
from casesummary.exceptions import InvalidTaxonomy, first_error


class Topic(BaseModel):
    """One keyword a result may carry, with words that suggest it (for offline matching)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    description: str = ""
    cues: tuple[str, ...] = ()


class Taxonomy(BaseModel):
    """A named, versioned list of topics; results may only use these names."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = "default"
    version: str = "1"
    topics: tuple[Topic, ...] = Field(min_length=1)

    @field_validator("topics")
    @classmethod
    def _unique(cls, topics: tuple[Topic, ...]) -> tuple[Topic, ...]:
        seen: set[str] = set()
        for topic in topics:
            key = topic.name.casefold()
            if key in seen:
                raise ValueError(f"topic {topic.name!r} is listed twice")
            seen.add(key)
        return topics

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.topics)

    @cached_property
    def fingerprint(self) -> str:
        """sha256 of the taxonomy's content: part of every prompt fingerprint (once per object)."""
        data = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


def default_taxonomy_path() -> Path:
    return prompts_dir() / "taxonomy.yaml"


def load_taxonomy(source: str | Path | Taxonomy | None = None) -> Taxonomy:
    """Load a taxonomy from a YAML/JSON file (default: the one shipped with the prompts)."""
    if isinstance(source, Taxonomy):
        return source
    return _read(Path(source) if source is not None else default_taxonomy_path())


@read_once
def _read(path: Path) -> Taxonomy:
    raw = load_file(path, InvalidTaxonomy, what="taxonomy file", syntax="YAML/JSON")
    if isinstance(raw, dict) and isinstance(raw.get("topics"), list):
        raw = {
            **raw,
            "topics": [{"name": t} if isinstance(t, str) else t for t in raw["topics"]],
        }
    if not isinstance(raw, dict):
        raise InvalidTaxonomy("expected a mapping with a 'topics' list", path=path)
    try:
        return Taxonomy.model_validate(raw)
    except ValidationError as exc:
        raise InvalidTaxonomy(first_error(exc), path=path) from None
