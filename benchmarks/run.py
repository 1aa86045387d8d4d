"""Every performance figure the README quotes: `python benchmarks/run.py [group ...]`.

Groups: tokens, parse, formats, import, evidence, concurrency, cache, portal, batch (all when none
is named). Each line is `name: value (target …)`, a ratio or a count measured within one run, so
a busy shared machine moves the absolute times more than the verdicts. How each figure is
measured is in docs/PERFORMANCE.md. Nothing here is a test, and no test asserts a timing.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import math
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from corpus import DATA, FIXTURE_ITEM, FIXTURE_MEETING, GOLDEN, corpus

#: The real published documents, one per format.
REAL = DATA / "real"

#: The golden inputs `parse_items_per_s` is measured over (PDFs, pages and XML: bench_formats).
TEXTUAL = (".json", ".txt")
#: A minutes-text item for the text parser's scaling.
MINUTES_ITEM = GOLDEN / "odense-2016-bsu-p1-beskaeftigelsesplan-2017" / "input.txt"

if TYPE_CHECKING:
    from casesummary.backends.base import BackendRequest, BackendResponse
    from casesummary.item import AgendaItem

#: The stub server's fixed answer latency for the API-bound figures.
LATENCY_S = 0.1
_WORD = re.compile(r"\w+")
#: Modules `import casesummary` must not load: the web app that imports it pays for them.
HEAVY = (
    *("openai", "httpx", "pydantic", "selectolax", "jinja2", "tenacity", "bpe_openai", "yaml"),
    *("lxml", "pypdfium2"),
)


def line(name: str, value: float, target: str, digits: int = 3) -> None:
    """Print one figure as `name: value (target …)`."""
    shown = str(value) if isinstance(value, int) else f"{value:.{digits}f}"
    print(f"{name}: {shown} ({target})", flush=True)


# --- tokens --------------------------------------------------------------------------------


def bench_tokens() -> None:
    """Prompt tokens against the visible-text floor and the raw JSON; words of the floor kept."""
    from casesummary.tokens import count_tokens

    items = corpus()
    prompt_tokens = floor_tokens = 0
    json_prompt_tokens = json_raw_tokens = 0
    kept = total = 0
    worst = (2.0, "")
    by_format: dict[str, list[int]] = {}
    for entry in items:
        prompt = entry.item.to_prompt_text()
        tokens = count_tokens(prompt)
        prompt_tokens += tokens
        floor_tokens += count_tokens(entry.visible)
        # Multiset coverage: a word the floor has three times must be in the prompt three times.
        seen = Counter(_WORD.findall(entry.visible.casefold()))
        shown = Counter(_WORD.findall(prompt.casefold()))
        item_kept = sum(min(n, shown[word]) for word, n in seen.items())
        item_total = sum(seen.values())
        kept += item_kept
        total += item_total
        counts = by_format.setdefault(entry.item.source_format.value, [0, 0])
        counts[0] += item_kept
        counts[1] += item_total
        worst = min(worst, (item_kept / item_total, entry.label))
        if entry.raw_json is not None:
            json_prompt_tokens += tokens
            json_raw_tokens += count_tokens(entry.raw_json)
    line(
        "token_overhead",
        prompt_tokens / floor_tokens,
        f"target <= 1.05; {len(items)} items, {prompt_tokens} prompt / {floor_tokens} "
        "visible-text tokens, o200k_base",
    )
    shares = {name: k / t for name, (k, t) in sorted(by_format.items())}
    line(
        "text_coverage",
        min(shares.values()),
        f"target >= 0.99 for every format: the lowest format's share; {kept} of {total} visible "
        f"words in all; by format: "
        + ", ".join(f"{name} {share:.3f}" for name, share in shares.items())
        + f"; lowest item {worst[0]:.3f} ({worst[1]})",
    )
    line(
        "token_ratio_vs_raw",
        json_prompt_tokens / json_raw_tokens,
        f"target <= 0.56; {json_prompt_tokens} prompt / {json_raw_tokens} raw JSON tokens "
        "over the Odense and Hvidovre fixture items with text",
    )


# --- parsing -------------------------------------------------------------------------------


def bench_parse() -> None:
    """Items parsed per CPU-second over the golden inputs; per-KB time at 100x vs 1x size."""
    from casesummary.sources import load_items

    # The JSON and text inputs: the published formats have their own figures (bench_formats).
    inputs = [p.read_bytes() for p in sorted(GOLDEN.glob("*/input.*")) if p.suffix in TEXTUAL]
    for data in inputs:  # warm up: imports and compiled patterns
        load_items(data)
    count = 0
    start = time.process_time()
    while (spent := time.process_time() - start) < 2.0:
        for data in inputs:
            count += len(load_items(data))
    line(
        "parse_items_per_s",
        count / spent,
        f"target >= 1000 per core; load_items over the {len(inputs)} golden JSON and text inputs, "
        "CPU time of one process",
        0,
    )

    # 100x the item's body, in both kinds of parser: portal HTML in JSON, and minutes text.
    item = json.loads(FIXTURE_ITEM.read_text(encoding="utf-8"))
    field = item["Felter"][0]
    big = dict(item, Felter=[dict(field, Html=field["Html"] * 100)])
    minutes = MINUTES_ITEM.read_text(encoding="utf-8")
    head, heading, body = minutes.partition("\nSagsfremstilling\n")
    pairs = {
        "portal HTML": (json.dumps(item, ensure_ascii=False), json.dumps(big, ensure_ascii=False)),
        "minutes text": (minutes, head + heading + body * 100),
    }

    def per_kb(data: bytes, rounds: int) -> float:
        start = time.process_time()
        for _ in range(rounds):
            load_items(data)
        return (time.process_time() - start) / rounds / (len(data) / 1024)

    ratios: dict[str, float] = {}
    shown = []
    for name, (one, hundred) in pairs.items():
        small_bytes, big_bytes = one.encode(), hundred.encode()
        per_kb(small_bytes, 20)
        small = min(per_kb(small_bytes, 100) for _ in range(5))
        large = min(per_kb(big_bytes, 2) for _ in range(5))
        ratios[name] = large / small
        shown.append(
            f"{name} {len(small_bytes) // 1024}->{len(big_bytes) // 1024} KB: "
            f"{small * 1e6:.0f} -> {large * 1e6:.0f} us/KB, {large / small:.2f}"
        )
    line(
        "parse_scaling",
        max(ratios.values()),
        "target <= 1.5: linear; CPU time per KB with the item's body x100 / x1, the worse of "
        + "; ".join(shown),
    )


def bench_formats() -> None:
    """The published formats: PDF parse / PDFium's own extraction, items per CPU-second of the
    XML exports and portal pages, and per-KB time at 10x vs 1x size for each."""
    import pypdfium2 as pdfium

    from casesummary.sources import load_items

    pdf = REAL / "aarhus-byraad-2025-08-27.referat.pdf"
    raw_pdf = pdf.read_bytes()

    def extract(data: bytes) -> list[str]:
        document = pdfium.PdfDocument(data)
        texts = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        document.close()
        return texts

    def best(work: Callable[[], object], rounds: int = 5) -> float:
        times = []
        for _ in range(rounds):
            start = time.process_time()
            work()
            times.append(time.process_time() - start)
        return min(times)

    load_items(raw_pdf)
    extract(raw_pdf)
    library = best(lambda: extract(raw_pdf))
    ours = best(lambda: load_items(raw_pdf))
    line(
        "pdf_parse_ratio",
        ours / library,
        f"target <= 1.3; load_items / PDFium's get_text_bounded over the {len(extract(raw_pdf))}"
        f"-page Aarhus minutes: {ours * 1000:.0f} / {library * 1000:.0f} ms CPU, best of 5",
    )
    markup = {
        "xml": [
            REAL / n
            for n in (
                "ballerup-kmb-it-udvalget-2013-05-15.sbsys.xml",
                "ballerup-sundhed-forebyggelse-2012-12-04.edoc.xml",
                "syddjurs-puk-2013-06-20.acadre.xml",
            )
        ],
        "page": [REAL / "aarhus-byraad-2025-10-08.dagsorden.html"],
    }
    for name, paths in markup.items():
        inputs = [p.read_bytes() for p in paths]
        for data in inputs:
            load_items(data)
        count = 0
        start = time.process_time()
        while (spent := time.process_time() - start) < 2.0:
            for data in inputs:
                count += len(load_items(data))
        line(
            f"{name}_items_per_s",
            count / spent,
            f"target >= 1000 per core; load_items over {', '.join(p.name for p in paths)}, "
            "CPU time of one process",
            0,
        )
    # Scaling: each format at 10x its size, per KB of input.
    html = markup["page"][0].read_text(encoding="utf-8")
    rows = (
        html.index('<tr class="punktrow'),
        html.index("</tbody>", html.index('<tr class="punktrow')),
    )
    edoc = markup["xml"][1].read_text(encoding="utf-8")
    items = edoc.index("<MeetingAgendaItem>"), edoc.rindex("</MeetingAgendaItem>") + 20
    big_pdf = pdfium.PdfDocument.new()
    source = pdfium.PdfDocument(raw_pdf)
    for _ in range(10):
        big_pdf.import_pages(source)
    buffer = io.BytesIO()
    big_pdf.save(buffer)
    pairs = {
        "pdf": (raw_pdf, buffer.getvalue()),
        "page": (
            html.encode(),
            (html[: rows[0]] + html[rows[0] : rows[1]] * 10 + html[rows[1] :]).encode(),
        ),
        "edoc": (
            edoc.encode(),
            (edoc[: items[0]] + edoc[items[0] : items[1]] * 10 + edoc[items[1] :]).encode(),
        ),
    }
    shown = []
    worst = 0.0
    for name, (one, ten) in pairs.items():
        small = best(lambda one=one: load_items(one)) / len(one)
        large = best(lambda ten=ten: load_items(ten), 3) / len(ten)
        worst = max(worst, large / small)
        shown.append(f"{name} {len(one) // 1024}->{len(ten) // 1024} KB: {large / small:.2f}")
    line(
        "format_scaling",
        worst,
        "target <= 1.5: linear; CPU time per KB at 10x / 1x, the worse of " + "; ".join(shown),
    )


# --- import --------------------------------------------------------------------------------


def bench_import() -> None:
    """`import casesummary` in a fresh interpreter, from -X importtime; heavy modules loaded."""
    code = (
        "import casesummary, json, sys; "
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    runs: list[float] = []
    heavy: list[str] = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            capture_output=True,
            text=True,
            check=True,
        )
        heavy = json.loads(out.stdout)
        for row in out.stderr.splitlines():
            match = re.match(r"import time:\s+\d+\s+\|\s+(\d+)\s+\|\s?(\S+)$", row)
            if match and match.group(2) == "casesummary":
                runs.append(int(match.group(1)) / 1e6)
    line(
        "import_s",
        statistics.median(runs),
        "target <= 0.15; cumulative time of the `casesummary` row of "
        f"`python -X importtime -c 'import casesummary'`, median of {len(runs)}; "
        f"heavy modules loaded: {', '.join(heavy) or 'none'}",
    )


# --- API-bound: concurrency ----------------------------------------------------------------

# The stub server runs in its own process, as a model API would: in this process its threads
# would take the GIL from the client under test.
_SERVER = """
import json, sys
from casesummary.testing.server import OpenAIStubServer
with OpenAIStubServer(latency_s=float(sys.argv[1])) as server:
    print(server.base_url, flush=True)
    for _ in sys.stdin:  # each line asks for the request count so far
        print(server.request_count, flush=True)
    print(json.dumps([server.request_count, server.peak_in_flight, server.mean_in_flight]))
