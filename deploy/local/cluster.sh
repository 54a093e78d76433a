#!/usr/bin/env bash
# A local Molt cluster on 127.0.0.1: node i listens on management port MOLT_PORT_BASE+i-1 (default
# 8558..), remoting port MOLT_REMOTE_PORT_BASE+i-1 (default 25520..) and application port
# MOLT_APP_PORT_BASE+i-1 (default 8080.., the release's own API; both move along with
# MOLT_PORT_BASE), joins through Cluster Bootstrap (config discovery), logs to run/node-<i>.log.
#
#   deploy/local/cluster.sh start [N]   (default 3)
#   deploy/local/cluster.sh status
#   deploy/local/cluster.sh stop        (ends only the processes this script started)
#
# A port in use is named before any node starts; a node that cannot bind is named with its log line.
# Credentials: MOLT_ADMIN_USER (admin) / MOLT_ADMIN_PASSWORD; when unset, a password is generated
# at start, printed, and kept in run/admin-password for the other scripts.
# Cluster membership needs a certificate: remoting runs over TLS with mutual authentication, with a
# dev CA and one key store per node made by dev-certs.sh (keytool) under MOLT_TLS_DIR (default
# deploy/local/tls/), once, and reused by later starts; MOLT_TLS=off starts the nodes on plain tcp.
# Akka licence: MOLT_AKKA_LICENSE_KEY is passed to every node; without it Akka stops each node 15
# minutes after it started (free development keys: https://akka.io/key).
# Bundle signatures (docs/bundles.md#signing): the nodes require them and trust the build's
# development key (target/molt-dev-key/, made by the build, which signs the examples with it), a key
# of this cluster made on first start in run/signing/ (sign a bundle of yours with: moltctl sign
# BUNDLE --key deploy/local/run/signing/molt-signing.key), and MOLT_TRUSTED_KEYS when set.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
run="$here/run"
pids="$run/pids"

# The nodes' molt.bundle.trusted-keys, comma-separated; makes the cluster's own key on first use.
trusted_keys() {
  if [ ! -s "$run/signing/molt-signing.pub" ]; then
    "$root/deploy/bin/moltctl" keygen --out "$run/signing" > /dev/null || return 1
  fi
  local keys="${MOLT_TRUSTED_KEYS:+$MOLT_TRUSTED_KEYS,}$run/signing/molt-signing.pub"
  if [ -s "$root/target/molt-dev-key/molt-signing.pub" ]; then
    keys="$keys,$root/target/molt-dev-key/molt-signing.pub"
  fi
  echo "$keys"
}

port_base() {
  local base="${MOLT_PORT_BASE:-}"
  if [ -z "$base" ] && [ -s "$run/port-base" ]; then base="$(cat "$run/port-base")"; fi
  echo "${base:-8558}"
}
remote_base() { echo "${MOLT_REMOTE_PORT_BASE:-$(( $(port_base) + 25520 - 8558 ))}"; }
app_base() { echo "${MOLT_APP_PORT_BASE:-$(( $(port_base) + 8080 - 8558 ))}"; }

# Something accepts connections on 127.0.0.1:$1 (bash's /dev/tcp: no extra tools needed).
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The first line of a node's log saying it could not bind a port, if any.
bind_failure() {
  local line
  line="$(grep -h -m1 -E "^[0-9:.]+ +ERROR .*(Address already in use|Bind failed|Failed to bind)" "$1" 2>/dev/null || true)"
  [ -n "$line" ] || line="$(grep -h -m1 -E "Address already in use|BindException|Failed to bind" "$1" 2>/dev/null || true)"
  echo "$line" | cut -c1-300
}

