#!/usr/bin/env bash
# One device call: `fmm search --random-starts` (issue 11; results/search/random_starts/) on all
# cores, run after run (seeds FIRST_SEED, FIRST_SEED + 1, ...), each stopping at TARGET, until
# about SECONDS are used. Every run's time to the target is one sample of "time to TARGET on
# this many cores". Usage, with carry [".deps"] after `scripts/device_search.sh prepare`:
#   scripts/device_random_starts.sh SECONDS NxMxP TARGET [extra fmm search options...]
# env FIRST_SEED (default 1), THREADS (default: all cores), KRANGE (default 8-12).
# Returns summary.txt (one line per run: seed, outcome, seconds), logs.tgz and schemes.tgz.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
seconds=${1:?usage: device_random_starts.sh SECONDS NxMxP TARGET [options...]}
shape=${2:?shape} target=${3:?target}
shift 3
. scripts/device_env.sh
threads=${THREADS:-$(nproc)}
seed=${FIRST_SEED:-1}
work=$(mktemp -d)
start=$(date +%s)
while (( (left = seconds - ($(date +%s) - start)) >= 10 )); do
  log=$work/seed_$seed.log
  "$fmm" search --shape "$shape" --field gf2 --random-starts "${KRANGE:-8-12}" --threads "$threads" \
    --target-rank "$target" --time-limit "$left" --seed "$seed" --out "$work/schemes_$seed" "$@" > /dev/null 2> "$log"
  rc=$?
  done_line=$(grep -h 'done:' "$log" | tail -1 | sed 's/.*done: //')
  echo "seed $seed: exit $rc; $done_line; $(grep -h 'random starts:' "$log" | tail -1 | sed 's/.*random starts/random starts/')"
  seed=$(( seed + 1 ))
done | tee "$out/summary.txt"
(cd "$work" && tar czf "$out/logs.tgz" ./*.log)
if compgen -G "$work/schemes_*/*.txt" > /dev/null; then
  (cd "$work" && tar czf "$out/schemes.tgz" schemes_*)
fi
rm -rf "$work"
