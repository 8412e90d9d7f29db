#!/usr/bin/env bash
# Drift against the default plateau policy, side by side on the device's 16 cores: for each
# format, two one-thread GF(2) walks (with --lift) from the campaign's best GF(2) scheme, the
# default policy (plus transitions after a plateau without a new best, up to 4 above it, then
# back to it) and --drift (a plus transition after D flips without a reduction, up to 8 above
# the best; back to the best after 1e7 flips without a new one). D = 60 nmp, a fifth of the
# default plateau (300 nmp).
#   results/search/drift/device_drift.sh FMM SECONDS SEED OUTDIR [FORMAT ...]
# (on the device: export LD_LIBRARY_PATH=$PWD/.deps/lib first, as device_search.sh does)
set -euo pipefail
fmm=$1 seconds=$2 seed=$3 out=$4; shift 4
formats=("$@")
[[ ${#formats[@]} -gt 0 ]] || formats=(4x4x5 3x3x6 3x5x5 4x5x5 3x4x7 3x3x7 2x5x6 4x4x7)
source results/search/campaign/best_scheme.sh
mkdir -p "$out"
for f in "${formats[@]}"; do
  start=$(best_scheme "$f" 'gf2 z zt')
  IFS=x read -r n m p <<< "$f"
  drift=$((60 * n * m * p))
  for arm in default drift; do
    opts=(); [[ $arm == drift ]] && opts=(--drift "$drift" --plus-slack 8 --plateau 10000000)
    mkdir -p "$out/$arm"
    ( echo "# $f $arm from $start: $fmm search --shape $f --from $start --threads 1 --time-limit $seconds --seed $seed --lift ${opts[*]}"
      "$fmm" search --shape "$f" --from "$start" --threads 1 --time-limit "$seconds" --seed "$seed" --lift \
        --out "$out/$arm" "${opts[@]}" 2>&1 >/dev/null | grep -E "new best|done:|error" ) > "$out/${f}_$arm.log" 2>&1 &
  done
done
wait
for f in "${formats[@]}"; do
  for arm in default drift; do
    printf '%s %-8s %s\n' "$f" "$arm" "$(grep 'done:' "$out/${f}_$arm.log" | tail -1 | sed -E 's/.*done: //; s/; best schemes [0-9a-f]+//')"
  done
done | tee "$out/summary.txt"
