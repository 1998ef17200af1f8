#!/usr/bin/python3
"""Writes a reproducible investor's ledger for the income, benchmark and tearsheet benchmarks
(bench/ledger_income_bench.cpp, bench/ledger_reports.sh, bench/peers/ledger_income_pandas_peer.py).

Usage: /usr/bin/python3 bench/ledger_income_data.py OUT_DIR [--transactions 1000000]
         [--symbols 500] [--years 20] [--seed 7]

Writes OUT_DIR/transactions.csv (the canonical columns of docs/ledger.md: date, type, account,
symbol, quantity, price, fees, amount) and OUT_DIR/prices.csv (date,symbol,close: a close for every
symbol and for the benchmarks SPY and AGG on every weekday of the period).

The history: three accounts over `years` years of weekdays from 2005-01-03; `symbols` stocks whose
closes follow log-normal random walks in whole cents, each moving with SPY by a beta of 0.5 to 1.5
plus its own noise. A fifth of the stocks pay quarterly, one in
twenty monthly, and one in five of the payers has 15% withheld at source (a WITHHOLDING row the same
day); payments go to every account holding shares, at a per-share rate that is raised now and then,
to the cent. One monthly payer, DRIP, reinvests every dividend: a BUY of the same day whose amount is
the net payment. Each account is funded by a deposit every month, withdraws now and then, and is
paid interest on cash every month; a day that leaves an account's cash negative ends with a
deposit that covers it. The rest of the rows are trades: a buy at the day's close of
1..100 shares, or (when the account holds the symbol, with probability 0.35) a sale of part of the
holding, with a fee of 1.00. The same arguments give the same files, byte for byte.
"""
import argparse
import os

import numpy as np

ACCOUNTS = ["taxable", "ira", "joint"]


