#!/bin/sh
# MPI search end to end.
# 1. Known answer: 3 ranks share 6 walkers on <2,2,3> over GF2 down to rank 11 (the known
#    optimum, Hopcroft-Kerr 1971); the ranks must exchange schemes, rank 0 must save the
#    result, and that file must verify.
# 2. Layout independence: a flip-budgeted <3,3,3> run gives the same best schemes (the
#    "best schemes" signature of the summary line) in one process, on 1 rank and on 3 ranks.
# Usage: mpi_search_test.sh MPIEXEC FMM WORKDIR
set -eu
mpiexec=$1 fmm=$2 dir=$3
rm -rf "$dir" && mkdir -p "$dir"
run_mpi() { "$mpiexec" --allow-run-as-root --oversubscribe "$@"; }

run_mpi -n 3 "$fmm" search --shape 2x2x3 --field gf2 --walkers 6 \
  --time-limit 20 --target-rank 11 --seed 7 --out "$dir/out" > "$dir/stdout.txt" 2> "$dir/log.txt"
cat "$dir/log.txt"
grep -Eq 'received [1-9][0-9]* schemes from rank [0-9]+' "$dir/log.txt" || { echo "FAIL: no rank received schemes"; exit 1; }
grep -q 'ranks 3' "$dir/log.txt" || { echo "FAIL: config line lacks the rank count"; exit 1; }
test -f "$dir/out/2x2x3_r11_gf2.txt" || { echo "FAIL: rank 0 saved no rank-11 scheme"; exit 1; }
"$fmm" verify "$dir/out/2x2x3_r11_gf2.txt"

run_args="search --shape 3x3x3 --field gf2 --walkers 6 --max-flips 6000000 --epoch-flips 50000 --plateau 3000 --seed 11"
"$fmm" $run_args > "$dir/plain.txt" 2> /dev/null
run_mpi -n 1 "$fmm" $run_args > "$dir/one.txt" 2> /dev/null
run_mpi -n 3 "$fmm" $run_args > "$dir/three.txt" 2> "$dir/three.log"
signature() { sed -n 's/.*best schemes \([0-9a-f]*\);.*/\1/p' "$1"; }
echo "best schemes: plain $(signature "$dir/plain.txt"), 1 rank $(signature "$dir/one.txt"), 3 ranks $(signature "$dir/three.txt")"
cat "$dir/plain.txt" "$dir/one.txt" "$dir/three.txt"
test -n "$(signature "$dir/plain.txt")" || { echo "FAIL: no signature in the summary"; exit 1; }
test "$(signature "$dir/plain.txt")" = "$(signature "$dir/one.txt")" || { echo "FAIL: 1 rank differs from one process"; exit 1; }
test "$(signature "$dir/plain.txt")" = "$(signature "$dir/three.txt")" || { echo "FAIL: 3 ranks differ from one process"; exit 1; }
grep -q '6000000 flips' "$dir/three.txt" || { echo "FAIL: 3 ranks did not report all ranks' flips"; exit 1; }

# 3. The symmetric walk (search/symmetric/) over the same exchange: same best schemes in one
#    process and on 3 ranks.
sym_args="search --shape 4x4x4 --symmetric --walkers 6 --max-flips 3000000 --epoch-flips 50000 --seed 5"
"$fmm" $sym_args > "$dir/sym_plain.txt" 2> /dev/null
run_mpi -n 3 "$fmm" $sym_args > "$dir/sym_three.txt" 2> "$dir/sym_three.log"
echo "symmetric best schemes: plain $(signature "$dir/sym_plain.txt"), 3 ranks $(signature "$dir/sym_three.txt")"
cat "$dir/sym_plain.txt" "$dir/sym_three.txt"
test -n "$(signature "$dir/sym_plain.txt")" || { echo "FAIL: no symmetric signature"; exit 1; }
test "$(signature "$dir/sym_plain.txt")" = "$(signature "$dir/sym_three.txt")" || { echo "FAIL: symmetric: 3 ranks differ from one process"; exit 1; }
echo "PASS"
