#!/usr/bin/env python3
"""The engines' rates of keel/service/admission.h on this machine: CPU seconds (user + system) of
keel commands whose steps the admission's formulas count, on synthetic prices (a random walk of
1% daily moves, seed 1) and the example CLO deal.

    bench/admission_rates.py KEEL_BIN ROOT

Prints steps, CPU seconds and steps per second for each engine; src/service/admission.cpp keeps
rounded-down values of a 2-core x86-64 run (docs/server.md, "Limits").
"""
import datetime
import math
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile


def cpu(keel, args):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run([keel] + args, capture_output=True, text=True)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode:
        raise SystemExit(f"keel {' '.join(args)} failed: {p.stderr[:400]}")
    return (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def wide(n, days, path):
    rng = random.Random(1)
    with open(path, "w") as f:
        f.write("date," + ",".join(f"S{i:04d}" for i in range(n)) + "\n")
        px = [100.0] * n
        d, k = datetime.date(2015, 1, 1), 0
        while k < days:
            if d.weekday() < 5:
                f.write(d.isoformat() + "," + ",".join(f"{p:.4f}" for p in px) + "\n")
                px = [p * math.exp(rng.gauss(0, 0.01)) for p in px]
                k += 1
            d += datetime.timedelta(days=1)
    with open(path + ".pos", "w") as f:
        f.write("symbol,quantity\n" + "".join(f"S{i:04d},10\n" for i in range(n)))


def show(name, steps, seconds):
    print(f"{name:44} {steps:11.3e} steps {seconds:7.2f} s CPU {steps / seconds:11.3e} steps/s")


def main():
    keel, root = sys.argv[1], sys.argv[2]
    w = tempfile.mkdtemp(prefix="keel_rates_")
    try:
        wide(50, 300, w + "/p50.csv")
        var = ["risk", "var", "--positions", w + "/p50.csv.pos", "--prices", w + "/p50.csv", "--method", "montecarlo",
               "--format", "json", "--paths"]
        s = cpu(keel, var + ["4000000"]) - cpu(keel, var + ["1000"])
        show("Monte Carlo VaR: 2 x 4e6 paths x 50 assets", 2 * 4e6 * 50, s)
        s = cpu(keel, ["plan", "retire", "--balance", "1000000", "--years", "60", "--trials", "2000000",
                       "--withdrawal-rate", "0.04", "--format", "json"])
        show("plan: 2e6 trials x 60 years", 2e6 * 60, s)
        deal = os.path.join(root, "examples/clo/example_bsl_clo.json")  # 160 loans, 50 periods, 6 tranches
        axis = [str(0.9 * i / 20) for i in range(20)]
        s = cpu(keel, ["clo", "grid", "--deal", deal, "--cdr", *axis, "--cpr", *axis, "--recovery", *axis[:5],
                       "--format", "json"])
        show("CLO grid: 2,000 points x 50 x (160 + 24 + 16)", 2000 * 50 * (160 + 24 + 16), s)
        s = cpu(keel, ["clo", "montecarlo", "--deal", deal, "--scenarios", "4000", "--format", "json"])
        show("CLO Monte Carlo: 4,000 x 50 x (320 + 24 + 16)", 4000 * 50 * (320 + 24 + 16), s)
        wide(400, 300, w + "/p400.csv")
        s = cpu(keel, ["optimize", "--positions", w + "/p400.csv.pos", "--prices", w + "/p400.csv", "--objective",
                       "min-variance", "--long-only", "--format", "json"])
        n = 400
        show("min-variance: 400 assets (the model's multiply-adds)", 299 * n * n + 40 * (n ** 3 / 3 + 10 * n * n), s)
        wide(200, 1001, w + "/p200.csv")
        s = cpu(keel, ["optimize", "--positions", w + "/p200.csv.pos", "--prices", w + "/p200.csv", "--objective",
                       "min-cvar", "--long-only", "--window", "1000", "--format", "json"])
        show("min-CVaR: 1,000 scenarios x 202 x 1,200 pivots", 1000 * 202 * 1200, s)
        # Factor betas: 1,000 assets regressed on five factors over 1,000 returns, less the same
        # over 10 returns (the reading of the book and the factors, nearly all of it).
        wide(1000, 1001, w + "/p1000.csv")
        with open(w + "/f.csv", "w") as f:
            rng = random.Random(2)
            f.write("date,mkt_rf,smb,hml,rmw,cma,rf\n")
            d, k = datetime.date(2015, 1, 1), 0
            while k < 1001:
                if d.weekday() < 5:
                    f.write(d.isoformat() + "," + ",".join(f"{rng.gauss(0, 0.01):.6f}" for _ in range(5)) + ",0\n")
                    k += 1
                d += datetime.timedelta(days=1)
        factors = ["risk", "factors", "--positions", w + "/p1000.csv.pos", "--prices", w + "/p1000.csv", "--factors",
                   w + "/f.csv", "--factor-units", "decimal", "--format", "json", "--window"]
        s = cpu(keel, factors + ["1000"]) - cpu(keel, factors + ["10"])
        show("factor betas: 990 returns x 1,000 assets x 6^2", 990 * 1000 * 36, s)
        # IRRBB: 20,000 monthly-paying 10-year loans, EVE and NII (2 x 7 scenarios x 121 payments).
        sheet = w + "/sheet.csv"
        with open(sheet, "w") as f:
            f.write("id,side,type,currency,notional,start_date,maturity_date,rate_type,rate,spread,index,"
                    "reset_frequency,payment_frequency,amortization,day_count,first_reset_date,floor,cap,"
                    "behavioural_maturity\n")
            for i in range(20000):
                f.write(f"L{i},asset,loan,USD,1000000,2020-12-31,2030-12-31,fixed,0.03,,,,1M,annuity,30/360,,,,\n")
        alm = ["alm", "nii", "--balance-sheet", sheet, "--curve", os.path.join(root, "examples/alm/ust_par_2020-12-31.csv"),
               "--curve-type", "par", "--rate-units", "percent", "--as-of", "2020-12-31", "--format", "json"]
        s = cpu(keel, alm)
        show("IRRBB: 20,000 positions x 121 payments x 14 runs", 20000 * 121 * 14, s)
    finally:
        shutil.rmtree(w, ignore_errors=True)


if __name__ == "__main__":
    main()
