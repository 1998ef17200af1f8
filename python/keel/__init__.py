"""keel: portfolio risk, options, factor models, ledgers, retirement plans, IRRBB and CLOs from
Python, computed by keel's C++ engines.

numpy arrays and pandas DataFrames go in and come out; float64 C-contiguous arrays are read
without a copy where the engine's layout allows; the GIL is released while an engine runs; every
keel error is a :class:`keel.errors.KeelError` (a ValueError, LookupError, ... subclass) whose
message names the file:line:column or JSON field at fault.

Workloads (each documented with a worked example in docs/python.md):

* :func:`keel.var` -- value at risk and expected shortfall (historical, parametric, Monte Carlo)
* :mod:`keel.options` -- ``price``, ``greeks``, ``implied_vol`` over arrays
* :mod:`keel.factors` -- ``betas``: OLS factor models of many series at once
* :func:`keel.stress` -- factor stress scenarios of a book
* :func:`keel.attribution` -- a period's P&L split by factor betas
* :func:`keel.whatif` -- a book before and after proposed trades
* :func:`keel.optimize`, :func:`keel.optimize_frontier` -- portfolio construction over a book's symbols
* :func:`keel.rebalance` -- trades to target weights, tax-aware on a ledger's lots
* :mod:`keel.ledger` -- ``book``: tax lots and realized gains, exact decimals
* :mod:`keel.plan` -- ``retire``: Monte Carlo retirement plans, percentile paths
* :mod:`keel.alm` -- ``eve``, ``nii``, ``gap``: interest rate risk in the banking book
* :mod:`keel.clo` -- ``run``: CLO waterfalls
* :class:`keel.Store` -- read portfolios from a keel store (the ``keel.db`` of the CLI)
"""

from __future__ import annotations

from typing import Any, Optional

import pandas as pd

from . import _frames, _keel
from . import alm, clo, errors, factors, ledger, options, plan
from ._construct import optimize, optimize_frontier, rebalance
from ._risk import AttributionResult, StressResult, VarResult, WhatIfResult, attribution, stress, var, whatif
from .errors import InvalidInputError, KeelError, NotFoundError, UsageError

__all__ = ["var", "stress", "attribution", "whatif", "optimize", "optimize_frontier", "rebalance", "VarResult", "StressResult", "WhatIfResult", "Store", "options", "factors", "ledger", "plan", "alm",
           "clo", "errors", "KeelError", "InvalidInputError", "NotFoundError", "UsageError"]
__version__ = "0.1.0"


