#!/bin/bash
# <5,5,5> rank 93 over GF(2), lifted to Z: the issue-11 target run (2 threads, 10 minutes per seed).
# usage: [FMM=path/to/fmm] results/search/symmetric_runs/run_555.sh SEED...   (from the repository root)
set -u
out=results/search/symmetric_runs
for s in "$@"; do
  dir=$out/555_seed$s
  rm -rf "$dir" && mkdir -p "$dir"
  { echo "# $(date -u +%FT%TZ) $(uname -n) $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg); git $(git rev-parse --short HEAD)"
    /usr/bin/time -f "# wall %e s, user %U s, sys %S s" \
      "${FMM:-build/cli/fmm}" search --shape 5x5x5 --symmetric --threads 2 --time-limit 600 --seed "$s" --target-rank 93 --lift --out "$dir"
    echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  } > "$dir/run.log" 2>&1
  # keep the best schemes only (every new best was saved on the way)
  find "$dir" -name '5x5x5_r*.txt' ! -name '5x5x5_r93_*' -delete
done
