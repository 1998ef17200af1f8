#!/usr/bin/env python3
"""Dense reference grid of American option prices from QuantLib (Debian's quantlib-python), for
tests/options/american_alo_test.cpp (AloAmerican.DenseGridAgainstQuantLib). Writes
tests/options/data/american_dense_reference.csv.

Run: /usr/bin/python3 tests/options/american_dense_reference.py > tests/options/data/american_dense_reference.csv

The options: 1,000 drawn at random (a fixed seed) from the accuracy domain of docs/options.md —
calls and puts, 1 day to 30 years (log-uniform in days), vol 5% to 120%, rate 0 to 20%, dividend
yield 0 to 15%, spot / strike 0.5 to 2 (log-uniform) — plus its 96 corners (1 day and 30 years, vol
5% and 120%, rate 0.1% and 20%, yield 0 and 15%, spot / strike 0.8, 1 and 1.25, call and put).

Columns (strike 100; prices in the same units):
  right,spot,strike,days,vol,rate,div   the option (years = days / 365, act/365)
  qdfp_fine    QdFpAmericanEngine with QdFpTanhSinhIterationScheme(16, 64, 1e-12) and FP-B:
               QuantLib's fixed-point engine at tighter settings than its highPrecisionScheme
               (10, 30, 1e-10), which is up to 4e-6 off on 10-30 year options at 5% vol
               (on spot checks it agrees with (24, 100, 1e-13) to ~2e-8)
  qdfp_check   the same with (12, 48, 1e-11): the difference is an estimate of the reference's
               own uncertainty (the test adds it to its tolerance)
"""
import math
import random

import QuantLib as ql


def price(right, spot, strike, days, vol, rate, div, scheme):
    today = ql.Date(15, 5, 2020)
    ql.Settings.instance().evaluationDate = today
    dc = ql.Actual365Fixed()
    process = ql.BlackScholesMertonProcess(
        ql.QuoteHandle(ql.SimpleQuote(spot)),
        ql.YieldTermStructureHandle(ql.FlatForward(today, div, dc)),
        ql.YieldTermStructureHandle(ql.FlatForward(today, rate, dc)),
        ql.BlackVolTermStructureHandle(ql.BlackConstantVol(today, ql.NullCalendar(), vol, dc)))
    payoff = ql.PlainVanillaPayoff(ql.Option.Call if right == "call" else ql.Option.Put, strike)
    option = ql.VanillaOption(payoff, ql.AmericanExercise(today, today + days))
    option.setPricingEngine(ql.QdFpAmericanEngine(process, scheme, ql.QdFpAmericanEngine.FP_B))
    return option.NPV()


def cases():
    rng = random.Random(20261124)
    out = []
    for _ in range(1000):
        right = "call" if rng.random() < 0.5 else "put"
        days = max(1, round(math.exp(rng.uniform(0.0, math.log(30 * 365)))))
        vol = round(rng.uniform(0.05, 1.2), 4)
        rate = round(rng.uniform(0.0, 0.2), 4)
        div = round(rng.uniform(0.0, 0.15), 4)
        spot = round(100.0 * math.exp(rng.uniform(math.log(0.5), math.log(2.0))), 4)
        out.append((right, spot, days, vol, rate, div))
    for right in ("call", "put"):
        for days in (1, 30 * 365):
            for vol in (0.05, 1.2):
                for rate in (0.001, 0.2):
                    for div in (0.0, 0.15):
                        for spot in (80.0, 100.0, 125.0):
                            out.append((right, spot, days, vol, rate, div))
    return out


def main():
    fine = ql.QdFpTanhSinhIterationScheme(16, 64, 1e-12)
    check = ql.QdFpTanhSinhIterationScheme(12, 48, 1e-11)
    print("right,spot,strike,days,vol,rate,div,qdfp_fine,qdfp_check")
    for right, spot, days, vol, rate, div in cases():
        a = price(right, spot, 100.0, days, vol, rate, div, fine)
        b = price(right, spot, 100.0, days, vol, rate, div, check)
        print(f"{right},{spot:.10g},100,{days},{vol:.10g},{rate:.10g},{div:.10g},{a:.15g},{b:.15g}", flush=True)


if __name__ == "__main__":
    main()
