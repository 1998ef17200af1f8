#!/usr/bin/env python3
"""Reference prices of American options from QuantLib (Debian's quantlib-python), for
tests/options/american_alo_test.cpp. Writes tests/options/data/american_reference.csv.

Run: /usr/bin/python3 tests/options/american_reference.py > tests/options/data/american_reference.csv

Columns (prices per unit of underlying, strike and spot in the same units):
  right,spot,strike,days,vol,rate,div     the option (years = days / 365, act/365)
  fd_coarse, fd_fine                      QuantLib FdBlackScholesVanillaEngine, Crank-Nicolson with
                                          2 damping steps, (time steps, space points) = (1000, 4000)
                                          and (2000, 8000)
  fd_extrapolated                         2 fd_fine - fd_coarse: Richardson extrapolation, the
                                          American constraint making the scheme first order in the
                                          step (halving the steps halves the error)
  qdfp_high                               QuantLib QdFpAmericanEngine, highPrecisionScheme (an
                                          independent implementation of the same fixed-point method;
                                          empty in the double-boundary case, which it refuses)
  qdfp_delta, qdfp_gamma                  central differences of qdfp_high at spot (1 +- 1%) (the
                                          finite-difference grid's own gamma is too noisy to serve)
  baw                                     QuantLib BaroneAdesiWhaleyApproximationEngine (empty where
                                          it refuses a negative rate)
"""
import sys

import QuantLib as ql

CASES = [
    # spot, strike, years, vol, rate, div
    (100, 100, 1, 0.2, 0.05, 0.0),
    (80, 100, 1, 0.2, 0.05, 0.0),
    (120, 100, 1, 0.2, 0.05, 0.0),
    (100, 100, 0.25, 0.3, 0.03, 0.01),
    (100, 100, 10, 0.3, 0.08, 0.03),
    (80, 100, 30, 0.25, 0.04, 0.06),
    (100, 100, 30, 0.3, 0.10, 0.0),
    (120, 100, 5, 0.4, 0.01, 0.10),
    (100, 100, 20, 0.6, 0.15, 0.001),
    (90, 100, 30, 0.1, 0.10, 0.10),
    (100, 120, 10, 0.2, 0.12, 0.08),
    (100, 100, 3, 0.15, 0.0, 0.05),
    (100, 100, 2, 0.25, -0.01, 0.02),
    (100, 100, 1, 0.3, 0.06, 0.06),
    # negative rates: the double-boundary cases (put q < r < 0, call r < q < 0)
    (100, 100, 1, 0.2, -0.01, -0.03),
    (100, 100, 1, 0.2, -0.03, -0.01),
]


def price(right, spot, strike, days, vol, rate, div, engine):
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
    option.setPricingEngine(engine(process))
    return option.NPV()


def main():
    cn = ql.FdmSchemeDesc.CrankNicolson()
    print("right,spot,strike,days,vol,rate,div,fd_coarse,fd_fine,fd_extrapolated,qdfp_high,qdfp_delta,qdfp_gamma,baw")
    for right in ("put", "call"):
        for spot, strike, years, vol, rate, div in CASES:
            days = round(years * 365)
            args = (right, spot, strike, days, vol, rate, div)
            coarse = price(*args, lambda p: ql.FdBlackScholesVanillaEngine(p, 1000, 4000, 2, cn))
            fine = price(*args, lambda p: ql.FdBlackScholesVanillaEngine(p, 2000, 8000, 2, cn))
            qdfp, delta, gamma = "", "", ""
            try:
                qd = lambda p: ql.QdFpAmericanEngine(p, ql.QdFpAmericanEngine.highPrecisionScheme())
                mid = price(*args, qd)
                h = 0.01 * spot
                up = price(right, spot + h, strike, days, vol, rate, div, qd)
                down = price(right, spot - h, strike, days, vol, rate, div, qd)
                qdfp = f"{mid:.12g}"
                delta = f"{(up - down) / (2 * h):.12g}"
                gamma = f"{(up - 2 * mid + down) / (h * h):.12g}"
            except RuntimeError:  # the double-boundary case
                pass
            try:
                baw = f"{price(*args, ql.BaroneAdesiWhaleyApproximationEngine):.12g}"
            except RuntimeError:  # QuantLib's BAW needs a positive rate
                baw = ""
            print(f"{right},{spot},{strike},{days},{vol},{rate},{div},{coarse:.12g},{fine:.12g},"
                  f"{2 * fine - coarse:.12g},{qdfp},{delta},{gamma},{baw}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
