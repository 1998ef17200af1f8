from typing import Any, Dict, List, Optional

import pandas as pd

class LedgerBook:
    lots: pd.DataFrame
    gains: pd.DataFrame
    income: pd.DataFrame
    cash: Dict[str, Any]
    transactions: int
    warnings: List[str]

def book(transactions: Any, method: Optional[str] = ..., *, mapping: Any = ..., account: str = ..., money: str = ...,
         **request: Any) -> LedgerBook: ...

class LedgerPerformance:
    summary: Dict[str, Any]
    max_drawdown: Dict[str, Any]
    monthly: pd.DataFrame
    quarterly: pd.DataFrame
    annual: pd.DataFrame
    series: Optional[pd.DataFrame]
    benchmark: Optional[Dict[str, Any]]
    warnings: List[str]

# performance's and income's other keyword arguments are the fields of the API's requests (the
# queries of GET /api/v1/accounts/{id}/performance and .../income), read from their descriptions
# at import (inspect.signature shows them).
def performance(transactions: Any, prices: Any, *, fx: Any = ..., currency: str = ..., account: Optional[str] = ...,
                **request: Any) -> LedgerPerformance: ...

class LedgerIncome:
    totals: pd.DataFrame
    groups: pd.DataFrame
    holdings: pd.DataFrame
    payments: pd.DataFrame
    calendar: pd.DataFrame
    summary: Dict[str, Any]
    warnings: List[str]

def income(transactions: Any, prices: Any = ..., *, account: Optional[str] = ..., currency: str = ..., fx: Any = ...,
           **request: Any) -> LedgerIncome: ...
