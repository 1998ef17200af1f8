from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import alm as alm, clo as clo, errors as errors, factors as factors, ledger as ledger, options as options, plan as plan
from .errors import InvalidInputError as InvalidInputError, KeelError as KeelError, NotFoundError as NotFoundError, UsageError as UsageError

__version__: str

class VarResult:
    method: str
    confidence: float
    horizon_days: int
    var: float
    es: float
    volatility: float
    scenarios: int
    std_error: Optional[float]
    value: Optional[float]
    as_of: Optional[str]
    contributions: Optional[pd.DataFrame]
    warnings: List[str]
    raw: Dict[str, Any]

class StressResult:
    scenarios: pd.DataFrame
    positions: pd.DataFrame
    warnings: List[str]
    raw: Dict[str, Any]

# keel.var's, keel.stress's, keel.attribution's and keel.whatif's other keyword arguments are the
# fields of the API's requests (RiskVarRequest, RiskStressRequest, FactorAttributionRequest,
# WhatIfRequest; docs/api-reference.md): their names, defaults and types are read
# from those descriptions at import (inspect.signature(keel.var) shows them), not written here.
def var(data: Union[pd.DataFrame, np.ndarray], positions: Union[Mapping[str, float], pd.Series, np.ndarray, Sequence[float], pd.DataFrame, str],
        method: Union[str, Sequence[str]] = ..., confidence: float = ..., *, kind: str = ..., as_of: Any = ...,
        closes: Optional[pd.DataFrame] = ..., currency: Optional[str] = ..., fx: Any = ...,
        **request: Any) -> VarResult: ...

def stress(positions: Union[pd.DataFrame, str], prices: pd.DataFrame, factors: Union[pd.DataFrame, str],
           scenario: Union[str, Sequence[str]] = ..., *, closes: Optional[pd.DataFrame] = ...,
           scenario_file: Union[Mapping[str, Any], str, None] = ..., factor_units: str = ..., as_of: Any = ...,
           **request: Any) -> StressResult: ...

class AttributionResult:
    positions: pd.DataFrame
    book: pd.Series
    factor_returns: pd.Series
    excluded: pd.DataFrame
    warnings: List[str]
    raw: Dict[str, Any]

def attribution(positions: Union[pd.DataFrame, str], prices: pd.DataFrame, factors: Union[pd.DataFrame, str],
                start: Any, end: Any, *, closes: Optional[pd.DataFrame] = ..., factor_units: str = ...,
                **request: Any) -> AttributionResult: ...

class WhatIfResult:
    metrics: pd.DataFrame
    trades: pd.DataFrame
    positions: pd.DataFrame
    stress: pd.DataFrame
    by_sector: pd.DataFrame
    cash_amount: float
    as_of: str
    factors_available: bool
    warnings: List[str]
    raw: Dict[str, Any]

def whatif(positions: Union[pd.DataFrame, str], prices: pd.DataFrame,
           trades: Union[pd.DataFrame, Sequence[Mapping[str, Any]], str], *, closes: Optional[pd.DataFrame] = ...,
           factors: Union[pd.DataFrame, str, None] = ..., factor_units: str = ..., as_of: Any = ...,
           **request: Any) -> WhatIfResult: ...

class Store:
    tenant: str
    def __init__(self, path: str, tenant: str = ...) -> None: ...
    @property
    def path(self) -> str: ...
    def portfolios(self) -> pd.DataFrame: ...
    def portfolio(self, name: str, as_of: Any = ...) -> pd.DataFrame: ...
    def position(self, name: str, id: int, as_of: Any = ...) -> Dict[str, Any]: ...
    def performance(self, name: str, start: Any = ..., end: Any = ..., benchmark: Optional[str] = ...,
                    risk_free: float = ..., series: bool = ...) -> Dict[str, Any]: ...
    def health(self, name: str, **request: Any) -> pd.DataFrame: ...
    def exposures(self, name: str, by: str = ..., **request: Any) -> Dict[str, Any]: ...
    def from_ledger(self, name: str, **request: Any) -> Dict[str, Any]: ...
    def storage(self) -> pd.DataFrame: ...
    def var(self, name: str, **request: Any) -> Dict[str, Any]: ...
    def backtest(self, name: str, **request: Any) -> Dict[str, Any]: ...

def optimize(positions: Union[pd.DataFrame, str], prices: pd.DataFrame, objective: str = ..., *,
             closes: Optional[pd.DataFrame] = ..., as_of: Any = ..., **options: Any) -> Dict[str, Any]: ...
def optimize_frontier(positions: Union[pd.DataFrame, str], prices: pd.DataFrame, points: int = ..., *,
                      closes: Optional[pd.DataFrame] = ..., as_of: Any = ..., **options: Any) -> Dict[str, Any]: ...
def rebalance(positions: Union[pd.DataFrame, str], prices: pd.DataFrame, target_weights: Mapping[str, float], *,
              closes: Optional[pd.DataFrame] = ..., transactions: Any = ..., account: Optional[str] = ...,
              tax_aware: bool = ..., as_of: Any = ..., **options: Any) -> Dict[str, Any]: ...
