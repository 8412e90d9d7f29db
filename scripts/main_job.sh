#!/usr/bin/env bash
# The main job on an already built tree: search <3,3,3> from the standard algorithm (rank 27)
# down to rank 23 over GF(2) with flip-graph walks, Hensel-lift the result to the integers (or
# the rationals), verify it independently, and generate CUDA and C++ GEMM code from it.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${FMM_OUT:-out}
fmm=build/cli/fmm
rm -rf "$out" && mkdir -p "$out"

$fmm search --shape 3x3x3 --field gf2 --target-rank 23 --lift --threads 2 --time-limit 300 --seed 1 --out "$out"

lifted=""
for f in "$out"/3x3x3_r23_z.txt "$out"/3x3x3_r23_q.txt; do
  if [[ -z "$lifted" && -f "$f" ]]; then lifted=$f; fi
done
if [[ -z "$lifted" ]]; then
  echo "main job: no lifted rank-23 scheme was found" >&2
  exit 1
fi
$fmm verify "$out"/*.txt
$fmm info "$lifted"
$fmm codegen "$lifted" --precision f32 --layout row --out "$out/code" --name laderman_like_333
echo
echo "main job done: scheme $lifted, code in $out/code:"
ls -l "$out/code"
