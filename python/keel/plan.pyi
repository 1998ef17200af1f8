from typing import Any, Dict, Optional

import pandas as pd

class PlanResult:
    success_rate: float
    paths: pd.DataFrame
    spending: pd.DataFrame
    terminal: Dict[str, float]
    safe_withdrawal_rate: Optional[float]
    raw: Dict[str, Any]

def retire(balance: float, years: int = ..., *, withdrawal: Optional[float] = ...,
           withdrawal_rate: Optional[float] = ..., allocation: float = ..., strategy: str = ...,
           returns: Optional[str] = ..., history: Any = ..., block_length: int = ..., monthly: bool = ...,
           retire_in: int = ..., contribution: float = ..., income: float = ..., inflation: float = ...,
           inflation_sd: float = ..., trials: int = ..., seed: int = ..., events: Any = ...,
           target_success: Optional[float] = ...) -> PlanResult: ...
