#!/bin/sh
# Writes a class-data-sharing (AppCDS) archive for the node, so that it starts faster: the JVM maps
# the classes a start loads from the archive instead of reading and verifying them from the jar
# (measured on the 2-core machine: ready after 1.5-2.3 s instead of 3.4-3.6 s).
#
#   docker/cds-archive.sh [--if-stale] cluster-node/target/sensor-node.jar cluster-node/target/sensor-node.jsa
#   java -XX:SharedArchiveFile=cluster-node/target/sensor-node.jsa -jar cluster-node/target/sensor-node.jar
#
# It starts the node once on a throwaway embedded H2 database (no PostgreSQL needed), waits until it
# is ready, sends it one reading (authenticated with a random admin token made for this run only,
# valid only in that throwaway database), and stops it; the JVM writes the archive as it exits
# (-XX:ArchiveClassesAtExit, JDK 13+). The archive only fits the JVM and jar it was made with; with
# another one the JVM warns and starts without it. The Docker image runs this at build time.
# --if-stale: do nothing when the archive exists and is newer than the jar (the benchmarks use it).
set -eu
IF_STALE=0
if [ "${1:-}" = --if-stale ]; then IF_STALE=1; shift; fi
JAR=$1; ARCHIVE=$2
if [ "$IF_STALE" = 1 ] && [ -s "$ARCHIVE" ] && [ "$ARCHIVE" -nt "$JAR" ]; then
  exit 0
fi
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
HTTP_PORT=${CDS_HTTP_PORT:-18081}; MGMT_PORT=${CDS_MANAGEMENT_PORT:-18559}; REMOTE_PORT=${CDS_REMOTE_PORT:-25599}
TOKEN="cds-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
rm -f "$ARCHIVE"
env SENSORS_DB_URL= SENSORS_DATA_DIR="$DIR/data" SENSORS_HTTP_HOST=127.0.0.1 SENSORS_HTTP_PORT="$HTTP_PORT" \
  SENSORS_MANAGEMENT_PORT="$MGMT_PORT" SENSORS_REMOTE_HOST=127.0.0.1 SENSORS_REMOTE_PORT="$REMOTE_PORT" \
  SENSORS_LOG_LEVEL=WARN SENSORS_AUTH=on SENSORS_ADMIN_TOKEN="$TOKEN" SENSORS_ADMIN_TOKEN_FILE= \
  java -XX:ArchiveClassesAtExit="$ARCHIVE" -jar "$JAR" > "$DIR/node.log" 2>&1 &
PID=$!
i=0
until curl -fs -o /dev/null "http://127.0.0.1:$MGMT_PORT/ready"; do
  if ! kill -0 "$PID" 2>/dev/null; then
    cat "$DIR/node.log" >&2; echo "cds-archive: the node exited before it was ready" >&2; exit 1
  fi
  i=$((i + 1))
  if [ "$i" -ge 1200 ]; then
    kill -KILL "$PID"; cat "$DIR/node.log" >&2; echo "cds-archive: node not ready after 120 s" >&2; exit 1
  fi
  sleep 0.1
done
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"readingId":"cds-1","value":1}' \
  "http://127.0.0.1:$HTTP_PORT/api/v1/sensors/cds-training/readings") || true
if [ "$STATUS" != 202 ]; then
  echo "cds-archive: training reading answered ${STATUS:-nothing}, not 202 (archive still written)" >&2
fi
kill -TERM "$PID"
wait "$PID" || true
if [ ! -s "$ARCHIVE" ]; then
  cat "$DIR/node.log" >&2; echo "cds-archive: the JVM wrote no archive" >&2; exit 1
fi
echo "cds-archive: wrote $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1))"
