#!/usr/bin/env bash
# Issue 7, scorer: ScorerBench (end to end vs raw ONNX Runtime, interleaved batch by batch in one
# JVM) 3 times per model. Usage: bench/issue7/scorer.sh [RUNS]   (output: stdout)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-3}"
CP="$(bench/issue7/classpath.sh scorer-service)"
run() { echo "### $*"; java -Xmx3g -cp "$CP" dev.alignloop.scorer.bench.ScorerBench "$@" 2>&1 \
  | grep -E "^scorer bench|^model spec|^load average|^  round"; }
# --poll 64 --batch 32: the service's max-poll-records and max-pairs-per-batch defaults.
for i in $(seq "$runs"); do
  run --pairs 512 --batch 32 --poll 64 --rounds 3 --manifest models/shapes-reward/reward.json
  run --pairs 512 --batch 32 --poll 64 --rounds 3 --manifest models/shapes-reward/reward.json --intra-op-threads 1
  run --pairs 512 --batch 32 --poll 64 --rounds 3 --spec small
  run --pairs 48 --batch 8 --poll 16 --rounds 3 --spec b32
done
