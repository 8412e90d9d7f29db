#!/usr/bin/env bash
# Random-start trials (issue 11): short GF(2) flip walks, each from its own random start
# `random:NxMxP:K:SEED` (tensor/random_start.hpp: K random dense terms plus the rest of the
# tensor slice by slice), one thread each, until one reaches TARGET or the time is up.
# usage: trials.sh NxMxP TARGET SECONDS_PER_TRIAL TOTAL_SECONDS FIRST_SEED OUTDIR [KMIN KMAX]
#   env FMM (default build/cli/fmm). Prints one line per trial (seed, K, best GF(2) rank, time)
#   to OUTDIR/trials.tsv; the schemes of a trial at or below TARGET stay in OUTDIR/seed_S/.
#   env LIFT=1: Hensel-lift each new best to Z as well (fmm search --lift; kept beside it).
#   env SEARCH_ARGS: more fmm search options (e.g. "--drift 2000"), split at spaces.
#   env KEEP_GOING=1: go on after a hit (to measure the rate of hits, not the time to the first).
# Run one per core for parallel trials (disjoint seed ranges).
set -uo pipefail
shape=$1 target=$2 per=$3 total=$4 seed=$5 out=$6 kmin=${7:-8} kmax=${8:-12}
fmm=${FMM:-build/cli/fmm}
mkdir -p "$out"
start=$(date +%s)
[[ -s $out/trials.tsv ]] || printf 'seed\tK\tbest_gf2\tended_at_s\n' > "$out/trials.tsv"
while (( $(date +%s) - start + per <= total )); do
  k=$(( kmin + seed % (kmax - kmin + 1) ))
  best=$("$fmm" search --shape "$shape" --field gf2 --from "random:$shape:$k:$seed" --threads 1 \
    --time-limit "$per" --seed "$seed" --target-rank "$target" ${LIFT:+--lift} ${SEARCH_ARGS:-} --out "$out/seed_$seed" 2>&1 |
    sed -n 's/.*done: best rank gf2 \([0-9]*\).*/\1/p' | tail -n 1)
  printf '%s\t%s\t%s\t%s\n' "$seed" "$k" "${best:-?}" "$(( $(date +%s) - start ))" >> "$out/trials.tsv"
  if [[ -n $best ]] && (( best <= target )); then
    echo "seed $seed (K $k): rank $best at $(( $(date +%s) - start )) s"
    [[ ${KEEP_GOING:-0} == 1 ]] || exit 0
    hits=1
  else
    rm -rf "$out/seed_$seed"
  fi
  seed=$(( seed + 1 ))
done
[[ -n ${hits:-} ]] && exit 0
echo "no trial reached $target in $total s"
exit 1
