"""keel.optimize, keel.optimize_frontier and keel.rebalance against `keel optimize` and `keel
rebalance` on the same inputs, and the worked account of docs/construction.md by hand."""

import numpy as np
import pandas as pd
import pytest

import keel
from conftest import EXAMPLES

BALANCED = EXAMPLES / "portfolios" / "balanced.csv"
PRICES = EXAMPLES / "market" / "prices.csv"


def test_optimize_matches_cli(cli, adj_prices, closes):
    doc = cli("optimize", "--positions", BALANCED, "--prices", PRICES, "--objective", "min-variance",
              "--long-only", "--window", "252")
    r = keel.optimize(pd.read_csv(BALANCED, dtype=str, keep_default_na=False), adj_prices, "min-variance",
                      closes=closes, long_only=True, window=252)
    assert r["as_of"] == doc["as_of"]
    assert r["status"] == "optimal"
    assert r["volatility"] == pytest.approx(doc["volatility"], rel=1e-12)
    w = r["weights"]
    assert list(w.columns) == ["weight", "current_weight", "risk_contribution"]
    for sym, v in doc["weights"].items():
        assert w.loc[sym, "weight"] == pytest.approx(v, rel=1e-12, abs=1e-15)
        assert w.loc[sym, "current_weight"] == pytest.approx(doc["current_weights"][sym], rel=1e-12)
    assert w["weight"].sum() == pytest.approx(1.0, abs=1e-9)
    assert (w["weight"] >= -1e-12).all()


def test_optimize_frontier_points(adj_prices, closes):
    r = keel.optimize_frontier(BALANCED, adj_prices, points=5, closes=closes, long_only=True, window=252)
    assert len(r["points"]) == 5 and list(r["weights"].shape) == [5, 15]
    assert (r["points"]["status"] == "optimal").all()
    assert r["points"]["expected_return"].is_monotonic_increasing


def test_optimize_frontier_with_tracking_error_and_names(adj_prices, closes):
    # Every point keeps within the tracking error limit against MSFT, by numpy's sample covariance
    # of the same 252 returns; and with at most 3 names every reachable point holds at most 3.
    r = keel.optimize_frontier(BALANCED, adj_prices, points=4, closes=closes, long_only=True, window=252,
                               benchmark="MSFT", max_tracking_error=0.12)
    w = r["weights"]
    rets = adj_prices[list(w.columns)].pct_change().iloc[1:].iloc[-252:]
    cov = np.cov(rets.to_numpy(), rowvar=False)
    b = np.array([1.0 if s == "MSFT" else 0.0 for s in w.columns])
    assert (r["points"]["status"] == "optimal").all()
    for k in range(len(w)):
        d = w.iloc[k].to_numpy() - b
        assert np.sqrt(252 * d @ cov @ d) <= 0.12 * (1 + 1e-9)
    r3 = keel.optimize_frontier(BALANCED, adj_prices, points=4, closes=closes, long_only=True, window=252,
                                max_names=3)
    held = (r3["weights"].fillna(0.0).abs() > 1e-9).sum(axis=1)
    ok = (r3["points"]["status"] == "optimal").to_numpy()
    assert ok[0] and (held.to_numpy()[ok] <= 3).all()


def test_optimize_names_a_bad_option(adj_prices):
    with pytest.raises(keel.InvalidInputError, match="objectiv"):
        keel.optimize(BALANCED, adj_prices, objectiv="hrp")


# The worked account (docs/construction.md, "A worked account"; tests/construct/rebalance_test.cpp).
DAYS = pd.to_datetime(["2024-06-27", "2024-06-28"])
WORKED_PRICES = pd.DataFrame({"XYZ": [118.0, 120.0], "ABC": [41.0, 40.0], "QQQ": [305.0, 300.0]}, index=DAYS)
BOOK = [{"symbol": "XYZ", "quantity": 100, "type": "stock"}, {"symbol": "ABC", "quantity": 150, "type": "stock"},
        {"symbol": "USD", "quantity": 2000, "type": "cash"}]
TRANSACTIONS = pd.DataFrame.from_records([
    ("2021-05-01", "BUY", "taxable", "ABC", 100, 30, "A1"),
    ("2022-03-01", "BUY", "taxable", "XYZ", 50, 80, "L1"),
    ("2023-09-01", "BUY", "taxable", "XYZ", 20, 100, "L3"),
    ("2024-01-05", "BUY", "taxable", "QQQ", 10, 400, "Q1"),
    ("2024-01-10", "BUY", "taxable", "XYZ", 30, 130, "L2"),
    ("2024-06-10", "BUY", "taxable", "ABC", 50, 45, "A2"),
    ("2024-06-20", "SELL", "taxable", "QQQ", 10, 300, ""),
], columns=["date", "type", "account", "symbol", "quantity", "price", "lot_id"])
TARGET = {"XYZ": 0.2, "ABC": 0.1, "QQQ": 0.3}


def test_rebalance_tax_aware_worked_account():
    r = keel.rebalance(BOOK, WORKED_PRICES, TARGET, transactions=TRANSACTIONS, account="taxable", tax_aware=True,
                       tax_budget_amount=1500)
    assert r["value_amount"] == 20000.0 and r["cash_after_amount"] == 12000.0
    t = r["trades"].set_index("symbol")
    assert list(t.index) == ["ABC", "XYZ"]
    assert t.loc["XYZ", "quantity"] == 50 and t.loc["ABC", "quantity"] == 100
    lots = r["lots"]
    assert list(lots["lot_id"]) == ["A1", "L2", "L1"]
    assert list(lots["gain_amount"]) == [1000.0, -300.0, 800.0]
    assert list(lots["term"]) == ["long", "short", "long"]
    assert r["realized_gain"] == {"short_term_amount": -300.0, "long_term_amount": 1800.0, "total_amount": 1500.0}
    assert [(w["symbol"], w["lot_id"]) for w in r["wash_sales_avoided"]] == [("QQQ", None), ("ABC", "A2")]
    assert any("XYZ: sells 50 of the 67 shares" in w for w in r["warnings"])


def test_rebalance_matches_cli(cli, tmp_path):
    pos, px, target = tmp_path / "book.csv", tmp_path / "prices.csv", tmp_path / "target.csv"
    pd.DataFrame.from_records(BOOK).to_csv(pos, index=False)
    rows = WORKED_PRICES.rename_axis("date").reset_index().melt(id_vars="date", var_name="symbol", value_name="close")
    rows["date"] = rows["date"].dt.strftime("%Y-%m-%d")
    rows.to_csv(px, index=False)
    pd.Series(TARGET, name="weight").rename_axis("symbol").to_csv(target)
    doc = cli("rebalance", "--positions", pos, "--prices", px, "--target", target, "--lot-size", "10",
              "--cost-bp", "10", "--min-trade", "500")
    r = keel.rebalance(pos, WORKED_PRICES, TARGET, lot_size=10, cost_bp=10, min_trade_amount=500)
    assert list(r["trades"]["symbol"]) == [t["symbol"] for t in doc["trades"]]
    assert list(r["trades"]["quantity"]) == [t["quantity"] for t in doc["trades"]]
    assert r["cash_after_amount"] == pytest.approx(doc["cash_after_amount"], rel=1e-12)
    assert r["weights_after"] == pytest.approx(doc["weights_after"], rel=1e-12)
    assert r["lots"].empty


def test_rebalance_tax_aware_needs_transactions():
    with pytest.raises(keel.UsageError):
        keel.rebalance(BOOK, WORKED_PRICES, TARGET, account="taxable", tax_aware=True)
