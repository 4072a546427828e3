#!/usr/bin/env bash
# Live streams under ingest (issue 16): one node on a fresh PostgreSQL database, restarted for every
# run, alternately without stream clients (A) and with BENCH_STREAMS_CLIENTS stream clients attached
# (B), A B B A ...; every run warms up and then measures the batch shape (JSON arrays of 500 readings
# over 2,000 sensors, open loop, the offered rate of bench/ab.sh's array mode). Prints per run:
# acknowledged readings/s, ack p50/p99, node CPU per acknowledged reading, node heap used after a full
# GC (jcmd GC.run, then GC.heap_info, at the end of the measured window with the clients still
# attached), and for B what the clients got (connected, disconnected by the node, data events per
# client min/max, events delivered per second, delivery latency p50/p99 from the events' recordedAt).
#   bench/streams.sh
# Environment: BENCH_STREAMS_ROUNDS=2 (a round is A B or B A) BENCH_STREAMS_RATE=6000 (offered
#   readings/s) BENCH_STREAMS_CLIENTS=1000 BENCH_STREAMS_PATH=/api/v1/stream (the clients' stream;
#   {i} becomes the client's number, e.g. /api/v1/sensors/st-{i}/stream) BENCH_STREAMS_SECONDS=30
#   BENCH_STREAMS_WARM=15, plus lib.sh's BENCH_PG_* and BENCH_HEAP.
# The stream clients run in one JVM of their own (load-generator.jar streams) on the same machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${BENCH_OUT:-$ROOT/bench/results/streams-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
BENCH_NAME=streams
source "$ROOT/bench/lib.sh"
build_jars 0
ROUNDS="${BENCH_STREAMS_ROUNDS:-2}"; SECONDS_MEASURED="${BENCH_STREAMS_SECONDS:-30}"; WARM="${BENCH_STREAMS_WARM:-15}"
RATE="${BENCH_STREAMS_RATE:-6000}"; CLIENTS="${BENCH_STREAMS_CLIENTS:-1000}"
STREAM_PATH="${BENCH_STREAMS_PATH:-/api/v1/stream}"
PER=500; CONNS=16; SENSORS=2000
LOADGEN=(java -Xmx256m -XX:+UseSerialGC -jar "$LOADGEN_JAR")
RESULTS="$OUT/results.jsonl"; : > "$RESULTS"
STREAMS_PID=""
create_database streams
describe_machine > "$OUT/machine.txt"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$NODE_PID/stat"; }

# Heap used after a full GC, in MiB (the sum of the heap lines of GC.heap_info: G1 has one, Serial two).
heap_after_gc() {
  jcmd "$NODE_PID" GC.run > /dev/null
  jcmd "$NODE_PID" GC.heap_info | awk '/Metaspace|class space/ {next}
    match($0, /used [0-9]+K/) {s += substr($0, RSTART + 5, RLENGTH - 6)} END {printf "%.1f", s / 1024}'
}

stop_streams() {
  if [ -n "$STREAMS_PID" ]; then
    touch "$OUT/stop"
    wait "$STREAMS_PID" || log "stream clients exited with $?"
    STREAMS_PID=""
  fi
}

one_run() { # $1: A (no stream clients) or B, $2: run number
  local kind=$1 n=$2 t0 t1 heap
  start_node "$OUT/node-$n-$kind.log"
  rm -f "$OUT/ready" "$OUT/stop"
  if [ "$kind" = B ]; then
    "${LOADGEN[@]}" streams --url "http://127.0.0.1:$HTTP_PORT" --label "run-$n" --clients "$CLIENTS" \
      --path "$STREAM_PATH" --duration 600 --connect-rate 250 --connect-timeout 60 --json-out "$RESULTS" \
      --ready-file "$OUT/ready" --stop-file "$OUT/stop" > "$OUT/streams-$n.txt" 2>&1 &
    STREAMS_PID=$!
    for _ in $(seq 1 900); do [ -f "$OUT/ready" ] && break; sleep 0.1; done
    [ -f "$OUT/ready" ] || { log "stream clients not connected after 90 s"; exit 1; }
    log "run $n: $CLIENTS stream clients connected"
  fi
  "${LOADGEN[@]}" load --url "http://127.0.0.1:$HTTP_PORT" --label "warm-$n-$kind" --mode array --sensors "$SENSORS" \
    --readings-per-request "$PER" --connections "$CONNS" --reading-rate "$RATE" --warmup 0 --duration "$WARM" \
    --sensor-prefix st- > /dev/null
  t0=$(cpu_ticks)
  "${LOADGEN[@]}" load --url "http://127.0.0.1:$HTTP_PORT" --label "$kind" --json-out "$RESULTS" --mode array \
    --sensors "$SENSORS" --readings-per-request "$PER" --connections "$CONNS" --reading-rate "$RATE" --warmup 0 \
    --duration "$SECONDS_MEASURED" --sensor-prefix st- > /dev/null
  t1=$(cpu_ticks)
  heap=$(heap_after_gc)
  printf '{"type":"node","label":"%s","run":%d,"cpu_s":%s,"heap_mib":%s}\n' "$kind" "$n" \
    "$(echo "($t1 - $t0) / $(getconf CLK_TCK)" | bc -l)" "$heap" >> "$RESULTS"
  if [ "$kind" = B ]; then
    stop_streams
  else
    printf '{"type":"streams","label":"run-%d","groups":[]}\n' "$n" >> "$RESULTS"
  fi
  stop_node
}

