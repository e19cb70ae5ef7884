#!/usr/bin/env bash
# The development and test OpenID provider (npm oidc-provider, scripts/oidc/provider.mjs) on 127.0.0.1.
#   scripts/oidc.sh start [--port N] [--state-dir DIR]   start in the background (idempotent), print the issuer URL
#   scripts/oidc.sh stop [--state-dir DIR]               stop the provider started from DIR (by its recorded PID)
#   scripts/oidc.sh url [--state-dir DIR]                print the issuer URL; exit 1 when not running
#   scripts/oidc.sh install                              install the node packages from the lock file (npm ci)
# Defaults: --port $OIDC_PORT or 5090 (0 picks a free port), --state-dir artifacts/oidc (PID, URL and log).
# Token lifetimes and the other settings come from the environment: see scripts/oidc/provider.mjs.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/deps.sh
source "$repo/scripts/lib/deps.sh"

provider_dir="$repo/scripts/oidc"
start_timeout=30

usage() {
  sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

say() {
  printf 'oidc.sh: %s\n' "$*" >&2
}

die() {
  say "$*"
  exit 1
}

command="${1:-}"
[ -n "$command" ] || { usage >&2; exit 2; }
shift

port="${OIDC_PORT:-5090}"
state_dir="$repo/artifacts/oidc"
while [ "$#" -gt 0 ]; do
  case "$1" in
    --port) [ "$#" -ge 2 ] || die "--port needs a value"; port="$2"; shift 2 ;;
    --port=*) port="${1#--port=}"; shift ;;
    --state-dir) [ "$#" -ge 2 ] || die "--state-dir needs a value"; state_dir="$2"; shift 2 ;;
    --state-dir=*) state_dir="${1#--state-dir=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) say "unknown argument '$1'"; usage >&2; exit 2 ;;
  esac
done
case "$port" in
  ''|*[!0-9]*) die "the port must be a number, got '$port'" ;;
esac

pid_file="$state_dir/provider.pid"
url_file="$state_dir/url"
log_file="$state_dir/provider.log"

# npm ci from the lock file when node_modules is missing or older than the lock file. A lock serialises
# concurrent callers (test fixtures, scripts).
install_packages() {
  deps_ensure_node
  local marker="$provider_dir/node_modules/.package-lock.json"
  if [ -f "$marker" ] && [ ! "$provider_dir/package-lock.json" -nt "$marker" ]; then
    return 0
  fi
  mkdir -p "$repo/artifacts"
  (
    flock -w 300 9 || die "timed out waiting for another npm ci in $provider_dir"
    if [ -f "$marker" ] && [ ! "$provider_dir/package-lock.json" -nt "$marker" ]; then
      exit 0
    fi
    say "npm ci in scripts/oidc"
    (cd "$provider_dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci failed"
  ) 9>"$repo/artifacts/.oidc-npm.lock"
}

# The recorded PID when that process is alive and is our provider.
running_pid() {
  [ -f "$pid_file" ] || return 1
  local pid
  pid="$(cat "$pid_file" 2>/dev/null || true)"
  case "$pid" in ''|*[!0-9]*) return 1 ;; esac
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'provider\.mjs' || return 1
  printf '%s\n' "$pid"
}

# True when the discovery document answers at the URL.
discovery_ok() {
  node -e '
    fetch(process.argv[1] + "/.well-known/openid-configuration", { signal: AbortSignal.timeout(2000) })
      .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));' "$1"
}

start() {
  install_packages
  mkdir -p "$state_dir"
  chmod 700 "$state_dir"

  local pid
  if pid="$(running_pid)" && [ -s "$url_file" ] && discovery_ok "$(cat "$url_file")"; then
    say "already running (PID $pid)"
    cat "$url_file"
    return 0
  fi
  rm -f "$pid_file" "$url_file"

  (
    cd "$provider_dir"
    exec node provider.mjs --port "$port" --url-file "$url_file"
  ) >>"$log_file" 2>&1 </dev/null &
  pid=$!
  printf '%s\n' "$pid" >"$pid_file"

  local waited=0
  while [ "$waited" -lt $((start_timeout * 5)) ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pid_file"
      tail -n 20 "$log_file" >&2 || true
      die "the provider exited during start; log: $log_file"
    fi
    if [ -s "$url_file" ] && discovery_ok "$(cat "$url_file")"; then
      say "started (PID $pid, log $log_file)"
      cat "$url_file"
      return 0
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  kill "$pid" 2>/dev/null || true
  rm -f "$pid_file"
  die "the provider did not answer within ${start_timeout}s; log: $log_file"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$pid_file" "$url_file"
    say "not running"
    return 0
  fi
  kill "$pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 50 ]; do
    sleep 0.2
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file" "$url_file"
  say "stopped (PID $pid)"
}

url() {
  if running_pid >/dev/null && [ -s "$url_file" ]; then
    cat "$url_file"
  else
    say "not running"
    return 1
  fi
}

case "$command" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  install) install_packages ;;
  -h|--help) usage ;;
  *) say "unknown command '$command'"; usage >&2; exit 2 ;;
esac
