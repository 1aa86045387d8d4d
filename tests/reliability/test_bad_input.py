"""Bad input on every entry point: a typed error from the API, one line and exit 2 on the CLI.

The corpus is in tests/reliability/malformed/ (see its README). Every CLI case runs
`python -m casesummary` as a subprocess; they are started together by one fixture, so the
whole corpus costs a few seconds, and each is then checked by its own parametrised test.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from casesummary.backends.registry import get_backend
from casesummary.eval.compare import compare_runs
from casesummary.eval.golden import load_case, load_golden
from casesummary.eval.rundir import load_run
from casesummary.eval.runner import run_eval
from casesummary.exceptions import (
    InvalidAgendaItem,
    InvalidBackendSpec,
    InvalidGoldenCase,
    InvalidPrompt,
    InvalidRunDirectory,
    InvalidTaxonomy,
    UserError,
)
from casesummary.prompt import load_prompt
from casesummary.sources import load_items
from casesummary.summarizer import summarize, summarize_many
from casesummary.taxonomy import load_taxonomy

from .conftest import GOLDEN, MALFORMED, assert_one_line_error, run_cli

ITEMS = sorted(p.name for p in (MALFORMED / "items").iterdir())
PROMPTS = sorted(p.name for p in (MALFORMED / "prompts").iterdir())
TAXONOMIES = sorted(p.name for p in (MALFORMED / "taxonomies").iterdir())
GOLDENS = sorted(p.name for p in (MALFORMED / "golden").iterdir())
RUNS = sorted(p.name for p in (MALFORMED / "runs").iterdir())
#: The real golden case every run in this module is made of (a short item: fast).
CASE = "odense-2016-bsu-p7-225-timers-reglen"
GOOD_ITEM = GOLDEN / CASE / "input.txt"

#: Backend specs that name no usable backend, and what the message must say.
BAD_SPECS: dict[str, tuple[str, str]] = {
    "unknown-name": ("opena:gpt-4o-mini", "Did you mean 'openai'?"),
    "bare-model-name": ("gpt-4o-mini", "Did you mean 'openai:gpt-4o-mini'?"),
    "compatible-no-url": ("openai-compatible:llama", "'@<base_url>' is missing"),
    "compatible-bad-url": ("openai-compatible:llama@ftp://host/v1", "not an http:// or https://"),
    "compatible-bad-option": (
        "openai-compatible:m@http://127.0.0.1:9/v1?retries=2",
        "unknown option",
    ),
    "compatible-bad-timeout": ("openai-compatible:m@http://127.0.0.1:9/v1?timeout=soon", "timeout"),
    "compatible-bad-mode": ("openai-compatible:m@http://127.0.0.1:9/v1?mode=xml", "unknown mode"),
    "openai-no-key": ("openai:gpt-4o-mini", "set OPENAI_API_KEY"),
    "azure-no-env": ("azure:my-deployment", "AZURE_OPENAI_API_KEY"),
    "replay-missing-dir": ("replay:/no/such/recordings", "does not exist"),
    "record-no-inner": ("record:/tmp/recordings", "inner backend spec is missing"),
    "oracle-missing-dir": ("oracle:/no/such/golden", "does not exist"),
    "baseline-options": ("baseline:fast", "takes no options"),
}

#: Bad command lines, and what the one line must say.
BAD_FLAGS: dict[str, tuple[tuple[str, ...], str]] = {
    "eval-unknown-flag": (("eval", "--bogus"), "No such option '--bogus'"),
    "summarize-unknown-flag": (("summarize", str(GOOD_ITEM), "--bogus"), "No such option"),
    "unknown-command": (("summarise",), "No such command 'summarise'"),
    "eval-concurrency-0": (("eval", "--concurrency", "0"), "--concurrency"),
    "eval-concurrency-negative": (("eval", "--concurrency", "-1"), "--concurrency"),
    "eval-concurrency-word": (("eval", "--concurrency", "abc"), "'abc' is not a valid integer"),
    "summarize-concurrency-0": (
        ("summarize", str(GOOD_ITEM), "--concurrency", "0"),
        "--concurrency",
    ),
    "eval-fail-under-no-value": (("eval", "--fail-under", "x"), "expected METRIC=VALUE"),
    "eval-fail-under-not-a-number": (
        ("eval", "--fail-under", "similarity=abc"),
        "'abc' is not a number",
    ),
    "eval-fail-under-nan": (("eval", "--fail-under", "similarity=nan"), "is not a number"),
    "eval-fail-under-unknown-metric": (("eval", "--fail-under", "simlarity=0.5"), "unknown metric"),
    "eval-repeat-0": (("eval", "--repeat", "0"), "--repeat"),
    "eval-repeat-word": (("eval", "--repeat", "twice"), "--repeat"),
    "eval-resume-without-out": (("eval", "--resume"), "--resume needs --out"),
    "eval-unknown-case": (("eval", "--backend", "baseline", "--case", "nope"), "no golden case"),
    "summarize-missing-file": (("summarize",), "Missing argument 'FILE...'"),
    "summarize-no-such-item": (("summarize", str(GOOD_ITEM), "--item", "99"), "no item number"),
    "compare-one-run": (("compare", "runs/a"), "Missing argument"),
}


@dataclass(frozen=True)
class Paths:
    """Where the fixture put things; `invocations` only joins paths, so ids are known early."""

    root: Path

    @property
    def fresh(self) -> Path:
        return self.root / "fresh"

    def broken_run(self, entry: str, purpose: str) -> Path:
        return self.root / purpose / entry


Argv = tuple[str | Path, ...]


#: Corpus entries also run through `eval` (every entry runs through one command already).
EVAL_TOO = {"missing-id.md", "bad-yaml.md", "empty.yaml", "duplicate-topics.yaml",
            "unknown-name", "oracle-missing-dir", "openai-no-key"}  # fmt: skip


def invocations(paths: Paths) -> dict[str, tuple[Argv, str]]:
    """Every CLI case: id -> (arguments, a word the one-line error must contain)."""
    out = paths.root / "out"
    run_case = ("--backend", "baseline", "--case", CASE)
    cases: dict[str, tuple[Argv, str]] = {}
    for name in ITEMS:
        path = MALFORMED / "items" / name
        cases[f"summarize-{name}"] = (("summarize", path, "--backend", "baseline"), name)
    for name in PROMPTS:
        path = MALFORMED / "prompts" / name
        cases[f"summarize-prompt-{name}"] = (
            ("summarize", GOOD_ITEM, "--backend", "baseline", "--prompt", path),
            name,
        )
        if name in EVAL_TOO:
            cases[f"eval-prompt-{name}"] = (
                ("eval", *run_case, "--prompt", path, "--out", out / name),
                name,
            )
    for name in [*TAXONOMIES, "no-such-file.yaml"]:
        path = MALFORMED / "taxonomies" / name
        cases[f"summarize-taxonomy-{name}"] = (
            ("summarize", GOOD_ITEM, "--backend", "baseline", "--taxonomy", path),
            name,
        )
        if name in EVAL_TOO:
            cases[f"eval-taxonomy-{name}"] = (
                ("eval", *run_case, "--taxonomy", path, "--out", out / name),
                name,
            )
    for name in [*GOLDENS, "no-such-dir"]:
        path = MALFORMED / "golden" / name
        cases[f"eval-golden-{name}"] = (
            ("eval", "--backend", "baseline", "--golden", path, "--out", out / name, "--no-cache"),
            name,
        )
    for name in [*RUNS, "no-such-run"]:
        cases[f"compare-{name}"] = (
            ("compare", paths.fresh, paths.broken_run(name, "compare")),
            name,
        )
    for name in RUNS:
        cases[f"resume-{name}"] = (
            ("eval", *run_case, "--golden", GOLDEN, "--no-cache", "--resume",
             "--out", paths.broken_run(name, "resume")),
            name,
        )  # fmt: skip
    for name, (spec, words) in BAD_SPECS.items():
        cases[f"summarize-backend-{name}"] = (("summarize", GOOD_ITEM, "--backend", spec), words)
        if name in EVAL_TOO:
            cases[f"eval-backend-{name}"] = (
                ("eval", "--backend", spec, "--case", CASE, "--out", out / f"spec-{name}"),
                words,
            )
    for name, (args, words) in BAD_FLAGS.items():
        cases[f"flags-{name}"] = (args, words)
    return cases


CLI_IDS = sorted(invocations(Paths(Path("/unused"))))


def broken_run(fresh: Path, entry: str, dest: Path) -> Path:
    """A copy of the fresh run with the corpus entry's files laid over it."""
    shutil.copytree(fresh, dest)
    overlay = MALFORMED / "runs" / entry
    for path in overlay.iterdir():
        if path.name == "DELETE":
            for name in path.read_text(encoding="utf-8").split():
                (dest / name).unlink()
        else:
            shutil.copy(path, dest / path.name)
    return dest


