#!/usr/bin/env bash
# HTTP load test of the full sandbox flow (POST /v1/authorize, then POST /v1/token with its code) against the Release
# server on 127.0.0.1, with server CPU per flow compared to one RSA-2048 signature (issue #14).
#   bash benchmarks/load/flow.sh             (from the repository root; builds Release first)
# Env: PORT (5198), DURATION (10s per run), RUNS (3, after one warm-up run of WARMUP, default 30s: until the JIT has
#      tiered the hot code up, its thread costs more than the flow itself; each run prints what it still used), THREADS (wrk threads,
#      1), CONNECTIONS (32 in flight), TRACE=1 (also record a dotnet-trace CPU profile of one extra run into
#      TRACE_OUT, default /tmp/grantex-flow.nettrace; needs dotnet-trace on PATH or in DOTNET_TOOLS),
#      PERF=1 (also record one extra run with `perf record -g` into PERF_OUT, default /tmp/grantex-flow.perf.data,
#      with the server's JIT symbols in /tmp/perf-<pid>.map; benchmarks/load/stages.py turns it into the per-stage
#      table), KEEP_SERVER=1 (print the server pid and leave it, for dotnet-counters).
# Starts the server on a fresh temporary SQLite database (WAL, synchronous=FULL: nothing is relaxed) with very high rate
# limits, creates a sandbox developer and an agent through the CLI and the API, runs `openssl speed -seconds 3 rsa2048`,
# then RUNS wrk runs of flow.lua. For each run: flows/s, and server CPU per flow = (user+system CPU of the server
# process, from /proc/<pid>/stat) / flows; the ratio to the openssl signing time. Prints the medians at the end.
# Only ever targets 127.0.0.1. Stops the server it started.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PORT="${PORT:-5198}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-30s}"
RUNS="${RUNS:-3}"
THREADS="${THREADS:-1}"
CONNECTIONS="${CONNECTIONS:-32}"
BASE="http://127.0.0.1:${PORT}"

for tool in wrk curl jq openssl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "Installing $tool (apt)"; apt-get install -y "$tool" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$tool" >/dev/null; }
  fi
done

cd "$ROOT"
dotnet build -c Release Grantex.Console -v q -nologo >/dev/null
DLL="$ROOT/Grantex.Console/bin/Release/net10.0/Grantex.Console.dll"

WORK="$(mktemp -d /tmp/grantex-flow-XXXXXX)"
export ConnectionStrings__Grantex="${FLOW_CONNECTION_STRING:-Data Source=$WORK/grantex.db}"
export Grantex__PublicBaseUrl="$BASE"
for limit in PerDeveloperPerMinute PerIpPerMinute AuthorizePerMinute TokenPerMinute TokenRefreshPerMinute; do
  export "Grantex__RateLimits__${limit}=100000000"
done
export Logging__LogLevel__Default=Warning
export ASPNETCORE_ENVIRONMENT=Production
if [[ "${PERF:-0}" == 1 ]]; then export DOTNET_PerfMapEnabled=3 DOTNET_EnableWriteXorExecute=0; fi

