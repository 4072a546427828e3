#!/usr/bin/env bash
# Replay benchmark of the read models (ADR 9): how fast a rebuild folds the whole journal into a new
# generation. On a fresh PostgreSQL database: one node, a journal of BENCH_REPLAY_EVENTS
# ReadingsRecorded events (JSON-array batches over many sensors, one reading per sensor per request,
# so one event per reading; every 20th sensor has thresholds, so alerts are raised and cleared), wait
# until the read models are caught up, then rebuild each read model in turn and time it until
# read_model_generations shows the new generation swapped in. Prints one table. See docs/bench/replay.md.
#
#   bench/replay.sh                      # 200,000 events over 2,000 sensors
#   bench/replay.sh --events 50000       # smaller journal
#   bench/replay.sh --models readings,alerts
#   bench/replay.sh --build              # rebuild the jars even if present
#
# Environment (all optional):
#   BENCH_PG_HOST/PORT/USER/PASSWORD  PostgreSQL (127.0.0.1 / 5432 / postgres / empty)
#   BENCH_HEAP=1g  node heap           BENCH_OUT=DIR  results (default bench/results/replay-<UTC time>)
#   BENCH_REPLAY_SENSORS=2000  BENCH_REPLAY_PER_REQUEST=500  BENCH_REPLAY_CONNECTIONS=4
#   BENCH_KEEP_DB=1  do not drop the database at the end
#   Any SENSORS_* variable is passed to the node (e.g. SENSORS_PROJECTION_GROUP_SIZE=1000).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

EVENTS=200000; MODELS="sensor_latest,readings,rollups,alerts"; BUILD=0
while [ $# -gt 0 ]; do
  case "$1" in
    --events) EVENTS="$2"; shift ;;
    --models) MODELS="$2"; shift ;;
    --build) BUILD=1 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

PG_HOST="${BENCH_PG_HOST:-127.0.0.1}"; PG_PORT="${BENCH_PG_PORT:-5432}"
PG_USER="${BENCH_PG_USER:-postgres}"; export PGPASSWORD="${BENCH_PG_PASSWORD:-}"
HEAP="${BENCH_HEAP:-1g}"
SENSORS="${BENCH_REPLAY_SENSORS:-2000}"; PER_REQUEST="${BENCH_REPLAY_PER_REQUEST:-500}"
CONNECTIONS="${BENCH_REPLAY_CONNECTIONS:-4}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="${BENCH_OUT:-$ROOT/bench/results/replay-$STAMP}"
mkdir -p "$OUT"
DB="replay_$(date -u +%Y%m%d_%H%M%S)_$$"
NODE_JAR="$ROOT/cluster-node/target/sensor-node.jar"
LOADGEN_JAR="$ROOT/load-generator/target/load-generator.jar"
PROBE=(java -Xmx256m -XX:+UseSerialGC -cp "$LOADGEN_JAR" org.sensorcluster.loadgen.ReplayProbe)

log() { printf '[replay %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
psql_admin() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -Atqc "$1"; }
psql_db() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB" -v ON_ERROR_STOP=1 -Atqc "$1"; }

NODE_PID=""; DB_CREATED=0
cleanup() {
  local rc=$?
  set +e
  if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then
    log "stopping node (pid $NODE_PID)"
    kill -TERM "$NODE_PID"
    for _ in $(seq 1 60); do kill -0 "$NODE_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$NODE_PID" 2>/dev/null && kill -KILL "$NODE_PID"
    wait "$NODE_PID" 2>/dev/null
  fi
  if [ "$DB_CREATED" = 1 ] && [ "${BENCH_KEEP_DB:-0}" != 1 ]; then
    log "dropping database $DB"
    psql_admin "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 40000 ))
    ss -Htln "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
  done
}

if [ "$BUILD" = 1 ] || [ ! -f "$NODE_JAR" ] || [ ! -f "$LOADGEN_JAR" ]; then
  log "building jars (mvn -B -q package -DskipTests)"
  mvn -B -q package -DskipTests
fi

{
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?') $(git diff --quiet 2>/dev/null || echo '(dirty)')"
  echo "cpus: $(nproc); memory: $(free -g | awk '/^Mem:/{print $2}') GiB; kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "postgresql: $(psql_admin 'SHOW server_version'); fsync=$(psql_admin 'SHOW fsync')" \
       "synchronous_commit=$(psql_admin 'SHOW synchronous_commit') shared_buffers=$(psql_admin 'SHOW shared_buffers')" \
       "autovacuum=$(psql_admin 'SHOW autovacuum')"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "journal: $EVENTS readings over $SENSORS sensors, $PER_REQUEST per request, $CONNECTIONS connections; node heap $HEAP"
  echo "node settings: group-size ${SENSORS_PROJECTION_GROUP_SIZE:-500}, group-within ${SENSORS_PROJECTION_GROUP_WITHIN:-200ms}, tags ${SENSORS_TAG_COUNT:-8}"
} | tee "$OUT/machine.txt" >&2

psql_admin "CREATE DATABASE $DB" >/dev/null
DB_CREATED=1
JDBC="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB"

HTTP_PORT=$(free_port); MGMT_PORT=$(free_port); ARTERY_PORT=$(free_port)
log "starting node on $DB: http $HTTP_PORT, management $MGMT_PORT, artery $ARTERY_PORT"
SENSORS_DB_URL="$JDBC" SENSORS_DB_USER="$PG_USER" SENSORS_DB_PASSWORD="$PGPASSWORD" \
SENSORS_HTTP_HOST=127.0.0.1 SENSORS_HTTP_PORT="$HTTP_PORT" SENSORS_MANAGEMENT_PORT="$MGMT_PORT" \
SENSORS_REMOTE_HOST=127.0.0.1 SENSORS_REMOTE_PORT="$ARTERY_PORT" SENSORS_LOG_LEVEL="${SENSORS_LOG_LEVEL:-WARN}" \
  java "-Xmx$HEAP" -jar "$NODE_JAR" > "$OUT/node.log" 2>&1 &
NODE_PID=$!
for _ in $(seq 1 900); do
  kill -0 "$NODE_PID" 2>/dev/null || { log "node exited during start:"; tail -30 "$OUT/node.log" >&2; exit 1; }
  if curl -fs -o /dev/null "http://127.0.0.1:$MGMT_PORT/ready"; then break; fi
  sleep 0.1
done
curl -fs -o /dev/null "http://127.0.0.1:$MGMT_PORT/ready" || { log "node not ready after 90 s"; exit 1; }
URL="http://127.0.0.1:$HTTP_PORT"

log "filling the journal: $EVENTS readings"
"${PROBE[@]}" fill --url "$URL" --events "$EVENTS" --sensors "$SENSORS" --per-request "$PER_REQUEST" \
  --connections "$CONNECTIONS" | tee "$OUT/fill.json" >&2
log "journal: $(psql_db 'SELECT count(*) FROM event_journal') events; waiting for the read models, then rebuilding $MODELS"
"${PROBE[@]}" rebuild --url "$URL" --jdbc "$JDBC" --user "$PG_USER" --password "$PGPASSWORD" --models "$MODELS" \
  --json-out "$OUT/results.jsonl" > "$OUT/rebuild.txt"

echo
cat "$OUT/machine.txt"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "fill: $(cat "$OUT/fill.json")"
grep -v '^{' "$OUT/rebuild.txt" | tee "$OUT/table.md"
echo
echo "raw results: $OUT (results.jsonl, fill.json, node.log)"
