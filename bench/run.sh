#!/usr/bin/env bash
# One command for the ingest benchmark (issue 5): on a fresh PostgreSQL database, the ceiling probe,
# then one node on that database under each load shape (open-loop load generator), then ONE table:
# acknowledged readings/s, ratio to the ceiling, ack latency p50/p99/p99.9/max, status counts,
# projection lag at the end, peak heap. See docs/benchmarks.md.
#
#   bench/run.sh                 # the real run: 30 s probe, per shape prime + 60 s warm-up + 60 s (~9 min)
#   bench/run.sh --quick         # smoke test: short durations (~5 min)
#   bench/run.sh --find-max      # also: maximum sustainable batch rate, then a run at half of it (~16 min)
#   bench/run.sh --shapes batch,single   # a subset (batch, single, ndjson)
#   bench/run.sh --build         # rebuild the jars even if present
#   bench/run.sh --targets       # issue 15's whole target table in one run (~40 min): the shapes,
#                                # find-max and half-max, then a cold node restarted on that journal
#                                # (measured from /ready, no warm-up), one 10,000-item batch over 5,000
#                                # new sensors to the idle node, and the replay benchmark (bench/replay.sh)
#
# Environment (all optional):
#   BENCH_PG_HOST/PORT/USER/PASSWORD  PostgreSQL (127.0.0.1 / 5432 / postgres / empty)
#   BENCH_HEAP=1g             node heap (-Xmx)          BENCH_JFR=1   record a JFR profile of the node
#   BENCH_OUT=DIR             where results go (default bench/results/<UTC time>)
#   BENCH_BATCH_RATE          offered readings/s for batch and ndjson (default: 50% of the ceiling = target 1)
#   BENCH_SINGLE_RATE         offered readings/s for single POSTs (default 10000 = target 2)
#   BENCH_BATCH_CONNECTIONS=32  BENCH_SINGLE_CONNECTIONS=64  BENCH_SENSORS=10000  BENCH_BATCH_SIZE=500
#   BENCH_FINDMAX_START=1000  (readings/s)   BENCH_FINDMAX_P99_MS=500   BENCH_CATCHUP_LIMIT (s)
#   BENCH_KEEP_DB=1           do not drop the database at the end
#   BENCH_WARM_SECONDS=60 (quick 15, 0 = none)  BENCH_WARM_BATCH_RATE=3000  BENCH_WARM_SINGLE_RATE=1000
# Each shape runs on a node process of its own (same database), started and then primed: every
# sensor receives one reading at 1 request/s (cold sensors); that is the "prime-<shape>" row. Then
# the JIT warm-up: the shape's request kind at a moderate rate for 60 s (the "warm-<shape>" row).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

QUICK=0; FIND_MAX=0; BUILD=0; SHAPES="batch,single,ndjson"; TARGETS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --find-max) FIND_MAX=1 ;;
    --build) BUILD=1 ;;
    --targets) TARGETS=1; FIND_MAX=1; SHAPES="batch,single" ;;
    --shapes) SHAPES="$2"; shift ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

SENSORS="${BENCH_SENSORS:-10000}"; BATCH_SIZE="${BENCH_BATCH_SIZE:-500}"
BATCH_CONNS="${BENCH_BATCH_CONNECTIONS:-32}"; SINGLE_CONNS="${BENCH_SINGLE_CONNECTIONS:-64}"
WARM_BATCH_RATE="${BENCH_WARM_BATCH_RATE:-3000}"; WARM_SINGLE_RATE="${BENCH_WARM_SINGLE_RATE:-1000}"
if [ "$QUICK" = 1 ]; then
  PROBE_ARGS=(--warmup 2 --duration 10); WARMUP=3; DURATION=10
  STEP_WARMUP=2; STEP_DURATION=8; CATCHUP_LIMIT="${BENCH_CATCHUP_LIMIT:-20}"; WARM_SECONDS="${BENCH_WARM_SECONDS:-15}"
else
  PROBE_ARGS=(--warmup 5 --duration 30); WARMUP=10; DURATION=60
  STEP_WARMUP=3; STEP_DURATION=15; CATCHUP_LIMIT="${BENCH_CATCHUP_LIMIT:-60}"; WARM_SECONDS="${BENCH_WARM_SECONDS:-60}"
fi
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="${BENCH_OUT:-$ROOT/bench/results/$STAMP}"
mkdir -p "$OUT"
RESULTS="$OUT/results.jsonl"; : > "$RESULTS"
BENCH_NAME=bench
source "$ROOT/bench/lib.sh"
LOADGEN=(java -Xmx256m -XX:+UseSerialGC -jar "$LOADGEN_JAR")

