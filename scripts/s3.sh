#!/usr/bin/env bash
# A real S3 server for development and tests: a throw-away single-node Ceph RADOS Gateway on 127.0.0.1
# (1 monitor, 1 memstore OSD, the beast frontend, no manager), built from Debian's packages.
#
#   scripts/s3.sh start   installs ceph-mon ceph-osd radosgw (once, via scripts/lib/deps.sh), starts the
#                         daemons unless a healthy instance is already running, creates a test user, and
#                         prints the connection settings (idempotent)
#   scripts/s3.sh stop    stops the daemons this script started (by their recorded PIDs) and wipes the state
#   scripts/s3.sh env     prints the connection settings of the running instance (exit 1 if none)
#
# The settings are printed as `source`-able lines and kept in $SDLG_S3_DIR/s3.env:
#   S3_ENDPOINT=http://127.0.0.1:7480 S3_ACCESS_KEY=... S3_SECRET_KEY=... S3_REGION=us-east-1
# Every daemon listens on 127.0.0.1 only. Object data lives in the OSD's memory (memstore): nothing survives
# `stop`. Tunables: SDLG_S3_DIR (default /tmp/sdlg-s3; keep it short, admin socket paths are limited to 107
# characters), S3_PORT (7480), SDLG_S3_MON_PORT (3300; msgr v1 on the next port), SDLG_S3_MEMSTORE_GB (4),
# S3_ACCESS_KEY / S3_SECRET_KEY (fixed test credentials by default).
# Cold start takes 3-6 s; the first install ~50 s. Needs root for apt-get and nothing else.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/deps.sh
source "$here/lib/deps.sh"

BASE=${SDLG_S3_DIR:-/tmp/sdlg-s3}
S3_PORT=${S3_PORT:-7480}
MON_PORT=${SDLG_S3_MON_PORT:-3300}
MON_PORT_V1=$((MON_PORT + 1))
MEM_GB=${SDLG_S3_MEMSTORE_GB:-4}
ACCESS_KEY=${S3_ACCESS_KEY:-SDLGTESTACCESSKEY001}
SECRET_KEY=${S3_SECRET_KEY:-sdlgtestsecretkey00000000000000000000001}
CONF=$BASE/ceph.conf
T0=$(date +%s%N)

log() {
  local ms=$((($(date +%s%N) - T0) / 1000000))
  printf 's3.sh [%d.%03ds] %s\n' $((ms / 1000)) $((ms % 1000)) "$*" >&2
}

