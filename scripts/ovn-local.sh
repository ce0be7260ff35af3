#!/usr/bin/env bash
# A local OVN Northbound database for trying Netplane's OVN adapter: ovsdb-server on loopback only (unix socket and
# ptcp:PORT:127.0.0.1), database, socket, pid, control socket and log under ./data/ovn/, no systemd, no root.
#
#   bash scripts/ovn-local.sh [start] [--port 6641] [--fresh]   start (or report the running one) and print the endpoint
#   bash scripts/ovn-local.sh stop                              stop it (the database file is kept)
#   bash scripts/ovn-local.sh status
#
# OVN_LOCAL_DIR overrides the directory. --fresh deletes the database first. Needs Debian's ovn-central
# (bash scripts/system-deps.sh installs it).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${OVN_LOCAL_DIR:-$root/data/ovn}"
schema=/usr/share/ovn/ovn-nb.ovsschema
port=6641
fresh=0
cmd=start

while [ $# -gt 0 ]; do
  case "$1" in
    start | stop | status) cmd="$1" ;;
    --port) port="${2:?--port needs a number}"; shift ;;
    --port=*) port="${1#--port=}" ;;
    --fresh) fresh=1 ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ovn-local: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$port" in '' | *[!0-9]*) echo "ovn-local: --port must be a number" >&2; exit 2 ;; esac

db="$dir/ovnnb_db.db"
sock="$dir/ovnnb_db.sock"
ctl="$dir/ovsdb-server.ctl"
pidfile="$dir/ovsdb-server.pid"
log="$dir/ovsdb-server.log"

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

tcp_port_of_running() {
  ovs-appctl -t "$ctl" ovsdb-server/list-remotes 2>/dev/null | sed -n 's/^ptcp:\([0-9]*\):.*/\1/p' | head -n1
}

print_endpoint() {
  local pid="$1" tcp="$2"
  cat <<EOF
OVN Northbound ovsdb-server running (pid $pid), database $db
  Endpoint for the Netplane console (controller of an 'ovn' provider):
      tcp:127.0.0.1:$tcp
   or unix:$sock
  Look at what Netplane creates:  ovn-nbctl --db=unix:$sock show
  Log: $log        Stop: bash scripts/ovn-local.sh stop
EOF
}

need_tools() {
  local missing=()
  for t in ovsdb-server ovsdb-tool ovn-nbctl ovs-appctl; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
  done
  [ -f "$schema" ] || missing+=("$schema")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "ovn-local: missing ${missing[*]}; install ovn-central (sudo apt-get install ovn-central, or bash scripts/system-deps.sh)" >&2
    exit 1
  fi
}

start() {
  need_tools
  local pid
  if pid="$(running_pid)"; then
    print_endpoint "$pid" "$(tcp_port_of_running || echo "$port")"
    return 0
  fi
  mkdir -p "$dir"
  if [ ${#sock} -gt 100 ]; then
    echo "ovn-local: socket path $sock is too long for a unix socket; set OVN_LOCAL_DIR to a shorter directory" >&2
    exit 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "ovn-local: 127.0.0.1:$port is already in use (another ovsdb-server?); choose another with --port" >&2
    exit 1
  fi
  [ "$fresh" = 1 ] && rm -f "$db" "$dir/.ovnnb_db.db.~lock~"
  if [ ! -f "$db" ]; then
    ovsdb-tool create "$db" "$schema"
  elif [ "$(ovsdb-tool needs-conversion "$db" "$schema")" = yes ]; then
    echo "ovn-local: converting $db to the installed schema $(ovsdb-tool schema-version "$schema")"
    ovsdb-tool convert "$db" "$schema"
  fi
  rm -f "$sock" "$ctl"
  # --detach returns once the server listens; --no-chdir keeps relative paths meaningful.
  # (Its only console line on success is "opened log file", which is filtered out; errors still show.)
  ovsdb-server "$db" \
    --remote="punix:$sock" --remote="ptcp:$port:127.0.0.1" \
    --unixctl="$ctl" --pidfile="$pidfile" --log-file="$log" \
    --detach --no-chdir -vconsole:off 2>&1 | { grep -v 'opened log file' >&2 || true; }
  if [ "${PIPESTATUS[0]}" -ne 0 ]; then
    echo "ovn-local: ovsdb-server did not start; see $log" >&2
    exit 1
  fi
  # The NB_Global row ovn-nbctl and ovn-northd expect (a no-op when it exists).
  ovn-nbctl --db="unix:$sock" --no-leader-only init
  print_endpoint "$(cat "$pidfile")" "$port"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    echo "ovn-local: not running"
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { echo "ovn-local: stopped (pid $pid); the database stays in $db"; return 0; }
    sleep 0.1
  done
  echo "ovn-local: pid $pid did not stop within 5 s" >&2
  exit 1
}

status() {
  local pid
  if pid="$(running_pid)"; then
    print_endpoint "$pid" "$(tcp_port_of_running || echo "$port")"
  else
    echo "ovn-local: not running (bash scripts/ovn-local.sh to start)"
    exit 3
  fi
}

"$cmd"
