#!/usr/bin/env bash
# DJL vs PyTorch eager, side by side in one run: UNet forward, forward+backward, a 20-step DDIM loop
# with classifier-free guidance and one Diffusion-DPO step (+ AdamW), for the 32x32 pixel-space shapes
# UNet and the SD1.5-like tiny latent UNet of parity/unet-sd15-tiny. Each case runs in its own process
# per side (so each peak RSS is that case's), with the same threads, inputs and weights.
# Prints a table and writes docs/benchmarks.md (results + bench/findings.md).
#
# usage: bench/run.sh [--threads 2] [--scale 1] [--models "pixel sd15"] [--cases "fwd fwdbwd ddim dpo"]
#                     [--wait-load MINUTES] [--no-doc]
#   --scale      multiplies the iteration counts (e.g. 0.3 for a quick check)
#   --wait-load  first wait (polling every minute, at most MINUTES) for the 1-minute load average < 1.5
#   --jemalloc   LD_PRELOAD jemalloc (apt-get install libjemalloc2) on both sides; results go to
#                bench/target/jemalloc/ and the doc is not written
#   --passive    OMP_WAIT_POLICY=PASSIVE on both sides: OpenMP workers sleep instead of spinning. Use it on
#                a loaded machine, where spinning workers wait for descheduled ones (10x slower forwards)
# env: BENCH_JAVA_OPTS (default -Xmx1g)
# Needs: JDK 17, and for the baseline: apt-get install -y python3-torch libopenblas0-pthread
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

threads=2 scale=1 models="pixel sd15" cases="fwd fwdbwd ddim dpo" wait_load=0 doc=1 passive=0 jemalloc=0
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --scale) scale="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --cases) cases="$2"; shift 2 ;;
    --wait-load) wait_load="$2"; shift 2 ;;
    --no-doc) doc=0; shift ;;
    --passive) passive=1; shift ;;
    --jemalloc) jemalloc=1; doc=0; shift ;;
    *) sed -n '2,18p' "$0"; exit 2 ;;
  esac
done

py=/usr/bin/python3   # Debian's python3-torch; a pyenv python3 on PATH may lack torch
"$py" -c 'import torch' 2>/dev/null || {
  echo "bench: $py cannot import torch; run: apt-get install -y python3-torch libopenblas0-pthread" >&2; exit 1; }

work="$root/bench/target"
if [ "$jemalloc" = 1 ]; then work="$root/bench/target/jemalloc"; fi
mkdir -p "$work" "$root/bench/target"

# ---- build the diffusion module if its classes are missing or older than a source
stamp="$root/diffusion/target/classes/dev/alignloop/diffusion/bench/DiffusionBench.class"
if [ ! -f "$stamp" ] || [ -n "$(find "$root/diffusion/src/main" "$root/diffusion/pom.xml" -newer "$stamp" -print -quit)" ]; then
  echo "bench: building the diffusion module..." >&2
  ./mvnw -B -q -o -pl diffusion install -DskipTests >&2
fi
cpfile="$root/bench/target/classpath.txt"
if [ ! -s "$cpfile" ] || [ "$root/diffusion/pom.xml" -nt "$cpfile" ]; then
  ./mvnw -B -q -o -pl diffusion dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$cpfile" >&2
fi
cp="$root/diffusion/target/classes:$(cat "$cpfile")"
java_opts=${BENCH_JAVA_OPTS:--Xmx1g}

# ---- quiet machine first (2 shared cores: other processes distort both sides)
load1() { cut -d' ' -f1 /proc/loadavg; }
if [ "$wait_load" -gt 0 ]; then
  for ((i = 0; i < wait_load; i++)); do
    awk -v l="$(load1)" 'BEGIN { exit !(l < 1.5) }' && break
    echo "bench: load average $(load1) >= 1.5, waiting (minute $((i + 1))/$wait_load)..." >&2
    sleep 60
  done
fi
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started=$(date +%s)

# Same threads everywhere: libtorch intra-op (DJL property / torch.set_num_threads), OpenMP, OpenBLAS, MKL.
export OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads MKL_NUM_THREADS=$threads
if [ "$passive" = 1 ]; then export OMP_WAIT_POLICY=PASSIVE; fi
if [ "$jemalloc" = 1 ]; then
  je=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
  [ -f "$je" ] || { echo "bench: $je missing; apt-get install -y libjemalloc2" >&2; exit 1; }
  export LD_PRELOAD=$je
fi

djl() {
  java $java_opts -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" \
    -Dai.djl.pytorch.num_interop_threads=1 -Dlogback.configurationFile="$root/bench/logback.xml" \
    -cp "$cp" dev.alignloop.diffusion.bench.DiffusionBench "$@"
}

# warm-up / timed iterations per case (scaled)
iters() {
  local w n
  case "$1" in
    fwd) w=3 n=15 ;; fwdbwd) w=2 n=10 ;; ddim) w=1 n=3 ;; dpo) w=2 n=8 ;;
  esac
  n=$(awk -v n="$n" -v s="$scale" 'BEGIN { v = int(n * s + 0.5); print (v < 1 ? 1 : v) }')
  echo "$w $n"
}

cmdline="bench/run.sh --threads $threads --scale $scale --models \"$models\" --cases \"$cases\""
if [ "$passive" = 1 ]; then cmdline+=" --passive"; fi
if [ "$jemalloc" = 1 ]; then cmdline+=" --jemalloc"; fi
for model in $models; do
  case "$model" in
    pixel) src=pixel ;;
    sd15) src="$root/parity/unet-sd15-tiny/unet" ;;
    *) echo "bench: unknown model $model (pixel, sd15)" >&2; exit 2 ;;
  esac
  dir="$work/$model"
  echo "bench: preparing $model (weights, inputs, DJL reference outputs)..." >&2
  djl prepare --model "$src" --workdir "$dir" --pairs 8 --tokens 16 --seed 0 --threads "$threads" >&2
  for c in $cases; do
    read -r w n < <(iters "$c")
    # PyTorch first, then DJL, per case, so both see the same machine conditions.
    "$py" "$root/bench/pytorch_baseline.py" --workdir "$dir" --case "$c" --iters "$n" --warmup "$w" \
      --threads "$threads" --out "$dir/pytorch-$c.json" >&2
    djl run --workdir "$dir" --case "$c" --iters "$n" --warmup "$w" --threads "$threads" \
      --out "$dir/djl-$c.json" >&2
  done
done

load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
elapsed=$(( $(date +%s) - started ))
java_version="$(java -version 2>&1 | head -1)"
doc_arg=()
if [ "$doc" = 1 ]; then doc_arg=(--doc "$root/docs/benchmarks.md" --findings "$root/bench/findings.md"); fi
report=("$py" "$root/bench/report.py" --work "$work" --models "$models" --cases "$cases" --command "$cmdline"
  --threads "$threads" --load-before "$load_before" --load-after "$load_after" --elapsed "$elapsed"
  --java "$java_version" --java-opts="$java_opts")
# bench/target/report.sh re-writes the doc from these results (e.g. after editing bench/findings.md)
{ echo "#!/usr/bin/env bash"; if [ "$passive" = 1 ]; then echo "export OMP_WAIT_POLICY=PASSIVE"; fi
  printf '%q ' "${report[@]}" --doc "$root/docs/benchmarks.md" --findings "$root/bench/findings.md"; echo; } \
  > "$work/report.sh"
"${report[@]}" "${doc_arg[@]}"
