#!/usr/bin/python3
"""numpy peer of keel's factor engine (bench/factors_betas_bench.cpp, tests/factors).

Independent implementation with pandas/numpy only: daily simple returns of adjusted closes,
excess over the Fama-French rf, OLS with intercept by np.linalg.lstsq, textbook standard errors
s^2 (X'X)^-1, R^2, annualised alpha (x 252) and residual vol (x sqrt 252).

  check mode: /usr/bin/python3 bench/peers/factors_betas.py --check AAPL MSFT XOM
      prints the betas of these symbols on examples/market (last 252 returns to 2017-12-06)
  bench mode: /usr/bin/python3 bench/peers/factors_betas.py
      times, on the 489 stocks of ../shared/data/equities with the FF5 file of ../shared/data/factors,
      (a) betas, alpha, t-stats, R^2, residual vol of every stock over 252 and 1,260 days (a stock
          with gaps is fitted on its own valid days, one lstsq per such stock; the complete ones in
          one lstsq with many right-hand sides), value-weighted and regression portfolio betas, and
      (b) all six historical scenarios on an equal-weight book (direct: exposure x beta . shock).
      Inputs are loaded once, outside the timing, like the C++ benchmark.
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
SHARED = os.path.join(ROOT, "..", "shared", "data")


def load_returns(prices_csv):
    df = pd.read_csv(prices_csv, usecols=["date", "symbol", "adj_close"])
    df = df.drop_duplicates(["date", "symbol"])
    wide = df.pivot(index="date", columns="symbol", values="adj_close")
    wide.index = pd.to_datetime(wide.index)
    # A return needs prices on two consecutive dates of the file; else NaN (a gap).
    return wide / wide.shift(1) - 1.0


def load_ff(path):
    ff = pd.read_csv(path, parse_dates=["date"]).set_index("date") / 100.0
    ff.columns = [c.lower() for c in ff.columns]
    return ff


def ols_many(Y, F, ppy=252.0):
    """Y: T x N (no NaN), F: T x K. Returns dict of arrays (N,) / (N, K)."""
    T, K = F.shape
    X = np.column_stack([np.ones(T), F])
    B, _, _, _ = np.linalg.lstsq(X, Y, rcond=None)
    E = Y - X @ B
    ssr = (E * E).sum(axis=0)
    dof = T - K - 1
    s2 = ssr / dof
    inv = np.linalg.inv(X.T @ X)
    se = np.sqrt(np.outer(np.diag(inv), s2))  # (K+1) x N
    Yc = Y - Y.mean(axis=0)
    sst = (Yc * Yc).sum(axis=0)
    return {"alpha": B[0] * ppy, "betas": B[1:].T, "t": (B / se).T, "r2": 1.0 - ssr / sst,
            "resid_vol": np.sqrt(s2 * ppy)}


def fit_all(R, F):
    """R: T x N with NaN gaps. Complete columns in one lstsq, the others one by one."""
    T, N = R.shape
    K = F.shape[1]
    betas = np.full((N, K), np.nan)
    alpha = np.full(N, np.nan)
    r2 = np.full(N, np.nan)
    tstat = np.full((N, K + 1), np.nan)
    complete = ~np.isnan(R).any(axis=0)
    idx = np.where(complete)[0]
    if len(idx):
        o = ols_many(R[:, idx], F)
        betas[idx], alpha[idx], r2[idx], tstat[idx] = o["betas"], o["alpha"], o["r2"], o["t"]
    for j in np.where(~complete)[0]:
        ok = ~np.isnan(R[:, j])
        if ok.sum() <= K + 1:
            continue
        o = ols_many(R[ok, j:j + 1], F[ok])
        betas[j], alpha[j], r2[j], tstat[j] = o["betas"][0], o["alpha"][0], o["r2"][0], o["t"][0]
    return betas, alpha, r2, tstat


def check(symbols):
    R = load_returns(os.path.join(ROOT, "examples", "market", "prices.csv"))[symbols].dropna()
    ff = load_ff(os.path.join(ROOT, "examples", "market", "ff5_daily_2012_2017.csv"))
    R = R.iloc[-252:]
    f = ff.loc[R.index]
    names = ["mkt_rf", "smb", "hml", "rmw", "cma"]
    Y = R.values - f["rf"].values[:, None]
    o = ols_many(Y, f[names].values)
    out = {}
    for j, s in enumerate(symbols):
        out[s] = {"betas": dict(zip(names, o["betas"][j].tolist())), "alpha_annual": float(o["alpha"][j]),
                  "r2": float(o["r2"][j]), "t_stats": dict(zip(names, o["t"][j, 1:].tolist())),
                  "residual_vol_annual": float(o["resid_vol"][j]), "first": str(R.index[0].date()),
                  "last": str(R.index[-1].date())}
    json.dump(out, sys.stdout, indent=1)
    print()


SCENARIOS = json.load(open(os.path.join(ROOT, "data", "stress", "scenarios.json")))["scenarios"]


def run(R_full, ff, window):
    names = ["mkt_rf", "smb", "hml", "rmw", "cma"]
    R = R_full.iloc[-window:]
    f = ff.reindex(R.index)
    Fv = f[names].values
    Y = R.values - f["rf"].values[:, None]
    N = Y.shape[1]
    w = np.full(N, 1.0 / N)
    value = 1_000_000.0
    c0 = time.process_time()
    t0 = time.perf_counter()
    betas, alpha, r2, tstat = fit_all(Y, Fv)
    bw = np.nan_to_num(betas)
    port_w = w @ bw
    yp = np.nan_to_num(Y) @ w
    port = ols_many(yp[:, None], Fv)
    t1 = time.perf_counter()
    pnl = {}
    for s in SCENARIOS:
        if s["kind"] != "historical":
            continue
        shock = np.array([s["shocks"].get(n, 0.0) for n in names])
        move = np.maximum(bw @ shock, -1.0)
        pnl[s["name"]] = float((value * w * move).sum())
    t2 = time.perf_counter()
    c2 = time.process_time()
    return t1 - t0, t2 - t1, port_w, port["betas"][0], pnl, c2 - c0


def bench():
    prices = os.path.join(SHARED, "equities", "sp500_daily_2012_2017.csv.gz")
    R = load_returns(prices).iloc[1:]
    ff = load_ff(os.path.join(SHARED, "factors", "ff5_daily_1963_2024.csv"))
    for window in (252, 1259):
        reps = []
        for _ in range(15):
            reps.append(run(R, ff, window))
        fit = sorted(r[0] for r in reps)[7]
        scen = sorted(r[1] for r in reps)[7]
        cpu = sorted(r[5] for r in reps)[7]
        r = reps[0]
        print(f"window {window}: 489 stocks betas+stats {fit * 1e3:.2f} ms, six scenarios {scen * 1e3:.3f} ms, "
              f"total {(fit + scen) * 1e3:.2f} ms wall, {cpu * 1e3:.2f} ms CPU (medians of 15)")
        print("  value-weighted portfolio betas", np.round(r[2], 6).tolist())
        print("  regression portfolio betas   ", np.round(r[3], 6).tolist())
        print("  scenario P&L", {k: round(v, 2) for k, v in r[4].items()})


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        check(sys.argv[2:])
    else:
        bench()