def tree_bytes(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@dataclass(frozen=True)
class Ran:
    result: subprocess.CompletedProcess[str]
    words: str
    before: dict[str, bytes] | None
    after: dict[str, bytes] | None


@pytest.fixture(scope="module")
def fresh_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real, valid one-case run directory (baseline backend)."""
    out = tmp_path_factory.mktemp("runs") / "fresh"
    run_eval(
        [load_case(GOLDEN / CASE)],
        backend="baseline",
        prompt="summary",
        taxonomy=None,
        out_dir=out,
        progress=False,
    )
    return out


@pytest.fixture(scope="module")
def cli_results(fresh_run: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Ran]:
    """Run every CLI case, eight at a time."""
    paths = Paths(tmp_path_factory.mktemp("cli"))
    shutil.copytree(fresh_run, paths.fresh)
    for entry in RUNS:
        for purpose in ("compare", "resume"):
            broken_run(fresh_run, entry, paths.broken_run(entry, purpose))
    work = paths.root / "work"
    work.mkdir()
    cases = invocations(paths)

    def run(case_id: str) -> Ran:
        args, words = cases[case_id]
        watched = paths.broken_run(case_id.removeprefix("resume-"), "resume")
        before = tree_bytes(watched) if case_id.startswith("resume-") else None
        result = run_cli(*args, cwd=work)
        after = tree_bytes(watched) if before is not None else None
        return Ran(result, words, before, after)

    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(zip(CLI_IDS, pool.map(run, CLI_IDS), strict=True))


@pytest.mark.parametrize("case_id", CLI_IDS)
def test_cli_bad_input_is_one_line_and_a_non_zero_exit(
    cli_results: dict[str, Ran], case_id: str
) -> None:
    ran = cli_results[case_id]
    assert_one_line_error(ran.result, ran.words)
    assert ran.result.returncode == 2, "bad input is exit 2"


@pytest.mark.parametrize("entry", RUNS)
def test_a_refused_resume_leaves_the_run_directory_as_it_was(
    cli_results: dict[str, Ran], entry: str
) -> None:
    ran = cli_results[f"resume-{entry}"]
    assert ran.before is not None
    assert ran.after == ran.before


# -- the same corpus through the API: typed errors, one line each ------------------------------


def check_typed(error: pytest.ExceptionInfo[UserError], name: str) -> None:
    message = str(error.value)
    assert name in message, message
    assert "\n" not in message, message


@pytest.mark.parametrize("name", ITEMS)
def test_api_item_files(name: str) -> None:
    with pytest.raises(InvalidAgendaItem) as error:
        load_items(MALFORMED / "items" / name)
    check_typed(error, name)


@pytest.mark.parametrize("name", PROMPTS)
def test_api_prompt_files(name: str) -> None:
    with pytest.raises(InvalidPrompt) as error:
        load_prompt(MALFORMED / "prompts" / name)
    check_typed(error, name)
    item = load_items(GOOD_ITEM)[0]
    with pytest.raises(InvalidPrompt):
        summarize(item, backend="baseline", prompt=str(MALFORMED / "prompts" / name))


@pytest.mark.parametrize("name", [*TAXONOMIES, "no-such-file.yaml"])
def test_api_taxonomy_files(name: str) -> None:
    with pytest.raises(InvalidTaxonomy) as error:
        load_taxonomy(MALFORMED / "taxonomies" / name)
    check_typed(error, name)


@pytest.mark.parametrize("name", [*GOLDENS, "no-such-dir"])
def test_api_golden_dirs(name: str) -> None:
    with pytest.raises(InvalidGoldenCase) as error:
        load_golden(MALFORMED / "golden" / name)
    check_typed(error, name)


def test_api_golden_case_whose_input_does_not_parse_is_a_failed_line(tmp_path: Path) -> None:
    """Loading checks each case's parts; an input that does not parse fails that case only."""
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN / CASE, golden / CASE)
    (golden / CASE / "input.txt").write_text("ingen dagsorden her\n", encoding="utf-8")
    summary = run_eval(
        load_golden(golden), backend="baseline", prompt="summary", taxonomy=None,
        out_dir=tmp_path / "run", progress=False,
    )  # fmt: skip
    record = load_run(summary.out_dir).records[0]
    assert (record.status, record.error_type) == ("failed", "InvalidGoldenCase")


