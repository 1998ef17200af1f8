from typing import Any, Dict, List

import pandas as pd

class CloResult:
    periods: pd.DataFrame
    tranche_flows: pd.DataFrame
    tests: pd.DataFrame
    tranches: pd.DataFrame
    warnings: List[str]
    raw: Dict[str, Any]

def run(deal: Any, *, base_dir: Any = ..., **request: Any) -> CloResult: ...
