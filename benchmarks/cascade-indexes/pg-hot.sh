#!/usr/bin/env bash
# PostgreSQL's cascade revoke and the grant indexes (issue #14): what one 10,000-grant cascade UPDATE costs the
# server under several index designs, measured by work (WAL records and bytes, shared buffers, HOT updates) as well
# as time, since the machine is shared and wall times move with its load.
#   eval "$(bash scripts/pg-throwaway.sh start)"; bash benchmarks/cascade-indexes/pg-hot.sh; bash scripts/pg-throwaway.sh stop "$PG_THROWAWAY_DIR"
# Env: GRANTEX_TEST_POSTGRES (the admin connection string pg-throwaway prints), RUNS (default 3).
# pg-grants.sql is the grants table and its eleven indexes as the migrations left them before GrantRevocationsPostgres
# (design "current": the revoked grants' partial index SQLite still has; plain SQL, no server needed), filled like the cascade bench: 15 revoked trees and one active tree of 10,000 grants (fan-out 10). Each
# run copies that template, applies one design, VACUUM ANALYZE, then runs the revoker's PostgreSQL statement
# (GrantTreeSql.RevokeAggregatedPostgres by root) under EXPLAIN (ANALYZE, BUFFERS, WAL) and commits. Designs are
# interleaved run by run. Only ever touches the databases it creates (gx_hot_tmpl, gx_hot_run), and drops them.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
CS="${GRANTEX_TEST_POSTGRES:?run eval \"\$(bash scripts/pg-throwaway.sh start)\" first}"
RUNS="${RUNS:-3}"
field() { echo "$CS" | tr ';' '\n' | sed -n "s/^$1=//Ip" | head -1; }
export PGOPTIONS="-c client_min_messages=warning" PGHOST="$(field Host)" PGPORT="$(field Port)" PGUSER="$(field Username)" PGPASSWORD="$(field Password)"
q() { psql -q -X -v ON_ERROR_STOP=1 -d "$1" -c "$2" >/dev/null; }

q postgres "DROP DATABASE IF EXISTS gx_hot_tmpl"
q postgres "CREATE DATABASE gx_hot_tmpl"
psql -q -X -v ON_ERROR_STOP=1 -d gx_hot_tmpl -f "$HERE/pg-grants.sql" >/dev/null

NOSTATUS='DROP INDEX "IX_grants_Revoked_ExpiresAt"'
FF50='ALTER TABLE grants SET (fillfactor = 50)'
SIDE='CREATE TABLE grant_revocations ("GrantId" varchar(40) PRIMARY KEY, "ExpiresAt" bigint NOT NULL, "RevokedAt" bigint NOT NULL); CREATE INDEX ON grant_revocations ("ExpiresAt")'
# What PostgreSQL runs since GrantRevocationsPostgres (ADR 0002): no Status index, fillfactor 50, the side table with
# its two indexes, filled by a second CTE of the cascade's statement; "trigger-ff50" fills it from a statement trigger.
SHIPPED='CREATE TABLE grant_revocations ("GrantId" varchar(40) PRIMARY KEY, "DeveloperId" varchar(40) NOT NULL, "ExpiresAt" bigint NOT NULL, "RevokedAt" bigint NOT NULL); CREATE INDEX ON grant_revocations ("ExpiresAt"); CREATE INDEX ON grant_revocations ("RevokedAt", "DeveloperId")'
TRIG='CREATE FUNCTION gx_rev() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN INSERT INTO grant_revocations SELECT n."Id", n."DeveloperId", n."ExpiresAt", n."RevokedAt" FROM new_rows n JOIN old_rows o ON o."Id" = n."Id" WHERE n."Status" = '"'Revoked'"' AND o."Status" <> '"'Revoked'"'; RETURN NULL; END $f$; CREATE TRIGGER gx_rev AFTER UPDATE ON grants REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gx_rev()'
design() { # name -> DDL statements, one per line (VACUUM FULL cannot share a transaction)
  case "$1" in
    current) ;;
    no-status-index) echo "$NOSTATUS" ;;
    no-status-index-ff50) printf '%s\n%s\nVACUUM FULL grants\n' "$NOSTATUS" "$FF50" ;;
    partial-index-ff50) printf '%s\nVACUUM FULL grants\n' "$FF50" ;;
    side-table-ff50) printf '%s\n%s\nVACUUM FULL grants\n%s\n' "$NOSTATUS" "$FF50" "$SIDE" ;;
    shipped) printf '%s\n%s\nVACUUM FULL grants\n%s\n' "$NOSTATUS" "$FF50" "$SHIPPED" ;;
    trigger-ff50) printf '%s\n%s\nVACUUM FULL grants\n%s\n%s\n' "$NOSTATUS" "$FF50" "$SHIPPED" "$TRIG" ;;
  esac
}
DESIGNS="${DESIGNS:-current no-status-index no-status-index-ff50 partial-index-ff50 side-table-ff50 shipped trigger-ff50}"
UPDATE_SQL='UPDATE grants SET "Status" = '"'Revoked'"', "RevokedAt" = 1796292049999, "RevokedBy" = '"'api'"'
  WHERE "DeveloperId" = '"'dev_01M8XNDK49BNMVW7KDDT0W2GCK'"' AND "RootGrantId" = '"'grnt_00150000000000000000000000'"' AND "Status" = '"'Active'"'
  RETURNING "Id", "ParentGrantId", "ExpiresAt"'
