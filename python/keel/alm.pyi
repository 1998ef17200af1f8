from typing import Any, Dict, List, Mapping, Optional

import pandas as pd

class AlmResult:
    scenarios: pd.DataFrame
    base: Optional[float]
    worst: Optional[Dict[str, Any]]
    monthly: Optional[pd.DataFrame]
    warnings: List[str]
    raw: Dict[str, Any]

def eve(balance_sheet: Any, curve: Any, *, as_of: Any = ..., curve_type: str = ..., rate_units: str = ...,
        curve_date: Any = ..., currency: Optional[str] = ..., tier1: Optional[float] = ..., shock_table: Any = ...,
        scenarios: Any = ..., fx: Optional[Mapping[str, float]] = ..., floor: Optional[bool] = ...,
        gain_weight: Optional[float] = ...) -> AlmResult: ...
def nii(balance_sheet: Any, curve: Any, *, as_of: Any = ..., curve_type: str = ..., rate_units: str = ...,
        curve_date: Any = ..., currency: Optional[str] = ..., tier1: Optional[float] = ..., shock_table: Any = ...,
        horizon_months: int = ..., fx: Optional[Mapping[str, float]] = ..., floor: Optional[bool] = ...) -> AlmResult: ...
def gap(balance_sheet: Any, curve: Any, *, as_of: Any = ..., curve_type: str = ..., rate_units: str = ...,
        curve_date: Any = ..., currency: Optional[str] = ..., fx: Optional[Mapping[str, float]] = ...) -> AlmResult: ...
