"""numpy peer of keel's multi-currency VaR (docs/risk.md, "Currency risk").

  fx_risk_peer.py gen DIR            writes DIR/prices.csv, DIR/fx.csv, DIR/positions.csv
  fx_risk_peer.py check DIR OUT.json compares `keel --format json risk var` of those files (USD book)

The book: 30 stocks, ten each quoted in USD, EUR and GBP, over 300 business days of prices from a
seeded random walk (Python's Mersenne Twister, the same numbers on every machine). FX rates: EUR/USD
as EUR,USD rows and GBP as USD,GBP rows (so keel inverts them), each with a few days missing (the
latest rate up to 7 days before stands in, as docs/fx.md says). The peer revalues every position
the way docs/risk.md states: V = quantity x price x X at the as-of date, scenario P&L
V ((1 + r)(1 + f) - 1), VaR = -quantile(P&L, 1 - c) by numpy's default interpolation, ES the mean
loss at or beyond it; parametric: z_c x the standard deviation of the P&L of translated returns.
"""
import csv
import datetime as dt
import json
import random
import sys
from statistics import NormalDist

CURRENCIES = ["USD", "EUR", "GBP"]
DAYS = 300


def business_days(start, n):
    out, d = [], start
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def gen(folder):
    rng = random.Random(20240501)
    dates = business_days(dt.date(2023, 1, 2), DAYS)
    symbols = [f"{c[0]}{i:02d}" for c in CURRENCIES for i in range(10)]  # U00.., E00.., G00..
    with open(f"{folder}/prices.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["date", "symbol", "close"])
        level = {s: 50.0 + 100.0 * rng.random() for s in symbols}
        for d in dates:
            market = rng.gauss(0.0, 0.01)
            for s in symbols:
                level[s] *= 1.0 + 0.8 * market + rng.gauss(0.0, 0.012)
                w.writerow([d.isoformat(), s, f"{level[s]:.6f}"])
    with open(f"{folder}/fx.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["date", "base", "quote", "rate"])
        eur, usdgbp = 1.08, 0.79
        for k, d in enumerate(dates):
            eur *= 1.0 + rng.gauss(0.0, 0.005)
            usdgbp *= 1.0 + rng.gauss(0.0, 0.006)
            if k % 37 != 5:  # a few days without a EUR rate
                w.writerow([d.isoformat(), "EUR", "USD", f"{eur:.6f}"])
            if k % 53 != 7:
                w.writerow([d.isoformat(), "USD", "GBP", f"{usdgbp:.6f}"])
    with open(f"{folder}/positions.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["symbol", "quantity", "currency"])
        for i, s in enumerate(symbols):
            qty = (1 + (i * 7) % 13) * 10 * (-1 if i % 9 == 4 else 1)
            w.writerow([s, qty, CURRENCIES[i // 10]])


def check(folder, out_json):
    import numpy as np

    prices = {}
    with open(f"{folder}/prices.csv") as f:
        for row in csv.DictReader(f):
            prices.setdefault(row["symbol"], {})[row["date"]] = float(row["close"])
    rates = {"EUR": {}, "GBP": {}}  # units of USD per unit
    with open(f"{folder}/fx.csv") as f:
        for row in csv.DictReader(f):
            if row["base"] == "EUR":
                rates["EUR"][row["date"]] = float(row["rate"])
            else:
                rates["GBP"][row["date"]] = 1.0 / float(row["rate"])
    positions = []
    with open(f"{folder}/positions.csv") as f:
        for row in csv.DictReader(f):
            positions.append((row["symbol"], float(row["quantity"]), row["currency"]))
    dates = sorted(next(iter(prices.values())))
    window = dates[-253:]

    def rate(cur, day):
        # docs/fx.md: that day's rate, else the latest within 7 calendar days before it.
        d = dt.date.fromisoformat(day)
        for back in range(8):
            key = (d - dt.timedelta(days=back)).isoformat()
            if key in rates[cur]:
                return rates[cur][key]
        raise SystemExit(f"no {cur} rate on or up to 7 days before {day}")

    def x_series(cur):
        if cur == "USD":
            return np.ones(len(window))
        return np.array([rate(cur, d) for d in window])

    fx = {c: x_series(c) for c in CURRENCIES}
    f_ret = {c: fx[c][1:] / fx[c][:-1] - 1.0 for c in CURRENCIES}
    pnl = np.zeros(len(window) - 1)
    translated = []
    values = []
    for sym, qty, cur in positions:
        p = np.array([prices[sym][d] for d in window])
        r = p[1:] / p[:-1] - 1.0
        v = qty * p[-1] * fx[cur][-1]
        t = (1.0 + r) * (1.0 + f_ret[cur]) - 1.0
        pnl += v * t
        translated.append(t)
        values.append(v)
    hist_var = -np.quantile(pnl, 0.01)
    hist_es = -pnl[pnl <= -hist_var].mean()
    cov = np.cov(np.array(translated))  # sample covariance (n - 1) of the translated returns
    e = np.array(values)
    sigma = float(np.sqrt(e @ cov @ e))
    z = NormalDist().inv_cdf(0.99)

    got = json.load(open(out_json))
    res = {r["method"]: r for r in got["results"]}

    def close(a, b):
        return abs(a - b) <= 1e-9 * max(1.0, abs(b))

    print("currency:", got["currency"], "value equal to 1e-9:", close(got["value"], float(e.sum())))
    print("historical VaR equal to 1e-9:", close(res["historical"]["var"], hist_var))
    print("historical ES equal to 1e-9:", close(res["historical"]["es"], hist_es))
    print("parametric VaR equal to 1e-9:", close(res["parametric"]["var"], z * sigma))
    if not all(close(*p) for p in [(got["value"], float(e.sum())), (res["historical"]["var"], hist_var),
                                    (res["historical"]["es"], hist_es), (res["parametric"]["var"], z * sigma)]):
        print("keel:", got["value"], res["historical"]["var"], res["historical"]["es"], res["parametric"]["var"])
        print("numpy:", float(e.sum()), hist_var, hist_es, z * sigma)


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2])
    else:
        check(sys.argv[2], sys.argv[3])
