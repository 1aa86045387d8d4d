"""`casesummary summarize`, run as a user runs it: text and JSON output, meetings, errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

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


# -- inputs: stdin, several files, directories -------------------------------------------------


def _subprocess(
    *args: str | Path, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    environment = {k: v for k, v in os.environ.items() if k != "CASESUMMARY_BACKEND"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "casesummary", *map(str, args)],
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=300,
        check=False,
    )


def test_dash_reads_the_item_from_stdin(odense: Path) -> None:
    done = _subprocess(
        "summarize", "-", "--json", "--backend", "baseline", stdin=odense.read_bytes()
    )
    assert done.returncode == 0, done.stderr.decode()
    from_stdin = CaseSummary.model_validate_json(done.stdout)
    from_file = CaseSummary.model_validate_json(
        _subprocess("summarize", odense, "--json", "--backend", "baseline").stdout
    )
    assert from_stdin.model_dump(exclude={"provenance"}) == from_file.model_dump(
        exclude={"provenance"}
    )


def test_several_files_and_a_directory(
    capsys: pytest.CaptureFixture[str], odense: Path, meeting: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "punkter"
    folder.mkdir()
    shutil.copy(odense, folder / "a.json")
    shutil.copy(odense, folder / "b.json")
    (folder / ".hidden.json").write_text("not an item", encoding="utf-8")
    code, out, _ = run(capsys, "summarize", meeting, folder, "--json", "--backend", "baseline")
    assert code == 0
    entries = json.loads(out)
    assert len(entries) == 24 + 2
    assert [e["file"] for e in entries[-2:]] == [str(folder / "a.json"), str(folder / "b.json")]
    assert {e["file"] for e in entries[:24]} == {str(meeting)}
    assert all(e["status"] in ("ok", "skipped") for e in entries)

    code, out, _ = run(capsys, "summarize", odense, folder / "b.json", "--backend", "baseline")
    assert code == 0
    assert out.count("Prompt resultater") == 2
    assert out.startswith(f"=== {odense} ===\n")
    assert f"\n=== {folder / 'b.json'} ===\n" in out


def test_an_unreadable_file_among_several_is_named_and_the_rest_summarised(
    capsys: pytest.CaptureFixture[str], odense: Path, meeting: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    shutil.copy(meeting, folder / "2026-05-18_oekonomiudvalget.json")
    (folder / "results").mkdir()
    (folder / "results" / "1234.json").write_text('{"status": "ok"}', encoding="utf-8")
    code, out, err = run(capsys, "summarize", folder, "--json", "--backend", "baseline")
    assert code == 2
    assert len(json.loads(out)) == 24  # the meeting's items, summarised or skipped
    lines = err.splitlines()
    assert any(line.startswith(f"casesummary: error: {folder / 'results' / '1234.json'}: ")
               for line in lines)  # fmt: skip
    assert lines[-1] == "casesummary: error: 1 of 2 inputs could not be read"


def test_item_needs_a_single_file(
    capsys: pytest.CaptureFixture[str], odense: Path, meeting: Path
) -> None:
    code, _, err = run(capsys, "summarize", meeting, odense, "--item", "3")
    assert code == 2
    assert "--item needs exactly one FILE" in err


def test_an_empty_directory_is_a_mistake(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "summarize", tmp_path)
    assert code == 2
    assert f"{tmp_path}: no files in this directory" in err


# -- streaming and progress ------------------------------------------------------------------


def test_jsonl_streams_one_entry_per_line(
    capsys: pytest.CaptureFixture[str], meeting: Path, tmp_path: Path
) -> None:
    recordings = tmp_path / "rec"
    run(capsys, "summarize", meeting, "--item", "3", "--backend", f"record:{recordings}=baseline")
    code, out, err = run(
        capsys, "summarize", meeting, "--jsonl", "--backend", f"replay:{recordings}"
    )
    assert code == 1
    entries = [json.loads(line) for line in out.splitlines()]
    assert len(entries) == 24  # every item, each on its own line
    assert len({e["number"] for e in entries}) == 24
    by_status = Counter(e["status"] for e in entries)
    assert by_status == {"skipped": 6, "ok": 1, "failed": 17}
    failed = next(e for e in entries if e["status"] == "failed")
    assert (failed["reason"], failed["error_type"], failed["attempts"]) == (
        "backend",
        "ReplayMissError",
        1,
    )
    ok = next(e for e in entries if e["status"] == "ok")
    assert ok["number"] == "3"
    CaseSummary.model_validate(ok["result"])
    assert err.splitlines()[-1].endswith("17 of 18 items could not be summarised")


def test_jsonl_writes_each_line_as_its_item_finishes(meeting: Path, tmp_path: Path) -> None:
    """A line is out before the next item is asked for: a stopped run keeps what is done."""
    from casesummary.testing.server import OpenAIStubServer

    lines_when_asked: list[int] = []
    out_file = tmp_path / "out.jsonl"

    def answer(body: dict[str, Any]) -> None:
        text = out_file.read_text(encoding="utf-8") if out_file.exists() else ""
        lines_when_asked.append(text.count("\n"))
        return None  # the stub's own valid answer for the prompt asked (quotes if it wants them)

    with OpenAIStubServer(handler=answer) as server, out_file.open("wb") as sink:
        done = subprocess.run(
            [sys.executable, "-m", "casesummary", "summarize", str(meeting), "--jsonl",
             "--concurrency", "1", "--backend", f"openai-compatible:m@{server.base_url}"],
            stdout=sink, stderr=subprocess.PIPE, timeout=300, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    skipped = 6
    assert lines_when_asked == [skipped + n for n in range(18)]
    assert out_file.read_text(encoding="utf-8").count("\n") == 24


def test_progress_lines_off_a_terminal(meeting: Path) -> None:
    done = _subprocess(
        "summarize", meeting, "--backend", "baseline", env={"CASESUMMARY_PROGRESS_SECONDS": "0"}
    )
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stderr.decode().splitlines()
    assert [line.split(",")[0] for line in lines] == [
        f"summarize: {n}/18 items done" for n in range(1, 19)
    ]
    quiet = _subprocess(
        "summarize", meeting, "-q", "--backend", "baseline",
        env={"CASESUMMARY_PROGRESS_SECONDS": "0"},
    )  # fmt: skip
    assert quiet.stderr == b""


def test_a_progress_bar_on_a_terminal(meeting: Path) -> None:
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    # A terminal 100 columns wide (a new pty has none, and tqdm draws a bar to fit).
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "casesummary", "summarize", str(meeting),
             "--backend", "baseline"],
            stdout=subprocess.PIPE, stderr=follower, timeout=300, check=False,
        )  # fmt: skip
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0
    text = shown.decode("utf-8", "replace")
    assert "summarize" in text
    assert "18/18" in text
    assert "\r" in text
