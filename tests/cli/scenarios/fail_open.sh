#!/usr/bin/env bash
# Issue 14 items 6, 7, 9 and 19: files that state no field are checked over Q/Z only (GF2 when
# asked for or when the name says mod 2), unread .npz keys are not a success, field Z2 files
# hold 0/1 only, and FILE.npz:n,m,p picks one key.
source "$(dirname "$0")/lib.sh"

# 6. Strassen as .exp with one sign flipped: invalid over Z, still valid modulo 2.
expect 0 convert strassen s.exp
sed '1s/(a11+a22)/(a11-a22)/' s.exp >flipped.exp
cmp -s s.exp flipped.exp && fail "the sign was not flipped"
expect 0 verify s.exp
has "$out" "valid over Z (no field stated: checked over Z only"
expect 1 verify flipped.exp
has "$err" "invalid over Z"
has "$err" "holds modulo 2"
lacks "$out" "valid"
expect 1 convert flipped.exp out.txt
[[ ! -e out.txt ]] || fail "convert wrote a scheme that does not verify over the field it claims"
expect 1 info flipped.exp
expect 1 codegen flipped.exp --cpp-only --out gen
expect 0 verify flipped.exp --field gf2
has "$out" "valid over GF2 (given by --field)"
cp flipped.exp flipped-mod2.exp
expect 0 verify flipped-mod2.exp
has "$out" "valid over GF2 (no field stated; the file name says mod 2)"
expect 0 convert flipped-mod2.exp mod2.txt
has "$out" "valid over GF2"
expect 0 verify mod2.txt
has "$out" "valid over GF2 (stated in the file)"

# 7 and 19. An archive with a key we cannot read (a pickled object array) is not verified ...
npz=$DATA/strassen_with_pickled_key.npz
expect 2 verify "$npz"
has "$out" "[2,2,2]: npz 2x2x2 rank 7 valid over Z"
has "$err" "not read: key '2,2,3' holds a pickled object array"
has "$err" "not verified"
# ... but its readable key can be picked, by every command.
expect 0 verify "$npz:2,2,2"
has "$out" "valid over Z"
expect 0 info "$npz:2,2,2"
has "$out" "rank            7"
expect 0 convert "$npz:2,2,2" from_npz.txt
expect 0 codegen "$npz:2,2,2" --cpp-only --out gen_npz
expect 2 info "$npz"  # two keys, one unreadable
expect 2 verify "$npz:2,2,3"
has "$err" "pickled object array"
expect 2 verify "$npz:3,3,3"
has "$err" "no key '3,3,3' in the archive; its keys: 2,2,2 2,2,3"
expect 2 verify strassen.txt:2,2,2
expect 2 verify "$DATA/strassen.exp:2,2,2"  # only archives have keys
has "$err" "no such file"

# 9. field Z2 holds 0 and 1 only.
expect 0 verify mod2.txt
for bad in 3 -1 1/3 5/7; do
  sed "2s|^1 |$bad |" mod2.txt >bad_z2.txt
  expect 2 verify bad_z2.txt
  has "$err" "bad_z2.txt:2: field Z2 allows only the coefficients 0 and 1, found '$bad'"
  expect 2 convert bad_z2.txt copy.txt
  [[ ! -e copy.txt ]] || fail "convert copied a malformed Z2 file"
done
sed "2s/^1 /-1 /" mod2.txt >minus.txt
expect 2 verify minus.txt
has "$err" "-1 is 1 modulo 2: write 1"
# JSON states its field too.
expect 0 convert mod2.txt mod2.json
sed '0,/\[1,/s/\[1,/[-1,/' mod2.json >bad.json
cmp -s mod2.json bad.json && fail "the JSON was not changed"
expect 2 verify bad.json
has "$err" "field GF2 (Z2) allows only the coefficients 0 and 1"
finish "all fail-open expectations hold"
