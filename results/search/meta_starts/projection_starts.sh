#!/usr/bin/env bash
# Projection starts, two fmm builds side by side: for every format n <= m <= p <= 8, the best
# start `fmm meta start` builds from the campaign's schemes of formats one or two larger (the
# campaign's "projection" start; results/search/meta_starts.md), over {-1,0,1} and GF(2).
#   results/search/meta_starts/projection_starts.sh OLD_FMM NEW_FMM [LIBRARY] > projection_starts.tsv
set -euo pipefail
source "$(dirname "$0")/larger_library.sh"
old=$(realpath "$1")
new=$(realpath "$2")
library=$(realpath "${3:-$(dirname "$0")/../campaign/schemes}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo -e "format\tring\told_start\tnew_start"
for n in 2 3 4 5 6 7 8; do for m in $(seq "$n" 8); do for p in $(seq "$m" 8); do
  f=${n}x${m}x${p}
  larger_library "$library" "$work/lib" "$n" "$m" "$p"
  ls "$work/lib"/*.txt >/dev/null 2>&1 || continue
  for ring in zt gf2; do
    r_old=$("$old" meta start --shape "$f" --ring "$ring" --library "$work/lib" -o "$work/o.txt" 2>/dev/null | sed -nE 's/^wrote .* rank ([0-9]+) valid.*/\1/p')
    r_new=$("$new" meta start --shape "$f" --ring "$ring" --library "$work/lib" -o "$work/n.txt" 2>/dev/null | sed -nE 's/^wrote .* rank ([0-9]+) valid.*/\1/p')
    echo -e "$f\t$ring\t${r_old:--}\t${r_new:--}"
  done
done; done; done
