#!/usr/bin/env bash
# The full fault-test suite (issue 4): builds the node jar, then runs every scenario with real node
# processes in network namespaces, iptables partitions and the local PostgreSQL, prints the table and
# writes it into docs/fault-tests.md. Needs root, iproute2, iptables, socat and PostgreSQL on
# 127.0.0.1:5432 (see docs/fault-tests.md). Extra arguments go to Maven, e.g.
#   system-tests/run-full.sh -Dfaults.scenarios=3-split-3-2,5-freeze
# Takes about 20-25 minutes on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests "$@"
exec mvn -B -pl system-tests verify -Pfault-suite-full "$@"