@pytest.mark.parametrize("entry", [*RUNS, "no-such-run"])
def test_api_run_directories(fresh_run: Path, entry: str, tmp_path: Path) -> None:
    run_dir = (
        tmp_path / entry
        if entry == "no-such-run"
        else broken_run(fresh_run, entry, tmp_path / entry)
    )
    with pytest.raises(InvalidRunDirectory) as error:
        load_run(run_dir)
    check_typed(error, entry)
    with pytest.raises(InvalidRunDirectory):
        compare_runs(fresh_run, run_dir)
    if entry == "no-such-run":
        return
    before = tree_bytes(run_dir)
    with pytest.raises(InvalidRunDirectory):
        run_eval(
            [load_case(GOLDEN / CASE)], backend="baseline", prompt="summary", taxonomy=None,
            out_dir=run_dir, resume=True, progress=False,
        )  # fmt: skip
    assert tree_bytes(run_dir) == before


@pytest.mark.parametrize("name", sorted(BAD_SPECS))
def test_api_backend_specs(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN"):
        monkeypatch.delenv(variable, raising=False)
    spec, words = BAD_SPECS[name]
    with pytest.raises(InvalidBackendSpec) as error:
        get_backend(spec)
    assert words in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda items: summarize_many(items, backend="baseline", concurrency=0), "concurrency"),
        (lambda items: summarize_many(items, backend="baseline", max_reasks=-1), "max_reasks"),
        (lambda items: summarize(items[0], backend="baseline", max_reasks=-1), "max_reasks"),
        (lambda items: summarize(items[0], backend="baseline", prompt="summary@9"), "no version 9"),
        (lambda items: summarize(items[0], backend="baseline", prompt="nope"), "no prompt named"),
        (lambda items: summarize(items[0], backend="", taxonomy=None), "empty backend spec"),
    ],
)
def test_api_bad_arguments_are_user_errors(
    call: Callable[[list[object]], object], words: str
) -> None:
    items = load_items(GOOD_ITEM)
    with pytest.raises(UserError, match=words):
        call(items)  # type: ignore[arg-type]


def test_an_uncreatable_recordings_directory_is_a_user_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n", encoding="utf-8")
    with pytest.raises(InvalidRunDirectory, match="a-file"):
        get_backend(f"record:{blocker / 'recordings'}=baseline")
    result = run_cli(
        "summarize", GOOD_ITEM, "--backend", f"cache:{blocker / 'sub'}=baseline", cwd=tmp_path
    )
    assert_one_line_error(result, "a-file")
    result = run_cli(
        "eval", "--backend", "baseline", "--case", CASE, "--cache", blocker / "sub",
        "--out", tmp_path / "run", cwd=tmp_path,
    )  # fmt: skip
    assert_one_line_error(result, "a-file")
