#!/usr/bin/env python3
"""Availability under hostile load (docs/server.md "Limits"): the attacks of issue 57's table,
each sent by an analyst of tenant "hostile" to a fresh `keel serve` on SQLite, while an analyst of
tenant "victim" asks a parametric VaR every 200 ms and /healthz is polled every 50 ms.

    bench/admission.py KEEL_BIN ROOT [--seconds 10]

For each phase (a quiet baseline, then each attack) it prints: the attack's answers (status and
seconds), the victim's VaR p50 / p99 / worst and failures, the worst /healthz, and the server's
peak RSS. Goals: victim p99 < 250 ms, /healthz < 50 ms, RSS < 2 GB. Then a long job is cancelled
(seconds from the cancel to "cancelled") and the server is stopped with SIGTERM while a job runs
(seconds to exit, and the job's state after). Only Python's standard library is used.
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request


def request(base, method, path, token=None, body=None, timeout=300):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            payload = r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        payload = e.read()
        status = e.code
    except Exception as e:  # refused, reset, timed out
        return 0, time.monotonic() - t0, {"error": str(e)}
    try:
        parsed = json.loads(payload) if payload else {}
    except ValueError:
        parsed = {}
    return status, time.monotonic() - t0, parsed


class Watch:
    """The victim's VaR loop, the /healthz poll and the RSS sampler, for one phase."""

    def __init__(self, base, token, portfolio, pid):
        self.base, self.token, self.portfolio, self.pid = base, token, portfolio, pid
        self.var, self.health, self.rss, self.failed = [], [], [], 0
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=f, daemon=True) for f in (self.var_loop, self.health_loop, self.rss_loop)]

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()

    def var_loop(self):
        while not self.stop.is_set():
            status, s, _ = request(self.base, "POST", f"/api/v1/portfolios/{self.portfolio}/risk/var", self.token,
                                   {"method": "parametric"}, timeout=60)
            if status == 200:
                self.var.append(s)
            else:
                self.failed += 1
            self.stop.wait(max(0.0, 0.2 - s))

    def health_loop(self):
        while not self.stop.is_set():
            status, s, _ = request(self.base, "GET", "/healthz", timeout=60)
            self.health.append(s if status == 200 else float("inf"))
            self.stop.wait(0.05)

    def rss_loop(self):
        while not self.stop.is_set():
            try:
                with open(f"/proc/{self.pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS"):
                            self.rss.append(int(line.split()[1]) / 1024.0)
            except OSError:
                pass
            self.stop.wait(0.1)

    def row(self):
        v = sorted(self.var)
        p = lambda q: v[min(len(v) - 1, int(q * len(v)))] * 1000 if v else float("nan")
        return (f"{p(0.5):8.1f} {p(0.99):8.1f} {(v[-1] * 1000 if v else float('nan')):8.1f} {self.failed:5d} "
                f"{max(self.health) * 1000 if self.health else float('nan'):9.1f} {max(self.rss, default=0):8.0f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("keel")
    ap.add_argument("root")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--port", type=int, default=18491)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="keel_admission_")
    db = os.path.join(work, "keel.db")
    keel = [a.keel, "--db", db, "-q"]
    env = dict(os.environ, KEEL_JWT_SECRET="ab" * 32)
    run = lambda *args, **kw: subprocess.run(keel + list(args), check=True, env=env, stdout=subprocess.DEVNULL, **kw)
    run("import", "prices", os.path.join(a.root, "examples/market/prices.csv"))
    for tenant in ("victim", "hostile"):
        run("user", "add", tenant + "-ana", "--tenant", tenant, "--role", "analyst", "--password-stdin",
            input=b"bench-password-1\n")
        run("--as", tenant + "-ana", "import", "positions", os.path.join(a.root, "examples/portfolios/balanced.csv"),
            "--portfolio", "balanced")
    server = subprocess.Popen(keel + ["serve", "--host", "127.0.0.1", "--port", str(a.port), "--rate-limit", "0",
                                      "--no-log", "--no-web"], env=env, stderr=open(os.path.join(work, "serve.log"), "w"))
    base = f"http://127.0.0.1:{a.port}"
    try:
        for _ in range(100):
            if request(base, "GET", "/healthz", timeout=1)[0] == 200:
                break
            time.sleep(0.1)
        tokens = {}
        for tenant in ("victim", "hostile"):
            _, _, j = request(base, "POST", "/api/v1/auth/login", body={"username": tenant + "-ana",
                                                                        "password": "bench-password-1"})
            tokens[tenant] = j["token"]
        ids = {}
        for tenant in ("victim", "hostile"):
            _, _, j = request(base, "GET", "/api/v1/portfolios", tokens[tenant])
            ids[tenant] = j["items"][0]["id"]
        hostile = tokens["hostile"]
        hp = ids["hostile"]
        _, _, s = request(base, "POST", f"/api/v1/portfolios/{hp}/sessions", hostile, {"name": "attack"})
        session = s["id"]
        request(base, "POST", f"/api/v1/sessions/{session}/trades", hostile, [{"symbol": "AAPL", "quantity": -10}])
        deal = json.load(open(os.path.join(a.root, "examples/clo/small_deal.json")))
        deal["collateral"] = [
            {"obligor": f"L{i}", "industry": "Retail", "par": 30000000, "price": 97, "spread": 0.045, "floor": 0,
             "coupon_type": "floating", "maturity": "2030-01-15", "rating": "B2", "lien": "first"} for i in range(3)]
        axis = [0.9 * i / 100 for i in range(100)]
        views = [{"view": "AAPL", "return": 0.05, "confidence": 0.5}] * 10000
        attacks = [
            ("what-if 1e8 paths, twice", [("POST", f"/api/v1/sessions/{session}/calculate",
                                           {"method": "montecarlo", "paths": 100000000})] * 2),
            ("CLO grid 100^3 points", [("POST", "/api/v1/clo/grid",
                                        {"deal": deal, "cdr": axis, "cpr": axis, "recovery": axis})]),
            ("optimize 10,000 views", [("POST", f"/api/v1/portfolios/{hp}/optimize",
                                        {"expected_returns": "views", "views": views})]),
            ("min-CVaR 1e6 paths", [("POST", f"/api/v1/portfolios/{hp}/optimize",
                                     {"objective": "min-cvar", "scenarios": "monte-carlo", "paths": 1000000})]),
            ("plan sensitivity 1e4 x 1e7 x 60, twice",
             [("POST", "/api/v1/plan/sensitivity", {"vary": "withdrawal-rate", "values": [0.04] * 10000,
                                                    "trials": 10000000, "years": 60, "balance": 1000000})] * 2),
        ]
        print(f"{'phase':42} {'answers':28} {'var p50':>8} {'var p99':>8} {'var max':>8} {'fail':>5} "
              f"{'health max':>9} {'RSS MB':>8}")
        with Watch(base, tokens["victim"], ids["victim"], server.pid) as w:
            time.sleep(a.seconds)
        print(f"{'baseline (no attack)':42} {'':28} {w.row()}")
        for name, calls in attacks:
            with Watch(base, tokens["victim"], ids["victim"], server.pid) as w:
                t0 = time.monotonic()
                answers = []
                threads = []
                def send(call):
                    st, s, j = request(base, call[0], call[1], hostile, call[2])
                    answers.append(f"{st} {s:.2f}s")
                    if st not in (200, 202, 413):
                        print(f"  {name}: {st} {json.dumps(j)[:300]}", file=sys.stderr, flush=True)
                for c in calls:
                    threads.append(threading.Thread(target=send, args=(c,)))
                    threads[-1].start()
                for t in threads:
                    t.join()
                time.sleep(max(0.0, a.seconds - (time.monotonic() - t0)))
            print(f"{name:42} {', '.join(answers):28} {w.row()}")

        # Fair share: the hostile tenant queues four long plan jobs, then the victim one small one; the
        # seconds until the victim's job ends (a job slice is at most one long job's run).
        long_plan = {"trials": 190000, "years": 200, "monthly": True, "balance": 1000000, "withdrawal_rate": 0.04,
                     "target_success": 0.9}
        with Watch(base, tokens["victim"], ids["victim"], server.pid) as w:
            hostile_jobs = [request(base, "POST", "/api/v1/plan/retire", hostile, dict(long_plan, seed=10 + i))[2].get("id")
                            for i in range(4)]
            time.sleep(0.5)
            t0 = time.monotonic()
            _, _, vj = request(base, "POST", "/api/v1/plan/retire", tokens["victim"],
                               {"trials": 10000, "years": 30, "balance": 1000000, "withdrawal_rate": 0.04})
            vstatus = ""
            while time.monotonic() - t0 < 300:
                vstatus = request(base, "GET", f"/api/v1/jobs/{vj.get('id')}", tokens["victim"])[2].get("status")
                if vstatus in ("succeeded", "failed", "cancelled"):
                    break
                time.sleep(0.05)
            waited = time.monotonic() - t0
        print(f"{'4 long plan jobs queued, then victim 1 small':42} {f'victim job {vstatus} {waited:.2f}s':28} {w.row()}")
        for hj in hostile_jobs:
            request(base, "POST", f"/api/v1/jobs/{hj}/cancel", hostile)

        # A long job, cancelled while its engine runs: plan retire of 190,000 trials (under the shard
        # size) x 200 years of monthly steps, searched for the rate that succeeds 90 % of the time
        # (about 26 runs): about 17 CPU seconds.
        long_plan = {"trials": 190000, "years": 200, "monthly": True, "balance": 1000000, "withdrawal_rate": 0.04,
                     "target_success": 0.9}
        st, _, job = request(base, "POST", "/api/v1/plan/retire", hostile, long_plan)
        jid = job.get("id")
        if st != 202:
            print("  the long plan job was not queued:", st, json.dumps(job)[:300])
        while jid and request(base, "GET", f"/api/v1/jobs/{jid}", hostile)[2].get("status") == "queued":
            time.sleep(0.05)
        time.sleep(0.5)
        t0 = time.monotonic()
        request(base, "POST", f"/api/v1/jobs/{jid}/cancel", hostile)
        status = ""
        while time.monotonic() - t0 < 120:
            status = request(base, "GET", f"/api/v1/jobs/{jid}", hostile)[2].get("status")
            if status in ("cancelled", "succeeded", "failed"):
                break
            time.sleep(0.02)
        j = request(base, "GET", f"/api/v1/jobs/{jid}", hostile)[2]
        print(f"  job {jid}: progress {j.get('progress')} message {j.get('message')!r} error {j.get('error')}")
        print(f"cancel a running plan job (190,000 trials x 2,400 months x 26): {status} after {time.monotonic() - t0:.2f} s")

        # SIGTERM while a job runs.
        st, _, job = request(base, "POST", "/api/v1/plan/retire", hostile, dict(long_plan, seed=2))
        print(f"SIGTERM: job {job.get('id')} queued ({st})")
        time.sleep(1.0)
        t0 = time.monotonic()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
            print(f"SIGTERM with a job running: exited {server.returncode} after {time.monotonic() - t0:.2f} s")
        except subprocess.TimeoutExpired:
            print("SIGTERM with a job running: still running after 60 s (killed)")
        out = subprocess.run(keel + ["--as", "hostile-ana", "job", "list", "--format", "json"], env=env,
                             capture_output=True, text=True)
        try:
            jobs = json.loads(out.stdout)["items"]
            print("jobs after the stop:")
            for j in jobs:
                print(f"  job {j['id']} {j['kind']}: {j.get('state', j.get('status'))}, {j.get('message')!r}, "
                      f"created {j['created_at']}, finished {j.get('finished_at')}")
        except (ValueError, KeyError):
            print("jobs after the stop:", out.stdout.strip()[:400] or out.stderr.strip()[:400])
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
