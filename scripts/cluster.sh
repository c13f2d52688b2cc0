#!/usr/bin/env bash
# A throwaway two-node Grantex cluster on this machine, for trying it out:
#   - a PostgreSQL 15 cluster of its own (Debian's postgresql; not the system one) on a free loopback port,
#   - two nodes of the app (Release build) on one database, sharing one Data Protection key ring (in the database),
#   - Debian's nginx in front of them on a free loopback port (round robin; Blazor circuits pinned per browser).
# Everything lives in one temporary folder and everything it started is stopped on exit or Ctrl-C.
#
#   scripts/cluster.sh              start, print the URL, run until Ctrl-C
#   scripts/cluster.sh --check      start, check that both nodes answer through nginx, stop (exit 0 when they do)
#   scripts/cluster.sh --prometheus also run Debian's Prometheus, scraping both nodes' /metrics every 5 s
#   scripts/cluster.sh --keep       leave the temporary folder (logs, database files) behind on exit
#   scripts/cluster.sh --proxy-only each node on a SQLite file of its OWN, no PostgreSQL: only to try the nginx
#                                   wiring; the nodes share nothing, so this is NOT a cluster.
#
# Missing packages (postgresql, nginx, curl) are installed with apt-get. Run as root (PostgreSQL then runs as the
# postgres user) or as a user who may run PostgreSQL itself.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

mode=run
keep=false
provider=PostgreSQL
prometheus=false
for arg in "$@"; do
  case "$arg" in
    --check) mode=check ;;
    --keep) keep=true ;;
    --proxy-only) provider=Sqlite ;;
    --prometheus) prometheus=true ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m[cluster]\033[0m %s\n' "$*"; }
fail() { printf '\033[1;31m[cluster]\033[0m %s\n' "$*" >&2; exit 1; }

# --- packages -------------------------------------------------------------------------------------------------
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
missing=()
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
command -v curl >/dev/null || missing+=(curl)
if [[ $provider == PostgreSQL ]] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then missing+=(postgresql); fi
if [[ $prometheus == true ]] && ! command -v prometheus >/dev/null; then missing+=(prometheus); fi
if (( ${#missing[@]} > 0 )); then
  say "Installing ${missing[*]} with apt-get..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [[ $provider == PostgreSQL ]] && ! grep -rqs "Npgsql" Grantex.Core/Grantex.Core.csproj; then
  fail "This checkout has no PostgreSQL provider yet (Grantex:Database:Provider). Update it, or try the proxy alone with --proxy-only."
fi

# --- a free loopback port below 32768 (the ones above are used by other things on these machines) ----------------
taken=""
free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 12000 ))
    [[ " $taken " == *" $port "* ]] && continue
    if python3 -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); s.close()" "$port" 2>/dev/null; then
      taken="$taken $port"; echo "$port"; return
    fi
  done
}

# --- everything started is stopped on exit ----------------------------------------------------------------------
work=$(mktemp -d /tmp/grantex-cluster.XXXXXX)
pgdir=""
pgbin=""
connection=""
node_pids=()
nginx_pid=""
prometheus_pid=""
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  say "Stopping..."
  for pid in "${node_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${node_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n $prometheus_pid ]]; then kill -TERM "$prometheus_pid" 2>/dev/null || true; wait "$prometheus_pid" 2>/dev/null || true; fi
  if [[ -n $nginx_pid ]]; then kill -QUIT "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  if [[ -n $pgdir && -f $pgdir/data/postmaster.pid ]]; then as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  if [[ $keep == true ]]; then
    say "Kept $work${pgdir:+ and $pgdir}"
  else
    rm -rf "$work"; [[ -n $pgdir ]] && rm -rf "$pgdir"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

node1_port=$(free_port); node2_port=$(free_port); lb_port=$(free_port)
public_url="http://localhost:$lb_port"

# --- PostgreSQL -------------------------------------------------------------------------------------------------
if [[ $provider == PostgreSQL ]]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  pg_port=$(free_port)
  pgdir=$(mktemp -d /tmp/grantex-cluster-pg.XXXXXX)
  [[ $(id -u) -eq 0 ]] && chown postgres: "$pgdir"
  chmod 700 "$pgdir"
  say "PostgreSQL ($pgbin) on 127.0.0.1:$pg_port"
  as_postgres "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log"; fail "initdb failed"; }
  as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -o "-p $pg_port -k $pgdir -c listen_addresses=127.0.0.1" -w start >/dev/null \
    || { cat "$pgdir/log"; fail "PostgreSQL did not start"; }
  as_postgres "$pgbin/psql" -q -h "$pgdir" -p "$pg_port" -U postgres -c "CREATE ROLE gx LOGIN PASSWORD 'gx'" -c "CREATE DATABASE grantex OWNER gx" >/dev/null
  connection="Host=127.0.0.1;Port=$pg_port;Username=gx;Password=gx;Database=grantex"
