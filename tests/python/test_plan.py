"""keel.plan.retire against deterministic hand calculations and `keel plan retire`."""

import inspect

import numpy as np
import pandas as pd
import pytest

import keel
from conftest import EXAMPLES, assert_close


def test_zero_volatility_paths_are_arithmetic():
    # No randomness, no inflation: the balance falls by the withdrawal each year, then grows at 5%.
    r = keel.plan.retire(1_000_000, 10, withdrawal=30_000, returns="normal:0,0", inflation=0.0, trials=50)
    assert r.success_rate == 1.0
    assert list(r.paths.index) == list(range(11))
    assert_close(r.paths["p50"], 1_000_000 - 30_000 * np.arange(11), rtol=1e-12)
    assert_close(r.paths["p5"], r.paths["p95"], rtol=1e-12)
    g = keel.plan.retire(1_000_000, 10, withdrawal=0.0, returns="normal:0.05,0", inflation=0.0, trials=10)
    assert_close(g.paths["p50"], 1_000_000 * 1.05 ** np.arange(11), rtol=1e-12)


def test_matches_cli_with_events(cli):
    events = EXAMPLES / "plan" / "events.csv"
    doc = cli("plan", "retire", "--balance", 1_000_000, "--years", 30, "--withdrawal", 45_000, "--trials", 4000,
              "--seed", 9, "--events", events, "--returns", "t:0.06,0.15,5")
    frame = pd.read_csv(events)
    r = keel.plan.retire(1_000_000, 30, withdrawal=45_000, trials=4000, seed=9, events=frame,
                         returns="t:0.06,0.15,5")
    assert r.success_rate == doc["success_rate"]
    for p in ("p5", "p25", "p50", "p75", "p95"):
        assert_close(r.paths[p], doc["paths"][p], rtol=1e-12)
    assert r.terminal["p50"] == pytest.approx(doc["terminal"]["p50"], rel=1e-12)
    # Percentile fan is ordered.
    assert (r.paths["p5"] <= r.paths["p50"]).all() and (r.paths["p50"] <= r.paths["p95"]).all()


def test_bootstrap_from_history_and_bad_options():
    hist = pd.read_csv(EXAMPLES / "plan" / "us_market_annual_1964_2023.csv")
    r = keel.plan.retire(1_000_000, 30, withdrawal_rate=0.04, history=hist["return"], trials=2000)
    assert 0.0 <= r.success_rate <= 1.0 and len(r.paths) == 31
    with pytest.raises(keel.InvalidInputError) as e:
        keel.plan.retire(1_000_000, 30, withdrawal=40_000, strategy="yolo")
    assert "yolo" in str(e.value) or "strategy" in str(e.value)


def test_keyword_arguments_are_the_plan_requests(cli):
    # Every field of PlanRequest with the API's default (the strategies' parameters too), so the
    # command, HTTP and Python read an argument left out alike.
    props = cli("openapi")["components"]["schemas"]["PlanRequest"]["properties"]
    params = inspect.signature(keel.plan.retire).parameters
    for name, prop in props.items():
        assert name in params, name
        if name != "balance":
            assert params[name].default == prop.get("default"), (name, params[name].default, prop)
    # A Guyton-Klinger parameter changes the plan, and the former name of retirement_year still reads.
    a = keel.plan.retire(1_000_000, 30, withdrawal=50_000, strategy="guyton-klinger", trials=500, seed=3)
    b = keel.plan.retire(1_000_000, 30, withdrawal=50_000, strategy="guyton-klinger", gk_cut=0.3, trials=500,
                         seed=3)
    assert a.paths["p50"].iloc[-1] != b.paths["p50"].iloc[-1]
    with pytest.warns(DeprecationWarning, match="retire_in= is now retirement_year="):
        c = keel.plan.retire(1_000_000, 30, withdrawal=40_000, retire_in=5, trials=200, seed=3)
    d = keel.plan.retire(1_000_000, 30, withdrawal=40_000, retirement_year=5, trials=200, seed=3)
    assert c.success_rate == d.success_rate and c.paths.equals(d.paths)

