"""What a valid answer is: the JSON Schema sent to the model, and every check run on its answer.

`validate_answer` checks an answer three ways, collecting every problem before it fails:
the JSON Schema (the same one strict structured-output modes enforce), the `PromptResult`
pydantic model, and semantic rules no schema can say (one neutral yes/no question, two or three
sentences, no repeated points). Each error is a short sentence naming the field, written to be
sent back to the model in a re-ask.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from casesummary.danish import is_question_verb, negations, sentences
from casesummary.exceptions import OutputValidationError
from casesummary.result import PromptResult

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError as SchemaError

    from casesummary.taxonomy import Taxonomy

_FIELDS = ("question", "summary", "pros", "cons", "keywords")
_ITEM_LIMITS = {"pros": (3, 3), "cons": (3, 3), "keywords": (1, 3)}
_WORD = re.compile(r"\w+", re.UNICODE)


def answer_schema(taxonomy: Taxonomy) -> dict[str, Any]:
    """The answer's JSON Schema (draft 2020-12), fit for strict structured-output modes.

    Every field is required, no other field is allowed, keywords are an enum of the taxonomy's
    names. It carries no ``$schema`` key and no string-length keywords, which strict modes refuse.
    """
    return _answer_schema(taxonomy.names)


def _answer_schema(names: tuple[str, ...]) -> dict[str, Any]:
    """`answer_schema` from the taxonomy's names, the only part of it the schema shows."""

    def text(field: str) -> dict[str, Any]:
        info = PromptResult.model_fields[field]
        return {"type": "string", "title": info.title or field}

    def items(field: str, item: dict[str, Any]) -> dict[str, Any]:
        low, high = _ITEM_LIMITS[field]
        info = PromptResult.model_fields[field]
        return {
            "type": "array",
            "title": info.title or field,
            "items": item,
            "minItems": low,
            "maxItems": high,
        }

    return {
        "title": "PromptResult",
        "type": "object",
        "properties": {
            "question": text("question"),
            "summary": text("summary"),
            "pros": items("pros", {"type": "string"}),
            "cons": items("cons", {"type": "string"}),
            "keywords": items("keywords", {"type": "string", "enum": list(names)}),
        },
        "required": list(_FIELDS),
        "additionalProperties": False,
    }


def validate_answer(content: str | dict[str, Any], taxonomy: Taxonomy) -> PromptResult:
    """The answer as a `PromptResult`, or OutputValidationError listing every problem."""
    output = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    data = _parse(content, output)
    errors = schema_errors(data, taxonomy)
    if isinstance(data, dict):
        errors += semantic_errors(data)
    if not errors:
        from pydantic import ValidationError

        try:
            return PromptResult.model_validate(data)
        except ValidationError as exc:
            errors = [_pydantic_message(e) for e in exc.errors()]
    errors = _unique(errors)
    raise OutputValidationError(
        f"the answer is invalid: {'; '.join(errors)}", errors=errors, output=output
    )


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


def schema_errors(data: Any, taxonomy: Taxonomy) -> list[str]:
    """Every way `data` breaks `answer_schema(taxonomy)`, as short sentences."""
    validator = _validator(taxonomy.names)
    found = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return _unique([_schema_message(e, taxonomy) for e in found])


@lru_cache(maxsize=16)
def _validator(names: tuple[str, ...]) -> Draft202012Validator:
    """The answer schema's validator, built once per set of keyword names (all it depends on)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_answer_schema(names))


def _schema_message(error: SchemaError, taxonomy: Taxonomy) -> str:
    path = list(error.absolute_path)
    field = path[0] if path else None
    kind = error.validator
    instance: Any = error.instance
    if field is None:
        if kind == "required":
            missing = [f for f in _FIELDS if f not in instance]
            return f"{missing[0] if missing else 'a field'}: the field is missing"
        if kind == "additionalProperties":
            extra = sorted(set(instance) - set(_FIELDS))
            allowed = ", ".join(_FIELDS)
            return f"{', '.join(map(str, extra))}: not an allowed field (allowed: {allowed})"
        return "the answer must be a JSON object with the fields " + ", ".join(_FIELDS)
    if kind == "type":
        wanted = "a list of strings" if field in _ITEM_LIMITS and len(path) == 1 else "a string"
        where = f"{field}[{path[1]}]" if len(path) > 1 else field
        return f"{where}: must be {wanted}"
    if kind in ("minItems", "maxItems"):
        low, high = _ITEM_LIMITS[str(field)]
        count = len(instance)
        need = f"exactly {low}" if low == high else f"{low} to {high}"
        return f"{field}: must hold {need} items, not {count}"
    if kind == "enum":
        return (
            f"keywords: {instance!r} is not in the taxonomy "
            f"(choose from: {', '.join(taxonomy.names)})"
        )
    return f"{field}: {error.message}"


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
    lists = {f: _strings(data.get(f)) for f in ("pros", "cons", "keywords")}
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
