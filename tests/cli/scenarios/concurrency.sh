#!/usr/bin/env bash
# Issue 14 item 5 and "Done means": several searches and converts writing into one folder at
# once lose nothing and never leave a file that fails `fmm verify` (nor a temporary).
source "$(dirname "$0")/lib.sh"

mkdir shared
pids=()
# Four searches for the same format and rank, different seeds: each saves its rank-23 scheme
# under 3x3x3_r23_gf2.txt or, when that name is taken, the next free 3x3x3_r23_gf2_N.txt.
for seed in 1 2 3 4; do
  "$FMM" search --shape 3x3x3 --target-rank 23 --seed "$seed" --out shared >"search$seed.out" 2>"search$seed.err" &
  pids+=($!)
done
# Converts racing on one name (each replaces it atomically) and on names of their own.
for i in 1 2 3 4 5 6; do
  "$FMM" convert laderman shared/same.txt >"convert$i.out" 2>&1 &
  pids+=($!)
  "$FMM" convert standard:2x2x$i "shared/own$i.json" >"own$i.out" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a concurrent fmm exited $? (see the .out/.err files)"; done

# Every search reports where its rank-23 scheme went: a file it wrote holds its scheme (its seed
# is in the source line); or an earlier search had saved the very same scheme, and that file
# was kept ("already saved as").
for seed in 1 2 3 4; do
  saved=$(sed -n 's/.*saved \(shared\/3x3x3_r23_gf2[_0-9]*\.txt\)$/\1/p' "search$seed.err")
  [[ -n $saved && -f $saved ]] || fail "search $seed reports no saved rank-23 scheme: $(cat "search$seed.err")"
  if grep -q "already saved as $saved" "search$seed.err"; then
    echo "search $seed found the scheme already saved as $saved"
  else
    grep -q "seed $seed " "$saved" || fail "$saved, written by search $seed, holds another search's scheme"
  fi
done
n=$(ls shared/3x3x3_r23_gf2*.txt | wc -l)
distinct=$(for seed in 1 2 3 4; do sed -n 's/.*saved \(shared\/3x3x3_r23_gf2[_0-9]*\.txt\)$/\1/p' "search$seed.err"; done | sort -u | wc -l)
[[ $n == "$distinct" ]] || fail "$n rank-23 files for $distinct saved schemes"
# Nothing in the folder fails verification, and no temporary is left.
for f in shared/*; do
  expect 0 verify "$f"
done
no_temporaries shared
finish "all concurrency expectations hold ($n rank-23 files from 4 searches, 12 converts)"