fi

# --- the app ----------------------------------------------------------------------------------------------------
say "Building the app (Release)..."
dotnet build Grantex.Console -c Release -nologo -clp:ErrorsOnly -v q >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "build failed"; }
app_dll="$repo/Grantex.Console/bin/Release/net10.0/Grantex.Console.dll"
mkdir -p "$work/keys" "$work/checkpoints"; chmod 700 "$work/keys"

start_node() {
  local name=$1 port=$2 dir="$work/$1"
  mkdir -p "$dir"
  local db="$connection"
  [[ $provider == Sqlite ]] && db="Data Source=$dir/grantex.db"
  (
    cd "$dir"
    export ASPNETCORE_ENVIRONMENT=Production
    export Grantex__Database__Provider=$provider
    export ConnectionStrings__Grantex="$db"
    # One key ring for every node (a token, consent cookie or encrypted secret made by one node is read by the other):
    # in the database on PostgreSQL (the default there), a shared folder for the SQLite proxy-only demo.
    [[ $provider == Sqlite ]] && export Grantex__DataProtection__KeysPath="$work/keys"
    # Signed audit checkpoints are appended to files too: one folder for the cluster, not one per node.
    export Grantex__Audit__CheckpointDirectory="$work/checkpoints"
    export Grantex__PublicBaseUrl="$public_url"
    export Grantex__ForwardedHeaders__KnownProxies__0=127.0.0.1
    export Grantex__Metrics__Enabled=true
    exec dotnet "$app_dll" --urls "http://127.0.0.1:$port"
  ) >"$dir/log" 2>&1 &
  node_pids+=($!)
  say "$name on http://127.0.0.1:$port (log $dir/log)"
}

wait_ready() {
  local name=$1 url=$2 pid=${3:-}
  for _ in $(seq 1 600); do
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$work/$name/log" >&2 || true
      fail "$name stopped before it was ready"
    fi
    if curl -fsS -o /dev/null "$url/health/ready" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  fail "$name was not ready after 2 minutes ($url/health/ready)"
}

# The first node applies the migrations; the second starts once they are in.
start_node node1 "$node1_port"
wait_ready node1 "http://127.0.0.1:$node1_port" "${node_pids[0]}"
start_node node2 "$node2_port"
wait_ready node2 "http://127.0.0.1:$node2_port" "${node_pids[1]}"

# --- nginx ------------------------------------------------------------------------------------------------------
mkdir -p "$work/nginx/tmp"
# The public URL names localhost, which may resolve to ::1 first: listen there too when this machine has IPv6.
listen_v6=""
if python3 -c "import socket,sys; s=socket.socket(socket.AF_INET6); s.bind(('::1', int(sys.argv[1]))); s.close()" "$lb_port" 2>/dev/null; then
  listen_v6="listen [::1]:$lb_port;"
fi
# When started as root, nginx's workers run as nobody and write their temporary files here.
[[ $(id -u) -eq 0 ]] && chown nobody "$work/nginx/tmp"
cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  client_max_body_size 1m;

  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }

  # API calls go to either node: every node serves every request from the shared database.
  upstream grantex {
    server 127.0.0.1:$node1_port max_fails=1 fail_timeout=5s;
    server 127.0.0.1:$node2_port max_fails=1 fail_timeout=5s;
  }

  # A Blazor Server circuit lives in one node's memory: its negotiation and WebSocket stay on one node per browser.
  upstream grantex_circuits {
    hash "\$remote_addr\$http_user_agent" consistent;
    server 127.0.0.1:$node1_port;
    server 127.0.0.1:$node2_port;
  }

  server {
    listen 127.0.0.1:$lb_port;
    $listen_v6
    proxy_http_version 1.1;
    proxy_set_header Host \$http_host;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto \$scheme;
    # Server-sent events (/v1/events/stream) must not be buffered.
    proxy_buffering off;
    proxy_read_timeout 1h;
    # Which node answered, for trying things out.
    add_header X-Grantex-Node \$upstream_addr always;

    location / {
      proxy_set_header Connection "";
      proxy_pass http://grantex;
    }

    location /_blazor {
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_pass http://grantex_circuits;
    }
  }
}
EOF
"$NGINX" -t -q -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>"$work/nginx/test.log" || { cat "$work/nginx/test.log"; fail "nginx rejected its configuration"; }
"$NGINX" -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>>"$work/nginx/error.log" &
nginx_pid=$!
wait_ready nginx "http://127.0.0.1:$lb_port"

