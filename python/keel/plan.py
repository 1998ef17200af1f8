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

from . import _frames, _keel

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


def retire(balance: float, years: int = 30, *, withdrawal: Optional[float] = None,
           withdrawal_rate: Optional[float] = None, allocation: float = 0.6, strategy: str = "constant-dollar",
           returns: Optional[str] = None, history: Any = None, block_length: int = 0, monthly: bool = False,
           retire_in: int = 0, contribution: float = 0.0, income: float = 0.0, inflation: float = 0.025,
           inflation_sd: float = 0.0, trials: int = 10000, seed: int = 1, events: Any = None,
           target_success: Optional[float] = None) -> PlanResult:
    """Simulate a retirement plan; the options are those of `keel plan retire`.

    Args:
        balance: starting balance, currency.
        years: years simulated.
        withdrawal / withdrawal_rate: spending per year in today's money, or as a share of the
            starting balance (decimal).
        allocation: stock weight (0..1).
        strategy: ``"constant-dollar"``, ``"constant-percentage"``, ``"guyton-klinger"``,
            ``"floor-ceiling"``, ``"vpw"`` ... (docs/planning.md).
        returns: ``"normal:MEAN,SD"``, ``"t:MEAN,SD,DF"``, ``"bootstrap:FILE"``,
            ``"mix:SM,SS,BM,BS,RHO"``; default normal:0.06,0.12, or ``"bootstrap"`` when
            ``history`` is given.
        history: periodic decimal returns (array or Series) to bootstrap from.
        events: life events: a DataFrame or list of dicts (``year,type,amount,label``), or a CSV/JSON path.
        target_success: solve the safe withdrawal rate for this success rate.

    Returns:
        A :class:`PlanResult` (``paths`` is the percentile fan of the balance).

    Example:
        >>> r = keel.plan.retire(1_000_000, 30, withdrawal=40_000, trials=10_000, seed=7)
        >>> r.success_rate, r.paths["p50"].iloc[-1]
    """
    body: Dict[str, Any] = dict(balance=balance, years=years, allocation=allocation, strategy=strategy,
                                block_length=block_length, monthly=monthly, retirement_year=retire_in,
                                contribution=contribution, income=income, inflation=inflation,
                                inflation_sd=inflation_sd, trials=trials, seed=seed)
    if withdrawal is not None:
        body["withdrawal"] = withdrawal
    if withdrawal_rate is not None:
        body["withdrawal_rate"] = withdrawal_rate
    if target_success is not None:
        body["target_success"] = target_success
    if history is not None:
        body["history"] = np.asarray(history, dtype=np.float64).tolist()
        body["returns"] = returns or "bootstrap"
    elif returns is not None:
        body["returns"] = returns
    if events is not None:
        if _frames.is_path(events):
            body["events_file"] = str(events)
        else:
            frame = events if isinstance(events, pd.DataFrame) else pd.DataFrame.from_records(list(events))
            body["events"] = [{k: v for k, v in row.items() if not (isinstance(v, float) and np.isnan(v))}
                              for row in frame.to_dict(orient="records")]
    doc = _frames.loads(_keel.plan_retire(_frames.dumps(body)))
    return PlanResult(success_rate=doc["success_rate"], paths=_table(doc.get("paths")),
                      spending=_table(doc.get("spending")), terminal=dict(doc.get("terminal", {})),
                      safe_withdrawal_rate=doc.get("safe_withdrawal_rate"), raw=doc)
