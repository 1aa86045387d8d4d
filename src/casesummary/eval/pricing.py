"""What an answer cost: tokens times the price per million tokens from an editable table.

The default table is ``prompts/prices.yaml`` (dated list prices; edit it or load your own).
An unknown model has an unknown cost (None), never a guessed one.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from casesummary._resources import prompts_dir, read_once
from casesummary._yaml import load_file
from casesummary.exceptions import InvalidPriceTable, first_error
from casesummary.result import Usage

PRICES_FILE = "prices.yaml"
_DATED_SUFFIX = re.compile(r"-\d{4}-\d{2}-\d{2}$")


class ModelPrice(BaseModel):
    """USD per one million input and output tokens; `batch_*` through the Batch API."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    input: float = Field(ge=0)
    output: float = Field(ge=0)
    batch_input: float | None = Field(default=None, ge=0)
    batch_output: float | None = Field(default=None, ge=0)


class PriceTable(BaseModel):
    """Prices by model name, with the date they were checked and where they came from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    currency: Literal["USD"] = "USD"
    as_of: date | None = None
    source: str | None = None
    models: dict[str, ModelPrice] = Field(default_factory=dict)

    def price(self, model: str) -> ModelPrice | None:
        """The price of `model`, also under a "provider:" prefix or a dated snapshot name."""
        name = model.strip()
        candidates = [name, name.partition(":")[2] if ":" in name else ""]
        for candidate in filter(None, candidates):
            for key in (candidate, _DATED_SUFFIX.sub("", candidate)):
                if key in self.models:
                    return self.models[key]
        return None

    def cost(self, model: str, usage: Usage) -> float | None:
        """USD for `usage` tokens of `model`; None when the table does not know the model."""
        price = self.price(model)
        if price is None:
            return None
        return (usage.input_tokens * price.input + usage.output_tokens * price.output) / 1e6

    def batch_cost(self, model: str, usage: Usage) -> float | None:
        """USD for `usage` through the Batch API; None when the table has no batch price."""
        price = self.price(model)
        if price is None or price.batch_input is None or price.batch_output is None:
            return None
        batch_in, batch_out = price.batch_input, price.batch_output
        return (usage.input_tokens * batch_in + usage.output_tokens * batch_out) / 1e6


def default_prices_path() -> Path:
    """The price table shipped with the prompts."""
    return prompts_dir() / PRICES_FILE


def load_prices(path: str | Path | None = None) -> PriceTable:
    """Read a price table from YAML (default: the shipped one); InvalidPriceTable if broken."""
    if path is None:
        return _default_prices()
    return _read(Path(path))


def _default_prices() -> PriceTable:
    return _read(default_prices_path())


@read_once
def _read(path: Path) -> PriceTable:
    raw = load_file(path, InvalidPriceTable, what="price table")
    if not isinstance(raw, dict):
        raise InvalidPriceTable("expected a mapping with a 'models' table", path=path)
    try:
        return PriceTable.model_validate(raw)
    except ValidationError as exc:
        raise InvalidPriceTable(first_error(exc), path=path) from None


def cost_usd(model: str, usage: Usage, *, prices: PriceTable | None = None) -> float | None:
    """USD spent on `usage` by `model` (default table); 0 for the offline baseline and oracle,
    None for a model the table does not list."""
    table = prices if prices is not None else load_prices()
    return table.cost(model, usage)
