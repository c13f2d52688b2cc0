#!/usr/bin/env python3
"""Per-stage CPU table of a `perf record -g` profile of the Grantex server (issue #14).

    python3 benchmarks/load/stages.py PERF_DATA US_PER_FLOW [--top N]

PERF_DATA comes from `PERF=1 bash benchmarks/load/flow.sh` (the server ran with DOTNET_PerfMapEnabled=3, so the JIT's
symbols are in /tmp/perf-<pid>.map). Each CPU sample is given to one stage: by the ANYWHERE rules on its whole stack, else
by the first frame from the leaf that names a LEAF_FIRST component; the stage's share of all samples times US_PER_FLOW (the server CPU per flow measured in the same
run) is its cost in microseconds per flow. Async continuations lose their callers, so stages are approximate: a sample
in EF Core resumed on a pool thread counts as "EF Core" even when the writer started it.
--top N also prints the N hottest leaf frames.
"""
import collections
import re
import subprocess
import sys

# Rules that look at the whole stack (their work runs in its own call chain), first match wins.
ANYWHERE = [
    ("GC threads", lambda s, t: t.startswith(".NET Server GC") or t.startswith(".NET BGC") or t.startswith(".NET Background")),
    ("JIT (tiered compilation)", lambda s, t: "libclrjit" in s),
    ("anomaly detector (background pass + its writer command)", lambda s, t: "Grantex.Core.Anomalies" in s),
    ("JWT: RSA signature", lambda s, t: "AsymmetricSignatureProvider" in s or "RSAOpenSsl" in s),
    ("JWT: claims, header, base64url", lambda s, t: "JsonWebTokenHandler" in s or "GrantTokenIssuer" in s),
    ("audit append (hash, metadata JSON, insert)", lambda s, t: "AuditInsertCommand" in s or "AppendAudit" in s or "AuditHash" in s or "AuditMetadata" in s),
    ("writer: SQLite engine (statements, commit, fsync)", lambda s, t: "WriteQueue" in s and ("e_sqlite3" in s or "SQLitePCL" in s or "Microsoft.Data.Sqlite" in s)),
    ("writer: EF Core (tracking, SaveChanges, queries)", lambda s, t: "WriteQueue" in s and "EntityFrameworkCore" in s),
    ("writer: other (commands, savepoints, hand-offs)", lambda s, t: "WriteQueue" in s),
]
# Otherwise the first frame from the leaf that names one of these decides (middleware frames wrap the whole request,
# so they only count when they are the code actually running).
LEAF_FIRST = [
    ("OpenSSL, stack cut at the native boundary (RSA sign, SHA-256, random)", ("libcrypto",)),
    # SQLite's native frames have no frame pointers, so its samples lose the managed caller (the writer too): this row is
    # every statement of the flow, reads and writes, plus the commit's WAL work; only managed Microsoft.Data.Sqlite frames
    # that still show WriteQueue go to the writer rows above.
    ("SQLite engine, native stacks cut (reads and the writer's statements and commit)", ("e_sqlite3", "SQLitePCL", "Microsoft.Data.Sqlite")),
    ("reads: EF Core outside the writer", ("EntityFrameworkCore",)),
    ("rate limiting", ("System.Threading.RateLimiting", "GrantexRateLimiter", "RateLimitingMiddleware")),
    ("logging", ("Microsoft.Extensions.Logging", "HttpLogging")),
    ("API-key authentication", ("ApiKeyAuthenticationHandler", "DeveloperService", "Microsoft.AspNetCore.Authentication")),
    ("JSON (request/response bodies)", ("System.Text.Json",)),
    ("id generation, secrets, hashing", ("Grantex.Core.Common.Ids", "Grantex.Core.Common.Secrets", "Ulid")),
    ("Grantex services (validation, policies, results)", ("[Grantex.",)),
    ("Kestrel, sockets, kernel network", ("Kestrel", "System.Net.Sockets", "System.IO.Pipelines", "tcp_", "sock_", "epoll", "[kernel.kallsyms]")),
    ("routing, authorization and endpoint middleware", ("Microsoft.AspNetCore",)),
]
OTHER = "thread pool, async machinery, allocation, runtime"
STAGES = [name for name, _ in ANYWHERE] + [name for name, _ in LEAF_FIRST] + [OTHER]


def classify(thread, frames):
    stack = "\n".join(frames)
    for stage, test in ANYWHERE:
        if test(stack, thread):
            return stage
    for frame in frames:
        for stage, markers in LEAF_FIRST:
            if any(m in frame for m in markers):
                return stage
    return OTHER


def samples(path):
    out = subprocess.run(["perf", "script", "-i", path], capture_output=True, text=True, check=True).stdout
    for block in out.split("\n\n"):
        lines = block.strip().split("\n")
        if len(lines) < 2:
            continue
        m = re.match(r"^(.*?)\s+\d+\s+\d+\.\d+:", lines[0])
        thread = m.group(1).strip() if m else ""
        frames = [re.sub(r"^\s*[0-9a-f]+\s+", "", l) for l in lines[1:]]
        yield thread, frames


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    path, us_per_flow = sys.argv[1], float(sys.argv[2])
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 0
    counts, leaves, total = collections.Counter(), collections.Counter(), 0
    for thread, frames in samples(path):
        total += 1
        counts[classify(thread, frames)] += 1
        leaves[re.sub(r"\(/tmp/perf-\d+\.map\)|\+0x[0-9a-f]+", "", frames[0])[:150]] += 1
    print(f"{total} samples; {us_per_flow:.0f} us server CPU per flow\n")
    print("| Stage | share | us per flow |")
    print("|---|---:|---:|")
    for stage in STAGES:
        if counts[stage]:
            print(f"| {stage} | {100 * counts[stage] / total:.1f} % | {us_per_flow * counts[stage] / total:.0f} |")
    if top:
        print()
        for leaf, n in leaves.most_common(top):
            print(f"{100 * n / total:5.1f} %  {leaf}")


if __name__ == "__main__":
    main()
