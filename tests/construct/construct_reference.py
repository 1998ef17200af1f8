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
  tracking_error min w'Sigma w (or at a target return) s.t. ||L'(w - b)|| <= TE, Sigma = LL', the
                 linear constraints: cvxopt's cone QP (coneqp) with a second-order cone
  cardinality    min w'Sigma w with at most K nonzero weights: every subset of K assets solved with
                 cvxopt's QP, the best kept (exhaustive enumeration)
  black_litterman equilibrium pi = delta Sigma w_mkt and the posterior mean in its information form
                 [(tau Sigma)^-1 + P'Omega^-1 P]^-1 [(tau Sigma)^-1 pi + P'Omega^-1 Q], numpy, with
                 omega_k = (1 - c_k) / c_k tau p_k Sigma p_k'; also the implied risk aversion
                 (w'mu - rf) / w'Sigma w
  min_cvar_mc    minimum CVaR over keel's own Monte Carlo scenarios of the case's returns (sample
                 covariance and mean, `paths`, `seed`, `distribution`): cvxopt's LP on the scenarios
                 keel_construct_tests writes, which are stored in the case and which the C++ test
                 regenerates and compares bit for bit first

Monte Carlo cases take three steps (the scenarios come from keel's generator):
  construct_reference.py > data/construct_reference.json
  KEEL_WRITE_MC_SCENARIOS=/tmp/mc.json build/tests/keel_construct_tests --gtest_filter='MonteCarloScenarios.*'
  construct_reference.py /tmp/mc.json > data/construct_reference.json
"""
import itertools
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
    # The LP's KKT system turns singular near 1e-10 on these (degenerate) problems: the tightest
    # tolerance that converges.
    for tol in (1e-9, 1e-8):
        opts = dict(solvers.options, abstol=tol, reltol=tol, feastol=tol)
        sol = solvers.lp(matrix(cvec), matrix(G), matrix(h), matrix(A), matrix([1.0]), options=opts)
        if sol["status"] == "optimal":
            break
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

    extension_cases(cases)
    construction_extension_cases(cases)
    idzorek_case(cases)
    outside_benchmark_case(cases)

    json.dump({"generator": "tests/construct/construct_reference.py", "cases": cases}, sys.stdout)
    sys.stdout.write("\n")


def solve_tracking_error(cov, mean, c, target=None):
    """min w'Sigma w s.t. ||L'(w - b)||_2 <= TE and the linear constraints, as a cone QP."""
    n = len(mean)
    nv, G, h, A, b = qp_constraints(n, c)
    P = np.zeros((nv, nv)); P[:n, :n] = cov * SCALE
    if target is not None:
        row = np.zeros((1, nv)); row[0, :n] = mean
        A = np.vstack([A, row]); b = np.append(b, target)
    L = np.linalg.cholesky(cov)
    bench = np.array(c["benchmark"])
    # s = h - G x in the cone: s_0 = TE, s_1.. = L'(w - b).
    # Scaled by 100 so that the cone's entries are near 1 (daily volatilities are ~1e-2).
    Gq = np.zeros((n + 1, nv)); Gq[1:, :n] = -100.0 * L.T
    hq = 100.0 * np.concatenate([[c["tracking_error"]], -L.T @ bench])
    ml = G.shape[0] if len(h) else 0
    Gall = np.vstack([G, Gq]) if ml else Gq
    hall = np.concatenate([h, hq]) if ml else hq
    # The weights move by ~1e-6 between tolerances 1e-10 and 1e-12: the tightest that converges.
    for tol in (1e-12, 1e-11, 1e-10):
        opts = dict(solvers.options, abstol=tol, reltol=tol, feastol=tol)
        sol = solvers.coneqp(matrix(P), matrix(np.zeros(nv)), matrix(Gall), matrix(hall),
                             {"l": ml, "q": [n + 1], "s": []}, matrix(A), matrix(b), options=opts)
        if sol["status"] == "optimal":
            return np.array(sol["x"]).ravel()[:n], tol
    raise AssertionError(sol["status"])


def solve_cardinality(cov, mean, c, k):
    """Every subset of k assets (a smaller subset is a face of a larger one), the best kept."""
    n = len(mean)
    best, best_w, count = np.inf, None, 0
    for subset in itertools.combinations(range(n), k):
        idx = list(subset)
        sub = {"long_only": c.get("long_only", False)}
        if c.get("upper"):
            sub["upper"] = [c["upper"][i] for i in idx]
            if sum(sub["upper"]) < 1.0:
                continue
        nv, G, h, A, b = qp_constraints(k, sub)
        P = cov[np.ix_(idx, idx)] * SCALE
        Gm, hm = (matrix(G), matrix(h)) if len(h) else (None, None)
        sol = solvers.qp(matrix(P), matrix(np.zeros(k)), Gm, hm, matrix(A), matrix(b))
        count += 1
        if sol["status"] != "optimal":
            continue
        w = np.zeros(n); w[idx] = np.array(sol["x"]).ravel()
        v = float(w @ cov @ w)
        if v < best:
            best, best_w = v, w
    return best_w, count


def extension_cases(cases):
    rng = np.random.RandomState(19920901)

    def base(name, kind, r):
        cov = np.cov(r, rowvar=False)
        mean = r.mean(axis=0)
        return {"name": name, "kind": kind, "n": int(r.shape[1]), "cov": cov.ravel().tolist(),
                "mean": mean.tolist()}, cov, mean

    # Tracking error: the limit at 40% of the unconstrained minimum-variance portfolio's.
    for name, n, c, frac in [("te_long_only_15", 15, {"long_only": True}, None),
                             ("te_bounds_target_20", 20, {"long_only": True, "upper": [0.15] * 20}, 0.5)]:
        r = market(rng, n)
        case, cov, mean = base(name, "tracking_error", r)
        bench = rng.dirichlet(np.ones(n))
        target = None
        if frac is not None:
            w_min = solve_min_variance(cov, mean, c)
            lo = float(mean @ w_min)
            hi = float(np.sort(mean)[::-1][:7] @ np.array([0.15] * 6 + [0.1]))
            target = lo + frac * (hi - lo)
        w_free = solve_min_variance(cov, mean, c, target)
        te_free = float(np.sqrt((w_free - bench) @ cov @ (w_free - bench)))
        c = dict(c, benchmark=bench.tolist(), tracking_error=0.4 * te_free)
        w, tol = solve_tracking_error(cov, mean, c, target)
        case.update(constraints=c, weights=w.tolist(), objective=float(w @ cov @ w), tolerance=tol)
        if target is not None:
            case["target"] = target
        cases.append(case)

    # Cardinality against exhaustive enumeration.
    for name, n, k, c in [("card_12_of_4", 12, 4, {"long_only": True}),
                          ("card_14_of_3_upper", 14, 3, {"long_only": True, "upper": [0.4] * 14})]:
        r = market(rng, n)
        case, cov, mean = base(name, "cardinality", r)
        w, count = solve_cardinality(cov, mean, c, k)
        c = dict(c, max_names=k)
        case.update(constraints=c, weights=w.tolist(), objective=float(w @ cov @ w), subsets=count)
        cases.append(case)

    # Minimum CVaR on Monte Carlo scenarios of keel's generator (normal and Student-t).
    mc = json.load(open(sys.argv[1])) if len(sys.argv) > 1 else {}
    for name, n, beta, dist in [("cvar_mc_normal_8", 8, 0.95, "normal"), ("cvar_mc_t_10", 10, 0.975, "t")]:
        r = market(rng, n, days=250)
        case, cov, mean = base(name, "min_cvar_mc", r)
        c = {"long_only": True}
        case.update(constraints=c, beta=beta, returns=r.ravel().tolist(), paths=1000, seed=11, distribution=dist,
                    df=5.0, weights=[], objective=0.0)
        if name in mc:
            scen = np.array(mc[name]).reshape(1000, n)
            w, es = solve_min_cvar(scen, c, beta)
            case.update(scenarios=scen.ravel().tolist(), weights=w.tolist(), objective=es)
        cases.append(case)

    # Black-Litterman: absolute, relative and basket views at three confidences.
    n = 8
    r = market(rng, n)
    case, cov, mean = base("black_litterman_8", "black_litterman", r)
    w_mkt = rng.dirichlet(np.ones(n) * 3)
    delta, tau, rf = 2.5, 0.05, 0.00005
    pi = delta * cov @ w_mkt
    views = [{"terms": [[1, 1.0]], "value": 0.0006, "confidence": 0.3},
             {"terms": [[2, 1.0], [3, -1.0]], "value": 0.0002, "confidence": 0.6},
             {"terms": [[0, 0.5], [4, 0.5], [5, -1.0]], "value": -0.0001, "confidence": 0.9}]
    Pm = np.zeros((len(views), n))
    for k, v in enumerate(views):
        for i, wt in v["terms"]:
            Pm[k, i] += wt
    Q = np.array([v["value"] for v in views])
    conf = np.array([v["confidence"] for v in views])
    omega = (1 - conf) / conf * np.diag(tau * Pm @ cov @ Pm.T)
    ts_inv = np.linalg.inv(tau * cov)
    o_inv = np.diag(1.0 / omega)
    post = np.linalg.solve(ts_inv + Pm.T @ o_inv @ Pm, ts_inv @ pi + Pm.T @ o_inv @ Q)
    implied = float((w_mkt @ mean - rf) / (w_mkt @ cov @ w_mkt))
    case.update(constraints={}, market_weights=w_mkt.tolist(), risk_aversion=delta, tau=tau, views=views,
                risk_free=rf, prior=pi.tolist(), posterior=post.tolist(), omega=omega.tolist(),
                implied_risk_aversion=implied, weights=[], objective=0.0)
    cases.append(case)


def cone_scaled(cov, n, nv, te, bench, kappa=None):
    """The second-order cone ||L'(w - b)|| <= TE as G x + s = h, s in Q (scaled by 100 so that its
    entries are near 1). With `kappa` (an index), the homogenised cone ||L'(y - kappa b)|| <= kappa TE."""
    L = np.linalg.cholesky(cov)
    Gq = np.zeros((n + 1, nv))
    Gq[1:, :n] = -100.0 * L.T
    if kappa is None:
        hq = 100.0 * np.concatenate([[te], -L.T @ np.asarray(bench)])
    else:
        Gq[0, kappa] = -100.0 * te
        Gq[1:, kappa] = 100.0 * L.T @ np.asarray(bench)
        hq = np.zeros(n + 1)
    return Gq, hq


def solve_max_sharpe_te(cov, mean, rf, te, bench):
    """max (mu'w - rf)/sqrt(w'Sigma w), long-only, sum w = 1, TE: min y'Sigma y s.t. (mu - rf)'y = 1,
    sum y = kappa, y >= 0, ||L'(y - kappa b)|| <= kappa TE (Charnes-Cooper), cvxopt's coneqp."""
    n = len(mean)
    nv = n + 1
    P = np.zeros((nv, nv)); P[:n, :n] = cov * SCALE
    Gl = np.zeros((n + 1, nv)); Gl[:n, :n] = -np.eye(n); Gl[n, n] = -1.0
    hl = np.zeros(n + 1)
    Gq, hq = cone_scaled(cov, n, nv, te, bench, kappa=n)
    # (mu - rf)'y = 1 scaled by 1000 so that y (= w / excess return) is near 1.
    A = np.zeros((2, nv)); A[0, :n] = (mean - rf) * 1000.0; A[1, :n] = 1.0; A[1, n] = -1.0
    for tol in (1e-12, 1e-11, 1e-10, 1e-9):
        opts = dict(solvers.options, abstol=tol, reltol=tol, feastol=tol)
        try:
            sol = solvers.coneqp(matrix(P), matrix(np.zeros(nv)), matrix(np.vstack([Gl, Gq])),
                                 matrix(np.concatenate([hl, hq])), {"l": n + 1, "q": [n + 1], "s": []},
                                 matrix(A), matrix([1.0, 0.0]), options=opts)
        except ValueError:
            continue
        if sol["status"] == "optimal":
            x = np.array(sol["x"]).ravel()
            return x[:n] / x[n], tol
    raise AssertionError(sol["status"])


def solve_min_cvar_te(R, beta, te, bench):
    """Long-only minimum CVaR with ||L'(w - b)|| <= TE: cvxopt's conelp (an LP with a cone)."""
    T, n = R.shape
    cov = np.cov(R, rowvar=False)
    nv = n + 1 + T
    G = np.zeros((n + 2 * T, nv))
    G[:n, :n] = -np.eye(n)
    G[n:n + T, :n] = -R
    G[n:n + T, n] = -1.0
    G[n:n + T, n + 1:] = -np.eye(T)
    G[n + T:, n + 1:] = -np.eye(T)
    h = np.zeros(n + 2 * T)
    Gq, hq = cone_scaled(cov, n, nv, te, bench)
    A = np.zeros((1, nv)); A[0, :n] = 1.0
    cvec = np.zeros(nv); cvec[n] = 1.0; cvec[n + 1:] = 1.0 / ((1.0 - beta) * T)
    opts = dict(solvers.options, abstol=1e-9, reltol=1e-9, feastol=1e-9)
    sol = solvers.conelp(matrix(cvec), matrix(np.vstack([G, Gq])), matrix(np.concatenate([h, hq])),
                         {"l": n + 2 * T, "q": [n + 1], "s": []}, matrix(A), matrix([1.0]), options=opts)
    assert sol["status"] == "optimal", sol["status"]
    x = np.array(sol["x"]).ravel()
    return x[:n], float(cvec @ x)


def max_return_te(cov, mean, te, bench):
    """The largest mean'w, long-only, sum w = 1, ||L'(w - b)|| <= TE (conelp)."""
    n = len(mean)
    Gq, hq = cone_scaled(cov, n, n, te, bench)
    # The tightest tolerance that converges (tighter ones can stop on a domain error).
    for tol in (1e-12, 1e-11, 1e-10, 1e-9):
        opts = dict(solvers.options, abstol=tol, reltol=tol, feastol=tol)
        try:
            sol = solvers.conelp(matrix(-mean * SCALE), matrix(np.vstack([-np.eye(n), Gq])),
                                 matrix(np.concatenate([np.zeros(n), hq])), {"l": n, "q": [n + 1], "s": []},
                                 matrix(np.ones((1, n))), matrix([1.0]), options=opts)
        except ValueError:
            continue
        if sol["status"] == "optimal":
            return np.array(sol["x"]).ravel()
    raise AssertionError("max_return_te did not converge")


def subsets_best(n, k, solve):
    """Every subset of k assets solved by `solve(idx)` -> (value, weights of the subset) or None; the
    smallest value kept (a smaller subset is a face of a larger one)."""
    best, best_w = np.inf, None
    for subset in itertools.combinations(range(n), k):
        idx = list(subset)
        got = solve(idx)
        if got is None:
            continue
        v, ws = got
        if v < best:
            best, best_w = v, np.zeros(n)
            best_w[idx] = ws
    return best_w, best


def construction_extension_cases(cases):
    """Tracking error and max-names for max-Sharpe, min-CVaR and the frontier; the frontier itself."""
    rng = np.random.RandomState(20050101)

    def base(name, kind, r):
        cov = np.cov(r, rowvar=False)
        mean = r.mean(axis=0)
        return {"name": name, "kind": kind, "n": int(r.shape[1]), "cov": cov.ravel().tolist(),
                "mean": mean.tolist()}, cov, mean

    # The long-only frontier (every point), cvxopt's QP at each target return.
    r = market(rng, 40)
    case, cov, mean = base("frontier_40", "frontier", r)
    c = {"long_only": True}
    w_min = solve_min_variance(cov, mean, c)
    lo, hi = float(mean @ w_min), float(mean.max())
    points = 15
    ws = [w_min] + [solve_min_variance(cov, mean, c, lo + (hi - lo) * k / (points - 1)) for k in range(1, points - 1)]
    w_top = np.zeros(40); w_top[int(np.argmax(mean))] = 1.0
    ws.append(w_top)
    case.update(constraints=c, points=points, frontier=[w.tolist() for w in ws], weights=[], objective=0.0)
    cases.append(case)

    # The frontier under a tracking error limit: from the minimum variance within the limit (cone
    # QP) to the largest return within it (cone LP).
    r = market(rng, 12)
    case, cov, mean = base("frontier_te_12", "frontier", r)
    bench = rng.dirichlet(np.ones(12))
    w_free = solve_min_variance(cov, mean, {"long_only": True})
    te = 0.5 * float(np.sqrt((w_free - bench) @ cov @ (w_free - bench)))
    c = {"long_only": True, "benchmark": bench.tolist(), "tracking_error": te}
    w_min, _ = solve_tracking_error(cov, mean, c)
    w_hi = max_return_te(cov, mean, te, bench)
    lo, hi = float(mean @ w_min), float(mean @ w_hi)
    points = 6
    ws = [w_min] + [solve_tracking_error(cov, mean, c, lo + (hi - lo) * k / (points - 1))[0]
                    for k in range(1, points - 1)] + [w_hi]
    case.update(constraints=c, points=points, frontier=[w.tolist() for w in ws], weights=[], objective=0.0)
    cases.append(case)

    # Maximum Sharpe under a tracking error limit (Charnes-Cooper with the homogenised cone).
    r = market(rng, 15)
    case, cov, mean = base("sharpe_te_15", "max_sharpe", r)
    rf = 0.0001
    bench = rng.dirichlet(np.ones(15))
    w_free = solve_max_sharpe(cov, mean, rf)
    te = 0.5 * float(np.sqrt((w_free - bench) @ cov @ (w_free - bench)))
    w, tol = solve_max_sharpe_te(cov, mean, rf, te, bench)
    case.update(constraints={"long_only": True, "benchmark": bench.tolist(), "tracking_error": te}, risk_free=rf,
                weights=w.tolist(), objective=float((mean @ w - rf) / np.sqrt(w @ cov @ w)), tolerance=tol)
    cases.append(case)

    # Maximum Sharpe with at most 4 names of 12: every subset's max-Sharpe QP.
    r = market(rng, 12)
    case, cov, mean = base("sharpe_names_12_of_4", "max_sharpe", r)

    def sharpe_of(idx):
        w = solve_max_sharpe(cov[np.ix_(idx, idx)], mean[idx], rf)
        return -float((mean[idx] @ w - rf) / np.sqrt(w @ cov[np.ix_(idx, idx)] @ w)), w
    w, _ = subsets_best(12, 4, sharpe_of)
    case.update(constraints={"long_only": True, "max_names": 4}, risk_free=rf, weights=w.tolist(),
                objective=float((mean @ w - rf) / np.sqrt(w @ cov @ w)))
    cases.append(case)

    # Minimum CVaR under a tracking error limit (cone LP), and with at most 3 names of 10 (every
    # subset's LP, HiGHS).
    r = market(rng, 12, days=250)
    case, cov, mean = base("cvar_te_12", "min_cvar", r)
    bench = rng.dirichlet(np.ones(12))
    w_free, _ = solve_min_cvar(r, {"long_only": True}, 0.95)
    te = 0.5 * float(np.sqrt((w_free - bench) @ cov @ (w_free - bench)))
    w, es = solve_min_cvar_te(r, 0.95, te, bench)
    case.update(constraints={"long_only": True, "benchmark": bench.tolist(), "tracking_error": te}, beta=0.95,
                scenarios=r.ravel().tolist(), weights=w.tolist(), objective=es)
    cases.append(case)

    r = market(rng, 10, days=250)
    case, cov, mean = base("cvar_names_10_of_3", "min_cvar", r)

    def cvar_of(idx):
        # cvxopt's LP stalls on some of these small degenerate subsets: scipy's HiGHS (dual
        # simplex), another solver than keel's CLP, for the enumeration.
        from scipy.optimize import linprog
        R = r[:, idx]
        T, k = R.shape
        cvec = np.concatenate([np.zeros(k), [1.0], np.full(T, 1.0 / (0.05 * T))])
        A_ub = np.hstack([-R, -np.ones((T, 1)), -np.eye(T)])
        A_eq = np.concatenate([np.ones(k), [0.0], np.zeros(T)]).reshape(1, -1)
        bounds = [(0, None)] * k + [(None, None)] + [(0, None)] * T
        res = linprog(cvec, A_ub=A_ub, b_ub=np.zeros(T), A_eq=A_eq, b_eq=[1.0], bounds=bounds, method="highs-ds",
                      options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10})
        assert res.status == 0, res.message
        return float(res.fun), res.x[:k]
    w, es = subsets_best(10, 3, cvar_of)
    case.update(constraints={"long_only": True, "max_names": 3}, beta=0.95, scenarios=r.ravel().tolist(),
                weights=w.tolist(), objective=es)
    cases.append(case)


