#!/usr/bin/env bash
# Issue 7, Kafka plumbing: PlumbingBench (exactly-once processors vs raw kafka-clients, same record
# bytes, embedded KRaft broker in the same JVM), runs alternating raw / exactly-once.
# Usage: bench/issue7/plumbing.sh [PlumbingBench args...]   e.g. --pairs 50000 --runs 3
set -euo pipefail
cd "$(dirname "$0")/../.."
CP="$(bench/issue7/classpath.sh streaming)"
java -Xmx1g -cp "$CP" dev.alignloop.streaming.bench.PlumbingBench "$@" 2>&1 \
  | grep -E "^plumbing bench|^load average|^  run"
