#!/usr/bin/env bash
# Reproduces results/search/formats.csv: short flip-graph runs for every format n<=m<=p<=4,
# over GF2 (with Hensel lifting to Z) and over Z (ternary walk), each with a time limit.
# usage: results/search/run_formats.sh FMM_BINARY SECONDS_PER_RUN THREADS
set -euo pipefail
fmm=${1:?fmm binary}; secs=${2:-20}; threads=${3:-2}
here=$(cd "$(dirname "$0")" && pwd)
schemes=$here/../schemes
csv=$here/formats.csv
echo "format,field,best_rank,seconds_to_best,time_limit_s,threads,flips,seed,command" > "$csv"
for shape in 2x2x2 2x2x3 2x2x4 2x3x3 2x3x4 2x4x4 3x3x3 3x3x4 3x4x4 4x4x4; do
  for field in gf2 z; do
    extra=(); [[ $field == gf2 ]] && extra=(--lift)
    cmd=("$fmm" search --shape "$shape" --field "$field" --threads "$threads" --time-limit "$secs" --seed 1
         --out "$schemes" "${extra[@]}")
    log=$(mktemp)
    "${cmd[@]}" > /dev/null 2> "$log" || true
    tag=$(echo "$field" | tr a-z A-Z)
    best=$(grep -E "new best $shape rank [0-9]+ over $tag at" "$log" | tail -1)
    rank=$(sed -E 's/.* rank ([0-9]+) over .*/\1/' <<< "$best")
    at=$(sed -E 's/.* at ([0-9.]+)s .*/\1/' <<< "$best")
    flips=$(grep -E "done:" "$log" | sed -E 's/.*; ([0-9]+) flips.*/\1/')
    echo "$shape,$field,$rank,$at,$secs,$threads,$flips,1,fmm search --shape $shape --field $field --threads $threads --time-limit $secs --seed 1 --out results/schemes ${extra[*]}" >> "$csv"
    if [[ $field == gf2 ]]; then
      zbest=$(grep -E "new best $shape rank [0-9]+ over Z at" "$log" | tail -1 || true)
      if [[ -n $zbest ]]; then
        zr=$(sed -E 's/.* rank ([0-9]+) over .*/\1/' <<< "$zbest"); zat=$(sed -E 's/.* at ([0-9.]+)s .*/\1/' <<< "$zbest")
        echo "$shape,z(lifted from gf2),$zr,$zat,$secs,$threads,$flips,1,(same run)" >> "$csv"
      fi
    fi
    rm -f "$log"
  done
done
cat "$csv"
