#!/usr/bin/env bash
# Breadth against depth: the same GF(2) walk + lift from the same start, one thread, the same
# seconds, with 4, 64 and 512 walkers (4 per thread is `fmm search`'s and the campaign's default).
# usage: compare.sh FMM OUT SECONDS "SEEDS" "WALKERS" NAME:FORMAT:START...
#   START: a scheme file; the walk's --from
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 2
fmm=$1 out=$2 secs=$3 seeds=$4 walkers=$5
shift 5
mkdir -p "$out"
for spec in "$@"; do
  IFS=: read -r name format start <<< "$spec"
  for w in $walkers; do
    for seed in $seeds; do
      tag=${name}_w${w}_s${seed}
      "$fmm" search --shape "$format" --field gf2 --from "$start" --lift --threads 1 --seed "$seed" --walkers "$w" \
        --time-limit "$secs" --out "$out/$tag" > /dev/null 2> "$out/$tag.log"
      z=$(grep -E "new best $format rank [0-9]+ over Z" "$out/$tag.log" | tail -1 | sed -E 's/.* rank ([0-9]+) over Z at ([0-9.]+)s.*/\1 at \2 s/')
      echo "$name walkers $w seed $seed: Z ${z:--}; $(grep -h 'done:' "$out/$tag.log" | tail -1 | sed 's/.*done: //')" | tee -a "$out/summary.txt"
    done
  done
done
