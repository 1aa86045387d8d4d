"""`casesummary summarize`, run as a user runs it: text and JSON output, meetings, errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casesummary.cli import main
from casesummary.prompt import load_prompt
from casesummary.result import EXTRACTIVE_DISCLOSURE, CaseSummary

CLI = Path(sys.executable).parent / "casesummary"
HEADINGS = ["Prompt resultater", "Spørgsmål", "Opsummering", "Fordele", "Ulemper", "Emneord"]


@pytest.fixture
def odense(fixtures_dir: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(fixtures_dir / "odense-beu-2025-pejlemaerker.item.json", tmp_path))


@pytest.fixture
def meeting(fixtures_dir: Path, tmp_path: Path) -> Path:
    name = "hvidovre-oekonomiudvalget-2026-05-18.meeting.json"
    return Path(shutil.copy(fixtures_dir / name, tmp_path))


@pytest.fixture(autouse=True)
def _no_backend_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASESUMMARY_BACKEND", raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# -- one item --------------------------------------------------------------------------------


def test_prints_the_prompt_resultater_block(
    capsys: pytest.CaptureFixture[str], odense: Path
) -> None:
    code, out, err = run(capsys, "summarize", odense)
    assert code == 0
    lines = out.splitlines()
    positions = [lines.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    question = lines[lines.index("Spørgsmål") + 2]
    assert question.startswith("Bør Odense Kommune")
    assert question.endswith("?")
    pros = lines[lines.index("Fordele") + 2 : lines.index("Ulemper") - 1]
    cons = lines[lines.index("Ulemper") + 2 : lines.index("Emneord") - 1]
    assert len(pros) == 3
    assert len(cons) == 3
    assert all(line.startswith("  • ") for line in pros + cons)
    assert EXTRACTIVE_DISCLOSURE in lines
    assert lines[-1].startswith(f"[{load_prompt().spec} · baseline/")
    # the baseline notice goes to stderr, in one line, saying how to choose a model
    assert err.count("\n") == 1
    assert "--backend" in err
    assert "CASESUMMARY_BACKEND" in err


def test_json_output_is_a_case_summary(capsys: pytest.CaptureFixture[str], odense: Path) -> None:
    code, out, _ = run(capsys, "summarize", odense, "--json", "--backend", "baseline")
    assert code == 0
    result = CaseSummary.model_validate_json(out)
    assert result.provenance.backend == "baseline"
    assert result.provenance.prompt_id == "summary"
    assert "Spørgsmål" not in out
    assert "Kommune" in out
    assert "\\u00f8" not in out  # ensure_ascii=False


def test_explicit_backend_prints_no_notice(
    capsys: pytest.CaptureFixture[str], odense: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, err = run(capsys, "summarize", odense, "--backend", "baseline")
    assert err == ""
    monkeypatch.setenv("CASESUMMARY_BACKEND", "baseline")
    _, _, err = run(capsys, "summarize", odense)
    assert err == ""


def test_record_then_replay_gives_the_same_result(
    capsys: pytest.CaptureFixture[str], odense: Path, tmp_path: Path
) -> None:
    recordings = tmp_path / "rec"
    code, recorded, _ = run(
        capsys, "summarize", odense, "--json", "--backend", f"record:{recordings}=baseline"
    )
    assert code == 0
    assert len(list(recordings.glob("*.json"))) == 1
    code, replayed, _ = run(
        capsys, "summarize", odense, "--json", "--backend", f"replay:{recordings}"
    )
    assert code == 0
    first, second = (
        CaseSummary.model_validate_json(recorded),
        CaseSummary.model_validate_json(replayed),
    )
    assert first.model_dump(exclude={"provenance"}) == second.model_dump(exclude={"provenance"})
    assert (second.provenance.backend, second.provenance.model) == (
        first.provenance.backend,
        first.provenance.model,
    )


def test_custom_taxonomy_and_prompt_file(
    capsys: pytest.CaptureFixture[str], odense: Path, tmp_path: Path
) -> None:
    taxonomy = tmp_path / "emner.yaml"
    taxonomy.write_text("topics: [{name: Arbejdsmarked, cues: [ledig, job]}]\n", "utf-8")
    prompt = Path(shutil.copy(Path(__file__).parents[2] / "prompts/summary/v1.md", tmp_path))
    code, out, _ = run(
        capsys, "summarize", odense, "--json", "--taxonomy", taxonomy, "--prompt", prompt
    )
    assert code == 0
    assert json.loads(out)["keywords"] == ["Arbejdsmarked"]


# -- a whole meeting -------------------------------------------------------------------------


def test_meeting_summarises_open_items_and_reports_skipped_ones(
    capsys: pytest.CaptureFixture[str], meeting: Path
) -> None:
    code, out, _ = run(capsys, "summarize", meeting, "--backend", "baseline")
    assert code == 0
    assert "Punkt 1: Godkendelse af dagsorden\n(sprunget over: ingen tekst)" in out
    assert "(sprunget over: lukket punkt)" in out
    assert out.count("Prompt resultater") == 18  # items 3-20
    assert out.count(EXTRACTIVE_DISCLOSURE) == 18


def test_meeting_json_lists_every_item_with_its_status(
    capsys: pytest.CaptureFixture[str], meeting: Path
) -> None:
    code, out, _ = run(capsys, "summarize", meeting, "--json", "--backend", "baseline")
    assert code == 0
    entries = json.loads(out)
    assert len(entries) == 24
    status = {e["number"]: e["status"] for e in entries}
    assert (status["1"], status["3"], status["32"]) == ("skipped", "ok", "skipped")
    closed = next(e for e in entries if e["number"] == "32")
    assert closed["reason"] == "closed"
    ok = next(e for e in entries if e["number"] == "3")
    CaseSummary.model_validate(ok["result"])


def test_item_option_selects_one_item(capsys: pytest.CaptureFixture[str], meeting: Path) -> None:
    code, out, _ = run(
        capsys, "summarize", meeting, "--item", "3", "--json", "--backend", "baseline"
    )
    assert code == 0
    assert CaseSummary.model_validate_json(out).question.endswith("?")


@pytest.mark.parametrize(
    ("number", "words"),
    [("99", "no item number '99'"), ("32", "it is closed"), ("1", "it has no text")],
)
def test_item_option_errors(
    capsys: pytest.CaptureFixture[str], meeting: Path, number: str, words: str
) -> None:
    code, out, err = run(capsys, "summarize", meeting, "--item", number, "--backend", "baseline")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert words in err


def test_failed_items_exit_1_and_the_rest_is_printed(
    capsys: pytest.CaptureFixture[str], meeting: Path, tmp_path: Path
) -> None:
    recordings = tmp_path / "rec"
    run(capsys, "summarize", meeting, "--item", "3", "--backend", f"record:{recordings}=baseline")
    code, out, err = run(capsys, "summarize", meeting, "--backend", f"replay:{recordings}")
    assert code == 1
    assert out.count("Prompt resultater") == 1
    assert "(fejl: ReplayMissError)" in out
    assert err.count("ReplayMissError") == 17
    assert err.splitlines()[-1] == (
        "casesummary: error: BackendError: 17 of 18 items could not be summarised"
    )
    assert "Traceback" not in err


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--backend", "basline"], "Did you mean 'baseline'"),
        (["--backend", "openai:"], "model name is missing"),
        (["--prompt", "sumary"], "no prompt named 'sumary'"),
        (["--taxonomy", "/no/such/taxonomy.yaml"], "taxonomy.yaml"),
    ],
)
def test_bad_options_are_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], odense: Path, args: list[str], words: str
) -> None:
    code, out, err = run(capsys, "summarize", odense, *args)
    assert code == 2
    assert out == ""
    assert err.startswith("casesummary: error:")
    assert err.count("\n") == 1
    assert words in err


def test_unreadable_input_is_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "punkt.json"
    broken.write_text("{ not json", encoding="utf-8")
    for path in (broken, tmp_path / "missing.json"):
        code, _, err = run(capsys, "summarize", path)
        assert code == 2
        assert err.startswith("casesummary: error:")
        assert "Traceback" not in err


def large_item(source: Path, dest: Path) -> Path:
    """The Odense item with a table of 12,000 rows appended to its HTML (over 1.3 M characters),
    as portals publish budget annexes."""
    data = json.loads(source.read_text(encoding="utf-8"))
    rows = "".join(
        f"<tr><td>Aktivitet {n}</td><td>Udgiften til aktivitet {n} er {n * 1000} kr. i 2026 "
        "og dækkes af rammen</td></tr>"
        for n in range(12_000)
    )
    field = data["Felter"][0]
    field["Html"] = field["Html"].replace(
        "</div></div>", f"<h3>Bilag: udgifter</h3><table>{rows}</table></div></div>"
    )
    assert len(field["Html"]) > 1_000_000
    dest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return dest


def test_a_large_item_is_budgeted_and_summarised(
    capsys: pytest.CaptureFixture[str], odense: Path, tmp_path: Path
) -> None:
    big = large_item(odense, tmp_path / "stor.json")
    code, out, err = run(capsys, "summarize", big, "--json", "--backend", "baseline")
    assert code == 0, err
    assert CaseSummary.model_validate_json(out).question.endswith("?")


@pytest.mark.parametrize("command", ["summarize", "parse"])
def test_a_url_is_named_as_given(capsys: pytest.CaptureFixture[str], command: str) -> None:
    url = "https://dagsordener.invalid/api/agenda/dagsorden/123.json"
    code, out, err = run(capsys, command, url)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert url in err


def test_backend_failure_is_one_line_exit_1(
    capsys: pytest.CaptureFixture[str], odense: Path, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "summarize", odense, "--backend", f"replay:{tmp_path}")
    assert code == 1
    assert out == ""
    assert err.startswith("casesummary: error: ReplayMissError:")
    assert err.count("\n") == 1


def test_console_script(odense: Path) -> None:
    done = subprocess.run(
        [str(CLI), "summarize", str(odense), "--backend", "baseline", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert CaseSummary.model_validate_json(done.stdout).provenance.backend == "baseline"
