#!/usr/bin/python3
"""numpy peer of keel's IRRBB cash-flow/discount model (EVE under base + 6 supervisory shocks).

Same model as keel::alm::run_irrbb (docs/alm.md) for books on the "none" calendar (no holiday
adjustment): payment dates backward from maturity every payment_months (month-end clamp), the
period in progress starts at the last date on or before the as-of date (or at start), principal on
the outstanding notional (bullet, linear, annuity with periodic rate rate*months/12), fixed coupons
by day count (act/365, act/360, 30/360 bond basis), floating coupons from the simple forward of the
scenario curve over each reset period (resets backward from maturity every reset_months; reset
frequency a multiple of the payment frequency) plus spread, clamped to floor/cap; non-maturity
deposits run off over their behavioural maturity from the as-of date. Discounting at continuous
zero rates at act/365 times; US Treasury par curve bootstrapped on a semi-annual grid; BCBS shocks
with the EU post-shock floor. Vectorised: every payment period of every position is one row.

Usage:
  alm_irrbb_bench --write-csv /tmp/book100k.csv 100000 --no-calendars
  /usr/bin/python3 bench/peers/alm_eve_peer.py /tmp/book100k.csv [--keel build/apps/keel/keel]
Prints the model time (CSV parsing excluded) and EVE per scenario; with --keel it runs
`keel alm eve` on the same file and prints the relative differences.
"""
import json
import subprocess
import sys
import time

import numpy as np
import pandas as pd

AS_OF = np.datetime64("2020-12-31", "D")
# US Treasury par yields 2020-12-31, percent (US Department of the Treasury).
PAR = [(1 / 12, 0.08), (2 / 12, 0.08), (0.25, 0.09), (0.5, 0.09), (1, 0.10), (2, 0.13), (3, 0.17),
       (5, 0.36), (7, 0.65), (10, 0.93), (20, 1.45), (30, 1.65)]
SIZES = (200.0, 300.0, 150.0)  # USD parallel, short, long (bp), Delegated Regulation (EU) 2024/856
SCENARIOS = ["base", "parallel_up", "parallel_down", "steepener", "flattener", "short_up", "short_down"]


def bootstrap(par):
    ys = np.array([p[0] for p in par])
    rs = np.array([p[1] for p in par]) / 100.0
    years, zeros = [], []
    for y, r in zip(ys, rs):
        if y < 0.5 - 1e-9:
            df = (1 + r / 2) ** (-2 * y)
            years.append(y)
            zeros.append(-np.log(df) / y)
    annuity = 0.0
    for n in range(1, int(np.floor(ys[-1] * 2 + 1e-9)) + 1):
        t = n / 2
        y = np.interp(t, ys, rs)
        df = (1 - y / 2 * annuity) / (1 + y / 2)
        annuity += df
        years.append(t)
        zeros.append(-np.log(df) / t)
    return np.array(years), np.array(zeros)


def shock_bp(kind, t):
    par, short, long_ = SIZES
    e = np.exp(-t / 4)
    s, l = short * e, long_ * (1 - e)
    return {"base": 0 * t, "parallel_up": par + 0 * t, "parallel_down": -par + 0 * t,
            "steepener": -0.65 * np.abs(s) + 0.9 * np.abs(l), "flattener": 0.8 * np.abs(s) - 0.6 * np.abs(l),
            "short_up": s, "short_down": -s}[kind]


def discount_tables(n_days):
    py, pz = bootstrap(PAR)
    t = np.arange(n_days + 1) / 365.0
    z = np.interp(t, py, pz)  # linear in zero rate, flat outside
    out = np.empty((len(SCENARIOS), n_days + 1))
    for i, k in enumerate(SCENARIOS):
        zs = z + shock_bp(k, t) * 1e-4
        if k != "base":
            floor = np.minimum(0.0, -0.015 + 0.0003 * t)
            zs = np.maximum(zs, np.minimum(z, floor))
        out[i] = np.exp(-zs * t)
    return out


def days_in_month(y, m):
    dim = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[m - 1]
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    return np.where((m == 2) & leap, 29, dim)


