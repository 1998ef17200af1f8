"""The personal ledger: tax lots and realized gains from a transaction history.

``book`` replays transactions with keel's booking engine (keel/ledger/booking.h, docs/ledger.md):
FIFO/LIFO/HIFO/average/specific lot relief, fees in basis and proceeds, splits, wash sales
(26 U.S.C. 1091) and transfers, every amount an exact decimal.

**Money in pandas.** Amounts and quantities are exact decimals in keel (10^-8 units; money is
rounded to the cent only where a broker rounds). By default they cross into pandas as Python
``decimal.Decimal`` objects (object columns: exact, and ``sum()`` stays exact, e.g.
``gains["gain"].sum() == Decimal("1234.56")``). ``money="float"`` gives float64 columns instead
(convenient for plotting; not exact). Input amounts are read from the table's text, so give them
as strings or Decimals (or floats whose shortest repr is the intended decimal, e.g. 105.35).
"""

from __future__ import annotations

import dataclasses
import decimal
import json
from typing import Any, Dict, List, Mapping, Optional

import numpy as np
import pandas as pd

from . import _frames, _keel, _spec
from .errors import InvalidInputError

__all__ = ["book", "LedgerBook", "performance", "LedgerPerformance", "income", "LedgerIncome"]

_EXACT = ("quantity", "basis", "wash_sale_adjustment", "proceeds", "cost", "wash_sale_disallowed", "gain", "amount")
_DATES = ("buy_date", "acquired_date", "sell_date", "date")


@dataclasses.dataclass(frozen=True)
class LedgerBook:
    """Result of :func:`book`.

    Attributes:
        lots: open lots: ``account, symbol, lot_id, buy_date, acquired_date, quantity, basis,
            wash_sale_adjustment`` (basis includes fees and wash-sale adjustments).
        gains: realized rows (one per lot closed by a sale): ``account, symbol, lot_id, buy_date,
            acquired_date, sell_date, term ("short"/"long"), short_sale, quantity, proceeds, cost,
            wash_sale_disallowed, gain`` (gain = proceeds - cost + wash_sale_disallowed, Form 8949
            column h).
        income: dividends, interest and fees: ``date, type, account, symbol, amount``.
        cash: net cash per account.
        warnings: e.g. a transfer-in without its transfer-out.
    """

    lots: pd.DataFrame
    gains: pd.DataFrame
    income: pd.DataFrame
    cash: Dict[str, Any]
    transactions: int
    warnings: List[str] = dataclasses.field(default_factory=list)


_CENT = decimal.Decimal("0.01")
_QUANTITIES = ("quantity",)


def _exact(text: str, cents: bool) -> decimal.Decimal:
    d = decimal.Decimal(text)
    # Money is shown to the cent (exactly: only values with at most two places are re-scaled).
    if cents and d.as_tuple().exponent >= -2:
        d = d.quantize(_CENT)
    return d


def _money(values: List[str], money: str, cents: bool = True) -> Any:
    if money == "float":
        return np.array([float(v) for v in values], dtype=np.float64)
    return pd.Series([_exact(v, cents) for v in values], dtype=object)


def _frame(columns: Mapping[str, list], money: str) -> pd.DataFrame:
    data = {}
    for name, values in columns.items():
        if name in _EXACT:
            data[name] = _money(values, money, cents=name not in _QUANTITIES)
        elif name in _DATES:
            data[name] = pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d")
        else:
            data[name] = list(values)
    return pd.DataFrame(data)


# keel.ledger.book's keyword arguments are the booking fields of the API's lots request
# (LedgerLotsRequest: method, allow_short, wash_sales, as_of), read from its description.
_BOOK = _spec.RequestSpec("LedgerLotsRequest")


