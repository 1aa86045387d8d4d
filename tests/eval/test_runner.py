"""run_eval over the real golden set: files, skips, isolated failures, the cache and resume."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from casesummary.backends.base import BackendRequest, BackendResponse
from casesummary.backends.spec import redact
from casesummary.eval.golden import GoldenCase, load_golden
from casesummary.eval.oracle import OracleBackend
from casesummary.eval.rundir import read_records
from casesummary.eval.runner import run_eval
from casesummary.exceptions import InvalidRunDirectory
from casesummary.testing.fakes import FunctionBackend, answer_for


@pytest.fixture(scope="module")
def cases(golden_dir: Path) -> list[GoldenCase]:
    return load_golden(golden_dir)


def _answerable(cases: list[GoldenCase]) -> list[GoldenCase]:
    return [c for c in cases if c.expect_skip is None]


def _counting_oracle(golden_dir: Path) -> FunctionBackend:
    """The oracle's answers through a FunctionBackend, so `calls` counts real backend calls."""
    oracle = OracleBackend(golden_dir)
    return FunctionBackend(lambda r: oracle.complete(r), name="oracle", model="golden")


def _lines(run_dir: Path) -> list[dict[str, object]]:
    text = (run_dir / "results.jsonl").read_text(encoding="utf-8")
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_oracle_run_writes_the_run_directory_and_scores_the_ceiling(
    tmp_path: Path, cases: list[GoldenCase], golden_dir: Path
) -> None:
    out = tmp_path / "run"
    summary = run_eval(
        cases,
        backend=f"oracle:{golden_dir}",
        prompt="summary",
        taxonomy=None,
        out_dir=out,
        progress=False,
    )
    for name in ("run.json", "cases.json", "results.jsonl", "metrics.json", "report.md"):
        assert (out / name).is_file(), name
    lines = _lines(out)
    assert len(lines) == len(cases)
    by_id = {line["case_id"]: line for line in lines}
    for case in cases:
        line = by_id[case.id]
        if case.expect_skip is not None:
            assert (line["status"], line["reason"]) == ("skipped", case.expect_skip)
            assert line["metrics"] == {}
        else:
            assert line["status"] == "ok", line
            assert line["output"] == case.expected.model_dump(mode="json")  # type: ignore[union-attr]
            assert line["metrics"]["similarity"] == pytest.approx(1.0)  # type: ignore[index]
            assert line["provenance"]["backend"] == "oracle"  # type: ignore[index]
    skipped = sum(c.expect_skip is not None for c in cases)
    assert summary.aggregate.counts.skipped == skipped
    assert summary.aggregate.counts.ok == len(cases) - skipped
    assert summary.aggregate.metrics["similarity"].mean == pytest.approx(1.0)
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["counts"]["records"] == len(cases)
    assert set(metrics["by_municipality"]) == {c.municipality for c in cases}
    assert set(metrics["by_source_format"]) == {c.source_format.value for c in cases}

    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["prompt_id"] == "summary"
    assert run["backend"] == f"oracle:{golden_dir}"
    assert run["backend_name"] == "oracle"
    assert run["model"].startswith("golden-")  # a digest of the answers: edits change the key
    assert run["golden_dir"] == str(golden_dir.resolve())
    assert run["finished"] is not None
    assert len(run["prompt_fingerprint"]) == 64
    assert not {"env", "environment", "api_key"} & set(run)


def test_one_case_failing_is_a_failed_line_not_a_crashed_run(
    tmp_path: Path, cases: list[GoldenCase]
) -> None:
    victim = _answerable(cases)[0]
    victim_title = victim.load_item().title

    def answer(request: BackendRequest) -> str | dict[str, object]:
        if request.item.title == victim_title:
            return "this is not JSON"
        return answer_for(request)

    summary = run_eval(
        _answerable(cases)[:4],
        backend=FunctionBackend(answer),
        prompt="summary",
        taxonomy=None,
        out_dir=tmp_path / "run",
        progress=False,
    )
    by_id = {r.case_id: r for r in read_records(tmp_path / "run" / "results.jsonl")}
    assert by_id[victim.id].status == "failed"
    assert by_id[victim.id].error_type
    assert by_id[victim.id].message
    assert [r.status for r in by_id.values()].count("ok") == 3
    assert summary.aggregate.counts.failed == 1