SERVER_PID=""
cleanup() {
  if [[ "${KEEP_SERVER:-0}" != 1 ]] && [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; fi
  [[ "${KEEP_SERVER:-0}" == 1 ]] || rm -rf "$WORK"
}
trap cleanup EXIT

created="$(dotnet "$DLL" developer create --name flow-test --mode sandbox --json | grep "^{")"
KEY="$(jq -r .apiKey <<<"$created")"

dotnet "$DLL" --urls "$BASE" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -sf "$BASE/health" >/dev/null && break; sleep 0.2; done
curl -sf "$BASE/health" >/dev/null || { echo "server did not start"; cat "$WORK/server.log"; exit 1; }

auth=(-H "Authorization: Bearer $KEY" -H "Content-Type: application/json")
AGENT="$(curl -sf "${auth[@]}" -d '{"name":"flow agent","scopes":["read","write"]}' "$BASE/v1/agents" | jq -r .agentId)"
echo "server pid $SERVER_PID on $BASE; agent $AGENT; commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"

# Seconds one RSA-2048 signature takes in openssl on this machine now.
sign_seconds() { openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print $4 }' | tr -d s; }
# CPU seconds (user + system) the server process has used so far.
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$SERVER_PID/stat"; }
# CPU seconds of the runtime's tiered-compilation thread (JIT work that stops once the code is warm). The runtime ends
# that thread when idle and starts a new one, so this sees only the threads alive now: a hint, not an account.
jit_cpu() { local t total=0; for t in /proc/"$SERVER_PID"/task/*; do
  if [[ "$(cat "$t/comm" 2>/dev/null)" == ".NET Tiered Com"* ]]; then total="$(awk -v hz="$(getconf CLK_TCK)" -v s="$total" '{ printf "%.3f", s + ($14 + $15) / hz }' "$t/stat")"; fi
done; echo "$total"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

SIGN0="$(sign_seconds)"
echo "openssl rsa2048 sign: $(awk -v s="$SIGN0" 'BEGIN { printf "%.0f", s * 1e6 }') us; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

run_wrk() { # duration -> prints "flows seconds cpu" and leaves wrk's output in $WORK/wrk.txt
  local cpu0 cpu1 jit0 jit1
  cpu0="$(server_cpu)"; jit0="$(jit_cpu)"
  GRANTEX_KEY="$KEY" GRANTEX_AGENT="$AGENT" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --latency -s "$ROOT/benchmarks/load/flow.lua" "$BASE" >"$WORK/wrk.txt"
  cpu1="$(server_cpu)"; jit1="$(jit_cpu)"
  if grep -q "^FIRST_ERROR" "$WORK/wrk.txt"; then echo "errors during the run:" >&2; grep -E "^(FLOWS|FIRST_ERROR)" "$WORK/wrk.txt" >&2; exit 1; fi
  awk -v a="$cpu0" -v b="$cpu1" -v j="$(awk -v a="$jit0" -v b="$jit1" 'BEGIN { print b - a }')" '/^FLOWS / { print $2, $8, b - a, j }' "$WORK/wrk.txt"
}

run_wrk "$WARMUP" >/dev/null
: >"$WORK/runs.txt"
for run in $(seq 1 "$RUNS"); do
  read -r flows seconds cpu jit < <(run_wrk "$DURATION")
  awk -v f="$flows" -v s="$seconds" -v c="$cpu" -v j="$jit" -v sign="$SIGN0" -v r="$run" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
    us = c * 1e6 / f; printf "run %d: %d flows in %.1f s = %.0f flows/s; server CPU %.2f s = %.0f us per flow = %.2f x one signature (load %s; JIT thread %.0f us per flow)\n", r, f, s, f / s, c, us, us / (sign * 1e6), load, j * 1e6 / f
    printf "%.1f %.1f %.3f\n", f / s, us, us / (sign * 1e6) > "/dev/stderr" }' 2>>"$WORK/runs.txt"
  grep -E "Latency|99%" "$WORK/wrk.txt" | head -2 | sed 's/^/    /'
done

if [[ "${TRACE:-0}" == 1 ]]; then
  TRACER="$(command -v dotnet-trace || echo "${DOTNET_TOOLS:-$HOME/.dotnet/tools}/dotnet-trace")"
  OUT="${TRACE_OUT:-/tmp/grantex-flow.nettrace}"
  "$TRACER" collect -p "$SERVER_PID" --profile dotnet-sampled-thread-time -o "$OUT" >"$WORK/trace.log" 2>&1 &
  TRACE_PID=$!
  sleep 2
  read -r flows seconds cpu jit < <(run_wrk "$DURATION")
  kill -INT "$TRACE_PID" 2>/dev/null || true; wait "$TRACE_PID" 2>/dev/null || true
  echo "traced run: $flows flows in $seconds s ($(awk -v c="$cpu" -v f="$flows" 'BEGIN { printf "%.0f", c * 1e6 / f }') us CPU per flow, profiler included) -> $OUT"
fi

if [[ "${PERF:-0}" == 1 ]]; then
  OUT="${PERF_OUT:-/tmp/grantex-flow.perf.data}"
  cpu0="$(server_cpu)"
  GRANTEX_KEY="$KEY" GRANTEX_AGENT="$AGENT" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$ROOT/benchmarks/load/flow.lua" "$BASE" >"$WORK/wrk.txt" &
  WRK_PID=$!
  perf record -F 997 -g -p "$SERVER_PID" -o "$OUT" -- sleep "$(( ${DURATION%s} - 1 ))" >"$WORK/perf.log" 2>&1 || { cat "$WORK/perf.log"; exit 1; }
  wait "$WRK_PID"
  cpu1="$(server_cpu)"
  flows="$(awk '/^FLOWS / { print $2 }' "$WORK/wrk.txt")"
  echo "perf run: $flows flows ($(awk -v c="$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { print b - a }')" -v f="$flows" 'BEGIN { printf "%.0f", c * 1e6 / f }') us CPU per flow, sampling included) -> $OUT"
  echo "  python3 benchmarks/load/stages.py $OUT <us per flow>"
fi

SIGN1="$(sign_seconds)"
SIGN="$(printf '%s\n%s\n' "$SIGN0" "$SIGN1" | median)"
echo "openssl rsa2048 sign after: $(awk -v s="$SIGN1" 'BEGIN { printf "%.0f", s * 1e6 }') us; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
FPS="$(awk '{ print $1 }' "$WORK/runs.txt" | median)"
US="$(awk '{ print $2 }' "$WORK/runs.txt" | median)"
awk -v fps="$FPS" -v us="$US" -v sign="$SIGN" -v runs="$RUNS" 'BEGIN {
  printf "MEDIAN of %d runs: %.0f flows/s; %.0f us server CPU per flow; signature %.0f us; ratio %.2f (target <= 2.00)\n", runs, fps, us, sign * 1e6, us / (sign * 1e6) }'
if [[ "${KEEP_SERVER:-0}" == 1 ]]; then echo "server left running: pid $SERVER_PID, work dir $WORK; GRANTEX_KEY=$KEY GRANTEX_AGENT=$AGENT"; fi
