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
# 64 walkers as on 16 threads: a checkpoint resumes only with the walkers it was written with.
OUT=$out/search FMM_666_SEED=${FMM_666_SEED:-2} FMM_CALL_SECONDS=${FMM_CALL_SECONDS:-530} FMM_666_ARGS="--walkers 64" \
  taskset -c 2-15 scripts/device_search.sh run 1200 666 > "$out/search/run.out" 2>&1 &
search=$!
# The stream gate's spin kernel and the operand-sum kernels under memcheck, on small shapes.
taskset -c 0,1 compute-sanitizer --tool memcheck --error-exitcode 3 --kernel-regex kns=spin_until_open \
  .deps/bench/fmm-bench --schemes strassen --levels 1,2 --shapes 64x64x64,300x200x250 --precision f32,bf16 \
  --repeats 3 --warmup 1 --out /tmp/fmm-memcheck --name mc > "$out/gpu_memcheck_gate.txt" 2>&1
echo "memcheck (stream gate) exit code: $?" | tee -a "$out/gpu_memcheck_gate.txt"
TUNING_SEED=results/h200/tuning.txt OUT=$out/gpu BIN=.deps/bench RES=/tmp/fmm-results/h200 \
  taskset -c 0,1 scripts/device_h200.sh sweep > /dev/null 2>&1
echo "gpu sweep exit code: $?"
wait $search
cat "$out/search/summary.txt"
