#!/usr/bin/env bash
# Runs every test (unit, API, bUnit, browser) on a fresh machine: installs what the browser tests need
# (Debian's chromium) when it is missing, builds, runs the suite on SQLite, then the API suite again on a throwaway
# PostgreSQL cluster (Debian's postgresql, installed when missing; scripts/pg-throwaway.sh, removed afterwards; the
# two-node tests run against it in both passes), and prints "N passed, N failed, N skipped" over both.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -x /usr/bin/chromium ]]; then
  echo "Installing Debian's chromium for the browser tests..."
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

dotnet tool restore >/dev/null
dotnet build Grantex.sln -c Release -nologo -clp:ErrorsOnly

results=$(mktemp -d)
status=0

# One throwaway PostgreSQL cluster for both passes (the two-node tests need it on SQLite runs too).
eval "$(bash scripts/pg-throwaway.sh start)"
trap 'bash scripts/pg-throwaway.sh stop "$PG_THROWAWAY_DIR"' EXIT
# bash skips the EXIT trap when a signal kills it: turn Ctrl-C and a CI timeout's TERM into an exit, so the cluster goes too.
trap 'exit 130' INT
trap 'exit 143' TERM

dotnet test Grantex.sln -c Release --no-build --nologo \
  --logger "trx" --results-directory "$results" -- RunConfiguration.TreatNoTestsAsError=false || status=$?

echo "The API suite again, on PostgreSQL..."
GRANTEX_TEST_DATABASE=PostgreSQL dotnet test tests/Grantex.Api.Tests -c Release --no-build --nologo \
  --logger "trx;LogFilePrefix=postgres" --results-directory "$results" || status=$?

# One closing line over every test project, from the TRX result files.
python3 - "$results" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
passed = failed = skipped = 0
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    skipped += int(c.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
