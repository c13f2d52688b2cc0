#!/usr/bin/env python3
"""Write load, acknowledgement ledger and durability checker for the fault scripts (kill9.sh, diskfull.sh).

Python 3 standard library only. Not part of the test suite. Only ever talks to 127.0.0.1.

Writers put every kind of write on the server at once and record each write the server ACKNOWLEDGED (a 2xx
response read in full) together with what must be true afterwards:

  authorize      POST /v1/authorize (sandbox key: approved at once, with a code)
  authorize_live POST /v1/authorize (live key: a pending request for the consent page)
  consent        the person's decision, approve or deny, taken as a browser does: GET /consent?req=... (cookie +
                 antiforgery token), then POST /v1/consent/{id}/approve|deny. (The sandbox helpers
                 POST /v1/authorize/{id}/approve|deny exist but only decide *pending* requests, and a sandbox
                 authorize is approved at once, so for API-created requests they can only answer 404: the live
                 consent session is the one decision path that writes.)
  exchange       POST /v1/token (code -> grant, grant token, refresh token; the code is consumed)
  refresh        POST /v1/token/refresh (new grant token and refresh token; the old refresh token is used up)
  delegate       POST /v1/grants/delegate (child grant for a sub-agent)
  revoke_grant   DELETE /v1/grants/{id} (cascade: the grant and every delegated descendant)
  revoke_token   POST /v1/tokens/revoke {jti}
  audit          POST /v1/audit/log

The checker (after every restart, and in the disk-full run) verifies, cumulatively over the whole run, that every
acknowledged write is still there, reading the database file directly (read-only) and asking the server:
rows exist with the acknowledged state, revoked things are revoked (DB row and online verify -> valid:false),
acknowledged audit entries exist, every grant has its grant.created/grant.delegated entry, every acknowledged
revocation/refresh/decision has its audit entry, GET /v1/audit/verify is valid for each developer, and
PRAGMA integrity_check (sqlite3 CLI) is ok.
"""
import argparse
import base64
import hashlib
import http.client
import itertools
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time

HOST = "127.0.0.1"


def log(*a):
    print(*a, flush=True)


# ----------------------------------------------------------------------------------------------------------- HTTP
class Client:
    """One keep-alive connection per thread. Any transport failure closes it and returns status 0 (not acknowledged)."""

    in_flight = 0  # requests sent by writers and not yet answered (read at the moment of the kill)
    in_flight_lock = threading.Lock()

    def __init__(self, port, key=None, timeout=10, track=False):
        self.port, self.key, self.timeout, self.conn, self.track = port, key, timeout, None, track

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass
        self.conn = None

    def request(self, method, path, body=None, headers=None, auth=True):
        h = {"Accept": "application/json"}
        if auth and self.key:
            h["Authorization"] = "Bearer " + self.key
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        elif method in ("POST", "DELETE", "PATCH", "PUT"):
            h["Content-Length"] = "0"
        if headers:
            h.update(headers)
        if self.track:
            with Client.in_flight_lock:
                Client.in_flight += 1
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            self.conn.request(method, path, body=data, headers=h)
            r = self.conn.getresponse()
            raw = r.read()
            if r.getheader("Connection", "").lower() == "close":
                self.close()
            text = raw.decode("utf-8", "replace")
            try:
                js = json.loads(text) if text else None
            except ValueError:
                js = None
            return r.status, js, text, r.getheaders()
        except Exception:
            self.close()
            return 0, None, "", []
        finally:
            if self.track:
                with Client.in_flight_lock:
                    Client.in_flight -= 1


def jwt_claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def sha256hex(s):
    return hashlib.sha256(s.encode()).hexdigest()


# ---------------------------------------------------------------------------------------------------------- ledger
KINDS = ["authorize", "authorize_live", "consent_approve", "consent_deny", "exchange", "refresh", "delegate",
         "revoke_grant", "revoke_token", "audit"]


