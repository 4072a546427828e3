#!/usr/bin/env bash
# A/B of one node setting on the ingest path: one node on a fresh PostgreSQL database, restarted
# alternately with VAR=A and VAR=B (A B B A ...), each time warmed up and then measured under the
# same open-loop load; prints acknowledged readings/s, ack p50/p99 and node CPU per acknowledged
# request and per reading for every run, and the mean per value.
#   bench/ab.sh SENSORS_AUTH on off                              # what authentication costs (issue 14)
#   BENCH_AB_MODE=array bench/ab.sh SENSORS_DB_JOURNAL_BATCHED_WRITES on off   # batched journal (issue 15)
#   BENCH_CDS=0 BENCH_AB_MODE=array bench/ab.sh BUILD 2a03436 HEAD,SENSORS_DB_JOURNAL_BATCHED_WRITES=off
#     VAR=BUILD: A and B are git revisions, each built once (in a temporary worktree) into its own node
#     jar; ",NAME=value" after a revision adds node environment. Use BENCH_CDS=0 (one CDS archive
#     cannot serve two jars).
# Environment: BENCH_AB_MODE=single|array (single POSTs, or 500-reading batches over 2000 sensors)
#   BENCH_AB_ROUNDS=2 BENCH_AB_RATE (offered readings/s; 3000 single, 6000 array) BENCH_AB_CONNECTIONS
#   BENCH_AB_SECONDS=30 BENCH_AB_WARM=20 BENCH_AB_SENSORS=2000, plus lib.sh's BENCH_PG_* and BENCH_HEAP.
#   BENCH_AB_COLD=1: after the warm-up (which writes every sensor into the journal), the node is
#     restarted and measured from its /ready on without any warm-up: cold JVM, every sensor recovered
#     from the journal on its first request (issue 15's cold-node row).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VAR="${1:?usage: bench/ab.sh VAR A B}"; A="${2:?value A}"; B="${3:?value B}"
OUT="${BENCH_OUT:-$ROOT/bench/results/ab-$VAR-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
BENCH_NAME=ab
source "$ROOT/bench/lib.sh"
build_jars 0
MODE="${BENCH_AB_MODE:-single}"
ROUNDS="${BENCH_AB_ROUNDS:-2}"; SECONDS_MEASURED="${BENCH_AB_SECONDS:-30}"; WARM="${BENCH_AB_WARM:-20}"
if [ "$MODE" = single ]; then PER=1; RATE="${BENCH_AB_RATE:-3000}"; CONNS=64; else PER=500; RATE="${BENCH_AB_RATE:-6000}"; CONNS=16; fi
CONNS="${BENCH_AB_CONNECTIONS:-$CONNS}"
SENSORS="${BENCH_AB_SENSORS:-2000}"; COLD="${BENCH_AB_COLD:-0}"
LOADGEN=(java -Xmx256m -XX:+UseSerialGC -jar "$LOADGEN_JAR")
RESULTS="$OUT/results.jsonl"; : > "$RESULTS"
create_database ab
describe_machine > "$OUT/machine.txt"

# VAR=BUILD: the node jar of each revision, built once.
build_revision_jar() { # $1: revision; prints the jar's path
  local rev=$1 jar="$OUT/node-$(git -C "$ROOT" rev-parse --short "$1").jar" tree
  if [ ! -f "$jar" ]; then
    tree=$(mktemp -d)
    git -C "$ROOT" worktree add -q --detach "$tree" "$rev" >&2
    (cd "$tree" && mvn -B -q package -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true \
      -pl cluster-node -am >&2)
    cp "$tree/cluster-node/target/sensor-node.jar" "$jar"
    git -C "$ROOT" worktree remove --force "$tree" >&2
  fi
  echo "$jar"
}
if [ "$VAR" = BUILD ]; then
  for v in "$A" "$B"; do log "building the node jar of ${v%%,*}"; build_revision_jar "${v%%,*}" > /dev/null; done
fi

