#!/usr/bin/env bash
# One device call: the symmetric walk of <n,n,n> on the GPU bank and, beside it, on the CPU
# walk (15 threads; one core drives the GPU), each with a checkpoint so a later call resumes.
#   scripts/device_symmetric_pair.sh N SECONDS [GPU_ORDER] [CPU_ORDER] [TARGET]
# GPU_ORDER/CPU_ORDER are the --symmetry orders (3 or 6, default 6 and 3). Carry [".deps"] after
# `FMM_PREPARE_FROM=build-gpu/cli/fmm scripts/device_search.sh prepare`; resumes from
# .deps/sym_N_{gpu,cpu}.ckpt.gz when present (copy them there from an earlier call's $OUT). Logs,
# checkpoints (gzipped) and schemes land in $OUT. Seeds: 21 (GPU), 22 (CPU), as a resume needs.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. scripts/device_env.sh
n=${1:?N}
seconds=${2:?SECONDS}
gpu_order=${3:-6}
cpu_order=${4:-3}
target=${5:-0}
export FMM_GPU_WALK_PLUGIN=${FMM_GPU_WALK_PLUGIN:-$(dirname "$fmm")/libfmm_gpu_walk.so}
shape=${n}x${n}x${n}
run() {  # name, order, then fmm search options
  local name=$1 order=$2
  shift 2
  local ckpt=$out/sym_${n}_$name.ckpt resume=()
  if [[ -f .deps/sym_${n}_$name.ckpt.gz ]]; then
    gunzip -c ".deps/sym_${n}_$name.ckpt.gz" > "$ckpt" && resume=(--resume)
  fi
  timeout -s INT $((seconds + 60)) "$fmm" search --shape "$shape" --symmetric --symmetry "$order" \
    --time-limit "$seconds" --target-rank "$target" --checkpoint "$ckpt" "${resume[@]}" "$@" \
    --out "$out/schemes_$name" > /dev/null 2> "$out/sym_${n}_$name.log"
  echo "$shape $name order $order rc $?: $(grep -h 'done:' "$out/sym_${n}_$name.log" | tail -1)"
  gzip -f "$ckpt" 2>/dev/null || true
}
run gpu "$gpu_order" --backend gpu --seed 21 &
run cpu "$cpu_order" --threads 15 --seed 22
wait
(cd "$out" && tar czf schemes.tgz schemes_* && rm -rf schemes_*) 2>/dev/null || true
