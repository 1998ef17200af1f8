"""keel.ledger.book against a hand-booked history and `keel ledger lots|gains`."""

import inspect
import keyword
from decimal import Decimal

import pandas as pd
import pytest

import keel
from conftest import EXAMPLES

TRANSACTIONS = EXAMPLES / "ledger" / "transactions.csv"


def test_hand_booked_fifo_and_hifo():
    tx = pd.DataFrame([
        {"date": "2023-01-03", "type": "BUY", "symbol": "ABC", "quantity": "10", "price": "100.00", "fees": "1.00"},
        {"date": "2023-02-01", "type": "BUY", "symbol": "ABC", "quantity": "10", "price": "120.00", "fees": "1.00"},
        {"date": "2024-03-01", "type": "SELL", "symbol": "ABC", "quantity": "15", "price": "130.00", "fees": "1.50"},
    ])
    fifo = keel.ledger.book(tx)
    # FIFO: 10 from lot 1 (basis 10 x 100 + 1 fee = 1001.00), then 5 from lot 2 (basis 1201.00 / 2
    # = 600.50); both held more than a year.
    # Proceeds 15 x 130 - 1.50 = 1948.50, split 10/15 = 1299.00 and the remainder 649.50.
    g = fifo.gains
    assert list(g["quantity"]) == [Decimal("10"), Decimal("5")]
    assert list(g["proceeds"]) == [Decimal("1299.00"), Decimal("649.50")]
    assert list(g["cost"]) == [Decimal("1001.00"), Decimal("600.50")]
    assert list(g["gain"]) == [Decimal("298.00"), Decimal("49.00")]
    assert g["gain"].sum() == Decimal("347.00")
    assert list(fifo.lots["quantity"]) == [Decimal("5")] and fifo.lots["basis"].iloc[0] == Decimal("600.50")
    # HIFO closes the 120.10/share lot first: cost 1201.00 for 10, then 500.50 for 5 of lot 1.
    hifo = keel.ledger.book(tx, method="hifo")
    assert list(hifo.gains["cost"]) == [Decimal("1201.00"), Decimal("500.50")]
    assert hifo.gains["gain"].sum() == Decimal("1948.50") - Decimal("1701.50")
    assert keel.ledger.book(tx, money="float").gains["gain"].sum() == pytest.approx(347.0)


@pytest.mark.parametrize("method", ["fifo", "lifo", "hifo", "average"])
def test_matches_cli(cli, method):
    frame = pd.read_csv(TRANSACTIONS, dtype=str, keep_default_na=False)
    b = keel.ledger.book(frame, method=method)
    gains = cli("ledger", "gains", "--transactions", TRANSACTIONS, "--method", method)
    lots = cli("ledger", "lots", "--transactions", TRANSACTIONS, "--method", method)
    assert len(b.gains) == len(gains["realized"])
    for (_, row), want in zip(b.gains.iterrows(), gains["realized"]):
        for col in ("symbol", "lot_id", "term"):
            assert row[col] == want[col]
        assert str(row["sell_date"].date()) == want["sell_date"]
        for col in ("quantity", "proceeds", "cost", "gain", "wash_sale_disallowed"):
            # The CLI prints exact cent values as JSON numbers; compare at the cent.
            assert row[col] == Decimal(str(want[col])).quantize(row[col]), (col, row[col], want[col])
    t = gains["totals"]
    short = b.gains.loc[b.gains["term"] == "short", "gain"].sum()
    long_ = b.gains.loc[b.gains["term"] == "long", "gain"].sum()
    assert short == Decimal(str(t["short"])).quantize(Decimal("0.01"))
    assert long_ == Decimal(str(t["long"])).quantize(Decimal("0.01"))
    assert len(b.lots) == len(lots["lots"])
    for (_, row), want in zip(b.lots.iterrows(), lots["lots"]):
        assert (row["symbol"], row["lot_id"]) == (want["symbol"], want["lot_id"])
        assert row["basis"] == Decimal(str(want["basis"])).quantize(Decimal("0.01"))


