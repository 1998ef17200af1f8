"""Factor models: betas of many return series on a few factors (ordinary least squares).

``betas`` runs keel's batch regression (keel/factors/regression.h): one Cholesky factorisation of
the centred design shared by every series and one matrix product, split over threads for large
batches; the GIL is released meanwhile. Formulas (Greene, Econometric Analysis, ch. 3-4) and the
`keel risk factors` workflow are in docs/factors.md.
"""

from __future__ import annotations

import dataclasses
from typing import Any, List, Optional

import numpy as np
import pandas as pd

from . import _keel
from .errors import InvalidInputError

__all__ = ["betas", "FactorFit"]


@dataclasses.dataclass(frozen=True)
class FactorFit:
    """OLS fits ``y_j = alpha_j + F beta_j + e_j`` of every series j.

    Attributes:
        betas: series x factors DataFrame of slopes.
        beta_se, beta_t: their standard errors and t-statistics (same shape).
        stats: per series ``alpha`` (per period), ``alpha_annual`` (x periods_per_year),
            ``alpha_se``, ``alpha_t``, ``r2``, ``adj_r2``, ``residual_vol`` (per period),
            ``residual_vol_annual``, ``observations``.
        observations: dates used (T).
    """

    betas: pd.DataFrame
    beta_se: pd.DataFrame
    beta_t: pd.DataFrame
    stats: pd.DataFrame
    observations: int

    @property
    def alpha(self) -> pd.Series:
        return self.stats["alpha"]

    @property
    def r2(self) -> pd.Series:
        return self.stats["r2"]


def betas(returns: Any, factors: Any, *, periods_per_year: float = 252.0, missing: str = "error") -> FactorFit:
    """Regress every column of ``returns`` on ``factors`` with an intercept.

    Args:
        returns: T x N returns (DataFrame with dates as index, or 2-D array; a Series or 1-D array
            is one series), decimal per period. Subtract the risk-free rate first for excess
            returns, as `keel risk factors` does.
        factors: T x K factor returns (DataFrame or 2-D array), same units. DataFrames are aligned
            on their common dates.
        periods_per_year: annualisation of alpha and residual vol (252 for daily data).
        missing: ``"error"`` (a NaN return is an error naming observation and series) or
            ``"per_series"`` (each series is fitted on its own non-NaN rows; too few rows give NaN).

    Returns:
        A :class:`FactorFit`. A C-contiguous float64 ndarray is read without a copy (a DataFrame
        is copied once into dates x series order).

    Raises:
        keel.errors.InvalidInputError: T <= K + 1, collinear or constant factors (named),
            non-finite values, mismatched lengths.

    Example:
        >>> fit = keel.factors.betas(stock_excess_returns, ff5[["mkt_rf", "smb", "hml", "rmw", "cma"]])
        >>> fit.betas.loc["AAPL", "mkt_rf"]
    """
    if missing not in ("error", "per_series"):
        raise InvalidInputError(f"missing: expected 'error' or 'per_series', got {missing!r}")
    if isinstance(returns, pd.Series):
        returns = returns.to_frame()
    if isinstance(factors, pd.Series):
        factors = factors.to_frame()
    if isinstance(returns, pd.DataFrame) and isinstance(factors, pd.DataFrame) and not returns.index.equals(factors.index):
        common = returns.index.intersection(factors.index)
        returns, factors = returns.loc[common], factors.loc[common]
    series_names: List[str] = [str(c) for c in returns.columns] if isinstance(returns, pd.DataFrame) else []
    factor_names: List[str] = [str(c) for c in factors.columns] if isinstance(factors, pd.DataFrame) else []
    y = returns.to_numpy(dtype=np.float64) if isinstance(returns, pd.DataFrame) else np.asarray(returns, np.float64)
    x = factors.to_numpy(dtype=np.float64) if isinstance(factors, pd.DataFrame) else np.asarray(factors, np.float64)
    if y.ndim == 1:
        y = y.reshape(-1, 1)
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    if not series_names:
        series_names = [f"series{j}" for j in range(y.shape[1])]
    if not factor_names:
        factor_names = [f"factor{k}" for k in range(x.shape[1])]
    f = _keel.fit_factor_model(y, x, factor_names, float(periods_per_year), missing == "per_series")
    idx = pd.Index(series_names, name="series")
    cols = pd.Index(factor_names, name="factor")
    stats = pd.DataFrame({k: f[k] for k in ("alpha", "alpha_annual", "alpha_se", "alpha_t", "r2", "adj_r2",
                                            "residual_vol", "residual_vol_annual")}, index=idx)
    stats["observations"] = f["series_observations"]
    return FactorFit(betas=pd.DataFrame(f["betas"], index=idx, columns=cols),
                     beta_se=pd.DataFrame(f["beta_se"], index=idx, columns=cols),
                     beta_t=pd.DataFrame(f["beta_t"], index=idx, columns=cols),
                     stats=stats, observations=int(f["observations"]))
