#!/usr/bin/env bash
# The curriculum experiment (README.md, "A curriculum over the demonstrations' size"): the same
# supervised training of a <2,2,2> GF(2) model with and without `--curriculum`, side by side,
# then the bare learned tree search with each model (supervised_arms.sh).
# usage: curriculum.sh STEPS CURRICULUM "SEEDS"      e.g. curriculum.sh 12000 0.5 "1 2 3"
#   env: FMM (build/cli/fmm), WORK (out/learn: the resumable models), SIMS (8000)
set -euo pipefail
steps=$1 share=$2 seeds=$3
exec "$(dirname "$0")/supervised_arms.sh" results/search/learned/curriculum "$steps" "$seeds" \
  "plain:--curriculum 0" "curriculum:--curriculum $share"
