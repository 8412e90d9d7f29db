#!/usr/bin/env bash
# Issue 14 items 1-3 and 15: writers never follow or reuse a planted path, never replace a
# special file, write through /dev/stdout, clean up after a failed write and say why.
source "$(dirname "$0")/lib.sh"

# 1. A symbolic link planted where the old writer put its temporary (OUT.tmp) is ignored ...
echo "victim" >victim.txt
ln -s victim.txt x.txt.tmp
expect 0 convert strassen x.txt
[[ $(cat victim.txt) == victim ]] || fail "the planted link redirected the write into victim.txt"
[[ -L x.txt.tmp && ! -L x.txt && -f x.txt ]] || fail "x.txt is not a regular file, or the link moved"
expect 0 verify x.txt
# ... and a link at OUT itself is refused (not followed, not replaced).
ln -s victim.txt link.txt
expect 2 convert strassen link.txt
has "$err" "symbolic link"
[[ -L link.txt && $(cat victim.txt) == victim ]] || fail "the link at OUT was followed or replaced"
# Same for codegen, search --out and --checkpoint.
mkdir gen
ln -s ../victim.txt gen/strassen_2x2x2_r7_l1_f32_row_cpu.hpp
expect 2 codegen strassen --cpp-only --out gen
has "$err" "symbolic link"
[[ $(cat victim.txt) == victim ]] || fail "codegen wrote through a link"
mkdir found
ln -s ../victim.txt found/2x2x2_r7_z.txt
expect 0 search --shape 2x2x2 --field z --target-rank 7 --out found
[[ $(cat victim.txt) == victim ]] || fail "search --out wrote through a link"
[[ -f found/2x2x2_r7_z_2.txt && ! -L found/2x2x2_r7_z_2.txt ]] || fail "search did not take the next free name"
expect 0 verify found/2x2x2_r7_z_2.txt
ln -s victim.txt run.ckpt
expect 2 search --shape 2x2x2 --max-flips 1000 --checkpoint run.ckpt
has "$err" "symbolic link"
lacks "$err" "new best"  # refused before walking
[[ $(cat victim.txt) == victim ]] || fail "--checkpoint wrote through a link"

# 2. Special files are refused, /dev/stdout and '-' are written through.
mkfifo fifo.txt
expect 2 convert strassen fifo.txt
has "$err" "FIFO"
[[ -p fifo.txt ]] || fail "the FIFO was replaced"
mkdir adir.txt
expect 2 convert strassen adir.txt
has "$err" "directory"
if [[ -c /dev/full && -w /dev/full ]]; then
  expect 2 convert strassen /dev/full
  has "$err" "character device"
  [[ -c /dev/full ]] || fail "/dev/full is no longer a device"
fi
expect 0 convert strassen /dev/stdout
has "$out" "# 2 2 2 rank 7 field Z"
has "$err" "wrote /dev/stdout"
[[ -L /dev/stdout || -e /dev/stdout ]] || fail "/dev/stdout was replaced"
expect 0 convert strassen - --to json
has "$out" '"rank": 7'

# 15. The reason is given.
expect 2 convert strassen no/such/dir/x.txt
has "$err" "No such file or directory"

# 3. A failed write (disk full) leaves nothing behind and says why.
small_tmpfs full 16k
expect 0 compose laderman laderman -o big.txt  # <9,9,9> rank 529: about 170 KB
expect 2 convert big.txt full/big.txt
has "$err" "No space left on device"
no_temporaries full
[[ ! -e full/big.txt ]] || fail "a partial file was left"
expect 0 convert strassen full/small.txt  # space is back: nothing leaked
rm x.txt.tmp  # the link planted above (not ours)
no_temporaries .
finish "all safe-write expectations hold"