class Store:
    """A keel store (the SQLite database the CLI and server use), opened for reading.

    Args:
        path: the database file, e.g. ``"keel.db"`` after ``make demo``.

    Raises:
        keel.errors.NotFoundError: no file at ``path``.

    Example:
        >>> s = keel.Store("keel.db")
        >>> s.portfolios()
        >>> s.portfolio("hnw")[["symbol", "quantity", "market_value", "weight"]]
    """

    def __init__(self, path: str, tenant: str = "default") -> None:
        self._store = _keel.Store(str(path))
        self.tenant = tenant

    @property
    def path(self) -> str:
        return self._store.path

    def portfolios(self) -> pd.DataFrame:
        """The stored portfolios, as ``keel portfolio list``: one row per portfolio (id, name, positions,
        ..., last_snapshot: the newest batch snapshot's figures, None before the first)."""
        return pd.DataFrame.from_records(_frames.loads(self._store.portfolios(self.tenant)))

    def portfolio(self, name: str, as_of: Any = None) -> pd.DataFrame:
        """Positions of portfolio ``name`` with their last price and market value at ``as_of``.

        Returns a DataFrame with one row per position (``symbol, quantity, type, currency, ...,
        last_price, price_date, market_value_local, fx_rate, market_value, weight, price_source``)
        as `keel portfolio show` reports it: ``market_value_local`` in the position's currency,
        ``market_value`` converted into the portfolio's reporting currency at ``fx_rate``. The
        totals (``net_market_value``, ``gross_market_value``, ``as_of``, ``currency``: the reporting
        currency, ...) are in ``frame.attrs``.

        Raises:
            keel.errors.NotFoundError: no portfolio of that name.
        """
        doc = _frames.loads(self._store.portfolio(name, _frames.day_number(as_of), self.tenant))
        frame = pd.DataFrame.from_records(doc.get("positions", []))
        frame.attrs.update({k: v for k, v in doc.items() if k != "positions"})
        return frame

    def position(self, name: str, id: int, as_of: Any = None) -> dict:
        """Position ``id`` (its place in the stored order, from 1) of portfolio ``name``, valued at
        ``as_of`` as ``keel portfolio position`` values it: the record's fields, and ``valuation``
        (price, market_value_amount, weight, cost_basis_amount, unrealized_pnl_amount,
        pnl_1d_amount, delta and the money Greeks; None when entered after ``as_of``).

        Raises:
            keel.errors.NotFoundError: no portfolio of that name, or no position ``id``.
        """
        return _frames.loads(self._store.position(name, int(id), _frames.day_number(as_of), self.tenant))

    def performance(self, name: str, start: Any = None, end: Any = None, benchmark: Optional[str] = None,
                    risk_free: float = 0.0, series: bool = False) -> dict:
        """The portfolio's returns over its stored snapshots, as ``keel portfolio performance``:
        ``twr``, ``volatility``, ``sharpe``, ``sortino``, ``max_drawdown``, ``pnl_amount`` and
        ``flows_amount`` (a day's flow = change of value - its 1-day P&L), ``gaps``; with
        ``benchmark`` (a symbol or ``"60:SPY,40:AGG"``) its comparison; with ``series`` each day's
        value, P&L, flow and return as a DataFrame under ``"series"``.

        Raises:
            keel.errors.NotFoundError: no portfolio and no snapshots of that name.
            keel.errors.InvalidInputError: fewer than two snapshots with a value.
        """
        doc = _frames.loads(self._store.performance(name, _frames.day_number(start), _frames.day_number(end), benchmark,
                                                    float(risk_free), bool(series), self.tenant))
        if series and "series" in doc:
            doc["series"] = pd.DataFrame.from_records(doc["series"])
        return doc

    def health(self, name: str, **request: Any) -> pd.DataFrame:
        """The health checks of portfolio ``name``, as ``keel health`` and ``POST
        /api/v1/portfolios/{id}/health`` give them: one row per check (``id``, ``status`` ok, warn,
        alert or na, ``figure``, ``limit``, ``unit``, ``subject``, ``positions``). The keyword arguments are the
        request's fields by their API names (``as_of``, ``currency``, ``max_position_weight``,
        ``stale_days``, ...: docs/health.md); the summary (``currency``, ``gross_market_value``...)
        is in ``frame.attrs``.

        Raises:
            keel.errors.NotFoundError: no portfolio of that name.
            keel.errors.InvalidInputError: an argument the request does not have, or out of range.
        """
        doc = _frames.loads(self._store.book_use_case("book_health", name, _frames.dumps(request), self.tenant))
        frame = pd.DataFrame.from_records(doc.get("checks", []))
        frame.attrs.update({k: v for k, v in doc.items() if k != "checks"})
        return frame

    def exposures(self, name: str, by: str = "type", **request: Any) -> dict:
        """The exposures of portfolio ``name`` grouped ``by`` type, sector, tag, strategy,
        underlying, currency, country or region, as ``keel exposures`` gives them (gross, net, long,
        short per group and for the book, delta-adjusted). Other keyword arguments are the request's
        fields by their API names (``as_of``, ``currency``, ``rate``, ``vol_window``...).
        """
        return _frames.loads(
            self._store.book_use_case("exposures", name, _frames.dumps({"by": by, **request}), self.tenant))

    def var(self, name: str, **request: Any) -> dict:
        """Value at risk and expected shortfall of portfolio ``name``, as ``keel risk var
        --portfolio`` and ``POST /api/v1/portfolios/{id}/risk/var`` give them: the same use case,
        so the result is kept as the portfolio's last VaR (``GET .../risk/var`` shows it). The
        keyword arguments are the request's fields by their API names and defaults (``method``,
        ``confidence``, ``horizon_days``, ``window``, ``covariance``, ``paths``, ``seed``,
        ``as_of``, ``currency``...: docs/api-reference.md, "RiskVarRequest"); the result is its JSON
        (``results`` one entry per method, ``contributions`` per position).

        Raises:
            keel.errors.NotFoundError: no portfolio of that name.
            keel.errors.InvalidInputError: an argument the request does not have, or out of range.
        """
        return _frames.loads(self._store.book_use_case("var", name, _frames.dumps(request), self.tenant))

    def backtest(self, name: str, **request: Any) -> dict:
        """The VaR backtest of portfolio ``name`` (Kupiec, Christoffersen, the Basel traffic light),
        as ``keel risk backtest --portfolio`` and ``POST /api/v1/portfolios/{id}/risk/backtest``
        give it. The keyword arguments are the request's fields by their API names (``method``,
        ``confidence``, ``window``, ``days``...: docs/api-reference.md, "RiskBacktestRequest").
        """
        return _frames.loads(self._store.book_use_case("backtest", name, _frames.dumps(request), self.tenant))

    def from_ledger(self, name: str, **request: Any) -> dict:
        """Replaces the positions of portfolio ``name`` (created when missing) with what the ledger
        holds, as ``keel portfolio from-ledger`` and ``POST /api/v1/portfolios/{id}/positions/from-ledger``
        do: each symbol's shares summed over the accounts at their average cost, and each
        currency's cash as a cash position (docs/ledger.md, "The ledger's holdings as a portfolio").
        The keyword arguments are the request's fields by their API names: ``account`` (default:
        every account) and ``as_of``. The result is the positions import's JSON (``rows``,
        ``positions``, ``warnings``).

        Raises:
            keel.errors.NotFoundError: no account of that name.
            keel.errors.InvalidInputError: the ledger holds nothing on that date, or a bad argument.
        """
        return _frames.loads(self._store.book_use_case("from_ledger", name, _frames.dumps(request), self.tenant))

    def storage(self) -> pd.DataFrame:
        """What the store keeps for this tenant, as ``keel db usage`` and ``GET /api/v1/storage``
        give it: one row per area and owner (``area``, ``owner``, ``items``, ``rows``, ``bytes``
        estimated, ``shared`` for the market data every tenant shares; docs/server.md, "Storage").
        The tenant's total ``bytes`` (shared data left out) and the bounds are in ``frame.attrs``;
        read here, as by the keel command, no server holds the store to per-user quotas, so they
        are 0.
        """
        doc = _frames.loads(self._store.storage(self.tenant))
        frame = pd.DataFrame.from_records(doc.get("areas", []),
                                          columns=["area", "owner", "items", "rows", "bytes", "shared"])
        frame.attrs.update({k: v for k, v in doc.items() if k != "areas"})
        return frame

    def __repr__(self) -> str:
        return f"keel.Store({self.path!r})"
