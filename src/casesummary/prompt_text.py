"""AgendaItem -> the compact text a model sees, optionally under a token budget.

The text is the title ("# …"), one line with the case type and number, then each section as
"## <heading as written>" and its text, in a fixed order: summary, recommendation,
presentation, background, legal, economy, decision, other. Markup is kept to those heading
lines so the prompt costs hardly more tokens than the item's own words.

Under a budget the least important sections shrink first (other, legal, background, economy,
decision, presentation): each is cut at a sentence boundary, marked "[…]", or dropped when too
little of it would remain. The title, summary and recommendation are never dropped; they are
shortened last, recommendation before summary. The title and heading lines always stay, so a
budget smaller than they are is exceeded rather than left empty.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from functools import cache, lru_cache
from typing import Protocol

from casesummary.danish import sentence_gaps
from casesummary.sections import Section, SectionKind
from casesummary.tokens import count_tokens, fits, fits_by_bytes


class Renderable(Hashable, Protocol):
    """What the text is made from: an `AgendaItem` (item.py), or anything shaped like one."""

    @property
    def title(self) -> str: ...

    @property
    def case_type(self) -> str | None: ...

    @property
    def case_number(self) -> str | None: ...

    @property
    def sections(self) -> Sequence[Section]: ...


ORDER: tuple[SectionKind, ...] = (
    SectionKind.SUMMARY,
    SectionKind.RECOMMENDATION,
    SectionKind.PRESENTATION,
    SectionKind.BACKGROUND,
    SectionKind.LEGAL,
    SectionKind.ECONOMY,
    SectionKind.DECISION,
    SectionKind.OTHER,
)
#: Shrunk or dropped first under a budget, least important first.
EXPENDABLE: tuple[SectionKind, ...] = (
    SectionKind.OTHER,
    SectionKind.LEGAL,
    SectionKind.BACKGROUND,
    SectionKind.ECONOMY,
    SectionKind.DECISION,
    SectionKind.PRESENTATION,
)
#: Shortened last and never dropped.
PROTECTED: tuple[SectionKind, ...] = (SectionKind.RECOMMENDATION, SectionKind.SUMMARY)
CUT = "[…]"
#: Between the title block and each section block.
BLOCK_GAP = "\n\n"
#: A section cut to fewer tokens than this is dropped instead (unless it is protected).
MIN_KEEP_TOKENS = 40

_LINE_BREAK = re.compile(r"\n+")
_LIST_MARKER = re.compile(r"^\s*(?:\d{1,3}|[a-zA-Z])[.)]$")


def render_item(item: Renderable, max_tokens: int | None = None) -> str:
    """The item as compact prompt text; within `max_tokens` o200k_base tokens when given."""
    text = _full_text(item)
    # Every o200k_base token is at least one UTF-8 byte: a short enough text fits uncounted.
    if max_tokens is None or fits_by_bytes(text, max_tokens):
        return text
    ordered = _ordered(item)
    texts: list[str | None] = [s.text for s in ordered]
    counted: dict[str, int] = {}
    for kind in EXPENDABLE:
        for index in reversed(range(len(ordered))):
            if ordered[index].kind is not kind or texts[index] is None:
                continue
            over = _count_blocks(item, ordered, texts, counted) - max_tokens
            if over <= 0:
                return text
            texts[index] = _cut(texts[index] or "", over)
            text = _render(item, ordered, texts)
    if _count_blocks(item, ordered, texts, counted) > max_tokens:
        _share_protected(item, ordered, texts, max_tokens)
        text = _render(item, ordered, texts)
    return text


@lru_cache(maxsize=256)
def _full_text(item: Renderable) -> str:
    """The whole text, rendered once per item however many times it is asked for (the request,
    the eval's scores and its report all read it)."""
    ordered = _ordered(item)
    return _render(item, ordered, [s.text for s in ordered])


def _ordered(item: Renderable) -> list[Section]:
    return sorted(item.sections, key=lambda s: ORDER.index(s.kind))


def _cut(text: str, over: int) -> str | None:
    """`text` shortened by `over` tokens; None (dropped) if under MIN_KEEP_TOKENS would remain."""
    # Fewer than MIN_KEEP_TOKENS remain when text is at most over + MIN_KEEP_TOKENS - 1 tokens,
    # which a short section's byte length shows without counting it.
    if fits_by_bytes(text, over + MIN_KEEP_TOKENS - 1):
        return None
    tokens = count_tokens(text)
    keep = tokens - over
    return _shorten(text, keep, tokens) if keep >= MIN_KEEP_TOKENS else None


def _share_protected(
    item: Renderable, sections: list[Section], texts: list[str | None], max_tokens: int
) -> None:
    """Shorten summary and recommendation to fair shares of what the budget leaves them."""
    indices = [i for i, s in enumerate(sections) if s.kind in PROTECTED and texts[i]]
    if not indices:
        return
    bare = list(texts)
    for i in indices:
        bare[i] = ""
    available = max(0, max_tokens - count_tokens(_render(item, sections, bare)))
    costs = {i: count_tokens(texts[i] or "") for i in indices}
    # Water-filling: short sections keep all they need, long ones split what is left.
    remaining = available
    by_cost = sorted(indices, key=costs.__getitem__)
    for position, i in enumerate(by_cost):
        share = remaining // (len(by_cost) - position)
        give = min(costs[i], share)
        remaining -= give
        texts[i] = _shorten(texts[i] or "", give, costs[i])


def _render(item: Renderable, sections: list[Section], texts: list[str | None]) -> str:
    return BLOCK_GAP.join(_blocks(item, sections, texts))


def _blocks(item: Renderable, sections: list[Section], texts: list[str | None]) -> list[str]:
    lines = [f"# {item.title}"]
    number = f"Sagsnr. {item.case_number}" if item.case_number else None
    meta = [part for part in (item.case_type, number) if part]
    if meta:
        lines.append(" · ".join(meta))
    blocks = ["\n".join(lines)]
    for section, body in zip(sections, texts, strict=True):
        if body is not None:
            blocks.append(f"## {section.heading}\n{body}" if body else f"## {section.heading}")
    return blocks


def _count_blocks(
    item: Renderable, sections: list[Section], texts: list[str | None], counted: dict[str, int]
) -> int:
    """count_tokens(_render(...)), counting only blocks not counted before (in `counted`).

    Exact: every block starts with "#", and o200k_base's pre-tokenizer always splits between
    a newline and a following "#", so the text's tokens are the sum of its blocks' tokens, each
    block with the gap after it. Re-counting the whole text after each cut made shrinking an
    over-budget item quadratic (20 ms for a 7,800-token item, most of a bulk run's CPU).
    """
    blocks = _blocks(item, sections, texts)
    total = 0
    for position, block in enumerate(blocks):
        segment = block if position == len(blocks) - 1 else block + BLOCK_GAP
        tokens = counted.get(segment)
        if tokens is None:
            tokens = counted[segment] = count_tokens(segment)
        total += tokens
    return total


def shorten(text: str, max_tokens: int) -> str:
    """The longest run of whole sentences from the start within `max_tokens`, then "[…]".

    When not even the first sentence fits, it is cut at a word boundary instead.
    """
    return _shorten(text, max_tokens)


def _shorten(text: str, max_tokens: int, tokens: int | None = None) -> str:
    """`shorten`, told the text's token count when the caller has already counted it."""
    if tokens is None:
        if fits(text, max_tokens):
            return text
    elif tokens <= max_tokens:
        return text
    budget = max_tokens - _cut_tokens()
    pieces = _merge_list_markers(_pieces(text))  # sentence, gap, sentence, …
    kept: list[str] = []
    used = 0
    for i in range(0, len(pieces), 2):
        sentence = pieces[i]
        gap = pieces[i - 1] if i else ""
        cost = count_tokens(gap + sentence)
        if used + cost > budget:
            break
        kept.extend((gap, sentence))
        used += cost
    result = "".join(kept).rstrip()
    if not result:
        result = _cut_words(pieces[0], budget)
    while result and not fits(f"{result} {CUT}", max_tokens):
        result = result.rsplit(" ", 1)[0].rstrip() if " " in result else ""
    return f"{result} {CUT}" if result else CUT


def _pieces(text: str) -> list[str]:
    """The text split where it may be cut: at a sentence's end (the Danish rule, so never after
    "bl.a." or "26.") and at a line break; the white space between stays as its own piece."""
    gaps = [g for g in sentence_gaps(text) if not text[g[0] : g[1]].strip(" \t")]
    gaps += [m.span() for m in _LINE_BREAK.finditer(text)]
    pieces: list[str] = []
    start = 0
    for gap_start, gap_end in sorted(gaps):
        pieces += [text[start:gap_start], text[gap_start:gap_end]]
        start = gap_end
    pieces.append(text[start:])
    return pieces


@cache
def _cut_tokens() -> int:
    """Tokens of the cut mark with its space, " […]"."""
    return count_tokens(" " + CUT)


def _merge_list_markers(pieces: list[str]) -> list[str]:
    """Glue a bare list marker ("4.", "b)") back to the sentence it numbers."""
    merged: list[str] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        while _LIST_MARKER.match(piece) and i + 2 < len(pieces) and "\n" not in pieces[i + 1]:
            piece = piece + pieces[i + 1] + pieces[i + 2]
            i += 2
        merged.append(piece)
        if i + 1 < len(pieces):
            merged.append(pieces[i + 1])
        i += 2
    return merged


def _cut_words(text: str, max_tokens: int) -> str:
    """Whole words from the start of text within max_tokens (approximately, checked by caller)."""
    if max_tokens <= 0:
        return ""
    words = text.split(" ")
    kept: list[str] = []
    used = 0
    for word in words:
        cost = count_tokens(" " + word if kept else word)
        if used + cost > max_tokens:
            break
        kept.append(word)
        used += cost
    return " ".join(kept)