def weekdays(start, n):
    d = np.busday_offset(np.datetime64(start, "D"), np.arange(n), roll="forward")
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--transactions", type=int, default=1_000_000)
    ap.add_argument("--symbols", type=int, default=500)
    ap.add_argument("--years", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)

    ndays = a.years * 261
    dates = weekdays("2005-01-03", ndays)
    date_text = np.datetime_as_string(dates, unit="D")
    months = dates.astype("datetime64[M]")
    new_month = np.r_[True, months[1:] != months[:-1]]

    # Closes in cents: log-normal walks (stocks about 30% a year, SPY 18%, AGG 5%).
    nsym = a.symbols
    names = [f"S{i + 1:03d}" for i in range(nsym - 1)] + ["DRIP"]
    start = rng.uniform(10.0, 200.0, nsym)
    vol = rng.uniform(0.012, 0.025, nsym)
    drift = rng.normal(0.00015, 0.0002, nsym)
    bench_steps = np.stack([rng.normal(0.0004, 0.011, ndays), rng.normal(0.00015, 0.003, ndays)], axis=1)
    bench_steps[0] = 0.0
    # Each stock moves with the market (SPY) by its beta, plus its own noise.
    beta = rng.uniform(0.5, 1.5, nsym)
    steps = bench_steps[:, :1] * beta + rng.normal(0.0, 1.0, (ndays, nsym)) * vol + drift - 0.0004 * beta
    steps[0] = 0.0
    cents = np.maximum(100, np.rint(start * 100 * np.exp(np.cumsum(steps, axis=0)))).astype(np.int64)
    bench_cents = np.rint(np.array([9000.0, 10000.0]) * np.exp(np.cumsum(bench_steps, axis=0))).astype(np.int64)

    # Dividend payers: frequency, pay month offset, per-share rate in cents, withholding.
    kind = np.zeros(nsym, dtype=np.int8)  # 0 none, 1 quarterly, 2 monthly
    u = rng.uniform(size=nsym)
    kind[u < 0.25] = 1
    kind[u < 0.05] = 2
    kind[nsym - 1] = 2  # DRIP
    offset = rng.integers(0, 3, nsym)
    rate = np.maximum(1, np.rint(start * rng.uniform(0.002, 0.008, nsym))).astype(np.int64)  # cents a share
    withheld = (rng.uniform(size=nsym) < 0.2) & (kind > 0)
    withheld[nsym - 1] = False
    payers = np.flatnonzero(kind > 0)

    held = np.zeros((len(ACCOUNTS), nsym), dtype=np.int64)  # whole shares (DRIP: 10^-4 shares)
    drip_held = [0] * len(ACCOUNTS)  # DRIP in 1/10000 shares
    cash = [0] * len(ACCOUNTS)  # cents
    rows = []
    out = rows.append
    trades_per_day = max(1, a.transactions // ndays)
    # Income, interest and deposits take a few per cent of the rows; trades fill the rest.
    trades_per_day = max(1, int(trades_per_day * 1.03))

    def fmt_cents(c):
        return f"{c // 100}.{c % 100:02d}"

    for d in range(ndays):
        day = date_text[d]
        if new_month[d]:
            for ai, acct in enumerate(ACCOUNTS):
                c = int(rng.integers(200_000, 800_000))
                out(f"{day},DEPOSIT,{acct},,,,,{fmt_cents(c)}")
                cash[ai] += c
                if d > 0:
                    c = int(rng.integers(100, 5_000))
                    out(f"{day},INTEREST,{acct},,,,,{fmt_cents(c)}")
                    cash[ai] += c
                if rng.uniform() < 0.15 and d > 0 and cash[ai] > 300_000:
                    c = int(rng.integers(50_000, 300_000))
                    out(f"{day},WITHDRAWAL,{acct},,,,,{fmt_cents(c)}")
                    cash[ai] -= c
        # Dividends: on the 15th weekday of the month (index within the month), monthly payers every
        # month, quarterly payers every third month from their offset.
        if d >= 15 and months[d] == months[d - 15] and (d - 15 < 0 or new_month[d - 15]):
            m = int(str(months[d])[5:7]) - 1
            if d > 260 and rng.uniform() < 0.5:
                raise_ = payers[rng.uniform(size=len(payers)) < 0.08]
                rate[raise_] += 1
            for s in payers:
                if kind[s] == 1 and (m - offset[s]) % 3 != 0:
                    continue
                for ai, acct in enumerate(ACCOUNTS):
                    if s == nsym - 1:
                        shares = drip_held[ai]
                        if shares <= 0:
                            continue
                        gross = (shares * int(rate[s]) + 5000) // 10000
                        if gross <= 0:
                            continue
                        out(f"{day},DIVIDEND,{acct},DRIP,,,,{fmt_cents(gross)}")
                        px = int(cents[d, s])
                        q = gross * 10000 // px  # 1/10000 shares bought with the payment
                        if q > 0:
                            out(f"{day},BUY,{acct},DRIP,{q // 10000}.{q % 10000:04d},{fmt_cents(px)},0,{fmt_cents(gross)}")
                            drip_held[ai] += q
                        continue
                    shares = int(held[ai, s])
                    if shares <= 0:
                        continue
                    gross = shares * int(rate[s])
                    out(f"{day},DIVIDEND,{acct},{names[s]},,,,{fmt_cents(gross)}")
                    cash[ai] += gross
                    if withheld[s]:
                        tax = (gross * 15 + 50) // 100
                        out(f"{day},WITHHOLDING,{acct},{names[s]},,,,{fmt_cents(tax)}")
                        cash[ai] -= tax
        # Trades.
        syms = rng.integers(0, nsym, trades_per_day)
        accts = rng.integers(0, len(ACCOUNTS), trades_per_day)
        sells = rng.uniform(size=trades_per_day) < 0.35
        qs = rng.integers(1, 101, trades_per_day)
        fr = rng.uniform(size=trades_per_day)
        seen = set()
        for i in range(trades_per_day):
            s, ai = int(syms[i]), int(accts[i])
            if (s, ai) in seen:
                continue
            seen.add((s, ai))
            pc = int(cents[d, s])
            px = fmt_cents(pc)
            if s == nsym - 1:
                if sells[i] and drip_held[ai] >= 10000:
                    q = 1 + int(fr[i] * (drip_held[ai] // 10000))
                    q = min(q, drip_held[ai] // 10000)
                    out(f"{day},SELL,{ACCOUNTS[ai]},DRIP,{q},{px},1.00,")
                    drip_held[ai] -= q * 10000
                    cash[ai] += q * pc - 100
                else:
                    out(f"{day},BUY,{ACCOUNTS[ai]},DRIP,{int(qs[i])},{px},1.00,")
                    drip_held[ai] += int(qs[i]) * 10000
                    cash[ai] -= int(qs[i]) * pc + 100
                continue
            h = int(held[ai, s])
            if sells[i] and h > 0:
                q = 1 + int(fr[i] * h)
                q = min(q, h)
                out(f"{day},SELL,{ACCOUNTS[ai]},{names[s]},{q},{px},1.00,")
                held[ai, s] -= q
                cash[ai] += q * pc - 100
            else:
                out(f"{day},BUY,{ACCOUNTS[ai]},{names[s]},{int(qs[i])},{px},1.00,")
                held[ai, s] += int(qs[i])
                cash[ai] -= int(qs[i]) * pc + 100
        # An account that spent more than its cash is funded the same day (in thousands), so
        # its value never goes negative and the day's return is the holdings' own.
        for ai, acct in enumerate(ACCOUNTS):
            if cash[ai] < 0:
                c = (-cash[ai] // 100_000 + 1) * 100_000
                out(f"{day},DEPOSIT,{acct},,,,,{fmt_cents(c)}")
                cash[ai] += c
        if len(rows) >= a.transactions:
            break
    last = d
    with open(os.path.join(a.out, "transactions.csv"), "w") as f:
        f.write("date,type,account,symbol,quantity,price,fees,amount\n")
        f.write("\n".join(rows[: a.transactions]))
        f.write("\n")

    # Closes of every symbol and benchmark on every weekday up to the last transaction's date.
    n = last + 1
    all_names = names + ["SPY", "AGG"]
    all_cents = np.concatenate([cents[:n], bench_cents[:n]], axis=1)
    whole = (all_cents // 100).astype(str)
    frac = np.char.zfill((all_cents % 100).astype(str), 2)
    closes = np.char.add(np.char.add(whole, "."), frac)
    with open(os.path.join(a.out, "prices.csv"), "w") as f:
        f.write("date,symbol,close\n")
        for t in range(n):
            pre = date_text[t]
            f.write("".join(f"{pre},{all_names[c]},{closes[t, c]}\n" for c in range(len(all_names))))
    print(f"{min(len(rows), a.transactions)} transactions, {len(all_names)} symbols, {n} days "
          f"({date_text[0]} .. {date_text[last]}) in {a.out}")


if __name__ == "__main__":
    main()
