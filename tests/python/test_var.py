"""keel.var against numpy/scipy formulas and against `keel risk var` on the example books."""

import inspect
import keyword

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

import keel
from conftest import EXAMPLES, assert_close

BALANCED = EXAMPLES / "portfolios" / "balanced.csv"
HNW = EXAMPLES / "portfolios" / "hnw.csv"
PRICES = EXAMPLES / "market" / "prices.csv"


@pytest.fixture(scope="module")
def balanced_inputs(adj_prices, closes):
    """Exposures (quantity x last close) and the last 252 common-date returns, computed by pandas."""
    pos = pd.read_csv(BALANCED)
    symbols = list(pos["symbol"])
    last_close = closes[symbols].ffill().iloc[-1]
    exposures = pd.Series(pos["quantity"].to_numpy() * last_close.to_numpy(), index=symbols)
    returns = adj_prices[symbols].dropna(how="any").pct_change().iloc[1:].iloc[-252:]
    return exposures, returns


def test_historical_matches_numpy_quantile(balanced_inputs):
    exposures, returns = balanced_inputs
    pnl = returns.to_numpy() @ exposures.to_numpy()
    want_var = -np.quantile(pnl, 0.01)  # numpy's default linear interpolation (Hyndman-Fan 7)
    losses = -pnl
    want_es = losses[losses >= want_var].mean()
    r = keel.var(returns, exposures, method="historical", confidence=0.99)
    assert r.var == pytest.approx(want_var, rel=1e-12)
    assert r.es == pytest.approx(want_es, rel=1e-12)
    assert r.scenarios == 252 and r.method == "historical"
    # Same result from a plain 2-D array and an exposure vector in column order.
    r2 = keel.var(np.ascontiguousarray(returns.to_numpy()), exposures.to_numpy(), confidence=0.99)
    assert r2.var == pytest.approx(want_var, rel=1e-12)


def test_parametric_matches_delta_normal_formula(balanced_inputs):
    exposures, returns = balanced_inputs
    e = exposures.to_numpy()
    cov = np.cov(returns.to_numpy(), rowvar=False, ddof=1)
    sigma = np.sqrt(e @ cov @ e)
    for c, h in ((0.99, 1), (0.975, 10)):
        z = norm.ppf(c)
        r = keel.var(returns, exposures, method="parametric", confidence=c, horizon=h)
        assert r.var == pytest.approx(z * sigma * np.sqrt(h), rel=1e-10)
        assert r.es == pytest.approx(sigma * np.sqrt(h) * norm.pdf(z) / (1 - c), rel=1e-10)


def test_prices_kind_takes_simple_returns(balanced_inputs, adj_prices):
    exposures, returns = balanced_inputs
    a = keel.var(adj_prices, exposures, kind="prices", window=252)
    b = keel.var(returns, exposures)
    assert a.var == pytest.approx(b.var, rel=1e-12)


def test_exposure_form_matches_cli(cli, balanced_inputs):
    exposures, returns = balanced_inputs
    doc = cli("risk", "var", "--positions", BALANCED, "--prices", PRICES, "--method", "historical")
    assert keel.var(returns, exposures).var == pytest.approx(doc["results"][0]["var"], rel=1e-9)


@pytest.mark.parametrize("book", [BALANCED, HNW])
@pytest.mark.parametrize("method,extra", [
    ("historical", {}),
    ("parametric", {}),
    ("montecarlo", {"paths": 20000, "seed": 7}),
])
def test_positions_table_matches_cli(cli, adj_prices, closes, book, method, extra):
    args = ["risk", "var", "--positions", book, "--prices", PRICES, "--method", method, "--confidence", "0.975"]
    if extra:
        args += ["--paths", extra["paths"], "--seed", extra["seed"]]
    doc = cli(*args)
    positions = pd.read_csv(book, dtype=str, keep_default_na=False)
    r = keel.var(adj_prices, positions, method=method, confidence=0.975, closes=closes, **extra)
    want = doc["results"][0]
    assert r.var == pytest.approx(want["var"], rel=1e-9)
    assert r.es == pytest.approx(want["es"], rel=1e-9)
    assert r.value == pytest.approx(doc["value"], rel=1e-12)
    assert r.as_of == doc["as_of"] == "2017-12-06"
    got = r.contributions["component_var"]
    want_c = pd.Series({c["symbol"]: c["component_var"] for c in doc["contributions"]})
    assert_close(got.loc[want_c.index], want_c, rtol=1e-8, atol=1e-9)


def test_monte_carlo_is_reproducible_and_near_parametric(balanced_inputs):
    exposures, returns = balanced_inputs
    a = keel.var(returns, exposures, method="montecarlo", paths=200_000, seed=11)
    b = keel.var(returns, exposures, method="montecarlo", paths=200_000, seed=11)
    p = keel.var(returns, exposures, method="parametric")
    assert a.var == b.var
    assert abs(a.var - p.var) < 4 * a.std_error


