#!/usr/bin/python3
"""Many idle-ish clients of `keel serve` for bench/server_load.sh (loopback only, bounded in time).

  server_clients.py sse PORT TOKEN JOB_ID COUNT SECONDS
      opens COUNT event streams GET /api/v1/jobs/JOB_ID/events and holds them for SECONDS;
      prints how many got "200 OK" + "text/event-stream" and how many were still open at the end.
  server_clients.py slowloris PORT COUNT SECONDS
      opens COUNT connections that send a request line, then one header line every 5 s, never
      finishing the header; prints how many the server closed and after how long (median).
  server_clients.py health PORT SECONDS [INTERVAL_MS]
      asks GET /healthz every INTERVAL_MS (default 20) on a new connection each time, as a load
      balancer's health check does, for SECONDS; prints how many were asked, the errors, and the
      latency from connect to the whole answer: p50, p99 and the worst.
"""
import selectors
import socket
import sys
import time


def connect(port):
    s = socket.create_connection(("127.0.0.1", port))
    s.setblocking(False)
    return s


def sse(port, token, job_id, count, seconds):
    sel = selectors.DefaultSelector()
    socks = []
    for _ in range(count):
        s = connect(port)
        req = (f"GET /api/v1/jobs/{job_id}/events HTTP/1.1\r\nHost: bench\r\n"
               f"Authorization: Bearer {token}\r\n\r\n").encode()
        s.setblocking(True)
        s.sendall(req)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, {"buf": b"", "open": True})
        socks.append(s)
    ok = 0
    deadline = time.time() + seconds
    while time.time() < deadline:
        for key, _ in sel.select(timeout=0.5):
            st = key.data
            try:
                data = key.fileobj.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                st["open"] = False
                sel.unregister(key.fileobj)
                continue
            if len(st["buf"]) < 4096:
                st["buf"] += data
    for s in socks:
        pass
    ok = 0
    still_open = 0
    for key in list(sel.get_map().values()):
        st = key.data
        if b" 200 " in st["buf"][:20] and b"text/event-stream" in st["buf"]:
            ok += 1
        still_open += 1 if st["open"] else 0
    print(f"sse: {count} streams requested, {ok} answered 200 text/event-stream, {still_open} open after {seconds} s")
    for s in socks:
        s.close()


def slowloris(port, count, seconds):
    socks = []
    opened = time.time()
    for _ in range(count):
        s = connect(port)
        s.setblocking(True)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\n")
        s.setblocking(False)
        socks.append(s)
    closed_at = [None] * count
    deadline = time.time() + seconds
    next_line = time.time() + 5
    while time.time() < deadline:
        now = time.time()
        for i, s in enumerate(socks):
            if closed_at[i] is not None:
                continue
            try:
                if not s.recv(4096):
                    closed_at[i] = now - opened
                    continue
            except BlockingIOError:
                pass
            except OSError:
                closed_at[i] = now - opened
                continue
            if now >= next_line:
                try:
                    s.send(b"X-Slow: 1\r\n")
                except OSError:
                    closed_at[i] = now - opened
        if now >= next_line:
            next_line = now + 5
        time.sleep(0.1)
    closed = sorted(t for t in closed_at if t is not None)
    median = closed[len(closed) // 2] if closed else float("nan")
    print(f"slowloris: {count} connections, {len(closed)} closed by the server (median after {median:.1f} s)")
    for s in socks:
        s.close()


def health(port, seconds, interval_ms):
    times = []
    errors = 0
    deadline = time.time() + seconds
    while time.time() < deadline:
        t0 = time.perf_counter()
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            buf = b""
            while True:
                data = s.recv(4096)
                if not data:
                    break
                buf += data
            s.close()
            if not buf.startswith(b"HTTP/1.1 200") or b'"ok"' not in buf:
                errors += 1
            else:
                times.append(time.perf_counter() - t0)
        except OSError:
            errors += 1
        time.sleep(max(0.0, interval_ms / 1000 - (time.perf_counter() - t0)))
    times.sort()
    def pct(p):
        return times[min(len(times) - 1, int(p * len(times)))] * 1000 if times else float("nan")
    worst = times[-1] * 1000 if times else float("nan")
    print(f"{len(times) + errors} {errors} {pct(0.5):.1f}ms {pct(0.99):.1f}ms {worst:.1f}ms")


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "sse":
        sse(int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), float(sys.argv[6]))
    elif mode == "slowloris":
        slowloris(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    elif mode == "health":
        health(int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]) if len(sys.argv) > 4 else 20.0)
    else:
        sys.exit(__doc__)
