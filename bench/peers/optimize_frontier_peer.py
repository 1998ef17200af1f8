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

Run: /usr/bin/python3 bench/peers/optimize_frontier_peer.py PRICES.csv WINDOW POINTS
"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from cvxopt import matrix, solvers

solvers.options["show_progress"] = False


def main():
    prices, window, points = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    wide = pd.read_csv(prices).pivot(index="date", columns="symbol", values="close").sort_index().sort_index(axis=1)
    R = wide.pct_change().iloc[1:].to_numpy()[-window:]
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
