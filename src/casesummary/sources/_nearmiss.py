"""What an input of no supported format looks like, in words, for its error message.

Near misses get named: a publishing manifest that only points at the agenda file, the HTML an
ESDH system renders beside its XML, a feed, a portal's list of meetings. Anything else is
described by what it is made of (the XML's root and first elements, the page's title). Every
message ends with the supported formats, so nothing of another kind is read as an agenda.
"""

from __future__ import annotations

import re
from typing import Any

from casesummary.sources._input import HtmlInput
from casesummary.sources._supported import SUPPORTED
from casesummary.sources._xml import XmlInput, child, local_name, text

_ATOM = "http://www.w3.org/2005/Atom"
#: Root elements the supported XML formats have, and what each also needs under it.
_ROOTS = {
    "Publication": "SBSYS's <Publication> with <Agendas>",
    "Dagsorden": "SBSYS's <Dagsorden> with <Dagsordenpunkter>",
    "Meeting": "eDoc's <Meeting> with <MeetingAgendaTypes>",
    "Root": "Fujitsu eDoc's <Root> with <Committee><Meeting>",
    "root": 'Acadre\'s <root> with <table name="agenda">',
}
_SCAN = 200_000
_XSLT_CLASS = re.compile(r"class=[\"']xslt(?:AgendaTitle|Title|ItemsHeader)[\"']")
_FIRSTAGENDA_CLASSES = ("overskrift", "sagsnummer", "bilag-link", "dagsordeninfo", "punkt-tabel")


def xml_message(data: XmlInput) -> str:
    """Why an XML document is no agenda export, naming what it seems to be."""
    root, name = data.root, data.root_name
    if name == "Root" and child(root, "Notification") is not None:
        target = text(root, "Notification", "PathToXml")
        where = f" ({target})" if target else ""
        return (
            "an eDoc (Fujitsu) publishing manifest: it only names the agenda's XML file"
            f"{where}; load that file. Supported: {SUPPORTED}"
        )
    if name == "rss" or (name == "feed" and data.namespace == _ATOM) or name == "RDF":
        kind = "an Atom feed" if name == "feed" else "an RSS feed"
        return (
            f"{kind} (root element <{name}>), not an agenda export: a feed lists links, "
            f"load the agenda or meeting it links to. Supported: {SUPPORTED}"
        )
    namespace = f" in namespace {data.namespace}" if data.namespace else ""
    found = _child_names(root)
    contains = f" (it holds {found})" if found else " (it is empty)"
    if name in _ROOTS:
        return (
            f"XML with root element <{name}>{namespace} like {_ROOTS[name]}, but without "
            f"the rest of that export{contains}: another system's XML, or a part of an "
            f"export. Supported: {SUPPORTED}"
        )
    return (
        f"XML with root element <{name}>{namespace}{contains}, which no supported format has "
        "(SBSYS: <Publication> or <Dagsorden>; eDoc: <Meeting> or Fujitsu's <Root>; "
        f'Acadre: <root> with <table name="agenda">). Supported: {SUPPORTED}'
    )


def _child_names(root: Any, limit: int = 6) -> str:
    names: list[str] = []
    for element in root:
        name = local_name(element)
        if name and name not in names:
            names.append(name)
        if len(names) == limit:
            break
    return ", ".join(f"<{n}>" for n in names)


def html_message(data: HtmlInput) -> str:
    """Why an HTML page is no FirstAgenda portal page, naming what it seems to be."""
    head = data.text[:_SCAN]
    title = data.title()
    named = f" (title {title!r})" if title else ""
    if _XSLT_CLASS.search(head):
        return (
            f"eDoc's HTML rendering of an agenda{named}: its items are laid out for print, "
            "not marked up; read the eDoc XML export it was made from (the .xml file of the "
            f"same name). Supported: {SUPPORTED}"
        )
    shared = [name for name in _FIRSTAGENDA_CLASSES if _has_class(head, name)]
    if shared:
        return (
            f"an HTML page of an unknown site{named} with some of the class names FirstAgenda's "
            f"pages use ({', '.join(shared)}) but none of its agenda rows (tr.punktrow): not a "
            f"FirstAgenda portal page. Supported: {SUPPORTED}"
        )
    return (
        f"an HTML page of an unknown site{named}: not a FirstAgenda portal page "
        f"(no 'punktrow' agenda rows). Supported: {SUPPORTED}"
    )


def _has_class(html: str, name: str) -> bool:
    return re.search(rf"class=[\"'][^\"']*\b{re.escape(name)}\b", html) is not None


def json_message(data: dict[str, Any]) -> str:
    """Why a JSON object is neither a portal item nor a meeting, naming what it seems to be."""
    committees = data.get("Udvalg")
    if isinstance(committees, dict) and any(
        isinstance(group, list) and any(isinstance(c, dict) and "Moeder" in c for c in group)
        for group in committees.values()
    ):
        return (
            "a FirstAgenda portal's committee list (udvalgsliste): it lists meetings, not "
            "their items; fetch the meetings (casesummary fetch) or load one meeting's JSON "
            f"(api/agenda/dagsorden/<id>). Supported: {SUPPORTED}"
        )
    if "Dagsordner" in data and ("AntalResultater" in data or "MoreToBeSearched" in data):
        count = data.get("AntalResultater")
        found = f" ({count} meetings)" if isinstance(count, int) else ""
        return (
            f"a FirstAgenda portal's search results{found}: a list of meetings, not their "
            f"items; load one meeting's JSON (api/agenda/dagsorden/<id>). Supported: {SUPPORTED}"
        )
    keys = ", ".join(sorted(str(k) for k in list(data)[:8])) or "none"
    return (
        "a JSON object that is neither an agenda item nor a meeting "
        f"(expected 'Navn'/'Caption' or 'Dagsordenpunkter'; found keys: {keys}). "
        f"Supported: {SUPPORTED}"
    )


__all__ = ["html_message", "json_message", "xml_message"]
