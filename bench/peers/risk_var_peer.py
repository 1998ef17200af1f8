#!/usr/bin/python3
"""Peer of bench/risk_var_bench.cpp in numpy/scipy (Debian packages): the same portfolio and inputs.

Equal-weight portfolio (1,000,000 USD) of the 489 stocks of
../shared/data/equities/sp500_daily_2012_2017.csv.gz, 1,259 daily simple returns of adjusted closes
over all 1,260 dates, missing prices carried forward (zero return), as keel's
MissingPrices::kCarryForward. Each method is timed from the returns matrix to VaR and ES at 99%,
one day, best of several runs (time.perf_counter), written the way a numpy user would:
  parametric  np.cov (n-1) or the RiskMetrics EWMA matrix, sigma_p = sqrt(w' S w)
  historical  np.quantile(R @ w, 0.01) (linear interpolation), ES = mean of losses >= VaR
  montecarlo  Cholesky of np.cov, 100,000 paths drawn in chunks of 10,000 (numpy default_rng),
              Student-t(5) scaled to the same covariance; *_reduced: the same draws times L'w.
Note: Debian's numpy here is linked to the reference BLAS (libblas3), not OpenBLAS.
Run: /usr/bin/python3 bench/peers/risk_var_peer.py

Whole-process mode, the peer of `keel risk var --method all` in bench/compare_var.sh:
  risk_var_peer.py --store DB --portfolio NAME [--window 1000] [--paths 100000] [--reduced]
reads the positions and prices from keel's SQLite store (the same file keel reads, with Python's
sqlite3), values each position at its last close, takes the last WINDOW + 1 dates on which every
symbol has an adjusted close (keel's default `--missing error`), and prints parametric (np.cov),
historical and Monte Carlo (Cholesky of np.cov, PATHS normal paths of z @ L.T in chunks of 10,000;
with --reduced z @ (L.T e)) VaR and ES at 99%, one day. Only numpy and scipy are imported.
"""
import json
import os
import resource
import sys
import time

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "shared", "data", "equities", "sp500_daily_2012_2017.csv.gz")
C = 0.99
PATHS = 100_000
CHUNK = 10_000


def load_returns():
    import pandas as pd
    df = pd.read_csv(DATA, usecols=["date", "symbol", "adj_close"])
    wide = df.drop_duplicates(["date", "symbol"], keep="last").pivot(index="date", columns="symbol",
                                                                     values="adj_close")
    wide = wide.sort_index().sort_index(axis=1)
    r = wide.ffill().pct_change().iloc[1:].fillna(0.0)
    return np.ascontiguousarray(r.to_numpy())


def tail(pnl):
    var = -np.quantile(pnl, 1 - C)
    es = -pnl[pnl <= -var].mean()
    return var, es


def parametric_sample(R, w):
    S = np.cov(R, rowvar=False)
    sigma = np.sqrt(w @ S @ w)
    z = stats.norm.ppf(C)
    return z * sigma, sigma * stats.norm.pdf(z) / (1 - C)


def parametric_ewma(R, w, lam=0.94):
    n = R.shape[0]
    age = np.arange(n - 1, -1, -1)
    wt = (1 - lam) * lam ** age / (1 - lam ** n)
    S = (R * wt[:, None]).T @ R
    sigma = np.sqrt(w @ S @ w)
    z = stats.norm.ppf(C)
    return z * sigma, sigma * stats.norm.pdf(z) / (1 - C)


def historical(R, w):
    return tail(R @ w)


def monte_carlo(R, w, dist, df=5.0, seed=1):
    S = np.cov(R, rowvar=False)
    L = np.linalg.cholesky(S)
    rng = np.random.default_rng(seed)
    pnl = np.empty(PATHS)
    for start in range(0, PATHS, CHUNK):
        z = rng.standard_normal((CHUNK, R.shape[1]))
        r = z @ L.T
        if dist == "t":
            r *= np.sqrt((df - 2) / rng.chisquare(df, CHUNK))[:, None]
        pnl[start:start + CHUNK] = r @ w
    return tail(pnl)


def monte_carlo_linear(R, w, dist, df=5.0, seed=1):
    """The same draws reduced first: pnl = z @ (L' w), as keel does for linear positions (no paths x
    assets product). A stronger peer when numpy is linked to Debian's reference BLAS."""
    S = np.cov(R, rowvar=False)
    b = np.linalg.cholesky(S).T @ w
    rng = np.random.default_rng(seed)
    pnl = np.empty(PATHS)
    for start in range(0, PATHS, CHUNK):
        p = rng.standard_normal((CHUNK, R.shape[1])) @ b
        if dist == "t":
            p *= np.sqrt((df - 2) / rng.chisquare(df, CHUNK))
        pnl[start:start + CHUNK] = p
    return tail(pnl)


