"""keel.factors.betas against numpy.linalg.lstsq and against `keel risk factors`."""

import numpy as np
import pandas as pd
import pytest

import keel
from conftest import EXAMPLES, assert_close

FF5 = EXAMPLES / "market" / "ff5_daily_2012_2017.csv"
BALANCED = EXAMPLES / "portfolios" / "balanced.csv"
PRICES = EXAMPLES / "market" / "prices.csv"
FACTORS = ["mkt_rf", "smb", "hml", "rmw", "cma"]


def ols_numpy(y, x):
    """Slopes, intercept and R^2 of every column of y on x with an intercept (numpy lstsq)."""
    design = np.column_stack([np.ones(len(x)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    r2 = 1 - (resid ** 2).sum(axis=0) / ((y - y.mean(axis=0)) ** 2).sum(axis=0)
    return coef[1:].T, coef[0], r2, resid


def test_betas_match_lstsq_on_synthetic_data():
    rng = np.random.default_rng(5)
    t, n, k = 500, 40, 3
    x = rng.normal(0, 0.01, (t, k))
    true = rng.normal(1, 0.5, (n, k))
    y = np.ascontiguousarray(0.0002 + x @ true.T + rng.normal(0, 0.005, (t, n)))
    fit = keel.factors.betas(y, x)
    b, a, r2, resid = ols_numpy(y, x)
    assert_close(fit.betas.to_numpy(), b, rtol=1e-9, atol=1e-12)
    assert_close(fit.alpha.to_numpy(), a, rtol=1e-7, atol=1e-14)
    assert_close(fit.r2.to_numpy(), r2, rtol=1e-9)
    # Standard errors: s^2 (X'X)^-1 with s^2 = SSR / (T - K - 1).
    design = np.column_stack([np.ones(t), x])
    inv = np.linalg.inv(design.T @ design)
    s2 = (resid ** 2).sum(axis=0) / (t - k - 1)
    se = np.sqrt(np.outer(s2, np.diag(inv)[1:]))
    assert_close(fit.beta_se.to_numpy(), se, rtol=1e-8)
    assert fit.observations == t
    assert fit.stats["alpha_annual"].to_numpy() == pytest.approx(252 * a, rel=1e-9)


def test_dataframes_are_aligned_on_common_dates():
    dates = pd.date_range("2024-01-01", periods=60, freq="B")
    rng = np.random.default_rng(1)
    f = pd.DataFrame({"mkt": rng.normal(0, 0.01, 60)}, index=dates)
    y = pd.DataFrame({"A": 2 * f["mkt"] + rng.normal(0, 0.001, 60)}, index=dates)
    fit = keel.factors.betas(y.iloc[5:], f)  # factors have five more dates than the returns
    b, *_ = ols_numpy(y.iloc[5:].to_numpy(), f.iloc[5:].to_numpy())
    assert fit.betas.loc["A", "mkt"] == pytest.approx(b[0, 0], rel=1e-10)


def test_matches_cli_position_betas(cli, adj_prices):
    doc = cli("risk", "factors", "--positions", BALANCED, "--prices", PRICES, "--factors", FF5,
              "--factor-units", "percent")
    symbols = list(pd.read_csv(BALANCED)["symbol"])
    returns = adj_prices[symbols].dropna(how="any").pct_change().iloc[1:].iloc[-252:]
    ff = pd.read_csv(FF5, parse_dates=["date"], index_col="date") / 100.0
    ff = ff.loc[returns.index]
    excess = returns.sub(ff["rf"], axis=0)
    fit = keel.factors.betas(excess, ff[FACTORS])
    assert str(returns.index[0].date()) == doc["first_date"]
    for p in doc["positions"]:
        for f in FACTORS:
            assert fit.betas.loc[p["symbol"], f] == pytest.approx(p["betas"][f], rel=1e-8, abs=1e-12)
            assert fit.beta_t.loc[p["symbol"], f] == pytest.approx(p["t_stats"][f], rel=1e-8)
        assert fit.stats.loc[p["symbol"], "r2"] == pytest.approx(p["r2"], rel=1e-9)
        assert fit.stats.loc[p["symbol"], "alpha_annual"] == pytest.approx(p["alpha"], rel=1e-7)


def test_collinear_factors_are_named():
    x = np.random.default_rng(0).normal(size=(50, 1))
    with pytest.raises(keel.InvalidInputError) as e:
        keel.factors.betas(np.random.default_rng(1).normal(size=(50, 2)), pd.DataFrame(np.hstack([x, 2 * x]),
                                                                                       columns=["a", "b"]))
    assert "a" in str(e.value) or "b" in str(e.value)


def test_per_series_missing():
    rng = np.random.default_rng(3)
    x = rng.normal(0, 0.01, (100, 1))
    y = np.column_stack([1.5 * x[:, 0], 0.5 * x[:, 0]]) + rng.normal(0, 1e-4, (100, 2))
    y[:10, 1] = np.nan
    with pytest.raises(keel.InvalidInputError):
        keel.factors.betas(y, x)
    fit = keel.factors.betas(y, x, missing="per_series")
    assert list(fit.stats["observations"]) == [100, 90]
    b, *_ = ols_numpy(y[10:, 1:], x[10:])
    assert fit.betas.iloc[1, 0] == pytest.approx(b[0, 0], rel=1e-10)
