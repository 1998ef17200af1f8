#!/usr/bin/python3
"""Vectorised numpy peer of keel's retirement Monte Carlo (bench/plan_withdrawal_bench.cpp).

Same model as keel plan retire: iid normal returns (annual mean 5 %, sd 12 %; monthly steps use
mean (1.05)^(1/12) - 1 and sd 0.12/sqrt(12)), fixed 2.5 % inflation, 1,000,000 start, first
withdrawal 40,000 a year (4 %) paid at the start of each year (monthly: a twelfth each month),
constant dollar or Guyton-Klinger (withdrawal rule, capital preservation off in the last 15 years,
prosperity, 20 % guardrails, 10 % cut/raise). Outputs like keel: success rate, terminal
percentiles and yearly 5/25/50/75/95 percentile paths of balance and spending.

Run with Debian's interpreter: /usr/bin/python3 bench/peers/plan_withdrawal_peer.py
  (prints one timing line per case: median and best wall-clock and process CPU time of 5 runs
   (3 for the large case), ms; the keel bench reports medians of its repetitions)
/usr/bin/python3 bench/peers/plan_withdrawal_peer.py --reference
  (prints the success rate of the test case of tests/plan/monte_carlo_test.cpp over 2,000,000
   trials, with its standard error)
"""
import sys
import time

import numpy as np

LEVELS = [5, 25, 50, 75, 95]


def simulate(trials, years, spy, strategy, seed=1, mean=0.05, sd=0.12, infl=0.025,
             balance0=1e6, first=40_000.0, paths=True):
    rng = np.random.default_rng(seed)
    steps = years * spy
    mu = (1 + mean) ** (1 / spy) - 1
    sig = sd / np.sqrt(spy)
    infl_s = (1 + infl) ** (1 / spy) - 1
    b = np.full(trials, balance0)
    alive = np.ones(trials, dtype=bool)
    w = np.full(trials, first)
    cpi = 1.0
    cpi_prev = 1.0
    init_rate = first / balance0
    growth_prev = np.ones(trials)
    bal_paths = np.empty((years + 1, trials)) if paths else None
    spend_paths = np.empty((years, trials)) if paths else None
    if paths:
        bal_paths[0] = b
    fail_year = np.zeros(trials, dtype=np.int32)
    for y in range(years):
        if y > 0:
            infl_prev = cpi / cpi_prev - 1
            if strategy == "cd":
                w = w * (1 + infl_prev)
            else:
                with np.errstate(divide="ignore", invalid="ignore"):
                    rate_now = np.where(b > 0, w / b, np.inf)
                    freeze = (growth_prev < 1.0) & (rate_now > init_rate)
                    w = np.where(freeze, w, w * (1 + infl_prev))
                    rate = np.where(b > 0, w / b, np.inf)
                cut = (years - y > 15) & (rate > init_rate * 1.2)
                raise_ = ~cut & (rate < init_rate * 0.8)
                w = np.where(cut, w * 0.9, np.where(raise_, w * 1.1, w))
        cpi_prev = cpi
        step_w = w / spy
        paid = np.zeros(trials)
        growth = np.ones(trials)
        r = rng.normal(mu, sig, size=(spy, trials))
        for k in range(spy):
            b = b - step_w
            newly = alive & (b < 0)
            paid += np.where(alive, np.where(newly, np.maximum(step_w + b, 0.0), step_w), 0.0)
            fail_year[newly] = y + 1
            alive &= ~newly
            g = 1 + np.maximum(r[k], -1.0)
            b = np.where(alive, b * g, 0.0)
            growth *= g
            cpi *= 1 + infl_s
        growth_prev = growth
        if paths:
            bal_paths[y + 1] = b
            spend_paths[y] = paid
    out = {"success": alive.mean(), "terminal": np.percentile(b, LEVELS)}
    if paths:
        out["balance"] = np.percentile(bal_paths, LEVELS, axis=1)
        out["spending"] = np.percentile(spend_paths, LEVELS, axis=1)
    return out


def main():
    if "--reference" in sys.argv:
        # tests/plan/monte_carlo_test.cpp: 1e6 start, 45,000 first withdrawal, 30 years,
        # N(6 %, 15 %) returns, 2.5 % inflation, constant dollar.
        n = 2_000_000
        res = simulate(n, 30, 1, "cd", seed=12345, mean=0.06, sd=0.15, first=45_000.0, paths=False)
        p = res["success"]
        print(f"success {p:.6f} se {np.sqrt(p * (1 - p) / n):.6f} trials {n}")
        res = simulate(n, 30, 1, "gk", seed=54321, mean=0.06, sd=0.15, first=50_000.0, paths=False)
        p = res["success"]
        print(f"gk success {p:.6f} se {np.sqrt(p * (1 - p) / n):.6f} trials {n}")
        return
    for trials, years, spy in [(10_000, 40, 1), (100_000, 40, 12)]:
        for strategy in ["cd", "gk"]:
            walls, cpus = [], []
            reps = 5 if trials * years * spy <= 1_000_000 else 3
            for _ in range(reps):
                t0 = time.perf_counter()
                c0 = time.process_time()
                res = simulate(trials, years, spy, strategy)
                walls.append(time.perf_counter() - t0)
                cpus.append(time.process_time() - c0)
            print(f"numpy {strategy} trials={trials} steps={years * spy}: "
                  f"wall median {np.median(walls) * 1e3:.2f} best {min(walls) * 1e3:.2f} ms, "
                  f"cpu median {np.median(cpus) * 1e3:.2f} best {min(cpus) * 1e3:.2f} ms, "
                  f"success {res['success']:.4f}")


if __name__ == "__main__":
    main()
