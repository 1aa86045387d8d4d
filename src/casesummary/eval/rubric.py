"""The judges' common ground: a rubric request with the judged text fenced, and its reply parsed.

Both LLM judges (`judge.py`, `evidence_judge.py`) send the rubric prompt rendered for the item,
then what is judged in a message of its own between delimiter lines it does not contain, so text
inside it cannot pass for instructions; the reply must match the verdict's model.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from casesummary.backends.base import BackendRequest, Message
from casesummary.exceptions import OutputValidationError
from casesummary.item import AgendaItem
from casesummary.prompt import PromptTemplate, load_prompt
from casesummary.taxonomy import Taxonomy, load_taxonomy
from casesummary.validation import unfence

_Verdict = TypeVar("_Verdict", bound=BaseModel)


def rubric_request(
    prompt: str | Path | PromptTemplate,
    item: AgendaItem,
    taxonomy: Taxonomy | None,
    shown: str,
    label: str,
    schema: dict[str, Any],
    repeat: int,
) -> BackendRequest:
    """A judging request: the rubric rendered for `item`, then `shown` in a message of its own,
    fenced by `label` delimiter lines that `shown` does not contain."""
    template = prompt if isinstance(prompt, PromptTemplate) else load_prompt(prompt)
    tax = taxonomy if taxonomy is not None else load_taxonomy()
    messages = (*template.render(item, tax), Message(role="user", content=fence(shown, label)))
    return BackendRequest(
        messages=messages,
        json_schema=schema,
        schema_name=template.schema_name,
        parameters=dict(template.parameters),
        item=item,
        taxonomy=tax,
        prompt_id=template.id,
        prompt_version=template.version,
        prompt_fingerprint=template.fingerprint(tax),
        repeat=repeat,
    )


def parse_reply(model: type[_Verdict], content: str, what: str) -> _Verdict:
    """A judging backend's answer as `model`; OutputValidationError naming `what` and each
    problem."""
    try:
        return model.model_validate_json(unfence(content))
    except ValidationError as exc:
        errors = [
            f"{'.'.join(str(p) for p in e['loc']) or 'verdict'}: {e['msg']}" for e in exc.errors()
        ]
        raise OutputValidationError(
            f"{what} is invalid: {'; '.join(errors)}", errors=errors, output=content
        ) from None


def fence(text: str, label: str) -> str:
    """`text` between `<<<LABEL-nonce>>>` lines it does not contain, so nothing inside it can
    pass for instructions or close the fence early."""
    attempt = 0
    while True:
        nonce = hashlib.sha256(f"{attempt}\n{text}".encode()).hexdigest()[:8]
        opening, closing = f"<<<{label}-{nonce}>>>", f"<<<SLUT-{label}-{nonce}>>>"
        if opening not in text and closing not in text:
            return f"{opening}\n{text}\n{closing}"
        attempt += 1
