#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on 127.0.0.1 for tests and development (never for real data: fsync is off).
#   scripts/postgres.sh start   create (once) and start it on a free port; prints its connection string
#   scripts/postgres.sh stop    stop it and delete it (data included)
#   scripts/postgres.sh url     print the connection string of the running cluster (exit 1 when it is not running)
# All three are idempotent. The connection string is an Npgsql one:
#   Host=127.0.0.1;Port=N;Username=sdlg;Password=...;Database=postgres
# State lives in $SDLG_POSTGRES_DIR (default /tmp/sdlg-postgres-<hash of this checkout>), owner-only. When run as
# root, the server runs as the 'postgres' system user (PostgreSQL refuses to run as root).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/deps.sh
source "$root/scripts/lib/deps.sh"

usage() {
  sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

pg_bin=/usr/lib/postgresql/15/bin
state="${SDLG_POSTGRES_DIR:-/tmp/sdlg-postgres-$(printf '%s' "$root" | sha256sum | cut -c1-12)}"
data="$state/data"

say() {
  printf 'postgres.sh: %s\n' "$*" >&2
}

# Runs a PostgreSQL program as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

is_running() {
  [ -f "$data/PG_VERSION" ] && as_owner "$pg_bin/pg_ctl" status -D "$data" >/dev/null 2>&1
}

print_url() {
  printf 'Host=127.0.0.1;Port=%s;Username=sdlg;Password=%s;Database=postgres\n' "$(cat "$state/port")" "$(cat "$state/password")"
}

# A port nothing listens on now (PostgreSQL's own bind decides; start retries on a collision).
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s' "$port"
      return 0
    fi
  done
  return 1
}

create() {
  deps_ensure_apt postgresql-15
  [ -x "$pg_bin/initdb" ] || deps_die "$pg_bin/initdb is missing (Debian package postgresql-15)"
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    deps_die "running as root needs the 'postgres' system user (created by the postgresql-common package)"
  fi

  rm -rf "$state"
  mkdir -p "$state"
  chmod 700 "$state"
  head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$state/password"
  chmod 600 "$state/password"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres:postgres "$state"
  fi

  say "initialising a cluster in $data"
  as_owner "$pg_bin/initdb" -D "$data" -U sdlg --pwfile="$state/password" -E UTF8 --no-locale \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 >"$state/initdb.log" 2>&1 \
    || { cat "$state/initdb.log" >&2; deps_die "initdb failed"; }
}

start() {
  if is_running; then
    print_url
    return 0
  fi

  if [ ! -f "$data/PG_VERSION" ]; then
    create
  fi

  local port attempt
  for attempt in 1 2 3 4 5; do
    port="$(free_port)" || deps_die "no free port found on 127.0.0.1"
    printf '%s' "$port" >"$state/port"
    if as_owner "$pg_bin/pg_ctl" start -D "$data" -l "$state/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$state' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        >/dev/null 2>&1; then
      say "started on 127.0.0.1:$port (attempt $attempt)"
      print_url
      return 0
    fi
    say "could not start on port $port; retrying"
  done
  tail -n 20 "$state/server.log" >&2 || true
  deps_die "PostgreSQL did not start (see $state/server.log)"
}

stop() {
  if is_running; then
    as_owner "$pg_bin/pg_ctl" stop -D "$data" -m fast -w -t 60 >/dev/null
    say "stopped"
  fi
  if [ -d "$state" ]; then
    rm -rf "$state"
    say "deleted $state"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url)
    if is_running; then print_url; else say "not running"; exit 1; fi
    ;;
  -h|--help) usage ;;
  *) usage >&2; exit 2 ;;
esac
