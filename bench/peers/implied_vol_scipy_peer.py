#!/usr/bin/python3
"""Peer of BM_ImpliedVolBatch (bench/options_greeks_bench.cpp): implied vols of the benchmark book
(bench/options_book.h, same LCG; prices from the numpy Black-Scholes of options_numpy_peer.py) by
scipy.optimize.brentq over the numpy price, one option at a time as a Python user writes it
(bracket [1e-6, 10], xtol 1e-15, rtol 8.9e-16). brentq costs ~100 us per option, so the first N
options of the book are solved (default 20,000) and the time is also given per 1,000,000.

Run with Debian's interpreter: /usr/bin/python3 bench/peers/implied_vol_scipy_peer.py [N]
Prints one JSON line: CPU ms for N options, the same scaled to 1M, solved count, peak RSS in MB.
"""
import json
import math
import resource
import sys
import time

from scipy.optimize import brentq
from scipy.special import ndtr

from options_numpy_peer import book, greeks


def price(w, s, k, t, v, r, q):
    sd = v * math.sqrt(t)
    d1 = (math.log(s / k) + (r - q) * t) / sd + 0.5 * sd
    d2 = d1 - sd
    return w * (s * math.exp(-q * t) * ndtr(w * d1) - k * math.exp(-r * t) * ndtr(w * d2))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    is_call, spot, strike, years, vol, rate, div = book(n)
    prices = greeks(is_call, spot, strike, years, vol, rate, div)[0]
    solved = 0
    c0 = time.process_time()
    for i in range(n):
        w = 1.0 if is_call[i] else -1.0
        args = (w, spot[i], strike[i], years[i])
        target = prices[i]
        try:
            brentq(lambda v: price(*args, v, rate[i], div[i]) - target, 1e-6, 10.0,
                   xtol=1e-15, rtol=8.9e-16, maxiter=500)
            solved += 1
        except (ValueError, RuntimeError):
            pass  # prices at their intrinsic value: no vol, as in keel (kBelowLowerBound)
    cpu_ms = (time.process_time() - c0) * 1e3
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({"peer": "scipy-brentq", "options": n, "cpu_ms": cpu_ms,
                      "cpu_ms_per_million": cpu_ms * 1e6 / n, "solved": solved, "peak_rss_mb": rss_mb}))


if __name__ == "__main__":
    main()
