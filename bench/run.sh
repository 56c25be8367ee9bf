#!/usr/bin/env bash
# Runs the load generator against the local stack (or --base-url/--token). Builds it if needed.
#   bench/run.sh --workload read-heavy --connections 16 --duration 30s [--markdown docs/benchmarks-archive.md]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Built if missing, and again when a source of the harness changed since (a pull, an edit).
jar=(bench/target/bench-*.jar)
if [[ ! -f bench/target/runtime.classpath || ! -d bench/target/classes || ! -f "${jar[0]}" \
      || -n "$(find bench/src bench/pom.xml -newer "${jar[0]}" -type f -print -quit)" ]]; then
  mvn -B -q -DskipTests -Dspotless.skip=true install -pl bench -am >/dev/null
fi
exec java -Xmx512m -cp "bench/target/classes:$(cat bench/target/runtime.classpath)" \
  io.provisioninghub.bench.Bench "$@"
