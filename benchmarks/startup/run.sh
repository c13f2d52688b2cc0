#!/usr/bin/env bash
# Start-up to ready (issue #14): process start -> first 200 from GET /health/ready, on an empty database.
#   bash benchmarks/startup/run.sh            (from the repository root; publishes Release first)
# Env: PORT (default 5198), RUNS (default 5), DLL (a built Grantex.Console.dll to measure instead of publishing).
# Measures the published server (`dotnet publish -c Release`: ReadyToRun, see Grantex.Console.csproj), the form a
# deployment runs; DLL=Grantex.Console/bin/Release/net10.0/Grantex.Console.dll measures the IL-only build instead.
# Each run starts the built server twice on a fresh temporary folder: "fresh" (no database file: the schema is
# created by the migrations) and "restart" (the same, now migrated and empty, database). Prints every run, then the
# median of each kind. The clock starts just before the process is started and stops at the first 200; readiness is
# polled every 5 ms with curl. Only ever targets 127.0.0.1; stops every server it started.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PORT="${PORT:-5198}"
RUNS="${RUNS:-5}"
BASE="http://127.0.0.1:${PORT}"
cd "$ROOT"
if [[ -z "${DLL:-}" ]]; then
  dotnet publish -c Release Grantex.Console -o "$ROOT/Grantex.Console/bin/publish" -v q -nologo >/dev/null
  DLL="$ROOT/Grantex.Console/bin/publish/Grantex.Console.dll"
fi

export Logging__LogLevel__Default=Warning
export ASPNETCORE_ENVIRONMENT=Production
export Grantex__PublicBaseUrl="$BASE"

SERVER_PID=""
WORK=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [[ -n "$WORK" ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

# Milliseconds from process start to the first 200 of /health/ready.
measure() {
  local start end
  start=$(date +%s%N)
  ConnectionStrings__Grantex="Data Source=$WORK/grantex.db" dotnet "$DLL" --urls "$BASE" >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  until curl -sf -o /dev/null "$BASE/health/ready"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited" >&2; cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.005
  done
  end=$(date +%s%N)
  # CPU the server used until ready (user + system clock ticks of the process): less sensitive to a shared machine.
  local ticks
  ticks=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  echo "$(( (end - start) / 1000000 )) $(( ticks * 1000 / $(getconf CLK_TCK) ))"
}

fresh=(); restart=(); fresh_cpu=(); restart_cpu=()
uptime
for run in $(seq 1 "$RUNS"); do
  WORK="$(mktemp -d /tmp/grantex-startup-XXXXXX)"
  out=$(measure); read -r f fc <<<"$out"
  out=$(measure); read -r r rc <<<"$out"
  [[ -n "$f" && -n "$r" ]] || { echo "a start failed"; exit 1; }
  fresh+=("$f"); restart+=("$r"); fresh_cpu+=("$fc"); restart_cpu+=("$rc")
  echo "run $run: fresh database ${f} ms (server CPU ${fc} ms), restart on the migrated empty database ${r} ms (server CPU ${rc} ms)"
  rm -rf "$WORK"; WORK=""
done
uptime
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "RESULT start-up to ready over $RUNS runs: fresh median $(median "${fresh[@]}") ms (CPU $(median "${fresh_cpu[@]}") ms), restart median $(median "${restart[@]}") ms (CPU $(median "${restart_cpu[@]}") ms); target <= 1500 ms"