# --- build ------------------------------------------------------------------------------------
build_jars "$BUILD"

# --- machine ----------------------------------------------------------------------------------
{
  describe_machine
  echo "mode: $([ "$QUICK" = 1 ] && echo quick || echo full); shapes: $SHAPES; find-max: $FIND_MAX; node heap: $HEAP"
} | tee "$OUT/machine.txt" >&2

# --- fresh database, ceiling probe --------------------------------------------------------------
create_database bench
log "ceiling probe on $DB"
"${LOADGEN[@]}" probe --url "$JDBC" --user "$PG_USER" --password "$PGPASSWORD" "${PROBE_ARGS[@]}" | tee "$OUT/probe.txt" >&2
CEILING=$(sed -n 's/^ceiling: \([0-9]*\) events\/s.*/\1/p' "$OUT/probe.txt")
[ -n "$CEILING" ] || { log "no ceiling figure in the probe output"; exit 1; }
printf '{"type":"ceiling","events_per_s":%s}\n' "$CEILING" >> "$RESULTS"

# --- node -----------------------------------------------------------------------------------
# Every shape gets a node process of its own (same database, so the journal keeps growing): an
# overloaded shape must not leave its queues, open breakers and backlog to the next one.
NODE_COUNT=0
start_shape_node() { # $1: name for the log file; start_node (lib.sh) plus JFR and the ready time
  local start ready
  NODE_JAVA_OPTS=""
  if [ "${BENCH_JFR:-0}" = 1 ]; then
    NODE_JAVA_OPTS="-XX:StartFlightRecording=filename=$OUT/node-$1.jfr,settings=profile,dumponexit=true"
  fi
  NODE_COUNT=$(( NODE_COUNT + 1 ))
  start=$(date +%s.%N)
  start_node "$OUT/node-$1.log"
  ready=$(echo "$(date +%s.%N) - $start" | bc)
  READY_TIMES="${READY_TIMES:+$READY_TIMES, }$(printf '%.1f' "$ready")"
  log "node ready after ${ready} s (process start to /ready 200)"
  printf '{"type":"node","label":"%s","ready_s":%.2f}\n' "$1" "$ready" >> "$RESULTS"
}

# --- measurements around a shape ----------------------------------------------------------------
TAG_COUNT="${SENSORS_TAG_COUNT:-8}"
# Events in event_tag beyond each projection's committed offset, summed over tags and projections.
LAG_SQL="WITH tags AS (SELECT 'sensor-' || g AS tag FROM generate_series(0, $TAG_COUNT - 1) g),
  names AS (SELECT model || '-g' || active_gen AS name FROM read_model_generations)
SELECT coalesce(sum((SELECT count(*) FROM event_tag e WHERE e.tag = t.tag AND e.event_id >
  coalesce((SELECT o.current_offset::bigint FROM pekko_projection_offset_store o
            WHERE o.projection_name = n.name AND o.projection_key = t.tag), 0))), 0)
FROM tags t CROSS JOIN names n"

start_sampler() { # $1 label: jstat every second, heap used = S0U+S1U+EU+OU (KiB)
  jstat -gc "$NODE_PID" 1000 > "$OUT/jstat-$1.txt" 2>/dev/null &
  SAMPLER_PID=$!
}
stop_sampler() {
  kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
}
heap_peaks() { # prints "used_mb old_mb" peaks of a jstat file
  awk 'NR==1{for(i=1;i<=NF;i++)c[$i]=i; next}
       $1 ~ /^[0-9.]+$/ {u=$c["S0U"]+$c["S1U"]+$c["EU"]+$c["OU"]; if(u>mu)mu=u; if($c["OU"]>mo)mo=$c["OU"]}
       END{printf "%.0f %.0f\n", mu/1024, mo/1024}' "$1"
}

