#!/usr/bin/env bash
# <4,5,6> from three starts, side by side (2026-12-05, results/search/runs_456/README.md):
#   ext.txt    our <4,5,5;76> extended along p (fmm meta extend ... --axis p), rank 96
#   proj.txt   our <4,6,6;105> projected along m (fmm meta project ... --axis m), rank 97
#   start.txt  the campaign's <4,5,6;93> then (a block sum, 2x4x6:39 +m 3x4x6:54)
# each walked 150 s on one thread over GF(2) with lifting, and over {-1,0,1}, seed 11.
# usage: compare.sh OUTDIR    env: FMM (build/cli/fmm)
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
fmm=${FMM:-build/cli/fmm}
mkdir -p "$out"
for start in ext proj start; do
  for field in gf2 z; do
    extra=()
    [[ $field == gf2 ]] && extra=(--lift)
    nice -n 2 "$fmm" search --shape 4x5x6 --field $field --from "$here/$start.txt" "${extra[@]}" --time-limit 150 \
      --threads 1 --seed 11 --out "$out/o_${start}_$field" > "$out/log_${start}_$field.txt" 2>&1 || true
    echo "$start $field: $(grep '^done' "$out/log_${start}_$field.txt" | tail -1)" | tee -a "$out/summary.txt"
  done
done
