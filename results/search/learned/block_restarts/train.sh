#!/usr/bin/env bash
# One-format model of <2,2,4> (or SHAPES) over FIELD with block restarts (search/learn/restarts.hpp):
# one `fmm train`, one thread, to CPU_LIMIT CPU seconds in all (the issue's hour), a supervised
# share of SUP, then self-play with restarts 0.75, half of them by the block law, 8 optimizer steps
# per round of 8 games. Then the bare learned search from T, seeds 1-3, 8 000 simulations (eval.sh).
#   env: FMM (build/cli/fmm), WORK (out/learn), FIELD (gf2), SHAPES (2x2x4), NAME (block224_FIELD),
#        CPU_LIMIT (3590), SUP (0.15), BLOCKS (0.5), SEED (1)
set -euo pipefail
here=results/search/learned/block_restarts
fmm=${FMM:-build/cli/fmm}
work=${WORK:-out/learn}
field=${FIELD:-gf2} shapes=${SHAPES:-2x2x4}
name=${NAME:-block224_$field}
mkdir -p "$work"
rm -f "$here/eval_$name.csv"
# RESUME=1 continues WORK/NAME.fmmnet (its CPU seconds count towards CPU_LIMIT) and appends to its log and curve.
resume=()
if [ -n "${RESUME:-}" ]; then resume=(--resume); else rm -f "$here/$name.csv" "$here/$name.log"; fi
echo "# $(date -u +%FT%TZ) $(git rev-parse --short=12 HEAD) $(uname -n) $("$fmm" --version); uptime: $(uptime)" >> "$here/$name.log"
"$fmm" train "${resume[@]}" --shapes "$shapes" --field "$field" --model "$work/$name.fmmnet" --cpu-time-limit "${CPU_LIMIT:-3590}" \
  --supervised-fraction "${SUP:-0.15}" --threads 1 --seed "${SEED:-1}" --restarts 0.75 --restart-blocks "${BLOCKS:-0.5}" \
  --steps-per-round 8 --log "$here/$name.csv" --export "$work/${name}_export.fmmnet" \
  --supervised-model "$work/${name}_supervised.fmmnet" 2>> "$here/$name.log"
echo "# $(date -u +%FT%TZ) done; uptime: $(uptime)" >> "$here/$name.log"
FMM=$fmm results/search/learned/eval.sh "$here/eval_$name.csv" "${SIMS:-8000}" "1 2 3" \
  "$name:$field:$shapes:--model $work/${name}_export.fmmnet --bare"
