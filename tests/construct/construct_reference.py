#!/usr/bin/env python3
"""Reference portfolios for tests/construct/optimize_test.cpp, computed independently of keel:
minimum variance, frontier points, maximum Sharpe and minimum CVaR with cvxopt (Debian's
python3-cvxopt: its interior-point QP and LP solvers, run at tight tolerances), and hierarchical
risk parity with a numpy/scipy transcription of Lopez de Prado's published listing (2016; Advances
in Financial Machine Learning, 2018, snippets 16.1-16.4). Inputs are generated here from a fixed
seed and written with the results, so the C++ test reads the same doubles.
Writes tests/construct/data/construct_reference.json.

Run: /usr/bin/python3 tests/construct/construct_reference.py > tests/construct/data/construct_reference.json

Each case: {"name", "kind", "n", "cov" (row-major n x n, per day), "mean", "constraints", ... ,
"weights" (the reference), "objective"}. Kinds:
  min_variance   min w'Sigma w  s.t. sum w = 1, bounds, group bounds, turnover; objective w'Sigma w
  target_return  the same with mu'w = target
  max_sharpe     max (mu'w - rf) / sqrt(w'Sigma w) via min y'Sigma y, (mu - rf)'y = 1, y >= 0 homogenised
  min_cvar       min alpha + sum(u) / ((1 - beta) T), u >= -R w - alpha, u >= 0 (LP); objective the ES
  hrp            weights of the published algorithm
"""
import json
import sys

import numpy as np
import scipy.cluster.hierarchy as sch
from scipy.spatial.distance import pdist
from cvxopt import matrix, solvers, spmatrix

solvers.options["show_progress"] = False
solvers.options["abstol"] = 1e-10
solvers.options["reltol"] = 1e-10
solvers.options["feastol"] = 1e-10
solvers.options["maxiters"] = 200

# Preconditioning: cvxopt's interior point works on numbers near 1, daily variances are ~1e-4.
SCALE = 1e4


def market(rng, n, days=300):
    """Daily returns of n assets from a 3-factor model with idiosyncratic noise."""
    k = 3
    loadings = rng.normal(0.8, 0.4, size=(n, k)) * np.array([1.0, 0.5, 0.3])
    f = rng.normal(0.0, 0.01, size=(days, k))
    eps = rng.normal(0.0, 1.0, size=(days, n)) * rng.uniform(0.006, 0.025, size=n)
    r = f @ loadings.T + eps + rng.uniform(-0.0002, 0.0008, size=n)
    return r


def qp_constraints(n, c):
    """G x <= h, A x = b over x = [w, t] (t only with a turnover limit)."""
    nt = n if c.get("turnover") is not None else 0
    nv = n + nt
    G, h = [], []
    lower = c.get("lower") or ([0.0] * n if c.get("long_only") else None)
    if c.get("long_only") and c.get("lower"):
        lower = [max(0.0, v) for v in c["lower"]]
    if lower is not None:
        for i in range(n):
            row = np.zeros(nv); row[i] = -1.0; G.append(row); h.append(-lower[i])
    if c.get("upper"):
        for i in range(n):
            row = np.zeros(nv); row[i] = 1.0; G.append(row); h.append(c["upper"][i])
    for g in c.get("groups", []):
        if g.get("upper") is not None:
            row = np.zeros(nv); row[g["members"]] = 1.0; G.append(row); h.append(g["upper"])
        if g.get("lower") is not None:
            row = np.zeros(nv); row[g["members"]] = -1.0; G.append(row); h.append(-g["lower"])
    if nt:
        w0 = c["current"]
        for i in range(n):
            row = np.zeros(nv); row[i] = 1.0; row[n + i] = -1.0; G.append(row); h.append(w0[i])
            row = np.zeros(nv); row[i] = -1.0; row[n + i] = -1.0; G.append(row); h.append(-w0[i])
            row = np.zeros(nv); row[n + i] = -1.0; G.append(row); h.append(0.0)
        row = np.zeros(nv); row[n:] = 1.0; G.append(row); h.append(c["turnover"])
    A = np.zeros((1, nv)); A[0, :n] = 1.0
    b = [1.0]
    return nv, np.array(G), np.array(h), A, np.array(b)


