#!/usr/bin/env bash
# One device call: the order-6 symmetric <6,6,6> walk from several diagonal-cube starts side by
# side (issue 11: "another start"), each with its share of the cores, for about SECONDS. Usage,
# with carry [".deps"] after `scripts/device_search.sh prepare`:
#   scripts/device_666_cubes.sh SECONDS [CUBES ...]
# Each CUBES is a --cubes value (default: four starts other than the paper's 110000,001100,000011).
# The cube groups fix the number of invariant terms, hence the rank modulo 6: 3 fixed terms give
# 153 (the best known), 6 give 150 or 156, 1 gives 151 or 157, 2 give 152 or 158.
# Returns summary.txt (each start's finished runs by best rank) and logs.tgz; schemes land in
# schemes.tgz (each start's best schemes).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
seconds=${1:?usage: device_666_cubes.sh SECONDS [CUBES ...]}
shift
cubes=("$@")
[[ ${#cubes[@]} -gt 0 ]] || cubes=(100001,010010,001100 111111 standard 110011,001100)
. scripts/device_env.sh
cores=$(nproc)
threads=$(( cores / ${#cubes[@]} ))
(( threads >= 1 )) || threads=1
work=$(mktemp -d)
for i in "${!cubes[@]}"; do
  c=${cubes[$i]}
  "$fmm" search --shape 6x6x6 --field gf2 --symmetric --symmetry 6 --cubes "$c" --threads "$threads" \
    --walkers $(( threads * 4 )) --time-limit "$seconds" --seed $(( 20261206 + i )) \
    --out "$work/schemes_$i" > /dev/null 2> "$work/cubes_$i.log" &
done
wait
for i in "${!cubes[@]}"; do
  runs=$(grep -h 'finished runs' "$work/cubes_$i.log" | tail -1 | sed 's/.*orbit moves/orbit moves/')
  best=$(grep -h 'done:' "$work/cubes_$i.log" | tail -1 | sed 's/.*done: //')
  echo "cubes ${cubes[$i]} (threads $threads): $best | $runs"
done | tee "$out/summary.txt"
tar czf "$out/logs.tgz" -C "$work" $(cd "$work" && ls ./*.log)
if compgen -G "$work/schemes_*/*.txt" > /dev/null; then
  tar czf "$out/schemes.tgz" -C "$work" $(cd "$work" && ls -d schemes_*)
fi
rm -rf "$work"
