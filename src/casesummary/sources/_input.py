"""What a source is before any format reads it: JSON, text, PDF bytes, parsed XML or HTML.

`decode(source)` reads a path, bytes or a string and sniffs the content (never the file name):
a PDF (`%PDF-` within the first KB) stays bytes, XML is parsed safely into an element tree
(`_xml.parse_xml`), HTML stays markup, `{`/`[` is JSON and anything else is text. So a format
module only ever sees the kind of input it can read: an XML or HTML document is never text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

from casesummary.exceptions import InvalidAgendaItem
from casesummary.portal.urls import is_url, redact
from casesummary.sources._xml import XmlInput, parse_xml, utf8_declared_single_byte

#: Larger markup or text than this is refused unread: no agenda page or export is near it, and
#: parsing such a file would need several times its size in memory.
MAX_MARKUP_BYTES = 32 * 1024 * 1024
#: PDFs are read lazily page by page, but must still fit in memory once.
MAX_PDF_BYTES = 512 * 1024 * 1024

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_PATH_SUFFIXES = (".json", ".txt", ".html", ".htm", ".text", ".xml", ".pdf")
_MAX_PATH = 4096
#: A one-line string ending like a file name ("meeting.jsn", "referat 2026.pdf") names a file.
_FILE_NAME = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")
_SNIFF = 4096
# The first tag of a document after any declaration, comments and doctype.
_FIRST_TAG = re.compile(rb"<([A-Za-z][A-Za-z0-9_.:\-]*)")
_PROLOG_JUNK = re.compile(rb"\s*(?:<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)", re.S)
_HTML_TAGS = frozenset(
    {
        *(b"html", b"head", b"body", b"div", b"span", b"p", b"table", b"ul", b"ol", b"li"),
        *(b"h1", b"h2", b"h3", b"h4", b"h5", b"h6", b"br", b"meta", b"title", b"section"),
        *(b"article", b"main", b"header", b"footer", b"nav", b"form", b"a", b"b", b"i"),
        *(b"strong", b"em", b"font", b"center", b"link", b"script", b"style", b"img"),
    }
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-:.]+)", re.I)


@dataclass(frozen=True, slots=True)
class PdfInput:
    """A PDF file's bytes, as read; `sources.pdf` extracts its text layer."""

    data: bytes


@dataclass(frozen=True, slots=True)
class HtmlInput:
    """An HTML document or fragment, decoded to text but never read as item text."""

    text: str

    def title(self) -> str | None:
        """The page's `<title>`, for messages about pages of unknown sites."""
        match = re.search(r"<title[^>]*>(.*?)</title>", self.text[:200_000], re.S | re.I)
        if not match:
            return None
        title = " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())
        return title[:120] or None


Decoded = dict[str, Any] | str | PdfInput | HtmlInput | XmlInput


def origin_name(source: object) -> str:
    """How a source is named in messages: its path, or the kind of value it was."""
    if isinstance(source, Path):
        return str(source)
    if isinstance(source, str) and is_url(source):
        return redact(source.strip())
    if isinstance(source, str) and looks_like_path(source):
        return source
    if isinstance(source, dict):
        return "<dict>"
    return "<bytes>" if isinstance(source, bytes | bytearray) else "<string>"


def decode(source: object, *, name: str | None = None) -> tuple[str, Decoded]:
    """(origin for messages, the decoded input); `name` names bytes in messages (stdin)."""
    if isinstance(source, dict):
        return "<dict>", source
    if isinstance(source, Path):
        return str(source), _from_bytes(_read(source), str(source))
    if isinstance(source, bytes | bytearray):
        origin = name or "<bytes>"
        return origin, _from_bytes(bytes(source), origin)
    if isinstance(source, str):
        if looks_like_path(source):
            return source, _from_bytes(_read(Path(source), source), source)
        return "<string>", _from_text(source, "<string>")
    raise InvalidAgendaItem(
        f"expected a path, text, bytes or a dict, got {type(source).__name__}", source="<input>"
    )