def test_the_cache_answers_unchanged_requests_and_repeats_are_new_samples(
    tmp_path: Path, cases: list[GoldenCase], golden_dir: Path
) -> None:
    answerable = _answerable(cases)[:5]
    backend = _counting_oracle(golden_dir)
    cache = tmp_path / "cache"

    def run(name: str, repeat: int = 1) -> None:
        run_eval(
            answerable,
            backend=backend,
            prompt="summary",
            taxonomy=None,
            out_dir=tmp_path / name,
            cache_dir=cache,
            repeat=repeat,
            progress=False,
        )

    run("first")
    assert len(backend.calls) == 5
    run("second")
    assert len(backend.calls) == 5  # nothing asked again

    def outputs(name: str) -> dict[object, object]:
        return {line["case_id"]: line["output"] for line in _lines(tmp_path / name)}

    assert outputs("second") == outputs("first")
    run("repeated", repeat=2)
    assert len(backend.calls) == 10  # repeat 0 from the cache, repeat 1 asked
    assert sorted(call.repeat for call in backend.calls[5:]) == [1] * 5
    assert len(_lines(tmp_path / "repeated")) == 10


def test_resume_runs_only_what_is_missing_and_drops_a_torn_line(
    tmp_path: Path, cases: list[GoldenCase], golden_dir: Path
) -> None:
    subset = cases[:8]
    full = tmp_path / "full"
    run_eval(
        subset,
        backend=_counting_oracle(golden_dir),
        prompt="summary",
        taxonomy=None,
        out_dir=full,
        repeat=2,
        progress=False,
    )
    # As a kill would leave it: some whole lines, then half of the next.
    partial = tmp_path / "partial"
    shutil.copytree(full, partial)
    lines = (full / "results.jsonl").read_bytes().splitlines(keepends=True)
    kept = lines[:6]
    (partial / "results.jsonl").write_bytes(b"".join(kept) + lines[6][:40])
    done = {(json.loads(x)["case_id"], json.loads(x)["repeat"]) for x in kept}

    backend = _counting_oracle(golden_dir)
    summary = run_eval(
        subset,
        backend=backend,
        prompt="summary",
        taxonomy=None,
        out_dir=partial,
        repeat=2,
        resume=True,
        progress=False,
    )
    asked = {(call.item.title, call.repeat) for call in backend.calls}
    titles = {c.id: c.load_item().title for c in subset}
    assert not {(titles[c], r) for c, r in done} & asked
    missing_answerable = [
        (c.id, r) for c in subset for r in range(2) if (c.id, r) not in done and not c.expect_skip
    ]
    assert len(backend.calls) == len(missing_answerable)
    final = _lines(partial)
    pairs = [(line["case_id"], line["repeat"]) for line in final]
    assert len(pairs) == len(set(pairs)) == len(subset) * 2
    assert summary.new_records == len(subset) * 2 - len(done)
    run = json.loads((partial / "run.json").read_text(encoding="utf-8"))
    assert len(run["resumed"]) == 1


def test_resume_refuses_a_different_prompt_or_backend(
    tmp_path: Path, cases: list[GoldenCase], golden_dir: Path
) -> None:
    out = tmp_path / "run"
    spec = f"oracle:{golden_dir}"
    run_eval(cases[:2], backend=spec, prompt="summary", taxonomy=None, out_dir=out, progress=False)
    with pytest.raises(InvalidRunDirectory, match="cannot resume: the run used backend"):
        run_eval(
            cases[:2],
            backend="baseline",
            prompt="summary",
            taxonomy=None,
            out_dir=out,
            resume=True,
            progress=False,
        )
    run_file = out / "run.json"
    run = json.loads(run_file.read_text(encoding="utf-8"))
    run_file.write_text(json.dumps({**run, "prompt_fingerprint": "0" * 64}), encoding="utf-8")
    with pytest.raises(InvalidRunDirectory, match="cannot resume: the run used prompt"):
        run_eval(
            cases[:2],
            backend=spec,
            prompt="summary",
            taxonomy=None,
            out_dir=out,
            resume=True,
            progress=False,
        )


