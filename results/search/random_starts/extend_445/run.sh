#!/usr/bin/env bash
# <4,4,5> over GF(2) from each committed <4,4,4;47>, extended by a column (fmm search --from of
# another format: 47 + 16 = 63 terms), one 50-s walk each with --lift, two at a time (2-core VM).
# usage (from the repository root): [FMM=build/cli/fmm] [OUT=/tmp/ext445] results/search/random_starts/extend_445/run.sh
set -uo pipefail
fmm=${FMM:-build/cli/fmm} out=${OUT:-/tmp/ext445}
mkdir -p "$out"
i=0
for f in results/search/random_starts/4x4x4_r47_*.txt results/search/random_starts/one_command_444/*.txt; do
  i=$((i + 1))
  ( "$fmm" search --shape 4x4x5 --from "$f" --threads 1 --time-limit 50 --lift --target-rank 60 --seed "$i" \
      --out "$out/o_$i" > /dev/null 2> "$out/run_$i.log"
    echo "$f: $(grep -h 'done:' "$out/run_$i.log" | tail -1 | sed 's/.*done: //' | cut -c1-60)" >> "$out/summary.txt" ) &
  (( i % 2 == 0 )) && wait
done
wait