def solve_min_variance(cov, mean, c, target=None):
    n = len(mean)
    nv, G, h, A, b = qp_constraints(n, c)
    P = np.zeros((nv, nv)); P[:n, :n] = cov * SCALE
    if target is not None:
        row = np.zeros((1, nv)); row[0, :n] = mean
        A = np.vstack([A, row]); b = np.append(b, target)
    Gm, hm = (matrix(G), matrix(h)) if len(h) else (None, None)
    sol = solvers.qp(matrix(P), matrix(np.zeros(nv)), Gm, hm, matrix(A), matrix(b))
    assert sol["status"] == "optimal", sol["status"]
    w = np.array(sol["x"]).ravel()[:n]
    return w


def solve_max_sharpe(cov, mean, rf):
    # Long-only only: y >= 0, kappa = sum y free of other bounds.
    n = len(mean)
    P = cov * SCALE
    G = -np.eye(n)
    h = np.zeros(n)
    A = (mean - rf).reshape(1, n)
    sol = solvers.qp(matrix(P), matrix(np.zeros(n)), matrix(G), matrix(h), matrix(A), matrix([1.0]))
    assert sol["status"] == "optimal", sol["status"]
    y = np.array(sol["x"]).ravel()
    return y / y.sum()


def solve_min_cvar(R, c, beta):
    T, n = R.shape
    nv0, G0, h0, A0, b0 = qp_constraints(n, c)
    # x = [w (+t), alpha, u]
    nv = nv0 + 1 + T
    G = np.zeros((G0.shape[0] + 2 * T, nv))
    G[:G0.shape[0], :nv0] = G0
    h = np.concatenate([h0, np.zeros(2 * T)])
    # -R w - alpha - u <= 0
    G[G0.shape[0]:G0.shape[0] + T, :n] = -R
    G[G0.shape[0]:G0.shape[0] + T, nv0] = -1.0
    G[G0.shape[0]:G0.shape[0] + T, nv0 + 1:] = -np.eye(T)
    # -u <= 0
    G[G0.shape[0] + T:, nv0 + 1:] = -np.eye(T)
    A = np.zeros((1, nv)); A[0, :n] = 1.0
    cvec = np.zeros(nv); cvec[nv0] = 1.0; cvec[nv0 + 1:] = 1.0 / ((1.0 - beta) * T)
    # The LP's KKT system turns singular near 1e-10 on these (degenerate) problems.
    opts = dict(solvers.options, abstol=1e-9, reltol=1e-9, feastol=1e-9)
    sol = solvers.lp(matrix(cvec), matrix(G), matrix(h), matrix(A), matrix([1.0]), options=opts)
    assert sol["status"] == "optimal", sol["status"]
    x = np.array(sol["x"]).ravel()
    return x[:n], float(cvec @ x)


# Lopez de Prado (2016), the published listing transcribed to Python 3 (integer halves).
def get_ivp(cov):
    ivp = 1.0 / np.diag(cov)
    return ivp / ivp.sum()


def get_cluster_var(cov, items):
    c = cov[np.ix_(items, items)]
    w = get_ivp(c)
    return float(w @ c @ w)


def get_quasi_diag(link):
    link = link.astype(int)
    sort_ix = [link[-1, 0], link[-1, 1]]
    num_items = link[-1, 3]
    while max(sort_ix) >= num_items:
        out = []
        for i in sort_ix:
            if i >= num_items:
                j = i - num_items
                out += [link[j, 0], link[j, 1]]
            else:
                out.append(i)
        sort_ix = out
    return sort_ix