"""


class StubProcess:
    """OpenAIStubServer in a child process; `stats()` stops it and returns its counts."""

    def __init__(self, latency_s: float) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-c", _SERVER, str(latency_s)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._proc.stdout is not None
        self.base_url = self._proc.stdout.readline().strip()
        if not self.base_url:
            raise RuntimeError("the stub server did not start")

    def request_count(self) -> int:
        """Requests the server has answered so far."""
        assert self._proc.stdin is not None
        assert self._proc.stdout is not None
        self._proc.stdin.write("count\n")
        self._proc.stdin.flush()
        return int(self._proc.stdout.readline())

    def stats(self) -> tuple[int, int, float]:
        """(requests, peak in flight, mean in flight), once the server has stopped."""
        out, _ = self._proc.communicate("", timeout=30)
        requests, peak, mean = json.loads(out)
        return int(requests), int(peak), float(mean)


def distinct_items(n: int) -> list[AgendaItem]:
    """n distinct items (distinct fingerprints) cycled from the Hvidovre meeting's open items."""
    from casesummary.item import AgendaItem
    from casesummary.sources import load_items

    base = [i for i in load_items(FIXTURE_MEETING) if i.is_open and i.has_text]
    return [
        AgendaItem.model_validate(
            base[k % len(base)].model_dump() | {"number": f"bench-{k}", "fingerprint": ""}
        )
        for k in range(n)
    ]


