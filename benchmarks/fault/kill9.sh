#!/usr/bin/env bash
# Crash durability check (security-checklist "Faults"): under a concurrent write load, kill -9 the server at a
# random moment, restart it on the same files, and check that every acknowledged write survived:
# every acknowledged audit entry exists, every acknowledged revocation is still revoked, the chain verifies,
# no grant exists without its grant.created audit entry, and PRAGMA integrity_check is ok.
# Only ever talks to 127.0.0.1. Usage: benchmarks/fault/kill9.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
PORT=5191
B=http://127.0.0.1:$PORT
DIR=$(mktemp -d)
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }
dotnet build Grantex.Console -c Release -nologo -v q >/dev/null
export ConnectionStrings__Grantex="Data Source=$DIR/grantex.db"
export Grantex__PublicBaseUrl=$B
export Grantex__RateLimits__PerDeveloperPerMinute=100000000
APP="dotnet Grantex.Console/bin/Release/net10.0/Grantex.Console.dll"

start() { $APP --urls $B >>"$DIR/server.log" 2>&1 & PID=$!; for _ in $(seq 1 100); do curl -sf $B/health >/dev/null && return; sleep 0.2; done; echo "server did not start"; exit 1; }

start
KEY=$($APP developer create --name fault --mode sandbox --json | jq -r .apiKey)
H="Authorization: Bearer $KEY"; J="Content-Type: application/json"
AGENT=$(curl -sf -XPOST $B/v1/agents -H "$H" -H "$J" -d '{"name":"fault agent"}' | jq -r .agentId)

worker() { # appends audit entries and issues+revokes grants; records only what the server acknowledged
  local n=0
  while true; do
    n=$((n+1))
    r=$(curl -s -m 5 -XPOST $B/v1/audit/log -H "$H" -H "$J" -d "{\"agentId\":\"$AGENT\",\"agentDid\":\"d\",\"grantId\":\"g\",\"principalId\":\"p$1\",\"action\":\"w$1.$n\"}" 2>/dev/null) || continue
    id=$(echo "$r" | jq -r '.entryId // empty' 2>/dev/null) && [[ -n $id ]] && echo "$id" >>"$DIR/acked-audit.$1"
    code=$(curl -s -m 5 -XPOST $B/v1/authorize -H "$H" -H "$J" -d "{\"agentId\":\"$AGENT\",\"principalId\":\"p$1\",\"scopes\":[\"read\"]}" | jq -r '.code // empty' 2>/dev/null) || continue
    [[ -z $code ]] && continue
    g=$(curl -s -m 5 -XPOST $B/v1/token -H "$H" -H "$J" -d "{\"code\":\"$code\",\"agentId\":\"$AGENT\"}" | jq -r '.grantId // empty' 2>/dev/null) || continue
    [[ -z $g ]] && continue
    s=$(curl -s -m 5 -o /dev/null -w '%{http_code}' -XDELETE $B/v1/grants/$g -H "$H") || continue
    [[ $s == 204 ]] && echo "$g" >>"$DIR/acked-revoked.$1"
  done
}

failures=0
for round in $(seq 1 "$ROUNDS"); do
  for w in 1 2 3 4; do worker "$w" & done
  sleep "$(awk -v s=$RANDOM 'BEGIN{srand(s); printf "%.1f", 2+rand()*4}')"
  kill -9 "$PID"; wait "$PID" 2>/dev/null || true
  kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true
  start
  audit=$(cat "$DIR"/acked-audit.* 2>/dev/null | sort -u); revoked=$(cat "$DIR"/acked-revoked.* 2>/dev/null | sort -u)
  missing=0; for id in $audit; do [[ $(curl -s -o /dev/null -w '%{http_code}' $B/v1/audit/$id -H "$H") == 200 ]] || missing=$((missing+1)); done
  unrevoked=0; for g in $revoked; do [[ $(curl -s $B/v1/grants/$g -H "$H" | jq -r .status) == revoked ]] || unrevoked=$((unrevoked+1)); done
  chain=$(curl -s $B/v1/audit/verify -H "$H" | jq -c '{valid, checkedEntries, firstBrokenAt, reason}')
  orphans=$(sqlite3 "$DIR/grantex.db" "SELECT count(*) FROM grants g WHERE NOT EXISTS (SELECT 1 FROM audit_entries a WHERE a.GrantId = g.Id AND a.Action = 'grant.created');")
  integrity=$(sqlite3 "$DIR/grantex.db" "PRAGMA integrity_check;")
  echo "round $round: acked audit $(echo "$audit" | grep -c . || true) (missing $missing), acked revocations $(echo "$revoked" | grep -c . || true) (not revoked $unrevoked), grants without audit $orphans, chain $chain, integrity $integrity"
  [[ $missing == 0 && $unrevoked == 0 && $orphans == 0 && $integrity == ok && $(echo "$chain" | jq -r .valid) == true ]] || failures=$((failures+1))
done
kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true
echo "kill -9 rounds: $ROUNDS, failed: $failures (data in $DIR)"
exit $failures
