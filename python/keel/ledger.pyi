from typing import Any, Dict, List, Optional

import pandas as pd

class LedgerBook:
    lots: pd.DataFrame
    gains: pd.DataFrame
    income: pd.DataFrame
    cash: Dict[str, Any]
    transactions: int
    warnings: List[str]

def book(transactions: Any, method: Optional[str] = ..., *, mapping: Any = ..., allow_short: bool = ...,
         wash_sales: bool = ..., as_of: Any = ..., account: str = ..., money: str = ...) -> LedgerBook: ...
