"""`casesummary eval` and `casesummary compare`, run as a user runs them (paths under tmp_path)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from casesummary.eval.golden import GoldenCase, load_golden
from casesummary.testing.server import OpenAIStubServer

ROOT = Path(__file__).resolve().parents[2]
CASESUMMARY = Path(sys.executable).parent / "casesummary"


def _cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASESUMMARY_")}
    return subprocess.run(
        [str(CASESUMMARY), *map(str, args)],
        cwd=cwd,
        env=env,
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
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
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
