#!/usr/bin/env bash
# The rank-one proposals of the policy head (README.md, "The policy head reads rank-one
# proposals", 2026-12-05), one thread, step budgets (the models do not depend on the load):
#   proposals.sh sums    supervised runs of 5000 steps on sums of at most K random terms of <2,2,2>,
#                        K = 2, 3, 4, over gf2 and z: DIR/prop_FIELD_capK.{log,csv}
#   proposals.sh model   a model of the formats SHAPES over FIELD (default <2,2,2>, GF(2)): STEPS
#                        (20000) supervised steps on the full range of sums (supervised_arms.sh: the
#                        model WORK/NAME.fmmnet, DIR/NAME.{log,csv}, its bare learned search, seeds
#                        1-3, in DIR/eval.csv for the default NAME, else DIR/eval_NAME_supervised.csv),
#                        then `selfplay` from it with restarts 0.75 as NAME_selfplay
#   proposals.sh selfplay FROM NAME RESTARTS
#                        self-play resumed from a copy of the model FROM (with its optimizer state) up
#                        to SELFPLAY_STEPS (24000) steps in all, restart share RESTARTS, then the bare
#                        learned search with it on SHAPES over FIELD: DIR/NAME.{log,csv},
#                        DIR/eval_NAME.csv; SEED (1) seeds the games (it trains on the model's own
#                        formats: SHAPES only picks the formats evaluated)
#   env: FMM (build/cli/fmm), WORK (out/learn: the resumable models), SIMS (8000), FIELD (gf2),
#        SHAPES (2x2x2), NAME (prop222), STEPS (20000), SELFPLAY_STEPS (24000)
#   e.g. FIELD=z NAME=prop222_z proposals.sh model
set -euo pipefail
here=results/search/learned/inductive_bias
fmm=${FMM:-build/cli/fmm}
work=${WORK:-out/learn}
field=${FIELD:-gf2} shapes=${SHAPES:-2x2x2} name=${NAME:-prop222}
mkdir -p "$work"
stamp() { echo "# $(date -u +%FT%TZ) $(git rev-parse --short=12 HEAD) $(uname -n); uptime: $(uptime)"; }
selfplay() {
  local from=$1 name=$2 restarts=$3
  cp "$from" "$work/$name.fmmnet"
  rm -f "$here/$name.csv" "$here/eval_$name.csv"
  stamp > "$here/$name.log"
  "$fmm" train --resume --field "$field" --model "$work/$name.fmmnet" --steps "${SELFPLAY_STEPS:-24000}" --threads 1 \
    --seed "${SEED:-1}" --restarts "$restarts" --log "$here/$name.csv" --export "$work/${name}_export.fmmnet" \
    2>> "$here/$name.log"
  FMM=$fmm results/search/learned/eval.sh "$here/eval_$name.csv" "${SIMS:-8000}" "1 2 3" \
    "$name:$field:$shapes:--model $work/${name}_export.fmmnet --bare"
}
case ${1:-} in
  sums)
    for field in gf2 z; do
      for k in 2 3 4; do
        name=prop_${field}_cap$k
        rm -f "$here/$name.csv"
        stamp > "$here/$name.log"
        "$fmm" train --shapes 2x2x2 --field "$field" --supervised-fraction 1 --steps 5000 --seed 1 --threads 1 \
          --demo-terms "$k" --model "$work/$name.fmmnet" --log "$here/$name.csv" 2>> "$here/$name.log"
      done
    done
    ;;
  model)
    eval=$here/eval.csv
    [ "$name" = prop222 ] || eval=$here/eval_${name}_supervised.csv
    FMM=$fmm WORK=$work FIELD=$field SHAPES=$shapes EVAL=$eval \
      results/search/learned/supervised_arms.sh "$here" "${STEPS:-20000}" "1 2 3" "$name:"
    selfplay "$work/$name.fmmnet" "${name}_selfplay" 0.75
    ;;
  selfplay) selfplay "$2" "$3" "$4" ;;
  *) echo "usage: proposals.sh sums | model | selfplay FROM NAME RESTARTS" >&2; exit 2 ;;
esac
