"""`casesummary schema`: the published result's schema and the model answer's schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from casesummary.cli import main
from casesummary.result import CaseSummary, Citation, Provenance
from casesummary.taxonomy import load_taxonomy
from casesummary.testing import good_answer

CLI = Path(sys.executable).parent / "casesummary"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def published() -> CaseSummary:
    provenance = Provenance(
        prompt_id="summary",
        prompt_version="1.0.0",
        prompt_fingerprint="a" * 64,
        backend="baseline",
        model="extractive-v1",
        item_fingerprint="b" * 64,
    )
    return CaseSummary(**good_answer(), provenance=provenance)


def test_schema_describes_the_published_result(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "schema")
    assert (code, err) == (0, "")
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert {"question", "summary", "pros", "cons", "keywords", "provenance"} <= set(
        schema["required"]
    )
    assert {"disclosure", "review"} <= set(schema["properties"])
    assert "Provenance" in schema["$defs"]
    Draft202012Validator(schema).validate(published().model_dump(mode="json"))
    assert "Spørgsmål" in out  # not ASCII-escaped


def test_schema_rejects_a_result_without_provenance(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "schema")
    document = published().model_dump(mode="json")
    del document["provenance"]
    assert list(Draft202012Validator(json.loads(out)).iter_errors(document))


def test_answer_schema_uses_the_default_taxonomy(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "--answer")
    assert code == 0
    schema = json.loads(out)
    assert schema["properties"]["keywords"]["items"]["enum"] == list(load_taxonomy().names)
    assert schema["additionalProperties"] is False
    Draft202012Validator(schema).validate(good_answer())


def test_answer_schema_with_a_taxonomy_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "emner.yaml"
    path.write_text("topics: [Skat, Vej]\n", encoding="utf-8")
    code, out, _ = run(capsys, "schema", "--answer", "--taxonomy", str(path))
    assert code == 0
    assert json.loads(out)["properties"]["keywords"]["items"]["enum"] == ["Skat", "Vej"]


def test_taxonomy_without_answer_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "schema", "--taxonomy", str(tmp_path / "x.yaml"))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "--answer" in err


def test_broken_taxonomy_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "schema", "--answer", "--taxonomy", str(tmp_path / "none.yaml"))
    assert code == 2
    assert err.startswith("casesummary: error:")
    assert "none.yaml" in err
    assert "Traceback" not in err


def test_installed_console_script() -> None:
    out = subprocess.run([str(CLI), "schema"], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["title"] == "CaseSummary"


def test_the_published_schema_holds_the_evidence_and_where_each_quote_stands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert {"evidence", "citations"} <= set(schema["properties"])
    assert not {"evidence", "citations"} & set(schema["required"])
    assert {"Evidence", "Citation"} <= set(schema["$defs"])
    citation = schema["$defs"]["Citation"]["properties"]
    assert {"part", "index", "section", "heading", "start", "end", "passage"} <= set(citation)
    quoted = published().model_copy(
        update={
            "citations": (
                Citation(
                    part="pros",
                    index=1,
                    section=0,
                    heading="Sagsresumé",
                    start=4,
                    end=20,
                    passage="ledige skal have",
                ),
            )
        }
    )
    Draft202012Validator(schema).validate(quoted.model_dump(mode="json"))


@pytest.mark.parametrize(("prompt", "asked"), [("summary@2", True), ("summary@1", False)])
def test_the_answer_schema_asks_for_evidence_when_the_prompt_does(
    capsys: pytest.CaptureFixture[str], prompt: str, asked: bool
) -> None:
    code, out, _ = run(capsys, "schema", "--answer", "--prompt", prompt)
    assert code == 0
    schema = json.loads(out)
    assert ("evidence" in schema["required"]) is asked
    assert ("evidence" in schema["properties"]) is asked
    Draft202012Validator(schema).validate(good_answer(evidence=asked))
    assert list(Draft202012Validator(schema).iter_errors(good_answer(evidence=not asked)))


def test_prompt_without_answer_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "schema", "--prompt", "summary@1")
    assert code == 2
    assert "--answer" in err
