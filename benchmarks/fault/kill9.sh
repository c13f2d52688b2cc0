#!/usr/bin/env bash
# Crash durability at scale (security-checklist "Faults", Hardening item 12). NOT part of the test suite.
#
# Under a concurrent write load of every kind (sandbox authorize, live authorize + the person's consent approve/deny
# through a browser-like consent session, code exchange, refresh, delegation, cascade grant revoke, token revoke,
# audit append), kill -9 the server at a random moment, restart it on the same files, and check that every write the
# server acknowledged (2xx) survived with the state it acknowledged: rows exist, codes consumed, old refresh tokens
# used up, revocations still revoked (DB row and online verify -> valid:false), audit entries present, every grant has
# its grant.created/grant.delegated entry, GET /v1/audit/verify valid:true, PRAGMA integrity_check = ok.
# The checks are cumulative (everything acknowledged since the start, every round). See faultload.py for the details.
#
# Usage: benchmarks/fault/kill9.sh            (ROUNDS=200, MAX_SECONDS=3600)
#        ROUNDS=50 MAX_SECONDS=1200 benchmarks/fault/kill9.sh
# Settings (environment): ROUNDS (200), MAX_SECONDS (3600: no new round starts that would end after it; the script
#   says so when it stops early), PORT (5191), MIX (grant=3,audit=2,consent=1 writer threads), MIN_LOAD/MAX_LOAD
#   (1.5/4.0 seconds of load before each kill), STOP_ON_FAILURE=1 to stop at the first failed round, SELF_TEST=1 to damage the DB after the
#   rounds on purpose (un-revoke a grant and a token, delete an audit entry) and show the checker reports it.
# Exit code: 0 when no round found a problem. Only ever talks to 127.0.0.1. Installs sqlite3/python3 if missing
# (Debian: apt-get). Data (DB, server.log, summary.json) stays in the printed temp directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-${1:-200}}
MAX_SECONDS=${MAX_SECONDS:-3600}
PORT=${PORT:-5191}
DIR=$(mktemp -d /tmp/grantex-kill9.XXXXXX)
# If the script is interrupted, stop the server it started (by the pid it recorded), nothing else.
trap '[[ -f $DIR/server.pid ]] && kill -9 "$(cat "$DIR/server.pid")" 2>/dev/null; true' EXIT
need=()
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v python3 >/dev/null || need+=(python3)
if ((${#need[@]})); then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; fi
dotnet build Grantex.Console -c Release -nologo -v q >/dev/null
echo "load: $(uptime)"
set +e
python3 benchmarks/fault/faultload.py kill9 --app "dotnet Grantex.Console/bin/Release/net10.0/Grantex.Console.dll" \
  --dir "$DIR" --port "$PORT" --rounds "$ROUNDS" --max-seconds "$MAX_SECONDS" \
  --mix "${MIX:-grant=3,audit=2,consent=1}" --min-load "${MIN_LOAD:-1.5}" --max-load "${MAX_LOAD:-4.0}" \
  ${STOP_ON_FAILURE:+--stop-on-failure} ${SELF_TEST:+--self-test}
rc=$?
echo "load: $(uptime)"
echo "data in $DIR"
exit $rc