def idzorek_case(cases):
    """Black-Litterman with Idzorek's confidences, by the paper's own procedure (Idzorek, "A
    step-by-step guide to the Black-Litterman model", 2005, steps 1-7), numerically: for each view
    k with confidence C_k, the posterior under view k alone at 100% confidence (E_100), its
    unconstrained weights w_100 = (delta Sigma)^-1 E_100, the target w_mkt + C_k (w_100 - w_mkt),
    and omega_k minimising the squared distance between the target and the weights under view k
    alone with that omega (scipy's bounded scalar minimiser over log omega); then the posterior of
    all the views with Omega = diag(omega) (a 100% view at omega 0, a 0% view left out)."""
    from scipy.optimize import minimize_scalar
    rng = np.random.RandomState(20050701)
    n = 7
    r = market(rng, n)
    cov = np.cov(r, rowvar=False)
    mean = r.mean(axis=0)
    w_mkt = rng.dirichlet(np.ones(n) * 3)
    delta, tau = 2.5, 0.05
    pi = delta * cov @ w_mkt
    views = [{"terms": [[1, 1.0]], "value": 0.0007, "confidence": 0.25},
             {"terms": [[2, 1.0], [3, -1.0]], "value": 0.0003, "confidence": 0.65},
             {"terms": [[0, 0.5], [4, 0.5], [5, -1.0]], "value": -0.0002, "confidence": 0.9},
             {"terms": [[6, 1.0]], "value": 0.002, "confidence": 0.0}]

    def row(v):
        p = np.zeros(n)
        for i, wt in v["terms"]:
            p[i] += wt
        return p

    def posterior(P, Q, omega):
        M = tau * P @ cov @ P.T + np.diag(omega)
        return pi + tau * cov @ P.T @ np.linalg.solve(M, Q - P @ pi)

    def weights(E):
        return np.linalg.solve(delta * cov, E)

    omegas = []
    for v in views:
        c = v["confidence"]
        p = row(v).reshape(1, n)
        q = np.array([v["value"]])
        if c == 0.0:
            omegas.append(None)
            continue
        if c == 1.0:
            omegas.append(0.0)
            continue
        w100 = weights(posterior(p, q, [0.0]))
        target = w_mkt + c * (w100 - w_mkt)
        scale = float(tau * p @ cov @ p.T)

        def loss(log_omega):
            w = weights(posterior(p, q, [scale * np.exp(log_omega)]))
            return float(np.sum((target - w) ** 2))
        res = minimize_scalar(loss, bounds=(-30.0, 30.0), method="bounded",
                              options={"xatol": 1e-12, "maxiter": 1000})
        omegas.append(scale * float(np.exp(res.x)))
    used = [k for k, o in enumerate(omegas) if o is not None]
    P = np.array([row(views[k]) for k in used])
    Q = np.array([views[k]["value"] for k in used])
    post = posterior(P, Q, [omegas[k] for k in used])
    case = {"name": "black_litterman_idzorek_7", "kind": "black_litterman", "n": n, "cov": cov.ravel().tolist(),
            "mean": mean.tolist(), "constraints": {}, "market_weights": w_mkt.tolist(), "risk_aversion": delta,
            "tau": tau, "views": views, "risk_free": 0.00005, "prior": pi.tolist(), "posterior": post.tolist(),
            "omega": [o if o is not None else -1.0 for o in omegas], "method": "idzorek",
            "implied_risk_aversion": float((w_mkt @ mean - 0.00005) / (w_mkt @ cov @ w_mkt)),
            "weights": [], "objective": 0.0}
    cases.append(case)