class SleepingBackend:
    """Answers every request with the stub server's default answer after LATENCY_S, in-process."""

    name = "sleeping"
    model = "sleeping"

    def complete(self, request: BackendRequest) -> BackendResponse:
        time.sleep(LATENCY_S)
        return self._answer(request)

    async def acomplete(self, request: BackendRequest) -> BackendResponse:
        await asyncio.sleep(LATENCY_S)
        return self._answer(request)

    def _answer(self, request: BackendRequest) -> BackendResponse:
        from casesummary.backends.base import BackendResponse
        from casesummary.testing.server import DEFAULT_ANSWER, evidence_answer

        body = {"messages": [m.model_dump() for m in request.messages]}
        answer = evidence_answer(body) if request.wants_evidence else DEFAULT_ANSWER
        content = json.dumps(answer, ensure_ascii=False)
        return BackendResponse(content=content, model=self.model, structured_mode="json_schema")


def bench_concurrency() -> None:
    """asummarize_many over 200 items against a 100 ms server: wall time / ideal, in flight."""
    from casesummary.backends.openai import OpenAIBackend
    from casesummary.backends.registry import get_backend
    from casesummary.summarizer import asummarize_many

    n, concurrency = 200, 16
    items = distinct_items(n)

    async def summarize_all(url: str, batch: list[AgendaItem]) -> tuple[float, list[object]]:
        backend = get_backend(f"openai-compatible:bench@{url}")
        assert isinstance(backend, OpenAIBackend)
        async with backend:
            start = time.perf_counter()
            results = await asummarize_many(batch, backend=backend, concurrency=concurrency)
            return time.perf_counter() - start, list(results)

    # Start-up is not concurrency: one item against a separate server first loads the SDK, its
    # lazily imported resources and the tokenizer tables.
    warmup = StubProcess(0.0)
    startup, _ = asyncio.run(summarize_all(warmup.base_url, items[:1]))
    warmup.stats()
    server = StubProcess(LATENCY_S)
    cpu = time.process_time()
    wall, results = asyncio.run(summarize_all(server.base_url, items))
    cpu = time.process_time() - cpu
    requests, peak, mean = server.stats()
    failed = sum(type(r).__name__ == "SummaryFailure" for r in results)
    waves = math.ceil(n / concurrency)
    ideal = waves * LATENCY_S
    # The same run without the SDK and HTTP: what casesummary's own scheduling and work cost.
    start = time.perf_counter()
    asyncio.run(asummarize_many(items, backend=SleepingBackend(), concurrency=concurrency))
    no_http = time.perf_counter() - start
    line(
        "concurrency_efficiency",
        wall / ideal,
        f"target <= 1.15; {n} items, concurrency {concurrency}, {LATENCY_S * 1000:.0f} ms per "
        f"request: {wall:.2f} s / ideal {ideal:.1f} s ({waves} waves); {requests} requests, "
        f"{failed} failed; client CPU {cpu / n * 1000:.1f} ms per item; start-up "
        f"{startup:.2f} s, not counted; without the SDK and HTTP (a backend that sleeps "
        f"{LATENCY_S * 1000:.0f} ms): {no_http / ideal:.3f}",
    )
    line("peak_in_flight", peak, f"target {concurrency}: the concurrency, never more")
    best_mean = n * LATENCY_S / ideal
    line(
        "mean_in_flight",
        mean,
        f"target >= {best_mean:.1f}: {n} x {LATENCY_S * 1000:.0f} ms of work / ideal wall time; "
        "time-weighted, first arrival to last answer",
        1,
    )


