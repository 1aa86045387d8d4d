"""Load agenda items from any supported source; the format is detected, never declared.

    >>> items = load_items("meeting.json")            # a whole meeting: one item per punkt
    >>> item = load_item(Path("punkt.json"))          # exactly one item
    >>> item = load_item(text, municipality="Odense")

A source is a `Path`, a path string, JSON or plain text as `str`, `bytes`, or an already-decoded
`dict`. Each format lives in one module exposing `detect(data) -> bool` and
`parse(data, *, origin, municipality) -> list[AgendaItem]`, where `data` is the decoded JSON
value or the text; `FORMATS` lists them in the order they are tried. A new format is one new
module plus one line there. Bad input of any kind raises `InvalidAgendaItem` naming the
source and the field or line.
"""

from __future__ import annotations

import json
import re
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from casesummary.exceptions import InvalidAgendaItem

if TYPE_CHECKING:
    from casesummary.item import AgendaItem

#: The format modules, tried in this order.
FORMATS: tuple[str, ...] = (
    "casesummary.sources.firstagenda",
    "casesummary.sources.minutes",
    "casesummary.sources.itemtext",
)

Source = Path | str | bytes | dict[str, Any]

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_PATH_SUFFIXES = (".json", ".txt", ".html", ".htm", ".text")
_MAX_PATH = 4096
#: A one-line string ending like a file name ("meeting.jsn", "referat 2026.pdf") names a file.
_FILE_NAME = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")
#: "https://…": named as given in messages (a Path would fold "//" into "/").
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class FormatModule(Protocol):
    """What a format module provides."""

    def detect(self, data: object) -> bool: ...

    def parse(
        self, data: object, *, origin: str | None, municipality: str | None
    ) -> list[AgendaItem]: ...


def load_items(source: Source, *, municipality: str | None = None) -> list[AgendaItem]:
    """Every agenda item in a source (one for an item, one per punkt for a meeting).

    `municipality` overrides what the source says or what is guessed from its text.
    Closed and empty items load with `is_open`/no sections: they are not an error here.
    """
    origin, data = _decode(source)
    try:
        for name in FORMATS:
            module = cast(FormatModule, import_module(name))
            if module.detect(data):
                return module.parse(data, origin=origin, municipality=municipality)
    except RecursionError as exc:
        raise InvalidAgendaItem("the input is nested too deeply", source=origin) from exc
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
        # A parser bug must still reach the caller as a typed error, never as a KeyError.
        message = f"internal parser error on this input ({type(exc).__name__}: {exc})"
        raise InvalidAgendaItem(message, source=origin) from exc
    raise _unrecognised(data, origin)


def load_item(
    source: Source, *, municipality: str | None = None, number: str | None = None
) -> AgendaItem:
    """Exactly one agenda item; `number` picks one punkt out of a meeting."""
    items = load_items(source, municipality=municipality)
    origin = _origin_name(source)
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


# --- decoding a source -----------------------------------------------------------------------


def _origin_name(source: object) -> str:
    if isinstance(source, Path):
        return str(source)
    if isinstance(source, str) and _looks_like_path(source):
        return source
    if isinstance(source, dict):
        return "<dict>"
    return "<bytes>" if isinstance(source, bytes | bytearray) else "<string>"


def _decode(source: object) -> tuple[str, object]:
    """(origin for messages, decoded JSON value or text)."""
    if isinstance(source, dict):
        return "<dict>", source
    if isinstance(source, Path):
        return str(source), _from_bytes(_read(source, str(source)), str(source))
    if isinstance(source, bytes | bytearray):
        return "<bytes>", _from_bytes(bytes(source), "<bytes>")
    if isinstance(source, str):
        if _looks_like_path(source):
            return source, _from_bytes(_read(Path(source), source), source)
        return "<string>", _from_text(source, "<string>")
    raise InvalidAgendaItem(
        f"expected a path, text, bytes or a dict, got {type(source).__name__}", source="<input>"
    )


def _looks_like_path(text: str) -> bool:
    """A one-line string that names a file rather than holding an item."""
    if not text or len(text) > _MAX_PATH or "\n" in text or "\x00" in text:
        return False
    stripped = text.strip()
    if not stripped or stripped[0] in "{[<":
        return False
    if stripped.lower().endswith(_PATH_SUFFIXES) or _FILE_NAME.search(stripped):
        return True
    if not any(c.isspace() for c in stripped) and ("/" in stripped or "\\" in stripped):
        return True  # a path without a suffix ("exports/punkt"); item text has spaces
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def _read(path: Path, origin: str) -> bytes:
    """The file's bytes; errors name it as the caller wrote it (`origin`)."""
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        if _URL.match(origin):
            raise InvalidAgendaItem(
                "no such file (a URL is not read: download it and pass the file)", source=origin
            ) from exc
        raise InvalidAgendaItem("no such file", source=origin) from exc
    except IsADirectoryError as exc:
        raise InvalidAgendaItem("is a directory, not a file", source=origin) from exc
    except OSError as exc:
        raise InvalidAgendaItem(
            f"cannot read the file: {exc.strerror or exc}", source=origin
        ) from exc


def _from_bytes(raw: bytes, origin: str) -> object:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _from_text(raw.decode("utf-16"), origin)
        except UnicodeDecodeError as exc:
            raise InvalidAgendaItem("broken UTF-16 text", source=origin) from exc
    if b"\x00" in raw:
        raise InvalidAgendaItem("binary data, not text", source=origin)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        # Older Danish exports are Windows-1252; anything else is not text we can read.
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise InvalidAgendaItem(
                f"not UTF-8 text (bad byte at offset {utf8_error.start})", source=origin
            ) from utf8_error
    return _from_text(text, origin)


def _from_text(text: str, origin: str) -> object:
    text = text.removeprefix("\ufeff")
    stripped = text.strip()
    if not stripped:
        raise InvalidAgendaItem("empty input", source=origin)
    sample = stripped[:4096]
    controls = len(_CONTROL.findall(sample))
    if controls > len(sample) // 100:
        raise InvalidAgendaItem("binary data, not text", source=origin)
    if stripped[0] not in "{[" and not origin.lower().endswith(".json"):
        return text
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidAgendaItem(
            f"not valid JSON: {exc.msg} (column {exc.colno})", source=origin, line=exc.lineno
        ) from exc
    except RecursionError as exc:
        raise InvalidAgendaItem("the JSON is nested too deeply", source=origin) from exc
    if not isinstance(value, dict):
        raise InvalidAgendaItem(
            f"expected a JSON object (an item or a meeting), got a JSON {_json_kind(value)}",
            source=origin,
            line=1,
        )
    return value


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return "number" if not isinstance(value, bool) else "boolean"


def _unrecognised(data: object, origin: str) -> InvalidAgendaItem:
    if isinstance(data, dict):
        keys = ", ".join(sorted(str(k) for k in list(data)[:8])) or "none"
        return InvalidAgendaItem(
            "a JSON object that is neither an agenda item nor a meeting "
            f"(expected 'Navn'/'Caption' or 'Dagsordenpunkter'; found keys: {keys})",
            source=origin,
            field="<root>",
        )
    return InvalidAgendaItem(
        "no recognisable agenda item: expected 'Punkt N: <title>' lines (minutes) or an "
        "item's own headings (Beslutningstema, Indstilling, Sagsfremstilling, …)",
        source=origin,
        line=1,
    )


__all__ = ["FORMATS", "FormatModule", "Source", "load_item", "load_items"]
