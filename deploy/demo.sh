#!/usr/bin/env bash
# The Molt story in one command: a 3-node local cluster, the sample game rolled out, upgraded twice
# and rolled back over Molt's HTTP API while a load client scores in many rooms; at the end no
# acknowledged score may be lost. Builds first if needed. Exits 0 with a last line "demo: OK ...".
# Ports: MOLT_PORT_BASE (default 8558, see deploy/local/cluster.sh); MOLT_AKKA_LICENSE_KEY is passed on.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
run="$here/local/run"
cluster="$here/local/cluster.sh"
ctl="$here/bin/moltctl"
base="${MOLT_PORT_BASE:-8558}"
export MOLT_PORT_BASE="$base"
node="http://127.0.0.1:$base"
export MOLT_URL="$node"   # moltctl's node
app_base="${MOLT_APP_PORT_BASE:-$((base + 8080 - 8558))}"
export MOLT_APP_PORT_BASE="$app_base"
started=$(date +%s)

say() { echo "demo: $*"; }
tail_pid=""
load_pid=""
stop_follower() {
  # The follower is a subshell running tail | grep | sed: end its children, then itself.
  if [ -n "$tail_pid" ]; then
    pkill -P "$tail_pid" 2>/dev/null || true
    kill "$tail_pid" 2>/dev/null || true
    # Reap it here, quietly. (Its own stderr is /dev/null: its shell reported the killed tail as "Terminated".)
    wait "$tail_pid" 2>/dev/null || true
    tail_pid=""
  fi
}
finish() {
  local code=$?
  [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null || true
  stop_follower
  "$cluster" stop >/dev/null 2>&1 || true
  if [ $code -ne 0 ]; then
    echo "demo: FAILED (exit $code): ${failure:-see the output above and deploy/local/run/node-*.log}" >&2
  fi
  exit $code
}
trap finish EXIT
trap 'failure="interrupted"; exit 130' INT TERM
fail() { failure="$*"; exit 1; }
# A rollout with moltctl's live view; piped, the view is one line per change (pipefail keeps its exit code).
rollout() { "$ctl" rollout "$@" --wait | sed -u 's/^/  moltctl | /'; }

cd "$root"
bundles=(examples/game-1.0.0/target/game-1.0.0.molt examples/game-2.0.0/target/game-2.0.0.molt examples/game-3.0.0/target/game-3.0.0.molt)
if ! ls deploy/target/lib/molt-orchestrator-*.jar >/dev/null 2>&1 || ! ls "${bundles[@]}" >/dev/null 2>&1; then
  say "building (mvn -B -q package -DskipTests)"
  mvn -B -q package -DskipTests || fail "the build failed"
fi

"$cluster" stop >/dev/null 2>&1 || true
rm -rf "$run"
export MOLT_ADMIN_USER="${MOLT_ADMIN_USER:-admin}"
export MOLT_ADMIN_PASSWORD="${MOLT_ADMIN_PASSWORD:-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
"$cluster" start 3 || fail "the cluster did not start"

# The orchestrator's progress lines, as they happen (whichever node hosts it).
(tail -q -n 0 -F "$run"/node-*.log 2>/dev/null | grep --line-buffered -E " rollout=| reconcile " \
  | sed -u -E 's/^[0-9:.]+ +[A-Z]+ +[^ ]+ - /  | /') 2>/dev/null &
tail_pid=$!

for b in "${bundles[@]}"; do
  "$ctl" upload "$b" || fail "upload of $b failed"
done

say "rolling out game 1.0.0"
rollout 1.0.0 --batch 100% || fail "rollout of 1.0.0 did not complete"

say "starting the load: 30 rooms (sharded) x 3 players, each room's scores spread over the 3 nodes' application ports ($app_base..)"
rm -f "$run/load.stop"
java -cp "deploy/target/lib/*" dev.molt.deploy.load.ScoreLoad \
  --nodes "http://127.0.0.1:$app_base,http://127.0.0.1:$((app_base + 1)),http://127.0.0.1:$((app_base + 2))" \
  --rooms 30 --players 3 --workers 6 --spread all-nodes --stop-file "$run/load.stop" > "$run/load.log" 2>&1 &
load_pid=$!
sleep 3

say "upgrading to 2.0.0 (room state gains a zone from the appup's extra), one node at a time"
rollout 2.0.0 --batch 1 || fail "rollout of 2.0.0 did not complete"
sleep 2
say "upgrading to 3.0.0 (a leaderboard entity that every room on every node feeds through sharding), pipelined"
rollout 3.0.0 --batch 1 --mode pipelined || fail "rollout of 3.0.0 did not complete"
sleep 2
# Read through node 3: the leaderboard is one entity somewhere in the cluster, fed by the rooms of all nodes.
# A node swaps in 3.0.0's routes just after its install, so the first reads may still meet 2.0.0's (404).
board=""
for _ in $(seq 40); do
  board=$(curl -sf "http://127.0.0.1:$((app_base + 2))/leaderboard") && break
  board=""
  sleep 0.5
done
[ -n "$board" ] || fail "GET /leaderboard through node 3 did not answer on 3.0.0"
# A field of the JSON in $2 (default: the whole answer); the top-level ones have names no standing has.
field() { echo "${2:-$board}" | grep -o "\"$1\":\"\?[^,\"}]*" | head -1 | cut -d: -f2 | tr -d '"' || true; }
first=$(echo "$board" | grep -o '"top":\[{[^}]*}' || true)
best="none"
[ -z "$first" ] || best="$(field room "$first")/$(field player "$first") $(field points "$first")"
say "leaderboard on 3.0.0 through node 3: entries=$(field entries) updates=$(field updates) evicted=$(field evicted) best=$best"
say "rolling back to 1.0.0 (3.0.0 -> 2.0.0 -> 1.0.0 on each node: the leaderboard type dropped, the zone dropped)"
rollout 1.0.0 --batch 1 || fail "rollback to 1.0.0 did not complete"
sleep 2

say "stopping the load and checking every acknowledged score"
touch "$run/load.stop"
load_code=0
wait "$load_pid" || load_code=$?
load_pid=""
cat "$run/load.log"
[ $load_code -eq 0 ] || fail "the load client found lost or inconsistent scores"
result=$(grep '^load: sent=' "$run/load.log" | tail -1 | sed 's/^load: //' || true)
[ -n "$result" ] || fail "the load client printed no summary; see $run/load.log"
pause=$("$ctl" max-pause)
say "per-node installs (time, actors including the rooms, longest pause of one actor):"
"$ctl" installs | sed 's/^/  | /'
stop_follower
"$cluster" stop
echo "demo: OK versions=1.0.0>2.0.0>3.0.0>1.0.0 scores ${result% rooms=*} max-pause=${pause}ms took=$(( $(date +%s) - started ))s"
