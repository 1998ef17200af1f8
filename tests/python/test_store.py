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


def test_position_and_performance_match_the_command(cli, tmp_path):
    # A store of its own: the backfill writes snapshots.
    db = tmp_path / "keel.db"
    cli("import", "prices", EXAMPLES / "market" / "prices.csv", db=db)
    cli("import", "positions", EXAMPLES / "portfolios" / "balanced.csv", "--portfolio", "balanced", db=db)
    cli("batch", "backfill", "--portfolio", "balanced", "--from", "2017-11-27", "--to", "2017-12-06",
        "--steps", "exposures", db=db)
    s = keel.Store(db)
    p = s.position("balanced", 1)
    assert p == cli("portfolio", "position", "balanced", "1", db=db)
    v = p["valuation"]
    # Market value = quantity x price; unrealized P&L = market value - quantity x entry price.
    assert v["market_value_amount"] == pytest.approx(p["quantity"] * v["price"], rel=1e-12)
    assert v["unrealized_pnl_amount"] == pytest.approx(p["quantity"] * (v["price"] - p["entry_price"]), rel=1e-12)
    perf = s.performance("balanced", series=True)
    doc = cli("portfolio", "performance", "balanced", "--series", db=db)
    assert perf["twr"] == pytest.approx(doc["twr"], rel=1e-12)
    assert perf["points"] == 8 and perf["gaps"] == 0
    # The time-weighted return is the product of the daily returns (pandas).
    assert (1 + perf["series"]["return_pct"].dropna()).prod() - 1 == pytest.approx(perf["twr"], rel=1e-12)
    with pytest.raises(keel.NotFoundError):
        s.position("balanced", 99)


def test_health_and_exposures_are_the_commands(cli, store_path, closes):
    s = keel.Store(store_path)
    checks = s.health("balanced", max_position_weight=0.05)
    doc = cli("health", "--portfolio", "balanced", "--max-position-weight", "0.05", db=store_path)
    assert list(checks["id"]) == [c["id"] for c in doc["checks"]]
    assert list(checks["status"]) == [c["status"] for c in doc["checks"]]
    # The largest holding's weight, by hand: its market value over the gross (pandas, last closes).
    frame = s.portfolio("balanced")
    position = checks.set_index("id").loc["position"]
    assert position["figure"] == pytest.approx(frame["market_value"].abs().max() / frame["market_value"].abs().sum(),
                                               rel=1e-9)
    assert position["status"] == ("warn" if position["figure"] > 0.05 else "ok")
    # A request field the health checks do not have is refused by the request's own spec.
    with pytest.raises(keel.InvalidInputError):
        s.health("balanced", max_position_wieght=0.05)
    by_sector = s.exposures("hnw", by="sector")
    assert by_sector == cli("exposures", "--portfolio", "hnw", "--by", "sector", db=store_path)


def test_storage_is_the_commands_and_adds_up(cli, store_path):
    s = keel.Store(store_path)
    frame = s.storage()
    doc = cli("db", "usage", db=store_path)
    assert frame.to_dict("records") == doc["areas"]
    assert frame.attrs["tenant"] == doc["tenant"]
    # The tenant's total is its areas' bytes, the shared market data left out (pandas, by hand).
    assert frame.attrs["bytes"] == int(frame.loc[~frame["shared"], "bytes"].sum())
    assert frame["area"].iloc[-1] == "market_data"
    positions = frame.set_index("area").loc["portfolios"]
    assert positions["items"] == sum(len(s.portfolio(name)) for name in s.portfolios()["name"])


def test_var_and_backtest_are_the_commands_and_the_var_is_kept_as_theirs(cli, tmp_path):
    # A store of its own: the VaR is kept as the portfolio's last.
    import json
    import sqlite3
    db = tmp_path / "keel.db"
    cli("import", "prices", EXAMPLES / "market" / "prices.csv", db=db)
    cli("import", "positions", EXAMPLES / "portfolios" / "balanced.csv", "--portfolio", "balanced", db=db)
    s = keel.Store(db)

    def kept():
        with sqlite3.connect(db) as con:
            rows = con.execute("SELECT result FROM cached_results WHERE kind = 'var'").fetchall()
        return [json.loads(r[0]) for r in rows]

    assert kept() == []
    v = s.var("balanced", method=["historical", "parametric"], confidence=0.975, window=250)
    doc = cli("risk", "var", "--portfolio", "balanced", "--method", "historical,parametric", "--confidence", "0.975",
              "--window", "250", db=db)
    assert v == doc
    # Kept once, as the command keeps it (the command ran last: the same figures).
    assert kept() == [doc]
    assert [r["method"] for r in v["results"]] == ["historical", "parametric"]
    # The components add up to the VaR of the contributions' method (Euler allocation).
    assert sum(c["component_var"] for c in v["contributions"]) == pytest.approx(v["results"][1]["var"], rel=1e-9)
    # The request's own spec refuses what it does not have, and a name that is not a method.
    with pytest.raises(keel.InvalidInputError):
        s.var("balanced", methods=["historical"])
    with pytest.raises(keel.InvalidInputError):
        s.var("balanced", method="delta")
    with pytest.raises(keel.NotFoundError):
        s.var("nope")
    bt = s.backtest("balanced", window=250)
    assert bt == cli("risk", "backtest", "--portfolio", "balanced", "--window", "250", db=db)
    assert bt["observations"] > 0 and 0 <= bt["exceptions"] <= bt["observations"]


def test_from_ledger_is_the_command(cli, tmp_path):
    # The ledger's holdings as a portfolio: the Python face and the command, each on its own store
    # made from the same files, give the same import and the same positions. The example ledger by
    # hand (pandas): each symbol's shares = buys - sells, at the basis of the shares left.
    stores = []
    for name in ("py", "cli"):
        db = tmp_path / f"{name}.db"
        cli("import", "prices", EXAMPLES / "market" / "prices.csv", db=db)
        cli("import", "transactions", EXAMPLES / "ledger" / "transactions.csv", "--account", "taxable", db=db)
        stores.append(db)
    got = keel.Store(stores[0]).from_ledger("household", account="taxable")
    want = cli("portfolio", "from-ledger", "household", "--account", "taxable", db=stores[1])
    assert got == want
    frame = keel.Store(stores[0]).portfolio("household")
    doc = cli("portfolio", "show", "household", db=stores[1])
    assert list(frame["symbol"]) == [p["symbol"] for p in doc["positions"]]
    tx = pd.read_csv(EXAMPLES / "ledger" / "transactions.csv")
    trades = tx[tx["type"].isin(["BUY", "SELL"])]
    shares = trades.assign(q=trades["quantity"].where(trades["type"] == "BUY", -trades["quantity"])).groupby("symbol")["q"].sum()
    held = {s: q for s, q in shares.items() if q != 0}
    stocks = frame[frame["type"] != "cash"]
    assert dict(zip(stocks["symbol"], stocks["quantity"])) == pytest.approx(held)
    with pytest.raises(keel.NotFoundError):
        keel.Store(stores[0]).from_ledger("household", account="nope")
    with pytest.raises(keel.InvalidInputError):
        keel.Store(stores[0]).from_ledger("household", as_of="1999-01-01")
