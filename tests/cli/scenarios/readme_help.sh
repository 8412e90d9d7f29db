#!/usr/bin/env bash
# Issue 14 item 18: the README's command table and each command's --help agree: every option
# the README shows exists, spelled the same way; --help states the exit status rule and
# mentions --version.
source "$(dirname "$0")/lib.sh"
README=${README:?set README to README.md}

expect 0 --help
has "$out" "--version"
has "$out" "exit status: 0 success; 1 a negative answer"
rows=0
while IFS= read -r line; do
  cmd=$(sed -E 's/^\| `fmm ([a-z]+).*/\1/' <<<"$line")
  usage=$(sed -E 's/^\| `([^`]*)`.*/\1/' <<<"$line")
  # A row for one mode of a command (fmm search --objective additions) is checked against that
  # mode's --help.
  mode=$(grep -oE -- '--objective [a-z]+' <<<"$usage" || true)
  # shellcheck disable=SC2086
  expect 0 "$cmd" $mode --help
  has "$out" "exit status"
  for opt in $(grep -oE -- '--[a-z][a-z0-9-]*' <<<"$usage" | sort -u); do
    has "$out" "$opt"
  done
  # Option arguments written with separators ("X|Y|Z") must be the ones --help shows.
  for spec in $(grep -oE -- '--basis [^] ]+' <<<"$usage" | cut -d' ' -f2); do
    has "$out" "--basis ${spec//\\/}"
  done
  rows=$((rows + 1))
done < <(grep -E '^\| `fmm [a-z]+ ' "$README" | grep -v '^| `fmm bench')
[[ $rows -ge 7 ]] || fail "found only $rows command rows in the README"
finish "README and --help agree on $rows commands"
