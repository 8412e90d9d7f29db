#!/bin/bash
# Walk-policy comparison on <5,5,5> (no target: every run goes to its end): the paper's schedule,
# runs 4x shorter, and restarts from the pool's best; 2 threads, 400 s each, seed 11.
# usage: [FMM=path] results/search/symmetric_runs/policy/run_policy.sh   (from the repository root)
set -u
d=results/search/symmetric_runs/policy
for cfg in "default:" "short:--restart-after 8333333" "best:--restart-from best"; do
  name=${cfg%%:*}; args=${cfg#*:}
  { echo "# $(date -u +%FT%TZ) load before: $(cut -d' ' -f1-3 /proc/loadavg); git $(git rev-parse --short HEAD)"
    /usr/bin/time -f "# wall %e s, user %U s" "${FMM:-build/cli/fmm}" search --shape 5x5x5 --symmetric --threads 2 \
      --time-limit 400 --seed 11 $args
    echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"; } 2>&1 | grep -v " t=" > "$d/$name.log"
done
