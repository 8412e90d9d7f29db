#!/usr/bin/env bash
# <4,5,6> at its best known integer rank, 90, from our <4,5,5;76> (issue 12):
#   1. fmm meta extend: the <4,5,5;76> scheme plus the 20 products of a new column of B and C
#      (rank 96, the Kauers-Wood extension move);
#   2. the plain GF(2) walk from it, lifting every new best to Z, up to a flip budget (so the
#      outcome depends on the seed only, not on the machine's load).
# usage: run.sh OUTDIR "SEEDS" [FLIPS] [FROM]    env: FMM (build/cli/fmm)
# FROM defaults to the campaign's <4,5,5;76> over {-1,0,1}. One line per seed in OUTDIR/summary.txt.
set -euo pipefail
out=$1 seeds=$2 flips=${3:-2000000000}
from=${4:-results/search/campaign/schemes/4x5x5_r76_zt.txt}
fmm=${FMM:-build/cli/fmm}
mkdir -p "$out"
$fmm meta extend "$from" --axis p -o "$out/4x5x6_extension.txt" > "$out/extend.log" 2>&1
for seed in $seeds; do
  start=$(date +%s.%N)
  $fmm search --shape 4x5x6 --field gf2 --from "$out/4x5x6_extension.txt" --lift --threads 1 --seed "$seed" \
    --target-rank 90 --max-flips "$flips" --out "$out/seed$seed" > "$out/seed$seed.out" 2> "$out/seed$seed.log" || true
  wall=$(echo "$(date +%s.%N) - $start" | bc)
  z=$(grep -o 'new best 4x5x6 rank [0-9]* over Z at [0-9.]*s' "$out/seed$seed.log" | tail -1 || true)
  echo "seed $seed: ${z:-no Z scheme below the start} (wall ${wall%.*} s)" | tee -a "$out/summary.txt"
done
