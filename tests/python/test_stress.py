"""keel.stress against `keel risk stress` and a hand-computed direct scenario."""

import numpy as np
import pandas as pd
import pytest

import keel
from conftest import EXAMPLES, assert_close

FF5 = EXAMPLES / "market" / "ff5_daily_2012_2017.csv"
BALANCED = EXAMPLES / "portfolios" / "balanced.csv"
PRICES = EXAMPLES / "market" / "prices.csv"


def test_matches_cli_every_scenario(cli, adj_prices, closes):
    doc = cli("risk", "stress", "--scenario", "all", "--positions", BALANCED, "--prices", PRICES, "--factors", FF5,
              "--factor-units", "percent")
    ff = pd.read_csv(FF5, parse_dates=["date"], index_col="date")
    r = keel.stress(pd.read_csv(BALANCED, dtype=str, keep_default_na=False), adj_prices, ff, "all", closes=closes,
                    factor_units="percent")
    assert len(r.scenarios) == len(doc["scenarios"]) > 10
    want = pd.DataFrame([{k: s[k] for k in ("name", "method", "pnl", "pnl_pct")} for s in doc["scenarios"]])
    assert list(r.scenarios["scenario"]) == list(want["name"])
    assert list(r.scenarios["method"]) == list(want["method"])
    assert_close(r.scenarios["pnl"], want["pnl"], rtol=1e-9)
    assert_close(r.scenarios["pnl_pct"], want["pnl_pct"], rtol=1e-9)
    assert len(r.positions) == sum(len(s["positions"]) for s in doc["scenarios"])


def test_user_shock_direct_is_exposure_times_beta_times_shock(adj_prices, closes):
    # Direct method, one shocked factor: P&L of a stock = value x beta_mkt x shock (docs/stress.md),
    # with beta from the same regression keel.factors.betas runs.
    positions = pd.DataFrame({"symbol": ["AAPL", "XOM"], "quantity": [100, 200]})
    ff = pd.read_csv(FF5, parse_dates=["date"], index_col="date") / 100.0
    r = keel.stress(positions, adj_prices, ff, shock={"mkt_rf": -0.10}, method=["direct"], closes=closes)
    assert list(r.scenarios["scenario"]) == ["user"]
    returns = adj_prices[["AAPL", "XOM"]].dropna().pct_change().iloc[1:].iloc[-252:]
    f = ff.loc[returns.index]
    fit = keel.factors.betas(returns.sub(f["rf"], axis=0), f[["mkt_rf", "smb", "hml", "rmw", "cma"]])
    value = np.array([100, 200]) * closes[["AAPL", "XOM"]].iloc[-1].to_numpy()
    want = (value * fit.betas["mkt_rf"].to_numpy() * -0.10).sum()
    assert r.scenarios["pnl"].iloc[0] == pytest.approx(want, rel=1e-9)
    # The request's own form of the shock (FACTOR=RETURN texts, as `keel risk stress --shock`), and
    # the names keel.stress took before, read with a warning.
    same = keel.stress(positions, adj_prices, ff, shock=["mkt_rf=-0.10"], method="direct", closes=closes)
    assert same.scenarios["pnl"].iloc[0] == r.scenarios["pnl"].iloc[0]
    with pytest.warns(DeprecationWarning, match="shocks= is now shock="):
        former = keel.stress(positions, adj_prices, ff, [], shocks={"mkt_rf": -0.10}, methods=["direct"], closes=closes)
    assert former.scenarios["pnl"].iloc[0] == r.scenarios["pnl"].iloc[0]


def test_unknown_scenario_is_not_found(adj_prices):
    ff = pd.read_csv(FF5, parse_dates=["date"], index_col="date")
    with pytest.raises(keel.NotFoundError) as e:
        keel.stress(pd.DataFrame({"symbol": ["AAPL"], "quantity": [1]}), adj_prices, ff, ["nope"],
                    factor_units="percent")
    assert "nope" in str(e.value)
