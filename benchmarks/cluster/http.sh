#!/usr/bin/env bash
# Issue #13 "Performance", one command, same machine, same run: for SQLite (one node), PostgreSQL with one node and
# PostgreSQL with two nodes behind nginx (round robin), over HTTP:
#   - the full flow: POST /v1/authorize (sandbox) + POST /v1/token, 16 concurrent callers;
#   - online verification: POST /v1/tokens/verify, 32 concurrent callers;
# and in process (benchmarks/Grantex.Benchmarks) the cascade revoke of a 10,000-grant tree on SQLite and PostgreSQL.
# Each figure is the median of RUNS runs (after a warm-up run). `uptime` is printed before and after each part.
#
#   bash benchmarks/cluster/http.sh               (RUNS=3, SECONDS_PER_RUN=10)
#
# Builds Release, starts a throwaway PostgreSQL cluster (scripts/pg-throwaway.sh), the nodes (Release
# Grantex.Console.dll, Production, rate limits out of reach) and Debian's nginx on free loopback ports, and stops
# everything it started on exit. Installs nginx/curl/jq with apt-get when missing. Only ever talks to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}

SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
missing=()
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
command -v curl >/dev/null || missing+=(curl)
command -v jq >/dev/null || missing+=(jq)
if (( ${#missing[@]} > 0 )); then
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

dotnet build Grantex.Console -c Release -nologo -clp:ErrorsOnly -v q >/dev/null
dotnet build benchmarks/Grantex.Benchmarks -c Release -nologo -clp:ErrorsOnly -v q >/dev/null
app_dll="$repo/Grantex.Console/bin/Release/net10.0/Grantex.Console.dll"
bench=(dotnet "$repo/benchmarks/Grantex.Benchmarks/bin/Release/net10.0/Grantex.Benchmarks.dll")

work=$(mktemp -d /tmp/grantex-httpbench.XXXXXX)
pids=()
nginx_pid=""
pg_dir=""
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n $nginx_pid ]]; then kill -QUIT "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  [[ -n $pg_dir ]] && bash scripts/pg-throwaway.sh stop "$pg_dir"
  rm -rf "$work"
}
trap cleanup EXIT

eval "$(bash scripts/pg-throwaway.sh start)"
pg_dir=$PG_THROWAWAY_DIR
admin=$GRANTEX_TEST_POSTGRES

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# node NAME PROVIDER CONNECTION PUBLIC_URL PORT: starts one node, waits until it is ready.
node() {
  local name=$1 provider=$2 connection=$3 public=$4 port=$5 dir="$work/$1"
  mkdir -p "$dir"
  (
    cd "$dir"
    export ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
    export Grantex__Database__Provider=$provider ConnectionStrings__Grantex="$connection" Grantex__DataDirectory="$dir"
    [[ $provider == Sqlite ]] && export Grantex__DataProtection__KeysPath="$dir/keys"
    export Grantex__PublicBaseUrl="$public" Grantex__ForwardedHeaders__KnownProxies__0=127.0.0.1
    export Grantex__RateLimits__PerDeveloperPerMinute=100000000 Grantex__RateLimits__PerIpPerMinute=100000000
    export Grantex__RateLimits__AuthorizePerMinute=100000000 Grantex__RateLimits__TokenPerMinute=100000000
    exec dotnet "$app_dll" --urls "http://127.0.0.1:$port"
  ) >"$dir/log" 2>&1 &
  pids+=($!)
  local pid=$!
  for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$dir/log" >&2; echo "$name stopped" >&2; exit 1; }
    curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "$name was not ready" >&2; exit 1
}

stop_nodes() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
  if [[ -n $nginx_pid ]]; then kill -QUIT "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""; fi
}

# measure LABEL PROVIDER CONNECTION URL: a sandbox developer (CLI) and an agent, then the HTTP benchmark against URL.
measure() {
  local label=$1 provider=$2 connection=$3 url=$4 created key agent
  # The CLI reads the nodes' key ring: the SQLite node's folder, or the database on PostgreSQL.
  local keys=()
  [[ $provider == Sqlite ]] && keys=(Grantex__DataProtection__KeysPath="$work/sqlite1/keys")
  created=$(cd "$work" && env Grantex__Database__Provider=$provider ConnectionStrings__Grantex="$connection" \
    Grantex__DataDirectory="$work/cli" "${keys[@]}" ASPNETCORE_ENVIRONMENT=Production \
    Logging__LogLevel__Default=Warning dotnet "$app_dll" developer create --name "bench $label" --mode sandbox --json | grep '^{')
  key=$(jq -r .apiKey <<<"$created")
  agent=$(curl -fsS -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d '{"name":"bench","scopes":["read"]}' "$url/v1/agents" | jq -r .agentId)
  echo "load before $label: $(uptime)"
  "${bench[@]}" http "$label" "$url" "$key" "$agent" "$RUNS" "$SECONDS_PER_RUN"
  echo "load after $label: $(uptime)"
}

echo "Grantex HTTP benchmark, commit $(git rev-parse --short HEAD), $(nproc) cores, $RUNS runs of ${SECONDS_PER_RUN}s"

# SQLite, one node.
p=$(free_port)
sqlite="Data Source=$work/sqlite1/grantex.db"
node sqlite1 Sqlite "$sqlite" "http://127.0.0.1:$p" "$p"
measure "SQLite, 1 node" Sqlite "$sqlite" "http://127.0.0.1:$p"
stop_nodes

# PostgreSQL, one node.
pg1="${admin/Database=postgres/Database=gx_http_one}"
p=$(free_port)
node pg1 PostgreSQL "$pg1" "http://127.0.0.1:$p" "$p"
measure "PostgreSQL, 1 node" PostgreSQL "$pg1" "http://127.0.0.1:$p"
stop_nodes

# PostgreSQL, two nodes behind nginx (round robin).
pg2="${admin/Database=postgres/Database=gx_http_two}"
p1=$(free_port); p2=$(free_port); lb=$(free_port)
node pg2a PostgreSQL "$pg2" "http://127.0.0.1:$lb" "$p1"
node pg2b PostgreSQL "$pg2" "http://127.0.0.1:$lb" "$p2"
mkdir -p "$work/nginx/tmp"; [[ $(id -u) -eq 0 ]] && chown nobody "$work/nginx/tmp"
cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  upstream grantex {
    server 127.0.0.1:$p1;
    server 127.0.0.1:$p2;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$lb;
    location / {
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_pass http://grantex;
    }
  }
}
EOF
"$NGINX" -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>>"$work/nginx/error.log" &
nginx_pid=$!
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$lb/health/ready" 2>/dev/null && break; sleep 0.1; done
measure "PostgreSQL, 2 nodes behind nginx" PostgreSQL "$pg2" "http://127.0.0.1:$lb"
stop_nodes

# Cascade revoke of 10,000 grants, in process, both engines.
echo "load before cascade revoke: $(uptime)"
"${bench[@]}" cascade-revoke "$RUNS" | sed 's/^RESULT /RESULT SQLite: /'
GRANTEX_BENCH_POSTGRES="$admin" "${bench[@]}" cascade-revoke "$RUNS" | sed 's/^RESULT /RESULT PostgreSQL: /'
echo "load after cascade revoke: $(uptime)"
