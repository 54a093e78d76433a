#!/usr/bin/env bash
# A local Molt cluster on 127.0.0.1: node i listens on remoting port 25520+i-1 and management
# port 8558+i-1, joins through Cluster Bootstrap (config discovery), logs to run/node-<i>.log.
#
#   deploy/local/cluster.sh start [N]   (default 3)
#   deploy/local/cluster.sh status
#   deploy/local/cluster.sh stop        (ends only the processes this script started)
#
# Credentials: MOLT_ADMIN_USER (admin) / MOLT_ADMIN_PASSWORD; when unset, a password is generated
# at start, printed, and kept in run/admin-password for the other scripts.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
run="$here/run"
pids="$run/pids"

running_pids() {
  [ -f "$pids" ] || return 0
  while read -r pid; do
    # Only processes we started, and only while they still are a Molt node.
    if [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "dev.molt.orchestrator.boot.MoltMain"; then
      echo "$pid"
    fi
  done < "$pids"
}

password() {
  if [ -n "${MOLT_ADMIN_PASSWORD:-}" ]; then
    echo "$MOLT_ADMIN_PASSWORD"
  elif [ -s "$run/admin-password" ]; then
    cat "$run/admin-password"
  else
    head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'
  fi
}

start() {
  local n="${1:-3}"
  if [ -n "$(running_pids)" ]; then
    echo "cluster: already running ($(running_pids | wc -l) node(s)); stop it first" >&2
    exit 1
  fi
  if ! ls "$root"/deploy/target/lib/molt-orchestrator-*.jar >/dev/null 2>&1; then
    echo "cluster: no build in deploy/target/lib; run: mvn -B package -DskipTests" >&2
    exit 1
  fi
  mkdir -p "$run"
  : > "$pids"
  local pw; pw="$(password)"
  (umask 077; echo "$pw" > "$run/admin-password")
  {
    echo "molt.node.cluster-bootstrap = on"
    echo "akka.management.cluster.bootstrap.contact-point-discovery {"
    echo "  service-name = \"molt-local\""
    echo "  discovery-method = config"
    echo "  required-contact-point-nr = $n"
    echo "}"
    echo "akka.discovery.config.services.molt-local.endpoints = ["
    for i in $(seq 1 "$n"); do echo "  { host = \"127.0.0.1\", port = $((8558 + i - 1)) }"; done
    echo "]"
  } > "$run/cluster.conf"
  for i in $(seq 1 "$n"); do
    MOLT_REMOTE_PORT=$((25520 + i - 1)) MOLT_MANAGEMENT_PORT=$((8558 + i - 1)) \
    MOLT_STORE_DIR="$run/node-$i-store" MOLT_CONFIG="$run/cluster.conf" MOLT_ADMIN_PASSWORD="$pw" \
    JAVA_OPTS="${JAVA_OPTS:--Xmx384m}" \
      nohup "$root/deploy/bin/molt-node" > "$run/node-$i.log" 2>&1 &
    echo $! >> "$pids"
  done
  echo "cluster: started $n node(s); waiting for them to form a cluster"
  sleep 1
  if [ "$(running_pids | wc -l)" -ne "$n" ]; then
    echo "cluster: a node exited at start (a port in use?); see $run/node-*.log" >&2
    stop >&2
    exit 1
  fi
  if ! MOLT_ADMIN_PASSWORD="$pw" "$root/deploy/bin/moltctl" wait-cluster http://127.0.0.1:8558 "$n" 120 \
      || [ "$(running_pids | wc -l)" -ne "$n" ]; then
    echo "cluster: did not form; see $run/node-*.log" >&2
    stop >&2
    exit 1
  fi
  echo "cluster: $n node(s) up: http://127.0.0.1:8558 .. :$((8558 + n - 1)); admin user=${MOLT_ADMIN_USER:-admin} password=$pw"
  echo "cluster: logs in deploy/local/run/node-<i>.log; stop with: deploy/local/cluster.sh stop"
}

stop() {
  local live; live="$(running_pids)"
  if [ -z "$live" ]; then
    echo "cluster: nothing to stop"
    rm -f "$pids"
    return 0
  fi
  for pid in $live; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    [ -z "$(running_pids)" ] && break
    sleep 0.2
  done
  for pid in $(running_pids); do kill -9 "$pid" 2>/dev/null || true; done
  rm -f "$pids"
  echo "cluster: stopped $(echo "$live" | wc -w) node(s)"
}

status() {
  local live; live="$(running_pids)"
  echo "cluster: $(echo "$live" | wc -w) node process(es) running"
  curl -s --max-time 5 http://127.0.0.1:8558/molt/cluster && echo || echo "cluster: node 1 not answering"
}

case "${1:-status}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start [N] | stop | status" >&2; exit 2 ;;
esac