@_BOOK.takes
def book(transactions: Any, method: Optional[str] = _spec.UNSET, *, mapping: Any = None, account: str = "",
         money: str = "decimal", **request: Any) -> LedgerBook:
    """Book a transaction history into open lots and realized gains.

    Args:
        transactions: a DataFrame (or list of records) with the columns of the transactions file
            (docs/ledger.md: ``date,type,account,symbol,quantity,price,fees,amount,lot_id,...``),
            or a CSV path. Every bad cell is reported as ``<transactions>:LINE:COLUMN`` (line 2 =
            first row), all at once.
        method: lot relief for every sale: ``"fifo"`` (default, the IRS default), ``"lifo"``,
            ``"hifo"``, ``"average"``, ``"specific"``.
        mapping: a broker mapping (dict in the mapping-file format, or a JSON path) to read a
            broker's export directly.
        account: account of rows without one.
        money: ``"decimal"`` (exact ``decimal.Decimal`` objects) or ``"float"``.

    Returns:
        A :class:`LedgerBook` with ``lots``, ``gains`` and ``income`` DataFrames.

    Example:
        >>> b = keel.ledger.book(pd.read_csv("transactions.csv", dtype=str), method="hifo")
        >>> b.gains.groupby("term")["gain"].sum()
    """
    if money not in ("decimal", "float"):
        raise InvalidInputError(f"money: expected 'decimal' or 'float', got {money!r}")
    name, text = _frames.table_text(transactions, "transactions")
    mapping_json = None
    if mapping is not None:
        if _frames.is_path(mapping):
            with open(mapping, "r", encoding="utf-8") as f:
                mapping_json = f.read()
        else:
            mapping_json = json.dumps(mapping)
    body = _request_dates(_BOOK.request("book", dict(method=method, **request)))
    r = _keel.ledger_book(name, text, mapping_json, _frames.dumps(body), account)
    income = _frame(r["income"], money)
    cash = {k: (_exact(v, True) if money == "decimal" else float(v)) for k, v in r["cash"].items()}
    return LedgerBook(lots=_frame(r["lots"], money), gains=_frame(r["gains"], money), income=income, cash=cash,
                      transactions=int(r["transactions"]), warnings=list(r["warnings"]))


@dataclasses.dataclass(frozen=True)
class LedgerPerformance:
    """Result of :func:`performance` (the fields of `keel ledger performance`, docs/ledger.md).

    Attributes:
        summary: the scalar figures: ``currency, start, end, start_value, end_value, net_flows, twr,
            cagr, xirr, volatility, sharpe, sortino, calmar, points`` and, when amounts are in more
            than one currency, ``twr_local`` (at constant FX rates), ``fx_effect`` ((1 + twr) /
            (1 + twr_local) - 1) and ``end_value_local``; returns are fractions (0.05 = 5 %).
        max_drawdown: ``depth, peak, trough, recovery``.
        monthly, quarterly, annual: one row per period: ``period, start, end, start_value,
            end_value, flows, twr``.
        series: with ``series=True``, the daily wealth index and drawdown indexed by date.
        benchmark: with ``benchmark=``, the comparison (excess return, tracking error, beta, ...).
        warnings: e.g. a symbol without prices.
    """

    summary: Dict[str, Any]
    max_drawdown: Dict[str, Any]
    monthly: pd.DataFrame
    quarterly: pd.DataFrame
    annual: pd.DataFrame
    series: Optional[pd.DataFrame]
    benchmark: Optional[Dict[str, Any]]
    warnings: List[str]


def _long_prices(prices: Any) -> str:
    """CSV text ``date,symbol,close`` of closes given long (a ``symbol`` column) or wide (dates x symbols)."""
    if isinstance(prices, pd.DataFrame) and "symbol" not in prices.columns and "date" not in prices.columns:
        wide = prices.copy()
        wide.index = pd.to_datetime(wide.index)
        long = wide.rename_axis("date").reset_index().melt(id_vars="date", var_name="symbol", value_name="close")
        long = long.dropna(subset=["close"])
        long["date"] = long["date"].dt.strftime("%Y-%m-%d")
        return long.to_csv(index=False, float_format="%.17g")
    return _frames.table_text(prices, "prices")[1]


# keel.ledger.performance's and keel.ledger.income's keyword arguments are the fields of the API's
# requests (the query of GET /api/v1/accounts/{id}/performance and .../income), read from their
# descriptions; the names the functions took before are still read, with a DeprecationWarning.
_PERFORMANCE = _spec.RequestSpec("LedgerPerformanceRequest", renamed={"from_date": "from"})
_INCOME = _spec.RequestSpec("LedgerIncomeRequest", renamed={"from_date": "from", "to_date": "to"})


def _request_dates(request: Dict[str, Any]) -> Dict[str, Any]:
    """The request's dates as it reads them (YYYY-MM-DD), from any date-like value."""
    for key in ("from", "to", "as_of"):
        if request.get(key) is not None:
            request[key] = _frames.iso_date(request[key])
    return request