# --- portal: fetch ------------------------------------------------------------------------

#: The loopback portal's latency per request, and the meetings fetched.
PORTAL_LATENCY_S = 0.05
PORTAL_MEETINGS = 50

_PORTAL = """
import json, sys
from casesummary.testing.portal import PortalStubServer, copy_meeting
latency, meetings, path = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
real = open(path, "rb").read()
with PortalStubServer(latency_s=latency) as portal:
    for n in range(meetings):
        portal.publish(copy_meeting(real, n, day=f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}"))
    print(portal.url, flush=True)
    for _ in sys.stdin:  # each line asks for the request count so far
        print(len(portal.requests), flush=True)
    print(json.dumps([len(portal.requests), portal.peak_in_flight]))
"""


def bench_portal() -> None:
    """fetch() of 50 meetings from the loopback portal at 50 ms a request, 2 in flight."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx2

    from casesummary.portal.client import PortalClient
    from casesummary.portal.mirror import fetch

    args = [str(PORTAL_LATENCY_S), str(PORTAL_MEETINGS), str(FIXTURE_MEETING)]
    proc = subprocess.Popen(
        [sys.executable, "-c", _PORTAL, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()

    def asked() -> int:
        assert proc.stdin is not None
        assert proc.stdout is not None
        proc.stdin.write("count\n")
        proc.stdin.flush()
        return int(proc.stdout.readline())

    # Start-up is not fetching: importing httpx2 and tenacity and building the TLS context.
    start = time.perf_counter()
    client = PortalClient(url)
    startup = time.perf_counter() - start
    with client, tempfile.TemporaryDirectory() as out:
        cpu = time.process_time()
        start = time.perf_counter()
        report = fetch(client, out)
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu
        requests = asked()
        start = time.perf_counter()
        rerun = fetch(client, out)
        rerun_wall = time.perf_counter() - start
        rerun_requests = asked() - requests
    # The floor: the same meeting requests from a bare httpx2 client in 2 threads, nothing else.
    ids = [m.meeting_id for m in report.meetings]
    with httpx2.Client() as bare, ThreadPoolExecutor(max_workers=2) as pool:
        start = time.perf_counter()
        list(pool.map(lambda i: bare.get(f"{url}/api/agenda/dagsorden/{i}").content, ids))
        bare_wall = time.perf_counter() - start
    stats, _ = proc.communicate("", timeout=30)
    _, peak = json.loads(stats)
    ideal = requests * PORTAL_LATENCY_S / 2
    bare_ideal = len(ids) * PORTAL_LATENCY_S / 2
    line(
        "portal_fetch_ratio",
        wall / ideal,
        f"target <= 1.2; {report.count('new')} of {PORTAL_MEETINGS} meetings written, "
        f"{requests} requests at {PORTAL_LATENCY_S * 1000:.0f} ms, 2 in flight: {wall:.3f} s / "
        f"ideal {ideal:.3f} s (requests x latency / 2); client CPU {cpu / len(ids) * 1000:.1f} ms "
        f"per meeting; start-up {startup:.3f} s, not counted; floor (a bare httpx2 client, "
        f"2 threads, same meetings, nothing written): {bare_wall / bare_ideal:.3f}",
    )
    line("portal_peak_in_flight", peak, "target 2: the default per host, never more")
    line(
        "portal_rerun_requests",
        rerun_requests,
        f"target 1: a re-run with nothing new asks for the committee list only "
        f"({rerun.count('unchanged')} unchanged, {rerun_wall:.3f} s)",
    )


# --- evidence -----------------------------------------------------------------------------


def bench_evidence() -> None:
    """The evidence check's cost per golden answer, as added time and as a ratio to validation
    without it; each item's normalised text is built afresh every round, as a run builds it once."""
    from casesummary import evidence, grounding
    from casesummary.eval.golden import load_golden
    from casesummary.taxonomy import load_taxonomy
    from casesummary.validation import check_answer

    taxonomy = load_taxonomy()
    cases = [c for c in load_golden(GOLDEN) if c.expected is not None and c.expected.evidence]
    answers = [(c.expected.model_dump_json(), c.load_item()) for c in cases if c.expected]
    quotes = sum(
        len(c.expected.evidence.quotes()) for c in cases if c.expected and c.expected.evidence
    )
    for content, item in answers:  # warm: validators built, modules loaded, texts rendered once
        check_answer(content, taxonomy, item=item, evidence=True, grounding="numbers")

    def per_answer(check: Callable[[str, AgendaItem], object]) -> float:
        rounds = []
        for _ in range(7):
            evidence.forget_items()
            grounding._source_facts.cache_clear()
            grounding._source_names.cache_clear()
            start = time.perf_counter()
            for content, item in answers:
                check(content, item)
            rounds.append((time.perf_counter() - start) / len(answers))
        return statistics.median(rounds)

    plain = per_answer(lambda content, item: check_answer(content, taxonomy))
    quoted = per_answer(
        lambda content, item: check_answer(content, taxonomy, item=item, evidence=True)
    )
    grounded = per_answer(
        lambda content, item: check_answer(
            content, taxonomy, item=item, evidence=True, grounding="numbers"
        )
    )
    added = (quoted - plain) * 1000
    line(
        "evidence_check_ms",
        added,
        f"target <= 2 ms added per answer; validation {plain * 1000:.2f} ms -> "
        f"{quoted * 1000:.2f} ms with the evidence check (ratio {quoted / plain:.2f}), median of "
        f"7 rounds over {len(answers)} golden answers, {quotes} quotes; the grounding rule "
        f"(numbers) adds {(grounded - quoted) * 1000:.2f} ms more",
        2,
    )


