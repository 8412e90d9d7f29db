#!/usr/bin/env bash
# <4,5,5> over GF(2) from 76 towards 73 (Arai, Ichikawa, Hukushima 2024 went 76 -> 73): walk
# policies side by side, one thread each, from the <4,5,5;76> GF(2) schemes of runs_455/
# (four starts x four policies = 16 processes: sized for the device's 16 cores).
# usage: gf2_73_sweep.sh SECONDS OUTDIR      env: FMM (build/cli/fmm, or .deps/bin/fmm on the device)
# Policies: default (plateau auto, slack 4); slack 8; long plateaus (300 000 flips); drift (a plus
# transition after 20 000 flips without a reduction, slack 6).
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 2
secs=$1 out=$2
fmm=${FMM:-build/cli/fmm}
mkdir -p "$out"
starts=(results/search/runs_455/from_committed_93/seed{1,2,3,5}/4x5x5_r76_gf2.txt)
declare -A policy=([default]="" [slack8]="--plus-slack 8" [plateau300k]="--plateau 300000" [drift]="--drift 20000 --plus-slack 6")
for name in "${!policy[@]}"; do
  for i in "${!starts[@]}"; do
    # shellcheck disable=SC2086  # the policy's options, split on purpose
    $fmm search --shape 4x5x5 --field gf2 --from "${starts[$i]}" --threads 1 --time-limit "$secs" --seed $((i + 1)) \
      --target-rank 73 ${policy[$name]} --out "$out/${name}_$i" > /dev/null 2> "$out/${name}_$i.log" &
  done
done
wait
for f in "$out"/*.log; do echo "$(basename "$f" .log) $(grep -h 'done:' "$f" | tail -1 | sed 's/.*done: //')"; done | sort | tee "$out/summary.txt"
