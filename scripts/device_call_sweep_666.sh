#!/usr/bin/env bash
# One device call that uses both halves of the machine (session of 2026-12-02): the symmetric
# <6,6,6> walk resumes on 14 cores (scripts/device_search.sh run ... 666, checkpoint carried as
# .deps/666.ckpt) while fmm::gemm's sweep against cuBLAS runs on the GPU from the other two
# (scripts/device_h200.sh sweep, fmm-bench carried as .deps/bench/fmm-bench, the committed tuning
# table). Device `run` with carry [".deps/bin", ".deps/lib", ".deps/bench", ".deps/666.ckpt"].
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-/tmp/out}
mkdir -p "$out/search" "$out/gpu"
OUT=$out/search FMM_666_SEED=${FMM_666_SEED:-2} FMM_CALL_SECONDS=${FMM_CALL_SECONDS:-530} \
  taskset -c 2-15 scripts/device_search.sh run 1200 666 > "$out/search/run.out" 2>&1 &
search=$!
TUNING_SEED=results/h200/tuning.txt OUT=$out/gpu BIN=.deps/bench RES=/tmp/fmm-results/h200 \
  taskset -c 0,1 scripts/device_h200.sh sweep > /dev/null 2>&1
echo "gpu sweep exit code: $?"
wait $search
cat "$out/search/summary.txt"