# --- API-bound: cache ----------------------------------------------------------------------


def bench_cache() -> None:
    """Eval over the golden set, cold then warm from the answer cache, both in-process."""
    from casesummary.eval.aggregate import aggregate
    from casesummary.eval.golden import load_golden
    from casesummary.eval.report import write_reports
    from casesummary.eval.rundir import load_run
    from casesummary.eval.runner import run_eval

    cases = load_golden(GOLDEN)
    with tempfile.TemporaryDirectory(prefix="casesummary-bench-") as tmp:
        root = Path(tmp)

        def run(spec: str, name: str, cache: bool) -> float:
            start = time.perf_counter()
            run_eval(
                cases,
                backend=spec,
                prompt="summary",
                taxonomy=None,
                out_dir=root / name,
                concurrency=1,
                cache_dir=root / "cache" if cache else None,
                progress=False,
            )
            return time.perf_counter() - start

        # Start-up is not caching: a first run against a separate, instant server loads every
        # module either measured run needs (the SDK, the tokenizer tables, scoring, reports).
        warmup = StubProcess(0.0)
        run(f"openai-compatible:bench@{warmup.base_url}", "start-up", cache=False)
        warmup.stats()
        server = StubProcess(LATENCY_S)
        spec = f"openai-compatible:bench@{server.base_url}"
        cold = run(spec, "cold", cache=True)
        cold_calls = server.request_count()
        warm = run(spec, "warm", cache=True)
        warm_calls = server.stats()[0] - cold_calls
        # What the warm run spent on local work that no cache can skip: metrics.json and reports.
        data = load_run(root / "warm")
        start = time.perf_counter()
        agg = aggregate(data.records, data.cases)
        aggregating = time.perf_counter() - start
        start = time.perf_counter()
        write_reports(data, agg)
        reporting = time.perf_counter() - start
    line(
        "warm_calls",
        warm_calls,
        f"target 0; backend requests on the warm re-run ({cold_calls} on the cold run)",
    )
    line(
        "cache_speedup",
        cold / warm,
        f"target >= 50; cold / warm wall time of run_eval in-process over {len(cases)} golden "
        f"cases, concurrency 1: {cold:.3f} s / {warm:.3f} s; of the warm run, "
        f"{aggregating:.3f} s is metrics.json (bootstrap CIs) and {reporting:.3f} s the reports",
        1,
    )


