#!/usr/bin/env bash
# Issue 7, generator: GeneratorBench (PairGenerator vs DiffusionPolicy.generate, same model, batch,
# steps, seeds and threads, alternating within each round), 3 processes.
# OMP_WAIT_POLICY=PASSIVE: with libgomp's spinning default, 2 DJL threads on a loaded 2-core box run
# ~100x slower on BOTH sides (see the DJL-vs-PyTorch section of docs/benchmarks.md).
# Usage: bench/issue7/generator.sh [RUNS] [GeneratorBench args...]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-3}"; shift || true
CP="$(bench/issue7/classpath.sh generator-service)"
for i in $(seq "$runs"); do
  OMP_WAIT_POLICY=PASSIVE java -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
    -Dai.djl.pytorch.num_interop_threads=1 -cp "$CP" dev.alignloop.generator.bench.GeneratorBench "$@" 2>&1 \
    | grep -E "^generator bench|^load average|^  round"
done
