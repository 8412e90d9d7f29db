#!/usr/bin/env bash
# One device call (command `scripts/device_sweep_beside_gpu.sh SECONDS`, carry [".deps"] after
# `scripts/device_search.sh prepare` and libfmm_gpu_walk.so copied into .deps/bin/): a CPU sweep
# on the 16 cores and, beside it, one search on the GPU bank, both for about SECONDS.
#   FMM_SWEEP    the sweep script, called as `FMM=... SWEEP SECONDS OUTDIR`
#                (default results/search/runs_455/gf2_73_sweep.sh: <4,5,5> GF(2) towards 73)
#   FMM_SEARCH_ARGS  the GPU search (default: <4,4,4> GF(2) towards AlphaTensor's 47, seed 2)
# The GPU walk needs one host thread; the sweep's 16 processes share the cores with it.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
seconds=${1:?usage: device_sweep_beside_gpu.sh SECONDS}
out=${OUT:?run through the device tool, which sets OUT}
export LD_LIBRARY_PATH=$PWD/.deps/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
sweep=${FMM_SWEEP:-results/search/runs_455/gf2_73_sweep.sh}
search_args=${FMM_SEARCH_ARGS:-"--shape 4x4x4 --field gf2 --target-rank 47 --lift --seed 2"}
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader > "$out/card.txt" 2>&1 || true
git rev-parse --short=12 HEAD > "$out/git.txt" 2>/dev/null || true
FMM_SEARCH_ARGS=$search_args OUT="$out/gpu" scripts/device_search.sh run "$seconds" gpu-search \
  > "$out/gpu_search.txt" 2>&1 &
gpu_pid=$!
FMM=.deps/bin/fmm "$sweep" "$seconds" "$out/sweep" > "$out/sweep.txt" 2>&1
wait "$gpu_pid"
tail -n 4 "$out/gpu_search.txt"
cat "$out/sweep/summary.txt" 2>/dev/null
