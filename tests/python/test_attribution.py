"""keel.attribution: the hand-worked two-stock one-factor book of docs/factors.md's definition
(tests/cases/cli/factor_attribution.test writes the arithmetic out), and the same figures as
`keel risk attribution` on the example files."""

import pandas as pd
import pytest

import keel
from conftest import EXAMPLES

DATES = pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09",
                        "2024-01-10"])
# Window: A's excess return exactly 0.001 + 2 mkt, B's -0.5 mkt (rf 0.0001 a day); then the period:
# mkt +2% and -1%, A +3% then -1% (100 -> 103 -> 101.97), B -2% then +1% (50 -> 49 -> 49.49).
PRICES = pd.DataFrame({
    "A": [97.73908057026780, 99.80137517030045, 95.91910167617576, 98.90218573830481, 100.0, 103.0, 101.97],
    "B": [50.23520694185072, 49.98905442783565, 50.49394387755679, 50.12028869286287, 50.0, 49.0, 49.49],
}, index=DATES)
FACTORS = pd.DataFrame({"mkt": [0.003, 0.01, -0.02, 0.015, 0.005, 0.02, -0.01], "rf": [0.0001] * 7}, index=DATES)
BOOK = pd.DataFrame({"symbol": ["A", "B"], "quantity": [10, 20]})


def test_two_stocks_one_factor_by_hand():
    r = keel.attribution(BOOK, PRICES, FACTORS, "2024-01-08", "2024-01-10", window=4)
    a, b = r.positions.set_index("symbol").loc["A"], r.positions.set_index("symbol").loc["B"]
    # A: each day the value at the previous close (1,000, then 1,030) times each term.
    assert a["beta_mkt"] == pytest.approx(2.0, abs=1e-9)
    assert a["pnl_amount"] == pytest.approx(10 * (101.97 - 100), abs=1e-9)
    assert a["mkt"] == pytest.approx(1000 * 2 * 0.02 + 1030 * 2 * -0.01, abs=1e-9)
    assert a["risk_free_amount"] == pytest.approx(1000 * 0.0001 + 1030 * 0.0001, abs=1e-9)
    assert a["alpha_amount"] == pytest.approx(1000 * 0.001 + 1030 * 0.001, abs=1e-9)
    assert a["residual_amount"] == pytest.approx(1000 * -0.0111 + 1030 * 0.0089, abs=1e-9)
    # B: 1,000 then 980.
    assert b["pnl_amount"] == pytest.approx(20 * (49.49 - 50), abs=1e-9)
    assert b["mkt"] == pytest.approx(1000 * -0.5 * 0.02 + 980 * -0.5 * -0.01, abs=1e-9)
    assert b["residual_amount"] == pytest.approx(1000 * -0.0101 + 980 * 0.0049, abs=1e-9)
    assert r.book["pnl_amount"] == pytest.approx(9.5, abs=1e-9)
    assert r.book["mkt"] == pytest.approx(14.3, abs=1e-9)
    assert r.factor_returns["mkt"] == pytest.approx(1.02 * 0.99 - 1, abs=1e-12)
    assert r.excluded.empty


def test_matches_the_cli(cli, adj_prices, closes):
    balanced = EXAMPLES / "portfolios" / "balanced.csv"
    ff5 = EXAMPLES / "market" / "ff5_daily_2012_2017.csv"
    doc = cli("risk", "attribution", "--positions", balanced, "--prices", EXAMPLES / "market" / "prices.csv",
              "--factors", ff5, "--factor-units", "percent", "--from", "2017-10-31", "--to", "2017-11-30")
    r = keel.attribution(balanced, adj_prices, ff5, "2017-10-31", "2017-11-30", closes=closes,
                         factor_units="percent")
    assert list(r.positions["symbol"]) == [p["symbol"] for p in doc["positions"]]
    for key in ("pnl_amount", "factor_amount", "risk_free_amount", "alpha_amount", "residual_amount"):
        assert r.book[key] == pytest.approx(doc["book"][key], rel=1e-12, abs=1e-9)
        assert list(r.positions[key]) == pytest.approx([p[key] for p in doc["positions"]], rel=1e-12, abs=1e-9)


def test_a_period_that_runs_backwards_is_refused():
    with pytest.raises(keel.InvalidInputError, match="must be before"):
        keel.attribution(BOOK, PRICES, FACTORS, "2024-01-10", "2024-01-08", window=4)
