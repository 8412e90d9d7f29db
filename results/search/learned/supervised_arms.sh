#!/usr/bin/env bash
# Supervised-only trainings of <2,2,2> GF(2) models that differ in their options ("arms"), side by
# side (one thread each, started together, a step budget: the models do not depend on the load),
# then the bare learned tree search with each model at a fixed simulation budget (eval.sh).
# usage: supervised_arms.sh DIR STEPS "SEEDS" NAME:ARGS...
#   e.g. supervised_arms.sh results/search/learned/demo_terms 20000 "1 2 3" "cap6:--demo-terms 6"
#   env: FMM (build/cli/fmm), WORK (out/learn: the resumable models), SIMS (8000), FIELD (gf2),
#        SHAPES (2x2x2: the formats trained and evaluated), EVAL (DIR/eval.csv)
# Writes DIR/NAME.log, DIR/NAME.csv (training curve) per arm and EVAL.
set -euo pipefail
here=$1 steps=$2 seeds=$3
shift 3
fmm=${FMM:-build/cli/fmm}
work=${WORK:-out/learn}
mkdir -p "$work" "$here"
field=${FIELD:-gf2} shapes=${SHAPES:-2x2x2} eval=${EVAL:-$here/eval.csv}
common=(--shapes "$shapes" --field "$field" --supervised-fraction 1 --steps "$steps" --seed 1 --threads 1)
train() {
  local name=$1
  shift
  {
    echo "# $(date -u +%FT%TZ) $(git rev-parse --short=12 HEAD) $(uname -n); uptime: $(uptime)"
    echo "# $fmm train ${common[*]} $*"
  } > "$here/$name.log"
  "$fmm" train "${common[@]}" "$@" --model "$work/$name.fmmnet" --log "$here/$name.csv" \
    --export "$work/${name}_export.fmmnet" 2>> "$here/$name.log"
  echo "# $(date -u +%FT%TZ) uptime: $(uptime)" >> "$here/$name.log"
}
arms=()
for arm in "$@"; do
  name=${arm%%:*} args=${arm#*:}
  rm -f "$here/$name.csv"
  # shellcheck disable=SC2086  # ARGS are options, split on purpose
  train "$name" $args &
  arms+=("$name:$field:$shapes:--model $work/${name}_export.fmmnet --bare")
done
wait
rm -f "$eval"
FMM=$fmm results/search/learned/eval.sh "$eval" "${SIMS:-8000}" "$seeds" "${arms[@]}"
