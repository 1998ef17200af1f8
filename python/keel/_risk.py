"""keel.var and keel.stress (re-exported by keel)."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _frames, _keel, _spec
from .errors import InvalidInputError


@dataclasses.dataclass(frozen=True)
class VarResult:
    """Value at risk and expected shortfall of a book (positive numbers = losses).

    Attributes:
        method: "historical", "parametric" or "montecarlo".
        confidence: e.g. 0.99.
        horizon_days: trading days of the horizon.
        var, es: VaR and expected shortfall in portfolio currency.
        volatility: standard deviation of the horizon P&L, portfolio currency.
        scenarios: historical scenarios or Monte Carlo paths used.
        std_error: Monte Carlo one-sigma error of ``var`` (None otherwise).
        value: market value of the book (positions-table form; sum of exposures otherwise).
        contributions: per position ``value, exposure, marginal_var, component_var,
            incremental_var`` (positions-table form only, as `keel risk var` reports them).
        warnings: what the engine proxied or repaired.
        raw: the full result document (positions-table form: the JSON of `keel risk var`).
    """

    method: str
    confidence: float
    horizon_days: int
    var: float
    es: float
    volatility: float
    scenarios: int
    std_error: Optional[float] = None
    value: Optional[float] = None
    as_of: Optional[str] = None
    contributions: Optional[pd.DataFrame] = None
    warnings: List[str] = dataclasses.field(default_factory=list)
    raw: Dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)


# keel.var's and keel.whatif's keyword arguments are the fields of the API's requests
# (RiskVarRequest, WhatIfRequest: docs/api-reference.md), read from their descriptions; the names
# the functions took before are still read, with a DeprecationWarning.
_FORMER_VAR_NAMES = {"horizon_days": "horizon", "covariance": "cov", "ewma_lambda": "lambda", "distribution": "dist"}
# The book's source is the function's own arguments (the data, as_of, currency and fx).
_VAR = _spec.RequestSpec("RiskVarRequest", omit=("as_of", "currency", "async"), renamed=_FORMER_VAR_NAMES)
_STRESS = _spec.RequestSpec("RiskStressRequest", omit=("as_of", "currency", "set", "async"),
                            renamed={"scenarios": "scenario", "methods": "method", "shocks": "shock"})
# The period (from, to) is keel.attribution's start and end.
_ATTRIBUTION = _spec.RequestSpec("FactorAttributionRequest", omit=("from", "to", "currency", "set", "async"))
_WHATIF = _spec.RequestSpec("WhatIfRequest", omit=("as_of", "currency", "set", "async"),
                            renamed={**_FORMER_VAR_NAMES, "scenarios": "scenario", "stress_methods": "stress_method"})


def _is_positions_table(positions: Any) -> bool:
    return _frames.is_path(positions) or (isinstance(positions, pd.DataFrame) and "quantity" in positions.columns) \
        or (isinstance(positions, (list, tuple)) and positions and isinstance(positions[0], Mapping))


@_VAR.takes
def var(data: Any, positions: Any, method: Any = _spec.UNSET, confidence: Any = _spec.UNSET, *,
        kind: str = "returns", as_of: Any = None, closes: Optional[pd.DataFrame] = None,
        currency: Optional[str] = None, fx: Any = None, **request: Any) -> VarResult:
    """Value at risk and expected shortfall, computed by keel's risk engine.

    Two forms:

    * **Exposures.** ``data`` holds daily simple returns (dates x assets: a DataFrame, or a 2-D
      array), or prices with ``kind="prices"`` (simple returns are taken, rows with a missing price
      dropped). ``positions`` gives the delta exposure of each asset in currency (a dict or Series
      keyed by column name, or a 1-D array in column order): the P&L of a scenario is
      ``sum(exposure * return)``. The last ``window`` returns are used (252 by default, as every face
      of keel; pass the number of rows for all of them).
    * **Positions table.** ``positions`` is a positions table (DataFrame with ``symbol`` and
      ``quantity`` columns and optionally ``type, underlying, strike, expiry, option_type,
      implied_vol, exercise, multiplier, dividend_yield``, or a positions CSV path) and ``data``
      is a wide DataFrame of adjusted closes (index dates, one column per symbol; ``closes`` the
      raw closes for market values, default the same). This is exactly `keel risk var`: options
      revalued in full, ``window`` returns up to ``as_of`` (default 252), contributions per
      position. Positions with a ``currency`` column other than the reporting ``currency``
      (default USD) are converted with ``fx`` (a ``date,base,quote,rate`` table or CSV path,
      docs/fx.md) and carry currency risk: each scenario revalues a position with its local
      return and its FX return, and each contribution splits into ``component_var_price`` and
      ``component_var_currency``.

    The keyword arguments are the fields of the API's VaR request (``RiskVarRequest``, listed
    below): the names, defaults, choices and ranges of `keel risk var` and ``POST .../risk/var``,
    checked by the same description (``lambda``, a Python keyword, is ``lambda_``). Methods
    (docs/risk.md): ``"historical"`` (empirical quantile, numpy's linear interpolation; ES = mean
    loss beyond it), ``"parametric"`` (delta-normal; ``delta_gamma=True`` adds option gamma via
    Cornish-Fisher), ``"montecarlo"`` (``paths`` normal or Student-t draws, ``dist="t"`` with
    ``df``; same ``seed`` = same numbers whatever the thread count). The result is the first
    method's; the exposures form takes one method.

    Returns:
        A :class:`VarResult`; ``var`` and ``es`` are positive amounts (losses) in currency.

    Raises:
        keel.errors.InvalidInputError: bad options, a non-finite return, too little history,
            a bad positions cell (``<positions>:3:2: ...``), positions whose symbols have no prices.

    Example:
        >>> r = keel.var(returns, {"AAPL": 1e6, "MSFT": 5e5}, method="historical", confidence=0.99)
        >>> r.var, r.es
    """
    req = _VAR.request("var", dict(method=method, confidence=confidence, **request))
    if _is_positions_table(positions):
        return _var_book(data, positions, _frames.dumps(req), as_of=as_of, closes=closes, currency=currency, fx=fx)
    if currency is not None or fx is not None:
        raise InvalidInputError("currency and fx apply to a positions table (exposures are in one currency)")
    window = req.get("window", _VAR.defaults()["window"])
    # The request's checks come first (a window out of range is refused by its description).
    returns, exposures, symbols, days = _exposure_inputs(
        data, positions, kind, window if isinstance(window, int) and not isinstance(window, bool) and window > 0 else None)
    with _VAR.python_names():
        r = _keel.var_exposures(returns, exposures, symbols, days, _frames.dumps(req))
    return VarResult(method=r["method"], confidence=r["confidence"], horizon_days=r["horizon_days"], var=r["var"],
                     es=r["es"], volatility=r["volatility"], scenarios=r["scenarios"], std_error=r["std_error"],
                     value=float(exposures.sum()), warnings=list(r["warnings"]), raw=dict(r))


def _exposure_inputs(data: Any, positions: Any, kind: str, window: Optional[int]):
    if kind not in ("returns", "prices"):
        raise InvalidInputError(f"kind: expected 'returns' or 'prices', got {kind!r}")
    if isinstance(data, pd.DataFrame):
        frame = data
        if isinstance(positions, (Mapping, pd.Series)):
            exp = pd.Series(positions, dtype=np.float64)
            missing = [str(s) for s in exp.index if s not in frame.columns]
            if missing:
                raise InvalidInputError("positions: no returns for " + ", ".join(missing))
            frame = frame[list(exp.index)]
            exposures = exp.to_numpy(dtype=np.float64)
        else:
            exposures = np.asarray(positions, dtype=np.float64).reshape(-1)
        if kind == "prices":
            # As keel's engine: a date on which any asset lacks a price is dropped for all.
            frame = frame.dropna(how="any").pct_change().iloc[1:]
        if window is not None:
            frame = frame.iloc[-window:]
        # Zero-copy when the frame is a single float64 block laid out dates x assets (C order).
        values = frame.to_numpy(dtype=np.float64)
        days = _frames.day_numbers(frame.index, len(frame))
        symbols = [str(c) for c in frame.columns]
    else:
        values = np.asarray(data, dtype=np.float64)
        if values.ndim == 1:
            values = values.reshape(-1, 1)
        if kind == "prices":
            values = values[~np.isnan(values).any(axis=1)]
            values = values[1:] / values[:-1] - 1.0
        if window is not None:
            values = values[-window:]
        if isinstance(positions, (Mapping, pd.Series)):
            raise InvalidInputError("positions: a dict of exposures needs a DataFrame with named columns; "
                                    "give an array of exposures in column order")
        exposures = np.asarray(positions, dtype=np.float64).reshape(-1)
        days = np.arange(values.shape[0], dtype=np.int32)
        symbols = [f"asset{i}" for i in range(values.shape[1])]
    return np.ascontiguousarray(values), np.ascontiguousarray(exposures), symbols, days


def _positions_csv(positions: Any):
    return _frames.table_text(positions, "positions")


def _var_book(prices: Any, positions: Any, request: str, *, as_of: Any, closes: Optional[pd.DataFrame],
              currency: Optional[str] = None, fx: Any = None) -> VarResult:
    name, text = _positions_csv(positions)
    values, days, symbols = _frames.wide_prices(prices)
    raw_closes = None
    if closes is not None:
        raw_closes = np.ascontiguousarray(closes.reindex(index=prices.index, columns=prices.columns)
                                          .to_numpy(dtype=np.float64, na_value=np.nan))
    fx_name, fx_text = _frames.table_text(fx, "fx") if fx is not None else (None, None)
    with _VAR.python_names():
        doc = _frames.loads(_keel.var_book(name, text, values, raw_closes, days, symbols, _frames.day_number(as_of),
                                           request, currency, fx_name, fx_text))
    first = doc["results"][0]
    contributions = _frames.records(doc.get("contributions", []), index="symbol")
    return VarResult(method=first["method"], confidence=first["confidence"], horizon_days=first["horizon_days"],
                     var=first["var"], es=first["es"], volatility=first["volatility"],
                     scenarios=first["scenarios"], std_error=first.get("std_error"), value=doc.get("value"),
                     as_of=doc.get("as_of"), contributions=contributions, warnings=list(doc.get("warnings", [])),
                     raw=doc)


@dataclasses.dataclass(frozen=True)
class StressResult:
    """Stress test of a book (docs/stress.md).

    Attributes:
        scenarios: one row per scenario and method: ``scenario, method, label, pnl, pnl_pct, ...``.
        positions: one row per scenario, method and position: ``scenario, method, symbol, pnl, ...``.
        warnings: factors not in the model, capped moves, ...
        raw: the JSON document of `keel risk stress`.
    """

    scenarios: pd.DataFrame
    positions: pd.DataFrame
    warnings: List[str] = dataclasses.field(default_factory=list)
    raw: Dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)


@_STRESS.takes
def stress(positions: Any, prices: pd.DataFrame, factors: Any, scenario: Any = _spec.UNSET, *,
           closes: Optional[pd.DataFrame] = None, scenario_file: Any = None, factor_units: str = "decimal",
           as_of: Any = None, **request: Any) -> StressResult:
    """Stress test a book with factor scenarios, exactly as `keel risk stress`.

    Each driver's betas to the factors are fitted on the last ``window`` daily excess returns; a
    scenario's shocks move each asset by ``sum(beta * shock)``; ``"direct"`` leaves unshocked
    factors at 0, ``"correlated"`` fills them with their conditional mean under the factor
    covariance. Options are revalued in full (Black-Scholes-Merton) with ``vol_shock``.

    Args:
        positions: positions table (DataFrame or CSV path), as for :func:`keel.var`.
        prices: wide DataFrame of adjusted closes (index dates, one column per symbol).
        factors: factor returns: a DataFrame (index dates, one column per factor, ``rf`` the
            risk-free rate) or a `date,<factor>...` CSV path; ``factor_units="percent"`` for the
            Fama-French files.
        scenario: scenario names, or ``"all"`` (the built-in library, docs/stress.md; the default,
            or only the user scenario when ``shock`` gives one).
        scenario_file: extra scenarios: a dict in the scenario file format or a JSON path.

    The other keyword arguments are the fields of the API's stress request (``RiskStressRequest``,
    listed below): the names, defaults and checks of `keel risk stress`, e.g. ``method`` (any of
    ``"direct"``, ``"correlated"``), ``window``, ``rf_column``, and a user scenario's ``shock``
    (``{"mkt_rf": -0.15, "smb": 0.02}``, or the request's ``["mkt_rf=-0.15", ...]``) and
    ``vol_shock``.

    Returns:
        A :class:`StressResult` with ``scenarios`` and ``positions`` DataFrames.
    """
    if factor_units not in ("decimal", "percent"):
        raise InvalidInputError(f"factor_units: expected 'decimal' or 'percent', got {factor_units!r}")
    name, text = _positions_csv(positions)
    values, days, symbols = _frames.wide_prices(prices)
    raw_closes = None
    if closes is not None:
        raw_closes = np.ascontiguousarray(closes.reindex(index=prices.index, columns=prices.columns)
                                          .to_numpy(dtype=np.float64, na_value=np.nan))
    req = _STRESS.request("stress", dict(scenario=scenario, **request))
    # A user scenario's shocks as a dict ({"mkt_rf": -0.15}) or as the request's FACTOR=RETURN texts.
    if isinstance(req.get("shock"), Mapping):
        req["shock"] = [f"{k}={float(v)!r}" for k, v in req["shock"].items()]
    with tempfile.TemporaryDirectory(prefix="keel-stress-") as tmp:
        # The service reads factor and scenario files; DataFrames and dicts are written there first.
        factors_file = _frames.factors_file(factors, tmp)
        scen_file = None
        if scenario_file is not None:
            if _frames.is_path(scenario_file):
                scen_file = os.fspath(scenario_file)
            else:
                scen_file = os.path.join(tmp, "scenarios.json")
                with open(scen_file, "w", encoding="utf-8") as f:
                    f.write(_frames.dumps(scenario_file))
        with _STRESS.python_names():
            doc = _frames.loads(_keel.stress(name, text, values, raw_closes, days, symbols, factors_file,
                                             factor_units == "percent", scen_file, _frames.day_number(as_of),
                                             _frames.dumps(req)))
    rows, pos_rows = [], []
    for s in doc.get("scenarios", []):
        rows.append({k: v for k, v in s.items() if not isinstance(v, (list, dict))})
        for p in s.get("positions", []):
            pos_rows.append({"scenario": s.get("name"), "method": s.get("method"), **p})
    table = pd.DataFrame.from_records(rows)
    if "name" in table.columns:
        table = table.rename(columns={"name": "scenario"})
    return StressResult(scenarios=table, positions=pd.DataFrame.from_records(pos_rows),
                        warnings=list(doc.get("warnings", [])), raw=doc)


@dataclasses.dataclass(frozen=True)
class AttributionResult:
    """Factor attribution of a period's P&L (docs/factors.md, "Factor attribution").

    Attributes:
        positions: one row per attributed position, book order: ``symbol, market_value, pnl_amount,
            factor_amount, risk_free_amount, alpha_amount, residual_amount``, then one column per
            factor (its amount) and ``beta_<factor>`` (the ex-ante betas); amounts in ``currency``.
        book: the same amounts for the book (the sums of the rows), with ``return``.
        factor_returns: each factor's compounded return over the period.
        excluded: positions not attributed (options, other currencies, cash): ``symbol, reason``.
        warnings: what the readers and engines said.
        raw: the JSON document of `keel risk attribution`.
    """

    positions: pd.DataFrame
    book: pd.Series
    factor_returns: pd.Series
    excluded: pd.DataFrame
    warnings: List[str] = dataclasses.field(default_factory=list)
    raw: Dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)


@_ATTRIBUTION.takes
def attribution(positions: Any, prices: pd.DataFrame, factors: Any, start: Any, end: Any, *,
                closes: Optional[pd.DataFrame] = None, factor_units: str = "decimal",
                **request: Any) -> AttributionResult:
    """A period's P&L split into factor, risk-free, alpha and residual amounts, as `keel risk attribution`.

    The betas are fitted on the ``window`` daily (excess) returns ending at the close of ``start``
    (no return of the period enters them); the positions are held from the close of ``start`` to
    the close of ``end``; each day the value at the previous close times beta x factor return, the
    risk-free return and alpha, summed over the period; the residual closes the P&L.

    Args:
        positions: positions table (DataFrame or CSV path), as for :func:`keel.var`.
        prices: wide DataFrame of adjusted closes (index dates, one column per symbol).
        factors: factor returns: a DataFrame (index dates, one column per factor, ``rf`` the
            risk-free rate) or a `date,<factor>...` CSV path (``factor_units="percent"`` for the
            Fama-French files).
        start, end: the period (dates or ``YYYY-MM-DD``).
        closes: raw closes for the market values (default: ``prices``).

    The other keyword arguments are the fields of the API's attribution request
    (``FactorAttributionRequest``, listed below; ``start`` and ``end`` are its ``from`` and ``to``):
    ``window``, ``rf_column``, ``missing``, with the defaults and checks of `keel risk attribution`.

    Returns:
        An :class:`AttributionResult`.
    """
    if factor_units not in ("decimal", "percent"):
        raise InvalidInputError(f"factor_units: expected 'decimal' or 'percent', got {factor_units!r}")
    name, text = _positions_csv(positions)
    values, days, symbols = _frames.wide_prices(prices)
    raw_closes = None
    if closes is not None:
        raw_closes = np.ascontiguousarray(closes.reindex(index=prices.index, columns=prices.columns)
                                          .to_numpy(dtype=np.float64, na_value=np.nan))
    # The period is the request's from and to (the close it starts from, the close it ends at).
    req = {**_ATTRIBUTION.request("attribution", request), "from": _frames.iso_date(start), "to": _frames.iso_date(end)}
    with tempfile.TemporaryDirectory(prefix="keel-attribution-") as tmp:
        factors_file = _frames.factors_file(factors, tmp)
        with _ATTRIBUTION.python_names():
            doc = _frames.loads(_keel.attribution(name, text, values, raw_closes, days, symbols, factors_file,
                                                  factor_units == "percent", _frames.dumps(req)))
    rows = []
    for p in doc.get("positions", []):
        row = {k: v for k, v in p.items() if not isinstance(v, dict)}
        row.update(p.get("factors", {}))
        row.update({f"beta_{k}": v for k, v in p.get("betas", {}).items()})
        rows.append(row)
    book = dict(doc.get("book", {}))
    book.update(book.pop("factors", {}))
    return AttributionResult(positions=pd.DataFrame.from_records(rows), book=pd.Series(book, dtype=float),
                             factor_returns=pd.Series(doc.get("factor_returns", {}), dtype=float),
                             excluded=pd.DataFrame.from_records(doc.get("excluded", []), columns=["symbol", "reason"]),
                             warnings=list(doc.get("warnings", [])), raw=doc)


@dataclasses.dataclass(frozen=True)
class WhatIfResult:
    """A what-if: the book before and after proposed trades (docs/whatif.md).

    Attributes:
        metrics: one row per metric (``gross``, ``net``, ``dollar_delta``, ``var_historical``,
            ``beta_mkt_rf``, ...), columns ``before``, ``after``, ``change`` (after - before; NaN
            where a side lacks the figure). Amounts in the book's currency.
        trades: one row per trade: ``symbol, quantity, multiplier, price, price_source,
            cash_amount, origin``.
        positions: one row per traded symbol: ``symbol, quantity_before, quantity_after, effect``.
        stress: one row per scenario and method: ``name, method, before, after, change`` (empty
            without factor data).
        by_sector: net market value per sector: ``key, before, after, change``.
        cash_amount: the trades' cash impact (negative = cash paid).
        as_of: the one valuation date of both sides.
        factors_available: whether betas and stress were computed (else ``raw["factors"]["reason"]``).
        warnings: what the engines proxied or repaired, and the readers' warnings.
        raw: the JSON document of `keel whatif --format json`.
    """

    metrics: pd.DataFrame
    trades: pd.DataFrame
    positions: pd.DataFrame
    stress: pd.DataFrame
    by_sector: pd.DataFrame
    cash_amount: float
    as_of: str
    factors_available: bool
    warnings: List[str] = dataclasses.field(default_factory=list)
    raw: Dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)


@_WHATIF.takes
def whatif(positions: Any, prices: pd.DataFrame, trades: Any, *, closes: Optional[pd.DataFrame] = None,
           factors: Any = None, factor_units: str = "decimal", as_of: Any = None, **request: Any) -> WhatIfResult:
    """Apply proposed trades to a copy of a book and compare before / after, exactly as `keel whatif`.

    The trades are applied in order (a trade on a held symbol changes its quantity, to zero closes
    it; a trade on a new symbol opens a position with the trade's terms); then exposures and
    Greeks, VaR/ES of every ``method``, and with factor data the betas and the stress scenarios run
    on both books at one as-of date. Nothing is stored.

    Args:
        positions: positions table (DataFrame or CSV path), as for :func:`keel.var`.
        prices: wide DataFrame of adjusted closes (index dates, one column per symbol) holding the
            book's symbols and every traded one; ``closes`` the raw closes (default: the same).
        trades: the trades file's table (DataFrame, list of records or CSV path): ``symbol,
            quantity`` (+ buy, - sell) and optionally ``price`` and, for a new option, its terms
            (docs/whatif.md).
        factors: factor returns (DataFrame with the ``rf`` column, or a CSV path;
            ``factor_units="percent"`` for the Fama-French files). Without them betas and stress
            are n/a and the rest is computed.

    The other keyword arguments are the fields of the API's what-if request (``WhatIfRequest``,
    listed below): the names, defaults and checks of `keel whatif` and ``POST .../whatif``, e.g.
    ``method`` (VaR methods), ``scenario`` (stress scenario names, default every built-in one),
    ``stress_method`` (``"direct"``, ``"correlated"``), ``rf_column``, ``factor_window``.

    Returns:
        A :class:`WhatIfResult`.

    Raises:
        keel.errors.InvalidInputError: a bad positions or trades cell (``<trades>:3:2: ...``), a
            traded symbol without prices, trades that close every position.
    """
    if factor_units not in ("decimal", "percent"):
        raise InvalidInputError(f"factor_units: expected 'decimal' or 'percent', got {factor_units!r}")
    name, text = _positions_csv(positions)
    trades_name, trades_text = _frames.table_text(trades, "trades")
    values, days, symbols = _frames.wide_prices(prices)
    raw_closes = None
    if closes is not None:
        raw_closes = np.ascontiguousarray(closes.reindex(index=prices.index, columns=prices.columns)
                                          .to_numpy(dtype=np.float64, na_value=np.nan))
    req = _WHATIF.request("whatif", request)
    with tempfile.TemporaryDirectory(prefix="keel-whatif-") as tmp:
        # The service reads factor files; a DataFrame is written there first.
        factors_file = None if factors is None else _frames.factors_file(factors, tmp)
        with _WHATIF.python_names():
            doc = _frames.loads(_keel.whatif(name, text, values, raw_closes, days, symbols, trades_name, trades_text,
                                             factors_file, factor_units == "percent", _frames.day_number(as_of),
                                             _frames.dumps(req)))
    before, after, change = doc["before"], doc["after"], doc["change"]
    names = list(before.keys())
    nan = float("nan")

    def value(side: dict, key: str) -> float:
        v = side.get(key)
        return nan if v is None else float(v)

    metrics = pd.DataFrame({"before": [value(before, k) for k in names], "after": [value(after, k) for k in names],
                            "change": [value(change, k) for k in names]}, index=pd.Index(names, name="metric"))
    return WhatIfResult(metrics=metrics, trades=pd.DataFrame.from_records(doc["trades"]),
                        positions=pd.DataFrame.from_records(doc["positions"]),
                        stress=pd.DataFrame.from_records(doc["stress"],
                                                         columns=["name", "method", "before", "after", "change"]),
                        by_sector=pd.DataFrame.from_records(doc["by_sector"],
                                                            columns=["key", "before", "after", "change"]),
                        cash_amount=doc["cash_amount"], as_of=doc["as_of"],
                        factors_available=bool(doc["factors"]["available"]), warnings=list(doc.get("warnings", [])),
                        raw=doc)
