#!/usr/bin/python3
"""Independent check of keel's historical stress shocks (pandas, not keel).

For each historical scenario window (start, end] the shock of a factor is its compounded daily
return prod(1 + f_t) - 1 over the Fama-French rows dated after `start` up to and including `end`
(percent in the file, divided by 100). Compare with `keel risk scenario-shocks` and with
data/stress/scenarios.json.

usage: /usr/bin/python3 bench/peers/factors_scenario_shocks.py [../shared/data/factors/ff5_daily_1963_2024.csv]
"""
import json
import os
import sys

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, "..", "..", "..", "shared", "data", "factors", "ff5_daily_1963_2024.csv")
WINDOWS = [
    ("black_monday_1987", "1987-10-14", "1987-10-19"),
    ("dotcom_bust_2000", "2000-03-24", "2002-10-09"),
    ("gfc_2008", "2007-10-09", "2009-03-09"),
    ("euro_debt_2011", "2011-07-22", "2011-10-03"),
    ("covid_crash_2020", "2020-02-19", "2020-03-23"),
    ("inflation_shock_2022", "2022-01-03", "2022-10-12"),
]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    ff = pd.read_csv(path, parse_dates=["date"]).set_index("date") / 100.0
    ff.columns = [c.lower() for c in ff.columns]
    out = {}
    for name, start, end in WINDOWS:
        w = ff[(ff.index > start) & (ff.index <= end)]
        out[name] = {c: float((1.0 + w[c]).prod() - 1.0) for c in ff.columns if c != "rf"}
        out[name]["days"] = int(len(w))
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
