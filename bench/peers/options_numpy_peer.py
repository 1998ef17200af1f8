#!/usr/bin/python3
"""Peer of bench/options_greeks_bench.cpp: the same 1,000,000 European options (bench/options_book.h,
same LCG) priced with vectorised numpy/scipy, price and five Greeks (delta, gamma, vega, theta, rho).

Run with Debian's interpreter: /usr/bin/python3 bench/peers/options_numpy_peer.py [N]
Prints one JSON line: wall and CPU time of the best of 5 runs in ms, and the checksum keel prints.
"""
import json
import sys
import time

import numpy as np
from scipy.special import ndtr

MASK = (1 << 64) - 1


def book(n):
    """The benchmark book: Knuth MMIX LCG, u in [0, 1) from the top 53 bits, six draws per option
    in the order of options_book.h (right, spot, days, vol, rate, div); strike 100."""
    x = 42
    draws = np.empty((n, 6))
    for i in range(n):
        row = draws[i]
        for j in range(6):
            x = (x * 6364136223846793005 + 1442695040888963407) & MASK
            row[j] = (x >> 11) * (1.0 / 9007199254740992.0)
    is_call = draws[:, 0] < 0.5
    spot = 50.0 + 100.0 * draws[:, 1]
    strike = np.full(n, 100.0)
    days = 1 + np.floor(729.0 * draws[:, 2])
    years = days / 365.0
    vol = 0.10 + 0.50 * draws[:, 3]
    rate = 0.05 * draws[:, 4]
    div = 0.03 * draws[:, 5]
    return is_call, spot, strike, years, vol, rate, div


def greeks(is_call, s, k, t, v, r, q):
    w = np.where(is_call, 1.0, -1.0)
    sqrt_t = np.sqrt(t)
    sd = v * sqrt_t
    d1 = (np.log(s / k) + (r - q) * t) / sd + 0.5 * sd
    d2 = d1 - sd
    dq = np.exp(-q * t)
    dr = np.exp(-r * t)
    n1 = ndtr(w * d1)
    n2 = ndtr(w * d2)
    pdf = np.exp(-0.5 * d1 * d1) / np.sqrt(2.0 * np.pi)
    fs = s * dq
    fk = k * dr
    price = w * (fs * n1 - fk * n2)
    delta = w * dq * n1
    gamma = dq * pdf / (s * sd)
    vega = fs * pdf * sqrt_t
    theta = -fs * pdf * v / (2.0 * sqrt_t) + w * (q * fs * n1 - r * fk * n2)
    rho = w * k * t * dr * n2
    return price, delta, gamma, vega, theta, rho


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    args = book(n)
    best_wall = best_cpu = float("inf")
    out = None
    for _ in range(5):
        w0, c0 = time.perf_counter(), time.process_time()
        out = greeks(*args)
        best_wall = min(best_wall, time.perf_counter() - w0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    checksum = float(sum(np.sum(a) for a in out))
    print(json.dumps({"peer": "numpy", "options": n, "wall_ms": best_wall * 1e3,
                      "cpu_ms": best_cpu * 1e3, "checksum": checksum}))


if __name__ == "__main__":
    main()
