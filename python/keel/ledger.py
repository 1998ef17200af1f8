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

from . import _frames, _keel
from .errors import InvalidInputError

__all__ = ["book", "LedgerBook"]

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


def book(transactions: Any, method: Optional[str] = None, *, mapping: Any = None, allow_short: bool = False,
         wash_sales: bool = True, as_of: Any = None, account: str = "", money: str = "decimal") -> LedgerBook:
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
        allow_short: a sale beyond the held quantity opens a short lot.
        wash_sales: detect wash sales (default True).
        as_of: ignore transactions after this date.
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
    r = _keel.ledger_book(name, text, mapping_json, method, allow_short, wash_sales, _frames.day_number(as_of),
                          account)
    income = _frame(r["income"], money)
    cash = {k: (_exact(v, True) if money == "decimal" else float(v)) for k, v in r["cash"].items()}
    return LedgerBook(lots=_frame(r["lots"], money), gains=_frame(r["gains"], money), income=income, cash=cash,
                      transactions=int(r["transactions"]), warnings=list(r["warnings"]))
