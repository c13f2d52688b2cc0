#!/usr/bin/env bash
# HTTP load test of online verification (POST /v1/tokens/verify) against the built server on 127.0.0.1.
#   bash benchmarks/load/run.sh            (from the repository root; builds Release first)
# Env: PORT (default 5199), DURATION (default 10s), THREADS (wrk threads, default 1), CONNECTIONS (default 32),
#      HEY_WORKERS (default 50), DLL (a built Grantex.Console.dll to measure instead of building),
#      WARMUP (rounds of 5 s wrk before measuring, each printed; default 0),
#      RATE (fixed-rate total for hey, default 5000),
#      PERF=1 (also record one extra wrk run with `perf record -g` into PERF_OUT, default /tmp/grantex-verify.perf.data,
#      with the server's JIT symbols in /tmp/perf-<pid>.map; `perf report -i PERF_OUT --no-children` reads it).
# wrk and hey share the machine's cores with the server: on 2 cores, one wrk thread leaves the server the most CPU
# (measured here: up to 11.5-15.9k/s with -t1 -c32, but only 3.6-5.8k/s with -t2 -c64).
# Starts the server with a temporary database and very high rate limits, creates a sandbox developer, an agent and
# a grant token through the API, then measures: max throughput and latency with wrk; latency at a fixed RATE with
# hey (-q is per worker, so workers x q = RATE). Only ever targets 127.0.0.1. Stops the server it started.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PORT="${PORT:-5199}"
DURATION="${DURATION:-10s}"
THREADS="${THREADS:-1}"
CONNECTIONS="${CONNECTIONS:-32}"
RATE="${RATE:-5000}"
BASE="http://127.0.0.1:${PORT}"

for tool in wrk hey curl jq; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "Installing $tool (apt)"; apt-get install -y "$tool" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$tool" >/dev/null; }
  fi
done

cd "$ROOT"
if [[ -z "${DLL:-}" ]]; then
  dotnet build -c Release Grantex.Console -v q -nologo >/dev/null
  DLL="$ROOT/Grantex.Console/bin/Release/net10.0/Grantex.Console.dll"
fi

WORK="$(mktemp -d /tmp/grantex-load-XXXXXX)"
export ConnectionStrings__Grantex="Data Source=$WORK/grantex.db"
export Grantex__PublicBaseUrl="$BASE"
export Grantex__RateLimits__PerDeveloperPerMinute=100000000
export Grantex__RateLimits__PerIpPerMinute=100000000
export Logging__LogLevel__Default=Warning
export ASPNETCORE_ENVIRONMENT=Production
if [[ "${PERF:-0}" == 1 ]]; then export DOTNET_PerfMapEnabled=3 DOTNET_EnableWriteXorExecute=0; fi

SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

