#!/usr/bin/env python3
"""Reference Black-Scholes-Merton prices for the implied-vol round trips of
tests/options/implied_vol_test.cpp, computed with mpmath at 60 significant digits (so the
double-precision price carries no cancellation error, however far out of the money), plus the
implied vol scipy's brentq finds on scipy's own double-precision price (the usual peer).
Writes tests/options/data/implied_vol_reference.csv.

Run: /usr/bin/python3 tests/options/implied_vol_reference.py > tests/options/data/implied_vol_reference.csv

Columns: right,spot,strike,years,rate,div,vol   the option (strike = F exp(k_sd vol sqrt T))
         price          the exact price rounded to double
         elasticity     d ln(price) / d ln(vol) = vega vol / price: a relative vol error e moves
                        the price by e * elasticity (relative)
         strike_elasticity  |d ln(price) / d ln(strike)|: how far rounding the inputs to double
                        (about 1e-16 relative each) moves the price, i.e. the accuracy any double
                        precision solver can reach
         scipy_iv       brentq on the scipy.stats.norm price in [1e-6, 50], xtol 1e-15, rtol 8.9e-16 (its minimum)
                        (empty where brentq cannot bracket the root)
"""
import math
import sys

import mpmath as mp
from scipy.optimize import brentq
from scipy.stats import norm

mp.mp.dps = 60


def price_mp(w, s, k, t, v, r, q):
    s, k, t, v, r, q = (mp.mpf(a) for a in (s, k, t, v, r, q))
    sd = v * mp.sqrt(t)
    d1 = (mp.log(s / k) + (r - q) * t) / sd + sd / 2
    d2 = d1 - sd
    p = w * (s * mp.e ** (-q * t) * mp.ncdf(w * d1) - k * mp.e ** (-r * t) * mp.ncdf(w * d2))
    vega = s * mp.e ** (-q * t) * mp.npdf(d1) * mp.sqrt(t)
    dp_dk = -w * mp.e ** (-r * t) * mp.ncdf(w * d2)
    return p, vega * v / p, abs(dp_dk * k / p)


def price_scipy(w, s, k, t, v, r, q):
    sd = v * math.sqrt(t)
    d1 = (math.log(s / k) + (r - q) * t) / sd + sd / 2
    d2 = d1 - sd
    return w * (s * math.exp(-q * t) * norm.cdf(w * d1) - k * math.exp(-r * t) * norm.cdf(w * d2))


def main():
    print("right,spot,strike,years,rate,div,vol,price,elasticity,strike_elasticity,scipy_iv")
    spot, rate, div = 100.0, 0.03, 0.01
    for right, w in (("call", 1), ("put", -1)):
        for days in (1, 7, 30, 365, 3650, 10950):
            years = days / 365
            for vol in (0.001, 0.01, 0.05, 0.2, 0.5, 1.0, 3.0, 10.0):
                for k_sd in (-30, -10, -6, -3, -1, -0.3, 0, 0.3, 1, 3, 6, 10, 30):
                    fwd = spot * math.exp((rate - div) * years)
                    exponent = k_sd * vol * math.sqrt(years)
                    if abs(exponent) > 600:
                        continue
                    strike = fwd * math.exp(exponent)
                    p, elasticity, k_elasticity = price_mp(w, spot, strike, years, vol, rate, div)
                    price = float(p)
                    lower = max(w * (spot * math.exp(-div * years) - strike * math.exp(-rate * years)), 0.0)
                    upper = spot * math.exp(-div * years) if w > 0 else strike * math.exp(-rate * years)
                    # Keep prices with time value visible in double and below the upper bound.
                    if not (price > 1e-300 and price - lower > 1e-12 * price and price < upper * (1 - 1e-12)):
                        continue
                    try:
                        iv = brentq(lambda v: price_scipy(w, spot, strike, years, v, rate, div) - price,
                                    1e-6, 50.0, xtol=1e-15, rtol=8.9e-16, maxiter=500)
                        iv = f"{iv:.17g}"
                    except (ValueError, RuntimeError, ZeroDivisionError):
                        iv = ""
                    print(f"{right},{spot:.17g},{strike:.17g},{years:.17g},{rate},{div},{vol},"
                          f"{price:.17g},{float(elasticity):.6g},{float(k_elasticity):.6g},{iv}")


if __name__ == "__main__":
    sys.exit(main())
