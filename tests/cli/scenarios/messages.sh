#!/usr/bin/env bash
# Issue 14 items 13, 16 and 17: exit codes for bad builtins, raw bytes from input files escaped
# in messages, overflow reported as such, codegen's level bound stated with the real rank.
source "$(dirname "$0")/lib.sh"

# 13. A bad builtin is bad input (2), not a negative answer (1).
expect 2 verify standard:3x3
has "$err" "bad shape '3x3'"
expect 2 verify standard:0x2x2
has "$err" "out of range"
expect 2 info standard:17x1x1

# 16. Control bytes and NULs from a file are escaped, never echoed raw (the message goes on
# past a NUL).
printf '# 2 2 2 rank 7 field \033]0;owned\007Z source x\n' >esc.txt
expect 2 verify esc.txt
has "$err" '\x1b]0;owned\x07Z'
[[ $err != *$'\033'* && $err != *$'\007'* ]] || fail "a raw control byte reached the terminal"
printf '# 2 2 2 rank 1 field Z source x\n1 0 0 1 | 1 0 0 1 | 1 0\0000 1x\n' >nul.txt
expect 2 verify nul.txt
has "$err" "found '0\\x000'"
[[ $(tr -cd '\000' <"$WORK/.err" | wc -c) == 0 ]] || fail "a NUL reached stderr"
printf '(a11)*(b11)*(c11\033[2J)\n' >esc.exp
expect 2 verify esc.exp
[[ $err != *$'\033'* ]] || fail "a raw ESC from an .exp file reached the terminal"
# Sources quoted into the output are printable too.
printf '# 1 1 1 rank 1 field Z source evil\033[31mred\n1 | 1 | 1\n' >src.txt
expect 0 info src.txt
has "$out" 'evil\x1b[31mred'
expect 0 convert src.txt src_copy.txt
grep -q $'\033' src_copy.txt && fail "a raw ESC was copied into a written file"

# 17. An overflowing check says so (exit 2), instead of calling the scheme invalid.
big=4398046511104  # 2^42: the products of one term reach 2^126
{
  echo "# 1 1 1 rank 3 field Z source overflow"
  echo "1 | 1 | 1"
  echo "$big | $big | $big"
  echo "-$big | $big | $big"
} >overflow.txt
expect 2 verify overflow.txt
has "$err" "not checked over Z"
lacks "$err" "invalid"
expect 2 codegen strassen --levels 8 --cpp-only --out gen
has "$err" "the composed rank 5764801 of 8 levels exceeds 1024"
has "$err" "at most 3 levels"
lacks "$err" "2401"
finish "all message expectations hold"