def get_rec_bipart(cov, sort_ix):
    w = np.ones(len(sort_ix))
    c_items = [sort_ix]
    while c_items:
        c_items = [i[j:k] for i in c_items for j, k in ((0, len(i) // 2), (len(i) // 2, len(i))) if len(i) > 1]
        for i in range(0, len(c_items), 2):
            c0, c1 = c_items[i], c_items[i + 1]
            v0, v1 = get_cluster_var(cov, c0), get_cluster_var(cov, c1)
            alpha = 1 - v0 / (v0 + v1)
            w[c0] *= alpha
            w[c1] *= 1 - alpha
    return w


def hrp(cov):
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    dist = np.sqrt(np.clip((1 - corr) / 2.0, 0.0, None))
    link = sch.linkage(pdist(dist), "single")  # Euclidean distance between the columns of dist
    return get_rec_bipart(cov, get_quasi_diag(link))


def main():
    rng = np.random.RandomState(20160501)
    cases = []

    def base(name, kind, r):
        cov = np.cov(r, rowvar=False)
        mean = r.mean(axis=0)
        return {"name": name, "kind": kind, "n": int(r.shape[1]), "cov": cov.ravel().tolist(),
                "mean": mean.tolist()}, cov, mean

    # Minimum variance: unconstrained, long-only, bounds and groups, turnover.
    for name, n, c in [
        ("mv_free_8", 8, {}),
        ("mv_long_only_12", 12, {"long_only": True}),
        ("mv_long_only_60", 60, {"long_only": True}),
        ("mv_bounds_groups_20", 20, {"long_only": True, "upper": [0.12] * 20,
                                     "groups": [{"name": "A", "members": list(range(0, 7)), "upper": 0.25},
                                                {"name": "B", "members": list(range(7, 14)), "lower": 0.40}]}),
        ("mv_turnover_15", 15, {"long_only": True, "turnover": 0.3}),
    ]:
        r = market(rng, n)
        case, cov, mean = base(name, "min_variance", r)
        if c.get("turnover") is not None:
            w0 = rng.dirichlet(np.ones(n))
            c["current"] = w0.tolist()
        w = solve_min_variance(cov, mean, c)
        case.update(constraints=c, weights=w.tolist(), objective=float(w @ cov @ w))
        cases.append(case)

    # Frontier points (long-only) between the minimum-variance return and the largest mean.
    r = market(rng, 25)
    _, cov, mean = base("", "", r)
    c = {"long_only": True}
    w_min = solve_min_variance(cov, mean, c)
    lo, hi = float(mean @ w_min), float(mean.max())
    for k, frac in enumerate([0.1, 0.35, 0.6, 0.85]):
        target = lo + frac * (hi - lo)
        case, _, _ = base(f"frontier_25_{k}", "target_return", r)
        w = solve_min_variance(cov, mean, c, target)
        case.update(constraints=c, target=target, weights=w.tolist(), objective=float(w @ cov @ w))
        cases.append(case)

    # Maximum Sharpe, long-only.
    r = market(rng, 18)
    case, cov, mean = base("sharpe_18", "max_sharpe", r)
    rf = 0.0001
    w = solve_max_sharpe(cov, mean, rf)
    case.update(constraints={"long_only": True}, risk_free=rf, weights=w.tolist(),
                objective=float((mean @ w - rf) / np.sqrt(w @ cov @ w)))
    cases.append(case)

    # Minimum CVaR on the returns themselves as scenarios.
    for name, n, beta, c in [("cvar_10", 10, 0.95, {"long_only": True}),
                             ("cvar_bounds_16", 16, 0.975, {"long_only": True, "upper": [0.2] * 16})]:
        r = market(rng, n, days=250)
        case, cov, mean = base(name, "min_cvar", r)
        w, es = solve_min_cvar(r, c, beta)
        case.update(constraints=c, beta=beta, scenarios=r.ravel().tolist(), weights=w.tolist(), objective=es)
        cases.append(case)

    # HRP.
    for name, n in [("hrp_12", 12), ("hrp_40", 40)]:
        r = market(rng, n)
        case, cov, mean = base(name, "hrp", r)
        w = hrp(cov)
        case.update(constraints={}, weights=w.tolist(), objective=0.0)
        cases.append(case)

    json.dump({"generator": "tests/construct/construct_reference.py", "cases": cases}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