def test_path_input_and_bad_rows_are_all_reported(tmp_path):
    b = keel.ledger.book(TRANSACTIONS)
    assert b.transactions > 10 and len(b.gains) > 0
    bad = pd.DataFrame([
        {"date": "2023-01-03", "type": "BUY", "symbol": "ABC", "quantity": "ten", "price": "1"},
        {"date": "2023-13-01", "type": "BUY", "symbol": "ABC", "quantity": "1", "price": "1"},
    ])
    with pytest.raises(keel.InvalidInputError) as e:
        keel.ledger.book(bad)
    text = str(e.value)
    assert "<transactions>:2:" in text and "<transactions>:3:" in text, text
    oversell = pd.DataFrame([
        {"date": "2023-01-03", "type": "BUY", "symbol": "ABC", "quantity": "1", "price": "1"},
        {"date": "2023-01-04", "type": "SELL", "symbol": "ABC", "quantity": "2", "price": "1"},
    ])
    with pytest.raises(keel.InvalidInputError) as e:
        keel.ledger.book(oversell)
    assert "<transactions>:3" in str(e.value)


MULTI = EXAMPLES / "ledger" / "multicurrency_transactions.csv"
FX = EXAMPLES / "ledger" / "fx_rates.csv"
MULTI_PRICES = EXAMPLES / "ledger" / "multicurrency_prices.csv"


def test_performance_in_a_reporting_currency_against_the_hand_figures():
    # A USD account buying GBP and EUR shares (docs/ledger.md, "Many currencies"): from 5,000.00 on
    # 2 January to 3,786.83 of cash and 2 ASML at 880.00 EUR x 1.0750 = 1,892.00 on 10 June.
    usd = keel.ledger.performance(MULTI, MULTI_PRICES, fx=FX)
    assert usd.summary["currency"] == "USD"
    assert usd.summary["end_value"] == pytest.approx(5678.83, abs=1e-9)
    assert usd.summary["twr"] == pytest.approx(5678.83 / 5000 - 1, abs=1e-12)
    # At constant rates EUR stays at 1.0950 (15 January, ASML's purchase): 3,786.83 + 1,760 x 1.0950.
    assert usd.summary["twr_local"] == pytest.approx((3786.83 + 1760 * 1.0950) / 5000 - 1, abs=1e-12)
    assert usd.summary["fx_effect"] == pytest.approx((5678.83 / 5000) / ((3786.83 + 1760 * 1.095) / 5000) - 1,
                                                     abs=1e-12)
    # In EUR from 15 January: 4,989.27 / 1.0950 to 5,678.83 / 1.0750; wide prices give the same.
    wide = pd.read_csv(MULTI_PRICES).pivot(index="date", columns="symbol", values="close")
    eur = keel.ledger.performance(pd.read_csv(MULTI, dtype=str), wide, fx=pd.read_csv(FX),
                                  reporting_currency="EUR", from_="2024-01-15", series=True)
    assert eur.summary["currency"] == "EUR"
    assert eur.summary["start_value"] == pytest.approx(4989.27 / 1.0950, abs=1e-9)
    assert eur.summary["end_value"] == pytest.approx(5678.83 / 1.0750, abs=1e-9)
    assert eur.series["wealth_index"].iloc[-1] == pytest.approx(1 + eur.summary["twr"], abs=1e-12)
    assert list(eur.monthly["period"]) == ["2024-03", "2024-06"]


def test_performance_without_a_rate_names_the_pair_and_the_date():
    with pytest.raises(keel.InvalidInputError, match=r"EUR/USD on or up to 7 days before 2024-01-02"):
        keel.ledger.performance(MULTI, MULTI_PRICES, fx=FX, reporting_currency="EUR")


