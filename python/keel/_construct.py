"""Portfolio construction: keel.optimize, keel.optimize_frontier and keel.rebalance.

The same use cases as `keel optimize [frontier]` and `keel rebalance` (docs/construction.md), on a
positions table and a wide price DataFrame; the options are the HTTP request's fields, so their
names, defaults and checks are the API's.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

import numpy as np
import pandas as pd

from . import _frames, _keel


def _book(positions: Any, prices: pd.DataFrame, closes: Optional[pd.DataFrame]):
    name, text = _frames.table_text(positions, "positions")
    values, days, symbols = _frames.wide_prices(prices)
    raw_closes = None
    if closes is not None:
        raw_closes = np.ascontiguousarray(closes.reindex(index=prices.index, columns=prices.columns)
                                          .to_numpy(dtype=np.float64, na_value=np.nan))
    return name, text, values, raw_closes, days, symbols


def _body(options: Mapping[str, Any]) -> str:
    return _frames.dumps({k: v for k, v in options.items() if v is not None})


def optimize(positions: Any, prices: pd.DataFrame, objective: str = "min-variance", *,
             closes: Optional[pd.DataFrame] = None, as_of: Any = None, **options: Any) -> Dict[str, Any]:
    """Optimal weights over a book's symbols, exactly as `keel optimize`.

    Args:
        positions: positions table (DataFrame, list of records or CSV path); its symbols are the
            universe and its weights the current ones.
        prices: wide DataFrame of adjusted closes (index dates, one column per symbol).
        objective: ``"min-variance"``, ``"max-sharpe"``, ``"target-return"``,
            ``"target-volatility"``, ``"min-cvar"``, ``"risk-parity"``, ``"hrp"`` or
            ``"max-diversification"``.
        **options: the request's other fields (POST .../optimize): ``window``, ``covariance``,
            ``long_only``, ``min_weight``, ``max_weight``, ``turnover``, ``risk_free``,
            ``confidence``, ``target_return``, ``target_volatility``, ...

    Returns:
        The result as a dict (``expected_return``, ``volatility``, ``sharpe``, ``solver``, ...)
        whose ``"weights"`` is a DataFrame indexed by symbol with the columns ``weight``,
        ``current_weight`` and ``risk_contribution``.

    Raises:
        keel.errors.InvalidInputError: an unknown option or a bad value (named by its field), an
            infeasible problem (naming the constraints in conflict).
    """
    name, text, values, raw, days, symbols = _book(positions, prices, closes)
    body = _body(dict(options, objective=objective))
    doc = _frames.loads(_keel.optimize("optimize", name, text, values, raw, days, symbols, body,
                                       _frames.day_number(as_of)))
    frame = pd.DataFrame({"weight": pd.Series(doc.pop("weights"), dtype=float),
                          "current_weight": pd.Series(doc.pop("current_weights"), dtype=float),
                          "risk_contribution": pd.Series(doc.pop("risk_contributions"), dtype=float)})
    frame.index.name = "symbol"
    doc["weights"] = frame
    return doc


def optimize_frontier(positions: Any, prices: pd.DataFrame, points: int = 20, *,
                      closes: Optional[pd.DataFrame] = None, as_of: Any = None, **options: Any) -> Dict[str, Any]:
    """The efficient frontier over a book's symbols, exactly as `keel optimize frontier`.

    Returns:
        A dict whose ``"points"`` is a DataFrame (one row per point: ``status, expected_return,
        volatility, sharpe, expected_shortfall``), ``"weights"`` a DataFrame (one row per point,
        one column per symbol) and ``"current"`` the book's own point.
    """
    name, text, values, raw, days, symbols = _book(positions, prices, closes)
    body = _body(dict(options, points=points))
    doc = _frames.loads(_keel.optimize("frontier", name, text, values, raw, days, symbols, body,
                                       _frames.day_number(as_of)))
    rows = doc.pop("points")
    doc["weights"] = pd.DataFrame([p.pop("weights", {}) for p in rows])
    doc["points"] = pd.DataFrame.from_records(rows)
    return doc


def rebalance(positions: Any, prices: pd.DataFrame, target_weights: Mapping[str, float], *,
              closes: Optional[pd.DataFrame] = None, transactions: Any = None, account: Optional[str] = None,
              tax_aware: bool = False, as_of: Any = None, **options: Any) -> Dict[str, Any]:
    """Trades from a book's holdings to target weights, exactly as `keel rebalance`.

    Args:
        positions: positions table (DataFrame, list of records or CSV path); ``type`` ``cash``
            rows are the cash.
        prices: wide DataFrame of closes holding the book's symbols and every target symbol
            (``closes``: the raw closes the book is valued at; default the same).
        target_weights: weight per symbol, fractions of the book's value including cash; a held
            symbol left out is sold.
        transactions: with ``tax_aware``, the ledger's transactions (DataFrame, records or CSV
            path) whose open lots of ``account`` the sales close.
        **options: the request's other fields (POST .../rebalance): ``cash_weight``,
            ``min_trade_amount``, ``lot_size``, ``cost_bp``, ``tax_budget_amount``,
            ``long_term_days``.

    Returns:
        The plan as a dict (``value_amount``, ``cash_after_amount``, ``turnover``, ``realized_gain``,
        ``wash_sales_avoided``, ``warnings``, ...) with ``"trades"`` a DataFrame (one row per
        trade: ``symbol, side, quantity, price, amount, cost_amount, weight_before, weight_after,
        target_weight``) and ``"lots"`` a DataFrame of the lots the sales close (``symbol, lot_id,
        open_date, quantity, cost_basis_amount, gain_amount, term``).

    Raises:
        keel.errors.UsageError: ``tax_aware`` without ``account`` or ``transactions``.
        keel.errors.InvalidInputError: a bad option or cell, a target symbol without prices.
    """
    from .errors import UsageError

    name, text, values, raw, days, symbols = _book(positions, prices, closes)
    tx_name = tx_text = None
    if tax_aware:
        if transactions is None:
            raise UsageError("tax_aware: give the ledger's transactions (transactions=...)")
        tx_name, tx_text = _frames.table_text(transactions, "transactions")
    body = _body(dict(options, target_weights=dict(target_weights), account=account, tax_aware=tax_aware))
    doc = _frames.loads(_keel.rebalance(name, text, values, raw, days, symbols, body, tx_name, tx_text,
                                        _frames.day_number(as_of)))
    trades = doc.pop("trades")
    lots = [dict(lot, symbol=t["symbol"]) for t in trades for lot in t.get("lots", [])]
    for t in trades:
        t.pop("lots", None)
    doc["trades"] = pd.DataFrame.from_records(trades, columns=[
        "symbol", "side", "quantity", "price", "amount", "cost_amount", "weight_before", "weight_after",
        "target_weight"])
    doc["lots"] = pd.DataFrame.from_records(lots, columns=[
        "symbol", "lot_id", "open_date", "quantity", "cost_basis_amount", "gain_amount", "term"])
    return doc
