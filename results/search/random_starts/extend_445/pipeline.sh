#!/usr/bin/env bash
# <4,4,4> 47s by random starts (seeds 101..140), each extended to <4,4,5> and walked twice for 45 s
# (--lift, target 60). usage: [FMM=build/cli/fmm] [OUT=/tmp/pipe445] results/search/random_starts/extend_445/pipeline.sh
cd "$(dirname "$0")/../../../.." || exit 2
F=${FMM:-build/cli/fmm}
O=${OUT:-/tmp/pipe445}
mkdir -p $O
for s in $(seq 101 140); do
  $F search --shape 4x4x4 --random-starts 8-12 --threads 2 --target-rank 47 --time-limit 300 --seed $s --out $O/s$s > /dev/null 2> $O/s$s.log
  f=$(ls $O/s$s/4x4x4_r47_gf2*.txt 2>/dev/null | head -1)
  [[ -n $f ]] || { echo "seed $s: no 47" >> $O/summary.txt; continue; }
  for e in 1 2; do
    $F search --shape 4x4x5 --from $f --threads 1 --time-limit 45 --lift --target-rank 60 --seed $e --out $O/e${s}_$e > /dev/null 2> $O/e${s}_$e.log &
  done
  wait
  echo "seed $s: 47 $(grep -h 'done:' $O/s$s.log | tail -1 | grep -o 'in [0-9.]* s'); 4x4x5: $(grep -h 'done:' $O/e${s}_1.log $O/e${s}_2.log | sed 's/.*best rank gf2 \([0-9]*\).*z \([0-9-]*\).*/\1\/\2/' | tr '\n' ' ')" >> $O/summary.txt
done
