#!/usr/bin/env bash
# From the standard algorithm: the default walk against --descent 1000 and --plus-slack 0,
# one thread (4 walkers), SECONDS each, seeds 1..3; prints the best GF(2) rank of each run.
#   results/search/descent_default/sweep.sh FMM SECONDS FORMAT... > table.tsv
set -euo pipefail
fmm=$1 seconds=$2; shift 2
printf 'format\tpolicy\tseed\tbest_gf2\tflips\n'
for f in "$@"; do
  for policy in default "--descent 1000" "--plus-slack 0"; do
    opt=(); [[ $policy != default ]] && read -ra opt <<< "$policy"
    for seed in 1 2 3; do
      line=$("$fmm" search --shape "$f" --threads 1 --time-limit "$seconds" --seed "$seed" "${opt[@]}" 2>&1 >/dev/null | grep 'done:' | tail -1)
      rank=$(sed -E 's/.*best rank gf2 ([0-9]+).*/\1/' <<< "$line")
      flips=$(sed -E 's/.*; ([0-9]+) flips in.*/\1/' <<< "$line")
      printf '%s\t%s\t%s\t%s\t%s\n' "$f" "$policy" "$seed" "$rank" "$flips"
    done
  done
done
