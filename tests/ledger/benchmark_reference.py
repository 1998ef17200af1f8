#!/usr/bin/env python3
"""`keel ledger performance --benchmark` against numpy/pandas computing the same definitions
(docs/ledger.md, "Benchmarks") from the same files.

The account is examples/ledger/transactions.csv valued at examples/ledger/prices.csv; the
benchmarks are KO alone and a 60:KO,40:PG blend rebalanced at every month end, their closes taken
from examples/market/prices.csv. This script replays the ledger itself (cash to the cent with
Python's decimal, shares, the last close on or before each date), measures the daily time-weighted
returns, builds the benchmark index, computes every figure with numpy and pandas and requires
keel's JSON to agree within 1e-10 (relative for amounts of money).

    benchmark_reference.py KEEL SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

TOL = 1e-10


def cents(x):
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def dec(text):
    return Decimal(text) if text not in ("", None) else None


def read_transactions(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = []
    for _, r in df.iterrows():
        rows.append({"date": date.fromisoformat(r["date"]), "type": r["type"].upper(), "symbol": r["symbol"],
                     "quantity": dec(r["quantity"]) or Decimal(0), "price": dec(r["price"]) or Decimal(0),
                     "fees": dec(r["fees"]) or Decimal(0), "amount": dec(r["amount"])})
    # Date order, file order within a day (a stable sort).
    return sorted(rows, key=lambda t: t["date"])


def cash_effect(t):
    gross = cents(t["quantity"] * t["price"])
    kind, amount = t["type"], t["amount"]
    if kind == "BUY":
        return -(amount if amount is not None else gross + t["fees"])
    if kind == "SELL":
        return amount if amount is not None else gross - t["fees"]
    if kind in ("DIVIDEND", "INTEREST", "DISTRIBUTION"):
        return amount if amount is not None else gross
    if kind == "DEPOSIT":
        return amount or Decimal(0)
    if kind in ("WITHDRAWAL", "WITHHOLDING"):
        return -(amount or Decimal(0))
    if kind == "FEE":
        return -(amount if amount is not None else t["fees"])
    raise SystemExit(f"the reference does not replay {kind}")


def daily_values(txs, closes, end):
    """(date, value, flow) per price date and transaction date from the first transaction to end."""
    start = txs[0]["date"]
    dates = sorted({d for d in closes.index if start <= d <= end} | {t["date"] for t in txs if t["date"] <= end})
    qty, last, cash, out, k = {}, {}, 0.0, [], 0
    price_dates = list(closes.index)
    p = 0
    for d in dates:
        flow = 0.0
        while p < len(price_dates) and price_dates[p] <= d:
            for sym, v in closes.loc[price_dates[p]].items():
                if not np.isnan(v):
                    last[sym] = v
            p += 1
        while k < len(txs) and txs[k]["date"] <= d:
            t = txs[k]
            k += 1
            cash += float(cash_effect(t))
            q = float(t["quantity"])
            if t["type"] == "BUY":
                qty[t["symbol"]] = qty.get(t["symbol"], 0.0) + q
                last.setdefault(t["symbol"], float(t["price"]))
            elif t["type"] == "SELL":
                qty[t["symbol"]] = qty.get(t["symbol"], 0.0) - q
            elif t["type"] == "DEPOSIT":
                flow += float(t["amount"])
            elif t["type"] == "WITHDRAWAL":
                flow -= float(t["amount"])
        value = cash + sum(q * last[s] for s, q in qty.items() if q != 0.0 and s in last)
        out.append((d, value, 0.0 if not out else flow))
    return pd.DataFrame(out, columns=["date", "value", "flow"])


def xirr(dates, amounts):
    """The rate solving sum CF / (1 + r)^(days / 365) = 0: bisection on a sign change."""
    t = np.array([(d - dates[0]).days / 365.0 for d in dates])
    cf = np.array(amounts)
    f = lambda r: float(np.sum(cf / (1.0 + r) ** t))
    grid = [-0.9999, -0.99, -0.9, -0.5, -0.2, 0.0, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0, 1e4]
    for lo, hi in zip(grid, grid[1:]):
        flo, fhi = f(lo), f(hi)
        if flo == 0:
            return lo
        if flo * fhi < 0:
            for _ in range(200):
                mid = 0.5 * (lo + hi)
                fm = f(mid)
                if (fm < 0) == (flo < 0):
                    lo, flo = mid, fm
                else:
                    hi = mid
                if hi - lo < 1e-15:
                    break
            return 0.5 * (lo + hi)
    return None


def drawdown(dates, wealth):
    peak, peak_date, best = wealth[0], dates[0], (0.0, None, None)
    for d, w in zip(dates[1:], wealth[1:]):
        if w >= peak:
            peak, peak_date = w, d
            continue
        depth = 1.0 - w / peak
        if depth > best[0]:
            best = (depth, peak_date, d)
    return best


def reference(series, bench_closes, weights, ppy=252, rf=0.0):
    dates = list(series["date"])
    v = series["value"].to_numpy()
    fl = series["flow"].to_numpy()
    base = v[:-1] + fl[1:]
    r = np.where(base > 0, v[1:] / np.where(base > 0, base, 1.0) - 1.0, 0.0)
    # Components at their last close on or before each date; the blend back to its weights at the
    # last point of each month.
    px = bench_closes.reindex(bench_closes.index.union(dates)).sort_index().ffill().loc[dates]
    w = pd.Series(weights) / sum(weights.values())
    index = [1.0]
    units = w * index[0] / px.iloc[0][w.index]
    for i in range(1, len(dates)):
        index.append(float((units * px.iloc[i][w.index]).sum()))
        if i + 1 < len(dates) and dates[i + 1].month != dates[i].month:
            units = w * index[i] / px.iloc[i][w.index]
    index = np.array(index)
    b = index[1:] / index[:-1] - 1.0
    days = (dates[-1] - dates[0]).days
    wp, wb = np.prod(1 + r), np.prod(1 + b)
    a = r - b
    sd_a = np.std(a, ddof=1)
    cov = np.cov(r, b, ddof=1)
    beta = cov[0, 1] / cov[1, 1]
    rfd = rf / ppy
    out = {
        "portfolio_return": wp - 1, "benchmark_return": wb - 1, "excess_return": (wp - 1) - (wb - 1),
        "portfolio_cagr": wp ** (365 / days) - 1, "benchmark_cagr": wb ** (365 / days) - 1,
        "benchmark_volatility": np.std(b, ddof=1) * np.sqrt(ppy),
        "tracking_error": sd_a * np.sqrt(ppy), "information_ratio": a.mean() / sd_a * np.sqrt(ppy),
        "beta": beta, "alpha": (r.mean() - rfd - beta * (b.mean() - rfd)) * ppy,
        "correlation": np.corrcoef(r, b)[0, 1],
        "up_capture": r[b > 0].mean() / b[b > 0].mean(), "down_capture": r[b < 0].mean() / b[b < 0].mean(),
    }
    out["excess_cagr"] = out["portfolio_cagr"] - out["benchmark_cagr"]
    depth, peak, trough = drawdown(dates, np.concatenate([[1.0], np.cumprod(1 + b)]))
    out["benchmark_drawdown.depth"] = depth
    out["benchmark_drawdown.peak"] = peak.isoformat()
    out["benchmark_drawdown.trough"] = trough.isoformat()
    frame = pd.DataFrame({"r": r, "b": b}, index=pd.to_datetime(dates[1:]))
    for kind, fmt in (("monthly", "%Y-%m"), ("annual", "%Y")):
        g = (1 + frame).groupby(frame.index.strftime(fmt)).prod() - 1
        for i, (period, row) in enumerate(g.iterrows()):
            out[f"{kind}[{i}].period"] = period
            out[f"{kind}[{i}].portfolio"] = row["r"]
            out[f"{kind}[{i}].benchmark"] = row["b"]
            out[f"{kind}[{i}].excess"] = row["r"] - row["b"]
        out[f"{kind}.count"] = len(g)
    # Rolling twelve months at each month's last point with a full year of points behind it.
    k = 0
    for t in range(1, len(dates)):
        if t + 1 < len(dates) and dates[t + 1].month == dates[t].month:
            continue
        try:
            begin = dates[t].replace(year=dates[t].year - 1)
        except ValueError:  # 29 February: the 28th, as keel's add_years clamps
            begin = dates[t].replace(year=dates[t].year - 1, day=28)
        if dates[0] > begin:
            continue
        sel = np.array([begin < d <= dates[t] for d in dates[1:]])
        wr, wb = r[sel], b[sel]
        c = np.cov(wr, wb, ddof=1)
        out[f"rolling_12m[{k}].end"] = dates[t].isoformat()
        out[f"rolling_12m[{k}].portfolio_return"] = np.prod(1 + wr) - 1
        out[f"rolling_12m[{k}].benchmark_return"] = np.prod(1 + wb) - 1
        out[f"rolling_12m[{k}].portfolio_volatility"] = np.sqrt(c[0, 0]) * np.sqrt(ppy)
        out[f"rolling_12m[{k}].benchmark_volatility"] = np.sqrt(c[1, 1]) * np.sqrt(ppy)
        out[f"rolling_12m[{k}].beta"] = c[0, 1] / c[1, 1]
        k += 1
    out["rolling_12m.count"] = k
    held = v[0] / index[0]
    flows_d, flows_a = [dates[0]], [-v[0]]
    for i in range(1, len(dates)):
        if fl[i] != 0.0:
            held += fl[i] / index[i - 1]
            flows_d.append(dates[i])
            flows_a.append(-fl[i])
    end = held * index[-1]
    out["same_flows.end_value"] = end
    out["same_flows.xirr"] = xirr(flows_d + [dates[-1]], flows_a + [end])
    return out


def flatten(b):
    out = {}
    for k, v in b.items():
        if isinstance(v, dict):
            for k2, v2 in v.items():
                out[f"{k}.{k2}"] = v2
        elif isinstance(v, list) and k in ("monthly", "annual", "rolling_12m"):
            out[f"{k}.count"] = len(v)
            for i, item in enumerate(v):
                for k2, v2 in item.items():
                    out[f"{k}[{i}].{k2}"] = v2
        else:
            out[k] = v
    return out


def main():
    keel, source = sys.argv[1], sys.argv[2]
    ledger_dir = os.path.join(source, "examples", "ledger")
    market = pd.read_csv(os.path.join(source, "examples", "market", "prices.csv"))
    ledger_px = pd.read_csv(os.path.join(ledger_dir, "prices.csv"))
    bench = market[market["symbol"].isin(["KO", "PG"])]
    bench = bench[(bench["date"] >= "2015-01-01") & (bench["date"] <= "2017-12-06")]
    with tempfile.TemporaryDirectory() as tmp:
        prices_file = os.path.join(tmp, "prices.csv")
        pd.concat([ledger_px[["date", "symbol", "close"]], bench[["date", "symbol", "close"]]]).to_csv(
            prices_file, index=False)
        tx_file = os.path.join(ledger_dir, "transactions.csv")
        txs = read_transactions(tx_file)
        closes = ledger_px.pivot(index="date", columns="symbol", values="close")
        closes.index = [date.fromisoformat(d) for d in closes.index]
        bench_closes = bench.pivot(index="date", columns="symbol", values="close")
        bench_closes.index = [date.fromisoformat(d) for d in bench_closes.index]
        end = max(max(closes.index), max(bench_closes.index), txs[-1]["date"])
        series = daily_values(txs, closes, end)
        checked, problems = 0, []
        for spec, weights in (("KO", {"KO": 1.0}), ("60:KO,40:PG", {"KO": 60.0, "PG": 40.0})):
            run = subprocess.run([keel, "--format", "json", "ledger", "performance", "--transactions", tx_file,
                                  "--prices", prices_file, "--benchmark", spec],
                                 capture_output=True, text=True, check=True)
            got = json.loads(run.stdout)
            if got["points"] != len(series):
                problems.append(f"{spec}: {got['points']} points, the reference has {len(series)}")
            mine = flatten(got["benchmark"])
            want = reference(series, bench_closes, weights)
            for key, expected in want.items():
                actual = mine.get(key)
                if isinstance(expected, str) or key.endswith(".count"):
                    ok = actual == expected
                elif expected is None or actual is None:
                    ok = expected is None and actual is None
                else:
                    scale = max(1.0, abs(expected)) if key == "same_flows.end_value" else 1.0
                    ok = abs(actual - expected) <= TOL * scale
                checked += 1
                if not ok:
                    problems.append(f"{spec}: {key}: keel {actual}, reference {expected}")
    for p in problems:
        print("MISMATCH", p)
    print(f"{checked} figures compared, {len(problems)} outside {TOL:g}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