# --- batch files ----------------------------------------------------------------------------


def streamed_items(n: int) -> Iterator[AgendaItem]:
    """n distinct items (distinct fingerprints), made one at a time from the Hvidovre meeting."""
    from casesummary.sources import load_items

    base = [i for i in load_items(FIXTURE_MEETING) if i.is_open and i.has_text]
    for k in range(n):
        yield base[k % len(base)].model_copy(update={"fingerprint": f"{k:032x}" + "0" * 32})


def bench_batch() -> None:
    """Writing the Batch API files for 10,000 items: items per CPU second, and memory growth."""
    import tracemalloc

    from casesummary.backends.openai import OpenAIBackend
    from casesummary.batch.submission import new_state, prepare
    from casesummary.prompt import load_prompt
    from casesummary.taxonomy import load_taxonomy

    prompt, taxonomy = load_prompt(), load_taxonomy()
    backend = OpenAIBackend("gpt-4o-mini", kind="openai", api_key="not-used")

    def build(n: int, *, render_only: bool = False) -> float:
        """CPU seconds to prepare n items (or only to render their prompts)."""
        with tempfile.TemporaryDirectory(prefix="casesummary-bench-") as tmp:
            state = new_state("openai:gpt-4o-mini", backend, prompt, taxonomy, [], 2)
            start = time.process_time()
            if render_only:
                for item in streamed_items(n):
                    prompt.render(item, taxonomy)
            else:
                prepare(Path(tmp), state, streamed_items(n), backend=backend, prompt=prompt,
                        taxonomy=taxonomy)  # fmt: skip
            return time.process_time() - start

    def peak(n: int) -> int:
        tracemalloc.start()
        build(n)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    build(100)  # start-up: tokenizer tables, schema, SDK-free imports
    n = 10_000
    cpu = build(n)
    render = build(2_000, render_only=True) * n / 2_000
    small, large = peak(1_000), peak(5_000)
    line(
        "batch_build_items_per_s",
        n / cpu,
        f"target >= 2000 per core; {n} items written as request lines in {cpu:.1f} CPU s, of "
        f"which rendering the prompts (the item under its 6,000-token budget) about "
        f"{render:.1f} s and the batch files {cpu - render:.1f} s "
        f"({n / max(cpu - render, 1e-9):.0f} items/s without rendering)",
        0,
    )
    line(
        "batch_build_memory_growth",
        large / small,
        f"target <= 1.2: streaming; peak traced memory for 5,000 items / for 1,000 "
        f"({large / 1e6:.1f} MB / {small / 1e6:.1f} MB)",
        2,
    )


FIGURES: dict[str, Callable[[], None]] = {
    "tokens": bench_tokens,
    "parse": bench_parse,
    "formats": bench_formats,
    "import": bench_import,
    "evidence": bench_evidence,
    "concurrency": bench_concurrency,
    "cache": bench_cache,
    "portal": bench_portal,
    "batch": bench_batch,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", metavar="GROUP", help=", ".join(FIGURES))
    args = parser.parse_args(argv)
    unknown = [g for g in args.groups if g not in FIGURES]
    if unknown:
        parser.error(f"unknown group {', '.join(unknown)} (choose from {', '.join(FIGURES)})")
    for name, bench in FIGURES.items():
        if not args.groups or name in args.groups:
            bench()


if __name__ == "__main__":
    main()
