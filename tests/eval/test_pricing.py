"""The price table: the shipped default, user-edited tables, and cost per model."""

from __future__ import annotations

from pathlib import Path

import pytest

from casesummary.eval.pricing import PriceTable, cost_usd, default_prices_path, load_prices
from casesummary.exceptions import InvalidPriceTable, UserError
from casesummary.result import Usage

USAGE = Usage(input_tokens=2_000_000, output_tokens=500_000)


def test_the_shipped_table_is_dated_and_prices_openai_models() -> None:
    table = load_prices()
    assert default_prices_path().name == "prices.yaml"
    assert table.as_of is not None
    assert table.currency == "USD"
    assert {"gpt-4o", "gpt-4o-mini", "gpt-4.1-mini"} <= set(table.models)
    assert all(p.input > 0 and p.output > 0 for n, p in table.models.items() if n.startswith("gpt"))


def test_cost_is_tokens_times_price_per_million() -> None:
    price = load_prices().models["gpt-4o-mini"]
    assert cost_usd("gpt-4o-mini", USAGE) == pytest.approx(2 * price.input + 0.5 * price.output)


@pytest.mark.parametrize("model", ["openai:gpt-4o-mini", "gpt-4o-mini-2024-07-18"])
def test_prefixed_and_dated_model_names_fall_back(model: str) -> None:
    assert cost_usd(model, USAGE) == cost_usd("gpt-4o-mini", USAGE)


@pytest.mark.parametrize("model", ["baseline", "extractive-v1", "oracle", "golden"])
def test_offline_backends_cost_nothing(model: str) -> None:
    assert cost_usd(model, USAGE) == 0.0


@pytest.mark.parametrize("model", ["llama-3-8b", "gpt-4o-mini-preview", ""])
def test_unknown_models_have_unknown_cost(model: str) -> None:
    assert cost_usd(model, USAGE) is None


def test_a_user_table_replaces_the_default(tmp_path: Path) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text(
        "as_of: 2026-11-01\nmodels:\n  local-llama: {input: 0.5, output: 1.0}\n", encoding="utf-8"
    )
    table = load_prices(path)
    assert cost_usd("local-llama", USAGE, prices=table) == pytest.approx(1.5)
    assert cost_usd("gpt-4o", USAGE, prices=table) is None
    assert PriceTable().cost("local-llama", USAGE) is None


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("models: [1, 2", "not valid YAML"),
        ("- just a list", "expected a mapping"),
        ("models:\n  m: {input: -1, output: 1}", "models.m.input"),
        ("models:\n  m: {input: 1}", "models.m.output"),
        ("currency: EUR\nmodels: {}", "currency"),
        ("models: {}\nextra: 1", "extra"),
    ],
)
def test_a_broken_table_is_a_user_error_naming_the_file(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidPriceTable, match=reason) as info:
        load_prices(path)
    assert isinstance(info.value, UserError)
    assert str(path) in str(info.value)


def test_a_missing_table_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidPriceTable, match="cannot read"):
        load_prices(tmp_path / "nope.yaml")
