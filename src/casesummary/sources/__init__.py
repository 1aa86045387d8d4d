"""Load agenda items from any supported source; the format is detected from the content.

    >>> items = load_items("meeting.json")            # a whole meeting: one item per punkt
    >>> item = load_item(Path("punkt.json"))          # exactly one item
    >>> items = load_items("referat.pdf")             # FirstAgenda's minutes PDF
    >>> items = load_items(export, format="sbsys-xml")  # force a format

A source is a `Path`, a path string, JSON, XML, HTML or plain text as `str`, `bytes`, or an
already-decoded `dict`. `_input.decode` sniffs the content first (never the file name): a PDF
stays bytes (`PdfInput`), XML is parsed safely (`XmlInput`), HTML stays markup (`HtmlInput`),
JSON becomes a dict and anything else is text. Each format lives in one module exposing
`detect(data) -> bool` and `parse(data, *, origin, municipality) -> list[AgendaItem]`;
`FORMATS` lists them in the order they are tried, and `NAMES` in each module says which
`--format` names it answers to. Third-party formats plug in through the entry-point group
`casesummary.sources` (see `plugins.py`). Bad input of any kind raises `InvalidAgendaItem`
naming the source; input of no supported format says what it looks like.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from casesummary.exceptions import InvalidAgendaItem
from casesummary.portal.addresses import load_address
from casesummary.portal.urls import is_url
from casesummary.sources._input import (
    Decoded,
    HtmlInput,
    PdfInput,
    decode,
    origin_name,
)
from casesummary.sources._nearmiss import html_message, json_message, xml_message
from casesummary.sources._supported import SUPPORTED
from casesummary.sources._xml import XmlInput
from casesummary.sources.plugins import check_items, source_plugins

if TYPE_CHECKING:
    from casesummary.item import AgendaItem

#: The format modules, tried in this order.
FORMATS: tuple[str, ...] = (
    "casesummary.sources.firstagenda",
    "casesummary.sources.pdf",
    "casesummary.sources.portal_page",
    "casesummary.sources.sbsys",
    "casesummary.sources.edoc",
    "casesummary.sources.acadre",
    "casesummary.sources.minutes",
    "casesummary.sources.itemtext",
)

Source = Path | str | bytes | dict[str, Any]


class FormatModule(Protocol):
    """What a format module (or a plugin's format object) provides."""

    def detect(self, data: Any) -> bool: ...

    def parse(
        self, data: Any, *, origin: str | None, municipality: str | None
    ) -> list[AgendaItem]: ...


@dataclass(frozen=True)
class Parsed:
    """The items a source holds and the name of the format that read them."""

    format: str
    items: list[AgendaItem]


def load_items(
    source: Source, *, municipality: str | None = None, format: str | None = None
) -> list[AgendaItem]:
    """Every agenda item in a source (one for an item, one per punkt for a meeting).

    `municipality` overrides what the source says or what is guessed from its text; `format`
    (a name from `format_names()`) skips detection. Closed and empty items load with
    `is_open`/no sections: they are not an error here. A portal address
    (`https://HOST/vis?id=MEETING[&punktid=ITEM]`) is fetched first.
    """
    return parse_source(source, municipality=municipality, format=format).items


def parse_source(
    source: Source,
    *,
    municipality: str | None = None,
    format: str | None = None,
    name: str | None = None,
) -> Parsed:
    """Like `load_items`, and says which format read the source; `name` is what messages call
    a source given as bytes (the CLI's "<stdin>")."""
    data: Decoded
    if isinstance(source, str) and is_url(source):
        origin, data = load_address(source)
    else:
        origin, data = decode(source, name=name)
    if format is not None:
        name, module = _forced(format, origin)
        return Parsed(name, _run(module, name, data, origin, municipality))
    for module_name in FORMATS:
        module = cast(FormatModule, import_module(module_name))
        if _detect(module, data, origin):
            return Parsed(
                _detected_name(module, data), _run(module, None, data, origin, municipality)
            )
    for name, plugin in source_plugins(origin).items():
        if _detect(plugin, data, origin, plugin=name):
            return Parsed(name, _run(plugin, name, data, origin, municipality))
    raise _unrecognised(data, origin)


def load_item(
    source: Source,
    *,
    municipality: str | None = None,
    number: str | None = None,
    format: str | None = None,
) -> AgendaItem:
    """Exactly one agenda item; `number` picks one punkt out of a meeting."""
    items = load_items(source, municipality=municipality, format=format)
    origin = origin_name(source)
    if number is not None:
        items = [item for item in items if item.number == str(number)]
        if not items:
            raise InvalidAgendaItem(f"no agenda item numbered {number!r}", source=origin)
    if len(items) != 1:
        raise InvalidAgendaItem(
            f"expected exactly one agenda item, found {len(items)} "
            "(use load_items() for a meeting, or pass number=…)",
            source=origin,
        )
    return items[0]


def format_names() -> list[str]:
    """Every name `format=` (and `casesummary parse --format`) accepts, plugins included."""
    names = [n for m in FORMATS for n in cast(Any, import_module(m)).NAMES]
    return names + sorted(source_plugins("<plugins>"))


# --- running a format ----------------------------------------------------------------------


def _detect(module: FormatModule, data: Decoded, origin: str, *, plugin: str | None = None) -> bool:
    if plugin is None:
        return bool(module.detect(data))
    try:
        return bool(module.detect(data))
    except Exception as exc:  # a plugin's bug must not read as the input's fault, nor crash
        raise InvalidAgendaItem(
            f"source plugin {plugin!r} failed while detecting ({type(exc).__name__}: {exc})",
            source=origin,
        ) from exc


def _detected_name(module: Any, data: Decoded) -> str:
    namer = getattr(module, "detected_name", None)
    return str(namer(data)) if namer is not None else str(module.NAMES[0])


def _forced(name: str, origin: str) -> tuple[str, FormatModule]:
    for module_name in FORMATS:
        module = import_module(module_name)
        if name in cast(Any, module).NAMES:
            return name, cast(FormatModule, module)
    plugins = source_plugins(origin)
    if name in plugins:
        return name, plugins[name]
    raise InvalidAgendaItem(
        f"unknown format {name!r} (supported: {', '.join(format_names())})", source=origin
    )


def _run(
    module: FormatModule,
    plugin: str | None,
    data: Decoded,
    origin: str,
    municipality: str | None,
) -> list[AgendaItem]:
    try:
        items = module.parse(data, origin=origin, municipality=municipality)
    except RecursionError as exc:
        raise InvalidAgendaItem("the input is nested too deeply", source=origin) from exc
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
        # A parser bug must still reach the caller as a typed error, never as a KeyError.
        who = f"source plugin {plugin!r}" if plugin else "internal parser"
        message = f"{who} error on this input ({type(exc).__name__}: {exc})"
        raise InvalidAgendaItem(message, source=origin) from exc
    if plugin is not None:
        check_items(items, plugin, origin)
    return items


# --- what an unsupported input looks like -------------------------------------------------


def _unrecognised(data: Decoded, origin: str) -> InvalidAgendaItem:
    if isinstance(data, dict):
        return InvalidAgendaItem(json_message(data), source=origin, field="<root>")
    if isinstance(data, XmlInput):
        return InvalidAgendaItem(xml_message(data), source=origin)
    if isinstance(data, HtmlInput):
        return InvalidAgendaItem(html_message(data), source=origin)
    if isinstance(data, PdfInput):
        return InvalidAgendaItem(
            f"a PDF that is not a FirstAgenda agenda or minutes. Supported: {SUPPORTED}",
            source=origin,
        )
    return InvalidAgendaItem(
        "no recognisable agenda item: expected 'Punkt N: <title>' lines (minutes) or an "
        "item's own headings (Beslutningstema, Indstilling, Sagsfremstilling, …). "
        f"Supported: {SUPPORTED}",
        source=origin,
        line=1,
    )


__all__ = [
    "FORMATS",
    "FormatModule",
    "HtmlInput",
    "Parsed",
    "PdfInput",
    "Source",
    "XmlInput",
    "format_names",
    "load_item",
    "load_items",
    "parse_source",
]