def outside_benchmark_case(cases):
    """Tracking error against a benchmark the assets do not include: n + 1 series, the last the
    benchmark (an index of the assets' returns, weights unknown to the problem, plus its own noise).
    cvxopt solves min w'Sigma w over the n + 1 weights with the benchmark's held at 0 and
    ||L'(w - e_{n+1})|| <= TE (Sigma = LL' of all n + 1); keel gets the n assets' covariance and
    the benchmark's covariance with each and its variance."""
    rng = np.random.RandomState(20261126)
    n = 14
    r = market(rng, n)
    index = r @ rng.dirichlet(np.ones(n)) + rng.normal(0.0, 0.002, size=r.shape[0])
    r = np.column_stack([r, index])
    full = np.cov(r, rowvar=False)
    cov, mean = full[:n, :n], r[:, :n].mean(axis=0)
    c = {"long_only": True}
    w_free = solve_min_variance(cov, mean, c)
    d = np.append(w_free, -1.0)
    te_free = float(np.sqrt(d @ full @ d))
    L = np.linalg.cholesky(full)
    nv, G, h, A, b = qp_constraints(n, c)
    P = cov * SCALE
    # The least tracking error these constraints allow: min (w - e)'Sigma (w - e), a QP.
    least = solvers.qp(matrix(P), matrix(-full[:n, n] * SCALE), matrix(G), matrix(h), matrix(A), matrix(b))
    d = np.append(np.array(least["x"]).ravel(), -1.0)
    te_least = float(np.sqrt(d @ full @ d))
    Gq = np.zeros((n + 2, nv)); Gq[1:, :n] = -100.0 * L[:n, :].T
    te = te_least + 0.4 * (te_free - te_least)
    hq = 100.0 * np.concatenate([[te], -L[n, :]])
    sol = None
    for tol in (1e-12, 1e-11, 1e-10):
        opts = dict(solvers.options, abstol=tol, reltol=tol, feastol=tol)
        sol = solvers.coneqp(matrix(P), matrix(np.zeros(nv)), matrix(np.vstack([G, Gq])),
                             matrix(np.concatenate([h, hq])), {"l": G.shape[0], "q": [n + 2], "s": []},
                             matrix(A), matrix(b), options=opts)
        if sol["status"] == "optimal":
            break
    assert sol["status"] == "optimal", sol["status"]
    w = np.array(sol["x"]).ravel()[:n]
    case = {"name": "te_outside_14", "kind": "tracking_error", "n": n, "cov": cov.ravel().tolist(),
            "mean": mean.tolist(), "tolerance": tol}
    case.update(constraints=dict(c, benchmark=[0.0] * n, benchmark_covariance=full[:n, n].tolist(),
                                 benchmark_variance=float(full[n, n]), tracking_error=te),
                weights=w.tolist(), objective=float(w @ cov @ w))
    cases.append(case)


if __name__ == "__main__":
    main()
