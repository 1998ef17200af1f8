#!/usr/bin/python3
"""Peer for keel's price import: what a Python user would write.

pandas.read_csv on the gzip file, then DataFrame.to_sql into a fresh SQLite file, in one
transaction (to_sql's default). Run with Debian's interpreter, which has pandas:
    /usr/bin/python3 bench/peers/import_pandas.py FILE.csv.gz OUT.db
Prints the wall time in seconds as JSON.
"""
import json
import os
import sqlite3
import sys
import time

import pandas as pd


def main() -> None:
    src, db = sys.argv[1], sys.argv[2]
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    t0 = time.perf_counter()
    df = pd.read_csv(src, parse_dates=["date"])
    # The same checks keel makes would cost more; a typical script checks nothing.
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode = WAL")
    df["date"] = df["date"].dt.strftime("%Y-%m-%d")
    df.to_sql("prices", con, index=False, if_exists="replace", chunksize=100_000)
    con.commit()
    con.close()
    t1 = time.perf_counter()
    print(json.dumps({"peer": "pandas read_csv + to_sql", "rows": int(len(df)), "seconds": t1 - t0}))


if __name__ == "__main__":
    main()
