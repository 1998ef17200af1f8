#!/usr/bin/python3
"""Independent numpy implementation of keel's CLO collateral projection (docs/clo.md,
"Collateral projection"), used as a peer for `keel clo run`: per-period interest collections,
defaults, scheduled principal, prepayments, recoveries, sale proceeds and reinvestment, for a
deal whose coverage and diversion tests all pass (then every principal dollar of the
reinvestment period is reinvested). Written from the documentation, not from the C++ code.

usage: clo_collateral_peer.py DEAL.json CDR CPR RECOVERY LAG_MONTHS [--repeat N]
prints JSON {"periods": [{"date", "interest_collections", "principal_collections", "defaults",
"reinvested"}], "seconds_per_run": ...}
"""
import json
import math
import sys
import time
from datetime import date

import numpy as np


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    last = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    return date(y, m, min(d.day, last))


def project(deal, cdr, cpr, rec, lag):
    dd = deal["dates"]
    closing = date.fromisoformat(dd["closing"])
    legal = date.fromisoformat(dd["legal_maturity"])
    freq = dd.get("payment_frequency_months", 3)
    if "payment_dates" in dd:
        dates = [date.fromisoformat(x) for x in dd["payment_dates"]]
    else:
        first = date.fromisoformat(dd["first_payment"])
        dates, k = [], 0
        while add_months(first, k * freq) <= legal:
            dates.append(add_months(first, k * freq))
            k += 1
        if dates[-1] < legal:
            dates.append(legal)
    P = len(dates)
    rp_end = date.fromisoformat(dd["reinvestment_end"])
    ref = deal["reference_rate"]["flat"]
    loans = deal["collateral"]
    par = np.array([l["par"] for l in loans], float)
    price = np.array([l.get("price", 100.0) / 100 for l in loans])
    spread = np.array([l.get("spread", 0.0) for l in loans])
    floor = np.array([l.get("floor", 0.0) for l in loans])
    mat = np.array([next((t for t, d in enumerate(dates) if d >= date.fromisoformat(l["maturity"])), P) for l in loans])
    rv = deal.get("reinvestment", {})
    r_price = rv.get("price", 100.0) / 100
    r_spread = rv.get("spread", 0.035)
    r_floor = rv.get("floor", 0.0)
    r_term = math.ceil(rv.get("term_months", 72) / freq)
    last_rp = max([t for t, d in enumerate(dates) if d <= rp_end] + [-1])
    last_rp = min(last_rp, P - 2)
    lag_p = math.ceil(lag / freq)
    pending = np.zeros(P)
    # Reinvestment purchases: one synthetic loan per period.
    rpar = np.zeros(P)
    rmat = np.array([min(P - 1, t + r_term) for t in range(P)])
    out = []
    for t in range(P):
        start = closing if t == 0 else dates[t - 1]
        end = dates[t]
        days = (end - start).days
        months = (end.year - start.year) * 12 + end.month - start.month
        d = 1 - (1 - cdr) ** (months / 12)
        s = 1 - (1 - cpr) ** (months / 12)
        last = t == P - 1
        res = {"interest": 0.0, "defaults": 0.0, "sched": 0.0, "prepay": 0.0, "sale": 0.0}
        for bal, pr, spr, fl, mt in ((par, price, spread, floor, mat),
                                     (rpar, np.full(P, r_price), np.full(P, r_spread), np.full(P, r_floor), rmat)):
            dflt = bal * d
            perf = bal - dflt
            res["interest"] += float(np.sum(perf * (np.maximum(ref, fl) + spr) * days / 360))
            sched = np.where(mt == t, perf, 0.0)
            pp = (perf - sched) * s
            nb = perf - sched - pp
            if last:
                res["sale"] += float(np.sum(nb * pr))
                nb = np.zeros_like(nb)
            bal[:] = nb
            res["defaults"] += float(np.sum(dflt))
            res["sched"] += float(np.sum(sched))
            res["prepay"] += float(np.sum(pp))
            pending[min(P - 1, t + lag_p)] += float(np.sum(dflt)) * rec
        principal = res["sched"] + res["prepay"] + pending[t] + res["sale"]
        reinvested = 0.0
        if t <= last_rp:
            reinvested = principal
            rpar[t] += principal / r_price
        out.append({"date": end.isoformat(), "interest_collections": res["interest"],
                    "principal_collections": principal, "defaults": res["defaults"], "reinvested": reinvested})
        if np.sum(par) + np.sum(rpar) <= 0 and np.sum(pending[t + 1:]) <= 0:
            break
    return out


def main():
    deal_path, cdr, cpr, rec, lag = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    repeat = int(sys.argv[7]) if len(sys.argv) > 7 and sys.argv[6] == "--repeat" else 1
    with open(deal_path) as f:
        deal = json.load(f)
    t0 = time.perf_counter()
    for _ in range(repeat):
        periods = project(deal, cdr, cpr, rec, lag)
    dt = (time.perf_counter() - t0) / repeat
    print(json.dumps({"periods": periods, "seconds_per_run": dt}))


if __name__ == "__main__":
    main()
