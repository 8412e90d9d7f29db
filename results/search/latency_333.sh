#!/usr/bin/env bash
# <3,3,3> from the standard algorithm (rank 27) to rank 23 over GF2, one walker on one thread,
# seeds 1..N: prints the time each seed needed (as logged by `fmm search`) and the median.
# usage: results/search/latency_333.sh FMM_BINARY [N]
set -euo pipefail
fmm=${1:?fmm binary}; n=${2:-10}
times=()
for seed in $(seq 1 "$n"); do
  t=$("$fmm" search --shape 3x3x3 --target-rank 23 --walkers 1 --threads 1 --seed "$seed" 2>&1 >/dev/null |
      grep -E "new best 3x3x3 rank 23 over GF2 at" | sed -E 's/.* at ([0-9.]+)s .*/\1/')
  echo "seed $seed: $t s"
  times+=("$t")
done
printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END{m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "median %.4f s over %d seeds\n", m, NR}'
