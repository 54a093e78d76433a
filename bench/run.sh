#!/usr/bin/env bash
# Molt's benchmarks: builds what they need, runs every scenario, prints the machine and a Markdown
# table, and writes bench/results/summary.csv. Not part of the test command.
#   bench/run.sh [--scenarios bulk,single,memory] [--sizes 1000,10000,100000] [--reps N]
#   bench/run.sh --scenarios soak [--minutes 12]     (not in CI; see bench/README.md)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if ! ls bench/target/lib/molt-bench-*.jar >/dev/null 2>&1 || [ ! -f node/target/test-bundles/counter-2.0.0.molt ]; then
  echo "bench: building (mvn -B -q package -DskipTests)"
  mvn -B -q package -DskipTests
fi
# The bundles are signed with the build's development key (docs/bundles.md#signing); the nodes
# trust it (child node JVMs inherit this).
export MOLT_TRUSTED_KEYS="${MOLT_TRUSTED_KEYS:-$root/target/molt-dev-key/molt-signing.pub}"
exec java -Xms2g -Xmx2g -XX:+UseParallelGC -Dlogback.configurationFile="$root/bench/logback-bench.xml" \
  -cp "bench/target/lib/*" dev.molt.bench.Bench --bundles node/target/test-bundles --out bench/results "$@"
