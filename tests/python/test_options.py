"""keel.options against Haug's worked examples, the scipy closed forms and the keel CLI."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

import keel
from conftest import assert_close


def bsm_scipy(right, s, k, t, v, r, q):
    """Black-Scholes-Merton price and Greeks written out with scipy (Haug 2nd ed. 1.1.6, 2.1-2.4)."""
    sq = v * np.sqrt(t)
    d1 = (np.log(s / k) + (r - q + 0.5 * v * v) * t) / sq
    d2 = d1 - sq
    dq, dr = np.exp(-q * t), np.exp(-r * t)
    call = right == "call"
    price = np.where(call, s * dq * norm.cdf(d1) - k * dr * norm.cdf(d2),
                     k * dr * norm.cdf(-d2) - s * dq * norm.cdf(-d1))
    delta = np.where(call, dq * norm.cdf(d1), -dq * norm.cdf(-d1))
    gamma = dq * norm.pdf(d1) / (s * sq)
    vega = s * dq * norm.pdf(d1) * np.sqrt(t)
    decay = -s * dq * norm.pdf(d1) * v / (2 * np.sqrt(t))
    theta = np.where(call, decay - r * k * dr * norm.cdf(d2) + q * s * dq * norm.cdf(d1),
                     decay + r * k * dr * norm.cdf(-d2) - q * s * dq * norm.cdf(-d1))
    rho = np.where(call, k * t * dr * norm.cdf(d2), -k * t * dr * norm.cdf(-d2))
    return price, delta, gamma, vega, theta, rho


@pytest.fixture(scope="module")
def book():
    rng = np.random.default_rng(2026)
    n = 20_000
    return dict(right=np.where(rng.random(n) < 0.5, "call", "put"), s=rng.uniform(50, 150, n),
                k=rng.uniform(60, 140, n), t=rng.uniform(0.05, 2.0, n), v=rng.uniform(0.1, 0.6, n),
                r=rng.uniform(0.0, 0.06, n), q=rng.uniform(0.0, 0.03, n))


def test_haug_worked_examples():
    # Haug (2007) p. 3: call S=60, K=65, T=0.25, r=8%, vol 30% -> 2.1334.
    assert keel.options.price("call", 60.0, 65.0, 0.25, 0.30, 0.08) == pytest.approx(2.1334, abs=5e-5)
    # Haug (2007) 1.1.6: put S=100, K=95, T=0.5, r=10%, q=5%, vol 20% -> 2.4648.
    assert keel.options.price("put", 100.0, 95.0, 0.5, 0.20, 0.10, 0.05) == pytest.approx(2.4648, abs=5e-5)


def test_prices_and_greeks_match_scipy(book):
    b = book
    want = bsm_scipy(b["right"], b["s"], b["k"], b["t"], b["v"], b["r"], b["q"])
    price = keel.options.price(b["right"], b["s"], b["k"], b["t"], b["v"], b["r"], b["q"])
    assert isinstance(price, np.ndarray) and price.shape == (len(b["s"]),)
    assert_close(price, want[0], rtol=1e-9, atol=1e-11)
    g = keel.options.greeks(b["right"], b["s"], b["k"], b["t"], b["v"], b["r"], b["q"])
    for col, w in zip(["price", "delta", "gamma", "vega", "theta", "rho"], want):
        assert_close(g[col].to_numpy(), w, rtol=1e-8, atol=1e-10)
    assert_close(g["theta_per_day"], g["theta"] / 365.0)


def test_implied_vol_round_trip(book):
    b = book
    price = keel.options.price(b["right"], b["s"], b["k"], b["t"], b["v"], b["r"], b["q"])
    # Only prices with time value above the double's resolution carry a vol (deep in or out of the
    # money options sit on their no-arbitrage bound): lower bound = max(w (S e^-qT - K e^-rT), 0).
    w = np.where(b["right"] == "call", 1.0, -1.0)
    lower = np.maximum(w * (b["s"] * np.exp(-b["q"] * b["t"]) - b["k"] * np.exp(-b["r"] * b["t"])), 0.0)
    ok = price - lower > 1e-3
    assert ok.mean() > 0.9
    iv = keel.options.implied_vol(b["right"][ok], price[ok], b["s"][ok], b["k"][ok], b["t"][ok], b["r"][ok], b["q"][ok])
    assert_close(iv, b["v"][ok], rtol=1e-7)


def test_implied_vol_outside_bounds():
    # A call worth less than its discounted intrinsic value has no implied vol.
    with pytest.raises(keel.InvalidInputError) as e:
        keel.options.implied_vol("call", [5.0, 1.0], 110.0, 100.0, 1.0)
    assert "option 1" in str(e.value) and "bound" in str(e.value)
    vol, status = keel.options.implied_vol("call", [5.0, 12.0], 110.0, 100.0, 1.0, errors="nan", return_status=True)
    assert np.isnan(vol[0]) and keel.options.IV_STATUS[int(status[0])] == "below_lower_bound"
    assert status[1] == 0 and keel.options.price("call", 110.0, 100.0, 1.0, vol[1]) == pytest.approx(12.0, rel=1e-12)


def test_broadcasting_and_series_index():
    strikes = pd.Series([90.0, 100.0, 110.0], index=["K90", "K100", "K110"])
    p = keel.options.price("call", 100.0, strikes, 0.5, 0.2, 0.03)
    assert isinstance(p, pd.Series) and list(p.index) == ["K90", "K100", "K110"]
    assert p.is_monotonic_decreasing
    grid = keel.options.price("put", 100.0, np.array([[90.0], [110.0]]), np.array([0.25, 0.5, 1.0]), 0.2)
    assert grid.shape == (2, 3)
    r = keel.options.price(np.array([0, 1]), 100.0, 100.0, 1.0, 0.2)  # integer rights: 0 call, 1 put
    assert r[0] == pytest.approx(keel.options.price("call", 100.0, 100.0, 1.0, 0.2))
    with pytest.raises(keel.InvalidInputError):
        keel.options.price("straddle", 100.0, 100.0, 1.0, 0.2)


@pytest.mark.parametrize("right,spot,strike,years,vol,rate,div", [
    ("call", 60, 65, 0.25, 0.3, 0.08, 0.0),
    ("put", 100, 95, 0.5, 0.2, 0.1, 0.05),
    ("put", 42, 40, 0.75, 0.35, 0.02, 0.01),
])
def test_matches_cli(cli, right, spot, strike, years, vol, rate, div):
    doc = cli("options", "price", "--type", right, "--spot", spot, "--strike", strike, "--years", years,
              "--vol", vol, "--rate", rate, "--div", div)
    g = keel.options.greeks(right, spot, strike, years, vol, rate, div).iloc[0]
    for col in ("price", "delta", "gamma", "vega", "theta", "rho", "theta_per_day", "vega_per_point"):
        assert g[col] == pytest.approx(doc[col], rel=1e-12, abs=1e-14), col
    iv = keel.options.implied_vol(right, doc["price"], spot, strike, years, rate, div)
    assert iv == pytest.approx(vol, rel=1e-9)
