"""keel.whatif against `keel whatif` on the example book and trades, and a small what-if worked out
with pandas and numpy."""

import math

import numpy as np
import pandas as pd
import pytest

import keel
from conftest import EXAMPLES, assert_close

HNW = EXAMPLES / "portfolios" / "hnw.csv"
PRICES = EXAMPLES / "market" / "prices.csv"
TRADES = EXAMPLES / "portfolios" / "whatif_trades.csv"
FF5 = EXAMPLES / "market" / "ff5_daily_2012_2017.csv"


def _same(a, b):
    if b is None:
        assert a is None or (isinstance(a, float) and math.isnan(a))
    else:
        assert a == pytest.approx(b, rel=1e-10, abs=1e-9)


def test_matches_cli_before_after_change_and_stress(cli, adj_prices, closes):
    doc = cli("whatif", "--positions", HNW, "--prices", PRICES, "--trades", TRADES, "--method", "historical,parametric",
              "--factors", FF5, "--factor-units", "percent", "--stress-method", "both")
    r = keel.whatif(pd.read_csv(HNW, dtype=str, keep_default_na=False), adj_prices,
                    pd.read_csv(TRADES, dtype=str, keep_default_na=False), closes=closes, factors=FF5,
                    factor_units="percent", method=["historical", "parametric"],
                    stress_method=["direct", "correlated"])
    assert r.as_of == doc["as_of"]
    assert r.factors_available and doc["factors"]["available"]
    assert set(r.metrics.index) == set(doc["before"]) and "beta_mkt_rf" in r.metrics.index
    for side in ("before", "after", "change"):
        for k, v in doc[side].items():
            _same(r.metrics.loc[k, side], v)
    assert r.cash_amount == pytest.approx(doc["cash_amount"], rel=1e-12)
    assert list(r.trades["symbol"]) == [t["symbol"] for t in doc["trades"]]
    assert list(r.positions["effect"]) == [p["effect"] for p in doc["positions"]]
    assert len(r.stress) == len(doc["stress"]) > 10
    assert_close(r.stress["change"], [s["change"] for s in doc["stress"]], rtol=1e-9)
    assert_close(r.by_sector["change"], [s["change"] for s in doc["by_sector"]], rtol=1e-9)


def test_small_what_if_by_hand(adj_prices, closes):
    # 100 AAPL; sell 40 at 170 and buy 10 JPM (no price: its last close). Hand figures: gross before
    # 100 x close(AAPL), after 60 x close(AAPL) + 10 x close(JPM); cash 40 x 170 - 10 x close(JPM);
    # historical VaR after = -quantile of the after book's P&L over the last 252 common returns.
    book = pd.DataFrame({"symbol": ["AAPL"], "quantity": [100]})
    trades = [{"symbol": "AAPL", "quantity": -40, "price": 170.0}, {"symbol": "JPM", "quantity": 10}]
    r = keel.whatif(book, adj_prices, trades, closes=closes, method=["historical"])
    aapl, jpm = closes["AAPL"].ffill().iloc[-1], closes["JPM"].ffill().iloc[-1]
    assert r.metrics.loc["gross", "before"] == pytest.approx(100 * aapl, rel=1e-12)
    assert r.metrics.loc["gross", "after"] == pytest.approx(60 * aapl + 10 * jpm, rel=1e-12)
    assert r.metrics.loc["gross", "change"] == pytest.approx(-40 * aapl + 10 * jpm, rel=1e-12)
    assert r.metrics.loc["positions", "after"] == 2
    assert r.cash_amount == pytest.approx(40 * 170.0 - 10 * jpm, rel=1e-12)
    assert list(r.trades["price_source"]) == ["given", "close"]
    assert list(r.positions["effect"]) == ["reduce", "new"]
    returns = adj_prices[["AAPL", "JPM"]].dropna(how="any").pct_change().iloc[1:].iloc[-252:]
    pnl = returns.to_numpy() @ np.array([60 * aapl, 10 * jpm])
    assert r.metrics.loc["var_historical", "after"] == pytest.approx(-np.quantile(pnl, 0.01), rel=1e-9)
    # Without factor data, betas and stress are n/a and say why; the rest is computed.
    assert not r.factors_available and r.raw["factors"]["reason"]
    assert r.stress.empty


def test_bad_trades_name_the_cell_and_unpriced_symbols(adj_prices):
    book = pd.DataFrame({"symbol": ["AAPL"], "quantity": [100]})
    with pytest.raises(keel.InvalidInputError) as e:
        keel.whatif(book, adj_prices, [{"symbol": "AAPL", "quantity": "lots"}])
    assert "<trades>:2:2" in str(e.value) or ":2:2:" in str(e.value)
    with pytest.raises(keel.InvalidInputError) as e:
        keel.whatif(book, adj_prices, [{"symbol": "NOPE", "quantity": 5}])
    assert "NOPE" in str(e.value)
