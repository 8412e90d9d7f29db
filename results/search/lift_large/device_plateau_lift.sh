#!/usr/bin/env bash
# Plateau lifting on the device's 16 cores: for each format, a one-thread GF(2) walk with --lift
# from the campaign's best GF(2) scheme. Walkers that sit at that rank hand in the schemes they
# are at, and the search lifts each distinct one: some GF(2) schemes of a rank lift to Z where
# others do not (Kauers-Moosbauer 2023). On 2x4x8 and 4x5x5 this lifted, within minutes, ranks
# whose single campaign scheme had not lifted (../drift/README.md, README.md here).
#   results/search/lift_large/device_plateau_lift.sh FMM SECONDS SEED OUTDIR FORMAT...
# (on the device: export LD_LIBRARY_PATH=$PWD/.deps/lib first, as device_search.sh does)
# RINGS (default gf2) names the campaign rings the start is taken from, e.g. RINGS='gf2 z zt' for a
# format whose lowest-rank scheme is an integer one (the walk reads it mod 2).
set -euo pipefail
fmm=$1 seconds=$2 seed=$3 out=$4; shift 4
source results/search/campaign/best_scheme.sh
mkdir -p "$out/schemes"
for f in "$@"; do
  src=$(best_scheme "$f" "${RINGS:-gf2}")
  # timeout: a lift of a large scheme once kept a walk (5x8x8, rank 235) past the device call's
  # end, and the call returned nothing; SIGINT makes fmm save what it found and stop. grep
  # --line-buffered: a killed call still leaves the lines written so far.
  ( echo "# $fmm search --shape $f --from $src --threads 1 --time-limit $seconds --seed $seed --lift"
    timeout -s INT -k 20 $((seconds + 30)) \
      "$fmm" search --shape "$f" --from "$src" --threads 1 --time-limit "$seconds" --seed "$seed" --lift \
      --out "$out/schemes" 2>&1 >/dev/null | grep --line-buffered -E "new best|done:|error|declin|lift of" | cut -c1-400 ) \
    > "$out/$f.log" 2>&1 &
done
wait
for f in "$@"; do printf '%s %s\n' "$f" "$(grep -h 'done:' "$out/$f.log" | tail -1)"; done | tee "$out/summary.txt"
