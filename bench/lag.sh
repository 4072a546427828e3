#!/usr/bin/env bash
# Projection lag under sustained ingestion: a fresh PostgreSQL database, one node, an open-loop
# batch load at a fixed reading rate; every second the node's /api/v1/admin/projections is sampled
# (lag in ms and events of every read model), then, once the load stops, how long the read models
# take to catch up. Prints one line per read model.
#
#   bench/lag.sh [--reading-rate 20000] [--duration 60] [--sensors 10000] [--batch 500] [--connections 8]
#                [--warmup 20]   (seconds of load before measuring: the sensors are recovered then)
#
# Environment: BENCH_PG_HOST/PORT/USER/PASSWORD (default 127.0.0.1:5432 postgres), BENCH_HEAP (1g).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RATE=20000; DURATION=60; SENSORS=10000; BATCH=500; CONNS=8; WARMUP=20
while [ $# -gt 0 ]; do
  case "$1" in
    --reading-rate) RATE="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --sensors) SENSORS="$2"; shift ;;
    --batch) BATCH="$2"; shift ;;
    --connections) CONNS="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

OUT="$ROOT/bench/results/lag-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
BENCH_NAME=lag
source "$ROOT/bench/lib.sh"
build_jars

create_database bench_lag
start_node "$OUT/node.log" SENSORS_PROJECTION_PROGRESS_INTERVAL=1s

# one JSON line per second: {"t": epoch_ms, "projections": [...]}
sample() {
  while :; do
    printf '{"t":%s,"s":%s}\n' "$(date +%s%3N)" \
      "$(curl_api -fs "http://127.0.0.1:$HTTP_PORT/api/v1/admin/projections" || echo null)"
    sleep 1
  done
}
sample > "$OUT/samples.jsonl" &
SAMPLER_PID=$!

log "load: $RATE readings/s for ${DURATION}s, $SENSORS sensors, $BATCH readings per request, $CONNS connections"
LOAD_START=$(date +%s%3N)
java -Xmx256m -XX:+UseSerialGC -jar "$LOADGEN_JAR" load --url "http://127.0.0.1:$HTTP_PORT" --mode array \
  --sensors "$SENSORS" --readings-per-request "$BATCH" --connections "$CONNS" --reading-rate "$RATE" \
  --warmup "${WARMUP}s" --duration "${DURATION}s" | tee "$OUT/load.txt" >&2
LOAD_END=$(date +%s%3N)

# catch-up: until every read model reports 0 events behind (measured every second)
for _ in $(seq 1 120); do
  behind=$(curl_api -fs "http://127.0.0.1:$HTTP_PORT/api/v1/admin/projections" \
    | python3 -c 'import json,sys; print(sum(p["lagEvents"] for p in json.load(sys.stdin)["projections"]))')
  [ "$behind" = 0 ] && break
  sleep 0.5
done
CAUGHT=$(date +%s%3N)
sleep 1.2
kill "$SAMPLER_PID"; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""

# the read models, as the node's registry lists them
MODELS=$(java -jar "$NODE_JAR" read-models | paste -sd, -)
python3 - "$OUT/samples.jsonl" "$LOAD_START" "$LOAD_END" "$CAUGHT" "$WARMUP" "$MODELS" <<'PY' | tee "$OUT/lag.txt"
import json, sys
path, start, end, caught, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
model_names = sys.argv[6].split(",")
per = {}
for line in open(path):
    d = json.loads(line)
    if not d["s"] or not (start + warmup * 1000 <= d["t"] <= end):   # after the warm-up, while loaded
        continue
    models = {}
    for p in d["s"]["projections"]:
        m = models.setdefault(p["name"], [0, 0])
        m[0] = max(m[0], p["lagMillis"]); m[1] += p["lagEvents"]
    for name, (ms, ev) in models.items():
        per.setdefault(name, []).append((ms, ev))
def pct(xs, q):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else 0
print("%-14s %8s %10s %10s %10s %12s" % ("read model", "samples", "p50 ms", "p99 ms", "max ms", "max events"))
for name in model_names:
    xs = per.get(name, [])
    ms = [x[0] for x in xs]; ev = [x[1] for x in xs]
    print("%-14s %8d %10d %10d %10d %12d" % (name, len(xs), pct(ms, .5), pct(ms, .99), max(ms or [0]), max(ev or [0])))
print("caught up %.1f s after the load stopped (lag events are counted up to 10,000 per tag)" % ((caught - end) / 1000))
PY
