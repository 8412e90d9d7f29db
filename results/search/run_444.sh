#!/usr/bin/env bash
# <4,4,4> from the standard algorithm (64) towards 49 over GF2, 2 threads, 30 s, seeds 1..N:
# prints the rank each seed reached and when (as logged by `fmm search`). Extra arguments are
# passed to `fmm search` (e.g. --plateau 8000).
# usage: results/search/run_444.sh FMM_BINARY [N] [extra fmm search options...]
set -euo pipefail
fmm=${1:?fmm binary}; n=${2:-5}; shift 2 || true
for seed in $(seq "${FIRST_SEED:-1}" "$n"); do
  log=$("$fmm" search --shape 4x4x4 --target-rank 49 --threads 2 --time-limit 30 --seed "$seed" "$@" 2>&1 >/dev/null || true)
  best=$(grep -E "new best 4x4x4 rank [0-9]+ over GF2 at" <<< "$log" | tail -1 | sed -E 's/.* rank ([0-9]+) over GF2 at ([0-9.]+)s.*/rank \1 at \2 s/')
  cpu=$(grep -E "done:" <<< "$log" | tail -1 | sed -E 's/.*done: //')
  echo "seed $seed: $best ($cpu)"
done
