#!/bin/sh
# MPI search known-answer test: 3 ranks share 6 walkers on <2,2,3> over GF2 down to rank 11
# (the known optimum, Hopcroft-Kerr 1971); the ranks must exchange schemes, rank 0 must save
# the result, and that file must verify.
# Usage: mpi_search_test.sh MPIEXEC FMM WORKDIR
set -eu
mpiexec=$1 fmm=$2 dir=$3
rm -rf "$dir" && mkdir -p "$dir"
"$mpiexec" --allow-run-as-root --oversubscribe -n 3 "$fmm" search --shape 2x2x3 --field gf2 --walkers 6 \
  --time-limit 20 --target-rank 11 --seed 7 --out "$dir/out" > "$dir/stdout.txt" 2> "$dir/log.txt"
cat "$dir/log.txt"
grep -Eq 'received [1-9][0-9]* schemes from rank [0-9]+' "$dir/log.txt" || { echo "FAIL: no rank received schemes"; exit 1; }
grep -q 'ranks 3' "$dir/log.txt" || { echo "FAIL: config line lacks the rank count"; exit 1; }
test -f "$dir/out/2x2x3_r11_gf2.txt" || { echo "FAIL: rank 0 saved no rank-11 scheme"; exit 1; }
"$fmm" verify "$dir/out/2x2x3_r11_gf2.txt"
echo "PASS"
