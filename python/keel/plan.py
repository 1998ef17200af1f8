"""Retirement planning: Monte Carlo of a portfolio through saving and withdrawal years.

``retire`` runs `keel plan retire` (docs/planning.md): ``trials`` simulated return (and
optionally inflation) paths, a withdrawal strategy, life events; the same ``seed`` gives the same
numbers whatever the thread count.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Dict, List, Optional

import numpy as np
import pandas as pd

from . import _frames, _keel, _spec

__all__ = ["retire", "PlanResult"]


@dataclasses.dataclass(frozen=True)
class PlanResult:
    """Result of :func:`retire`.

    Attributes:
        success_rate: share of trials that never ran out of money.
        paths: nominal balance percentiles by year (index ``year`` 0..years; columns p5, p25,
            p50, p75, p95).
        spending: withdrawal percentiles by year (index ``year`` 1..years).
        terminal: percentiles and mean of the final balance.
        safe_withdrawal_rate: with ``target_success``, the solved rate (else None).
        raw: the JSON document of `keel plan retire`.
    """

    success_rate: float
    paths: pd.DataFrame
    spending: pd.DataFrame
    terminal: Dict[str, float]
    safe_withdrawal_rate: Optional[float]
    raw: Dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)


def _table(block: Any) -> pd.DataFrame:
    if not isinstance(block, dict) or "year" not in block:
        return pd.DataFrame()
    return pd.DataFrame({k: v for k, v in block.items()}).set_index("year")


# keel.plan.retire's keyword arguments are the fields of the API's plan request (PlanRequest,
# docs/api-reference.md), read from its description; retire_in is read as retirement_year, with a
# DeprecationWarning.
_PLAN = _spec.RequestSpec("PlanRequest", renamed={"retire_in": "retirement_year"})


@_PLAN.takes
def retire(balance: float, years: int = _spec.UNSET, **request: Any) -> PlanResult:
    """Simulate a retirement plan; the options are those of `keel plan retire`.

    The keyword arguments are the fields of the API's plan request (``PlanRequest``, listed
    below), with its names, defaults and checks, as `keel plan retire` and ``POST /plan/retire``
    take them (docs/planning.md), e.g. ``withdrawal`` or ``withdrawal_rate``, ``allocation``,
    ``strategy`` with its parameters (``floor``, ``ceiling``, ``gk_*``), ``returns``,
    ``retirement_year``, ``trials``, ``seed``. Two take Python's forms too: ``history`` (periodic
    decimal returns to bootstrap from: a list, an array or a Series; ``returns`` is then
    ``"bootstrap"`` unless given) and ``events`` (life events: a list of dicts, a DataFrame of
    ``year,type,amount,label``, or a CSV/JSON path).

    Returns:
        A :class:`PlanResult` (``paths`` is the percentile fan of the balance).

    Example:
        >>> r = keel.plan.retire(1_000_000, 30, withdrawal=40_000, trials=10_000, seed=7)
        >>> r.success_rate, r.paths["p50"].iloc[-1]
    """
    body = _PLAN.request("retire", dict(balance=balance, years=years, **request))
    history = body.get("history")
    if history is not None and not isinstance(history, list):
        body["history"] = np.asarray(history, dtype=np.float64).tolist()
    if history is not None and "returns" not in body:
        body["returns"] = "bootstrap"
    events = body.get("events")
    if events is not None:
        if _frames.is_path(events):
            del body["events"]
            body["events_file"] = str(events)
        else:
            frame = events if isinstance(events, pd.DataFrame) else pd.DataFrame.from_records(list(events))
            body["events"] = [{k: v for k, v in row.items() if not (isinstance(v, float) and np.isnan(v))}
                              for row in frame.to_dict(orient="records")]
    doc = _frames.loads(_keel.plan_retire(_frames.dumps(body)))
    return PlanResult(success_rate=doc["success_rate"], paths=_table(doc.get("paths")),
                      spending=_table(doc.get("spending")), terminal=dict(doc.get("terminal", {})),
                      safe_withdrawal_rate=doc.get("safe_withdrawal_rate"), raw=doc)
