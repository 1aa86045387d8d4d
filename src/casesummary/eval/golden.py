"""Golden cases: real agenda items with hand-written expected answers, the eval's yardstick.

Each case is a directory ``golden/<case-id>/`` holding ``case.yaml`` (what the case is and why
it is hard), ``input.json`` or ``input.txt`` (the raw item in its source format) and
``expected.json`` (a `PromptResult`), which is absent when the case must be skipped. The input's
suffix follows its format (`INPUT_FILES`): .json, .txt, .pdf, .html or .xml.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from casesummary._yaml import load_file
from casesummary.exceptions import InvalidAgendaItem, InvalidGoldenCase, first_error
from casesummary.item import AgendaItem, SourceFormat
from casesummary.result import PromptResult
from casesummary.sources import load_items

#: Environment variable naming the golden directory when none is passed.
GOLDEN_ENV = "CASESUMMARY_GOLDEN"

CASE_FILE = "case.yaml"
EXPECTED_FILE = "expected.json"
#: The input file each source format is stored in.
INPUT_FILES: dict[SourceFormat, str] = {
    SourceFormat.FIRSTAGENDA_ITEM: "input.json",
    SourceFormat.FIRSTAGENDA_MEETING: "input.json",
    SourceFormat.MINUTES_TEXT: "input.txt",
    SourceFormat.ITEM_TEXT: "input.txt",
    SourceFormat.FIRSTAGENDA_PDF: "input.pdf",
    SourceFormat.FIRSTAGENDA_PAGE: "input.html",
    SourceFormat.SBSYS_XML: "input.xml",
    SourceFormat.EDOC_XML: "input.xml",
    SourceFormat.ACADRE_XML: "input.xml",
    SourceFormat.PLUGIN: "input.bin",
}

SkipReason = Literal["closed", "empty"]

#: Where golden/ sits in a source checkout; a wheel has no such directory.
_REPO_GOLDEN = Path(__file__).resolve().parents[3] / "golden"


class _CaseFile(BaseModel):
    """The fields of case.yaml, exactly as written there."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    municipality: str = Field(min_length=1)
    committee: str | None = None
    meeting_date: date | None = None
    source_format: SourceFormat
    item_number: str | None = None
    hard: str = Field(min_length=1)
    expect_skip: SkipReason | None = None
    notes: str = ""


class GoldenCase(_CaseFile):
    """One golden case: its metadata, where its files are, and its expected answer."""

    directory: Path
    input_path: Path
    expected: PromptResult | None = None

    def load_item(self) -> AgendaItem:
        """Parse the input and return the case's item (chosen by `item_number` when given)."""
        try:
            items = load_items(self.input_path, municipality=self.municipality)
        except InvalidAgendaItem as exc:
            raise InvalidGoldenCase(f"input does not parse: {exc}", path=self.input_path) from exc
        if self.item_number is not None:
            items = [i for i in items if i.number == self.item_number]
            wanted = f"item number {self.item_number!r}"
        else:
            wanted = "an item (set item_number to choose one)"
        if len(items) != 1:
            found = "no" if not items else str(len(items))
            raise InvalidGoldenCase(
                f"expected exactly one {wanted}, found {found}", path=self.input_path
            )
        item = items[0]
        if item.source_format != self.source_format:
            raise InvalidGoldenCase(
                f"input parses as {item.source_format.value!r}, "
                f"but case.yaml says {self.source_format.value!r}",
                path=self.input_path,
            )
        return item


def default_golden_dir() -> Path:
    """$CASESUMMARY_GOLDEN if set, else the repository's golden/ next to src/."""
    env = os.environ.get(GOLDEN_ENV)
    if env:
        return Path(env)
    return _REPO_GOLDEN


def load_golden(directory: str | Path | None = None) -> list[GoldenCase]:
    """Every case under a golden directory, sorted by id; any broken case is an error."""
    root = Path(directory) if directory is not None else default_golden_dir()
    if not root.is_dir():
        if directory is not None or os.environ.get(GOLDEN_ENV):
            raise InvalidGoldenCase("no golden directory here", path=root)
        raise InvalidGoldenCase(
            "no golden directory here: eval needs --golden DIR (or a checkout of the "
            f"casesummary repository, whose golden/ it uses), or ${GOLDEN_ENV} set to one; "
            "an installed package ships no golden cases",
            path=root,
        )
    dirs = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))]
    if not dirs:
        raise InvalidGoldenCase("no golden cases in this directory", path=root)
    return sorted((load_case(d) for d in dirs), key=lambda c: c.id)


def load_case(directory: str | Path) -> GoldenCase:
    """One golden case directory, checked for completeness."""
    directory = Path(directory)
    meta = _read_case_file(directory / CASE_FILE)
    if meta.id != directory.name:
        raise InvalidGoldenCase(
            f"id {meta.id!r} differs from the directory name {directory.name!r}",
            path=directory / CASE_FILE,
        )
    input_path = _find_input(directory, meta.source_format)
    expected_path = directory / EXPECTED_FILE
    expected: PromptResult | None = None
    if meta.expect_skip is None:
        if not expected_path.is_file():
            raise InvalidGoldenCase(
                "missing: every case that is not skipped needs an expected answer",
                path=expected_path,
            )
        expected = _read_expected(expected_path)
    elif expected_path.exists():
        raise InvalidGoldenCase(
            f"a case with expect_skip {meta.expect_skip!r} must have no expected answer",
            path=expected_path,
        )
    return GoldenCase(
        **meta.model_dump(), directory=directory, input_path=input_path, expected=expected
    )


def _read_case_file(path: Path) -> _CaseFile:
    raw: Any = load_file(path, InvalidGoldenCase, missing="missing")
    if not isinstance(raw, dict):
        raise InvalidGoldenCase("expected a mapping of case fields", path=path)
    if isinstance(raw.get("item_number"), int):
        raw["item_number"] = str(raw["item_number"])
    try:
        return _CaseFile.model_validate(raw)
    except ValidationError as exc:
        raise InvalidGoldenCase(first_error(exc), path=path) from None


def _find_input(directory: Path, source_format: SourceFormat) -> Path:
    present = sorted(p.name for p in directory.glob("input.*"))
    wanted = INPUT_FILES[source_format]
    if present != [wanted]:
        found = ", ".join(present) if present else "none"
        raise InvalidGoldenCase(
            f"a {source_format.value} case needs exactly one input file, {wanted} (found {found})",
            path=directory,
        )
    return directory / wanted


def _read_expected(path: Path) -> PromptResult:
    try:
        return PromptResult.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise InvalidGoldenCase(f"cannot read ({exc.strerror})", path=path) from None
    except ValidationError as exc:
        reason = f"not a valid PromptResult: {first_error(exc)}"
        raise InvalidGoldenCase(reason, path=path) from None


def expected_json(result: PromptResult) -> str:
    """How expected.json is written: indented, UTF-8 kept readable, trailing newline."""
    return json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