# Prime (not measured): the first node on the empty database creates the 2,000 sensors.
log "priming: $WARM s of the batch shape to create the sensors"
start_node "$OUT/node-prime.log"
"${LOADGEN[@]}" load --url "http://127.0.0.1:$HTTP_PORT" --label prime --mode array --sensors "$SENSORS" \
  --readings-per-request "$PER" --connections "$CONNS" --reading-rate "$RATE" --warmup 0 --duration "$WARM" \
  --sensor-prefix st- > /dev/null
stop_node

n=0
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then order="A B"; else order="B A"; fi
  for kind in $order; do n=$((n + 1)); log "run $n: $kind"; one_run "$kind" "$n"; done
done

python3 - "$RESULTS" "$RATE" "$CLIENTS" "$STREAM_PATH" <<'PY' | tee "$OUT/table.md"
import json, sys
def f(x, fmt=".1f"):
    return "-" if x is None else format(x, fmt)
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
loads = [r for r in rows if r.get("type") not in ("node", "streams")]
nodes = [r for r in rows if r.get("type") == "node"]
streams = [r for r in rows if r.get("type") == "streams"]
print(f"Batch shape (arrays of 500 readings over 2,000 sensors), offered {sys.argv[2]} readings/s; "
      f"B: {sys.argv[3]} clients of {sys.argv[4]}")
print("| run | stream clients | acknowledged readings/s | ack p50 ms | ack p99 ms | node CPU us per acked reading "
      "| node heap after GC MiB | clients connected / dropped by the node | data events per client min / max "
      "| events delivered/s | delivery p50 / p99 ms | client CPU cores |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
per = {}
for i, (l, c, s) in enumerate(zip(loads, nodes, streams), 1):
    readings = l["acked_readings_per_s"] * l["duration_s"]
    us = c["cpu_s"] * 1e6 / readings if readings else float("nan")
    g = s["groups"][0] if s["groups"] else None
    per.setdefault(l["label"], []).append((l["acked_readings_per_s"], l["ack_latency_ms"]["p99"] or float("nan"), us, c["heap_mib"]))
    if g:
        clients = f"{g['clients']}"
        conn = f"{g['connected']} / {g['disconnects']}" + (f" ({g['failed']} failed to connect)" if g.get('failed') else "")
        if g.get("refused"):
            conn += f" ({g['refused']} refused: {g.get('refused_by_status', '?')})"
        ev = f"{g['events_min']:,} / {g['events_max']:,}"
        rate = f"{g['events_total'] / s['duration_s']:,.0f}"
        lat = f"{f(g['latency_p50_ms'], '.0f')} / {f(g['latency_p99_ms'], '.0f')}"
        cores = f"{s.get('client_cpu_s', float('nan')) / s['duration_s']:.2f}"
    else:
        clients, conn, ev, rate, lat, cores = "0", "-", "-", "-", "-", "-"
    print(f"| {i} | {clients} | {l['acked_readings_per_s']:.0f} | {f(l['ack_latency_ms']['p50'])} "
          f"| {f(l['ack_latency_ms']['p99'])} | {us:.1f} | {c['heap_mib']:.0f} | {conn} | {ev} | {rate} | {lat} | {cores} |")
for k, v in per.items():
    print(f"mean {k}: {sum(x[0] for x in v)/len(v):.0f} readings/s, p99 {sum(x[1] for x in v)/len(v):.1f} ms, "
          f"{sum(x[2] for x in v)/len(v):.1f} us CPU per reading, heap after GC {sum(x[3] for x in v)/len(v):.0f} MiB")
PY
