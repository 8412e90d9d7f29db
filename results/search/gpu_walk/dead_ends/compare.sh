#!/usr/bin/env bash
# The bank walk on dead ends (schemes where no two terms share a factor), before and after the
# dead-end check of search/flip/bank_walk.hpp: the same bank, seed and step budget on the host
# emulation (the GPU's code on one CPU thread), from a rank-49 <4,4,4> GF(2) scheme of the H200's
# bank (../call7/), and over GF(2) and {-1,0,1} from the campaign's Hopcroft-Kerr <2,7,7;77>
# (copied here).
#   usage: compare.sh FMM_BEFORE FMM_AFTER OUTDIR
set -euo pipefail
before=${1:?fmm before}; after=${2:?fmm after}; out=${3:?outdir}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
for v in before after; do
  fmm=$before; [[ $v == after ]] && fmm=$after
  "$fmm" search --shape 4x4x4 --field gf2 --backend gpu-emulated --from "$here/4x4x4_r49_gf2.txt" \
    --walkers 32 --threads 1 --max-flips 20000000 --seed 1 >"$out/444_r49_$v.log" 2>&1
  for field in gf2 z; do
    "$fmm" search --shape 2x7x7 --field $field --backend gpu-emulated --from "$here/2x7x7_r77_zt.txt" \
      --walkers 32 --threads 1 --max-flips 20000000 --seed 1 >"$out/277_r77_${field}_$v.log" 2>&1
  done
  for f in "$out"/444_r49_$v.log "$out"/277_r77_gf2_$v.log "$out"/277_r77_z_$v.log; do
    echo "$(basename "$f"): $(grep -E 'bank walk:' "$f" | tail -n 1 | cut -d' ' -f3-)"
  done
done
