#!/usr/bin/env bash
# One device call for the GPU symmetric walk (fmm search --symmetric --backend gpu;
# gpu/walk/orbit_bank_kernel.cu, Moosbauer-Poole arXiv 2502.04514):
#   1. the kernel against its host emulation (test_gpu_orbit_walk: same seed, same boards and
#      counters, walker for walker; exit 77 would mean no GPU or no plugin);
#   2. the paper's <6,6,6> setting (order 6, cube start, target 153) for SECONDS (default 120) on
#      the GPU bank, then the same on the CPU walk with 16 threads: moves/s of each from the
#      `done:` lines.
# Carry [".deps"] after, here (prepare carries the plugin next to fmm, compressed):
#   FMM_PREPARE_FROM=build-gpu/cli/fmm scripts/device_search.sh prepare
#   cp build-gpu/tests/gpu/test_gpu_orbit_walk .deps/bin/ && strip .deps/bin/test_gpu_orbit_walk
# then on the device: scripts/device_orbit_gpu.sh [SECONDS] (FMM_BANK_WALKERS="264 528": the bank
# at those walker counts instead of the GPU/CPU pair). Logs and summary.txt land in $OUT.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. scripts/device_env.sh
seconds=${1:-120}
summary=$out/summary.txt
# The plugin next to fmm (gpu_walk_plugin.hpp finds it there); the test is told where it is.
export FMM_GPU_WALK_PLUGIN=${FMM_GPU_WALK_PLUGIN:-$(dirname "$fmm")/libfmm_gpu_walk.so}
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >> "$out/machine.txt" 2>&1 || true

test_bin=$(dirname "$fmm")/test_gpu_orbit_walk
if [[ -x $test_bin ]]; then
  timeout 300 "$test_bin" > "$out/test_gpu_orbit_walk.log" 2>&1
  echo "test_gpu_orbit_walk rc $?" | tee -a "$summary"
  grep -E '^test_gpu_orbit_walk:|test cases|assertions' "$out/test_gpu_orbit_walk.log" | tee -a "$summary"
else
  echo "no $test_bin: test skipped" | tee -a "$summary"
fi

walk() {  # name, then fmm search options
  local name=$1
  shift
  local start=$SECONDS
  timeout -s INT $((seconds + 60)) "$fmm" search --shape 6x6x6 --symmetric --symmetry 6 --time-limit "$seconds" --seed 1 \
    --target-rank 153 "$@" --out "$out/schemes_$name" > /dev/null 2> "$out/666_$name.log"
  local rc=$? done_line
  done_line=$(grep -h 'done:' "$out/666_$name.log" | tail -1)
  # "...; N orbit moves in S s": the rate to compare.
  local rate
  rate=$(sed -nE 's/.*; ([0-9]+) orbit moves in ([0-9.e+-]+) s.*/\1 \2/p' <<< "$done_line" |
    awk '$2 > 0 { printf "%.2f M moves/s", $1 / $2 / 1e6 }')
  echo "666 $name rc $rc in $((SECONDS - start)) s: ${rate:-no rate}: $done_line" | tee -a "$summary"
  grep -hE 'symmetric flip search|new best|symmetric walk:' "$out/666_$name.log" | tail -n 4 | tee -a "$summary"
}
if [[ -n ${FMM_BANK_WALKERS:-} ]]; then
  # The bank's walkers are slow one by one (147 K moves/s each at 2 112 on an H100, against
  # 1.25 M for a CPU thread's walker: symmetric_runs/device_session18/); fewer warps per SM may
  # each run faster. FMM_BANK_WALKERS="264 528 1056" runs the bank at each count instead.
  for w in $FMM_BANK_WALKERS; do walk "gpu_w$w" --backend gpu --walkers "$w"; done
else
  walk gpu --backend gpu
  walk cpu16 --backend cpu --threads 16
fi
(cd "$out" && tar czf schemes.tgz schemes_* && rm -rf schemes_*) 2>/dev/null || true