after_shape() { # $1 label: projection catch-up after the load stopped, heap peaks
  local label=$1 lag0 lag t0 now caught="null" head
  t0=$(date +%s.%N)
  lag0=$(psql_db "$LAG_SQL")
  lag=$lag0
  while :; do
    now=$(date +%s.%N)
    if [ "$lag" = 0 ]; then caught=$(echo "$now - $t0" | bc); break; fi
    if [ "$(echo "$now - $t0 > $CATCHUP_LIMIT" | bc)" = 1 ]; then break; fi
    sleep 0.2
    lag=$(psql_db "$LAG_SQL")
  done
  stop_sampler
  head=$(psql_db "SELECT coalesce(max(ordering), 0) FROM event_journal")
  read -r used old < <(heap_peaks "$OUT/jstat-$label.txt")
  printf '{"type":"after","label":"%s","lag_events_at_end":%s,"catch_up_s":%s,"catch_up_limit_s":%s,"lag_events_left":%s,"journal_head":%s,"heap_peak_mb":%s,"old_peak_mb":%s}\n' \
    "$label" "$lag0" "$( [ "$caught" = null ] && echo null || printf '%.2f' "$caught")" "$CATCHUP_LIMIT" "$lag" "$head" "$used" "$old" >> "$RESULTS"
  log "$label: projection lag at end $lag0 events, caught up after ${caught} s; heap peak ${used} MB (old gen ${old} MB)"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$NODE_PID/stat"; }

run_load() { # $1 label, rest: generator flags; also the node's CPU seconds over the whole run
  local label=$1 t0 t1; shift
  log "shape $label: $*"
  start_sampler "$label"
  t0=$(cpu_ticks)
  "${LOADGEN[@]}" load --url "http://127.0.0.1:$HTTP_PORT" --label "$label" --json-out "$RESULTS" "$@" \
    | tee -a "$OUT/load.txt" | grep -v '^{' >&2 || log "load generator failed for $label (see $OUT/load.txt)"
  t1=$(cpu_ticks)
  printf '{"type":"cpu","label":"%s","cpu_s":%s}\n' "$label" "$(echo "($t1 - $t0) / $(getconf CLK_TCK)" | bc -l)" >> "$RESULTS"
  after_shape "$label"
}

# Prime: after each node start, every sensor gets one reading (1 request of BATCH_SIZE readings per
# second), so that the shape measures sustained ingestion, not the recovery of 10,000 sensors that
# were never seen (first node) or are not in memory yet (later nodes). Shown as a row of its own.
PRIME_SECONDS=$(( (SENSORS + BATCH_SIZE - 1) / BATCH_SIZE ))
# Warm-up: then the shape's own request kind at a moderate rate for WARM_SECONDS, so that the JIT
# has compiled the hot path before the measured window (a fresh JVM needs 30-60 s on these two
# cores, which it shares with PostgreSQL: measured 131 -> 297 -> 925 acknowledged/s in consecutive
# 15 s windows). Shown as the "warm-<shape>" row; 503s there are expected and not counted against
# the shape.
fresh_primed_node() { # $1: the shape it is for, $2: its mode (array, ndjson, single)
  local mode=$2 per_request=$BATCH_SIZE rate=$WARM_BATCH_RATE conns=$BATCH_CONNS
  stop_node
  start_shape_node "$1"
  run_load "prime-$1" --mode array --sensors "$SENSORS" --readings-per-request "$BATCH_SIZE" --connections 8 \
    --rate 1 --warmup 0 --duration "$PRIME_SECONDS" --sensor-prefix bench-
  if [ "$WARM_SECONDS" -gt 0 ]; then
    if [ "$mode" = single ]; then per_request=1; rate=$WARM_SINGLE_RATE; conns=$SINGLE_CONNS; fi
    run_load "warm-$1" --mode "$mode" --sensors "$SENSORS" --readings-per-request "$per_request" \
      --connections "$conns" --reading-rate "$rate" --warmup 0 --duration "$WARM_SECONDS" --sensor-prefix bench-
  fi
}

BATCH_RATE="${BENCH_BATCH_RATE:-$(( CEILING / 2 ))}"
SINGLE_RATE="${BENCH_SINGLE_RATE:-10000}"
IFS=',' read -r -a SHAPE_LIST <<< "$SHAPES"
for shape in "${SHAPE_LIST[@]}"; do
  case "$shape" in
    batch)  fresh_primed_node batch array
            run_load batch --mode array --sensors "$SENSORS" --readings-per-request "$BATCH_SIZE" \
              --connections "$BATCH_CONNS" --reading-rate "$BATCH_RATE" --warmup "$WARMUP" --duration "$DURATION" \
              --sensor-prefix bench- ;;
    single) fresh_primed_node single single
            run_load single --mode single --sensors "$SENSORS" --readings-per-request 1 \
              --connections "$SINGLE_CONNS" --reading-rate "$SINGLE_RATE" --warmup "$WARMUP" --duration "$DURATION" \
              --sensor-prefix bench- ;;
    ndjson) fresh_primed_node ndjson ndjson
            run_load ndjson --mode ndjson --sensors "$SENSORS" --readings-per-request "$BATCH_SIZE" \
              --connections "$BATCH_CONNS" --reading-rate "${BENCH_NDJSON_RATE:-$BATCH_RATE}" --warmup "$WARMUP" \
              --duration "$DURATION" --sensor-prefix bench- ;;
    *) log "unknown shape $shape (batch, single, ndjson)"; exit 2 ;;
  esac
