#!/usr/bin/env python3
"""Webhook fan-out benchmark (not a test).

Phase 1: start the built server with delivery OFF, register one webhook (every event type) at a local receiver, and
commit N events through real grant flows (authorize + token: consent.approved, grant.created, token.issued each).
Phase 2: restart with delivery ON and the receiver listening; measure from start until the receiver has N distinct
event ids (fan-out from the event log + signed delivery), while a probe measures API latency (GET /v1/webhooks) —
compared with the same probe on the idle server before.

Usage: python3 benchmarks/webhooks/fanout.py [--events 10000] [--port 5391] [--receiver-port 5392]
Prints deliveries/s, probe p50/p99 idle vs during delivery, and the load average.
"""
import argparse, asyncio, json, os, shutil, subprocess, sys, tempfile, threading, time, urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DLL = os.path.join(ROOT, "Grantex.Console", "bin", "Release", "net10.0", "Grantex.Console.dll")


def call(port, method, path, key, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=data, method=method)
    req.add_header("Authorization", "Bearer " + key)
    if data:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read()
        return json.loads(text) if text else None


class Receiver:
    """A minimal asyncio HTTP/1.1 keep-alive receiver that counts distinct X-Grantex-Event-Id values."""

    def __init__(self, port):
        self.port, self.ids, self.requests = port, set(), 0

    async def handle(self, reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length, event = 0, None
                for line in head.split(b"\r\n")[1:]:
                    k, _, v = line.partition(b":")
                    k = k.strip().lower()
                    if k == b"content-length":
                        length = int(v)
                    elif k == b"x-grantex-event-id":
                        event = v.strip()
                if length:
                    await reader.readexactly(length)
                self.requests += 1
                if event:
                    self.ids.add(event)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def run(self):
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        server = loop.run_until_complete(asyncio.start_server(self.handle, "127.0.0.1", self.port, backlog=512))
        self.ready.set()
        loop.run_forever()

    def start(self):
        self.ready = threading.Event()
        threading.Thread(target=self.run, daemon=True).start()
        self.ready.wait()


def start_server(env, port):
    log = open(os.path.join(env["_DIR"], "server-%d.log" % time.time_ns()), "w")
    p = subprocess.Popen(["dotnet", DLL, "--urls", "http://127.0.0.1:%d" % port], env={k: v for k, v in env.items() if k != "_DIR"}, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(1200):
        try:
            urllib.request.urlopen("http://127.0.0.1:%d/health" % port, timeout=2).read()
            return p
        except Exception:
            time.sleep(0.1)
    p.kill()
    sys.exit("server did not start")


def probe(port, key, stop, out):
    while not stop.is_set():
        t = time.perf_counter()
        call(port, "GET", "/v1/webhooks", key)
        out.append((time.perf_counter() - t) * 1000)
        time.sleep(0.01)


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=10000)
    ap.add_argument("--port", type=int, default=5391)
    ap.add_argument("--receiver-port", type=int, default=5392)
    ap.add_argument("--writers", type=int, default=8)
    a = ap.parse_args()
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "Grantex.Console"), "-c", "Release", "-nologo", "-v", "q"], check=True, stdout=subprocess.DEVNULL)
    d = tempfile.mkdtemp(prefix="gx-wh-bench-")
    env = dict(os.environ, _DIR=d, ConnectionStrings__Grantex="Data Source=" + os.path.join(d, "grantex.db"),
               Grantex__DataProtection__KeysPath=os.path.join(d, "keys"), Grantex__PublicBaseUrl="http://127.0.0.1:%d" % a.port,
               Grantex__RateLimits__PerDeveloperPerMinute="100000000", Grantex__RateLimits__PerIpPerMinute="100000000",
               Grantex__RateLimits__AuthorizePerMinute="100000000", Grantex__RateLimits__TokenPerMinute="100000000",
               Grantex__Compliance__CheckpointInterval="00:00:00", Grantex__Webhooks__RequireHttps="false",
               Grantex__Webhooks__AllowPrivateNetworks__0="127.0.0.0/8", Grantex__Webhooks__DeliveryEnabled="false",
               Logging__LogLevel__Default="Warning")
    out = subprocess.run(["dotnet", DLL, "developer", "create", "--name", "bench", "--mode", "sandbox", "--json"], env={k: v for k, v in env.items() if k != "_DIR"}, capture_output=True, text=True, check=True).stdout
    key = json.loads([l for l in out.splitlines() if l.startswith("{")][0])["apiKey"]
    server = start_server(env, a.port)
    try:
        all_types = ["grant.created", "grant.revoked", "token.issued", "token.revoked", "consent.approved", "consent.denied", "policy.denied"]
        call(a.port, "POST", "/v1/webhooks", key, {"url": "http://127.0.0.1:%d/hook" % a.receiver_port, "events": all_types})
        agent = call(a.port, "POST", "/v1/agents", key, {"name": "bench", "scopes": ["read"]})["agentId"]
        flows = (a.events + 2) // 3
        t0 = time.time()

        def writer(n):
            for _ in range(n):
                code = call(a.port, "POST", "/v1/authorize", key, {"agentId": agent, "principalId": "alice", "scopes": ["read"]})["code"]
                call(a.port, "POST", "/v1/token", key, {"code": code, "agentId": agent})
        ts = [threading.Thread(target=writer, args=(flows // a.writers + (1 if i < flows % a.writers else 0),)) for i in range(a.writers)]
        [t.start() for t in ts]
        [t.join() for t in ts]
        print("phase 1: %d grant flows (%d events) in %.1f s" % (flows, flows * 3, time.time() - t0))
        idle = []
        stop = threading.Event()
        th = threading.Thread(target=probe, args=(a.port, key, stop, idle))
        th.start(); time.sleep(5); stop.set(); th.join()
    finally:
        server.terminate(); server.wait()

    receiver = Receiver(a.receiver_port)
    receiver.start()
    env["Grantex__Webhooks__DeliveryEnabled"] = "true"
    target = flows * 3
    busy, stop = [], threading.Event()
    server = start_server(env, a.port)
    try:
        t0 = time.perf_counter()
        th = threading.Thread(target=probe, args=(a.port, key, stop, busy))
        th.start()
        while len(receiver.ids) < target and time.perf_counter() - t0 < 600:
            time.sleep(0.05)
        elapsed = time.perf_counter() - t0
        stop.set(); th.join()
        load = os.getloadavg()
        print("phase 2: %d distinct events delivered (%d requests) in %.2f s = %.0f deliveries/s" % (len(receiver.ids), receiver.requests, elapsed, len(receiver.ids) / elapsed))
        print("API probe GET /v1/webhooks: idle p50 %.1f ms p99 %.1f ms (n=%d); during delivery p50 %.1f ms p99 %.1f ms (n=%d)"
              % (pct(idle, .5), pct(idle, .99), len(idle), pct(busy, .5), pct(busy, .99), len(busy)))
        print("load average: %.2f %.2f %.2f" % load)
    finally:
        server.terminate(); server.wait()
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