class Ledger:
    """Everything the server acknowledged, with what must be true afterwards. Appends only; one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {k: 0 for k in KINDS}
        self.auth = {}          # authRequestId -> set of acceptable statuses
        self.grants = {}        # grantId -> {"parent": id|None, "dev": name, "via": exchange|delegate}
        self.tokens = {}        # jti -> {"grant": id, "token": jwt, "dev": name}
        self.refresh_issued = set()   # sha256 of refresh tokens handed out
        self.refresh_used = set()     # sha256 of refresh tokens consumed by an acknowledged refresh
        self.refreshes = {}     # grantId -> acknowledged refresh count
        self.revoked_grants = {}  # grantId (revoked root) -> list of descendant grant ids acknowledged before
        self.revoked_tokens = set()
        self.audit = {}         # entryId -> action
        self.decisions = {}     # authRequestId -> consent.approved|consent.denied (audit expected)
        self.exchanged_requests = set()
        self.new_revoked_tokens = []  # (dev, jwt) acknowledged revoked since the last check (online verify)
        # Revocations SENT (acknowledged or not): one cut by the kill may still have committed, so their tokens are
        # left out of the "still valid" sample.
        self.attempted_revoke = set()  # grant ids and jtis

    def ack(self, kind, fn=None):
        with self.lock:
            self.counts[kind] += 1
            if fn:
                fn(self)


# --------------------------------------------------------------------------------------------------------- writers
class Env:
    def __init__(self, port, devs, ledger, big_audit=0):
        self.port, self.devs, self.ledger, self.big_audit = port, devs, ledger, big_audit
        self.stop = threading.Event()
        self.errors = {}        # status -> count (non-2xx answers, 0 = transport failure)
        self.error_samples = []  # first few 5xx bodies
        self.elock = threading.Lock()
        self.bad_shape = 0       # 5xx answers not in the wire error format {message, code, requestId}

    def err(self, status, text):
        with self.elock:
            self.errors[status] = self.errors.get(status, 0) + 1
            if status >= 500 and not error_shape_ok(text):
                self.bad_shape += 1
            if status >= 500 and len(self.error_samples) < 20:
                self.error_samples.append((status, text[:400]))


def grant_flow(env, c, rnd):
    d = env.devs["sandbox"]
    L = env.ledger
    s, js, t, _ = c.request("POST", "/v1/authorize", {"agentId": d["agent"], "principalId": "p%d" % rnd.randint(1, 50), "scopes": ["read", "write"]})
    if s // 100 != 2:
        return env.err(s, t)
    rid, code = js["authRequestId"], js["code"]
    L.ack("authorize", lambda l: l.auth.__setitem__(rid, {"approved", "consumed"}) or l.decisions.__setitem__(rid, "consent.approved"))
    if env.stop.is_set():
        return
    s, js, t, _ = c.request("POST", "/v1/token", {"code": code, "agentId": d["agent"]})
    if s // 100 != 2:
        return env.err(s, t)
    gid, tok, rt = js["grantId"], js["grantToken"], js["refreshToken"]
    jti = jwt_claims(tok)["jti"]

    def rec_exchange(l):
        l.grants[gid] = {"parent": None, "dev": "sandbox", "via": "exchange"}
        l.tokens[jti] = {"grant": gid, "token": tok, "dev": "sandbox"}
        l.refresh_issued.add(sha256hex(rt))
        l.auth[rid] = {"consumed"}
        l.exchanged_requests.add(rid)
    L.ack("exchange", rec_exchange)
    for _ in range(rnd.randint(0, 2)):
        if env.stop.is_set():
            return
        s, js, t, _ = c.request("POST", "/v1/token/refresh", {"refreshToken": rt, "agentId": d["agent"]})
        if s // 100 != 2:
            return env.err(s, t)
        old, rt, tok = rt, js["refreshToken"], js["grantToken"]
        jti = jwt_claims(tok)["jti"]

        def rec_refresh(l, old=old, rt=rt, tok=tok, jti=jti):
            l.refresh_used.add(sha256hex(old))
            l.refresh_issued.add(sha256hex(rt))
            l.tokens[jti] = {"grant": gid, "token": tok, "dev": "sandbox"}
            l.refreshes[gid] = l.refreshes.get(gid, 0) + 1
        L.ack("refresh", rec_refresh)
    if env.stop.is_set():
        return
    s, js, t, _ = c.request("POST", "/v1/grants/delegate", {"parentGrantToken": tok, "subAgentId": d["subagent"], "scopes": ["read"]})
    if s // 100 != 2:
        return env.err(s, t)
    cid, ctok = js["grantId"], js["grantToken"]
    cjti = jwt_claims(ctok)["jti"]

    def rec_delegate(l):
        l.grants[cid] = {"parent": gid, "dev": "sandbox", "via": "delegate"}
        l.tokens[cjti] = {"grant": cid, "token": ctok, "dev": "sandbox"}
    L.ack("delegate", rec_delegate)
    if env.stop.is_set():
        return
    what = rnd.random()
    if what < 0.75:
        with L.lock:
            L.attempted_revoke.update((jti, gid, cid))
    if what < 0.3:
        s, _, t, _ = c.request("POST", "/v1/tokens/revoke", {"jti": jti})
        if s // 100 != 2:
            return env.err(s, t)

        def rec_rt(l):
            l.revoked_tokens.add(jti)
            l.new_revoked_tokens.append(("sandbox", tok))
        L.ack("revoke_token", rec_rt)
    elif what < 0.6:
        s, _, t, _ = c.request("DELETE", "/v1/grants/" + gid)
        if s // 100 != 2:
            return env.err(s, t)

        def rec_rg(l):
            l.revoked_grants[gid] = [cid]
            l.new_revoked_tokens.append(("sandbox", tok))
            l.new_revoked_tokens.append(("sandbox", ctok))
        L.ack("revoke_grant", rec_rg)
    elif what < 0.75:
        s, _, t, _ = c.request("DELETE", "/v1/grants/" + cid)
        if s // 100 != 2:
            return env.err(s, t)

        def rec_rc(l):
            l.revoked_grants[cid] = []
            l.new_revoked_tokens.append(("sandbox", ctok))
        L.ack("revoke_grant", rec_rc)


AUDIT_SEQ = itertools.count(1)


def audit_flow(env, c, rnd):
    d = env.devs["sandbox"]
    meta = {"n": next(AUDIT_SEQ), "w": threading.current_thread().name}
    if env.big_audit:
        meta["pad"] = "x" * env.big_audit
    action = "fault.append"
    s, js, t, _ = c.request("POST", "/v1/audit/log", {"agentId": d["agent"], "agentDid": "did:fault", "grantId": "g",
                                                        "principalId": "p", "action": action, "metadata": meta})
    if s // 100 != 2:
        return env.err(s, t)
    eid = js["entryId"]
    env.ledger.ack("audit", lambda l: l.audit.__setitem__(eid, action))


TOKEN_FIELD = re.compile(r'name="__RequestVerificationToken" value="([^"]+)"')


def consent_flow(env, c, rnd):
    d = env.devs["live"]
    L = env.ledger
    s, js, t, _ = c.request("POST", "/v1/authorize", {"agentId": d["agent"], "principalId": "person%d" % rnd.randint(1, 20), "scopes": ["read"]})
    if s // 100 != 2:
        return env.err(s, t)
    rid = js["authRequestId"]
    L.ack("authorize_live", lambda l: l.auth.__setitem__(rid, {"pending", "approved", "denied", "consumed"}))
    if env.stop.is_set():
        return
    # The person's browser: its own connection, cookies kept, no API key.
    b = Client(env.port)
    try:
        s, _, html, hdrs = b.request("GET", "/consent?req=" + rid, auth=False, headers={"Accept": "text/html"})
        if s != 200:
            return env.err(s, html)
        cookies = "; ".join(v.split(";", 1)[0] for k, v in hdrs if k.lower() == "set-cookie")
        m = TOKEN_FIELD.search(html)
        if not m:
            return env.err(-1, "no antiforgery token")
        approve = rnd.random() < 0.7
        s, js, t, _ = b.request("POST", "/v1/consent/%s/%s" % (rid, "approve" if approve else "deny"), auth=False,
                                headers={"Cookie": cookies, "RequestVerificationToken": m.group(1)})
    finally:
        b.close()
    if s // 100 != 2:
        return env.err(s, t)
    if approve:
        code = js["code"]
        L.ack("consent_approve", lambda l: l.auth.__setitem__(rid, {"approved", "consumed"}) or l.decisions.__setitem__(rid, "consent.approved"))
        if env.stop.is_set():
            return
        s, js, t, _ = c.request("POST", "/v1/token", {"code": code, "agentId": d["agent"]})
        if s // 100 != 2:
            return env.err(s, t)
        gid, tok, rt = js["grantId"], js["grantToken"], js["refreshToken"]
        jti = jwt_claims(tok)["jti"]

        def rec(l):
            l.grants[gid] = {"parent": None, "dev": "live", "via": "exchange"}
            l.tokens[jti] = {"grant": gid, "token": tok, "dev": "live"}
            l.refresh_issued.add(sha256hex(rt))
            l.auth[rid] = {"consumed"}
            l.exchanged_requests.add(rid)
        L.ack("exchange", rec)
    else:
        L.ack("consent_deny", lambda l: l.auth.__setitem__(rid, {"denied"}) or l.decisions.__setitem__(rid, "consent.denied"))


def writer(env, flow, seed):
    rnd = random.Random(seed)
    key = env.devs["live" if flow is consent_flow else "sandbox"]["key"]
    c = Client(env.port, key, timeout=15, track=True)
    while not env.stop.is_set():
        try:
            flow(env, c, rnd)
        except Exception as e:  # a malformed 2xx body would be a bug worth seeing
            env.err(-2, repr(e))
            time.sleep(0.05)
        if env.stop.is_set():
            break
    c.close()


def start_writers(env, mix):
    flows = {"grant": grant_flow, "audit": audit_flow, "consent": consent_flow}
    threads = []
    for name, n in mix.items():
        for i in range(n):
            t = threading.Thread(target=writer, args=(env, flows[name], random.randrange(1 << 30)), name="%s%d" % (name, i), daemon=True)
            t.start()
            threads.append(t)
    return threads


# --------------------------------------------------------------------------------------------------------- server
class Server:
    def __init__(self, app, port, dir_, env_extra):
        self.app, self.port, self.dir = app, port, dir_
        self.env = dict(os.environ, **env_extra)
        self.proc = None

    def start(self, wait=120):
        if Client(self.port, timeout=2).request("GET", "/health", auth=False)[0] != 0:
            raise SystemExit("something already answers on port %d: stop it or choose another PORT" % self.port)
        logf = open(os.path.join(self.dir, "server.log"), "ab")
        self.proc = subprocess.Popen(self.app + ["--urls", "http://%s:%d" % (HOST, self.port)], env=self.env,
                                     stdout=logf, stderr=subprocess.STDOUT)
        logf.close()
        with open(os.path.join(self.dir, "server.pid"), "w") as f:
            f.write(str(self.proc.pid))
        c = Client(self.port, timeout=2)
        t0 = time.time()
        while time.time() - t0 < wait:
            if self.proc.poll() is not None:
                raise SystemExit("server exited during start-up (code %s); see %s/server.log" % (self.proc.returncode, self.dir))
            s, _, _, _ = c.request("GET", "/health", auth=False)
            if s == 200:
                c.close()
                return time.time() - t0
            time.sleep(0.1)
        raise SystemExit("server did not start in %ds" % wait)

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill9()

    def cli(self, *args):
        out = subprocess.run(self.app + list(args), env=self.env, capture_output=True, text=True, check=True)
        return out.stdout


def setup_developers(server, port):
    devs = {}
    for name, mode in (("sandbox", "sandbox"), ("live", "live")):
        created = json.loads(server.cli("developer", "create", "--name", "fault " + name, "--mode", mode, "--json"))
        c = Client(port, created["apiKey"])
        s, js, t, _ = c.request("POST", "/v1/agents", {"name": "fault agent"})
        assert s == 201, (s, t)
        agent = js["agentId"]
        s, js, t, _ = c.request("POST", "/v1/agents", {"name": "fault sub-agent"})
        assert s == 201, (s, t)
        devs[name] = {"key": created["apiKey"], "id": created["developerId"], "agent": agent, "subagent": js["agentId"]}
        c.close()
    return devs


# -------------------------------------------------------------------------------------------------------- checker
def check(ledger, devs, port, db_path, sample=200, label=""):
    """Returns (problems: list[str], facts: dict). Cumulative over everything acknowledged so far."""
    problems = []
    with ledger.lock:
        auth = dict(ledger.auth)
        grants = dict(ledger.grants)
        tokens = dict(ledger.tokens)
        r_issued, r_used = set(ledger.refresh_issued), set(ledger.refresh_used)
        refreshes = dict(ledger.refreshes)
        revoked_grants = dict(ledger.revoked_grants)
        revoked_tokens = set(ledger.revoked_tokens)
        audit = dict(ledger.audit)
        decisions = dict(ledger.decisions)
        exchanged = set(ledger.exchanged_requests)
        attempted = set(ledger.attempted_revoke)
        new_revoked = list(ledger.new_revoked_tokens)
        ledger.new_revoked_tokens.clear()

    db = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True, timeout=30)
    try:
        q = lambda sql: db.execute(sql).fetchall()
        db_auth = {i: s.lower() for i, s in q("SELECT Id, Status FROM auth_requests")}
        db_grants = {i: (s.lower(), p) for i, s, p in q("SELECT Id, Status, ParentGrantId FROM grants")}
        db_tokens = {i: r for i, r in q("SELECT Id, RevokedAt FROM grant_tokens")}
        db_refresh = {h: u for h, u in q("SELECT TokenHash, UsedAt FROM refresh_tokens")}
        db_audit_ids = {i for (i,) in q("SELECT Id FROM audit_entries WHERE Id IS NOT NULL")}
        db_grant_actions = set(q("SELECT GrantId, Action FROM audit_entries WHERE Action IN ('grant.created','grant.delegated','grant.revoked','token.revoked')"))
        db_refreshed = {g: n for g, n in q("SELECT GrantId, count(*) FROM audit_entries WHERE Action = 'token.refreshed' GROUP BY GrantId")}
        db_decisions = {}
        for action, meta in q("SELECT Action, MetadataJson FROM audit_entries WHERE Action IN ('consent.approved','consent.denied')"):
            db_decisions[json.loads(meta).get("authRequestId")] = action
        orphans = q("SELECT g.Id FROM grants g WHERE NOT EXISTS (SELECT 1 FROM audit_entries a WHERE a.GrantId = g.Id "
                    "AND a.Action IN ('grant.created','grant.delegated'))")
    finally:
        db.close()

    def bad(kind, what, n=5):
        if what:
            problems.append("%s: %d, e.g. %s" % (kind, len(what), sorted(what)[:n]))

    bad("acknowledged auth request missing or in the wrong state",
        [f"{i}={db_auth.get(i)}" for i, ok in auth.items() if db_auth.get(i) not in ok])
    bad("acknowledged exchange whose code is not consumed", [i for i in exchanged if db_auth.get(i) != "consumed"])
    bad("acknowledged consent decision without its audit entry", [i for i, a in decisions.items() if db_decisions.get(i) != a])
    bad("acknowledged grant missing", [g for g in grants if g not in db_grants])
    bad("acknowledged delegation with the wrong parent", [g for g, v in grants.items() if g in db_grants and db_grants[g][1] != v["parent"]])
    bad("acknowledged grant without its grant.created/grant.delegated entry",
        [g for g, v in grants.items() if (g, "grant.created" if v["via"] == "exchange" else "grant.delegated") not in db_grant_actions])
    bad("acknowledged grant token (jti) missing", [j for j in tokens if j not in db_tokens])
    bad("acknowledged refresh token missing", [h for h in r_issued if h not in db_refresh])
    bad("acknowledged refresh whose old refresh token is not used up", [h for h in r_used if db_refresh.get(h) is None])
    bad("acknowledged refreshes without their token.refreshed entries", [g for g, n in refreshes.items() if db_refreshed.get(g, 0) < n])
    must_be_revoked = set()
    for root, desc in revoked_grants.items():
        must_be_revoked.add(root)
        must_be_revoked.update(desc)
    bad("acknowledged revoked grant not revoked", [g for g in must_be_revoked if db_grants.get(g, ("missing",))[0] != "revoked"])
    bad("acknowledged grant revocation without its grant.revoked entry", [g for g in revoked_grants if (g, "grant.revoked") not in db_grant_actions])
    bad("acknowledged token revocation not revoked in the DB", [j for j in revoked_tokens if db_tokens.get(j) is None])
    bad("acknowledged token revocation without its token.revoked entry",
        [j for j in revoked_tokens if (tokens[j]["grant"], "token.revoked") not in db_grant_actions])
    bad("acknowledged audit entry missing", [e for e in audit if e not in db_audit_ids])
    bad("grants without grant.created/grant.delegated entry (any grant in the DB)", [g for (g,) in orphans])

    # Online verify: every token revoked since the last check, plus a sample of older ones -> valid:false;
    # a sample of tokens of never-revoked grants -> valid:true (so the negative answers mean something).
    clients = {n: Client(port, d["key"]) for n, d in devs.items()}
    rnd = random.Random()
    revoked_jwts = [(v["dev"], v["token"]) for j, v in tokens.items() if j in revoked_tokens or v["grant"] in must_be_revoked]
    to_check = new_revoked + rnd.sample(revoked_jwts, min(sample, len(revoked_jwts)))
    still_valid = []
    for dev, tok in to_check:
        s, js, t, _ = clients[dev].request("POST", "/v1/tokens/verify", {"token": tok})
        if s != 200 or js.get("valid") is not False:
            still_valid.append("%s->%s %s" % (jwt_claims(tok)["jti"], s, t[:80]))
    bad("acknowledged revoked token not refused by online verify", still_valid)
    live = [(v["dev"], v["token"]) for j, v in tokens.items()
            if j not in revoked_tokens and v["grant"] not in must_be_revoked and grants.get(v["grant"], {}).get("parent") not in must_be_revoked
            ]
    # a refreshed grant's older tokens stay valid (refresh does not revoke them); a grant with a revoked token may
    # still have other valid tokens; so only grants without any revoked token are sampled.
    grants_with_revoked_token = {tokens[j]["grant"] for j in revoked_tokens}
    live = [(d_, t_) for d_, t_ in live if jwt_claims(t_)["grnt"] not in grants_with_revoked_token]
    # and none whose grant, parent or token had a revocation sent (a request cut by the kill may have committed)
    live = [(d_, t_) for d_, t_ in live if not ({jwt_claims(t_)["jti"], jwt_claims(t_)["grnt"],
                                                  grants.get(jwt_claims(t_)["grnt"], {}).get("parent")} & attempted)]
    # and none that expires within a minute (a live token lives an hour; a long run outlives its first tokens, and an
    # expired token is rightly valid:false)
    live = [(d_, t_) for d_, t_ in live if jwt_claims(t_)["exp"] > time.time() + 60]
    wrongly_invalid = []
    for dev, tok in rnd.sample(live, min(50, len(live))):
        s, js, t, _ = clients[dev].request("POST", "/v1/tokens/verify", {"token": tok})
        if s != 200 or js.get("valid") is not True:
            wrongly_invalid.append("%s->%s %s" % (jwt_claims(tok)["jti"], s, t[:80]))
    bad("acknowledged live token refused by online verify", wrongly_invalid)
    chains = {}
    for n, c in clients.items():
        s, js, t, _ = c.request("GET", "/v1/audit/verify")
        chains[n] = js if s == 200 else {"status": s, "body": t[:200]}
        if s != 200 or js.get("valid") is not True:
            problems.append("audit chain of %s does not verify: %s" % (n, t[:300]))
        c.close()
    integrity = subprocess.run(["sqlite3", db_path, "PRAGMA integrity_check;"], capture_output=True, text=True).stdout.strip()
    if integrity != "ok":
        problems.append("PRAGMA integrity_check: " + integrity[:300])
    facts = {"verified_online_revoked": len(to_check), "verified_online_live": min(50, len(live)),
             "chain": {n: {k: v.get(k) for k in ("valid", "checkedEntries")} for n, v in chains.items()}, "integrity": integrity}
    return problems, facts


def totals_line(ledger):
    return ", ".join("%s %d" % (k, ledger.counts[k]) for k in KINDS) + " (total %d)" % sum(ledger.counts.values())


def common_env(dir_, db_path, port):
    return {
        "ConnectionStrings__Grantex": "Data Source=" + db_path,
        "Grantex__DataProtection__KeysPath": os.path.join(dir_, "keys"),
        "Grantex__PublicBaseUrl": "http://%s:%d" % (HOST, port),
        "Grantex__RateLimits__PerDeveloperPerMinute": "100000000",
        "Grantex__RateLimits__PerIpPerMinute": "100000000",
        "ASPNETCORE_ENVIRONMENT": "Production",
        "Logging__LogLevel__Default": "Warning",
    }


def parse_mix(s):
    return {k: int(v) for k, v in (p.split("=") for p in s.split(","))}


# ---------------------------------------------------------------------------------------------------------- kill9
def run_kill9(a):
    db_path = os.path.join(a.dir, "grantex.db")
    server = Server(a.app.split(), a.port, a.dir, common_env(a.dir, db_path, a.port))
    t_start = time.time()
    server.start()
    devs = setup_developers(server, a.port)
    ledger = Ledger()
    mix = parse_mix(a.mix)
    log("kill -9: up to %d rounds, at most %ds; writers %s; data in %s" % (a.rounds, a.max_seconds, mix, a.dir))
    failed_rounds, chain_ok_rounds, integrity_ok_rounds, rounds = 0, 0, 0, 0
    round_times, restart_times = [], []
    stopped_early = False
    in_flight_total = 0
    for rnd_no in range(1, a.rounds + 1):
        elapsed = time.time() - t_start
        est = (sum(round_times) / len(round_times)) if round_times else 15
        if elapsed + est > a.max_seconds:
            stopped_early = True
            break
        r0 = time.time()
        env = Env(a.port, devs, ledger)
        threads = start_writers(env, mix)
        before = sum(ledger.counts.values())
        time.sleep(random.uniform(a.min_load, a.max_load))
        in_flight = Client.in_flight
        server.kill9()
        env.stop.set()
        for t in threads:
            t.join(30)
        acked_this_round = sum(ledger.counts.values()) - before
        restart_times.append(server.start())
        problems, facts = check(ledger, devs, a.port, db_path)
        rounds += 1
        chain_ok = all(v.get("valid") is True for v in facts["chain"].values())
        chain_ok_rounds += chain_ok
        integrity_ok_rounds += facts["integrity"] == "ok"
        if problems:
            failed_rounds += 1
        round_times.append(time.time() - r0)
        errs = {k: v for k, v in env.errors.items() if k not in (0,)}
        in_flight_total += in_flight
        log("round %d: acked %d this round (cumulative: %s), %d requests in flight at the kill; chain %s; integrity %s; "
            "online-verified %d revoked + %d live; non-2xx answers %s; restart %.1fs; %s" % (
                rnd_no, acked_this_round, sum(ledger.counts.values()), in_flight,
                " ".join("%s=%s/%s" % (n, v["valid"], v["checkedEntries"]) for n, v in facts["chain"].items()),
                facts["integrity"], facts["verified_online_revoked"], facts["verified_online_live"], errs or "none",
                restart_times[-1], "OK" if not problems else "PROBLEMS:\n  " + "\n  ".join(problems)))
        if problems and a.stop_on_failure:
            break
    if a.self_test:
        # Negative control: damage what the ledger says must be there and show the checker notices.
        server.stop()
        db = sqlite3.connect(db_path)
        g = next(iter(ledger.revoked_grants))
        e = next(iter(ledger.audit))
        j = next(iter(ledger.revoked_tokens))
        db.execute("UPDATE grants SET Status = 'active', RevokedAt = NULL WHERE Id = ?", (g,))
        db.execute("UPDATE grant_tokens SET RevokedAt = NULL WHERE Id = ?", (j,))
        db.execute("DELETE FROM audit_entries WHERE Id = ?", (e,))
        db.commit()
        db.close()
        server.start()
        problems, _ = check(ledger, devs, a.port, db_path)
        log("SELF-TEST (un-revoked grant %s, un-revoked token %s, deleted audit entry %s): the checker reports %d problem(s):\n  %s"
            % (g, j, e, len(problems), "\n  ".join(problems)))
        server.stop()
        return 0 if len(problems) >= 3 else 1
    server.stop()
    elapsed = time.time() - t_start
    lost = failed_rounds
    summary = {
        "rounds_requested": a.rounds, "rounds_done": rounds, "stopped_at_time_bound": stopped_early, "max_seconds": a.max_seconds,
        "elapsed_seconds": round(elapsed), "acknowledged": dict(ledger.counts), "acknowledged_total": sum(ledger.counts.values()),
        "requests_in_flight_at_kills": in_flight_total, "rounds_with_problems": failed_rounds, "chain_intact_rounds": chain_ok_rounds, "integrity_ok_rounds": integrity_ok_rounds,
        "mean_round_seconds": round(sum(round_times) / max(1, len(round_times)), 1),
        "mean_restart_seconds": round(sum(restart_times) / max(1, len(restart_times)), 1),
    }
    with open(os.path.join(a.dir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    log("")
    if stopped_early:
        log("STOPPED AT THE TIME BOUND: %d of %d rounds done in %ds (MAX_SECONDS=%d)" % (rounds, a.rounds, elapsed, a.max_seconds))
    log("kill -9 totals: rounds %d; acknowledged writes: %s" % (rounds, totals_line(ledger)))
    log("rounds with a lost/wrong acknowledged write or other problem: %d; chain intact in %d/%d rounds; integrity ok in %d/%d rounds; %.0fs"
        % (failed_rounds, chain_ok_rounds, rounds, integrity_ok_rounds, rounds, elapsed))
    log("SUMMARY " + json.dumps(summary))
    return 1 if lost else 0


# ------------------------------------------------------------------------------------------------------- diskfull
def error_shape_ok(text):
    try:
        js = json.loads(text)
    except ValueError:
        return False
    return isinstance(js, dict) and all(isinstance(js.get(k), str) and js.get(k) for k in ("message", "code", "requestId"))


def prepare_probes(port, devs, ledger):
    """One write of every kind, ready to send: [(name, fn -> (status, text))]. A 2xx answer is recorded in the ledger."""
    sb, lv = devs["sandbox"], devs["live"]
    c = Client(port, sb["key"])
    lc = Client(port, lv["key"])

    def post(cl, path, body):
        s, js, t, _ = cl.request("POST", path, body)
        assert s // 100 == 2, (path, s, t)
        return js

    def authorize():
        js = post(c, "/v1/authorize", {"agentId": sb["agent"], "principalId": "probe", "scopes": ["read", "write"]})
        rid = js["authRequestId"]
        ledger.ack("authorize", lambda l: l.auth.__setitem__(rid, {"approved", "consumed"}) or l.decisions.__setitem__(rid, "consent.approved"))
        return rid, js["code"]

    def exchange(rid, code):
        js = post(c, "/v1/token", {"code": code, "agentId": sb["agent"]})
        gid, tok, rt = js["grantId"], js["grantToken"], js["refreshToken"]
        jti = jwt_claims(tok)["jti"]

        def rec(l):
            l.grants[gid] = {"parent": None, "dev": "sandbox", "via": "exchange"}
            l.tokens[jti] = {"grant": gid, "token": tok, "dev": "sandbox"}
            l.refresh_issued.add(sha256hex(rt))
            l.auth[rid] = {"consumed"}
            l.exchanged_requests.add(rid)
        ledger.ack("exchange", rec)
        return gid, tok, rt, jti

    rid1, code1 = authorize()
    g2, tok2, rt2, jti2 = exchange(*authorize())
    g3, tok3, _, _ = exchange(*authorize())
    live = post(lc, "/v1/authorize", {"agentId": lv["agent"], "principalId": "probe", "scopes": ["read"]})
    lrid = live["authRequestId"]
    ledger.ack("authorize_live", lambda l: l.auth.__setitem__(lrid, {"pending", "approved", "denied", "consumed"}))
    browser = Client(port)
    s, _, html, hdrs = browser.request("GET", "/consent?req=" + lrid, auth=False, headers={"Accept": "text/html"})
    assert s == 200, s
    cookies = "; ".join(v.split(";", 1)[0] for k, v in hdrs if k.lower() == "set-cookie")
    af = TOKEN_FIELD.search(html).group(1)

    def p_authorize():
        s, js, t, _ = c.request("POST", "/v1/authorize", {"agentId": sb["agent"], "principalId": "probe", "scopes": ["read"]})
        if s // 100 == 2:
            rid = js["authRequestId"]
            ledger.ack("authorize", lambda l: l.auth.__setitem__(rid, {"approved", "consumed"}) or l.decisions.__setitem__(rid, "consent.approved"))
        return s, t

    def p_exchange():
        s, js, t, _ = c.request("POST", "/v1/token", {"code": code1, "agentId": sb["agent"]})
        if s // 100 == 2:
            gid, tok = js["grantId"], js["grantToken"]

            def rec(l):
                l.grants[gid] = {"parent": None, "dev": "sandbox", "via": "exchange"}
                l.tokens[jwt_claims(tok)["jti"]] = {"grant": gid, "token": tok, "dev": "sandbox"}
                l.refresh_issued.add(sha256hex(js["refreshToken"]))
                l.auth[rid1] = {"consumed"}
                l.exchanged_requests.add(rid1)
            ledger.ack("exchange", rec)
        return s, t

    def p_refresh():
        s, js, t, _ = c.request("POST", "/v1/token/refresh", {"refreshToken": rt2, "agentId": sb["agent"]})
        if s // 100 == 2:
            def rec(l):
                l.refresh_used.add(sha256hex(rt2))
                l.refresh_issued.add(sha256hex(js["refreshToken"]))
                l.tokens[jwt_claims(js["grantToken"])["jti"]] = {"grant": g2, "token": js["grantToken"], "dev": "sandbox"}
                l.refreshes[g2] = l.refreshes.get(g2, 0) + 1
            ledger.ack("refresh", rec)
        return s, t

    def p_delegate():
        s, js, t, _ = c.request("POST", "/v1/grants/delegate", {"parentGrantToken": tok2, "subAgentId": sb["subagent"], "scopes": ["read"]})
        if s // 100 == 2:
            def rec(l):
                l.grants[js["grantId"]] = {"parent": g2, "dev": "sandbox", "via": "delegate"}
                l.tokens[jwt_claims(js["grantToken"])["jti"]] = {"grant": js["grantId"], "token": js["grantToken"], "dev": "sandbox"}
            ledger.ack("delegate", rec)
        return s, t

    def p_revoke_token():
        s, _, t, _ = c.request("POST", "/v1/tokens/revoke", {"jti": jti2})
        if s // 100 == 2:
            def rec(l):
                l.revoked_tokens.add(jti2)
                l.new_revoked_tokens.append(("sandbox", tok2))
            ledger.ack("revoke_token", rec)
        return s, t

    def p_revoke_grant():
        s, _, t, _ = c.request("DELETE", "/v1/grants/" + g3)
        if s // 100 == 2:
            def rec(l):
                l.revoked_grants[g3] = []
                l.new_revoked_tokens.append(("sandbox", tok3))
            ledger.ack("revoke_grant", rec)
        return s, t

    def p_consent():
        s, js, t, _ = browser.request("POST", "/v1/consent/%s/approve" % lrid, auth=False, headers={"Cookie": cookies, "RequestVerificationToken": af})
        if s // 100 == 2:
            ledger.ack("consent_approve", lambda l: l.auth.__setitem__(lrid, {"approved", "consumed"}) or l.decisions.__setitem__(lrid, "consent.approved"))
        return s, t

    def p_audit():
        s, js, t, _ = c.request("POST", "/v1/audit/log", {"agentId": sb["agent"], "agentDid": "d", "grantId": "g", "principalId": "p",
                                                          "action": "fault.full", "metadata": {"pad": "x" * 12000}})
        if s // 100 == 2:
            ledger.ack("audit", lambda l: l.audit.__setitem__(js["entryId"], "fault.full"))
        return s, t

    return [("authorize", p_authorize), ("exchange", p_exchange), ("refresh", p_refresh), ("delegate", p_delegate),
            ("revoke_token", p_revoke_token), ("revoke_grant", p_revoke_grant), ("consent_approve", p_consent), ("audit", p_audit)]


def run_diskfull(a):
    db_path = os.path.join(a.mount, "grantex.db")
    server = Server(a.app.split(), a.port, a.dir, common_env(a.dir, db_path, a.port))
    server.start()
    devs = setup_developers(server, a.port)
    ledger = Ledger()
    problems = []

    def df():
        st = os.statvfs(a.mount)
        return st.f_bavail * st.f_frsize

    # 1. Fill the file system with a filler file, leaving a few MB for the database to grow into.
    filler = os.path.join(a.mount, "filler.bin")
    free = df()
    with open(filler, "wb") as f:
        chunk = b"\0" * (1 << 20)
        for _ in range(max(0, (free - a.leave_mb * (1 << 20)) >> 20)):
            f.write(chunk)
        f.flush()
        os.fsync(f.fileno())
    log("filesystem %s: %.1f MB free after a %.1f MB filler file" % (a.mount, df() / 1048576, os.path.getsize(filler) / 1048576))

    probes = prepare_probes(a.port, devs, ledger)

    # 2. Write (every kind, audit entries padded) until the disk is full: the writers keep going until every kind is refused.
    env = Env(a.port, devs, ledger, big_audit=a.pad)
    threads = start_writers(env, parse_mix(a.mix))
    t0 = time.time()
    full_at = None
    while time.time() - t0 < a.fill_seconds:
        time.sleep(1)
        n5 = sum(v for k, v in env.errors.items() if k >= 500)
        if server.proc.poll() is not None:
            problems.append("server process exited while the disk filled (code %s)" % server.proc.returncode)
            break
        if full_at is None and n5 > 0:
            full_at = time.time()
            log("first 5xx after %.0fs, %.2f MB free" % (full_at - t0, df() / 1048576))
        if full_at is not None and time.time() - full_at > a.full_seconds:
            break
    env.stop.set()
    for t in threads:
        t.join(30)
    log("while filling: acknowledged %s; answers other than 2xx: %s (5xx not in the wire error format: %d); free %.2f MB" % (
        totals_line(ledger), env.errors, env.bad_shape, df() / 1048576))
    if full_at is None:
        problems.append("the disk never filled up (no 5xx within %ds)" % a.fill_seconds)

    # 3. While full: every kind of write is answered with a clean wire-format error (or, if it still fits, is
    #    acknowledged and recorded); the process stays up; reads and /health answer. The material for the probes
    #    (an unused code, a refresh token, a parent token, grants and a token to revoke, a live consent session)
    #    was prepared before the disk filled; after space is freed every refused probe is retried and must succeed,
    #    which shows the refusal changed nothing (the code was not consumed, the refresh token not used up, ...).
    c = Client(a.port, devs["sandbox"]["key"])
    shapes, refused = [], []
    for name, fn in probes:
        s, t = fn()
        shapes.append((name, s))
        if s // 100 == 2:
            log("probe %s while full was accepted (%d): it still fitted; recorded as acknowledged" % (name, s))
        elif s < 500 or not error_shape_ok(t):
            problems.append("probe %s while full: status %s body %s" % (name, s, t[:300]))
        else:
            refused.append((name, fn))
    if env.bad_shape:
        problems.append("%d 5xx answers not in the wire error format, e.g. %s" % (
            env.bad_shape, [x for x in env.error_samples if not error_shape_ok(x[1])][:3]))
    statuses_5xx = sorted({k for k in env.errors if k >= 500})
    s_health, _, t_health, _ = c.request("GET", "/health", auth=False)
    s_read, _, _, _ = c.request("GET", "/v1/grants?pageSize=5")
    if server.proc.poll() is not None:
        problems.append("server died while the disk was full")
    log("while full: probes %s; 5xx statuses seen %s; health %s %s; GET /v1/grants %s; sample 5xx body: %s" % (
        shapes, statuses_5xx, s_health, t_health[:80], s_read, env.error_samples[:1]))
    p1, f1 = check(ledger, devs, a.port, db_path)
    log("check while full: %s; chain %s; integrity %s" % ("OK" if not p1 else "PROBLEMS: " + "; ".join(p1), f1["chain"], f1["integrity"]))
    problems += ["while full: " + p for p in p1]

    # 4. Free the space: writes of every kind succeed again.
    os.remove(filler)
    log("filler removed: %.1f MB free" % (df() / 1048576))
    retried = []
    for name, fn in refused:
        s_, t_ = fn()
        retried.append((name, s_))
        if s_ // 100 != 2:
            problems.append("probe %s refused while full, retried after freeing space: %s %s" % (name, s_, t_[:300]))
    log("refused probes retried after freeing space: %s" % retried)
    before = dict(ledger.counts)
    env2 = Env(a.port, devs, ledger)
    threads = start_writers(env2, parse_mix(a.mix))
    time.sleep(a.after_seconds)
    env2.stop.set()
    for t in threads:
        t.join(30)
    after = {k: ledger.counts[k] - before[k] for k in KINDS}
    log("after freeing space: acknowledged %s; answers other than 2xx: %s" % (after, env2.errors))
    resumed = {k for k, v in after.items() if v > 0}
    missing_kinds = set(KINDS) - resumed - ({"consent_deny"} if after["consent_approve"] else set())
    if missing_kinds:
        problems.append("kinds with no acknowledged write after space was freed: %s" % sorted(missing_kinds))
    if any(k >= 500 for k in env2.errors):
        problems.append("5xx after space was freed: %s" % env2.errors)
    p2, f2 = check(ledger, devs, a.port, db_path)
    log("check after freeing: %s; chain %s; integrity %s" % ("OK" if not p2 else "PROBLEMS: " + "; ".join(p2), f2["chain"], f2["integrity"]))
    problems += ["after freeing: " + p for p in p2]

    # 5. Restart on the same files and check once more.
    server.stop()
    server.start()
    p3, f3 = check(ledger, devs, a.port, db_path)
    log("check after restart: %s; chain %s; integrity %s" % ("OK" if not p3 else "PROBLEMS: " + "; ".join(p3), f3["chain"], f3["integrity"]))
    problems += ["after restart: " + p for p in p3]
    server.stop()
    summary = {"acknowledged": dict(ledger.counts), "acknowledged_total": sum(ledger.counts.values()), "non_2xx_while_full": env.errors,
               "bad_error_shapes": env.bad_shape,
               "probes_while_full": shapes, "probes_retried_after_freeing": retried, "health_while_full": s_health, "after_freeing": after, "problems": problems,
               "chain": f3["chain"], "integrity": f3["integrity"]}
    with open(os.path.join(a.dir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    log("")
    log("disk-full totals: acknowledged writes: %s" % totals_line(ledger))
    log("disk-full result: %s" % ("OK" if not problems else "PROBLEMS:\n  " + "\n  ".join(problems)))
    log("SUMMARY " + json.dumps(summary))
    return 1 if problems else 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    k = sub.add_parser("kill9")
    k.add_argument("--app", required=True, help='e.g. "dotnet Grantex.Console/bin/Release/net10.0/Grantex.Console.dll"')
    k.add_argument("--dir", required=True)
    k.add_argument("--port", type=int, default=5191)
    k.add_argument("--rounds", type=int, default=200)
    k.add_argument("--max-seconds", type=int, default=3600)
    k.add_argument("--min-load", type=float, default=1.5, help="seconds of load before the kill (random between min and max)")
    k.add_argument("--max-load", type=float, default=4.0)
    k.add_argument("--mix", default="grant=3,audit=2,consent=1")
    k.add_argument("--stop-on-failure", action="store_true")
    k.add_argument("--self-test", action="store_true", help="after the rounds, damage the DB on purpose and show the checker catches it")
    d = sub.add_parser("diskfull")
    d.add_argument("--app", required=True)
    d.add_argument("--dir", required=True, help="logs, keys (on a normal disk)")
    d.add_argument("--mount", required=True, help="the small file system the database lives on")
    d.add_argument("--port", type=int, default=5192)
    d.add_argument("--leave-mb", type=int, default=6)
    d.add_argument("--pad", type=int, default=8000, help="bytes of padding in each audit entry's metadata")
    d.add_argument("--mix", default="grant=2,audit=3,consent=1")
    d.add_argument("--fill-seconds", type=int, default=300)
    d.add_argument("--full-seconds", type=int, default=10, help="keep writing this long after the first 5xx")
    d.add_argument("--after-seconds", type=int, default=8)
    a = p.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    sys.exit(run_kill9(a) if a.cmd == "kill9" else run_diskfull(a))


if __name__ == "__main__":
    main()
