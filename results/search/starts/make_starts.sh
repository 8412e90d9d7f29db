#!/bin/bash
# Block-sum starts for the formats n <= m <= p <= 5 whose best known rank the walk from the
# standard algorithm does not reach: two verified schemes of smaller formats (results/schemes/,
# permuted with `fmm transform --permute`) placed side by side (block_sum.py), then verified.
# usage: make_starts.sh FMM [OUTDIR]    (OUTDIR defaults to this folder)
set -euo pipefail
FMM=${1:?usage: make_starts.sh FMM [OUTDIR]}
HERE=$(cd "$(dirname "$0")" && pwd)
S=$HERE/../../schemes
OUT=$(realpath "${2:-$HERE}")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
sum() {  # sum NAME FIELD A PERM_A B PERM_B AXIS
  local name=$1 f=$2 a="$3_$f.permute_$4.txt" b="$5_$f.permute_$6.txt"
  # Named after their origin (results/schemes/FILE, permuted): the source line says which.
  "$FMM" transform "$S/$3_$f.txt" -o "$T/$a" --permute "$4" > /dev/null
  "$FMM" transform "$S/$5_$f.txt" -o "$T/$b" --permute "$6" > /dev/null
  (cd "$T" && python3 "$HERE/../block_sum.py" "$a" "$b" "$7" "$OUT/$name.txt")
  "$FMM" verify "$OUT/$name.txt" --field "$f" | sed 's/^/  /'
}
for f in gf2 z; do
  sum 3x4x5_blocksum_$f $f 2x3x4_r20 mpn 3x3x4_r29 npm p   # <3,4,2> + <3,4,3>: 20 + 29 = 49
  sum 3x5x5_blocksum_$f $f 2x3x5_r25 mpn 3x3x5_r36 npm p   # <3,5,2> + <3,5,3>: 25 + 36 = 61
  sum 4x4x5_blocksum_$f $f 2x4x4_r26 mpn 3x4x4_r38 mpn p   # <4,4,2> + <4,4,3>: 26 + 38 = 64
  sum 4x5x5_blocksum_$f $f 2x5x5_r40 nmp 2x5x5_r40 nmp n   # <2,5,5> + <2,5,5>: 40 + 40 = 80
done
