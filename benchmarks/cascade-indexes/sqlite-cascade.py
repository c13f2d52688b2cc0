#!/usr/bin/env python3
"""SQLite's cascade revoke and the grant indexes (issue #14), outside the server: the revoker's two statements on a
copy of a bench database, per design, measured as statement CPU (this process, SQLite runs in it), commit wall
(synchronous=FULL: the fsync of the log) and bytes of write-ahead log.

  GRANTEX_BENCH_SNAPSHOT=/tmp/gx-snap.db dotnet run -c Release --project benchmarks/Grantex.Benchmarks -- cascade-breakdown 1
  python3 benchmarks/cascade-indexes/sqlite-cascade.py /tmp/gx-snap.db [runs]

The snapshot holds the bench's revoked trees and one active 10,000-grant tree. Each run copies it, applies a design,
warms the page cache, then in one transaction lists the tree (group_concat, GrantTreeSql.ListByRootSqlite), runs the
UPDATE without RETURNING (GrantTreeSql.RevokeByRootNoReturning) and commits. Designs are interleaved run by run.
"""
import os, shutil, sqlite3, statistics, sys, time

source, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
work = source + '.work'
BY_ROOT = 'WHERE "DeveloperId" = ? AND "RootGrantId" = ? AND "Status" = \'Active\''
LIST = 'SELECT coalesce(group_concat("Id" || \':\' || "ExpiresAt" || \':\' || coalesce("ParentGrantId", \'\'), \',\'), \'\') FROM grants ' + BY_ROOT
UPDATE = 'UPDATE grants SET "Status" = \'Revoked\', "RevokedAt" = ?, "RevokedBy" = ? ' + BY_ROOT
SIDE = ('CREATE TABLE grant_revocations ("GrantId" TEXT NOT NULL PRIMARY KEY, "ExpiresAt" INTEGER NOT NULL, "RevokedAt" INTEGER NOT NULL)',
        'CREATE INDEX "IX_grant_revocations_ExpiresAt" ON grant_revocations ("ExpiresAt")')
DESIGNS = {
    'current': [],
    'no-status-index': ['DROP INDEX "IX_grants_Revoked_ExpiresAt"'],
    'side-table': ['DROP INDEX "IX_grants_Revoked_ExpiresAt"', *SIDE],
}

def one(design):
    for suffix in ('', '-wal', '-shm'):
        if os.path.exists(work + suffix):
            os.remove(work + suffix)
    shutil.copy(source, work)
    db = sqlite3.connect(work, isolation_level=None)
    for pragma in ('journal_mode=WAL', 'synchronous=FULL', 'foreign_keys=ON', 'wal_autocheckpoint=16384'):
        db.execute('PRAGMA ' + pragma)
    for statement in DESIGNS[design]:
        db.execute(statement)
    db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    developer, root = db.execute('SELECT "DeveloperId", "RootGrantId" FROM grants WHERE "Status" = \'Active\' GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1').fetchone()
    db.execute('SELECT count(*) FROM grants').fetchone()  # warm the OS page cache
    db.execute('BEGIN IMMEDIATE')
    t0 = time.process_time()
    rows = db.execute(LIST, (developer, root)).fetchone()[0].split(',')
    t1 = time.process_time()
    now = int(time.time() * 1000)
    if design == 'side-table':  # the revoked rows also go to a narrow table (what PostgreSQL's HOT design would need)
        db.execute('INSERT INTO grant_revocations SELECT "Id", "ExpiresAt", ? FROM grants ' + BY_ROOT, (now, developer, root))
    changed = db.execute(UPDATE, (now, 'api', developer, root)).rowcount
    t2 = time.process_time()
    w0 = time.perf_counter()
    db.execute('COMMIT')
    commit_wall = time.perf_counter() - w0
    t3 = time.process_time()
    wal = os.path.getsize(work + '-wal')
    db.close()
    assert changed == len(rows), (changed, len(rows))
    return dict(list=(t1 - t0) * 1e3, update=(t2 - t1) * 1e3, commit_cpu=(t3 - t2) * 1e3, commit_wall=commit_wall * 1e3, wal_mb=wal / 1e6, rows=changed)

results = {d: [] for d in DESIGNS}
for run in range(runs):
    for design in DESIGNS:
        r = one(design)
        results[design].append(r)
        print(design, run + 1, {k: round(v, 2) for k, v in r.items()}, flush=True)
print(f"{'design':18s} {'list CPU':>9s} {'UPDATE CPU':>11s} {'commit CPU':>11s} {'commit wall':>12s} {'WAL MB':>7s}  (medians of {runs}, ms)")
for design, rs in results.items():
    m = lambda k: statistics.median(r[k] for r in rs)
    print(f"{design:18s} {m('list'):9.1f} {m('update'):11.1f} {m('commit_cpu'):11.1f} {m('commit_wall'):12.1f} {m('wal_mb'):7.2f}")
for suffix in ('', '-wal', '-shm'):
    if os.path.exists(work + suffix):
        os.remove(work + suffix)
