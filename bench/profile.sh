#!/usr/bin/env bash
# Profiles one case on both sides with the libtorch profiler and compares per-op self times.
# Run bench/run.sh first (it builds and prepares bench/target/MODEL).
# usage: bench/profile.sh MODEL CASE [THREADS=2] [ITERS=3]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:?model (pixel|sd15)}" case="${2:?case (fwd|fwdbwd|ddim|dpo)}" threads="${3:-2}" iters="${4:-3}"
dir="$root/bench/target/$model"
[ -f "$dir/inputs.safetensors" ] || { echo "run bench/run.sh --models $model first" >&2; exit 1; }
export OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads MKL_NUM_THREADS=$threads
cp="$root/diffusion/target/classes:$(cat "$root/bench/target/classpath.txt")"
/usr/bin/python3 "$root/bench/pytorch_baseline.py" --workdir "$dir" --case "$case" --iters "$iters" --warmup 2 \
  --threads "$threads" --out "$dir/profile-pytorch-$case.json" --profile "$dir/trace-pytorch-$case.json"
java ${BENCH_JAVA_OPTS:--Xmx1g} -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" \
  -Dai.djl.pytorch.num_interop_threads=1 -Dlogback.configurationFile="$root/bench/logback.xml" -cp "$cp" \
  dev.alignloop.diffusion.bench.DiffusionBench run --workdir "$dir" --case "$case" --iters "$iters" --warmup 2 \
  --threads "$threads" --out "$dir/profile-djl-$case.json" --profile "$dir/trace-djl-$case.json"
/usr/bin/python3 "$root/bench/profile_summary.py" "$dir/trace-djl-$case.json" "$dir/trace-pytorch-$case.json" \
  --iters "$iters"
