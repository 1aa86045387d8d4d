"""The run directory's files: whole lines only, torn lines survived, CPR numbers masked."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from casesummary.eval.rundir import CaseRecord, ResultsWriter, load_run, read_records
from casesummary.exceptions import InvalidRunDirectory
from casesummary.result import PromptResult
from casesummary.testing import good_answer


def _ok(case_id: str, repeat: int) -> CaseRecord:
    return CaseRecord(
        case_id=case_id,
        repeat=repeat,
        status="ok",
        metrics={"similarity": 0.5, "keywords_f1": math.nan},
    )


def test_writer_appends_whole_lines_that_read_back(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    writer = ResultsWriter(path)
    records = [
        _ok("a", 0),
        CaseRecord(case_id="b", repeat=0, status="skipped", reason="closed"),
    ]
    for record in records:
        writer.write(record)
    writer.close()
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""
    assert len(lines) == 3
    assert json.loads(lines[0])["metrics"] == {"similarity": 0.5, "keywords_f1": None}
    back = read_records(path)
    assert back[1] == records[1]
    assert math.isnan(back[0].metrics["keywords_f1"])


def test_every_text_a_record_carries_is_written_with_cpr_numbers_masked(tmp_path: Path) -> None:
    answer = PromptResult.model_validate(
        {**good_answer(), "summary": "Borger 010203-1234 klager. Sagen 2 behandles."}
    )
    record = CaseRecord(
        case_id="a",
        repeat=0,
        status="failed",
        output=answer,
        reason="cpr 0102031234",
        error_type="X",
        message="see 010203-1234",
    )
    writer = ResultsWriter(tmp_path / "results.jsonl")
    writer.write(record)
    writer.close()
    text = (tmp_path / "results.jsonl").read_text(encoding="utf-8")
    assert "1234" not in text
    assert text.count("XXXXXX-XXXX") == 3
    back = read_records(tmp_path / "results.jsonl")[0]
    assert back.output is not None
    assert back.output.summary == "Borger XXXXXX-XXXX klager. Sagen 2 behandles."


def test_a_torn_last_line_is_ignored_and_cut_on_repair(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    whole = _ok("a", 0).model_dump_json() + "\n"
    path.write_text(whole + '{"case_id": "b", "rep', encoding="utf-8")
    assert [r.case_id for r in read_records(path)] == ["a"]
    assert path.read_text(encoding="utf-8").endswith('"rep')
    assert [r.case_id for r in read_records(path, repair=True)] == ["a"]
    assert path.read_text(encoding="utf-8") == whole


def test_a_broken_complete_line_is_an_invalid_run_directory(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    path.write_text('{"case_id": "a"}\n', encoding="utf-8")
    with pytest.raises(InvalidRunDirectory, match="line 1 is not a result record"):
        read_records(path)


def test_load_run_names_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(InvalidRunDirectory, match="not a directory"):
        load_run(tmp_path / "nope")
    with pytest.raises(InvalidRunDirectory, match=r"run\.json: missing"):
        load_run(tmp_path)
    (tmp_path / "run.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InvalidRunDirectory, match="prompt_id"):
        load_run(tmp_path)