# The hand-worked account of tests/cases/cli/ledger_income.test (every figure written out there): a
# quarterly payer (KO), a monthly payer (O), a Swiss dividend with 35% withheld (NVS), an ETF
# reinvesting its dividends (SCHD) and cash interest.
INCOME_ROWS = """date,type,symbol,quantity,price,fees,amount,note
2023-01-03,DEPOSIT,,,,,30000,
2023-01-05,BUY,KO,100,60.00,0,,
2023-04-03,DIVIDEND,KO,,,,46.00,
2023-07-03,DIVIDEND,KO,,,,46.00,
2023-10-02,DIVIDEND,KO,,,,46.00,
2024-01-02,DIVIDEND,KO,,,,48.50,
2024-02-01,BUY,KO,20,58.00,0,,
2023-01-05,BUY,NVS,50,95.00,0,,
2023-03-15,DIVIDEND,NVS,,,,163.00,
2023-03-15,WITHHOLDING,NVS,,,,57.05,Swiss tax 35%
2024-03-14,DIVIDEND,NVS,,,,170.00,
2024-03-14,WITHHOLDING,NVS,,,,59.50,Swiss tax 35%
2023-01-05,BUY,SCHD,100,25.00,0,,
2023-03-27,DIVIDEND,SCHD,,,,15.50,
2023-03-27,BUY,SCHD,0.62,25.00,0,,reinvested
2023-06-26,DIVIDEND,SCHD,,,,16.10,
2023-06-26,BUY,SCHD,0.7,23.00,0,,reinvested
2023-09-25,DIVIDEND,SCHD,,,,17.23,
2023-09-25,BUY,SCHD,0.7,24.61,0,,reinvested
2023-12-11,DIVIDEND,SCHD,,,,24.99,
2023-12-11,BUY,SCHD,1,24.99,0,,reinvested
2024-03-25,DIVIDEND,SCHD,,,,15.64,
2024-03-25,BUY,SCHD,0.6,26.07,0,,reinvested
2023-06-15,BUY,O,200,50.00,1.00,,
2023-07-14,DIVIDEND,O,,,,51.30,
2023-08-15,DIVIDEND,O,,,,51.30,
2023-09-15,DIVIDEND,O,,,,51.30,
2023-10-13,DIVIDEND,O,,,,51.30,
2023-11-15,DIVIDEND,O,,,,51.30,
2023-12-15,DIVIDEND,O,,,,51.30,
2024-01-12,DIVIDEND,O,,,,51.30,
2024-02-15,DIVIDEND,O,,,,51.30,
2024-03-15,DIVIDEND,O,200,0.257,,,
2024-02-29,INTEREST,,,,,12.34,cash sweep
"""


def test_income_against_the_hand_figures(tmp_path):
    tx = tmp_path / "income.csv"
    tx.write_text(INCOME_ROWS)
    prices = pd.DataFrame({"date": ["2024-03-28"] * 4, "symbol": ["KO", "O", "NVS", "SCHD"],
                           "close": [61.17, 54.07, 96.73, 26.10]})
    inc = keel.ledger.income(tx, prices, from_="2024-01-01", to="2024-03-31")
    # Payments of the quarter: KO 48.50, O 51.30 twice and 51.40, interest 12.34, NVS 170.00 less
    # 59.50 withheld, SCHD 15.64 reinvested.
    period = inc.totals.loc["period"]
    assert (period["gross"], period["withholding"], period["net"]) == (400.48, 59.5, 340.98)
    assert (period["dividends"], period["interest"], period["reinvested"], period["payments"]) == (388.14, 12.34, 15.64, 7)
    assert list(inc.groups["key"]) == ["2024-01", "2024-02", "2024-03"]
    assert list(inc.groups["gross"]) == [99.8, 63.64, 237.04]
    assert inc.groups["net"].iloc[-1] == 177.54
    assert inc.totals.loc["trailing_12m", "gross"] == 904.6 and inc.totals.loc["trailing_12m", "net"] == 845.1
    # Next twelve months: KO 48.50 x 120/100 = 58.20 x 4, O 51.40 x 12, NVS 170.00 once, SCHD
    # 15.64 x 103.62/103.02 -> 15.73 x 4: 1082.52 gross, 1023.02 net, in 21 payments.
    assert inc.totals.loc["projected_12m", "gross"] == 1082.52
    assert inc.totals.loc["projected_12m", "net"] == 1023.02
    assert len(inc.calendar) == 21 and round(inc.calendar["gross"].sum(), 2) == 1082.52
    assert inc.calendar["date"].iloc[0] == pd.Timestamp("2024-04-02")
    ko = inc.holdings.set_index("symbol").loc["KO"]
    assert (ko["shares"], ko["basis"], ko["market_value"], ko["frequency"]) == (120.0, 7160.0, 7340.4, "quarterly")
    assert ko["projected_gross"] == 232.8 and ko["next_payment"] == pd.Timestamp("2024-04-02")
    assert ko["yield_on_cost"] == pytest.approx(232.8 / 7160.0, abs=1e-15)
    assert ko["current_yield"] == pytest.approx(232.8 / 7340.4, abs=1e-15)
    nvs = inc.payments.set_index("symbol").loc["NVS"]
    assert (nvs["gross"], nvs["withholding"], nvs["net"]) == (170.0, 59.5, 110.5)
    # By symbol, and without prices (no market value, no current yield).
    by_symbol = keel.ledger.income(pd.read_csv(tx, dtype=str), by="symbol", from_="2024-01-01",
                                   to="2024-03-31")
    assert by_symbol.groups.set_index("key").loc["O", "gross"] == 154.0
    assert by_symbol.holdings["market_value"].isna().all()
    with pytest.raises(keel.InvalidInputError, match="is after to"):
        keel.ledger.income(tx, from_="2024-04-01", to="2024-03-31")
    # The names income took before still read, with a warning; a date-like value is a date.
    with pytest.warns(DeprecationWarning, match="from_date= is now from_="):
        former = keel.ledger.income(tx, prices, from_date=pd.Timestamp("2024-01-01"), to_date="2024-03-31")
    assert former.totals.equals(inc.totals)


