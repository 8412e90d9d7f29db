#!/usr/bin/env bash
# Issue 14 items 4, 8, 11, 12 and 18 for `fmm search`: outputs checked before walking, results
# that cannot be written are printed (never lost), --from and --resume trust nothing they did
# not verify, numbers mean what they say, and a run without --out still shows its result.
source "$(dirname "$0")/lib.sh"

# 4. --out and --checkpoint are checked before any walking.
touch afile
expect 2 search --shape 3x3x3 --max-flips 100000 --out afile/sub
has "$err" "afile/sub"
lacks "$err" "new best"
expect 2 search --shape 3x3x3 --max-flips 100000 --checkpoint no/such/dir/run.ckpt
has "$err" "No such file or directory"
lacks "$err" "new best"

# 18. Without --out the result is printed, and the output says so.
expect 0 search --shape 2x2x2 --field z --target-rank 7
has "$out" "# 2 2 2 rank 7 field Z"
has "$err" "no --out DIR given"

# 8. --from must hold over the field walked on.
expect 0 convert strassen s.exp
sed '1s/(a11+a22)/(a11-a22)/' s.exp >flipped-mod2.exp
expect 2 search --shape 2x2x2 --field z --from flipped-mod2.exp --max-flips 100000
has "$err" "--from"
has "$err" "invalid over Z"
lacks "$err" "new best"
expect 0 search --shape 2x2x2 --field gf2 --from flipped-mod2.exp --max-flips 1000 --out ok

# 8. --resume verifies what it reads.
expect 0 search --shape 3x3x3 --seed 3 --walkers 2 --max-flips 20000 --checkpoint good.ckpt --out r
expect 0 search --shape 3x3x3 --seed 3 --walkers 2 --max-flips 40000 --checkpoint good.ckpt --resume
has "$err" "resumed from"
# --time-limit counts the checkpoint's seconds: a resume past it says so instead of stopping silently.
awk '/^elapsed /{$2 = "100"} {print}' good.ckpt >spent.ckpt
expect 0 search --shape 3x3x3 --seed 3 --walkers 2 --time-limit 5 --checkpoint spent.ckpt --resume
has "$err" "counts the checkpoint's seconds and is spent already"
corrupt() {  # corrupt NAME AWK-PROGRAM: a copy of good.ckpt with one change, which must be rejected
  awk "$2" good.ckpt >"$1.ckpt"
  cmp -s good.ckpt "$1.ckpt" && fail "corruption '$1' changed nothing"
  expect 2 search --shape 3x3x3 --seed 3 --walkers 2 --max-flips 40000 --checkpoint "$1.ckpt" --resume
  lacks "$err" "new best"
}
for e in -5 1e308 nan inf; do
  corrupt "elapsed$e" "/^elapsed /{\$2=\"$e\"} {print}"
  has "$err" "seconds"
done
corrupt walker_scheme 'after_current {$1 = ($1 == "1" ? "3" : "1"); after_current = 0} /^current /{after_current = 1; print; next} {print}'
has "$err" "walker 0's current scheme is not a valid scheme"
corrupt mask_range 'after_best {$1 = "fff"; after_best = 0} /^best /{after_best = 1; print; next} {print}'
has "$err" "bits beyond"
corrupt pool_entry 'header {$1 = ($1 == "0" ? "1" : "0"); header = 0} in_entry && /^#/ {header = 1; in_entry = 0} /^entry /{in_entry = 1} {print}'
has "$err" "pool entry 1 is not a valid scheme"
corrupt negative_count '/^flips /{$2 = "-5"} {print}'
corrupt walkers '/^walkers /{$2 = "-3"} {print}'

# 11. Walkers are bounded; the flip budget is split exactly.
expect 2 search --shape 3x3x3 --walkers 400000 --max-flips 10000
has "$err" "--walkers must be between 0"
expect 2 search --shape 3x3x3 --walkers 65537 --max-flips 10000
expect 0 search --shape 3x3x3 --walkers 3000 --max-flips 10000
has "$out" "; 10000 flips in"
expect 0 search --shape 4x4x4 --symmetric --walkers 3000 --max-flips 10000
has "$out" "; 10000 orbit moves in"
expect 0 search --shape 2x2x2 --method mcts --walkers 1000 --max-flips 100
has "$out" "; 100 moves in"

# 12. Negative and non-finite numbers are refused, not wrapped.
for opt in --seed=-5 --max-flips=-1 --plateau=-1 --epoch-flips=-1 --walkers=-3 --time-limit=nan --time-limit=inf \
           --time-limit=-1 --time-limit=1e300 --checkpoint-every=nan --seed=1.5 --max-flips=0x10; do
  expect 2 search --shape 2x2x2 --field z --target-rank 7 "$opt"
  has "$err" "${opt%%=*}"
done
expect 0 search --shape 2x2x2 --field z --target-rank 7 --seed=5 --max-flips=100000 --time-limit=60 --plateau=100
expect 2 search --shape 2x2x2 --field z --target-rank 7 --seed -5
expect 2 transform strassen -o t.txt --random-basis=-1
expect 2 transform strassen -o t.txt --random-basis=nan
expect 0 transform strassen -o t.txt --random-basis=18446744073709551615

# 4. A result that cannot be written is printed and the run still ends (exit 2); a checkpoint
# that cannot be written does not stop it either.
small_tmpfs full 4k
head -c 4096 /dev/zero >full/filler 2>/dev/null
expect 2 search --shape 3x3x3 --target-rank 23 --out full/found --checkpoint full/run.ckpt
has "$err" "could not save a rank-"
has "$err" "No space left on device"
has "$err" "the scheme, in the native format:"
has "$err" "checkpoint not written"
has "$out" "best rank gf2 23"
has "$out" "# 3 3 3 rank 23 field Z2"
no_temporaries full
finish "all search expectations hold"
