"""Every performance figure the README quotes: `python benchmarks/run.py`.

Each line is `name: value (target …)`, a ratio or a count measured within one run, so a busy
shared machine changes the absolute times but not the verdicts much. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
FIXTURE_ITEM = DATA / "fixtures" / "odense-beu-2025-pejlemaerker.item.json"
FIXTURE_MEETING = DATA / "fixtures" / "hvidovre-oekonomiudvalget-2026-05-18.meeting.json"
GOLDEN = ROOT / "golden"


def line(name: str, value: float | int | str, target: str, fmt: str = ".3f") -> None:
    shown = format(value, fmt) if isinstance(value, float) else str(value)
    print(f"{name}: {shown} ({target})", flush=True)


# --- inputs -------------------------------------------------------------------------------


def golden_inputs() -> list[Path]:
    return sorted(p for p in GOLDEN.glob("*/input.*") if p.is_file())


def corpus_items() -> list[tuple[object, str | None]]:
    """Every golden and fixture item that has text, with its raw JSON where it came from JSON."""
    from casesummary import load_items
    from casesummary.eval.golden import load_golden

    items: list[tuple[object, str | None]] = []
    seen: set[str] = set()  # golden cases may share an item
    for case in load_golden(GOLDEN):
        if case.expect_skip:
            continue
        item = case.load_item()
        if item.fingerprint not in seen:
            seen.add(item.fingerprint)
            items.append((item, None))
    items = [(item, raw) for item, raw in items if item.fingerprint not in _json_fingerprints()]
    odense_raw = FIXTURE_ITEM.read_text(encoding="utf-8")
    items += [(item, odense_raw) for item in load_items(FIXTURE_ITEM) if item.has_text]
    meeting = json.loads(FIXTURE_MEETING.read_text(encoding="utf-8"))
    pairs = zip(meeting["Dagsordenpunkter"], load_items(FIXTURE_MEETING), strict=True)
    items += [(item, json.dumps(raw, ensure_ascii=False)) for raw, item in pairs if item.has_text]
    return items


def _json_fingerprints() -> set[str]:
    """Fingerprints of the fixture items, which are counted once, with their raw JSON."""
    from casesummary import load_items

    return {i.fingerprint for i in [*load_items(FIXTURE_ITEM), *load_items(FIXTURE_MEETING)]}


def visible_text(item: object) -> str:
    """What a person reading the item sees: title, case number, each heading and its text."""
    parts = [item.title]  # type: ignore[attr-defined]
    if item.case_number:  # type: ignore[attr-defined]
        parts.append(item.case_number)  # type: ignore[attr-defined]
    for section in item.sections:  # type: ignore[attr-defined]
        parts.append(section.heading)
        parts.append(section.text)
    return "\n".join(parts)


# --- figures ------------------------------------------------------------------------------


def bench_tokens() -> None:
    from casesummary.tokens import count_tokens

    items = corpus_items()
    prompt_tokens = floor_tokens = 0
    raw_prompt_tokens = raw_tokens = 0
    kept_words = total_words = 0
    for item, raw in items:
        prompt = item.to_prompt_text()  # type: ignore[attr-defined]
        floor = visible_text(item)
        p, f = count_tokens(prompt), count_tokens(floor)
        prompt_tokens += p
        floor_tokens += f
        words = re.findall(r"\w+", floor.casefold())
        prompt_words = set(re.findall(r"\w+", prompt.casefold()))
        total_words += len(words)
        kept_words += sum(w in prompt_words for w in words)
        if raw is not None:
            raw_prompt_tokens += p
            raw_tokens += count_tokens(raw)
    line("token_overhead", prompt_tokens / floor_tokens, f"target <= 1.05; {len(items)} items")
    line("text_coverage", kept_words / total_words, "target >= 0.99")
    line("token_ratio_vs_raw", raw_prompt_tokens / raw_tokens, "target <= 0.56; JSON-sourced items")


def bench_parse() -> None:
    from casesummary import load_items

    inputs = [p.read_bytes() for p in golden_inputs()]
    inputs.append(FIXTURE_ITEM.read_bytes())
    count = 0
    start = time.process_time()
    deadline = start + 2.0
    while time.process_time() < deadline:
        for data in inputs:
            count += len(load_items(data))
    per_core = count / (time.process_time() - start)
    line("parse_items_per_s", per_core, "target >= 1,000 per core", ".0f")

    item = json.loads(FIXTURE_ITEM.read_text(encoding="utf-8"))
    html = item["Felter"][0]["Html"]
    big = dict(item, Felter=[dict(item["Felter"][0], Html=html * 100)])
    small_bytes = json.dumps(item).encode()
    big_bytes = json.dumps(big).encode()

    def per_kb(data: bytes, rounds: int) -> float:
        start = time.process_time()
        for _ in range(rounds):
            load_items(data)
        return (time.process_time() - start) / rounds / (len(data) / 1024)

    per_kb(small_bytes, 20)  # warm up
    small = min(per_kb(small_bytes, 200) for _ in range(3))
    large = min(per_kb(big_bytes, 3) for _ in range(3))
    line("parse_scaling", large / small, "target <= 1.5: linear; per-KB time at 100x / 1x")


def bench_import() -> None:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import casesummary"],
        capture_output=True,
        text=True,
        check=True,
    )
    total_us = 0
    for row in out.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+)\s+\|", row)
        if match:
            total_us += int(match.group(1))
    line("import_s", total_us / 1e6, "target <= 0.15")


def _many_items(n: int) -> list[object]:
    from casesummary import load_items

    base = [i for i in load_items(FIXTURE_MEETING) if i.has_text]
    return [
        base[k % len(base)].model_copy(update={"number": f"bench-{k}", "fingerprint": ""})
        for k in range(n)
    ]


def _refingerprint(items: list[object]) -> list[object]:
    from casesummary.item import AgendaItem

    return [AgendaItem.model_validate(i.model_dump()) for i in items]  # type: ignore[attr-defined]


def bench_concurrency() -> None:
    from casesummary import summarize_many
    from casesummary.testing.server import OpenAIStubServer

    n, concurrency, latency = 200, 16, 0.1
    items = _refingerprint(_many_items(n))
    with OpenAIStubServer(latency_s=latency) as server:
        spec = f"openai-compatible:bench@{server.base_url}"
        start = time.perf_counter()
        results = summarize_many(items, backend=spec, concurrency=concurrency)  # type: ignore[arg-type]
        wall = time.perf_counter() - start
        stats = server.stats()
    failures = sum(type(r).__name__ == "SummaryFailure" for r in results)
    ideal = math.ceil(n / concurrency) * latency
    line("concurrency_efficiency", wall / ideal, f"target <= 1.15; {n} items, c={concurrency}, {failures} failed")
    line("peak_in_flight", stats["peak_in_flight"], f"concurrency {concurrency}")
    line("mean_in_flight", float(stats["mean_in_flight"]), f"concurrency {concurrency}", ".1f")


def bench_cache() -> None:
    from casesummary.testing.server import OpenAIStubServer

    tmp = Path(tempfile.mkdtemp(prefix="casesummary-bench-"))
    try:
        with OpenAIStubServer(latency_s=0.1) as server:
            spec = f"openai-compatible:bench@{server.base_url}"

            def run(out: str) -> float:
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "casesummary", "eval", "--backend", spec,
                     "--golden", str(GOLDEN), "--out", str(tmp / out),
                     "--cache", str(tmp / "cache"), "--concurrency", "1", "--quiet"],
                    check=True, capture_output=True,
                )
                return time.perf_counter() - start

            cold = run("cold")
            calls_after_cold = server.request_count
            warm = run("warm")
            warm_calls = server.request_count - calls_after_cold
        line("warm_calls", warm_calls, "target 0")
        line("cache_speedup", cold / warm, "target >= 50; cold / warm wall time, concurrency 1")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


FIGURES: dict[str, Callable[[], None]] = {
    "tokens": bench_tokens,
    "parse": bench_parse,
    "import": bench_import,
    "concurrency": bench_concurrency,
    "cache": bench_cache,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("only", nargs="*", choices=[*FIGURES, []], help="run only these figures")
    args = parser.parse_args()
    for name, bench in FIGURES.items():
        if not args.only or name in args.only:
            bench()
    _ = asyncio


if __name__ == "__main__":
    main()