def test_bad_inputs():
    with pytest.raises(keel.InvalidInputError):
        keel.var(np.zeros((10, 2)), [1.0, 2.0], confidence=1.5)
    with pytest.raises(keel.InvalidInputError):
        keel.var(pd.DataFrame({"A": [0.01, np.nan, 0.02]}), {"A": 1.0})
    with pytest.raises(keel.InvalidInputError) as e:
        keel.var(pd.DataFrame({"A": [0.01, 0.02]}), {"B": 1.0})
    assert "B" in str(e.value)


def test_options_are_the_api_requests_checked_alike_and_named_alike(balanced_inputs):
    exposures, returns = balanced_inputs
    # The request's own range (lambda in (0, 1)) and choices; the error names the keyword argument
    # (lambda, a Python keyword, is lambda_).
    with pytest.raises(keel.InvalidInputError) as e:
        keel.var(returns, exposures, method="parametric", cov="ewma", lambda_=1.5)
    assert any(d.startswith("lambda_:") for d in e.value.details), e.value.details
    with pytest.raises(keel.InvalidInputError) as e:
        keel.var(returns, exposures, method="montecarlo", dist="cauchy")
    assert any(d.startswith("dist:") for d in e.value.details), e.value.details
    # The same choice names as the command: "t" is Student-t, and the EWMA decay is the request's.
    a = keel.var(returns, exposures, method="parametric", cov="ewma", lambda_=0.97)
    b = keel.var(returns, exposures, method="parametric", cov="ewma", lambda_=0.94)
    assert a.var != b.var
    # A name the request does not have is Python's own TypeError, naming the fields it takes.
    with pytest.raises(TypeError) as e:
        keel.var(returns, exposures, confidense=0.99)
    assert "confidense" in str(e.value) and "confidence" in str(e.value)


def test_keyword_arguments_are_the_requests_fields_with_its_defaults(cli):
    # keel.var's keyword arguments are RiskVarRequest's HTTP fields less the book's source (the
    # data, as_of, currency), with the defaults the API's document gives (`keel openapi`), so the
    # command, HTTP and Python agree on what an argument left out means.
    doc = cli("openapi")
    for fn, schema, own in ((keel.var, "RiskVarRequest", {"as_of", "currency", "async"}),
                            (keel.whatif, "WhatIfRequest", {"as_of", "currency", "set", "async"}),
                            (keel.stress, "RiskStressRequest", {"as_of", "currency", "set", "async"}),
                            (keel.attribution, "FactorAttributionRequest", {"from", "to", "currency", "set"})):
        props = doc["components"]["schemas"][schema]["properties"]
        params = inspect.signature(fn).parameters
        for name, prop in props.items():
            if name in own:
                continue
            py = name + "_" if keyword.iskeyword(name) else name
            assert py in params, (fn.__name__, name)
            assert params[py].default == prop.get("default"), (fn.__name__, name, params[py].default, prop)
            assert py in fn.__doc__, (fn.__name__, name)
    # what-if's Monte Carlo paths are the request's (100,000), as `keel whatif` takes them.
    assert inspect.signature(keel.whatif).parameters["paths"].default == 100_000


def test_former_names_still_work_with_a_warning(balanced_inputs):
    exposures, returns = balanced_inputs
    with pytest.warns(DeprecationWarning, match="horizon_days= is now horizon="):
        a = keel.var(returns, exposures, method="parametric", horizon_days=10)
    assert a.var == keel.var(returns, exposures, method="parametric", horizon=10).var
    with pytest.warns(DeprecationWarning, match="ewma_lambda= is now lambda_="):
        keel.var(returns, exposures, method="parametric", covariance="ewma", ewma_lambda=0.97)
    with pytest.raises(TypeError, match="twice"), pytest.warns(DeprecationWarning):
        keel.var(returns, exposures, horizon=1, horizon_days=1)


def test_a_brokers_positions_download_is_the_book_it_lists(adj_prices, closes):
    """A Fidelity positions download read as it comes (docs/formats.md, "Brokers' positions
    downloads") is the same book as keel's columns say it: the same VaR and value."""
    download = EXAMPLES / "portfolios" / "fidelity_positions.csv"
    canonical = pd.DataFrame({
        "symbol": ["SPAXX", "AAPL", "MSFT", "AAPL180119C00180000", "JNJ", "XOM"],
        "quantity": ["1250.37", "40", "50", "2", "40", "30"],
        "type": ["cash", "", "", "", "", ""],
    })
    a = keel.var(adj_prices, download, method="historical", closes=closes)
    b = keel.var(adj_prices, canonical, method="historical", closes=closes)
    assert a.var == b.var and a.es == b.es and a.value == b.value
    assert any("read as a Fidelity positions download: 6 positions" in w for w in a.warnings)
