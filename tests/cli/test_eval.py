"""`casesummary eval` and `casesummary compare`, run as a user runs them (paths under tmp_path)."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from casesummary.backends.base import BackendRequest
from casesummary.eval.golden import GoldenCase, load_golden
from casesummary.eval.judge import CRITERIA
from casesummary.eval.metrics import similarity_scores
from casesummary.eval.runner import run_eval
from casesummary.result import PromptResult
from casesummary.testing.fakes import FunctionBackend
from casesummary.testing.server import OpenAIStubServer, StubAnswer

ROOT = Path(__file__).resolve().parents[2]
CASESUMMARY = Path(sys.executable).parent / "casesummary"


def _cli(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    keep = ("CASESUMMARY_PROGRESS_SECONDS",)  # tests/conftest.py: no progress line by the clock
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("CASESUMMARY_") or k in keep
    }
    environment.update(env or {})
    return subprocess.run(
        [str(CASESUMMARY), *map(str, args)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _results(run_dir: Path) -> list[dict[str, object]]:
    return [
        json.loads(line)
        for line in (run_dir / "results.jsonl").read_text(encoding="utf-8").splitlines()
    ]


@pytest.fixture(scope="module")
def cases(golden_dir: Path) -> list[GoldenCase]:
    return load_golden(golden_dir)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, golden_dir: Path) -> dict[str, Path]:
    """A baseline run (two repeats) and an oracle run over the whole golden set."""
    work = tmp_path_factory.mktemp("runs")
    baseline, oracle = work / "baseline", work / "oracle"
    result = _cli(
        "eval", "--backend", "baseline", "--golden", golden_dir, "--out", baseline,
        "--repeat", "2", cwd=work,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    result = _cli("eval", "--backend", "oracle", "--golden", golden_dir, "--out", oracle, cwd=work)
    assert result.returncode == 0, result.stderr
    return {"baseline": baseline, "oracle": oracle, "work": work}


def test_eval_writes_the_run_directory(runs: dict[str, Path], cases: list[GoldenCase]) -> None:
    for name, repeats in (("baseline", 2), ("oracle", 1)):
        run_dir = runs[name]
        for file in ("run.json", "cases.json", "results.jsonl", "metrics.json"):
            assert (run_dir / file).is_file(), (name, file)
        assert (run_dir / "report.md").read_text(encoding="utf-8").startswith("# Eval: summary@")
        assert "<!DOCTYPE html>" in (run_dir / "report.html").read_text(encoding="utf-8")
        results = _results(run_dir)
        assert len(results) == len(cases) * repeats
        pairs = {(r["case_id"], r["repeat"]) for r in results}
        assert pairs == {(c.id, rep) for c in cases for rep in range(repeats)}
        skipped = {r["case_id"]: r["reason"] for r in results if r["status"] == "skipped"}
        assert skipped == {c.id: c.expect_skip for c in cases if c.expect_skip}
        metrics = json.loads((run_dir / "metrics.json").read_text(encoding="utf-8"))
        assert metrics["counts"]["records"] == len(cases) * repeats


def test_oracle_scores_above_the_baseline(runs: dict[str, Path]) -> None:
    def similarity(name: str) -> float:
        metrics = json.loads((runs[name] / "metrics.json").read_text(encoding="utf-8"))
        return float(metrics["metrics"]["similarity"]["mean"])

    assert similarity("oracle") == pytest.approx(1.0)
    assert similarity("oracle") > similarity("baseline")


def test_eval_prints_where_the_run_is_and_the_metrics(
    tmp_path: Path, golden_dir: Path, cases: list[GoldenCase]
) -> None:
    case = next(c for c in cases if c.expect_skip is None)
    out = tmp_path / "run"
    result = _cli(
        "eval", "--backend", "oracle", "--golden", golden_dir, "--out", out, "--case", case.id,
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"run: {out}"
    assert lines[1] == "1 cases, 1 records: 1 ok, 0 failed, 0 skipped"
    assert any(line.split()[:2] == ["similarity", "1.000"] for line in lines)
    assert lines[-1] == f"report: {out / 'report.html'}"
    assert result.stderr == ""  # no bar off a terminal, and no line: the run was short
    assert len(_results(out)) == 1


def test_compare_prints_paired_deltas_and_json(runs: dict[str, Path]) -> None:
    result = _cli("compare", runs["baseline"], runs["oracle"], cwd=runs["work"])
    assert result.returncode == 0, result.stderr
    similarity = next(line for line in result.stdout.splitlines() if line.startswith("similarity"))
    assert similarity.split()[3].startswith("+")
    assert "cases, worst first (B − A):" in result.stdout

    result = _cli("compare", runs["baseline"], runs["oracle"], "--json", cwd=runs["work"])
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    delta = next(m for m in data["metrics"] if m["metric"] == "similarity")["delta"]
    assert delta["low"] > 0
    assert delta["mean"] > 0
    scores = [c["score"] for c in data["cases"]]
    scored = [s for s in scores if s is not None]  # skipped cases have no delta: listed last
    assert scored == sorted(scored)
    assert scores == scored + [None] * (len(scores) - len(scored))


def test_compare_of_a_missing_run_is_a_one_line_error(
    tmp_path: Path, runs: dict[str, Path]
) -> None:
    result = _cli("compare", runs["oracle"], tmp_path / "nope", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "not a directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_fail_under_exits_1_naming_metric_value_and_threshold(
    runs: dict[str, Path], golden_dir: Path, cases: list[GoldenCase]
) -> None:
    work = runs["work"]
    case = next(c for c in cases if c.expect_skip is None)
    common: list[str | Path] = ["eval", "--backend", "oracle", "--golden", golden_dir]
    common += ["--case", case.id, "-q"]
    result = _cli(*common, "--out", work / "fail", "--fail-under", "similarity=1.5", cwd=work)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "similarity = 1.000 is below 1.5" in result.stderr
    result = _cli(
        *common, "--out", work / "pass", "--fail-under", "similarity=0.9",
        "--fail-under", "pass_rate=0", cwd=work,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_unknown_fail_under_metric_is_exit_2_before_running(tmp_path: Path) -> None:
    result = _cli("eval", "--fail-under", "simlarity=0.5", "--out", tmp_path / "run", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "unknown metric 'simlarity'" in result.stderr
    assert not (tmp_path / "run").exists()


def test_resume_with_another_backend_is_refused(runs: dict[str, Path], golden_dir: Path) -> None:
    before = (runs["oracle"] / "results.jsonl").read_bytes()
    result = _cli(
        "eval", "--backend", "baseline", "--golden", golden_dir, "--out", runs["oracle"],
        "--resume", cwd=runs["work"],
    )  # fmt: skip
    assert result.returncode == 2
    assert "cannot resume" in result.stderr
    assert result.stderr.count("\n") == 1
    assert (runs["oracle"] / "results.jsonl").read_bytes() == before


def test_default_cache_makes_a_rerun_identical(tmp_path: Path, golden_dir: Path) -> None:
    for name in ("one", "two"):
        result = _cli(
            "eval", "--backend", "baseline", "--golden", golden_dir, "--out", tmp_path / name,
            cwd=tmp_path,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    assert any((tmp_path / ".casesummary-cache").iterdir())

    def outputs(name: str) -> dict[object, object]:
        return {r["case_id"]: r["output"] for r in _results(tmp_path / name)}

    assert outputs("one") == outputs("two")


def _case_of(body: object, titles: dict[str, str]) -> str:
    """Which case a chat request was about: the longest item title its messages contain."""
    text = json.dumps(body, ensure_ascii=False)
    found = [
        case_id
        for case_id, title in titles.items()
        if json.dumps(title, ensure_ascii=False)[1:-1] in text
    ]
    assert found, "a request for no known item"
    return max(found, key=lambda c: len(titles[c]))


def test_a_killed_run_resumes_without_asking_again(
    tmp_path: Path, golden_dir: Path, cases: list[GoldenCase]
) -> None:
    titles = {c.id: c.load_item().title for c in cases if c.expect_skip is None}
    out = tmp_path / "run"
    with OpenAIStubServer(latency_s=0.3) as server:
        args = [
            str(CASESUMMARY), "eval",
            "--backend", f"openai-compatible:stub-model@{server.base_url}",
            "--golden", str(golden_dir), "--out", str(out), "--no-cache", "--concurrency", "2",
            "--repeat", "2", "-q",
        ]  # fmt: skip
        process = subprocess.Popen(
            args, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        results = out / "results.jsonl"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if results.exists() and results.read_bytes().count(b"\n") >= 6:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the run finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

        before = _results(out)  # whole lines only, even after a kill
        assert 6 <= len(before) < len(cases) * 2
        done = {(r["case_id"], r["repeat"]) for r in before}
        seen = len(server.chat_requests)

        result = subprocess.run(
            [*args, "--resume"], cwd=tmp_path, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr

        asked_again = Counter(_case_of(r.body, titles) for r in server.chat_requests[seen:])
    # Requests carry no repeat index, and a re-ask is a second request for the same pair: so
    # exactly the cases with a missing pair were asked again, each at least once per missing pair.
    missing = Counter(c for c in titles for rep in (0, 1) if (c, rep) not in done)
    assert set(asked_again) == set(missing)
    assert all(asked_again[c] >= missing[c] for c in missing)
    final = _results(out)
    pairs = [(r["case_id"], r["repeat"]) for r in final]
    assert len(pairs) == len(set(pairs)) == len(cases) * 2
    assert final[: len(before)] == before


def _outputs(run_dir: Path) -> dict[object, object]:
    return {r["case_id"]: r["output"] for r in _results(run_dir)}


def test_an_edited_expected_answer_is_not_served_from_the_cache(
    tmp_path: Path, golden_dir: Path, cases: list[GoldenCase]
) -> None:
    """The oracle answers from expected.json: an edit must reach the next run, cache or not."""
    golden = tmp_path / "golden"
    shutil.copytree(golden_dir, golden)
    case = next(c for c in cases if c.expect_skip is None)
    common: list[str | Path] = ["eval", "--backend", "oracle", "--golden", golden, "-q"]
    first = _cli(*common, "--out", tmp_path / "one", cwd=tmp_path)  # the default cache
    assert first.returncode == 0, first.stderr
    assert any((tmp_path / ".casesummary-cache").iterdir())

    expected_path = golden / case.id / "expected.json"
    edited = json.loads(expected_path.read_text(encoding="utf-8"))
    edited["question"] = "Bør kommunen vedtage den reviderede plan for området?"
    expected_path.write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    second = _cli(*common, "--out", tmp_path / "two", cwd=tmp_path)
    assert second.returncode == 0, second.stderr

    answered = _outputs(tmp_path / "two")[case.id]
    assert isinstance(answered, dict)
    assert answered["question"] == edited["question"]
    metrics = json.loads((tmp_path / "two" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["per_case"][case.id]["metrics"]["sim_question"] == pytest.approx(1.0)


def test_a_rerecorded_answer_is_not_served_from_the_cache(
    tmp_path: Path, golden_dir: Path, cases: list[GoldenCase]
) -> None:
    """replay: answers from recordings on disk; the eval cache must never shadow a new one."""
    case = next(c for c in cases if c.expect_skip is None)
    recordings = tmp_path / "recordings"
    common: list[str | Path] = ["eval", "--golden", golden_dir, "--case", case.id, "-q"]
    recorded = _cli(
        *common, "--backend", f"record:{recordings}=baseline", "--out", tmp_path / "rec",
        "--no-cache", cwd=tmp_path,
    )  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr
    first = _cli(
        *common, "--backend", f"replay:{recordings}", "--out", tmp_path / "one", cwd=tmp_path
    )
    assert first.returncode == 0, first.stderr

    (recording,) = recordings.glob("*.json")
    data = json.loads(recording.read_text(encoding="utf-8"))
    answer = json.loads(data["response"]["content"])
    answer["question"] = "Bør kommunen vedtage den reviderede plan for området?"
    data["response"]["content"] = json.dumps(answer, ensure_ascii=False)
    recording.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    second = _cli(
        *common, "--backend", f"replay:{recordings}", "--out", tmp_path / "two", cwd=tmp_path
    )
    assert second.returncode == 0, second.stderr

    answered = _outputs(tmp_path / "two")[case.id]
    assert isinstance(answered, dict)
    assert answered["question"] == answer["question"]


@contextlib.contextmanager
def read_only(directory: Path) -> Iterator[Path]:
    """`directory`, made read-only for this process: by its mode, or (as root, whom modes do
    not stop) by the immutable attribute; skipped where neither holds."""
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o555)
    immutable = False
    try:
        if _writable(directory):
            immutable = (
                subprocess.run(
                    ["chattr", "+i", str(directory)], capture_output=True, check=False
                ).returncode
                == 0
            )
            if not immutable or _writable(directory):
                pytest.skip("no way to make a read-only directory on this machine")
        yield directory
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(directory)], check=False)
        directory.chmod(0o755)


def _writable(directory: Path) -> bool:
    probe = directory / ".probe"
    try:
        probe.write_text("x", encoding="utf-8")
    except OSError:
        return False
    probe.unlink()
    return True


def test_a_read_only_out_directory_is_a_one_line_error(
    tmp_path: Path, golden_dir: Path, cases: list[GoldenCase]
) -> None:
    case = next(c for c in cases if c.expect_skip is None)
    with read_only(tmp_path / "ro") as out:
        result = _cli(
            "eval", "--backend", "baseline", "--golden", golden_dir, "--case", case.id,
            "--out", out, "--no-cache", cwd=tmp_path,
        )  # fmt: skip
        left = sorted(p.name for p in out.iterdir())
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"casesummary: error: {out}")
    assert "internal error" not in result.stderr
    assert left == []


def test_a_read_only_cache_is_refused_before_anything_is_written(
    tmp_path: Path, golden_dir: Path, cases: list[GoldenCase]
) -> None:
    case = next(c for c in cases if c.expect_skip is None)
    with read_only(tmp_path / "cache") as cache:
        result = _cli(
            "eval", "--backend", "baseline", "--golden", golden_dir, "--case", case.id,
            "--out", tmp_path / "run", "--cache", cache, cwd=tmp_path,
        )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert str(cache) in result.stderr
    assert not (tmp_path / "run").exists()


# -- exit codes, interruption, the judge ---------------------------------------------------------


def test_failed_cases_make_the_exit_code_1_unless_allowed(
    tmp_path: Path, golden_dir: Path, cases: list[GoldenCase]
) -> None:
    """Against a server that always answers 500 every case fails: that is not a success."""
    from casesummary.testing.server import StubError

    chosen = [c.id for c in cases if c.expect_skip is None][:2]
    picked = [arg for case_id in chosen for arg in ("--case", case_id)]
    with OpenAIStubServer(handler=lambda body: StubError(500, "always down")) as server:
        spec = f"openai-compatible:m@{server.base_url}?max_retries=0"
        common = ["eval", "--backend", spec, "--golden", golden_dir, "--no-cache", "-q", *picked]
        failed = _cli(*common, "--out", tmp_path / "one", cwd=tmp_path)
        allowed = _cli(*common, "--out", tmp_path / "two", "--allow-failures", cwd=tmp_path)
    assert failed.returncode == 1, failed.stderr
    assert "2 cases, 2 records: 0 ok, 2 failed, 0 skipped" in failed.stdout
    assert failed.stderr.count("\n") == 1
    assert f"2 of 2 records failed (see {tmp_path / 'one' / 'report.md'}" in failed.stderr
    assert (tmp_path / "one" / "report.html").is_file()  # the run is written all the same
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stderr == ""


def test_an_interrupted_run_says_how_to_resume(
    tmp_path: Path, golden_dir: Path, cases: list[GoldenCase]
) -> None:
    out = tmp_path / "run"
    with OpenAIStubServer(latency_s=0.3) as server:
        args = [
            str(CASESUMMARY), "eval", "--backend", f"openai-compatible:m@{server.base_url}",
            "--golden", str(golden_dir), "--out", str(out), "--concurrency", "1", "-q",
        ]  # fmt: skip
        process = subprocess.Popen(
            args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        results = out / "results.jsonl"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if results.exists() and results.read_bytes().count(b"\n") >= 2:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the run finished before it could be interrupted"
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 130, stderr
        assert stderr.count("\n") == 1, stderr
        assert stderr.startswith(f"casesummary: aborted: every finished case is kept in {results}")
        command = stderr.split("continue the run with: ", 1)[1].strip()
        assert command.endswith(f"--out {out} --resume")
        kept = len(_results(out))

        resumed = subprocess.run(
            [str(CASESUMMARY), *shlex.split(command)[1:]], cwd=tmp_path, capture_output=True,
            text=True, timeout=300, check=False,
        )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    assert len(_results(out)) == len(cases) > kept


def _rate_by_overlap(golden: list[GoldenCase]) -> FunctionBackend:
    """A deterministic stand-in for a judging model: rates each answer 1-5 on every criterion by
    its word overlap with the golden answer of the item it is about."""
    expected = {c.load_item().fingerprint: c.expected for c in golden if c.expected is not None}

    def rate(request: BackendRequest) -> dict[str, Any]:
        fenced = request.messages[-1].content.splitlines()[1:-1]
        answer = PromptResult.model_validate_json("\n".join(fenced))
        target = expected[request.item.fingerprint]
        assert target is not None
        overlap = similarity_scores(answer, target)["similarity"]
        score = 1 + round(4 * overlap)
        return {c: {"score": score, "reason": "Ordoverlap med facit."} for c in CRITERIA}

    return FunctionBackend(rate, name="overlap-judge", model="overlap-v1")


def _shuffled(golden: list[GoldenCase]) -> FunctionBackend:
    """Answers each item with the golden answer of another case: valid, but about the wrong item."""
    answered = [c for c in golden if c.expected is not None]
    other = {
        c.load_item().fingerprint: answered[(i + 1) % len(answered)].expected
        for i, c in enumerate(answered)
    }

    def answer(request: BackendRequest) -> str:
        found = other[request.item.fingerprint]
        assert found is not None
        return found.model_dump_json(exclude={"evidence"})  # another item's quotes: not asked

    return FunctionBackend(answer, name="shuffled", model="golden-rotated")


def test_the_judge_agrees_with_the_golden_answers(
    tmp_path: Path, golden_dir: Path, cases: list[GoldenCase]
) -> None:
    """With a judge that rates by overlap with golden, the oracle scores near the top and a
    shuffled answer near the bottom, each with its confidence interval."""
    judged = {}
    for name, backend in (("oracle", f"oracle:{golden_dir}"), ("shuffled", _shuffled(cases))):
        # v1: no quotes and no grounding rule, so the other cases' answers stand to be judged
        summary = run_eval(
            cases, backend=backend, prompt="summary@1.0.0", taxonomy=None,
            out_dir=tmp_path / name, progress=False, judge=_rate_by_overlap(cases),
        )  # fmt: skip
        judged[name] = summary.aggregate.metrics
    for name in ("judge", *(f"judge_{c}" for c in CRITERIA)):
        assert judged["oracle"][name].mean >= 0.95, name
        assert judged["shuffled"][name].mean <= 0.3, name
        assert judged["shuffled"][name].high < judged["oracle"][name].low
        assert judged["oracle"][name].n == len([c for c in cases if c.expect_skip is None])
    report = (tmp_path / "oracle" / "report.md").read_text(encoding="utf-8")
    assert "| judge_faithfulness | 1.000 |" in report


def test_eval_judge_option_runs_the_judge_and_caches_its_verdicts(
    tmp_path: Path, golden_dir: Path, cases: list[GoldenCase]
) -> None:
    """`eval --judge SPEC`: the judge's metrics with CIs on stdout and in metrics.json, and for
    answers with evidence the evidence judge's; a rerun asks the judging server nothing (its
    verdicts are cached like answers)."""
    chosen = [c.id for c in cases if c.expect_skip is None][:2]
    picked = [arg for case_id in chosen for arg in ("--case", case_id)]
    verdict = json.dumps({c: {"score": 4, "reason": "Fint."} for c in CRITERIA})
    yes, no = (
        {"supported": True, "reason": "Citatet siger det."},
        {"supported": False, "reason": "Nej."},
    )
    support = json.dumps({"summary": yes, "pros": [yes, yes, yes], "cons": [no, yes, yes]})

    def answer(body: dict[str, Any]) -> StubAnswer:
        about_quotes = "<<<BELÆG-" in body["messages"][-1]["content"]
        return StubAnswer(content=support if about_quotes else verdict)

    with OpenAIStubServer(handler=answer) as server:
        judge = f"openai-compatible:judge@{server.base_url}"
        common = ["eval", "--backend", "oracle", "--golden", golden_dir, *picked, "--judge", judge]
        first = _cli(*common, "--out", tmp_path / "one", "--fail-under", "judge=0.7",
                     "--fail-under", "judge_evidence_support=0.8", cwd=tmp_path)  # fmt: skip
        asked = server.request_count
        second = _cli(*common, "--out", tmp_path / "two", cwd=tmp_path)
        asked_again = server.request_count - asked
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert asked == 4  # per case: the answer rated, its quotes judged
    assert asked_again == 0
    judge_line = next(line for line in first.stdout.splitlines() if line.split()[:1] == ["judge"])
    assert judge_line.split()[1] == "0.750"
    metrics = json.loads((tmp_path / "one" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["metrics"]["judge_clarity"]["mean"] == pytest.approx(0.75)
    assert metrics["metrics"]["judge_evidence_support"]["mean"] == pytest.approx(6 / 7)
    records = _results(tmp_path / "one")
    assert all(r.get("message") is None for r in records), records
    run = json.loads((tmp_path / "one" / "run.json").read_text(encoding="utf-8"))
    assert run["judge"] == judge
    unknown = _cli("eval", "--fail-under", "judge=0.5", "--out", tmp_path / "x", cwd=tmp_path)
    assert unknown.returncode == 2
    assert "unknown metric 'judge'" in unknown.stderr
