from typing import Any, Dict, Optional

import pandas as pd

class PlanResult:
    success_rate: float
    paths: pd.DataFrame
    spending: pd.DataFrame
    terminal: Dict[str, float]
    safe_withdrawal_rate: Optional[float]
    raw: Dict[str, Any]

# The other keyword arguments are the fields of the API's plan request (PlanRequest,
# docs/api-reference.md), read from its description at import (inspect.signature shows them).
def retire(balance: float, years: int = ..., **request: Any) -> PlanResult: ...
