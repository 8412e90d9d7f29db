#!/usr/bin/env bash
# The public symmetric-flips code's seeded <6,6,6> case (jakobmoosbauer/symmetric-flips,
# code/r6-153-seeded.txt: "finds the target rank after 17 runs"; GPL, built outside this tree,
# never copied into it), traced: what does the one run that reaches 153 look like, and is the
# rank-165 scheme it passes through a start from which fmm's walk reaches 153 too?
#
# Usage: seeded_run17.sh ANCHOR_CODE_DIR FMM OUTDIR
#   ANCHOR_CODE_DIR: the repository's code/ folder (MatrixMult22.py, FlipSolver22.cpp, the case files).
# Steps (all outside this tree, in OUTDIR):
#  1. The driver with a stand-in solver that records its input files: the 17 solver inputs
#     (the start and the seed of each run; the driver draws nothing else from its random stream
#     until a run succeeds).
#  2. FlipSolver22 built twice with g++ -O3: as published, and with one line added that prints
#     "best R flips F" at every new lowest rank (R counts the non-cube terms: rank = R + 3).
#  3. Run 17 traced to its end (trace17.log), and again with its target set to 162, so that it
#     stops at rank 165 and the driver writes that scheme (anchor_165.exp; the same stand-in, STOP set).
#  4. fmm's symmetric walk from that 165: `fmm search --from`, 60 s, with the ceiling of plus
#     transitions fmm now uses for a walk from a file (213) and capped at the start (165).
set -euo pipefail
code=$(cd "$1" && pwd); fmm=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); out=$3
mkdir -p "$out" && out=$(cd "$out" && pwd) && cd "$out"

g++ -O3 -o FlipSolver22 "$code/FlipSolver22.cpp"
sed 's/^\(\s*\)minmuls = achieved;\r*$/\1minmuls = achieved; fprintf(stderr, "best %d flips %lld\\n", achieved, (long long)flips);/' \
  "$code/FlipSolver22.cpp" | sed '1i #include <cstdio>' > traced.cpp
g++ -O3 -o traced traced.cpp

# One stand-in solver for both driver passes: it records every input; with STOP set, the 17th
# input is solved for real, its target moved to STOP (non-cube terms), so the run ends there and
# the driver writes that scheme (SAVE 165 in the case file; the runs not solved stay at 231).
cat > solver.sh <<EOF
#!/bin/bash
n=\$(ls "$out/inputs" | wc -l); cp "\$1" "$out/inputs/\$(printf %03d \$((n + 1))).txt"
[ -n "\${STOP:-}" ] && [ "\$n" = 16 ] || exit 0
awk -v t="\$STOP" 'NR==1{\$4=t} {print}' "\$1" > "\$1.tmp" && mv "\$1.tmp" "\$1" && "$out/FlipSolver22" "\$1"
EOF
chmod +x solver.sh
sed "s|^fastsolver=.*|fastsolver='$out/solver.sh'|" "$code/MatrixMult22.py" > driver.py
sed 's/NUMBER_OF_SOLVES: 1000/NUMBER_OF_SOLVES: 17/; s/^SAVE: 153/SAVE: 165/' "$code/r6-153-seeded.txt" > seeded17.txt

# 1. the 17 inputs
rm -rf inputs results && mkdir inputs && python3 driver.py seeded17.txt > record.log 2>&1

# 2-3. run 17 traced, then stopped at 165
cp inputs/017.txt run17.txt
start=$(date +%s.%N); ./traced run17.txt 2> trace17.log
echo "seconds $(echo "$(date +%s.%N) - $start" | bc)" >> trace17.log
rm -rf inputs && mkdir inputs && STOP=162 python3 driver.py seeded17.txt > stop.log 2>&1
cp results/m165r*.txt anchor_165.exp

# 4. fmm from the anchor's 165
for limit in 0 165; do
  "$fmm" search --shape 6x6x6 --symmetric --symmetry 6 --from anchor_165.exp --plus-limit $limit \
    --threads 1 --time-limit 60 --seed 1 --target-rank 153 > "fmm_from165_limit$limit.log" 2>&1 || true
done
grep -h "symmetric flip search\|new best" fmm_from165_limit*.log | cut -c1-200