def test_an_existing_run_is_not_overwritten_without_resume(
    tmp_path: Path, cases: list[GoldenCase], golden_dir: Path
) -> None:
    out = tmp_path / "run"
    spec = f"oracle:{golden_dir}"
    run_eval(cases[:1], backend=spec, prompt="summary", taxonomy=None, out_dir=out, progress=False)
    before = (out / "results.jsonl").read_bytes()
    with pytest.raises(InvalidRunDirectory, match="already holds an eval run"):
        run_eval(
            cases[:1], backend=spec, prompt="summary", taxonomy=None, out_dir=out, progress=False
        )
    assert (out / "results.jsonl").read_bytes() == before


class _PeakBackend:
    """Counts how many requests are in flight at once."""

    name = "peak"
    model = "fake"

    def __init__(self) -> None:
        self.in_flight = 0
        self.peak = 0

    def complete(self, request: BackendRequest) -> BackendResponse:
        raise NotImplementedError

    async def acomplete(self, request: BackendRequest) -> BackendResponse:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        await asyncio.sleep(0.01)
        self.in_flight -= 1
        answer = json.dumps(answer_for(request), ensure_ascii=False)
        return BackendResponse(content=answer, model=self.model)


def test_concurrency_bounds_requests_in_flight(tmp_path: Path, cases: list[GoldenCase]) -> None:
    backend = _PeakBackend()
    run_eval(
        _answerable(cases),
        backend=backend,
        prompt="summary",
        taxonomy=None,
        out_dir=tmp_path / "run",
        concurrency=3,
        progress=False,
    )
    assert backend.peak == 3


def test_redact_removes_credentials_from_a_backend_spec() -> None:
    spec = "openai-compatible:m@https://user:pw@llm.example/v1?api_key=abc&x=1"
    assert redact(spec) == "openai-compatible:m@https://***@llm.example/v1?api_key=***&x=1"
    assert redact("openai-compatible:m@http://127.0.0.1:8080/v1") == (
        "openai-compatible:m@http://127.0.0.1:8080/v1"
    )