created="$(dotnet "$DLL" developer create --name load-test --mode sandbox --json | grep "^{")"
KEY="$(jq -r .apiKey <<<"$created")"

dotnet "$DLL" --urls "$BASE" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -sf "$BASE/health" >/dev/null && break; sleep 0.2; done
curl -sf "$BASE/health" >/dev/null || { echo "server did not start"; cat "$WORK/server.log"; exit 1; }

auth=(-H "Authorization: Bearer $KEY" -H "Content-Type: application/json")
AGENT="$(curl -sf "${auth[@]}" -d '{"name":"load agent","scopes":["read"]}' "$BASE/v1/agents" | jq -r .agentId)"
CODE="$(curl -sf "${auth[@]}" -d "{\"agentId\":\"$AGENT\",\"principalId\":\"user_load\",\"scopes\":[\"read\",\"write\"]}" "$BASE/v1/authorize" | jq -r .code)"
TOKEN="$(curl -sf "${auth[@]}" -d "{\"code\":\"$CODE\",\"agentId\":\"$AGENT\"}" "$BASE/v1/token" | jq -r .grantToken)"
BODY="{\"token\":\"$TOKEN\"}"
check="$(curl -sf "${auth[@]}" -d "$BODY" "$BASE/v1/tokens/verify")"
[[ "$(jq -r .valid <<<"$check")" == "true" ]] || { echo "verify did not say valid: $check"; exit 1; }
echo "server pid $SERVER_PID on $BASE; token of ${#TOKEN} bytes verifies: $check"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# CPU seconds (user + system) the server process has used so far.
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$SERVER_PID/stat"; }

WARMUP="${WARMUP:-0}"
if [[ "$WARMUP" != 0 ]]; then
  echo "warm-up: $WARMUP rounds of wrk for 5 s each (CPU us per request, requests/s)"
  for i in $(seq 1 "$WARMUP"); do
    c0="$(server_cpu)"
    GRANTEX_KEY="$KEY" GRANTEX_TOKEN="$TOKEN" wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$ROOT/benchmarks/load/verify.lua" "$BASE/v1/tokens/verify" >"$WORK/warm.txt"
    c1="$(server_cpu)"
    awk -v a="$c0" -v b="$c1" '/requests in/ { n = $1 } /Requests\/sec/ { r = $2 } END { printf "  %.0f us, %s/s\n", (b - a) * 1e6 / n, r }' "$WORK/warm.txt"
  done
fi

echo
echo "== wrk: max throughput, $CONNECTIONS connections, $THREADS thread(s), $DURATION =="
cpu0="$(server_cpu)"
GRANTEX_KEY="$KEY" GRANTEX_TOKEN="$TOKEN" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/benchmarks/load/verify.lua" "$BASE/v1/tokens/verify" | tee "$WORK/wrk.txt"
cpu1="$(server_cpu)"
requests="$(awk '/requests in/ { print $1 }' "$WORK/wrk.txt")"
awk -v a="$cpu0" -v b="$cpu1" -v n="$requests" 'BEGIN { printf "server CPU: %.1f s for %d requests = %.0f us per verify request\n", b - a, n, (b - a) * 1e6 / n }'

echo
WORKERS="${HEY_WORKERS:-50}"
PER_WORKER=$(( RATE / WORKERS ))
echo "== hey: fixed rate $((WORKERS * PER_WORKER))/s ($WORKERS workers x $PER_WORKER/s), $DURATION =="
hey -z "$DURATION" -c "$WORKERS" -q "$PER_WORKER" -m POST -T application/json -H "Authorization: Bearer $KEY" -d "$BODY" "$BASE/v1/tokens/verify" \
  | sed -n '/Summary/,/Status code distribution/p;/Status code distribution/,$p' | uniq

if [[ "${PERF:-0}" == 1 ]]; then
  OUT="${PERF_OUT:-/tmp/grantex-verify.perf.data}"
  echo
  echo "== perf: one more wrk run with perf record -g on the server =="
  GRANTEX_KEY="$KEY" GRANTEX_TOKEN="$TOKEN" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$ROOT/benchmarks/load/verify.lua" "$BASE/v1/tokens/verify" >"$WORK/wrk-perf.txt" &
  WRK_PID=$!
  perf record -F 997 -g -p "$SERVER_PID" -o "$OUT" -- sleep "$(( ${DURATION%s} - 1 ))" >"$WORK/perf.log" 2>&1 || { cat "$WORK/perf.log"; exit 1; }
  wait "$WRK_PID"
  echo "perf run: $(awk '/Requests\/sec/ { print $2 }' "$WORK/wrk-perf.txt") requests/s (sampling included) -> $OUT"
fi

# Every response in the runs above must have been valid:true; spot-check that the server still agrees.
after="$(curl -sf "${auth[@]}" -d "$BODY" "$BASE/v1/tokens/verify")"
[[ "$(jq -r .valid <<<"$after")" == "true" ]] || { echo "verify stopped saying valid: $after"; exit 1; }
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
