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

from pydantic import ValidationError

from casesummary.danish import is_question_verb, negations, sentences
from casesummary.exceptions import OutputValidationError
from casesummary.result import AnswerField, PromptResult, answer_fields

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError as SchemaError

    from casesummary.taxonomy import Taxonomy

_WORD = re.compile(r"\w+", re.UNICODE)


def answer_schema(taxonomy: Taxonomy, model: type[PromptResult] = PromptResult) -> dict[str, Any]:
    """The answer's JSON Schema (draft 2020-12), fit for strict structured-output modes.

    Derived from the answer contract (`result.answer_fields`): every part is required, no other
    field is allowed, the taxonomy part is an enum of the taxonomy's names. It carries no
    ``$schema`` key and no string-length keywords, which strict modes refuse.
    """
    return _answer_schema(taxonomy.names, model)


def _answer_schema(names: tuple[str, ...], model: type[PromptResult]) -> dict[str, Any]:
    """`answer_schema` from the taxonomy's names, the only part of the taxonomy it shows."""
    properties: dict[str, Any] = {}
    for spec in answer_fields(model):
        if not spec.is_list:
            properties[spec.name] = {"type": "string", "title": spec.label}
            continue
        item: dict[str, Any] = {"type": "string"}
        if spec.taxonomy:
            item["enum"] = list(names)
        prop: dict[str, Any] = {"type": "array", "title": spec.label, "items": item}
        if spec.min_items is not None:
            prop["minItems"] = spec.min_items
        if spec.max_items is not None:
            prop["maxItems"] = spec.max_items
        properties[spec.name] = prop
    return {
        "title": model.__name__,
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def validate_answer(
    content: str | dict[str, Any],
    taxonomy: Taxonomy,
    model: type[PromptResult] = PromptResult,
) -> PromptResult:
    """The answer as a `model` instance, or OutputValidationError listing every problem."""
    output = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    data = _parse(content, output)
    errors = schema_errors(data, taxonomy, model)
    if isinstance(data, dict):
        errors += semantic_errors(data)
    if not errors:
        try:
            return model.model_validate(data)
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


def schema_errors(
    data: Any, taxonomy: Taxonomy, model: type[PromptResult] = PromptResult
) -> list[str]:
    """Every way `data` breaks `answer_schema(taxonomy, model)`, as short sentences."""
    validator = _validator(taxonomy.names, model)
    found = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    parts = {spec.name: spec for spec in answer_fields(model)}
    return _unique([_schema_message(e, taxonomy, parts) for e in found])


@lru_cache(maxsize=16)
def _validator(names: tuple[str, ...], model: type[PromptResult]) -> Draft202012Validator:
    """The answer schema's validator, built once per model and set of keyword names."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_answer_schema(names, model))


def _schema_message(error: SchemaError, taxonomy: Taxonomy, parts: dict[str, AnswerField]) -> str:
    path = list(error.absolute_path)
    field = path[0] if path else None
    kind = error.validator
    instance: Any = error.instance
    if field is None:
        if kind == "required":
            missing = [f for f in parts if f not in instance]
            return f"{missing[0] if missing else 'a field'}: the field is missing"
        if kind == "additionalProperties":
            extra = sorted(set(instance) - set(parts))
            allowed = ", ".join(parts)
            return f"{', '.join(map(str, extra))}: not an allowed field (allowed: {allowed})"
        return "the answer must be a JSON object with the fields " + ", ".join(parts)
    spec = parts.get(str(field))
    if kind == "type":
        wanted = "a list of strings" if spec and spec.is_list and len(path) == 1 else "a string"
        where = f"{field}[{path[1]}]" if len(path) > 1 else field
        return f"{where}: must be {wanted}"
    if kind in ("minItems", "maxItems") and spec is not None:
        low, high = spec.min_items, spec.max_items
        count = len(instance)
        if low == high:
            need = f"exactly {low}"
        elif high is None:
            need = f"at least {low}"
        elif low is None:
            need = f"at most {high}"
        else:
            need = f"{low} to {high}"
        return f"{field}: must hold {need} items, not {count}"
    if kind == "enum":
        return (
            f"{field}: {instance!r} is not in the taxonomy "
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