done

if [ "$FIND_MAX" = 1 ]; then
  fresh_primed_node max array
  log "find-max: batch shape, stepping the arrival rate from ${BENCH_FINDMAX_START:-1000} readings/s"
  start_sampler max
  "${LOADGEN[@]}" load --url "http://127.0.0.1:$HTTP_PORT" --label max --json-out "$RESULTS" --find-max \
    --mode array --sensors "$SENSORS" --readings-per-request "$BATCH_SIZE" --connections "$BATCH_CONNS" \
    --start-reading-rate "${BENCH_FINDMAX_START:-1000}" --max-p99 "${BENCH_FINDMAX_P99_MS:-500}" \
    --warmup "$STEP_WARMUP" --duration "$STEP_DURATION" --sensor-prefix bench- \
    | tee -a "$OUT/load.txt" | grep -v '^{' >&2 || log "find-max failed (see $OUT/load.txt)"
  after_shape max
  MAX=$(grep '"type":"find-max"' "$RESULTS" | tail -1 | sed -n 's/.*"max_readings_per_s":\([0-9.]*\).*/\1/p')
  if [ -n "$MAX" ]; then
    HALF=$(echo "$MAX / 2" | bc -l)
    fresh_primed_node half-max array
    run_load half-max --mode array --sensors "$SENSORS" --readings-per-request "$BATCH_SIZE" \
      --connections "$BATCH_CONNS" --reading-rate "$HALF" --warmup "$WARMUP" --duration "$DURATION" --sensor-prefix bench-
  else
    log "find-max found no sustainable rate; no half-max run"
  fi
fi
if [ "$TARGETS" = 1 ]; then
  # Cold node: restarted on the journal the run left behind (10,000 sensors), measured from /ready
  # with no warm-up at the batch shape's acknowledged rate.
  WARM_RATE=$(grep '"label":"batch"' "$RESULTS" | grep '"type":"load"' | tail -1 | sed -n 's/.*"acked_readings_per_s":\([0-9.]*\).*/\1/p')
  stop_node
  start_shape_node cold
  run_load cold --mode array --sensors "$SENSORS" --readings-per-request "$BATCH_SIZE" --connections "$BATCH_CONNS" \
    --reading-rate "${WARM_RATE:-1000}" --warmup 0 --duration 30 --sensor-prefix bench-
  # One 10,000-item batch over 5,000 sensors never seen before, to the now idle node.
  sleep 10
  python3 -c 'import json; print(json.dumps([{"sensorId": "big-%d" % (i % 5000), "readingId": "r%d" % i, "value": i % 100} for i in range(10000)]))' > "$OUT/big-batch.json"
  log "one 10,000-item batch over 5,000 new sensors to the idle node"
  BIG=$(curl_api -s -o "$OUT/big-batch-reply.json" -w '%{http_code} %{time_total}' -H 'Content-Type: application/json' \
    --data-binary @"$OUT/big-batch.json" "http://127.0.0.1:$HTTP_PORT/api/v1/readings" || echo "000 0")
  printf '{"type":"big-batch","status":%s,"seconds":%s}\n' "${BIG% *}" "${BIG#* }" >> "$RESULTS"
  log "big batch: HTTP ${BIG% *} after ${BIG#* } s"
fi
stop_node
if [ "$TARGETS" = 1 ]; then
  BENCH_OUT="$OUT/replay" "$ROOT/bench/replay.sh" --events "${BENCH_REPLAY_EVENTS:-100000}" > "$OUT/replay.txt" 2>&1 \
    || log "replay benchmark failed (see $OUT/replay.txt)"
fi

# --- the table --------------------------------------------------------------------------------
echo
cat "$OUT/machine.txt"
echo "node ready after (s, one per node start): ${READY_TIMES:-}"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg) (anything well above 2 on 2 cores means other work competed)"
echo
"${LOADGEN[@]}" report "$RESULTS" | tee "$OUT/table.md"
if [ "$TARGETS" = 1 ]; then
  echo
  python3 "$ROOT/bench/targets.py" "$RESULTS" "$OUT/replay/results.jsonl" | tee "$OUT/targets.md"
fi
echo
echo "raw results: $OUT (results.jsonl, load.txt, node-*.log$( [ "${BENCH_JFR:-0}" = 1 ] && echo ', node-*.jfr'), jstat-*.txt)"
