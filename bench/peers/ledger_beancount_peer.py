#!/usr/bin/python3
"""Peer for keel's ledger: books a canonical keel transactions CSV with beancount (Debian's
python3-beancount 2.3) and prints, as JSON, the cost basis beancount relieved for every sale and
the inventory left per symbol.

Usage: /usr/bin/python3 bench/peers/ledger_beancount_peer.py FILE.csv --method fifo|lifo
         [--time] [--beancount-out FILE.beancount]

Only BUY and SELL rows with whole-cent prices and no fees are supported (that is what
bench/ledger_generator.h produces for the cross-check): beancount holds lots at a per-unit cost,
so cost = units x unit cost exactly. The sale's proceeds go to Assets:Cash and the gain is
interpolated into Income:Gains, so beancount alone decides which lots are reduced.

Output: {"method": .., "sales": [{"row": n, "cost": "123.40", "lots": k}], "inventory":
{"SYM": {"units": "12", "cost": "456.78"}}, "seconds": {"write": .., "load": ..}}
(`row` is the 1-based data row of the CSV; costs are exact decimal strings.)
"""
import argparse
import csv
import io
import json
import sys
import time
from decimal import Decimal

from beancount import loader
from beancount.core import data, realization


def to_beancount(rows, method):
    out = io.StringIO()
    symbols = sorted({r["symbol"] for r in rows})
    out.write('option "operating_currency" "USD"\n')
    out.write('2000-01-01 open Assets:Cash USD\n')
    out.write('2000-01-01 open Income:Gains USD\n')
    for s in symbols:
        out.write('2000-01-01 commodity %s\n' % s)
        out.write('2000-01-01 open Assets:Broker:%s %s "%s"\n' % (s, s, method.upper()))
    for n, r in enumerate(rows, start=1):
        qty = Decimal(r["quantity"])
        price = Decimal(r["price"])
        if r.get("fees") not in (None, "", "0"):
            raise SystemExit("fees are not supported by this peer (row %d)" % n)
        cash = (qty * price).quantize(Decimal("0.01"))
        if r["type"] == "BUY":
            out.write('%s * "BUY %d"\n  Assets:Broker:%s  %s %s {%s USD}\n  Assets:Cash  %s USD\n\n'
                      % (r["date"], n, r["symbol"], qty, r["symbol"], price, -cash))
        elif r["type"] == "SELL":
            out.write('%s * "SELL %d"\n  Assets:Broker:%s  %s %s {}\n  Assets:Cash  %s USD\n'
                      '  Income:Gains\n\n' % (r["date"], n, r["symbol"], -qty, r["symbol"], cash))
        else:
            raise SystemExit("row %d: only BUY and SELL are supported, got %s" % (n, r["type"]))
    return out.getvalue()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--method", default="fifo", choices=["fifo", "lifo"])
    ap.add_argument("--beancount-out")
    args = ap.parse_args()

    t0 = time.perf_counter()
    with open(args.csv, newline="") as f:
        rows = list(csv.DictReader(f))
    text = to_beancount(rows, args.method)
    t1 = time.perf_counter()
    if args.beancount_out:
        with open(args.beancount_out, "w") as f:
            f.write(text)
    entries, errors, _ = loader.load_string(text)
    t2 = time.perf_counter()
    if errors:
        for e in errors[:20]:
            print("beancount error: %s" % (e.message,), file=sys.stderr)
        sys.exit(1)

    sales = []
    for e in entries:
        if not isinstance(e, data.Transaction) or not e.narration.startswith("SELL "):
            continue
        cost = Decimal(0)
        lots = 0
        for p in e.postings:
            if p.account.startswith("Assets:Broker:"):
                cost += -p.units.number * p.cost.number
                lots += 1
        sales.append({"row": int(e.narration.split()[1]), "cost": str(cost.quantize(Decimal("0.01"))),
                      "lots": lots})
    real = realization.realize(entries)
    inventory = {}
    for acc in realization.iter_children(real):
        if not acc.account.startswith("Assets:Broker:"):
            continue
        sym = acc.account.split(":")[-1]
        units = Decimal(0)
        cost = Decimal(0)
        for pos in acc.balance:
            units += pos.units.number
            cost += pos.units.number * pos.cost.number
        if units != 0:
            inventory[sym] = {"units": format(units.normalize(), "f"), "cost": str(cost.quantize(Decimal("0.01")))}
    json.dump({"method": args.method, "sales": sales, "inventory": inventory,
               "seconds": {"write": t1 - t0, "load": t2 - t1}}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
