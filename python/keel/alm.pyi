from typing import Any, Dict, List, Optional

import pandas as pd

class AlmResult:
    scenarios: pd.DataFrame
    base: Optional[float]
    worst: Optional[Dict[str, Any]]
    monthly: Optional[pd.DataFrame]
    warnings: List[str]
    raw: Dict[str, Any]

def eve(balance_sheet: Any, curve: Any, *, curve_type: str = ..., rate_units: str = ..., curve_date: Any = ...,
        **request: Any) -> AlmResult: ...
def nii(balance_sheet: Any, curve: Any, *, curve_type: str = ..., rate_units: str = ..., curve_date: Any = ...,
        **request: Any) -> AlmResult: ...
def gap(balance_sheet: Any, curve: Any, *, curve_type: str = ..., rate_units: str = ..., curve_date: Any = ...,
        **request: Any) -> AlmResult: ...
