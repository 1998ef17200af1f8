#!/usr/bin/python3
"""Peer of `keel optimize frontier` (bench/compare_optimize.sh) with cvxopt (Debian's python3-cvxopt),
the QP solver PyPortfolioOpt-style tools fall back to: the long-only efficient frontier of the same
stocks on the same returns.

Reads the prices CSV compare_optimize.sh wrote (date,symbol,close), takes the last WINDOW simple
returns, the sample covariance (np.cov, n - 1) and mean; then, timed from the returns matrix:
the minimum-variance portfolio, the largest mean (the long-only maximum return), and POINTS
minimum-variance portfolios at evenly spaced target returns between the two (the first is the
minimum-variance one), each with cvxopt.solvers.qp at its default tolerances. Prints one JSON
line: seconds, points solved, and each point's expected return and volatility (annualised x 252)
for the agreement check.

With POINTS = "cvar": instead, the long-only minimum-CVaR portfolio at 97.5% over the WINDOW
daily returns as scenarios, the Rockafellar-Uryasev LP with cvxopt.solvers.lp (dense matrices, as
a numpy user writes it); prints the seconds and the minimum.

Run: /usr/bin/python3 bench/peers/optimize_frontier_peer.py PRICES.csv WINDOW POINTS|cvar
"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from cvxopt import matrix, solvers

solvers.options["show_progress"] = False


def min_cvar(R, beta=0.975):
    t0 = time.perf_counter()
    T, n = R.shape
    nv = n + 1 + T  # w, alpha, u
    G = np.zeros((n + 2 * T, nv))
    G[:n, :n] = -np.eye(n)                 # w >= 0
    G[n:n + T, :n] = -R                    # -R w - alpha - u <= 0
    G[n:n + T, n] = -1.0
    G[n:n + T, n + 1:] = -np.eye(T)
    G[n + T:, n + 1:] = -np.eye(T)         # u >= 0
    h = np.zeros(n + 2 * T)
    A = np.zeros((1, nv)); A[0, :n] = 1.0
    c = np.zeros(nv); c[n] = 1.0; c[n + 1:] = 1.0 / ((1 - beta) * T)
    sol = solvers.lp(matrix(c), matrix(G), matrix(h), matrix(A), matrix([1.0]))
    x = np.array(sol["x"]).ravel()
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "assets": n, "scenarios": T, "status": sol["status"],
                      "es": float(c @ x), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main():
    prices, window = sys.argv[1], int(sys.argv[2])
    wide = pd.read_csv(prices).pivot(index="date", columns="symbol", values="close").sort_index().sort_index(axis=1)
    R = wide.pct_change().iloc[1:].to_numpy()[-window:]
    if sys.argv[3] == "cvar":
        return min_cvar(R)
    points = int(sys.argv[3])
    t0 = time.perf_counter()
    S = np.cov(R, rowvar=False)
    mu = R.mean(axis=0)
    n = len(mu)
    P = matrix(S * 1e4)  # preconditioned as in tests/construct/construct_reference.py
    q = matrix(np.zeros(n))
    G = matrix(-np.eye(n))
    h = matrix(np.zeros(n))

    def solve(target):
        if target is None:
            A, b = matrix(np.ones((1, n))), matrix([1.0])
        else:
            A, b = matrix(np.vstack([np.ones(n), mu])), matrix([1.0, target])
        sol = solvers.qp(P, q, G, h, A, b)
        w = np.array(sol["x"]).ravel()
        return sol["status"], w

    status, w0 = solve(None)
    lo, hi = float(mu @ w0), float(mu.max())
    out = [(status, w0)]
    for k in range(1, points):
        out.append(solve(lo + (hi - lo) * k / (points - 1)))
    seconds = time.perf_counter() - t0
    res = [{"status": s, "expected_return": float(mu @ w) * 252, "volatility": float(np.sqrt(w @ S @ w * 252))}
           for s, w in out]
    print(json.dumps({"seconds": seconds, "assets": n, "points": res,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
