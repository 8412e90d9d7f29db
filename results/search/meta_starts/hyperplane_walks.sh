#!/usr/bin/env bash
# Do lower projection starts walk further? For each format, the projection start (the best
# `fmm meta start` from the campaign's schemes of formats one or two larger) built by OLD_FMM
# (coordinate projections only) and by NEW_FMM (hyperplanes too), each walked by NEW_FMM with the
# same flip budget and seeds (4 walkers, one thread; a flip budget, so load does not matter).
#   results/search/meta_starts/hyperplane_walks.sh OLD_FMM NEW_FMM RING "FORMATS" [FLIPS] [SEEDS] > hyperplane_walks.tsv
set -euo pipefail
source "$(dirname "$0")/larger_library.sh"
old=$(realpath "$1")
new=$(realpath "$2")
ring=$3
formats=$4
flips=${5:-100000000}
seeds=${6:-"1 2"}
library=$(realpath "$(dirname "$0")/../campaign/schemes")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
field=$([[ $ring == gf2 ]] && echo gf2 || echo z)
echo -e "format\tring\tstart_by\tstart_rank\tseed\tbest_rank\tflips"
for f in $formats; do
  IFS=x read -r n m p <<<"$f"
  larger_library "$library" "$work/lib" "$n" "$m" "$p"
  for by in old new; do
    bin=$([[ $by == old ]] && echo "$old" || echo "$new")
    "$bin" meta start --shape "$f" --ring "$ring" --library "$work/lib" -o "$work/$by.txt" >/dev/null
    r0=$(head -1 "$work/$by.txt" | awk '{print $6}')
    for seed in $seeds; do
      out=$("$new" search --shape "$f" --field "$field" --threads 1 --walkers 4 --max-flips "$flips" --seed "$seed" \
        --from "$work/$by.txt" --plus-from-start 2>&1 | grep '^done:')
      if [[ $field == gf2 ]]; then best=$(sed -E 's/.*best rank gf2 ([0-9]+).*/\1/' <<<"$out"); else best=$(sed -E 's/.*, z ([0-9]+).*/\1/' <<<"$out"); fi
      got=$(sed -E 's/.*; ([0-9]+) flips.*/\1/' <<<"$out")
      echo -e "$f\t$ring\t$by\t$r0\t$seed\t$best\t$got"
    done
  done
done
