# Shared by bench/run.sh, bench/replay.sh and bench/lag.sh (sourced, not run): PostgreSQL access,
# free ports, building the jars, describing the machine, starting one node on a fresh database and
# cleaning up after it. The sourcing script sets BENCH_NAME (log prefix) and OUT (results dir) first.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_HOST="${BENCH_PG_HOST:-127.0.0.1}"; PG_PORT="${BENCH_PG_PORT:-5432}"
PG_USER="${BENCH_PG_USER:-postgres}"; export PGPASSWORD="${BENCH_PG_PASSWORD:-}"
HEAP="${BENCH_HEAP:-1g}"
NODE_JAR="$ROOT/cluster-node/target/sensor-node.jar"
LOADGEN_JAR="$ROOT/load-generator/target/load-generator.jar"
# The node starts with the class-data-sharing archive the Docker image also uses (docker/cds-archive.sh);
# BENCH_CDS=0 starts it without.
NODE_CDS="$ROOT/cluster-node/target/sensor-node.jsa"
NODE_PID=""; SAMPLER_PID=""; DB_CREATED=0; DB=""
# Authentication stays on in the benchmarks: every run makes an admin token of its own, starts its
# node(s) with it (SENSORS_ADMIN_TOKEN) and hands it to the load generator and the probes through the
# environment (SENSORS_TOKEN, so it is on no command line) and to curl (curl_api). It is only valid on
# the run's fresh database, which is dropped at the end.
BENCH_TOKEN="bench-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
export SENSORS_TOKEN="$BENCH_TOKEN"

log() { printf '[%s %s] %s\n' "$BENCH_NAME" "$(date -u +%H:%M:%S)" "$*" >&2; }
psql_admin() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -Atqc "$1"; }
psql_db() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB" -v ON_ERROR_STOP=1 -Atqc "$1"; }
# curl with the run's token, for /api/v1 (GET /metrics and the management port need none)
curl_api() { curl -H "Authorization: Bearer $BENCH_TOKEN" "$@"; }

free_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 40000 ))
    ss -Htln "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
  done
}

# SIGTERM, up to 30 s for coordinated shutdown, then SIGKILL.
stop_node() {
  [ -n "$NODE_PID" ] || return 0
  kill -TERM "$NODE_PID" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$NODE_PID" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$NODE_PID" 2>/dev/null && kill -KILL "$NODE_PID"
  wait "$NODE_PID" 2>/dev/null || true
  NODE_PID=""
}

bench_cleanup() {
  local rc=$?
  set +e
  if [ -n "$SAMPLER_PID" ]; then kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null; fi
  if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then log "stopping node (pid $NODE_PID)"; stop_node; fi
  if [ "$DB_CREATED" = 1 ] && [ "${BENCH_KEEP_DB:-0}" != 1 ]; then
    log "dropping database $DB"
    psql_admin "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
  fi
  exit $rc
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# $1 = 1 to force the build
build_jars() {
  if [ "${1:-0}" = 1 ] || [ ! -f "$NODE_JAR" ] || [ ! -f "$LOADGEN_JAR" ]; then
    log "building jars (mvn -B -q package -DskipTests)"
    (cd "$ROOT" && mvn -B -q package -DskipTests)
  fi
  ensure_cds_archive
}

# Writes the CDS archive when it is missing or older than the jar (unless BENCH_CDS=0).
ensure_cds_archive() {
  if [ "${BENCH_CDS:-1}" = 1 ]; then
    sh "$ROOT/docker/cds-archive.sh" --if-stale "$NODE_JAR" "$NODE_CDS" >&2
  fi
}

# The JVM flag for the archive (empty with BENCH_CDS=0).
cds_flag() {
  if [ "${BENCH_CDS:-1}" = 1 ]; then echo "-XX:SharedArchiveFile=$NODE_CDS"; fi
}

describe_machine() {
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') $(git -C "$ROOT" diff --quiet 2>/dev/null || echo '(dirty)')"
  echo "cpus: $(nproc); memory: $(free -g | awk '/^Mem:/{print $2}') GiB; kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "postgresql: $(psql_admin 'SHOW server_version'); fsync=$(psql_admin 'SHOW fsync')" \
       "synchronous_commit=$(psql_admin 'SHOW synchronous_commit') shared_buffers=$(psql_admin 'SHOW shared_buffers')" \
       "autovacuum=$(psql_admin 'SHOW autovacuum')"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# $1 = database name prefix: creates $DB and sets JDBC
create_database() {
  DB="${1}_$(date -u +%Y%m%d_%H%M%S)_$$"
  psql_admin "CREATE DATABASE $DB" >/dev/null
  DB_CREATED=1
  JDBC="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB"
}

# Starts a node on $JDBC with free ports (HTTP_PORT, MGMT_PORT, ARTERY_PORT), log to $1, waits for
# /ready (at most 90 s), with the run's admin token. Extra environment may be given as further
# NAME=value arguments.
start_node() {
  local logfile=$1; shift
  HTTP_PORT=$(free_port); MGMT_PORT=$(free_port); ARTERY_PORT=$(free_port)
  log "starting node on $DB: http $HTTP_PORT, management $MGMT_PORT, artery $ARTERY_PORT, -Xmx$HEAP"
  env SENSORS_DB_URL="$JDBC" SENSORS_DB_USER="$PG_USER" SENSORS_DB_PASSWORD="$PGPASSWORD" \
    SENSORS_HTTP_HOST=127.0.0.1 SENSORS_HTTP_PORT="$HTTP_PORT" SENSORS_MANAGEMENT_PORT="$MGMT_PORT" \
    SENSORS_REMOTE_HOST=127.0.0.1 SENSORS_REMOTE_PORT="$ARTERY_PORT" SENSORS_LOG_LEVEL="${SENSORS_LOG_LEVEL:-WARN}" \
    SENSORS_ADMIN_TOKEN="$BENCH_TOKEN" \
    "$@" java "-Xmx$HEAP" $(cds_flag) ${NODE_JAVA_OPTS:-} -jar "$NODE_JAR" > "$logfile" 2>&1 &
  NODE_PID=$!
  for _ in $(seq 1 900); do
    kill -0 "$NODE_PID" 2>/dev/null || { log "node exited during start:"; tail -30 "$logfile" >&2; exit 1; }
    if curl -fs -o /dev/null "http://127.0.0.1:$MGMT_PORT/ready"; then return 0; fi
    sleep 0.1
  done
  log "node not ready after 90 s"; exit 1
}