cpu_ticks() { awk '{print $14 + $15}' "/proc/$NODE_PID/stat"; }

one_run() { # $1: the value of $VAR, $2: run number
  local auth=$1 n=$2 t0 t1
  if [ "$VAR" = BUILD ]; then
    local extra=()
    IFS=, read -r -a extra <<< "$auth"
    NODE_JAR=$(build_revision_jar "${extra[0]}")
    start_node "$OUT/node-$n.log" "${extra[@]:1}"
  else
    start_node "$OUT/node-$n-$auth.log" "$VAR=$auth"
  fi
  "${LOADGEN[@]}" load --url "http://127.0.0.1:$HTTP_PORT" --label "warm-$n-$auth" --mode "$MODE" --sensors "$SENSORS" \
    --readings-per-request "$PER" --connections "$CONNS" --reading-rate "$RATE" --warmup 0 --duration "$WARM" \
    --sensor-prefix ab- > /dev/null
  if [ "$COLD" = 1 ]; then # measure a node started on that journal, from its /ready on, no warm-up
    stop_node
    if [ "$VAR" = BUILD ]; then
      start_node "$OUT/node-$n-cold.log" "${extra[@]:1}"
    else
      start_node "$OUT/node-$n-$auth-cold.log" "$VAR=$auth"
    fi
  fi
  t0=$(cpu_ticks)
  "${LOADGEN[@]}" load --url "http://127.0.0.1:$HTTP_PORT" --label "$auth" --json-out "$RESULTS" --mode "$MODE" \
    --sensors "$SENSORS" --readings-per-request "$PER" --connections "$CONNS" --reading-rate "$RATE" --warmup 0 \
    --duration "$SECONDS_MEASURED" --sensor-prefix ab- > /dev/null
  t1=$(cpu_ticks)
  printf '{"type":"cpu","label":"%s","run":%d,"cpu_s":%s}\n' "$auth" "$n" \
    "$(echo "($t1 - $t0) / $(getconf CLK_TCK)" | bc -l)" >> "$RESULTS"
  stop_node
}

n=0
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then order="$A $B"; else order="$B $A"; fi
  for auth in $order; do n=$((n + 1)); log "run $n: $VAR=$auth"; one_run "$auth" "$n"; done
done

python3 - "$RESULTS" "$MODE" "$RATE" "$VAR" <<'PY' | tee "$OUT/table.md"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
loads = [r for r in rows if r.get("type") != "cpu"]
cpus = [r for r in rows if r.get("type") == "cpu"]
print(f"{sys.argv[4]} A/B, {sys.argv[2]} POSTs, offered {sys.argv[3]} readings/s")
print(f"| run | {sys.argv[4]} | acknowledged readings/s | ack p50 ms | ack p99 ms | node CPU us per acked request | per acked reading |")
print("|---|---|---|---|---|---|---|")
per = {}
for i, (l, c) in enumerate(zip(loads, cpus), 1):
    reqs = l["acked_requests_per_s"] * l["duration_s"]
    readings = l["acked_readings_per_s"] * l["duration_s"]
    us = c["cpu_s"] * 1e6 / reqs if reqs else float("nan")
    us_reading = c["cpu_s"] * 1e6 / readings if readings else float("nan")
    per.setdefault(l["label"], []).append((l["acked_readings_per_s"], l["ack_latency_ms"]["p99"], us, us_reading))
    print(f"| {i} | {l['label']} | {l['acked_readings_per_s']:.0f} | {l['ack_latency_ms']['p50']:.1f} | {l['ack_latency_ms']['p99']:.1f} | {us:.0f} | {us_reading:.1f} |")
for k, v in per.items():
    if v:
        print(f"mean {k}: {sum(x[0] for x in v)/len(v):.0f} readings/s, p99 {sum(x[1] for x in v)/len(v):.1f} ms, "
              f"{sum(x[2] for x in v)/len(v):.0f} us CPU per request, {sum(x[3] for x in v)/len(v):.1f} per reading")
PY
