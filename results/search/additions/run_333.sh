#!/bin/bash
# Fewest additions for <3,3,3;23>: many starts, a short additions walk on each.
# Each seed: a rank-23 scheme over Z from the flip search (standard algorithm, plus transitions),
# then `fmm search --objective additions` on it. The walk settles within seconds in the basin of
# its start, so many short runs beat one long one (results/search/additions.md).
#   results/search/additions/run_333.sh FMM FIRST_SEED LAST_SEED [WALK_SECONDS] [OUT_DIR]
set -u
FMM=${1:?fmm binary}; FIRST=${2:?first seed}; LAST=${3:?last seed}; WALK=${4:-30}
OUT=${5:-results/search/additions/runs_333}
mkdir -p "$OUT"
CSV="$OUT/summary.csv"
[ -f "$CSV" ] || echo "seed,start_additions,start_naive,best_additions,best_naive,moves,seconds" > "$CSV"
for s in $(seq "$FIRST" "$LAST"); do
  d="$OUT/seed$s"
  mkdir -p "$d"
  "$FMM" search --shape 3x3x3 --field z --target-rank 23 --seed "$s" --time-limit 60 --out "$d/start" > "$d/start.log" 2>&1 || continue
  "$FMM" search --objective additions --from "$d/start/3x3x3_r23_z.txt" --time-limit "$WALK" --seed "$s" --out "$d" \
      > "$d/additions.out" 2> "$d/additions.log" || continue
  # "additions: 78 -> 60 after CSE (naive 159 -> 114), rank 23 -> 23; 1376000 moves in 164.614 s"
  sed -n 's/^additions: \([0-9]*\) -> \([0-9]*\) after CSE (naive \([0-9]*\) -> \([0-9]*\)), rank [0-9]* -> [0-9]*; \([0-9]*\) moves in \([0-9.]*\) s.*/'"$s"',\1,\3,\2,\4,\5,\6/p' \
      "$d/additions.out" >> "$CSV"
done