# A process we started that still is a Molt node (an exited one, even not yet reaped, is not).
is_node() {
  [ -n "$1" ] && [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' 2>/dev/null < "/proc/$1/cmdline" | grep -q "dev.molt.orchestrator.boot.MoltMain"
}

running_pids() {
  [ -f "$pids" ] || return 0
  while read -r pid; do
    if is_node "$pid"; then
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
  if ! [[ "$n" =~ ^[1-9][0-9]?$ ]]; then
    echo "cluster: N must be a number of nodes from 1 to 99, not '$n'" >&2
    exit 2
  fi
  if [ -n "$(running_pids)" ]; then
    echo "cluster: already running ($(running_pids | wc -l) node(s)); stop it first" >&2
    exit 1
  fi
  if ! ls "$root"/deploy/target/lib/molt-orchestrator-*.jar >/dev/null 2>&1; then
    echo "cluster: no build in deploy/target/lib; run: mvn -B package -DskipTests" >&2
    exit 1
  fi
  local base remote app
  base="${MOLT_PORT_BASE:-8558}"
  remote="$(MOLT_PORT_BASE="$base" remote_base)"
  app="$(MOLT_PORT_BASE="$base" app_base)"
  for value in "$base" "$remote" "$app"; do
    if ! [[ "$value" =~ ^[0-9]+$ ]] || [ "$value" -lt 1024 ] || [ $((value + n - 1)) -gt 65535 ]; then
      echo "cluster: port base '$value' (MOLT_PORT_BASE / MOLT_REMOTE_PORT_BASE / MOLT_APP_PORT_BASE) must leave $n ports within 1024..65535" >&2
      exit 2
    fi
  done
  for pair in "management $base remoting $remote MOLT_REMOTE_PORT_BASE" "management $base application $app MOLT_APP_PORT_BASE" \
              "remoting $remote application $app MOLT_APP_PORT_BASE"; do
    local role1 from1 role2 from2 setting
    read -r role1 from1 role2 from2 setting <<< "$pair"
    if [ $((from1 + n)) -gt "$from2" ] && [ $((from2 + n)) -gt "$from1" ]; then
      echo "cluster: $role1 ports $from1.. and $role2 ports $from2.. overlap; set $setting apart" >&2
      exit 2
    fi
  done
  for i in $(seq 1 "$n"); do
    for port in $((base + i - 1)) $((remote + i - 1)) $((app + i - 1)); do
      if port_in_use "$port"; then
        local role="management"; [ "$port" -ge "$remote" ] && [ "$port" -lt $((remote + n)) ] && role="remoting"
        [ "$port" -ge "$app" ] && [ "$port" -lt $((app + n)) ] && role="application"
        echo "cluster: port $port ($role port of node $i) is in use by another process; free it or start elsewhere," \
          "e.g. MOLT_PORT_BASE=$((base + 1000)) $0 start $n" >&2
        exit 1
      fi
    done
  done
  mkdir -p "$run"
  : > "$pids"
  echo "$base" > "$run/port-base"
  local pw; pw="$(password)"
  (umask 077; echo "$pw" > "$run/admin-password")
  local tls="${MOLT_TLS_DIR:-$here/tls}" names=()
  # Exported rather than passed through env(1): the store password stays off every command line.
  local tls_mode="${MOLT_TLS:-on}"
  export MOLT_TLS=off
  if [ "$tls_mode" != off ]; then
    for i in $(seq 1 "$n"); do [ -s "$tls/node-$i.p12" ] || names+=("node-$i"); done
    if [ ${#names[@]} -gt 0 ]; then
      echo "cluster: making the dev CA's key stores for ${names[*]} in $tls (keytool; once, then reused)"
      "$here/dev-certs.sh" "$tls" "${names[@]}" || { echo "cluster: could not make the key stores in $tls" >&2; exit 1; }
    fi
    local tls_pw; tls_pw="$(cat "$tls/password")"
    export MOLT_TLS=on MOLT_TLS_KEY_STORE_PASSWORD="$tls_pw" MOLT_TLS_TRUST_STORE="$tls/truststore.p12" \
      MOLT_TLS_TRUST_STORE_PASSWORD="$tls_pw"
  fi
  local trusted; trusted="$(trusted_keys)" || { echo "cluster: cannot make the signing key in $run/signing" >&2; exit 1; }
  {
    echo "molt.node.cluster-bootstrap = on"
    echo "akka.management.cluster.bootstrap.contact-point-discovery {"
    echo "  service-name = \"molt-local\""
    echo "  discovery-method = config"
    echo "  required-contact-point-nr = $n"
    echo "}"
    echo "akka.discovery.config.services.molt-local.endpoints = ["
    for i in $(seq 1 "$n"); do echo "  { host = \"127.0.0.1\", port = $((base + i - 1)) }"; done
    echo "]"
  } > "$run/cluster.conf"
  local expect=()
  for i in $(seq 1 "$n"); do
    rm -f "$run/node-$i.log"
    # MOLT_AKKA_LICENSE_KEY, when set, reaches each node from this environment (akka.license-key).
    MOLT_REMOTE_PORT=$((remote + i - 1)) MOLT_MANAGEMENT_PORT=$((base + i - 1)) MOLT_APP_PORT=$((app + i - 1)) \
    MOLT_STORE_DIR="$run/node-$i-store" MOLT_CONFIG="$run/cluster.conf" MOLT_ADMIN_PASSWORD="$pw" \
    MOLT_TLS_KEY_STORE="$tls/node-$i.p12" MOLT_TRUSTED_KEYS="$trusted" JAVA_OPTS="${JAVA_OPTS:--Xmx384m}" \
      nohup "$root/deploy/bin/molt-node" > "$run/node-$i.log" 2>&1 &
    echo $! >> "$pids"
    expect+=(--node "http://127.0.0.1:$((base + i - 1))=127.0.0.1:$((remote + i - 1))")
  done
  echo "cluster: started $n node(s) on ports $base..$((base + n - 1)) (remoting $remote..$((remote + n - 1)), application $app..$((app + n - 1)));" \
    "waiting for them to form a cluster"
  if [ -z "${MOLT_AKKA_LICENSE_KEY:-}" ]; then
    echo "cluster: no MOLT_AKKA_LICENSE_KEY: Akka stops each node 15 minutes after it started (free keys: https://akka.io/key)"
  fi
  # moltctl checks that each port is answered by the node started for it; meanwhile the nodes'
  # logs are watched, so a node that cannot bind or exits is named at once, not after the timeout.
  MOLT_ADMIN_PASSWORD="$pw" "$root/deploy/bin/moltctl" --url "http://127.0.0.1:$base" wait-cluster "$n" --timeout 120s "${expect[@]}" \
    > "$run/wait-cluster.out" 2>&1 &
  local waiter=$! problem=""
  while kill -0 "$waiter" 2>/dev/null; do
    problem="$(node_problem "$n")"
    [ -n "$problem" ] && break
    sleep 0.5
  done
  if [ -n "$problem" ]; then
    kill "$waiter" 2>/dev/null || true
    wait "$waiter" 2>/dev/null || true
    echo "cluster: $problem" >&2
    stop >&2
    exit 1
  fi
  if ! wait "$waiter"; then
    problem="$(node_problem "$n")"
    echo "cluster: did not form: $(tail -1 "$run/wait-cluster.out" | sed 's/^moltctl: //')${problem:+; $problem}" >&2
    echo "cluster: logs in $run/node-*.log" >&2
    stop >&2
    exit 1
  fi
  cat "$run/wait-cluster.out"
  echo "cluster: $n node(s) up: http://127.0.0.1:$base .. :$((base + n - 1)); admin user=${MOLT_ADMIN_USER:-admin} password=$pw"
  echo "cluster: remoting: $(grep -h -m1 -o "cluster transport: .*" "$run/node-1.log" | sed 's/^cluster transport: //' || true)"
  echo "cluster: bundles must be signed; trusted: ${trusted//,/, } (sign yours: moltctl sign BUNDLE --key $run/signing/molt-signing.key)"
  echo "cluster: logs in deploy/local/run/node-<i>.log; stop with: deploy/local/cluster.sh stop"
}

# Why the start cannot succeed, if a node says so: a port it could not bind, or it exited.
node_problem() {
  local n="$1" i=0 pid line
  while read -r pid; do
    i=$((i + 1))
    line="$(bind_failure "$run/node-$i.log")"
    if [ -n "$line" ]; then
      echo "node $i could not bind its port: $line (log: $run/node-$i.log)"
      return
    fi
    # Gone, not "not yet java": until molt-node execs the JVM the pid runs nohup or bash. An exited
    # node stays a zombie (this script does not wait for it): state Z counts as gone.
    if ! kill -0 "$pid" 2>/dev/null || [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ]; then
      line="$(grep -h -E " ERROR |Exception" "$run/node-$i.log" 2>/dev/null | head -1 | cut -c1-300 || true)"
      echo "node $i exited at start${line:+: $line} (log: $run/node-$i.log)"
      return
    fi
  done < "$pids"
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
  local url="http://127.0.0.1:$(port_base)/molt/cluster"
  curl -s --max-time 5 "$url" && echo || echo "cluster: node 1 not answering at $url"
}

case "${1:-status}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start [N] | stop | status" >&2; exit 2 ;;
esac
