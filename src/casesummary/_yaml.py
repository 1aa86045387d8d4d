"""Parse YAML safely with libyaml's C parser when PyYAML has it (about 10x faster)."""

from __future__ import annotations

from typing import Any


def safe_load(text: str) -> Any:
    """`yaml.safe_load(text)` on `CSafeLoader` where available: same data, still `YAMLError`s."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
