"""European option prices, Greeks and implied volatilities over arrays (Black-Scholes-Merton).

Every argument is a scalar or an array-like; they are broadcast together (numpy rules), so a whole
chain or book is priced in one call by keel's vectorised batch kernel (AVX-512, AVX2+FMA or
baseline x86-64, chosen at run time). float64 C-contiguous arrays of the full length are used
without a copy; the GIL is released while the kernel runs.

Units (docs/options.md): spot and strike in price units; ``years`` = time to expiry in years
(act/365); ``vol``, ``rate`` and ``div`` annualised decimals, continuously compounded. Greeks:
delta per 1.00 of spot, gamma per 1.00 of spot squared, vega and rho per 1.00 (divide by 100 for
per point), theta per year (divide by 365 for per calendar day).

``right`` is ``"call"``/``"put"`` (or ``"c"``/``"p"``, any case), an array of those, or an integer
array with 0 = call and 1 = put.
"""

from __future__ import annotations

from typing import Any, Tuple

import numpy as np
import pandas as pd

from . import _keel
from .errors import InvalidInputError

__all__ = ["price", "greeks", "implied_vol", "IV_STATUS"]

#: Meaning of the status codes of ``implied_vol(..., errors="nan")`` (``return_status=True``).
IV_STATUS = {0: "ok", 1: "invalid_input", 2: "below_lower_bound", 3: "above_upper_bound"}

_GREEK_COLUMNS = ("price", "delta", "gamma", "vega", "theta", "rho", "theta_per_day", "vega_per_point", "rho_per_point")


def _rights(right: Any) -> np.ndarray:
    r = np.asarray(right)
    if r.dtype.kind in "iub":
        out = r.astype(np.uint8)
        if out.size and out.max() > 1:
            raise InvalidInputError("right: integer rights must be 0 (call) or 1 (put)")
        return out
    text = np.char.lower(np.char.strip(r.astype(str)))
    is_call = (text == "call") | (text == "c")
    is_put = (text == "put") | (text == "p")
    bad = ~(is_call | is_put)
    if bad.any():
        where = np.flatnonzero(bad)[:10]
        shown = ", ".join(f"option {i}: {text.ravel()[i]!r}" for i in where)
        raise InvalidInputError(f"right: expected 'call' or 'put' ({shown})")
    return is_put.astype(np.uint8)


def _index_of(*args: Any):
    for a in args:
        if isinstance(a, pd.Series):
            return a.index
    return None


def _columns(right: Any, *values: Any) -> Tuple[tuple, np.ndarray, Tuple[int, ...]]:
    arrays = [np.asarray(v.to_numpy() if isinstance(v, pd.Series) else v, dtype=np.float64) for v in values]
    rights = _rights(right.to_numpy() if isinstance(right, pd.Series) else right)
    try:
        shape = np.broadcast_shapes(rights.shape, *(a.shape for a in arrays))
    except ValueError as e:
        raise InvalidInputError(f"option columns do not broadcast together: {e}") from None
    # Views for full-length contiguous inputs (no copy); scalars and shorter inputs are expanded.
    cols = tuple(np.ascontiguousarray(np.broadcast_to(a, shape)).reshape(-1) for a in arrays)
    r = np.ascontiguousarray(np.broadcast_to(rights, shape)).reshape(-1)
    return cols, r, shape


def _shape_out(values: np.ndarray, shape: Tuple[int, ...], index) -> Any:
    if shape == ():
        return float(values[0])
    out = values.reshape(shape)
    if index is not None and out.ndim == 1 and len(index) == len(out):
        return pd.Series(out, index=index)
    return out


