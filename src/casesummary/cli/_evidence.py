"""The quotes behind a result, as `casesummary summarize --evidence` prints them under the block."""

from __future__ import annotations

from casesummary.result import CaseSummary, answer_fields

HEADING = "Citater fra dagsordenspunktet"


def format_evidence(result: CaseSummary) -> str:
    """Each evidence part's quotes, numbered like the points they back, with where the item has
    them; a line saying so when the result carries no evidence."""
    if result.evidence is None:
        return f"{HEADING}\n\n(ingen: prompten beder ikke om citater)"
    lines = [HEADING, ""]
    for spec in answer_fields(type(result)):
        if not spec.evidence:
            continue
        lines.append(spec.label)
        count = len(getattr(result, spec.name)) if spec.is_list else 1
        for index in range(count):
            quote = result.evidence.quote(spec.name, index)
            if quote is None:
                continue
            citation = result.citation(spec.name, index)
            where = f" ({citation.heading})" if citation is not None else " (ikke fundet)"
            number = f"{index + 1}. " if spec.is_list else ""
            lines.append(f"  {number}„{quote}“{where}")
        lines.append("")
    return "\n".join(lines).rstrip("\n")
