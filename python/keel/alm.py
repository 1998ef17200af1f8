"""Interest rate risk in the banking book (IRRBB): economic value and net interest income.

``eve`` and ``nii`` run `keel alm eve|nii` (docs/alm.md) on a balance sheet and a yield curve:
the six standardised BCBS 368 shocks (or your shock table and scenarios), the supervisory outlier
test against Tier 1, per currency with FX.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Dict, List, Mapping, Optional

import pandas as pd

from . import _frames, _keel, _spec
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


# keel.alm.eve, nii and gap take the fields of the API's ALM request (AlmRequest,
# docs/api-reference.md) as keyword arguments, but the balance sheet and the curve, which are their
# first two arguments, and the stored session, which needs a store. Two take Python's forms too:
# shock_table and scenarios are DataFrames or CSV paths, sent as the request's CSV texts.
_ALM = _spec.RequestSpec("AlmRequest", omit={"balance_sheet", "balance_sheet_zip", "session", "curves"},
                         renamed={"horizon_months": "nii_horizon_months"})


def _run(what: str, balance_sheet: Any, curve: Any, curve_type: str, rate_units: str, curve_date: Any,
         request: Mapping[str, Any]) -> AlmResult:
    if curve_type not in ("par", "zero"):
        raise InvalidInputError(f"curve_type: expected 'par' or 'zero', got {curve_type!r}")
    if rate_units not in ("decimal", "percent"):
        raise InvalidInputError(f"rate_units: expected 'decimal' or 'percent', got {rate_units!r}")
    body = _ALM.request(what, request)
    for key in ("shock_table", "scenarios"):
        if body.get(key) is not None:
            body[key] = _frames.table_text(body[key], key)[1]
    bs_name, body["balance_sheet"] = _frames.table_text(balance_sheet, "balance_sheet")
    curve_name, curve_text = _curve_text(curve)
    body["curves"] = [{"text": curve_text, "kind": curve_type, "units": rate_units}]
    if curve_date is not None:
        body["curves"][0]["date"] = _frames.iso_date(curve_date)
    doc = _frames.loads(_keel.alm(what, bs_name, curve_name, _frames.dumps(body)))
    rows = doc.get("scenarios") if what != "gap" else doc.get("buckets")
    table = pd.DataFrame.from_records([{k: v for k, v in r.items() if not isinstance(v, (list, dict))}
                                       for r in (rows or [])])
    monthly = pd.DataFrame.from_records(doc["monthly"]) if "monthly" in doc else None
    return AlmResult(scenarios=table, base=doc.get("base"), worst=doc.get("worst"), monthly=monthly,
                     warnings=list(doc.get("warnings", [])), raw=doc)


_DOC_ARGS = """
    The keyword arguments are the fields of the API's ALM request (``AlmRequest``, listed below),
    with its names, defaults and checks, as `keel alm eve|nii|gap` and ``POST /alm/eve|nii|gap``
    take them (docs/alm.md): ``as_of``, ``currency``, ``fx``, ``tier1``, ``floor``, ``gain_weight``,
    ``nii_horizon_months``, ``nii_buckets``, ``skip_inactive``, ``shock_table`` and ``scenarios``
    (a DataFrame or a CSV path here).

    Args:
        balance_sheet: positions of the banking book (DataFrame or CSV path) in the balance sheet
            format of docs/alm.md (``id,side,type,currency,notional,start_date,maturity_date,
            rate_type,rate,...``); bad cells are reported as ``<balance_sheet>:LINE:COLUMN``.
        curve: the yield curve: DataFrame ``tenor,rate``, a Series or dict tenor -> rate, or a
            CSV path (also the wide Treasury file with ``curve_date``).
        curve_type: ``"par"`` (bond-equivalent par yields, bootstrapped) or ``"zero"``.
        rate_units: ``"decimal"`` or ``"percent"`` (the Treasury files).
        curve_date: the row of a dated (wide Treasury) curve file.
"""


def _documented(fn: Any) -> Any:
    fn.__doc__ = fn.__doc__.rstrip() + "\n" + _DOC_ARGS
    return fn


@_ALM.takes
@_documented
def eve(balance_sheet: Any, curve: Any, *, curve_type: str = "zero", rate_units: str = "decimal",
        curve_date: Any = None, **request: Any) -> AlmResult:
    """Economic value of equity under the standardised rate shocks (BCBS 368), as `keel alm eve`.

    Returns an :class:`AlmResult` whose ``scenarios`` has one row per shock (``name, eve, delta``).
    """
    return _run("eve", balance_sheet, curve, curve_type, rate_units, curve_date, request)


@_ALM.takes
@_documented
def nii(balance_sheet: Any, curve: Any, *, curve_type: str = "zero", rate_units: str = "decimal",
        curve_date: Any = None, **request: Any) -> AlmResult:
    """Net interest income over ``nii_horizon_months`` under the parallel shocks, as `keel alm nii`.

    Returns an :class:`AlmResult` with ``scenarios`` (``name, nii, delta``) and ``monthly``.
    """
    return _run("nii", balance_sheet, curve, curve_type, rate_units, curve_date, request)


@_ALM.takes
@_documented
def gap(balance_sheet: Any, curve: Any, *, curve_type: str = "zero", rate_units: str = "decimal",
        curve_date: Any = None, **request: Any) -> AlmResult:
    """Repricing gap per time bucket, as `keel alm gap` (``scenarios`` holds the buckets)."""
    return _run("gap", balance_sheet, curve, curve_type, rate_units, curve_date, request)
