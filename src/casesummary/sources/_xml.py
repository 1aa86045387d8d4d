"""Safe XML parsing (lxml) and the few element helpers the ESDH export formats share.

Safety: a document whose DTD declares entities is refused before parsing (that is how billion
laughs and external-entity attacks are written), and the parser itself resolves no entities,
loads no DTD, reaches no network and keeps libxml2's limits on depth and text size. Character
references to characters XML 1.0 forbids (`&#xC;`, which eDoc exports contain) become spaces,
as the OS2 importers do. A declared encoding the bytes do not follow is an error, not a guess
(UTF-8 declared as ISO-8859-1 or Windows-1252 included, which would otherwise read as 'Ã¦').
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from casesummary.exceptions import InvalidAgendaItem
from casesummary.sources._text import clean_line

if TYPE_CHECKING:
    from lxml import etree

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)
_ENTITY = re.compile(rb"<!ENTITY", re.I)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_BAD_CHAR_REF = re.compile(
    rb"&#(?:x0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));"
)
_DECLARED = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_.:\-]+)[\"']")

_parser: Any = None


@dataclass(frozen=True, slots=True)
class XmlInput:
    """A well-formed XML document, parsed with entity expansion and network access off."""

    root: Any  # lxml.etree._Element: lxml is imported lazily, so it is not named here

    @property
    def root_name(self) -> str:
        """The root element's local name, without a namespace."""
        return local_name(self.root)

    @property
    def namespace(self) -> str | None:
        tag = self.root.tag
        return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else None


def _safe_parser() -> Any:
    global _parser
    if _parser is None:
        from lxml import etree

        _parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
            strip_cdata=True,
            recover=False,
        )
    return _parser


def parse_xml(raw: bytes, origin: str) -> XmlInput:
    """An XML document's root element, or an InvalidAgendaItem saying what is wrong."""
    from lxml import etree

    first = _FIRST_ELEMENT.search(raw)
    prolog = raw[: first.start()] if first else raw
    if _DOCTYPE.search(prolog) and _ENTITY.search(raw, 0, _doctype_end(raw, prolog)):
        raise InvalidAgendaItem(
            "XML whose DTD declares entities: refused, since entity expansion is how XML bombs "
            "and external-entity reads work (agenda exports declare none)",
            source=origin,
        )
    declared = _DECLARED.match(raw)
    if declared and utf8_declared_single_byte(raw, declared.group(1).decode("ascii")):
        name = declared.group(1).decode("ascii")
        raise InvalidAgendaItem(
            f"the XML declares encoding {name}, but its bytes are UTF-8 (read as {name}, "
            "'æ' would become 'Ã¦'): a wrong encoding declaration",
            source=origin,
        )
    body = _BAD_CHAR_REF.sub(b" ", raw)
    try:
        root = etree.fromstring(body, _safe_parser())
    except etree.XMLSyntaxError as exc:
        raise InvalidAgendaItem(_syntax_message(exc, raw), source=origin, line=exc.lineno) from exc
    except ValueError as exc:  # e.g. an unknown encoding name
        raise InvalidAgendaItem(f"not readable XML: {exc}", source=origin) from exc
    if root is None:
        raise InvalidAgendaItem("an empty XML document", source=origin)
    return XmlInput(root)


# One-byte encodings that read any byte: UTF-8 declared as one of them turns into 'Ã¦'.
_SINGLE_BYTE = re.compile(r"^(?:iso[-_]?8859[-_]?\d+|latin[-_]?\d|(?:windows|cp)[-_]?125\d)$", re.I)
# A multi-byte UTF-8 sequence ("æ" is C3 A6): Danish text in Windows-1252 never forms one.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def utf8_declared_single_byte(raw: bytes, declared: str) -> bool:
    """Whether bytes declared as a one-byte encoding (ISO-8859-1, Windows-1252) are UTF-8."""
    if not _SINGLE_BYTE.match(declared.strip()) or _UTF8_SEQUENCE.search(raw) is None:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _doctype_end(raw: bytes, prolog: bytes) -> int:
    """Where the internal DTD subset ends (the doctype may hold '<' of its own)."""
    start = _DOCTYPE.search(raw)
    if start is None:
        return len(prolog)
    close = raw.find(b"]>", start.end())
    return max(len(prolog), close + 2 if close != -1 else len(raw))


def _syntax_message(exc: Any, raw: bytes) -> str:
    message = str(exc.msg or exc).split("\n", 1)[0].strip()
    if "not proper UTF-8" in message or "encoding" in message.lower():
        declared = _DECLARED.match(raw)
        name = declared.group(1).decode("ascii") if declared else "UTF-8 (none declared)"
        bad = _first_bad_utf8(raw)
        where = f": byte 0x{raw[bad]:02X} at offset {bad}" if bad is not None else ""
        return (
            f"the XML declares encoding {name}, but its bytes are not {name}{where} "
            "(a wrong encoding declaration)"
        )
    if "Excessive depth" in message:
        return "the XML is nested too deeply"
    return f"not well-formed XML: {message}"


def _first_bad_utf8(raw: bytes) -> int | None:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return int(exc.start)
    return None


# --- element helpers -----------------------------------------------------------------------


def local_name(element: Any) -> str:
    """An element's tag without its namespace ("{http://…}Committee" -> "Committee")."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def children(element: Any, name: str) -> Iterator[etree._Element]:
    """Direct children with a local name, in any namespace (or none)."""
    if element is None:
        return iter(())
    return element.iterchildren("{*}" + name)  # type: ignore[no-any-return]


def child(element: Any, *names: str) -> Any:
    """The first direct child with any of the local names, or None."""
    if element is None:
        return None
    for name in names:
        found = next(element.iterchildren("{*}" + name), None)
        if found is not None:
            return found
    return None


def descend(element: Any, *path: str) -> Any:
    """The element at a path of local names ("Meeting", "When"), or None."""
    for name in path:
        if element is None:
            return None
        element = child(element, name)
    return element


def raw_text(element: Any) -> str:
    """All text inside an element, as given (CDATA is plain text here)."""
    if element is None:
        return ""
    if len(element) == 0:
        return element.text or ""
    return "".join(element.itertext())


def text(element: Any, *path: str) -> str | None:
    """The one-line text at a path of local names, or None when missing or blank."""
    found = descend(element, *path) if path else element
    if found is None:
        return None
    return clean_line(raw_text(found)) or None


def attribute(element: Any, *names: str) -> str | None:
    """The first non-blank attribute of the names (case-insensitive), cleaned."""
    if element is None:
        return None
    folded = {name.casefold() for name in names}
    for key, value in element.attrib.items():
        local = str(key).rsplit("}", 1)[-1].casefold()
        if local in folded and str(value).strip():
            return clean_line(str(value))
    return None


def flag(value: str | None) -> bool | None:
    """'true'/'false', '1'/'0', 'Åben'/'Lukket', 'Offentlig'/'Fortrolig' as a boolean; None when
    absent or unknown."""
    if value is None:
        return None
    folded = " ".join(value.split()).casefold()
    if folded in _OPEN:
        return True
    if folded in _CLOSED:
        return False
    return None


_OPEN = frozenset(
    {"true", "1", "ja", "yes", "åben", "åbent", "aaben", "offentlig", "offentlig publicering"}
)
# eDoc says "Fortrolig publicering" for a closed item; Acadre "Personsag" for personal data.
_CLOSED = frozenset(
    {
        *("false", "0", "nej", "no", "lukket", "lukket punkt", "lukket dagsorden"),
        *("fortrolig", "fortrolig publicering", "ikke offentlig", "personsag"),
    }
)