@_PERFORMANCE.takes
def performance(transactions: Any, prices: Any, *, fx: Any = None, currency: str = "USD",
                account: Optional[str] = None, **request: Any) -> LedgerPerformance:
    """Returns of a transaction history valued at daily closes, in any currency.

    Args:
        transactions: the transactions table (as :func:`book`), a DataFrame, records or a CSV path.
        prices: daily closes, long (``date,symbol,close``) or wide (a date index, one column per
            symbol), or a CSV path; each symbol's closes in its own currency.
        fx: FX rates (``date,base,quote,rate``: units of quote per unit of base; docs/fx.md) for rows
            and holdings in another currency than their account's, and for ``reporting_currency``.
        reporting_currency: measure in this currency, each amount converted at its day's rate
            (default: the accounts' currency; needed when the accounts are in several).
        currency: the accounts' currency (default USD).
        account: report this account only (booking covers all accounts).

    The other keyword arguments are the fields of the API's performance request (the query of
    ``GET /api/v1/accounts/{id}/performance``, listed below), with its names, defaults and checks:
    ``from_`` (``from``, a Python keyword: the first date, default the first transaction) and
    ``as_of`` (the last; dates or ``YYYY-MM-DD``), ``reporting_currency`` (measure in this currency,
    each amount converted at its day's rate), ``benchmark`` (a symbol of ``prices``, ``"SPY"``, or a
    blend rebalanced monthly, ``"60:SPY,40:AGG"``), ``risk_free``, ``periods_per_year``,
    ``series`` (add the daily wealth index and drawdown), ``method`` (lot relief), ``allow_short``,
    ``wash_sales``. ``from_date`` is read as ``from_``, with a DeprecationWarning.

    Example:
        >>> p = keel.ledger.performance("tx.csv", "prices.csv", fx="fx.csv", reporting_currency="EUR")
        >>> p.summary["twr"], p.summary["twr_local"], p.summary["fx_effect"]
    """
    name, text = _frames.table_text(transactions, "transactions")
    fx_name, fx_text = _frames.table_text(fx, "fx") if fx is not None else (None, None)
    body = _request_dates(_PERFORMANCE.request("performance", request))
    body["currency"] = currency
    if account is not None:
        body["account"] = account
    with _PERFORMANCE.python_names():
        r = json.loads(_keel.ledger_performance(_frames.dumps(body), name, text, _long_prices(prices), fx_name,
                                                fx_text))
    growth = r.pop("growth")
    frames = {k: pd.DataFrame(growth[k], columns=["period", "start", "end", "start_value", "end_value", "flows", "twr"])
              for k in ("monthly", "quarterly", "annual")}
    daily = None
    if r.get("series") is not None:
        daily = pd.DataFrame(r["series"]).set_index("date")
        daily.index = pd.to_datetime(daily.index)
    summary = {k: v for k, v in r.items() if k not in ("series", "benchmark", "warnings", "max_drawdown", "net_worth")}
    return LedgerPerformance(summary=summary, max_drawdown=r["max_drawdown"], monthly=frames["monthly"],
                             quarterly=frames["quarterly"], annual=frames["annual"], series=daily,
                             benchmark=r.get("benchmark"), warnings=list(r.get("warnings", [])))


@dataclasses.dataclass(frozen=True)
class LedgerIncome:
    """Result of :func:`income`: the figures of ``keel ledger income`` (docs/ledger.md, "Income").

    Amounts are float64 columns holding the exact cent amounts (their shortest repr is the decimal).

    Attributes:
        totals: indexed by ``period`` (the payments in [from, to]), ``trailing_12m`` and
            ``projected_12m``; columns ``gross, withholding, net, dividends, interest,
            distributions, reinvested, payments`` (the projection has gross, withholding, net).
        groups: one row per month (``2024-03``), quarter (``2024-Q1``), year or symbol (``""``:
            cash interest), by ``by``: ``key`` and the totals' columns.
        holdings: one row per (account, symbol) held at ``to`` or paid in the history: ``account,
            symbol, shares, basis, price, price_date, market_value``, the trailing year
            (``trailing_gross, trailing_withholding, trailing_net, ...``), ``frequency,
            payments_per_year, payment_dates, last_paid, last_gross, last_per_share,
            projected_gross, projected_withholding, projected_net, next_payment, yield_on_cost,
            current_yield``.
        payments: ``date, account, symbol, kind, gross, withholding, net, reinvested,
            reinvested_shares`` for every payment in [from, to].
        calendar: the projected payments of the next twelve months: ``date, account, symbol,
            gross, withholding, net``.
        summary: ``scope, from, to, by, source``.
        warnings: e.g. a holding without a price.
    """

    totals: pd.DataFrame
    groups: pd.DataFrame
    holdings: pd.DataFrame
    payments: pd.DataFrame
    calendar: pd.DataFrame
    summary: Dict[str, Any]
    warnings: List[str]


