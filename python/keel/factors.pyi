from typing import Any

import pandas as pd

class FactorFit:
    betas: pd.DataFrame
    beta_se: pd.DataFrame
    beta_t: pd.DataFrame
    stats: pd.DataFrame
    observations: int
    @property
    def alpha(self) -> pd.Series: ...
    @property
    def r2(self) -> pd.Series: ...

def betas(returns: Any, factors: Any, *, periods_per_year: float = ..., missing: str = ...) -> FactorFit: ...
