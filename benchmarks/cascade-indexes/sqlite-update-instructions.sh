#!/usr/bin/env bash
# The cascade UPDATE's cost on SQLite as instructions executed (valgrind's cachegrind), which the machine's load
# does not move, per grant-index design (issue #14). Each design runs twice on a fresh copy of the snapshot: with
# and without the UPDATE (rolled back); the difference is the statement's own instructions.
#   bash benchmarks/cascade-indexes/sqlite-update-instructions.sh /tmp/gx-snap.db   (snapshot: see sqlite-cascade.py)
set -euo pipefail
SNAP="${1:?a bench snapshot (GRANTEX_BENCH_SNAPSHOT)}"
PY="$(python3 -c 'import sys; print(sys.executable)')"  # the interpreter itself, not a shim valgrind would not follow
SCRIPT=$(mktemp --suffix=.py)
trap 'rm -f "$SCRIPT" "$SNAP.ir" "$SNAP.ir-wal" "$SNAP.ir-shm"' EXIT
cat >"$SCRIPT" <<'PY'
import os, shutil, sqlite3, sys
snap, design, run_update = sys.argv[1], sys.argv[2], sys.argv[3] == '1'
work = snap + '.ir'
for suffix in ('', '-wal', '-shm'):
    if os.path.exists(work + suffix): os.remove(work + suffix)
shutil.copy(snap, work)
db = sqlite3.connect(work, isolation_level=None)
db.execute('PRAGMA journal_mode=WAL'); db.execute('PRAGMA foreign_keys=ON')
if design != 'current':
    db.execute('DROP INDEX "IX_grants_Revoked_ExpiresAt"')
if design == 'narrow-partial-index':
    db.execute('CREATE INDEX "IX_narrow" ON grants ("ExpiresAt") WHERE "Status" = \'Revoked\'')
db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
developer, root = db.execute('SELECT "DeveloperId", "RootGrantId" FROM grants WHERE "Status" = \'Active\' GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1').fetchone()
db.execute('BEGIN IMMEDIATE')
if run_update:
    db.execute('UPDATE grants SET "Status" = \'Revoked\', "RevokedAt" = 1796292049999, "RevokedBy" = \'api\' WHERE "DeveloperId" = ? AND "RootGrantId" = ? AND "Status" = \'Active\'', (developer, root))
db.execute('ROLLBACK')
PY
ir() { valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$PY" "$SCRIPT" "$SNAP" "$1" "$2" 2>&1 | sed -n 's/.*I *refs: *//p' | tr -d ,; }
for design in current no-status-index narrow-partial-index; do
  without=$(ir "$design" 0); with=$(ir "$design" 1)
  echo "$design: UPDATE $(( (with - without) / 1000000 )) M instructions"
done
