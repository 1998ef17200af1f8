#!/usr/bin/env python3
"""A login flood against a fresh `keel serve`: peak resident memory and login latency.

    bench/login_flood.py KEEL_BIN [--concurrency 96,1000] [--unknown-share 0.67] [--serve-arg ARG ...]

For each concurrency N it starts `keel serve` on a fresh SQLite store with one user (argon2id at
keel's default cost, made by `keel user add`), sends N logins at once — a share of them for user
names that do not exist, the rest with the real user's password — each from its own client address
(`--trust-proxy 127.0.0.1` and X-Forwarded-For, so that the per-address limits and login
throttling, which would otherwise refuse most of a flood before any password is checked, stay
out of the measurement), waits for every answer, and prints:

    concurrency, answers by status, p50 / p99 / max latency, the server's peak RSS (VmHWM of
    /proc/PID/status) and its RSS at start.

Only Python's standard library; the keel binary is the one under test (run it twice, with the
binary before and after a change, for a comparison). Figures depend on the machine: note its cores.
"""
import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

PASSWORD = "correct horse battery staple"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def wait_ready(port, timeout=30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/readyz")
            if c.getresponse().status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, int(round(q * (len(sorted_values) - 1)))))
    return sorted_values[k]


def flood(keel, concurrency, unknown_share, serve_args):
    workdir = tempfile.mkdtemp(prefix="keel_login_flood_")
    db = os.path.join(workdir, "keel.db")
    env = dict(os.environ, KEEL_JWT_SECRET="0" * 64)
    subprocess.run([keel, "--db", db, "user", "add", "alice", "--role", "analyst", "--tenant", "acme",
                    "--password-stdin"], input=PASSWORD + "\n", text=True, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([keel, "--db", db, "serve", "--port", str(port), "--no-web", "--no-log",
                               "--trust-proxy", "127.0.0.1", "--max-connections-per-client", "100000",
                               "--anonymous-rate-limit", "1000000", "--job-workers", "0"] + serve_args,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_ready(port):
            raise SystemExit("keel serve did not become ready")
        time.sleep(0.5)
        rss_start = status_kib(server.pid, "VmRSS")
        unknown = int(round(concurrency * unknown_share))
        results = [None] * concurrency
        barrier = threading.Barrier(concurrency)

        def one(i):
            user = f"nobody{i}" if i < unknown else "alice"
            body = json.dumps({"username": user, "password": PASSWORD})
            headers = {"Content-Type": "application/json",
                       "X-Forwarded-For": f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"}
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                c.connect()
                barrier.wait()
                t0 = time.monotonic()
                c.request("POST", "/api/v1/auth/login", body=body, headers=headers)
                r = c.getresponse()
                r.read()
                results[i] = (r.status, time.monotonic() - t0, r.getheader("Retry-After"))
                c.close()
            except Exception as e:  # noqa: BLE001 - a failed request is a figure too
                results[i] = (f"error: {type(e).__name__}", float("nan"), None)

        threading.stack_size(256 * 1024)
        threads = [threading.Thread(target=one, args=(i,)) for i in range(concurrency)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - t0
        peak = status_kib(server.pid, "VmHWM")
        by_status = {}
        for status, _, _ in results:
            by_status[str(status)] = by_status.get(str(status), 0) + 1
        lat = sorted(x[1] for x in results if isinstance(x[0], int))
        ok = sorted(x[1] for x in results if x[0] in (200, 401))
        return {
            "concurrency": concurrency,
            "unknown_users": unknown,
            "statuses": by_status,
            "p50_ms": round(percentile(lat, 0.50) * 1000, 1),
            "p99_ms": round(percentile(lat, 0.99) * 1000, 1),
            "max_ms": round(lat[-1] * 1000, 1) if lat else None,
            "answered_p99_ms": round(percentile(ok, 0.99) * 1000, 1) if ok else None,
            "wall_s": round(wall, 2),
            "rss_start_mb": round(rss_start / 1024, 1),
            "peak_rss_mb": round(peak / 1024, 1),
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        for name in os.listdir(workdir):
            os.remove(os.path.join(workdir, name))
        os.rmdir(workdir)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("keel", help="the keel binary")
    ap.add_argument("--concurrency", default="96,1000", help="comma-separated numbers of concurrent logins")
    ap.add_argument("--unknown-share", type=float, default=64 / 96,
                    help="share of logins naming a user that does not exist (default 64 of 96)")
    ap.add_argument("--serve-arg", action="append", default=[], help="an extra keel serve argument (repeat)")
    args = ap.parse_args()
    print(f"# {args.keel}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    for n in (int(x) for x in args.concurrency.split(",")):
        print(json.dumps(flood(args.keel, n, args.unknown_share, args.serve_arg)), flush=True)


if __name__ == "__main__":
    sys.exit(main())
