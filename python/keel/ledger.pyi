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

class LedgerPerformance:
    summary: Dict[str, Any]
    max_drawdown: Dict[str, Any]
    monthly: pd.DataFrame
    quarterly: pd.DataFrame
    annual: pd.DataFrame
    series: Optional[pd.DataFrame]
    benchmark: Optional[Dict[str, Any]]
    warnings: List[str]

def performance(transactions: Any, prices: Any, *, fx: Any = ..., reporting_currency: Optional[str] = ...,
                currency: str = ..., account: Optional[str] = ..., from_date: Any = ..., as_of: Any = ...,
                benchmark: Optional[str] = ..., risk_free: float = ..., periods_per_year: int = ...,
                series: bool = ..., method: Optional[str] = ...) -> LedgerPerformance: ...

class LedgerIncome:
    totals: pd.DataFrame
    groups: pd.DataFrame
    holdings: pd.DataFrame
    payments: pd.DataFrame
    calendar: pd.DataFrame
    summary: Dict[str, Any]
    warnings: List[str]

def income(transactions: Any, prices: Any = ..., *, by: str = ..., from_date: Any = ..., to_date: Any = ...,
           account: Optional[str] = ..., currency: str = ..., fx: Any = ...) -> LedgerIncome: ...
