#!/usr/bin/env bash
# The ingest benchmark, three processes and an external load generator on one machine:
#   1. BenchBroker: a KRaft broker + the schema registry (its own JVM),
#   2. the ingest API (IngestApiApplication, its own JVM, production settings),
#   3. wrk (POSTs, bench/events.lua) and, in the same run, RawProducerRate (a bare producer, its own JVM).
# Usage: ingest-api/bench/run.sh [runs=3] [seconds=10]
# Extra API JVM options: BENCH_API_OPTS (e.g. a JFR recording); scenarios (name:events-per-request:connections):
# BENCH_SCENARIOS, default "single-64:1:64 single-128:1:128 single-256:1:256 batch100-16:100:16 batch1000-4:1000:4".
# Results: ingest-api/target/bench/results.txt
set -euo pipefail
RUNS=${1:-3}
SECONDS_PER_RUN=${2:-10}
MODULE="$(cd "$(dirname "$0")/.." && pwd)"
cd "$MODULE/.."
source bin/select-jdk.sh
./mvnw -B -q -ntp -o -pl ingest-api test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-test.classpath -Dmdep.includeScope=test
./mvnw -B -q -ntp -o -pl ingest-api dependency:build-classpath \
  -Dmdep.outputFile=target/bench-runtime.classpath -Dmdep.includeScope=runtime
cd "$MODULE"
OUT=target/bench
rm -rf "$OUT" && mkdir -p "$OUT/tmp"
JAVA="$JAVA_HOME/bin/java"
JVM_FLAGS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Djava.io.tmpdir="$OUT/tmp"
  -Dlogback.configurationFile="$MODULE/bench/logback.xml")
TEST_CP="target/test-classes:target/classes:$(cat target/bench-test.classpath)"
API_CP="target/classes:$(cat target/bench-runtime.classpath)"

"$JAVA" "${JVM_FLAGS[@]}" -cp "$TEST_CP" dev.tally.ingest.bench.BenchBroker "$OUT/env" 6 >"$OUT/broker.log" 2>&1 &
BROKER=$!
API=""
cleanup() { [ -n "$API" ] && kill "$API" 2>/dev/null; kill "$BROKER" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
until [ -f "$OUT/env" ]; do kill -0 "$BROKER" || { cat "$OUT/broker.log"; exit 1; }; sleep 0.5; done
set -a; source "$OUT/env"; set +a
export TALLY_INGEST_RATE_LIMIT=0 MICRONAUT_SERVER_PORT=${BENCH_PORT:-18080}
URL="http://127.0.0.1:$MICRONAUT_SERVER_PORT"

# shellcheck disable=SC2086
"$JAVA" "${JVM_FLAGS[@]}" ${BENCH_API_OPTS:-} -cp "$API_CP" dev.tally.ingest.IngestApiApplication >"$OUT/api.log" 2>&1 &
API=$!
until curl -fs "$URL/health/readiness" >/dev/null 2>&1; do kill -0 "$API" || { cat "$OUT/api.log"; exit 1; }; sleep 0.5; done

scenario() { # name batch connections seconds
  BENCH_BATCH=$2 wrk -t2 -c"$3" -d"$4"s --latency -s bench/events.lua "$URL/v1/events" | grep RESULT | sed "s/^RESULT/$1/"
}
echo "warm-up" >&2
scenario warmup 1 128 20 >/dev/null
scenario warmup 100 16 10 >/dev/null
{
  echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# columns: scenario requests/s events/s p50ms p99ms non-2xx socket-errors (raw: records/s)"
  for run in $(seq 1 "$RUNS"); do
    echo "run $run load $(cut -d' ' -f1-3 /proc/loadavg)"
    for s in ${BENCH_SCENARIOS:-single-64:1:64 single-128:1:128 single-256:1:256 batch100-16:100:16 batch1000-4:1000:4}; do
      IFS=: read -r name batch connections <<<"$s"
      scenario "$name" "$batch" "$connections" "$SECONDS_PER_RUN"
    done
    # After the HTTP scenarios: its burst of records would slow the broker for the first of them.
    "$JAVA" "${JVM_FLAGS[@]}" -cp "$TEST_CP" dev.tally.ingest.bench.RawProducerRate 5 | grep RAW
  done
  echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/results.txt"
