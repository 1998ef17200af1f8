"""keel.var of a book in two currencies against the hand-worked figures of docs/risk.md ("Currency risk")."""

import pandas as pd
import pytest

import keel

# SAP's closes in EUR give the returns +2%, -2%, +1%, -3%, +4%; EUR/USD gives +1%, -1%, -2%, +0.5%,
# -1% on the same days (1.10 on the last). 10 SAP = 1,000 EUR = 1,100 USD.
DATES = pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09"])
SAP = [98.18548849962170, 100.14919826961413, 98.14621430422184, 99.12767644726407, 96.15384615384615, 100.0]
EURUSD = [1.12825894337947, 1.13954153281327, 1.12814611748514, 1.10558319513543, 1.11111111111111, 1.1]
PRICES = pd.DataFrame({"SAP": SAP}, index=DATES)
FX = pd.DataFrame({"date": [d.strftime("%Y-%m-%d") for d in DATES], "base": "EUR", "quote": "USD", "rate": EURUSD})
BOOK = pd.DataFrame([{"symbol": "SAP", "quantity": 10, "currency": "EUR"}])


def test_a_euro_stock_in_a_dollar_book_carries_currency_risk():
    # In EUR: P&L = 1,000 r = 20, -20, 10, -30, 40; the second lowest at 75 % is -20: VaR 20 EUR.
    eur = keel.var(PRICES, BOOK, "historical", 0.75, window=5, currency="EUR")
    assert eur.var == pytest.approx(20.0, abs=1e-9)
    # In USD: P&L = 1,100 ((1 + r)(1 + f) - 1) = 33.22, -32.78, -11.22, -27.665, 32.56: VaR 27.665,
    # of which the price part 1,100 x 3 % = 33 and the currency part -5.335 on 2024-01-08.
    usd = keel.var(PRICES, BOOK, "historical", 0.75, window=5, currency="USD", fx=FX)
    assert usd.var == pytest.approx(27.665, abs=1e-9)
    assert usd.es == pytest.approx((32.78 + 27.665) / 2, abs=1e-9)
    row = usd.contributions.loc["SAP"]
    assert row["component_var_price"] == pytest.approx(33.0, abs=1e-9)
    assert row["component_var_currency"] == pytest.approx(-5.335, abs=1e-9)


def test_a_missing_rate_is_refused_with_the_pair():
    with pytest.raises(keel.InvalidInputError, match="EUR"):
        keel.var(PRICES, BOOK, "historical", 0.75, window=5, currency="USD")
