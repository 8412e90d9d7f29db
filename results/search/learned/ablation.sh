#!/usr/bin/env bash
# The ablation of results/search/learned/README.md for one field: the tree search at an equal
# simulation budget with moves from today's heuristics, from no heuristic (bare), and from the
# network untrained / after the supervised phase / after supervised + self-play (train.sh), on
# the formats the models were trained for; several seeds. One tree, one thread per run (eval.sh).
# usage: ablation.sh z|gf2 [SIMS (10000)] [SEEDS ("1 2 3")] [FORMATS (2x2x2,2x2x3,2x3x3,2x2x4)]
set -euo pipefail
field=$1 sims=${2:-10000} seeds=${3:-1 2 3} formats=${4:-2x2x2,2x2x3,2x3x3,2x2x4}
fmm=${FMM:-build/cli/fmm}
here=results/search/learned
models=results/search/models
work=${WORK:-out/learn}
mkdir -p "$work"
# The untrained network is reproducible from the seed (train.sh's runs use --seed 1), so it is not committed.
"$fmm" train --init-only --field "$field" --shapes 2x2x2,2x2x3,2x3x3,2x2x4 --seed 1 --model "$work/small_${field}_untrained.fmmnet" > /dev/null
out=$here/ablation_${field}.csv
echo "# $(date -u +%FT%TZ) $(git rev-parse --short=12 HEAD) $(uname -n); sims $sims seeds $seeds; uptime: $(uptime)" > "$here/ablation_${field}.log"
"$here/eval.sh" "$out" "$sims" "$seeds" \
  "heuristics:$field:$formats:" \
  "bare:$field:$formats:--bare" \
  "selfplay:$field:$formats:--model $models/small_${field}.fmmnet --bare" \
  "supervised:$field:$formats:--model $models/small_${field}_supervised.fmmnet --bare" \
  "untrained:$field:$formats:--model $work/small_${field}_untrained.fmmnet --bare" >> "$here/ablation_${field}.log"
echo "# $(date -u +%FT%TZ) uptime: $(uptime)" >> "$here/ablation_${field}.log"
