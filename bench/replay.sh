#!/usr/bin/env bash
# Replay benchmark of the read models (ADR 9): how fast a rebuild folds the whole journal into a new
# generation. On a fresh PostgreSQL database: one node, a journal of BENCH_REPLAY_EVENTS
# ReadingsRecorded events (JSON-array batches over many sensors, one reading per sensor per request,
# so one event per reading; every 20th sensor has thresholds, so alerts are raised and cleared), wait
# until the read models are caught up, then rebuild each read model in turn and time it until
# read_model_generations shows the new generation swapped in, then all of them at once (one row
# "all-together": with the shared reader one pass over the journal). Prints one table. See docs/bench/replay.md.
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

EVENTS=200000; MODELS=""; BUILD=0   # MODELS empty: every read model (the node jar lists them)
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

SENSORS="${BENCH_REPLAY_SENSORS:-2000}"; PER_REQUEST="${BENCH_REPLAY_PER_REQUEST:-500}"
CONNECTIONS="${BENCH_REPLAY_CONNECTIONS:-4}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="${BENCH_OUT:-$ROOT/bench/results/replay-$STAMP}"
mkdir -p "$OUT"
BENCH_NAME=replay
source "$ROOT/bench/lib.sh"
PROBE=(java -Xmx256m -XX:+UseSerialGC -cp "$LOADGEN_JAR" org.sensorcluster.loadgen.ReplayProbe)

build_jars "$BUILD"
[ -n "$MODELS" ] || MODELS=$(java -jar "$NODE_JAR" read-models | paste -sd, -)

{
  describe_machine
  echo "journal: $EVENTS readings over $SENSORS sensors, $PER_REQUEST per request, $CONNECTIONS connections; node heap $HEAP"
  echo "node settings: group-size ${SENSORS_PROJECTION_GROUP_SIZE:-500}, group-within ${SENSORS_PROJECTION_GROUP_WITHIN:-200ms}, tags ${SENSORS_TAG_COUNT:-8}"
} | tee "$OUT/machine.txt" >&2

create_database replay
start_node "$OUT/node.log"
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
