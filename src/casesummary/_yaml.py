"""Parse YAML safely with libyaml's C parser when PyYAML has it (about 10x faster)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from casesummary.exceptions import _PathError


def safe_load(text: str) -> Any:
    """`yaml.safe_load(text)` on `CSafeLoader` where available: same data, still `YAMLError`s."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_file(
    path: Path,
    error: type[_PathError],
    *,
    what: str | None = None,
    syntax: str = "YAML",
    missing: str | None = None,
) -> Any:
    """The data in a YAML file, or `error` naming the file when it cannot be read or parsed.

    `what` names the file in "cannot read …"; `missing`, when given, is the whole message for a
    file that does not exist.
    """
    import yaml

    try:
        return safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        if missing is not None and isinstance(exc, FileNotFoundError):
            raise error(missing, path=path) from None
        reading = f"cannot read {what}" if what else "cannot read"
        raise error(f"{reading} ({exc.strerror})", path=path) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        reason = " ".join(str(exc).split())
        raise error(f"not valid {syntax}: {reason}", path=path) from None
