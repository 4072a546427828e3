#!/usr/bin/env bash
# What authentication costs on the ingest path (issue 14): bench/ab.sh with SENSORS_AUTH on/off
# (single POSTs by default), then the cost of one token check alone (bench/TokenCheckBench.java).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/bench/ab.sh" SENSORS_AUTH on off
java -cp "$ROOT/domain/target/classes" "$ROOT/bench/TokenCheckBench.java"