def add_months(y, m, d, months):
    total = y * 12 + (m - 1) + months
    ny, nm = total // 12, total % 12 + 1
    nd = np.minimum(d, days_in_month(ny, nm))
    serial = ((ny - 1970) * 12 + nm - 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + nd - 1
    return serial, ny, nm, nd


def ymd(serial):
    dt = serial.astype("datetime64[D]")
    y = dt.astype("datetime64[Y]").astype(np.int64) + 1970
    m = dt.astype("datetime64[M]").astype(np.int64) % 12 + 1
    d = (dt - dt.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    return y, m, d


def year_fraction(dc, a, ay, am, ad, b, by, bm, bd):
    d1 = np.where(ad == 31, 30, ad)
    d2 = np.where((bd == 31) & (d1 >= 30), 30, bd)
    thirty = (360 * (by - ay) + 30 * (bm - am) + (d2 - d1)) / 360.0
    return np.select([dc == 0, dc == 1, dc == 2], [(b - a) / 365.0, (b - a) / 360.0, thirty], (b - a) / 365.0)


def model(df):
    as_of = AS_OF.astype(np.int64)
    n = len(df)
    notional = df["notional"].to_numpy(float)
    rate = df["rate"].to_numpy(float)
    spread = df["spread"].fillna(0).to_numpy(float)
    floor = df["floor"].fillna(-np.inf).to_numpy(float)
    cap = df["cap"].fillna(np.inf).to_numpy(float)
    sign = np.where(df["side"].to_numpy() == "asset", 1.0, -1.0)
    floating = df["rate_type"].to_numpy() == "floating"
    amort = df["amortization"].map({"bullet": 0, "linear": 1, "annuity": 2}).to_numpy()
    dc = df["day_count"].map({"act/365": 0, "act/360": 1, "30/360": 2}).to_numpy()
    pm = df["payment_frequency"].astype(str).str.rstrip("M").astype(int).to_numpy()
    rm = df["reset_frequency"].fillna("3M").astype(str).str.rstrip("M").astype(int).to_numpy()
    beh = df["behavioural_maturity"].fillna("0Y").astype(str).str.rstrip("Y").astype(float).to_numpy()
    start = df["start_date"].to_numpy("datetime64[D]").astype(np.int64)
    mat = df["maturity_date"].to_numpy("datetime64[D]").astype(np.int64)
    nmd = beh > 0
    ay, am, ad = ymd(np.array([as_of]))
    beh_mat, _, _, _ = add_months(np.full(n, ay[0]), np.full(n, am[0]), np.full(n, ad[0]), np.rint(beh * 12).astype(np.int64))
    mat = np.where(nmd, beh_mat, mat)
    start = np.where(nmd, as_of, start)
    my, mm, md = ymd(mat)

    # Upper bound of periods after the as-of date, then one row per candidate period.
    months_left = (my - ay[0]) * 12 + (mm - am[0]) + 1
    step = np.where(pm == 0, 1, pm)
    kmax = np.where(pm == 0, 1, months_left // step + 2)
    pos = np.repeat(np.arange(n), kmax)
    k = np.arange(len(pos)) - np.repeat(np.cumsum(kmax) - kmax, kmax)
    u, uy, um, ud = add_months(my[pos], mm[pos], md[pos], -k * step[pos])
    valid = (k == 0) | ((pm[pos] > 0) & (u > start[pos]) & (u > as_of))
    count = np.bincount(pos, weights=valid, minlength=n).astype(np.int64)  # periods n_i
    # Period start: the next row's date, or p0 for the earliest period.
    nxt = np.roll(u, -1)
    nxt_y, nxt_m, nxt_d = np.roll(uy, -1), np.roll(um, -1), np.roll(ud, -1)
    first_row = np.cumsum(kmax) - kmax
    p0_row = first_row + count  # the first row that failed: u <= start or u <= as_of
    p0_row = np.minimum(p0_row, first_row + kmax - 1)
    p0_u = u[p0_row]
    p0 = np.where((pm == 0) | (p0_u <= start) | (count >= kmax), start, p0_u)
    is_last = k == count[pos] - 1
    s_ser = np.where(is_last, p0[pos], nxt)
    sy, sm, sd = ymd(s_ser)
    keep = valid & (k < count[pos])
    pos, k, u, uy, um, ud, s_ser, sy, sm, sd = (a[keep] for a in (pos, k, u, uy, um, ud, s_ser, sy, sm, sd))

    # Principal on the outstanding notional; j = index from the first future period.
    nn = count[pos].astype(float)
    j = (count[pos] - 1 - k).astype(float)
    B = notional[pos]
    per = rate[pos] * pm[pos] / 12.0
    a_code = np.where((amort[pos] == 2) & ((pm[pos] == 0) | (np.abs(per) < 1e-12)), np.where(pm[pos] == 0, 0, 1), amort[pos])
    safe = np.where(np.abs(per) < 1e-12, 1.0, per)
    level = B * safe / (1 - (1 + safe) ** (-nn))
    growth = (1 + safe) ** j
    bal_annuity = B * growth - level * (growth - 1) / safe
    balance = np.select([a_code == 0, a_code == 1], [B, B - j * B / nn], bal_annuity)
    last = k == 0
    principal = np.select([a_code == 0, a_code == 1], [np.where(last, B, 0.0), B / nn],
                          np.where(last, bal_annuity, level - bal_annuity * safe))
    principal = np.where(last, balance, principal)
    tau = year_fraction(dc[pos], s_ser, sy, sm, sd, u, uy, um, ud)
    pay_day = u - as_of

    # Floating: governing reset of the period (reset frequency a multiple of the payment one).
    q = np.maximum(rm[pos] // np.maximum(pm[pos], 1), 1)
    jr = -(-(k + 1) // q)
    r_ser, r_y, r_m, r_d = add_months(my[pos], mm[pos], md[pos], -jr * rm[pos])
    e_ser, e_y, e_m, e_d = add_months(my[pos], mm[pos], md[pos], -(jr - 1) * rm[pos])
    has_fix = floating[pos] & (r_ser > start[pos]) & (r_ser > as_of)
    r_tau = year_fraction(dc[pos], r_ser, r_y, r_m, r_d, e_ser, e_y, e_m, e_d)
    r_day = np.clip(r_ser - as_of, 0, None)
    e_day = np.clip(e_ser - as_of, 0, None)

    n_days = int(pay_day.max()) + 1
    tables = discount_tables(n_days)
    fixed_interest = balance * rate[pos] * tau
    eve = {}
    for i, name in enumerate(SCENARIOS):
        dfs = tables[i]
        fwd = (dfs[r_day] / dfs[e_day] - 1.0) / np.where(has_fix, r_tau, 1.0)
        coupon = np.where(has_fix, np.clip(fwd + spread[pos], floor[pos], cap[pos]), rate[pos])
        interest = np.where(floating[pos], balance * coupon * tau, fixed_interest)
        eve[name] = float(np.sum(sign[pos] * (principal + interest) * dfs[pay_day]))
    return eve, len(pos)


def main():
    path = sys.argv[1]
    keel = sys.argv[sys.argv.index("--keel") + 1] if "--keel" in sys.argv else None
    t0 = time.perf_counter()
    df = pd.read_csv(path)
    t1 = time.perf_counter()
    c1 = time.process_time()
    if (df["calendar"] != "none").any():
        sys.exit("the peer models the 'none' calendar only: write the book with --no-calendars")
    eve, rows = model(df)
    t2 = time.perf_counter()
    c2 = time.process_time()
    print(json.dumps({"positions": len(df), "periods": rows, "csv_seconds": round(t1 - t0, 3),
                      "model_seconds": round(t2 - t1, 3), "model_cpu_seconds": round(c2 - c1, 3), "eve": eve},
                     indent=1))
    if keel:
        out = subprocess.run([keel, "--format", "json", "alm", "eve", "--balance-sheet", path, "--curve",
                              "examples/alm/ust_par_2020-12-31.csv", "--curve-type", "par", "--rate-units",
                              "percent", "--as-of", "2020-12-31"], capture_output=True, text=True, check=True)
        k = json.loads(out.stdout)
        ref = {"base": k["base"], **{s["name"]: s["eve"] for s in k["scenarios"]}}
        for name in SCENARIOS:
            print(f"{name:14s} keel {ref[name]:20.2f} numpy {eve[name]:20.2f} rel.diff {abs(ref[name] - eve[name]) / abs(ref[name]):.2e}")


if __name__ == "__main__":
    main()
