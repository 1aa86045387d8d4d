"""Secrets and personal data never reach disk: API keys anywhere, CPR numbers unmasked.

Both tests run the CLI as a user would, against the loopback OpenAI-protocol server, then read
back every byte the runs wrote (and what they printed) looking for the secret.
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Any

from casesummary.redact import CPR_MASK
from casesummary.testing.server import (
    OpenAIStubServer,
    Reply,
    StubAnswer,
    StubError,
    evidence_answer,
)

from .conftest import COPY_MARK, MINUTES_CASES, ROOT, copy_minutes_case, run_cli


def written_files(root: Path, *, skip: Path | None = None) -> list[Path]:
    return [
        p
        for p in sorted(root.rglob("*"))
        if p.is_file() and (skip is None or not p.is_relative_to(skip))
    ]


def copy_of(body: dict[str, Any]) -> int:
    text = "\n".join(str(m.get("content")) for m in body["messages"])
    found = COPY_MARK.search(text)
    return int(found.group(1)) if found else 0


# -- API keys ------------------------------------------------------------------------------------


def test_the_api_key_reaches_no_file_log_or_output(tmp_path: Path) -> None:
    canary = f"sk-canary-{secrets.token_hex(16)}"
    golden = tmp_path / "golden"
    for number in range(1, 7):
        copy_minutes_case(MINUTES_CASES[number % len(MINUTES_CASES)], golden, number)
    work = tmp_path / "work"
    work.mkdir()

    def leaky(body: dict[str, Any]) -> Reply | None:
        """A server that echoes the key back in its error messages, as some proxies do."""
        number = copy_of(body)
        if number == 1:
            return StubError(401, f"Incorrect API key provided: {canary}")
        if number == 2:
            return StubError(503, f"upstream rejected 'Authorization: Bearer {canary}'")
        return None

    env = {"OPENAI_API_KEY": canary, "OPENAI_LOG": "debug"}  # the SDK's own debug logging on
    with OpenAIStubServer(handler=leaky) as server:
        spec = f"openai-compatible:stub-model@{server.base_url}?timeout=5&max_retries=1"
        runs = [
            run_cli(
                "eval", "--backend", spec, "--golden", golden, "--out", work / "run",
                "--cache", work / "cache", "--quiet", "--allow-failures", cwd=work, env=env,
            ),
            run_cli(
                "summarize", golden / sorted(p.name for p in golden.iterdir())[3] / "input.txt",
                "--json", "--backend", f"record:{work / 'recordings'}={spec}", cwd=work, env=env,
            ),
            run_cli(
                "summarize", next(golden.glob("copy-001-*")) / "input.txt", "--json",
                "--backend", f"record:{work / 'recordings'}={spec}", cwd=work, env=env,
            ),
        ]  # fmt: skip
        requests = server.chat_requests

    eval_run, good, refused = runs
    assert eval_run.returncode == 0, eval_run.stderr
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["provenance"]["backend"] == "openai-compatible"
    assert refused.returncode == 1
    assert "Incorrect API key provided" in refused.stderr
    # The key was really sent, so finding it nowhere means something.
    assert len(requests) >= 8
    assert all(r.had_auth for r in requests)
    results = (work / "run" / "results.jsonl").read_text(encoding="utf-8")
    assert "Incorrect API key provided" in results, "the echoing error was recorded"
    assert len(list((work / "cache").glob("*.json"))) >= 4
    assert list((work / "recordings").glob("*.json"))

    needle = canary.encode()
    files = written_files(work)
    assert {"run.json", "results.jsonl", "report.html", "report.md"} <= {p.name for p in files}
    leaks = [str(p) for p in files if needle in p.read_bytes()]
    assert not leaks, f"the API key was written to {leaks}"
    for run in runs:
        assert canary not in run.stdout + run.stderr
    snapshots = [p for p in (ROOT / "tests").rglob("__snapshots__/**/*") if p.is_file()]
    assert snapshots
    assert not [p for p in snapshots if b"sk-canary-" in p.read_bytes()]


# -- CPR numbers ---------------------------------------------------------------------------------

#: A plausible CPR number (23 Nov 1985) in both written forms.
CPR = "231185-4321"
CPR_DIGITS = "2311854321"
_CPR_SEEN = re.compile(r"\b\d{6}-?\d{4}\b")


def echo_cpr(body: dict[str, Any]) -> Reply:
    """A model that repeats the CPR number it was shown, in its summary and a pro."""
    text = "\n".join(str(m.get("content")) for m in body["messages"])
    found = _CPR_SEEN.search(text)
    assert found is not None, "the item text reached the model unmasked"
    valid = evidence_answer(body)  # the default prompt asks for quotes from the item
    answer = {
        **valid,
        "summary": f"Sagen gælder borgeren med CPR-nummer {found.group()}. "
        + valid["summary"].split(". ", 1)[1],
        "pros": [f"Borgeren {CPR_DIGITS} får svar", *valid["pros"][1:]],
    }
    return StubAnswer(content=json.dumps(answer, ensure_ascii=False))


def test_cpr_numbers_are_masked_in_every_file_a_run_writes(tmp_path: Path) -> None:
    golden = tmp_path / "golden"
    for number in (1, 2):
        copy_minutes_case(
            MINUTES_CASES[number],
            golden,
            number,
            extra_text=f"Klage fra borger med CPR-nr. {CPR} (også skrevet {CPR_DIGITS}).",
            title_extra=f" vedr. {CPR}",
        )
    work = tmp_path / "work"
    work.mkdir()
    with OpenAIStubServer(handler=echo_cpr) as server:
        spec = f"openai-compatible:stub-model@{server.base_url}?timeout=5&max_retries=0"
        runs = [
            run_cli(
                "eval", "--backend", spec, "--golden", golden, "--out", work / "cached",
                "--cache", work / "cache", "--quiet", cwd=work,
            ),
            run_cli(
                "eval", "--backend", spec, "--golden", golden, "--out", work / "uncached",
                "--no-cache", "--quiet", cwd=work,
            ),
            run_cli(
                "summarize", next(golden.glob("copy-001-*")) / "input.txt", "--json",
                "--backend", f"record:{work / 'recordings'}={spec}", cwd=work,
            ),
        ]  # fmt: skip
        assert len(server.chat_requests) >= 5
    for run in runs:
        assert run.returncode == 0, run.stderr

    files = written_files(work)
    names = {p.name for p in files}
    assert {"report.html", "report.md", "results.jsonl", "cases.json"} <= names
    assert list((work / "cache").glob("*.json"))
    assert list((work / "recordings").glob("*.json"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert CPR not in text, f"an unmasked CPR number in {path}"
        assert CPR_DIGITS not in text, f"an unmasked CPR number in {path}"
    for run_dir in (work / "cached", work / "uncached"):
        for name in ("report.html", "results.jsonl", "cases.json"):  # report.md shows no text
            assert CPR_MASK in (run_dir / name).read_text(encoding="utf-8"), f"{run_dir}/{name}"