die() {
  log "ERROR: $*"
  local f
  for f in "$BASE"/log/*.log; do
    [ -f "$f" ] && { echo "--- tail $f" >&2; tail -n 30 "$f" >&2; }
  done
  exit 1
}

# Running and not a zombie (PID 1 of a container may not reap orphans).
proc_alive() {
  local st
  st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# Only a process that is still one of our ceph daemons (guards against PID reuse).
is_our_daemon() {
  proc_alive "$1" && grep -qaE 'ceph-(mon|osd)|radosgw' "/proc/$1/cmdline" 2>/dev/null
}

pids_alive() {
  local f n=0
  for f in "$BASE"/run/*.pid; do
    [ -f "$f" ] || return 1
    is_our_daemon "$(cat "$f")" || return 1
    n=$((n + 1))
  done
  [ "$n" -ge 3 ]
}

s3_answers() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$S3_PORT/" 2>/dev/null | grep -q '^200$'
}

# stop_group SECONDS PIDFILE...: TERM, wait up to SECONDS, then KILL what is left.
stop_group() {
  local secs=$1 f pid i alive pids=() names=()
  shift
  for f in "$@"; do
    [ -f "$f" ] || continue
    pid=$(cat "$f" 2>/dev/null)
    [[ "$pid" =~ ^[0-9]+$ ]] || continue
    if is_our_daemon "$pid"; then
      kill -TERM "$pid" && pids+=("$pid") && names+=("$(basename "$f" .pid)")
    fi
  done
  [ "${#pids[@]}" -gt 0 ] || return 0
  for _ in $(seq 1 $((secs * 5))); do
    alive=0
    for pid in "${pids[@]}"; do proc_alive "$pid" && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for i in "${!pids[@]}"; do
    if proc_alive "${pids[$i]}"; then
      kill -KILL "${pids[$i]}" 2>/dev/null || true
      log "killed ${names[$i]} (pid ${pids[$i]})"
    else
      log "stopped ${names[$i]} (pid ${pids[$i]})"
    fi
  done
}

do_stop() {
  if [ ! -d "$BASE" ]; then
    log "nothing to stop ($BASE does not exist)"
    return 0
  fi
  # The gateway first: without a monitor it hangs in its shutdown path.
  stop_group 8 "$BASE"/run/client.rgw.*.pid
  stop_group 15 "$BASE"/run/osd.*.pid "$BASE"/run/mon.*.pid
  rm -rf "$BASE"
}

do_env() {
  if [ -f "$BASE/s3.env" ] && pids_alive && s3_answers; then
    cat "$BASE/s3.env"
  else
    echo "s3.sh: no running instance in $BASE (run: scripts/s3.sh start)" >&2
    return 1
  fi
}

do_start() {
  if [ -f "$BASE/s3.env" ] && pids_alive && s3_answers; then
    log "already running on 127.0.0.1:$S3_PORT (state in $BASE)"
    cat "$BASE/s3.env"
    return 0
  fi

  deps_ensure_apt ceph-mon ceph-osd radosgw ceph-common curl uuid-runtime
  T0=$(date +%s%N)

  if [ -d "$BASE" ]; then
    log "stale state in $BASE: stopping leftovers and wiping"
    do_stop
  fi
  local p
  for p in "$S3_PORT" "$MON_PORT" "$MON_PORT_V1"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port 127.0.0.1:$p is already in use"; fi
  done
  mkdir -p "$BASE"/{run,log,crash,mon,osd,rgw,tmp}
  chmod 700 "$BASE"
  export CEPH_CONF=$CONF
  local ceph="ceph --connect-timeout 20" fsid
  fsid=$(uuidgen)
  cat >"$CONF" <<CONF
[global]
fsid = $fsid
mon initial members = a
mon host = [v2:127.0.0.1:$MON_PORT,v1:127.0.0.1:$MON_PORT_V1]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
ms bind ipv4 = true
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = false
keyring = $BASE/keyring
run dir = $BASE/run
pid file = $BASE/run/\$name.pid
admin socket = $BASE/run/\$name.asok
log file = $BASE/log/\$name.log
log to stderr = false
err to stderr = true
mon cluster log file = $BASE/log/cluster.log
crash dir = $BASE/crash
tmp dir = $BASE/tmp
# one replica and few placement groups: the gateway creates ~8 pools on one OSD
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail crit = 0
mon data avail warn = 1
# commit map changes every 50 ms instead of every second (pool creation at start-up)
paxos propose interval = 0.05
paxos min wait = 0.01
mgr initial modules = iostat

[mon]
mon data = $BASE/mon/\$cluster-\$id

[osd]
osd data = $BASE/osd/\$cluster-\$id
keyring = $BASE/osd/\$cluster-\$id/keyring
osd objectstore = memstore
memstore device bytes = $((MEM_GB * 1024 * 1024 * 1024))
osd memory target = 1073741824
osd crush update on start = true

[client.rgw.a]
keyring = $BASE/rgw/keyring
rgw frontends = beast endpoint=127.0.0.1:$S3_PORT
rgw data = $BASE/rgw
rgw dns name = 127.0.0.1
rgw enable usage log = false
rgw thread pool size = 64
# reclaim deleted objects after 10 s (memstore keeps data in RAM)
rgw gc obj min wait = 10
rgw gc processor period = 10
rgw gc processor max time = 10
CONF

  log "creating the monitor"
  ceph-authtool --create-keyring "$BASE/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool "$BASE/keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$MON_PORT,v1:127.0.0.1:$MON_PORT_V1]" "$BASE/monmap" >/dev/null
  ceph-mon --mkfs -i a --monmap "$BASE/monmap" --keyring "$BASE/keyring"
  ceph-mon -i a
  $ceph -s >/dev/null || die "the monitor does not answer"

  local osd_uuid osd_key osd_id i
  osd_uuid=$(uuidgen)
  osd_key=$(ceph-authtool --gen-print-key)
  printf '{"cephx_secret": "%s"}' "$osd_key" >"$BASE/tmp/osd-new.json"
  osd_id=$($ceph osd new "$osd_uuid" -i "$BASE/tmp/osd-new.json")
  mkdir -p "$BASE/osd/ceph-$osd_id"
  printf '[osd.%s]\n\tkey = %s\n' "$osd_id" "$osd_key" >"$BASE/osd/ceph-$osd_id/keyring"
  ceph-osd -i "$osd_id" --mkfs --key "$osd_key" --osd-uuid "$osd_uuid" \
    --keyring "$BASE/osd/ceph-$osd_id/keyring" >/dev/null 2>&1 || die "osd mkfs failed"
  ceph-osd -i "$osd_id" --keyring "$BASE/osd/ceph-$osd_id/keyring" 2>>"$BASE/log/osd-startup.log"
  for i in $(seq 1 60); do
    $ceph osd dump 2>/dev/null | grep -q "^osd.$osd_id up" && break
    sleep 0.5
    [ "$i" = 60 ] && die "osd.$osd_id did not come up"
  done
  log "osd.$osd_id up"

  $ceph auth get-or-create client.rgw.a mon 'allow rw' osd 'allow rwx' mgr 'allow rw' -o "$BASE/rgw/keyring"
  radosgw -n client.rgw.a
  for i in $(seq 1 120); do
    s3_answers && break
    sleep 0.5
    [ "$i" = 120 ] && die "radosgw does not answer on 127.0.0.1:$S3_PORT"
  done
  log "radosgw answering on 127.0.0.1:$S3_PORT"

  radosgw-admin user create --uid=sdlg-test --display-name="SecureDialogue tests" \
    --access-key="$ACCESS_KEY" --secret="$SECRET_KEY" >/dev/null || die "user create failed"
  cat >"$BASE/s3.env" <<ENV
S3_ENDPOINT=http://127.0.0.1:$S3_PORT
S3_ACCESS_KEY=$ACCESS_KEY
S3_SECRET_KEY=$SECRET_KEY
S3_REGION=us-east-1
ENV
  chmod 600 "$BASE/s3.env"
  log "ready; settings in $BASE/s3.env"
  cat "$BASE/s3.env"
}

case "${1:-}" in
  start) do_start ;;
  stop) do_stop ;;
  env) do_env ;;
  *)
    sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
    ;;
esac
