"""`casesummary parse` run as a user runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casesummary.cli import main

ODENSE = "odense-beu-2025-pejlemaerker.item.json"


def test_parse_prints_readable_text(fixtures_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(fixtures_dir / ODENSE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Format: firstagenda-item (detected), 1 item\n\n")
    assert "\nPunkt 5: Pejlemærker for implementering af beskæftigelsesreformen\n" in out
    assert "  Sagsnr.: 00.01.00-A00-25-25" in out
    assert "  Kommune: Odense" in out
    assert "== Sagsresumé [summary] ==" in out
    assert "== Økonomi [economy] ==" in out


def test_parse_json_lists_every_item(seeds_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = seeds_dir / "004_ec700c404d257eec.txt"
    assert main(["parse", str(path), "--json", "--municipality", "Odense Kommune"]) == 0
    out = capsys.readouterr().out
    items = json.loads(out)
    assert [i["number"] for i in items] == [str(n) for n in range(1, 10)]
    assert {i["municipality"] for i in items} == {"Odense Kommune"}
    assert "Beskæftigelses- og Socialudvalget" in out  # not \u-escaped


def test_parse_bad_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "punkt.json"
    bad.write_text('{"Navn": 5}', encoding="utf-8")
    for target in (bad, tmp_path / "missing.json"):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from casesummary.cli import main; sys.exit(main())",
                "parse",
                str(target),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 2
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
        assert str(target) in result.stderr


def test_parse_bad_field_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "punkt.json"
    bad.write_text('{"Navn": "Budget", "Felter": "tekst"}', encoding="utf-8")
    assert main(["parse", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err == f"casesummary: error: {bad}: field 'Felter': expected a list, got str\n"


REAL = Path(__file__).resolve().parents[1] / "data" / "real"


def test_parse_prints_the_detected_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(REAL / "ballerup-kmb-it-udvalget-2013-05-15.sbsys.xml")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Format: sbsys-xml (detected), 5 items\n\n")
    assert "Punkt 5: Status på eDagsorden" in out


def test_parse_format_forces_one(capsys: pytest.CaptureFixture[str]) -> None:
    path = REAL / "syddjurs-puk-2013-06-20.acadre.xml"
    assert main(["parse", str(path), "--format", "acadre-xml"]) == 0
    assert capsys.readouterr().out.startswith("Format: acadre-xml (forced), 1 item\n")
    assert main(["parse", str(path), "--format", "pdf"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"casesummary: error: {path}: unknown format 'pdf' (supported: ")
    assert "firstagenda-pdf" in err
    assert main(["parse", str(path), "--format", "edoc-xml"]) == 2
    assert "not eDoc XML: the root element is <root>" in capsys.readouterr().err


def test_parse_several_files_and_a_directory(
    fixtures_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "punkter"
    folder.mkdir()
    for name in ("b.json", "a.json"):
        shutil.copy(fixtures_dir / ODENSE, folder / name)
    meeting = fixtures_dir / "hvidovre-oekonomiudvalget-2026-05-18.meeting.json"
    assert main(["parse", str(meeting), str(folder), "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert len(items) == 24 + 2
    assert (
        items[-1]["title"]
        == items[-2]["title"]
        == ("Pejlemærker for implementering af beskæftigelsesreformen")
    )
    assert main(["parse", str(folder)]) == 0
    out = capsys.readouterr().out
    header = "Format: firstagenda-item (detected), 1 item\n\nPunkt 5: "
    assert out.startswith(f"=== {folder / 'a.json'} ===\n\n{header}")
    assert f"\n\n=== {folder / 'b.json'} ===\n\n{header}" in out


def test_parse_reads_stdin(fixtures_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "casesummary", "parse", "-", "--json"],
        input=(fixtures_dir / ODENSE).read_bytes(),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["number"] == "5"


def test_an_unreadable_file_among_several_is_named_and_the_rest_are_parsed(
    fixtures_dir: Path, tmp_path: Path
) -> None:
    """A directory may hold a file of another kind (a feed's result file, a SOAP envelope):
    each is one error line, the readable files are still shown, and the exit code is 2."""
    folder = tmp_path / "punkter"
    folder.mkdir()
    shutil.copy(fixtures_dir / ODENSE, folder / "a.json")
    (folder / "b.xml").write_text(
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
        "<soap:Body/></soap:Envelope>",
        encoding="utf-8",
    )
    (folder / "c.json").write_text('{"status": "ok"}', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "casesummary", "parse", str(folder)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith(f"=== {folder / 'a.json'} ===\n\nFormat: firstagenda-item")
    errors = result.stderr.splitlines()
    assert len(errors) == 3, errors
    assert errors[0].startswith(f"casesummary: error: {folder / 'b.xml'}: XML with root element")
    assert errors[1].startswith(f"casesummary: error: {folder / 'c.json'}: ")
    assert errors[2] == "casesummary: error: 2 of 3 inputs could not be read"


def test_when_no_input_can_be_read_each_is_named(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for path in (first, second):
        path.write_text('{"status": "ok"}', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "casesummary", "parse", str(first), str(second)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    errors = result.stderr.splitlines()
    assert [e.split(": ", 2)[1] for e in errors] == ["error", "error"]
    assert str(first) in errors[0]
    assert str(second) in errors[1]


def test_stdin_is_named_in_its_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "casesummary", "parse", "-"],
        input=b'{"status": "ok"}', capture_output=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode().startswith("casesummary: error: <stdin>: ")
