"""keel.Store against `keel portfolio show` on a store built by the CLI from the examples."""

import pandas as pd
import pytest

import keel
from conftest import EXAMPLES, assert_close


@pytest.fixture(scope="module")
def store_path(cli, tmp_path_factory):
    db = tmp_path_factory.mktemp("store") / "keel.db"
    cli("import", "prices", EXAMPLES / "market" / "prices.csv", db=db)
    cli("import", "positions", EXAMPLES / "portfolios" / "balanced.csv", "--portfolio", "balanced", db=db)
    cli("import", "positions", EXAMPLES / "portfolios" / "hnw.csv", "--portfolio", "hnw", db=db)
    return db


def test_portfolio_matches_cli_and_last_close(cli, store_path, closes):
    s = keel.Store(store_path)
    assert set(s.portfolios()["name"]) == {"balanced", "hnw"}
    frame = s.portfolio("balanced")
    doc = cli("portfolio", "show", "balanced", db=store_path)
    assert list(frame["symbol"]) == [p["symbol"] for p in doc["positions"]]
    assert_close(frame["market_value"], [p["market_value"] for p in doc["positions"]], rtol=1e-12)
    assert frame.attrs["net_market_value"] == pytest.approx(doc["net_market_value"], rel=1e-12)
    # Market value = quantity x last close on or before the as-of date (pandas).
    last = closes[list(frame["symbol"])].ffill().iloc[-1].to_numpy()
    assert_close(frame["market_value"], frame["quantity"].to_numpy() * last, rtol=1e-12)
    hnw = s.portfolio("hnw", as_of="2016-12-30")
    assert hnw.attrs["as_of"] == "2016-12-30"


def test_unknown_portfolio(store_path):
    with pytest.raises(keel.NotFoundError):
        keel.Store(store_path).portfolio("nope")
