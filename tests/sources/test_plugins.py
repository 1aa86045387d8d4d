"""Source plugins: a small package installed in tmp_path adds a format through entry points."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from casesummary import InvalidAgendaItem, load_items
from casesummary.item import SourceFormat
from casesummary.sources import format_names, parse_source, plugins

PLUGIN = '''
"""Roskilde's own agenda XML: <Møderække><Punkt nr=".."><Titel/><Tekst/></Punkt></Møderække>."""
from casesummary import AgendaItem, Section, SectionKind, SourceFormat
from casesummary.sources import XmlInput


class Format:
    def detect(self, data):
        return isinstance(data, XmlInput) and data.root_name == "Møderække"

    def parse(self, data, *, origin, municipality):
        items = []
        for punkt in data.root.iter("Punkt"):
            text = punkt.findtext("Tekst") or ""
            items.append(
                AgendaItem(
                    source_format=SourceFormat.PLUGIN,
                    municipality=municipality or "Roskilde",
                    number=punkt.get("nr"),
                    title=punkt.findtext("Titel"),
                    sections=(Section(heading="Tekst", kind=SectionKind.OTHER, text=text),),
                )
            )
        return items


FORMAT = Format()


class Broken:
    def detect(self, data):
        raise RuntimeError("boom")

    def parse(self, data, *, origin, municipality):
        return []
'''

DOCUMENT = (
    '<?xml version="1.0" encoding="utf-8"?>\n<Møderække><Punkt nr="4"><Titel>Ny skolestruktur'
    "</Titel><Tekst>Skolerne samles fra 2027.</Tekst></Punkt></Møderække>\n"
)


def _install(root: Path, entries: dict[str, str]) -> None:
    """A package and its dist-info on a path: what `pip install` leaves, made by hand."""
    (root / "roskilde_agenda.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = root / "roskilde_agenda-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: roskilde-agenda\nVersion: 1.0\n", encoding="utf-8"
    )
    lines = "\n".join(f"{name} = {target}" for name, target in entries.items())
    (info / "entry_points.txt").write_text(f"[casesummary.sources]\n{lines}\n", encoding="utf-8")


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    _install(tmp_path, {"roskilde-xml": "roskilde_agenda:FORMAT"})
    monkeypatch.syspath_prepend(str(tmp_path))
    plugins.reload()
    yield tmp_path
    plugins.reload()


def test_a_plugin_reads_its_format(installed: Path) -> None:
    document = installed / "punkter.xml"
    document.write_text(DOCUMENT, encoding="utf-8")
    parsed = parse_source(document)
    assert parsed.format == "roskilde-xml"
    (item,) = parsed.items
    assert (item.number, item.title, item.source_format) == (
        "4",
        "Ny skolestruktur",
        SourceFormat.PLUGIN,
    )
    assert item.sections[0].text == "Skolerne samles fra 2027."
    assert "roskilde-xml" in format_names()
    assert load_items(document, format="roskilde-xml")[0].title == "Ny skolestruktur"


def test_a_plugin_never_takes_over_a_built_in_format(installed: Path) -> None:
    real = Path(__file__).resolve().parents[1] / "data" / "real"
    assert parse_source(real / "syddjurs-puk-2013-06-20.acadre.xml").format == "acadre-xml"


def test_without_the_plugin_the_format_is_unknown() -> None:
    plugins.reload()
    with pytest.raises(InvalidAgendaItem, match="XML with root element <Møderække>"):
        load_items(DOCUMENT)


def test_a_broken_plugin_is_a_typed_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install(tmp_path, {"broken": "roskilde_agenda:Broken", "missing": "no_such_module:X"})
    monkeypatch.syspath_prepend(str(tmp_path))
    plugins.reload()
    try:
        with pytest.raises(InvalidAgendaItem, match="source plugin 'missing' cannot be used"):
            load_items(DOCUMENT)
    finally:
        plugins.reload()


def test_the_cli_prints_the_plugins_format(installed: Path) -> None:
    document = installed / "punkter.xml"
    document.write_text(DOCUMENT, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(installed), *sys.path]))
    done = subprocess.run(
        [sys.executable, "-m", "casesummary", "parse", str(document)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Format: roskilde-xml (detected), 1 item\n")
    assert "Punkt 4: Ny skolestruktur" in done.stdout
