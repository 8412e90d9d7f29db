#!/usr/bin/env bash
# The training runs behind results/search/learned/README.md. Each run: $THREADS threads (default 2),
# nice -n 5, a wall-clock
# budget (the CPU seconds it actually got are in the model file, the CSV and the log, with uptime
# before and after: the machine is shared). Models go to results/search/models/ (an inference copy
# without the optimizer state; the full file, resumable with --resume, stays in $WORK).
# usage: train.sh small-z | small-gf2 | 333-gf2
#   env: FMM=path/to/fmm, WORK=dir for full models, THREADS (2), TIME=wall seconds (3600 for the
#   small formats, 14400 for 333-gf2: the budgets; less on a shared 2-core machine),
#   CPU_TIME=CPU seconds (small formats: also stop there; the budget in CPU terms on more cores)
set -euo pipefail
fmm=${FMM:-build/cli/fmm}
work=${WORK:-out/learn}
here=results/search/learned
models=results/search/models
mkdir -p "$work" "$models"
run() {
  local name=$1
  shift
  {
    echo "# $(date -u +%FT%TZ) $(git rev-parse --short=12 HEAD) $(uname -n); uptime: $(uptime)"
    echo "# nice -n 5 $fmm train $*"
  } > "$here/$name.log"
  nice -n 5 "$fmm" train "$@" --threads "${THREADS:-2}" --model "$work/$name.fmmnet" --log "$here/$name.csv" \
    --supervised-model "$models/${name}_supervised.fmmnet" --export "$models/$name.fmmnet" 2>> "$here/$name.log"
  echo "# $(date -u +%FT%TZ) uptime: $(uptime)" >> "$here/$name.log"
  # the untrained network (the ablation's first arm) is reproducible from the seed: not committed
  "$fmm" train --init-only "$@" --model "$work/${name}_untrained.fmmnet" > /dev/null
}
small="--shapes 2x2x2,2x2x3,2x3x3,2x2x4 --time-limit ${TIME:-3600} ${CPU_TIME:+--cpu-time-limit $CPU_TIME} --supervised-fraction 0.4 --restarts 0.75 --seed 1"
case ${1:-} in
  small-z) run small_z --field z $small ;;
  small-gf2) run small_gf2 --field gf2 $small ;;
  333-gf2) run 333_gf2 --field gf2 --shapes 3x3x3 --time-limit ${TIME:-14400} --supervised-fraction 0.3 --restarts 0.75 \
             --seed 1 --simulations 48 --games-per-round 4 --steps-per-round 32 ;;
  *) echo "usage: $0 small-z | small-gf2 | 333-gf2" >&2; exit 2 ;;
esac
