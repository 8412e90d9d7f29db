#!/usr/bin/env bash
# Each <4,4,4> scheme FILE, in the orientations PERMS (fmm transform --permute; default nmp only),
# grown by a column into <4,4,5> and walked over GF(2) for SECONDS on one core, seeds SEEDS
# (default 1), one walk per core (scripts/device_walks.sh). Prints "NAME RANK SECONDS" per walk
# (rank 60 stops a walk); logs and schemes land in OUT/logs.tgz and OUT/schemes.tgz.
# usage: [FMM=build/cli/fmm] [OUT=/tmp/grow445] [PERMS="nmp mpn pnm pmn npm mnp"] [SEEDS="1 2"] \
#          results/search/random_starts/chain/grow_445.sh SECONDS FILE...
# rate_445/: SECONDS=20 SEEDS="1 2" over the 13 committed 47s and stage 1's seed-302 47 (VM);
# orientations_445/: SECONDS=15, all six PERMS, the 47s of seeds 1, 3, 5 and 302.
set -uo pipefail
F=$(realpath "${FMM:-build/cli/fmm}")
O=$(realpath -m "${OUT:-/tmp/grow445}")
secs=${1:?usage: grow_445.sh SECONDS FILE...}
shift
mkdir -p "$O"
for f in "$@"; do
  for o in ${PERMS:-nmp}; do
    n=$(basename "$f" .txt)_$o
    "$F" transform "$f" -o "$O/$n.txt" --permute "$o" > /dev/null || exit 2
    for s in ${SEEDS:-1}; do
      echo "${n}_s$s --shape 4x4x5 --field gf2 --from $O/$n.txt --target-rank 60 --seed $s"
    done
  done
done > "$O/jobs.txt"
OUT=$O FMM=$F "$(dirname "$0")/../../../../scripts/device_walks.sh" "$secs" "$O/jobs.txt" || exit 2
sed 's/^\([^:]*\): best rank gf2 \([0-9]*\).*flips in \([0-9.]*\) s$/\1 \2 \3/' "$O/summary.txt"
