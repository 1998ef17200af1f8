#!/usr/bin/python3
"""Peer for keel's market-data sync: what a Python user would write.

Starts `marketdata_sync_bench --serve` (the same 500 generated Yahoo chart documents on
loopback), then for each symbol GETs /v8/finance/chart/{SYM} over one keep-alive connection
(http.client), parses the JSON (json module) and inserts the bars into a fresh SQLite file in one
transaction. No validation, no cache, no rate limit: a lower bound for the same job.
    /usr/bin/python3 bench/peers/marketdata_sync_peer.py build/bench/marketdata_sync_bench OUT.db
Prints {"seconds", "requests", "bars"} as JSON.
"""
import http.client
import json
import os
import sqlite3
import subprocess
import sys
import time


def symbol(i: int) -> str:
    return "S" + chr(65 + i // 26 // 26 % 26) + chr(65 + i // 26 % 26) + chr(65 + i % 26)


def main() -> None:
    bench, db = sys.argv[1], sys.argv[2]
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    server = subprocess.Popen([bench, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port = int(server.stdout.readline())
    try:
        t0 = time.perf_counter()
        con = sqlite3.connect(db)
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("CREATE TABLE prices (symbol TEXT, date TEXT, open REAL, high REAL, low REAL, close REAL,"
                    " adj_close REAL, volume REAL, PRIMARY KEY (symbol, date)) WITHOUT ROWID")
        conn = http.client.HTTPConnection("127.0.0.1", port)
        bars = 0
        with con:
            for i in range(500):
                conn.request("GET", f"/v8/finance/chart/{symbol(i)}?period1=1546387200&period2=1703894400&interval=1d")
                doc = json.loads(conn.getresponse().read())
                r = doc["chart"]["result"][0]
                q = r["indicators"]["quote"][0]
                adj = r["indicators"]["adjclose"][0]["adjclose"]
                rows = [(symbol(i), time.strftime("%Y-%m-%d", time.gmtime(t - 18000)), q["open"][k], q["high"][k],
                         q["low"][k], q["close"][k], adj[k], q["volume"][k]) for k, t in enumerate(r["timestamp"])]
                con.executemany("INSERT OR REPLACE INTO prices VALUES (?,?,?,?,?,?,?,?)", rows)
                bars += len(rows)
        seconds = time.perf_counter() - t0
        print(json.dumps({"seconds": seconds, "requests": 500, "bars": bars}))
    finally:
        server.stdin.close()
        server.wait()


if __name__ == "__main__":
    main()
