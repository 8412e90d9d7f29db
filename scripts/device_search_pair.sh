#!/usr/bin/env bash
# One device call that keeps both halves of the H200 box busy: on a few cores a run that uses
# the GPU (the campaign or the prize campaign with its GF(2) and {-1,0,1} walks on the GPU,
# FMM_CAMPAIGN_BACKEND=gpu, or one `fmm search --backend gpu`), and on the other cores a CPU run:
# the symmetric <6,6,6> walk (device_search.sh's `666`, the default) or, with FMM_PAIR_CPU=campaign,
# the campaign with its walks on those cores (then the GPU half must be gpu-search: one state, one
# campaign). Both are device_search.sh runs; `nproc` follows the CPU affinity, so taskset hands each
# its share.
#   usage (device, carry .deps after `scripts/device_search.sh prepare` and the GPU plugin):
#     scripts/device_search_pair.sh SECONDS GPU_CORES [campaign|prize|gpu-search]
#   env: as device_search.sh (FMM_CAMPAIGN_FORMATS, FMM_CAMPAIGN_IMPORT for prize, FMM_SEARCH_ARGS for
#        gpu-search (one `fmm search --backend gpu` in place of the campaign), FMM_666_SEED,
#        FMM_666_ARGS; a .deps/666.ckpt is resumed: give another seed to start a second run),
#        FMM_666_TOTAL (the symmetric run's --time-limit over all calls, default 40000 s),
#        FMM_PAIR_CPU (666 or campaign)
# Results (the device returns at most eight files): $OUT/results.tgz with one folder per half,
# named after its run (666/: 666.log, schemes.tgz; campaign/: campaign.tgz or prize.tgz,
# frontier.md, log; gpu-search/: gpu_search.log, schemes), $OUT/666.ckpt and $OUT/summary.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?seconds}
gpu_cores=${2:-3}
what=${3:-campaign}
cpu_what=${FMM_PAIR_CPU:-666}
[[ $cpu_what == 666 || ($cpu_what == campaign && $what == gpu-search) ]] ||
  { echo "FMM_PAIR_CPU must be 666, or campaign beside gpu-search"; exit 2; }
cores=$(nproc)
(( gpu_cores < cores )) || { echo "need fewer GPU-side cores than the $cores here"; exit 2; }
out=${OUT:-/tmp/out}
mkdir -p "$out/$cpu_what" "$out/$what"
last=$((cores - 1))
split=$((cores - gpu_cores))
OUT=$out/$cpu_what FMM_CALL_SECONDS=$((seconds - 20)) FMM_CAMPAIGN_BACKEND=cpu taskset -c "0-$((split - 1))" \
  scripts/device_search.sh run "$([[ $cpu_what == 666 ]] && echo "${FMM_666_TOTAL:-40000}" || echo "$seconds")" "$cpu_what" \
  >"$out/$cpu_what/driver.log" 2>&1 &
cpu_run=$!
OUT=$out/$what FMM_CAMPAIGN_BACKEND=gpu taskset -c "$split-$last" \
  scripts/device_search.sh run "$seconds" "$what" >"$out/$what/driver.log" 2>&1 &
gpu_run=$!
wait "$cpu_run" "$gpu_run"
cat "$out/$cpu_what/summary.txt" "$out/$what/summary.txt" 2>/dev/null | tee "$out/summary.txt"
mv "$out/666/666.ckpt" "$out/666.ckpt" 2>/dev/null
tar czf "$out/results.tgz" -C "$out" "$cpu_what" "$what" && rm -rf "${out:?}/$cpu_what" "${out:?}/$what"