_TOTALS = ("gross", "withholding", "net", "dividends", "interest", "distributions", "reinvested", "payments")


def _dated(rows: List[Dict[str, Any]], columns: List[str], dates: tuple) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    for c in dates:
        df[c] = pd.to_datetime(df[c])
    return df


@_INCOME.takes
def income(transactions: Any, prices: Any = None, *, account: Optional[str] = None, currency: str = "USD",
           fx: Any = None, **request: Any) -> LedgerIncome:
    """Dividends, interest and distributions: gross, withheld and net; yields; projected income.

    Args:
        transactions: the transactions table (as :func:`book`), a DataFrame, records or a CSV path.
        prices: daily closes, long (``date,symbol,close``) or wide (a date index, one column per
            symbol), or a CSV path: the holdings' market value and current yield (optional).
        account: report this account only (booking covers all accounts).
        currency: the accounts' currency (default USD). fx: FX rates (``date,base,quote,rate``) for
            rows in another currency than their account's.

    The other keyword arguments are the fields of the API's income request (the query of
    ``GET /api/v1/accounts/{id}/income``, listed below), with its names, defaults and checks:
    ``by`` (``"month"``, ``"quarter"``, ``"year"`` or ``"symbol"``), ``from_`` (``from``, a
    Python keyword: the first payment date reported, default the first payment), ``to`` (the
    report's end: payments up to it, holdings, trailing year and projection at it; default the
    later of the last transaction and the last close), ``method``, ``allow_short``,
    ``wash_sales``. ``from_date`` and ``to_date`` are read as ``from_`` and ``to``, with a
    DeprecationWarning.

    Example:
        >>> inc = keel.ledger.income("tx.csv", "prices.csv", by="quarter", to="2024-03-31")
        >>> inc.totals.loc["period", "net"], inc.holdings[["symbol", "yield_on_cost"]]
    """
    name, text = _frames.table_text(transactions, "transactions")
    fx_name, fx_text = _frames.table_text(fx, "fx") if fx is not None else (None, None)
    body = _request_dates(_INCOME.request("income", request))
    body["currency"] = currency
    if account is not None:
        body["account"] = account
    prices_text = _long_prices(prices) if prices is not None else None
    with _INCOME.python_names():
        r = json.loads(_keel.ledger_income(_frames.dumps(body), name, text, prices_text, fx_name, fx_text))
    totals = pd.DataFrame([r["totals"], r["trailing_12m"], r["projected_12m"]],
                          index=pd.Index(["period", "trailing_12m", "projected_12m"], name="figure"),
                          columns=list(_TOTALS))
    groups = pd.DataFrame([{"key": g["key"], **g["totals"]} for g in r["groups"]], columns=["key", *_TOTALS])
    holdings = []
    for h in r["holdings"]:
        row = {k: v for k, v in h.items() if k != "trailing_12m"}
        for k in _TOTALS:
            row["trailing_" + k] = h["trailing_12m"][k]
        holdings.append(row)
    holding_columns = ["account", "symbol", "shares", "basis", "price", "price_date", "market_value",
                       *("trailing_" + k for k in _TOTALS), "frequency", "payments_per_year", "payment_dates",
                       "last_paid", "last_gross", "last_per_share", "projected_gross", "projected_withholding",
                       "projected_net", "next_payment", "yield_on_cost", "current_yield"]
    return LedgerIncome(
        totals=totals, groups=groups,
        holdings=_dated(holdings, holding_columns, ("price_date", "last_paid", "next_payment")),
        payments=_dated(r["payments"], ["date", "account", "symbol", "kind", "gross", "withholding", "net",
                                         "reinvested", "reinvested_shares"], ("date",)),
        calendar=_dated(r["calendar"], ["date", "account", "symbol", "gross", "withholding", "net"], ("date",)),
        summary={k: r[k] for k in ("scope", "from", "to", "by", "source")},
        warnings=list(r.get("warnings", [])))
