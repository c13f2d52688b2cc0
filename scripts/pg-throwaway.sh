#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, never the system one: Debian's postgresql package
# (installed when missing), initdb as the unprivileged postgres user in a temporary folder, a free loopback port,
# a login role gx/gx that may create databases.
#   eval "$(scripts/pg-throwaway.sh start)"   # exports GRANTEX_TEST_POSTGRES (admin connection string) and PG_THROWAWAY_DIR
#   scripts/pg-throwaway.sh stop "$PG_THROWAWAY_DIR"
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"

as_postgres() { if [[ $(id -un) == postgres ]]; then bash -c "$1"; else $SUDO su postgres -s /bin/bash -c "$1"; fi; }

case "${1:-}" in
  start)
    if [[ -z "$PGBIN" || ! -x "$PGBIN/initdb" ]]; then
      echo "Installing Debian's postgresql for the PostgreSQL tests..." >&2
      $SUDO apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
      PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    fi
    dir=$(mktemp -d /tmp/grantex-pg-XXXXXX)
    # A start that fails half way (initdb, pg_ctl, the role) leaves nothing behind: the caller has no folder to stop.
    trap 'status=$?; if [[ $status -ne 0 ]]; then [[ -f $dir/data/postmaster.pid ]] && as_postgres "$PGBIN/pg_ctl -D $dir/data -m immediate -w stop >/dev/null"; $SUDO rm -rf "$dir"; fi' EXIT
    chmod 700 "$dir"; $SUDO chown postgres: "$dir"
    # A free port below 32768 (ports above are ephemeral and used by other things).
    port=$(python3 -c 'import socket,random
for _ in range(200):
    p=random.randint(20000,32000); s=socket.socket()
    try: s.bind(("127.0.0.1",p)); s.close(); print(p); break
    except OSError: pass')
    as_postgres "$PGBIN/initdb -D $dir/data -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null"
    as_postgres "$PGBIN/pg_ctl -D $dir/data -l $dir/log -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on' -w start >/dev/null"
    as_postgres "psql -q -h $dir -p $port -c \"CREATE ROLE gx LOGIN PASSWORD 'gx' CREATEDB\""
    echo "export PG_THROWAWAY_DIR=$dir"
    echo "export GRANTEX_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=gx;Password=gx;Database=postgres'"
    ;;
  stop)
    dir=${2:?the folder printed by start}
    [[ -d "$dir/data" ]] && as_postgres "$PGBIN/pg_ctl -D $dir/data -m immediate -w stop >/dev/null" || true
    $SUDO rm -rf "$dir"
    ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
