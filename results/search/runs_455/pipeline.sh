#!/usr/bin/env bash
# <4,5,5> at its best known integer rank, 76, from nothing but fmm (issue 11):
#   1. the symmetric <5,5,5> walk to rank 93 (Moosbauer-Poole's order-3 group, lifted to Z);
#   2. its projection to <4,5,5> (fmm meta project: the hyperplane that removes the most products);
#   3. the plain GF(2) walk from that projection, lifting every new best to Z.
# usage: pipeline.sh SEED OUTDIR [THREADS]     env: FMM (build/cli/fmm)
# Each step's log lands in OUTDIR; the schemes in OUTDIR/555 and OUTDIR/455. Exit 1 when a step
# does not reach its rank (step 1 gives up after 600 s: about one seed in five does, symmetric.md).
set -euo pipefail
seed=$1 out=$2 threads=${3:-2}
fmm=${FMM:-build/cli/fmm}
mkdir -p "$out"
start=$(date +%s.%N)
elapsed() { echo "$(date +%s.%N) - $start" | bc; }
# DIR PREFIX MESSAGE: the first scheme DIR/PREFIX*.txt a step wrote; else MESSAGE and status 1.
scheme_or_fail() {
  local f
  for f in "$1/$2"*.txt; do [[ -e $f ]] && { echo "$f"; return 0; }; done
  echo "$3 (seed $seed)"
  return 1
}
$fmm search --shape 5x5x5 --symmetric --threads "$threads" --time-limit 600 --seed "$seed" --target-rank 93 --lift \
  --out "$out/555" > "$out/555.out" 2> "$out/555.log" || true
z93=$(scheme_or_fail "$out/555" 5x5x5_r93_z "step 1: no <5,5,5;93> over Z after 600 s") || { echo "$z93"; exit 1; }
echo "step 1: $z93 at $(elapsed) s"
$fmm meta project "$z93" --axis n -o "$out/4x5x5_projection.txt" > "$out/project.log" 2>&1
echo "step 2: $(tail -1 "$out/project.log") at $(elapsed) s"
$fmm search --shape 4x5x5 --from "$out/4x5x5_projection.txt" --lift --threads "$threads" --time-limit 300 \
  --seed "$seed" --target-rank 76 --out "$out/455" > "$out/455.out" 2> "$out/455.log" || true
z76=$(scheme_or_fail "$out/455" 4x5x5_r76_z "step 3: no <4,5,5;76> over Z after 300 s") || { echo "$z76"; exit 1; }
$fmm verify "$z76"
echo "step 3: $z76 at $(elapsed) s in all"
