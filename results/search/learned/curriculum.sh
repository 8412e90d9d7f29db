#!/usr/bin/env bash
# The curriculum experiment (README.md, "A curriculum over the demonstrations' size"): the same
# supervised training of a <2,2,2> GF(2) model with and without `--curriculum`, side by side
# (one thread each, started together, a step budget: the models do not depend on the load), then
# the bare learned tree search with each model at a fixed simulation budget (eval.sh).
# usage: curriculum.sh STEPS CURRICULUM "SEEDS"      e.g. curriculum.sh 12000 0.5 "1 2 3"
#   env: FMM (build/cli/fmm), WORK (out/learn: the resumable models), SIMS (8000)
set -euo pipefail
steps=$1 share=$2 seeds=$3
fmm=${FMM:-build/cli/fmm}
work=${WORK:-out/learn}
here=results/search/learned/curriculum
mkdir -p "$work" "$here"
common="--shapes 2x2x2 --field gf2 --supervised-fraction 1 --steps $steps --seed 1 --threads 1"
train() {
  local name=$1
  shift
  {
    echo "# $(date -u +%FT%TZ) $(git rev-parse --short=12 HEAD) $(uname -n); uptime: $(uptime)"
    echo "# $fmm train $common $*"
  } > "$here/$name.log"
  "$fmm" train $common "$@" --model "$work/$name.fmmnet" --log "$here/$name.csv" \
    --export "$work/${name}_export.fmmnet" 2>> "$here/$name.log"
  echo "# $(date -u +%FT%TZ) uptime: $(uptime)" >> "$here/$name.log"
}
rm -f "$here"/plain.csv "$here"/curriculum.csv "$here"/eval.csv
train plain --curriculum 0 &
train curriculum --curriculum "$share" &
wait
FMM=$fmm results/search/learned/eval.sh "$here/eval.csv" "${SIMS:-8000}" "$seeds" \
  "plain:gf2:2x2x2:--model $work/plain_export.fmmnet --bare" \
  "curriculum:gf2:2x2x2:--model $work/curriculum_export.fmmnet --bare"
