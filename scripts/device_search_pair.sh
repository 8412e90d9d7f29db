#!/usr/bin/env bash
# One device call that keeps both halves of the H200 box busy: the campaign (or the prize
# campaign) with its GF(2) and {-1,0,1} walks on the GPU (FMM_CAMPAIGN_BACKEND=gpu) on a few
# cores, and the symmetric <6,6,6> walk (device_search.sh's `666`) on the others. Both are
# device_search.sh runs; `nproc` follows the CPU affinity, so taskset hands each its share.
#   usage (device, carry .deps after `scripts/device_search.sh prepare` and the GPU plugin):
#     scripts/device_search_pair.sh SECONDS CAMPAIGN_CORES [campaign|prize|gpu-search]
#   env: as device_search.sh (FMM_CAMPAIGN_FORMATS, FMM_CAMPAIGN_IMPORT for prize, FMM_SEARCH_ARGS for
#        gpu-search (one `fmm search --backend gpu` in place of the campaign), FMM_666_SEED,
#        FMM_666_ARGS; a .deps/666.ckpt is resumed: give another seed to start a second run),
#        FMM_666_TOTAL (the symmetric run's --time-limit over all calls, default 40000 s)
# Results (the device returns at most eight files): $OUT/results.tgz (campaign/: campaign.tgz or
# prize.tgz, frontier.md, log; 666/: 666.log, schemes.tgz), $OUT/666.ckpt and $OUT/summary.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?seconds}
campaign_cores=${2:-3}
what=${3:-campaign}
cores=$(nproc)
(( campaign_cores < cores )) || { echo "need fewer campaign cores than the $cores here"; exit 2; }
out=${OUT:-/tmp/out}
mkdir -p "$out/campaign" "$out/666"
last=$((cores - 1))
split=$((cores - campaign_cores))
OUT=$out/666 FMM_CALL_SECONDS=$((seconds - 20)) taskset -c "0-$((split - 1))" \
  scripts/device_search.sh run "${FMM_666_TOTAL:-40000}" 666 >"$out/666/driver.log" 2>&1 &
symmetric=$!
OUT=$out/campaign FMM_CAMPAIGN_BACKEND=gpu taskset -c "$split-$last" \
  scripts/device_search.sh run "$seconds" "$what" >"$out/campaign/driver.log" 2>&1 &
campaign=$!
wait "$symmetric" "$campaign"
cat "$out/666/summary.txt" "$out/campaign/summary.txt" 2>/dev/null | tee "$out/summary.txt"
mv "$out/666/666.ckpt" "$out/666.ckpt" 2>/dev/null
tar czf "$out/results.tgz" -C "$out" 666 campaign && rm -rf "$out/666" "$out/campaign"
