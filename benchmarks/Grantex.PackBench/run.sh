#!/usr/bin/env bash
# Audit pack of N entries, the first pack in a fresh process (issue #14: 1,000,000 entries, <= 3 s, <= 64 MB extra).
#   bash benchmarks/Grantex.PackBench/run.sh [entries=1000000] [work-dir=/tmp/packbench] [runs=3]
# Env: DLL (a built Grantex.PackBench.dll to measure instead of publishing).
# Measures the form a deployment runs: the server is published ReadyToRun (Grantex.Console.csproj), so this
# publishes the bench the same way (`dotnet publish -c Release`, PublishReadyToRun in Grantex.PackBench.csproj) into
# benchmarks/Grantex.PackBench/bin/publish. DLL=benchmarks/Grantex.PackBench/bin/Release/net10.0/Grantex.PackBench.dll
# measures the IL-only build (what `dotnet run` measures; every method of Grantex.Core and EF is jitted there).
# The first run seeds the work folder's database (~40 s at 1,000,000); every run after it is one fresh process that
# makes one pack ("once": no offline verify) and prints its wall time, its CPU time and memory, and the methods the
# JIT compiled meanwhile, then the process's own user+sys. The machine's state goes with each figure: load average
# before every run, `openssl speed rsa2048` at the start and the end (the machine's speed moves by 30 %).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ENTRIES="${1:-1000000}"
WORK="${2:-/tmp/packbench}"
RUNS="${3:-3}"
cd "$ROOT"
if [[ -z "${DLL:-}" ]]; then
  dotnet publish -c Release benchmarks/Grantex.PackBench -o "$ROOT/benchmarks/Grantex.PackBench/bin/publish" -v q -nologo >/dev/null
  DLL="$ROOT/benchmarks/Grantex.PackBench/bin/publish/Grantex.PackBench.dll"
fi

speed() { openssl speed -seconds 2 rsa2048 2>/dev/null | awk '/^rsa 2048/ { printf "openssl rsa2048 sign %.0f us\n", $4 * 1e6 }'; }

if [[ ! -f "$WORK/grantex.db" ]]; then
  dotnet "$DLL" "$ENTRIES" "$WORK" once | grep -E "seeded|pack"
fi

speed
for run in $(seq 1 "$RUNS"); do
  echo "run $run, $(uptime | sed 's/.*load/load/')"
  /usr/bin/time -f "  process: user %U s, sys %S s, max RSS %M KB" dotnet "$DLL" "$ENTRIES" "$WORK" once 2>&1 | grep -v reusing
done
speed
