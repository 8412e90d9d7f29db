#!/usr/bin/env bash
# The learned search at a fixed simulation budget, against today's heuristics: one CSV row per
# (arm, format, field, seed) with the best rank, simulations, wall and CPU seconds. Every scheme
# the search reports is verified by fmm before it is counted (the pool verifies; --out writes only
# verified files, re-checked here with fmm verify).
# usage: eval.sh OUT.csv SIMS "SEEDS" ARM... where ARM is NAME:FIELD:FORMATS:ARGS, e.g.
#   "selfplay-z:z:2x2x2,2x2x3:--model results/search/models/small_z.fmmnet --candidates net --bare"
#   "heuristics:z:2x2x2:"            (today's default search)
set -euo pipefail
out=$1 sims=$2 seeds=$3
shift 3
fmm=${FMM:-build/cli/fmm}
work=$(mktemp -d)
[ -f "$out" ] || echo "arm,format,field,seed,best_rank,simulations,wall_s,cpu_s,verified" > "$out"
for arm in "$@"; do
  IFS=: read -r name field formats args <<< "$arm"
  for fmt in ${formats//,/ }; do
    for seed in $seeds; do
      dir=$work/$name-$fmt-$seed
      # One tree on one thread: the result depends only on (seed, budget), not on the load.
      /usr/bin/time -f "%e %U %S" -o "$work/time" $fmm search --method mcts --shape "$fmt" --field "$field" \
        --max-flips "$sims" --walkers 1 --threads 1 --seed "$seed" --simulations 64 --out "$dir" $args \
        > "$work/log" 2>&1 || true
      # "done: best rank gf2 8 (+1), z -; ...": each rank may carry its distance to the best known
      rank=$(sed -n 's/^done: best rank gf2 \([-0-9]*\)[^,]*, z \([-0-9]*\)[^;]*;.*/\1 \2/p' "$work/log" | awk -v f="$field" '{print (f=="gf2") ? $1 : $2}')
      moves=$(sed -n 's/^done: .*; \([0-9]*\) moves in .*/\1/p' "$work/log")
      read -r wall user sys < "$work/time"
      ok=no
      best=$(ls "$dir"/*_r"$rank"_*.txt 2>/dev/null | head -1 || true)
      if [ -n "$best" ] && $fmm verify "$best" > /dev/null 2>&1; then ok=yes; fi
      echo "$name,$fmt,$field,$seed,$rank,$moves,$wall,$(echo "$user + $sys" | bc),$ok" | tee -a "$out"
    done
  done
done
rm -rf "$work"
