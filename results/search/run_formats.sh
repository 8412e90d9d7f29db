#!/usr/bin/env bash
# Reproduces results/search/formats.csv and best_vs_time.csv: short flip-graph runs for every
# format 2 <= n<=m<=p <= 5, over GF2 (each new best GF2 scheme lifted to Z: sign lift, Hensel,
# flip neighbours, rational reconstruction; see search/lift/lift.hpp) and over Z (ternary walk).
# usage: results/search/run_formats.sh FMM_BINARY SECONDS_PER_RUN THREADS [LOG_DIR]
set -euo pipefail
fmm=${1:?fmm binary}; secs=${2:-20}; threads=${3:-2}
here=$(cd "$(dirname "$0")" && pwd)
logs=${4:-$(mktemp -d)}
mkdir -p "$logs"
schemes=$here/../schemes
csv=$here/formats.csv
series=$here/best_vs_time.csv
if [[ -z ${APPEND:-} ]]; then  # APPEND=1: add to the files (to finish an interrupted sweep)
  echo "format,field,best_rank,seconds_to_best,time_limit_s,threads,flips,seed,route,command" > "$csv"
  echo "format,field,seconds,rank" > "$series"
fi
shapes="2x2x2 2x2x3 2x2x4 2x2x5 2x3x3 2x3x4 2x3x5 2x4x4 2x4x5 2x5x5 3x3x3 3x3x4 3x3x5 3x4x4 3x4x5 3x5x5 4x4x4 4x4x5 4x5x5 5x5x5"
for shape in ${FORMATS:-$shapes}; do
  for field in gf2 z; do
    extra=(); [[ $field == gf2 ]] && extra=(--lift)
    cmd=("$fmm" search --shape "$shape" --field "$field" --threads "$threads" --time-limit "$secs" --seed 1
         --out "$schemes" "${extra[@]}")
    log=$logs/${shape}_${field}.log
    "${cmd[@]}" > /dev/null 2> "$log" || true
    tag=$(echo "$field" | tr a-z A-Z)
    grep -E "new best $shape rank [0-9]+ over (GF2|Z|Q) at" "$log" |
      sed -E "s/.* rank ([0-9]+) over ([A-Z0-9]+) at ([0-9.]+)s.*/\2,\3,\1/" |
      awk -F, -v s="$shape" -v f="$field" '{ t=$1; if (f=="gf2" && t!="GF2") t=t "-lifted"; print s "," tolower(t) "," $2 "," $3 }' >> "$series"
    best=$(grep -E "new best $shape rank [0-9]+ over $tag at" "$log" | tail -1)
    rank=$(sed -E 's/.* rank ([0-9]+) over .*/\1/' <<< "$best")
    at=$(sed -E 's/.* at ([0-9.]+)s .*/\1/' <<< "$best")
    flips=$(grep -E "done:" "$log" | sed -E 's/.*; ([0-9]+) flips.*/\1/')
    echo "$shape,$field,$rank,$at,$secs,$threads,$flips,1,walk,fmm search --shape $shape --field $field --threads $threads --time-limit $secs --seed 1 --out results/schemes ${extra[*]}" >> "$csv"
    if [[ $field == gf2 ]]; then
      for lf in Z Q; do
        lbest=$(grep -E "new best $shape rank [0-9]+ over $lf at" "$log" | tail -1 || true)
        [[ -z $lbest ]] && continue
        lr=$(sed -E 's/.* rank ([0-9]+) over .*/\1/' <<< "$lbest"); lat=$(sed -E 's/.* at ([0-9.]+)s .*/\1/' <<< "$lbest")
        # The lift report of that rank: which route lifted it.
        line=$(grep -E "lift of a rank-$lr scheme" "$log" | grep -vE ": (no lift found|not attempted|does not lift)" | tail -1 || true)
        case $line in
          *"the scheme itself has no small lift"*) route="flip-neighbour lift" ;;
          *": sign lift"*) route="sign lift" ;;
          *": Hensel lift"*) route="Hensel lift" ;;
          *"rational reconstruction"*) route="rational reconstruction" ;;
          *) route="?" ;;
        esac
        echo "$shape,$(echo $lf | tr A-Z a-z)(lifted from gf2),$lr,$lat,$secs,$threads,$flips,1,$route,(same run)" >> "$csv"
      done
    fi
  done
done
cat "$csv"