# --- Prometheus (optional) --------------------------------------------------------------------------------------
if [[ $prometheus == true ]]; then
  prom_port=$(free_port)
  mkdir -p "$work/prometheus"
  cat >"$work/prometheus/prometheus.yml" <<YAML
global:
  scrape_interval: 5s
scrape_configs:
  - job_name: grantex
    metrics_path: /metrics
    static_configs:
      - targets: ["127.0.0.1:$node1_port", "127.0.0.1:$node2_port"]
YAML
  prometheus --config.file="$work/prometheus/prometheus.yml" --storage.tsdb.path="$work/prometheus/data" \
    --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus/log" 2>&1 &
  prometheus_pid=$!
  # Ready once both targets were scraped and found up.
  up=0
  for _ in $(seq 1 300); do
    kill -0 "$prometheus_pid" 2>/dev/null || { tail -n 20 "$work/prometheus/log" >&2; fail "Prometheus stopped"; }
    up=$(curl -fsS "http://127.0.0.1:$prom_port/api/v1/query?query=sum(up%7Bjob%3D%22grantex%22%7D)" 2>/dev/null \
      | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(int(float(r[0]["value"][1])) if r else 0)' 2>/dev/null || echo 0)
    [[ $up == 2 ]] && break
    sleep 0.5
  done
  [[ $up == 2 ]] || fail "Prometheus did not scrape both nodes"
  # ...and has our own metrics (grantex_*) from each of them, asked through its HTTP query API.
  prom_query() { curl -fsS -G "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1"; }
  with_ours=0
  for _ in $(seq 1 120); do
    with_ours=$(prom_query 'count(count by (instance) ({__name__=~"grantex_.+"}))' 2>/dev/null \
      | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(int(float(r[0]["value"][1])) if r else 0)' 2>/dev/null || echo 0)
    [[ $with_ours == 2 ]] && break
    sleep 0.5
  done
  [[ $with_ours == 2 ]] || fail "Prometheus scraped both nodes but not the grantex_* metrics of both"
  prom_query 'grantex_writer_queue_depth' | python3 -c '
import json, sys
for r in json.load(sys.stdin)["data"]["result"]:
    print("  [prometheus] grantex_writer_queue_depth{instance=\"%s\"} = %s" % (r["metric"].get("instance"), r["value"][1]))'
  ours=$(prom_query 'count by (__name__) ({__name__=~"grantex_.+"})' | python3 -c 'import json,sys; print(" ".join(sorted(r["metric"]["__name__"] for r in json.load(sys.stdin)["data"]["result"])))')
  say "Prometheus sees grantex_* metrics from both nodes: $ours"
  say "Prometheus on http://127.0.0.1:$prom_port scrapes both nodes (import docs/grafana-dashboard.json into a Grafana pointed at it)"
fi

# --- both nodes answer through nginx ------------------------------------------------------------------------------
seen=""
for _ in $(seq 1 8); do
  node=$(curl -fsS -D - -o /dev/null "http://127.0.0.1:$lb_port/health/ready" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-grantex-node"{print $2}')
  [[ " $seen " == *" $node "* ]] || seen="$seen $node"
done
nodes_seen=$(wc -w <<<"$seen")

cat <<EOF

  Grantex is running on two nodes behind nginx:
    $public_url                       console and API (set-up code: see $work/node1/log)
    $public_url/health/ready          readiness through the proxy (header X-Grantex-Node names the node)
    http://127.0.0.1:$node1_port/metrics  node 1 metrics (Prometheus)
    http://127.0.0.1:$node2_port/metrics  node 2 metrics (Prometheus)
EOF
[[ $provider == PostgreSQL ]] && echo "    psql -h 127.0.0.1 -p $pg_port -U gx grantex   (password gx)"
[[ $provider == Sqlite ]] && echo "    --proxy-only: each node has its own SQLite file; they share nothing (not a cluster)."
echo "    logs: $work/{node1,node2,nginx}"
echo

if (( nodes_seen < 2 )); then fail "Only$seen answered through nginx; expected both nodes"; fi
say "Both nodes answered through nginx:$seen"

if [[ $mode == check ]]; then
  exit 0
fi

say "Press Ctrl-C to stop everything."
# Returns when any child stops (then everything else is stopped too) or on Ctrl-C.
wait -n "${node_pids[@]}" "$nginx_pid" ${prometheus_pid:+"$prometheus_pid"} || true
say "A process stopped on its own; see the logs."
exit 1
