from typing import Any, Dict, List, Optional

import pandas as pd

class CloResult:
    periods: pd.DataFrame
    tranche_flows: pd.DataFrame
    tests: pd.DataFrame
    tranches: pd.DataFrame
    warnings: List[str]
    raw: Dict[str, Any]

def run(deal: Any, *, cdr: Optional[float] = ..., cpr: Optional[float] = ..., recovery: Optional[float] = ...,
        recovery_lag_months: Optional[int] = ..., base_dir: Any = ...) -> CloResult: ...