def best_of(f, repeats):
    """Best wall time and the process CPU time (all threads) of that run."""
    best = (float("inf"), 0.0)
    out = None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        out = f()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        if wall < best[0]:
            best = (wall, cpu)
    return best, out


def store_inputs(db, portfolio, window):
    """Exposures (quantity x last close) and the last `window` returns of adjusted closes over the
    dates on which every position's symbol has a price."""
    import sqlite3
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT i.symbol, SUM(p.quantity) FROM positions p JOIN portfolios f ON f.id = p.portfolio_id "
        "JOIN instruments i ON i.id = p.instrument_id WHERE f.name = ? GROUP BY i.symbol ORDER BY MIN(p.ordinal)",
        (portfolio,)).fetchall()
    symbols = [r[0] for r in rows]
    qty = np.array([r[1] for r in rows])
    col = {s: j for j, s in enumerate(symbols)}
    prices = np.array(con.execute(
        "SELECT i.symbol, p.date, COALESCE(p.adj_close, p.close), p.close FROM prices p "
        "JOIN instruments i ON i.id = p.instrument_id WHERE i.symbol IN (SELECT value FROM json_each(?))",
        (json.dumps(symbols),)).fetchall(), dtype=object)
    sym = np.array([col[s] for s in prices[:, 0]])
    dates, day = np.unique(prices[:, 1].astype(np.int64), return_inverse=True)
    adj = np.full((len(dates), len(symbols)), np.nan)
    close = np.full_like(adj, np.nan)
    adj[day, sym] = prices[:, 2].astype(float)
    close[day, sym] = prices[:, 3].astype(float)
    last_close = np.array([c[~np.isnan(c)][-1] for c in close.T])
    common = adj[~np.isnan(adj).any(axis=1)][-(window + 1):]
    R = common[1:] / common[:-1] - 1.0
    return qty * last_close, np.ascontiguousarray(R)


def whole(argv):
    """One process doing what `keel risk var --method all` does (see the module docstring)."""
    global PATHS
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", required=True)
    ap.add_argument("--portfolio", required=True)
    ap.add_argument("--window", type=int, default=1000)
    ap.add_argument("--paths", type=int, default=PATHS)
    ap.add_argument("--reduced", action="store_true")
    a = ap.parse_args(argv)
    PATHS = a.paths
    e, R = store_inputs(a.store, a.portfolio, a.window)
    print(f"returns {R.shape[0]} x {R.shape[1]}, value {e.sum():.2f}", file=sys.stderr)
    mc = monte_carlo_linear if a.reduced else monte_carlo
    for name, (var, es) in [("parametric", parametric_sample(R, e)), ("historical", historical(R, e)),
                            ("montecarlo", mc(R, e, "normal"))]:
        print(f"{name:12s} {var:14.2f} {es:14.2f}")


def main():
    if "--store" in sys.argv:
        whole(sys.argv[1:])
        return
    R = load_returns()
    w = np.full(R.shape[1], 1_000_000.0 / R.shape[1])
    print(f"returns {R.shape[0]} x {R.shape[1]}", file=sys.stderr)
    cases = [
        ("parametric_sample", lambda: parametric_sample(R, w), 20),
        ("parametric_ewma", lambda: parametric_ewma(R, w), 20),
        ("historical", lambda: historical(R, w), 50),
        ("montecarlo_normal", lambda: monte_carlo(R, w, "normal"), 3),
        ("montecarlo_t5", lambda: monte_carlo(R, w, "t"), 3),
        ("montecarlo_normal_reduced", lambda: monte_carlo_linear(R, w, "normal"), 3),
        ("montecarlo_t5_reduced", lambda: monte_carlo_linear(R, w, "t"), 3),
    ]
    only = sys.argv[1:]
    print(f"{'case':26s} {'wall_ms':>10s} {'cpu_ms':>10s} {'var':>14s} {'es':>14s}")
    for name, f, repeats in cases:
        if only and name not in only:
            continue
        (wall, cpu), (var, es) = best_of(f, repeats)
        print(f"{name:26s} {wall * 1e3:10.3f} {cpu * 1e3:10.3f} {var:14.2f} {es:14.2f}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
