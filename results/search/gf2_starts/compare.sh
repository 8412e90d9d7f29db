#!/usr/bin/env bash
# Where should the campaign's GF(2) walk (+ lift) of a large format start: from our best GF(2)
# scheme, or from our best {-1,0,1} scheme read mod 2? Same format, seconds, seed and thread;
# what matters is the best *integer* rank each walk's lifts reach.
# usage: compare.sh FMM OUT SECONDS FORMAT...   (starts: results/search/campaign/schemes)
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 2
fmm=$1 out=$2 secs=$3
shift 3
mkdir -p "$out"
for f in "$@"; do
  schemes=results/search/campaign/schemes
  gf2=$(ls "$schemes/${f}"_r*_gf2.txt | sort -t_ -k2.2n | head -1)
  zt=$(ls "$schemes/${f}"_r*_zt.txt "$schemes/${f}"_r*_z.txt 2>/dev/null | sort -t_ -k2.2n | head -1)
  for start in "$gf2" "$zt"; do
    name=$(basename "$start" .txt)
    "$fmm" search --shape "$f" --field gf2 --from "$start" --lift --threads 1 --seed 1 --time-limit "$secs" \
      --out "$out/$name" > /dev/null 2> "$out/$name.log"
    echo "$f from $name: $(grep -E 'done:' "$out/$name.log" | tail -1 | sed 's/.*done: //')" | tee -a "$out/summary.txt"
  done
done
