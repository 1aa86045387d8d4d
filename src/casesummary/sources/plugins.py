"""Source plugins: formats other packages add through the entry-point group `casesummary.sources`.

A package declares, in its pyproject.toml::

    [project.entry-points."casesummary.sources"]
    roskilde-xml = "roskilde_agenda:FORMAT"

where `FORMAT` (a module or any object) has `detect(data) -> bool` and
`parse(data, *, origin, municipality) -> list[AgendaItem]`. `data` is what `load_items`
decoded: a `dict` (JSON), `str` (text), `XmlInput` (`.root`: a safely parsed lxml element),
`HtmlInput` (`.text`) or `PdfInput` (`.data`). Plugins are asked after the built-in formats,
so they add formats and never take one over; `format="roskilde-xml"` forces one. Items should
carry `source_format=SourceFormat.PLUGIN`. Plugins are loaded once, on first need.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from casesummary.exceptions import InvalidAgendaItem
from casesummary.item import AgendaItem

if TYPE_CHECKING:
    from casesummary.sources import FormatModule

#: The entry-point group source plugins register in.
GROUP = "casesummary.sources"


@cache
def _load() -> tuple[tuple[str, Any, str | None], ...]:
    found: list[tuple[str, Any, str | None]] = []
    for entry in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        try:
            plugin = entry.load()
        except Exception as exc:  # a broken plugin is reported when it would be used
            found.append((entry.name, None, f"{entry.value}: {type(exc).__name__}: {exc}"))
            continue
        if not (
            callable(getattr(plugin, "detect", None)) and callable(getattr(plugin, "parse", None))
        ):
            found.append((entry.name, None, f"{entry.value} has no detect() and parse()"))
            continue
        found.append((entry.name, plugin, None))
    return tuple(found)


def source_plugins(origin: str) -> dict[str, FormatModule]:
    """The installed source plugins by name; a plugin that cannot load is an error here."""
    plugins: dict[str, FormatModule] = {}
    for name, plugin, problem in _load():
        if problem is not None:
            raise InvalidAgendaItem(
                f"source plugin {name!r} cannot be used ({problem})", source=origin
            )
        plugins[name] = plugin
    return plugins


def check_items(items: object, plugin: str, origin: str) -> None:
    """A plugin must return a list of AgendaItem; anything else is its error, named."""
    if not isinstance(items, list) or not all(isinstance(i, AgendaItem) for i in items):
        raise InvalidAgendaItem(
            f"source plugin {plugin!r} returned {type(items).__name__}, not a list of AgendaItem",
            source=origin,
        )


def reload() -> None:
    """Forget the loaded plugins (for tests that install one)."""
    _load.cache_clear()


__all__ = ["GROUP", "check_items", "reload", "source_plugins"]
