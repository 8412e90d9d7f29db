#!/usr/bin/env bash
# <3,4,5> over GF2 (best known 47), one thread pinned to core 1, SECS seconds a run: the default
# walk against the opt-in policies (--reductions general --focus 0.5 --descent 1000), from the
# standard algorithm and from the block-sum start (starts/3x4x5_blocksum_gf2.txt, rank 49),
# interleaved seed by seed. Logs go to OUT (default results/search/policies_345/); one line a
# run: configuration, seed, the last new best and when, and the flip count.
# With ABLATION=1: each of the three policies alone, from the standard algorithm.
# usage: [ABLATION=1] results/search/policies_345.sh FMM_BINARY [SECS] [SEEDS...]
set -euo pipefail
fmm=${1:?fmm binary}; secs=${2:-60}; shift 2 || true
seeds=${*:-1 2 3}
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$here/policies_345}
mkdir -p "$out"
policies="--reductions general --focus 0.5 --descent 1000"
start="--from $here/starts/3x4x5_blocksum_gf2.txt"
run() {  # run NAME SEED OPTIONS...
  local name=$1 seed=$2; shift 2
  local log="$out/${name}_seed$seed.log"
  # shellcheck disable=SC2068
  taskset -c 1 "$fmm" search --shape 3x4x5 --field gf2 --threads 1 --time-limit "$secs" --seed "$seed" $@ \
    > "$log" 2>&1 || true
  best=$(grep -E "new best 3x4x5 rank [0-9]+ over GF2 at" "$log" | tail -1 | sed -E 's/.* rank ([0-9]+) over GF2 at ([0-9.]+)s.*/rank \1 at \2 s/')
  flips=$(grep -E "^done:" "$log" | tail -1 | sed -E 's/.*; ([0-9]+ flips in [0-9.]+ s).*/\1/')
  echo "$name seed $seed: ${best:-no new best} ($flips)"
}
if [ -n "${ABLATION:-}" ]; then  # each policy alone, from the standard algorithm
  for seed in $seeds; do
    run general_only "$seed" --reductions general
    run focus_only "$seed" --focus 0.5
    run descent_only "$seed" --descent 1000
  done
  exit 0
fi
for seed in $seeds; do
  run default "$seed"
  run policies "$seed" $policies
done
for seed in $seeds; do
  run default_from_blocksum "$seed" $start
  run policies_from_blocksum "$seed" $policies $start
done
