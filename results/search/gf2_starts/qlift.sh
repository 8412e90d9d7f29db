#!/usr/bin/env bash
# `fmm lift` (300 s each) of the campaign's GF(2) bests that lie below our integer rank.
# usage: qlift.sh FMM OUT
cd "$(dirname "$0")/../../.." || exit 2
fmm=$1 out=$2
mkdir -p "$out"
for f in 4x7x7 5x6x7 5x6x8 5x7x8 5x8x8 6x6x6 6x7x7 6x7x8 7x7x7 7x7x8; do
  s=$(ls results/search/campaign/schemes/"${f}"_r*_gf2.txt | sort -t_ -k2.2n | head -1)
  start=$SECONDS
  "$fmm" lift "$s" -o "$out/$(basename "$s" _gf2.txt)_lift.txt" --time-limit 300 > "$out/$f.log" 2>&1
  echo "$f $(basename "$s") $((SECONDS - start)) s: $(tail -1 "$out/$f.log")"
done
