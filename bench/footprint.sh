#!/usr/bin/env bash
# Memory and start-up figures of one node on PostgreSQL (issue 5, targets 5 and 6):
#   - time from process start to Pekko Management /ready          (target: <= 5 s)
#   - heap per active sensor with 100,000 sensors in memory, -Xmx1g (target: fits in 1 GiB)
#   - recovery time of a sensor with 10,000 events                 (target: <= 50 ms)
#   - heap after GC while 1,000,000 distinct sensors come and go (passivation), which must not grow
#
#   bench/footprint.sh            # full run (the churn phase dominates: ~1M sensors at BENCH_CHURN_RATE/s)
#   bench/footprint.sh --quick    # 20,000 active, 2,000 events, 100,000 churned
#
# Environment: BENCH_PG_HOST/PORT/USER/PASSWORD, BENCH_ACTIVE_SENSORS (100000), BENCH_RECOVERY_EVENTS (10000),
# BENCH_CHURN_SENSORS (1000000), BENCH_CHURN_RATE (2000 sensors/s), BENCH_HEAP (1g).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
PG_HOST="${BENCH_PG_HOST:-127.0.0.1}"; PG_PORT="${BENCH_PG_PORT:-5432}"
PG_USER="${BENCH_PG_USER:-postgres}"; export PGPASSWORD="${BENCH_PG_PASSWORD:-}"
HEAP="${BENCH_HEAP:-1g}"
if [ "$QUICK" = 1 ]; then
  ACTIVE="${BENCH_ACTIVE_SENSORS:-20000}"; EVENTS="${BENCH_RECOVERY_EVENTS:-2000}"; CHURN="${BENCH_CHURN_SENSORS:-100000}"
else
  ACTIVE="${BENCH_ACTIVE_SENSORS:-100000}"; EVENTS="${BENCH_RECOVERY_EVENTS:-10000}"; CHURN="${BENCH_CHURN_SENSORS:-1000000}"
fi
CHURN_RATE="${BENCH_CHURN_RATE:-2000}"
NODE_JAR="$ROOT/cluster-node/target/sensor-node.jar"
LOADGEN_JAR="$ROOT/load-generator/target/load-generator.jar"
if [ ! -f "$NODE_JAR" ] || [ ! -f "$LOADGEN_JAR" ]; then
  mvn -B -q package -DskipTests
fi
# The node starts with the class-data-sharing archive the Docker image uses (docker/cds-archive.sh),
# written here when missing or older than the jar; the ready time without it is measured too.
NODE_CDS="$ROOT/cluster-node/target/sensor-node.jsa"
sh "$ROOT/docker/cds-archive.sh" --if-stale "$NODE_JAR" "$NODE_CDS"
CDS_FLAG="-XX:SharedArchiveFile=$NODE_CDS"
DB="footprint_$(date -u +%Y%m%d_%H%M%S)_$$"
OUT="$(mktemp -d)"
HTTP_PORT=18181; MGMT_PORT=18558; REMOTE_PORT=25621
NODE_PID=""
# Authentication stays on: the run's own admin token, given to the node (SENSORS_ADMIN_TOKEN) and to
# the probe through the environment (SENSORS_TOKEN, so it is on no command line); it is only valid on
# the run's fresh database, which is dropped at the end.
BENCH_TOKEN="bench-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
export SENSORS_TOKEN="$BENCH_TOKEN"

cleanup() {
  if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true; fi
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $DB" >/dev/null

# start_node <passivate-after> <log>: starts the node, waits for /ready, sets READY_MS
start_node() {
  local t0 t1
  t0=$(date +%s%N)
  SENSORS_DB_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB" SENSORS_DB_USER="$PG_USER" SENSORS_DB_PASSWORD="$PGPASSWORD" \
  SENSORS_HTTP_PORT=$HTTP_PORT SENSORS_MANAGEMENT_PORT=$MGMT_PORT SENSORS_REMOTE_PORT=$REMOTE_PORT \
  SENSORS_PASSIVATE_AFTER="$1" SENSORS_METRICS_POLL_INTERVAL=1s SENSORS_ADMIN_TOKEN="$BENCH_TOKEN" \
    java "-Xmx$HEAP" "-Xms$HEAP" $CDS_FLAG -jar "$NODE_JAR" > "$2" 2>&1 &
  NODE_PID=$!
  until curl -sf "http://127.0.0.1:$MGMT_PORT/ready" >/dev/null 2>&1; do
    kill -0 "$NODE_PID" 2>/dev/null || { echo "node died; log: $2" >&2; tail -20 "$2" >&2; exit 1; }
    sleep 0.05
  done
  t1=$(date +%s%N)
  READY_MS=$(( (t1 - t0) / 1000000 ))
}

stop_node() {
  kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true; NODE_PID=""
}

probe() {
  java -cp "$LOADGEN_JAR" org.sensorcluster.loadgen.FootprintProbe "$@" --url "http://127.0.0.1:$HTTP_PORT" --pid "$NODE_PID"
}

echo "== node 1 (passivation off for the run): ready time, $ACTIVE active sensors"
start_node 30m "$OUT/node1.log"; READY1=$READY_MS
probe active --sensors "$ACTIVE" | tee "$OUT/active.json"
stop_node

echo "== node 2 (passivate after 5 s, restarted on a journal that already holds $ACTIVE sensors): ready time, recovery, churn"
start_node 5s "$OUT/node2.log"; READY2=$READY_MS
probe recovery --events "$EVENTS" --passivate-wait 12 | tee "$OUT/recovery.json"
probe churn --sensors "$CHURN" --rate "$CHURN_RATE" --sample 20 | tee "$OUT/churn.json"
stop_node

echo "== node 3 (the same journal, without the CDS archive): ready time"
CDS_FLAG=""
start_node 5s "$OUT/node3.log"; READY3=$READY_MS
stop_node

field() { grep "\"figure\":\"$1\"" "$OUT/$2" | tail -1 | sed -E "s/.*\"$3\":([-0-9.]+).*/\1/"; }
echo
echo "| figure | measured | target |"
echo "|---|---|---|"
echo "| node ready after start (empty journal) | ${READY1} ms | <= 5000 ms |"
echo "| node ready after start (journal with $ACTIVE sensors) | ${READY2} ms | <= 5000 ms |"
echo "| node ready after start (journal with $ACTIVE sensors, without the CDS archive) | ${READY3} ms | (for comparison) |"
echo "| heap per active sensor ($ACTIVE in memory, -Xmx$HEAP) | $(field active-sensors active.json bytesPerActiveSensor) bytes | 100,000 within 1 GiB (<= ~10,000 bytes) |"
echo "| recovery of a sensor with $(field recovery recovery.json events) events | $(field recovery recovery.json recoveryMillis) ms | <= 50 ms |"
echo "| heap growth over $CHURN distinct sensors with passivation | $(field churn churn.json growthPercent) % | no growth |"
echo "(raw figures in $OUT)"
