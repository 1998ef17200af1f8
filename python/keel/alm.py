"""Interest rate risk in the banking book (IRRBB): economic value and net interest income.

``eve`` and ``nii`` run `keel alm eve|nii` (docs/alm.md) on a balance sheet and a yield curve:
the six standardised BCBS 368 shocks (or your shock table and scenarios), the supervisory outlier
test against Tier 1, per currency with FX.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Dict, List, Mapping, Optional

import pandas as pd

from . import _frames, _keel
from .errors import InvalidInputError

__all__ = ["eve", "nii", "gap", "AlmResult"]


@dataclasses.dataclass(frozen=True)
class AlmResult:
    """Result of :func:`eve`, :func:`nii` or :func:`gap`.

    Attributes:
        scenarios: one row per scenario (``name, eve|nii, delta, ...``); for gap, the buckets.
        base: base-case EVE or NII (None for gap).
        worst: the worst scenario ``{"name", "delta"}``.
        monthly: NII per month under base and parallel shocks (nii only).
        raw: the JSON document of `keel alm eve|nii|gap`.
    """

    scenarios: pd.DataFrame
    base: Optional[float]
    worst: Optional[Dict[str, Any]]
    monthly: Optional[pd.DataFrame]
    warnings: List[str]
    raw: Dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)


def _curve_text(curve: Any):
    if isinstance(curve, pd.Series):
        curve = pd.DataFrame({"tenor": [str(i) for i in curve.index], "rate": curve.to_numpy()})
    elif isinstance(curve, Mapping):
        curve = pd.DataFrame({"tenor": list(curve.keys()), "rate": list(curve.values())})
    return _frames.table_text(curve, "curve")


def _run(what: str, balance_sheet: Any, curve: Any, *, as_of: Any, curve_type: str, rate_units: str,
         curve_date: Any, currency: Optional[str], tier1: Optional[float], shock_table: Any, scenarios: Any,
         fx: Optional[Mapping[str, float]], horizon_months: Optional[int], floor: Optional[bool],
         gain_weight: Optional[float]) -> AlmResult:
    if curve_type not in ("par", "zero"):
        raise InvalidInputError(f"curve_type: expected 'par' or 'zero', got {curve_type!r}")
    if rate_units not in ("decimal", "percent"):
        raise InvalidInputError(f"rate_units: expected 'decimal' or 'percent', got {rate_units!r}")
    bs_name, bs_text = _frames.table_text(balance_sheet, "balance_sheet")
    curve_name, curve_text = _curve_text(curve)
    shock_text = _frames.table_text(shock_table, "shock_table")[1] if shock_table is not None else None
    scen_text = _frames.table_text(scenarios, "scenarios")[1] if scenarios is not None else None
    doc = _frames.loads(_keel.alm(what, bs_name, bs_text, curve_name, curve_text, curve_type == "par",
                                  rate_units == "percent", _frames.day_number(curve_date), _frames.day_number(as_of),
                                  currency, tier1, shock_text, scen_text, dict(fx or {}), horizon_months, floor,
                                  gain_weight))
    rows = doc.get("scenarios") if what != "gap" else doc.get("buckets")
    table = pd.DataFrame.from_records([{k: v for k, v in r.items() if not isinstance(v, (list, dict))}
                                       for r in (rows or [])])
    monthly = pd.DataFrame.from_records(doc["monthly"]) if "monthly" in doc else None
    return AlmResult(scenarios=table, base=doc.get("base"), worst=doc.get("worst"), monthly=monthly,
                     warnings=list(doc.get("warnings", [])), raw=doc)


_DOC_ARGS = """
    Args:
        balance_sheet: positions of the banking book (DataFrame or CSV path) in the balance sheet
            format of docs/alm.md (``id,side,type,currency,notional,start_date,maturity_date,
            rate_type,rate,...``); bad cells are reported as ``<balance_sheet>:LINE:COLUMN``.
        curve: the yield curve: DataFrame ``tenor,rate``, a Series or dict tenor -> rate, or a
            CSV path (also the wide Treasury file with ``curve_date``).
        curve_type: ``"par"`` (bond-equivalent par yields, bootstrapped) or ``"zero"``.
        rate_units: ``"decimal"`` or ``"percent"`` (the Treasury files).
        as_of: valuation date (default: the curve's date).
        tier1: Tier 1 capital for the outlier test, reporting currency.
        currency, fx: reporting currency and FX rates (reporting units per unit of currency).
        shock_table, scenarios: a shock table and user scenarios (``name,tenor,shift_bp``).
        floor: post-shock rate floor (default True); gain_weight: weight of gains (EU 0.5).
"""


def eve(balance_sheet: Any, curve: Any, *, as_of: Any = None, curve_type: str = "zero",
        rate_units: str = "decimal", curve_date: Any = None, currency: Optional[str] = None,
        tier1: Optional[float] = None, shock_table: Any = None, scenarios: Any = None,
        fx: Optional[Mapping[str, float]] = None, floor: Optional[bool] = None,
        gain_weight: Optional[float] = None) -> AlmResult:
    """Economic value of equity under the standardised rate shocks (BCBS 368), as `keel alm eve`.

    Returns an :class:`AlmResult` whose ``scenarios`` has one row per shock (``name, eve, delta``).
    """
    return _run("eve", balance_sheet, curve, as_of=as_of, curve_type=curve_type, rate_units=rate_units,
                curve_date=curve_date, currency=currency, tier1=tier1, shock_table=shock_table,
                scenarios=scenarios, fx=fx, horizon_months=None, floor=floor, gain_weight=gain_weight)


def nii(balance_sheet: Any, curve: Any, *, as_of: Any = None, curve_type: str = "zero",
        rate_units: str = "decimal", curve_date: Any = None, currency: Optional[str] = None,
        tier1: Optional[float] = None, shock_table: Any = None, horizon_months: int = 12,
        fx: Optional[Mapping[str, float]] = None, floor: Optional[bool] = None) -> AlmResult:
    """Net interest income over ``horizon_months`` under the parallel shocks, as `keel alm nii`.

    Returns an :class:`AlmResult` with ``scenarios`` (``name, nii, delta``) and ``monthly``.
    """
    return _run("nii", balance_sheet, curve, as_of=as_of, curve_type=curve_type, rate_units=rate_units,
                curve_date=curve_date, currency=currency, tier1=tier1, shock_table=shock_table, scenarios=None,
                fx=fx, horizon_months=horizon_months, floor=floor, gain_weight=None)


def gap(balance_sheet: Any, curve: Any, *, as_of: Any = None, curve_type: str = "zero",
        rate_units: str = "decimal", curve_date: Any = None, currency: Optional[str] = None,
        fx: Optional[Mapping[str, float]] = None) -> AlmResult:
    """Repricing gap per time bucket, as `keel alm gap` (``scenarios`` holds the buckets)."""
    return _run("gap", balance_sheet, curve, as_of=as_of, curve_type=curve_type, rate_units=rate_units,
                curve_date=curve_date, currency=currency, tier1=None, shock_table=None, scenarios=None, fx=fx,
                horizon_months=None, floor=None, gain_weight=None)


eve.__doc__ += _DOC_ARGS
nii.__doc__ += _DOC_ARGS
gap.__doc__ += _DOC_ARGS
