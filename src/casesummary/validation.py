"""What a valid answer is: the JSON Schema sent to the model, and every check run on its answer.

`validate_answer` checks an answer three ways, collecting every problem before it fails:
the JSON Schema (the same one strict structured-output modes enforce), the `PromptResult`
pydantic model, and semantic rules no schema can say (one neutral yes/no question, two or three
sentences, no repeated points). Each error is a short sentence naming the field, written to be
sent back to the model in a re-ask.

Given the item (`check_answer`, as the summarizer calls it), two rules read the item too: each
quote of the evidence must occur in it (casesummary/evidence.py), and, at the strictness asked
for, the numbers, amounts, dates (and names) the answer states must occur in it
(casesummary/grounding.py). `check_answer` also returns where each quote was found.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from casesummary.danish import is_question_verb, negations, sentences
from casesummary.evidence import MAX_QUOTE_WORDS, MIN_QUOTE_WORDS, QuoteProblem, locate
from casesummary.exceptions import OutputValidationError
from casesummary.grounding import GroundingLevel, missing_facts
from casesummary.result import (
    EVIDENCE_FIELD,
    AnswerField,
    Citation,
    Evidence,
    PromptResult,
    answer_fields,
)

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError as SchemaError

    from casesummary.item import AgendaItem
    from casesummary.taxonomy import Taxonomy

_WORD = re.compile(r"\w+", re.UNICODE)

#: Whether the schema has the evidence: required (a prompt asks for it), optional (a caller who
#: did not say), or absent (a prompt that does not ask for it).
EvidenceMode = Literal["required", "optional", "absent"]


def answer_schema(
    taxonomy: Taxonomy, model: type[PromptResult] = PromptResult, *, evidence: bool = False
) -> dict[str, Any]:
    """The answer's JSON Schema (draft 2020-12), fit for strict structured-output modes.

    Derived from the answer contract (`result.answer_fields`): every part is required, no other
    field is allowed, the taxonomy part is an enum of the taxonomy's names. With `evidence`
    (the prompt's front matter decides), an `evidence` object is required too: one quote for each
    part marked `AnswerPart(evidence=True)`, a list of as many as the part has items. It carries
    no ``$schema`` key and no string-length keywords, which strict modes refuse.
    """
    return _answer_schema(taxonomy.names, model, "required" if evidence else "absent")


def _answer_schema(
    names: tuple[str, ...], model: type[PromptResult], evidence: EvidenceMode = "absent"
) -> dict[str, Any]:
    """`answer_schema` from the taxonomy's names, the only part of the taxonomy it shows."""
    properties: dict[str, Any] = {}
    for spec in answer_fields(model):
        properties[spec.name] = _part_schema(spec, names)
    required = list(properties)
    if evidence != "absent":
        properties[EVIDENCE_FIELD] = _evidence_schema(model)
        if evidence == "required":
            required.append(EVIDENCE_FIELD)
    return {
        "title": model.__name__,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _part_schema(spec: AnswerField, names: tuple[str, ...], title: str = "") -> dict[str, Any]:
    if not spec.is_list:
        return {"type": "string", "title": title or spec.label}
    item: dict[str, Any] = {"type": "string"}
    if spec.taxonomy:
        item["enum"] = list(names)
    prop: dict[str, Any] = {"type": "array", "title": title or spec.label, "items": item}
    if spec.min_items is not None:
        prop["minItems"] = spec.min_items
    if spec.max_items is not None:
        prop["maxItems"] = spec.max_items
    return prop


def _evidence_schema(model: type[PromptResult]) -> dict[str, Any]:
    """One quote per evidence part, shaped like the part (a list part gets a list of quotes)."""
    titles = {name: info.title or name for name, info in Evidence.model_fields.items()}
    parts = [spec for spec in answer_fields(model) if spec.evidence]
    properties = {spec.name: _part_schema(spec, (), titles.get(spec.name, "")) for spec in parts}
    return {
        "type": "object",
        "title": model.model_fields[EVIDENCE_FIELD].title or EVIDENCE_FIELD,
        "description": "Et kort, ordret citat fra dagsordenspunktet for hver påstand.",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class CheckedAnswer:
    """A valid answer and where each of its quotes stands in the item."""

    answer: PromptResult
    citations: tuple[Citation, ...] = ()


def validate_answer(
    content: str | dict[str, Any],
    taxonomy: Taxonomy,
    model: type[PromptResult] = PromptResult,
    *,
    item: AgendaItem | None = None,
    evidence: bool | None = None,
    grounding: GroundingLevel = "off",
) -> PromptResult:
    """The answer as a `model` instance, or OutputValidationError listing every problem.

    Without `item` the quotes of an evidence part (allowed unless `evidence=False`, required
    with `evidence=True`) are not checked against the item: see `check_answer`.
    """
    return check_answer(
        content, taxonomy, model, item=item, evidence=evidence, grounding=grounding
    ).answer


def check_answer(
    content: str | dict[str, Any],
    taxonomy: Taxonomy,
    model: type[PromptResult] = PromptResult,
    *,
    item: AgendaItem | None = None,
    evidence: bool | None = None,
    grounding: GroundingLevel = "off",
) -> CheckedAnswer:
    """`validate_answer`, and with `item` the rules that read the item, and the citations.

    `evidence`: True when the prompt asks for quotes (then required), False when it does not
    (then not allowed), None to accept an answer either way. With `item`, every quote must occur
    in the item (`evidence.locate`). `grounding` ("off", "numbers", "all") needs `item`: the
    numbers, amounts and dates (with "all", also the proper names) that the answer states must
    occur in the item.
    """
    output = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    data = _parse(content, output)
    mode: EvidenceMode = "optional" if evidence is None else "required" if evidence else "absent"
    errors = schema_errors(data, taxonomy, model, evidence=mode)
    citations: list[Citation] = []
    if isinstance(data, dict):
        errors += semantic_errors(data)
        if item is not None:
            quotes = _well_formed(data.get(EVIDENCE_FIELD)) if mode != "absent" else None
            if quotes is not None:
                found, problems = locate(quotes, item)
                citations = found
                errors += [_quote_message(p) for p in problems]
            errors += grounding_errors(data, item, grounding, model)
    if not errors:
        try:
            return CheckedAnswer(model.model_validate(data), tuple(citations))
        except ValidationError as exc:
            errors = [_pydantic_message(e) for e in exc.errors()]
    errors = _unique(errors)
    raise OutputValidationError(
        f"the answer is invalid: {'; '.join(errors)}", errors=errors, output=output
    )


def _well_formed(value: Any) -> Evidence | None:
    """The evidence to look its quotes up, if well formed (the schema reports it otherwise)."""
    if value is None:
        return None
    try:
        return Evidence.model_validate(value)
    except ValidationError:
        return None


_SINGULAR = {"pros": "pro", "cons": "con"}


def _quote_message(problem: QuoteProblem) -> str:
    where = (
        f"{EVIDENCE_FIELD}.{problem.part}"
        if problem.part not in _SINGULAR
        else f"{EVIDENCE_FIELD}.{problem.part}[{problem.index}]"
    )
    what = (
        f"{_SINGULAR[problem.part]} {problem.index + 1}"
        if problem.part in _SINGULAR
        else f"the {problem.part}"
    )
    if problem.kind == "short":
        return f"{where}: the quote for {what} is too short: quote at least {MIN_QUOTE_WORDS} words"
    if problem.kind == "long":
        return f"{where}: the quote for {what} is too long: quote at most {MAX_QUOTE_WORDS} words"
    return (
        f"{where}: the quote for {what} is not in the item: copy a passage of the item word "
        "for word"
    )


def grounding_errors(
    data: dict[str, Any],
    item: AgendaItem,
    level: GroundingLevel,
    model: type[PromptResult] = PromptResult,
) -> list[str]:
    """The numbers, amounts, dates (and at "all" the names) the answer states that the item
    does not. Every stated part counts; the keywords are taxonomy names, not statements."""
    if level == "off":
        return []
    source = _fact_source(item)
    errors: list[str] = []
    for spec in answer_fields(model):
        if spec.taxonomy:
            continue
        value = data.get(spec.name)
        texts = _strings(value) if spec.is_list else [value] if isinstance(value, str) else []
        for index, text in enumerate(texts):
            where = f"{spec.name}[{index}]" if spec.is_list else spec.name
            missing = missing_facts(
                text, source, municipality=item.municipality, names=level == "all"
            )
            if missing.numbers:
                shown = ", ".join(repr(n) for n in missing.numbers)
                errors.append(
                    f"{where}: {shown} does not occur in the item: state only numbers, amounts "
                    "and dates the item gives"
                )
            for name in missing.names:
                errors.append(
                    f"{where}: the name {name!r} does not occur in the item: name only people, "
                    "places and bodies the item names"
                )
    return errors


def _fact_source(item: AgendaItem) -> str:
    """What a fact may come from: the item's text as the model sees it, and its committee."""
    return f"{item.to_prompt_text()}\n\n{item.committee or ''}"


_CODE_FENCE = re.compile(r"```(?:json)?\s*\n(.*)\n```", re.DOTALL)


def unfence(content: str) -> str:
    """The answer without the Markdown code fence prompted-JSON answers often come wrapped in."""
    text = content.strip()
    fenced = _CODE_FENCE.fullmatch(text)
    return fenced.group(1) if fenced else text


def _parse(content: str | dict[str, Any], output: str) -> Any:
    if not isinstance(content, str):
        return content
    try:
        return json.loads(unfence(content))
    except json.JSONDecodeError as exc:
        error = f"the answer is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        raise OutputValidationError(error, errors=[error], output=output) from None


def schema_errors(
    data: Any,
    taxonomy: Taxonomy,
    model: type[PromptResult] = PromptResult,
    *,
    evidence: EvidenceMode = "absent",
) -> list[str]:
    """Every way `data` breaks `answer_schema(taxonomy, model)`, as short sentences."""
    validator = _validator(taxonomy.names, model, evidence)
    found = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    parts = {spec.name: spec for spec in answer_fields(model)}
    return _unique([_schema_message(e, taxonomy, parts, evidence) for e in found])


@lru_cache(maxsize=16)
def _validator(
    names: tuple[str, ...], model: type[PromptResult], evidence: EvidenceMode = "absent"
) -> Draft202012Validator:
    """The answer schema's validator, built once per model, keyword names and evidence mode."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_answer_schema(names, model, evidence))


def _schema_message(
    error: SchemaError,
    taxonomy: Taxonomy,
    parts: dict[str, AnswerField],
    evidence: EvidenceMode = "absent",
) -> str:
    path = list(error.absolute_path)
    field = path[0] if path else None
    kind = error.validator
    instance: Any = error.instance
    required = [*parts, EVIDENCE_FIELD] if evidence == "required" else list(parts)
    allowed = [*parts, EVIDENCE_FIELD] if evidence != "absent" else list(parts)
    if field is None:
        if kind == "required":
            missing = [f for f in required if f not in instance]
            return f"{missing[0] if missing else 'a field'}: the field is missing"
        if kind == "additionalProperties":
            extra = sorted(set(instance) - set(allowed))
            shown = ", ".join(allowed)
            return f"{', '.join(map(str, extra))}: not an allowed field (allowed: {shown})"
        return "the answer must be a JSON object with the fields " + ", ".join(required)
    if field == EVIDENCE_FIELD:
        return _evidence_schema_message(error, parts)
    spec = parts.get(str(field))
    if kind == "type":
        wanted = "a list of strings" if spec and spec.is_list and len(path) == 1 else "a string"
        where = f"{field}[{path[1]}]" if len(path) > 1 else field
        return f"{where}: must be {wanted}"
    if kind in ("minItems", "maxItems") and spec is not None:
        return f"{field}: must hold {_bounds(spec)} items, not {len(instance)}"
    if kind == "enum":
        return (
            f"{field}: {instance!r} is not in the taxonomy "
            f"(choose from: {', '.join(taxonomy.names)})"
        )
    return f"{field}: {error.message}"


def _bounds(spec: AnswerField) -> str:
    low, high = spec.min_items, spec.max_items
    if low == high:
        return f"exactly {low}"
    if high is None:
        return f"at least {low}"
    if low is None:
        return f"at most {high}"
    return f"{low} to {high}"


def _evidence_schema_message(error: SchemaError, parts: dict[str, AnswerField]) -> str:
    """A schema error inside the evidence object, named by its path ("evidence.pros[1]")."""
    path = [str(p) for p in error.absolute_path][1:]
    kind = error.validator
    instance: Any = error.instance
    quoted = [name for name, spec in parts.items() if spec.evidence]
    where = (
        EVIDENCE_FIELD + (f".{path[0]}" if path else "") + (f"[{path[1]}]" if len(path) > 1 else "")
    )
    spec = parts.get(path[0]) if path else None
    if not path:
        if kind == "required" and isinstance(instance, dict):
            missing = [name for name in quoted if name not in instance]
            name = missing[0] if missing else "a quote"
            return f"{EVIDENCE_FIELD}.{name}: the quote is missing"
        if kind == "additionalProperties" and isinstance(instance, dict):
            extra = sorted(set(instance) - set(quoted))
            return (
                f"{EVIDENCE_FIELD}: {', '.join(extra)} is not a part with a quote "
                f"(allowed: {', '.join(quoted)})"
            )
        return f"{EVIDENCE_FIELD}: must be an object with one quote for each of {', '.join(quoted)}"
    if kind == "type":
        wanted = "a list of quotes" if spec and spec.is_list and len(path) == 1 else "a string"
        return f"{where}: must be {wanted}"
    if kind in ("minItems", "maxItems") and spec is not None:
        return f"{where}: must hold {_bounds(spec)} quotes, one per item, not {len(instance)}"
    return f"{where}: {error.message}"


def _pydantic_message(error: Any) -> str:
    where = ".".join(str(p) for p in error["loc"]) or "answer"
    return f"{where}: {error['msg']}"


def semantic_errors(data: dict[str, Any]) -> list[str]:
    """Rules beyond the schema: the question's form, sentence count, distinct points.

    Reads whichever fields have the right type, so one answer reports all its problems at once.
    """
    errors: list[str] = []
    question, summary = data.get("question"), data.get("summary")
    if isinstance(question, str):
        errors += question_errors(question)
    if isinstance(summary, str):
        count = len(sentences(summary))
        if not 2 <= count <= 3:
            errors.append(f"summary: must be two or three sentences, not {count}")
    lists = {f.name: _strings(data.get(f.name)) for f in answer_fields() if f.is_list}
    for field, points in lists.items():
        if any(not p.strip() for p in points):
            errors.append(f"{field}: every item must have text")
        filled = [_norm(p) for p in points if p.strip()]
        if len(set(filled)) < len(filled):
            errors.append(f"{field}: the same item appears twice")
    if {_norm(p) for p in lists["pros"] if p.strip()} & {_norm(c) for c in lists["cons"]}:
        errors.append("cons: a con repeats a pro word for word")
    return errors


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def question_errors(question: str) -> list[str]:
    """Problems with the question: it must be one neutral Danish yes/no question."""
    text = question.strip()
    errors: list[str] = []
    if not text.endswith("?"):
        errors.append("question: must end with a question mark")
    if text.count("?") > 1:
        errors.append("question: must be a single question (one question mark)")
    words = _WORD.findall(text.casefold())
    if not words or not is_question_verb(words[0]):
        errors.append(
            "question: must be a yes/no question starting with a verb such as Bør, Skal or Vil"
        )
    negated = negations(text)
    if negated:
        errors.append(f"question: must be neutral, without the negation {negated[0]!r}")
    return errors


def _norm(point: str) -> str:
    return " ".join(point.casefold().split()).rstrip(".!;:, ")


def _unique(messages: list[str]) -> list[str]:
    return list(dict.fromkeys(messages))