def price(right: Any, spot: Any, strike: Any, years: Any, vol: Any, rate: Any = 0.0, div: Any = 0.0) -> Any:
    """Black-Scholes-Merton price per unit of underlying of each option.

    Args:
        right: "call"/"put" (or an array of them, or 0/1 integers).
        spot, strike: underlying price and strike, >= 0.
        years: time to expiry in years (act/365), >= 0 (0 = at expiry: intrinsic value).
        vol: annualised volatility, decimal (0.25 = 25%), >= 0.
        rate, div: continuous risk-free rate and dividend yield, decimals.

    Returns:
        A float for scalar inputs, else an ndarray of the broadcast shape (a Series when an input
        is a Series, with its index).

    Raises:
        keel.errors.InvalidInputError naming every bad option index and field, e.g.
        ``option 3: vol must be a finite number >= 0, got -0.2``.

    Example:
        >>> keel.options.price("call", 100.0, [90, 100, 110], 0.5, 0.2, rate=0.03)
    """
    index = _index_of(spot, strike, years, vol, rate, div, right)
    (s, k, t, v, r, q), rights, shape = _columns(right, spot, strike, years, vol, rate, div)
    return _shape_out(_keel.bsm_price(rights, s, k, t, v, r, q), shape, index)


def greeks(right: Any, spot: Any, strike: Any, years: Any, vol: Any, rate: Any = 0.0, div: Any = 0.0) -> pd.DataFrame:
    """Price and the five Greeks of each option, as a DataFrame.

    Columns: ``price, delta, gamma, vega, theta, rho`` (vega and rho per 1.00 of vol/rate, theta
    per year), plus ``theta_per_day`` (/365), ``vega_per_point`` and ``rho_per_point`` (/100) as
    `keel options price` prints them. One row per option (flattened broadcast shape), indexed like
    the first Series argument if any.
    """
    index = _index_of(spot, strike, years, vol, rate, div, right)
    (s, k, t, v, r, q), rights, shape = _columns(right, spot, strike, years, vol, rate, div)
    # One 9 x n block written in place (six Greeks by the kernel, three rescaled rows by numpy) and
    # handed to pandas as its single float block: no copy of the results.
    block = np.empty((len(_GREEK_COLUMNS), len(s)))
    _keel.bsm_greeks(rights, s, k, t, v, r, q, block)
    np.divide(block[4], 365.0, out=block[6])
    np.divide(block[3], 100.0, out=block[7])
    np.divide(block[5], 100.0, out=block[8])
    use_index = index if index is not None and len(index) == len(s) else None
    return pd.DataFrame(block.T, columns=list(_GREEK_COLUMNS), index=use_index, copy=False)


def implied_vol(right: Any, price: Any, spot: Any, strike: Any, years: Any, rate: Any = 0.0, div: Any = 0.0,
                errors: str = "raise", return_status: bool = False) -> Any:
    """Black-Scholes-Merton implied volatility of each option price.

    Solved per option with Jaeckel's normalisation and a safeguarded Newton (docs/options.md):
    any price strictly inside the no-arbitrage bounds is inverted, to ~1e-12 relative.

    Args:
        price: option price per unit of underlying.
        errors: ``"raise"`` (default): a price on or outside the bounds, or a bad input, raises
            InvalidInputError listing every such option ("option 12: price 0.5 is below the lower
            bound 0.61 ..."); ``"nan"``: those options get NaN.
        return_status: with errors="nan", also return the uint8 status per option
            (see ``IV_STATUS``).

    Returns:
        Implied vols (annualised decimals), shaped like ``price(...)`` returns; with
        ``return_status`` a tuple (vols, status).
    """
    if errors not in ("raise", "nan"):
        raise InvalidInputError(f"errors: expected 'raise' or 'nan', got {errors!r}")
    index = _index_of(price, spot, strike, years, rate, div, right)
    (p, s, k, t, r, q), rights, shape = _columns(right, price, spot, strike, years, rate, div)
    vol, status = _keel.implied_vol(rights, p, s, k, t, r, q, errors == "raise")
    out = _shape_out(vol, shape, index)
    if return_status:
        return out, status.reshape(shape) if shape != () else int(status[0])
    return out
