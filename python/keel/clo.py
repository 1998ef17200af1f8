"""Collateralised loan obligations: the waterfall of a deal under a default/prepayment scenario.

``run`` runs `keel clo run` (docs/clo.md) on a deal given as a dict in the deal file format (or a
deal file path): quarterly collections, fees, interest and principal waterfalls with the OC/IC
tests, and per tranche IRR, WAL and loss.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Dict, List, Mapping

import pandas as pd

from . import _frames, _keel, _spec

__all__ = ["run", "CloResult"]


@dataclasses.dataclass(frozen=True)
class CloResult:
    """Result of :func:`run`.

    Attributes:
        periods: one row per payment date (collections, defaults, fees, ...).
        tranche_flows: one row per payment date and tranche (interest_paid, principal_paid,
            balance, ...).
        tests: one row per payment date and coverage test (value, threshold, pass, bound, cushion).
        tranches: one row per tranche (irr, wal, loss, ...; NaN where an IRR/WAL does not exist).
        raw: the JSON document of `keel clo run`.
    """

    periods: pd.DataFrame
    tranche_flows: pd.DataFrame
    tests: pd.DataFrame
    tranches: pd.DataFrame
    warnings: List[str]
    raw: Dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)


# keel.clo.run's keyword arguments are the fields of the API's CLO run request (CloRunRequest,
# docs/api-reference.md) but the deal, which is the function's first argument; recovery_lag_months
# is read as recovery_lag, with a DeprecationWarning.
_RUN = _spec.RequestSpec("CloRunRequest", omit={"deal"}, renamed={"recovery_lag_months": "recovery_lag"})


@_RUN.takes
def run(deal: Any, *, base_dir: Any = None, **request: Any) -> CloResult:
    """Project a CLO deal's cash flows through its waterfall.

    The keyword arguments are the fields of the API's CLO run request (``CloRunRequest``, listed
    below), with its names, defaults and checks, as `keel clo run` and ``POST /clo/run`` take them
    (docs/clo.md): ``scenario`` (a named scenario of the deal's library), ``cdr``, ``cpr``,
    ``recovery``, ``recovery_lag`` (months), and an annual rating migration matrix as
    ``migration_ratings`` and ``migration_annual``.

    Args:
        deal: a dict in the deal file format (docs/clo.md: ``dates``, ``tranches``, ``fees``,
            ``collateral`` inline or a CSV path, ...) or a deal JSON path. Errors name the JSON
            field (``tranches[2].balance``) or the collateral file's line and column.
        base_dir: directory a collateral CSV path is relative to (default: the deal file's
            directory, or the current directory for a dict).

    Returns:
        A :class:`CloResult`.

    Example:
        >>> r = keel.clo.run(json.load(open("deal.json")), cdr=0.03, cpr=0.2)
        >>> r.tranches[["name", "irr", "wal", "loss"]]
    """
    body = _RUN.request("run", request)
    if _frames.is_path(deal):
        path = os.fspath(deal)
        with open(path, "r", encoding="utf-8") as f:
            text = f.read()
        name = path
        base = os.fspath(base_dir) if base_dir is not None else (os.path.dirname(os.path.abspath(path)))
    else:
        if not isinstance(deal, Mapping):
            from .errors import InvalidInputError

            raise InvalidInputError("deal: expected a dict in the deal file format or a path")
        text = _frames.dumps(deal)
        name = "<deal>"
        base = os.fspath(base_dir) if base_dir is not None else os.getcwd()
    doc = _frames.loads(_keel.clo_run(text, name, base, _frames.dumps(body)))
    periods, flows, tests = [], [], []
    for p in doc.get("periods", []):
        periods.append({k: v for k, v in p.items() if not isinstance(v, (list, dict))})
        for t in p.get("tranches", []):
            flows.append({"date": p.get("date"), **t})
        for t in p.get("tests", []):
            tests.append({"date": p.get("date"), **t})
    return CloResult(periods=pd.DataFrame.from_records(periods), tranche_flows=pd.DataFrame.from_records(flows),
                     tests=pd.DataFrame.from_records(tests),
                     tranches=pd.DataFrame.from_records(doc.get("tranches", [])),
                     warnings=list(doc.get("warnings", [])), raw=doc)