def looks_like_path(text: str) -> bool:
    """A one-line string that names a file rather than holding an item."""
    if not text or len(text) > _MAX_PATH or "\n" in text or "\x00" in text:
        return False
    stripped = text.strip()
    if not stripped or stripped[0] in "{[<%":
        return False
    if stripped.lower().endswith(_PATH_SUFFIXES) or _FILE_NAME.search(stripped):
        return True
    if not any(c.isspace() for c in stripped) and ("/" in stripped or "\\" in stripped):
        return True  # a path without a suffix ("exports/punkt"); item text has spaces
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def _read(path: Path, origin: str | None = None) -> bytes:
    """The file's bytes; a file too large for its kind is refused before it is read. Errors
    name the file as the caller wrote it (`origin`)."""
    named = origin if origin is not None else str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
            size = path.stat().st_size
            limit = MAX_PDF_BYTES if b"%PDF-" in head else MAX_MARKUP_BYTES
            if size > limit:
                raise InvalidAgendaItem(_too_large(size, limit, head), source=named)
            return head + handle.read()
    except FileNotFoundError as exc:
        raise InvalidAgendaItem("no such file", source=named) from exc
    except IsADirectoryError as exc:
        raise InvalidAgendaItem("is a directory, not a file", source=named) from exc
    except OSError as exc:
        raise InvalidAgendaItem(
            f"cannot read the file: {exc.strerror or exc}", source=named
        ) from exc


def _too_large(size: int, limit: int, head: bytes) -> str:
    kind = "a PDF" if b"%PDF-" in head else _kind_of(head)
    return (
        f"{kind} of {size / 1024 / 1024:.1f} MB is larger than the "
        f"{limit // 1024 // 1024} MB this library reads"
    )


def _kind_of(head: bytes) -> str:
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if body.startswith(b"<"):
        return "an HTML page" if _is_html(body) else "an XML document"
    return "a JSON document" if body[:1] in (b"{", b"[") else "a text file"


def _is_html(head: bytes) -> bool:
    """Whether markup is HTML (doctype html, or an HTML element first) rather than XML."""
    if re.match(rb"\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<!DOCTYPE\s+html", head, re.I | re.S):
        return True
    rest = head[:_SNIFF]
    for _ in range(16):
        junk = _PROLOG_JUNK.match(rest)
        if not junk:
            break
        rest = rest[junk.end() :]
    match = _FIRST_TAG.match(rest.lstrip())
    return match is not None and match.group(1).lower() in _HTML_TAGS


def _from_bytes(raw: bytes, origin: str) -> Decoded:
    if b"%PDF-" in raw[:1024]:
        if len(raw) > MAX_PDF_BYTES:
            raise InvalidAgendaItem(_too_large(len(raw), MAX_PDF_BYTES, raw[:1024]), source=origin)
        return PdfInput(raw)
    if len(raw) > MAX_MARKUP_BYTES:
        raise InvalidAgendaItem(_too_large(len(raw), MAX_MARKUP_BYTES, raw[:1024]), source=origin)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _from_text(raw.decode("utf-16"), origin)
        except UnicodeDecodeError as exc:
            raise InvalidAgendaItem("broken UTF-16 text", source=origin) from exc
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    start = body[:_SNIFF].lstrip()
    if start.startswith(b"<"):
        if _is_html(start):
            return HtmlInput(_decode_html(body, origin))
        return parse_xml(body, origin)
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


def _decode_html(raw: bytes, origin: str) -> str:
    """HTML bytes as text: in the charset the page declares, else UTF-8, else Windows-1252."""
    declared = _META_CHARSET.search(raw[: _SNIFF * 4])
    if declared:
        charset = declared.group(1).decode("ascii", "replace").lower()
        if utf8_declared_single_byte(raw, charset):
            raise InvalidAgendaItem(
                f"the HTML page declares charset {charset!r}, but its bytes are UTF-8 (read as "
                f"{charset}, 'æ' would become 'Ã¦'): a wrong encoding declaration",
                source=origin,
            )
        try:
            return raw.decode(charset)
        except LookupError:
            pass  # an unknown charset name: read it as undeclared
        except UnicodeDecodeError as exc:
            raise InvalidAgendaItem(
                f"the HTML page declares charset {charset!r}, but byte 0x{raw[exc.start]:02X} "
                f"at offset {exc.start} is not {charset} (a wrong encoding declaration)",
                source=origin,
            ) from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _from_text(text: str, origin: str) -> Decoded:
    text = text.removeprefix("\ufeff")
    stripped = text.strip()
    if not stripped:
        raise InvalidAgendaItem("empty input", source=origin)
    if stripped[0] == "<":
        raw = stripped[:_SNIFF].encode("utf-8", "surrogatepass")
        if _is_html(raw):
            return HtmlInput(text)
        # The text is already decoded: an encoding declaration in it no longer applies.
        body = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
        return parse_xml(body.encode("utf-8", "surrogatepass"), origin)
    if stripped.startswith("%PDF-"):
        raise InvalidAgendaItem(
            "a PDF given as a string: pass its path or its bytes instead", source=origin
        )
    sample = stripped[:_SNIFF]
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