def test_keyword_arguments_are_the_requests_query_with_its_defaults(cli):
    # performance's and income's keyword arguments are the query parameters of the account routes,
    # with the defaults `keel openapi` gives them (from is from_, a Python keyword).
    paths = cli("openapi")["paths"]
    for fn, route in ((keel.ledger.performance, "/api/v1/accounts/{id}/performance"),
                      (keel.ledger.income, "/api/v1/accounts/{id}/income"),
                      (keel.ledger.book, "/api/v1/accounts/{id}/lots")):
        params = inspect.signature(fn).parameters
        query = [q for q in paths[route]["get"]["parameters"] if q["in"] == "query"]
        assert query
        for q in query:
            name = q["name"] + "_" if keyword.iskeyword(q["name"]) else q["name"]
            assert name in params, (fn.__name__, name)
            assert params[name].default == q["schema"].get("default"), (fn.__name__, name)



def test_book_reads_its_options_as_the_lots_request_does():
    # keel.ledger.book's booking options are the lots request's: a method outside its choices is
    # refused with the request's list, an unknown option is Python's TypeError naming the fields,
    # and as_of takes any date-like value.
    tx = pd.DataFrame({"date": ["2024-01-02", "2024-02-01", "2024-03-01"], "type": ["BUY", "BUY", "SELL"],
                       "account": ["a", "a", "a"], "symbol": ["X", "X", "X"], "quantity": ["10", "10", "5"],
                       "price": ["100", "120", "130"]})
    with pytest.raises(keel.InvalidInputError, match="method") as e:
        keel.ledger.book(tx, "newest")
    assert "fifo" in str(e.value)
    with pytest.raises(TypeError, match="wash_sale"):
        keel.ledger.book(tx, wash_sale=False)
    # HIFO sells from the 120 lot: gain 5 x (130 - 120) = 50; FIFO from the 100 lot: 5 x 30 = 150.
    assert keel.ledger.book(tx, "hifo").gains["gain"].sum() == Decimal("50.00")
    assert keel.ledger.book(tx, method="fifo").gains["gain"].sum() == Decimal("150.00")
    assert keel.ledger.book(tx).gains["gain"].sum() == Decimal("150.00")  # FIFO, the default
    early = keel.ledger.book(tx, as_of=pd.Timestamp("2024-02-15"))
    assert early.transactions == 2 and early.gains.empty
