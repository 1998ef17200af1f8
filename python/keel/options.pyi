from typing import Any, Dict, Tuple, Union

import numpy as np
import pandas as pd

ArrayLike = Union[float, np.ndarray, pd.Series, Any]

IV_STATUS: Dict[int, str]

def price(right: Any, spot: ArrayLike, strike: ArrayLike, years: ArrayLike, vol: ArrayLike, rate: ArrayLike = ...,
          div: ArrayLike = ...) -> Union[float, np.ndarray, pd.Series]: ...
def greeks(right: Any, spot: ArrayLike, strike: ArrayLike, years: ArrayLike, vol: ArrayLike, rate: ArrayLike = ...,
           div: ArrayLike = ...) -> pd.DataFrame: ...
def implied_vol(right: Any, price: ArrayLike, spot: ArrayLike, strike: ArrayLike, years: ArrayLike,
                rate: ArrayLike = ..., div: ArrayLike = ..., errors: str = ...,
                return_status: bool = ...) -> Union[float, np.ndarray, pd.Series, Tuple[Any, Any]]: ...
