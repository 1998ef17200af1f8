#!/usr/bin/python3
"""Peer for `keel ledger income` and `keel ledger performance --benchmark`: the same income table
and benchmark comparison computed with pandas (Debian's python3-pandas) from the same files, the
way a user would write it in a notebook.

Usage: /usr/bin/python3 bench/peers/ledger_income_pandas_peer.py TRANSACTIONS.csv PRICES.csv
         [--benchmark SPY] [--periods-per-year 252]

TRANSACTIONS.csv is keel's canonical transactions CSV (docs/ledger.md; the columns date, type,
symbol, quantity, price, fees, amount are read), PRICES.csv `date,symbol,close`.

- Income: gross (DIVIDEND, DISTRIBUTION, INTEREST), withholding (WITHHOLDING) and net, by
  calendar month and by symbol.
- Benchmark: the household's end-of-day value on every date of the closes and the transactions
  (shares held x the last close, a symbol without a close yet at its first trade price, plus cash:
  each row's cash effect, buys and sales at quantity x price to the cent plus or minus fees, or the
  row's amount); external flows DEPOSIT and WITHDRAWAL. Daily return r_t = V_t / (V_{t-1} + F_t) - 1
  (flows at the start of the day, as keel's TWR), linked into the TWR; the benchmark's daily
  return from its last close on or before each date; tracking error = sd(r - b) sqrt(P), beta =
  cov(r, b) / var(b) (sample, n - 1).

Prints JSON: the totals and a few rows of each table, the figures, and the seconds of each step.
"""
import argparse
import json
import time

import numpy as np
import pandas as pd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("transactions")
    ap.add_argument("prices")
    ap.add_argument("--benchmark", default="SPY")
    ap.add_argument("--periods-per-year", type=float, default=252.0)
    a = ap.parse_args()
    seconds = {}
    t0 = time.perf_counter()
    tx = pd.read_csv(a.transactions, usecols=["date", "type", "symbol", "quantity", "price", "fees", "amount"],
                     dtype={"type": "category", "symbol": "category"}, parse_dates=["date"])
    seconds["read transactions"] = time.perf_counter() - t0

    # Income.
    t = time.perf_counter()
    income = tx[tx["type"].isin(["DIVIDEND", "DISTRIBUTION", "INTEREST", "WITHHOLDING"])].copy()
    amount = income["amount"].fillna(income["quantity"] * income["price"]).round(2)
    withheld = income["type"] == "WITHHOLDING"
    income["gross"] = np.where(withheld, 0.0, amount)
    income["withholding"] = np.where(withheld, amount, 0.0)
    income["month"] = income["date"].dt.strftime("%Y-%m")
    by_month = income.groupby("month")[["gross", "withholding"]].sum()
    by_month["net"] = by_month["gross"] - by_month["withholding"]
    by_symbol = income.groupby(income["symbol"].astype(str).replace("nan", ""))[["gross", "withholding"]].sum()
    by_symbol["net"] = by_symbol["gross"] - by_symbol["withholding"]
    seconds["income tables"] = time.perf_counter() - t

    # Daily values.
    t = time.perf_counter()
    px = pd.read_csv(a.prices, usecols=["date", "symbol", "close"], dtype={"symbol": "category"}, parse_dates=["date"])
    closes = px.pivot(index="date", columns="symbol", values="close")
    seconds["read prices"] = time.perf_counter() - t
    t = time.perf_counter()
    kind = tx["type"].astype(str)
    qty = tx["quantity"].fillna(0.0)
    price = tx["price"].fillna(0.0)
    fees = tx["fees"].fillna(0.0)
    amt = tx["amount"]
    trade = (qty * price).round(2)
    cash = np.select(
        [kind == "BUY", kind == "SELL", kind.isin(["DIVIDEND", "DISTRIBUTION", "INTEREST", "DEPOSIT"]),
         kind.isin(["WITHHOLDING", "WITHDRAWAL", "FEE"])],
        [-(amt.fillna(trade + fees)), amt.fillna(trade - fees), amt.fillna(0.0), -amt.fillna(fees)], 0.0)
    flow = np.select([kind == "DEPOSIT", kind == "WITHDRAWAL"], [amt.fillna(0.0), -amt.fillna(0.0)], 0.0)
    delta = np.select([kind == "BUY", kind == "SELL"], [qty, -qty], 0.0)
    dates = closes.index.union(pd.DatetimeIndex(tx["date"].unique())).sort_values()
    trades = tx.assign(delta=delta)[delta != 0]
    shares = trades.pivot_table(index="date", columns="symbol", values="delta", aggfunc="sum", observed=True)
    shares = shares.reindex(dates, fill_value=0.0).fillna(0.0).cumsum()
    first_trade = tx[kind == "BUY"].groupby("symbol", observed=True)["price"].first()
    last = closes.reindex(dates).ffill().reindex(columns=shares.columns)
    last = last.fillna(first_trade.reindex(shares.columns))
    cash_eod = pd.Series(cash, index=tx["date"]).groupby(level=0).sum().reindex(dates, fill_value=0.0).cumsum()
    flows = pd.Series(flow, index=tx["date"]).groupby(level=0).sum().reindex(dates, fill_value=0.0)
    value = (shares * last).sum(axis=1) + cash_eod
    seconds["daily values"] = time.perf_counter() - t

    # Benchmark comparison.
    t = time.perf_counter()
    r = (value / (value.shift(1) + flows) - 1.0).iloc[1:]
    bench = closes[a.benchmark].reindex(dates).ffill()
    b = bench.pct_change().iloc[1:]
    twr = float((1.0 + r).prod() - 1.0)
    active = r - b
    tracking_error = float(active.std(ddof=1) * np.sqrt(a.periods_per_year))
    beta = float(np.cov(r, b, ddof=1)[0, 1] / b.var(ddof=1))
    seconds["benchmark"] = time.perf_counter() - t
    seconds["total"] = time.perf_counter() - t0

    def rows(df, n):
        return {str(k): {c: round(float(v), 2) for c, v in row.items()} for k, row in df.head(n).iterrows()}

    print(json.dumps({
        "income": {"gross": round(float(by_month["gross"].sum()), 2),
                   "withholding": round(float(by_month["withholding"].sum()), 2),
                   "net": round(float(by_month["net"].sum()), 2),
                   "months": len(by_month), "symbols": len(by_symbol),
                   "first_months": rows(by_month, 3), "first_symbols": rows(by_symbol, 3)},
        "performance": {"points": len(value), "end_value": round(float(value.iloc[-1]), 2), "twr": twr,
                        "benchmark_return": float(bench.iloc[-1] / bench.iloc[0] - 1.0),
                        "tracking_error": tracking_error, "beta": beta},
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
    }, indent=1))


if __name__ == "__main__":
    main()