def test_progress_goes_to_stderr_only_when_asked(
    tmp_path: Path,
    cases: list[GoldenCase],
    golden_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CASESUMMARY_PROGRESS_SECONDS", "0")  # a line as each case finishes
    spec = f"oracle:{golden_dir}"
    run_eval(cases[:3], backend=spec, prompt="summary", taxonomy=None, out_dir=tmp_path / "quiet",
             progress=False)  # fmt: skip
    assert capsys.readouterr() == ("", "")
    run_eval(cases[:3], backend=spec, prompt="summary", taxonomy=None, out_dir=tmp_path / "bar",
             progress=True)  # fmt: skip
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert [line.split(",")[0] for line in lines] == [f"eval: {n}/3 cases done" for n in (1, 2, 3)]


def test_resume_of_a_directory_without_a_run_starts_one(
    tmp_path: Path, cases: list[GoldenCase], golden_dir: Path
) -> None:
    out = tmp_path / "new"
    summary = run_eval(
        cases[:2], backend=f"oracle:{golden_dir}", prompt="summary", taxonomy=None, out_dir=out,
        resume=True, progress=False,
    )  # fmt: skip
    assert summary.new_records == 2
    assert len(_lines(out)) == 2
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["resumed"] == []


def test_each_case_is_parsed_once_and_rendered_once(
    tmp_path: Path, cases: list[GoldenCase], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model's input, the scores' source and the report's excerpt are one rendering, and
    the oracle answers from the items the run parsed (the golden set is not read twice)."""
    from casesummary import prompt_text

    parses: list[str] = []
    real_load = GoldenCase.load_item

    def counting_load(self: GoldenCase) -> object:
        parses.append(self.id)
        return real_load(self)

    monkeypatch.setattr(GoldenCase, "load_item", counting_load)
    prompt_text._full_text.cache_clear()
    run_eval(
        cases,
        backend="oracle",
        prompt="summary",
        taxonomy=None,
        out_dir=tmp_path / "run",
        repeat=2,
        progress=False,
    )
    assert sorted(parses) == sorted(c.id for c in cases)
    rendered = prompt_text._full_text.cache_info()
    assert rendered.misses <= len(cases)  # one whole rendering per case, for all its uses
    assert rendered.hits >= 2 * len(_answerable(cases))  # the two repeats' requests reuse it


def _reasked_oracle(golden_dir: Path) -> FunctionBackend:
    """The oracle's answers, but each first answer comes with only two pros: valid on re-ask."""
    oracle = OracleBackend(golden_dir)

    def answer(request: BackendRequest) -> str:
        content = oracle.complete(request).content
        if request.messages[-1].role == "user" and len(request.messages) > 2:
            return content  # the re-ask: the full answer
        data = json.loads(content)
        return json.dumps({**data, "pros": data["pros"][:2]}, ensure_ascii=False)

    return FunctionBackend(answer, name="reasked", model="golden")


def test_validity_scores_the_first_answer_and_the_run_reports_reasks(
    tmp_path: Path, cases: list[GoldenCase], golden_dir: Path
) -> None:
    """A prompt that needs a re-ask for every answer is visibly worse than one that does not."""
    answerable = _answerable(cases)[:4]
    straight = run_eval(
        answerable, backend=_counting_oracle(golden_dir), prompt="summary", taxonomy=None,
        out_dir=tmp_path / "straight", progress=False,
    )  # fmt: skip
    reasked = run_eval(
        answerable, backend=_reasked_oracle(golden_dir), prompt="summary", taxonomy=None,
        out_dir=tmp_path / "reasked", progress=False,
    )  # fmt: skip
    assert straight.aggregate.metrics["validity"].mean == 1.0
    assert straight.aggregate.reask_rate.mean == 0.0
    assert straight.aggregate.attempts_mean == 1.0
    assert reasked.aggregate.counts.ok == len(answerable)  # every case ends valid ...
    assert reasked.aggregate.metrics["validity"].mean < 1.0  # ... but not the first time
    assert reasked.aggregate.reask_rate.mean == 1.0
    assert reasked.aggregate.attempts_mean == 2.0
    assert reasked.aggregate.pass_rate.mean < straight.aggregate.pass_rate.mean
    lines = _lines(tmp_path / "reasked")
    assert {(line["attempts"], line["reasks"]) for line in lines} == {(2, 1)}
    assert all(line["checks"]["three_pros"] is False for line in lines)
    metrics = json.loads((tmp_path / "reasked" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["reask_rate"]["mean"] == 1.0
    case_id = answerable[0].id
    assert metrics["per_case"][case_id]["reask_rate"] == 1.0
    assert metrics["per_case"][case_id]["attempts"] == 2.0
    report = (tmp_path / "reasked" / "report.md").read_text(encoding="utf-8")
    assert "| reask_rate | 1.000 |" in report


def test_a_case_whose_answer_stays_invalid_still_scores_validity(
    tmp_path: Path, cases: list[GoldenCase], golden_dir: Path
) -> None:
    oracle = OracleBackend(golden_dir)

    def never_valid(request: BackendRequest) -> str:
        data = json.loads(oracle.complete(request).content)
        return json.dumps({**data, "pros": data["pros"][:2]}, ensure_ascii=False)

    case = _answerable(cases)[0]
    summary = run_eval(
        [case], backend=FunctionBackend(never_valid), prompt="summary", taxonomy=None,
        out_dir=tmp_path / "run", progress=False,
    )  # fmt: skip
    (line,) = _lines(tmp_path / "run")
    assert (line["status"], line["reason"], line["error_type"]) == (
        "failed",
        "invalid_answer",
        "OutputValidationError",
    )
    assert line["metrics"]["validity"] < 1.0
    assert (line["attempts"], line["reasks"]) == (3, 2)
    assert summary.aggregate.metrics["validity"].mean < 1.0
