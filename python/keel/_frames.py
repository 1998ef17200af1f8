"""Conversions between pandas/numpy objects and what the extension module takes (private)."""

from __future__ import annotations

import datetime as _dt
import json
import os
from typing import Any, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from .errors import InvalidInputError

_EPOCH = np.datetime64("1970-01-01", "D")


def day_numbers(index: Any, rows: int) -> np.ndarray:
    """Days since 1970-01-01 (int32) of a date index; 0, 1, 2, ... when the index holds no dates."""
    if index is None:
        return np.arange(rows, dtype=np.int32)
    if isinstance(index, pd.MultiIndex):
        raise InvalidInputError("expected a date index, got a MultiIndex")
    values = pd.Index(index)
    if values.inferred_type in ("integer", "empty") and not isinstance(values, pd.DatetimeIndex):
        return np.arange(rows, dtype=np.int32)
    try:
        dates = pd.DatetimeIndex(pd.to_datetime(values))
    except (ValueError, TypeError) as e:
        raise InvalidInputError(f"index: expected dates, {e}") from None
    if dates.tz is not None:
        dates = dates.tz_localize(None)
    return (dates.values.astype("datetime64[D]") - _EPOCH).astype(np.int32)


def day_number(date: Any) -> Optional[int]:
    """Days since 1970-01-01 of a date-like value (``"2017-12-06"``, date, Timestamp), or None."""
    if date is None:
        return None
    try:
        ts = pd.Timestamp(date)
    except (ValueError, TypeError) as e:
        raise InvalidInputError(f"expected a date (YYYY-MM-DD), got {date!r}: {e}") from None
    return int((np.datetime64(ts.date(), "D") - _EPOCH).astype(np.int64))


def iso_date(date: Any) -> str:
    """``YYYY-MM-DD`` of a date-like value (``"2017-12-06"``, date, Timestamp), as a request takes it."""
    day = day_number(date)
    if day is None:
        raise InvalidInputError("expected a date (YYYY-MM-DD), got None")
    return str(_EPOCH + np.timedelta64(day, "D"))


def is_path(obj: Any) -> bool:
    return isinstance(obj, (str, os.PathLike))


def factors_file(factors: Any, directory: str) -> str:
    """The path of a factor table: a CSV path as given, or a DataFrame (index dates) written as
    ``factors.csv`` in ``directory`` with ISO dates and full precision, for keel's factor reader."""
    if is_path(factors):
        return os.fspath(factors)
    if not isinstance(factors, pd.DataFrame):
        raise InvalidInputError("factors: expected a DataFrame (index dates) or a CSV path")
    frame = factors.copy()
    frame.index = pd.DatetimeIndex(pd.to_datetime(frame.index)).strftime("%Y-%m-%d")
    frame.index.name = "date"
    path = os.path.join(directory, "factors.csv")
    frame.to_csv(path, float_format="%.17g")
    return path


def table_text(obj: Any, what: str) -> Tuple[str, str]:
    """(display name, CSV text) of a table given as a DataFrame, a list of records or a file path.

    DataFrames are written with ISO dates and empty cells for missing values, so keel's readers
    check them cell by cell exactly as they check a file; errors name ``<what>:line:column`` with
    line 1 the header and line 2 the first row.
    """
    if is_path(obj):
        path = os.fspath(obj)
        try:
            with open(path, "r", encoding="utf-8") as f:
                return path, f.read()
        except FileNotFoundError:
            from .errors import NotFoundError

            raise NotFoundError(f"{what}: no such file '{path}'") from None
    if isinstance(obj, (list, tuple)):
        obj = pd.DataFrame.from_records(obj)
    if isinstance(obj, pd.Series):
        obj = obj.to_frame()
    if not isinstance(obj, pd.DataFrame):
        raise InvalidInputError(f"{what}: expected a DataFrame, a list of records or a file path, "
                                f"got {type(obj).__name__}")
    frame = obj
    if not isinstance(frame.index, pd.RangeIndex) and frame.index.name is not None:
        frame = frame.reset_index()
    frame = frame.copy(deep=False)
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            frame[col] = s.dt.strftime("%Y-%m-%d")
        elif s.dtype == object:
            frame[col] = s.map(_cell)
    return f"<{what}>", frame.to_csv(index=False, na_rep="", lineterminator="\n")


def _cell(v: Any) -> Any:
    if isinstance(v, (_dt.date, pd.Timestamp)):
        return pd.Timestamp(v).strftime("%Y-%m-%d")
    if isinstance(v, (list, tuple)):
        return ";".join(str(x) for x in v)
    return v


def wide_prices(prices: Any, what: str = "prices") -> Tuple[np.ndarray, np.ndarray, list]:
    """(values dates x symbols float64, day numbers, symbols) of a wide price DataFrame."""
    if not isinstance(prices, pd.DataFrame):
        raise InvalidInputError(f"{what}: expected a DataFrame of prices (index dates, one column per symbol)")
    values = np.ascontiguousarray(prices.to_numpy(dtype=np.float64, na_value=np.nan))
    days = day_numbers(prices.index, len(prices))
    return values, days, [str(c) for c in prices.columns]


def records(rows: Sequence[dict], index: Optional[str] = None) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows))
    if index is not None and index in frame.columns:
        frame = frame.set_index(index)
    return frame


def loads(text: str) -> Any:
    return json.loads(text)


def dumps(obj: Any) -> str:
    return json.dumps(obj, default=_json_default)


def _json_default(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, (pd.Series, pd.Index)):
        return v.tolist()
    if isinstance(v, pd.DataFrame):
        return v.to_dict(orient="records")
    if isinstance(v, (_dt.date, pd.Timestamp)):
        return pd.Timestamp(v).strftime("%Y-%m-%d")
    raise TypeError(f"cannot send a {type(v).__name__} to keel")
