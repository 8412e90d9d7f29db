#!/usr/bin/env bash
# Lifts, on the device's 16 cores at once, the campaign's GF(2) schemes whose rank is below our
# integer rank of the same format: one `fmm lift` per format (M4RI for the large systems).
#   results/search/lift_large/device_lift.sh FMM SECONDS SEED OUTDIR [FORMAT ...]
set -euo pipefail
fmm=$1 seconds=$2 seed=$3 out=$4; shift 4
formats=("$@")
schemes=results/search/campaign/schemes
mkdir -p "$out"
for f in "${formats[@]}"; do
  src=$(ls "$schemes/${f}"_r*_gf2.txt | sort -t_ -k2.2n | head -1)
  r=$(basename "$src" | sed -E 's/.*_r([0-9]+)_gf2.txt/\1/')
  ( echo "# $fmm lift $src -o $out/${f}_r${r}_z.txt --seed $seed --tries 16 --neighbours 256 --time-limit $seconds"
    "$fmm" lift "$src" -o "$out/${f}_r${r}_z.txt" --seed "$seed" --tries 16 --neighbours 256 --time-limit "$seconds" 2>&1
    echo "exit $?" ) > "$out/${f}.log" 2>&1 &
done
wait
grep -h -E "^lift of|^wrote|^exit" "$out"/*.log | cut -c1-400 | tee "$out/summary.txt"