AGG='SELECT length(coalesce(string_agg("Id" || '"':'"' || "ExpiresAt" || '"':'"' || coalesce("ParentGrantId", '"''"'), '"','"'), '"''"')) FROM revoked'
out=$(mktemp)
trap 'rm -f "$out"; psql -q -X -d postgres -c "DROP DATABASE IF EXISTS gx_hot_run" -c "DROP DATABASE IF EXISTS gx_hot_tmpl" >/dev/null 2>&1 || true' EXIT
for run in $(seq "$RUNS"); do
  for d in $DESIGNS; do
    q postgres "DROP DATABASE IF EXISTS gx_hot_run"
    q postgres "CREATE DATABASE gx_hot_run TEMPLATE gx_hot_tmpl"
    while IFS= read -r stmt; do [[ -n "$stmt" ]] && q gx_hot_run "$stmt"; done < <(design "$d")
    q gx_hot_run "VACUUM ANALYZE grants"
    cte="WITH revoked AS ($UPDATE_SQL) $AGG"
    [[ $d == shipped ]] && cte="WITH revoked AS ($UPDATE_SQL, \"DeveloperId\", \"RevokedAt\"), side AS (INSERT INTO grant_revocations SELECT \"Id\", \"DeveloperId\", \"ExpiresAt\", \"RevokedAt\" FROM revoked) $AGG"
    [[ $d == side-table* ]] && cte="WITH revoked AS ($UPDATE_SQL), side AS (INSERT INTO grant_revocations SELECT \"Id\", \"ExpiresAt\", 1796292049999 FROM revoked) $AGG"
    started=$(date +%s%N)
    plan=$(psql -X -At -d gx_hot_run -c "BEGIN" -c "EXPLAIN (ANALYZE, BUFFERS, WAL, TIMING OFF, FORMAT JSON) $cte" -c "SELECT pg_current_wal_lsn()" -c "COMMIT")
    wall=$(( ($(date +%s%N) - started) / 1000000 ))
    sleep 0.7 # the statistics collector's counters reach pg_stat_user_tables within PGSTAT_MIN_INTERVAL (0.5 s)
    stats=$(psql -X -At -d gx_hot_run -c "SELECT n_tup_upd || ' ' || n_tup_hot_upd || ' ' || pg_table_size('grants') FROM pg_stat_user_tables WHERE relname = 'grants'")
    PLAN="$plan" python3 - "$d" "$run" "$wall" "$stats" >>"$out" <<'PY'
import json, os, sys
text = os.environ["PLAN"]
plan = json.loads(text[text.index('['):text.rindex(']') + 1])[0]
node = plan['Plan']
def walk(n):  # the UPDATE (and the side table's INSERT) are CTE nodes: add up every node's own WAL, not the root's total
    yield n
    for c in n.get('Plans', []): yield from walk(c)
mods = [n for n in walk(node) if n['Node Type'] == 'ModifyTable']
upd, hot, size = sys.argv[4].split()
print(json.dumps({'design': sys.argv[1], 'run': int(sys.argv[2]), 'statement_ms': plan['Execution Time'], 'with_commit_ms': int(sys.argv[3]),
  'wal_records': sum(n['WAL Records'] for n in mods), 'wal_mb': sum(n['WAL Bytes'] for n in mods) / 1e6,
  'buffers_hit': sum(n['Shared Hit Blocks'] for n in mods), 'updated': int(upd), 'hot': int(hot), 'table_mb': int(size) / 1e6}))
PY
    tail -1 "$out"
  done
done
python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(f"{'design':24s} {'statement ms':>12s} {'+commit ms':>10s} {'WAL recs':>9s} {'WAL MB':>7s} {'buf hits':>9s} {'HOT':>6s} {'table MB':>8s}  (medians of {len(rows) // len({r['design'] for r in rows})})")
for d in dict.fromkeys(r['design'] for r in rows):
    m = lambda k: statistics.median(r[k] for r in rows if r['design'] == d)
    print(f"{d:24s} {m('statement_ms'):12.0f} {m('with_commit_ms'):10.0f} {m('wal_records'):9.0f} {m('wal_mb'):7.1f} {m('buffers_hit'):9.0f} {m('hot'):6.0f} {m('table_mb'):8.1f}")
PY
